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

This module imports nothing of tshell but op_index.py, the generated index of the
declaring modules (data only): every op module can import it first.
docs/adding-an-op.md walks through a whole op block.
"""
from __future__ import annotations

import importlib
import sys
import types

from .autocast_policy import key as autocast_key, listed as autocast_listed  # (data)
from .op_index import BOUND_AT_START, DECLARED_IN   # noqa: F401 (generated data)

PLACES = ("torch", "Tensor", "Tensor_", "torch_", "F", "linalg", "special", "fft")

# (place, name, object, as_property, declaring module), in declaration order.
_EXPORTS: list = []
_BY_PLACE = {place: [] for place in PLACES}   # the same, per place (exports reads one)


def export(*places, as_property=False):
    """Declare the places where the decorated object is reachable; returns it unchanged.
    as_property=True makes a Tensor place a read-only property (x.T, x.mT)."""
    specs = [_parsed.get(spec) or _parse(spec) for spec in places]

    def declare(obj):
        module = _declaring_module()
        for place, name in specs:
            declaration = (place, name or obj.__name__, obj, as_property, module)
            _EXPORTS.append(declaration)
            _BY_PLACE[place].append(declaration)
        return obj
    return declare


def _declaring_module():
    """The module whose import is making the declaration: the nearest module body on the
    stack (an op module's own helper may call export), which the index (op_index.py)
    names as the module to import for it."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name != "<module>":
        frame = frame.f_back
    return frame.f_globals.get("__name__") if frame is not None else None


_parsed = {}   # spec -> (place, name): a thousand declarations spell a few dozen specs


def _parse(spec):
    place, _, name = spec.partition(".")
    if place not in PLACES or "." in name:
        raise ValueError(f"export: unknown place {place!r} in {spec!r} (one of {PLACES})")
    if place in ("Tensor_", "torch_") and name:
        raise ValueError(f"export: {place} takes the op's own name, not {spec!r}")
    _parsed[spec] = place, name
    return place, name


def exports(place):
    """{name: object} declared for `place`, in declaration order, every declaring module
    imported first (op_index.py names them). Two different objects under one name is an
    error: each name is declared once."""
    load_declaring_modules(place)
    table, origin = {}, {}
    for _, name, obj, as_property, _ in _BY_PLACE[place]:
        if name in origin and origin[name] is not obj:
            raise ValueError(f"{place}.{name} is declared twice: by {_where(origin[name])} "
                             f"and {_where(obj)}")
        origin[name] = obj
        table[name] = bound(place, name, obj, as_property)
    return table


def bound(place, name, obj, as_property):
    """What place.name holds for a declaration: a property, the op under NumPy's parameter
    names too, or the object itself; an op on autocast's lists (autocast_policy.py) checks
    the autocast state first."""
    if as_property:
        return property(obj)
    if place in NUMPY_NAMES and name not in PYTHON_IMPLEMENTED:
        obj = numpy_named(obj, place)
    if autocast_listed(place, name):
        return _autocast_checked(obj, place, name)
    return obj


_autocast_checked_ops = {}   # (id(op), place, name) -> (op, its wrapper): one per op and place


def _autocast_checked(op, place, name):
    """op wrapped by autocast.autocast_wrapper (made once, so that a name bound twice, as
    Tensor's methods are when a module loads, stays the same object)."""
    key = (id(op), place, name)
    held = _autocast_checked_ops.get(key)
    if held is None:
        from .autocast_state import autocast_wrapper  # cycle: autocast_state -> tensor -> registry
        held = _autocast_checked_ops[key] = (op, autocast_wrapper(
            op, autocast_key(place, name), binary=name in ("__matmul__", "__rmatmul__")))
    return held[1]


def declaring_module(place, name):
    """The module (absolute name) whose import declares place.name, or None."""
    module = DECLARED_IN[place].get(name)
    return None if module is None else "tshell.core" + module


def indexed_names(place):
    """Every name declared for place, loaded or not (op_index.py)."""
    return DECLARED_IN[place].keys()


def load_declaring_modules(place):
    """Import every module that declares a name of place (the whole of torch.linalg...)."""
    for module in sorted(set(DECLARED_IN[place].values())):
        importlib.import_module("tshell.core" + module)


def load_declared(place, name) -> bool:
    """Import the module declaring place.name; whether there is one."""
    module = declaring_module(place, name)
    if module is not None:
        importlib.import_module(module)
    return module is not None


def declarations_since(count):
    """The declarations made after the first `count`, as (place, name, object, property)."""
    return [declaration[:4] for declaration in _EXPORTS[count:]]


def declaration_count():
    return len(_EXPORTS)


# PyTorch's argument parser (python_arg_parser.cpp, numpy_compatibility_arg_names) takes
# NumPy's names for four parameters of every op it binds, torch.NAME and Tensor.NAME alike:
# torch.sum(x, axis=0), x.mean(axis=0, keepdims=True), torch.add(x1=a, x2=b). The ops
# PyTorch writes in Python (torch/functional.py, torch/_tensor.py) and torch.nn.functional's
# do not. Sizes given as `*size` take size= as a keyword (torch.randn(size=(2, 3))).
# A method's input is its tensor, never a keyword: Tensor's methods take no alias of it
# (and so the core's own calls of x.t(), x.view(...), x.relu() stay unwrapped: those run
# many times per training step).
NUMPY_NAMES = {
    "torch": {"axis": "dim", "keepdims": "keepdim", "x": "input", "a": "input",
              "x1": "input", "x2": "other"},
    "Tensor": {"axis": "dim", "keepdims": "keepdim", "x2": "other"},
}
PYTHON_IMPLEMENTED = frozenset((
    "atleast_1d", "atleast_2d", "atleast_3d", "block_diag", "broadcast_tensors",
    "cartesian_prod", "cdist", "chain_matmul", "einsum", "istft", "lu", "meshgrid", "norm",
    "pca_lowrank", "split", "stft", "svd_lowrank", "tensordot", "unique", "unique_consecutive",
    "unravel_index", "unflatten"))
_numpy_named = {}   # (id(op), place) -> (op, its wrapper): one wrapper per op and place
# Names of an op's *args that PyTorch's bindings also take by keyword, as one sequence:
# torch.randn(size=(2, 3)), x.reshape(shape=(2, 3)), x.permute(dims=(1, 0)).
_VAR_KEYWORDS = frozenset(("size", "shape", "dims", "repeats"))
# The parameter names some NumPy spelling stands for, per place: an op with none of them (and
# no *size) needs no wrapper.
_RENAMED = {place: frozenset(names.values()) for place, names in NUMPY_NAMES.items()}
# The keywords a wrapper looks at, per place: a call with none of them runs op directly.
_SPELLINGS = {place: frozenset(names) | _VAR_KEYWORDS for place, names in NUMPY_NAMES.items()}


def numpy_named(op, place):
    """op, or a wrapper that renames the NumPy spellings of op's parameters it has."""
    key = (id(op), place)
    held = _numpy_named.get(key)
    if held is None:
        held = _numpy_named[key] = (op, _renaming_wrapper(op, place))
    return held[1]


def _renaming_wrapper(op, place):
    """The wrapper is made at import for a thousand ops; which keywords it renames is
    worked out at its first call with one of them (_renames), not here: start-up time."""
    code = getattr(op, "__code__", None)
    if not isinstance(op, types.FunctionType) or code is None:
        return op
    if _RENAMED[place].isdisjoint(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]) \
            and _var_keyword(code) is None:
        return op
    spelled = _SPELLINGS[place]

    def call(*args, **kwargs):
        if kwargs and not spelled.isdisjoint(kwargs):     # (the rare call: renamed here)
            args = _renamed(op, place, args, kwargs)
        return op(*args, **kwargs)
    return _wraps(call, op)


