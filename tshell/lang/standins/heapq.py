"""heapq as tsh programs see it: Python's C heap functions on lists (pure: they compare
and move the list's items), and tshell's nlargest/nsmallest/merge around Python's, which
read an iterator one Python step per item (Python's nlargest(1, it) is `max(it)`, a C loop
Ctrl-C could not stop) and hand out no host generator."""

from __future__ import annotations

import heapq as py_heapq

from .. import guards
from ..sandbox import Namespace
from ._classes import ShownClass
from .itertools import Interruptible

C_FUNCTIONS = ("heappush", "heappop", "heapify", "heapreplace", "heappushpop")
HOST_CALLABLES = tuple(getattr(py_heapq, name) for name in C_FUNCTIONS)


def _stepwise(iterable):
    return iterable if isinstance(iterable, (list, tuple)) else Interruptible(iterable)


# Bytes per item kept: Python's heap holds a (value, order) or (key, order, value) tuple per
# item, or a sorted copy where n covers the data (and an iterator's items are new objects).
KEPT_ITEM = 3 * guards.OBJECT


def _within_cap(n, iterable):
    """iterable, once the min(n, its length) items nlargest/nsmallest keep are within the
    memory cap (nlargest(3 * 10**6, range(3 * 10**6)) grew a 64 MB-capped tshell by 414 MiB):
    an iterator without a length is read first, a chunk at a time, when n alone passes it."""
    if not isinstance(n, int) or n * KEPT_ITEM <= guards.cap():
        return _stepwise(iterable)
    if not hasattr(iterable, "__len__"):
        iterable = guards.materialize(iterable)
    kept = min(n, len(iterable))
    if kept * KEPT_ITEM > guards.cap():
        raise guards.too_big(f"keeping the {kept} items of nlargest/nsmallest",
                             kept * KEPT_ITEM)
    return _stepwise(iterable)


def nlargest(n, iterable, key=None):
    """Find the n largest elements in a dataset: sorted(iterable, key=key,
    reverse=True)[:n]."""
    return py_heapq.nlargest(n, _within_cap(n, iterable), key=key)


def nsmallest(n, iterable, key=None):
    """Find the n smallest elements in a dataset: sorted(iterable, key=key)[:n]."""
    return py_heapq.nsmallest(n, _within_cap(n, iterable), key=key)


class merge(metaclass=ShownClass):
    """Merge multiple sorted inputs into a single sorted output (an iterator)."""

    __slots__ = ("_merged",)

    def __init__(self, *iterables, key=None, reverse=False):
        self._merged = py_heapq.merge(*map(_stepwise, iterables), key=key, reverse=reverse)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._merged)

    def __repr__(self):
        return f"<generator object merge at {id(self):#x}>"


def namespace() -> Namespace:
    return Namespace("heapq", {**{name: getattr(py_heapq, name) for name in C_FUNCTIONS},
                               "nlargest": nlargest, "nsmallest": nsmallest, "merge": merge})
