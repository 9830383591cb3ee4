"""operator as tsh programs see it: every function of Python's module.

Those that are only an operator on their arguments are Python's own (HOST_CALLABLES); those
whose operator tsh guards are the guarded forms tsh's own operators use (`mul`, `pow`,
`lshift`, `add`, `concat`, `mod` and their in-place forms, `ior`, `contains`); those that
loop over an iterable in C (`countOf`, `indexOf`) take it a chunk at a time; those that hash
a key check its depth first. attrgetter and methodcaller read attributes through the sandbox's door
(Python's call getattr: `attrgetter('__class__')` would reach what `x.__class__` may not).
"""

from __future__ import annotations

import operator as op

from .. import guards, safe_builtins, sandbox
from ..deep_values import check_key
from ..sandbox import Namespace
from ._classes import ShownClass, builtin

PLAIN = ("abs and_ call eq floordiv ge gt iand ifloordiv imatmul index inv invert "
         "irshift is_ is_not isub itruediv ixor le length_hint lt matmul ne neg not_ or_ pos "
         "rshift sub truediv truth xor").split()
HOST_CALLABLES = tuple(getattr(op, name) for name in PLAIN)


def _fixed_arity(name: str, fn, count: int):
    """fn(*args) with the C function's messages for a wrong number of arguments."""
    def checked(*args, **kwargs):
        if kwargs:
            raise TypeError(f"{name}() takes no keyword arguments")
        if len(args) != count:
            raise TypeError(f"{name} expected {count} arguments, got {len(args)}")
        return fn(*args)
    checked.__name__ = checked.__qualname__ = name
    checked.__doc__ = getattr(op, name).__doc__
    checked.__wrapped__ = getattr(op, name)           # help() shows the C signature
    return builtin(checked)


def _is_sequence(a) -> bool:
    return hasattr(type(a), "__getitem__")


def concat(a, b):
    if not _is_sequence(a):
        return op.concat(a, b)                            # Python's message
    guards.check_concat(a, b)
    return op.concat(a, b)


def iconcat(a, b):
    if a.__class__ is list and _is_sequence(b):
        return guards.iadd(a, b)
    if _is_sequence(a):
        guards.check_concat(a, b)
    return op.iconcat(a, b)


def _chunks(a):
    try:
        return guards.chunks(iter(a))
    except TypeError:
        raise TypeError(f"argument of type '{sandbox.type_name(a)}' is not iterable") from None


def countOf(a, b):
    if safe_builtins.bounded(a):
        return op.countOf(a, b)
    return sum(chunk.count(b) for chunk in _chunks(a))


def indexOf(a, b):
    if safe_builtins.bounded(a):
        return op.indexOf(a, b)
    offset = 0
    for chunk in _chunks(a):
        for i, item in enumerate(chunk):
            if item is b or item == b:
                return offset + i
        offset += len(chunk)
    raise ValueError("sequence.index(x): x not in sequence")


def getitem(a, b):
    if isinstance(a, dict):
        check_key(b)
    return a[b]


def setitem(a, b, c):
    if isinstance(a, dict):
        check_key(b)
    a[b] = c


def delitem(a, b):
    if isinstance(a, dict):
        check_key(b)
    del a[b]


GUARDED = {"add": guards.add, "mul": guards.mul, "pow": guards.pow, "lshift": guards.lshift,
           "mod": guards.mod, "iadd": guards.iadd, "imul": guards.imul, "ipow": guards.ipow,
           "ilshift": guards.ilshift, "imod": guards.imod, "ior": guards.ior, "concat": concat,
           "iconcat": iconcat, "countOf": countOf, "indexOf": indexOf, "getitem": getitem,
           "delitem": delitem, "contains": safe_builtins.contains}


# ---------------------------------------------------------------------- getters
def _single_argument(name: str, args: tuple, kwargs: dict):
    if kwargs:
        raise TypeError(f"{name}() takes no keyword arguments")
    if len(args) != 1:
        raise TypeError(f"{name} expected 1 argument, got {len(args)}")
    return args[0]


def _arguments_text(values, keywords=None) -> str:
    guards.check_text(list(values))
    parts = [repr(v) for v in values]
    if keywords:
        guards.check_text(keywords)
        parts += [f"{k}={v!r}" for k, v in keywords.items()]
    return ", ".join(parts)


class attrgetter(metaclass=ShownClass):
    """attrgetter(attr, ...) --> a callable reading the given attribute(s) of its argument
    (dotted names follow several), through the sandbox as `obj.name` does."""

    __slots__ = ("_names", "_paths")

    def __init__(self, *names):
        if not names:
            raise TypeError("attrgetter expected 1 argument, got 0")
        if not all(isinstance(n, str) for n in names):
            raise TypeError("attribute name must be a string")
        self._names, self._paths = names, tuple(tuple(n.split(".")) for n in names)

    def __call__(self, *args, **kwargs):
        obj = _single_argument("attrgetter", args, kwargs)
        values = []
        for path in self._paths:
            value = obj
            for name in path:
                value = sandbox.get_attribute(value, name)
            values.append(value)
        return values[0] if len(values) == 1 else tuple(values)

    def __repr__(self):
        return f"operator.attrgetter({_arguments_text(self._names)})"


class itemgetter(metaclass=ShownClass):
    """itemgetter(item, ...) --> a callable taking the given item(s) of its argument (with
    Python's C itemgetter when no item is a tuple, whose depth a dict would hash)."""

    __slots__ = ("_items", "_fast")

    def __init__(self, *items):
        if not items:
            raise TypeError("itemgetter expected 1 argument, got 0")
        self._items = items
        self._fast = None if any(isinstance(i, tuple) for i in items) else op.itemgetter(*items)

    def __call__(self, *args, **kwargs):
        if self._fast is not None and len(args) == 1 and not kwargs:
            return self._fast(args[0])
        obj = _single_argument("itemgetter", args, kwargs)
        values = [getitem(obj, item) for item in self._items]
        return values[0] if len(values) == 1 else tuple(values)

    def __repr__(self):
        return f"operator.itemgetter({_arguments_text(self._items)})"


class methodcaller(metaclass=ShownClass):
    """methodcaller(name, /, *args, **kwargs) --> a callable calling the named method of its
    argument, read through the sandbox as `obj.name(...)` is."""

    __slots__ = ("_name", "_args", "_kwargs")

    def __init__(self, *args, **kwargs):
        if not args:
            raise TypeError("methodcaller needs at least one argument, the method name")
        name, args = args[0], args[1:]
        if not isinstance(name, str):
            raise TypeError("method name must be a string")
        self._name, self._args, self._kwargs = name, args, kwargs

    def __call__(self, *args, **kwargs):
        obj = _single_argument("methodcaller", args, kwargs)
        return sandbox.get_attribute(obj, self._name)(*self._args, **self._kwargs)

    def __repr__(self):
        text = _arguments_text((self._name, *self._args), self._kwargs)
        return f"operator.methodcaller({text})"


def namespace() -> Namespace:
    members = {name: getattr(op, name) for name in PLAIN}
    members.update({name: _fixed_arity(name, fn, 2) for name, fn in GUARDED.items()})
    members.update(setitem=_fixed_arity("setitem", setitem, 3), attrgetter=attrgetter,
                   itemgetter=itemgetter, methodcaller=methodcaller)
    return Namespace("operator", members)
