"""The normalisation layers as functions: layer_norm, rms_norm, group_norm, batch_norm,
instance_norm (and the torch.NAME forms, whose arguments come in another order).

Statistics are summed in float64 and the scaling fused as PyTorch's kernels round it; the
backward is written in tensor ops (create_graph=True works), in float64 when nothing records
it, under PyTorch's node names (NativeLayerNormBackward0...).
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative, no_grad
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, half_as_float, require_float
from .composite_node import one_node
from .double_backward import relayed
from .shape import cat


def _standardize(x, axes, eps):
    """(x - mean) / sqrt(var + eps) over axes, and 1 / sqrt(var + eps), as tensor ops."""
    xc = x - x.mean(axes, keepdim=True)
    rstd = ((xc * xc).mean(axes, keepdim=True) + eps).rsqrt()
    return xc * rstd, rstd


def _standardize_grad(gxhat, xhat, rstd, axes):
    """The gradient through _standardize, given the gradient of its output."""
    return rstd * (gxhat - gxhat.mean(axes, keepdim=True)
                   - xhat * (gxhat * xhat).mean(axes, keepdim=True))


def _stats(xd, axes, eps):
    """The data in at least float32, and its mean, biased variance and 1 / sqrt(var + eps)
    over axes (kept): summed in float64, as close as PyTorch's careful float32 sums get."""
    if not xd.size:         # statistics over no elements: one per position of the others
        limits.check_result([1 if i in axes else n for i, n in enumerate(xd.shape)], 8)
    x = half_as_float(xd)
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=axes, keepdims=True)
    xc = x64 - mean
    var = (xc * xc).mean(axis=axes, keepdims=True)
    rstd = 1 / xp_of(xd).sqrt(var + eps)
    return x, mean.astype(x.dtype), var.astype(x.dtype), rstd.astype(x.dtype)


def _fma(x, a, b):
    """x * a + b rounded once to x's type, as PyTorch's vectorised kernels (fused
    multiply-add) compute it; b may be None."""
    if x.dtype == np.float64:
        return x * a if b is None else x * a + b
    r = x.astype(np.float64) * a
    return (r if b is None else r + b).astype(x.dtype)


def _affine(y, weight, bias, shape):
    """y * weight + bias, each optional, fused as PyTorch does."""
    if weight is None and bias is None:
        return y
    w = 1 if weight is None else weight._data.reshape(shape).astype(y.dtype)
    return _fma(y, w, None if bias is None else bias._data.reshape(shape).astype(y.dtype))


def _record_norm(node_cls, r, input, weight, bias, params):
    """r recorded as node_cls(input, weight, bias) when one of them needs a gradient; the
    node's params are (*params, whether there is a bias)."""
    return record_if(node_cls, r, (input, weight, bias), params + (bias is not None,),
                     save=(input, weight))


def _precise(grad, x, w):
    """grad, x and w in float64 when nothing records the backward (create_graph=False): the
    gradients of the normalisations, rounded once, then come out as close to PyTorch's
    float32 kernels as they get."""
    if GradMode.enabled or x._data.dtype == np.float64:
        return grad, x, w, None
    up = []
    for t in (grad, x, w):
        if t is not None:
            t, flag = wrap(t._data.astype(np.float64)), t._rg
            t._rg = flag        # which gradients are wanted (nothing is recorded)
        up.append(t)
    return up[0], up[1], up[2], x.dtype


def _cast(grads, dtype):
    return grads if dtype is None else tuple(None if g is None else g.to(dtype) for g in grads)


@derivative
def NativeLayerNormBackward0(node, grad):
    x, w = node.saved
    axes, eps, has_bias = node.params
    grad, x, w, dtype = _precise(grad, x, w)
    xhat, rstd = _standardize(x, axes, eps)
    lead = list(range(x.ndim - len(axes)))
    gx = _standardize_grad(grad if w is None else grad * w, xhat, rstd, axes) \
        if x._rg else None
    gw = (grad * xhat).sum(lead) if w is not None and w._rg else None
    gb = grad.sum(lead) if has_bias else None
    return relayed(_cast((gx, gw, gb), dtype), "NativeLayerNormBackwardBackward0")


