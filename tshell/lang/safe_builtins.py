"""The Python built-ins that tsh code gets in a guarded form (runtime.PYTHON_BUILTINS).

CPython's own versions run loops in C that nothing interrupts and that grow without a check:
`sum([[0] * 1000] * 3000, [])` ignores Ctrl-C for over a minute, `dict(zip(range(10**12),
range(10**12)))` stops only when memory runs out. The versions here take iterators a chunk at
a time (guards.chunks), so that Ctrl-C and the memory cap are noticed between chunks; sized
values already in memory go straight to the C built-in. Each prints and is documented as the
built-in it replaces (runtime.as_builtin).
"""

from __future__ import annotations

import builtins as py
import itertools

from . import deep_values, guards, sandbox
from .classes import UnboundSuper
from .dunders import PROTOCOL_METHODS
from .namespace import Namespace
from .typeview import TSH_CLASSES

def _sorted(*args, key=None, reverse=False, **others):
    if len(args) != 1:                                   # Python's messages
        raise TypeError(f"sorted expected 1 argument, got {len(args)}")
    if others:
        raise TypeError(f"'{next(iter(others))}' is an invalid keyword argument for sort()")
    return py.sorted(guards.materialize(args[0]), key=key, reverse=reverse)


def _sorted_parameters(iterable, /, *, key=None, reverse=False):
    """What help(sorted) shows."""


def _pow(*args, **kwargs):
    """pow(base, exp[, mod]): two arguments are `base ** exp`, with its limit on integer
    results; three are modular (fast, no limit needed). Bad arguments: Python's messages."""
    bound = dict(zip(("base", "exp", "mod"), args))
    if len(args) <= 3 and set(kwargs) <= {"base", "exp", "mod"} \
            and not set(kwargs) & set(bound):
        bound.update(kwargs)
        if "base" in bound and "exp" in bound and bound.get("mod") is None:
            return guards.pow(bound["base"], bound["exp"])
    return py.pow(*args, **kwargs)


def _pow_parameters(base, exp, mod=None):
    """What help(pow) shows."""


def _int_text(fn, bits_per_digit: int):
    """bin/oct/hex refusing a string above the cap (an int made by repeated squaring)."""
    def text(*args, **kwargs):
        if len(args) == 1 and args[0].__class__ is int:
            digits = args[0].bit_length() // bits_per_digit
            if digits > guards.cap():
                raise guards.too_big(
                    f"{fn.__name__}() of an integer of {args[0].bit_length()} bits", digits)
        return fn(*args, **kwargs)
    return _like(text, fn, fn)


class callable_iterator:
    """iter(callable, sentinel): calls callable until it returns sentinel. Written in Python
    (CPython's is in C) so that Ctrl-C stops `sum(iter(int, 1))`; no public attributes."""

    __slots__ = ("_fn", "_sentinel")

    def __init__(self, fn, sentinel):
        self._fn, self._sentinel = fn, sentinel

    def __iter__(self):
        return self

    def __next__(self):
        fn = self._fn
        if fn is None:
            raise StopIteration
        value = fn()
        sentinel = self._sentinel
        if value is sentinel or sentinel == value:      # PyObject_RichCompareBool
            self._fn = self._sentinel = None
            raise StopIteration
        return value

    def __repr__(self):
        return f"<callable_iterator object at {id(self):#x}>"


callable_iterator.__module__ = "builtins"      # type(it) prints <class 'callable_iterator'>


def _iter(*args, **kwargs):
    if kwargs:
        raise TypeError("iter() takes no keyword arguments")
    if len(args) != 2 or not callable(args[0]):
        return py.iter(*args)          # one argument, or the running CPython's own error
    return callable_iterator(*args)


def _iter_parameters(object, sentinel=None, /):
    """What help(iter) shows."""


class _Exhausted(StopIteration, LookupError):
    """What next(it) raises at the end: a StopIteration (map, for loops and iter(f, s) stop on
    it, as on CPython's) that tsh reports as the program's error, not as a bug of tshell."""


