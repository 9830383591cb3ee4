"""Factorisations and solvers (torch.linalg): inverse and determinant by LU, Cholesky,
triangular solves, and the QR values nn.init needs."""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..autograd import derivative
from ..backend import backend_of, xp_of
from ..dtypes import FLOATING, TorchClass
from ..meta import has_values
from ..registry import export
from ..forward_ad import propagate_outputs
from ..tensor import Duals, record_if, saved_output, wrap
from .common import dense, finish_out
from .pointwise import where
from .return_types import named_result, return_types
from .shape import _WARNED_ONCE


# ---- inverse and determinant ---------------------------------------------------------------

@export("linalg.LinAlgError")
class _LinAlgError(RuntimeError, metaclass=TorchClass):
    """torch._C._LinAlgError (torch.linalg.LinAlgError): raised for singular matrices."""


_LinAlgError.__qualname__ = "_C._LinAlgError"          # <class 'torch._C._LinAlgError'>


def lu_factor_arrays(ad, wide_result=False):
    """LAPACK's getrf, vectorised over the batch (in double precision, rounded once; kept in
    double when wide_result): (LU, pivots 1-based int32, info the order of the first zero
    pivot or 0)."""
    xp = xp_of(ad)
    wide = xp.complex128 if ad.dtype.kind == "c" else xp.float64
    m = ad.astype(wide).reshape((-1,) + ad.shape[-2:])
    rows_n, cols_n = ad.shape[-2:]
    k_n = min(rows_n, cols_n)
    batch = xp.arange(m.shape[0])
    pivots = xp.zeros((m.shape[0], k_n), dtype=np.int32)
    info = xp.zeros(m.shape[0], dtype=np.int32)
    with np.errstate(all="ignore"):
        for k in range(k_n):
            p = k + xp.argmax(xp.abs(m[:, k:, k]), axis=1)
            pivots[:, k] = p + 1
            top, piv = m[batch, k].copy(), m[batch, p].copy()
            m[batch, k], m[batch, p] = piv, top
            pivot = m[:, k, k]
            zero = pivot == 0
            info = xp.where(zero & (info == 0), k + 1, info)
            m[:, k + 1:, k] = xp.where(zero[:, None], m[:, k + 1:, k],
                                       m[:, k + 1:, k] / xp.where(zero, 1, pivot)[:, None])
            m[:, k + 1:, k + 1:] -= m[:, k + 1:, k:k + 1] * m[:, k:k + 1, k + 1:]
    batch_shape = ad.shape[:-2]
    LU = m.reshape(ad.shape)
    return (LU if wide_result else LU.astype(ad.dtype), pivots.reshape(batch_shape + (k_n,)),
            info.reshape(batch_shape))


def _lu_diagonal(ad):
    """U's diagonal (in double precision) and the permutation's sign of the LU factorisation
    of each square matrix: determinants are their product, as PyTorch computes them."""
    xp = xp_of(ad)
    LU, pivots, _ = lu_factor_arrays(ad, wide_result=True)
    n = ad.shape[-1]
    swaps = (pivots != xp.arange(1, n + 1, dtype=pivots.dtype)).sum(axis=-1)
    sign = xp.where(swaps % 2 == 1, -1, 1).astype(LU.dtype).reshape(-1)
    return xp.diagonal(LU, axis1=-2, axis2=-1).reshape((-1, n)), sign


def _singular_error(ad):
    """PyTorch's (getrf's) words for a singular matrix: its first zero pivot."""
    diag, _ = _lu_diagonal(ad)
    size = np.abs(np.asarray(backend_of(ad).to_host(diag)))
    # the first exactly zero pivot; else (LAPACK rounded differently) the smallest one
    b, k = ([int(i[0]) for i in np.nonzero(size == 0)] if (size == 0).any() else
            divmod(int(np.argmin(size)), size.shape[-1]))
    where = f"(Batch element {b}): " if ad.ndim > 2 else ""
    return _LinAlgError(f"linalg.inv: {where}The diagonal element {k + 1} is zero, the inversion "
                        "could not be completed because the input matrix is singular.")


