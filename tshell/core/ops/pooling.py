"""Pooling: max_pool1d/2d/3d, avg_pool1d/2d/3d and their adaptive forms, over window views
of the input (1-D pooling is 2-D pooling of the input unsqueezed, as in PyTorch)."""
from __future__ import annotations

import functools
import itertools
import math

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative
from ..backend import backend_of, xp_of
from ..dtypes import FLOATING
from ..registry import export
from ..tensor import Duals, record_if, wrap
from .common import dense, half_as_float, require_float
from .creation import zeros
from ..random import rand
from .windows import col2im, dims_text, ntuple, padded, window_view


_COUNT_WORDS = {2: "two", 3: "three"}


def _pool_tuple(value, nd, fn, arg, default=None):
    """A pooling argument as nd ints; PyTorch's error for any other length."""
    if value is None or (isinstance(value, (tuple, list)) and not value and default):
        return default
    v = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(v) not in (1, nd):
        how = {"kernel_size": "must either be a single int", "dilation": "must be either a "
               "single int", "stride": "must either be omitted, a single int",
               "padding": "must either be a single int"}[arg]
        if fn == "avg_pool3d":          # ATen's avg_pool3d words them without "either"
            how = how.replace(" either", "")
        raise RuntimeError(f"{fn}: {arg} {how}, or a tuple of {_COUNT_WORDS[nd]} ints")
    return tuple(int(v[0 if len(v) == 1 else i]) for i in range(nd))


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


def _per_dim(prefix, values):
    """'kH: 2 kW: 3' (and kT first in 3-d), as ATen's pooling checks write sizes."""
    return " ".join(f"{prefix}{t}: {v}" for t, v in zip("THW"[-len(values):], values))


def _pool_setup(input, kernel_size, stride, padding, dilation, ceil_mode, fn, nd=2):
    """Checked pooling arguments over the last nd dims: kernel, stride, padding, dilation,
    output size, and the ((lo, hi), ...) padding that makes every window fit."""
    k = _pool_tuple(kernel_size, nd, fn, "kernel_size")
    s = _pool_tuple(stride, nd, fn, "stride", default=k)
    p = _pool_tuple(padding, nd, fn, "padding")
    d = _pool_tuple(dilation, nd, fn, "dilation")
    shape = tuple(input.shape)
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for "
                           "input")
    out = tuple(_pool_out(n, *a, ceil_mode) for n, a in zip(shape[-nd:], zip(k, p, s, d)))
    if min(k) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got "
                           f"{_per_dim('k', k)}")
    if min(d) <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got "
                           f"{_per_dim('dilation', d)}")
    if min(s) <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got {_per_dim('d', s)}")
    if fn == "avg_pool3d" and any(n < kk for n, kk in zip(shape[-3:], k)):
        raise RuntimeError(f"input image ({_per_dim('', shape[-3:])}) "
                           f"smaller than kernel size ({_per_dim('k', k)})")
    if min(out) < 1 or 0 in shape[-nd - 1:]:
        raise RuntimeError(f"Given input size: ({dims_text(shape[-nd - 1:], 'x')}). Calculated "
                           f"output size: ({dims_text((shape[-nd - 1],) + out, 'x')}). Output "
                           "size is too small")
    pads = tuple((pp, max((o - 1) * ss + dd * (kk - 1) + 1 - (n + pp), 0))
                 for n, kk, pp, ss, dd, o in zip(shape[-nd:], k, p, s, d, out))
    return k, s, p, d, out, pads


def _flat_indices(kernel_pos, out, k, s, p, d, in_size):
    """Flat (row-major over the pooled dims) input positions of the window elements picked at
    kernel_pos (indices into the flattened kernel) for each output cell."""
    xp = xp_of(kernel_pos)
    nd = len(k)
    flat, rest = 0, kernel_pos
    for i in reversed(range(nd)):
        offset, rest = rest % k[i], rest // k[i]
        along = xp.arange(out[i]).reshape((-1,) + (1,) * (nd - 1 - i))
        flat = flat + (along * s[i] - p[i] + offset * d[i]) * math.prod(in_size[i + 1:])
    return flat


def _picked_grads(node, grad):
    """The gradient of picking input elements by flat index (max pooling in its forms)."""
    return _scatter_back(grad, *node.params)


