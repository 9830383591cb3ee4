"""The LDL^T factorisation of symmetric indefinite matrices (torch.linalg.ldl_factor,
ldl_factor_ex, ldl_solve): LAPACK's Bunch-Kaufman sytf2 and sytrs, lower triangle, per
matrix of the batch. PyTorch has no derivative for them: their node is NotImplemented."""
from __future__ import annotations

import math

import numpy as np

from ..autograd import derivative
from ..backend import backend_of
from ..forward_ad import refuse_by_params
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, finish_out
from .decomposition import _square_float, beside, finish_outs, float_matrix
from .return_types import named_result

linalg_ldl_factor = named_result("linalg_ldl_factor", "LD", "pivots")
linalg_ldl_factor_ex = named_result("linalg_ldl_factor_ex", "LD", "pivots", "info")

_ALPHA = (1 + math.sqrt(17)) / 8          # Bunch-Kaufman's pivot threshold


def _not_implemented(node, grad):
    raise RuntimeError(f"derivative for {node.params} is not implemented")


_not_implemented.__name__ = "NotImplemented"       # the name PyTorch's node prints
NotImplementedBackward = derivative(_not_implemented, jvp=staticmethod(refuse_by_params))


def _on_host(t):
    return np.asarray(backend_of(t._data).to_host(t._data))


def _swap_rows(b, i, j):
    b[[i, j]] = b[[j, i]]


def _sytf2_lower(a):
    """dsytf2 with uplo='L' on one matrix (in place): (pivots 1-based, info)."""
    n = a.shape[0]
    ipiv = np.zeros(n, dtype=np.int32)
    info, k = 0, 0
    while k < n:
        kstep = 1
        absakk = abs(a[k, k])
        imax = k + 1 + int(np.argmax(np.abs(a[k + 1:, k]))) if k < n - 1 else k
        colmax = abs(a[imax, k]) if k < n - 1 else 0.0
        if max(absakk, colmax) == 0 or math.isnan(absakk):
            info = info or k + 1
            kp = k
        else:
            if absakk >= _ALPHA * colmax:
                kp = k
            else:
                rowmax = np.abs(a[imax, k:imax]).max()
                if imax < n - 1:
                    rowmax = max(rowmax, np.abs(a[imax + 1:, imax]).max())
                if absakk >= _ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif abs(a[imax, imax]) >= _ALPHA * rowmax:
                    kp = imax
                else:
                    kp, kstep = imax, 2
            kk = k + kstep - 1
            if kp != kk:                  # interchange rows and columns kk, kp (lower part)
                if kp < n - 1:
                    a[kp + 1:, [kk, kp]] = a[kp + 1:, [kp, kk]]
                seg = a[kk + 1:kp, kk].copy()
                a[kk + 1:kp, kk] = a[kp, kk + 1:kp]
                a[kp, kk + 1:kp] = seg
                a[kk, kk], a[kp, kp] = a[kp, kp], a[kk, kk]
                if kstep == 2:
                    a[k + 1, k], a[kp, k] = a[kp, k], a[k + 1, k]
            if kstep == 1:
                if k < n - 1:
                    x = a[k + 1:, k].copy()
                    a[k + 1:, k + 1:] -= np.tril(np.outer(x, x)) / a[k, k]
                    a[k + 1:, k] = x / a[k, k]
            elif k < n - 2:
                d21 = a[k + 1, k]
                d11 = a[k + 1, k + 1] / d21
                d22 = a[k, k] / d21
                t = 1 / (d11 * d22 - 1)
                d21 = t / d21
                for j in range(k + 2, n):
                    wk = d21 * (d11 * a[j, k] - a[j, k + 1])
                    wkp1 = d21 * (d22 * a[j, k + 1] - a[j, k])
                    a[j:, j] -= a[j:, k] * wk + a[j:, k + 1] * wkp1
                    a[j, k], a[j, k + 1] = wk, wkp1
        if kstep == 1:
            ipiv[k] = kp + 1
        else:
            ipiv[k] = ipiv[k + 1] = -(kp + 1)
        k += kstep
    return ipiv, info


