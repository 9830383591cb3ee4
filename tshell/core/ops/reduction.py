"""Reductions: sum mean prod max min argmax argmin std var norm cumsum all any."""
from __future__ import annotations

import math

import numpy as np

from ..autograd import GradMode, Node, broadcast_axes
from ..backend import backend_of, xp_of
from ..dtypes import FLOATING, FROM_NUMPY, INTEGRAL, TorchClass, int64, to_dtype
from ..tensor import Tensor, record, saved_output, wrap
from .. import limits, printing
from .common import (accumulator, dense, dense_as_float, finish_out, half_as_float, wrap_dims,
                     wrap_dim)


def _axes(x, dim, fn):
    """Normalised reduction axes (None = all) as a tuple for NumPy."""
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        return None
    return wrap_dims(dim, x._data.ndim, fn)


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


def _int_to_long(dt):
    return int64 if dt.category <= INTEGRAL else dt


# ---- sum / mean / prod -------------------------------------------------------------------

class SumBackward0(_Reduction):
    __slots__ = ()

    def backward(self, grad):
        shape, axes, keepdim = self.params
        return _restore(grad, shape, axes, keepdim)


class SumBackward1(SumBackward0):
    __slots__ = ()


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None, keepdims=None):
    """Sum of elements, over all or the given dims (keepdims: NumPy's name of keepdim, which
    PyTorch takes too)."""
    if keepdims is not None:
        keepdim = keepdims
    axes = _axes(input, dim, "sum")
    xd = input._data
    dt = to_dtype(dtype, fn="sum") if dtype is not None else _int_to_long(FROM_NUMPY[xd.dtype])
    r = wrap(xd.sum(axes, dt.np, None, keepdim))   # positional: NumPy parses them faster
    if GradMode.enabled and input._rg:
        node = SumBackward0 if dim is None else SumBackward1
        record(node, r, (input,), (xd.shape, axes, keepdim))
    return finish_out(r, out, "sum", (input,))


class MeanBackward0(_Reduction):
    __slots__ = ()

    def backward(self, grad):
        shape, axes, keepdim = self.params
        n = _count(shape, axes)
        if not GradMode.enabled:       # nothing recorded: divide the reduced gradient first
            return _restore(grad, shape, axes, keepdim, n)
        return _restore(grad, shape, axes, keepdim) / n


class MeanBackward1(MeanBackward0):
    __slots__ = ()


def _count(shape, axes):
    if axes is None:
        return math.prod(shape)
    return math.prod(shape[a] for a in axes)


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
    total = xd.sum(axes, dt.np, None, keepdim)   # positional: NumPy parses them faster
    r = wrap(total / n if n else total * np.nan)
    if r._data.dtype != dt.np:
        r._data = r._data.astype(dt.np)
    if GradMode.enabled and input._rg:
        node = MeanBackward0 if dim is None else MeanBackward1
        record(node, r, (input,), (xd.shape, axes, keepdim))
    return finish_out(r, out, "mean", (input,))


