"""Depth limits for values that CPython walks recursively in C without a depth check.

Hashing a tuple hashes its items (`tuplehash`), and taking the next item of a `map`, `filter`,
`zip` or `enumerate` takes the next item of the iterator inside it: both recurse in C with no
recursion check, so `v = (v,)` or `m = map(f, m)` repeated 200 000 times and then hashed or
consumed overflows the C stack and kills the process. tsh refuses such depths with its
RecursionError instead:
- a tuple key is measured before it is hashed (`check_key`, at every place tsh code hashes);
- the iterator built-ins are subclasses that record how deep they are nested (`nested`), so
  that one nested too deeply is refused when it is made, not when it is consumed.
Repr, comparison and deallocation need nothing: CPython checks those itself.
"""

from __future__ import annotations

import builtins as py

from .errors import TshRecursionError

# As deep as CPython lets Python code recurse; far below what the C stack survives.
MAX_NESTING = 1000


def too_deep(what: str) -> TshRecursionError:
    return TshRecursionError(f"maximum recursion depth exceeded while {what} (values nested "
                             f"more than {MAX_NESTING} deep)")


def check_key(key) -> None:
    """Refuse to hash a tuple with tuples nested more than MAX_NESTING deep."""
    if isinstance(key, tuple):
        _check_tuple(key)


def _check_tuple(key: tuple) -> None:
    # Depth-first over the tuples inside; each distinct tuple is visited once, so a shared
    # subtree (`t = (t, t)` repeated) costs its size, not its size times its uses.
    seen: set = set()
    stack = [(key, 1)]
    while stack:
        t, depth = stack.pop()
        if depth > MAX_NESTING:
            raise too_deep("hashing a tuple")
        for item in t:
            if isinstance(item, tuple) and id(item) not in seen:
                seen.add(id(item))
                stack.append((item, depth + 1))


def depth_of(iterator) -> int:
    return getattr(iterator, "_nesting", 0) if type(iterator) in NESTED else 0


def nested(base: type, name: str, start: int, stop: int | None = None, keyword=None, *,
           module: str = "builtins", metaclass: type = type):
    """A subclass of the C iterator type `base` that knows its nesting depth.

    The positional arguments start:stop (and the keyword argument `keyword`) are the
    iterables it wraps. Iteration itself stays base's C code: nothing is added per item.
    A module stand-in's iterators (itertools.chain...) give their module and the metaclass
    that prints them as that module's.
    """
    def __new__(cls, *args, **kwargs):
        if keyword in kwargs and not args[start:stop]:
            args = (*args, kwargs.pop(keyword))
        if kwargs:            # base checks them itself (CPython 3.10 skips that for a subclass)
            base(*args, **kwargs)
        head, its, tail = args[:start], args[start:stop], args[stop:] if stop else ()
        try:
            its = tuple([py.iter(i) for i in its])
        except TypeError:
            return base.__new__(cls, *args, **kwargs)     # base's own message
        depth = 1 + py.max([depth_of(i) for i in its], default=0)
        if depth > MAX_NESTING:
            raise too_deep(f"nesting {name}() iterators")
        self = base.__new__(cls, *head, *its, *tail, **kwargs)
        self._nesting = depth
        return self

    cls = metaclass(name, (base,), {"__slots__": ("_nesting",), "__new__": __new__,
                                    "__doc__": base.__doc__, "__module__": module})
    NESTED.add(cls)
    return cls


NESTED: set = set()

# The iterator built-ins tsh code gets; isinstance(m, map) and type(m) print as in Python.
map = nested(py.map, "map", 1)
filter = nested(py.filter, "filter", 1, 2)
zip = nested(py.zip, "zip", 0)
enumerate = nested(py.enumerate, "enumerate", 0, 1, keyword="iterable")
ITERATORS = {"map": map, "filter": filter, "zip": zip, "enumerate": enumerate}