def beside(array, t):
    """array (from NumPy's LAPACK, or built on the host) on t's device: some LAPACK calls
    (qr's raw mode, the host loops) give a plain ndarray whatever their input was."""
    backend = backend_of(t._data)
    return backend.from_host(backend.to_host(array), backend.device_of(t._data))


def float_matrix(A, fn, name="A"):
    """PyTorch's checks of a linalg input: a batch of float or complex matrices."""
    if A._data.ndim < 2:
        raise RuntimeError(f"linalg.{fn}: The input tensor {name} must have at least 2 "
                           "dimensions.")
    if A.dtype.category < FLOATING:
        raise RuntimeError(f"linalg.{fn}: Expected a floating point or complex tensor as input. "
                           f"Got {A.dtype.short}")


def square_matrix(A, fn):
    """PyTorch's words for a batch of matrices that are not square."""
    ad = A._data
    if ad.shape[-1] != ad.shape[-2]:
        raise RuntimeError(f"linalg.{fn}: A must be batches of square matrices, but they are "
                           f"{ad.shape[-2]} by {ad.shape[-1]} matrices")


def finish_outs(result, out, fn, inputs):
    """Write a named tuple of results into the tensors of out (a tuple as long), each as
    finish_out writes one; the result then holds out's tensors, as PyTorch's."""
    if out is None:
        return result
    if not isinstance(out, (tuple, list)) or len(out) != len(result):
        raise TypeError(f"{fn}(): argument 'out' must be tuple of Tensors, not "
                        f"{type(out).__name__}")
    return type(result)(*(finish_out(r, o, fn, inputs) for r, o in zip(result, out)))


def record_outputs(node_cls, outputs, inputs, params=None, save=(), constant=()):
    """Record outputs (tensors) as outputs 0, 1, ... of one node_cls node, when grad mode is
    on and an input requires grad: the factorisations' U, S, Vh and the like. The outputs
    the backward reads are passed in save (kept as tensors, so a double backward records);
    the indices in constant (a permutation) stay without grad_fn, and without tangent on
    duals."""
    node = record_if(node_cls, outputs[0], inputs, params, save=save)._fn
    if node is not None:
        for nr, t in enumerate(outputs):
            t._fn, t._nr, t._rg = (None, 0, False) if nr in constant else (node, nr, True)
    if Duals:
        propagate_outputs(node_cls, outputs, inputs, params, save, constant)
    return outputs


def _square_float(A, fn):
    float_matrix(A, fn)
    ad = A._data
    if ad.shape[-1] != ad.shape[-2]:
        raise RuntimeError(f"linalg.{fn}: A must be batches of square matrices, but they are "
                           f"{ad.shape[-2]} by {ad.shape[-1]} matrices")
    dense(A, 16 if ad.dtype.kind == "c" else 8)      # factorised in double precision


@derivative
def LinalgInvExBackward0(node, grad):
    inv = saved_output(node).mT
    return -(inv @ grad @ inv)


@export("linalg", "torch.inverse", "Tensor.inverse")
def inv(A, *, out=None):
    """Inverse of a square matrix (or of each in a batch)."""
    _square_float(A, "inv_ex" if A.is_meta else "inv")     # meta: inv_ex's meta kernel
    ad = A._data
    xp = xp_of(ad)
    try:
        data = xp.linalg.inv(ad)
    except np.linalg.LinAlgError:       # a singular matrix (not the memory cap's error)
        raise _singular_error(ad) from None
    if xp is not np and has_values(data) and not bool(xp.isfinite(data).all()) and \
            not bool((_lu_diagonal(ad)[0] != 0).all()):
        raise _singular_error(ad)       # CuPy does not check: its result is inf or nan
    r = record_if(LinalgInvExBackward0, wrap(data.astype(ad.dtype, copy=False)), (A,),
                  save_out=True)
    return finish_out(r, out, "inverse", (A,))


@derivative
def LinalgDetBackward0(node, grad):
    A, = node.saved
    det_ = saved_output(node)
    return (grad * det_).unsqueeze(-1).unsqueeze(-1) * inv(A).mT


@export("torch", "Tensor", "linalg")
def det(A, *, out=None):
    """Determinant of a square matrix (or of each in a batch)."""
    _square_float(A, "det")
    ad = A._data
    diag, sign = _lu_diagonal(ad)
    data = xp_of(ad).asarray((diag.prod(axis=-1) * sign).reshape(ad.shape[:-2]))
    r = record_if(LinalgDetBackward0, wrap(data.astype(ad.dtype, copy=False)), (A,), save=(A,),
                  save_out=True)
    return finish_out(r, out, "det", (A,))


