"""torch.distributions: the distributions the d2l probability chapter and common tutorials
use, with PyTorch 2.13's parameters, shapes, validation messages and reprs.

Samples come from tshell's generator (the values differ from PyTorch's, the distributions do
not); rsample is differentiable through the core's autograd.
"""
from __future__ import annotations

from . import (bernoulli, beta, binomial, categorical, constraints, dirichlet, distribution,
               exp_family, exponential, gamma, multinomial, multivariate_normal, normal,
               poisson, uniform)
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .gamma import Gamma
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .poisson import Poisson
from .uniform import Uniform

# The sub-modules a program may import (`from torch.distributions.multinomial import
# Multinomial`, as the d2l book does) come through the tsh runtime as namespaces too.
SUBMODULES = ("bernoulli", "beta", "binomial", "categorical", "dirichlet", "exponential",
              "gamma", "multinomial", "multivariate_normal", "normal", "poisson", "uniform")

__all__ = ["Bernoulli", "Beta", "Binomial", "Categorical", "Dirichlet", "Distribution",
           "Exponential", "ExponentialFamily", "Gamma", "Multinomial", "MultivariateNormal",
           "Normal", "Poisson", "Uniform", *SUBMODULES]
