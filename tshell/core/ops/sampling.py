"""In-place samplers beyond random.py's (uniform_, normal_, exponential_, bernoulli_):
random_, cauchy_, geometric_, log_normal_, and Tensor.bernoulli. They draw on the host from
the generator (random.py's, so manual_seed and generator= work alike) and write through
copy_, which makes PyTorch's in-place checks (a leaf that requires grad, overlapping
memory). Their draws are PyTorch's CPU kernels' (random_kernels.py).

Imported after random.py (ops/__init__.py lists it after dropout, which imports random).
"""
from __future__ import annotations

import numpy as np

from .. import random_kernels as kernels
from ..dtypes import FLOATING, TYPEMETA_NAMES, bool_
from ..random import _rng, bernoulli, fill_in_order
from ..registry import export
from .inplace import check_no_overlap

export("Tensor")(bernoulli)

# The integers a floating dtype holds exactly: random_()'s range is [0, 2**digits].
_MANTISSA_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}


def _fill_with(self, generator, draw):
    """self filled with draw(engine, n), n values in memory order: an expanded view
    (overlapping memory) is refused before anything is drawn for its elements."""
    check_no_overlap(self)
    if self.is_meta:                        # no data, nothing drawn (PyTorch's meta kernels)
        return self
    return fill_in_order(self, lambda shape: draw(_rng(generator), self.numel())
                         .reshape(shape).astype(self.dtype.np))


def _continuous(self, name):
    """PyTorch's error for a continuous distribution asked of an integer or bool tensor."""
    if self.dtype.category != FLOATING:
        raise RuntimeError(f"{name} distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{TYPEMETA_NAMES[self.dtype.name]}")


def _float_kernel(self, kernel):
    if self.dtype.category != FLOATING:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{self.dtype.short}\'')


@export("Tensor")
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fill in place with Cauchy(median, sigma) samples."""
    _continuous(self, "Cauchy")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma:g}")
    return _fill_with(self, generator,
                      lambda engine, n: kernels.cauchy(engine, n, median, sigma))


@export("Tensor")
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill in place with samples whose logarithm is Normal(mean, std)."""
    _float_kernel(self, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    return _fill_with(self, generator,
                      lambda engine, n: kernels.log_normal(engine, n, mean, std))


@export("Tensor")
def geometric_(self, p, *, generator=None):
    """Fill in place with the number of Bernoulli(p) trials up to the first success (>= 1)."""
    if self.dtype is bool_:
        raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    return _fill_with(self, generator, lambda engine, n: kernels.geometric(engine, n, p))


_NO_TO = object()     # random_(5) means to=5; random_(5, None) means from=5 to the top


@export("Tensor")
def random_(self, from_=None, to=_NO_TO, *, generator=None, **kwargs):
    """Fill in place with integers uniform in [from, to): random_() covers [0, 2**digits] of a
    floating dtype (the integers it holds exactly) or [0, max] of an integer one,
    random_(to) is [0, to), random_(from, None) is [from, top]."""
    from_ = kwargs.pop("from", from_)         # PyTorch's keyword is Python's `from`
    if kwargs:
        raise TypeError(f"random_() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if to is _NO_TO:
        to = None
        if from_ is not None:
            from_, to = 0, from_
    low = 0 if from_ is None else int(from_)
    high = _top(self) + 1 if to is None else int(to)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    if self.dtype.category != FLOATING:
        _check_bounds(self, low, high)
    name = self.dtype.name
    if from_ is None and to is None:
        return _fill_with(self, generator,
                          lambda engine, n: kernels.random_default(engine, n, name))
    if to is None and low == -(1 << 63) and name in ("int64", "float64", "float32",
                                                     "bfloat16"):
        return _fill_with(self, generator, kernels.random_full_range)
    return _fill_with(self, generator, lambda engine, n: kernels.random_from_to(
        engine, n, high - low, low, name))


def _top(t):
    """random_()'s largest value for t's dtype."""
    if t.dtype is bool_:
        return 1
    if t.dtype.category == FLOATING:
        return 1 << _MANTISSA_DIGITS.get(t.dtype.name, 53)
    return int(np.iinfo(t.dtype.np).max)


def _check_bounds(t, low, high):
    if t.dtype is bool_:
        lo, hi = 0, 1
    else:
        info = np.iinfo(t.dtype.np)
        lo, hi = int(info.min), int(info.max)
    name = TYPEMETA_NAMES[t.dtype.name]
    if not lo <= low <= hi:
        raise RuntimeError(f"from is out of bounds for {name}")
    if not lo <= high - 1 <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")
