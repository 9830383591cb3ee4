"""In-place samplers beyond random.py's (uniform_, normal_, exponential_, bernoulli_):
random_, cauchy_, geometric_, log_normal_, and Tensor.bernoulli. They draw on the host from
the generator (random.py's, so manual_seed and generator= work alike) and write through
copy_, which makes PyTorch's in-place checks (a leaf that requires grad, overlapping
memory). Values differ from PyTorch's generator; ranges and distributions match.

Imported after random.py (ops/__init__.py lists it after dropout, which imports random).
"""
from __future__ import annotations

import numpy as np

from ..dtypes import FLOATING, TYPEMETA_NAMES, bool_
from ..random import _host_tensor, _rng, bernoulli
from ..registry import export
from .inplace import check_no_overlap

export("Tensor")(bernoulli)

# The integers a floating dtype holds exactly: random_()'s range is [0, 2**digits].
_MANTISSA_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}


def _fill_with(self, generator, draw):
    """self filled with draw(rng, shape): an expanded view (overlapping memory) is refused
    before anything is drawn for its elements."""
    check_no_overlap(self)
    if self.is_meta:                        # no data, nothing drawn (PyTorch's meta kernels)
        return self
    return self.copy_(_host_tensor(draw(_rng(generator), self.shape)))


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
                      lambda rng, shape: median + sigma * rng.standard_cauchy(shape))


@export("Tensor")
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill in place with samples whose logarithm is Normal(mean, std)."""
    _float_kernel(self, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
    return _fill_with(self, generator,
                      lambda rng, shape: np.exp(mean + std * rng.standard_normal(shape)))


@export("Tensor")
def geometric_(self, p, *, generator=None):
    """Fill in place with the number of Bernoulli(p) trials up to the first success (>= 1)."""
    if self.dtype is bool_:
        raise NotImplementedError("\"geometric_cpu\" not implemented for 'Bool'")
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    return _fill_with(self, generator, lambda rng, shape: rng.geometric(p, shape))


@export("Tensor")
def random_(self, from_=None, to=None, *, generator=None, **kwargs):
    """Fill in place with integers uniform in [from, to): random_() covers [0, 2**digits] of a
    floating dtype (the integers it holds exactly) or [0, max] of an integer one,
    random_(to) is [0, to)."""
    from_ = kwargs.pop("from", from_)         # PyTorch's keyword is Python's `from`
    if kwargs:
        raise TypeError(f"random_() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if from_ is not None and to is None:
        from_, to = 0, from_
    low = 0 if from_ is None else int(from_)
    high = _top(self) + 1 if to is None else int(to)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    if self.dtype.category != FLOATING:
        _check_bounds(self, low, high)
    return _fill_with(self, generator, lambda rng, shape: _integers(rng, low, high, shape)
                      .astype(self.dtype.np))


def _integers(rng, low, high, shape):
    """Uniform integers in [low, high); high may be 2**63 (int64's random_())."""
    return rng.integers(low, high - 1, shape, dtype=np.int64, endpoint=True)


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
