"""Neural-network ops: softmax, log_softmax, linear and losses (torch.nn.functional)."""
from __future__ import annotations

import math

from ..autograd import GradMode, Node
from ..backend import xp_of
from ..dtypes import FLOATING, to_dtype
from ..tensor import Tensor, record, saved_output, wrap
from .backward_ops import (log_softmax_backward_data, nll_loss_backward,
                           softmax_backward_data)
from .common import dense, dense_as_float, half_as_float, require_float, wrap_dim
from .elementwise import SAME, unary
from .pointwise import where
from .reduction import LinalgVectorNormBackward0, norm


def _float_input(input, dtype, name="softmax", lastdim=True):
    dt = to_dtype(dtype, fn=name)
    x = input if dt is None else input.to(dt)
    require_float(x, f"{name}_lastdim_kernel_impl" if lastdim else f"{name}_kernel_impl")
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
    xp = xp_of(x._data)
    axis = d if x._data.ndim else None
    out_dtype = x._data.dtype
    xd = dense_as_float(x)
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


# ---- losses ------------------------------------------------------------------------------------

def _check_reduction(reduction):
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
    import warnings
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
    import warnings
    from .shape import broadcast_tensors
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
    _check_reduction(reduction)
    from ..dtypes import promote_types
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
    if GradMode.enabled and (input._rg or target._rg):
        record(node_cls, r, (input, target), (reduction, p), save=(input, target))
    return r


def _mse_grad(x, t, p):
    return (x - t) * 2, (t - x) * 2


MseLossBackward0 = _loss_node("MseLossBackward0", _mse_grad)


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


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean (or sum) of absolute differences."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    input, target = _same_size(input, target)
    if weight is not None:
        return _weighted(input, target, weight, reduction, lambda d: d.abs())
    _check_reduction(reduction)
    return _reduce((input - target).abs(), reduction)


def _smooth_l1_kernel(xp, x, t, beta):
    z = xp.abs(x - t)
    return xp.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)


def _smooth_l1_grad(x, t, p):
    def of(d):       # the target's gradient is the same function of t - x, as in PyTorch
        return where(d.abs() < p[0], d / p[0], d.sign())
    return of(x - t), of(t - x)