class ProdBackward0(_Reduction):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        shape, axes, keepdim = self.params
        out = saved_output(self)
        g = _restore(grad, shape, axes, keepdim)
        if not (x._data == 0).any():
            return g * (_restore(out, shape, axes, keepdim) / x)   # PyTorch's prod_backward
        # With zeros, divide-by-x fails: take the product of the other elements directly.
        return g * _prod_of_others(x, axes)


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


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product of elements."""
    if isinstance(dim, (tuple, list)):
        raise TypeError("prod(): argument 'dim' must be int, not tuple")
    axes = _axes(input, dim, "prod")
    dt = to_dtype(dtype, fn="prod") or _int_to_long(input.dtype)
    xd = input._data
    r = wrap(xp_of(xd).prod(xd, axis=axes, keepdims=keepdim, dtype=dt.np))
    if GradMode.enabled and input._rg:
        node = ProdBackward0 if dim is None else ProdBackward1
        record(node, r, (input,), (xd.shape, axes, keepdim), save=(input,), save_out=True)
    return r


# ---- max / min -----------------------------------------------------------------------------

class return_types:
    """torch.return_types: named pairs of (values, indices) that unpack like tuples."""

    class _Pair(tuple, metaclass=TorchClass):
        __slots__ = ()
        kind = ""
        fields = ("values", "indices")

        def __new__(cls, values, indices):
            return tuple.__new__(cls, (values, indices))

        @property
        def values(self):
            return self[0]

        @property
        def indices(self):
            return self[1]

        def __repr__(self):
            return printing.return_types_repr(
                self.kind, [(self.fields[0], repr(self[0])), (self.fields[1], repr(self[1]))])

        __str__ = __repr__

    class max(_Pair):
        __slots__ = ()
        kind = "max"

    class min(_Pair):
        __slots__ = ()
        kind = "min"

    class sort(_Pair):
        __slots__ = ()
        kind = "sort"

    class topk(_Pair):
        __slots__ = ()
        kind = "topk"

    class mode(_Pair):
        __slots__ = ()
        kind = "mode"

    class median(_Pair):
        __slots__ = ()
        kind = "median"

    class nanmedian(_Pair):
        __slots__ = ()
        kind = "nanmedian"

    class kthvalue(_Pair):
        __slots__ = ()
        kind = "kthvalue"

    class cummax(_Pair):
        __slots__ = ()
        kind = "cummax"

    class cummin(_Pair):
        __slots__ = ()
        kind = "cummin"

    class aminmax(_Pair):
        __slots__ = ()
        kind = "aminmax"
        fields = ("min", "max")
        min = property(lambda self: self[0])
        max = property(lambda self: self[1])


class MaxBackward1(Node):
    """Full max/min: the gradient is shared evenly among the tied extreme elements."""
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        out = saved_output(self)
        mask = x == out
        return mask * (grad / mask.sum())


class MinBackward1(MaxBackward1):
    __slots__ = ()


class MaxBackward0(Node):
    """max/min along a dim: the gradient goes to the index that was picked."""
    __slots__ = ()

    def backward(self, grad):
        indices, = self.saved
        shape, dim, keepdim = self.params
        from .scatter import scatter_into_zeros
        if not keepdim:
            grad = grad.unsqueeze(dim)
            indices = indices.unsqueeze(dim)
        return scatter_into_zeros(grad, shape, dim, indices)


class MinBackward0(MaxBackward0):
    __slots__ = ()


def _extreme(name, input, dim, keepdim, other, out):
    if other is not None:
        from .pointwise import maximum, minimum
        return (maximum if name == "max" else minimum)(input, other)
    xd = input._data
    xp = xp_of(xd)
    if dim is None:
        if xd.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        r = wrap((xp.max if name == "max" else xp.min)(xd))
        if GradMode.enabled and input._rg:
            record(MaxBackward1 if name == "max" else MinBackward1, r, (input,),
                   save=(input,), save_out=True)
        return r
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
    if GradMode.enabled and input._rg:
        record(MaxBackward0 if name == "max" else MinBackward0, values, (input,),
               (xd.shape, d, keepdim or not xd.ndim), save=(indices,))
    pair = (return_types.max if name == "max" else return_types.min)(values, indices)
    if out is not None:
        out[0]._data, out[1]._data = values._data, indices._data
    return pair


def max(input, dim=None, keepdim=False, *, out=None):
    """Largest element; with dim, (values, indices); with a tensor, elementwise maximum."""
    other = dim if isinstance(dim, Tensor) else None
    return _extreme("max", input, None if other is not None else dim, keepdim, other, out)


def min(input, dim=None, keepdim=False, *, out=None):
    """Smallest element; with dim, (values, indices); with a tensor, elementwise minimum."""
    other = dim if isinstance(dim, Tensor) else None
    return _extreme("min", input, None if other is not None else dim, keepdim, other, out)


class AmaxBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        shape, axes, keepdim = self.params
        out = _restore(saved_output(self), shape, axes, keepdim)
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


def amax(input, dim=(), keepdim=False):
    axes = _axes(input, dim, "amax")
    _check_identity(input._data, axes, "amax")
    r = wrap(xp_of(input._data).max(input._data, axis=axes, keepdims=keepdim))
    if GradMode.enabled and input._rg:
        record(AmaxBackward0, r, (input,), (input._data.shape, axes, keepdim), save=(input,),
               save_out=True)
    return r


def amin(input, dim=(), keepdim=False):
    axes = _axes(input, dim, "amin")
    _check_identity(input._data, axes, "amin")
    r = wrap(xp_of(input._data).min(input._data, axis=axes, keepdims=keepdim))
    if GradMode.enabled and input._rg:
        record(AminBackward0, r, (input,), (input._data.shape, axes, keepdim), save=(input,),
               save_out=True)
    return r


def argmax(input, dim=None, keepdim=False):
    """Index of the largest element (of the flattened tensor when dim is None)."""
    return _arg(input, dim, keepdim, "argmax")


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


class VarBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        shape, axes, keepdim, corr = self.params
        return _var_backward(_restore(grad, shape, axes, keepdim), x, shape, axes, corr)


def _var_backward(g, x, shape, axes, corr):
    """PyTorch's var_backward: (2 / dof) * grad * (x - mean), NaN when dof <= 0."""
    dof = _count(shape, axes) - corr
    if dof <= 0:
        return g * float("nan")
    return g * (2.0 / dof) * (x - x.mean(dim=axes, keepdim=True))


class StdBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        shape, axes, keepdim, corr = self.params
        out = _restore(saved_output(self), shape, axes, keepdim)
        # PyTorch's std_backward: var_backward of grad / (2 * std), 0 where std is 0
        g = (_restore(grad, shape, axes, keepdim) / (out * 2)).masked_fill(out == 0, 0)
        return _var_backward(g, x, shape, axes, corr)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance with Bessel's correction by default."""
    return _moment(input, dim, unbiased, keepdim, correction, "var")


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
        import warnings
        warnings.warn(f"{label or name}(): degrees of freedom is <= 0. Correction should be "
                      "strictly less than the reduction factor (input numel divided by output "
                      "numel).",
                      UserWarning, stacklevel=3)
    r = fn(xw, axis=axes, keepdims=keepdim, ddof=0) if n - corr > 0 else None
    if r is None:
        r = xp.full(xp.sum(xd, axis=axes, keepdims=keepdim).shape, np.nan, dtype=xd.dtype)
    elif corr:
        scale = n / (n - corr)
        r = r * scale if name == "var" else r * np.sqrt(scale)
    r = wrap(xp.asarray(r).astype(xd.dtype, copy=False))
    if GradMode.enabled and input._rg:
        node = VarBackward0 if name == "var" else StdBackward0
        record(node, r, (input,), (xd.shape, axes, keepdim, corr), save=(input,),
               save_out=name == "std")
    return r


class LinalgVectorNormBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        shape, axes, keepdim, p = self.params
        norm = _restore(saved_output(self), shape, axes, keepdim)
        g = _restore(grad, shape, axes, keepdim)
        if p == 2:
            return g * (x / norm).masked_fill(norm == 0, 0)   # PyTorch's norm_backward
        if p == 1:
            return g * x.sign()
        if p == math.inf or p == -math.inf:
            mask = x.abs() == norm
            return g * x.sign() * mask / mask.sum(dim=axes, keepdim=True)
        return g * x.sign() * x.abs().pow(p - 1) / norm.pow(p - 1)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """Vector p-norm over all elements or the given dims ('fro' = 2)."""
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
        r = xp.sum(a != 0, axis=axes, keepdims=keepdim).astype(xd.dtype)
    elif p == 2:
        r = xp.sqrt(xp.sum(a * a, axis=axes, keepdims=keepdim))
    else:
        r = xp.sum(a ** p, axis=axes, keepdims=keepdim) ** (1.0 / p)
    r = wrap(xp.asarray(r).astype(xd.dtype, copy=False))
    if GradMode.enabled and input._rg:
        record(LinalgVectorNormBackward0, r, (input,), (xd.shape, axes, keepdim, p),
               save=(input,), save_out=True)
    return r


# ---- scans and logical reductions ----------------------------------------------------------

class CumsumBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        d, = self.params
        # Reverse cumulative sum: total minus the running sum before each element.
        return grad.sum(d, keepdim=True) - grad.cumsum(d) + grad


def cumsum(input, dim, *, dtype=None):
    """Running sum along dim."""
    d = wrap_dim(dim, input._data.ndim, "cumsum")
    dt = to_dtype(dtype, fn="cumsum") or _int_to_long(input.dtype)
    acc = accumulator(dt)
    xd = dense(input, 4 if acc is np.float32 else dt.itemsize)   # half: summed in float
    r = wrap(xp_of(xd).cumsum(xd, axis=d if xd.ndim else None, dtype=acc).reshape(xd.shape)
             .astype(dt.np, copy=False))
    if GradMode.enabled and input._rg:
        record(CumsumBackward0, r, (input,), (d,))
    return r


class CumprodBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        d, = self.params
        out = saved_output(self)
        if x._data.ndim == 0 or x._data.shape[d] == 1:
            return grad
        if not (x._data == 0).any():
            # d out_j / d x_i = out_j / x_i for j >= i: a reverse cumulative sum
            return (grad * out).flip(d).cumsum(d).flip(d) / x
        return wrap(_cumprod_grad_with_zeros(grad._data, x._data, d))


def _cumprod_grad_with_zeros(g, x, d):
    """Exact gradient of cumprod where x has zeros: sum over j >= i of g_j times the product
    of x_k for k <= j, k != i (one n x n table per slice along d)."""
    xp = xp_of(x)
    gm, xm = xp.moveaxis(g, d, -1), xp.moveaxis(x, d, -1)
    n = xm.shape[-1]
    k = xp.arange(n)
    # factors[..., i, k] = x_k, with x_i replaced by 1
    factors = xp.broadcast_to(xm[..., None, :], xm.shape[:-1] + (n, n)).copy()
    factors[..., k, k] = 1
    partial = xp.cumprod(factors, axis=-1)               # [..., i, j]: prod_{k<=j, k!=i}
    upper = k[None, :] >= k[:, None]                     # j >= i
    r = (partial * upper * gm[..., None, :]).sum(-1)
    return xp.moveaxis(r, -1, d)


def cumprod(input, dim, *, dtype=None):
    """Running product along dim."""
    d = wrap_dim(dim, input._data.ndim, "cumprod")
    dt = to_dtype(dtype, fn="cumprod") or _int_to_long(input.dtype)
    acc = accumulator(dt)
    xd = dense(input, 4 if acc is np.float32 else dt.itemsize)   # half: summed in float
    r = wrap(xp_of(xd).cumprod(xd, axis=d if xd.ndim else None, dtype=acc)
             .reshape(xd.shape).astype(dt.np, copy=False))
    if GradMode.enabled and input._rg and dt.category >= FLOATING:
        record(CumprodBackward0, r, (input,), (d,), save=(input,), save_out=True)
    return r


def all(input, dim=None, keepdim=False):
    """True where every element (along dim) is non-zero."""
    axes = _axes(input, dim, "all")
    r = xp_of(input._data).all(input._data, axis=axes, keepdims=keepdim)
    return wrap(r.astype(np.uint8) if input._data.dtype == np.uint8 else r)


