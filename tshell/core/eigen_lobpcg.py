"""torch.lobpcg: the k largest (or smallest) eigenpairs of a symmetric positive definite
generalized eigenproblem A X = B X E by LOBPCG, PyTorch's torch/_lobpcg.py ported op for op
('basic' and 'ortho' methods, its parameters and messages), with its backward for B = I.

The initial X, when not given, is drawn from tshell's generator, so the iterates differ from
PyTorch's; the converged eigenpairs are the same to the tolerance.
"""
from __future__ import annotations

from .autograd_function import Function
from .dtypes import float32, float64
from .lowrank import floating_dtype
from .ops.creation import eye, zeros
from .ops.decomposition import cholesky, solve_triangular
from .ops.solve import cholesky_solve
from .ops.linalg import matmul as mm
from .ops.shape import diag_embed, flip
from .ops.spectral import eigh, qr
from .random import Generator, randn
from .registry import export

__all__ = ["lobpcg"]


# ---- the small dense helpers of torch/_linalg_utils.py -----------------------------------
def _mm_or_identity(A, B):
    """A @ B, where A None stands for the identity."""
    return B if A is None else mm(A, B)


def qform(A, S):
    """S^T A S."""
    return mm(S.mT, _mm_or_identity(A, S))


def symeig(A, largest=False):
    """Eigenpairs of a symmetric A, ascending (descending when largest)."""
    E, Z = eigh(A, UPLO="U")
    if largest:
        E, Z = flip(E, (-1,)), flip(Z, (-1,))
    return E, Z


# ---- the backward: the symmetric eigenproblem's, for a partial eigenspace too ----------------
def _symeig_backward_complete_eigenspace(D_grad, U_grad, A, D, U):
    F = D.unsqueeze(-2) - D.unsqueeze(-1)
    F.diagonal(dim1=-2, dim2=-1).fill_(float("inf"))
    F.pow_(-1)
    Ut = U.mT.contiguous()
    return mm(U, mm(diag_embed(D_grad) + mm(Ut, U_grad) * F, Ut))


def _polynomial_coefficients_given_roots(roots):
    """The coefficients of prod (x - root), lowest power first."""
    poly_order = roots.shape[-1]
    shape = list(roots.shape)
    shape[-1] += 2
    poly_coeffs = roots.new_zeros(shape)
    poly_coeffs[..., 0] = 1
    poly_coeffs[..., -1] = 1
    for i in range(1, poly_order + 1):
        poly_coeffs_new = poly_coeffs.clone() if roots.requires_grad else poly_coeffs
        out = poly_coeffs_new.narrow(-1, poly_order - i, i + 1)
        out -= roots.narrow(-1, i - 1, 1) * poly_coeffs.narrow(-1, poly_order - i + 1, i + 1)
        poly_coeffs = poly_coeffs_new
    return poly_coeffs.narrow(-1, 1, poly_order + 1)


def _polynomial_value(poly, x, zero_power, transition):
    """Horner's rule."""
    res = zero_power.clone()
    for k in range(poly.size(-1) - 2, -1, -1):
        res = transition(res, x, poly[..., k])
    return res


def _matrix_polynomial_value(poly, x):
    def transition(curr, x, coeff):
        res = x.matmul(curr)
        res.diagonal(dim1=-2, dim2=-1).add_(coeff.unsqueeze(-1))
        return res
    zero_power = eye(x.size(-1), x.size(-1), dtype=x.dtype, device=x.device).view(
        *([1] * len(list(x.shape[:-2]))), x.size(-1), x.size(-1))
    return _polynomial_value(poly, x, zero_power, transition)


def _vector_polynomial_value(poly, x):
    def transition(curr, x, coeff):
        return coeff.unsqueeze(-1).addcmul(x, curr)
    return _polynomial_value(poly, x, x.new_ones(1).expand(x.shape), transition)


