"""Samples of the distributions beyond the d2l set (fixed seeds; bounds of five standard
errors, tests/distributions/stats.py): means and variances against the distribution's own,
the empirical CDF against cdf() where it has one, frequencies against exp(log_prob) for the
discrete ones, the support of every sample, and rsample with the law of sample."""

import math

import numpy as np
import pytest

import tshell.core as torch
from tests.distributions.stats import (assert_cdf_fits, assert_frequencies,
                                       assert_mean_and_variance)

D = torch.distributions
N = 20000


def draw(d, n=N, reparameterised=False, check_support=True):
    torch.manual_seed(4321)
    s = d.rsample((n,)).detach() if reparameterised else d.sample((n,))
    assert s.shape == (n,) + d.batch_shape + d.event_shape
    assert not s.requires_grad
    if check_support:
        assert bool(d.support.check(s).all()), type(d).__name__
    return s


# name: (distribution, whether its cdf is checked); moments must be finite
CONTINUOUS = {
    "laplace": (lambda: D.Laplace(torch.tensor([0., 3.]), torch.tensor([1., 0.5])), True),
    "gumbel": (lambda: D.Gumbel(torch.tensor([0., 3.]), torch.tensor([1., 0.5])), True),
    "lognormal": (lambda: D.LogNormal(torch.tensor([0., 1.]), torch.tensor([0.5, 0.3])), True),
    "halfnormal": (lambda: D.HalfNormal(torch.tensor([1., 3.])), True),
    "chi2": (lambda: D.Chi2(torch.tensor([1., 4.5])), True),
    "studentt": (lambda: D.StudentT(torch.tensor([5., 9.]), torch.tensor([1., -1.]), 2.), False),
    "pareto": (lambda: D.Pareto(torch.tensor([1., 2.]), torch.tensor([5., 6.])), True),
    "weibull": (lambda: D.Weibull(torch.tensor([1., 2.]), torch.tensor([0.8, 3.])), True),
    "fishersnedecor": (lambda: D.FisherSnedecor(torch.tensor([4., 10.]),
                                                torch.tensor([12., 20.])), False),
    "generalized-pareto": (lambda: D.GeneralizedPareto(torch.tensor([0., 1.]), 1.,
                                                       torch.tensor([-0.3, 0.1])), True),
    "inversegamma": (lambda: D.InverseGamma(torch.tensor([5., 8.]), torch.tensor([1., 3.])),
                     False),
    "kumaraswamy": (lambda: D.Kumaraswamy(torch.tensor([0.5, 2.]), torch.tensor([1.5, 3.])), True),
    "continuous-bernoulli": (lambda: D.ContinuousBernoulli(torch.tensor([0.2, 0.5, 0.9])), True),
    "von-mises": (lambda: D.VonMises(torch.tensor([0., 1.]), torch.tensor([0.5, 4.])), False),
}


@pytest.mark.parametrize("name", sorted(CONTINUOUS))
def test_continuous_moments_and_cdf(name):
    make, has_cdf = CONTINUOUS[name]
    d = make()
    x = draw(d).double().numpy()
    if name == "von-mises":
        # circular moments: E[exp(i(x - loc))] = I1(k)/I0(k), real; the variance is 1 - that
        c = np.cos(x - d.loc.double().numpy())
        assert_mean_and_variance(c, 1 - d.variance.double().numpy(), c.var(0), name)
        return
    assert_mean_and_variance(x, d.mean.double().numpy(), d.variance.double().numpy(), name)
    if has_cdf:
        assert_cdf_fits(x, lambda v: d.cdf(torch.tensor(v).float()).double().numpy(), name)


def test_cauchy_and_halfcauchy_quartiles():
    """No moments: the sample quartiles sit at icdf(1/4), icdf(3/4)."""
    for d in (D.Cauchy(torch.tensor([0., 2.]), torch.tensor([1., 3.])),
              D.HalfCauchy(torch.tensor([1., 3.]))):
        x = draw(d).double().numpy()
        assert_cdf_fits(x, lambda v, d=d: d.cdf(torch.tensor(v).float()).double().numpy(),
                        type(d).__name__)


DISCRETE = {
    "geometric": (lambda: D.Geometric(torch.tensor([0.2, 0.7])), 60),
    "negative-binomial": (lambda: D.NegativeBinomial(torch.tensor([3., 10.]),
                                                     torch.tensor([0.4, 0.2])), 40),
}


