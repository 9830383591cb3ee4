"""Helpers shared by the distributions: broadcasting parameters, probabilities <-> logits,
lazily computed parameters (torch.distributions.utils)."""
from __future__ import annotations

import functools

from .. import autograd
from ..dtypes import DEFAULTS, float_limits
from ..ops.activation import softmax
from ..ops.pointwise import log, log1p, sigmoid
from ..ops.creation import tensor
from ..ops.shape import broadcast_tensors
from ..random import randn
from ..tensor import Tensor

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
