"""torch.segment_reduce: a reduction over consecutive segments of data along an axis, the
segments given by lengths or offsets (rows of them for a batch), with PyTorch's gradients
(SegmentReduceBackward0) for sum, mean, max, min and prod.

The data is seen as (rows, N, trailing): the dims before axis are the rows lengths has, each
row cut into its own segments; a row's reduction is one ufunc.at over its segment ids.
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import backend_of
from ..dtypes import FLOATING, INTEGRAL
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, wrap_dim

_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "max": np.maximum,
           "min": np.minimum}
_IDENTITY = {"sum": 0.0, "mean": 0.0, "prod": 1.0, "max": -math.inf, "min": math.inf}


def _host(t):
    return np.asarray(backend_of(t._data).to_host(dense(t)))


def _lengths(data, lengths, offsets, axis, unsafe):
    """The segment lengths as host int64 rows (rows, segments), and the axis."""
    if lengths is None and offsets is None:
        raise RuntimeError("segment_reduce(): Either lengths or offsets must be defined.")
    given = lengths if lengths is not None else offsets
    if given.dtype.category > INTEGRAL:
        kernel = "lengths" if lengths is not None else "offsets"
        raise NotImplementedError(f'"_segment_reduce_{kernel}_cpu_kernel1" not implemented for '
                                  f"'{given.dtype.short}'")
    if data.dim() < given.dim():
        raise RuntimeError("Expected data.dim() >= lengths_value.dim() to be true, but got "
                           "false.  (Could this error message be improved?  If so, please "
                           "report an enhancement request to PyTorch.)")
    axis = wrap_dim(axis, data.dim())
    values = _host(given).astype(np.int64)
    lens = values if lengths is not None else np.diff(values, axis=-1)
    rows = int(np.prod(data.shape[:axis]))
    lens = lens.reshape(rows, lens.shape[-1])
    if not unsafe:
        if (lens < 0).any():
            raise RuntimeError("lengths contains negative value!")
        if (lens.sum(-1) != data.shape[axis]).any():
            raise RuntimeError("segment_reduce(): Expected all rows of lengths along axis to "
                               "sum to data.size(lengths.dim()-1) when !unsafe.")
    return lens, axis


def _segment_ids(row_lengths):
    return np.repeat(np.arange(len(row_lengths)), row_lengths)


@derivative
def SegmentReduceBackward0(node, grad):
    x, = node.saved
    reduce, lens, axis, initial, out = node.params
    xd = _host(x)
    rows, n, trail = _rows_view_shape(xd.shape, axis)
    data = xd.reshape(rows, n, trail)
    g = _host(grad).reshape(rows, lens.shape[-1], trail)
    result = out.reshape(rows, lens.shape[-1], trail)
    gin = np.zeros_like(data)
    for r in range(rows):
        ids = _segment_ids(lens[r])
        m = len(ids)
        gi = g[r][ids]
        seg = data[r, :m]
        if reduce == "sum":
            gin[r, :m] = gi
        elif reduce == "mean":
            gin[r, :m] = gi / lens[r][ids][:, None]
        elif reduce in ("max", "min"):
            hit = (seg == result[r][ids]) | np.isnan(seg)
            counts = np.zeros(result[r].shape)
            np.add.at(counts, ids, hit)
            gin[r, :m] = np.where(hit, gi / np.maximum(counts[ids], 1), 0)
        else:
            gin[r, :m] = gi * _others_product(seg, ids, result[r], initial)
    r = wrap(backend_of(x._data).from_host(gin.reshape(xd.shape), x.device)
             if x.device.type != "cpu" else gin.reshape(xd.shape))
    return r, None, None


def _others_product(seg, ids, result, initial):
    """For each element, the product of the rest of its segment (and initial): out / x where
    x is not 0, else the product taken again without it."""
    with np.errstate(divide="ignore", invalid="ignore"):
        others = result[ids] / seg
    for i in zip(*np.nonzero(seg == 0)):
        k, t = i
        same = ids == ids[k]
        rest = np.prod(np.where(np.arange(len(ids)) == k, 1.0, seg[:, t])[same])
        others[k, t] = rest * (1.0 if initial is None else initial)
    return others


def _rows_view_shape(shape, axis):
    return (int(np.prod(shape[:axis])), shape[axis], int(np.prod(shape[axis + 1:])))


@export("torch")
def segment_reduce(data, reduce, *, lengths=None, indices=None, offsets=None, axis=0,
                   unsafe=False, initial=None):
    """reduce ('sum', 'mean', 'max', 'min', 'prod') over the segments of data along axis;
    an empty segment gives initial, or the reduction's identity (nan for mean)."""
    if reduce not in _UFUNCS:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    if indices is not None:
        raise RuntimeError("segment_reduce(): indices based reduction is not supported yet.")
    if data.dtype.category != FLOATING:
        raise NotImplementedError(f"\"_segment_reduce_cpu\" not implemented for "
                                  f"'{data.dtype.short}'")
    lens, axis = _lengths(data, lengths, offsets, axis, unsafe)
    xd = _host(data)
    rows, n, trail = _rows_view_shape(xd.shape, axis)
    flat = xd.reshape(rows, n, trail).astype(np.float64)
    segments = lens.shape[-1]
    start = _IDENTITY[reduce] if initial is None or reduce == "mean" else float(initial)
    # a segment of each length, any number of them empty: not bounded by data's size
    limits.check_result((rows, segments, trail), 8)
    out = np.full((rows, segments, trail), start)
    ufunc = _UFUNCS[reduce]
    for r in range(rows):
        ids = _segment_ids(lens[r])
        ufunc.at(out[r], ids, flat[r, :len(ids)])
    if reduce == "mean":
        with np.errstate(divide="ignore", invalid="ignore"):
            counts = lens[:, :, None].astype(np.float64)
            if initial is not None:
                out = np.where(counts > 0, (out + initial) / counts, initial)
            else:
                out = out / counts
    shape = xd.shape[:axis] + (segments,) + xd.shape[axis + 1:]
    result = out.astype(xd.dtype).reshape(shape)
    r = wrap(result if data.device.type == "cpu"
             else backend_of(data._data).from_host(result, data.device))
    return record_if(SegmentReduceBackward0, r, (data,), (reduce, lens, axis, initial, result),
                     save=(data,))
