"""Linear systems (torch.linalg): solve, lstsq, the LU factorisation and its solver,
inv_ex, tensorinv / tensorsolve, and the older torch.* solvers (cholesky_solve,
triangular_solve, lu_unpack). Forward by NumPy's LAPACK or by the vectorised LU below;
backward as PyTorch's derivatives.yaml writes it."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .. import limits
from ..backend import backend_of, xp_of
from ..autograd import derivative
from ..meta import has_values, no_kernel
from ..registry import export
from ..forward_ad import propagate_outputs
from ..tensor import Duals, record_if, saved_output, wrap
from .common import dense, finish_out
from .creation import eye, zeros_like
from .decomposition import (LinalgInvExBackward0, _LinAlgError, _square_float, _substitute,
                            finish_outs, float_matrix, inv, lu_factor_arrays, record_outputs,
                            solve_triangular, square_matrix)
from .return_types import named_result
from .shape import _WARNED_ONCE, cat
from .spectral import pinv, pinv_backward

linalg_solve_ex = named_result("linalg_solve_ex", "result", "info")
linalg_inv_ex = named_result("linalg_inv_ex", "inverse", "info")
linalg_lstsq = named_result("linalg_lstsq", "solution", "residuals", "rank", "singular_values")
linalg_lu_factor = named_result("linalg_lu_factor", "LU", "pivots")
linalg_lu_factor_ex = named_result("linalg_lu_factor_ex", "LU", "pivots", "info")
linalg_lu = named_result("linalg_lu", "P", "L", "U")
lu_unpack_result = named_result("lu_unpack", "P", "L", "U")
triangular_solve_result = named_result("triangular_solve", "solution", "cloned_coefficient")


def _host(a):
    return np.asarray(backend_of(a).to_host(a))


def _is_vector_rhs(A, B):
    """PyTorch's rule: B is a batch of vectors when it is 1-D, or has one dim fewer than A
    and A's batch shape."""
    bd, ad = B._data, A._data
    return bd.ndim == 1 or (bd.ndim == ad.ndim - 1 and bd.shape == ad.shape[:-1])


# ---- solve ----------------------------------------------------------------------------------

@derivative
def LinalgSolveExBackward0(node, grad):
    """gB = A^-H gX (left), gA = -gB X^H; with left=False, X A = B: gB = gX A^-H, gA = -X^H gB."""
    A, = node.saved
    left, vector = node.params
    X = saved_output(node)
    (fa, _), (fb, _) = node.next_functions
    gB = solve(A.mT, grad, left=left)
    gA = None
    if fa is not None:
        if vector:
            gA = -(gB.unsqueeze(-1) @ X.unsqueeze(-2))
        else:
            gA = -(gB @ X.mT) if left else -(X.mT @ gB)
    return gA, gB if fb is not None else None


def _solve_arrays(A, B, left, fn):
    """(X, info) of A X = B (X A = B): info the order of the first zero pivot, 0 if none."""
    _square_float(A, fn)
    if B.dtype is not A.dtype:
        raise RuntimeError(f"linalg.{fn}: Expected A and B to have the same dtype, but found "
                           f"A of type {A.dtype.short} and B of type {B.dtype.short} instead")
    vector = left and _is_vector_rhs(A, B)
    ad, bd = dense(A), dense(B)
    b = bd[..., None] if vector else bd
    if not left:
        ad, b = ad.swapaxes(-1, -2), b.swapaxes(-1, -2)
    n = ad.shape[-1]
    if b.shape[-2] != n:
        eq = "AX = B" if left else "XA = B"
        rows, cols = (b.shape[-2], b.shape[-1]) if left else (b.shape[-1], b.shape[-2])
        raise RuntimeError(f"linalg.{fn}: Incompatible shapes of A and B for the equation {eq} "
                           f"({n}x{n} and {rows}x{cols})")
    LU, pivots, info = lu_factor_arrays(ad)
    x = _lu_solve_arrays(LU, pivots, b, adjoint=False)
    x = x[..., 0] if vector else x
    return (x if left else x.swapaxes(-1, -2)).astype(A._data.dtype, copy=False), info, vector