def _scatter_back(grad, shape, idx, nd):
    """grad added back at the flat positions (over the last nd dims) the outputs came from."""
    lead = shape[:-nd]
    flat = zeros(lead + (math.prod(shape[-nd:]),), dtype=grad.dtype, device=grad.device)
    return flat.scatter_add(-1, idx.flatten(-nd), grad.flatten(-nd)).view(shape)


def _nodes(backward, name):
    """One node class per pooled dims (2, 3): PyTorch's names differ only in the '2D'."""
    return {nd: derivative(backward, name=name.format(nd=nd)) for nd in (2, 3)}


_MAX_POOL_NODES = _nodes(_picked_grads, "MaxPool{nd}DWithIndicesBackward0")
_ADAPTIVE_MAX_NODES = _nodes(_picked_grads, "AdaptiveMaxPool{nd}DBackward0")
_FRACTIONAL_NODES = _nodes(_picked_grads, "FractionalMaxPool{nd}DBackward0")


def _max_result(input, values, idx, node_cls, return_indices, nd):
    r = wrap(values)
    indices = wrap(idx.astype(np.int64, copy=False))
    record_if(node_cls, r, (input,), (tuple(input.shape), indices, nd))
    return (r, indices) if return_indices else r


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    fn = f"max_pool{nd}d"
    k, s, p, d, out, pads = _pool_setup(input, kernel_size, stride, padding, dilation,
                                        ceil_mode, fn, nd)
    xd = input._data
    xp = xp_of(xd)
    lead = xd.shape[:-nd]
    limits.check_result(lead + out + (math.prod(k),), xd.itemsize)
    w = window_view(padded(xd, pads, _lowest(xd.dtype)), k, d, s, out)
    w = w.reshape(lead + out + (math.prod(k),))
    pos = w.argmax(-1)
    values = xp.take_along_axis(w, pos[..., None], -1)[..., 0]
    idx = _flat_indices(pos, out, k, s, p, d, xd.shape[-nd:])
    return _max_result(input, values, idx, _MAX_POOL_NODES[nd], return_indices, nd)


@export("torch", "F")
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each (dilated) window over the last two dims; with
    return_indices=True also its flat position (row * W + col) in the input."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode,
                       return_indices, 2)


@export("torch", "F")
def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The maximum of each (dilated) window over the last three dims; with
    return_indices=True also its flat position in the (D, H, W) volume."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode,
                       return_indices, 3)


@export("F")
def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """max_pool2d's values and indices (return_indices is ignored, as in PyTorch)."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


@export("F")
def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """max_pool3d's values and indices (return_indices is ignored, as in PyTorch)."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


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


@export("torch", "F")
def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """max_pool1d's values and indices (return_indices is ignored, as in PyTorch)."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def _avg_pool_grads(node, grad):
    shape, k, s, d, pads, div = node.params
    nd = len(k)
    lead, out = shape[:-nd], tuple(grad.shape[-nd:])
    b, L, K = math.prod(lead), math.prod(out), math.prod(k)
    g = (grad / div).reshape(b, 1, L).expand(b, K, L)
    return col2im(g, shape[-nd:], k, d, pads, s).reshape(shape)


_AVG_POOL_NODES = _nodes(_avg_pool_grads, "AvgPool{nd}DBackward0")


def _window_counts(size, k, p, s, out):
    """Per output position along one dim: the window's length within the padded input, and
    its length within the input proper."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)
    return end - start, np.minimum(end, size) - np.maximum(start, 0)


def _avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                divisor_override, nd):
    k, s, p, d, out, pads = _pool_setup(input, kernel_size, stride, padding, 1, ceil_mode,
                                        f"avg_pool{nd}d", nd)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    # the windows' sums may copy them; integers are averaged in float64
    xd = dense(input, None if input.dtype.category >= FLOATING else 8)
    xp = xp_of(xd)
    counts = [_window_counts(n, kk, pp, ss, o) for n, kk, pp, ss, o in
              zip(xd.shape[-nd:], k, p, s, out)]
    div = (functools.reduce(np.multiply.outer, [c[0 if count_include_pad else 1]
                                                for c in counts])
           if divisor_override is None else np.full(out, divisor_override))
    w = window_view(padded(xd, pads), k, d, s, out)
    acc = half_as_float(w).sum(axis=tuple(range(-nd, 0)))
    divx = xp.asarray(div, dtype=acc.dtype if xd.dtype.kind == "f" else np.float64)
    data = acc / divx
    if xd.dtype.kind != "f":
        data = xp.trunc(data)
    return record_if(_AVG_POOL_NODES[nd], wrap(data.astype(xd.dtype, copy=False)), (input,),
                     (tuple(xd.shape), k, s, d, pads, wrap(divx.astype(xd.dtype))))