def _ldl_arrays(A, fn):
    _square_float(A, fn)
    dense(A)
    ad = _on_host(A)
    n = ad.shape[-1]
    flat = ad.reshape((-1, n, n))
    LD = np.zeros_like(flat)
    pivots = np.zeros(flat.shape[:2], dtype=np.int32)
    info = np.zeros(flat.shape[0], dtype=np.int32)
    with np.errstate(all="ignore"):
        for b, matrix in enumerate(flat):
            work = matrix.astype(np.float64 if matrix.dtype.kind != "c" else np.complex128)
            pivots[b], info[b] = _sytf2_lower(work)
            LD[b] = np.tril(work)           # rounded once to A's dtype
    return (beside(LD.reshape(ad.shape), A), beside(pivots.reshape(ad.shape[:-1]), A),
            info.reshape(ad.shape[:-2]))


def _factor(A, hermitian, fn):
    LD, pivots, info = _ldl_arrays(A, fn)
    r = record_if(NotImplementedBackward, wrap(LD), (A,), "aten::linalg_ldl_factor_ex")
    return r, wrap(pivots), info


@export("linalg")
def ldl_factor(A, *, hermitian=False, out=None):
    """The compact LDL^T factorisation of a symmetric A (Bunch-Kaufman pivoting): (LD,
    pivots), D's 1x1 and 2x2 blocks on LD's diagonal, L below."""
    LD, pivots, info = _factor(A, hermitian, "ldl_factor")
    flat = info.reshape(-1)
    if flat.any():
        code = int(flat[flat != 0][0])
        raise RuntimeError(f"torch.linalg.ldl_factor: Unknown error code: {code}.")
    return finish_outs(linalg_ldl_factor(LD, pivots), out, "linalg_ldl_factor", (A,))


@export("linalg")
def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    """ldl_factor without raising: (LD, pivots, info)."""
    LD, pivots, info = _factor(A, hermitian, "ldl_factor_ex")
    return finish_outs(linalg_ldl_factor_ex(LD, pivots, wrap(beside(info, A))), out,
                       "linalg_ldl_factor_ex", (A,))


def _sytrs_lower(a, ipiv, b):
    """dsytrs with uplo='L': X with A X = b from sytf2's factor a (b overwritten)."""
    n = a.shape[0]
    k = 0
    while k < n:                              # L D X = b
        if ipiv[k] > 0:
            _swap_rows(b, k, ipiv[k] - 1)
            b[k + 1:] -= np.outer(a[k + 1:, k], b[k])
            b[k] /= a[k, k]
            k += 1
        else:
            _swap_rows(b, k + 1, -ipiv[k] - 1)
            b[k + 2:] -= np.outer(a[k + 2:, k], b[k]) + np.outer(a[k + 2:, k + 1], b[k + 1])
            akm1k = a[k + 1, k]
            akm1, ak = a[k, k] / akm1k, a[k + 1, k + 1] / akm1k
            denom = akm1 * ak - 1
            bkm1, bk = b[k] / akm1k, b[k + 1] / akm1k
            b[k], b[k + 1] = (ak * bkm1 - bk) / denom, (akm1 * bk - bkm1) / denom
            k += 2
    k = n - 1
    while k >= 0:                             # L^T X = b
        if ipiv[k] > 0:
            b[k] -= a[k + 1:, k] @ b[k + 1:]
            _swap_rows(b, k, ipiv[k] - 1)
            k -= 1
        else:
            b[k] -= a[k + 1:, k] @ b[k + 1:]
            b[k - 1] -= a[k + 1:, k - 1] @ b[k + 1:]
            _swap_rows(b, k, -ipiv[k] - 1)
            k -= 2
    return b


@export("linalg")
def ldl_solve(LD, pivots, B, *, hermitian=False, out=None):
    """X with A X = B, A given by ldl_factor's (LD, pivots)."""
    float_matrix(LD, "ldl_solve", "LD")
    dense(B)
    ld, piv, bd = _on_host(LD), _on_host(pivots), _on_host(B).astype(LD._data.dtype)
    batch = np.broadcast_shapes(ld.shape[:-2], bd.shape[:-2])
    ld = np.broadcast_to(ld, batch + ld.shape[-2:]).reshape((-1,) + ld.shape[-2:])
    piv = np.broadcast_to(piv, batch + piv.shape[-1:]).reshape((-1, piv.shape[-1]))
    x = np.broadcast_to(bd, batch + bd.shape[-2:]).reshape((-1,) + bd.shape[-2:]).copy()
    with np.errstate(all="ignore"):
        for i in range(x.shape[0]):
            _sytrs_lower(ld[i], piv[i], x[i])
    data = beside(x.reshape(batch + bd.shape[-2:]), LD)
    r = record_if(NotImplementedBackward, wrap(data), (LD, B), "aten::linalg_ldl_solve")
    return finish_out(r, out, "linalg_ldl_solve", (LD, B))
