"""itertools as tsh programs see it: Python's C iterators, each a subclass that knows how deeply
it is nested (deep_values), with every C loop a program can start bounded or interruptible.

- Nesting: taking the next item of `chain(chain(...))` recurses in C without a depth check,
  so 200 000 levels kill the process. Each iterator records its depth when it is made and
  refuses more than deep_values.MAX_NESTING (`nested`); the ones written here in Python (tee,
  batched) record theirs too. chain.from_iterable meets the iterables it chains only while
  it runs, so it counts how many of its kind are running inside each other instead.
- Endless C loops: dropwhile, filterfalse, compress and groupby skip items in C until one
  passes, and islice skips `start` items at once: over an endless C iterator
  (`dropwhile(bool, repeat(1))`) nothing would ever stop them. Their input passes through
  `Interruptible`, a Python step where Ctrl-C is noticed.
- Sizes: product, permutations and combinations read their whole input into tuples in C
  first; here it is read through guards.materialize (the memory cap, Ctrl-C), and the index
  arrays they make from `repeat` and `r` are checked against the cap.
"""

from __future__ import annotations

import itertools as it
import operator

from .. import guards, runtime, sandbox
from ..deep_values import MAX_NESTING, NESTED, depth_of, nested, too_deep
from ..sandbox import Namespace
from ..typeview import ClassName
from ._classes import ShownClass, bind, builtin

HOST_CALLABLES = ()


def _iterator(base: type, name: str, start: int, stop: int | None = None, keyword=None):
    return nested(base, name, start, stop, keyword, module=__name__, metaclass=ShownClass)


def _counted(cls: type) -> type:
    """A subclass of a nested iterator class is nested too (deep_values looks types up)."""
    NESTED.add(cls)
    return cls


class Interruptible(metaclass=ShownClass):
    """An iterator's items passed through one Python step each: Ctrl-C is noticed there while
    a C loop reads them. As deep as what it wraps (the iterator around it counts a level)."""

    __slots__ = ("_it", "_nesting")

    def __init__(self, iterable):
        self._it = iter(iterable)
        self._nesting = depth_of(self._it)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)


NESTED.add(Interruptible)


# ---------------------------------------------------------------------- endless sources
class count(it.count, metaclass=ShownClass):
    __slots__ = ()


class repeat(it.repeat, metaclass=ShownClass):
    __slots__ = ()


cycle = _iterator(it.cycle, "cycle", 0, 1)


# ---------------------------------------------------------------------- wrapping iterators
pairwise = _iterator(it.pairwise, "pairwise", 0, 1)
starmap = _iterator(it.starmap, "starmap", 1, 2)
takewhile = _iterator(it.takewhile, "takewhile", 1, 2)
zip_longest = _iterator(it.zip_longest, "zip_longest", 0)


@_counted
class accumulate(_iterator(it.accumulate, "accumulate", 0, 1, "iterable")):
    """accumulate(iterable, func=None, *, initial=None); the default sum is guards.add, so
    `accumulate(repeat(big_list))` stops at the memory cap."""

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        if len(args) == 1 and kwargs.get("func") is None:
            kwargs["func"] = guards.add
        elif len(args) >= 2 and args[1] is None:
            args = (args[0], guards.add, *args[2:])
        return super().__new__(cls, *args, **kwargs)


def _skipping(base: type, name: str, first: int):
    """A C iterator that may skip items without end: its iterable (positional argument
    `first`) is read through Interruptible."""
    parent = _iterator(base, name, first, first + 1)

    def __new__(cls, *args, **kwargs):
        if len(args) == first + 1 and not kwargs:
            args = (*args[:first], Interruptible(args[first]))
        return parent.__new__(cls, *args, **kwargs)       # base's message for the rest

    return _counted(ShownClass(name, (parent,), {"__slots__": (), "__new__": __new__,
                                                  "__doc__": base.__doc__,
                                                  "__module__": __name__}))


dropwhile = _skipping(it.dropwhile, "dropwhile", 1)
filterfalse = _skipping(it.filterfalse, "filterfalse", 1)


@_counted
class compress(_iterator(it.compress, "compress", 0, 2)):
    __slots__ = ()
    __doc__ = it.compress.__doc__

    def __new__(cls, *args, **kwargs):
        bound = bind(args, kwargs, ("data", "selectors"))
        if bound is None:
            return super().__new__(cls, *args, **kwargs)
        return super().__new__(cls, Interruptible(bound[0]), bound[1])


