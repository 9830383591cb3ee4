"""Reductions over all elements or the given dims: sum mean prod, max min amax amin aminmax
argmax argmin, std var (and their _mean pairs), norm, logsumexp, all any count_nonzero, the
NaN-ignoring nansum nanmean, and sum_to_size. Scans are in scan.py, sorting and order
statistics in sorting.py."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .. import limits
from ..autograd import GradMode, Node, broadcast_axes, derivative
from ..backend import xp_of
from ..dtypes import (DEFAULTS, FLOATING, FROM_NUMPY, INTEGRAL, bfloat16, float16, float32, int64,
                      to_dtype)
from ..forward_ad import propagate_outputs
from ..registry import export
from ..tensor import Duals, Tensor, record, record_if, saved_output, wrap
from .common import dense, dense_as_float, finish_out, wrap_dim, wrap_dims
from .scatter import scatter_into_zeros
from .pointwise import maximum, minimum
from .return_types import return_types


def _axes(x, dim, fn):
    """Normalised reduction axes (None = all) as a tuple for NumPy."""
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        return None
    axes = wrap_dims(dim, x._data.ndim, fn)
    if not x._data.size:
        _check_empty_reduction(x._data.shape, axes)
    return axes


def _check_empty_reduction(shape, axes):
    """The cap on reducing a zero-size dim: the result has an element for each of the other
    dims' positions, which a tensor of no elements can have any number of (empty(2**33, 0)
    .sum(1) is 2**33 zeros). 8-byte elements: the widest a reduction accumulates in."""
    limits.check_result([n for i, n in enumerate(shape) if i not in axes], 8)


# Below this many elements, a gradient restored without recording is a filled array.
_FILL_LIMIT = 1 << 16


def _restore(grad, shape, axes, keepdim, count=None):
    """Broadcast a reduced gradient back over the reduced axes of `shape` (divided by count,
    for mean, when given)."""
    gd = grad._data
    if not GradMode.enabled and math.prod(shape) <= _FILL_LIMIT:
        # Nothing to record: filling a small array is cheaper than NumPy's broadcast_to (a
        # Python function), and a leaf takes the array as its .grad without copying it.
        if axes is not None and not keepdim and gd.ndim != len(shape):
            gd = gd.reshape([1 if i in axes else s for i, s in enumerate(shape)])
        filled = xp_of(gd).empty(shape, dtype=gd.dtype)
        filled[...] = gd if count is None else gd / count
        return wrap(filled)
    if count is not None:
        grad = grad / count
    if axes is not None and not keepdim and gd.ndim != len(shape):
        for a in sorted(axes):
            grad = grad.unsqueeze(a)
    return grad.expand(shape)


class _Reduction(Node):
    """A reduction's node: params = (input shape, axes, keepdim)."""
    __slots__ = ()


def int_to_long(dt):
    """The dtype of a sum or product of dt without a dtype= (int64 for bool and integers)."""
    return int64 if dt.category <= INTEGRAL else dt


# ---- sum / mean / prod -------------------------------------------------------------------

# NumPy sums a contiguous axis pairwise from blocks of 128 (summed 8 lanes at a time), any
# other axis one element after another, and a half-precision axis that is not contiguous in
# half precision; PyTorch's cascade sum keeps float32 partial sums for all three (float16 and
# bfloat16 accumulate in float32). Partial sums in float64 are at least as accurate as
# PyTorch's everywhere, at about twice the cost of NumPy's float32 sum: float32 sums of up
# to _SMALL_SUM elements, where the difference is an ulp at most, keep NumPy's (sum and mean
# test for them inline, before any call: they are on the benchmarks' hot path).
_SMALL_SUM = 128
_HALVES = frozenset((float16, bfloat16))


def sum_accumulator(dt, size):
    """np.float64 where a sum of `size` elements with result dtype dt accumulates in float64,
    None where it keeps its own precision."""
    if dt in _HALVES or (dt is float32 and size > _SMALL_SUM):
        return np.float64
    return None


def accurate_sum(a, axes, dt, keepdim):
    """a.sum over axes with result dtype dt, accumulated as sum_accumulator says."""
    acc = sum_accumulator(dt, a.size)
    if acc is None:
        return a.sum(axes, dt.np, None, keepdim)    # positional: NumPy parses them faster
    return a.sum(axes, acc, None, keepdim).astype(dt.np)


