"""Norms (torch.linalg): vector_norm, matrix_norm, norm and cond, written on the reductions
and the singular values, as PyTorch composes them (so their grad_fn are those of the
reductions: LinalgVectorNormBackward0, AmaxBackward0, SumBackward1...)."""
from __future__ import annotations

import math
import warnings

from ..autograd import derivative
from ..dtypes import FLOATING, promote_types, to_dtype
from ..registry import export
from ..tensor import record_if
from .common import finish_out
from .decomposition import float_matrix
from .reduction import LinalgVectorNormBackward0, _axes
from .reduction import norm as _vector_p_norm
from .shape import _WARNED_ONCE
from .solve import inv_ex
from .spectral import svdvals

_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf)


@export("linalg")
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """The ord-norm of x's elements (over dim), x cast to dtype first."""
    if x.dtype.category < FLOATING:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {x.dtype.short}")
    if dtype is not None:
        x = x.to(_norm_dtype(x, dtype))
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord}")
    return finish_out(_vector_p_norm(x, ord, dim, keepdim), out, "linalg_vector_norm", (x,))


def _norm_dtype(x, dtype):
    """The dtype= a vector norm computes in: floating or complex, and x's dtype widens to it."""
    dt = to_dtype(dtype, fn="linalg_vector_norm")
    if dt.category < FLOATING:
        raise RuntimeError("linalg.vector_norm: dtype should be floating point or complex, but "
                           f"got {dt.short}")
    if promote_types(x.dtype, dt) is not dt:
        raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({x.dtype.short}) should "
                           f"be convertible without narrowing to the specified dtype "
                           f"({dt.short})")
    return dt


@export("torch.norm", "Tensor.norm")
def torch_norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm as PyTorch 2.13 dispatches it: linalg.vector_norm ('fro' is 2), or
    linalg.matrix_norm for 'nuc' (over every dim when dim is None)."""
    dims = (dim,) if isinstance(dim, int) else dim
    if isinstance(p, str) and not (p == "fro" and (dims is None or len(dims) <= 2)):
        return matrix_norm(input, p, tuple(range(input.ndim)) if dims is None else dims,
                           keepdim, dtype=dtype, out=out)
    return vector_norm(input, 2 if p in ("fro", None) else p, dims, keepdim, dtype=dtype,
                       out=out)


torch_norm.__name__ = torch_norm.__qualname__ = "norm"   # as PyTorch names it in errors


def _two_dims(dim, ndim, fn):
    if len(dim) != 2:
        raise RuntimeError(f"linalg.{fn}: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    d0, d1 = (d % ndim if -ndim <= d < ndim else None for d in dim)
    if d0 is None or d1 is None:
        bad = dim[0] if d0 is None else dim[1]
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                         f"{ndim - 1}], but got {bad})")
    if d0 == d1:
        raise RuntimeError(f"linalg.{fn}: dims must be different. Got ({dim[0]}, {dim[1]})")
    return d0, d1


@export("linalg")
def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """The ord-norm of the matrices A spans over dim: 'fro', 'nuc', 1, -1, 2, -2, inf, -inf."""
    float_matrix(A, "matrix_norm")
    if ord not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if dtype is not None:
        A = A.to(dtype)
    d0, d1 = _two_dims(tuple(dim), A.ndim, "matrix_norm")
    if ord == "fro":
        r = _vector_p_norm(A, 2, (d0, d1), keepdim)
    elif ord == "nuc" or abs(ord) == 2:
        order = [d for d in range(A.ndim) if d not in (d0, d1)] + [d0, d1]
        S = svdvals(A.permute(*order))
        r = (S.sum(-1, keepdim=keepdim) if ord == "nuc" else
             S.amax(-1, keepdim=keepdim) if ord > 0 else S.amin(-1, keepdim=keepdim))
        if keepdim:         # back to A's order of dims, as PyTorch does
            r = r.unsqueeze(-1).permute(*sorted(range(A.ndim), key=order.__getitem__))
    else:
        if abs(ord) == math.inf:
            d0, d1 = d1, d0
        if not keepdim and d0 < d1:
            d1 -= 1
        summed = A.abs().sum(d0, keepdim=keepdim)
        r = summed.amax(d1, keepdim=keepdim) if ord > 0 else summed.amin(d1, keepdim=keepdim)
    return finish_out(r, out, "linalg_matrix_norm", (A,))


@export("linalg")
def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """vector_norm or matrix_norm, as dim (one dim or two) and A's dims choose."""
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None:
        if len(dim) == 1:
            return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype, out=out)
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype, out=out)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    if A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype, out=out)
    if A.ndim != 1:
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.ndim}D.")
    return vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)


@export("linalg")
def cond(A, p=None, *, out=None):
    """The condition number of A in the p-norm (2 by default: largest over smallest singular
    value); inf for a singular A in the other norms."""
    float_matrix(A, "cond")
    if p is None or p in (2, -2):
        S = svdvals(A)
        big, small = S[..., :1], S[..., -1:]
        r = (small / big if p == -2 else big / small).squeeze(-1)
    else:
        if p not in _MATRIX_ORDS:
            raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
        inverse, info = inv_ex(A)
        r = matrix_norm(A, p) * matrix_norm(inverse, p)
        r = r.masked_fill(info != 0, math.inf)
        if isinstance(p, str):      # as PyTorch's: nan (0 * inf) read as infinitely ill-posed
            r = r.nan_to_num(math.inf, math.inf, -math.inf)
    return finish_out(r, out, "linalg_cond", (A,))


@export("torch")
def nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    """torch.nuclear_norm (deprecated): matrix_norm(input, 'nuc')."""
    if not _WARNED_ONCE.get("nuclear_norm"):
        _WARNED_ONCE["nuclear_norm"] = True
        warnings.warn("at::nuclear_norm is deprecated and it is just left for JIT compatibility. "
                      "It will be removed in a future PyTorch release. Please use "
                      "`linalg.matrix_norm(A, 'nuc', dim, keepdim)` instead", UserWarning,
                      stacklevel=2)
    return matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim, out=out)


@derivative(base=LinalgVectorNormBackward0)
def NormBackward1(node, grad):
    """at::norm's node (frobenius_norm): the 2-norm's gradient."""
    return LinalgVectorNormBackward0.backward(node, grad)


@export("torch")
def frobenius_norm(input, dim=(), keepdim=False, *, out=None):
    """torch.frobenius_norm (deprecated): the 2-norm over dim, recorded as at::norm."""
    if not _WARNED_ONCE.get("frobenius_norm"):
        _WARNED_ONCE["frobenius_norm"] = True
        warnings.warn("at::frobenius_norm is deprecated and it is just left for JIT "
                      "compatibility. It will be removed in a future PyTorch release. Please "
                      "use `linalg.vector_norm(A, 2., dim, keepdim)` instead", UserWarning,
                      stacklevel=2)
    dim = (dim,) if isinstance(dim, int) else tuple(dim)
    r = _vector_p_norm(input.detach(), 2, dim or None, keepdim)
    r = record_if(NormBackward1, r, (input,),
                  (input._data.shape, _axes(input, dim or None, "norm"), keepdim, 2),
                  save=(input,), save_out=True)
    return finish_out(r, out, "frobenius_norm", (input,))