def _symeig_backward_partial_eigenspace(D_grad, U_grad, A, D, U, largest):
    Ut = U.mT.contiguous()
    proj_U_ortho = -U.matmul(Ut)
    proj_U_ortho.diagonal(dim1=-2, dim2=-1).add_(1)
    # a fresh generator, as PyTorch's: the basis of U's complement is repeatable
    U_ortho = proj_U_ortho.matmul(randn((*A.shape[:-1], A.size(-1) - D.size(-1)),
                                        dtype=A.dtype, device=A.device,
                                        generator=Generator(A.device)))
    U_ortho_t = U_ortho.mT.contiguous()
    chr_poly_D = _polynomial_coefficients_given_roots(D)
    U_grad_projected = U_grad
    series_acc = U_grad_projected.new_zeros(U_grad_projected.shape)
    for k in range(1, chr_poly_D.size(-1)):
        poly_D = _vector_polynomial_value(chr_poly_D[..., k:], D)
        series_acc += U_grad_projected * poly_D.unsqueeze(-2)
        U_grad_projected = A.matmul(U_grad_projected)
    chr_poly_D_at_A = _matrix_polynomial_value(chr_poly_D, A)
    at_U_ortho = mm(U_ortho_t, mm(chr_poly_D_at_A, U_ortho))
    sign = -1 if (largest and (k % 2 == 1)) else +1
    L = cholesky(sign * at_U_ortho)
    res = _symeig_backward_complete_eigenspace(D_grad, U_grad, A, D, U)
    res -= U_ortho.matmul(sign * cholesky_solve(U_ortho_t.matmul(series_acc), L)).matmul(Ut)
    return res


def _symeig_backward(D_grad, U_grad, A, D, U, largest):
    if U.size(-1) == U.size(-2):
        return _symeig_backward_complete_eigenspace(D_grad, U_grad, A, D, U)
    return _symeig_backward_partial_eigenspace(D_grad, U_grad, A, D, U, largest)


class LOBPCGAutogradFunction(Function):
    """lobpcg with its backward (PyTorch's: with respect to a symmetrised A, for B = I)."""

    @staticmethod
    def forward(ctx, A, k=None, B=None, X=None, n=None, iK=None, niter=None, tol=None,
                largest=None, method=None, tracker=None, ortho_iparams=None,
                ortho_fparams=None, ortho_bparams=None):
        A = A.contiguous()
        B = B.contiguous() if B is not None else None
        D, U = _lobpcg(A, k, B, X, n, iK, niter, tol, largest, method, tracker,
                       ortho_iparams, ortho_fparams, ortho_bparams)
        ctx.save_for_backward(A, B, D, U)
        ctx.largest = largest
        return D, U

    @staticmethod
    def backward(ctx, D_grad, U_grad):
        grads = [None] * 14
        A, B, D, U = ctx.saved_tensors
        if A.is_complex() or B is not None and B.is_complex():
            raise ValueError("lobpcg.backward does not support complex input yet. Note that "
                             "lobpcg.forward does though.")
        if B is not None:
            raise ValueError("lobpcg.backward does not support backward with B != I yet.")
        largest = True if ctx.largest is None else ctx.largest
        grads[0] = _symeig_backward(D_grad, U_grad, A, D, U, largest)
        return tuple(grads)


@export("torch")
def lobpcg(A, k=None, B=None, X=None, n=None, iK=None, niter=None, tol=None, largest=None,
           method=None, tracker=None, ortho_iparams=None, ortho_fparams=None,
           ortho_bparams=None):
    """Find the k largest (or smallest) eigenvalues and the corresponding eigenvectors of a
    symmetric positive definite generalized eigenvalue problem using matrix-free LOBPCG
    methods."""
    if A.requires_grad or (B is not None and B.requires_grad):
        # the backward is the symmetric eigenproblem's: A is symmetrised first
        A_sym = (A + A.mT) / 2
        B_sym = (B + B.mT) / 2 if B is not None else None
        return LOBPCGAutogradFunction.apply(A_sym, k, B_sym, X, n, iK, niter, tol, largest,
                                            method, tracker, ortho_iparams, ortho_fparams,
                                            ortho_bparams)
    return _lobpcg(A, k, B, X, n, iK, niter, tol, largest, method, tracker, ortho_iparams,
                   ortho_fparams, ortho_bparams)


