"""bisect as tsh programs see it: Python's C searches (pure: they compare the sequence's
items with x, or their keys), and insort written here: Python's calls `a.insert` with a
plain getattr on anything but a list, where tshell reads it through the sandbox."""

from __future__ import annotations

import bisect as py_bisect

from .. import sandbox
from ..sandbox import Namespace
from ._classes import builtin

SEARCHES = ("bisect", "bisect_left", "bisect_right")
HOST_CALLABLES = tuple(getattr(py_bisect, name) for name in SEARCHES)


def _insert(a, i, x) -> None:
    if type(a) is list:
        a.insert(i, x)
    else:
        sandbox.get_attribute(a, "insert")(i, x)


def insort_right(a, x, lo=0, hi=None, *, key=None):
    """Insert item x in list a, and keep it sorted assuming a is sorted (after any equal
    items)."""
    found = key(x) if key is not None else x
    i = py_bisect.bisect_right(a, found, lo, len(a) if hi is None else hi, key=key)
    _insert(a, i, x)


def insort_left(a, x, lo=0, hi=None, *, key=None):
    """Insert item x in list a, and keep it sorted assuming a is sorted (before any equal
    items)."""
    found = key(x) if key is not None else x
    i = py_bisect.bisect_left(a, found, lo, len(a) if hi is None else hi, key=key)
    _insert(a, i, x)


def namespace() -> Namespace:
    insort = builtin(insort_right)                 # one function under two names, as Python
    return Namespace("bisect", {**{name: getattr(py_bisect, name) for name in SEARCHES},
                                "insort": insort, "insort_right": insort,
                                "insort_left": builtin(insort_left)})
