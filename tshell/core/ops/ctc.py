"""ctc_loss: the connectionist temporal classification loss, by the forward-backward
(alpha-beta) recursions in log space, as PyTorch's CPU kernel computes it."""
from __future__ import annotations

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import backend_of
from ..registry import export
from ..tensor import Tensor, record_if, wrap
from .common import dense, without_derivative
from .creation import tensor as make_tensor, zeros
from .loss import NONE_BY_DEFAULT, check_reduction, reduction_name
from .pointwise import where

_CHECKING = " (while checking arguments for ctc_loss_allocate_outputs)"


@derivative(jvp="_ctc_loss")          # PyTorch gives _ctc_loss no forward formula
def CtcLossBackward0(node, grad):
    """params: the gradient of each sample's loss with respect to log_probs (T, N, C), as
    PyTorch's kernel defines it: exp(log_probs) - exp(log(sum alpha beta) + nll - log_probs),
    the gradient of the loss with respect to the logits before a log_softmax."""
    per_sample, = node.params
    gd = grad._data
    r = wrap((gd.reshape(1, -1, 1) * per_sample).astype(per_sample.dtype, copy=False))
    return without_derivative(r, (grad, node.saved[0]), "_ctc_loss_backward")


def _lengths(value, name):
    """A sequence of lengths given as a tuple/list of ints or a tensor."""
    if isinstance(value, Tensor):
        return [int(v) for v in backend_of(value._data).to_host(value._data).reshape(-1)]
    if isinstance(value, int):
        raise TypeError(f"ctc_loss(): argument '{name}' must be tuple of ints, not int")
    return [int(v) for v in value]


def _targets_of(targets, target_lengths, batch):
    """Each sample's target sequence, from padded (N, S) or concatenated 1-D targets."""
    if targets.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"Expected tensor for argument #2 'targets' to have one of the "
                           f"following scalar types: Long, Int; but got torch."
                           f"{targets.dtype.legacy} instead{_CHECKING}")
    td = backend_of(targets._data).to_host(targets._data).astype(np.int64)
    for n in target_lengths:
        if n < 0:
            raise RuntimeError(f"Expected target_lengths to have value at least 0, but got "
                               f"value {n}{_CHECKING}")
    if td.ndim == 1:
        ends = np.cumsum([0] + target_lengths)
        if td.shape[0] != ends[-1]:
            raise RuntimeError(f"Expected tensor for argument #2 'targets' to have size "
                               f"{ends[-1]} at dimension 0, but got size {td.shape[0]} for "
                               f"argument #2 'targets'{_CHECKING}")
        return [td[ends[b]:ends[b + 1]] for b in range(batch)]
    longest = max(target_lengths, default=0)
    if td.shape[0] != batch:
        raise RuntimeError(f"Expected tensor for argument #2 'targets' to have size {batch} at "
                           f"dimension 0, but got size {td.shape[0]} for argument #2 "
                           f"'targets'{_CHECKING}")
    if td.shape[1] < longest:
        raise RuntimeError(f"Expected tensor to have size at least {longest} at dimension 1, "
                           f"but got size {td.shape[1]} for argument #2 'targets'{_CHECKING}")
    return [td[b, :target_lengths[b]] for b in range(batch)]


def _logsumexp(*arrays):
    m = np.maximum.reduce(arrays)
    safe = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        return np.log(sum(np.exp(a - safe) for a in arrays)) + safe


