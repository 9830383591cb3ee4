"""Spectral factorisations (torch.linalg): the singular value decomposition, the symmetric and
general eigen-decompositions, QR, and what is built on them (pinv, matrix_rank). Forward by
NumPy's LAPACK; backward as PyTorch's FunctionsManual.cpp writes it, with tensor ops, so a
double backward records."""
from __future__ import annotations

import warnings

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, saved_output, wrap
from .common import dense, finish_out
from .creation import eye, zeros_like
from .decomposition import (finish_outs, float_matrix, record_outputs, solve_triangular,
                            square_matrix)
from .return_types import named_result
from .shape import _WARNED_ONCE, cat

linalg_svd = named_result("linalg_svd", "U", "S", "Vh")
svd_result = named_result("svd", "U", "S", "V")
linalg_eigh = named_result("linalg_eigh", "eigenvalues", "eigenvectors")
linalg_eig = named_result("linalg_eig", "eigenvalues", "eigenvectors")
linalg_qr = named_result("linalg_qr", "Q", "R")
qr_result = named_result("qr", "Q", "R")


def _identity_like(S):
    """The identity of S's last size, in S's dtype: the diagonal fill of PyTorch's E."""
    return eye(S.shape[-1], dtype=S.dtype, device=S.device)


# ---- singular value decomposition ------------------------------------------------------------

@derivative(n_outputs=3)
def LinalgSvdBackward0(node, grads):
    gU, gS, gVh = grads
    U, S, Vh = node.saved
    if node.params and (gU is not None or gVh is not None):
        k = S.shape[-1]                # full_matrices: only the first k vectors carry grads
        U, Vh = U[..., :k], Vh[..., :k, :]
        gU = None if gU is None else gU[..., :k]
        gVh = None if gVh is None else gVh[..., :k, :]
    return svd_backward(gU, gS, gVh, U, S, Vh)


def svd_backward(gU, gS, gVh, U, S, Vh):
    """PyTorch's svd_backward (real): the gradient of A = U diag(S) Vh, reduced factors."""
    if gU is None and gVh is None:
        return (U * gS.unsqueeze(-2)) @ Vh
    m, n, k = U.shape[-2], Vh.shape[-1], S.shape[-1]
    UhgU = _skew(U.mT @ gU) if gU is not None else None
    VhgV = _skew(Vh @ gVh.mT) if gVh is not None else None
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + _identity_like(S)
    if UhgU is not None and VhgV is not None:
        gA = (UhgU * S.unsqueeze(-2) + S.unsqueeze(-1) * VhgV) / E
    elif UhgU is not None:
        gA = (UhgU / E) * S.unsqueeze(-2)
    else:
        gA = S.unsqueeze(-1) * (VhgV / E)
    if gS is not None:
        gA = gA + gS.diag_embed()
    if m > k and gU is not None:
        gA = U @ gA
        gUSinv = gU / S.unsqueeze(-2)
        gA = (gA + gUSinv - U @ (U.mT @ gUSinv)) @ Vh
    elif n > k and gVh is not None:
        gA = gA @ Vh
        gVSinv = gVh.mT / S.unsqueeze(-2)
        gA = U @ (gA + gVSinv.mT - (gVSinv.mT @ Vh.mT) @ Vh)
    else:
        gA = U @ (gA @ Vh) if m >= n else (U @ gA) @ Vh
    return gA


def _skew(X):
    return X - X.mT


def _like_input(values, ad):
    """NumPy's svd and eigh keep an ndarray subclass (the stand-in device's arrays,
    core/fake_cuda.py) for the vectors only: the values go back to the input's kind."""
    return values if type(values) is type(ad) else values.view(type(ad))


def _svd_tensors(A, full_matrices, fn):
    float_matrix(A, fn)
    ad = dense(A)
    m, n = ad.shape[-2:]
    k = min(m, n)
    for rows, cols in (((m, m), (n, n)) if full_matrices else ((m, k), (k, n))):
        limits.check_result(ad.shape[:-2] + (rows, cols), ad.itemsize)   # U, Vh
    xp = xp_of(ad)
    u, s, vh = xp.linalg.svd(ad, full_matrices=full_matrices)
    s = _like_input(s, ad)
    U, S, Vh = wrap(u), wrap(s.astype(ad.real.dtype, copy=False)), wrap(vh)
    return record_outputs(LinalgSvdBackward0, (U, S, Vh), (A,), full_matrices, save=(U, S, Vh))


