"""copy as tsh programs see it: copy() and deepcopy() by an explicit table of the kinds of value a
program holds.

Python's copy module falls back on the pickle protocol: `__reduce_ex__` builds an object from
parts (`cls.__new__(cls)`, then its `__dict__` updated with any names, or `__setstate__`
called), for any class, tshell's internals included. Here a value is copied only if it is
- immutable (numbers, strings, ranges, classes, functions, torch dtypes/devices/sizes): itself;
- a container (list, dict, set, tuple, bytearray, the collections stand-ins, namedtuples),
  copied item by item;
- a tensor, as PyTorch copies one (copy: the same memory; deepcopy: a leaf's data and grad);
- an instance of a class the program made (a tsh class, a dataclass): its `__copy__` /
  `__deepcopy__` if the class defines them, else a new instance with its attributes copied;
  so is a library nn.Module (its parameters, buffers, submodules and hooks, each by this
  table), as Python copies one (`best_model = copy.deepcopy(model)`);
- an object of tshell's that defines `__copy__`/`__deepcopy__` itself (random.Random...).
Anything else is Python's "cannot pickle 'X' object" TypeError. deepcopy refuses values
nested deeper than deep_values.MAX_NESTING (tsh's RecursionError), before Python's stack.
"""

from __future__ import annotations

import collections as co
import sys
import types

from tshell import core

from .. import runtime, sandbox
from ..functions import TshFunction
from ..typeview import ClassName
from ..deep_values import MAX_NESTING, too_deep
from ..sandbox import Namespace
from . import collections as standin_collections
from ._classes import ShownClass, is_program_class

HOST_CALLABLES = ()

NON_LEAF_DEEPCOPY = (
    "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol "
    "at the moment.  If you were attempting to deepcopy a module, this may be because of a "
    "torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001")

IMMUTABLE = {type(None), int, float, bool, complex, str, bytes, range, slice, frozenset,
             type(Ellipsis), type(NotImplemented), TshFunction, types.BuiltinFunctionType,
             types.FunctionType, types.MethodType, types.BuiltinMethodType,
             core.dtype, core.device, core.Size}
DICTS = (dict, co.OrderedDict, standin_collections.OrderedDict, standin_collections.Counter)


class Error(Exception, metaclass=ShownClass):
    """What Python's copy module raises for some values it cannot copy."""


def _cannot(x) -> TypeError:
    if type(x) is sandbox.Namespace:
        return TypeError("cannot pickle 'module' object")
    return TypeError(f"cannot pickle '{sandbox.type_name(x)}' object")


def _is_immutable(x) -> bool:
    cls = type(x)
    return (cls in IMMUTABLE or isinstance(x, (type, ClassName))
            or runtime.GUARDED_TYPES.get(cls) is runtime.BUILTIN_FUNCTION)


def _own_method(cls: type, name: str):
    """cls's `name` method if the program's class or tshell's class itself defines it."""
    method = getattr(cls, name, None)
    if method is None:
        return None
    if is_program_class(cls) or cls.__module__.startswith("tshell."):
        return method
    return None


def _namedtuple(x) -> bool:
    return isinstance(x, tuple) and type(x) in runtime.NAMEABLE and hasattr(x, "_fields")


# ---------------------------------------------------------------------- copy
def copy(x):
    """Shallow copy operation on arbitrary Python objects."""
    cls = type(x)
    if _is_immutable(x) or cls is tuple:
        return x
    if _namedtuple(x):
        return cls(*x)                           # a new one, as Python's pickle protocol
    if cls in (list, set, bytearray):
        return cls(x)
    if cls is dict or cls is co.OrderedDict:
        return x.copy()
    if isinstance(x, core.Tensor) and cls is core.Tensor:
        y = x.detach()
        y.requires_grad = x.requires_grad
        return y
    method = _own_method(cls, "__copy__")
    if method is not None:
        return method(x)
    if cls.__module__ == standin_collections.__name__:
        return x.copy()
    if is_program_class(cls) or _is_library_module(x):
        return _instance(x, lambda v: v)
    raise _cannot(x)


