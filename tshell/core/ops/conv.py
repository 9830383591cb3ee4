"""Convolution, pooling, padding and normalisation layers as functions (nn.functional).

Windows over the spatial dims are strided views of the (padded) input (`_windows`): no copy
until a product or a reduction reads them. Convolution is im2col (`_im2col`, PyTorch's unfold
layout) times the weight; its backward is written with tensor ops (im2col, its adjoint col2im
and einsum), so create_graph=True gives higher-order gradients. Each op keeps PyTorch's
grad_fn name (ConvolutionBackward0, NativeLayerNormBackward0, MaxPool2DWithIndicesBackward0...).
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import GradMode, Node, no_grad
from ..backend import xp_of
from ..dtypes import FLOATING, TYPEMETA_NAMES
from ..tensor import Tensor, record, saved_output, wrap
from .common import broadcast_error, dense, half_as_float, require_float


# ---- argument helpers ------------------------------------------------------------------------

def _ntuple(value, n, fn, arg):
    """An int or a sequence of n ints (one int in a sequence repeats) as a tuple of n ints."""
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        value = tuple(int(v) for v in value)
        if len(value) == 1:
            return value * n
        if len(value) != n:
            raise RuntimeError(f"{fn}: {arg} must either be a single int, or a tuple of {n} ints"
                               if "pool" in fn else
                               f"expected {arg} to be a single integer value or a list of {n} "
                               f"values to match the convolution dimensions, but got "
                               f"{arg}={list(value)}")
        return value
    return (int(value),) * n


def _strided(a, shape, strides):
    """A view of array a with the given shape and (byte) strides."""
    xp = xp_of(a)
    lib = np.lib if xp is np else xp.lib
    return lib.stride_tricks.as_strided(a, shape, strides)


def _padded(xd, pads, value=0):
    """xd with pads = ((lo, hi), ...) added around its trailing dims, filled with value."""
    if not any(lo or hi for lo, hi in pads):
        return xd
    lead = xd.ndim - len(pads)
    shape = xd.shape[:lead] + tuple(s + lo + hi for s, (lo, hi) in zip(xd.shape[lead:], pads))
    limits.check_result(shape, xd.itemsize)
    out = xp_of(xd).full(shape, value, dtype=xd.dtype)
    out[(Ellipsis,) + tuple(slice(lo, lo + s) for s, (lo, _) in
                            zip(xd.shape[lead:], pads))] = xd
    return out


def _windows(xd, kernel, dilation, stride, out):
    """The view (*lead, *out, *kernel) of the windows over xd's trailing len(kernel) dims."""
    n = len(kernel)
    lead = xd.ndim - n
    st = xd.strides
    shape = xd.shape[:lead] + tuple(out) + tuple(kernel)
    strides = (st[:lead] + tuple(st[lead + i] * stride[i] for i in range(n))
               + tuple(st[lead + i] * dilation[i] for i in range(n)))
    return _strided(xd, shape, strides)


def _conv_out(size, kernel, dilation, pads, stride):
    return tuple((s + lo + hi - d * (k - 1) - 1) // st + 1
                 for s, k, d, (lo, hi), st in zip(size, kernel, dilation, pads, stride))


def _dims_text(sizes, sep=" x "):
    return sep.join(str(s) for s in sizes)


class _Relay(Node):
    """A first-order gradient computed under create_graph, shown under the name PyTorch's
    double-backward node has (ConvolutionBackwardBackward0...): the gradient flows through."""
    __slots__ = ()

    def backward(self, grad):
        return grad


_RELAYS = {}


def _relayed(grads, name):
    """grads (tensors or None), each recorded behind a node called name when a graph is
    being built (the backward of a backward, create_graph=True)."""
    if not GradMode.enabled:
        return grads
    cls = _RELAYS.get(name) or _RELAYS.setdefault(name, type(name, (_Relay,), {"__slots__": ()}))
    out = []
    for g in grads:
        if g is not None and g._rg:
            r = wrap(g._data)
            record(cls, r, (g,))
            g = r
        out.append(g)
    return tuple(out)


# ---- im2col / col2im as tensor ops (each the other's derivative) -------------------------

class Im2ColBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return _col2im(grad, *self.params)


class Col2ImBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return _im2col(grad, *self.params[1:])


def _im2col(x, kernel, dilation, pads, stride):
    """(N, C, *S) -> (N, C * prod(kernel), L): the windows as columns (PyTorch's unfold)."""
    xd = x._data
    n, c = xd.shape[:2]
    out = _conv_out(xd.shape[2:], kernel, dilation, pads, stride)
    k, L = math.prod(kernel), math.prod(out)
    limits.check_result((n, c * k, L), xd.itemsize)
    w = _windows(_padded(xd, pads), kernel, dilation, stride, out)
    nd = len(kernel)
    # (N, C, *out, *kernel) -> (N, C, *kernel, *out): one copy, the im2col buffer
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    r = wrap(xp_of(xd).ascontiguousarray(w.transpose(order)).reshape(n, c * k, L))
    if GradMode.enabled and x._rg:
        record(Im2ColBackward0, r, (x,), (xd.shape[2:], kernel, dilation, pads, stride))
    return r


