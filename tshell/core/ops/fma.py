"""Fused multiply-add: x * y + z rounded once, as PyTorch's kernels round it.

PyTorch computes `add(a, b, alpha=)` as fma(b, alpha, a), `addcmul` as fma(value * t1, t2,
self) and `lerp` as fma(weight, end - self, self) (CPU: an explicit or compiler-contracted FMA
instruction; CUDA: nvcc contracts the same expressions). Two roundings (`z + x * y` in NumPy)
differ from that in the last bit of about one element in ten, and by many ulps where the sum
cancels; an optimizer's update then carries the difference from step to step.

NumPy has no FMA. Where x is a number and y, z arrays of one shape (add's alpha, lerp),
BLAS's axpy computes it (blas.py). Elsewhere float32 computes the product in float64, where
it is exact (24 + 24 significant bits < 53), adds z there and rounds the sum to float32
(rounding in float64 first differs from one rounding about once in 2**29 results). float16
and bfloat16 compute as PyTorch does, in float32 ("opmath"), then round to their dtype.
float64 splits the product into its rounded value and its exact error (Dekker) and adds z to
both (Knuth's two-sum): one rounding but for sums within 2**-50 ulp of a rounding boundary.
Complex numbers round twice.
"""
from __future__ import annotations

import numpy as np

from ..backend import xp_of
from .blas import axpy

FLOAT32 = np.dtype(np.float32)
FLOAT64 = np.dtype(np.float64)
_SCALARS = (int, float, bool, np.generic)
_SPLITTER = 134217729.0        # 2**27 + 1: Veltkamp's split of a double into two halves


def opmath(dtype) -> np.dtype:
    """The dtype PyTorch's kernels compute a floating dtype in: float32 for the 16-bit ones."""
    return FLOAT32 if dtype.itemsize < 4 else dtype


def is_fused(dtype) -> bool:
    """Whether this (NumPy) dtype gets one rounding: the real floats (ml_dtypes' bfloat16
    has kind 'V')."""
    return dtype.kind == "f" or dtype.name == "bfloat16"


def as_opmath(value, dtype):
    """An operand in the opmath dtype of `dtype`: arrays cast, numbers rounded."""
    op = opmath(dtype)
    if isinstance(value, _SCALARS):
        return op.type(value)
    return value if value.dtype == op else value.astype(op)


def fused_multiply_add(x, y, z, dtype):
    """x * y + z in `dtype` (a NumPy dtype), rounded as PyTorch's FMA kernels round it.

    Operands are arrays or numbers; numbers are rounded to the opmath dtype first, as
    PyTorch converts a Scalar. The result is an array of `dtype`.
    """
    if not is_fused(dtype):
        return z + x * y
    x, y, z = (as_opmath(v, dtype) for v in (x, y, z))
    array = next((v for v in (x, y, z) if not isinstance(v, np.generic)), None)
    xp = xp_of(array) if array is not None else np
    if dtype == FLOAT64:
        return xp.asarray(_fma64(xp, x, y, z))
    wide = xp.multiply(x, y, dtype=xp.float64)          # exact
    if getattr(wide, "shape", ()) == np.broadcast_shapes(np.shape(wide), np.shape(z)):
        wide = xp.add(wide, z, out=wide)
    else:
        wide = xp.add(wide, z, dtype=xp.float64)
    result = xp.asarray(wide).astype(FLOAT32)
    return result if dtype == FLOAT32 else result.astype(dtype)


def _split(xp, v):
    """v = hi + lo exactly, each half with at most 26 significant bits."""
    c = v * _SPLITTER
    hi = c - (c - v)
    return hi, v - hi