def _first_failure(info, fn, message, error=_LinAlgError):
    if not has_values(info):            # meta: PyTorch's meta kernels check no values
        return
    flat = _host(info).reshape(-1)
    if flat.any():
        b = int(np.nonzero(flat)[0][0])
        where = f"(Batch element {b}): " if info.ndim else ""
        raise error(f"{fn}: {where}{message.format(k=int(flat[b]))}")


def _solve_record(A, B, left, fn):
    x, info, vector = _solve_arrays(A, B, left, fn)
    r = record_if(LinalgSolveExBackward0, wrap(x), (A, B), (left, vector), save=(A,),
                  save_out=True)
    return r, info


@export("linalg")
def solve(A, B, *, left=True, out=None):
    """X with A X = B (X A = B when left=False), A square and invertible."""
    r, info = _solve_record(A, B, left, "solve")
    _first_failure(info, "torch.linalg.solve",
                   "The solver failed because the input matrix is singular.")
    return finish_out(r, out, "linalg_solve", (A, B))


@export("linalg")
def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """solve without raising for a singular A: (result, info)."""
    r, info = _solve_record(A, B, left, "solve_ex")
    if check_errors:
        _first_failure(info, "torch.linalg.solve_ex",
                       "The solver failed because the input matrix is singular.")
    return finish_outs(linalg_solve_ex(r, wrap(info)), out, "linalg_solve_ex", (A, B))


@export("linalg")
def inv_ex(A, *, check_errors=False, out=None):
    """inv without raising for a singular A: (inverse, info)."""
    _square_float(A, "inv_ex")
    ad = dense(A)
    xp = xp_of(ad)
    LU, pivots, info = lu_factor_arrays(ad)
    if check_errors:
        _first_failure(info, "linalg.inv_ex",
                       "The diagonal element {k} is zero, the inversion could not be completed "
                       "because the input matrix is singular.")
    if not bool((info != 0).any()):         # linalg.inv's own result: inv_ex(A) == inv(A)
        data = xp.linalg.inv(ad).astype(ad.dtype, copy=False)
    else:
        identity = xp.broadcast_to(xp.eye(ad.shape[-1], dtype=ad.dtype), ad.shape)
        data = _lu_solve_arrays(LU, pivots, identity, adjoint=False).astype(ad.dtype,
                                                                            copy=False)
    r = record_if(LinalgInvExBackward0, wrap(data), (A,), save_out=True)
    return finish_outs(linalg_inv_ex(r, wrap(info)), out, "linalg_inv_ex", (A,))


# ---- LU -------------------------------------------------------------------------------------

def _permutation(pivots, m):
    """The row order P^T applies: perm[i] is the row of A that LU's row i came from."""
    xp = xp_of(pivots)
    flat = pivots.reshape(-1, pivots.shape[-1]) - 1
    perm = xp.broadcast_to(xp.arange(m), (flat.shape[0], m)).copy()
    rows = xp.arange(flat.shape[0])
    for k in range(flat.shape[-1]):
        p = flat[:, k]
        a, b = perm[rows, k].copy(), perm[rows, p].copy()
        perm[rows, k], perm[rows, p] = b, a
    return perm.reshape(pivots.shape[:-1] + (m,))


def _lu_solve_arrays(LU, pivots, b, adjoint):
    """X of (P L U) X = b, or (P L U)^H X = b when adjoint, by substitution (a zero pivot
    gives inf or nan, as LAPACK's getrs)."""
    xp = xp_of(LU)
    n = LU.shape[-1]
    perm = _permutation(pivots, n)
    batch = np.broadcast_shapes(b.shape[:-2], perm.shape[:-1])
    b = xp.broadcast_to(b, batch + b.shape[-2:])
    rows = xp.broadcast_to(perm, batch + (n,))[..., None]
    if not adjoint:             # L U X = P^T b
        y = _substitute(LU, xp.take_along_axis(b, rows, axis=-2), False, True)
        return _substitute(LU, y, True, False)
    Lh = LU.swapaxes(-1, -2).conj()   # U^H L^H (P^T X) = b
    z = _substitute(Lh, _substitute(Lh, b, False, False), True, True)
    return xp.take_along_axis(z, xp.argsort(rows, axis=-2), axis=-2)