def any(input, dim=None, keepdim=False):
    """True where some element (along dim) is non-zero."""
    axes = _axes(input, dim, "any")
    r = xp_of(input._data).any(input._data, axis=axes, keepdims=keepdim)
    return wrap(r.astype(np.uint8) if input._data.dtype == np.uint8 else r)


def count_nonzero(input, dim=None):
    axes = _axes(input, dim, "count_nonzero")
    xd = input._data if axes is None else dense(input, 1)   # along dims: NumPy's x != 0
    xp = xp_of(xd)
    return wrap(xp.asarray(xp.count_nonzero(xd, axis=axes)).astype(np.int64))


class LogsumexpBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        axes, keepdim = self.params
        r = saved_output(self)
        if not keepdim:
            for a in sorted(axes):
                grad, r = grad.unsqueeze(a), r.unsqueeze(a)
        return grad * (x - r).exp()


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) computed stably."""
    x = input.detach()
    if x.dtype.category < FLOATING:
        from ..dtypes import DEFAULTS
        x = x.to(DEFAULTS.float_dtype)          # PyTorch: integers give a float result
    if not x._data.size:                        # nothing to shift by: log(0) = -inf
        r = x.exp().sum(dim, keepdim=keepdim).log()
    else:
        m = x.amax(dim, keepdim=True)
        m = m.masked_fill(m.isinf(), 0.0)
        r = (x - m).exp().sum(dim, keepdim=True).log() + m
        r = r if keepdim else r.squeeze(dim) if isinstance(dim, int) else r.sum(dim)
    if GradMode.enabled and input._rg:
        r = wrap(r._data)
        axes = _axes(input, dim, "logsumexp")
        axes = tuple(range(input._data.ndim)) if axes is None else axes
        record(LogsumexpBackward0, r, (input,), (axes, keepdim), save=(input,), save_out=True)
    return r


def sum_to_size(input, *size):
    """Sum a broadcast tensor down to `size` (the inverse of expand)."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    axes = broadcast_axes(input._data.shape, shape)
    if not axes:
        return input
    r = input.sum(dim=axes, keepdim=True)
    return r.reshape(shape) if input._data.ndim != len(shape) else r


# ---- sorting -------------------------------------------------------------------------------

class SortBackward0(Node):
    """sort/topk: each value's gradient goes back to the position it came from."""
    __slots__ = ()

    def backward(self, grad):
        indices, = self.saved
        shape, dim = self.params
        from .scatter import scatter_into_zeros
        return scatter_into_zeros(grad, shape, dim, indices)


class TopkBackward0(SortBackward0):
    __slots__ = ()


def _sorted_pair(input, idx, d, node_cls, kind):
    xd = input._data
    xp = xp_of(xd)
    vals = xp.take_along_axis(xd, idx, axis=d) if xd.ndim else xd.copy()
    values, indices = wrap(vals), wrap(idx.astype(np.int64))
    if GradMode.enabled and input._rg:
        record(node_cls, values, (input,), (xd.shape, d), save=(indices,))
    return kind(values, indices)


def _argsort(xd, d, descending):
    xp = xp_of(xd)
    if not xd.ndim:
        return xp.zeros((), dtype=np.int64)
    if descending:
        # Stable descending order: sort the reversed array, then map indices back.
        rev = xp.flip(xd, axis=d)
        idx = xp.argsort(rev, axis=d, kind="stable")
        idx = xd.shape[d] - 1 - idx
        return xp.flip(idx, axis=d)
    return xp.argsort(xd, axis=d, kind="stable")


def sort(input, dim=-1, descending=False, stable=False):
    """Values sorted along dim, with the indices they came from."""
    d = wrap_dim(dim, input._data.ndim, "sort")
    idx = _argsort(dense(input, 8), d, descending)
    return _sorted_pair(input, idx, d, SortBackward0, return_types.sort)