@export("linalg")
def svd(A, full_matrices=True, *, driver=None, out=None):
    """A = U diag(S) Vh, S descending; U and Vh only up to the sign (phase) of each vector."""
    return finish_outs(linalg_svd(*_svd_tensors(A, full_matrices, "svd")), out, "linalg_svd",
                       (A,))


@export("linalg")
def svdvals(A, *, driver=None, out=None):
    """The singular values of A, descending."""
    S = _svd_tensors(A, False, "svdvals")[1]
    return finish_out(S, out, "linalg_svdvals", (A,))


@export("torch.svd", "Tensor.svd")
def svd_old(input, some=True, compute_uv=True, *, out=None):
    """torch.svd: (U, S, V) with V = Vh^T (reduced unless some=False); zeros for U and V when
    compute_uv=False."""
    U, S, Vh = _svd_tensors(input, not some, "svd")
    if not compute_uv:
        xp = xp_of(U._data)
        r = svd_result(wrap(xp.zeros_like(U._data)), S, wrap(xp.zeros_like(Vh._data)))
    else:
        r = svd_result(U, S, Vh.mT)
    return finish_outs(r, out, "svd", (input,))


# ---- symmetric (Hermitian) eigen-decomposition -------------------------------------------------

@derivative(n_outputs=2)
def LinalgEighBackward0(node, grads):
    """PyTorch's linalg_eig_backward for a Hermitian A: V (skew(V^H gV)/E + diag(gL)) V^H."""
    gL, gV = grads
    L, V = node.saved
    if gV is None:
        return (V * gL.unsqueeze(-2)) @ V.mT
    VhgV = V.mT @ gV
    VhgV = 0.5 * (VhgV - VhgV.mT)
    E = L.unsqueeze(-2) - L.unsqueeze(-1) + _identity_like(L)
    inner = VhgV / E
    if gL is not None:
        inner = inner + gL.diag_embed()
    return V @ (inner @ V.mT)


def _check_uplo(UPLO, fn):
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")


def _eigh_tensors(A, UPLO, fn):
    float_matrix(A, fn)
    square_matrix(A, fn)
    _check_uplo(UPLO, fn)
    ad = dense(A)
    values, vectors = xp_of(ad).linalg.eigh(ad, UPLO=UPLO)
    values = _like_input(values, ad)
    L, V = wrap(values.astype(ad.real.dtype, copy=False)), wrap(vectors)
    return record_outputs(LinalgEighBackward0, (L, V), (A,), save=(L, V))


@export("linalg")
def eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric (Hermitian) A,
    read from its lower (UPLO='L') or upper triangle."""
    return finish_outs(linalg_eigh(*_eigh_tensors(A, UPLO, "eigh")), out, "linalg_eigh", (A,))


@export("linalg")
def eigvalsh(A, UPLO="L", *, out=None):
    """The eigenvalues of a symmetric (Hermitian) A, ascending."""
    return finish_out(_eigh_tensors(A, UPLO, "eigvalsh")[0], out, "linalg_eigvalsh", (A,))


# ---- general eigen-decomposition ---------------------------------------------------------------

@derivative(n_outputs=2)
def LinalgEigBackward0(node, grads):
    raise NotImplementedError("tshell: the derivative of linalg.eig is not implemented yet (it "
                              "needs complex ops); linalg.eigh differentiates a symmetric A")


def _eig_tensors(A, fn):
    float_matrix(A, fn)
    square_matrix(A, fn)
    ad = dense(A)
    values, vectors = xp_of(ad).linalg.eig(ad)
    complex_type = np.result_type(ad.dtype, np.complex64)
    return record_outputs(LinalgEigBackward0, (wrap(values.astype(complex_type)),
                                               wrap(vectors.astype(complex_type))), (A,))


@export("linalg")
def eig(A, *, out=None):
    """Eigenvalues and eigenvectors (complex, each vector of norm 1) of a square A."""
    return finish_outs(linalg_eig(*_eig_tensors(A, "eig")), out, "linalg_eig", (A,))


@export("linalg")
def eigvals(A, *, out=None):
    """The (complex) eigenvalues of a square A, in LAPACK's order."""
    return finish_out(_eig_tensors(A, "eigvals")[0], out, "linalg_eigvals", (A,))


# ---- QR -----------------------------------------------------------------------------------------