def _is_library_module(x) -> bool:
    """An nn.Module of tshell's (nn is loaded once a program has made one)."""
    nn = sys.modules.get("tshell.core.nn")
    return nn is not None and isinstance(x, nn.Module)


def _instance(x, copy_item, memo=None):
    """A new instance of a program's class with x's attributes (and items) copied."""
    cls = type(x)
    try:
        state = x.__dict__
    except AttributeError:
        raise _cannot(x) from None
    y = cls.__new__(cls)
    if memo is not None:
        memo[id(x)] = y
    y.__dict__.update(copy_item(state))
    if isinstance(x, list):
        y.extend(copy_item(v) for v in x)
    elif isinstance(x, dict):
        for k, v in x.items():
            y[copy_item(k)] = copy_item(v)
    return y


# ---------------------------------------------------------------------- deepcopy
def deepcopy(x, memo=None):
    """Deep copy operation on arbitrary Python objects."""
    if memo is None:
        memo = {}
    elif type(memo) is not dict:
        raise TypeError(f"deepcopy() memo must be a dict, not {sandbox.type_name(memo)}")
    return _Deep(memo).copy(x, 0)


class _Deep:
    """One deepcopy: the memo (id -> copy) and the originals it keeps alive."""

    __slots__ = ("memo", "kept")

    def __init__(self, memo: dict):
        self.memo, self.kept = memo, memo.setdefault(id(memo), [])

    def copy(self, x, depth: int):
        if depth > MAX_NESTING:
            raise too_deep("copying a value")
        key = id(x)
        if key in self.memo:
            return self.memo[key]
        y = self._copy(x, depth + 1)
        if y is not x:
            self.memo[key] = y
            self.kept.append(x)
        return y

    def _copy(self, x, depth):
        cls, memo = type(x), self.memo
        if _is_immutable(x):
            return x
        if cls is list:
            y = memo[id(x)] = []
            y.extend(self.copy(v, depth) for v in x)
            return y
        if cls is tuple or _namedtuple(x):
            items = [self.copy(v, depth) for v in x]
            if id(x) in memo:                      # a cycle through x, copied meanwhile
                return memo[id(x)]
            if cls is not tuple:
                return cls(*items)
            return x if all(a is b for a, b in zip(items, x)) else tuple(items)
        if cls in DICTS or cls is standin_collections.defaultdict:
            y = memo[id(x)] = cls(x.default_factory) if cls is \
                standin_collections.defaultdict else cls()
            for k, v in x.items():
                y[self.copy(k, depth)] = self.copy(v, depth)
            return y
        if cls is set or cls is bytearray:
            return cls(self.copy(v, depth) for v in x)
        if cls is standin_collections.deque:
            y = memo[id(x)] = cls(maxlen=x.maxlen)
            y.extend(self.copy(v, depth) for v in x)
            return y
        if cls is core.Tensor:
            return self._tensor(x, depth)
        method = _own_method(cls, "__deepcopy__")
        if method is not None:
            return method(x, memo)
        if is_program_class(cls) or _is_library_module(x):
            return _instance(x, lambda v: self.copy(v, depth), memo)
        raise _cannot(x)

    def _tensor(self, x, depth):
        """PyTorch's Tensor.__deepcopy__: a leaf's data, requires_grad and grad."""
        if x.requires_grad and not x.is_leaf:
            raise RuntimeError(NON_LEAF_DEEPCOPY)
        with core.no_grad():
            y = x.detach().clone()
        y.requires_grad = x.requires_grad
        self.memo[id(x)] = y
        if x.is_leaf and x.grad is not None:
            y.grad = self.copy(x.grad, depth)
        return y


def namespace() -> Namespace:
    return Namespace("copy", {"copy": copy, "deepcopy": deepcopy, "Error": Error,
                              "error": Error})