@export("F")
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each window over the last two dims (zero padding counted when
    count_include_pad)."""
    return _avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override, 2)


@export("F")
def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each window over the last three dims (zero padding counted when
    count_include_pad)."""
    return _avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override, 3)


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


def _adaptive_setup(input, output_size, fn, nd):
    if input.ndim not in (nd + 1, nd + 2):
        sep = ": " if fn == "adaptive_max_pool3d" else " "
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got{sep}"
                           f"{list(input.shape)}")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but input has sizes {list(input.shape)} with "
                               f"dimension {i} being empty")
    size = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * nd
    if len(size) != nd:
        if fn.startswith("adaptive_max"):
            raise RuntimeError(f"{fn}(): internal error: output_size.size() must be {nd}")
        raise RuntimeError(f"{fn}: output_size must be {nd}")
    out = tuple(n if o is None else int(o) for o, n in zip(size, input.shape[-nd:]))
    limits.check_result(tuple(input.shape[:-nd]) + out, input._data.itemsize)
    return out


def _adaptive_ranges(size, out):
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


def _adaptive_avg_grads(node, grad):
    count, members = node.params
    grad = grad / count                 # each output's share, then added to its window
    nd = len(members)
    for i, m in enumerate(members):
        d = i - nd
        grad = grad.transpose(d, -1).matmul(m).transpose(d, -1)
    return grad


_ADAPTIVE_AVG_NODES = _nodes(_adaptive_avg_grads, "AdaptiveAvgPool{nd}DBackward0")


def _membership_matrix(ranges, size, dtype, xp):
    """(windows, size): 1 where a position belongs to a window."""
    m = np.zeros((len(ranges), size), dtype=dtype)
    for i, (a, b) in enumerate(ranges):
        m[i, a:b] = 1
    return wrap(xp.asarray(m))


def _adaptive_avg_poolnd(input, output_size, nd):
    fn = f"adaptive_avg_pool{nd}d"
    out = _adaptive_setup(input, output_size, fn, nd)
    require_float(input, fn if nd == 2 else fn + "_cpu")
    xd = dense(input)                   # sums over every element
    xp = xp_of(xd)
    ranges = [_adaptive_ranges(n, o) for n, o in zip(xd.shape[-nd:], out)]
    sums = half_as_float(xd)
    for i, rs in enumerate(ranges):
        d = i - nd
        sums = xp.stack([sums[(Ellipsis, slice(a, b)) + (slice(None),) * (-d - 1)].sum(d)
                         for a, b in rs], d)
    count = xp.asarray(functools.reduce(np.multiply.outer,
                                        [[b - a for a, b in rs] for rs in ranges]),
                       dtype=sums.dtype)
    r = wrap((sums / count).astype(xd.dtype, copy=False))
    # not record_if: the matrices only when recording (or giving a dual its tangent)
    if GradMode.enabled and input._rg or Duals:
        record_if(_ADAPTIVE_AVG_NODES[nd], r, (input,), (wrap(count.astype(xd.dtype)),
                  tuple(_membership_matrix(rs, n, xd.dtype, xp)
                        for rs, n in zip(ranges, xd.shape[-nd:]))))
    return r


@export("F")
def adaptive_avg_pool2d(input, output_size):
    """Means over the windows that split the last two dims into output_size parts."""
    return _adaptive_avg_poolnd(input, output_size, 2)


@export("F")
def adaptive_avg_pool3d(input, output_size):
    """Means over the windows that split the last three dims into output_size parts."""
    return _adaptive_avg_poolnd(input, output_size, 3)


