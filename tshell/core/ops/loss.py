"""Loss functions (torch.nn.functional): the elementwise losses (mse, l1, smooth_l1, huber,
binary cross-entropy...) with their derivative per element, the composites PyTorch writes in
Python (kl_div, gaussian_nll_loss, margin losses...), cross_entropy and nll_loss."""
from __future__ import annotations

import math
import warnings

from ..autograd import GradMode, Node, derivative, no_grad
from ..backend import xp_of
from ..dtypes import FLOATING, promote_types
from .. import meta
from ..forward_ad import composite_jvp
from ..meta import MetaArray
from ..registry import export
from ..tensor import Duals, Tensor, record_if, wrap
from .activation import log_softmax, logsigmoid
from .backward_ops import nll_loss_backward
from .common import dense, dense_as_float, half_as_float, require_float
from .composite_node import one_node, rerun_backward
from .creation import arange, ones_like, zeros_like
from .distance import pairwise_distance
from .indexing import masked_select
from .linear import linear
from .pointwise import minimum, where, xlogy
from .shape import broadcast_tensors


def check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_reduction(size_average, reduce, reduction, stacklevel=3):
    """The reduction the legacy size_average / reduce arguments ask for (with PyTorch's
    warning), else `reduction`."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "none" if not reduce else "mean" if size_average else "sum"
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{ret}' instead.", stacklevel=stacklevel)
    return ret


def _reduce(loss, reduction):
    """PyTorch's apply_loss_reduction: a composite loss's last op is its grad_fn."""
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _same_size(input, target, name=None):
    """input and target broadcast to one shape, with PyTorch's warning when they differ."""
    if tuple(input.shape) == tuple(target.shape):
        return input, target
    warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                  f"({input.shape}). This will likely lead to incorrect results due to "
                  "broadcasting. Please ensure they have the same size.", stacklevel=3)
    return broadcast_tensors(input, target)


class _ElementwiseLoss(Node):
    """Backward of a loss computed element by element, then reduced: `derivative(x, t, p)`
    gives (d loss / d x, d loss / d t) at each element, in tensor ops (or None)."""

    __slots__ = ()
    derivative = None

    def backward(self, grad):
        x, t = self.saved
        reduction, p = self.params
        if reduction == "mean":
            grad = grad / max(x.numel(), 1)
        dx, dt = self.derivative(x, t, p)
        return (grad * dx if self.next_functions[0][0] is not None else None,
                grad * dt if self.next_functions[1][0] is not None and dt is not None
                else None)


def _loss_node(name, derivative):
    return type(name, (_ElementwiseLoss,), {"__slots__": (),
                                            "derivative": staticmethod(derivative)})


def _elementwise_loss(node_cls, kernel, input, target, reduction, p=()):
    """kernel(xp, x, t, *p) per element (half precision in float), then the reduction."""
    check_reduction(reduction)
    dt = promote_types(input.dtype, target.dtype)
    if dt.category < FLOATING:
        raise RuntimeError(f"Found dtype {target.dtype.short} but expected "
                           f"{input.dtype.short}")
    input, target = input.to(dt), target.to(dt)
    xd = input._data
    xp = xp_of(xd)
    loss = kernel(xp, dense_as_float(input), dense_as_float(target), *p)
    if reduction != "none":
        loss = loss.sum() if reduction == "sum" or not loss.size else loss.mean()
        if reduction == "mean" and not loss.size:
            loss = xp.asarray(float("nan"))
    r = wrap(xp.asarray(loss).astype(xd.dtype, copy=False))
    return record_if(node_cls, r, (input, target), (reduction, p), save=(input, target))


def _mse_grad(x, t, p):
    return (x - t) * 2, (t - x) * 2


MseLossBackward0 = _loss_node("MseLossBackward0", _mse_grad)


@export("F")
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum) of squared differences."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    input, target = _same_size(input, target)
    if weight is not None:
        return _weighted(input, target, weight, reduction, lambda d: d.pow(2))
    return _elementwise_loss(MseLossBackward0, lambda xp, x, t: (x - t) ** 2, input, target,
                             reduction)


