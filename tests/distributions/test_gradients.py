"""Gradients: finite-difference checks (float64) of the new core ops and of every
distribution's log_prob, entropy and moments with respect to its parameters; rsample's
gradients: pathwise ones (Normal, Uniform, Exponential, MultivariateNormal, Gamma's rate)
against central differences with the same draw, the implicit ones of Gamma, Beta and
Dirichlet against differences of the CDF, and their unbiasedness (E[dx/da] = dE[x]/da)."""

import math

import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import T, check

D = torch.distributions


# ---- the core ops ---------------------------------------------------------------------------
OPS = {
    "lgamma": (torch.lgamma, [[0.3, 1.7, 4.2], [-0.5, -2.7, 12.]]),
    "digamma": (torch.digamma, [[0.3, 1.7, 4.2], [-0.5, -2.7, 12.]]),
    "trigamma": (lambda x: torch.polygamma(1, x), [[0.3, 1.7, 4.2], [-0.5, -2.7, 12.]]),
    "polygamma3": (lambda x: x.polygamma(3), [[0.6, 1.7, 4.2]]),
    "igamma-x": (lambda x: torch.igamma(T([0.5, 2., 9.]), x), [[0.4, 1.5, 11.]]),
    "igammac-x": (lambda x: torch.igammac(T([0.5, 2., 9.]), x), [[0.4, 1.5, 11.]]),
    "gammainc-batch": (lambda x: torch.special.gammainc(T([[1.], [30.]]), x), [[0.7, 25., 40.]]),
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_gradcheck(name):
    f, value = OPS[name]
    check(f, np.array(value))


def spd(a):
    """A symmetric positive-definite matrix made from any square a (for gradchecks whose
    input must stay positive-definite under perturbation)."""
    return a @ a.mT + torch.eye(a.shape[-1], dtype=torch.float64)


A3 = np.array([[1.2, -0.3, 0.5], [0.4, 0.9, -0.2], [0.1, 0.7, 1.1]])
LOW = np.array([[2., 0., 0.], [0.7, 1.5, 0.], [-0.4, 0.3, 1.8]])
B32 = np.array([[1., -2.], [0.5, 3.], [2., 1.]])
LINALG = {
    "cholesky": (lambda a: torch.linalg.cholesky(spd(a)), [A3]),
    "cholesky-upper": (lambda a: torch.linalg.cholesky(spd(a), upper=True), [A3]),
    "cholesky-batch": (lambda a: torch.linalg.cholesky(spd(a)), [np.stack([A3, A3.T])]),
    "solve-lower": (lambda a, b: torch.linalg.solve_triangular(a.tril(), b, upper=False),
                    [LOW, B32]),
    "solve-upper": (lambda a, b: torch.linalg.solve_triangular(a.mT.triu(), b, upper=True),
                    [LOW, B32]),
    "solve-right": (lambda a, b: torch.linalg.solve_triangular(a.tril(), b.mT, upper=False,
                                                               left=False), [LOW, B32]),
    "solve-unit": (lambda a, b: torch.linalg.solve_triangular(a.tril(), b, upper=False,
                                                              unitriangular=True), [LOW, B32]),
    "solve-broadcast": (lambda a, b: torch.linalg.solve_triangular(a.tril(), b, upper=False),
                        [LOW, np.stack([B32, 2 * B32])]),
    "cholesky-inverse": (lambda a: torch.cholesky_inverse(a.tril()), [LOW]),
    "cholesky-inverse-upper": (lambda a: torch.cholesky_inverse(a.mT.triu(), upper=True),
                               [LOW]),
}


@pytest.mark.parametrize("name", sorted(LINALG))
def test_linalg_gradcheck(name):
    f, arrays = LINALG[name]
    check(f, *arrays)


# ---- log_prob, entropy, mean, variance with respect to the parameters -------------------------
def tril_factor(p):
    """A Cholesky factor with a positive diagonal from 3 free numbers."""
    z = p[:1] * 0
    return torch.stack([torch.cat([p[:1].exp(), z]), torch.cat([p[1:2], p[2:3].exp()])])


DISTS = {
    "normal": (lambda p: D.Normal(p[0], p[1].exp()), [0.3, 0.2], 0.9),
    "uniform": (lambda p: D.Uniform(p[0], p[0] + p[1].exp()), [-0.4, 0.8], 0.3),
    "bernoulli-logits": (lambda p: D.Bernoulli(logits=p), [0.4, -1.2], [1., 0.]),
    "bernoulli-probs": (lambda p: D.Bernoulli(probs=p.sigmoid()), [0.4, -1.2], [1., 0.]),
    "categorical": (lambda p: D.Categorical(logits=p), [0.5, -1., 2.], 2),
    "categorical-probs": (lambda p: D.Categorical(probs=p.exp()), [0.5, -1., 2.], 0),
    "binomial": (lambda p: D.Binomial(7, logits=p), [0.3, -0.8], [3., 6.]),
    "multinomial": (lambda p: D.Multinomial(5, logits=p), [0.5, -1., 2.], [1., 1., 3.]),
    "poisson": (lambda p: D.Poisson(p.exp()), [0.9, -0.3], [4., 0.]),
    "exponential": (lambda p: D.Exponential(p.exp()), [0.2, -0.7], [0.4, 2.]),
    "gamma": (lambda p: D.Gamma(p[0].exp(), p[1].exp()), [0.8, -0.2], 1.9),
    "beta": (lambda p: D.Beta(p[0].exp(), p[1].exp()), [0.4, 0.9], 0.3),
    "dirichlet": (lambda p: D.Dirichlet(p.exp()), [0.4, 0.9, -0.3], [0.2, 0.5, 0.3]),
    "mvn-tril": (lambda p: D.MultivariateNormal(p[3:5], scale_tril=tril_factor(p)),
                 [0.2, 0.5, -0.1, 0.3, -0.4], [1., 0.]),
    "mvn-cov": (lambda p: D.MultivariateNormal(p[3:5], tril_factor(p) @ tril_factor(p).mT),
                [0.2, 0.5, -0.1, 0.3, -0.4], [1., 0.]),
    "mvn-precision": (lambda p: D.MultivariateNormal(
        p[3:5], precision_matrix=tril_factor(p) @ tril_factor(p).mT),
        [0.2, 0.5, -0.1, 0.3, -0.4], [1., 0.]),
}
QUANTITIES = {
    "log_prob": lambda d, v: d.log_prob(v),
    "entropy": lambda d, v: d.entropy(),
    "mean": lambda d, v: d.mean,
    "variance": lambda d, v: d.variance,
}


# Categorical's mean and variance are nan, with no gradient; Poisson has no entropy
# (NotImplementedError, as in PyTorch).
NO_GRADIENT = {("categorical", "mean"), ("categorical", "variance"),
               ("categorical-probs", "mean"), ("categorical-probs", "variance"),
               ("poisson", "entropy")}


@pytest.mark.parametrize("name,quantity", [
    (n, q) for n in sorted(DISTS) for q in sorted(QUANTITIES) if (n, q) not in NO_GRADIENT])
def test_distribution_gradcheck(name, quantity):
    make, params, value = DISTS[name]
    v = T(value) if name not in ("categorical", "categorical-probs") else torch.tensor(value)

    def f(p):
        out = QUANTITIES[quantity](make(p), v)
        return out if out.requires_grad else out + 0 * p.sum()
    check(f, np.array(params))


# ---- rsample ---------------------------------------------------------------------------------
PATHWISE = {
    "normal": lambda p: D.Normal(p[0], p[1]),
    "uniform": lambda p: D.Uniform(p[0], p[0] + p[1]),
    "exponential": lambda p: D.Exponential(p[1]),
    "gamma-rate": lambda p: D.Gamma(torch.tensor(2.5, dtype=torch.float64), p[1]),
    "mvn": lambda p: D.MultivariateNormal(p[:2], scale_tril=torch.stack(
        [torch.stack([p[1], 0 * p[0]]), torch.stack([p[0], p[1] + 1])])),
}


@pytest.mark.parametrize("name", sorted(PATHWISE))
def test_pathwise_rsample_gradient_by_finite_differences(name):
    """The same draw (same seed) at perturbed parameters: rsample's gradient is the
    derivative of that path."""
    make = PATHWISE[name]

    def f(p):
        torch.manual_seed(11)
        return make(p).rsample((6,))
    check(f, np.array([0.4, 1.3]))


def gamma_cdf_alpha_derivative(alpha, x, h=1e-5):
    a = torch.full_like(x, alpha)
    return (torch.igamma(a + h, x) - torch.igamma(a - h, x)) / (2 * h)


@pytest.mark.parametrize("alpha", [0.4, 1.0, 3.5, 12., 90.])
def test_gamma_rsample_gradient_is_the_implicit_derivative(alpha):
    """x = F^-1(u; alpha) with u fixed: dx/dalpha = -(dF/dalpha) / pdf(x)."""
    torch.manual_seed(3)
    conc = torch.tensor(alpha, dtype=torch.float64, requires_grad=True)
    x = D.Gamma(conc, torch.tensor(1., dtype=torch.float64)).rsample((400,))
    grads = [torch.autograd.grad(xi, conc, retain_graph=True)[0].item() for xi in x[:40]]
    xs = x.detach()[:40]
    pdf = ((alpha - 1) * xs.log() - xs - math.lgamma(alpha)).exp()
    expected = (-gamma_cdf_alpha_derivative(alpha, xs) / pdf).numpy()
    np.testing.assert_allclose(grads, expected, rtol=2e-3)


def beta_cdf(a, b, x, nodes=200):
    """The regularized incomplete beta function by Gauss-Legendre quadrature (a, b > 1:
    a smooth integrand)."""
    t, w = np.polynomial.legendre.leggauss(nodes)
    s = (t[:, None] + 1) * x[None, :] / 2
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    dens = np.exp((a - 1) * np.log(s) + (b - 1) * np.log1p(-s) - log_beta)
    return (w[:, None] * dens).sum(0) * x / 2


def test_beta_rsample_gradient_is_the_implicit_derivative():
    a, b, h = 2.5, 3.5, 1e-5
    torch.manual_seed(4)
    c1 = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    c0 = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    x = D.Beta(c1, c0).rsample((30,))
    ga = np.array([torch.autograd.grad(xi, c1, retain_graph=True)[0].item() for xi in x])
    gb = np.array([torch.autograd.grad(xi, c0, retain_graph=True)[0].item() for xi in x])
    xs = x.detach().numpy()
    pdf = np.exp((a - 1) * np.log(xs) + (b - 1) * np.log1p(-xs)
                 - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)))
    da = (beta_cdf(a + h, b, xs) - beta_cdf(a - h, b, xs)) / (2 * h)
    db = (beta_cdf(a, b + h, xs) - beta_cdf(a, b - h, xs)) / (2 * h)
    np.testing.assert_allclose(ga, -da / pdf, rtol=5e-3, atol=1e-6)
    np.testing.assert_allclose(gb, -db / pdf, rtol=5e-3, atol=1e-6)