# forward AD: PyTorch's formulas, the tangent reduced as the input was
def _sum_jvp(inputs, tangents, out, params):
    return tangents[0].sum(dtype=out.dtype)


def _sum_dim_jvp(inputs, tangents, out, params):
    return tangents[0].sum(params[1], params[2], dtype=out.dtype)


@derivative(base=_Reduction, jvp=staticmethod(_sum_jvp))
def SumBackward0(node, grad):
    shape, axes, keepdim = node.params
    return _restore(grad, shape, axes, keepdim)


class SumBackward1(SumBackward0):
    __slots__ = ()
    jvp = staticmethod(_sum_dim_jvp)


# sum and mean ask GradMode and _rg themselves, not record_if: they end the benchmarks' seed
# snippet and MLP steps, where record_if's call costs 0.5% of the seed's instructions
# (benchmarks/count_instructions.py seed).
@export("torch", "Tensor")
def sum(input, dim=None, keepdim=False, *, dtype=None, out=None, keepdims=None):
    """Sum of elements, over all or the given dims (keepdims: NumPy's name of keepdim, which
    PyTorch takes too)."""
    if keepdims is not None:
        keepdim = keepdims
    axes = _axes(input, dim, "sum")
    xd = input._data
    dt = to_dtype(dtype, fn="sum") if dtype is not None else int_to_long(FROM_NUMPY[xd.dtype])
    if xd.size <= _SMALL_SUM and xd.itemsize != 2:
        r = wrap(xd.sum(axes, dt.np, None, keepdim))   # positional: NumPy parses them faster
    else:
        r = wrap(accurate_sum(xd, axes, dt, keepdim))
    if GradMode.enabled and input._rg:       # record_if inlined: see above sum
        record(SumBackward0 if dim is None else SumBackward1, r, (input,),
               (xd.shape, axes, keepdim))
    elif Duals:
        Duals.propagate(SumBackward0 if dim is None else SumBackward1, r, (input,),
                        (xd.shape, axes, keepdim), (), False)
    return finish_out(r, out, "sum", (input,))


def _mean_jvp(inputs, tangents, out, params):
    return tangents[0].mean()


def _mean_dim_jvp(inputs, tangents, out, params):
    return tangents[0].mean(params[1], params[2])


@derivative(base=_Reduction, jvp=staticmethod(_mean_jvp))
def MeanBackward0(node, grad):
    shape, axes, keepdim = node.params
    n = _count(shape, axes)
    if not GradMode.enabled:       # nothing recorded: divide the reduced gradient first
        return _restore(grad, shape, axes, keepdim, n)
    return _restore(grad, shape, axes, keepdim) / n


class MeanBackward1(MeanBackward0):
    __slots__ = ()
    jvp = staticmethod(_mean_dim_jvp)


def _count(shape, axes):
    if axes is None:
        return math.prod(shape)
    return math.prod(shape[a] for a in axes)


@export("torch", "Tensor")
def mean(input, dim=None, keepdim=False, *, dtype=None, out=None, keepdims=None):
    """Arithmetic mean; floating-point input only, as in PyTorch."""
    if keepdims is not None:
        keepdim = keepdims
    dt = to_dtype(dtype, fn="mean") if dtype is not None else FROM_NUMPY[input._data.dtype]
    if dt.category < FLOATING:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either "
                           f"a floating point or complex dtype. Got: {dt.short}")
    axes = _axes(input, dim, "mean")
    xd = input._data
    n = _count(xd.shape, axes)
    # sum / n: NumPy's mean() is a slow Python wrapper around the same two steps.
    # PyTorch's mean of float16/bfloat16 sums and divides in float32, then rounds once
    if xd.size <= _SMALL_SUM and xd.itemsize != 2:
        total = xd.sum(axes, dt.np, None, keepdim)   # positional: NumPy parses them faster
    else:
        total = accurate_sum(xd, axes, float32 if dt in _HALVES else dt, keepdim)
    r = wrap(total / n if n else total * np.nan)
    if r._data.dtype != dt.np:
        r._data = r._data.astype(dt.np)
    if GradMode.enabled and input._rg:       # record_if inlined: see above sum
        record(MeanBackward0 if dim is None else MeanBackward1, r, (input,),
               (xd.shape, axes, keepdim))
    elif Duals:
        Duals.propagate(MeanBackward0 if dim is None else MeanBackward1, r, (input,),
                        (xd.shape, axes, keepdim), (), False)
    return finish_out(r, out, "mean", (input,))


