"""Where each op is reachable, declared next to its definition.

An op module writes, above a function (or around any object):

    @export("torch", "Tensor", "Tensor_", "torch_", "special.expit")
    def sigmoid(input, *, out=None): ...

and `tshell.core`, Tensor's methods, torch.nn.functional, torch.linalg, torch.special and
torch.fft are built from these declarations (core/__init__.py, core/methods.py,
core/nn/functional.py). A place is written PLACE or PLACE.NAME (NAME defaults to the object's
__name__):

    torch      tshell.core's top level: torch.NAME
    Tensor     a method (or, with property=True, a property) of Tensor: x.NAME
    Tensor_    the in-place twin x.NAME_, made from the op by ops/inplace.make_inplace
    torch_     torch.NAME_, the in-place method at the top level (torch.exp_(x))
    F          torch.nn.functional.NAME
    linalg     torch.linalg.NAME
    special    torch.special.NAME
    fft        torch.fft.NAME

This module imports nothing of tshell: every op module can import it first.
docs/adding-an-op.md walks through a whole op block.
"""
from __future__ import annotations

PLACES = ("torch", "Tensor", "Tensor_", "torch_", "F", "linalg", "special", "fft")

# (place, name, object, as_property), in declaration order.
_EXPORTS: list = []


def export(*places, as_property=False):
    """Declare the places where the decorated object is reachable; returns it unchanged.
    as_property=True makes a Tensor place a read-only property (x.T, x.mT)."""
    specs = [_parse(spec) for spec in places]

    def declare(obj):
        for place, name in specs:
            _EXPORTS.append((place, name or obj.__name__, obj, as_property))
        return obj
    return declare


def _parse(spec):
    place, _, name = spec.partition(".")
    if place not in PLACES or "." in name:
        raise ValueError(f"export: unknown place {place!r} in {spec!r} (one of {PLACES})")
    if place in ("Tensor_", "torch_") and name:
        raise ValueError(f"export: {place} takes the op's own name, not {spec!r}")
    return place, name


def exports(place):
    """{name: object} declared for `place`, in declaration order. Two different objects
    under one name is an error: each name is declared once."""
    table, origin = {}, {}
    for where, name, obj, as_property in _EXPORTS:
        if where != place:
            continue
        if name in origin and origin[name] is not obj:
            raise ValueError(f"{place}.{name} is declared twice: by {_where(origin[name])} "
                             f"and {_where(obj)}")
        origin[name] = obj
        table[name] = property(obj) if as_property else obj
    return table


def _where(obj):
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', obj)!s}"


def declared():
    """Every declaration as (place, name, object): for tests and docs."""
    return [(place, name, obj) for place, name, obj, _ in _EXPORTS]
