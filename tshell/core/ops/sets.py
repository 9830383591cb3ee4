"""Set routines (NumPy's name for them): unique, unique_consecutive and the membership test
isin. No gradients: their results are values and int64 positions or counts."""
from __future__ import annotations

import numpy as np

from ..backend import xp_of
from ..registry import export
from ..tensor import Tensor, wrap
from .common import dense, wrap_dim


def _array_of(x, like):
    if isinstance(x, Tensor):
        return dense(x, 8)                      # isin sorts both, whole, with intp indices
    return xp_of(like._data).asarray(x)


@export("torch")
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of elements is among test_elements."""
    like = elements if isinstance(elements, Tensor) else test_elements
    if not isinstance(like, Tensor):
        raise TypeError("isin() received an invalid combination of arguments - got "
                        f"({type(elements).__name__}, {type(test_elements).__name__}), but "
                        "expected one of tensors")
    e, t = _array_of(elements, like), _array_of(test_elements, like)
    xp = xp_of(e)
    return wrap(xp.asarray(xp.isin(e, t.reshape(-1), invert=invert)))


def _unique_arrays(xp, a, axis):
    try:
        return xp.unique(a, return_inverse=True, return_counts=True, axis=axis,
                         equal_nan=False)
    except TypeError:                        # array modules without equal_nan
        return xp.unique(a, return_inverse=True, return_counts=True, axis=axis)


def _unique_result(vals, inverse, counts, return_inverse, return_counts):
    out = [wrap(vals)]
    if return_inverse:
        out.append(wrap(inverse.astype(np.int64)))
    if return_counts:
        out.append(wrap(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


@export("torch", "Tensor")
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), optionally with the inverse map and the counts."""
    xd = dense(input, 8)                        # sorted, with an int64 inverse
    xp = xp_of(xd)
    if dim is None:
        vals, inv, counts = _unique_arrays(xp, xd.reshape(-1), None)
        inv = inv.reshape(xd.shape)
    else:
        d = wrap_dim(dim, xd.ndim, "unique")
        vals, inv, counts = _unique_arrays(xp, xd, d)
        inv = inv.reshape(-1)
    return _unique_result(vals, inv, counts, return_inverse, return_counts)


@export("torch", "Tensor")
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Each run of equal consecutive values (or slices along dim) kept once."""
    xd = dense(input, 8)                        # flattened, with an int64 inverse
    xp = xp_of(xd)
    d = 0 if dim is None else wrap_dim(dim, xd.ndim, "unique_consecutive")
    a = xd.reshape(-1) if dim is None else xd
    m = a.shape[d] if a.ndim else 1
    if not a.size:
        empty = xp.zeros(0, dtype=np.int64)
        return _unique_result(a.copy(), xp.zeros(xd.shape if dim is None else m, np.int64),
                              empty, return_inverse, return_counts)
    rows = xp.moveaxis(a, d, 0).reshape(m, -1) if a.ndim else a.reshape(1, 1)
    starts = xp.ones(m, dtype=np.bool_)
    if m > 1:
        starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    keep = xp.nonzero(starts)[0]
    vals = xp.take(a, keep, axis=d) if a.ndim else a.copy()
    inv = xp.cumsum(starts) - 1
    inv = inv.reshape(xd.shape) if dim is None else inv
    counts = xp.diff(xp.concatenate([keep, xp.asarray([m])]))
    return _unique_result(vals, inv, counts, return_inverse, return_counts)