@export("F")
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Standardise over the trailing dims normalized_shape, then scale and shift."""
    return _layer_norm(input, _layer_norm_shape(input, normalized_shape, weight, bias),
                       weight, bias, eps)[0]


def _layer_norm_shape(input, normalized_shape, weight, bias):
    """normalized_shape as a tuple, checked against input, weight and bias."""
    if isinstance(normalized_shape, (int, np.integer)):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple "
                        f"of ints, not {type(normalized_shape).__name__}")
    ns = tuple(int(s) for s in normalized_shape)
    for t, name in ((weight, "weight"), (bias, "bias")):
        if t is not None and tuple(t.shape) != ns:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(ns)}")
    shape = tuple(input.shape)
    if not ns or len(ns) > len(shape) or shape[len(shape) - len(ns):] != ns:
        raise RuntimeError(f"Given normalized_shape={list(ns)}, expected input with shape "
                           f"[*, {', '.join(str(s) for s in ns)}], but got input of size"
                           f"{list(shape)}")
    return ns


def _layer_norm(input, ns, weight, bias, eps):
    """layer_norm's output, and the mean and 1 / std it computed (kept dims, in input's
    dtype)."""
    require_float(input, "LayerNormKernelImpl")
    shape = tuple(input.shape)
    axes = tuple(range(len(shape) - len(ns), len(shape)))
    xd = dense(input, 8)                # the statistics are summed in float64
    x, mean, _, rstd = _stats(xd, axes, eps)
    y = _affine(_fma(x, rstd, -rstd * mean), weight, bias, ns)
    r = wrap(y.astype(xd.dtype, copy=False))
    return (_record_norm(NativeLayerNormBackward0, r, input, weight, bias, (axes, eps)),
            wrap(mean.astype(xd.dtype, copy=False)), wrap(rstd.astype(xd.dtype, copy=False)))


@export("torch", "F")
def rms_norm(input, normalized_shape, weight=None, eps=None):
    """x / sqrt(mean(x²) + eps) over the trailing dims normalized_shape, times weight (eps:
    the dtype's machine epsilon by default); composed of tensor ops, as PyTorch's."""
    if isinstance(normalized_shape, (int, np.integer)):
        raise TypeError("rms_norm(): argument 'normalized_shape' (position 2) must be tuple "
                        f"of ints, not {type(normalized_shape).__name__}")
    ns = tuple(int(s) for s in normalized_shape)
    if weight is not None and tuple(weight.shape) != ns:
        raise RuntimeError(f"Expected weight to be of same shape as normalized_shape, but got "
                           f"weight of shape {list(weight.shape)} and normalized_shape = "
                           f"{list(ns)}")
    shape = tuple(input.shape)
    if not ns or len(ns) > len(shape) or shape[len(shape) - len(ns):] != ns:
        raise RuntimeError(f"Given normalized_shape={list(ns)}, expected input with shape "
                           f"[*{', '.join(str(s) for s in ns)}], but got input of size"
                           f"{list(shape)}")
    require_float(input, "rms_norm")
    x = input.float() if input.dtype.itemsize == 2 else input      # half: in float
    if eps is None:
        eps = float(np.finfo(x._data.dtype).eps)
    dims = list(range(input.ndim - len(ns), input.ndim))
    r = x * (x.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    if weight is not None:
        r = r * weight
    return r.to(input.dtype)


@derivative
def NativeGroupNormBackward0(node, grad):
    x, w = node.saved
    groups, eps, has_bias = node.params
    grad, x, w, dtype = _precise(grad, x, w)
    n, c = x.shape[:2]
    xg = x.reshape(n, groups, -1)
    xhat_g, rstd = _standardize(xg, 2, eps)
    xhat = xhat_g.reshape(x.shape)
    cshape = (c,) + (1,) * (x.ndim - 2)
    axes = [0] + list(range(2, x.ndim))
    gx = gw = gb = None
    if x._rg:
        gxhat = grad if w is None else grad * w.reshape(cshape)
        gx = _standardize_grad(gxhat.reshape(n, groups, -1), xhat_g, rstd, 2) \
            .reshape(x.shape)
    if w is not None and w._rg:
        gw = (grad * xhat).sum(axes)
    if has_bias:
        gb = grad.sum(axes)
    return _cast((gx, gw, gb), dtype)


@export("F")
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """Standardise each sample over groups of channels (and the spatial dims)."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.ndim}")
    n, c = input.shape[:2]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    for t, name in ((weight, "weight"), (bias, "bias")):
        if t is not None and (t.ndim != 1 or t.shape[0] != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape {list(t.shape)} "
                               f"and input of shape {list(input.shape)}")
    require_float(input, "GroupNormKernelImpl")
    xd = dense(input, 8)                # the statistics are summed in float64
    x, mean, _, rstd = _stats(xd.reshape(n, num_groups, -1), 2, eps)
    # PyTorch's form: y = x * a + b per (sample, channel), a = rstd * weight, b = bias - a * mean
    a = xp_of(xd).repeat(rstd.reshape(n, num_groups), c // num_groups, axis=1)
    m = xp_of(xd).repeat(mean.reshape(n, num_groups), c // num_groups, axis=1)
    if weight is not None:
        a = a * weight._data.astype(a.dtype)
    b = -a * m
    if bias is not None:
        b = b + bias._data.astype(a.dtype)
    y = _fma(x.reshape(n, c, -1), a[..., None], b[..., None])
    r = wrap(y.reshape(xd.shape).astype(xd.dtype, copy=False))
    return _record_norm(NativeGroupNormBackward0, r, input, weight, bias, (num_groups, eps))


@derivative
def NativeBatchNormBackward0(node, grad):
    x, w = node.saved
    training, eps, mean, rstd, has_bias = node.params
    grad, x, w, dtype = _precise(grad, x, w)
    if dtype is not None:
        mean, rstd = mean.astype(np.float64), rstd.astype(np.float64)
    c = x.shape[1]
    cshape = (c,) + (1,) * (x.ndim - 2)
    axes = [0] + list(range(2, x.ndim))
    if training:
        xhat, rstd_t = _standardize(x, axes, eps)
    else:                   # the running statistics are constants
        rstd_t = wrap(rstd)
        xhat = (x - wrap(mean)) * rstd_t
    gx = gw = gb = None
    if x._rg:
        gxhat = grad if w is None else grad * w.reshape(cshape)
        gx = _standardize_grad(gxhat, xhat, rstd_t, axes) if training else gxhat * rstd_t
    if w is not None and w._rg:
        gw = (grad * xhat).sum(axes)
    if has_bias:
        gb = grad.sum(axes)
    return relayed(_cast((gx, gw, gb), dtype), "NativeBatchNormBackwardBackward0")


@export("F")
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """Standardise each channel (dim 1) over the batch and spatial dims: with the batch's
    statistics when training (running_mean / running_var, if given, are updated in place
    with momentum), else with the running statistics."""
    if momentum is not None and not isinstance(momentum, (int, float)):
        raise TypeError(f"batch_norm(): argument 'momentum' (position 7) must be float, not "
                        f"{type(momentum).__name__}")
    xd = input._data
    c = xd.shape[1] if xd.ndim > 1 else 0
    if training and c and xd.size // c == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input "
                         f"size {input.shape}")
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum,
                       eps)[0]


