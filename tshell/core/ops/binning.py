"""Binning: histc, bincount, histogram and histogramdd count values into bins; searchsorted
and bucketize find the bin (the insertion point) of each value. No gradients."""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..backend import xp_of
from ..dtypes import FLOATING
from ..registry import export
from ..tensor import Tensor, wrap
from .common import dense, half_as_float, without_derivative
from .creation import linspace
from .return_types import return_types


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


# ---- histogram and histogramdd ------------------------------------------------------------

def _check_bin_tensor(edges, input, d):
    if edges.dim() != 1:
        raise RuntimeError("torch.histogramdd: bins tensor should have one dimension, but got "
                           f"{edges.dim()} dimensions in the bins tensor for dimension {d}")
    if edges.numel() < 2:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {edges.numel() - 1} "
                           f"for dimension {d}")
    if edges.dtype is not input.dtype:
        raise RuntimeError("torch.histogramdd: input tensor and bins tensors should have the "
                           f"same dtype, but got input with dtype {ctype_name(input.dtype)} and "
                           f"bins for dimension {d} with dtype {ctype_name(edges.dtype)}")
    return edges


def ctype_name(dt):
    """A dtype as ATen's messages name its C++ type."""
    return {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}.get(dt.name, dt.name)


def _outer_edges(points, ranges, d):
    """The first and last bin edge of dimension d: the range given, else the data's (0 and 1
    when empty), widened by 0.5 each way when they coincide."""
    if ranges is not None:
        lo, hi = float(ranges[2 * d]), float(ranges[2 * d + 1])
    elif points.shape[0]:
        column = points[:, d]
        lo, hi = float(column.min()), float(column.max())
    else:
        lo, hi = 0.0, 1.0
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histogramdd: dimension {d}'s range [{lo:g}, {hi:g}] is not "
                           "finite")
    if lo > hi:
        raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {lo:g} "
                           f"max {hi:g} for dimension {d}")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    return lo, hi


def _bin_edges(input, points, bins, ranges):
    n_dims = points.shape[1]
    if isinstance(bins, Tensor) or isinstance(bins, int):
        bins = [bins] * n_dims
    bins = list(bins)
    if len(bins) != n_dims:
        raise RuntimeError("histogramdd: The size of bins must be equal to the innermost "
                           "dimension of the input.")
    if ranges is not None and len(ranges) != 2 * n_dims:
        raise RuntimeError(f"torch.histogramdd: for a {n_dims}-dimensional histogram range "
                           f"should have {2 * n_dims} elements, but got {len(ranges)}")
    edges = []
    for d, b in enumerate(bins):
        if isinstance(b, Tensor):
            edges.append(_check_bin_tensor(b, input, d))
            continue
        if b <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {b} for "
                               f"dimension {d}")
        lo, hi = _outer_edges(points, ranges, d)
        edges.append(linspace(lo, hi, b + 1, dtype=input.dtype, device=input.device))
    return edges


def _bin_of(column, edges):
    """Each value's bin (the last one holds its top edge), -1 outside the edges or NaN."""
    xp = xp_of(column)
    pos = xp.searchsorted(edges, column, side="right") - 1
    pos = xp.where(pos == edges.size - 1, pos - 1, pos)
    return xp.where((column >= edges[0]) & (column <= edges[-1]), pos, -1)


@export("torch")
def histogramdd(input, bins, *, range=None, weight=None, density=False):
    """The histogram of the points in input's last dim (one coordinate per dim): counts (or
    weight sums) per cell of the bins, and the bin edges of each dim. bins: a count for every
    dim, a count per dim, or a tensor of edges per dim."""
    if input.dtype.category != FLOATING:
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{input.dtype.short}'")
    if input.dim() < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    return _histogramdd(input, input.reshape(-1, input.shape[-1]), input.shape[:-1], bins,
                        range, weight, density, return_types.histogramdd, tuple)


def _histogramdd(input, points_t, weight_shape, bins, ranges, weight, density, result_type,
                 wrap_edges):
    """The histogram of the N x D points; weight (of weight_shape) holds one per point."""
    points = dense(points_t)
    if weight is not None:
        if tuple(weight.shape) != tuple(weight_shape):
            raise RuntimeError("torch.histogramdd: if weight tensor is provided it should have "
                               "the same shape as the input tensor excluding its innermost "
                               f"dimension, but got input with shape {list(points.shape)} "
                               f"and weight with shape {list(weight.shape)}")
        if weight.dtype is not input.dtype:
            raise RuntimeError("torch.histogramdd: if weight tensor is provided, input tensor "
                               "and weight tensor should have the same dtype, but got "
                               f"input({ctype_name(input.dtype)}), and "
                               f"weight({ctype_name(weight.dtype)})")
    edges = _bin_edges(input, points, bins, ranges)
    shape = tuple(e.numel() - 1 for e in edges)
    limits.check_result(shape, points.itemsize)
    xp = xp_of(points)
    cells = [_bin_of(points[:, d], e._data) for d, e in enumerate(edges)]
    inside = xp.ones(points.shape[0], bool)
    for c in cells:
        inside &= c >= 0
    hist = xp.zeros(shape, points.dtype)
    w = weight._data.reshape(-1)[inside] if weight is not None else 1
    xp.add.at(hist, tuple(c[inside] for c in cells), w)
    if density:
        hist = hist / points.dtype.type(hist.sum())
        for d, e in enumerate(edges):
            lengths = xp.diff(e._data)
            hist = hist / lengths.reshape((1,) * d + (-1,) + (1,) * (len(edges) - d - 1))
    out = without_derivative(wrap(hist.astype(points.dtype, copy=False)), (input,),
                             "histogramdd")
    edges = [without_derivative(e.clone(), (input,), "histogramdd") for e in edges]
    return result_type(out, wrap_edges(edges))


@export("torch", "Tensor")
def histogram(input, bins, *, range=None, weight=None, density=False, out=None):
    """The histogram of input's values: counts (or weight sums) in `bins` equal bins over
    range (the data's by default) or between the given edges, and the edges."""
    if input.dtype.category != FLOATING:
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{input.dtype.short}'")
    return _histogramdd(input, input.reshape(-1, 1), input.shape, bins, range, weight,
                        density, return_types.histogram, lambda edges: edges[0])