@derivative(base=_Reduction)
def ProdBackward0(node, grad):
    x, = node.saved
    shape, axes, keepdim = node.params
    out = saved_output(node)
    g = _restore(grad, shape, axes, keepdim)
    if not (x._data == 0).any():            # PyTorch's prod_backward (conjugate Wirtinger)
        return g * (_restore(out, shape, axes, keepdim) / x).conj()
    # With zeros, divide-by-x fails: take the product of the other elements directly.
    return g * _prod_of_others(x, axes).conj()


class ProdBackward1(ProdBackward0):
    __slots__ = ()


def _prod_of_others(x, axes):
    xd = x._data
    xp = xp_of(xd)
    axis_list = range(xd.ndim) if axes is None else axes
    moved = xp.moveaxis(xd, list(axis_list), list(range(-len(axis_list), 0)))
    flat = moved.reshape(moved.shape[:moved.ndim - len(axis_list)] + (-1,))
    ones = xp.ones_like(flat[..., :1])
    left = xp.cumprod(xp.concatenate([ones, flat[..., :-1]], -1), -1)
    right = xp.flip(xp.cumprod(xp.flip(xp.concatenate([flat[..., 1:], ones], -1), -1), -1), -1)
    others = (left * right).reshape(moved.shape)
    return wrap(xp.moveaxis(others, list(range(-len(axis_list), 0)), list(axis_list)))


@export("torch", "Tensor")
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of elements."""
    if isinstance(dim, (tuple, list)):
        raise TypeError("prod(): argument 'dim' must be int, not tuple")
    axes = _axes(input, dim, "prod")
    dt = to_dtype(dtype, fn="prod") or int_to_long(input.dtype)
    xd = input._data
    r = wrap(xp_of(xd).prod(xd, axis=axes, keepdims=keepdim, dtype=dt.np))
    return record_if(ProdBackward0 if dim is None else ProdBackward1, r, (input,),
                     (xd.shape, axes, keepdim), save=(input,), save_out=True)


# ---- max / min -----------------------------------------------------------------------------

@derivative
def MaxBackward1(node, grad):
    """Full max/min: the gradient is shared evenly among the tied extreme elements."""
    x, = node.saved
    out = saved_output(node)
    mask = x == out
    return mask * (grad / mask.sum())


class MinBackward1(MaxBackward1):
    __slots__ = ()


@derivative
def MaxBackward0(node, grad):
    """max/min along a dim: the gradient goes to the index that was picked."""
    indices, = node.saved
    shape, dim, keepdim = node.params
    if not keepdim:
        grad = grad.unsqueeze(dim)
        indices = indices.unsqueeze(dim)
    return scatter_into_zeros(grad, shape, dim, indices)


class MinBackward0(MaxBackward0):
    __slots__ = ()


def _extreme(name, input, dim, keepdim, other, out):
    if other is not None:
        return (maximum if name == "max" else minimum)(input, other)
    xd = input._data
    xp = xp_of(xd)
    if dim is None:
        if xd.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        r = wrap((xp.max if name == "max" else xp.min)(xd))
        return record_if(MaxBackward1 if name == "max" else MinBackward1, r, (input,),
                         save=(input,), save_out=True)
    d = wrap_dim(dim, xd.ndim, name)
    if xd.ndim and xd.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    xd = dense(input)                          # NumPy's argmax copies a strided input
    idx = (xp.argmax if name == "max" else xp.argmin)(xd, axis=d if xd.ndim else None,
                                                      keepdims=True)
    vals = xp.take_along_axis(xd, idx, axis=d) if xd.ndim else xd.copy()
    if not keepdim and xd.ndim:
        idx, vals = idx.squeeze(d), vals.squeeze(d)
    values, indices = wrap(vals), wrap(idx.astype(np.int64))
    record_if(MaxBackward0 if name == "max" else MinBackward0, values, (input,),
              (xd.shape, d, keepdim or not xd.ndim), save=(indices,))
    pair = (return_types.max if name == "max" else return_types.min)(values, indices)
    if out is not None:
        out[0]._data, out[1]._data = values._data, indices._data
    return pair


@export("torch", "Tensor")
def max(input, dim=None, keepdim=False, *, out=None):
    """Largest element; with dim, (values, indices); with a tensor, elementwise maximum."""
    other = dim if isinstance(dim, Tensor) else None
    return _extreme("max", input, None if other is not None else dim, keepdim, other, out)


@export("torch", "Tensor")
def min(input, dim=None, keepdim=False, *, out=None):
    """Smallest element; with dim, (values, indices); with a tensor, elementwise minimum."""
    other = dim if isinstance(dim, Tensor) else None
    return _extreme("min", input, None if other is not None else dim, keepdim, other, out)


@derivative
def AmaxBackward0(node, grad):
    x, = node.saved
    shape, axes, keepdim = node.params
    out = _restore(saved_output(node), shape, axes, keepdim)
    mask = x == out
    g = _restore(grad, shape, axes, keepdim)
    count = _restore(mask.sum(dim=axes, keepdim=True), shape, axes, True)
    return g * mask / count


class AminBackward0(AmaxBackward0):
    __slots__ = ()


def _check_identity(xd, axes, name):
    """PyTorch's errors for max-like reductions (no identity) over no element."""
    if xd.size:
        return
    if axes is None:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                           "input.numel() == 0. Specify the reduction dim with the 'dim' "
                           "argument.")
    for a in axes:
        if xd.shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")