def _parameters(A, k, X, n, niter, tol, largest, method, ortho_iparams, ortho_fparams,
                ortho_bparams):
    """(iparams, fparams, bparams, method) as PyTorch's _lobpcg sets them up."""
    dtype = floating_dtype(A)
    if tol is None:
        tol = {float32: 1.2e-07, float64: 2.23e-16}[dtype] ** 0.5
    m = A.shape[-1]
    k = (1 if X is None else X.shape[-1]) if k is None else k
    n = (k if n is None else n) if X is None else X.shape[-1]
    if m < 3 * n:
        raise ValueError(f"LOBPCG algorithm is not applicable when the number of A rows (={m}) "
                         f"is smaller than 3 x the number of requested eigenpairs (={n})")
    method = "ortho" if method is None else method
    iparams = {"m": m, "n": n, "k": k, "niter": 1000 if niter is None else niter}
    fparams = {"tol": tol}
    bparams = {"largest": True if largest is None else largest}
    if method == "ortho":
        iparams.update(ortho_iparams or {})
        fparams.update(ortho_fparams or {})
        bparams.update(ortho_bparams or {})
        iparams.setdefault("ortho_i_max", 3)
        iparams.setdefault("ortho_j_max", 3)
        for name in ("ortho_tol", "ortho_tol_drop", "ortho_tol_replace"):
            fparams.setdefault(name, tol)
        bparams.setdefault("ortho_use_drop", False)
    return iparams, fparams, bparams, method


def _lobpcg(A, k, B, X, n, iK, niter, tol, largest, method, tracker, ortho_iparams,
            ortho_fparams, ortho_bparams):
    if A.shape[-2] != A.shape[-1]:
        raise AssertionError(f"A must be square, got shape {A.shape}")
    if B is not None and A.shape != B.shape:
        raise AssertionError(f"A and B must have same shape, got {A.shape} vs {B.shape}")
    dtype, device = floating_dtype(A), A.device
    iparams, fparams, bparams, method = _parameters(
        A, k, X, n, niter, tol, largest, method, ortho_iparams, ortho_fparams, ortho_bparams)
    m, n, k = iparams["m"], iparams["n"], iparams["k"]
    batch = A.shape[:-2]
    N = 1
    for size in batch:
        N *= size
    bA = A.reshape((N,) + A.shape[-2:])
    bB = B.reshape((N,) + A.shape[-2:]) if B is not None else None
    bX = X.reshape((N,) + X.shape[-2:]) if X is not None else None
    results = []
    for i in range(N):
        X_ = randn((m, n), dtype=dtype, device=device) if bX is None else bX[i]
        if not (len(X_.shape) == 2 and X_.shape == (m, n)):
            raise AssertionError(f"X shape mismatch: got {X_.shape}, expected {(m, n)}")
        if batch:
            iparams["batch_index"] = i
        worker = LOBPCG(bA[i], bB[i] if bB is not None else None, X_, iK, iparams, fparams,
                        bparams, method, tracker)
        worker.run()
        results.append((worker.E[:k], worker.X[:, :k]))
    if not batch:
        return results[0]
    E = zeros((N, k), dtype=dtype, device=device)
    V = zeros((N, m, k), dtype=dtype, device=device)
    for i, (e, x) in enumerate(results):
        E[i], V[i] = e, x
    return E.reshape(batch + (k,)), V.reshape(batch + (m, k))