def _batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps):
    """batch_norm's output, and the per-channel mean and 1 / std of the batch it used (C,)
    (empty when not training: the running statistics were used)."""
    c = input.shape[1] if input.ndim > 1 else 0
    for t, name in ((running_mean, "running_mean"), (running_var, "running_var"),
                    (weight, "weight"), (bias, "bias")):
        if t is not None and t._data.size != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t._data.size}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be "
                           "defined in evaluation mode")
    require_float(input, "batch_norm")
    xd = dense(input, 8)                # statistics and scaling in float64
    axes = (0,) + tuple(range(2, xd.ndim))
    cshape = (c,) + (1,) * (xd.ndim - 2)
    xp = xp_of(xd)
    if training:
        count = xd.size // c
        x, mean, var, rstd = _stats(xd, axes, eps)
        if momentum is not None:
            for t, stat in ((running_mean, mean),
                            (running_var, var * (count / (count - 1)))):
                if t is not None:
                    td = t._data
                    td[...] = (td * (1 - momentum) + stat.reshape(td.shape) * momentum) \
                        .astype(td.dtype, copy=False)
    else:
        x = half_as_float(xd)
        mean = running_mean._data.reshape(cshape).astype(x.dtype)
        rstd = 1 / xp.sqrt(running_var._data.reshape(cshape).astype(x.dtype) + eps)
    alpha = rstd if weight is None else rstd * weight._data.reshape(cshape).astype(x.dtype)
    beta = -mean * alpha
    if bias is not None:
        beta = beta + bias._data.reshape(cshape).astype(x.dtype)
    r = wrap(_fma(x, alpha, beta).astype(xd.dtype, copy=False))
    r = _record_norm(NativeBatchNormBackward0, r, input, weight, bias,
                     (training, eps, mean.astype(xd.dtype), rstd.astype(xd.dtype)))
    if not training:
        return r, wrap(xp.zeros(0, dtype=xd.dtype)), wrap(xp.zeros(0, dtype=xd.dtype))
    return r, wrap(mean.reshape(c).astype(xd.dtype)), wrap(rstd.reshape(c).astype(xd.dtype))


