"""functools as tsh programs see it.

Python's versions hand out host objects with reach (update_wrapper sets `__wrapped__` and
copies `__dict__`; a singledispatch function's `registry` is a mappingproxy; cached_property
holds a lock) or run C loops a program could make endless (`reduce(gcd, count())`). Here:
- partial is a subclass of Python's, printed as functools.partial; lru_cache and cache wrap
  Python's C cache in an object exposing cache_info/cache_clear/cache_parameters, and check
  the depth of tuple arguments before the cache hashes them;
- reduce takes its iterable a chunk at a time (Ctrl-C between chunks);
- wraps/update_wrapper copy only the name and qualified name onto a tsh function;
- total_ordering changes only classes the program made (never tshell's or Python's);
- callables that wrap callables (partial, lru_cache) record how deep they are nested, as
  iterators do (deep_values): a call through 200 000 of them would overflow the C stack.
"""

from __future__ import annotations

import functools as ft
import types

from .. import guards, sandbox
from ..functions import TshFunction
from ..deep_values import MAX_NESTING, NESTED, check_key, depth_of, too_deep
from ..sandbox import Namespace
from ..typeview import GUARDED_TYPES, ClassName
from . import collections as standin_collections
from ._classes import ShownClass, builtin, is_program_class

HOST_CALLABLES = ()

WRAPPER_ASSIGNMENTS = ft.WRAPPER_ASSIGNMENTS
WRAPPER_UPDATES = ft.WRAPPER_UPDATES


def _nesting(wrapped, what: str) -> int:
    depth = 1 + depth_of(wrapped)
    if depth > MAX_NESTING:
        raise too_deep(f"nesting {what} objects")
    return depth


# ---------------------------------------------------------------------- reduce
def reduce(*args, **kwargs):
    """reduce(function, iterable[, initial]) -> value

    Apply a function of two arguments cumulatively to the items of a sequence or
    iterable, from left to right, so as to reduce the iterable to a single value."""
    if kwargs or not 2 <= len(args) <= 3:
        return ft.reduce(*args, **kwargs)                 # Python's message
    function, iterable = args[:2]
    try:
        iterator = iter(iterable)
    except TypeError:
        raise TypeError("reduce() arg 2 must support iteration") from None
    chunks = guards.chunks(iterator)
    first = next(chunks, [])
    value = ft.reduce(function, first, *args[2:])     # the empty-iterable error, if any
    for chunk in chunks:
        value = ft.reduce(function, chunk, value)
    return value


# ---------------------------------------------------------------------- partial
class partial(ft.partial, metaclass=ShownClass):
    """partial(func, *args, **keywords) - new function with partial application of the
    given arguments and keywords."""

    __slots__ = ("_nesting",)

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls, *args, **kwargs)     # a partial's partial is flattened
        self._nesting = _nesting(self.func, "functools.partial")
        return self

    def __repr__(self):
        guards.check_text(self.args)
        guards.check_text(self.keywords)
        parts = [repr(self.func), *map(repr, self.args),
                 *(f"{k}={v!r}" for k, v in self.keywords.items())]
        return f"functools.partial({', '.join(parts)})"


class partialmethod(metaclass=ShownClass):
    """Method descriptor with partial application of the given arguments and keywords."""

    __slots__ = ("func", "args", "keywords")

    def __init__(self, func, /, *args, **keywords):
        if not callable(func) and not hasattr(func, "__get__"):
            raise TypeError(f"{func!r} is not callable or a descriptor")
        if isinstance(func, partialmethod):             # flattened, as in Python
            func, args, keywords = func.func, func.args + args, {**func.keywords, **keywords}
        self.func, self.args, self.keywords = func, args, keywords

    def __repr__(self):
        parts = [repr(self.func), *map(repr, self.args),
                 *(f"{k}={v!r}" for k, v in self.keywords.items())]
        return f"functools.partialmethod({', '.join(parts)})"

    def __get__(self, obj, cls=None):
        get = getattr(type(self.func), "__get__", None)
        if get is not None:
            bound = get(self.func, obj, cls)
            if bound is not self.func:
                return partial(bound, *self.args, **self.keywords)
        if obj is None:
            return self
        return partial(self.func, obj, *self.args, **self.keywords)


# ---------------------------------------------------------------------- caches
CacheInfo = standin_collections.namedtuple("CacheInfo", ["hits", "misses", "maxsize",
                                                         "currsize"], module="functools")
CacheInfo.__module__ = __name__           # one class for every program: not a program's


class _lru_cache_wrapper(metaclass=ShownClass):
    """A function with Python's C cache in front of it (what lru_cache and cache give)."""

    __slots__ = ("_cached", "_function", "_maxsize", "_typed", "_nesting")

    def __init__(self, user_function, maxsize, typed):
        self._nesting = _nesting(user_function, "functools.lru_cache")
        self._function = user_function
        self._cached = ft._lru_cache_wrapper(user_function, maxsize, typed, CacheInfo)
        self._maxsize, self._typed = maxsize, typed

    def __call__(self, *args, **kwargs):
        for value in args:
            check_key(value)                   # the cache hashes its arguments in C
        for value in kwargs.values():
            check_key(value)
        return self._cached(*args, **kwargs)

    def __get__(self, obj, cls=None):         # a cached method binds as a function does
        return self if obj is None else types.MethodType(self, obj)

    def cache_info(self):
        """Report cache statistics"""
        return self._cached.cache_info()

    def cache_clear(self):
        """Clear the cache and cache statistics"""
        self._cached.cache_clear()

    def cache_parameters(self):
        return {"maxsize": self._maxsize, "typed": self._typed}