def _weighted(input, target, weight, reduction, fn):
    """l1_loss / mse_loss with a weight per element, as PyTorch's Python writes them."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    losses = fn(input - target) * weight
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    if reduction == "mean":
        return losses.sum() / weight.sum()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', "
                     "'sum'.")


@export("F")
def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum) of absolute differences."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    input, target = _same_size(input, target)
    if weight is not None:
        return _weighted(input, target, weight, reduction, lambda d: d.abs())
    check_reduction(reduction)
    return _reduce((input - target).abs(), reduction)


def _smooth_l1_kernel(xp, x, t, beta):
    z = xp.abs(x - t)
    return xp.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)


def _smooth_l1_grad(x, t, p):
    def of(d):       # the target's gradient is the same function of t - x, as in PyTorch
        return where(d.abs() < p[0], d / p[0], d.sign())
    return of(x - t), of(t - x)


SmoothL1LossBackward0 = _loss_node("SmoothL1LossBackward0", _smooth_l1_grad)


@export("F")
def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target)."""
    input, target = _same_size(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta == 0.0:
        return l1_loss(input, target, reduction=reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _elementwise_loss(SmoothL1LossBackward0, _smooth_l1_kernel, input, target,
                             reduction, (beta,))


def _huber_kernel(xp, x, t, delta):
    z = xp.abs(x - t)
    return xp.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))


def _huber_grad(x, t, p):
    return (x - t).clamp(-p[0], p[0]), (t - x).clamp(-p[0], p[0])


HuberLossBackward0 = _loss_node("HuberLossBackward0", _huber_grad)


@export("F")
def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta) (d = input - target)."""
    input, target = _same_size(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is None:
        return _elementwise_loss(HuberLossBackward0, _huber_kernel, input, target, reduction,
                                 (delta,))
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    loss = _elementwise_loss(HuberLossBackward0, _huber_kernel, input, target, "none",
                             (delta,)) * weight
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', "
                         "'mean', 'sum'.")
    return _reduce(loss, reduction)


def _soft_margin_kernel(xp, x, t):
    return xp.log1p(xp.exp(-t * x))


def _soft_margin_grad(x, t, p):
    return -t * (-t * x).sigmoid(), None


SoftMarginLossBackward0 = _loss_node("SoftMarginLossBackward0", _soft_margin_grad)


@export("F")
def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-target * input)), target holding 1 or -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if GradMode.enabled and target._rg:
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect "
                           "to argument 'target'. This input cannot have requires_grad True.")
    if tuple(input.shape) != tuple(target.shape):
        input, target = broadcast_tensors(input, target)
    return _elementwise_loss(SoftMarginLossBackward0, _soft_margin_kernel, input, target,
                             reduction)


# binary cross-entropy: PyTorch clamps each log at -100, so probabilities 0 and 1 stay finite
def _bce_kernel(xp, x, t, w):
    loss = -(t * xp.maximum(xp.log(x), -100) + (1 - t) * xp.maximum(xp.log1p(-x), -100))
    return loss if w is None else loss * half_as_float(w._data)


def _bce_grad(x, t, p):
    w, = p
    dx = (x - t) / ((1 - x) * x).clamp_min(1e-12)
    dt = (1 - x).log().clamp_min(-100) - x.log().clamp_min(-100)
    return (dx, dt) if w is None else (dx * w, dt * w)


BinaryCrossEntropyBackward0 = _loss_node("BinaryCrossEntropyBackward0", _bce_grad)


def _check_probabilities(xd, td):
    """PyTorch's kernel checks each element's input, then its target, in order."""
    if not xd.size:
        return
    xp = xp_of(xd)
    bad = xp.stack([((xd < 0) | (xd > 1)).reshape(-1), ((td < 0) | (td > 1)).reshape(-1)], 1)
    if bool(bad.any()):
        which = int(xp.argmax(bad.reshape(-1))) % 2
        raise RuntimeError(f"all elements of {('input', 'target')[which]} should be between 0 "
                           "and 1")


@export("F")
def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)) (times weight), x holding probabilities."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the "
                         "same size.")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {target.dtype.short} but expected {input.dtype.short}")
    _check_probabilities(dense(input), dense(target))
    if weight is not None:
        weight = weight.expand(target.shape)
    return _elementwise_loss(BinaryCrossEntropyBackward0, _bce_kernel, input, target,
                             reduction, (weight,))


def _bce_logits_kernel(xp, x, t, w, pw):
    logsig = xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))
    if pw is not None:
        logsig = logsig * ((half_as_float(pw._data) - 1) * t + 1)
    loss = (1 - t) * x - logsig
    return loss if w is None else loss * half_as_float(w._data)


def _bce_logits_grad(x, t, p):
    w, pw = p
    if pw is None:
        dx, dt = x.sigmoid() - t, -x
    else:
        lw = (pw - 1) * t + 1
        dx = (1 - t) - lw * (1 - x.sigmoid())
        dt = -x - (pw - 1) * logsigmoid(x)
    return (dx, dt) if w is None else (dx * w, dt * w)


BinaryCrossEntropyWithLogitsBackward0 = _loss_node("BinaryCrossEntropyWithLogitsBackward0",
                                                   _bce_logits_grad)


@export("F")
def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """binary_cross_entropy(sigmoid(input), target), computed stably from the logits;
    pos_weight weighs the positive term per class."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    return _elementwise_loss(BinaryCrossEntropyWithLogitsBackward0, _bce_logits_kernel, input,
                             target, reduction, (weight, pos_weight))


