"""tshell's own random generator (PCG64): manual_seed makes runs repeatable.

Values differ from PyTorch's generator by design; shapes, dtypes and distributions match.
"""
from __future__ import annotations

import numpy as np

from . import limits
from .dtypes import DEFAULTS, FLOATING, int64, require_available, to_dtype
from .ops.common import check_sizes_nonnegative, dense, parse_size
from .ops.creation import _finish
from .ops.inplace import check_no_overlap

DEFAULT_SEED = 67280421310721  # PyTorch's default seed: a fresh process is repeatable too


class Generator:
    """A seeded source of random numbers (torch.Generator)."""

    def __init__(self, device="cpu"):
        self.manual_seed(DEFAULT_SEED)

    def __repr__(self):
        return f"<torch._C.Generator object at {id(self):#x}>"

    def manual_seed(self, seed):
        self._seed = int(seed)
        self._rng = None  # made on first draw: numpy.random costs start-up time
        return self

    @property
    def rng(self):
        if self._rng is None:
            self._rng = np.random.Generator(np.random.PCG64(self._seed & ((1 << 64) - 1)))
        return self._rng

    def initial_seed(self):
        return self._seed

    def seed(self):
        s = int(np.random.SeedSequence().entropy) & ((1 << 63) - 1)
        self.manual_seed(s)
        return s


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator; returns it."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed(): argument 'seed' must be int, not {type(seed).__name__}")
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def _rng(generator):
    return (generator or default_generator).rng


def _float_dtype(dtype, fn):
    dt = require_available(to_dtype(dtype, fn=fn) or DEFAULTS.float_dtype)
    if dt.category != FLOATING:
        raise RuntimeError(f"\"check_uniform_bounds\" not implemented for '{dt.short}'")
    return dt


def _shape(size, fn):
    shape = parse_size(size, fn)
    check_sizes_nonnegative(shape)
    return shape


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples in [0, 1)."""
    shape = _shape(size, "rand")
    dt = _float_dtype(dtype, "rand")
    limits.check_result(shape, dt.itemsize)
    data = _rng(generator).random(shape, dtype=np.float64 if dt.itemsize == 8 else np.float32)
    return _finish(data.astype(dt.np, copy=False), device, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Standard normal samples."""
    shape = _shape(size, "randn")
    dt = _float_dtype(dtype, "randn")
    limits.check_result(shape, dt.itemsize)
    data = _rng(generator).standard_normal(
        shape, dtype=np.float64 if dt.itemsize == 8 else np.float32)
    return _finish(data.astype(dt.np, copy=False), device, requires_grad)


def randint(low, high=None, size=None, *, generator=None, out=None, dtype=None, layout=None,
            device=None, requires_grad=False):
    """Integers uniform in [low, high)."""
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if high is None:
        raise TypeError("randint() missing required argument 'size'")
    if size is None:
        raise TypeError("randint() received an invalid combination of arguments - got "
                        f"({low}, {high}) but expected (int low, int high, tuple of ints size)")
    shape = _shape((size,) if not isinstance(size, (tuple, list)) else (size,), "randint")
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    dt = to_dtype(dtype, fn="randint") or int64
    limits.check_result(shape, int64.itemsize)          # drawn as int64, then cast
    data = _rng(generator).integers(low, high, shape, dtype=np.int64)
    return _finish(data.astype(dt.np), device, requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """A random permutation of 0..n-1."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    dt = to_dtype(dtype, fn="randperm") or int64
    limits.check_result((n,), int64.itemsize)           # NumPy permutes in int64
    return _finish(_rng(generator).permutation(n).astype(dt.np), device, requires_grad)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return rand(input.shape, dtype=dtype or input.dtype,
                device=device if device is not None else input.device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return randn(input.shape, dtype=dtype or input.dtype,
                 device=device if device is not None else input.device,
                 requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype,
                   device=device if device is not None else input.device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False):
    """Normal samples; mean and std may be tensors (broadcast) or numbers with a size."""
    from .tensor import Tensor
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        ref = mean if isinstance(mean, Tensor) else std
        shape = np.broadcast_shapes(np.shape(mean._data if isinstance(mean, Tensor) else mean),
                                    np.shape(std._data if isinstance(std, Tensor) else std))
        z = randn(shape, dtype=ref.dtype, generator=generator, device=ref.device)
        return (z * std + mean).detach()
    return (randn(size, dtype=dtype, generator=generator, device=device) * std + mean) \
        .detach().requires_grad_(requires_grad)


def bernoulli(input, p=None, *, generator=None):
    dense(input, 8)                                     # a float64 draw per element
    probs = input._data if p is None else np.full(input.shape, p)
    from .tensor import wrap
    host = np.asarray(probs) if isinstance(probs, np.ndarray) else probs
    data = (_rng(generator).random(np.shape(host)) < host).astype(input.dtype.np)
    return wrap(data) if input.device.type == "cpu" else wrap(data).to(input.device)


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill in place with uniform samples in [a, b)."""
    check_no_overlap(self)                              # before drawing for every element
    vals = _rng(generator).random(self.shape) * (b - a) + a
    return self.copy_(_host_tensor(vals))


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill in place with normal samples."""
    check_no_overlap(self)                              # before drawing for every element
    vals = _rng(generator).standard_normal(self.shape) * std + mean
    return self.copy_(_host_tensor(vals))


def _host_tensor(vals):
    from .tensor import wrap
    return wrap(np.asarray(vals))

