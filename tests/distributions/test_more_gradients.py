"""Gradients of the distributions beyond the d2l set and of the transforms, in float64:
finite-difference checks of log_prob, entropy, mean, variance and kl_divergence with respect
to the parameters; transforms' log_abs_det_jacobian against the log-determinant of their
Jacobian by finite differences; pathwise rsample gradients against the same draw at
perturbed parameters; implicit ones (through Gamma) unbiased."""

import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import T, check
from tests.distributions.test_gradients import mean_of_gradients

D = torch.distributions
TR = D.transforms

# name: (make from a float64 parameter vector p, p, value)
DISTS = {
    "cauchy": (lambda p: D.Cauchy(p[0], p[1].exp()), [0.3, 0.2], 0.9),
    "laplace": (lambda p: D.Laplace(p[0], p[1].exp()), [0.3, 0.2], 0.9),
    "gumbel": (lambda p: D.Gumbel(p[0], p[1].exp()), [0.3, 0.2], 0.9),
    "lognormal": (lambda p: D.LogNormal(p[0], p[1].exp()), [0.3, 0.2], 0.9),
    "halfnormal": (lambda p: D.HalfNormal(p.exp()), [0.3, 0.2], [0.9, 1.5]),
    "halfcauchy": (lambda p: D.HalfCauchy(p.exp()), [0.3, 0.2], [0.9, 1.5]),
    "chi2": (lambda p: D.Chi2(p.exp()), [0.3, 1.2], [0.9, 1.5]),
    "studentt": (lambda p: D.StudentT(p[0].exp() + 2, p[1], p[2].exp()), [0.3, 0.2, -0.1], 0.9),
    "pareto": (lambda p: D.Pareto(p[0].exp(), p[1].exp() + 2), [-0.3, 0.2], 0.9),
    "weibull": (lambda p: D.Weibull(p[0].exp(), p[1].exp()), [0.3, 0.2], 0.9),
    "fishersnedecor": (lambda p: D.FisherSnedecor(p[0].exp(), p[1].exp() + 4), [0.3, 0.2], 0.9),
    "generalized-pareto": (lambda p: D.GeneralizedPareto(p[0], p[1].exp(), p[2]),
                           [0.1, 0.2, 0.3], 0.9),
    "geometric": (lambda p: D.Geometric(logits=p), [0.3, -0.7], [2., 0.]),
    "inversegamma": (lambda p: D.InverseGamma(p[0].exp() + 2, p[1].exp()), [0.3, 0.2], 0.9),
    "kumaraswamy": (lambda p: D.Kumaraswamy(p[0].exp(), p[1].exp()), [0.3, 0.2], 0.4),
    "continuous-bernoulli": (lambda p: D.ContinuousBernoulli(logits=p), [0.8, -1.5], [0.4, 0.7]),
    "negative-binomial": (lambda p: D.NegativeBinomial(p[0].exp(), logits=p[1]), [1.2, -0.4], 2.),
    "onehot": (lambda p: D.OneHotCategorical(logits=p), [0.5, -1., 2.], [0., 0., 1.]),
    "relaxed-bernoulli": (lambda p: D.RelaxedBernoulli(p[0].exp(), logits=p[1]), [0.3, 0.2], 0.7),
    "relaxed-onehot": (lambda p: D.RelaxedOneHotCategorical(p[0].exp(), logits=p[1:]),
                       [0.3, 0.2, -0.5, 1.], [0.2, 0.3, 0.5]),
    "logistic-normal": (lambda p: D.LogisticNormal(p[:2], p[2:].exp()), [0.3, -0.2, 0.1, 0.4],
                        [0.2, 0.3, 0.5]),
    "von-mises": (lambda p: D.VonMises(p[0], p[1].exp()), [0.3, 0.2], 0.9),
    "lowrank-mvn": (lambda p: D.LowRankMultivariateNormal(p[:2], p[2:4].reshape(2, 1),
                                                          p[4:].exp()),
                    [0.3, -0.2, 1., 0.5, 0.1, -0.3], [0.5, 1.]),
    "wishart": (lambda p: D.Wishart(p[0].exp() + 2, scale_tril=torch.stack([
        torch.stack([p[1].exp(), 0 * p[1]]), torch.stack([p[2], p[3].exp()])])),
        [0.3, 0.2, 0.4, -0.1], [[2., 0.5], [0.5, 1.]]),
    "lkj": (lambda p: D.LKJCholesky(3, p.exp()), [0.3], [[1., 0., 0.], [0.6, 0.8, 0.],
                                                       [0.36, 0.48, 0.8]]),
    "mixture": (lambda p: D.MixtureSameFamily(D.Categorical(logits=p[:2]),
                                              D.Normal(p[2:4], p[4:].exp())),
                [0.3, -0.2, 0.1, 1.5, 0.2, -0.3], 0.9),
}
QUANTITIES = {
    "log_prob": lambda d, v: d.log_prob(v),
    "entropy": lambda d, v: d.entropy(),
    "mean": lambda d, v: d.mean,
    "variance": lambda d, v: d.variance,
}
# no such quantity in PyTorch (NotImplementedError), or a constant one; GeneralizedPareto's
# log_prob of float64 parameters raises "Double did not match Float" in PyTorch 2.13 (its
# isclose against a float32 zero), and in tshell
MISSING = {("generalized-pareto", "log_prob"), ("fishersnedecor", "entropy"),
           ("negative-binomial", "entropy"),
           ("von-mises", "entropy"), ("mixture", "entropy"), ("lkj", "entropy"),
           ("relaxed-bernoulli", "entropy"), ("relaxed-onehot", "entropy"),
           ("logistic-normal", "entropy"), ("cauchy", "mean"), ("cauchy", "variance"),
           ("halfcauchy", "mean"), ("halfcauchy", "variance"), ("von-mises", "mean"),
           ("relaxed-bernoulli", "mean"), ("relaxed-bernoulli", "variance"),
           ("relaxed-onehot", "mean"), ("relaxed-onehot", "variance"),
           ("logistic-normal", "mean"), ("logistic-normal", "variance"), ("lkj", "mean"),
           ("lkj", "variance")}