# composites, written with the ops PyTorch's own (ATen or Python) code uses
@export("F")
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Pointwise KL divergence target * (log(target) - input), input holding
    log-probabilities; reduction='batchmean' divides the sum by the batch size."""
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns "
                      "with the KL div math definition.'mean' will be changed to behave the "
                      "same as 'batchmean' in the next major release.", stacklevel=2)
    if reduction != "batchmean":
        check_reduction(reduction)
    loss = _kl_div_pointwise(input, target, log_target)
    if reduction == "batchmean":
        out = loss.sum()
        return out / input.shape[0] if input.ndim else out
    return _reduce(loss, reduction)


def _kl_div_pointwise(input, target, log_target):
    if log_target:
        return target.exp() * (target - input)
    return xlogy(target, target) - target * input


@export("F")
def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """Negative log-likelihood of target under Poisson(input) (input = log-rate when
    log_input); full adds Stirling's approximation of log(target!)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(reduction + " is not a valid value for reduction")
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + (target * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce(loss, reduction)


@export("F")
def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Negative log-likelihood of target under Normal(input, var)."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    elif not isinstance(var, Tensor):       # PyTorch calls (var < 0).any() on it
        raise TypeError(f"any() received an invalid combination of arguments - got "
                        f"({type(var < 0).__name__}), but expected one of:\n"
                        " * (Tensor input, *, Tensor out = None)\n"
                        " * (Tensor input, tuple of ints dim = None, bool keepdim = False, *, "
                        "Tensor out = None)\n"
                        " * (Tensor input, int dim, bool keepdim = False, *, Tensor out = None)\n")
    elif bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif input.ndim == var.ndim and sum(
                y for x, y in zip(input.shape, var.shape) if x != y) == 1:
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(reduction + " is not valid")
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = (var.log() + (input - target) ** 2 / var) * 0.5
    if full:
        loss += 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


@export("F")
def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, -target * (input1 - input2) + margin)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.shape}, input2: {input2.shape}, "
                           f"target: {target.shape} ")
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