def _adaptive_max_poolnd(input, output_size, return_indices, nd):
    fn = f"adaptive_max_pool{nd}d"
    out = _adaptive_setup(input, output_size, fn, nd)
    require_float(input, fn if nd == 2 else fn + "_cpu")
    xd = dense(input)                   # every window copied to find its maximum
    xp = xp_of(xd)
    lead, size = xd.shape[:-nd], xd.shape[-nd:]
    values = xp.empty(lead + out, dtype=xd.dtype)
    idx = xp.empty(lead + out, dtype=np.int64)
    ranges = [_adaptive_ranges(n, o) for n, o in zip(size, out)]
    for cell in itertools.product(*(range(o) for o in out)):
        bounds = [ranges[i][c] for i, c in enumerate(cell)]
        win = xd[(Ellipsis,) + tuple(slice(a, b) for a, b in bounds)]
        extent = win.shape[-nd:]
        pos = win.reshape(lead + (-1,)).argmax(-1)
        at = (Ellipsis,) + cell
        values[at] = xp.take_along_axis(win.reshape(lead + (-1,)), pos[..., None], -1)[..., 0]
        flat = 0
        for i in reversed(range(nd)):       # the window's position back in the input
            pos, r = pos // extent[i], pos % extent[i]
            flat = flat + (bounds[i][0] + r) * math.prod(size[i + 1:])
        idx[at] = flat
    return _max_result(input, values, idx, _ADAPTIVE_MAX_NODES[nd], return_indices, nd)


@export("F")
def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Maxima over the windows that split the last two dims into output_size parts."""
    return _adaptive_max_poolnd(input, output_size, return_indices, 2)


@export("F")
def adaptive_max_pool3d(input, output_size, return_indices=False):
    """Maxima over the windows that split the last three dims into output_size parts."""
    return _adaptive_max_poolnd(input, output_size, return_indices, 3)


@export("F")
def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool2d's values and indices (return_indices is ignored, as in PyTorch)."""
    return adaptive_max_pool2d(input, output_size, True)


@export("F")
def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool3d's values and indices (return_indices is ignored, as in PyTorch)."""
    return adaptive_max_pool3d(input, output_size, True)


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


@export("F")
def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    """adaptive_max_pool1d's values and indices (return_indices is ignored, as in PyTorch)."""
    return adaptive_max_pool1d(input, output_size, True)


# ---- max_unpool: max pooling's values put back at their indices ----------------------------

def _unpool_grads(node, grad):
    idx, nd = node.params
    return grad.flatten(-nd).gather(-1, idx.flatten(-nd)).view(idx.shape)


_MAX_UNPOOL_NODES = _nodes(_unpool_grads, "MaxUnpool{nd}DBackward0")


def _unpool_output_size(input, kernel, stride, padding, output_size):
    """F._unpool_output_size: the size max pooling came from, or output_size checked."""
    nd = len(kernel)
    default = [(input.shape[-nd + d] - 1) * stride[d] + kernel[d] - 2 * padding[d]
               for d in range(nd)]
    if output_size is None:
        return default
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                         f"elements, but it has a length of '{len(output_size)}'")
    for d in range(nd):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < output_size[d] < hi:
            raise ValueError(f'invalid output_size "{output_size}" (dim {d} must be between '
                             f'{lo} and {hi})')
    return list(output_size)


def _max_unpoolnd(input, indices, size, nd):
    """ATen's max_unpooling2d/3d: zeros of size over the last nd dims, input's values at
    indices (flat positions in those dims)."""
    if indices.dtype.name != "int64":
        raise RuntimeError("elements in indices should be type int64" +
                           (f" but got: {indices.dtype.short}"
                            if nd == 2 else ""))
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to max_unpooling{nd}d should be a {nd + 1}d or {nd + 2}d "
                           f"Tensor, but got a tensor with {input.ndim} dimensions.")
    require_float(input, f"max_unpool{nd}d")
    xd, idx = dense(input), dense(indices)
    xp = xp_of(xd)
    lead = xd.shape[:-nd]
    total = math.prod(size)
    bad = (idx < 0) | (idx >= total)
    if bad.any():
        raise RuntimeError(f"Found an invalid max index: {int(idx[bad].reshape(-1)[0])} "
                           f"(output volumes are of size {dims_text(size, 'x')})")
    limits.check_result(lead + tuple(size), xd.itemsize)
    b = math.prod(lead)
    out = xp.zeros((b, total), dtype=xd.dtype)
    out[xp.arange(b)[:, None], idx.reshape(b, -1)] = xd.reshape(b, -1)
    return record_if(_MAX_UNPOOL_NODES[nd], wrap(out.reshape(lead + tuple(size))), (input,),
                     (indices, nd))


def _unpool_args(kernel_size, stride, padding, nd):
    kernel = ntuple(kernel_size, nd, "max_unpool", "kernel_size")
    stride = kernel if stride is None else ntuple(stride, nd, "max_unpool", "stride")
    return kernel, stride, ntuple(padding, nd, "max_unpool", "padding")