def lru_cache(maxsize=128, typed=False):
    """Least-recently-used cache decorator (Python's C cache): lru_cache(f),
    lru_cache(maxsize=None)(f), lru_cache(32, typed=True)(f)."""
    if isinstance(maxsize, int):
        maxsize = max(maxsize, 0)
    elif callable(maxsize) and isinstance(typed, bool):
        return _lru_cache_wrapper(maxsize, 128, typed)
    elif maxsize is not None:
        raise TypeError("Expected first argument to be an integer, a callable, or None")

    def decorating_function(user_function):
        return _lru_cache_wrapper(user_function, maxsize, typed)
    return decorating_function


def cache(user_function, /):
    """Simple lightweight unbounded cache.  Sometimes called "memoize"."""
    return _lru_cache_wrapper(user_function, None, False)


class cached_property(metaclass=ShownClass):
    """A property computed once per instance and then kept in the instance's attributes
    (for tsh classes); Python's, without its lock."""

    __slots__ = ("func", "attrname")

    def __init__(self, func):
        self.func, self.attrname = func, None

    def __set_name__(self, owner, name):
        if self.attrname is None:
            self.attrname = name
        elif name != self.attrname:
            raise TypeError("Cannot assign the same cached_property to two different names "
                            f"({self.attrname!r} and {name!r}).")

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.attrname is None:
            raise TypeError("Cannot use cached_property instance without calling "
                            "__set_name__ on it.")
        try:
            cache = instance.__dict__
        except AttributeError:
            raise TypeError(f"No '__dict__' attribute on {type(instance).__name__!r} instance "
                            f"to cache {self.attrname!r} property.") from None
        if self.attrname in cache:
            return cache[self.attrname]
        value = cache[self.attrname] = self.func(instance)
        return value


# ---------------------------------------------------------------------- wrappers
def _names_of(wrapped) -> tuple:
    """(name, qualname) of a function a program holds, or Nones."""
    if type(wrapped) is TshFunction:
        return wrapped.name, wrapped.qualname
    if type(wrapped) is _lru_cache_wrapper:
        return _names_of(wrapped._function)
    name = getattr(wrapped, "__name__", None)
    qualname = getattr(wrapped, "__qualname__", None)
    return (name if isinstance(name, str) else None,
            qualname if isinstance(qualname, str) else None)


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Update a wrapper function (a tsh function) to look like the wrapped function: its
    name and qualified name, nothing else (no __wrapped__, no __dict__)."""
    assigned = guards.materialize(assigned)
    guards.materialize(updated)
    if type(wrapper) is TshFunction:
        name, qualname = _names_of(wrapped)
        if name is not None and "__name__" in assigned:
            wrapper.name = name
        if qualname is not None and "__qualname__" in assigned:
            wrapper.qualname = qualname
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Decorator factory to apply update_wrapper() to a wrapper function."""
    return partial(update_wrapper, wrapped=wrapped, assigned=assigned, updated=updated)


# ---------------------------------------------------------------------- ordering
def _derived(root: str, name: str, negate: bool, tie: str | None):
    """An ordering method made from the class's `root` one, as functools writes them."""
    def method(self, other):
        result = getattr(type(self), root)(self, other)
        if result is NotImplemented:
            return result
        result = not result if negate else result
        if tie == "or ==":
            return result or self == other
        if tie == "and !=":
            return result and self != other
        return result
    method.__name__ = method.__qualname__ = name
    return method


# root -> [(derived method, negate the root's result, tie rule)], from functools._convert
_CONVERT = {
    "__lt__": [("__gt__", True, "and !="), ("__le__", False, "or =="), ("__ge__", True, None)],
    "__le__": [("__ge__", True, "or =="), ("__lt__", False, "and !="), ("__gt__", True, None)],
    "__gt__": [("__lt__", True, "and !="), ("__ge__", False, "or =="), ("__le__", True, None)],
    "__ge__": [("__le__", True, "or =="), ("__gt__", False, "and !="), ("__lt__", True, None)],
}


def total_ordering(cls):
    """Class decorator that fills in missing ordering methods (of a class the program
    defined: tshell's and Python's own classes are not changed)."""
    if not is_program_class(cls):
        raise TypeError("total_ordering() can only change a class the program defined, not "
                        f"{cls!r}")
    roots = {op for op in _CONVERT if getattr(cls, op, None) is not getattr(object, op, None)}
    if not roots:
        raise ValueError("must define at least one ordering operation: < > <= >=")
    root = max(roots)                          # prefer __lt__ to __le__ to __gt__ to __ge__
    for name, negate, tie in _CONVERT[root]:
        if name not in roots:
            setattr(cls, name, _derived(root, name, negate, tie))
    return cls