def argsort(input, dim=-1, descending=False, stable=False):
    d = wrap_dim(dim, input._data.ndim, "argsort")
    return wrap(_argsort(dense(input, 8), d, descending).astype(np.int64))


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (or smallest) values along dim, with their indices."""
    if input._data.dtype == np.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = wrap_dim(dim, input._data.ndim, "topk")
    n = input._data.shape[d] if input._data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    idx = _argsort(dense(input, 8), d, largest)
    idx = xp_of(idx).take(idx, range(k), axis=d) if input._data.ndim else idx
    return _sorted_pair(input, idx, d, TopkBackward0, return_types.topk)


# ---- order statistics: median, nanmedian, kthvalue, mode ------------------------------------

class MedianBackward0(MaxBackward1):
    """Median of all elements: the gradient is shared among the elements equal to it."""
    __slots__ = ()


class NanmedianBackward0(MaxBackward1):
    __slots__ = ()


class MedianBackward1(MaxBackward0):
    """Along a dim: the gradient goes to the index that was picked."""
    __slots__ = ()


class NanmedianBackward1(MaxBackward0):
    __slots__ = ()


class KthvalueBackward0(MaxBackward0):
    __slots__ = ()


class ModeBackward0(MaxBackward0):
    __slots__ = ()


def _no_bool(input, name):
    if input._data.dtype == np.bool_:
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'Bool\'')


def _pick_sorted(input, dim, keepdim, position, node_cls, kind, name):
    """(values, indices) of the element at `position(sorted, n)` of each slice along dim,
    the slice sorted ascending with NaN last (ties keep their order)."""
    xd = input._data
    xp = xp_of(xd)
    d = wrap_dim(dim, xd.ndim, name)
    arr = xd if xd.ndim else xd.reshape(1)
    if arr.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    dense(input, 8)                             # the sort's indices: one per element
    order = xp.argsort(arr, axis=d, kind="stable")
    pos = position(xp.take_along_axis(arr, order, axis=d), d)
    idx = xp.take_along_axis(order, pos, axis=d)
    vals = xp.take_along_axis(arr, idx, axis=d)
    if not xd.ndim:
        idx, vals = idx.reshape(()), vals.reshape(())
    elif not keepdim:
        idx, vals = idx.squeeze(d), vals.squeeze(d)
    values, indices = wrap(vals), wrap(idx.astype(np.int64))
    if GradMode.enabled and input._rg:
        record(node_cls, values, (input,), (xd.shape, d, keepdim or not xd.ndim),
               save=(indices,))
    return kind(values, indices)


def _nan_count(s, d):
    """How many elements of each sorted slice are not NaN (kept as a dim of size 1)."""
    if s.dtype.kind in "biu":
        return None
    return (~xp_of(s).isnan(s)).sum(axis=d, keepdims=True)


def _median_position(skip_nan):
    def position(s, d):
        xp = xp_of(s)
        n = s.shape[d]
        keep = [1 if i == d else m for i, m in enumerate(s.shape)]
        count = _nan_count(s, d)
        if count is None:
            return xp.full(keep, (n - 1) // 2, dtype=np.int64)
        if skip_nan:                         # the lower median of the numbers (0: all NaN)
            return xp.maximum(count - 1, 0) // 2
        return xp.where(count < n, count, (n - 1) // 2)    # a NaN: the first one
    return position


def _median_all(input, skip_nan, node_cls, name):
    xd = dense(input)                           # sorted, whole
    xp = xp_of(xd)
    flat = xd.reshape(-1)
    if not flat.size:
        r = wrap(xp.asarray(np.nan, dtype=xd.dtype if xd.dtype.kind == "f" else np.float32))
    else:
        s = xp.sort(flat)
        pos = int(_median_position(skip_nan)(s.reshape(1, -1), 1).reshape(()))
        r = wrap(s[pos:pos + 1].reshape(()))      # a 0-d array on s's device
    if GradMode.enabled and input._rg:
        record(node_cls, r, (input,), save=(input,), save_out=True)
    return r


def median(input, dim=None, keepdim=False):
    """The lower median (NaN if there is one); with dim, (values, indices)."""
    _no_bool(input, "median")
    if dim is None:
        return _median_all(input, False, MedianBackward0, "median")
    return _pick_sorted(input, dim, keepdim, _median_position(False), MedianBackward1,
                        return_types.median, "median")


def nanmedian(input, dim=None, keepdim=False):
    """median ignoring NaN (NaN only where everything is)."""
    _no_bool(input, "nanmedian")
    if dim is None:
        return _median_all(input, True, NanmedianBackward0, "nanmedian")
    return _pick_sorted(input, dim, keepdim, _median_position(True), NanmedianBackward1,
                        return_types.nanmedian, "nanmedian")


def kthvalue(input, k, dim=-1, keepdim=False):
    """The k-th smallest element along dim (k from 1), with its index."""
    xd = input._data
    d = wrap_dim(dim, xd.ndim, "kthvalue")
    n = xd.shape[d] if xd.ndim else 1
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")

    def position(s, d):
        return xp_of(s).full([1 if i == d else m for i, m in enumerate(s.shape)], k - 1,
                             dtype=np.int64)
    return _pick_sorted(input, d, keepdim, position, KthvalueBackward0, return_types.kthvalue,
                        "kthvalue")


def mode(input, dim=-1, keepdim=False):
    """The most frequent value along dim (the smallest of equally frequent ones) and the
    index of its last occurrence."""
    xd = input._data
    xp = xp_of(xd)
    d = wrap_dim(dim, xd.ndim, "mode")
    arr = xd if xd.ndim else xd.reshape(1)
    if arr.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    dense(input, 8)                             # the sort's indices: one per element
    moved = xp.moveaxis(arr, d, -1)
    n = moved.shape[-1]
    flat = moved.reshape(-1, n)
    rows = xp.arange(flat.shape[0])
    order = xp.argsort(flat, axis=-1, kind="stable")
    s = xp.take_along_axis(flat, order, axis=-1)
    starts = xp.ones(s.shape, dtype=np.bool_)
    starts[:, 1:] = s[:, 1:] != s[:, :-1]
    run = xp.cumsum(starts, axis=-1) - 1 + (rows * n)[:, None]     # a number per run
    counts = xp.bincount(run.reshape(-1), minlength=flat.size)[run]
    first = xp.argmax(counts, axis=-1)            # the first (smallest) of the most frequent
    last = first + counts[rows, first] - 1        # its last occurrence: stable order
    vals = s[rows, first].reshape(moved.shape[:-1])
    idx = order[rows, last].reshape(moved.shape[:-1])
    if xd.ndim and keepdim:
        vals, idx = xp.expand_dims(vals, d), xp.expand_dims(idx, d)
    values, indices = wrap(vals), wrap(idx.astype(np.int64))
    if GradMode.enabled and input._rg:
        record(ModeBackward0, values, (input,), (xd.shape, d, keepdim or not xd.ndim),
               save=(indices,))
    return return_types.mode(values, indices)


# ---- NaN-ignoring sums ----------------------------------------------------------------------

class NansumBackward0(_Reduction):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        shape, axes, keepdim = self.params
        return _restore(grad, shape, axes, keepdim) * x.isnan().logical_not()


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """Sum treating NaN as 0."""
    axes = _axes(input, dim, "nansum")
    xd = dense(input) if input.dtype.category >= FLOATING else input._data   # NaN -> 0
    dt = to_dtype(dtype, fn="nansum") if dtype is not None else _int_to_long(input.dtype)
    clean = xp_of(xd).where(xp_of(xd).isnan(xd), 0, xd) if xd.dtype.kind not in "biu" else xd
    r = wrap(xp_of(xd).asarray(clean.sum(axes, dt.np, None, keepdim)))
    if GradMode.enabled and input._rg:
        record(NansumBackward0, r, (input,), (xd.shape, axes, keepdim), save=(input,))
    return r


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
    """Record first and second as outputs 0 and 1 of one node_cls node."""
    record(node_cls, first, inputs, params, save=inputs, save_out=save_out)
    node = first._fn
    second._fn, second._nr, second._rg = node, 1, True


class VarMeanBackward0(Node):
    __slots__ = ()
    n_outputs = 2

    def backward(self, grads):
        x, = self.saved
        shape, axes, keepdim, corr = self.params
        g_moment, g_mean = grads
        r = None
        if g_moment is not None:
            r = self.moment_grad(g_moment, x, shape, axes, keepdim, corr)
        if g_mean is not None:
            gm = _restore(g_mean, shape, axes, keepdim) / _count(shape, axes)
            r = gm if r is None else r + gm
        return r

    def moment_grad(self, g, x, shape, axes, keepdim, corr):
        return _var_backward(_restore(g, shape, axes, keepdim), x, shape, axes, corr)


class StdMeanBackward0(VarMeanBackward0):
    __slots__ = ()

    def moment_grad(self, g, x, shape, axes, keepdim, corr):
        out = _restore(saved_output(self), shape, axes, keepdim)
        g = (_restore(g, shape, axes, keepdim) / (out * 2)).masked_fill(out == 0, 0)
        return _var_backward(g, x, shape, axes, corr)


def _moment_mean(input, dim, unbiased, keepdim, correction, name):
    if input.dtype.category < FLOATING:
        raise RuntimeError(f"{name}_mean only support floating point and complex dtypes")
    dim, unbiased, correction, keepdim = _var_args(dim, unbiased, correction, keepdim)
    x = input.detach()
    moment = _moment(x, dim, unbiased, keepdim, correction, name, name + "_mean")
    avg = mean(x, dim, keepdim)
    if GradMode.enabled and input._rg:
        axes = _axes(input, dim, name)
        _two_outputs(VarMeanBackward0 if name == "var" else StdMeanBackward0, moment, avg,
                     (input,), (input._data.shape, axes, keepdim,
                                _correction(unbiased, correction)), save_out=name == "std")
    return moment, avg


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) in one pass."""
    return _moment_mean(input, dim, unbiased, keepdim, correction, "var")


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) in one pass."""
    return _moment_mean(input, dim, unbiased, keepdim, correction, "std")


class AminmaxBackward0(Node):
    __slots__ = ()
    n_outputs = 2

    def backward(self, grads):
        x, = self.saved
        shape, axes, keepdim = self.params
        r = None
        for g, extreme in zip(grads, (x.amin, x.amax)):
            if g is None:
                continue
            mask = x == extreme(axes if axes is not None else (), keepdim=True)
            part = _restore(g, shape, axes, keepdim) * mask / mask.sum(
                dim=axes, keepdim=True)
            r = part if r is None else r + part
        return r


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
    if GradMode.enabled and input._rg:
        _two_outputs(AminmaxBackward0, lo, hi, (input,), (xd.shape, axes, keepdim))
    return return_types.aminmax(lo, hi)


# ---- running extremes and logcumsumexp -------------------------------------------------------

class CummaxBackward0(Node):
    """The gradient of each running extreme goes to the element it came from."""
    __slots__ = ()

    def backward(self, grad):
        indices, = self.saved
        shape, dim = self.params
        if not shape:
            return grad
        from .scatter import scatter_add
        return scatter_add(grad.new_zeros(shape), dim, indices, grad)


class CumminBackward0(CummaxBackward0):
    __slots__ = ()


def _accumulate(xp, ufunc, arr, axis):
    """ufunc.accumulate along axis (ufunc named as in NumPy); on the host where the device's
    array module has none (CuPy lacks maximum/minimum/logaddexp.accumulate)."""
    try:
        return getattr(xp, ufunc).accumulate(arr, axis=axis)
    except NotImplementedError:
        host = backend_of(arr).to_host(arr)
        return xp.asarray(getattr(np, ufunc).accumulate(host, axis=axis))


def _running_extreme(input, dim, name):
    xd = dense(input, 8)                        # values and int64 indices, one per element
    xp = xp_of(xd)
    d = wrap_dim(dim, xd.ndim, name)
    arr = xd if xd.ndim else xd.reshape(1)
    vals = _accumulate(xp, "maximum" if name == "cummax" else "minimum", arr, d)
    pos = xp.arange(arr.shape[d]).reshape([-1 if i == d else 1 for i in range(arr.ndim)])
    # PyTorch's scan keeps the latest of equal extremes; a NaN takes over (and stays).
    hit = arr == vals
    if arr.dtype.kind not in "biu":
        hit |= xp.isnan(arr)
    idx = _accumulate(xp, "maximum", xp.where(hit, pos, 0), d).astype(np.int64)
    values, indices = wrap(vals.reshape(xd.shape)), wrap(idx.reshape(xd.shape))
    if GradMode.enabled and input._rg:
        record(CummaxBackward0 if name == "cummax" else CumminBackward0, values, (input,),
               (xd.shape, d), save=(indices,))
    return (return_types.cummax if name == "cummax" else return_types.cummin)(values, indices)


def cummax(input, dim):
    """Running maximum along dim, with the index each value came from."""
    return _running_extreme(input, dim, "cummax")


def cummin(input, dim):
    """Running minimum along dim, with the index each value came from."""
    return _running_extreme(input, dim, "cummin")


class LogcumsumexpBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        d, = self.params
        if not x._data.ndim or not x._data.size:
            return grad
        from .pointwise import where
        r = saved_output(self)
        # PyTorch's logcumsumexp_backward: the positive and negative parts of grad in log
        # space, each summed from the end with a reversed logcumsumexp (no overflow).
        lowest = float(np.finfo(half_as_float(grad._data).dtype).min)
        log_abs = grad.abs().log()

        def reverse_scan(t):
            return t.flip(d).logcumsumexp(d).flip(d)
        pos = reverse_scan(where(grad > 0, log_abs, lowest) - r) + x
        neg = reverse_scan(where(grad < 0, log_abs, lowest) - r) + x
        return pos.exp() - neg.exp()


def logcumsumexp(input, dim):
    """log(cumsum(exp(x))) along dim, computed stably."""
    xd = input._data
    if xd.dtype.kind in "biu":
        raise NotImplementedError('"logcumsumexp_out_cpu" not implemented for '
                                  f"'{input.dtype.short}'")
    xp = xp_of(xd)
    d = wrap_dim(dim, xd.ndim, "logcumsumexp")
    arr = dense_as_float(input)
    arr = arr if arr.ndim else arr.reshape(1)
    r = _accumulate(xp, "logaddexp", arr, d)
    r = wrap(r.reshape(xd.shape).astype(xd.dtype, copy=False))
    if GradMode.enabled and input._rg:
        record(LogcumsumexpBackward0, r, (input,), (d,), save=(input,), save_out=True)
    return r


# ---- differences, membership, uniques, binning ---------------------------------------------

def diff(input, n=1, dim=-1, prepend=None, append=None):
    """n-th forward difference along dim (prepend/append joined first)."""
    if not input._data.ndim:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    d = wrap_dim(dim, input._data.ndim, "diff")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    x = input
    if prepend is not None or append is not None:
        from .shape import cat
        x = cat([t for t in (prepend, input, append) if t is not None], d)
    for _ in range(n):
        m = x._data.shape[d]
        if m == 0:
            break
        hi, lo = x.narrow(d, 1, m - 1), x.narrow(d, 0, m - 1)
        x = hi.logical_xor(lo) if x._data.dtype == np.bool_ else hi - lo
    return x


def _array_of(x, like):
    if isinstance(x, Tensor):
        return dense(x, 8)                      # isin sorts both, whole, with intp indices
    return xp_of(like._data).asarray(x)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of elements is among test_elements."""
    like = elements if isinstance(elements, Tensor) else test_elements
    if not isinstance(like, Tensor):
        raise TypeError("isin() received an invalid combination of arguments - got "
                        f"({type(elements).__name__}, {type(test_elements).__name__}), but "
                        "expected one of tensors")
    e, t = _array_of(elements, like), _array_of(test_elements, like)
    xp = xp_of(e)
    return wrap(xp.asarray(xp.isin(e, t.reshape(-1), invert=invert)))