@export("torch", "Tensor")
def amax(input, dim=(), keepdim=False):
    axes = _axes(input, dim, "amax")
    _check_identity(input._data, axes, "amax")
    r = wrap(xp_of(input._data).max(input._data, axis=axes, keepdims=keepdim))
    return record_if(AmaxBackward0, r, (input,), (input._data.shape, axes, keepdim),
                     save=(input,), save_out=True)


@export("torch", "Tensor")
def amin(input, dim=(), keepdim=False):
    axes = _axes(input, dim, "amin")
    _check_identity(input._data, axes, "amin")
    r = wrap(xp_of(input._data).min(input._data, axis=axes, keepdims=keepdim))
    return record_if(AminBackward0, r, (input,), (input._data.shape, axes, keepdim),
                     save=(input,), save_out=True)


@export("torch", "Tensor")
def argmax(input, dim=None, keepdim=False):
    """Index of the largest element (of the flattened tensor when dim is None)."""
    return _arg(input, dim, keepdim, "argmax")


@export("torch", "Tensor")
def argmin(input, dim=None, keepdim=False):
    """Index of the smallest element (of the flattened tensor when dim is None)."""
    return _arg(input, dim, keepdim, "argmin")


def _arg(input, dim, keepdim, name):
    xd = input._data
    if xd.dtype == np.bool_:
        raise RuntimeError(f"{name}(): does not support bool input")
    xp = xp_of(xd)
    f = xp.argmax if name == "argmax" else xp.argmin
    if xd.size == 0 and (dim is None or not xd.ndim):
        raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                         "input.numel() == 0.")
    xd = dense(input)                          # NumPy's argmax copies a strided input
    if dim is None:
        r = f(xd.reshape(-1))
        if keepdim:
            r = xp.asarray(r).reshape((1,) * xd.ndim)
        return wrap(xp.asarray(r).astype(np.int64))
    d = wrap_dim(dim, xd.ndim, name)
    if xd.ndim and xd.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return wrap(f(xd, axis=d, keepdims=keepdim).astype(np.int64) if xd.ndim
                else xp.asarray(0, dtype=np.int64))


# ---- std / var / norm ----------------------------------------------------------------------

def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


def _var_args(dim, unbiased, correction, keepdim):
    if isinstance(dim, bool):  # var(x, False): the old positional `unbiased`
        return None, dim, correction, keepdim
    return dim, unbiased, correction, keepdim


@derivative
def VarBackward0(node, grad):
    x, = node.saved
    shape, axes, keepdim, corr = node.params
    return _var_backward(_restore(grad, shape, axes, keepdim), x, shape, axes, corr)


def _var_backward(g, x, shape, axes, corr):
    """PyTorch's var_backward: (2 / dof) * grad * (x - mean), NaN when dof <= 0."""
    dof = _count(shape, axes) - corr
    if dof <= 0:
        return g * float("nan")
    return g * (2.0 / dof) * (x - x.mean(dim=axes, keepdim=True))


