"""Finite-difference gradient checks (float64) of torch.linalg's factorisations and solvers,
with test_gradcheck.py's projected check. Functions of singular or eigen vectors read
gauge-invariant things (projectors, absolute values) so the sign LAPACK picks does not
matter."""

import numpy as np
import pytest

import tshell.core as torch

from .test_gradcheck import check

rng = np.random.default_rng(7)
SQUARE = rng.standard_normal((3, 3)) + 3 * np.eye(3)
TALL = rng.standard_normal((4, 3))
RHS = rng.standard_normal((3, 2))
SYM_BASE = rng.standard_normal((3, 3))

L = torch.linalg


def _sym(A):
    return A + A.mT


CASES = {
    "solve": (lambda A, B: L.solve(A, B), SQUARE, RHS),
    "solve-vector": (lambda A, b: L.solve(A, b), SQUARE, RHS[:, 0]),
    "solve-right": (lambda A, B: L.solve(A, B.mT, left=False), SQUARE, RHS),
    "lstsq-tall": (lambda A, b: L.lstsq(A, b).solution, TALL, rng.standard_normal((4, 2))),
    "lu-factor": (lambda A: L.lu_factor(A).LU, SQUARE),
    "lu": (lambda A: L.lu(A).L + L.lu(A).U, SQUARE),
    "lu-solve": (lambda A, B: L.lu_solve(*L.lu_factor(A), B), SQUARE, RHS),
    "lu-solve-adjoint": (lambda A, B: L.lu_solve(*L.lu_factor(A), B, adjoint=True), SQUARE, RHS),
    "inv-ex": (lambda A: L.inv_ex(A).inverse, SQUARE),
    "svdvals": (lambda A: L.svdvals(A), TALL),
    "svd-projector-U": (lambda A: (lambda U: U[:, :2] @ U[:, :2].mT)(L.svd(A, False).U), TALL),
    "svd-abs-Vh-wide": (lambda A: L.svd(A.mT, False).Vh.abs(), TALL),
    "eigvalsh": (lambda A: L.eigvalsh(_sym(A)), SYM_BASE),
    "eigh-abs-vectors": (lambda A: L.eigh(_sym(A)).eigenvectors.abs(), SYM_BASE),
    "qr-tall": (lambda A: L.qr(A).Q * 2 + L.qr(A).R.sum(), TALL),
    "qr-wide": (lambda A: L.qr(A.mT).R, TALL),
    "qr-wide-Q": (lambda A: L.qr(A.mT).Q, TALL),
    "pinv-tall": (lambda A: L.pinv(A), TALL),
    "pinv-wide": (lambda A: L.pinv(A.mT), TALL),
    "slogdet": (lambda A: L.slogdet(A).logabsdet, SQUARE),
    "matrix-exp": (lambda A: L.matrix_exp(A * 0.5), SQUARE),
    "matrix-power-neg": (lambda A: L.matrix_power(A, -2), SQUARE),
    "norm-nuc": (lambda A: L.matrix_norm(A, "nuc"), TALL),
    "norm-2": (lambda A: L.matrix_norm(A, 2), TALL),
    "cond": (lambda A: L.cond(A), SQUARE),
    "multi-dot": (lambda A, B: L.multi_dot([A, A, B]), SQUARE, RHS),
    "cholesky-solve": (lambda B, A: torch.cholesky_solve(B, L.cholesky(A @ A.mT)), RHS, SQUARE),
    "triangular-solve": (lambda B, A: torch.triangular_solve(B, A.triu()).solution, RHS, SQUARE),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_linalg_gradient(name):
    f, *arrays = CASES[name]
    check(f, *arrays)


def test_svd_double_backward_records():
    A = torch.tensor(TALL.tolist(), dtype=torch.float64, requires_grad=True)
    g, = torch.autograd.grad(L.svdvals(A).sum(), A, create_graph=True)
    assert g.requires_grad
    h, = torch.autograd.grad((g * g).sum(), A)
    assert h.shape == A.shape and bool(torch.isfinite(h).all())


def test_householder_product_gradient():
    a, tau = torch.geqrf(torch.tensor(TALL.tolist(), dtype=torch.float64))
    check(lambda A, t: L.householder_product(A, t), np.array(a.tolist()), np.array(tau.tolist()))