@derivative(n_outputs=2)
def LinalgQrBackward0(node, grads):
    gQ, gR = grads
    Q, R = node.saved
    mode = node.params
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed "
                           "when mode='r'. Please use linalg.qr(A, mode='reduced') if you are "
                           "going to differentiate through linalg.qr.")
    m, n = Q.shape[-2], R.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                           "and nrows > ncols.")
    MH = None                     # gR R^H - Q^H gQ
    if gR is not None:
        MH = gR @ R.mT
    if gQ is not None:
        MH = -(Q.mT @ gQ) if MH is None else MH - Q.mT @ gQ
    if m >= n:                    # gA = (gQ + Q syminvadj(triu(MH))) R^-H
        upper = MH.triu()
        b = Q @ (upper + upper.triu(1).mT)
        if gQ is not None:
            b = b + gQ
        return solve_triangular(R.mT, b, upper=False, left=False)
    # wide: gA = [Q tril(-MH + MH^H) R1^-H | 0] + Q gR
    b = Q @ (MH.mT - MH).tril()
    gA = solve_triangular(R[..., :m].mT, b, upper=False, left=False)
    gA = cat([gA, zeros_like(R[..., m:]).expand(*gA.shape[:-1], n - m)], -1)
    return gA + Q @ gR if gR is not None else gA


_QR_MODES = ("reduced", "complete", "r")


def _qr_tensors(A, mode, fn):
    if mode not in _QR_MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    float_matrix(A, fn)
    ad = dense(A)
    m = ad.shape[-2]
    limits.check_result(ad.shape[:-2] + (m, m if mode == "complete" else min(ad.shape[-2:])),
                        ad.itemsize)                                       # Q
    xp = xp_of(ad)
    if mode == "r":
        q, r = xp.zeros(ad.shape[:-2] + (0,), dtype=ad.dtype), xp.linalg.qr(ad, mode="r")
    else:
        q, r = xp.linalg.qr(ad, mode=mode)
    Q, R = wrap(q), wrap(r)
    return record_outputs(LinalgQrBackward0, (Q, R), (A,), mode, save=(Q, R))


@export("linalg")
def qr(A, mode="reduced", *, out=None):
    """A = Q R, Q with orthonormal columns and R upper triangular (LAPACK's signs)."""
    return finish_outs(linalg_qr(*_qr_tensors(A, mode, "qr")), out, "linalg_qr", (A,))


@export("torch.qr", "Tensor.qr")
def qr_old(input, some=True, *, out=None):
    """torch.qr: linalg.qr with some=True for 'reduced', False for 'complete' (deprecated)."""
    if not _WARNED_ONCE.get("qr"):
        _WARNED_ONCE["qr"] = True
        warnings.warn("torch.qr is deprecated in favor of torch.linalg.qr and will be removed in "
                      "a future PyTorch release.\nThe boolean parameter 'some' has been replaced "
                      "with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be "
                      "replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else "
                      "'complete')", UserWarning, stacklevel=2)
    return finish_outs(qr_result(*_qr_tensors(input, "reduced" if some else "complete", "qr")),
                       out, "qr", (input,))


# ---- pseudo-inverse and rank ---------------------------------------------------------------------

def _tolerance(S, smax, atol, rtol, m, n):
    """PyTorch's cut-off max(atol, rtol * smax); rtol defaults to eps * max(m, n) when
    neither is given, to 0 when only atol is."""
    xp = xp_of(S)
    if rtol is None:
        rtol = np.finfo(S.dtype).eps * max(m, n) if atol is None or _is_zero(atol) else 0.0
    atol = 0.0 if atol is None else atol
    atol, rtol = (xp.asarray(t._data if hasattr(t, "_data") else t) for t in (atol, rtol))
    return xp.maximum(atol[..., None] if atol.ndim else atol,
                      (rtol[..., None] if rtol.ndim else rtol) * smax[..., None])


def _is_zero(x):
    return not hasattr(x, "_data") and x == 0


def _spectrum(A, hermitian, fn):
    """|eigenvalues| (hermitian) or singular values of A, with their largest."""
    float_matrix(A, fn)
    ad = dense(A)
    xp = xp_of(ad)
    if hermitian:
        square_matrix(A, fn)
        s = xp.abs(xp.linalg.eigvalsh(ad))
    else:
        s = xp.linalg.svd(ad, compute_uv=False)
    smax = s.max(axis=-1) if s.shape[-1] else xp.zeros(s.shape[:-1], dtype=s.dtype)
    return s, smax