@derivative
def LinalgLuFactorExBackward0(node, grad):
    P, L, U = _unpack_tensors(saved_output(node), node.params)
    return lu_backward(grad.tril(-1), grad.triu(), P, L, U)


def lu_backward(gL, gU, P, L, U):
    """PyTorch's linalg_lu_backward for square A = P L U:
    gA = P L^-H (L^H gL o 1_L + gU U^H o 1_U) U^-H."""
    if L.shape[-1] != U.shape[-2] or L.shape[-2] != U.shape[-1]:
        raise NotImplementedError("tshell: the derivative of the LU factorisation of a "
                                  "non-square matrix is not supported yet")
    gA = None
    if gL is not None:
        gA = (L.mT @ gL).tril(-1)
    if gU is not None:
        part = (gU @ U.mT).triu()
        gA = part if gA is None else gA + part
    gA = solve_triangular(U.mT, gA, upper=False, left=False)
    gA = solve_triangular(L.mT, gA, upper=True, left=True, unitriangular=True)
    return P @ gA


def _unpack_tensors(LU, pivots):
    """(P, L, U) tensors of a factorisation (L and U differentiable in LU)."""
    m, n = LU.shape[-2:]
    k = min(m, n)
    L = LU[..., :, :k].tril(-1) + eye(m, k, dtype=LU.dtype, device=LU.device)
    U = LU[..., :k, :].triu()
    return wrap(_permutation_matrix(pivots._data if hasattr(pivots, "_data") else pivots, m,
                                    LU._data.dtype)), L, U


def _permutation_matrix(pivots, m, dtype):
    limits.check_result(pivots.shape[:-1] + (m, m), np.dtype(dtype).itemsize)
    xp = xp_of(pivots)
    perm = _permutation(pivots, m)
    P = xp.zeros(perm.shape + (m,), dtype=dtype)
    xp.put_along_axis(P, perm[..., None], 1, axis=-1)   # P^T[i, perm[i]] = 1
    return P.swapaxes(-1, -2).copy()


def _lu_factor_record(A, fn, pivot=True):
    float_matrix(A, fn)
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    LU, pivots, info = lu_factor_arrays(dense(A))
    r = record_if(LinalgLuFactorExBackward0, wrap(LU), (A,), wrap(pivots), save_out=True)
    return r, wrap(pivots), info


@export("linalg")
def lu_factor(A, *, pivot=True, out=None):
    """The compact LU factorisation with partial pivoting: (LU, pivots), as LAPACK's getrf."""
    LU, pivots, info = _lu_factor_record(A, "lu_factor", pivot)
    _first_failure(info, "torch.linalg.lu_factor",
                   "U[{k},{k}] is zero and using it on lu_solve would result in a division by "
                   "zero. If you still want to perform the factorization, consider calling "
                   "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)", RuntimeError)
    return finish_outs(linalg_lu_factor(LU, pivots), out, "linalg_lu_factor", (A,))


@export("linalg")
def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """lu_factor without raising: (LU, pivots, info)."""
    LU, pivots, info = _lu_factor_record(A, "lu_factor_ex", pivot)
    return finish_outs(linalg_lu_factor_ex(LU, pivots, wrap(info)), out, "linalg_lu_factor_ex",
                       (A,))


@derivative(n_outputs=3)
def LinalgLuBackward0(node, grads):
    _, gL, gU = grads
    P, L, U = node.saved
    return lu_backward(gL, gU, P, L, U)


@export("linalg")
def lu(A, *, pivot=True, out=None):
    """A = P L U: P a permutation, L unit lower and U upper triangular."""
    float_matrix(A, "lu")
    LU, pivots, _ = lu_factor_arrays(dense(A))
    P, L, U = (t.detach() for t in _unpack_tensors(wrap(LU), pivots))
    r = linalg_lu(*record_outputs(LinalgLuBackward0, (P, L, U), (A,), save=(P, L, U),
                                  constant=(0,)))
    return finish_outs(r, out, "linalg_lu", (A,))


