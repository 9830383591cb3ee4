"""gumbel_softmax: a differentiable sample of a categorical distribution (softmax of the
logits plus Gumbel noise, over tau), or with hard=True the one-hot sample whose gradient is
the soft sample's (the straight-through estimator)."""
from __future__ import annotations

import warnings

from ..registry import export
from .creation import empty_like, zeros_like


@export("F")
def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """softmax((logits + g) / tau) for Gumbel(0, 1) noise g; hard: its one-hot argmax,
    through which the gradient of the soft sample flows."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -empty_like(logits).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