@export("F")
def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """input where target is 1, max(0, margin - input) where it is -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    zeros = zeros_like(input)
    margin_clamp = (margin - input).clamp_min(0)
    output = where(target != 1, margin_clamp, zeros) + where(target != -1, input, zeros)
    return _reduce(output, reduction)


@export("F")
def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    td = target.ndim
    if td not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input1.ndim != td + 1 or input2.ndim != td + 1:
        raise RuntimeError(f"{td}D target tensor expects {td + 1}D input tensors, but found "
                           f"inputs with sizes {list(input1.shape)} and {list(input2.shape)}.")
    prod_sum = (input1 * input2).sum(td)
    mag1 = (input1 * input1).sum(td) + 1e-12
    mag2 = (input2 * input2).sum(td) + 1e-12
    cos = prod_sum / (mag1 * mag2).sqrt()
    zeros = zeros_like(cos)
    output = (where(target == 1, 1 - cos, zeros)
              + where(target == -1, (cos - margin).clamp_min(0), zeros))
    return _reduce(output, reduction)


@export("F")
def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), d the p-norm distance."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, pd, nd = anchor.ndim, positive.ndim, negative.ndim
    if not a == pd == nd:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a}D, positive {pd}D, "
                           f"and negative {nd}D inputs")
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce((dist_pos - dist_neg + margin).clamp_min(0), reduction)


# cross_entropy and nll_loss
@derivative
def DivBackward1(node, grad):
    """Division by a count (PyTorch divides by a SymInt there: the Scalar overload)."""
    return grad / node.params[0]


def _div_count(t, n):
    return record_if(DivBackward1, wrap((t._data / n).astype(t._data.dtype, copy=False)), (t,),
                     (n,))


def _class_weight_view(weight, ndim, class_dim):
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape) if ndim > 1 else weight


@export("F")
def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy: target holds class indices, or class probabilities (a float
    tensor of input's shape); label_smoothing mixes in the uniform distribution."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    class_dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, class_dim)
    n = input.shape[class_dim]
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing:g}")
    if target.dtype.category >= FLOATING and tuple(target.shape) == tuple(input.shape):
        if weight is not None and (weight.ndim != 1 or weight.numel() != n):
            raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all "
                               f"{n} classes or no classes but got weight tensor of shape: "
                               f"{list(weight.shape)}")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n
        prod = logp * target
        if weight is not None:
            prod = prod * _class_weight_view(weight, input.ndim, class_dim)
        if reduction == "none":
            return -prod.sum(class_dim)
        total = -prod.sum()
        if reduction == "sum":
            return total
        return _div_count(total, input.numel() // n) if input.numel() else total * float("nan")
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing <= 0:
        return nll
    if weight is not None:
        smooth = -(logp * _class_weight_view(weight, input.ndim, class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    ignored = target == ignore_index
    smooth = smooth.masked_fill(ignored, 0.0)
    if reduction == "mean":
        if weight is not None:
            smooth = smooth.sum() / weight[masked_select(target, ~ignored)].sum()
        else:
            smooth = smooth.sum() / (~ignored).sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / n)


@derivative
def NllLossBackward0(node, grad):
    input, = node.saved
    target, reduction, ignore_index, picks, weight = node.params
    return nll_loss_backward(grad, input, target, reduction, ignore_index, picks, weight)


NllLoss2DBackward0 = type("NllLoss2DBackward0", (NllLossBackward0,), {"__slots__": ()})


@export("F")
def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood of the target classes: input holds log-probabilities (C,),
    (N, C) or (N, C, d1, ...); target holds class indices; weight one per class; targets
    equal to ignore_index count for nothing."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim != 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({target.shape[0]}).")
    if input.ndim <= 2 and target.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input.ndim > 2 and tuple(target.shape) != (input.shape[0],) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[input.shape[0]] + list(input.shape[2:])}, "
                           f"got {list(target.shape)}")
    if input.ndim == 3 or input.ndim > 4:
        # PyTorch's nll_loss_nd: through a 4-D view and nll_loss2d
        r = nll_loss(input.contiguous().view(input.shape[0], input.shape[1], 1, -1),
                     target.contiguous().view(target.shape[0], 1, -1), weight,
                     ignore_index=ignore_index, reduction=reduction)
        return r.view(target.shape) if reduction == "none" else r
    if target.dtype.name not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{target.dtype.short}")
    require_float(input, "nll_loss_out_frame")
    n = input.shape[1] if input.ndim >= 2 else input.shape[0]
    if weight is not None and (weight.ndim != 1 or weight.numel() != n):
        raise RuntimeError(f"weight tensor should be defined either for all {n} classes or no "
                           f"classes but got weight tensor of shape: {list(weight.shape)}")
    xd, td = dense(input), dense(target)        # both flattened
    if xd.__class__ is MetaArray or td.__class__ is MetaArray:
        return _nll_loss_meta(input, target, xd, td, reduction, ignore_index, weight)
    xp = xp_of(xd)
    x2 = (xp.moveaxis(xd, 1, -1) if xd.ndim > 2 else xd).reshape(-1, n)
    flat = td.reshape(-1)
    if weight is None and xd.ndim == 2 and flat.size and reduction != "none":
        lo, hi = int(flat.min()), int(flat.max())
        if 0 <= lo and hi < n and not lo <= ignore_index <= hi:
            return _nll_loss_every_target(input, x2, flat, reduction, target, ignore_index)
    keep = flat != ignore_index
    bad = keep & ((flat < 0) | (flat >= n))
    if bad.any():
        raise IndexError(f"Target {int(flat[bad][0])} is out of bounds.")
    cls = xp.where(keep, flat, 0)
    w = keep.astype(xd.dtype)
    if weight is not None:
        w = xp.where(keep, weight._data.astype(xd.dtype)[cls], 0)
    rows = xp.arange(x2.shape[0])
    losses = xp.where(keep, -x2[rows, cls] * w, 0).astype(xd.dtype)    # ignored: +0
    total = w.sum()
    if reduction == "none":
        val = losses.reshape(td.shape) if xd.ndim >= 2 else losses.reshape(())
    elif reduction == "sum":
        val = losses.sum()
    else:
        val = losses.sum() / total
    r = wrap(xp.asarray(val).astype(xd.dtype))
    # not record_if: picks are made only when recording (or giving a dual its tangent)
    if GradMode.enabled and input._rg or Duals:
        scale = 1 / total if reduction == "mean" else 1
        picks = xp.zeros_like(x2)
        picks[rows, cls] = xp.where(keep, -w * scale, 0)
        if xd.ndim > 2:
            picks = xp.moveaxis(picks.reshape(xd.shape[:1] + xd.shape[2:] + (n,)), -1, 1)
        _record_nll(r, input, target, reduction, ignore_index, picks.reshape(xd.shape), weight)
    return r


def _record_nll(r, input, target, reduction, ignore_index, picks, weight):
    """Record r as nll_loss of input: picks (input's shape) holds what its gradient is spread
    onto; a 4-D input's node is NllLoss2DBackward0, as PyTorch's."""
    node = NllLoss2DBackward0 if picks.ndim == 4 else NllLossBackward0
    record_if(node, r, (input,), (target, reduction, ignore_index, picks, weight),
              save=(input,))


def _nll_loss_meta(input, target, xd, td, reduction, ignore_index, weight):
    """nll_loss of meta tensors: the result's shape and dtype (PyTorch's meta kernel reads no
    target values), its node's picks a meta array of the input's shape."""
    r = wrap(meta.empty(tuple(td.shape) if reduction == "none" else (), xd.dtype))
    if GradMode.enabled and input._rg or Duals:
        _record_nll(r, input, target, reduction, ignore_index, meta.empty(xd.shape, xd.dtype),
                    weight)
    return r


def _nll_loss_every_target(input, x2, flat, reduction, target, ignore_index):
    """nll_loss of (N, C) log-probabilities without class weights, every target a class and
    none ignored (a classifier's every training step): the general path's arithmetic without
    its masks."""
    xp = xp_of(x2)
    rows = xp.arange(x2.shape[0])
    total = x2.dtype.type(flat.size)                 # the general path's w.sum()
    val = -x2[rows, flat].sum()
    if reduction == "mean":
        val = val / total
    r = wrap(xp.asarray(val).astype(x2.dtype))
    if GradMode.enabled and input._rg or Duals:
        picks = xp.zeros_like(x2)
        picks[rows, flat] = -(1 / total) if reduction == "mean" else -1
        _record_nll(r, input, target, reduction, ignore_index, picks, None)
    return r


@export("F")
def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Binary cross-entropy of logits, averaged over the classes (the last dim)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(dim=input.ndim - 1) / input.shape[input.ndim - 1]
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return _reduce(loss, reduction)



# ---- the multi-class margin losses: one ATen kernel each, written as composites -----------

def _margin_input(input, target):
    """input as (N, C) and target as (N,) (1-D input: one sample), with ATen's checks."""
    shape = list(input.shape)
    if not (input.ndim == 2 and shape[1] != 0 or input.ndim == 1 and shape[0] != 0
            or input.ndim == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch "
                           f"size, but got: {shape}")
    if target.dtype.name != "int64":
        raise RuntimeError(f"expected scalar type Long but found {target.dtype.short}")
    return input if input.ndim == 2 else input.reshape(-1, shape[-1] if shape else 1)


def _multi_margin(x, weight, target, p, margin, reduction, shape):
    """Per sample: sum over i != y of (w[y]) max(0, margin - x[y] + x[i])^p, over C;
    reduced, or in the target's shape."""
    c = x.shape[1]
    z = (x - x.gather(1, target.view(-1, 1)) + margin).clamp_min(0)
    if p == 2:
        z = z * z
    if weight is not None:
        z = z * weight[target].view(-1, 1)
    others = arange(c, device=x.device) != target.view(-1, 1)
    return _reduce_to((z * others.to(x.dtype)).sum(1) / c, reduction, shape)


def _reduce_to(loss, reduction, shape):
    return loss.view(shape) if reduction == "none" else _reduce(loss, reduction)


@export("F")
def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """The multi-class hinge loss of each sample's scores against its target class."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    x = _margin_input(input, target)
    n, c = x.shape
    if target.ndim > 1 or target.numel() != n:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{n}], but got "
            f"{list(target.shape)}. Input has shape {list(input.shape)}.")
    if weight is not None:
        if weight.numel() != c:
            raise RuntimeError(f"inconsistent weight size, expected {c} but got "
                               f"{list(weight.shape)}")
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {input.dtype.short} but found "
                               f"{weight.dtype.short}")
    flat = target.reshape(-1)
    if n and bool(((flat < 0) | (flat >= c)).any()):
        raise RuntimeError("target out of range")
    return one_node("MultiMarginLossBackward0", _multi_margin, (x, weight), flat, p, margin,
                    reduction, tuple(target.shape), backward_op="multi_margin_loss_backward")


def _multilabel_masks(target):
    """(which target slots count: those before the first -1, which classes are targets),
    both (N, C) float masks."""
    td = dense(target)
    xp = xp_of(td)
    counted = xp.cumsum(td < 0, axis=1) == 0
    is_target = xp.zeros(td.shape, dtype=bool)
    rows, slots = xp.nonzero(counted)
    is_target[rows, td[rows, slots]] = True
    return counted, is_target


def _multilabel_margin(x, counted, others, target, reduction, shape):
    """Per sample: sum over its target classes j and the other classes i of
    max(0, 1 - (x[j] - x[i])), over C; reduced, or in shape."""
    xj = x.gather(1, target.clamp_min(0))
    z = (1 - xj.unsqueeze(2) + x.unsqueeze(1)).clamp_min(0)
    pairs = counted.unsqueeze(2) & others.unsqueeze(1)
    return _reduce_to((z * pairs.to(x.dtype)).sum((1, 2)) / x.shape[1], reduction, shape)


@export("F")
def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """The multi-label hinge loss: target holds each sample's classes, ended by -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction)
    x = _margin_input(input, target)
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of "
                           f"size: {list(input.shape)}")
    t = target.reshape(x.shape)
    if t.numel() and bool(((t < -1) | (t >= x.shape[1])).any()):
        raise RuntimeError("argument #2 'target' is out of range")
    counted, is_target = _multilabel_masks(t)
    return one_node("MultilabelMarginLossBackward0", _multilabel_margin, (x,),
                    wrap(counted), wrap(~is_target), t, reduction, tuple(input.shape[:-1]),
                    backward_op="multilabel_margin_loss_backward")


