"""Neural-network ops: softmax, log_softmax, linear and losses (torch.nn.functional)."""
from __future__ import annotations

from ..autograd import GradMode, Node
from ..backend import xp_of
from ..dtypes import FLOATING, to_dtype
from ..tensor import record, saved_output, wrap
from .backward_ops import (log_softmax_backward_data, nll_loss_backward,
                           softmax_backward_data)
from .common import half_as_float, wrap_dim


def _float_input(input, dtype, name="softmax", lastdim=True):
    dt = to_dtype(dtype, fn=name)
    x = input if dt is None else input.to(dt)
    if x.dtype.category < FLOATING:
        kernel = f"{name}_lastdim_kernel_impl" if lastdim else f"{name}_kernel_impl"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{x.dtype.short}'")
    return x


class SoftmaxBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        d, = self.params
        return softmax_backward_data(grad, saved_output(self), d)


class LogSoftmaxBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        d, = self.params
        return log_softmax_backward_data(grad, saved_output(self), d)


def _implicit_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


def _normalise(input, dim, dtype, name, node_cls, log):
    """softmax / log_softmax along dim: shift by the max so exp never overflows."""
    nd = input._data.ndim
    d = wrap_dim(_implicit_dim(nd) if dim is None else dim, nd, name)
    x = _float_input(input, dtype, name, d == nd - 1 or nd == 0)
    xd = x._data
    xp = xp_of(xd)
    axis = d if xd.ndim else None
    out_dtype = xd.dtype
    xd = half_as_float(xd)
    if xd.size:
        shifted = xd - xd.max(axis=axis, keepdims=True)
        e = xp.exp(shifted)
        total = e.sum(axis=axis, keepdims=True)
        if log and out_dtype != xd.dtype and d == nd - 1:
            total = total.astype(out_dtype).astype(xd.dtype)   # PyTorch's last-dim kernel
        r = shifted - xp.log(total) if log else e / total
    else:
        r = xd.copy()
    r = wrap(r.astype(out_dtype, copy=False))
    if GradMode.enabled and x._rg:
        record(node_cls, r, (x,), (d,), save_out=True)
    return r


def softmax(input, dim=None, dtype=None):
    """exp(x) / sum(exp(x)) along dim, computed stably."""
    return _normalise(input, dim, dtype, "softmax", SoftmaxBackward0, log=False)


def log_softmax(input, dim=None, dtype=None):
    """log(softmax(x)) along dim, computed stably."""
    return _normalise(input, dim, dtype, "log_softmax", LogSoftmaxBackward0, log=True)


def linear(input, weight, bias=None):
    """input @ weight.T + bias."""
    if bias is not None and bias.ndim <= 1 and input.ndim >= 1 and weight.ndim == 2:
        # PyTorch adds the bias inside one addmm (grad_fn AddmmBackward0), through 2-D views
        from .linalg import addmm
        if input.ndim == 2:
            return addmm(bias, input, weight.t())
        out = addmm(bias, input.reshape(-1, input.shape[-1]), weight.t())
        return out.view(tuple(input.shape[:-1]) + (out.shape[-1],))
    out = input.matmul(weight.t())
    return out if bias is None else out + bias


class MseLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        reduction, = self.params
        diff = (a - b) * 2
        if reduction == "mean":
            diff = diff / a.numel()
        g = grad * diff
        return g if a._rg else None, -g if b._rg else None


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean (or sum) of squared differences."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if reduction == "none":
        return (input - target) ** 2
    xd, td = input._data, target._data
    xp = xp_of(xd)
    sq = (xd - td) ** 2
    val = xp.mean(sq) if reduction == "mean" else xp.sum(sq)
    r = wrap(xp.asarray(val).astype(xd.dtype))
    if GradMode.enabled and (input._rg or target._rg):
        record(MseLossBackward0, r, (input, target), (reduction,), save=(input, target))
    return r


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean"):
    """Softmax cross-entropy with class-index targets (or class probabilities)."""
    _check_reduction(reduction)
    logp = log_softmax(input, 1 if input.ndim > 1 else 0)
    if target.dtype.category >= FLOATING and tuple(target.shape) == tuple(input.shape):
        losses = -(logp * target).sum(1 if input.ndim > 1 else 0)
        if reduction == "none":
            return losses
        return losses.mean() if reduction == "mean" else losses.sum()
    return nll_loss(logp, target, ignore_index=ignore_index, reduction=reduction)


def _check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


class NllLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        input, = self.saved
        target, reduction, ignore_index, picks = self.params
        return nll_loss_backward(grad, input, target, reduction, ignore_index, picks)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood of the target classes: input holds log-probabilities (N, C)
    or (C,); target holds class indices; targets equal to ignore_index count for nothing."""
    _check_reduction(reduction)
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim != 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    if input.ndim > 2:
        raise NotImplementedError("nll_loss: inputs with more than 2 dimensions are not "
                                  "supported")
    if target.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{target.dtype.short}")
    if input.dtype.category < FLOATING:
        raise NotImplementedError(f'"nll_loss_out_frame" not implemented for '
                                  f"'{input.dtype.short}'")
    xd, td = input._data, target._data
    xp = xp_of(xd)
    flat = td.reshape(-1)
    keep = flat != ignore_index
    bad = keep & ((flat < 0) | (flat >= xd.shape[-1]))
    if bad.any():
        raise IndexError(f"Target {int(flat[bad][0])} is out of bounds.")
    cls = xp.where(keep, flat, 0)
    x2 = xd.reshape(-1, xd.shape[-1])
    rows = xp.arange(x2.shape[0])
    losses = xp.where(keep, -x2[rows, cls], 0).astype(xd.dtype)
    count = int(keep.sum())
    if reduction == "none":
        val = losses if xd.ndim == 2 else losses.reshape(())
    elif reduction == "sum":
        val = losses.sum()
    else:
        val = losses.sum() / count if count else xp.asarray(float("nan"))
    r = wrap(xp.asarray(val).astype(xd.dtype))
    if GradMode.enabled and input._rg:
        scale = -1.0 / count if reduction == "mean" and count else -1.0
        picks = xp.zeros_like(x2)
        picks[rows, cls] = xp.where(keep, scale, 0)
        record(NllLossBackward0, r, (input,),
               (target, reduction, ignore_index, picks.reshape(xd.shape)), save=(input,))
    return r


def dropout(input, p=0.5, training=True):
    if not training or p == 0:
        return input
    from ..random import rand
    keep = rand(input.shape, device=input.device) >= p
    return input * keep / (1 - p)


# torch.nn.functional's names for this module's functions (tshell/core/__init__.py builds
# the namespace), and the torch.NAME forms PyTorch also has.
FUNCTIONAL = {"linear": linear, "mse_loss": mse_loss, "cross_entropy": cross_entropy,
              "nll_loss": nll_loss, "dropout": dropout}
TORCH_LEVEL: dict = {}