SmoothL1LossBackward0 = _loss_node("SmoothL1LossBackward0", _smooth_l1_grad)


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


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-target * input)), target holding 1 or -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if GradMode.enabled and target._rg:
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect "
                           "to argument 'target'. This input cannot have requires_grad True.")
    if tuple(input.shape) != tuple(target.shape):
        from .shape import broadcast_tensors
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


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(t log x + (1 - t) log(1 - x)) (times weight), x holding probabilities."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
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


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """binary_cross_entropy(sigmoid(input), target), computed stably from the logits;
    pos_weight weighs the positive term per class."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    return _elementwise_loss(BinaryCrossEntropyWithLogitsBackward0, _bce_logits_kernel, input,
                             target, reduction, (weight, pos_weight))


# composites, written with the ops PyTorch's own (ATen or Python) code uses
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Pointwise KL divergence target * (log(target) - input), input holding
    log-probabilities; reduction='batchmean' divides the sum by the batch size."""
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        import warnings
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns "
                      "with the KL div math definition.'mean' will be changed to behave the "
                      "same as 'batchmean' in the next major release.", stacklevel=2)
    if reduction != "batchmean":
        _check_reduction(reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        from .pointwise import xlogy
        loss = xlogy(target, target) - target * input
    if reduction == "batchmean":
        out = loss.sum()
        return out / input.shape[0] if input.ndim else out
    return _reduce(loss, reduction)


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


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Negative log-likelihood of target under Normal(input, var)."""
    from ..autograd import no_grad
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        from .creation import ones_like
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


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, -target * (input1 - input2) + margin)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.shape}, input2: {input2.shape}, "
                           f"target: {target.shape} ")
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """input where target is 1, max(0, margin - input) where it is -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    from .creation import zeros_like
    zeros = zeros_like(input)
    margin_clamp = (margin - input).clamp_min(0)
    output = where(target != 1, margin_clamp, zeros) + where(target != -1, input, zeros)
    return _reduce(output, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
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
    from .creation import zeros_like
    zeros = zeros_like(cos)
    output = (where(target == 1, 1 - cos, zeros)
              + where(target == -1, (cos - margin).clamp_min(0), zeros))
    return _reduce(output, reduction)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm of x1 - x2 + eps along the last dim."""
    r = norm(x1 - x2 + eps, p, max(x1.ndim, x2.ndim) - 1, keepdim)
    if r._fn is not None:
        r._fn.__class__ = NormBackward1     # PyTorch's at::norm node, the same derivative
    return r


NormBackward1 = type("NormBackward1", (LinalgVectorNormBackward0,), {"__slots__": ()})


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), d the p-norm distance."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
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
        from .pointwise import minimum
        dist_neg = minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce((dist_pos - dist_neg + margin).clamp_min(0), reduction)


# cross_entropy and nll_loss
class DivBackward1(Node):
    """Division by a count (PyTorch divides by a SymInt there: the Scalar overload)."""

    __slots__ = ()

    def backward(self, grad):
        return grad / self.params[0]


def _div_count(t, n):
    r = wrap((t._data / n).astype(t._data.dtype, copy=False))
    if GradMode.enabled and t._rg:
        record(DivBackward1, r, (t,), (n,))
    return r


def _class_weight_view(weight, ndim, class_dim):
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape) if ndim > 1 else weight


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy: target holds class indices, or class probabilities (a float
    tensor of input's shape); label_smoothing mixes in the uniform distribution."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
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
            from .indexing import masked_select
            smooth = smooth.sum() / weight[masked_select(target, ~ignored)].sum()
        else:
            smooth = smooth.sum() / (~ignored).sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / n)


class NllLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        input, = self.saved
        target, reduction, ignore_index, picks, weight = self.params
        return nll_loss_backward(grad, input, target, reduction, ignore_index, picks, weight)


NllLoss2DBackward0 = type("NllLoss2DBackward0", (NllLossBackward0,), {"__slots__": ()})


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood of the target classes: input holds log-probabilities (C,),
    (N, C) or (N, C, d1, ...); target holds class indices; weight one per class; targets
    equal to ignore_index count for nothing."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
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
    xp = xp_of(xd)
    x2 = (xp.moveaxis(xd, 1, -1) if xd.ndim > 2 else xd).reshape(-1, n)
    flat = td.reshape(-1)
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
    if GradMode.enabled and input._rg:
        scale = 1 / total if reduction == "mean" else 1
        picks = xp.zeros_like(x2)
        picks[rows, cls] = xp.where(keep, -w * scale, 0)
        if xd.ndim > 2:
            picks = xp.moveaxis(picks.reshape(xd.shape[:1] + xd.shape[2:] + (n,)), -1, 1)
        record(NllLoss2DBackward0 if xd.ndim == 4 else NllLossBackward0, r, (input,),
               (target, reduction, ignore_index, picks.reshape(xd.shape), weight),
               save=(input,))
    return r


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _check_input(input, fn):
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")


def _dropout(input, p, training, inplace, noise_shape):
    """input * noise, noise holding 0 (probability p) or 1 / (1 - p) in input's dtype, of
    noise_shape (broadcast over the rest: whole channels for feature dropout), as ATen's
    _dropout_impl computes it (grad_fn MulBackward0)."""
    if not training or p == 0 or input.numel() == 0:
        return input
    from ..random import rand
    from .creation import zeros
    if p == 1:
        noise = zeros((), dtype=input.dtype, device=input.device)
    else:
        keep = rand(noise_shape, device=input.device) >= p
        noise = keep.to(input.dtype) / (1 - p)
    return input.mul_(noise) if inplace else input * noise


def dropout(input, p=0.5, training=True, inplace=False):
    """In training, zero each element with probability p and scale the others by 1/(1-p)."""
    _check_p(p)
    _check_input(input, "dropout")
    return _dropout(input, p, training, inplace, input.shape)


def _feature_dropout(input, p, training, inplace):
    """Whole channels (dim 1, all positions of a sample and channel) zeroed at once."""
    _check_input(input, "feature_dropout")
    return _dropout(input, p, training, inplace, input.shape[:2] + (1,) * (input.ndim - 2))


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) input with probability p."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    if input.ndim == 3:
        return _feature_dropout(input, p, training, inplace)
    return _feature_dropout(input.unsqueeze(0), p, training, inplace).squeeze(0)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) input with probability p."""
    _check_p(p)
    import warnings
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


# ---- bilinear --------------------------------------------------------------------------------

class TrilinearBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        from .linalg import einsum
        x1, w, x2 = self.saved
        return (einsum("...o,oij,...j->...i", grad, w, x2) if x1._rg else None,
                einsum("...o,...i,...j->oij", grad, x1, x2) if w._rg else None,
                einsum("...o,oij,...i->...j", grad, w, x1) if x2._rg else None)


def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o]."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and "
                           f"{input2.ndim}")
    for d, (a, b) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if a != b:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: "
                               f"got {a} and {b}")
    for i, x in ((1, input1), (2, input2)):
        if x.shape[-1] != weight.shape[i]:
            raise RuntimeError(f"bilinear(): input{i} size does not match weight size: got "
                               f"{x.shape[-1]} but expected {weight.shape[i]}")
    if bias is not None and bias.shape[0] != weight.shape[0]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[0]} but expected {weight.shape[0]}")
    # PyTorch's _trilinear works on the inputs flattened to (N, in), then views the result
    batch = tuple(input1.shape[:-1])
    x1 = input1.reshape(-1, weight.shape[1])
    x2 = input2.reshape(-1, weight.shape[2])
    wd = weight._data
    r = wrap(xp_of(wd).einsum("ni,oij,nj->no", x1._data, wd, x2._data)
             .astype(wd.dtype, copy=False))
    if GradMode.enabled and (x1._rg or weight._rg or x2._rg):
        record(TrilinearBackward0, r, (x1, weight, x2), save=(x1, weight, x2))
    r = r.view(batch + (weight.shape[0],))
    return r if bias is None else r + bias


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