@derivative
def StdBackward0(node, grad):
    x, = node.saved
    shape, axes, keepdim, corr = node.params
    out = _restore(saved_output(node), shape, axes, keepdim)
    # PyTorch's std_backward: var_backward of grad / (2 * std), 0 where std is 0
    g = (_restore(grad, shape, axes, keepdim) / (out * 2)).masked_fill(out == 0, 0)
    return _var_backward(g, x, shape, axes, corr)


@export("torch", "Tensor")
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance with Bessel's correction by default."""
    return _moment(input, dim, unbiased, keepdim, correction, "var")


@export("torch", "Tensor")
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation with Bessel's correction by default."""
    return _moment(input, dim, unbiased, keepdim, correction, "std")


def _moment(input, dim, unbiased, keepdim, correction, name, label=None):
    dim, unbiased, correction, keepdim = _var_args(dim, unbiased, correction, keepdim)
    if input.dtype.category < FLOATING:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    corr = _correction(unbiased, correction)
    axes = _axes(input, dim, name)
    xd = input._data
    xp = xp_of(xd)
    n = _count(xd.shape, axes)
    fn = xp.var if name == "var" else xp.std
    xw = dense_as_float(input)                  # NumPy's x - mean, for every element
    if n - corr <= 0:
        warnings.warn(f"{label or name}(): degrees of freedom is <= 0. Correction should be "
                      "strictly less than the reduction factor (input numel divided by output "
                      "numel).",
                      UserWarning, stacklevel=3)
    acc = sum_accumulator(input.dtype, xd.size)
    r = fn(xw, axis=axes, dtype=acc, keepdims=keepdim, ddof=0) if n - corr > 0 else None
    if r is None:
        r = xp.full(xp.sum(xd, axis=axes, keepdims=keepdim).shape, np.nan, dtype=xd.dtype)
    elif corr:
        scale = n / (n - corr)
        r = r * scale if name == "var" else r * np.sqrt(scale)
    r = wrap(xp.asarray(r).astype(xd.dtype, copy=False))
    return record_if(VarBackward0 if name == "var" else StdBackward0, r, (input,),
                     (xd.shape, axes, keepdim, corr), save=(input,), save_out=name == "std")


@derivative
def LinalgVectorNormBackward0(node, grad):
    x, = node.saved
    shape, axes, keepdim, p = node.params
    if p == 0:
        return None         # a count of non-zeros: PyTorch's backward gives x no gradient
    return norm_backward(_restore(grad, shape, axes, keepdim), x,
                         _restore(saved_output(node), shape, axes, keepdim), p, axes)


def norm_backward(g, x, norm, p, axes=None):
    """The gradient of the p-norm `norm` of x (over axes, kept as size-1 dims) for g."""
    if p == 2:
        return g * (x / norm).masked_fill(norm == 0, 0)   # PyTorch's norm_backward
    if p == 1:
        return g * x.sign()
    if p == math.inf or p == -math.inf:
        mask = x.abs() == norm
        return g * x.sign() * mask / mask.sum(dim=axes, keepdim=True)
    return g * x.sign() * x.abs().pow(p - 1) / norm.pow(p - 1)


def norm(input, p="fro", dim=None, keepdim=False):
    """Vector p-norm over all elements or the given dims ('fro' = 2), of a complex tensor's
    real dtype (torch.norm and linalg.vector_norm: norms.py)."""
    if p == "fro" or p is None:
        p = 2
    if isinstance(p, str):
        raise RuntimeError(f"norm(): unsupported norm type {p!r}")
    if input.dtype.category < FLOATING:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {input.dtype.short}")
    axes = _axes(input, dim, "norm")
    xd = dense(input)                           # |x| first
    xp = xp_of(xd)
    a = xp.abs(xd)
    out_np = a.dtype
    if input.dtype in _HALVES:
        a = a.astype(np.float32)   # PyTorch's opmath: a half's squares do not overflow
    acc = sum_accumulator(input.dtype, xd.size)
    if p in (math.inf, -math.inf) and not xd.size:      # max/min have no identity
        if axes is None:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {p} norm on an empty "
                               "tensor because the operation does not have an identity")
        for d in axes:
            if xd.shape[d] == 0:     # (sic: PyTorch's text has no space after the dim)
                raise RuntimeError(f"linalg.vector_norm cannot compute the {p} norm on the "
                                   f"dimension {d}because this dimension is empty and the "
                                   "operation does not have an identity")
    if p == math.inf:
        r = xp.max(a, axis=axes, keepdims=keepdim)
    elif p == -math.inf:
        r = xp.min(a, axis=axes, keepdims=keepdim)
    elif p == 0:
        r = xp.sum(a != 0, axis=axes, keepdims=keepdim)
    elif p == 2:
        r = xp.sqrt(xp.sum(a * a, axis=axes, dtype=acc, keepdims=keepdim))
    else:
        r = xp.sum(a ** p, axis=axes, dtype=acc, keepdims=keepdim) ** (1.0 / p)
    r = wrap(xp.asarray(r).astype(out_np, copy=False))
    return record_if(LinalgVectorNormBackward0, r, (input,), (xd.shape, axes, keepdim, p),
                     save=(input,), save_out=True)