@export("F")
def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)) for any distance function
    d (pairwise_distance by default)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, pd, nd = anchor.ndim, positive.ndim, negative.ndim
    if not a == pd == nd:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a}D, positive {pd}D, "
                           f"and negative {nd}D inputs")
    distance = pairwise_distance if distance_function is None else distance_function
    dist_pos = distance(anchor, positive)
    dist_neg = distance(anchor, negative)
    if swap:
        dist_neg = minimum(dist_neg, distance(positive, negative))
    return _reduce((margin + dist_pos - dist_neg).clamp_min(0), reduction)



# ---- linear_cross_entropy: cross_entropy of a linear map's logits ---------------------------

def _check_linear_ce(input, linear_weight, linear_bias):
    """(batch shape, in_features, num_classes, out_features), with PyTorch's checks."""
    if input.ndim < 1 or input.ndim > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.ndim}")
    if linear_weight.ndim < 2:
        raise RuntimeError("expected linear_weight with dimensionality at least 2, got "
                           f"{linear_weight.ndim}")
    batches, in_features = tuple(input.shape[:-1]), input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError("expected equal input and linear_weight last dimensions "
                           f"(in_features), got {input.shape[-1]} and "
                           f"{linear_weight.shape[-1]}, respectively")
    classes, out_features = linear_weight.shape[0], tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (classes, *out_features):
        raise RuntimeError(f"expected linear_bias shape {(classes, *out_features)}, got "
                           f"{tuple(linear_bias.shape)}")
    if out_features and not batches:
        raise RuntimeError(f"K-dimensional loss defined by linear_weight shape "
                           f"{tuple(linear_weight.shape)} requires batched input, (N, "
                           f"{in_features}), got unbatched input with shape "
                           f"{tuple(input.shape)}")
    return batches, in_features, classes, out_features