def _wraps(wrapper, op):
    """functools.update_wrapper(wrapper, op) for a function op, written out: a third of the
    time of its loop over attribute names, paid for ~600 ops at import."""
    wrapper.__module__, wrapper.__name__ = op.__module__, op.__name__
    wrapper.__qualname__, wrapper.__doc__ = op.__qualname__, op.__doc__
    wrapper.__annotations__ = op.__annotations__
    wrapper.__dict__.update(op.__dict__)
    wrapper.__wrapped__ = op
    return wrapper


def _var_keyword(code):
    """The keyword a function's *args may be given by (`size` for `*size`), or None."""
    if not code.co_flags & 0x04:
        return None
    name = code.co_varnames[code.co_argcount + code.co_kwonlyargcount]
    return name if name in _VAR_KEYWORDS else None


_renames_of = {}   # (op, place) -> ({alias: parameter}, the keyword of its *args or None)


def _renames(op, place):
    held = _renames_of.get((op, place))
    if held is None:
        code = op.__code__
        params = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
        renames = {alias: name for alias, name in NUMPY_NAMES[place].items()
                   if name in params and alias not in params}
        held = _renames_of[(op, place)] = (renames, _var_keyword(code))
    return held


def _renamed(op, place, args, kwargs):
    """args, with kwargs renamed in place from NumPy's spellings to op's own."""
    renames, var_keyword = _renames(op, place)
    for alias in renames.keys() & kwargs.keys():
        name = renames[alias]
        if name in kwargs:
            raise TypeError(f"{op.__name__}() got an unexpected keyword argument '{alias}'")
        kwargs[name] = kwargs.pop(alias)
    if var_keyword in kwargs:
        args = _var_args_by_keyword(op, args, var_keyword, kwargs.pop(var_keyword))
    return args


def _var_args_by_keyword(op, args, keyword, value):
    """op's args with its *args given by keyword as one sequence (PyTorch's binding rules:
    the sequence follows the other positional arguments)."""
    code = op.__code__
    if len(args) > code.co_argcount:
        raise TypeError(f"{op.__name__}() got multiple values for argument '{keyword}'")
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{op.__name__}(): argument '{keyword}' must be tuple of ints, not "
                        f"{type(value).__name__}")
    return (*args, value)


def _where(obj):
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', obj)!s}"


def declared():
    """Every declaration as (place, name, object), every declaring module imported first:
    for tests and docs."""
    for place in PLACES:
        load_declaring_modules(place)
    return [(place, name, obj) for place, name, obj, _, _ in _EXPORTS]