def _col2im(cols, size, kernel, dilation, pads, stride):
    """The adjoint of _im2col: each column's entries added back at their window's places."""
    cd = cols._data
    n, ck, _ = cd.shape
    c = ck // math.prod(kernel)
    out = _conv_out(size, kernel, dilation, pads, stride)
    full = tuple(s + lo + hi for s, (lo, hi) in zip(size, pads))
    limits.check_result((n, c) + full, cd.itemsize)
    xp = xp_of(cd)
    acc = xp.zeros((n, c) + full, dtype=cd.dtype)
    blocks = cd.reshape((n, c) + tuple(kernel) + tuple(out))
    for offs in np.ndindex(*kernel):
        where = tuple(slice(o * d, o * d + st * (m - 1) + 1, st)
                      for o, d, st, m in zip(offs, dilation, stride, out))
        acc[(slice(None), slice(None)) + where] += blocks[(slice(None), slice(None)) + offs]
    crop = tuple(slice(lo, lo + s) for s, (lo, _) in zip(size, pads))
    r = wrap(xp.ascontiguousarray(acc[(slice(None), slice(None)) + crop]))
    if GradMode.enabled and cols._rg:
        record(Col2ImBackward0, r, (cols,), (size, kernel, dilation, pads, stride))
    return r


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks of a (N, C, H, W) or (C, H, W) input as columns (im2col)."""
    nd = input.ndim
    if nd not in (3, 4):
        raise NotImplementedError(f"Input Error: Only 3D or 4D input Tensors are supported "
                                  f"(got {nd}D)")
    x = input if nd == 4 else input.unsqueeze(0)
    k, d, p, s = (_ntuple(v, 2, "unfold", a) for v, a in
                  ((kernel_size, "kernel_size"), (dilation, "dilation"), (padding, "padding"),
                   (stride, "stride")))
    pads = tuple((q, q) for q in p)
    out = _conv_out(x.shape[2:], k, d, pads, s)
    if min(out) < 1:
        raise RuntimeError(f"Given input with spatial size ({x.shape[2]}, {x.shape[3]}), "
                           f"kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), "
                           f"padding=({p[0]}, {p[1]}), calculated shape of the array of "
                           f"sliding blocks as ({out[0]}, {out[1]}), but its components must "
                           "be at least one.")
    r = _im2col(x, k, d, pads, s)
    return r if nd == 4 else r.squeeze(0)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Columns (N, C * kh * kw, L) summed back into a (N, C, *output_size) image (col2im)."""
    nd = input.ndim
    if nd not in (2, 3):
        raise NotImplementedError(f"Input Error: Only unbatched (2D) or batched (3D) input "
                                  f"Tensors are supported (got {nd}D)")
    x = input if nd == 3 else input.unsqueeze(0)
    size, k, d, p, s = (_ntuple(v, 2, "fold", a) for v, a in
                        ((output_size, "output_size"), (kernel_size, "kernel_size"),
                         (dilation, "dilation"), (padding, "padding"), (stride, "stride")))
    if x.shape[1] % math.prod(k):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={x.shape[1]} and "
                           f"kernel_size=({k[0]}, {k[1]}).")
    pads = tuple((q, q) for q in p)
    out = _conv_out(size, k, d, pads, s)
    if math.prod(out) != x.shape[2]:
        raise RuntimeError(f"Given output_size=({size[0]}, {size[1]}), kernel_size=({k[0]}, "
                           f"{k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), "
                           f"stride=({s[0]}, {s[1]}), expected size of input's dimension 2 to "
                           f"match the calculated number of sliding blocks {out[0]} * {out[1]} "
                           f"= {math.prod(out)}, but got input.size(2)={x.shape[2]}.")
    r = _col2im(x, size, k, d, pads, s)
    return r if nd == 3 else r.squeeze(0)


# ---- convolution -----------------------------------------------------------------------------

class ConvolutionBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        from .contraction import einsum
        x, w = self.saved
        transposed, size, kernel, dilation, pads, stride, groups, has_bias = self.params
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
                gx = _col2im(cols.reshape(n, -1, L), size, kernel, dilation, pads, stride)
            if w._rg:
                cols = _im2col(x, kernel, dilation, pads, stride)
                gw = einsum("ngol,ngkl->gok", g, cols.reshape(n, G, -1, L)).reshape(w.shape)
        else:
            # out = col2im(w^T x): the gradient goes through im2col of grad
            cin, L = x.shape[1], math.prod(x.shape[2:])
            gcols = _im2col(grad, kernel, dilation, pads, stride).reshape(n, G, -1, L)
            wg = w.reshape(G, cin // G, -1)
            xg = x.reshape(n, G, cin // G, L)
            gx = (einsum("gik,ngkl->ngil", wg, gcols).reshape(x.shape) if x._rg else None)
            gw = (einsum("ngil,ngkl->gik", xg, gcols).reshape(w.shape) if w._rg else None)
        gb = grad.sum([0] + list(range(2, grad.ndim))) if has_bias else None
        return _relayed((gx, gw, gb), "ConvolutionBackwardBackward0")


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
    stride = _ntuple(stride, nd, fn, "stride")
    dilation = _ntuple(dilation, nd, fn, "dilation")
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
        p = _ntuple(padding, nd, fn, "padding")
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
        raise RuntimeError("Given groups=%d, expected weight to be divisible by %d at dimension "
                           "0, but got weight of size [%s] instead" % (groups, groups,
                                                                       list(weight.shape)))
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
        raise RuntimeError(f"Calculated padded input size per channel: ({_dims_text(padded)}). "
                           f"Kernel size: ({_dims_text(eff)}). Kernel size can't be greater "
                           "than actual input size")
    out = _conv_out(input.shape[2:], kernel, dilation, pads, stride)
    with no_grad():
        cols = _im2col(input, kernel, dilation, pads, stride)._data
    xp = xp_of(cols)
    L = cols.shape[-1]
    limits.check_result((n, cout, L), cols.itemsize)
    data = xp.matmul(dense(weight).reshape(groups, cout // groups, -1),
                     cols.reshape(n, groups, -1, L)).reshape((n, cout) + out)
    if bias is not None:
        data += bias._data.reshape((cout,) + (1,) * nd)
    r = wrap(data)
    if GradMode.enabled and (input._rg or weight._rg or (bias is not None and bias._rg)):
        record(ConvolutionBackward0, r, (input, weight, bias),
               (False, tuple(input.shape[2:]), kernel, dilation, pads, stride, groups,
                bias is not None), save=(input, weight))
    return r


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation) of (N, C, L) input with (O, C/groups, k) weight."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution of (N, C, H, W) input with (O, C/groups, kh, kw) weight."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


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
    opad = _ntuple(output_padding, nd, fn, "output_padding")
    n, cin = input.shape[:2]
    if weight.shape[0] != cin:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{list(input.shape)} to have {weight.shape[0]} channels, but "
                           f"got {cin} channels instead")
    if any(o >= s and o >= d for o, s, d in zip(opad, stride, dilation)):
        raise RuntimeError("output padding must be smaller than either stride or dilation, but "
                           f"got output_padding_height: {opad[0]} output_padding_width: "
                           f"{opad[-1]} stride_height: {stride[0]} stride_width: {stride[-1]} "
                           f"dilation_height: {dilation[0]} dilation_width: {dilation[-1]}")
    cout = weight.shape[1] * groups
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != cout):
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"bias to be 1-dimensional with {cout} elements, but got bias of "
                           f"size {list(bias.shape)} instead")
    size = tuple((s - 1) * st - lo - hi + d * (k - 1) + o + 1 for s, st, (lo, hi), d, k, o in
                 zip(input.shape[2:], stride, pads, dilation, kernel, opad))
    if any(s <= 0 for s in size):
        raise RuntimeError(f"Given input size per channel: ({_dims_text(input.shape[2:])}). "
                           f"Calculated output size per channel: ({_dims_text(size)}). Output "
                           "size is too small")
    xd = dense(input)
    L = math.prod(input.shape[2:])
    cols = xp_of(xd).matmul(dense(weight).reshape(groups, cin // groups, -1).swapaxes(1, 2),
                            xd.reshape(n, groups, cin // groups, L))
    with no_grad():
        r = _col2im(wrap(cols.reshape(n, -1, L)), size, kernel, dilation, pads, stride)
    data = r._data
    if bias is not None:
        data += bias._data.reshape((cout,) + (1,) * nd)
    r = wrap(data)
    if GradMode.enabled and (input._rg or weight._rg or (bias is not None and bias._rg)):
        record(ConvolutionBackward0, r, (input, weight, bias),
               (True, size, kernel, dilation, pads, stride, groups, bias is not None),
               save=(input, weight))
    return r


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """The adjoint of conv1d ("deconvolution"); weight is (C_in, C_out/groups, k)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 1, "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """The adjoint of conv2d; weight is (C_in, C_out/groups, kh, kw)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 2, "conv_transpose2d")


# ---- one_hot, pad ----------------------------------------------------------------------------

def one_hot(tensor, num_classes=-1):
    """Class indices (int64) as rows of 0s with a 1 at the index: shape (*tensor.shape, C)."""
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    td = tensor._data
    xp = xp_of(td)
    if num_classes == -1:
        if td.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(td.max()) + 1
    if td.size:
        if int(td.min()) < 0:
            raise RuntimeError("Class values must be non-negative.")
        if int(td.max()) >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    shape = td.shape + (int(num_classes),)
    limits.check_result(shape, 8)
    return wrap((td[..., None] == xp.arange(num_classes)).astype(np.int64))


class ConstantPadNdBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return _constant_pad(grad, tuple(-p for p in self.params), 0)


def _constant_pad(x, pad, value):
    """constant_pad_nd: pad = (last lo, last hi, next lo, next hi...); negative pads crop."""
    xd = x._data
    nd = xd.ndim
    shape, src, dst = list(xd.shape), [slice(None)] * nd, [slice(None)] * nd
    for i in range(len(pad) // 2):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        size = xd.shape[d]
        kept = size - max(-lo, 0) - max(-hi, 0)
        if kept < 0 or size + lo + hi < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        shape[d] = size + lo + hi
        src[d] = slice(max(-lo, 0), max(-lo, 0) + kept)
        dst[d] = slice(max(lo, 0), max(lo, 0) + kept)
    limits.check_result(shape, xd.itemsize)
    out = xp_of(xd).full(shape, value, dtype=xd.dtype)
    out[tuple(dst)] = xd[tuple(src)]
    r = wrap(out)
    if GradMode.enabled and x._rg:
        record(ConstantPadNdBackward0, r, (x,), tuple(pad))
    return r


class _GatherBackward(Node):
    """Ops made of gathers along one dim at a time (reflection / replication padding,
    interpolation): params = (input shape, steps), each step (dim, [(index, weight or None),
    ...]) summing weighted gathers. The gradient scatters back through them with index_add,
    the last step first."""
    __slots__ = ()

    def backward(self, grad):
        from .creation import zeros
        shape, steps = self.params
        g = grad
        for d, picks in reversed(steps):
            size = list(g.shape)
            size[d] = shape[d]
            acc = zeros(size, dtype=g.dtype, device=g.device)
            for idx, lam in picks:
                acc = acc.index_add(d, idx, g if lam is None else g * lam)
            g = acc
        return g


_PAD_NODES = {(mode, k): type(f"{name}Pad{k}DBackward0", (_GatherBackward,), {"__slots__": ()})
              for mode, name in (("reflect", "Reflection"), ("replicate", "Replication"))
              for k in (1, 2, 3)}


def _index_pad(x, pad, mode):
    xd = dense(x)                       # NumPy's take along a dim copies the input
    xp = xp_of(xd)
    nd, k = xd.ndim, len(pad) // 2
    picks, out = [], xd
    for i in range(k):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        size = xd.shape[d]
        if mode == "reflect" and (lo >= size or hi >= size):
            raise RuntimeError(f"Argument #{4 + 2 * i}: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding ({lo}, {hi}) "
                               f"at dimension {d} of input {list(xd.shape)}")
        if size + lo + hi < 0:
            raise RuntimeError(f"input tensor is too small for the padding: {list(xd.shape)}")
        pos = np.arange(-lo, size + hi)
        idx = (np.abs(pos) - np.maximum(pos - (size - 1), 0) * 2 if mode == "reflect"
               else np.clip(pos, 0, size - 1))
        shape = out.shape[:d] + (len(pos),) + out.shape[d + 1:]
        limits.check_result(shape, xd.itemsize)
        idx = xp.asarray(idx)
        out = xp.take(out, idx, axis=d)
        picks.append((d, [(wrap(idx), None)]))
    r = wrap(xp.ascontiguousarray(out))
    if GradMode.enabled and x._rg:
        record(_PAD_NODES[mode, k], r, (x,), (xd.shape, picks))
    return r


def _circular_pad(x, pad):
    """PyTorch's _pad_circular: the input copied into the middle, then each side filled from
    the opposite edge, slice by slice (grad_fn CopySlices)."""
    from .creation import zeros
    nd, k = x.ndim, len(pad) // 2
    in_shape = list(x.shape)
    out_shape = list(in_shape)
    for i in range(k):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        if lo > in_shape[d] or hi > in_shape[d]:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        out_shape[d] = in_shape[d] + lo + hi
        if out_shape[d] < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension.")
    limits.check_result(out_shape, x._data.itemsize)
    out = zeros(out_shape, dtype=x.dtype, device=x.device)
    dst, src = [slice(None)] * nd, [slice(None)] * nd
    for i in range(k):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        dst[d] = slice(max(lo, 0), out_shape[d] - max(hi, 0))
        src[d] = slice(max(-lo, 0), in_shape[d] - max(-hi, 0))
    out[tuple(dst)] = x[tuple(src)]
    for i in range(k):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = out_shape[d]
        at = [slice(None)] * nd
        if lo > 0:
            to, frm = list(at), list(at)
            to[d], frm[d] = slice(0, lo), slice(n - lo - max(hi, 0), n - max(hi, 0))
            out[tuple(to)] = out[tuple(frm)]
        if hi > 0:
            to, frm = list(at), list(at)
            to[d], frm[d] = slice(n - hi, n), slice(max(lo, 0), max(lo, 0) + hi)
            out[tuple(to)] = out[tuple(frm)]
    return out


def pad(input, pad, mode="constant", value=None):
    """Pad the last len(pad) // 2 dims: pad = (left, right, top, bottom, ...), from the last
    dim backwards. Modes 'constant' (with value), 'reflect', 'replicate', 'circular'."""
    if not isinstance(pad, (tuple, list)):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not "
                        f"{type(pad).__name__}")
    for i, p in enumerate(pad):
        if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
            raise TypeError(f"pad(): argument 'pad' failed to unpack the object at pos {i + 1} "
                            f"with error \"type must be tuple of ints,but got "
                            f"{type(p).__name__}\"")
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    nd = input.ndim
    if len(pad) // 2 > nd:
        raise RuntimeError(f"Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(pad)} and input of "
                           f"dimension {nd}")
    if mode == "constant":
        return _constant_pad(input, pad, 0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    k = len(pad) // 2
    if k not in (1, 2, 3) or nd not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {nd}D input tensor.\nSupported "
            "combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    if mode == "circular":
        return _circular_pad(input, pad)
    return _index_pad(input, pad, mode)


# ---- normalize, distances, embedding ---------------------------------------------------------

def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p along dim, eps)."""
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    r = input / denom
    if out is not None:
        out.copy_(r)
        return out
    return r


def _float_pair(x1, x2, fn):
    from ..dtypes import result_type_of
    dt = result_type_of([x1.dtype, x2.dtype], [], [])
    if dt.category < FLOATING:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{dt.short}")
    x1 = x1 if x1.dtype.category >= FLOATING else x1.to(dt)
    x2 = x2 if x2.dtype.category >= FLOATING else x2.to(dt)
    from .shape import broadcast_tensors
    return broadcast_tensors(x1, x2)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """<x1, x2> / (max(||x1||, eps) * max(||x2||, eps)) along dim (as PyTorch computes it:
    each input divided by its clamped norm first)."""
    x1, x2 = _float_pair(x1, x2, "cosine_similarity")
    n1 = x1.norm(2, dim, keepdim=True).clone()
    n2 = x2.norm(2, dim, keepdim=True).clone()
    with no_grad():
        n1.clamp_min_(eps)
        n2.clamp_min_(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


class CdistBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x1, x2 = self.saved
        p, = self.params
        dist = saved_output(self).unsqueeze(-1)
        g = grad.unsqueeze(-1)
        diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
        if p == 0:
            G = diff * 0
        elif p == 1:
            G = g * diff.sign()
        elif p == 2:
            G = (g * diff / dist).masked_fill(dist == 0, 0)
        elif p == math.inf:
            G = g * diff.sign() * (diff.abs() == dist)
        else:
            G = g * diff.sign() * diff.abs().pow(p - 1) / dist.pow(p - 1)
            zero = dist == 0
            if p < 1:
                zero = zero | (diff == 0)
            G = G.masked_fill(zero, 0)
        return (G.sum(-2) if x1._rg else None), (-G.sum(-3) if x2._rg else None)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """p-norm distances between the rows of x1 (*, P, M) and x2 (*, R, M): shape (*, P, R)."""
    for i, t in enumerate((x1, x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, X{i + 1} got: "
                               f"{t.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    for i, t in enumerate((x1, x2)):
        if t.dtype.category != FLOATING:
            raise RuntimeError(f"cdist only supports floating-point dtypes, X{i + 1} got: "
                               f"{t.dtype.short}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    try:
        batch = tuple(np.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])))
    except ValueError:
        raise broadcast_error(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])) from None
    r1, r2, m = x1.shape[-2], x2.shape[-2], x1.shape[-1]
    out_shape = batch + (r1, r2)
    limits.check_result(out_shape, x1._data.itemsize)
    mm = p == 2 and (compute_mode == "use_mm_for_euclid_dist" or (
        compute_mode == "use_mm_for_euclid_dist_if_necessary" and (r1 > 25 or r2 > 25)))
    if mm:
        return _euclidean_dist(x1.expand(batch + (r1, m)).reshape(-1, r1, m),
                               x2.expand(batch + (r2, m)).reshape(-1, r2, m)).view(out_shape)
    limits.check_result(batch + (r1, r2, m), x1._data.itemsize)
    a, b = x1._data, x2._data
    xp = xp_of(a)
    diff = xp.abs(a[..., :, None, :] - b[..., None, :, :])
    if p == 0:
        d = (diff != 0).sum(-1).astype(a.dtype)
    elif p == 1:
        d = diff.sum(-1)
    elif p == 2:
        d = xp.sqrt((diff * diff).sum(-1))
    elif p == math.inf:
        d = diff.max(-1) if m else xp.zeros(out_shape, a.dtype)
    else:
        d = (diff ** p).sum(-1) ** (1.0 / p)
    r = wrap(xp.ascontiguousarray(xp.broadcast_to(d, out_shape)).astype(a.dtype, copy=False))
    if GradMode.enabled and (x1._rg or x2._rg):
        record(CdistBackward0, r, (x1, x2), (p,), save=(x1, x2), save_out=True)
    return r


def _euclidean_dist(x1, x2):
    """PyTorch's _euclidean_dist: one matmul of [-2 x1, |x1|², 1] and [x2, 1, |x2|²]."""
    from .shape import cat
    n1 = x1.pow(2).sum(-1, keepdim=True)
    n2 = x2.pow(2).sum(-1, keepdim=True)
    a = cat([x1.mul(-2), n1, n1.new_ones(n1.shape)], -1)
    b = cat([x2, n2.new_ones(n2.shape), n2], -1)
    r = a.matmul(b.mT)
    return r.clamp_min_(0).sqrt_()


class EmbeddingBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        from .creation import zeros
        idx, shape, padding_idx = self.params
        g = grad.reshape(-1, shape[1])
        flat = idx.reshape(-1)
        if padding_idx >= 0:
            g = g.masked_fill((flat == padding_idx).unsqueeze(-1), 0)
        return zeros(shape, dtype=grad.dtype, device=grad.device).index_add(0, flat, g)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of weight picked by the indices in input; padding_idx's row gets no gradient."""
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if padding_idx is not None:
        if not -weight.shape[0] <= padding_idx < weight.shape[0]:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= weight.shape[0]
    else:
        padding_idx = -1
    if input.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got torch."
                           f"{input.dtype.legacy} instead (while checking arguments for "
                           "embedding)")
    idx = input._data
    n = weight.shape[0]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= n):
        raise IndexError("index out of range in self")
    wd = weight._data
    xp = xp_of(wd)
    if max_norm is not None:
        rows = xp.unique(idx)
        norms = (xp.abs(wd[rows]) ** norm_type).sum(-1) ** (1.0 / norm_type)
        scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        wd[rows] = (wd[rows] * scale[:, None]).astype(wd.dtype)
        weight._bump()
    limits.check_result(idx.shape + (weight.shape[1],), wd.itemsize)
    r = wrap(xp.take(wd, idx.astype(np.int64), axis=0))
    if GradMode.enabled and weight._rg:
        record(EmbeddingBackward0, r, (weight,),
               (wrap(idx.astype(np.int64)), tuple(weight.shape), padding_idx))
    return r