def _linear_ce(input, linear_weight, linear_bias, target, weight, reduction, ignore_index,
               label_smoothing, logits_shape):
    """PyTorch's reference path: linear, then cross_entropy of the logits."""
    lw = linear_weight.reshape(-1, input.shape[-1])
    lb = None if linear_bias is None else linear_bias.reshape(-1)
    logits = linear(input, lw, lb).reshape(logits_shape)
    return cross_entropy(logits, target, weight, reduction=reduction,
                         ignore_index=ignore_index, label_smoothing=label_smoothing)


# The grad_fn of PyTorch's chunked op (a custom op: its autograd node is generated).
_CHUNKED_NODE = ("GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked{}"
                 "_defaultBackward")


@export("F")
def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=None, label_smoothing=0.0,
                         options=None):
    """cross_entropy(linear(input, linear_weight, linear_bias), target): with options (a
    LinearCrossEntropyOptions), PyTorch's chunked op, which tshell computes in one piece
    under that op's node."""
    batches, in_features, classes, out_features = _check_linear_ce(input, linear_weight,
                                                                   linear_bias)
    logits_shape = (*batches, classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains "
                           "probabilities")
    ignore_index = -100 if ignore_index is None else ignore_index
    if options is None:
        return _linear_ce(input, linear_weight, linear_bias, target, weight, reduction,
                          ignore_index, label_smoothing, logits_shape)
    if (out_features or reduction not in ("mean", "sum", "none") or label_smoothing != 0.0
            or target.dtype.name != "int64"):
        bias_shape = None if linear_bias is None else tuple(linear_bias.shape)
        warnings.warn(
            "linear_cross_entropy: ``options`` ignored; chunked path needs reduction in "
            "{'mean','sum','none'}, label_smoothing == 0, target.dtype == int64, out_features "
            f"== (). Got reduction={reduction!r}, label_smoothing={label_smoothing}, "
            f"target.dtype={target.dtype}, out_features={out_features}, tracing=False, "
            f"linear_bias.shape={bias_shape}.", stacklevel=2)
        return _linear_ce(input, linear_weight, linear_bias, target, weight, reduction,
                          ignore_index, label_smoothing, logits_shape)
    batched = input.ndim == 2
    x, t = (input, target) if batched else (input.unsqueeze(0), target.unsqueeze(0))
    options = options._adjust(x.shape[0], in_features, classes, input.dtype, input.device)
    tensors = (x, linear_weight, linear_bias)
    args = (t, weight, reduction, ignore_index, 0.0, (x.shape[0], classes))
    with no_grad():
        result = wrap(_linear_ce(*tensors, *args)._data)
    # the scalar reductions' backward runs once, unless allow_retain_graph (PyTorch's op
    # consumes the gradients it computed in the forward)
    once = [False] if reduction != "none" and not options.allow_retain_graph else None
    result = record_if(_CHUNKED_NODES[reduction == "none"], result, tensors,
                       (_linear_ce, args, once), save=tensors)
    return result if batched else result.squeeze(0)


