"""The relaxed (concrete) Bernoulli distribution on (0, 1), and its logit."""
from __future__ import annotations

from ..random import rand
from ..tensor import Size
from . import constraints
from .distribution import Distribution
from .transformed_distribution import _Relaxed
from .transforms import SigmoidTransform
from .utils import (BinaryProbsOrLogits, broadcast_all, clamp_probs, expand_probs_or_logits,
                    set_probs_or_logits)

__all__ = ["LogitRelaxedBernoulli", "RelaxedBernoulli"]


class LogitRelaxedBernoulli(BinaryProbsOrLogits, Distribution):
    """The logit of a RelaxedBernoulli sample (Maddison et al., 2017)."""

    support = constraints.real

    @property
    def arg_constraints(self):
        return {"probs": constraints.unit_interval, "logits": constraints.real}

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self.temperature = temperature
        batch_shape = set_probs_or_logits(self, probs, logits)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(LogitRelaxedBernoulli, _instance)
        batch_shape = Size(batch_shape)
        new.temperature = self.temperature
        expand_probs_or_logits(new, self, batch_shape)
        super(LogitRelaxedBernoulli, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def param_shape(self):
        return self._param.size()

    def rsample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        probs = clamp_probs(self.probs.expand(shape))
        uniforms = clamp_probs(rand(shape, dtype=probs.dtype, device=probs.device))
        return (uniforms.log() - (-uniforms).log1p() + probs.log()
                - (-probs).log1p()) / self.temperature

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value.mul(self.temperature)
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


class RelaxedBernoulli(_Relaxed):
    """RelaxedBernoulli(temperature, probs=p or logits=l): a Bernoulli relaxed into (0, 1),
    with reparameterised samples; the sigmoid of a LogitRelaxedBernoulli."""

    support = constraints.unit_interval
    has_rsample = True

    @property
    def arg_constraints(self):
        return {"probs": constraints.unit_interval, "logits": constraints.real}

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        super().__init__(LogitRelaxedBernoulli(temperature, probs, logits), SigmoidTransform(),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return super().expand(batch_shape,
                              self._get_checked_instance(RelaxedBernoulli, _instance))