_Exhausted.__name__ = _Exhausted.__qualname__ = "StopIteration"


def _next(*args, **kwargs):
    try:
        return py.next(*args, **kwargs)
    except StopIteration as e:
        if e.__class__ is StopIteration and len(args) == 1:
            raise _Exhausted(*e.args) from None
        raise


def _next_parameters(iterator, default=None, /):
    """What help(next) shows."""


class _GuardedType(type):
    """list / tuple as tsh sees them: calling one checks the size first; everything else
    (isinstance, ==, printing) behaves as the real class."""

    def __call__(cls, *args, **kwargs):
        if kwargs or len(args) > 1:                      # Python's messages
            name = cls.base.__name__
            raise TypeError(f"{name}() takes no keyword arguments" if kwargs else
                            f"{name} expected at most 1 argument, got {len(args)}")
        return cls.base(guards.materialize(args[0])) if args else cls.base()

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls.base)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, cls.base)

    def __eq__(cls, other):
        return other is cls.base or other is cls

    def __hash__(cls):
        return hash(cls.base)

    def __repr__(cls):
        return repr(cls.base)


class GuardedList(metaclass=_GuardedType):
    base = py.list


class GuardedTuple(metaclass=_GuardedType):
    base = py.tuple


# ---------------------------------------------------------------------- reductions
_IN_MEMORY = (list, tuple, dict, set, frozenset, str, bytes)


def bounded(iterable) -> bool:
    """Whether a C loop over iterable ends soon: it is a value already in memory."""
    return isinstance(iterable, _IN_MEMORY)


def _sum(*args, **kwargs):
    if not 1 <= len(args) <= 2 or set(kwargs) - {"start"} or len(args) + len(kwargs) > 2:
        return py.sum(*args, **kwargs)                      # CPython's own messages
    iterable, start = args[0], (args[1:] or [kwargs.get("start", 0)])[0]
    if isinstance(start, (str, bytes, bytearray)):
        return py.sum(iterable, start)
    if isinstance(start, (list, tuple)):
        return _join_sequences(iterable, start)
    if bounded(iterable):
        return py.sum(iterable, start)
    # One C sum over every item, fed a chunk at a time (Ctrl-C is noticed between chunks): a
    # sum per chunk would round at each chunk's end, where CPython 3.12+ carries its float
    # compensation through the whole sum.
    return py.sum(itertools.chain.from_iterable(guards.chunks(iterable)), start)


def _join_sequences(iterable, start):
    """sum(lists, []): one growing list instead of a new list per item (CPython's sum copies
    the total each time: quadratic, in C), with the cap checked as it grows."""
    total = start
    for item in iterable:
        guards.check_concat(total, item)
        if total is start or type(total) is not list or type(item) is not list:
            total = total + item          # Python's result type and TypeError messages
        else:
            total += item                 # total is this function's own list: extend it
    return total


def _sum_parameters(iterable, /, start=0):
    """What help(sum) shows."""


def _extreme(name: str):
    fn = getattr(py, name)

    def extreme(*args, **kwargs):
        if len(args) != 1 or bounded(args[0]) or set(kwargs) - {"key", "default"}:
            return fn(*args, **kwargs)           # several values, or Python's message
        missing = object()
        best = missing
        for chunk in guards.chunks(args[0]):
            if best is not missing:
                chunk.insert(0, best)            # the earlier winner wins ties, as in one call
            best = fn(chunk, key=kwargs.get("key"))
        if best is missing:
            return fn((), **kwargs)              # the default, or Python's empty-sequence error
        return best
    return _like(extreme, fn, fn)


def _truth_test(name: str):
    """any/all: item by item as CPython's, without reading past the deciding item."""
    fn = getattr(py, name)
    decisive = name == "any"

    def test(*args, **kwargs):
        if len(args) != 1 or kwargs or bounded(args[0]):
            return fn(*args, **kwargs)
        iterable = args[0]
        it = py.iter(iterable)
        end = object()
        while True:
            if fn(itertools.islice(it, guards.CHUNK)) is decisive:
                return decisive
            item = py.next(it, end)               # more, or the end of the iterator?
            if item is end:
                return not decisive
            if bool(item) is decisive:
                return decisive
    return _like(test, fn, fn)