# ---- normalisation layers --------------------------------------------------------------------

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
    if GradMode.enabled and any(t is not None and t._rg for t in (input, weight, bias)):
        record(node_cls, r, (input, weight, bias), params + (bias is not None,),
               save=(input, weight))
    return r


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


class NativeLayerNormBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, w = self.saved
        axes, eps, has_bias = self.params
        grad, x, w, dtype = _precise(grad, x, w)
        xhat, rstd = _standardize(x, axes, eps)
        lead = list(range(x.ndim - len(axes)))
        gx = _standardize_grad(grad if w is None else grad * w, xhat, rstd, axes) \
            if x._rg else None
        gw = (grad * xhat).sum(lead) if w is not None and w._rg else None
        gb = grad.sum(lead) if has_bias else None
        return _relayed(_cast((gx, gw, gb), dtype), "NativeLayerNormBackwardBackward0")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Standardise over the trailing dims normalized_shape, then scale and shift."""
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
    require_float(input, "LayerNormKernelImpl")
    axes = tuple(range(len(shape) - len(ns), len(shape)))
    xd = dense(input, 8)                # the statistics are summed in float64
    x, mean, _, rstd = _stats(xd, axes, eps)
    y = _affine(_fma(x, rstd, -rstd * mean), weight, bias, ns)
    r = wrap(y.astype(xd.dtype, copy=False))
    return _record_norm(NativeLayerNormBackward0, r, input, weight, bias, (axes, eps))


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


class NativeGroupNormBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, w = self.saved
        groups, eps, has_bias = self.params
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


class NativeBatchNormBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, w = self.saved
        training, eps, mean, rstd, has_bias = self.params
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
        return _relayed(_cast((gx, gw, gb), dtype), "NativeBatchNormBackwardBackward0")


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
    if training:
        count = xd.size // c if c else 0
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {input.shape}")
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
    return _record_norm(NativeBatchNormBackward0, r, input, weight, bias,
                        (training, eps, mean.astype(xd.dtype), rstd.astype(xd.dtype)))


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


# ---- pooling ---------------------------------------------------------------------------------

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
        raise RuntimeError(f"Given input size: ({_dims_text(shape[-3:], 'x')}). Calculated "
                           f"output size: ({_dims_text((shape[-3],) + out, 'x')}). Output size "
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


class MaxPool2DWithIndicesBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        from .creation import zeros
        shape, idx = self.params
        lead = shape[:-2]
        flat = zeros(lead + (shape[-2] * shape[-1],), dtype=grad.dtype, device=grad.device)
        return flat.scatter_add(-1, idx.flatten(-2), grad.flatten(-2)).view(shape)


AdaptiveMaxPool2DBackward0 = type("AdaptiveMaxPool2DBackward0",
                                  (MaxPool2DWithIndicesBackward0,), {"__slots__": ()})


def _max_result(input, values, idx, node_cls, return_indices):
    r = wrap(values)
    indices = wrap(idx.astype(np.int64, copy=False))
    if GradMode.enabled and input._rg:
        record(node_cls, r, (input,), (tuple(input.shape), indices))
    return (r, indices) if return_indices else r


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


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
    w = _windows(_padded(xd, pads, _lowest(xd.dtype)), k, d, s, out)
    w = w.reshape(lead + out + (k[0] * k[1],))
    pos = w.argmax(-1)
    values = xp.take_along_axis(w, pos[..., None], -1)[..., 0]
    idx = _flat_indices(pos, out, k, s, p, d, xd.shape[-1])
    return _max_result(input, values, idx, MaxPool2DWithIndicesBackward0, return_indices)


def _unsqueezed_1d(input, fn, check):
    if input.ndim not in (2, 3):
        raise RuntimeError(check.format(nd=input.ndim, shape=list(input.shape)))
    return input.unsqueeze(-2)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """max_pool2d over the last dim alone (PyTorch's grad_fn: SqueezeBackward1)."""
    x = _unsqueezed_1d(input, "max_pool1d", "max_pool1d: Expected 2D or 3D (batch mode) tensor "
                       "with optional 0 dim batch size for input, but got:{shape}")
    k = _ntuple(kernel_size, 1, "max_pool1d", "kernel_size")[0]
    st = k if stride is None or stride == () or stride == [] else \
        _ntuple(stride, 1, "max_pool1d", "stride")[0]
    p = _ntuple(padding, 1, "max_pool1d", "padding")[0]
    dl = _ntuple(dilation, 1, "max_pool1d", "dilation")[0]
    if k > 0 and st > 0 and dl > 0 and 0 <= p <= k // 2:
        o = _pool_out(input.shape[-1], k, p, st, dl, ceil_mode)
        if o < 1:
            raise RuntimeError(f"max_pool1d() Invalid computed output size: {o}")
    r = max_pool2d(x, (1, k), (1, st), (0, p), (1, dl), ceil_mode, return_indices)
    if return_indices:
        return r[0].squeeze(-2), r[1].squeeze(-2)
    return r.squeeze(-2)


class AvgPool2DBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, k, s, d, pads, div = self.params
        lead, out = shape[:-2], tuple(grad.shape[-2:])
        b, L, K = math.prod(lead), out[0] * out[1], k[0] * k[1]
        g = (grad / div).reshape(b, 1, L).expand(b, K, L)
        return _col2im(g, shape[-2:], k, d, pads, s).reshape(shape)


def _window_counts(size, k, p, s, out):
    """Per output position along one dim: the window's length within the padded input, and
    its length within the input proper."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)
    return end - start, np.minimum(end, size) - np.maximum(start, 0)


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
    w = _windows(_padded(xd, pads), k, d, s, out)
    acc = half_as_float(w).sum(axis=(-2, -1))
    divx = xp.asarray(div, dtype=acc.dtype if xd.dtype.kind == "f" else np.float64)
    data = acc / divx
    if xd.dtype.kind != "f":
        data = xp.trunc(data)
    r = wrap(data.astype(xd.dtype, copy=False))
    if GradMode.enabled and input._rg:
        record(AvgPool2DBackward0, r, (input,),
               (tuple(xd.shape), k, s, d, pads, wrap(divx.astype(xd.dtype))))
    return r


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """avg_pool2d over the last dim alone (PyTorch's grad_fn: SqueezeBackward1)."""
    x = _unsqueezed_1d(input, "avg_pool1d", "Expected 2 to 3 dimensions, but got {nd}-"
                       "dimensional tensor for argument #1 'self' (while checking arguments "
                       "for avg_pool1d)")
    k = _ntuple(kernel_size, 1, "avg_pool1d", "kernel_size")[0]
    st = k if stride is None or stride == () or stride == [] else \
        _ntuple(stride, 1, "avg_pool1d", "stride")[0]
    p = _ntuple(padding, 1, "avg_pool1d", "padding")[0]
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


class AdaptiveAvgPool2DBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        ah, aw = self.params
        return ah.t().matmul(grad).matmul(aw)


def _averaging_matrix(ranges, size, dtype, xp):
    m = np.zeros((len(ranges), size))
    for i, (a, b) in enumerate(ranges):
        m[i, a:b] = 1.0 / (b - a)
    return wrap(xp.asarray(m.astype(dtype)))


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
    if GradMode.enabled and input._rg:
        record(AdaptiveAvgPool2DBackward0, r, (input,),
               (_averaging_matrix(rh, xd.shape[-2], xd.dtype, xp),
                _averaging_matrix(rw, xd.shape[-1], xd.dtype, xp)))
    return r


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
    o = _ntuple(output_size, 1, fn, "output_size")[0]
    r = pool2d(x, (1, o), **kw)
    if isinstance(r, tuple):
        return r[0].squeeze(-2), r[1].squeeze(-2)
    return r.squeeze(-2)


def adaptive_avg_pool1d(input, output_size):
    return _adaptive_1d(input, output_size, "adaptive_avg_pool1d", adaptive_avg_pool2d)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    return _adaptive_1d(input, output_size, "adaptive_max_pool1d", adaptive_max_pool2d,
                        return_indices=return_indices)


# ---- interpolate -----------------------------------------------------------------------------

_UPSAMPLE_NODES = {name: type(name, (_GatherBackward,), {"__slots__": ()}) for name in (
    "UpsampleNearest1DBackward0", "UpsampleNearest2DBackward0", "UpsampleLinear1DBackward0",
    "UpsampleBilinear2DBackward0")}


def _source_picks(mode, n_in, n_out, scale, align_corners, np_float):
    """For one dim: [(indices, weights or None), ...] whose weighted sum gives the output."""
    dst = np.arange(n_out)
    if mode == "nearest":
        if n_out == n_in:
            return [(dst, None)]
        if n_out == 2 * n_in:
            return [(dst >> 1, None)]
        s = np.float32(1 / scale if scale else n_in / n_out)
        return [(np.minimum(np.floor(dst.astype(np.float32) * s).astype(np.int64),
                            n_in - 1), None)]
    if align_corners:
        s = np_float((n_in - 1) / (n_out - 1)) if n_out > 1 else np_float(0)
        src = s * dst.astype(np_float)
    else:
        s = np_float(1 / scale if scale else n_in / n_out)
        src = np.maximum(s * (dst.astype(np_float) + np_float(0.5)) - np_float(0.5), 0)
    i0 = src.astype(np.int64)
    i1 = i0 + (i0 < n_in - 1)
    l1 = (src - i0).astype(np_float)
    return [(i0, np_float(1) - l1), (i1, l1)]


def _per_dim(value, nd, spatial, cast, names):
    """interpolate's size or scale_factor: one value per spatial dim (a number repeats)."""
    if not isinstance(value, (list, tuple)):
        return [cast(value)] * nd
    if len(value) != nd:
        what, of, fmt, c = names
        raise ValueError(f"Input and {what} must have the same number of spatial dimensions, "
                         f"but got input with spatial dimensions of {spatial} and {of} "
                         f"{value}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                         f"format and {fmt} in ({c}1, {c}2, ...,{c}K) format.")
    return [cast(v) for v in value]


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims: mode 'nearest' (3-D or 4-D input), 'linear' (3-D) or
    'bilinear' (4-D), with align_corners for the linear modes."""
    if mode == "nearest":
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    nd = input.ndim - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        out = _per_dim(size, nd, spatial, int, ("output", "output size of", "output size",
                                                "o"))
        scales = [None] * nd
    elif scale_factor is not None:
        scales = _per_dim(scale_factor, nd, spatial, float,
                          ("scale_factor", "scale_factor of shape", "scale_factor", "s"))
        out = [int(n * s) for n, s in zip(spatial, scales)]
        if recompute_scale_factor:
            scales = [None] * nd
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    kinds = {("nearest", 3): "Nearest1D", ("nearest", 4): "Nearest2D",
             ("linear", 3): "Linear1D", ("bilinear", 4): "Bilinear2D"}
    kind = kinds.get((mode, input.ndim))
    if kind is None:
        if mode in ("linear", "bilinear") and input.ndim in (3, 4):
            want = "3D" if mode == "linear" else "4D"
            raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {want} "
                                      "input")
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
            "the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
            f"nearest-exact (got {mode})")
    if input.dtype.category < FLOATING:
        suffix = "_channels_last" if input.ndim == 4 else ""
        raise NotImplementedError(f"\"upsample_{kind.lower()}{suffix}\" not implemented for "
                                  f"'{input.dtype.short}'")
    xd = dense(input)                   # gathered dim by dim
    xp = xp_of(xd)
    limits.check_result(tuple(input.shape[:2]) + tuple(out), xd.itemsize)
    np_float = np.float64 if xd.dtype == np.float64 else np.float32
    if out == spatial:      # PyTorch's kernels copy the input when no size changes
        mode = "nearest"
    data, steps = half_as_float(xd), []
    for i in reversed(range(nd)):      # the last dim first, as PyTorch's kernels combine them
        d = 2 + i
        picks = _source_picks(mode, spatial[i], out[i], scales[i], align_corners, np_float)
        shape = [1] * xd.ndim
        shape[d] = out[i]
        terms, saved = [], []
        for idx, lam in picks:
            taken = xp.take(data, xp.asarray(idx), axis=d)
            if lam is not None:
                lam = xp.asarray(lam.reshape(shape))
                taken = taken * lam.astype(data.dtype)
            terms.append(taken)
            saved.append((wrap(xp.asarray(idx)),
                          None if lam is None else wrap(lam.astype(xd.dtype))))
        data = terms[0] if len(terms) == 1 else terms[0] + terms[1]
        steps.append((d, saved))
    r = wrap(xp.ascontiguousarray(data).astype(xd.dtype, copy=False))
    if GradMode.enabled and input._rg:
        record(_UPSAMPLE_NODES[f"Upsample{kind}Backward0"], r, (input,),
               (tuple(xd.shape), steps))
    return r



# ---- the torch.NAME forms whose arguments differ from nn.functional's ------------------------

def _torch_embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    return embedding(indices, weight, None if padding_idx < 0 else padding_idx)


def _torch_layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05,
                      cudnn_enable=True):
    return layer_norm(input, normalized_shape, weight, bias, eps)


def _torch_group_norm(input, num_groups, weight=None, bias=None, eps=1e-05,
                      cudnn_enabled=True):
    return group_norm(input, num_groups, weight, bias, eps)


def _torch_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
                      cudnn_enabled):
    return batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def _torch_instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                         momentum, eps, cudnn_enabled):
    return instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                         momentum, eps)


# torch.nn.functional's names for this module's functions (tshell/core/__init__.py builds
# the namespace), and the torch.NAME forms PyTorch also has.
FUNCTIONAL = {f.__name__: f for f in (
    conv1d, conv2d, conv_transpose1d, conv_transpose2d, unfold, fold, one_hot, pad, normalize,
    cosine_similarity, embedding, layer_norm, rms_norm, group_norm, batch_norm, instance_norm,
    max_pool1d, max_pool2d, avg_pool1d, avg_pool2d, adaptive_avg_pool1d, adaptive_avg_pool2d,
    adaptive_max_pool1d, adaptive_max_pool2d, interpolate)}
TORCH_LEVEL = {f.__name__: f for f in (
    conv1d, conv2d, conv_transpose1d, conv_transpose2d, cosine_similarity, cdist, max_pool1d,
    max_pool2d, avg_pool1d, adaptive_avg_pool1d, adaptive_max_pool1d, rms_norm)}
TORCH_LEVEL.update({f.__name__[len("_torch_"):]: f for f in (
    _torch_embedding, _torch_layer_norm, _torch_group_norm, _torch_batch_norm,
    _torch_instance_norm)})
