"""pad (torch.nn.functional.pad) and torch.constant_pad_nd: constant, reflection,
replication and circular padding of the trailing dims, under PyTorch's node names
(ConstantPadNdBackward0, ReflectionPad2DBackward0, ...)."""
from __future__ import annotations

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense
from .creation import zeros


@derivative
def ConstantPadNdBackward0(node, grad):
    return _constant_pad(grad, tuple(-p for p in node.params), 0)


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
    return record_if(ConstantPadNdBackward0, wrap(out), (x,), tuple(pad))


@export("torch")
def constant_pad_nd(input, pad, value=0):
    """Pad (or, with negative amounts, crop) the trailing dims: pad = (last lo, last hi, next
    lo, next hi...), the new places filled with value."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(f"Length of pad should be no more than twice the number of "
                           f"dimensions of the input. Pad length is {len(pad)}while the input "
                           f"has {input.ndim}dimensions.")
    return _constant_pad(input, pad, value)


@derivative
def GatherStepsBackward(node, grad):
    """The base of the nodes of ops made of gathers along one dim at a time (reflection /
    replication padding, interpolation): params = (input shape, steps), each step (dim,
    [(index, weight or None), ...]) summing weighted gathers. The gradient scatters back
    through them with index_add, the last step first."""
    shape, steps = node.params
    g = grad
    for d, picks in reversed(steps):
        size = list(g.shape)
        size[d] = shape[d]
        acc = zeros(size, dtype=g.dtype, device=g.device)
        for idx, lam in picks:
            acc = acc.index_add(d, idx, g if lam is None else g * lam)
        g = acc
    return g


_PAD_NODES = {(mode, k): type(f"{name}Pad{k}DBackward0", (GatherStepsBackward,), {"__slots__": ()})
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
    return record_if(_PAD_NODES[mode, k], wrap(xp.ascontiguousarray(out)), (x,),
                     (xd.shape, picks))


def _circular_pad(x, pad):
    """PyTorch's _pad_circular: the input copied into the middle, then each side filled from
    the opposite edge, slice by slice (grad_fn CopySlices)."""
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


@export("F")
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
