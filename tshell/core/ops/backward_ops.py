"""Backward kernels that PyTorch runs as ops of their own: threshold_backward (relu),
sigmoid_backward, tanh_backward, _softmax_backward_data, _log_softmax_backward_data,
nll_loss_backward.

A derivative made of several tensor ops pays the per-op cost several times in every
backward pass; as one op it runs as a single step. Each has its own derivative (written in
tensor ops), so create_graph=True records the first-order gradient under PyTorch's names
(ThresholdBackwardBackward0...) and higher orders keep working.
"""
from __future__ import annotations

from ..autograd import derivative
from ..backend import xp_of
from ..tensor import record_if, wrap
from .common import LANES, fold_short_rows
from .creation import zeros_like


def _result(node_cls, data, grad, out, params):
    """Wrap a kernel's result; record node_cls(grad, out) when a graph is being built."""
    return record_if(node_cls, wrap(data), (grad, out), params, save=(grad, out))


# ---- relu ---------------------------------------------------------------------------------

@derivative
def ThresholdBackwardBackward0(node, g):
    grad, out = node.saved
    threshold, = node.params
    # A step function is flat in `out`: a zero gradient (not none), as in PyTorch.
    return threshold_backward(g, out, threshold), zeros_like(g) if out._rg else None


def threshold_backward(grad, out, threshold):
    """PyTorch's `out <= threshold ? 0 : grad`: +0 below the threshold even for a negative
    or NaN gradient (not grad * mask's -0 and NaN), the gradient where out is NaN."""
    gd, od = grad._data, out._data
    return _result(ThresholdBackwardBackward0, _zero_where(gd, od <= threshold), grad, out,
                   (threshold,))


_BITS = {2: "uint16", 4: "uint32", 8: "uint64"}     # itemsize -> the unsigned int of its size


def _zero_where(gd, below):
    """gd with +0 where `below` holds, as a bit mask (all ones where gd stays): as fast as
    gd * mask, where NumPy's where() and masked copies take ~10x as long on a mask as
    irregular as a ReLU's."""
    bits = _BITS.get(gd.dtype.itemsize)
    if bits is None or gd.dtype.kind == "c" or below.shape != gd.shape:
        return xp_of(gd).where(below, gd.dtype.type(0), gd)
    mask = below.astype(bits)
    mask -= 1               # 1 (below) -> 0, 0 -> all ones
    mask &= gd.view(bits)
    return mask.view(gd.dtype)


# ---- sigmoid and tanh (written with their outputs) ----------------------------------------

# Both are holomorphic in (grad, out), so each derivative takes the conjugate of its factor
# (PyTorch's conjugate Wirtinger gradients; conj() of a real tensor is the tensor).

@derivative
def SigmoidBackwardBackward0(node, g):
    grad, out = node.saved
    return (sigmoid_backward(g, out.conj()) if grad._rg else None,
            g * (grad * (1 - out * 2)).conj() if out._rg else None)


def sigmoid_backward(grad, out):
    """grad * out * (1 - out), the derivative of sigmoid at its output `out` (sigmoid's
    backward passes its output's conjugate: PyTorch's kernel conjugates inside)."""
    gd, od = grad._data, out._data
    return _result(SigmoidBackwardBackward0, gd * (od * (1 - od)), grad, out, None)


@derivative
def TanhBackwardBackward0(node, g):
    grad, out = node.saved
    return (tanh_backward(g, out.conj()) if grad._rg else None,
            g * (grad * out * -2).conj() if out._rg else None)


def tanh_backward(grad, out):
    """grad * (1 - out²), the derivative of tanh at its output `out` (tanh's backward
    passes its output's conjugate, as for sigmoid)."""
    gd, od = grad._data, out._data
    return _result(TanhBackwardBackward0, gd * (1 - od * od), grad, out, None)


# ---- softmax and log_softmax along a dim --------------------------------------------------

@derivative
def SoftmaxBackwardDataBackward0(node, g):
    grad, out = node.saved
    d, = node.params
    return (softmax_backward_data(g, out, d) if grad._rg else None,
            g * (grad - (grad * out).sum(d, keepdim=True))
            - grad * (g * out).sum(d, keepdim=True) if out._rg else None)


def _row_sums(a, axis):
    """a's sums along axis, keepdims; a short last dim folded as PyTorch's kernel does."""
    if axis is not None and axis % a.ndim == a.ndim - 1 and a.shape[axis] < LANES:
        return fold_short_rows(a, "sum")
    return a.sum(axis=axis, keepdims=True)


def softmax_backward_data(grad, out, dim):
    """out * (grad - sum(grad * out)) along dim: softmax's derivative at its output."""
    gd, od = grad._data, out._data
    axis = dim if od.ndim else None
    data = od * (gd - _row_sums(gd * od, axis))
    return _result(SoftmaxBackwardDataBackward0, data, grad, out, (dim,))


@derivative
def LogSoftmaxBackwardDataBackward0(node, g):
    grad, out = node.saved
    d, = node.params
    return (g - (g * out.exp()).sum(d, keepdim=True) if grad._rg else None,
            -g * out.exp() * grad.sum(d, keepdim=True) if out._rg else None)


def log_softmax_backward_data(grad, out, dim):
    """grad - exp(out) * sum(grad) along dim: log_softmax's derivative at its output."""
    gd, od = grad._data, out._data
    axis = dim if od.ndim else None
    data = gd - xp_of(od).exp(od) * _row_sums(gd, axis)
    return _result(LogSoftmaxBackwardDataBackward0, data, grad, out, (dim,))


# ---- nll_loss (cross_entropy with class indices) ------------------------------------------

@derivative
def NllLossBackwardBackward0(node, g):
    grad, input = node.saved
    target, reduction, ignore_index, weight = node.params
    from .loss import nll_loss    # loss imports this module: a cycle
    # linear in grad; flat in input (PyTorch: zeros_like)
    return (nll_loss(g, target, weight, ignore_index=ignore_index, reduction=reduction)
            if grad._rg else None,
            zeros_like(g) if input._rg else None)


def nll_loss_backward(grad, input, target, reduction, ignore_index, picks, weight=None):
    """grad spread onto the picked entries: picks holds -weight (divided by the total weight
    for "mean") at each sample's target class and 0 elsewhere."""
    gd = grad._data
    if reduction == "none" and gd.ndim:
        gd = xp_of(gd).expand_dims(gd, 1)       # the class dim
    r = wrap((gd * picks).astype(picks.dtype, copy=False))
    return record_if(NllLossBackwardBackward0, r, (grad, input),
                     (target, reduction, ignore_index, weight), save=(grad, input))