@export("F")
def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05):
    """Standardise each (sample, channel) over its spatial dims: batch_norm of the input seen
    as one sample of N * C channels, as PyTorch computes it."""
    if use_input_stats:
        spatial = math.prod(input.shape[2:])
        if spatial == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input "
                             f"size {input.shape}")
    n, c = input.shape[:2]
    rep = [None if t is None else t.repeat(n) for t in (running_mean, running_var, weight,
                                                         bias)]
    x = input.reshape((1, n * c) + tuple(input.shape[2:]))
    out = batch_norm(x, rep[0], rep[1], rep[2], rep[3], use_input_stats, momentum, eps)
    for t, r in zip((running_mean, running_var), rep[:2]):
        if t is not None and use_input_stats:
            t._data[...] = r._data.reshape(n, c).mean(0).astype(t._data.dtype)
            t._bump()
    return out.view(input.shape)



# ---- local response normalisation --------------------------------------------------------

def _channel_window_sum(sq, size):
    """Sum over channels c - size//2 .. c + (size-1)//2 (zero outside) of sq (N, C, ...),
    over size: the average pool over channels that PyTorch's local_response_norm takes."""
    c = sq.shape[1]
    pad_shape = list(sq.shape)
    pad_shape[1] = size // 2
    before = sq.new_zeros(pad_shape)
    pad_shape[1] = (size - 1) // 2
    padded = cat([before, sq, sq.new_zeros(pad_shape)], 1)
    total = padded.narrow(1, 0, c)
    for i in range(1, size):
        total = total + padded.narrow(1, i, c)
    return total / size


@export("F")
def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """input / (k + alpha * mean of x² over the size neighbouring channels)^beta."""
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input "
                         f"(got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = _channel_window_sum(input.mul(input), size)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


def _cross_map_windows(channels, size):
    """The (C, C) 0/1 matrices of the channels each scale sums (the legacy Lua kernel's
    running window, whose first channel is never taken off) and of the channels each
    gradient ratio sums, as CrossMapLRN2d's forward and backward compute them."""
    pre_pad = int((size - 1) / 2 + 1)
    forward = np.zeros((channels, channels))
    forward[0, :min(pre_pad, channels)] = 1
    for c in range(1, channels):
        forward[c] = forward[c - 1]
        if c < channels - pre_pad + 1:
            forward[c, c + pre_pad - 1] += 1
        if c > pre_pad:
            forward[c, c - pre_pad] -= 1
    inverse_pre_pad = int(size - (size - 1) / 2)
    backward = np.zeros((channels, channels))
    for c in range(channels):
        lo, hi = c - inverse_pre_pad, c + size - 1 - inverse_pre_pad
        backward[c, max(lo, 0):min(hi, channels - 1) + 1] = 1
    return forward, backward