_Grouper = _iterator(it.islice, "_grouper", 0, 1)


@_counted
class groupby(_iterator(it.groupby, "groupby", 0, 1, "iterable")):
    """groupby(iterable, key=None): skipping the rest of a group is a C loop (Interruptible
    input), and each group is an iterator one level deeper than its groupby."""

    __slots__ = ()
    __doc__ = it.groupby.__doc__

    def __new__(cls, *args, **kwargs):
        bound = bind(args, kwargs, ("iterable", "key"), (None,))
        if bound is None:
            return super().__new__(cls, *args, **kwargs)
        return super().__new__(cls, Interruptible(bound[0]), bound[1])

    def __next__(self):
        key, group = it.groupby.__next__(self)
        grouper = _Grouper(group, None)
        grouper._nesting = self._nesting + 1
        return key, grouper


@_counted
class islice(_iterator(it.islice, "islice", 0, 1)):
    """islice(iterable, stop) / islice(iterable, start, stop[, step]): a start or step above
    guards.CHUNK is a C loop skipping that many items (Interruptible input)."""

    __slots__ = ()
    __doc__ = it.islice.__doc__

    def __new__(cls, *args, **kwargs):
        if 3 <= len(args) <= 4 and not kwargs:
            start, step = args[1], args[3] if len(args) == 4 else 1
            if any(isinstance(v, int) and v > guards.CHUNK for v in (start, step)):
                args = (Interruptible(args[0]), *args[1:])
        return super().__new__(cls, *args, **kwargs)


# ---------------------------------------------------------------------- chain
_Chain = _iterator(it.chain, "chain", 0)
_from_iterable = it.chain.__dict__["from_iterable"]
# chain.from_iterable objects running inside each other, at most: each can hide C iterators
# nested MAX_NESTING deep, and the C stack holds a few thousand such levels.
MAX_RUNNING_FROM_ITERABLE = 8
_running = [0]


@_counted
class chain(_Chain):
    """chain(*iterables) and chain.from_iterable(iterable)."""

    __slots__ = ()
    __doc__ = it.chain.__doc__

    @classmethod
    def from_iterable(cls, iterable, /):
        source = iter(iterable)
        depth = 1 + depth_of(source)
        if depth > MAX_NESTING:
            raise too_deep("nesting chain() iterators")
        self = _from_iterable.__get__(None, ChainFromIterable)(())
        self._source, self._current, self._nesting = source, None, depth
        return self


@_counted
class ChainFromIterable(chain):
    """chain.from_iterable(iterable): the iterables it chains are known only as it runs, so
    it is written in Python and refuses to run inside more than MAX_RUNNING_FROM_ITERABLE
    others; it reads its source one Python step per iterable (Ctrl-C)."""

    __slots__ = ("_source", "_current")

    def __next__(self):
        if _running[0] >= MAX_RUNNING_FROM_ITERABLE:
            raise too_deep("nesting chain.from_iterable() iterators")
        _running[0] += 1
        try:
            while True:
                current = self._current
                if current is not None:
                    for item in current:
                        return item
                    self._current = None
                self._current = iter(next(self._source))    # StopIteration: the end
        finally:
            _running[0] -= 1


ChainFromIterable.__name__ = ChainFromIterable.__qualname__ = "chain"


class ChainClass(ClassName):
    """What tsh code sees as itertools.chain: a class in every way a program can tell (it
    prints as one, makes chains, serves isinstance and is what type() gives), which also
    has the class attribute from_iterable (a real class exposes no attribute in tsh)."""

    __slots__ = ()

    def __call__(self, *iterables):
        return chain(*iterables)

    def from_iterable(self, iterable, /):
        return chain.from_iterable(iterable)


# ---------------------------------------------------------------------- tee
class _Link:
    """A cell of the buffer tee's iterators share: its value and the next cell (None while it
    is the end of what was read)."""

    __slots__ = ("value", "next")

    def __init__(self):
        self.next = None


class _tee(metaclass=ShownClass):
    """One of tee()'s iterators: where it is in the shared buffer, and the source."""

    __slots__ = ("_link", "_source", "_nesting")

    def __iter__(self):
        return self

    def __next__(self):
        link = self._link
        if link.next is None:
            link.value = next(self._source)
            link.next = _Link()
        self._link = link.next
        return link.value

    def __copy__(self):
        twin = object.__new__(_tee)
        twin._link, twin._source, twin._nesting = self._link, self._source, self._nesting
        return twin