def _chunked_backward(node, grad):
    """The chunked op's gradients: the reference path's, as constants (PyTorch's op has no
    double backward)."""
    once = node.params[2]
    if once is not None:
        if once[0]:
            raise RuntimeError("linear_cross_entropy chunked backward called twice; "
                               "retain_graph=True / double backward are not supported.")
        once[0] = True
    with no_grad():
        return rerun_backward(node, grad)


_CHUNKED_NODES = {none: derivative(_chunked_backward,
                                   name=_CHUNKED_NODE.format("_no_reduction" if none else ""),
                                   jvp=composite_jvp)
                  for none in (False, True)}


# ---- torch.NAME forms: ATen's signatures, the reduction an int (0 none, 1 mean, 2 sum) ----
# PyTorch 2.13's Python binding reads the declared default (at::Reduction::Mean) as 0: left
# out, the reduction is none. NONE_BY_DEFAULT keeps that observable behaviour.
NONE_BY_DEFAULT = 0

def reduction_name(reduction, fn):
    if not isinstance(reduction, int) or isinstance(reduction, bool):
        raise TypeError(f"{fn}(): argument 'reduction' must be int, not "
                        f"{type(reduction).__name__}")
    return {1: "mean", 2: "sum"}.get(reduction, "none")   # ATen: anything else is none


