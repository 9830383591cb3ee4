"""Finite-difference gradient checks (float64) for the torch functions of issue 17's list:
statistics, integration, index sets, splits, scaled products, distances; first derivatives
by tests/core/test_gradcheck.py's projected check, second derivatives by its check_second.
Also torch.autograd.gradcheck/gradgradcheck and autograd.functional (core modules) against
the same finite differences."""

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import autograd_functional as AF
from tshell.core.autograd_gradcheck import GradcheckError, gradcheck, gradgradcheck

from .test_gradcheck import D, P, R, T, check, check_second, to_np

X_POINTS = T([0.0, 0.7, 1.5, 3.0])
SIGNS = T(np.sign(R(3, 4)))

CASES = {
    "quantile": (lambda x: torch.quantile(x, T([0.1, 0.5, 0.85]), dim=1, keepdim=True), D(3, 5)),
    "quantile_all": (lambda x: torch.quantile(x, 0.3), D(3, 4)),
    "nanquantile_midpoint": (lambda x: torch.nanquantile(x, 0.4, 0, interpolation="midpoint"),
                             D(4, 3)),
    "cov": (lambda x: torch.cov(x), R(3, 5)),
    "cov_weighted": (lambda x: torch.cov(x, fweights=torch.tensor([1, 2, 1, 3]),
                                         aweights=T([0.5, 1.0, 2.0, 1.5])), R(2, 4)),
    "corrcoef": (lambda x: torch.corrcoef(x), R(3, 6)),
    "trapezoid_dx": (lambda y: torch.trapezoid(y, dx=0.5), R(3, 4)),
    "trapezoid_x": (lambda y, x: torch.trapezoid(y, x, dim=0), R(4, 3),
                    np.array([0.0, 0.5, 1.7, 2.0])),
    "cumulative_trapezoid": (lambda y: torch.cumulative_trapezoid(y, X_POINTS), R(2, 4)),
    "gradient": (lambda y: torch.cat([g.reshape(-1) for g in torch.gradient(y, spacing=2.0)]),
                 R(3, 4)),
    "gradient_coords_edge2": (lambda y: torch.gradient(y, spacing=(X_POINTS,), dim=1,
                                                       edge_order=2)[0], R(3, 4)),
    "block_diag": (lambda a, b, c: torch.block_diag(a, b, c), R(2, 3), R(3), R()),
    "cartesian_prod": (lambda a, b: torch.cartesian_prod(a, b), R(3), R(2)),
    "combinations": (lambda a: torch.combinations(a, 3, with_replacement=True), R(4)),
    "diagflat": (lambda a: torch.diagflat(a, -1), R(2, 2)),
    "splits": (lambda a: torch.cat([p.reshape(-1) * (i + 1) for i, p in enumerate(
        torch.hsplit(a, [1, 3]) + torch.unsafe_split(a, 2) + a.split_with_sizes([1, 2]))]),
        R(3, 4)),
    "msort": (lambda a: torch.msort(a), D(4, 3)),
    "addmv": (lambda i, m, v: torch.addmv(i, m, v, beta=0.5, alpha=2), R(3), R(3, 4), R(4)),
    "addr": (lambda i, a, b: torch.addr(i, a, b, beta=-1, alpha=0.3), R(3, 1), R(3), R(4)),
    "addbmm": (lambda i, a, b: torch.addbmm(i, a, b, alpha=0.7), R(1, 4), R(2, 3, 5), R(2, 5, 4)),
    "baddbmm": (lambda i, a, b: torch.baddbmm(i, a, b, beta=2), R(2, 3, 4), R(2, 3, 5), R(2, 5, 4)),
    "vdot": (lambda a, b: torch.vdot(a, b), R(5), R(5)),
    "chain_matmul": (lambda a, b, c: torch.chain_matmul(a, b, c), R(2, 3), R(3, 4), R(4, 2)),
    "dist_2": (lambda a, b: torch.dist(a, b), R(3, 4), R(4)),
    "dist_3": (lambda a, b: torch.dist(a, b, 3), R(3, 4), R(3, 4)),
    "dist_inf": (lambda a, b: torch.dist(a, b, float("inf")), D(3, 4), D(4) * 0.01),
    "pdist": (lambda a: torch.pdist(a), R(4, 3)),
    "pdist_1_5": (lambda a: torch.nn.functional.pdist(a, 1.5), R(4, 3)),
    "as_strided": (lambda a: torch.as_strided(a, (3, 3), (1, 2), 1), R(3, 4)),
    "as_strided_of_view": (lambda a: a[1:].as_strided((2, 2), (4, 1), 5), R(3, 4)),
    "as_strided_scatter": (lambda a, b: torch.as_strided_scatter(a, b, (2, 2), (1, 3)),
                           R(12), R(2, 2)),
    "view_copies": (lambda a: torch.cat([torch.t_copy(a).reshape(-1),
                                         torch.diagonal_copy(a, 1) * 2,
                                         torch.unfold_copy(a, 1, 2, 1).reshape(-1) * 3,
                                         torch.split_copy(a, 3, 1)[1].reshape(-1) * 4,
                                         torch.slice_copy(a, 0, 1, None, 2).reshape(-1) * 5]),
                    R(3, 4)),
    "index_reduce_prod": (lambda a, b: a.index_reduce(0, torch.tensor([0, 2, 0]), b, "prod"),
                          R(3, 2), R(3, 2)),
    "index_reduce_mean": (lambda a, b: a.index_reduce(1, torch.tensor([1, 1, 0]), b, "mean",
                                                      include_self=False), R(2, 3), R(2, 3)),
    "index_reduce_amax": (lambda a, b: a.index_reduce(0, torch.tensor([1, 1]), b, "amax"),
                          D(2, 3), D(2, 3) + 0.013),
    "renorm": (lambda a: torch.renorm(a, 2, 0, 1.5), R(3, 4)),
    "renorm_p3_dim1": (lambda a: a.renorm(3, 1, 1.0), R(3, 4)),
    "torch_losses": (lambda a, b: torch.stack([
        torch.kl_div(a, b.abs(), 1),
        torch.margin_ranking_loss(a[0], b[0], T([1, -1, 1, -1]), 0.1, 2),
        torch.hinge_embedding_loss(a, SIGNS, 0.5, 1),
        torch.binary_cross_entropy_with_logits(a, b.sigmoid(), None, T([2.0, 1, 1, 0.5]), 2)]),
        R(3, 4), R(3, 4)),
}