NESTED.add(_tee)


def tee(iterable, n=2, /):
    """tee(iterable, n=2) --> tuple of n independent iterators."""
    n = operator.index(n)
    if n < 0:
        raise ValueError("n must be >= 0")
    if n * guards.OBJECT > guards.cap():
        raise guards.too_big(f"tee() of {n} iterators", n * guards.OBJECT)
    if n == 0:
        return ()
    if type(iterable) is _tee:
        first = iterable                 # its copies share its buffer, as in Python
    else:
        first = object.__new__(_tee)
        first._source = iter(iterable)
        first._link = _Link()
        first._nesting = 1 + depth_of(first._source)
        if first._nesting > MAX_NESTING:
            raise too_deep("nesting tee() iterators")
    return (first, *[first.__copy__() for _ in range(n - 1)])


# ---------------------------------------------------------------------- batched (3.12)
class batched(metaclass=ShownClass):
    """batched(iterable, n): tuples of n items (the last may be shorter), as in Python 3.12;
    each batch is read within the memory cap."""

    __slots__ = ("_it", "_n", "_nesting")

    def __new__(cls, iterable, n):
        n = operator.index(n)
        if n < 1:
            raise ValueError("n must be at least one")
        self = object.__new__(cls)
        self._it, self._n = iter(iterable), n
        self._nesting = 1 + depth_of(self._it)
        if self._nesting > MAX_NESTING:
            raise too_deep("nesting batched() iterators")
        return self

    def __iter__(self):
        return self

    def __next__(self):
        batch = tuple(guards.materialize(it.islice(self._it, self._n)))
        if not batch:
            raise StopIteration
        return batch


NESTED.add(batched)


# ---------------------------------------------------------------------- combinatorics
def _pool(iterable) -> tuple:
    return tuple(guards.materialize(iterable))


def _check_indices(n, what: str) -> None:
    """The C code allocates n indices (and tuples of n items): n within the cap."""
    if isinstance(n, int) and n * guards.POINTER > guards.cap():
        raise guards.too_big(f"{what} of {n} items", n * guards.POINTER)


class product(it.product, metaclass=ShownClass):
    __slots__ = ()
    __doc__ = it.product.__doc__

    def __new__(cls, *iterables, **kwargs):
        pools = tuple(_pool(i) for i in iterables)
        repeat = kwargs.get("repeat", 1)
        if isinstance(repeat, int):
            _check_indices(len(pools) * repeat, "product() tuples")
        return super().__new__(cls, *pools, **kwargs)


def _choosing(base: type, name: str):
    """permutations / combinations / combinations_with_replacement(iterable, r)."""
    optional = (None,) if base is it.permutations else ()

    def __new__(cls, *args, **kwargs):
        bound = bind(args, kwargs, ("iterable", "r"), optional)
        if bound is None:
            return base.__new__(cls, *args, **kwargs)    # Python's message
        pool, r = _pool(bound[0]), bound[1]
        _check_indices(r, f"{name}() tuples")
        return base.__new__(cls, pool, r) if r is not None or not optional else \
            base.__new__(cls, pool)

    return ShownClass(name, (base,), {"__slots__": (), "__new__": __new__,
                                      "__doc__": base.__doc__, "__module__": __name__})


permutations = _choosing(it.permutations, "permutations")
combinations = _choosing(it.combinations, "combinations")
combinations_with_replacement = _choosing(it.combinations_with_replacement,
                                          "combinations_with_replacement")


# ---------------------------------------------------------------------- the namespace
CLASSES = (count, cycle, repeat, accumulate, compress, dropwhile, filterfalse, groupby,
           islice, pairwise, starmap, takewhile, zip_longest, product, permutations,
           combinations, combinations_with_replacement, batched)


CHAIN = ChainClass("itertools.chain", (chain,), "<class 'itertools.chain'>")
runtime.GUARDED_TYPES.update({chain: CHAIN, ChainFromIterable: CHAIN,    # type(c) is chain
                              ChainClass: runtime.TYPE_OF_TYPE})
sandbox.DISPLAY_NAMES[ChainClass] = "type"
sandbox.register(ChainClass, ("from_iterable",))


def namespace() -> Namespace:
    members = {cls.__name__: cls for cls in CLASSES}
    members.update(chain=CHAIN, tee=builtin(tee))
    return Namespace("itertools", members)