# ---- logical reductions and counting -------------------------------------------------------

@export("torch", "Tensor")
def all(input, dim=None, keepdim=False):
    """True where every element (along dim) is non-zero."""
    axes = _axes(input, dim, "all")
    r = xp_of(input._data).all(input._data, axis=axes, keepdims=keepdim)
    return wrap(r.astype(np.uint8) if input._data.dtype == np.uint8 else r)


@export("torch", "Tensor")
def any(input, dim=None, keepdim=False):
    """True where some element (along dim) is non-zero."""
    axes = _axes(input, dim, "any")
    r = xp_of(input._data).any(input._data, axis=axes, keepdims=keepdim)
    return wrap(r.astype(np.uint8) if input._data.dtype == np.uint8 else r)


@export("torch", "Tensor")
def count_nonzero(input, dim=None):
    axes = _axes(input, dim, "count_nonzero")
    xd = input._data if axes is None else dense(input, 1)   # along dims: NumPy's x != 0
    xp = xp_of(xd)
    return wrap(xp.asarray(xp.count_nonzero(xd, axis=axes)).astype(np.int64))


# ---- logsumexp -----------------------------------------------------------------------------

@derivative
def LogsumexpBackward0(node, grad):
    x, = node.saved
    axes, keepdim = node.params
    r = saved_output(node)
    if not keepdim:
        for a in sorted(axes):
            grad, r = grad.unsqueeze(a), r.unsqueeze(a)
    return grad * (x - r).exp().conj()


@export("torch", "Tensor")
def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) computed stably."""
    x = input.detach()
    if x.dtype.category < FLOATING:
        x = x.to(DEFAULTS.float_dtype)          # PyTorch: integers give a float result
    if not x._data.size:                        # nothing to shift by: log(0) = -inf
        r = x.exp().sum(dim, keepdim=keepdim).log()
    else:
        m = x.amax(dim, keepdim=True)
        m = m.masked_fill(m.isinf(), 0.0)
        r = (x - m).exp().sum(dim, keepdim=True).log() + m
        r = r if keepdim else r.squeeze(dim) if isinstance(dim, int) else r.sum(dim)
    axes = _axes(input, dim, "logsumexp")
    axes = tuple(range(input._data.ndim)) if axes is None else axes
    return record_if(LogsumexpBackward0, wrap(r._data), (input,), (axes, keepdim),
                     save=(input,), save_out=True)


@export("Tensor")
def sum_to_size(input, *size):
    """Sum a broadcast tensor down to `size` (the inverse of expand)."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    axes = broadcast_axes(input._data.shape, shape)
    if not axes:
        return input
    r = input.sum(dim=axes, keepdim=True)
    return r.reshape(shape) if input._data.ndim != len(shape) else r


# ---- NaN-ignoring sums ----------------------------------------------------------------------

@derivative(base=_Reduction)
def NansumBackward0(node, grad):
    x, = node.saved
    shape, axes, keepdim = node.params
    return _restore(grad, shape, axes, keepdim) * x.isnan().logical_not()