class KeyWrapper(metaclass=ShownClass):
    """What cmp_to_key gives: a key function for sorted(), whose keys compare with cmp."""

    __slots__ = ("_cmp", "obj")
    __hash__ = None

    def __init__(self, cmp, obj=None):
        self._cmp, self.obj = cmp, obj

    def __call__(self, obj):
        return KeyWrapper(self._cmp, obj)

    def _compare(self, other) -> int:
        if type(other) is not KeyWrapper:
            raise TypeError("other argument must be K instance")
        return self._cmp(self.obj, other.obj)

    def __lt__(self, other):
        return self._compare(other) < 0

    def __le__(self, other):
        return self._compare(other) <= 0

    def __gt__(self, other):
        return self._compare(other) > 0

    def __ge__(self, other):
        return self._compare(other) >= 0

    def __eq__(self, other):
        return self._compare(other) == 0


def cmp_to_key(mycmp):
    """Convert a cmp= function into a key= function."""
    return KeyWrapper(mycmp)


# ---------------------------------------------------------------------- single dispatch
def _real_class(cls):
    """tsh's `list`, `dict`... and type()'s stand-ins (type(None)) are shown for Python's
    classes: dispatch on the real ones."""
    if isinstance(cls, ClassName) and len(cls.kinds) == 1:
        return cls.kinds[0]
    for real, shown in GUARDED_TYPES.items():
        if shown is cls and isinstance(real, type):
            return real
    return cls


class SingleDispatchFunction(metaclass=ShownClass):
    """What singledispatch(func) gives: func, and the functions registered for classes."""

    __slots__ = ("_registry", "_name")

    def __init__(self, func):
        self._registry = {object: func}
        self._name = _names_of(func)[0] or "singledispatch function"

    def register(self, cls, func=None):
        """register(cls, func) or @register(cls): func handles arguments of class cls."""
        if func is None:
            if not isinstance(cls, type) and not isinstance(cls, ClassName):
                raise TypeError(f"Invalid first argument to `register()`. {cls!r} is not a "
                                "class or union type. Use either `@register(some_class)` "
                                "or `register(some_class, func)` in tsh (annotations are "
                                "not evaluated).")
            return lambda f: self.register(cls, f)
        self._registry[_real_class(cls)] = func
        return func

    def dispatch(self, cls):
        """The function registered for cls (or for its nearest base)."""
        cls = _real_class(cls)
        if not isinstance(cls, type):
            # Python's words (its dispatch cache is keyed by weak references to classes)
            raise TypeError(f"cannot create weak reference to '{sandbox.type_name(cls)}' "
                            "object")
        return ft._find_impl(cls, self._registry)

    @property
    def registry(self):
        return dict(self._registry)

    def __call__(self, *args, **kwargs):
        if not args:
            raise TypeError(f"{self._name} requires at least 1 positional argument")
        return self.dispatch(args[0].__class__)(*args, **kwargs)


def singledispatch(func):
    """Single-dispatch generic function decorator."""
    return SingleDispatchFunction(func)


class singledispatchmethod(metaclass=ShownClass):
    """Single-dispatch generic method descriptor (dispatches on the first argument after
    self)."""

    __slots__ = ("dispatcher", "func")

    def __init__(self, func):
        if not callable(func) and not hasattr(func, "__get__"):
            raise TypeError(f"{func!r} is not callable or a descriptor")
        self.dispatcher, self.func = SingleDispatchFunction(func), func

    def register(self, cls, method=None):
        return self.dispatcher.register(cls, method)

    def __get__(self, obj, cls=None):
        dispatcher = self.dispatcher

        def method(*args, **kwargs):
            impl = dispatcher.dispatch(args[0].__class__)
            get = getattr(type(impl), "__get__", None)
            return (get(impl, obj, cls) if get is not None else impl)(*args, **kwargs)
        return method


# ---------------------------------------------------------------------- the namespace
NESTED.update((partial, _lru_cache_wrapper))
for _cls, _names in {partial: "func args keywords", partialmethod: "func args keywords",
                     _lru_cache_wrapper: "cache_info cache_clear cache_parameters",
                     cached_property: "func attrname", KeyWrapper: "obj",
                     SingleDispatchFunction: "register dispatch registry",
                     singledispatchmethod: "register dispatcher func"}.items():
    sandbox.register(_cls, _names.split())


def namespace() -> Namespace:
    return Namespace("functools", {
        "reduce": builtin(reduce), "cmp_to_key": builtin(cmp_to_key), "partial": partial,
        "partialmethod": partialmethod, "lru_cache": lru_cache, "cache": cache,
        "cached_property": cached_property, "wraps": wraps, "update_wrapper": update_wrapper,
        "total_ordering": total_ordering, "singledispatch": singledispatch,
        "singledispatchmethod": singledispatchmethod,
        "WRAPPER_ASSIGNMENTS": WRAPPER_ASSIGNMENTS, "WRAPPER_UPDATES": WRAPPER_UPDATES})