def mean_of_gradients(make, params, n=20000):
    """E[d sample / d params] (a row per sample coordinate) and its standard error: each draw
    has parameters of its own (a batch of n copies), so one backward pass per coordinate
    gives every draw's gradient."""
    torch.manual_seed(5)
    p = torch.tensor(params, dtype=torch.float64).expand(n, len(params)).clone()
    p.requires_grad_()
    x = make(p).rsample().reshape(n, -1)
    grads = [torch.autograd.grad(x[:, k].sum(), p, retain_graph=True)[0].numpy()
             for k in range(x.shape[1])]
    return (np.stack([g.mean(0) for g in grads]),
            np.stack([g.std(0) / math.sqrt(n) for g in grads]))


@pytest.mark.parametrize("name", ["gamma", "beta", "dirichlet"])
def test_implicit_rsample_gradients_are_unbiased(name):
    """E[dx/dtheta] = dE[x]/dtheta: the mean gradient over draws matches the derivative of
    the mean, within five standard errors."""
    make, params = {
        "gamma": (lambda p: D.Gamma(p[..., 0], p[..., 1]), [2.5, 1.5]),
        "beta": (lambda p: D.Beta(p[..., 0], p[..., 1]), [2., 3.]),
        "dirichlet": (lambda p: D.Dirichlet(p), [1.5, 0.7, 3.]),
    }[name]
    mean_grad, err = mean_of_gradients(make, params)
    p = torch.tensor(params, dtype=torch.float64, requires_grad=True)
    mean = make(p).mean.reshape(-1)
    exact = np.stack([torch.autograd.grad(mean[k], p, retain_graph=True)[0].numpy()
                      for k in range(mean.shape[0])])
    assert (np.abs(mean_grad - exact) <= 5 * err + 1e-9).all(), (mean_grad, exact, err)


def test_rsample_gradient_flows_to_a_loss():
    """rsample in an objective: the gradient of E[(x - 3)^2] for x ~ Normal(mu, 1) is
    2 (mu - 3); a Monte Carlo estimate of it lands within its standard error."""
    torch.manual_seed(0)
    mu = torch.tensor(1.0, requires_grad=True)
    x = D.Normal(mu, 1.0).rsample((20000,))
    ((x - 3) ** 2).mean().backward()
    assert abs(mu.grad.item() - 2 * (1.0 - 3)) < 5 * 2 / math.sqrt(20000)
