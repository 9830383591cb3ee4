"""torch.svd_lowrank and torch.pca_lowrank: a truncated SVD by the randomized range finder
of Halko, Martinsson and Tropp (PyTorch's torch/_lowrank.py, op for op). The random test
matrix comes from tshell's generator, so the factors differ from PyTorch's by the draws;
their accuracy is the algorithm's (tests/core/test_lowrank.py)."""
from __future__ import annotations

from .dtypes import float16, float32, float64
from .ops.linalg import matmul
from .ops.spectral import qr, svd
from .random import randn
from .registry import export
from .tensor import Tensor

__all__ = ["svd_lowrank", "pca_lowrank"]


def floating_dtype(A):
    """PyTorch's _linalg_utils.get_floating_dtype: A's dtype if floating, else float32."""
    return A.dtype if A.dtype in (float16, float32, float64) else float32


def get_approximate_basis(A, q, niter=2, M=None):
    """An orthonormal matrix Q (n x q) whose range approximates A's (of A - M's when M is
    given), after niter subspace iterations."""
    niter = 2 if niter is None else niter
    dtype = floating_dtype(A) if not A.is_complex() else A.dtype
    R = randn(A.shape[-1], q, dtype=dtype, device=A.device)
    X = matmul(A, R)
    if M is not None:
        X = X - matmul(M, R)
    Q = qr(X).Q
    for _ in range(niter):
        X = matmul(A.mH, Q)
        if M is not None:
            X = X - matmul(M.mH, Q)
        Q = qr(X).Q
        X = matmul(A, Q)
        if M is not None:
            X = X - matmul(M, Q)
        Q = qr(X).Q
    return Q


@export("torch")
def svd_lowrank(A, q=6, niter=2, M=None):
    """Return the singular value decomposition (U, S, V) of a matrix, batches of matrices,
    or a sparse matrix A such that A ~ U diag(S) V^H; with M given, of A - M."""
    if not isinstance(A, Tensor):
        raise TypeError(f"svd_lowrank(): argument 'A' must be Tensor, not {type(A).__name__}")
    q = 6 if q is None else q
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.size())
    if m < n:
        A = A.mH
        if M is not None:
            M = M.mH
    Q = get_approximate_basis(A, q, niter=niter, M=M)
    B = matmul(Q.mH, A)
    if M is not None:
        B = B - matmul(Q.mH, M)
    U, S, Vh = svd(B, full_matrices=False)
    V = Vh.mH
    U = Q.matmul(U)
    if m < n:
        U, V = V, U
    return U, S, V


@export("torch")
def pca_lowrank(A, q=None, center=True, niter=2):
    """Performs linear Principal Component Analysis (PCA) on a low-rank matrix, batches of
    such matrices, or sparse matrix: (U, S, V) of the centered A."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than "
                         f"min(m, n)={min(m, n)}")
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return svd_lowrank(A, q, niter=niter, M=None)
    C = A.mean(dim=(-2,), keepdim=True)
    return svd_lowrank(A - C, q, niter=niter, M=None)