def _unique_arrays(xp, a, axis):
    try:
        return xp.unique(a, return_inverse=True, return_counts=True, axis=axis,
                         equal_nan=False)
    except TypeError:                        # array modules without equal_nan
        return xp.unique(a, return_inverse=True, return_counts=True, axis=axis)


def _unique_result(vals, inverse, counts, return_inverse, return_counts):
    out = [wrap(vals)]
    if return_inverse:
        out.append(wrap(inverse.astype(np.int64)))
    if return_counts:
        out.append(wrap(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), optionally with the inverse map and the counts."""
    xd = dense(input, 8)                        # sorted, with an int64 inverse
    xp = xp_of(xd)
    if dim is None:
        vals, inv, counts = _unique_arrays(xp, xd.reshape(-1), None)
        inv = inv.reshape(xd.shape)
    else:
        d = wrap_dim(dim, xd.ndim, "unique")
        vals, inv, counts = _unique_arrays(xp, xd, d)
        inv = inv.reshape(-1)
    return _unique_result(vals, inv, counts, return_inverse, return_counts)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Each run of equal consecutive values (or slices along dim) kept once."""
    xd = dense(input, 8)                        # flattened, with an int64 inverse
    xp = xp_of(xd)
    d = 0 if dim is None else wrap_dim(dim, xd.ndim, "unique_consecutive")
    a = xd.reshape(-1) if dim is None else xd
    m = a.shape[d] if a.ndim else 1
    if not a.size:
        empty = xp.zeros(0, dtype=np.int64)
        return _unique_result(a.copy(), xp.zeros(xd.shape if dim is None else m, np.int64),
                              empty, return_inverse, return_counts)
    rows = xp.moveaxis(a, d, 0).reshape(m, -1) if a.ndim else a.reshape(1, 1)
    starts = xp.ones(m, dtype=np.bool_)
    if m > 1:
        starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    keep = xp.nonzero(starts)[0]
    vals = xp.take(a, keep, axis=d) if a.ndim else a.copy()
    inv = xp.cumsum(starts) - 1
    inv = inv.reshape(xd.shape) if dim is None else inv
    counts = xp.diff(xp.concatenate([keep, xp.asarray([m])]))
    return _unique_result(vals, inv, counts, return_inverse, return_counts)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """Where each value would be inserted into the sorted innermost dim to keep it sorted."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError("torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to "
                               "opposites, got side of left while right was True")
        right = side == "right"
    seq = dense(sorted_sequence)                # NumPy copies a strided one
    xp = xp_of(seq)
    if sorter is not None:
        seq = xp.take_along_axis(seq, sorter._data, axis=-1)
    scalar = not isinstance(input, Tensor)
    vals = xp.asarray(input) if scalar else dense(input, 8)    # an int64 result each
    how = "right" if right else "left"
    if seq.ndim <= 1:
        r = xp.searchsorted(seq.reshape(-1), vals, side=how)
    else:
        if scalar or seq.shape[:-1] != vals.shape[:-1]:
            got = [] if scalar else list(vals.shape)
            raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension "
                               "or the first N-1 dimensions of boundaries tensor and input "
                               "value tensor must match, but we got boundaries tensor "
                               f"{list(seq.shape)} and input value tensor {got}")
        s2 = seq.reshape(-1, seq.shape[-1])
        v2 = vals.reshape(s2.shape[0], -1)
        r = xp.stack([xp.searchsorted(s2[i], v2[i], side=how) for i in range(s2.shape[0])])
        r = r.reshape(vals.shape)
    return wrap(xp.asarray(r).astype(np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each value: i with boundaries[i-1] < x <= boundaries[i] (right=False)."""
    if boundaries._data.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def histc(input, bins=100, min=0, max=0):
    """Counts in `bins` equal bins over [min, max] (the data's range when both are 0);
    values outside are left out. The result has input's dtype."""
    xd = input._data
    if xd.dtype.kind in "biu":
        raise NotImplementedError('"histogram_cpu" not implemented for '
                                  f"'{input.dtype.short}'")
    if bins <= 0:
        raise RuntimeError("torch.histc: bins must be > 0")
    xp = xp_of(xd)
    lo, hi = float(min), float(max)
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    xd = dense(input, 8)                        # flattened, then an int64 bin per element
    a = half_as_float(xd).reshape(-1)
    if lo == hi and a.size:
        finite = a[xp.isfinite(a)]
        if finite.size:
            lo, hi = float(finite.min()), float(finite.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    limits.check_result((int(bins),), xd.itemsize)
    inside = (a >= lo) & (a <= hi)
    v = a[inside]
    pos = ((v - lo) * bins / (hi - lo)).astype(np.int64)
    pos = xp.minimum(pos, bins - 1)                # the top edge belongs to the last bin
    return wrap(xp.bincount(pos, minlength=bins).astype(xd.dtype))


def bincount(input, weights=None, minlength=0):
    """How many times each non-negative integer occurs (or the sum of its weights)."""
    xd = input._data
    if xd.dtype.kind not in "iu":
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{input.dtype.short}\'')
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    xp = xp_of(xd)
    if xd.ndim != 1 or (xd.size and int(xd.min()) < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    xd = dense(input, 8)                        # NumPy's bincount copies to intp
    length = int(xd.max()) + 1 if xd.size else 0        # (max is torch.max in this module)
    limits.check_result((length if length > minlength else int(minlength),), 8)
    if weights is None:
        return wrap(xp.bincount(xd, minlength=minlength).astype(np.int64))
    w = weights._data
    if w.shape != xd.shape:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    dt = w.dtype if w.dtype.kind == "f" else np.float64
    return wrap(xp.bincount(xd, weights=w.astype(np.float64), minlength=minlength).astype(dt))