# ---- activations ---------------------------------------------------------------------------
# Each is one elementwise op declared with pointwise.unary: its kernel (on the array, half
# precision computed in float and rounded once), its derivative in tensor ops (so that
# create_graph=True works) and PyTorch's node name. PyTorch's in-place forms that record
# another node (EluBackward1...) get a second declaration under that name.

def _kernel(fn):
    """fn(xp, a, *params) on float data (half as float), the result in a's dtype."""
    def forward(xp, a, p):
        return fn(xp, half_as_float(a), *p).astype(a.dtype, copy=False)
    return forward


def _activation(name, fn, derivative, grad_fn, kernel=None, inplace_grad_fn=None,
                on_bool=None):
    """The op of one activation: float-only (PyTorch's kernel name `kernel`) unless
    kernel is None; `inplace_grad_fn`: the node name its in-place form records."""
    opts = dict(rule=SAME, float_only=kernel, on_bool=on_bool, saves_input=True)
    op = unary(name, _kernel(fn), grad_fn=grad_fn, **opts)(derivative)
    op.inplace_op = (unary(name, _kernel(fn), grad_fn=inplace_grad_fn, **opts)(derivative)
                     if inplace_grad_fn else op)
    return op


def _run(op, input, params, inplace=False):
    if inplace:
        from .inplace import apply_inplace
        return apply_inplace(input, op.inplace_op, params=params)
    return op(input, params=params)


def _positive(x):
    return x > 0


# elu, selu, celu: scale * (x if x > 0 else alpha * (exp(x * input_scale) - 1))
def _elu_kernel(xp, a, alpha, scale, input_scale):
    return xp.where(a > 0, a * scale, xp.expm1(a * input_scale) * (alpha * scale))


def _elu_grad(grad, x, out, p):
    alpha, scale, input_scale = p
    neg = (x * input_scale).exp() * (alpha * scale * input_scale)
    return grad * where(_positive(x), scale, neg)


_elu = _activation("elu", _elu_kernel, _elu_grad, "EluBackward0", "elu_cpu", "EluBackward1")
_celu = _activation("celu", _elu_kernel, _elu_grad, "CeluBackward0", "elu_cpu",
                    "CeluBackward1")
_SELU = (1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1.0)


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    return _run(_elu, input, (alpha, 1.0, 1.0), inplace)


def elu_(input, alpha=1.0):
    return elu(input, alpha, True)


def selu(input, inplace=False):
    """scale * elu(x, alpha) with SELU's fixed alpha and scale."""
    return _run(_elu, input, _SELU, inplace)


def selu_(input):
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (exp(x / alpha) - 1) otherwise."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _run(_celu, input, (alpha, 1.0, 1.0 / alpha), inplace)


def celu_(input, alpha=1.0):
    return celu(input, alpha, True)


# leaky_relu and rrelu
def _leaky_kernel(xp, a, slope):
    return xp.where(a > 0, a, a * slope)


def _leaky_grad(grad, x, out, p):
    return grad * where(_positive(x), 1.0, p[0])


