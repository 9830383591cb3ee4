"""collections as tsh programs see it: OrderedDict, defaultdict, Counter and deque are
subclasses of Python's, namedtuple makes classes whose fields programs can read.

Python's methods of these classes that take an iterable run a C loop over it (`deque(count())`,
`Counter(repeat(1))`, `od.update(zip(count(), count()))`) and hash what they get (a tuple nested
200 000 deep kills the process). The subclasses read iterables a chunk at a time within the
memory cap (guards: Ctrl-C is noticed between chunks) and check tuple keys' depth first
(deep_values.check_key), as tsh's own dict does; each operation that makes a new object of
its class (Counter's `+`, `od | other`) gives one of these classes, never Python's.
"""

from __future__ import annotations

import collections as co
import collections.abc as abc

from .. import guards, runtime, sandbox
from ..deep_values import check_key
from ..safe_builtins import bounded
from ..sandbox import Namespace
from . import itertools as its
from ._classes import MadeClass, ShownClass, bind

HOST_CALLABLES = ()

# A dict entry made from an iterator: its slot in the table, the key and the value objects.
ENTRY = 3 * guards.OBJECT
# namedtuple writes a function with one parameter per field and compiles it: about 12 us a
# field of C time that Ctrl-C cannot interrupt.
MAX_FIELDS = guards.CHUNK


def check_keys(items) -> None:
    """Refuse tuples nested too deep among items about to be hashed (set(map(type, ...)) is a
    C loop: only a chunk holding tuples is walked in Python)."""
    if any(issubclass(t, tuple) for t in set(map(type, items))):
        for item in items:
            check_key(item)


def _check_entries(d: dict, what: str) -> None:
    if len(d) * ENTRY > guards.cap():
        raise guards.too_big(f"{what} of {len(d)} entries", len(d) * ENTRY)


def _pairs(args: tuple) -> tuple:
    """dict(...)'s positional argument: an iterable of pairs is read within the cap."""
    if len(args) == 1 and not isinstance(args[0], dict) and not hasattr(args[0], "keys"):
        return (guards.dict_items(args[0]),)
    return args


class CheckedKeys:
    """The dict methods that read an iterable, within the cap and with keys checked (their
    C versions would loop without end); the methods that hash one key are checked at the
    sandbox's door instead (`KEYED`), so that the classes' own stay C's: Counter's C fast
    path counts only into a dict whose `get` is dict.get."""

    __slots__ = ()

    def update(self, *args, **kwargs):
        super().update(*_pairs(args), **kwargs)

    def __ior__(self, other):
        self.update(other)
        return self

    @classmethod
    def fromkeys(cls, iterable, value=None, /):
        keys = guards.materialize(iterable)
        check_keys(keys)
        return super().fromkeys(keys, value)


KEYED = ("get", "pop", "setdefault", "move_to_end")


def _checked_key(method: str):
    """A sandbox rewrite: obj.method for a program, its first argument checked."""
    def rewrite(obj):
        real = getattr(obj, method)

        def call(*args, **kwargs):
            if args:
                check_key(args[0])
            return real(*args, **kwargs)
        call.__name__ = call.__qualname__ = method
        return call
    return rewrite


# ---------------------------------------------------------------------- OrderedDict
class OrderedDict(CheckedKeys, co.OrderedDict, metaclass=ShownClass):
    __doc__ = co.OrderedDict.__doc__

    def __init__(self, *args, **kwargs):
        super().__init__(*_pairs(args), **kwargs)


# ---------------------------------------------------------------------- defaultdict
class defaultdict(CheckedKeys, co.defaultdict, metaclass=ShownClass):
    __doc__ = co.defaultdict.__doc__

    def __init__(self, *args, **kwargs):
        super().__init__(*args[:1], *_pairs(args[1:]), **kwargs)


# ---------------------------------------------------------------------- Counter
class Counter(CheckedKeys, co.Counter, metaclass=ShownClass):
    __doc__ = co.Counter.__doc__

    def update(self, iterable=None, /, **kwds):
        if iterable is not None and not isinstance(iterable, abc.Mapping):
            # a value in memory goes to the C loop at once (as tsh's sum does); an iterator
            # a chunk at a time
            for chunk in [iterable] if bounded(iterable) else guards.chunks(iterable):
                check_keys(chunk)
                co.Counter.update(self, chunk)     # a C loop over one chunk
                _check_entries(self, "a Counter")
            iterable = None
        co.Counter.update(self, iterable, **kwds)

    def subtract(self, iterable=None, /, **kwds):
        if iterable is not None and not isinstance(iterable, abc.Mapping):
            for chunk in guards.chunks(iterable):
                check_keys(chunk)
                co.Counter.subtract(self, chunk)
                _check_entries(self, "a Counter")
            iterable = None
        co.Counter.subtract(self, iterable, **kwds)

    def elements(self):
        """Iterator over elements repeating each as many times as its count."""
        return its.chain.from_iterable(its.starmap(its.repeat, self.items()))

    def _mine(self, result):
        """Python's Counter operators make a collections.Counter: this class's instead."""
        if result is NotImplemented:
            return result
        out = Counter()
        dict.update(out, result)
        return out

    def __add__(self, other):
        return self._mine(co.Counter.__add__(self, other))

    def __sub__(self, other):
        return self._mine(co.Counter.__sub__(self, other))

    def __or__(self, other):
        return self._mine(co.Counter.__or__(self, other))

    def __and__(self, other):
        return self._mine(co.Counter.__and__(self, other))

    def __pos__(self):
        return self._mine(co.Counter.__pos__(self))

    def __neg__(self):
        return self._mine(co.Counter.__neg__(self))

    def __ior__(self, other):               # Counter's own |= (a maximum), not dict's
        return co.Counter.__ior__(self, other)