@derivative(n_outputs=3)
def LuUnpackBackward0(node, grads):
    _, gL, gU = grads
    m, n = node.params
    parts = []            # L is m x k and U k x n: each is LU's block, zeros elsewhere
    if gL is not None:
        parts.append(_embed(gL.tril(-1), m, n))
    if gU is not None:
        parts.append(_embed(gU.triu(), m, n))
    g = parts[0] if len(parts) == 1 else parts[0] + parts[1]
    return g, None


def _embed(g, m, n):
    """g (m x k or k x n) placed in the top-left corner of zeros of m x n."""
    if g.shape[-1] < n:
        g = cat([g, zeros_like(g[..., :1]).expand(*g.shape[:-1], n - g.shape[-1])], -1)
    if g.shape[-2] < m:
        g = cat([g, zeros_like(g[..., :1, :]).expand(*g.shape[:-2], m - g.shape[-2], n)], -2)
    return g


@export("torch")
def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """(P, L, U) from lu_factor's compact form."""
    m, n = LU_data.shape[-2:]
    P, L, U = _unpack_tensors(LU_data.detach(), LU_pivots._data)
    L, U = L.detach(), U.detach()
    xp = xp_of(LU_data._data)
    empty = wrap(xp.zeros(0, dtype=LU_data._data.dtype))
    if not unpack_pivots:
        P = empty
    if not unpack_data:
        r = lu_unpack_result(P, empty, empty)
    else:
        r = lu_unpack_result(*record_outputs(LuUnpackBackward0, (P, L, U), (LU_data, LU_pivots),
                                             (m, n), constant=(0,)))
    return finish_outs(r, out, "lu_unpack", (LU_data,))


@derivative
def LinalgLuSolveBackward0(node, grad):
    """gB = lu_solve(LU, pivots, gX, adjoint=not adjoint) (left); the LU gradient through
    A = P L U: gL = (P^T gA U^H) strictly lower, gU = (L^H P^T gA) upper."""
    LU, pivots = node.saved
    left, adjoint = node.params
    X = saved_output(node)
    (fa, _), _, (fb, _) = node.next_functions
    gB = lu_solve(LU, pivots, grad, left=left, adjoint=not adjoint)
    gLU = None
    if fa is not None:
        gA = -(gB @ X.mT) if left else -(X.mT @ gB)
        if adjoint:
            gA = gA.mT
        P, L, U = _unpack_tensors(LU, pivots)
        PtgA = P.mT @ gA
        gLU = (PtgA @ U.mT).tril(-1) + (L.mT @ PtgA).triu()
    return gLU, None, gB if fb is not None else None


@export("linalg")
def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    """X with A X = B for A = P L U given by lu_factor (A^H X = B when adjoint; X A = B when
    left=False)."""
    float_matrix(LU, "lu_solve", "LU")
    square_matrix(LU, "lu_solve")
    ad, bd = LU._data, dense(B).astype(LU._data.dtype, copy=False)
    if left:
        x = _lu_solve_arrays(ad, pivots._data, bd, adjoint)
    else:                                   # X A = B  <=>  A^H X^H = B^H
        x = _lu_solve_arrays(ad, pivots._data, bd.swapaxes(-1, -2), not adjoint
                             ).swapaxes(-1, -2)
    r = record_if(LinalgLuSolveBackward0, wrap(x.astype(ad.dtype, copy=False)), (LU, pivots, B),
                  (left, adjoint), save=(LU, pivots), save_out=True)
    return finish_out(r, out, "linalg_lu_solve", (LU, B))


# ---- least squares ----------------------------------------------------------------------------

_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