@pytest.mark.parametrize("name,quantity", [
    (n, q) for n in sorted(DISTS) for q in sorted(QUANTITIES) if (n, q) not in MISSING])
def test_distribution_gradcheck(name, quantity):
    make, params, value = DISTS[name]
    v = T(value)

    def f(p):
        out = QUANTITIES[quantity](make(p), v)
        return out if out.requires_grad else out + 0 * p.sum()
    check(f, np.array(params))


KL = {
    "normal-laplace": (lambda p: (D.Normal(p[0], p[1].exp()), D.Laplace(p[2], p[3].exp()))),
    "gumbel-normal": (lambda p: (D.Gumbel(p[0], p[1].exp()), D.Normal(p[2], p[3].exp()))),
    "cauchy-cauchy": (lambda p: (D.Cauchy(p[0], p[1].exp()), D.Cauchy(p[2], p[3].exp()))),
    "lowrank-mvn": (lambda p: (D.LowRankMultivariateNormal(p[:2], p[2:4].reshape(2, 1),
                                                           p[:2].exp()),
                               D.MultivariateNormal(p[2:], scale_tril=torch.eye(
                                   2, dtype=torch.float64) * 2))),
    # the Bregman form detaches p's natural parameters (as PyTorch's does): q's only
    "expfamily-wishart": (lambda p: (
        D.Wishart(torch.tensor(3., dtype=torch.float64), torch.eye(2, dtype=torch.float64)),
        D.Wishart(p[2].exp() + 2, torch.eye(2, dtype=torch.float64) * p[3].exp()))),
}


@pytest.mark.parametrize("name", sorted(KL))
def test_kl_divergence_gradcheck(name):
    check(lambda p: D.kl_divergence(*KL[name](p)), np.array([0.3, -0.2, 0.5, 0.1]))


# ---- transforms: log|det J| against finite differences --------------------------------------
TRANSFORMS = {
    "exp": (TR.ExpTransform(), [0.3, -1.2, 2.]),
    "sigmoid": (TR.SigmoidTransform(), [0.3, -1.2, 2.]),
    "softplus": (TR.SoftplusTransform(), [0.3, -1.2, 2.]),
    "tanh": (TR.TanhTransform(), [0.3, -1.2, 2.]),
    "affine": (TR.AffineTransform(1., -2.5), [0.3, -1.2, 2.]),
    "power": (TR.PowerTransform(T([2.5, -1., 0.5])), [0.3, 1.2, 2.]),
    "cdf": (TR.CumulativeDistributionTransform(D.Normal(0.5, 2.)), [0.3, -1.2, 2.]),
    "inverse-sigmoid": (TR.SigmoidTransform().inv, [0.3, 0.2, 0.9]),
}
VECTOR_TRANSFORMS = {
    "stick-breaking": (TR.StickBreakingTransform(), [0.3, -1.2, 2.], lambda y: y[:-1]),
    "corr-cholesky": (TR.CorrCholeskyTransform(), [0.3, -1.2, 2.],
                      lambda y: y[[1, 2, 2], [0, 0, 1]]),
    "affine-event": (TR.AffineTransform(T([1., 2., 3.]), T([0.5, -2., 3.]), event_dim=1),
                     [0.3, -1.2, 2.], lambda y: y),
    "compose": (TR.ComposeTransform([TR.AffineTransform(0.5, 2.), TR.StickBreakingTransform()]),
                [0.3, -1.2, 2.], lambda y: y[:-1]),
}


