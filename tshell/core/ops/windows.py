"""Sliding windows over the spatial dims: the argument helpers of the windowed ops, strided
window views, and im2col / col2im (PyTorch's unfold / fold) as tensor ops.

Windows are strided views of the (padded) input (`window_view`): no copy until a product or a
reduction reads them. im2col and its adjoint col2im are each the other's derivative, so the
backward of convolution and average pooling, written with them, has higher orders too.
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import strided_view, xp_of
from ..registry import export
from ..tensor import Tensor, record_if, wrap


def ntuple(value, n, fn, arg):
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


def padded(xd, pads, value=0):
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


def window_view(xd, kernel, dilation, stride, out):
    """The view (*lead, *out, *kernel) of the windows over xd's trailing len(kernel) dims."""
    n = len(kernel)
    lead = xd.ndim - n
    st = xd.strides
    shape = xd.shape[:lead] + tuple(out) + tuple(kernel)
    strides = (st[:lead] + tuple(st[lead + i] * stride[i] for i in range(n))
               + tuple(st[lead + i] * dilation[i] for i in range(n)))
    return strided_view(xd, shape, strides)


def conv_out(size, kernel, dilation, pads, stride):
    """The number of window positions along each dim."""
    return tuple((s + lo + hi - d * (k - 1) - 1) // st + 1
                 for s, k, d, (lo, hi), st in zip(size, kernel, dilation, pads, stride))


def dims_text(sizes, sep=" x "):
    """Sizes as PyTorch's messages write them: 3 x 4."""
    return sep.join(str(s) for s in sizes)


# ---- im2col / col2im as tensor ops (each the other's derivative) -------------------------

@derivative
def Im2ColBackward0(node, grad):
    return col2im(grad, *node.params)


@derivative
def Col2ImBackward0(node, grad):
    return im2col(grad, *node.params[1:])


def im2col(x, kernel, dilation, pads, stride):
    """(N, C, *S) -> (N, C * prod(kernel), L): the windows as columns (PyTorch's unfold)."""
    xd = x._data
    n, c = xd.shape[:2]
    out = conv_out(xd.shape[2:], kernel, dilation, pads, stride)
    k, L = math.prod(kernel), math.prod(out)
    limits.check_result_of(xd, (n, c * k, L), xd.itemsize)
    w = window_view(padded(xd, pads), kernel, dilation, stride, out)
    nd = len(kernel)
    # (N, C, *out, *kernel) -> (N, C, *kernel, *out): one copy, the im2col buffer
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    r = wrap(xp_of(xd).ascontiguousarray(w.transpose(order)).reshape(n, c * k, L))
    return record_if(Im2ColBackward0, r, (x,), (xd.shape[2:], kernel, dilation, pads, stride))


def col2im(cols, size, kernel, dilation, pads, stride):
    """The adjoint of im2col: each column's entries added back at their window's places."""
    cd = cols._data
    n, ck, _ = cd.shape
    c = ck // math.prod(kernel)
    out = conv_out(size, kernel, dilation, pads, stride)
    full = tuple(s + lo + hi for s, (lo, hi) in zip(size, pads))
    limits.check_result_of(cd, (n, c) + full, cd.itemsize)
    xp = xp_of(cd)
    acc = xp.zeros((n, c) + full, dtype=cd.dtype)
    blocks = cd.reshape((n, c) + tuple(kernel) + tuple(out))
    for offs in np.ndindex(*kernel):
        where = tuple(slice(o * d, o * d + st * (m - 1) + 1, st)
                      for o, d, st, m in zip(offs, dilation, stride, out))
        acc[(slice(None), slice(None)) + where] += blocks[(slice(None), slice(None)) + offs]
    crop = tuple(slice(lo, lo + s) for s, (lo, _) in zip(size, pads))
    r = wrap(xp.ascontiguousarray(acc[(slice(None), slice(None)) + crop]))
    return record_if(Col2ImBackward0, r, (cols,), (size, kernel, dilation, pads, stride))


@export("F")
def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks of a (N, C, H, W) or (C, H, W) input as columns (im2col)."""
    nd = input.ndim
    if nd not in (3, 4):
        raise NotImplementedError(f"Input Error: Only 3D or 4D input Tensors are supported "
                                  f"(got {nd}D)")
    x = input if nd == 4 else input.unsqueeze(0)
    k, d, p, s = (ntuple(v, 2, "unfold", a) for v, a in
                  ((kernel_size, "kernel_size"), (dilation, "dilation"), (padding, "padding"),
                   (stride, "stride")))
    pads = tuple((q, q) for q in p)
    out = conv_out(x.shape[2:], k, d, pads, s)
    if min(out) < 1:
        raise RuntimeError(f"Given input with spatial size ({x.shape[2]}, {x.shape[3]}), "
                           f"kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), "
                           f"padding=({p[0]}, {p[1]}), calculated shape of the array of "
                           f"sliding blocks as ({out[0]}, {out[1]}), but its components must "
                           "be at least one.")
    r = im2col(x, k, d, pads, s)
    return r if nd == 4 else r.squeeze(0)


@export("F")
def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Columns (N, C * kh * kw, L) summed back into a (N, C, *output_size) image (col2im)."""
    nd = input.ndim
    if nd not in (2, 3):
        raise NotImplementedError(f"Input Error: Only unbatched (2D) or batched (3D) input "
                                  f"Tensors are supported (got {nd}D)")
    x = input if nd == 3 else input.unsqueeze(0)
    size, k, d, p, s = (ntuple(v, 2, "fold", a) for v, a in
                        ((output_size, "output_size"), (kernel_size, "kernel_size"),
                         (dilation, "dilation"), (padding, "padding"), (stride, "stride")))
    if x.shape[1] % math.prod(k):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={x.shape[1]} and "
                           f"kernel_size=({k[0]}, {k[1]}).")
    pads = tuple((q, q) for q in p)
    out = conv_out(size, k, d, pads, s)
    if math.prod(out) != x.shape[2]:
        raise RuntimeError(f"Given output_size=({size[0]}, {size[1]}), kernel_size=({k[0]}, "
                           f"{k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), "
                           f"stride=({s[0]}, {s[1]}), expected size of input's dimension 2 to "
                           f"match the calculated number of sliding blocks {out[0]} * {out[1]} "
                           f"= {math.prod(out)}, but got input.size(2)={x.shape[2]}.")
    r = col2im(x, size, k, d, pads, s)
    return r if nd == 3 else r.squeeze(0)