SECOND = {
    "quantile": (lambda x: (torch.quantile(x, 0.3, dim=0) ** 2).sum(), D(3, 4)),
    "cov": (lambda x: (torch.cov(x) ** 2).sum(), R(3, 5)),
    "trapezoid": (lambda y: (torch.cumulative_trapezoid(y, X_POINTS) ** 2).sum(), R(2, 4)),
    "gradient": (lambda y: (torch.gradient(y, edge_order=2)[1] ** 3).sum(), R(3, 4)),
    "block_diag": (lambda a, b: (torch.block_diag(a, b) ** 3).sum(), R(2, 3), R(3)),
    "addmv_addr": (lambda i, m, v: ((torch.addmv(i, m, v) ** 2).sum()
                                    + (torch.addr(m, i, v) ** 2).sum()), R(3), R(3, 4), R(4)),
    "baddbmm": (lambda i, a, b: (torch.baddbmm(i, a, b) ** 2).sum(), R(2, 3, 4), R(2, 3, 5),
                R(2, 5, 4)),
    "dist": (lambda a, b: torch.dist(a, b) ** 3, R(3, 4), R(4)),
    "pdist": (lambda a: (torch.pdist(a) ** 3).sum(), R(4, 3)),
    "as_strided": (lambda a: (torch.as_strided(a, (3, 3), (1, 2), 1) ** 3).sum(), R(3, 4)),
    "view_copies": (lambda a: (torch.t_copy(a) ** 2).sum() + (torch.unbind_copy(a)[1] ** 3).sum(),
                    R(3, 4)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck(name):
    f, *arrays = CASES[name]
    check(f, *arrays)


@pytest.mark.parametrize("name", list(SECOND))
def test_second_derivative(name):
    f, *arrays = SECOND[name]
    check_second(f, *arrays)


# ---- torch.autograd.gradcheck / gradgradcheck and autograd.functional ------------------------

def _leaf(a):
    return T(a).requires_grad_()


def test_gradcheck_passes_and_catches_a_wrong_backward():
    x, y = _leaf(R(2, 3)), _leaf(R(3))
    assert gradcheck(lambda a, b: (a * b).sin(), (x, y))
    assert gradgradcheck(lambda a, b: (a * b.exp()).tanh(), (x, y))

    class Wrong(torch.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to "
                                             "input 0"):
        gradcheck(Wrong.apply, (x,))
    assert gradcheck(Wrong.apply, (x,), raise_exception=False) is False


def test_jacobian_and_hessian_match_finite_differences():
    xs = R(4)

    def f(x):
        return (x ** 3 * x.sin()).sum()

    def grad_f(a):
        return np.array(3 * a ** 2 * np.sin(a) + a ** 3 * np.cos(a))

    def hess_f(a):
        return np.diag(6 * a * np.sin(a) + 6 * a ** 2 * np.cos(a) - a ** 3 * np.sin(a))

    np.testing.assert_allclose(to_np(AF.jacobian(f, T(xs))), grad_f(xs), rtol=1e-12)
    np.testing.assert_allclose(to_np(AF.hessian(f, T(xs))), hess_f(xs), rtol=1e-12)
    v = R(4)
    _, hv = AF.hvp(f, T(xs), T(v))
    _, vh = AF.vhp(f, T(xs), T(v))
    np.testing.assert_allclose(to_np(hv), hess_f(xs) @ v, rtol=1e-12)
    np.testing.assert_allclose(to_np(vh), v @ hess_f(xs), rtol=1e-12)


def test_jvp_vjp_are_the_jacobian_products():
    m = R(3, 4)

    def f(x):
        return T(m) @ x.exp()

    x, u, w = R(4), R(4), R(3)
    jac = m * np.exp(x)
    out, jv = AF.jvp(f, T(x), T(u))
    _, vj = AF.vjp(f, T(x), T(w))
    np.testing.assert_allclose(to_np(out), m @ np.exp(x), rtol=1e-12)
    np.testing.assert_allclose(to_np(jv), jac @ u, rtol=1e-12)
    np.testing.assert_allclose(to_np(vj), w @ jac, rtol=1e-12)
    assert not out.requires_grad and not jv.requires_grad


def test_jacobian_with_create_graph_is_differentiable():
    x = _leaf(P(3))
    jac = AF.jacobian(lambda a: a.log() * a, x, create_graph=True)
    (second,) = torch.autograd.grad(jac.sum(), x)
    np.testing.assert_allclose(to_np(second), 1 / to_np(x), rtol=1e-12)
