"""Convolution and transposed convolution in 1, 2 and 3 dims (conv1d/2d/3d,
conv_transpose1d/2d/3d, torch.convolution), and conv_tbc.

A convolution is im2col (PyTorch's unfold layout) times the weight; its backward is written
with tensor ops (im2col, its adjoint col2im and einsum), so create_graph=True gives
higher-order gradients under PyTorch's node names (ConvolutionBackward0, and
ConvolutionBackwardBackward0 above a first-order gradient).
"""
from __future__ import annotations

import math

from .. import limits
from ..autograd import derivative, no_grad
from ..backend import xp_of
from ..dtypes import TYPEMETA_NAMES
from ..layouts import channels_last, copy_in_format, element_strides, strides_like_channels_last
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, in_dtype_of
from .double_backward import relayed
from .contraction import einsum
from .windows import col2im, conv_out, dims_text, im2col, ntuple


@derivative
def ConvolutionBackward0(node, grad):
    x, w = node.saved
    return relayed(_convolution_grads(x, w, grad, *node.params), "ConvolutionBackwardBackward0")


def _convolution_grads(x, w, grad, transposed, size, kernel, dilation, pads, stride, groups,
                       has_bias):
    """The gradients (input, weight, bias) of a convolution, in tensor ops."""
    G = groups
    n = grad.shape[0]
    if not transposed:
        # out[n, g, o, l] = sum_k w[g, o, k] * cols(x)[n, g, k, l]
        cout, L = grad.shape[1], math.prod(grad.shape[2:])
        g = grad.reshape(n, G, cout // G, L)
        wg = w.reshape(G, cout // G, -1)
        gx = gw = None
        if x._rg:
            cols = einsum("gok,ngol->ngkl", wg, g)
            gx = col2im(cols.reshape(n, -1, L), size, kernel, dilation, pads, stride)
        if w._rg:
            cols = im2col(x, kernel, dilation, pads, stride)
            gw = einsum("ngol,ngkl->gok", g, cols.reshape(n, G, -1, L)).reshape(w.shape)
    else:
        # out = col2im(w^T x): the gradient goes through im2col of grad
        cin, L = x.shape[1], math.prod(x.shape[2:])
        gcols = im2col(grad, kernel, dilation, pads, stride).reshape(n, G, -1, L)
        wg = w.reshape(G, cin // G, -1)
        xg = x.reshape(n, G, cin // G, L)
        gx = (einsum("gik,ngkl->ngil", wg, gcols).reshape(x.shape) if x._rg else None)
        gw = (einsum("ngil,ngkl->gik", xg, gcols).reshape(w.shape) if w._rg else None)
    gb = grad.sum([0] + list(range(2, grad.ndim))) if has_bias else None
    return gx, gw, gb


def _conv_checks(x, weight, bias, nd, fn):
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{fn}, but got input of size: {list(x.shape)}")
    if bias is not None and bias.dtype is not x.dtype:
        raise RuntimeError(f"Input type ({TYPEMETA_NAMES[x.dtype.name]}) and bias type "
                           f"({TYPEMETA_NAMES[bias.dtype.name]}) should be the same")
    if x.dtype is not weight.dtype:
        if x.dtype.name in ("float32", "float16", "bfloat16"):     # PyTorch's mkldnn path
            raise RuntimeError(f"Input type (torch.{x.dtype.legacy}) and weight type "
                               f"(torch.{weight.dtype.legacy}) should be the same or input "
                               "should be a MKLDNN tensor and weight is a dense tensor")
        raise RuntimeError(f"expected scalar type {x.dtype.short} but found "
                           f"{weight.dtype.short}")
    if weight.ndim != nd + 2:
        raise RuntimeError("weight should have at least three dimensions" if weight.ndim < 3
                           else f"expected stride to be a single integer value or a list of "
                                f"{weight.ndim - 2} values to match the convolution dimensions, "
                                f"but got stride=[{', '.join(['1'] * nd)}]")


def _conv_params(stride, padding, dilation, kernel, nd, fn):
    stride = ntuple(stride, nd, fn, "stride")
    dilation = ntuple(dilation, nd, fn, "dilation")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0),) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [d * (k - 1) for d, k in zip(dilation, kernel)]
            pads = tuple((t // 2, t - t // 2) for t in total)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        p = ntuple(padding, nd, fn, "padding")
        if any(q < 0 for q in p):
            raise RuntimeError("negative padding is not supported")
        pads = tuple((q, q) for q in p)
    return stride, dilation, pads


def _convnd(input, weight, bias, stride, padding, dilation, groups, nd, fn):
    _conv_checks(input, weight, bias, nd, fn)
    if input.ndim == nd + 1:
        return _convnd(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups,
                       nd, fn).squeeze(0)
    kernel = tuple(weight.shape[2:])
    stride, dilation, pads = _conv_params(stride, padding, dilation, kernel, nd, fn)
    n, c = input.shape[:2]
    cout, cg = weight.shape[:2]
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if cout % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{list(weight.shape)}] "
                           "instead")
    if cg * groups != c:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{list(input.shape)} to have {cg * groups} channels, "
                           f"but got {c} channels instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != cout):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be "
                           f"1-dimensional with {cout} elements, but got bias of size "
                           f"{list(bias.shape)} instead")
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(input.shape[2:], pads))
    eff = tuple(d * (k - 1) + 1 for d, k in zip(dilation, kernel))
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(f"Calculated padded input size per channel: ({dims_text(padded)}). "
                           f"Kernel size: ({dims_text(eff)}). Kernel size can't be greater "
                           "than actual input size")
    out = conv_out(input.shape[2:], kernel, dilation, pads, stride)
    with no_grad():
        cols = im2col(input, kernel, dilation, pads, stride)._data
    xp = xp_of(cols)
    L = cols.shape[-1]
    limits.check_result_of(cols, (n, cout, L), cols.itemsize)
    data = xp.matmul(dense(weight).reshape(groups, cout // groups, -1),
                     cols.reshape(n, groups, -1, L)).reshape((n, cout) + out)
    if bias is not None:
        data += bias._data.reshape((cout,) + (1,) * nd)
    data = in_dtype_of(data, cols)
    if nd == 2 and (_channels_last(input) or _channels_last(weight)):
        data = copy_in_format(xp, data, channels_last)   # PyTorch's CPU kernels' output
    return record_if(ConvolutionBackward0, wrap(data), (input, weight, bias),
                     (False, tuple(input.shape[2:]), kernel, dilation, pads, stride, groups,
                      bias is not None), save=(input, weight))


def _channels_last(t):
    data = t._data
    return data.ndim == 4 and strides_like_channels_last(data.shape, element_strides(data))


@export("torch", "F")
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation) of (N, C, L) input with (O, C/groups, k) weight."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