@derivative(n_outputs=2)
def LinalgLstsqBackward0(node, grads):
    """X = pinv(A) B: gB = pinv(A)^H gX, gA by pinv_backward of gX B^H. The residuals
    |A X - B|^2 (per column) are stationary in X: their gradient is 2 r X^H for A and -2 r
    for B, r = A X - B."""
    gX, g_res = grads
    A, B = node.saved
    vector = node.params
    (fa, _), (fb, _) = node.next_functions
    Bm = B.unsqueeze(-1) if vector else B
    gA = gB = None
    if gX is not None:
        pinvA = pinv(A)
        g = gX.unsqueeze(-1) if vector else gX
        gA = pinv_backward(g @ Bm.mT, pinvA, A) if fa is not None else None
        gB = pinvA.mT @ g
    if g_res is not None:
        X = pinv(A) @ Bm
        r = (A @ X - Bm) * (2 * g_res.unsqueeze(-2))
        gA = r @ X.mT if gA is None else gA + r @ X.mT
        gB = -r if gB is None else gB - r
    if gB is not None and vector:
        gB = gB.squeeze(-1)
    return gA, gB if fb is not None else None


@export("linalg")
def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution of A X = B: (solution, residuals, rank, singular_values),
    filled as LAPACK's driver (gelsy by default) fills them."""
    float_matrix(A, "lstsq")
    if A.is_meta or B.is_meta:
        raise no_kernel("linalg_lstsq.out")
    driver = "gelsy" if driver is None else driver
    if driver not in _DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, "
                           "gelsy, gelsd, gelss)")
    if B.dtype is not A.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same "
                           f"dtype, but got input's dtype {A.dtype.short} and other's dtype "
                           f"{B.dtype.short}")
    if not 0 <= A._data.ndim - B._data.ndim <= 1:
        raise RuntimeError("torch.linalg.lstsq: input.dim() must be greater or equal to "
                           "other.dim() and (input.dim() - other.dim()) <= 1")
    vector = B._data.ndim == A._data.ndim - 1
    ad = dense(A)
    bd = dense(B)[..., None] if vector else dense(B)
    xp = xp_of(ad)
    m, n = ad.shape[-2:]
    if bd.shape[-2] != m:
        raise RuntimeError(f"torch.linalg.lstsq: input.size(-2) should match other.size(-2). "
                           f"Got {m} != {bd.shape[-2]}.")
    batch = np.broadcast_shapes(ad.shape[:-2], bd.shape[:-2])
    a = xp.broadcast_to(ad, batch + ad.shape[-2:]).reshape((-1, m, n))
    b = xp.broadcast_to(bd, batch + bd.shape[-2:]).reshape((-1, m, bd.shape[-1]))
    eps = np.finfo(ad.dtype).eps
    cut = eps * max(m, n) if rcond is None else rcond
    solutions, residuals, ranks, singular = [], [], [], []
    for ai, bi in zip(a, b):
        x, res, rank, s = xp.linalg.lstsq(ai, bi, rcond=cut)
        solutions.append(x)
        residuals.append(res)
        ranks.append(rank)
        singular.append(s)
    x = xp.stack(solutions).reshape(batch + (n, bd.shape[-1])) if solutions else \
        xp.zeros(batch + (n, bd.shape[-1]), dtype=ad.dtype)
    x = x[..., 0] if vector else x
    full_rank = all(int(r) == n for r in ranks)
    real = ad.real.dtype
    if driver in ("gelsd", "gelss") and m > n and full_rank and solutions:
        res = xp.stack(residuals).reshape(batch + (bd.shape[-1],)).astype(real)
    else:
        res = xp.zeros(0, dtype=real)
    rank = _of_A(xp.asarray(ranks, dtype=np.int64).reshape(batch), batch, ad.shape[:-2]) \
        if driver != "gels" else xp.zeros(0, dtype=np.int64)
    sv = (_of_A(xp.stack(singular).reshape(batch + (min(m, n),)), batch,
                ad.shape[:-2]).astype(real)
          if driver in ("gelsd", "gelss") and singular else xp.zeros(0, dtype=real))
    solution, residuals = record_outputs(
        LinalgLstsqBackward0, (wrap(x.astype(ad.dtype, copy=False)), wrap(res)), (A, B),
        vector, save=(A, B))
    return linalg_lstsq(solution, residuals, wrap(rank), wrap(sv))


def _of_A(values, batch, a_batch):
    """Per-matrix facts of A (rank, singular values) computed over the batch A and B
    broadcast to, reported for A's own batch shape, as PyTorch does."""
    pad = len(batch) - len(a_batch)
    picks = tuple(slice(None) if i >= pad and a_batch[i - pad] != 1 else slice(0, 1)
                  for i in range(len(batch)))
    return values[picks].reshape(tuple(a_batch) + values.shape[len(batch):])


