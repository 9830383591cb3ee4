"""heapq as tsh programs see it: Python's C heap functions on lists (pure: they compare
and move the list's items), and tshell's nlargest/nsmallest/merge around Python's, which
read an iterator one Python step per item (Python's nlargest(1, it) is `max(it)`, a C loop
Ctrl-C could not stop) and hand out no host generator."""

from __future__ import annotations

import heapq as py_heapq

from ..sandbox import Namespace
from ._classes import ShownClass
from .itertools import Interruptible

C_FUNCTIONS = ("heappush", "heappop", "heapify", "heapreplace", "heappushpop")
HOST_CALLABLES = tuple(getattr(py_heapq, name) for name in C_FUNCTIONS)


def _stepwise(iterable):
    return iterable if isinstance(iterable, (list, tuple)) else Interruptible(iterable)


def nlargest(n, iterable, key=None):
    """Find the n largest elements in a dataset: sorted(iterable, key=key,
    reverse=True)[:n]."""
    return py_heapq.nlargest(n, _stepwise(iterable), key=key)


def nsmallest(n, iterable, key=None):
    """Find the n smallest elements in a dataset: sorted(iterable, key=key)[:n]."""
    return py_heapq.nsmallest(n, _stepwise(iterable), key=key)


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