# ---- Cholesky factorisation and triangular solves ------------------------------------------

def _cholesky_partial(ad):
    """LAPACK's potrf by columns, vectorised over the batch: the lower factor and, per
    matrix, 0 or the order of the first leading minor that is not positive-definite (where
    potrf stops: that pivot stays in the diagonal, the columns after it as they were)."""
    xp = xp_of(ad)
    batch = ad.reshape((-1,) + ad.shape[-2:])
    L = xp.tril(batch).copy()
    n = ad.shape[-1]
    info = xp.zeros(batch.shape[0], dtype=np.int32)
    for j in range(n):
        live = info == 0
        pivot = batch[:, j, j] - (L[:, j, :j] * L[:, j, :j]).sum(-1)
        failed = live & ~(pivot > 0)
        info = xp.where(failed, j + 1, info)
        root = xp.sqrt(xp.where(pivot > 0, pivot, 1))
        L[:, j, j] = xp.where(live, xp.where(failed, pivot, root), L[:, j, j])
        ok = live & ~failed
        below = (batch[:, j + 1:, j] - xp.matmul(L[:, j + 1:, :j], L[:, j, :j, None])[..., 0]) \
            / root[:, None]
        L[:, j + 1:, j] = xp.where(ok[:, None], below, L[:, j + 1:, j])
    return L.reshape(ad.shape).astype(ad.dtype, copy=False), info.reshape(ad.shape[:-2])


def _cholesky_factor(A, fn):
    """(L, info) of a batch of matrices, NumPy's factor where every one is positive-definite."""
    _square_float(A, fn)
    ad = A._data
    xp = xp_of(ad)
    try:
        L = xp.linalg.cholesky(ad)
        if xp is np or not has_values(L) or bool(xp.isfinite(L).all()):  # CuPy: nan, no error
            return L, xp.zeros(ad.shape[:-2], dtype=np.int32)
    except np.linalg.LinAlgError:
        pass
    return _cholesky_partial(ad)


@derivative
def LinalgCholeskyExBackward0(node, grad):
    """PyTorch's cholesky_backward: L^-H Phi(L^H gL) L^-1, Phi = tril with halved diagonal,
    symmetrised."""
    upper = node.params
    L = saved_output(node)
    if upper:
        L, grad = L.mT, grad.mT
    gA = (L.mT @ grad).tril()
    gA = 0.5 * (gA + gA.tril(-1).mT)
    gA = solve_triangular(L.mT, gA, upper=True, left=True)
    return solve_triangular(L, gA, upper=False, left=False)


@derivative(base=LinalgCholeskyExBackward0)
def CholeskyBackward0(node, grad):
    return LinalgCholeskyExBackward0.backward(node, grad)


def _cholesky_result(A, L, upper, node_cls=LinalgCholeskyExBackward0):
    return record_if(node_cls, wrap(L.swapaxes(-1, -2).copy() if upper else L), (A,), upper,
                     save_out=True)


@export("linalg")
def cholesky(A, *, upper=False, out=None):
    """The lower (or upper) triangular factor L of A = L L^H, A positive-definite."""
    return _cholesky(A, upper, out, LinalgCholeskyExBackward0)


def _cholesky(A, upper, out, node_cls):
    L, info = _cholesky_factor(A, "cholesky")
    if has_values(info):                # meta: PyTorch's meta kernels check no values
        _check_positive_definite(info, A)
    return finish_out(_cholesky_result(A, L, upper, node_cls), out, "linalg_cholesky", (A,))


def _check_positive_definite(info, A):
    bad = np.asarray(backend_of(info).to_host(info)).reshape(-1)
    if bad.any():
        b = int(np.nonzero(bad)[0][0])
        where = f"(Batch element {b}): " if A._data.ndim > 2 else ""
        raise _LinAlgError(f"linalg.cholesky: {where}The factorization could not be completed "
                           "because the input is not positive-definite (the leading minor of "
                           f"order {int(bad[b])} is not positive-definite).")


