"""torch.svd_lowrank, torch.pca_lowrank and torch.lobpcg: PyTorch's algorithms over tshell's
random draws, so the factors are checked by what they promise (reconstruction, orthonormal
columns, the eigen-equation's residual, agreement with the dense decompositions) rather than
by PyTorch's values; shapes, dtypes and messages are goldens (families/lowrank.py)."""
from __future__ import annotations

import pytest

import tshell.core as torch

f64 = torch.float64


def low_rank(m, n, r, seed=0, dtype=f64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(m, r, dtype=dtype, generator=g) @ torch.randn(r, n, dtype=dtype,
                                                                      generator=g)


def orthonormal(Q, atol=1e-10):
    eye = torch.eye(Q.shape[-1], dtype=Q.dtype).expand(Q.shape[:-2] + (Q.shape[-1],) * 2)
    return torch.allclose(Q.mT @ Q, eye, atol=atol)


@pytest.mark.parametrize("shape", [(20, 12), (12, 20), (3, 15, 10)])
def test_svd_lowrank_reconstructs_a_low_rank_matrix(shape):
    torch.manual_seed(1)
    A = low_rank(shape[-2], shape[-1], 4) if len(shape) == 2 else torch.stack(
        [low_rank(shape[-2], shape[-1], 4, seed=s) for s in range(shape[0])])
    U, S, V = torch.svd_lowrank(A, q=6)
    assert U.shape == shape[:-1] + (6,) and V.shape == shape[:-2] + (shape[-1], 6)
    assert orthonormal(U) and orthonormal(V)
    assert torch.allclose(U @ torch.diag_embed(S) @ V.mT, A, atol=1e-9)
    assert torch.allclose(S[..., :4], torch.linalg.svdvals(A)[..., :4], rtol=1e-10)


def test_svd_lowrank_with_m_approximates_a_minus_m():
    torch.manual_seed(2)
    A = low_rank(15, 9, 3) + 5.0
    M = torch.full((1, 9), 5.0, dtype=f64)
    U, S, V = torch.svd_lowrank(A, q=5, M=M)
    assert torch.allclose(U @ torch.diag(S) @ V.mT, A - 5.0, atol=1e-9)


def test_svd_lowrank_of_a_full_rank_matrix_finds_the_top_singular_values():
    torch.manual_seed(3)
    A = torch.randn(40, 30, dtype=f64) @ torch.diag(0.5 ** torch.arange(30.,
                                                                          dtype=f64))
    U, S, V = torch.svd_lowrank(A, q=8, niter=4)
    assert torch.allclose(S[:4], torch.linalg.svdvals(A)[:4], rtol=1e-6)
    assert S.dtype == f64 and U.dtype == f64


def test_pca_lowrank_centers_and_finds_the_principal_directions():
    torch.manual_seed(4)
    A = low_rank(50, 6, 3) + torch.arange(6., dtype=f64)
    U, S, V = torch.pca_lowrank(A, q=3)
    centered = A - A.mean(0)
    _, S_full, Vh = torch.linalg.svd(centered, full_matrices=False)
    assert torch.allclose(S, S_full[:3], rtol=1e-9)
    assert torch.allclose((V.mT @ Vh[:3].mT).abs(), torch.eye(3, dtype=f64), atol=1e-8)
    U2, S2, V2 = torch.pca_lowrank(A, q=4, center=False)      # rank 3 plus the offset
    assert torch.allclose(S2, torch.linalg.svdvals(A)[:4], rtol=1e-9)


def test_svd_lowrank_gradient_flows():
    torch.manual_seed(5)
    A = low_rank(10, 8, 3).requires_grad_()
    U, S, V = torch.svd_lowrank(A, q=3)
    S.sum().backward()
    # d(sum of singular values) / dA = U V^T on the matrix's support
    assert torch.allclose(A.grad, (U @ V.mT).detach(), atol=1e-8)


def spd(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    A = torch.randn(n, n, dtype=f64, generator=g)
    return A @ A.mT + torch.eye(n, dtype=f64)


@pytest.mark.parametrize("method", ["ortho", "basic"])
@pytest.mark.parametrize("largest", [True, False])
def test_lobpcg_finds_the_extreme_eigenpairs(method, largest):
    torch.manual_seed(6)
    S = spd(30)
    E, X = torch.lobpcg(S, k=3, largest=largest, method=method, niter=300, tol=1e-9)
    dense = torch.linalg.eigvalsh(S)
    want = dense.flip(0)[:3] if largest else dense[:3]
    assert torch.allclose(E, want, rtol=1e-6)
    assert (S @ X - X * E).norm() < 1e-3 * S.norm()
    assert orthonormal(X, atol=1e-6)


def test_lobpcg_generalized_problem_with_b_and_a_start():
    torch.manual_seed(7)
    A, B = spd(24, 1), spd(24, 2)
    X0 = torch.randn(24, 2, dtype=f64)
    E, X = torch.lobpcg(A, B=B, X=X0, niter=500, tol=1e-10)
    L = torch.linalg.cholesky(B)
    Li = torch.linalg.inv(L)
    dense = torch.linalg.eigvalsh(Li @ A @ Li.mT).flip(0)[:2]
    assert X.shape == (24, 2) and torch.allclose(E, dense, rtol=1e-6)
    assert (A @ X - B @ X * E).norm() < 1e-5 * A.norm()


def test_lobpcg_batches():
    torch.manual_seed(8)
    S = torch.stack([spd(15, s) for s in range(3)])
    E, X = torch.lobpcg(S, k=2, niter=300, tol=1e-10)
    assert E.shape == (3, 2) and X.shape == (3, 15, 2)
    assert torch.allclose(E, torch.linalg.eigvalsh(S).flip(-1)[:, :2], rtol=1e-6)


def test_lobpcg_backward_is_the_symmetric_eigenproblems():
    torch.manual_seed(9)
    S = spd(12).requires_grad_()
    E, X = torch.lobpcg(S, k=2, niter=300, tol=1e-12)
    E.sum().backward()
    # the gradient of the sum of the top eigenvalues: sum of u u^T over their eigenvectors
    _, V = torch.linalg.eigh(S.detach())
    top = V[:, -2:]
    assert torch.allclose(S.grad, top @ top.mT, atol=1e-6)


def test_lobpcg_tracker_sees_each_iteration():
    torch.manual_seed(10)
    steps = []
    torch.lobpcg(spd(20), k=1, niter=5, tol=1e-30, tracker=lambda w: steps.append(
        w.ivars["istep"]))
    assert steps == [1, 2, 3, 4, 5]