def _mix_channels(matrix, t):
    """sum_j matrix[c, j] t[:, j] for (N, C, H, W) t."""
    m = wrap(matrix.astype(t._data.dtype)).to(t.device)
    return (m @ t.flatten(2)).view(t.shape)


@derivative(name="CrossMapLRN2dBackward")
def _CrossMapLRN2dBackward(node, grad):
    """The legacy kernel's gradient (its window, as PyTorch's Function computes it)."""
    input, = node.saved
    size, alpha, beta, k = node.params
    if GradMode.enabled and (grad._rg or input._rg):
        # PyTorch's Function computes it with out= ops, which do not record
        raise RuntimeError("mul(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    forward, backward = _cross_map_windows(input.shape[1], size)
    scale = _mix_channels(forward, input * input) * (alpha / size) + k
    output = input * scale.pow(-beta)
    ratio = grad * output / scale
    return scale.pow(-beta) * grad - (2 * alpha * beta / size) * input * \
        _mix_channels(backward, ratio)


def cross_map_lrn2d(input, size, alpha=1e-4, beta=0.75, k=1):
    """nn.CrossMapLRN2d's function: input * (k + alpha / size * sum of x² over a window of
    channels)^-beta on (N, C, H, W) input."""
    if input.dim() != 4:
        raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.dim()}D instead.")
    forward, _ = _cross_map_windows(input.shape[1], size)
    with no_grad():
        scale = _mix_channels(forward, input * input) * (alpha / size) + k
        out = input * scale.pow(-beta)
    return record_if(_CrossMapLRN2dBackward, wrap(out._data), (input,), (size, alpha, beta, k),
                     save=(input,))


# ---- the torch.NAME forms, whose arguments differ from nn.functional's ------------------------

@export("torch.layer_norm")
def _torch_layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05,
                      cudnn_enable=True):
    return layer_norm(input, normalized_shape, weight, bias, eps)


@export("torch.group_norm")
def _torch_group_norm(input, num_groups, weight=None, bias=None, eps=1e-05,
                      cudnn_enabled=True):
    return group_norm(input, num_groups, weight, bias, eps)


@export("torch.batch_norm")
def _torch_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
                      cudnn_enabled):
    return batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


@export("torch.instance_norm")
def _torch_instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                         momentum, eps, cudnn_enabled):
    return instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                         momentum, eps)



# ---- the native_* forms: the output and the statistics the kernel saved --------------------

@export("torch")
def native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps):
    """(output, save_mean, save_invstd): the batch's per-channel mean and 1 / std when
    training, empty tensors otherwise."""
    return _batch_norm(input, running_mean, running_var, weight, bias, training, momentum,
                       eps)


@export("torch")
def native_layer_norm(input, normalized_shape, weight, bias, eps):
    """(output, mean, rstd), the statistics over the normalised dims, kept."""
    return _layer_norm(input, _layer_norm_shape(input, normalized_shape, weight, bias),
                       weight, bias, eps)


def _group_stats(input, n, groups, eps):
    """Each (sample, group)'s mean and 1 / sqrt(var + eps), (N, groups), as tensor ops."""
    xg = input.reshape(n, groups, -1)
    mean = xg.mean(2)
    var = (xg - mean.unsqueeze(2)).pow(2).mean(2)
    return mean, (var + eps).rsqrt()


@export("torch")
def native_group_norm(input, weight, bias, N, C, HxW, group, eps):
    """(output, mean, rstd), the statistics of each (sample, group), (N, group)."""
    out = group_norm(input, group, weight, bias, eps)
    mean, rstd = one_node("NativeGroupNormBackward0", _group_stats, (input,), N, group, eps)
    return out, mean, rstd
