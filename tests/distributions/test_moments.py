"""Samples of every distribution, by statistics (fixed seeds; bounds of five standard errors,
tests/distributions/stats.py): means and variances against the distribution's own mean and
variance, the empirical CDF against cdf() for the continuous ones, frequencies against
exp(log_prob) for the discrete ones, and the shape, dtype and support of every sample."""

import math

import numpy as np
import pytest

import tshell.core as torch
from tests.distributions.stats import (assert_cdf_fits, assert_frequencies,
                                       assert_mean_and_variance)

D = torch.distributions
N = 20000


def draw(d, n=N):
    torch.manual_seed(1234)
    s = d.sample((n,))
    assert s.shape == (n,) + d.batch_shape + d.event_shape
    assert not s.requires_grad
    return s


CONTINUOUS = {
    "normal": lambda: D.Normal(torch.tensor([0., 3., -2.]), torch.tensor([1., 0.5, 4.])),
    "uniform": lambda: D.Uniform(torch.tensor([0., -3., 10.]), torch.tensor([1., 5., 10.5])),
    "exponential": lambda: D.Exponential(torch.tensor([0.5, 1., 7.])),
    "gamma": lambda: D.Gamma(torch.tensor([0.3, 1., 4.5, 60.]), torch.tensor([1., 2., 0.5, 3.])),
}


@pytest.mark.parametrize("name", sorted(CONTINUOUS))
def test_continuous_moments_and_cdf(name):
    d = CONTINUOUS[name]()
    s = draw(d)
    assert s.dtype == torch.float32
    x = s.double().numpy()
    assert_mean_and_variance(x, d.mean.double().numpy(), d.variance.double().numpy(), name)
    assert bool(d.support.check(s).all())
    assert_cdf_fits(x, lambda v: d.cdf(torch.tensor(v).float()).double().numpy(), name)


def test_beta_moments():
    d = D.Beta(torch.tensor([0.5, 2., 8.]), torch.tensor([0.5, 5., 1.5]))
    s = draw(d)
    assert bool(((s > 0) & (s < 1)).all())
    assert_mean_and_variance(s.double().numpy(), d.mean.double().numpy(),
                             d.variance.double().numpy(), "beta")


def test_dirichlet_moments():
    d = D.Dirichlet(torch.tensor([[0.3, 1., 2.], [5., 5., 5.]]))
    s = draw(d)
    assert torch.allclose(s.sum(-1), torch.ones(N, 2))
    assert_mean_and_variance(s.double().numpy(), d.mean.double().numpy(),
                             d.variance.double().numpy(), "dirichlet")


def test_multivariate_normal_moments_and_covariance():
    cov = torch.tensor([[2., 0.6, -0.3], [0.6, 1., 0.2], [-0.3, 0.2, 0.5]], dtype=torch.float64)
    loc = torch.tensor([1., -1., 0.], dtype=torch.float64)
    for d in (D.MultivariateNormal(loc, cov), D.MultivariateNormal(loc, scale_tril=torch.linalg
                                                                    .cholesky(cov)),
              D.MultivariateNormal(loc, precision_matrix=torch.inverse(cov))):
        x = draw(d).numpy()
        assert_mean_and_variance(x, loc.numpy(), np.diag(cov.numpy()), "mvn")
        centred = x - loc.numpy()
        products = centred[:, :, None] * centred[:, None, :]
        se = products.std(0) / math.sqrt(N)
        assert (np.abs(products.mean(0) - cov.numpy()) <= 5 * se).all()


DISCRETE = {
    "bernoulli": (lambda: D.Bernoulli(torch.tensor([0.1, 0.5, 0.95])), 2),
    "bernoulli-logits": (lambda: D.Bernoulli(logits=torch.tensor([-3., 0., 2.])), 2),
    "binomial": (lambda: D.Binomial(torch.tensor([5., 20., 100.]), validate_args=False, probs=
                                    torch.tensor([0.3, 0.5, 0.97])), 101),
    "poisson": (lambda: D.Poisson(torch.tensor([0.5, 4., 30.])), 80),
    "categorical": (lambda: D.Categorical(torch.tensor([[0.1, 0.2, 0.7, 0.0],
                                                        [1., 1., 1., 1.]])), 4),
}


@pytest.mark.parametrize("name", sorted(DISCRETE))
def test_discrete_frequencies_follow_log_prob(name):
    make, support = DISCRETE[name]
    d = make()
    s = draw(d)
    assert bool(d.support.check(s).all())
    assert s.dtype == (torch.int64 if name == "categorical" else torch.float32)
    values = torch.arange(support, dtype=torch.float32)
    probs = d.log_prob(values.view(-1, *([1] * len(d.batch_shape))).expand(
        (support,) + d.batch_shape)).exp().double().numpy()
    x = s.long().numpy()
    for j in range(x.shape[1]):
        counts = np.bincount(x[:, j], minlength=support)[:support]
        # categories further than the support tested are folded into the last one
        p = probs[:, j].copy()
        p[-1] += max(0.0, 1 - p.sum())
        assert_frequencies(counts, p, f"{name}[{j}]")
    if name != "categorical":
        assert_mean_and_variance(x.astype(float), d.mean.double().numpy(),
                                 d.variance.double().numpy(), name)


def test_multinomial_counts():
    probs = torch.tensor([0.1, 0.3, 0.6, 0.0])
    d = D.Multinomial(12, probs)
    s = draw(d)
    assert bool((s.sum(-1) == 12).all()) and bool((s[:, 3] == 0).all())
    assert_mean_and_variance(s.double().numpy()[:, :3], d.mean.double().numpy()[:3],
                             d.variance.double().numpy()[:3], "multinomial")


def test_rsample_has_the_distribution_of_sample():
    for d in (D.Normal(2., 3.), D.Exponential(0.5), D.Gamma(2.5, 1.5), D.Uniform(-1., 1.)):
        torch.manual_seed(7)
        x = d.rsample((N,)).detach().double().numpy()
        assert_mean_and_variance(x, float(d.mean), float(d.variance), type(d).__name__)


def test_sampling_on_the_cuda_device(cuda_device):
    loc = torch.zeros(3, device=cuda_device)
    for d in (D.Normal(loc, 1.), D.Uniform(loc, loc + 1), D.Gamma(loc + 2, 1.),
              D.Poisson(loc + 3), D.Bernoulli(loc + 0.5), D.Exponential(loc + 1),
              D.Categorical(logits=loc), D.Dirichlet(loc + 1), D.Beta(loc + 1, loc + 2),
              D.Binomial(5, loc + 0.5), D.Multinomial(4, loc + 1),
              D.MultivariateNormal(loc, torch.eye(3, device=cuda_device) * 2),
              D.MultivariateNormal(loc, precision_matrix=torch.eye(3, device=cuda_device))):
        s = d.sample((5,))
        assert s.device.type == "cuda", type(d).__name__
        assert d.log_prob(s).device.type == "cuda"
        if d.has_rsample:
            assert d.rsample().device.type == "cuda"
