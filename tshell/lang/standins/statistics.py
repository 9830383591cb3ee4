"""statistics as tsh programs see it: Python's functions (pure Python, on numbers), given their
data through the guards: Python's read iterators with list() in C (`mean(count())` would never
end) and hash items in C (mode of tuples nested 200 000 deep). Their errors come out as this
module's StatisticsError, their LinearRegression as a namedtuple of tshell's, and NormalDist is
a class of tshell's around Python's, so that no host class reaches a program.
"""

from __future__ import annotations

import functools
import statistics

from .. import guards, sandbox
from ..sandbox import Namespace
from . import collections as standin_collections
from ._classes import ShownClass

HOST_CALLABLES = ()


class StatisticsError(ValueError, metaclass=ShownClass):
    """statistics' error (a ValueError)."""

LinearRegression = standin_collections.namedtuple("LinearRegression", ["slope", "intercept"],
                                                  module="statistics")
LinearRegression.__module__ = __name__          # one class for every program

# function -> how many leading positional arguments are data; keyword arguments that are data
DATA_ARGUMENTS = {
    "mean": 1, "fmean": 2, "geometric_mean": 1, "harmonic_mean": 2, "median": 1,
    "median_low": 1, "median_high": 1, "median_grouped": 1, "mode": 1, "multimode": 1,
    "quantiles": 1, "pstdev": 1, "pvariance": 1, "stdev": 1, "variance": 1, "covariance": 2,
    "correlation": 2, "linear_regression": 2,
}
DATA_KEYWORDS = ("data", "weights")
HASHING = ("mode", "multimode")


def _checked(name: str):
    python = getattr(statistics, name)
    count = DATA_ARGUMENTS[name]

    def function(*args, **kwargs):
        args = tuple(guards.materialize(a) if i < count else a for i, a in enumerate(args))
        kwargs = {k: guards.materialize(v) if k in DATA_KEYWORDS and v is not None else v
                  for k, v in kwargs.items()}
        if name in HASHING and args:
            standin_collections.check_keys(args[0])
        n = kwargs.get("n")
        if name == "quantiles" and isinstance(n, int) and n * guards.OBJECT > guards.cap():
            raise guards.too_big(f"quantiles(n={n})", n * guards.OBJECT)
        result = _translated(python, *args, **kwargs)
        if name == "linear_regression":
            return LinearRegression(*result)
        return result
    return functools.update_wrapper(function, python, ("__name__", "__qualname__", "__doc__"),
                                    updated=())


def _translated(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except statistics.StatisticsError as e:
        raise StatisticsError(*e.args) from None


class NormalDist(metaclass=ShownClass):
    """Normal distribution of a random variable: NormalDist(mu=0.0, sigma=1.0)."""

    __slots__ = ("_nd",)

    def __init__(self, mu=0.0, sigma=1.0):
        self._nd = _translated(statistics.NormalDist, mu, sigma)

    def __repr__(self):
        return repr(self._nd)

    mean = property(lambda self: self._nd.mean)
    median = property(lambda self: self._nd.median)
    mode = property(lambda self: self._nd.mode)
    stdev = property(lambda self: self._nd.stdev)
    variance = property(lambda self: self._nd.variance)

    def samples(self, n, *, seed=None):
        """Generate *n* samples for a given mean and standard deviation."""
        if isinstance(n, int) and n * guards.OBJECT > guards.cap():
            raise guards.too_big(f"samples({n})", n * guards.OBJECT)
        return self._nd.samples(n, seed=seed)

    def pdf(self, x):
        return _translated(self._nd.pdf, x)

    def cdf(self, x):
        return _translated(self._nd.cdf, x)

    def inv_cdf(self, p):
        return _translated(self._nd.inv_cdf, p)

    def quantiles(self, n=4):
        if isinstance(n, int) and n * guards.OBJECT > guards.cap():
            raise guards.too_big(f"quantiles({n})", n * guards.OBJECT)
        return self._nd.quantiles(n)

    def overlap(self, other):
        if type(other) is not NormalDist:
            raise TypeError("Expected another NormalDist instance")
        return _translated(self._nd.overlap, other._nd)

    def zscore(self, x):
        return _translated(self._nd.zscore, x)

    def __eq__(self, other):
        return type(other) is NormalDist and self._nd == other._nd

    def __hash__(self):
        return hash(self._nd)

    def __pos__(self):
        return _wrap(+self._nd)

    def __neg__(self):
        return _wrap(-self._nd)


def _wrap(nd) -> NormalDist:
    out = object.__new__(NormalDist)
    out._nd = nd
    return out


def _arithmetic(name: str):
    python = getattr(statistics.NormalDist, name)

    def op(self, other):
        other = other._nd if type(other) is NormalDist else other
        result = python(self._nd, other)
        return result if result is NotImplemented else _wrap(result)
    op.__name__ = name
    return op


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__"):
    setattr(NormalDist, _name, _arithmetic(_name))

sandbox.register(NormalDist, ("mean median mode stdev variance samples pdf cdf inv_cdf "
                              "quantiles overlap zscore").split())


def namespace() -> Namespace:
    members = {name: _checked(name) for name in DATA_ARGUMENTS}
    members.update(NormalDist=NormalDist, StatisticsError=StatisticsError)
    return Namespace("statistics", members)