# ---- tensorinv, tensorsolve --------------------------------------------------------------------

@export("linalg")
def tensorinv(A, ind=2, *, out=None):
    """The inverse of A read as a matrix of its first ind dims by the rest."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = A.shape[:ind], A.shape[ind:]
    n_rows, n_cols = math.prod(rows), math.prod(cols)
    if n_rows != n_cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {n_cols} != {n_rows}")
    return finish_out(inv(A.reshape(n_rows, n_cols)).reshape(*cols, *rows), out,
                      "linalg_tensorinv", (A,))


@export("linalg")
def tensorsolve(A, B, dims=None, *, out=None):
    """X with tensordot(A, X, X.ndim) = B."""
    if dims is not None:
        nd = A.ndim
        order = [d for d in range(nd) if d not in [x % nd for x in dims]] + \
            [x % nd for x in dims]
        A = A.permute(*order)
    result_shape = A.shape[B.ndim:]
    n = math.prod(result_shape)
    if math.prod(B.shape) != n:
        raise RuntimeError("Expected self to satisfy the requirement prod(self.shape[other.ndim:])"
                           f" == prod(self.shape[:other.ndim]), but got {n} != "
                           f"{math.prod(B.shape)}")
    return finish_out(solve(A.reshape(n, n), B.reshape(n)).view(*result_shape), out,
                      "linalg_tensorsolve", (A, B))


# ---- the older torch.* solvers -------------------------------------------------------------------

@derivative
def CholeskySolveBackward0(node, grad):
    """PyTorch's cholesky_solve_backward: gB = cholesky_solve(gX, L); gL from gB X^H."""
    L, = node.saved
    upper = node.params
    X = saved_output(node)
    (fb, _), (fl, _) = node.next_functions
    gB = cholesky_solve(grad, L, upper)
    gL = None
    if fl is not None:
        common = gB @ X.mT
        common = common + common.mT
        gL = -(L @ common) if upper else -(common @ L)
    return gB if fb is not None else None, gL


@export("torch", "Tensor")
def cholesky_solve(input, input2, upper=False, *, out=None):
    """X with A X = input for A = L L^H (U^H U when upper), L = input2."""
    _square_float(input2, "cholesky_solve")
    ld, bd = input2._data, dense(input).astype(input2._data.dtype, copy=False)
    xp = xp_of(ld)
    lower = ld.swapaxes(-1, -2).conj() if upper else ld
    with np.errstate(all="ignore"):
        y = xp.linalg.solve(lower, bd)
        x = xp.linalg.solve(lower.swapaxes(-1, -2).conj(), y)
    r = record_if(CholeskySolveBackward0, wrap(x.astype(ld.dtype, copy=False)), (input, input2),
                  upper, save=(input2,), save_out=True)
    return finish_out(r, out, "cholesky_solve", (input, input2))


@derivative(n_outputs=2)
def TriangularSolveBackward0(node, grads):
    gX, gM = grads
    A, = node.saved
    upper, transpose, unitriangular = node.params
    X = saved_output(node)
    (fb, _), (fa, _) = node.next_functions
    gB = gA = None
    if gX is not None:
        Aop = A.mT if transpose else A
        gB = solve_triangular(Aop.mT, gX, upper=(upper == transpose), unitriangular=unitriangular)
        if fa is not None:
            gA = -(X @ gB.mT) if transpose else -(gB @ X.mT)
            gA = gA.triu(int(unitriangular)) if upper else gA.tril(-int(unitriangular))
    if gM is not None and fa is not None:
        gA = gM if gA is None else gA + gM
    return gB if fb is not None else None, gA