# ---------------------------------------------------------------------- deque
class deque(co.deque, metaclass=ShownClass):
    __slots__ = ()
    __doc__ = co.deque.__doc__

    def __init__(self, *args, **kwargs):
        bound = bind(args, kwargs, ("iterable", "maxlen"), ((), None))
        if bound is None:
            return super().__init__(*args, **kwargs)      # Python's message
        super().__init__((), bound[1])
        self.extend(bound[0])

    def _check_length(self, n: int) -> None:
        if self.maxlen is None and n * guards.POINTER > guards.cap():
            raise guards.too_big(f"a deque of {n} items", n * guards.POINTER)

    def _extend(self, iterable, add) -> None:
        if iterable is self:
            iterable = list(iterable)
        try:
            n = len(iterable)
        except TypeError:
            n = -1
        if n >= 0 and (self.maxlen is None or n <= guards.CHUNK):
            self._check_length(len(self) + n)     # a sized iterable: a bounded C loop
            add(iterable)
            return
        for chunk in guards.chunks(iterable):    # even with a maxlen: a C loop without end
            self._check_length(len(self) + len(chunk))
            add(chunk)

    def extend(self, iterable, /):
        self._extend(iterable, super().extend)

    def extendleft(self, iterable, /):
        self._extend(iterable, super().extendleft)

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __add__(self, other):
        if isinstance(other, co.deque):
            self._check_length(len(self) + len(other))
        return super().__add__(other)

    def _check_repeat(self, n) -> None:
        if isinstance(n, int) and n > 1:
            self._check_length(len(self) * n)

    def __mul__(self, n):
        self._check_repeat(n)
        return super().__mul__(n)

    __rmul__ = __mul__

    def __imul__(self, n):
        self._check_repeat(n)
        return super().__imul__(n)

    def __repr__(self):
        guards.check_text(list(self))
        return super().__repr__()


# ---------------------------------------------------------------------- namedtuple
def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """Returns a new subclass of tuple with named fields (Python's, made by
    collections.namedtuple); the sandbox lets programs read its fields, count and index."""
    if isinstance(field_names, str):
        if len(field_names) > MAX_FIELDS * 8:
            raise ValueError(f"namedtuple() with more than {MAX_FIELDS} fields is not "
                             "supported in tsh")
        field_names = field_names.replace(",", " ").split()
    else:
        field_names = list(map(str, guards.materialize(field_names)))
    if len(field_names) > MAX_FIELDS:
        raise ValueError(f"namedtuple() with more than {MAX_FIELDS} fields is not supported "
                         "in tsh")
    if defaults is not None:
        defaults = tuple(guards.materialize(defaults))
    made = co.namedtuple(typename, field_names, rename=rename, defaults=defaults,
                         module="__main__")
    namespace = dict(made.__dict__)
    namespace.update(__module__=__name__, _module="__main__" if module is None else module)
    cls = MadeClass(made.__name__, (tuple,), namespace)
    sandbox.register(cls, [n for n in (*cls._fields, "count", "index") if n[:1] != "_"])
    runtime.NAMEABLE.add(cls)              # type(p) is P, as in Python
    return cls


# ---------------------------------------------------------------------- the namespace
DICT_ATTRIBUTES = sandbox.GET_RULES[dict]
CLASS_ATTRIBUTES = {
    OrderedDict: DICT_ATTRIBUTES | {"move_to_end"},
    defaultdict: DICT_ATTRIBUTES | {"default_factory"},
    Counter: DICT_ATTRIBUTES | {"most_common", "elements", "subtract", "total"},
    deque: frozenset("append appendleft clear copy count extend extendleft index insert pop "
                     "popleft remove reverse rotate maxlen".split()),
}


for _cls, _names in CLASS_ATTRIBUTES.items():
    sandbox.register(_cls, _names, ("default_factory",) if _cls is defaultdict else ())
    for _method in KEYED:
        if _method in _names:
            sandbox.REWRITES[(_cls, _method)] = _checked_key(_method)


def namespace() -> Namespace:
    return Namespace("collections", {"OrderedDict": OrderedDict, "defaultdict": defaultdict,
                                     "Counter": Counter, "deque": deque,
                                     "namedtuple": namedtuple})