@export("torch.kl_div")
def aten_kl_div(input, target, reduction=NONE_BY_DEFAULT, *, log_target=False):
    """kl_div with an int reduction (no 'batchmean', no warning)."""
    return _reduce(_kl_div_pointwise(input, target, log_target),
                   reduction_name(reduction, "kl_div"))


@export("torch.margin_ranking_loss")
def aten_margin_ranking_loss(input1, input2, target, margin=0.0,
                             reduction=NONE_BY_DEFAULT):
    return margin_ranking_loss(input1, input2, target, margin,
                               reduction=reduction_name(reduction, "margin_ranking_loss"))


@export("torch.hinge_embedding_loss")
def aten_hinge_embedding_loss(input, target, margin=1.0, reduction=NONE_BY_DEFAULT):
    return hinge_embedding_loss(input, target, margin,
                                reduction=reduction_name(reduction, "hinge_embedding_loss"))


@export("torch.cosine_embedding_loss")
def aten_cosine_embedding_loss(input1, input2, target, margin=0.0,
                               reduction=NONE_BY_DEFAULT):
    return cosine_embedding_loss(input1, input2, target, margin,
                                 reduction=reduction_name(reduction, "cosine_embedding_loss"))


@export("torch.binary_cross_entropy_with_logits")
def aten_binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None,
                                          reduction=NONE_BY_DEFAULT):
    return binary_cross_entropy_with_logits(
        input, target, weight, pos_weight=pos_weight,
        reduction=reduction_name(reduction, "binary_cross_entropy_with_logits"))


@export("torch.triplet_margin_loss")
def aten_triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6,
                             swap=False, reduction=NONE_BY_DEFAULT):
    return triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                               reduction=reduction_name(reduction, "triplet_margin_loss"))


@export("torch.poisson_nll_loss")
def aten_poisson_nll_loss(input, target, log_input, full, eps, reduction):
    return poisson_nll_loss(input, target, log_input, full, eps=eps,
                            reduction=reduction_name(reduction, "poisson_nll_loss"))