def contains(container, item) -> bool:
    """`item in container`: iterators and non-int ranges are searched a chunk at a time."""
    if isinstance(container, (dict, set, frozenset)):
        deep_values.check_key(item)
    elif not bounded(container) and (type(container) is not range or type(item) is not int):
        if type(container) is range or hasattr(type(container), "__next__"):
            return _search(container, item)
    return item in container


def _search(iterable, item) -> bool:
    it = py.iter(iterable)
    end = object()
    while True:
        if item in itertools.islice(it, guards.CHUNK):
            return True
        nxt = py.next(it, end)
        if nxt is end:
            return False
        if nxt is item or nxt == item:
            return True


# ---------------------------------------------------------------------- hashing and text
def _hash(*args, **kwargs):
    if len(args) == 1:
        deep_values.check_key(args[0])
    return py.hash(*args, **kwargs)


def _repr(*args, **kwargs):
    if len(args) == 1:
        guards.check_text(args[0])
    return py.repr(*args, **kwargs)


class _GuardedDictType(_GuardedType):
    """dict as tsh sees it: its items are taken within the cap, and its keys checked."""

    def __call__(cls, *args, **kwargs):
        if len(args) > 1:
            raise TypeError(f"dict expected at most 1 argument, got {len(args)}")
        if args and not isinstance(args[0], dict) and not hasattr(args[0], "keys"):
            return py.dict(guards.dict_items(args[0]), **kwargs)
        return py.dict(*args, **kwargs)


class GuardedDict(metaclass=_GuardedDictType):
    base = py.dict


class _GuardedSetType(_GuardedType):
    """set / frozenset as tsh sees them: items taken within the cap, keys checked."""

    def __call__(cls, *args, **kwargs):
        if kwargs or len(args) > 1:
            name = cls.base.__name__
            raise TypeError(f"{name}() takes no keyword arguments" if kwargs else
                            f"{name} expected at most 1 argument, got {len(args)}")
        if not args:
            return cls.base()
        items = guards.materialize(args[0])
        for item in items:
            deep_values.check_key(item)
        return cls.base(items)


class GuardedSet(metaclass=_GuardedSetType):
    base = py.set


class GuardedFrozenset(metaclass=_GuardedSetType):
    base = py.frozenset


class _GuardedStrType(_GuardedType):
    """str as tsh sees it: str(x) of a container is size-checked first."""

    def __call__(cls, *args, **kwargs):
        if args:
            guards.check_text(args[0])
        return py.str(*args, **kwargs)


class GuardedStr(metaclass=_GuardedStrType):
    base = py.str


# ---------------------------------------------------------------------- attributes by name
def _getattr(*args):
    if len(args) not in (2, 3):
        return py.getattr(*args)                            # Python's message
    obj, name = args[:2]
    if not isinstance(name, str):
        raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
    try:
        return sandbox.get_attribute(obj, name)
    except AttributeError:
        if len(args) == 3:
            return args[2]
        raise


def _hasattr(obj, name, /):
    if not isinstance(name, str):
        raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
    if name in PROTOCOL_METHODS:    # whether obj supports a protocol (hasattr(x, '__len__')):
        return py.hasattr(obj, name)    # a fact len(x) or x + 1 would tell; nothing read out
    try:
        sandbox.get_attribute(obj, name)
    except AttributeError:
        return False
    return True


def _setattr(obj, name, value, /):
    if not isinstance(name, str):
        raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
    sandbox.set_attribute(obj, name, value)


def _delattr(obj, name, /):
    if not isinstance(name, str):
        raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
    sandbox.delete_attribute(obj, name)