def _alpha_beta(lp, labels, blank):
    """log alpha and log beta (T, 2L+1) of one sample (lp: its (T, C) log-probabilities, in
    float64), and its negative log-likelihood."""
    T = lp.shape[0]
    ext = np.full(2 * len(labels) + 1, blank, dtype=np.int64)
    ext[1::2] = labels
    S = ext.size
    skip = np.zeros(S, dtype=bool)           # may come from s - 2 (a different label)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    neg = np.full(S, -np.inf)
    alpha, beta = np.full((T, S), -np.inf), np.full((T, S), -np.inf)
    if T == 0:
        return alpha, beta, ext, (0.0 if S == 1 else np.inf)
    alpha[0, :min(2, S)] = lp[0, ext[:min(2, S)]]
    for t in range(1, T):
        prev = alpha[t - 1]
        one = np.concatenate(([-np.inf], prev[:-1]))
        two = np.where(skip, np.concatenate(([-np.inf, -np.inf], prev[:-2]))[:S], neg)
        alpha[t] = _logsumexp(prev, one, two) + lp[t, ext]
    beta[T - 1, max(S - 2, 0):] = lp[T - 1, ext[max(S - 2, 0):]]
    skip_next = np.concatenate((skip[2:], [False, False]))[:S]
    for t in range(T - 2, -1, -1):
        nxt = beta[t + 1]
        one = np.concatenate((nxt[1:], [-np.inf]))
        two = np.where(skip_next, np.concatenate((nxt[2:], [-np.inf, -np.inf]))[:S], neg)
        beta[t] = _logsumexp(nxt, one, two) + lp[t, ext]
    nll = -_logsumexp(alpha[T - 1, S - 1], alpha[T - 1, S - 2] if S > 1 else -np.inf)
    return alpha, beta, ext, float(nll)


def _ctc(log_probs, targets, input_lengths, target_lengths, blank, zero_infinity):
    """Each sample's loss (N,), and its gradient with respect to log_probs (T, N, C)."""
    lp = dense(log_probs, 16)       # float64 copies: the host array and the gradient
    host = backend_of(lp).to_host(lp).astype(np.float64)
    T, N, C = host.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if len(input_lengths) != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(target_lengths) != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    labels = _targets_of(targets, target_lengths, N)
    for n in input_lengths:
        if n < 0:
            raise RuntimeError(f"Expected input_lengths to have value at least 0, but got value "
                               f"{n}{_CHECKING}")
        if n > T:
            raise RuntimeError(f"Expected input_lengths to have value at most {T}, but got "
                               f"value {n}{_CHECKING}")
    losses = np.zeros(N)
    grads = np.zeros((T, N, C))
    for b in range(N):
        t_b = input_lengths[b]
        limits.check_result((2, t_b, 2 * len(labels[b]) + 1), 8)     # alpha and beta
        alpha, beta, ext, nll = _alpha_beta(host[:t_b, b], labels[b], blank)
        losses[b] = nll
        if np.isinf(nll) and zero_infinity or t_b == 0:
            continue
        lcab = np.full((t_b, C), -np.inf)
        for s, c in enumerate(ext):
            lcab[:, c] = _logsumexp(lcab[:, c], alpha[:, s] + beta[:, s])
        lpb = host[:t_b, b]
        with np.errstate(over="ignore", invalid="ignore"):
            grads[:t_b, b] = np.exp(lpb) - np.exp(lcab + nll - lpb)
    dtype = lp.dtype
    to_device = backend_of(lp).from_host
    device = backend_of(lp).device_of(lp)
    return (to_device(losses.astype(dtype), device),
            to_device(grads.astype(dtype), device))


@export("F")
def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """The CTC loss of (T, N, C) (or unbatched (T, C)) log-probabilities against target
    label sequences (padded (N, S) or concatenated 1-D); reduction 'mean' divides each
    loss by its target length, then averages."""
    check_reduction(reduction)
    in_lengths = _lengths(input_lengths, "input_lengths")
    tg_lengths = _lengths(target_lengths, "target_lengths")
    batched = log_probs.ndim == 3
    lp = log_probs if batched else log_probs.unsqueeze(1)
    if lp.ndim != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional "
                           f"tensor for argument #1 'log_probs'{_CHECKING}")
    losses, grads = _ctc(lp, targets, in_lengths, tg_lengths, blank, zero_infinity)
    res = record_if(CtcLossBackward0, wrap(losses), (lp,), (grads,), save=(lp,))
    if zero_infinity:
        res = where(res == float("inf"), zeros((), dtype=res.dtype, device=res.device), res)
    if reduction == "mean":
        lengths = make_tensor(tg_lengths, dtype=res.dtype, device=res.device).clamp_min(1)
        return (res / lengths).mean()
    if reduction == "sum":
        return res.sum()
    return res if batched else res.squeeze(0)


@export("torch.ctc_loss")
def aten_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0,
                  reduction=NONE_BY_DEFAULT, zero_infinity=False):
    """torch.ctc_loss: ATen's signature, the reduction an int (0 none, 1 mean, 2 sum)."""
    return ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                    reduction_name(reduction, "ctc_loss"), zero_infinity)
