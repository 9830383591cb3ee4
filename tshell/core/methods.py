"""Binds the declared ops (tshell/core/registry.py) as their modules load: Tensor's methods,
properties, operators and generated in-place twins, torch.NAME and torch.NAME_, and the
torch.linalg / special / fft namespaces.

An op module is imported at the first use of one of its names, as op_index.py names it:
tshell.core's module __getattr__, a placeholder in Tensor (x.cumsum, Tensor.cumsum) and
the namespaces import it, then bind_declared() binds what was declared since its last
call, whoever imported the module; later uses find the bound name and never come here.
Start-up pays for the modules a program uses, not for the ~80 it might.
"""
from __future__ import annotations

import importlib
import sys
from types import SimpleNamespace

from . import registry
from .ops.inplace import make_inplace
from .tensor import Tensor

_bound = 0   # how many of the registry's declarations are bound


def bind_declared():
    """Bind every declaration made since the last call. The in-place twins made from
    Tensor_ declarations yield to a method declared under the twin's name (x.add_'s
    direct write), wherever that one is declared."""
    global _bound
    new = registry.declarations_since(_bound)
    _bound += len(new)
    core = sys.modules["tshell.core"]
    for place, name, op, _ in new:
        if place == "Tensor_" and registry.declaring_module("Tensor", name + "_") is None:
            # inplace_op: the op under the in-place node's name where PyTorch's differs
            setattr(Tensor, name + "_", _tidied(make_inplace(getattr(op, "inplace_op", op))))
    for place, name, obj, as_property in new:
        if place == "Tensor":
            setattr(Tensor, name, _tidied(registry.bound(place, name, obj, as_property)))
    bound = {}
    for place, name, obj, as_property in new:
        if place == "torch":
            bound[name] = _tidied(registry.bound(place, name, obj, as_property))
        elif place == "torch_":
            bound[name + "_"] = getattr(Tensor, name + "_")
        elif place in NAMESPACES:
            setattr(NAMESPACES[place], name,
                    _tidied(registry.bound(place, name, obj, as_property)))
    for name, value in bound.items():
        setattr(core, name, value)
    if bound:
        for listener in _LISTENERS:
            listener(bound)


_LISTENERS: list = []


def on_bind(listener) -> None:
    """Call listener({name: value}) with the torch names bound from now on (tshell.lang
    makes the classes among them nameable)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def _tidied(obj):
    """obj, a function made by a factory reporting its own name in Python's argument
    errors (`ones() takes...`, not `_factory.<locals>.make()`)."""
    if callable(obj) and "<locals>" in getattr(obj, "__qualname__", ""):
        try:
            obj.__qualname__ = obj.__name__
        except (AttributeError, TypeError):
            pass
    return obj


def load_declared(place, name) -> bool:
    """Import the module declaring place.name (an in-place twin: its op's module) and bind
    what it declared; whether there was one."""
    found = registry.load_declared(place, name) or (
        name[-1:] == "_" and place in TWINS and registry.load_declared(TWINS[place], name[:-1]))
    if found:
        bind_declared()
    return found


TWINS = {"Tensor": "Tensor_", "torch": "torch_"}   # where NAME_ is declared as NAME


def declared_names(place) -> set:
    """Every name of place, bound or not: its declarations and the in-place twins."""
    names = set(registry.indexed_names(place))
    if place in TWINS:
        names.update(name + "_" for name in registry.indexed_names(TWINS[place]))
    return names


# ---------------------------------------------------------------------- Tensor
class _BoundAtFirstUse:
    """Tensor.NAME while its module is not loaded: the first read, on a tensor or on the
    class (x.cumsum, Tensor.cumsum, super().cumsum), imports the module, whose binding
    replaces this, and reads again. A placeholder in the class, not a __getattr__: that
    would turn off CPython's specialised attribute reads on every tensor (x._t...)."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __get__(self, obj, cls=None):
        name = self.name
        load_declared("Tensor", name)
        if vars(Tensor).get(name) is self:      # the index named a module that does not bind it
            delattr(Tensor, name)
            raise AttributeError(f"type object 'Tensor' has no attribute '{name}'")
        return getattr(cls if obj is None else obj, name)


def _place_holders():
    """A _BoundAtFirstUse for every Tensor name not bound yet."""
    for name in declared_names("Tensor").difference(vars(Tensor)):
        setattr(Tensor, name, _BoundAtFirstUse(name))


# ---------------------------------------------------------------------- namespaces
class _DeclaredNamespace(SimpleNamespace):
    """torch.linalg, torch.special, torch.fft: a name's module imported at its first use;
    repr and dir list every name."""

    def __getattr__(self, name):
        place = _PLACE_OF[type(self)]
        if load_declared(place, name) and name in vars(self):
            return vars(self)[name]
        return object.__getattribute__(self, name)

    def __repr__(self):
        self.load_all()
        return repr(SimpleNamespace(**vars(self)))

    def __dir__(self):
        self.load_all()
        return dir(SimpleNamespace(**vars(self)))

    def load_all(self):
        """Every name of the namespace bound (its modules imported)."""
        registry.load_declaring_modules(_PLACE_OF[type(self)])
        bind_declared()


def _namespace(place):
    cls = type("namespace", (_DeclaredNamespace,), {"__slots__": ()})
    cls.__qualname__ = "namespace"
    _PLACE_OF[cls] = place
    return cls()


_PLACE_OF: dict = {}
NAMESPACES = {place: _namespace(place) for place in ("linalg", "special", "fft")}

# Python finds operators and properties on the class itself (x + y reads type(x).__add__;
# x.T = v needs x.T's property to word its error): the modules declaring them load now.
for _module in registry.BOUND_AT_START:
    importlib.import_module("tshell.core" + _module)
bind_declared()
_place_holders()