class linalg_cholesky_ex(return_types._Pair):
    """torch.return_types.linalg_cholesky_ex: (L, info)."""

    __slots__ = ()
    kind = "linalg_cholesky_ex"
    fields = ("L", "info")
    L = property(lambda self: self[0])
    info = property(lambda self: self[1])


return_types.linalg_cholesky_ex = linalg_cholesky_ex


@export("linalg")
def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """cholesky without raising: (L, info), info 0 where A is positive-definite, else the
    order of its first leading minor that is not."""
    if check_errors:
        r = linalg_cholesky_ex(cholesky(A, upper=upper), wrap(xp_of(A._data).zeros(
            A._data.shape[:-2], dtype=np.int32)))
    else:
        L, info = _cholesky_factor(A, "cholesky_ex")
        r = linalg_cholesky_ex(_cholesky_result(A, L, upper), wrap(info))
    return finish_outs(r, out, "linalg_cholesky_ex", (A,))


def _substitute(a, b, upper, unitriangular):
    """X with a X = b for triangular a, by substitution row by row (as LAPACK's trtrs)."""
    xp = xp_of(a)
    n = a.shape[-1]
    x = xp.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:],
                 dtype=b.dtype)
    rows = range(n - 1, -1, -1) if upper else range(n)
    with np.errstate(all="ignore"):
        for i in rows:
            done = slice(i + 1, n) if upper else slice(0, i)
            acc = b[..., i, :] - xp.matmul(a[..., i:i + 1, done], x[..., done, :])[..., 0, :]
            x[..., i, :] = acc if unitriangular else acc / a[..., i, i, None]
    return x


@derivative
def LinalgSolveTriangularBackward0(node, grad):
    """gB = A^-H gX; gA = -gB X^H (X^H gB when right), on A's triangle."""
    A, = node.saved
    upper, left, unitriangular = node.params
    X = saved_output(node)
    gB = solve_triangular(A.mT, grad, upper=not upper, left=left, unitriangular=unitriangular)
    (fa, _), (fb, _) = node.next_functions
    gA = None
    if fa is not None:
        gA = -(gB @ X.mT) if left else -(X.mT @ gB)
        gA = gA.triu(int(unitriangular)) if upper else gA.tril(-int(unitriangular))
    return gA, gB if fb is not None else None


_REQUIRED = object()


@export("linalg")
def solve_triangular(A, B, *, upper=_REQUIRED, left=True, unitriangular=False, out=None):
    """X with A X = B (X A = B when left=False), A upper or lower triangular; X has A's
    dtype."""
    if upper is _REQUIRED:
        raise TypeError('linalg_solve_triangular() missing 1 required positional arguments: '
                        '"upper"')
    for t, name in ((A, "A"), (B, "B")):
        if t._data.ndim < 2:
            raise RuntimeError(f"linalg.solve_triangular: The input tensor {name} must have at "
                               "least 2 dimensions.")
    if A.dtype.category < 2:
        raise NotImplementedError(f'"triangular_solve_cpu" not implemented for '
                                  f"'{A.dtype.short}'")
    _square_float(A, "solve_triangular")
    ad, bd = A._data, B._data
    if (ad.shape[-1] != bd.shape[-2]) if left else (ad.shape[-1] != bd.shape[-1]):
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"linalg.solve_triangular: Incompatible shapes of A and B for the "
                           f"equation {eq} ({ad.shape[-2]}x{ad.shape[-1]} and "
                           f"{bd.shape[-2]}x{bd.shape[-1]})")
    a, b = ad, bd.astype(ad.dtype, copy=False)
    if left:
        x = _substitute(a, b, upper, unitriangular)
    else:                                      # X A = B  <=>  A^T X^T = B^T
        x = _substitute(a.swapaxes(-1, -2), b.swapaxes(-1, -2), not upper,
                        unitriangular).swapaxes(-1, -2).copy()
    r = record_if(LinalgSolveTriangularBackward0, wrap(x), (A, B), (upper, left, unitriangular),
                  save=(A,), save_out=True)
    return finish_out(r, out, "linalg_solve_triangular", (A, B))


@derivative
def CholeskyInverseBackward0(node, grad):
    L, = node.saved
    inverse = saved_output(node)
    common = inverse @ ((grad + grad.mT) @ inverse)
    return -(L @ common) if node.params else -(common @ L)