@export("F")
def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of max_pool1d: each value back at its index, zeros elsewhere."""
    size = _unpool_output_size(input, *_unpool_args(kernel_size, stride, padding, 1),
                               output_size)
    return _max_unpoolnd(input.unsqueeze(-1), indices.unsqueeze(-1), size + [1],
                         2).squeeze(-1)


@export("F")
def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of max_pool2d: each value back at its index, zeros elsewhere."""
    size = _unpool_output_size(input, *_unpool_args(kernel_size, stride, padding, 2),
                               output_size)
    return _max_unpoolnd(input, indices, size, 2)


@export("F")
def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The partial inverse of max_pool3d: each value back at its index, zeros elsewhere."""
    size = _unpool_output_size(input, *_unpool_args(kernel_size, stride, padding, 3),
                               output_size)
    return _max_unpoolnd(input, indices, size, 3)


# ---- lp_pool: the p-norm of each window, from avg_pool (a composite, as in PyTorch) ---------

def _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, nd):
    max_pool = (max_pool1d, max_pool2d, max_pool3d)[nd - 1]
    if norm_type == math.inf:
        return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    avg_pool = (avg_pool1d, avg_pool2d, avg_pool3d)[nd - 1]
    out = avg_pool(input.pow(norm_type), kernel_size, kernel_size if stride is None else stride,
                   0, ceil_mode)
    count = math.prod(kernel_size) if isinstance(kernel_size, (tuple, list)) \
        else kernel_size ** nd
    return (out.sign() * out.abs().relu()).mul(count).pow(1.0 / norm_type)


@export("F")
def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """(sum of x^p over each window)^(1/p) along the last dim."""
    return _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, 1)


@export("F")
def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """(sum of x^p over each window)^(1/p) over the last two dims."""
    return _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, 2)


@export("F")
def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """(sum of x^p over each window)^(1/p) over the last three dims."""
    return _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, 3)


# ---- fractional max pooling: windows at pseudo-random, increasing starts ------------------

def _fractional_starts(samples, size, out, pool):
    """ATen's generate_intervals for every (batch, plane): the windows' starts along one dim,
    computed in the samples' dtype as ATen does."""
    dt = samples.dtype.type
    starts = np.empty(samples.shape + (out,), dtype=np.int64)
    if out > 1:
        alpha = dt(size - pool) / dt(out - 1)
        i = np.arange(out, dtype=samples.dtype)
        starts[...] = (((i + samples[..., None]) * alpha).astype(np.int64)
                       - (samples[..., None] * alpha).astype(np.int64))
    if out > 0:
        starts[..., -1] = size - pool
    return starts


def _fractional_checks(input, pool, out, samples, nd):
    fn = f"fractional_max_pool{nd}d"
    if samples.dtype is not input.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if samples.ndim != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {samples.ndim}")
    batched = input.ndim == nd + 2
    if samples.shape[0] < (input.shape[0] if batched else 1):
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if samples.shape[1] != input.shape[-nd - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != nd:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {nd}; got "
                           f"{samples.shape[2]}.")
    words = ("time", "height", "width")[-nd:]
    order = (0, 2, 1) if nd == 3 else (0, 1)        # ATen checks 3-d's width before height
    for k in order:
        size, o, p = input.shape[k - nd], out[k], pool[k]
        if not (o + p - 1 < size if nd == 3 else o + p - 1 <= size):
            where = f"{fn}_out()" if nd == 3 else f"{fn}()"
            raise RuntimeError(f"{where}: pool {words[k]} {p} too large relative to input "
                               f"{words[k]} {size}")


def _fractional_args(input, kernel_size, output_size, nd):
    fn = f"fractional_max_pool{nd}d"
    what = "tuple of three Ints" if nd == 3 else "tuple of Ints"
    pool = _as_ints(kernel_size, nd)
    if pool is None:
        raise RuntimeError(f"{fn}: kernel_size must either be a single Int or {what}")
    out = _as_ints(output_size, nd)
    if out is None:
        raise RuntimeError(f"{fn}: output_size must either be a single Int or {what}")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: "
                           f"{list(input.shape)}")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but got{list(input.shape)} with dimension {i} "
                               "being empty.")
    return pool, out


def _as_ints(value, nd):
    """An int or a sequence of 1 or nd ints as nd ints; None for another length."""
    v = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if len(v) not in (1, nd):
        return None
    return tuple(int(v[0 if len(v) == 1 else i]) for i in range(nd))