class LOBPCG:
    """Worker class of LOBPCG methods."""

    def __init__(self, A, B, X, iK, iparams, fparams, bparams, method, tracker):
        self.A, self.B, self.iK = A, B, iK
        self.iparams, self.fparams, self.bparams = iparams, fparams, bparams
        self.method, self.tracker = method, tracker
        m, n = iparams["m"], iparams["n"]
        self.X = X
        self.E = zeros((n,), dtype=X.dtype, device=X.device)
        self.R = zeros((m, n), dtype=X.dtype, device=X.device)
        self.S = zeros((m, 3 * n), dtype=X.dtype, device=X.device)
        self.tvars = {}
        self.ivars = {"istep": 0}
        self.fvars = {"_": 0.0}
        self.bvars = {"_": False}

    def __str__(self):
        lines = ["LOBPCG:"] + [f"  {name}={getattr(self, name)}" for name in (
            "iparams", "fparams", "bparams", "ivars", "fvars", "bvars", "tvars", "A", "B",
            "iK", "X", "E")]
        return "".join(line + "\n" for line in lines)

    def update(self):
        """Set and update iteration variables."""
        if self.ivars["istep"] == 0:
            X_norm = float(self.X.norm())
            iX_norm = X_norm ** -1
            self.fvars["X_norm"] = X_norm
            self.fvars["A_norm"] = float(_mm_or_identity(self.A, self.X).norm()) * iX_norm
            self.fvars["B_norm"] = float(_mm_or_identity(self.B, self.X).norm()) * iX_norm
            self.ivars["iterations_left"] = self.iparams["niter"]
            self.ivars["converged_count"] = 0
            self.ivars["converged_end"] = 0
        if self.method == "ortho":
            self._update_ortho()
        else:
            self._update_basic()
        self.ivars["iterations_left"] -= 1
        self.ivars["istep"] += 1

    def update_residual(self):
        """Update residual R from A, B, X, E."""
        self.R = _mm_or_identity(self.A, self.X) - _mm_or_identity(self.B, self.X) * self.E

    def update_converged_count(self):
        """The number of leading eigenpairs whose relative residual is below tol."""
        prev_count = self.ivars["converged_count"]
        E, X, R = self.E, self.X, self.R
        rerr = R.norm(2, (0,)) / (X.norm(2, (0,)) * (
            self.fvars["A_norm"] + E[:X.shape[-1]].abs() * self.fvars["B_norm"]))
        count = 0
        for b in (rerr < self.fparams["tol"]).tolist():
            if not b:
                break
            count += 1
        if count < prev_count:
            raise AssertionError(f"the number of converged eigenpairs (was {prev_count}, got "
                                 f"{count}) cannot decrease")
        self.ivars["converged_count"] = count
        self.tvars["rerr"] = rerr
        return count

    def stop_iteration(self):
        return (self.bvars.get("force_stop", False) or self.ivars["iterations_left"] == 0
                or self.ivars["converged_count"] >= self.iparams["k"])

    def run(self):
        """Run LOBPCG iterations, calling tracker(self) after each."""
        self.update()
        if self.tracker is not None:
            self.tracker(self)
        while not self.stop_iteration():
            self.update()
            if self.tracker is not None:
                self.tracker(self)

    def _update_basic(self):
        """Update or initialize iteration variables when method == 'basic'."""
        ns, nc = self.ivars["converged_end"], self.ivars["converged_count"]
        n, largest = self.iparams["n"], self.bparams["largest"]
        if self.ivars["istep"] == 0:
            Ri = self._get_rayleigh_ritz_transform(self.X)
            E, Z = symeig(qform(qform(self.A, self.X), Ri), largest)
            self.X[:] = mm(self.X, mm(Ri, Z))
            self.E[:] = E
            np = 0
            self.update_residual()
            nc = self.update_converged_count()
            self.S[..., :n] = self.X
        else:
            S_ = self.S[:, nc:ns]
            Ri = self._get_rayleigh_ritz_transform(S_)
            E_, Z = symeig(qform(qform(self.A, S_), Ri), largest)
            self.X[:, nc:] = mm(S_, mm(Ri, Z[:, :n - nc]))
            self.E[nc:] = E_[:n - nc]
            P = mm(S_, mm(Ri, Z[:, n:2 * n - nc]))
            np = P.shape[-1]
            self.update_residual()
            nc = self.update_converged_count()
            self.S[..., :n] = self.X
            self.S[:, n:n + np] = P
        W = _mm_or_identity(self.iK, self.R[:, nc:] if self.ivars["istep"] else self.R)
        self.ivars["converged_end"] = ns = n + np + W.shape[-1]
        self.S[:, n + np:ns] = W

    def _update_ortho(self):
        """Update or initialize iteration variables when method == 'ortho'."""
        ns, nc = self.ivars["converged_end"], self.ivars["converged_count"]
        n, largest = self.iparams["n"], self.bparams["largest"]
        if self.ivars["istep"] == 0:
            Ri = self._get_rayleigh_ritz_transform(self.X)
            _E, Z = symeig(qform(qform(self.A, self.X), Ri), largest)
            self.X = mm(self.X, mm(Ri, Z))
            self.update_residual()
            np = 0
            nc = self.update_converged_count()
            self.S[:, :n] = self.X
            W = self._get_ortho(self.R, self.X)
        else:
            S_ = self.S[:, nc:ns]
            E_, Z = symeig(qform(self.A, S_), largest)
            self.X[:, nc:] = mm(S_, Z[:, :n - nc])
            self.E[nc:] = E_[:n - nc]
            P = mm(S_, mm(Z[:, n - nc:], qr(Z[:n - nc, n - nc:].mT).Q))
            np = P.shape[-1]
            self.update_residual()
            nc = self.update_converged_count()
            self.S[:, :n] = self.X
            self.S[:, n:n + np] = P
            W = self._get_ortho(self.R[:, nc:], self.S[:, :n + np])
        ns = self.ivars["converged_end"] = n + np + W.shape[-1]
        self.S[:, n + np:ns] = W

    def _get_rayleigh_ritz_transform(self, S):
        """Ri such that Ri^T S^T B S Ri is the identity (Cholesky of the scaled Gram)."""
        SBS = qform(self.B, S)
        d_row = SBS.diagonal(0, -2, -1) ** -0.5
        d_col = d_row.reshape(d_row.shape[0], 1)
        R = cholesky((SBS * d_row) * d_col, upper=True)
        return solve_triangular(R, d_row.diag_embed(), upper=True, left=False)

    def _get_svqb(self, U, drop, tau):
        """U B-orthonormalised by the SVQB algorithm (columns dropped or replaced where the
        Gram matrix is near singular)."""
        if U.numel() == 0:
            return U
        UBU = qform(self.B, U)
        d = UBU.diagonal(0, -2, -1)
        nz = (d.abs() != 0.0).nonzero(as_tuple=True)
        if len(nz[0]) < len(d):
            U = U[:, nz[0]]
            if U.numel() == 0:
                return U
            UBU = qform(self.B, U)
            d = UBU.diagonal(0, -2, -1)
        d_col = (d ** -0.5).reshape(d.shape[0], 1)
        E, Z = symeig((UBU * d_col) * d_col.mT)
        t = tau * E.abs().max()
        if drop:
            keep = (E > t).nonzero(as_tuple=True)[0]
            E, Z, d_col = E[keep], Z[:, keep], d_col[keep]
        else:
            E[(E < t).nonzero(as_tuple=True)[0]] = t
        return mm(U * d_col.mT, Z * E ** -0.5)

    def _get_ortho(self, U, V):
        """U B-orthonormalised against V and itself (Algorithm 4 of Stathopoulos and Wu)."""
        m = self.iparams["m"]
        tau_ortho = self.fparams["ortho_tol"]
        tau_drop = self.fparams["ortho_tol_drop"]
        tau_replace = self.fparams["ortho_tol_replace"]
        i_max, j_max = self.iparams["ortho_i_max"], self.iparams["ortho_j_max"]
        use_drop = self.bparams["ortho_use_drop"]
        for vkey in list(self.fvars):
            if vkey.startswith("ortho_") and vkey.endswith("_rerr"):
                self.fvars.pop(vkey)
        self.ivars.pop("ortho_i", 0)
        self.ivars.pop("ortho_j", 0)
        BV_norm = _mm_or_identity(self.B, V).norm()
        VBU = mm(V.mT, _mm_or_identity(self.B, U))
        i = j = 0
        for i in range(i_max):
            U = U - mm(V, VBU)
            drop, tau_svqb = False, tau_drop
            for j in range(j_max):
                if use_drop:
                    U = self._get_svqb(U, drop, tau_svqb)
                    drop, tau_svqb = True, tau_replace
                else:
                    U = self._get_svqb(U, False, tau_replace)
                if U.numel() == 0:
                    self.ivars["ortho_i"], self.ivars["ortho_j"] = i, j
                    return U
                BU = _mm_or_identity(self.B, U)
                UBU = mm(U.mT, BU)
                R = UBU - eye(UBU.shape[-1], device=UBU.device, dtype=UBU.dtype)
                rerr = float(R.norm()) * float(BU.norm() * U.norm()) ** -1
                self.fvars[f"ortho_UBUmI_rerr[{i}, {j}]"] = rerr
                if rerr < tau_ortho:
                    break
            VBU = mm(V.mT, BU)
            rerr = float(VBU.norm()) * float(BV_norm * U.norm()) ** -1
            self.fvars[f"ortho_VBU_rerr[{i}]"] = rerr
            if rerr < tau_ortho:
                break
            if m < U.shape[-1] + V.shape[-1]:
                B = self.B
                if B is None:
                    raise AssertionError("B must not be None")
                raise ValueError(f"Overdetermined shape of U: #B-cols(={B.shape[-1]}) >= "
                                 f"#U-cols(={U.shape[-1]}) + #V-cols(={V.shape[-1]}) must hold")
        self.ivars["ortho_i"], self.ivars["ortho_j"] = i, j
        return U