_leaky_relu = _activation("leaky_relu", _leaky_kernel, _leaky_grad, "LeakyReluBackward0",
                          "leaky_relu_cpu", "LeakyReluBackward1")


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, negative_slope * x otherwise."""
    return _run(_leaky_relu, input, (negative_slope,), inplace)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def _rrelu_kernel(xp, a, slope, noise=None):
    if noise is None:
        return _leaky_kernel(xp, a, slope)
    return xp.where(a > 0, a, a * noise.astype(a.dtype, copy=False))


def _rrelu_grad(grad, x, out, p):
    slope, noise = p
    if noise is None:
        return _leaky_grad(grad, x, out, p)
    return grad * where(_positive(x), 1.0, wrap(noise.astype(x._data.dtype)))


_rrelu = _activation("rrelu", _rrelu_kernel, _rrelu_grad, "RreluWithNoiseBackward0",
                     "leaky_relu_cpu", "RreluWithNoiseBackward1")


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: in training, each negative element's slope is drawn from
    U(lower, upper) (tshell's generator); otherwise the slope is (lower + upper) / 2."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    noise = None
    if training and input.dtype.category >= FLOATING:
        from ..random import rand
        noise = rand(input.shape, dtype=input.dtype, device=input.device)
        noise = (noise * (upper - lower) + lower)._data
    return _run(_rrelu, input, ((lower + upper) / 2, noise), inplace)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, True)


# hardtanh, relu6, threshold: integer tensors too (the bounds cast to their type)
def _bound(value, a):
    return int(value) if a.dtype.kind in "iu" else value


def _hardtanh_kernel(xp, a, lo, hi):
    return xp.clip(a, _bound(lo, a), _bound(hi, a))


def _masked(grad, keep):
    """grad where keep holds, else +0 (as PyTorch's kernels: not grad * 0)."""
    return where(keep, grad, 0.0)


def _hardtanh_grad(grad, x, out, p):
    lo, hi = p
    return _masked(grad, (x > lo) & (x < hi))


_hardtanh = _activation("hardtanh", _hardtanh_kernel, _hardtanh_grad, "HardtanhBackward0",
                        on_bool=RuntimeError("Bool inputs not supported for hardtanh"))


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _run(_hardtanh, input, (min_val, max_val), inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, True)


def relu6(input, inplace=False):
    """min(max(x, 0), 6)."""
    return _run(_hardtanh, input, (0.0, 6.0), inplace)


def _threshold_kernel(xp, a, threshold, value):
    return xp.where(a <= _bound(threshold, a), a.dtype.type(_bound(value, a)), a)


def _threshold_grad(grad, x, out, p):
    return _masked(grad, x > p[0])


_threshold = _activation("threshold", _threshold_kernel, _threshold_grad, "ThresholdBackward0",
                         inplace_grad_fn="ThresholdBackward1",
                         on_bool=NotImplementedError(
                             '"threshold_cpu" not implemented for \'Bool\''))


def threshold(input, threshold, value, inplace=False):
    """value where x <= threshold, else x."""
    return _run(_threshold, input, (threshold, value), inplace)


def threshold_(input, threshold, value):
    return _run(_threshold, input, (threshold, value), True)


# gelu
_SQRT_HALF = 0.7071067811865476
_SQRT_2_OVER_PI = 0.7978845608028654
_INV_SQRT_2PI = 0.3989422804014327


def _gelu_kernel(xp, a, approximate):
    if approximate == "tanh":
        return 0.5 * a * (1 + xp.tanh(_SQRT_2_OVER_PI * (a + 0.044715 * a * a * a)))
    from .error_functions import cody_erf
    # erf rounded to a's type, then 1 + erf in that type, as PyTorch's kernel computes it
    # (PyTorch's float32 kernel on contiguous tensors uses a less accurate erf: values of
    # order 1e-3 and below can differ in the 4th digit)
    e = cody_erf(xp, (a * a.dtype.type(_SQRT_HALF)).astype("float64")).astype(a.dtype)
    return a * a.dtype.type(0.5) * (1 + e)


def _gelu_grad(grad, x, out, p):
    if p[0] == "tanh":
        inner = (x + x * x * x * 0.044715) * _SQRT_2_OVER_PI
        t = inner.tanh()
        d_inner = (x * x * (3 * 0.044715) + 1) * _SQRT_2_OVER_PI
        return grad * ((t + 1) * 0.5 + x * 0.5 * (1 - t * t) * d_inner)
    cdf = ((x * _SQRT_HALF).erf() + 1) * 0.5
    pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
    return grad * (cdf + x * pdf)


_gelu = _activation("gelu", _gelu_kernel, _gelu_grad, "GeluBackward0", "GeluKernelImpl")


def gelu(input, approximate="none"):
    """x * Phi(x) (Phi: the standard normal CDF); approximate='tanh': PyTorch's tanh form."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _gelu(input, params=(approximate,))


# silu, mish, hardsigmoid, hardswish
def _silu_kernel(xp, a):
    return a / (1 + xp.exp(-a))


def _silu_grad(grad, x, out, p):
    s = x.sigmoid()
    return grad * s * (x * (1 - s) + 1)


_silu = _activation("silu", _silu_kernel, _silu_grad, "SiluBackward0", "silu_cpu")


def silu(input, inplace=False):
    """x * sigmoid(x)."""
    return _run(_silu, input, (), inplace)


def _mish_kernel(xp, a):
    return a * xp.tanh(xp.log1p(xp.exp(a)))


def _mish_grad(grad, x, out, p):
    t = softplus(x).tanh()
    return grad * (t + x * x.sigmoid() * (1 - t * t))


_mish = _activation("mish", _mish_kernel, _mish_grad, "MishBackward0", "mish_cpu")


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    return _run(_mish, input, (), inplace)


def _hardsigmoid_kernel(xp, a):
    return xp.clip(a + 3, 0, 6) / 6


def _hardsigmoid_grad(grad, x, out, p):
    return _masked(grad / 6, (x > -3) & (x < 3))


_hardsigmoid = _activation("hardsigmoid", _hardsigmoid_kernel, _hardsigmoid_grad,
                           "HardsigmoidBackward0", "hardsigmoid_cpu")


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6."""
    return _run(_hardsigmoid, input, (), inplace)


def _hardswish_kernel(xp, a):
    return a * xp.clip(a + 3, 0, 6) / 6


def _hardswish_grad(grad, x, out, p):
    return _masked(grad * where(x < 3, x / 3 + 0.5, 1.0), x > -3)


_hardswish = _activation("hardswish", _hardswish_kernel, _hardswish_grad, "HardswishBackward0",
                         "hardswish_cpu")


def hardswish(input, inplace=False):
    """x * relu6(x + 3) / 6."""
    return _run(_hardswish, input, (), inplace)


# softplus, logsigmoid
def _softplus_kernel(xp, a, beta, threshold):
    z = a * beta
    return xp.where(z > threshold, a, xp.log1p(xp.exp(z)) / beta)


def _softplus_grad(grad, x, out, p):
    beta, threshold = p
    z = x * beta
    return grad * where(z > threshold, 1.0, z.sigmoid())


_softplus = _activation("softplus", _softplus_kernel, _softplus_grad, "SoftplusBackward0",
                        "softplus_cpu")


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * x)) / beta; x itself where beta * x > threshold."""
    return _softplus(input, params=(beta, threshold))


def _logsigmoid_kernel(xp, a):
    return xp.minimum(a, 0) - xp.log1p(xp.exp(-xp.abs(a)))


def _logsigmoid_grad(grad, x, out, p):
    return grad * (-x).sigmoid()


_logsigmoid = _activation("logsigmoid", _logsigmoid_kernel, _logsigmoid_grad,
                          "LogSigmoidBackward0", "log_sigmoid_cpu")


def logsigmoid(input):
    """log(sigmoid(x)), computed without overflow."""
    return _logsigmoid(input, params=())


# softshrink, hardshrink
def _softshrink_kernel(xp, a, lambd):
    return xp.where(a > lambd, a - lambd, xp.where(a < -lambd, a + lambd, a * 0))


def _shrink_grad(grad, x, out, p):
    return _masked(grad, (x < -p[0]) | (x > p[0]))


_softshrink = _activation("softshrink", _softshrink_kernel, _shrink_grad, "SoftshrinkBackward0",
                          "softshrink_check")


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    if lambd < 0 and input.dtype.category >= FLOATING:
        import numpy as np
        top = float(np.finfo(input._data.dtype).max)
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{input.dtype.short}, but found {lambd:g}")
    return _softshrink(input, params=(lambd,))


def _hardshrink_kernel(xp, a, lambd):
    return xp.where((a >= -lambd) & (a <= lambd), 0, a)


_hardshrink = _activation("hardshrink", _hardshrink_kernel, _shrink_grad, "HardshrinkBackward0",
                          "hardshrink_cpu")


def hardshrink(input, lambd=0.5):
    """0 where -lambd <= x <= lambd, else x."""
    return _hardshrink(input, params=(lambd,))


def relu_(input):
    """In-place relu."""
    return input.relu_()


# composites, as PyTorch writes them in Python (their grad_fn is the last op's)
def softsign(input):
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


def tanhshrink(input):
    """x - tanh(x)."""
    return input - input.tanh()


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along dim."""
    if dim is None:
        import warnings
        warnings.warn("Implicit dimension choice for softmin has been deprecated. Change the "
                      "call to include dim=X as an argument.", stacklevel=_stacklevel)
        dim = _implicit_dim(input.ndim)
    return softmax(-input, dim, dtype=dtype)


