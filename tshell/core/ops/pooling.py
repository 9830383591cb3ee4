"""Pooling: max_pool1d/2d, avg_pool1d/2d and their adaptive forms, over window views of
the input (1-D pooling is 2-D pooling of the input unsqueezed, as in PyTorch)."""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative
from ..backend import xp_of
from ..dtypes import FLOATING
from ..registry import export
from ..tensor import record, record_if, wrap
from .common import dense, half_as_float, require_float
from .creation import zeros
from .windows import col2im, dims_text, ntuple, padded, window_view


def _pool_tuple(value, fn, arg, default=None):
    """A pooling argument as two ints; PyTorch's error for any other length."""
    if value is None or (isinstance(value, (tuple, list)) and not value and default):
        return default
    v = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(v) not in (1, 2):
        how = {"kernel_size": "must either be a single int", "dilation": "must be either a "
               "single int", "stride": "must either be omitted, a single int",
               "padding": "must either be a single int"}[arg]
        raise RuntimeError(f"{fn}: {arg} {how}, or a tuple of two ints")
    return (int(v[0]), int(v[-1]))


def _pool_out(size, k, p, s, d, ceil_mode):
    """PyTorch's pooling_output_shape for one dim (with its checks)."""
    if s == 0:
        raise RuntimeError("stride should not be zero")
    if p < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
    if p > ((k - 1) * d + 1) // 2:
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                           f"pad={p}, kernel_size={k} and dilation={d}")
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_setup(input, kernel_size, stride, padding, dilation, ceil_mode, fn):
    """Checked pooling arguments: kernel, stride, padding, dilation, output size, and the
    ((lo, hi), ...) padding that makes every window fit."""
    k = _pool_tuple(kernel_size, fn, "kernel_size")
    s = _pool_tuple(stride, fn, "stride", default=k)
    p = _pool_tuple(padding, fn, "padding")
    d = _pool_tuple(dilation, fn, "dilation")
    shape = tuple(input.shape)
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    out = tuple(_pool_out(n, *a, ceil_mode) for n, a in zip(shape[-2:], zip(k, p, s, d)))
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} "
                           f"kW: {k[1]}")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {d[0]} "
                           f"dilationW: {d[1]}")
    if min(s) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}")
    if min(out) < 1 or 0 in shape[-3:]:
        raise RuntimeError(f"Given input size: ({dims_text(shape[-3:], 'x')}). Calculated "
                           f"output size: ({dims_text((shape[-3],) + out, 'x')}). Output size "
                           "is too small")
    pads = tuple((pp, max((o - 1) * ss + dd * (kk - 1) + 1 - (n + pp), 0))
                 for n, kk, pp, ss, dd, o in zip(shape[-2:], k, p, s, d, out))
    return k, s, p, d, out, pads