@export("torch", "Tensor")
def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False):
    """torch.triangular_solve (deprecated): (X, A.clone()) with op(A) X = input."""
    if not _WARNED_ONCE.get("triangular_solve"):
        _WARNED_ONCE["triangular_solve"] = True
        warnings.warn("torch.triangular_solve is deprecated in favor of "
                      "torch.linalg.solve_triangularand will be removed in a future PyTorch "
                      "release.\ntorch.linalg.solve_triangular has its arguments reversed and "
                      "does not return a copy of one of the inputs.\nX = torch.triangular_solve"
                      "(B, A).solution\nshould be replaced with\nX = torch.linalg."
                      "solve_triangular(A, B).", UserWarning, stacklevel=2)
    Aop = A.detach().mT if transpose else A.detach()
    x = solve_triangular(Aop, input.detach(), upper=(upper != transpose),
                         unitriangular=unitriangular)
    X, M = wrap(x._data), wrap(A._data.copy())
    node = record_if(TriangularSolveBackward0, X, (input, A), (upper, transpose, unitriangular),
                     save=(A,), save_out=True)._fn
    if node is not None and X._fn is node:
        M._fn, M._nr, M._rg = node, 1, True
    if Duals:
        # (M, the coefficient's copy, has no tangent in PyTorch)
        propagate_outputs(TriangularSolveBackward0, (X, M), (input, A),
                          (upper, transpose, unitriangular), (A,), (1,), save_out=True)
    return triangular_solve_result(X, M)


# ---- removed in PyTorch 1.9: the names remain, to say what replaces them ------------------------

_REMOVED = "This function was deprecated since version 1.9 and is now removed."


@export("torch.lstsq", "Tensor.lstsq")
def lstsq_removed(input, A, *, out=None):
    raise RuntimeError(
        f"{_REMOVED} `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n"
        "`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition "
        "in the returned tuple (although it returns other information about the problem).\n\n"
        "To get the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned solution "
        "in `torch.lstsq` stored the residuals of the solution in the last m - n columns of the "
        "returned value whenever m > n. In torch.linalg.lstsq, the residuals are in the field "
        "'residuals' of the returned named tuple.\n\nThe unpacking of the solution, as in\n"
        "X, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced with:\n"
        "X = torch.linalg.lstsq(A, B).solution")


@export("torch.solve", "Tensor.solve")
def solve_removed(input, A, *, out=None):
    raise RuntimeError(
        f"{_REMOVED} `torch.solve` is deprecated in favor of `torch.linalg.solve`. "
        "`torch.linalg.solve` has its arguments reversed and does not return the LU "
        "factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used with "
        "`torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be "
        "replaced with:\nX = torch.linalg.solve(A, B)")


_lu_with_info = named_result("_lu_with_info", "LU", "pivots", "info")


@export("torch.lu", "Tensor.lu")
def lu_old(A, pivot=True, get_infos=False, out=None):
    """torch.lu (deprecated): (LU, pivots) as lu_factor, with info when get_infos."""
    if not _WARNED_ONCE.get("lu"):
        _WARNED_ONCE["lu"] = True
        warnings.warn("torch.lu is deprecated in favor of torch.linalg.lu_factor / "
                      "torch.linalg.lu_factor_ex and will be removed in a future PyTorch "
                      "release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced "
                      "with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, "
                      "pivots, info = torch.lu(A, compute_pivots, get_infos=True)\nshould be "
                      "replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, "
                      "compute_pivots)", UserWarning, stacklevel=2)
    if get_infos:
        return _lu_with_info(*lu_factor_ex(A, pivot=pivot, out=out))
    return tuple(lu_factor(A, pivot=pivot, out=out))


@export("torch.lu_solve", "Tensor.lu_solve")
def lu_solve_old(input, LU_data, LU_pivots, *, out=None):
    """torch.lu_solve (deprecated): linalg.lu_solve(LU_data, LU_pivots, input)."""
    if not _WARNED_ONCE.get("lu_solve"):
        _WARNED_ONCE["lu_solve"] = True
        warnings.warn("torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be "
                      "removed in a future PyTorch release.\nNote that torch.linalg.lu_solve has "
                      "its arguments reversed.\nX = torch.lu_solve(B, LU, pivots)\nshould be "
                      "replaced with\nX = torch.linalg.lu_solve(LU, pivots, B)", UserWarning,
                      stacklevel=2)
    return lu_solve(LU_data, LU_pivots, input, out=out)