@pytest.mark.parametrize("name", sorted(DISCRETE))
def test_discrete_frequencies_follow_log_prob(name):
    make, support = DISCRETE[name]
    d = make()
    x = draw(d).long().numpy()
    values = torch.arange(support, dtype=torch.float32).view(-1, 1).expand(support, 2)
    probs = d.log_prob(values).exp().double().numpy()
    for j in range(x.shape[1]):
        counts = np.bincount(x[:, j], minlength=support)[:support]
        p = probs[:, j].copy()
        p[-1] += max(0.0, 1 - p.sum())        # the tail folded into the last value
        assert_frequencies(counts, p, f"{name}[{j}]")
    assert_mean_and_variance(x.astype(float), d.mean.double().numpy(),
                             d.variance.double().numpy(), name)


def test_one_hot_categorical_frequencies():
    probs = torch.tensor([0.1, 0.2, 0.7, 0.0])
    for cls in (D.OneHotCategorical, D.OneHotCategoricalStraightThrough):
        s = draw(cls(probs))
        assert bool((s.sum(-1) == 1).all())
        assert_frequencies(s.sum(0).numpy(), probs.numpy(), cls.__name__)


def test_relaxed_distributions_approach_their_discrete_ones():
    """At a low temperature the relaxed samples concentrate at 0/1 (one-hot vectors) with
    the discrete distribution's frequencies; at any temperature they stay in the support."""
    b = draw(D.RelaxedBernoulli(torch.tensor(0.05), torch.tensor([0.3, 0.8])))
    assert_frequencies([(b[:, 0] < 0.5).sum().item(), (b[:, 0] >= 0.5).sum().item()],
                       [0.7, 0.3], "relaxed bernoulli")
    # float32 exp of log-probabilities: sums within a few 1e-6 of 1, past simplex's 1e-6
    # tolerance at this temperature (as in PyTorch)
    c = draw(D.RelaxedOneHotCategorical(torch.tensor(0.05), torch.tensor([0.2, 0.3, 0.5])),
             check_support=False)
    assert bool((c >= 0).all()) and torch.allclose(c.sum(-1), torch.ones(N), atol=1e-5)
    assert_frequencies(np.bincount(c.argmax(-1).numpy(), minlength=3), [0.2, 0.3, 0.5],
                       "relaxed one-hot")


def test_logistic_normal_is_stick_breaking_of_its_normal():
    d = D.LogisticNormal(torch.tensor([0., 1.]), torch.tensor([1., 0.5]))
    s = draw(d)
    assert torch.allclose(s.sum(-1), torch.ones(N), atol=1e-5)
    z = D.transforms.StickBreakingTransform().inv(s).double().numpy()
    assert_mean_and_variance(z, [0., 1.], [1., 0.25], "logistic normal")


def test_lowrank_mvn_covariance():
    d = D.LowRankMultivariateNormal(torch.tensor([1., -1., 0.], dtype=torch.float64),
                                    torch.tensor([[1., 0.], [0.5, -1.], [0., 2.]],
                                                 dtype=torch.float64),
                                    torch.tensor([0.5, 1., 2.], dtype=torch.float64))
    x = draw(d, reparameterised=True).numpy()
    cov = d.covariance_matrix.numpy()
    assert_mean_and_variance(x, d.mean.numpy(), np.diag(cov), "lowrank mvn")
    centred = x - d.mean.numpy()
    products = centred[:, :, None] * centred[:, None, :]
    assert (np.abs(products.mean(0) - cov) <= 5 * products.std(0) / math.sqrt(N)).all()


def test_mixture_same_family_moments():
    d = D.MixtureSameFamily(D.Categorical(torch.tensor([0.2, 0.3, 0.5])),
                            D.Normal(torch.tensor([-3., 0., 4.]), torch.tensor([1., 0.5, 2.])))
    x = draw(d).double().numpy()
    assert_mean_and_variance(x, d.mean.double().numpy(), d.variance.double().numpy(), "mixture")
    assert_cdf_fits(x[:, None], lambda v: d.cdf(torch.tensor(v[:, 0]).float()).double()
                    .numpy()[:, None], "mixture")