@export("torch", "Tensor")
def cholesky_inverse(L, upper=False, *, out=None):
    """The inverse of A = L L^H (U^H U when upper) from its Cholesky factor."""
    _square_float(L, "cholesky_inverse")
    ld = L._data
    xp = xp_of(ld)
    eye = xp.broadcast_to(xp.eye(ld.shape[-1], dtype=ld.dtype), ld.shape)
    factor = ld.swapaxes(-1, -2) if upper else ld        # the lower factor
    inv_factor = _substitute(factor, eye, False, False)
    data = xp.matmul(inv_factor.swapaxes(-1, -2).conj(), inv_factor)
    r = record_if(CholeskyInverseBackward0, wrap(data), (L,), upper, save=(L,), save_out=True)
    return finish_out(r, out, "cholesky_inverse", (L,))


def qr_values(A):
    """(Q, R) of the reduced QR decomposition of a 2-D float tensor, without autograd: the
    values nn.init.orthogonal_ needs (torch.linalg.qr itself is not provided)."""
    xp = xp_of(A._data)
    q, r = xp.linalg.qr(A._data)
    return wrap(q), wrap(r)


# ---- log-determinant -----------------------------------------------------------------------

linalg_slogdet = named_result("linalg_slogdet", "sign", "logabsdet")
slogdet_result = named_result("slogdet", "sign", "logabsdet")


@derivative(n_outputs=2)
def LinalgSlogdetBackward0(node, grads):
    """d logabsdet = tr(A^-1 dA): gA = g A^-H (the sign of a real A has no gradient)."""
    _, g = grads
    A, = node.saved
    if g is None:
        return None
    return g.unsqueeze(-1).unsqueeze(-1) * inv(A).mT


def _slogdet_tensors(A, fn):
    _square_float(A, fn)
    ad = A._data
    xp = xp_of(ad)
    diag, perm_sign = _lu_diagonal(ad)
    size = xp.abs(diag)
    with np.errstate(divide="ignore"):
        log_size = xp.log(size).sum(axis=-1)
    phase = xp.where(size == 0, 0, diag / xp.where(size == 0, 1, size)).prod(axis=-1) * perm_sign
    batch = ad.shape[:-2]
    sign = wrap(xp.asarray(phase.reshape(batch)).astype(ad.dtype, copy=False))
    logabs = wrap(xp.asarray(log_size.reshape(batch)).astype(ad.real.dtype, copy=False))
    return record_outputs(LinalgSlogdetBackward0, (sign, logabs), (A,), save=(A,))


@export("linalg")
def slogdet(A, *, out=None):
    """(sign, log|det A|): the determinant without overflow; sign 0 and -inf when singular."""
    return finish_outs(linalg_slogdet(*_slogdet_tensors(A, "slogdet")), out, "linalg_slogdet",
                       (A,))


@export("torch.slogdet", "Tensor.slogdet")
def slogdet_old(input, *, out=None):
    """torch.slogdet: linalg.slogdet under the older result name."""
    return finish_outs(slogdet_result(*_slogdet_tensors(input, "slogdet")), out, "slogdet",
                       (input,))


@export("torch", "Tensor")
def logdet(input):
    """log det A: nan where det A < 0, as PyTorch composes it from slogdet."""
    sign, logabs = _slogdet_tensors(input, "logdet")
    return where(sign == -1, math.nan, logabs)


@export("torch.cholesky", "Tensor.cholesky")
def cholesky_old(input, upper=False, *, out=None):
    """torch.cholesky (deprecated): linalg.cholesky, upper when asked."""
    if not _WARNED_ONCE.get("cholesky"):
        _WARNED_ONCE["cholesky"] = True
        warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will "
                      "be removed in a future PyTorch release.\nL = torch.cholesky(A)\nshould "
                      "be replaced with\nL = torch.linalg.cholesky(A)\nand\nU = torch.cholesky"
                      "(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A)."
                      "mH\nThis transform will produce equivalent results for all valid "
                      "(symmetric positive definite) inputs.", UserWarning, stacklevel=2)
    return _cholesky(input, upper, out, CholeskyBackward0)