@export("torch", "Tensor")
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum treating NaN as 0."""
    axes = _axes(input, dim, "nansum")
    xd = dense(input) if input.dtype.category >= FLOATING else input._data   # NaN -> 0
    dt = to_dtype(dtype, fn="nansum") if dtype is not None else int_to_long(input.dtype)
    clean = xp_of(xd).where(xp_of(xd).isnan(xd), 0, xd) if xd.dtype.kind not in "biu" else xd
    r = wrap(xp_of(xd).asarray(accurate_sum(clean, axes, dt, keepdim)))
    return record_if(NansumBackward0, r, (input,), (xd.shape, axes, keepdim), save=(input,))


@export("torch", "Tensor")
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """Mean of the elements that are not NaN."""
    dt = to_dtype(dtype, fn="nanmean") if dtype is not None else input.dtype
    if dt.category < FLOATING:
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype "
                           f"but got {dt.short}")
    x = input if dtype is None else input.to(dt)
    return nansum(x, dim, keepdim) / x.isnan().logical_not().sum(dim, keepdim)


# ---- var_mean / std_mean / aminmax: one node, two outputs --------------------------------

def _two_outputs(node_cls, first, second, inputs, params, save_out=False):
    """Record first and second as outputs 0 and 1 of one node_cls node (when grad mode is on
    and an input requires grad)."""
    node = record_if(node_cls, first, inputs, params, save=inputs, save_out=save_out)._fn
    if node is not None:
        second._fn, second._nr, second._rg = node, 1, True
    if Duals:
        propagate_outputs(node_cls, (first, second), inputs, params, inputs,
                          save_out=save_out)


def _moment_mean_backward(node, grads, moment_backward):
    """The gradient of (var or std, mean): moment_backward's for the first output (the
    single-output node's backward, over the same params) plus mean's for the second."""
    # Read first, as PyTorch's node does: a changed input is an error whichever output has a
    # gradient.
    node.saved  # noqa: B018
    g_moment, g_mean = grads
    r = None if g_moment is None else moment_backward(node, g_moment)
    if g_mean is not None:
        shape, axes, keepdim, _ = node.params
        gm = _restore(g_mean, shape, axes, keepdim) / _count(shape, axes)
        r = gm if r is None else r + gm
    return r


@derivative(n_outputs=2)
def VarMeanBackward0(node, grads):
    return _moment_mean_backward(node, grads, VarBackward0.backward)


@derivative(n_outputs=2)
def StdMeanBackward0(node, grads):
    return _moment_mean_backward(node, grads, StdBackward0.backward)


def _moment_mean(input, dim, unbiased, keepdim, correction, name):
    if input.dtype.category < FLOATING:
        raise RuntimeError(f"{name}_mean only support floating point and complex dtypes")
    dim, unbiased, correction, keepdim = _var_args(dim, unbiased, correction, keepdim)
    x = input.detach()
    moment = _moment(x, dim, unbiased, keepdim, correction, name, name + "_mean")
    avg = mean(x, dim, keepdim)
    _two_outputs(VarMeanBackward0 if name == "var" else StdMeanBackward0, moment, avg, (input,),
                 (input._data.shape, _axes(input, dim, name), keepdim,
                  _correction(unbiased, correction)), save_out=name == "std")
    return moment, avg


@export("torch")
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) in one pass."""
    return _moment_mean(input, dim, unbiased, keepdim, correction, "var")


@export("torch")
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) in one pass."""
    return _moment_mean(input, dim, unbiased, keepdim, correction, "std")


@derivative(n_outputs=2)
def AminmaxBackward0(node, grads):
    x, = node.saved
    shape, axes, keepdim = node.params
    r = None
    for g, extreme in zip(grads, (x.amin, x.amax)):
        if g is None:
            continue
        mask = x == extreme(axes if axes is not None else (), keepdim=True)
        part = _restore(g, shape, axes, keepdim) * mask / mask.sum(dim=axes, keepdim=True)
        r = part if r is None else r + part
    return r


@export("torch", "Tensor")
def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) together, over all elements or along dim."""
    xd = input._data
    xp = xp_of(xd)
    axes = None if dim is None else (wrap_dim(dim, xd.ndim, "aminmax"),)
    if not xd.size:
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    lo = wrap(xp.asarray(xp.min(xd, axis=axes, keepdims=keepdim)))
    hi = wrap(xp.asarray(xp.max(xd, axis=axes, keepdims=keepdim)))
    _two_outputs(AminmaxBackward0, lo, hi, (input,), (xd.shape, axes, keepdim))
    return return_types.aminmax(lo, hi)