def _flat_indices(kernel_pos, out, k, s, p, d, width):
    """Flat (row * width + col) input positions of the window elements picked at kernel_pos
    (indices into the flattened kernel) for each output cell."""
    xp = xp_of(kernel_pos)
    rows = xp.arange(out[0])[:, None] * s[0] - p[0] + (kernel_pos // k[1]) * d[0]
    cols = xp.arange(out[1])[None, :] * s[1] - p[1] + (kernel_pos % k[1]) * d[1]
    return rows * width + cols


@derivative
def MaxPool2DWithIndicesBackward0(node, grad):
    shape, idx = node.params
    lead = shape[:-2]
    flat = zeros(lead + (shape[-2] * shape[-1],), dtype=grad.dtype, device=grad.device)
    return flat.scatter_add(-1, idx.flatten(-2), grad.flatten(-2)).view(shape)


AdaptiveMaxPool2DBackward0 = type("AdaptiveMaxPool2DBackward0",
                                  (MaxPool2DWithIndicesBackward0,), {"__slots__": ()})


def _max_result(input, values, idx, node_cls, return_indices):
    r = wrap(values)
    indices = wrap(idx.astype(np.int64, copy=False))
    record_if(node_cls, r, (input,), (tuple(input.shape), indices))
    return (r, indices) if return_indices else r


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


@export("torch", "F")
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each (dilated) window over the last two dims; with
    return_indices=True also its flat position (row * W + col) in the input."""
    k, s, p, d, out, pads = _pool_setup(input, kernel_size, stride, padding, dilation,
                                        ceil_mode, "max_pool2d")
    xd = input._data
    xp = xp_of(xd)
    lead = xd.shape[:-2]
    limits.check_result(lead + out + (k[0] * k[1],), xd.itemsize)
    w = window_view(padded(xd, pads, _lowest(xd.dtype)), k, d, s, out)
    w = w.reshape(lead + out + (k[0] * k[1],))
    pos = w.argmax(-1)
    values = xp.take_along_axis(w, pos[..., None], -1)[..., 0]
    idx = _flat_indices(pos, out, k, s, p, d, xd.shape[-1])
    return _max_result(input, values, idx, MaxPool2DWithIndicesBackward0, return_indices)


def _unsqueezed_1d(input, fn, check):
    if input.ndim not in (2, 3):
        raise RuntimeError(check.format(nd=input.ndim, shape=list(input.shape)))
    return input.unsqueeze(-2)


@export("torch", "F")
def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """max_pool2d over the last dim alone (PyTorch's grad_fn: SqueezeBackward1)."""
    x = _unsqueezed_1d(input, "max_pool1d", "max_pool1d: Expected 2D or 3D (batch mode) tensor "
                       "with optional 0 dim batch size for input, but got:{shape}")
    k = ntuple(kernel_size, 1, "max_pool1d", "kernel_size")[0]
    st = k if stride is None or stride == () or stride == [] else \
        ntuple(stride, 1, "max_pool1d", "stride")[0]
    p = ntuple(padding, 1, "max_pool1d", "padding")[0]
    dl = ntuple(dilation, 1, "max_pool1d", "dilation")[0]
    if k > 0 and st > 0 and dl > 0 and 0 <= p <= k // 2:
        o = _pool_out(input.shape[-1], k, p, st, dl, ceil_mode)
        if o < 1:
            raise RuntimeError(f"max_pool1d() Invalid computed output size: {o}")
    r = max_pool2d(x, (1, k), (1, st), (0, p), (1, dl), ceil_mode, return_indices)
    if return_indices:
        return r[0].squeeze(-2), r[1].squeeze(-2)
    return r.squeeze(-2)


@derivative
def AvgPool2DBackward0(node, grad):
    shape, k, s, d, pads, div = node.params
    lead, out = shape[:-2], tuple(grad.shape[-2:])
    b, L, K = math.prod(lead), out[0] * out[1], k[0] * k[1]
    g = (grad / div).reshape(b, 1, L).expand(b, K, L)
    return col2im(g, shape[-2:], k, d, pads, s).reshape(shape)


def _window_counts(size, k, p, s, out):
    """Per output position along one dim: the window's length within the padded input, and
    its length within the input proper."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)
    return end - start, np.minimum(end, size) - np.maximum(start, 0)


@export("F")
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each window over the last two dims (zero padding counted when
    count_include_pad)."""
    k, s, p, d, out, pads = _pool_setup(input, kernel_size, stride, padding, 1, ceil_mode,
                                        "avg_pool2d")
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    # the windows' sums may copy them; integers are averaged in float64
    xd = dense(input, None if input.dtype.category >= FLOATING else 8)
    xp = xp_of(xd)
    (ph, ch), (pw, cw) = (_window_counts(n, kk, pp, ss, o) for n, kk, pp, ss, o in
                          zip(xd.shape[-2:], k, p, s, out))
    div = (np.outer(ph, pw) if count_include_pad else np.outer(ch, cw)) \
        if divisor_override is None else np.full(out, divisor_override)
    w = window_view(padded(xd, pads), k, d, s, out)
    acc = half_as_float(w).sum(axis=(-2, -1))
    divx = xp.asarray(div, dtype=acc.dtype if xd.dtype.kind == "f" else np.float64)
    data = acc / divx
    if xd.dtype.kind != "f":
        data = xp.trunc(data)
    return record_if(AvgPool2DBackward0, wrap(data.astype(xd.dtype, copy=False)), (input,),
                     (tuple(xd.shape), k, s, d, pads, wrap(divx.astype(xd.dtype))))


@export("torch", "F")
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """avg_pool2d over the last dim alone (PyTorch's grad_fn: SqueezeBackward1)."""
    x = _unsqueezed_1d(input, "avg_pool1d", "Expected 2 to 3 dimensions, but got {nd}-"
                       "dimensional tensor for argument #1 'self' (while checking arguments "
                       "for avg_pool1d)")
    k = ntuple(kernel_size, 1, "avg_pool1d", "kernel_size")[0]
    st = k if stride is None or stride == () or stride == [] else \
        ntuple(stride, 1, "avg_pool1d", "stride")[0]
    p = ntuple(padding, 1, "avg_pool1d", "padding")[0]
    return avg_pool2d(x, (1, k), (1, st), (0, p), ceil_mode, count_include_pad).squeeze(-2)


def _adaptive_setup(input, output_size, fn):
    if input.ndim not in (3, 4):
        raise RuntimeError(f"{fn}(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but input has sizes {list(input.shape)} with "
                               f"dimension {i} being empty")
    size = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * 2
    if len(size) != 2:
        raise RuntimeError(f"{fn}: output_size must be 2")
    out = tuple(n if o is None else int(o) for o, n in zip(size, input.shape[-2:]))
    limits.check_result(tuple(input.shape[:-2]) + out, input._data.itemsize)
    return out


def _adaptive_ranges(size, out):
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


@derivative
def AdaptiveAvgPool2DBackward0(node, grad):
    ah, aw = node.params
    return ah.t().matmul(grad).matmul(aw)


def _averaging_matrix(ranges, size, dtype, xp):
    m = np.zeros((len(ranges), size))
    for i, (a, b) in enumerate(ranges):
        m[i, a:b] = 1.0 / (b - a)
    return wrap(xp.asarray(m.astype(dtype)))


@export("F")
def adaptive_avg_pool2d(input, output_size):
    """Means over the windows that split the last two dims into output_size parts."""
    out = _adaptive_setup(input, output_size, "adaptive_avg_pool2d")
    require_float(input, "adaptive_avg_pool2d")
    xd = dense(input)                   # row sums over every element
    xp = xp_of(xd)
    rh, rw = (_adaptive_ranges(n, o) for n, o in zip(xd.shape[-2:], out))
    x = half_as_float(xd)
    rows = xp.stack([x[..., a:b, :].sum(-2) for a, b in rh], -2)
    sums = xp.stack([rows[..., a:b].sum(-1) for a, b in rw], -1)
    count = np.outer([b - a for a, b in rh], [b - a for a, b in rw])
    r = wrap((sums / xp.asarray(count, dtype=x.dtype)).astype(xd.dtype, copy=False))
    if GradMode.enabled and input._rg:     # not record_if: the matrices only when recording
        record(AdaptiveAvgPool2DBackward0, r, (input,),
               (_averaging_matrix(rh, xd.shape[-2], xd.dtype, xp),
                _averaging_matrix(rw, xd.shape[-1], xd.dtype, xp)))
    return r


@export("F")
def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Maxima over the windows that split the last two dims into output_size parts."""
    out = _adaptive_setup(input, output_size, "adaptive_max_pool2d")
    require_float(input, "adaptive_max_pool2d")
    xd = dense(input)                   # every window copied to find its maximum
    xp = xp_of(xd)
    lead, width = xd.shape[:-2], xd.shape[-1]
    values = xp.empty(lead + out, dtype=xd.dtype)
    idx = xp.empty(lead + out, dtype=np.int64)
    for i, (h0, h1) in enumerate(_adaptive_ranges(xd.shape[-2], out[0])):
        for j, (w0, w1) in enumerate(_adaptive_ranges(width, out[1])):
            win = xd[..., h0:h1, w0:w1].reshape(lead + (-1,))
            pos = win.argmax(-1)
            values[..., i, j] = xp.take_along_axis(win, pos[..., None], -1)[..., 0]
            idx[..., i, j] = (h0 + pos // (w1 - w0)) * width + w0 + pos % (w1 - w0)
    return _max_result(input, values, idx, AdaptiveMaxPool2DBackward0, return_indices)


def _adaptive_1d(input, output_size, fn, pool2d, **kw):
    x = _unsqueezed_1d(input, fn, "Expected 2 to 3 dimensions, but got {nd}-dimensional tensor "
                       f"for argument #1 'self' (while checking arguments for {fn})")
    o = ntuple(output_size, 1, fn, "output_size")[0]
    r = pool2d(x, (1, o), **kw)
    if isinstance(r, tuple):
        return r[0].squeeze(-2), r[1].squeeze(-2)
    return r.squeeze(-2)


@export("torch", "F")
def adaptive_avg_pool1d(input, output_size):
    return _adaptive_1d(input, output_size, "adaptive_avg_pool1d", adaptive_avg_pool2d)


@export("torch", "F")
def adaptive_max_pool1d(input, output_size, return_indices=False):
    return _adaptive_1d(input, output_size, "adaptive_max_pool1d", adaptive_max_pool2d,
                        return_indices=return_indices)