# glu: a * sigmoid(b), a and b the halves of the input along dim
class GluBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        d, = self.params
        a, b = x.chunk(2, d)
        s = b.sigmoid()
        from .shape import cat
        return cat([grad * s, grad * a * s * (1 - s)], d)


def glu(input, dim=-1):
    """The gated linear unit: a * sigmoid(b), input split in halves a, b along dim."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, input.ndim, "glu")
    require_float(input, "glu_cpu")
    n = input.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    xd = input._data
    xp = xp_of(xd)
    a, b = xp.split(dense_as_float(input), 2, axis=d)
    r = wrap((a / (1 + xp.exp(-b))).astype(xd.dtype, copy=False))
    if GradMode.enabled and input._rg:
        record(GluBackward0, r, (input,), (d,), save=(input,))
    return r


# prelu: max(0, x) + weight * min(0, x), weight one per channel (dim 1) or one in all
class PreluKernelBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, w = self.saved
        pos = _positive(x)
        gx = grad * where(pos, 1.0, w) if self.next_functions[0][0] is not None else None
        gw = None
        if self.next_functions[1][0] is not None:
            gw = (grad * where(pos, 0.0, x)).sum_to_size(w.shape)
        return gx, gw


def prelu(input, weight):
    """x for x > 0, weight * x otherwise; weight has one element or one per channel."""
    if input.ndim == 0 and weight.numel() != 1:
        raise RuntimeError("Not allow zero-dim input tensor.")
    require_float(input, "prelu_cpu")
    channels = input.shape[1] if input.ndim >= 2 else 1
    n = weight.numel()
    if n != 1 and (weight.ndim != 1 or n != channels):
        raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                           f"parameter numbers = {n} and channel size = {channels}.")
    # PyTorch views the weight to broadcast over the input (the graph shows ViewBackward0)
    shape = [1] * input.ndim
    if input.ndim >= 2:
        shape[1] = n
    shape = tuple(shape)
    w = weight if tuple(weight.shape) == shape else weight.view(shape)
    xd, wd = dense(input), w._data
    xp = xp_of(xd)
    r = wrap(xp.where(xd > 0, xd, xd * wd).astype(xd.dtype, copy=False))
    if GradMode.enabled and (input._rg or w._rg):
        record(PreluKernelBackward0, r, (input, w), save=(input, w))
    return r


# torch.nn.functional's names for this module's functions (tshell/core/__init__.py builds
# the namespace), and the torch.NAME forms PyTorch also has.
FUNCTIONAL = {"linear": linear, "mse_loss": mse_loss, "cross_entropy": cross_entropy,
              "nll_loss": nll_loss, "dropout": dropout, "dropout1d": dropout1d,
              "dropout2d": dropout2d, "bilinear": bilinear,
              "multilabel_soft_margin_loss": multilabel_soft_margin_loss}
FUNCTIONAL.update({f.__name__: f for f in (
    relu_, elu, elu_, selu, selu_, celu, celu_, leaky_relu, leaky_relu_, rrelu, rrelu_, hardtanh,
    hardtanh_, relu6, threshold, threshold_, gelu, silu, mish, hardsigmoid, hardswish,
    softplus, logsigmoid, softshrink, hardshrink, softsign, tanhshrink, softmin, glu, prelu,
    l1_loss, smooth_l1_loss, huber_loss, binary_cross_entropy, binary_cross_entropy_with_logits,
    kl_div, poisson_nll_loss, gaussian_nll_loss, margin_ranking_loss, hinge_embedding_loss,
    soft_margin_loss, cosine_embedding_loss, triplet_margin_loss, pairwise_distance)})
TORCH_LEVEL = {f.__name__: f for f in (
    selu, selu_, celu, celu_, rrelu, rrelu_, threshold, threshold_, hardshrink, prelu,
    pairwise_distance, bilinear)}