def numerical_jacobian(f, x, h=1e-6):
    cols = []
    for i in range(x.shape[0]):
        e = np.zeros(x.shape[0])
        e[i] = h
        cols.append((f(x + e) - f(x - e)) / (2 * h))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_elementwise_log_abs_det_jacobian(name):
    t, x = TRANSFORMS[name]
    x = T(x)
    slope = np.diagonal(numerical_jacobian(lambda a: t(T(a)).numpy(), x.numpy()))
    np.testing.assert_allclose(t.log_abs_det_jacobian(x, t(x)).numpy(), np.log(np.abs(slope)),
                               rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(t.inv(t(x)).numpy(), x.numpy(), rtol=1e-10)


@pytest.mark.parametrize("name", sorted(VECTOR_TRANSFORMS))
def test_vector_log_abs_det_jacobian(name):
    """log|det| of the map to the free coordinates of the codomain (the simplex's first
    K-1, the correlation factor's strict lower triangle)."""
    t, x, free = VECTOR_TRANSFORMS[name]
    x = T(x)
    J = numerical_jacobian(lambda a: free(t(T(a))).numpy(), x.numpy())
    np.testing.assert_allclose(float(t.log_abs_det_jacobian(x, t(x))),
                               np.linalg.slogdet(J)[1], rtol=1e-6)
    np.testing.assert_allclose(t.inv(t(x)).numpy(), x.numpy(), rtol=1e-8, atol=1e-10)


def test_transformed_distribution_density_integrates_to_one():
    """LogNormal as exp of a Normal: the change of variables gives a density whose
    integral over (0, inf) is 1."""
    d = D.TransformedDistribution(D.Normal(T(0.3), T(0.6)), [TR.ExpTransform(),
                                                               TR.AffineTransform(1., 2.)])
    x = torch.linspace(1.0001, 60., 400001, dtype=torch.float64)
    assert abs(float(torch.trapezoid(d.log_prob(x).exp(), x)) - 1) < 1e-4


# ---- rsample -----------------------------------------------------------------------------------
PATHWISE = {
    "cauchy": lambda p: D.Cauchy(p[0], p[1]),
    "laplace": lambda p: D.Laplace(p[0], p[1]),
    "gumbel": lambda p: D.Gumbel(p[0], p[1]),
    "lognormal": lambda p: D.LogNormal(p[0], p[1]),
    "halfnormal": lambda p: D.HalfNormal(p[1]),
    "weibull": lambda p: D.Weibull(p[1], p[0] + 1),
    "kumaraswamy": lambda p: D.Kumaraswamy(p[1], p[0] + 1),
    "pareto": lambda p: D.Pareto(p[0], p[1]),
    "generalized-pareto": lambda p: D.GeneralizedPareto(p[0], p[1], p[0] - 0.2),
    "continuous-bernoulli": lambda p: D.ContinuousBernoulli(logits=p[0]),
    "relaxed-bernoulli": lambda p: D.RelaxedBernoulli(p[1], logits=p[0]),
    "relaxed-onehot": lambda p: D.RelaxedOneHotCategorical(p[1], logits=p),
    "logistic-normal": lambda p: D.LogisticNormal(p, p[1]),
    "lowrank-mvn": lambda p: D.LowRankMultivariateNormal(p, p.reshape(2, 1), p.exp()),
}


@pytest.mark.parametrize("name", sorted(PATHWISE))
def test_pathwise_rsample_gradient_by_finite_differences(name):
    make = PATHWISE[name]

    def f(p):
        torch.manual_seed(11)
        return make(p).rsample((6,))
    check(f, np.array([0.4, 1.3]))


@pytest.mark.parametrize("name", ["studentt", "inversegamma", "chi2", "fishersnedecor"])
def test_rsample_through_gamma_is_unbiased(name):
    """E[dx/dtheta] = dE[x]/dtheta for the distributions drawn through Gamma."""
    make, params = {
        "studentt": (lambda p: D.StudentT(p[..., 0], p[..., 1], p[..., 2]), [6., 0.5, 1.5]),
        "inversegamma": (lambda p: D.InverseGamma(p[..., 0], p[..., 1]), [6., 1.5]),
        "chi2": (lambda p: D.Chi2(p[..., 0]), [3.]),
        "fishersnedecor": (lambda p: D.FisherSnedecor(p[..., 0], p[..., 1]), [6., 12.]),
    }[name]
    mean_grad, err = mean_of_gradients(make, params)
    p = torch.tensor(params, dtype=torch.float64, requires_grad=True)
    exact = torch.autograd.grad(make(p).mean, p)[0].numpy()
    assert (np.abs(mean_grad[0] - exact) <= 5 * err[0] + 1e-9).all(), (mean_grad, exact, err)


def test_straight_through_gradient_is_that_of_probs():
    p = torch.tensor([0.5, -1., 2.], dtype=torch.float64, requires_grad=True)
    d = D.OneHotCategoricalStraightThrough(logits=p)
    torch.manual_seed(0)
    w = T([1., 2., 3.])
    (d.rsample() * w).sum().backward()
    q = p.detach().clone().requires_grad_()
    (D.OneHotCategorical(logits=q).probs * w).sum().backward()
    np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy())
