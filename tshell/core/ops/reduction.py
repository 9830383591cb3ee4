"""Reductions: sum mean prod max min argmax argmin std var norm cumsum all any."""
from __future__ import annotations

import math

import numpy as np

from ..autograd import GradMode, Node, broadcast_axes
from ..backend import xp_of
from ..dtypes import FLOATING, FROM_NUMPY, INTEGRAL, TorchClass, int64, to_dtype
from ..tensor import Tensor, record, saved_output, wrap
from .. import printing
from .common import accumulator, half_as_float, wrap_dims, wrap_dim


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


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum of elements, over all or the given dims."""
    axes = _axes(input, dim, "sum")
    xd = input._data
    dt = to_dtype(dtype, fn="sum") if dtype is not None else _int_to_long(FROM_NUMPY[xd.dtype])
    r = wrap(xd.sum(axes, dt.np, None, keepdim))   # positional: NumPy parses them faster
    if GradMode.enabled and input._rg:
        node = SumBackward0 if dim is None else SumBackward1
        record(node, r, (input,), (xd.shape, axes, keepdim))
    return _out(r, out, "sum", input)


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


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Arithmetic mean; floating-point input only, as in PyTorch."""
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
    return _out(r, out, "mean", input)


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
                self.kind, [("values", repr(self[0])), ("indices", repr(self[1]))])

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
        from .indexing import scatter_into_zeros
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


def _moment(input, dim, unbiased, keepdim, correction, name):
    dim, unbiased, correction, keepdim = _var_args(dim, unbiased, correction, keepdim)
    if input.dtype.category < FLOATING:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    corr = _correction(unbiased, correction)
    axes = _axes(input, dim, name)
    xd = input._data
    xp = xp_of(xd)
    n = _count(xd.shape, axes)
    fn = xp.var if name == "var" else xp.std
    xw = half_as_float(xd)
    if n - corr <= 0:
        import warnings
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly "
                      "less than the reduction factor (input numel divided by output numel).",
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
    xd = input._data
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
    xd = input._data
    acc = accumulator(dt)
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
    xd = input._data
    acc = accumulator(dt)
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
    xp = xp_of(input._data)
    return wrap(xp.asarray(xp.count_nonzero(input._data, axis=axes)).astype(np.int64))


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


def _out(r, out, fn, input):
    if out is None:
        return r
    from .pointwise import _finish_out
    return _finish_out(r, out, fn, (input,))


# ---- sorting -------------------------------------------------------------------------------

class SortBackward0(Node):
    """sort/topk: each value's gradient goes back to the position it came from."""
    __slots__ = ()

    def backward(self, grad):
        indices, = self.saved
        shape, dim = self.params
        from .indexing import scatter_into_zeros
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
    idx = _argsort(input._data, d, descending)
    return _sorted_pair(input, idx, d, SortBackward0, return_types.sort)


def argsort(input, dim=-1, descending=False, stable=False):
    d = wrap_dim(dim, input._data.ndim, "argsort")
    return wrap(_argsort(input._data, d, descending).astype(np.int64))


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (or smallest) values along dim, with their indices."""
    if input._data.dtype == np.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = wrap_dim(dim, input._data.ndim, "topk")
    n = input._data.shape[d] if input._data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    idx = _argsort(input._data, d, largest)
    idx = xp_of(idx).take(idx, range(k), axis=d) if input._data.ndim else idx
    return _sorted_pair(input, idx, d, TopkBackward0, return_types.topk)
