"""The geometric distribution: failures before the first success."""
from __future__ import annotations

from .. import autograd
from ..dtypes import float_limits
from ..ops.creation import zeros_like
from ..ops.loss import binary_cross_entropy_with_logits
from ..tensor import Size
from . import constraints
from .distribution import Distribution
from .utils import (BinaryProbsOrLogits, broadcast_all, expand_probs_or_logits, set_probs_or_logits)

__all__ = ["Geometric"]


class Geometric(BinaryProbsOrLogits, Distribution):
    """Geometric(probs=p) or Geometric(logits=l): P(X = k) = (1 - p)^k p, k = 0, 1, ..."""

    support = constraints.nonnegative_integer

    @property
    def arg_constraints(self):
        return {"probs": constraints.unit_interval, "logits": constraints.real}

    def __init__(self, probs=None, logits=None, validate_args=None):
        batch_shape = set_probs_or_logits(self, probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)
        if self._validate_args and probs is not None:
            valid = self.probs > 0
            if not valid.all():
                raise ValueError(
                    f"Expected parameter probs ({type(self.probs).__name__} of shape "
                    f"{tuple(self.probs.shape)}) of distribution {self!r} to be positive but "
                    f"found invalid values:\n{self.probs.data[~valid]}")

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Geometric, _instance)
        batch_shape = Size(batch_shape)
        expand_probs_or_logits(new, self, batch_shape)
        super(Geometric, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self):
        return 1.0 / self.probs - 1.0

    @property
    def mode(self):
        return zeros_like(self.probs)

    @property
    def variance(self):
        return (1.0 / self.probs - 1.0) / self.probs

    def sample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        tiny = float_limits(self.probs.dtype)[1]
        with autograd.no_grad():
            u = self.probs.new_empty(shape).uniform_(tiny, 1)
            return (u.log() / (-self.probs).log1p()).floor()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value, probs = broadcast_all(value, self.probs)
        probs = probs.clone()
        probs[(probs == 1) & (value == 0)] = 0     # 0 * log(0) is 0 here
        return value * (-probs).log1p() + self.probs.log()

    def entropy(self):
        return binary_cross_entropy_with_logits(self.logits, self.probs,
                                                reduction="none") / self.probs