def test_lkj_cholesky_samples_are_correlation_factors():
    """Correlation matrices with symmetric correlations; the first, from the onion method's
    first Beta, is 2 Beta(b, b) - 1 with b = eta - 1 + d/2 (variance 1 / (2b + 1)). (PyTorch
    2.13's sampler gives the later ones a larger variance, ~0.21 here; so does tshell's.)"""
    d = D.LKJCholesky(3, torch.tensor(2.))
    L = draw(d).double()
    corr = (L @ L.mT).numpy()
    assert np.allclose(np.diagonal(corr, axis1=-2, axis2=-1), 1, atol=1e-5)
    off = corr[:, [1, 2, 2], [0, 0, 1]]
    assert (np.abs(off.mean(0)) < 5 * off.std(0) / math.sqrt(N)).all()
    b = 2. - 1 + 3 / 2
    assert_mean_and_variance(off[:, :1], [0.], [1 / (2 * b + 1)], "lkj")


def test_wishart_mean():
    cov = torch.tensor([[2., 0.5], [0.5, 1.]], dtype=torch.float64)
    d = D.Wishart(torch.tensor(6., dtype=torch.float64), cov)
    torch.manual_seed(5)
    with pytest.warns(UserWarning, match="Singular sample detected"):
        s = d.rsample((N,)).detach()
    assert bool(d.support.check(s).all())
    x = s.reshape(N, 4).numpy()
    assert_mean_and_variance(x, d.mean.reshape(4).numpy(), d.variance.reshape(4).numpy(),
                             "wishart")


@pytest.mark.parametrize("make", [
    lambda: D.Laplace(1., 2.), lambda: D.Gumbel(1., 2.), lambda: D.LogNormal(0., 0.5),
    lambda: D.Weibull(2., 1.5), lambda: D.Kumaraswamy(2., 3.), lambda: D.Pareto(1., 5.),
    lambda: D.StudentT(6., 1., 2.), lambda: D.InverseGamma(6., 2.),
    lambda: D.ContinuousBernoulli(0.3)])
def test_rsample_has_the_law_of_sample(make):
    d = make()
    x = draw(d, reparameterised=True).double().numpy()
    assert_mean_and_variance(x, float(d.mean), float(d.variance), type(d).__name__)


def test_sampling_on_the_cuda_device(cuda_device):
    """Parameters on the GPU: samples, log_prob, rsample and KL stay there (a stand-in
    device where there is no GPU)."""
    z = torch.zeros(3, device=cuda_device)
    eye = torch.eye(2, device=cuda_device)
    dists = (D.Cauchy(z, 1.), D.Laplace(z, 1.), D.Gumbel(z, 1.), D.LogNormal(z, 1.),
             D.HalfNormal(z + 1), D.HalfCauchy(z + 1), D.Chi2(z + 2), D.StudentT(z + 3),
             D.Pareto(z + 1, 2.), D.Weibull(z + 1, 2.), D.FisherSnedecor(z + 3, z + 5),
             D.GeneralizedPareto(z, 1., 0.2), D.Geometric(z + 0.3), D.InverseGamma(z + 3, 1.),
             D.Kumaraswamy(z + 2, 3.), D.ContinuousBernoulli(z + 0.3),
             D.NegativeBinomial(z + 3, z + 0.5), D.OneHotCategorical(logits=z),
             D.RelaxedBernoulli(torch.tensor(0.5, device=cuda_device), z + 0.3),
             D.RelaxedOneHotCategorical(torch.tensor(0.5, device=cuda_device), logits=z),
             D.LogisticNormal(z, 1.), D.VonMises(z, z + 1),
             D.LowRankMultivariateNormal(z[:2], eye[:, :1], z[:2] + 1),
             D.MixtureSameFamily(D.Categorical(logits=z), D.Normal(z, 1.)),
             D.LKJCholesky(3, torch.tensor(2., device=cuda_device)),
             D.Independent(D.Normal(z, 1.), 1))
    for d in dists:
        s = d.sample((4,))
        assert s.device.type == "cuda", type(d).__name__
        assert d.log_prob(s).device.type == "cuda", type(d).__name__
        if d.has_rsample:
            assert d.rsample().device.type == "cuda", type(d).__name__
    w = D.Wishart(torch.tensor(3., device=cuda_device), eye)
    assert w.log_prob(eye * 2).device.type == "cuda"
    assert D.kl_divergence(D.Laplace(z, 1.), D.Normal(z, 2.)).device.type == "cuda"
    t = D.transforms.StickBreakingTransform()
    assert t.log_abs_det_jacobian(z, t(z)).device.type == "cuda"
