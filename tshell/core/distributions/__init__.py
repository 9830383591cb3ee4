"""torch.distributions: PyTorch 2.13's distributions, transforms, constraints and KL
divergences, with its parameters, shapes, validation messages and reprs.

Samples are drawn through the core's random ops, PyTorch's CPU streams (the gamma, Poisson and
binomial samplers are NumPy's on the same twister); rsample is differentiable through the
core's autograd.
"""
from __future__ import annotations

from . import (bernoulli, beta, binomial, categorical, cauchy, chi2, constraint_registry,
               constraints, continuous_bernoulli, dirichlet, distribution, exp_family,
               exponential, fishersnedecor, gamma, generalized_pareto, geometric, gumbel,
               half_cauchy, half_normal, independent, inverse_gamma, kumaraswamy, laplace,
               log_normal, logistic_normal, multinomial, multivariate_normal,
               negative_binomial, normal, one_hot_categorical, pareto, poisson,
               relaxed_bernoulli, relaxed_categorical, studentT, transformed_distribution,
               transforms, uniform, utils, von_mises, weibull, wishart, lkj_cholesky,
               lowrank_multivariate_normal, mixture_same_family, kl)
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .chi2 import Chi2
from .constraint_registry import biject_to, transform_to
from .continuous_bernoulli import ContinuousBernoulli
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .fishersnedecor import FisherSnedecor
from .gamma import Gamma
from .generalized_pareto import GeneralizedPareto
from .geometric import Geometric
from .gumbel import Gumbel
from .half_cauchy import HalfCauchy
from .half_normal import HalfNormal
from .independent import Independent
from .inverse_gamma import InverseGamma
from .kl import kl_divergence, register_kl
from .kumaraswamy import Kumaraswamy
from .laplace import Laplace
from .lkj_cholesky import LKJCholesky
from .log_normal import LogNormal
from .logistic_normal import LogisticNormal
from .lowrank_multivariate_normal import LowRankMultivariateNormal
from .mixture_same_family import MixtureSameFamily
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .pareto import Pareto
from .poisson import Poisson
from .relaxed_bernoulli import RelaxedBernoulli
from .relaxed_categorical import RelaxedOneHotCategorical
from .studentT import StudentT
from .transformed_distribution import TransformedDistribution
from .transforms import *  # noqa: F403 (PyTorch's torch.distributions has them all)
from .transforms import __all__ as _TRANSFORMS
from .uniform import Uniform
from .von_mises import VonMises
from .weibull import Weibull
from .wishart import Wishart

# The sub-modules a program may import (`from torch.distributions.multinomial import
# Multinomial`, as the d2l book does) come through the tsh runtime as namespaces too.
SUBMODULES = ("bernoulli", "beta", "binomial", "categorical", "cauchy", "chi2",
              "constraint_registry", "constraints", "continuous_bernoulli", "dirichlet",
              "distribution", "exp_family", "exponential", "fishersnedecor", "gamma",
              "generalized_pareto", "geometric", "gumbel", "half_cauchy", "half_normal",
              "independent", "inverse_gamma", "kl", "kumaraswamy", "laplace", "lkj_cholesky",
              "log_normal", "logistic_normal", "lowrank_multivariate_normal",
              "mixture_same_family", "multinomial", "multivariate_normal", "negative_binomial",
              "normal", "one_hot_categorical", "pareto", "poisson", "relaxed_bernoulli",
              "relaxed_categorical", "studentT", "transformed_distribution", "transforms",
              "uniform", "utils", "von_mises", "weibull", "wishart")

__all__ = ["Bernoulli", "Beta", "Binomial", "Categorical", "Cauchy", "Chi2",
           "ContinuousBernoulli", "Dirichlet", "Distribution", "Exponential",
           "ExponentialFamily", "FisherSnedecor", "Gamma", "GeneralizedPareto", "Geometric",
           "Gumbel", "HalfCauchy", "HalfNormal", "Independent", "InverseGamma", "Kumaraswamy",
           "LKJCholesky", "Laplace", "LogNormal", "LogisticNormal", "LowRankMultivariateNormal",
           "MixtureSameFamily", "Multinomial", "MultivariateNormal",
           "NegativeBinomial", "Normal", "OneHotCategorical",
           "OneHotCategoricalStraightThrough", "Pareto", "Poisson", "RelaxedBernoulli",
           "RelaxedOneHotCategorical", "StudentT", "TransformedDistribution", "Uniform",
           "VonMises", "Weibull", "Wishart", "biject_to", "kl_divergence", "register_kl",
           "transform_to", *_TRANSFORMS, *SUBMODULES]