@export("torch", "F")
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution of (N, C, H, W) input with (O, C/groups, kh, kw) weight."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def _per_dim_text(*named):
    """'stride_height: 1 stride_width: 2' for each (name, values, fill): 1-d as 2-d (ATen runs
    1-d convolutions as 2-d ones, filling the height with fill)."""
    words = []
    for name, values, fill in named:
        values = ((fill,) * (2 - len(values)) + tuple(values))
        dims = ("depth", "height", "width")[-len(values):]
        words += [f"{name}_{d}: {v}" for d, v in zip(dims, values)]
    return " ".join(words)


def _conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation,
                      nd, fn):
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{fn}, but got input of size: {list(input.shape)}")
    if input.ndim == nd + 1:
        return _conv_transposend(input.unsqueeze(0), weight, bias, stride, padding,
                                 output_padding, groups, dilation, nd, fn).squeeze(0)
    _conv_checks(input, weight, bias, nd, fn)
    kernel = tuple(weight.shape[2:])
    stride, dilation, pads = _conv_params(stride, padding, dilation, kernel, nd, fn)
    opad = ntuple(output_padding, nd, fn, "output_padding")
    n, cin = input.shape[:2]
    if weight.shape[0] != cin:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{list(input.shape)} to have {weight.shape[0]} channels, but "
                           f"got {cin} channels instead")
    if any(o >= s and o >= d for o, s, d in zip(opad, stride, dilation)):
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           "got " + _per_dim_text(("output_padding", opad, 0),
                                                  ("stride", stride, 1),
                                                  ("dilation", dilation, 1)))
    cout = weight.shape[1] * groups
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != cout):
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"bias to be 1-dimensional with {cout} elements, but got bias of "
                           f"size {list(bias.shape)} instead")
    size = tuple((s - 1) * st - lo - hi + d * (k - 1) + o + 1 for s, st, (lo, hi), d, k, o in
                 zip(input.shape[2:], stride, pads, dilation, kernel, opad))
    if any(s <= 0 for s in size):
        raise RuntimeError(f"Given input size per channel: ({dims_text(input.shape[2:])}). "
                           f"Calculated output size per channel: ({dims_text(size)}). Output "
                           "size is too small")
    xd = dense(input)
    L = math.prod(input.shape[2:])
    cols = xp_of(xd).matmul(dense(weight).reshape(groups, cin // groups, -1).swapaxes(1, 2),
                            xd.reshape(n, groups, cin // groups, L))
    with no_grad():
        r = col2im(wrap(cols.reshape(n, -1, L)), size, kernel, dilation, pads, stride)
    data = r._data
    if bias is not None:
        data += bias._data.reshape((cout,) + (1,) * nd)
    data = in_dtype_of(data, xd)
    return record_if(ConvolutionBackward0, wrap(data), (input, weight, bias),
                     (True, size, kernel, dilation, pads, stride, groups, bias is not None),
                     save=(input, weight))


@export("torch", "F")
def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """The adjoint of conv1d ("deconvolution"); weight is (C_in, C_out/groups, k)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 1, "conv_transpose1d")


@export("torch", "F")
def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """The adjoint of conv2d; weight is (C_in, C_out/groups, kh, kw)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 2, "conv_transpose2d")


@export("torch", "F")
def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution of (N, C, D, H, W) input with (O, C/groups, kd, kh, kw) weight."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


@export("torch", "F")
def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    """The adjoint of conv3d; weight is (C_in, C_out/groups, kd, kh, kw)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 3, "conv_transpose3d")


@export("torch")
def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                groups):
    """ATen's convolution: the plain or transposed convolution of as many dims as weight has
    beyond two, on batched input."""
    if isinstance(padding, str):
        raise TypeError("convolution(): argument 'padding' (position 5) must be tuple of ints, "
                        "not str")
    if input.ndim != weight.ndim:
        raise RuntimeError(f"Expected {weight.ndim}-dimensional input for {weight.ndim}-"
                           f"dimensional weight {list(weight.shape)}, but got {input.ndim}-"
                           f"dimensional input of size {list(input.shape)} instead")
    nd = weight.ndim - 2
    if transposed:
        return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                                 dilation, nd, f"conv_transpose{nd}d")
    return _convnd(input, weight, bias, stride, padding, dilation, groups, nd, f"conv{nd}d")


@derivative
def ConvTbcBackward0(node, grad):
    x, w = node.saved
    pad, = node.params
    gx, gw, gb = _convolution_grads(x.permute(1, 2, 0), w.permute(2, 1, 0),
                                    grad.permute(1, 2, 0), False, (x.shape[0],),
                                    (w.shape[0],), (1,), ((pad, pad),), (1,), 1, True)
    return (None if gx is None else gx.permute(2, 0, 1),
            None if gw is None else gw.permute(2, 1, 0), gb)


@export("torch", "F")
def conv_tbc(input, weight, bias, pad=0):
    """1-D convolution of (time, batch, channels) input with (kernel width, in, out) weight."""
    if input.ndim != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if weight.ndim != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, "
                           "out_channels.")
    if bias.ndim != 1:
        raise RuntimeError("Bias must be 1-D")
    if input.shape[2] != weight.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if bias.shape[0] != weight.shape[2]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    with no_grad():
        out = conv1d(input.permute(1, 2, 0), weight.permute(2, 1, 0), bias, padding=pad)
    r = wrap(xp_of(out._data).ascontiguousarray(out._data.transpose(2, 0, 1)))
    return record_if(ConvTbcBackward0, r, (input, weight, bias), (pad,), save=(input, weight))
