"""The Cauchy (Lorentz) distribution."""
from __future__ import annotations

import math

from ..ops.creation import empty, full
from ..ops.pointwise import atan, tan
from ..tensor import Size
from . import constraints
from .distribution import Distribution
from .utils import broadcast_parameters

__all__ = ["Cauchy"]


class Cauchy(Distribution):
    """Cauchy(loc, scale): median loc, half width at half maximum scale; no mean or
    variance."""

    support = constraints.real
    has_rsample = True

    @property
    def arg_constraints(self):
        return {"loc": constraints.real, "scale": constraints.positive}

    def __init__(self, loc, scale, validate_args=None):
        (self.loc, self.scale), batch_shape = broadcast_parameters(loc, scale)
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expand_parameters(Cauchy, ("loc", "scale"), batch_shape, _instance)

    def _filled(self, value):
        return full(self._extended_shape(), value, dtype=self.loc.dtype, device=self.loc.device)

    @property
    def mean(self):
        return self._filled(math.nan)

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return self._filled(math.inf)

    def rsample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        eps = empty(shape, dtype=self.loc.dtype, device=self.loc.device).cauchy_()
        return self.loc + eps * self.scale          # PyTorch's: a standard cauchy_ draw

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return (-math.log(math.pi) - self.scale.log()
                - (((value - self.loc) / self.scale) ** 2).log1p())

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return atan((value - self.loc) / self.scale) / math.pi + 0.5

    def icdf(self, value):
        return tan(math.pi * (value - 0.5)) * self.scale + self.loc

    def entropy(self):
        return math.log(4 * math.pi) + self.scale.log()