def _dir(*args):
    """dir(obj): the attribute names a program may read on obj."""
    if len(args) != 1:
        raise TypeError(f"dir expected at most 1 argument, got {len(args)}" if args else
                        "dir() without an argument is not supported in tsh; pass a value")
    return sandbox.allowed_attributes(args[0])


def _vars(*args):
    """vars(obj): a copy of the public attributes of a program's own object."""
    if len(args) != 1:
        raise TypeError(f"vars expected at most 1 argument, got {len(args)}" if args else
                        "vars() without an argument is not supported in tsh; pass a value")
    obj = args[0]
    if isinstance(obj, Namespace):
        return dict(obj._members)
    own = py.getattr(obj, "__dict__", None) if sandbox.has_own_attributes(obj) else None
    if not isinstance(own, dict):
        raise TypeError("vars() argument must have __dict__ attribute")
    return {k: v for k, v in own.items() if isinstance(k, str) and not k.startswith("_")}


def _format(*args):
    if len(args) == 2 and isinstance(args[1], str):
        guards.check_widths(args[1])
    if args:
        guards.check_text(args[0])
    return py.format(*args)


def _super(*args):
    """super(cls, obj) for a class of the program's; super() alone works in a method (the
    compiler makes it)."""
    if not args:
        raise RuntimeError("super(): no arguments")
    if len(args) == 1 and args[0] in TSH_CLASSES:
        return UnboundSuper.of(args[0])
    if len(args) != 2 or args[0] not in TSH_CLASSES:
        raise TypeError("super() in tsh takes a class the program defined and an instance "
                        "of it: super(Class, self)")
    return py.super(*args)


def _getattr_parameters(object, name, default=None, /):
    """What help(getattr) shows."""


def _like(fn, original, parameters):
    """fn named and documented as Python's built-in `original`; help() shows parameters'
    signature (runtime.as_builtin makes it print as a built-in)."""
    fn.__name__ = fn.__qualname__ = original.__name__
    fn.__doc__ = original.__doc__
    fn.__wrapped__ = parameters
    return fn


def _repr_parameters(obj, /):
    """What help(repr) shows."""


def _hash_parameters(obj, /):
    """What help(hash) shows."""


_like(_sorted, py.sorted, _sorted_parameters)
_like(_next, py.next, _next_parameters)
_like(_iter, py.iter, _iter_parameters)
_like(_pow, py.pow, _pow_parameters)
_like(_sum, py.sum, _sum_parameters)
_like(_repr, py.repr, _repr_parameters)
_like(_hash, py.hash, _hash_parameters)
_like(_getattr, py.getattr, _getattr_parameters)
for _fn, _original in ((_hasattr, py.hasattr), (_setattr, py.setattr), (_delattr, py.delattr),
                       (_dir, py.dir), (_vars, py.vars), (_format, py.format)):
    _like(_fn, _original, _fn)

# The Python built-ins tsh code gets in place of the originals (runtime.PYTHON_BUILTINS).
BUILTINS = {"list": GuardedList, "tuple": GuardedTuple, "dict": GuardedDict, "str": GuardedStr,
            "set": GuardedSet, "frozenset": GuardedFrozenset, "getattr": _getattr,
            "hasattr": _hasattr, "setattr": _setattr, "delattr": _delattr, "dir": _dir,
            "vars": _vars, "format": _format, "super": _super,
            "sorted": _sorted, "pow": _pow, "iter": _iter, "next": _next, "sum": _sum,
            "min": _extreme("min"), "max": _extreme("max"), "any": _truth_test("any"),
            "all": _truth_test("all"), "repr": _repr, "hash": _hash,
            "bin": _int_text(py.bin, 1), "oct": _int_text(py.oct, 3),
            "hex": _int_text(py.hex, 4), **deep_values.ITERATORS}
# Those of BUILTINS that are functions written in Python: tsh shows them as built-ins.
PYTHON_WRITTEN = ("sorted", "pow", "iter", "next", "bin", "oct", "hex", "sum", "min", "max",
                  "any", "all", "repr", "hash", "getattr", "hasattr", "setattr", "delattr",
                  "dir", "vars", "format", "super")
