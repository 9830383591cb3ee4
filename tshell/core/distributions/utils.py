"""Helpers shared by the distributions: broadcasting parameters, probabilities <-> logits,
lazily computed parameters (torch.distributions.utils)."""
from __future__ import annotations

import functools

from .. import autograd
from ..dtypes import DEFAULTS, float_limits
from ..ops.activation import softmax
from ..ops.pointwise import log, log1p, sigmoid
from ..ops.creation import arange, tensor
from ..ops.shape import broadcast_tensors
from ..random import randn
from ..tensor import Size, Tensor

# PyTorch's public helpers (torch.distributions.utils); the others serve tshell's own modules
__all__ = ["broadcast_all", "logits_to_probs", "clamp_probs", "probs_to_logits", "lazy_property",
           "tril_matrix_to_vec", "vec_to_tril_matrix"]

# The Euler-Mascheroni constant (Gumbel's mean, Weibull's entropy)
EULER_CONSTANT = 0.57721566490153286060

# What PyTorch counts as a number parameter (not a tensor): its batch shape is ().
NUMBER = (int, float, bool)


def broadcast_all(*values):
    """The values as tensors of one broadcast shape; numbers take the dtype and device of the
    first tensor among them (else the default dtype)."""
    if not all(isinstance(v, (Tensor, *NUMBER)) for v in values):
        raise ValueError("Input arguments must all be instances of Number, torch.Tensor or "
                         "objects implementing __torch_function__.")
    if not all(isinstance(v, Tensor) for v in values):
        first = next((v for v in values if isinstance(v, Tensor)), None)
        options = (dict(dtype=first.dtype, device=first.device) if first is not None
                   else dict(dtype=DEFAULTS.float_dtype))
        values = [v if isinstance(v, Tensor) else tensor(v, **options) for v in values]
    return broadcast_tensors(*values)


def broadcast_parameters(*values):
    """broadcast_all(*values) and their batch shape: () when all are numbers."""
    tensors = broadcast_all(*values)
    all_numbers = all(isinstance(v, NUMBER) for v in values)
    return tensors, Size() if all_numbers else tensors[0].size()


def set_probs_or_logits(dist, probs, logits):
    """Store whichever of probs / logits was given (exactly one must be) on dist as a
    tensor, and dist._param; returns the batch shape (() for a number)."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
    name, given = ("probs", probs) if probs is not None else ("logits", logits)
    (value,) = broadcast_all(given)
    setattr(dist, name, value)
    dist._param = value
    return Size() if isinstance(given, NUMBER) else value.size()


def expand_probs_or_logits(new, old, batch_shape):
    """Give new old's probs and/or logits (whichever are computed) expanded to batch_shape."""
    for name in ("probs", "logits"):
        if name in vars(old):
            setattr(new, name, getattr(old, name).expand(batch_shape))
            new._param = getattr(new, name)


def standard_normal(shape, dtype, device):
    return randn(shape, dtype=dtype, device=device)


def logits_to_probs(logits, is_binary=False):
    """sigmoid(logits) for one probability, softmax over the last dim for categories."""
    return sigmoid(logits) if is_binary else softmax(logits, dim=-1)


def clamp_probs(probs):
    eps = float_limits(probs.dtype)[0]
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary=False):
    """The logits of probabilities (clamped away from 0 and 1)."""
    ps_clamped = clamp_probs(probs)
    if is_binary:
        return log(ps_clamped) - log1p(-ps_clamped)
    return log(ps_clamped)


class lazy_property:
    """A parameter computed from another on first use (probs from logits) and then stored on
    the instance, with grad enabled so that it stays differentiable."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        functools.update_wrapper(self, wrapped)

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return self
        with autograd.enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class BinaryProbsOrLogits:
    """The parameters of a distribution of one probability per element, given as probs or as
    logits: the other computed at its first use (Bernoulli, Binomial, Geometric, ...)."""

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)


def sum_rightmost(value, dim):
    """value summed over its `dim` rightmost dims (an event's log-densities into one)."""
    if dim == 0:
        return value
    return value.reshape(value.shape[:-dim] + (-1,)).sum(-1)


def _tril_mask(n, diag, device):
    rows = arange(n, device=device)
    return rows < rows.view(-1, 1) + (diag + 1)


def tril_matrix_to_vec(mat, diag=0):
    """The lower triangle of (a batch of) square matrices below diagonal `diag`, row by row."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    return mat[..., _tril_mask(n, diag, mat.device)]


def vec_to_tril_matrix(vec, diag=0):
    """The inverse of tril_matrix_to_vec: square matrices with vec's entries in their lower
    triangle, zeros elsewhere."""
    # the positive root of D**2 + (1+2*diag)*D - |diag| * (diag+1) - 2*vec.shape[-1] = 0
    n = (-(1 + 2 * diag) + ((1 + 2 * diag) ** 2 + 8 * vec.shape[-1]
                            + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > float_limits(vec.dtype)[0]:
        raise ValueError(f"The size of last dimension is {vec.shape[-1]} which cannot be "
                         "expressed as the lower triangular part of a square D x D matrix.")
    n = round(n)
    mat = vec.new_zeros(vec.shape[:-1] + (n, n))
    mat[..., _tril_mask(n, diag, vec.device)] = vec
    return mat