@export("linalg")
def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, tol=None, out=None):
    """The number of singular values above max(atol, rtol * largest)."""
    if tol is not None:
        atol, rtol = tol, 0.0
    s, smax = _spectrum(A, hermitian, "matrix_rank")
    m, n = A._data.shape[-2:]
    cut = _tolerance(s, smax, atol, rtol, m, n)
    return finish_out(wrap((s > cut).sum(axis=-1).astype(np.int64)), out, "linalg_matrix_rank",
                      (A,))


@derivative
def LinalgPinvBackward0(node, grad):
    A, = node.saved
    return pinv_backward(grad, saved_output(node), A)


def pinv_backward(grad, pinvA, A):
    """PyTorch's pinv_backward, with the smaller of the two products first."""
    m, n = A.shape[-2], A.shape[-1]
    pinvAh, gradh = pinvA.mT, grad.mT
    if m <= n:
        K = gradh @ pinvA
        KpinvAh = K @ pinvAh
        return (-(pinvA @ K).mT + KpinvAh - (A @ pinvA) @ KpinvAh
                + (pinvAh @ pinvA) @ (gradh - K @ A))
    K = pinvA @ gradh
    pinvAhK = pinvAh @ K
    return (-(K @ pinvA).mT + ((gradh - A @ K) @ pinvA) @ pinvAh + pinvAhK
            - (pinvAhK @ pinvA) @ A)


def pinv_array(ad, atol=None, rtol=None, hermitian=False):
    """The pseudo-inverse of a batch of matrices (arrays): singular values at or below the
    cut-off are dropped."""
    xp = xp_of(ad)
    m, n = ad.shape[-2:]
    if hermitian:
        values, vectors = xp.linalg.eigh(ad)
        size = xp.abs(values)
        smax = size.max(axis=-1) if size.shape[-1] else xp.zeros(size.shape[:-1], size.dtype)
        keep = size > _tolerance(size, smax, atol, rtol, m, n)
        inv_values = xp.where(keep, 1 / xp.where(keep, values, 1), 0)
        return xp.matmul(vectors * inv_values[..., None, :], vectors.swapaxes(-1, -2).conj())
    u, s, vh = xp.linalg.svd(ad, full_matrices=False)
    smax = s[..., 0] if s.shape[-1] else xp.zeros(s.shape[:-1], s.dtype)
    keep = s > _tolerance(s, smax, atol, rtol, m, n)
    inv_s = xp.where(keep, 1 / xp.where(keep, s, 1), 0)
    return xp.matmul(vh.swapaxes(-1, -2).conj() * inv_s[..., None, :], u.swapaxes(-1, -2).conj())


@export("linalg")
def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """The Moore-Penrose pseudo-inverse, by the SVD (by eigh when hermitian)."""
    float_matrix(A, "pinv")
    if hermitian:
        square_matrix(A, "pinv")
    data = pinv_array(dense(A), atol, rtol, hermitian).astype(A._data.dtype, copy=False)
    r = record_if(LinalgPinvBackward0, wrap(data), (A,), save=(A,), save_out=True)
    return finish_out(r, out, "linalg_pinv", (A,))


@export("torch", "Tensor")
def pinverse(input, rcond=1e-15):
    """torch.pinverse: linalg.pinv with rtol=rcond."""
    return pinv(input, rtol=rcond)


# ---- removed in PyTorch 1.9: the names remain, to say what replaces them ------------------------

_REMOVED = "This function was deprecated since version 1.9 and is now removed."


@export("torch.eig", "Tensor.eig")
def eig_removed(input, eigenvectors=False, *, out=None):
    raise RuntimeError(
        f"{_REMOVED} `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` "
        "rather than real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be "
        "replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = torch.eig(A, "
        "eigenvectors=True) should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)")


@export("torch.matrix_rank")
def matrix_rank_removed(input, tol=None, symmetric=False, *, out=None):
    raise RuntimeError(f"{_REMOVED}\nPlease use the `torch.linalg.matrix_rank` function instead. "
                       "The parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` to "
                       "'hermitian'.")


@export("torch.symeig", "Tensor.symeig")
def symeig_removed(input, eigenvectors=False, upper=True, *, out=None):
    raise RuntimeError(
        f"{_REMOVED} The default behavior has changed from using the upper triangular portion "
        "of the matrix by default to using the lower triangular portion.\n\nL, _ = torch.symeig"
        "(A, upper=upper) should be replaced with:\nL = torch.linalg.eigvalsh(A, UPLO='U' if "
        "upper else 'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) should be replaced "
        "with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')")