def _fma64(xp, x, y, z):
    """x * y + z for doubles: the product's error (Dekker), the sum's error (two-sum), and
    the two errors added last; where the splitting overflows, two roundings."""
    p = x * y
    xh, xl = _split(xp, x)
    yh, yl = _split(xp, y)
    e = ((xh * yh - p) + xh * yl + xl * yh) + xl * yl
    s = p + z
    b = s - p
    t = (p - (s - b)) + (z - b)
    r = s + (t + e)
    return xp.where(xp.isfinite(r), r, s)


def add_scaled(a, b, alpha, dtype):
    """PyTorch's add(a, b, alpha=alpha): alpha (and a number b) are converted to the
    tensor's dtype, then the sum computes in opmath with one rounding."""
    if is_fused(dtype):
        alpha = dtype.type(alpha)
        if isinstance(b, _SCALARS):
            b = dtype.type(b)
        else:
            result = _axpy_copy(a, b, alpha)
            if result is not None:
                return result
    return fused_multiply_add(b, alpha, a, dtype)


def _axpy_copy(y, x, alpha):
    """y + alpha * x as a new array through BLAS (None where axpy does not apply)."""
    if type(y) is not np.ndarray or y.shape != np.shape(x) or y.dtype != x.dtype:
        return None
    out = y.copy()
    return out if axpy(out, x, alpha) else None


def lerp(x, y, weight, dtype, out=None):
    """PyTorch's lerp: x + weight * (y - x) where |weight| < 0.5, else y - (y - x) * (1 -
    weight), each one FMA (exact at both ends); `weight` a number or an array. With `out`
    (x itself, for lerp_), the result is written there."""
    if not is_fused(dtype):
        diff = y - x
        if isinstance(weight, (int, float)):
            r = x + weight * diff if abs(weight) < 0.5 else y - diff * (1 - weight)
        else:
            small = abs(weight) < 0.5
            r = xp_of(diff).where(small, x + weight * diff, y - diff * (1 - weight))
        return _result(r, out)
    x, y, w = (as_opmath(v, dtype) for v in (x, y, weight))
    diff = y - x
    if not isinstance(w, np.generic):
        xp = xp_of(w)
        small = abs(w) < 0.5
        return _result(fused_multiply_add(xp.where(small, w, w - 1), diff,
                                          xp.where(small, x, y), dtype), out)
    coefficient, base = (w, x) if abs(w) < 0.5 else (w - 1, y)
    if dtype == opmath(dtype):                   # float32, float64: BLAS where it applies
        target = out if out is not None else base.copy()
        if target is not base:
            target[...] = base
        if axpy(target, diff, coefficient):
            return target
    return _result(fused_multiply_add(coefficient, diff, base, dtype), out)


def _result(r, out):
    if out is None:
        return r
    out[...] = r
    return out


def addcmul(x, t1, t2, value, dtype, out=None):
    """PyTorch's addcmul: (value * t1) * t2 + x, the last two fused. With `out` (x itself,
    for addcmul_), the result is written there."""
    if not is_fused(dtype):
        return _result(x + value * t1 * t2, out)
    scaled = as_opmath(value, dtype) * as_opmath(t1, dtype)
    if dtype == FLOAT32 and type(out) is np.ndarray:
        # the exact product in float64, the sum rounded once more, straight into out
        return np.add(np.multiply(scaled, t2, dtype=np.float64), out, out=out,
                      casting="unsafe")
    return _result(fused_multiply_add(scaled, t2, x, dtype), out)


def addcdiv(x, t1, t2, value, dtype, out=None):
    """PyTorch's addcdiv: (value * t1) / t2 + x, in opmath, one rounding per operation.
    With `out` (x itself, for addcdiv_), the result is written there."""
    if not is_fused(dtype):
        return _result(x + value * t1 / t2, out)
    op = opmath(dtype)
    quotient = as_opmath(value, dtype) * as_opmath(t1, dtype) / as_opmath(t2, dtype)
    if out is not None and op == dtype:
        out += quotient
        return out
    r = as_opmath(x, dtype) + quotient
    return _result(r if op == dtype else r.astype(dtype), out)