def _fractional_windows(samples, size, out, pool):
    """(N, C, *out, prod(pool)): the flat input positions of each output's window, its start
    drawn per (batch, plane) from the samples (ordered (width, height) in 2-d, (time,
    height, width) in 3-d, as ATen reads them)."""
    nd = len(size)
    n, c = samples.shape[:2]
    sample_of = (1, 0) if nd == 2 else (0, 1, 2)
    flat = 0
    for k in range(nd):
        starts = _fractional_starts(samples[..., sample_of[k]], size[k], out[k], pool[k])
        # (n, c, *out, *pool): window starts along dim k plus the offsets within the window
        along = starts.reshape((n, c) + (1,) * k + (out[k],) + (1,) * (nd - 1 - k + nd))
        offs = np.arange(pool[k]).reshape((1,) * (2 + nd + k) + (pool[k],) + (1,) * (nd - 1 - k))
        flat = flat + (along + offs) * math.prod(size[k + 1:])
    return np.broadcast_to(flat, (n, c) + out + pool).reshape((n, c) + out + (-1,))


def _fractional_max_poolnd(input, kernel_size, output_size, output_ratio, random_samples,
                           nd):
    fn = f"fractional_max_pool{nd}d"
    if output_size is None and output_ratio is None:
        raise ValueError(f"{fn} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if nd == 2 and len(output_ratio) > 2:   # len(): PyTorch's TypeError for a number
            raise ValueError(f"{fn} requires output_ratio to either be a single Int or tuple "
                             "of Ints.")
        ratio = (tuple(output_ratio) if isinstance(output_ratio, (tuple, list))
                 else (output_ratio,) * nd)
        output_size = [int(input.shape[k - nd] * ratio[k]) for k in range(nd)]
    if random_samples is None:
        n = input.shape[0] if input.ndim == nd + 2 else 1
        random_samples = rand(n, input.shape[-nd - 1], nd, dtype=input.dtype,
                              device=input.device)
    pool, out = _fractional_args(input, kernel_size, output_size, nd)
    _fractional_checks(input, pool, out, random_samples, nd)
    x = input if input.ndim == nd + 2 else input.unsqueeze(0)
    xd = dense(x)                       # windows gathered from the flattened planes
    xp = xp_of(xd)
    n, c = xd.shape[:2]
    samples = np.asarray(backend_of(random_samples._data).to_host(
        random_samples._data))[:n]
    limits.check_result((n, c) + out + (math.prod(pool),), 8)     # the windows' positions
    idx_all = xp.asarray(_fractional_windows(samples, xd.shape[2:], out, pool))
    windows = xp.take_along_axis(xd.reshape(n, c, -1), idx_all.reshape(n, c, -1),
                                 -1).reshape(idx_all.shape)
    pos = windows.argmax(-1)            # NumPy's argmax: the first NaN, else the first maximum
    values = xp.take_along_axis(windows, pos[..., None], -1)[..., 0]
    idx = xp.take_along_axis(idx_all, pos[..., None], -1)[..., 0]
    if input.ndim == nd + 1:
        values, idx = values[0], idx[0]
    return _max_result(input, values, idx, _FRACTIONAL_NODES[nd], True, nd)


@export("F")
def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    """Max pooling over the last two dims with windows at pseudo-random increasing starts
    (one sample per batch and plane in [0, 1) for each dim, drawn when not given)."""
    r = _fractional_max_poolnd(input, kernel_size, output_size, output_ratio, _random_samples,
                               2)
    return r if return_indices else r[0]


@export("F")
def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    """Max pooling over the last three dims with windows at pseudo-random increasing starts."""
    r = _fractional_max_poolnd(input, kernel_size, output_size, output_ratio, _random_samples,
                               3)
    return r if return_indices else r[0]


@export("F")
def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None,
                                       output_ratio=None, return_indices=False,
                                       _random_samples=None):
    """fractional_max_pool2d's values and indices (return_indices is ignored, as in
    PyTorch)."""
    return _fractional_max_poolnd(input, kernel_size, output_size, output_ratio,
                                  _random_samples, 2)


@export("F")
def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None,
                                       output_ratio=None, return_indices=False,
                                       _random_samples=None):
    """fractional_max_pool3d's values and indices (return_indices is ignored, as in
    PyTorch)."""
    return _fractional_max_poolnd(input, kernel_size, output_size, output_ratio,
                                  _random_samples, 3)
