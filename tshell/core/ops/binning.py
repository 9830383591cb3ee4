"""Binning: histc and bincount count values into bins; searchsorted and bucketize find the
bin (the insertion point) of each value. No gradients."""
from __future__ import annotations

import numpy as np

from .. import limits
from ..backend import xp_of
from ..registry import export
from ..tensor import Tensor, wrap
from .common import dense, half_as_float


@export("torch")
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """Where each value would be inserted into the sorted innermost dim to keep it sorted."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError("torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to "
                               "opposites, got side of left while right was True")
        right = side == "right"
    seq = dense(sorted_sequence)                # NumPy copies a strided one
    xp = xp_of(seq)
    if sorter is not None:
        seq = xp.take_along_axis(seq, sorter._data, axis=-1)
    scalar = not isinstance(input, Tensor)
    vals = xp.asarray(input) if scalar else dense(input, 8)    # an int64 result each
    how = "right" if right else "left"
    if seq.ndim <= 1:
        r = xp.searchsorted(seq.reshape(-1), vals, side=how)
    else:
        if scalar or seq.shape[:-1] != vals.shape[:-1]:
            got = [] if scalar else list(vals.shape)
            raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension "
                               "or the first N-1 dimensions of boundaries tensor and input "
                               "value tensor must match, but we got boundaries tensor "
                               f"{list(seq.shape)} and input value tensor {got}")
        s2 = seq.reshape(-1, seq.shape[-1])
        v2 = vals.reshape(s2.shape[0], -1)
        r = xp.stack([xp.searchsorted(s2[i], v2[i], side=how) for i in range(s2.shape[0])])
        r = r.reshape(vals.shape)
    return wrap(xp.asarray(r).astype(np.int32 if out_int32 else np.int64))


@export("torch")
def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each value: i with boundaries[i-1] < x <= boundaries[i] (right=False)."""
    if boundaries._data.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


@export("torch", "Tensor")
def histc(input, bins=100, min=0, max=0):
    """Counts in `bins` equal bins over [min, max] (the data's range when both are 0);
    values outside are left out. The result has input's dtype."""
    xd = input._data
    if xd.dtype.kind in "biu":
        raise NotImplementedError('"histogram_cpu" not implemented for '
                                  f"'{input.dtype.short}'")
    if bins <= 0:
        raise RuntimeError("torch.histc: bins must be > 0")
    xp = xp_of(xd)
    lo, hi = float(min), float(max)
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    xd = dense(input, 8)                        # flattened, then an int64 bin per element
    a = half_as_float(xd).reshape(-1)
    if lo == hi and a.size:
        finite = a[xp.isfinite(a)]
        if finite.size:
            lo, hi = float(finite.min()), float(finite.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    limits.check_result((int(bins),), xd.itemsize)
    inside = (a >= lo) & (a <= hi)
    v = a[inside]
    pos = ((v - lo) * bins / (hi - lo)).astype(np.int64)
    pos = xp.minimum(pos, bins - 1)                # the top edge belongs to the last bin
    return wrap(xp.bincount(pos, minlength=bins).astype(xd.dtype))


@export("torch", "Tensor")
def bincount(input, weights=None, minlength=0):
    """How many times each non-negative integer occurs (or the sum of its weights)."""
    xd = input._data
    if xd.dtype.kind not in "iu":
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{input.dtype.short}\'')
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    xp = xp_of(xd)
    if xd.ndim != 1 or (xd.size and int(xd.min()) < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    xd = dense(input, 8)                        # NumPy's bincount copies to intp
    length = int(xd.max()) + 1 if xd.size else 0
    limits.check_result((length if length > minlength else int(minlength),), 8)
    if weights is None:
        return wrap(xp.bincount(xd, minlength=minlength).astype(np.int64))
    w = weights._data
    if w.shape != xd.shape:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dt = w.dtype if w.dtype.kind == "f" else np.float64
    return wrap(xp.bincount(xd, weights=w.astype(np.float64), minlength=minlength).astype(dt))
