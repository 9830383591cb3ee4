"""Scans along a dim: cumsum cumprod, the running extremes cummax cummin, logcumsumexp, and
diff (the forward difference, a scan's inverse)."""
from __future__ import annotations

import numpy as np

from ..autograd import derivative
from ..backend import backend_of, xp_of
from ..dtypes import FLOATING, to_dtype
from ..registry import export
from ..tensor import record_if, saved_output, wrap
from .common import accumulator, dense, dense_as_float, half_as_float, wrap_dim
from .scatter import scatter_add
from .pointwise import where
from .reduction import int_to_long
from .return_types import return_types
from .shape import cat


# ---- running sums and products --------------------------------------------------------------

def _cumsum_jvp(inputs, tangents, out, params):
    """PyTorch's formula: the tangent's running sum."""
    return tangents[0].cumsum(params[0], dtype=out.dtype)


@derivative(jvp=staticmethod(_cumsum_jvp))
def CumsumBackward0(node, grad):
    d, = node.params
    # Reverse cumulative sum: total minus the running sum before each element.
    return grad.sum(d, keepdim=True) - grad.cumsum(d) + grad


@export("torch", "Tensor", "Tensor_")
def cumsum(input, dim, *, dtype=None):
    """Running sum along dim."""
    d = wrap_dim(dim, input._data.ndim, "cumsum")
    dt = to_dtype(dtype, fn="cumsum") or int_to_long(input.dtype)
    acc = accumulator(dt)
    xd = dense(input, 4 if acc is np.float32 else dt.itemsize)   # half: summed in float
    r = wrap(xp_of(xd).cumsum(xd, axis=d if xd.ndim else None, dtype=acc).reshape(xd.shape)
             .astype(dt.np, copy=False))
    return record_if(CumsumBackward0, r, (input,), (d,))


@derivative
def CumprodBackward0(node, grad):
    x, = node.saved
    d, = node.params
    out = saved_output(node)
    if x._data.ndim == 0 or x._data.shape[d] == 1:
        return grad
    if not (x._data == 0).any():
        # d out_j / d x_i = out_j / x_i for j >= i: a reverse cumulative sum
        # (complex: conjugate Wirtinger, grad * conj(d out_j / d x_i))
        return (grad * out.conj()).flip(d).cumsum(d).flip(d) / x.conj()
    return wrap(_cumprod_grad_with_zeros(grad._data, x.conj()._data, d))


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


@export("torch", "Tensor", "Tensor_")
def cumprod(input, dim, *, dtype=None):
    """Running product along dim."""
    d = wrap_dim(dim, input._data.ndim, "cumprod")
    dt = to_dtype(dtype, fn="cumprod") or int_to_long(input.dtype)
    acc = accumulator(dt)
    xd = dense(input, 4 if acc is np.float32 else dt.itemsize)   # half: summed in float
    r = wrap(xp_of(xd).cumprod(xd, axis=d if xd.ndim else None, dtype=acc)
             .reshape(xd.shape).astype(dt.np, copy=False))
    if dt.category < FLOATING:          # an integer product has no gradient
        return r
    return record_if(CumprodBackward0, r, (input,), (d,), save=(input,), save_out=True)


# ---- running extremes and logcumsumexp -------------------------------------------------------

@derivative
def CummaxBackward0(node, grad):
    """The gradient of each running extreme goes to the element it came from."""
    indices, = node.saved
    shape, dim = node.params
    if not shape:
        return grad
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
    record_if(CummaxBackward0 if name == "cummax" else CumminBackward0, values, (input,),
              (xd.shape, d), save=(indices,))
    return (return_types.cummax if name == "cummax" else return_types.cummin)(values, indices)


@export("torch", "Tensor")
def cummax(input, dim):
    """Running maximum along dim, with the index each value came from."""
    return _running_extreme(input, dim, "cummax")


@export("torch", "Tensor")
def cummin(input, dim):
    """Running minimum along dim, with the index each value came from."""
    return _running_extreme(input, dim, "cummin")


@derivative
def LogcumsumexpBackward0(node, grad):
    x, = node.saved
    d, = node.params
    if not x._data.ndim or not x._data.size:
        return grad
    r = saved_output(node)
    # PyTorch's logcumsumexp_backward: the positive and negative parts of grad in log
    # space, each summed from the end with a reversed logcumsumexp (no overflow).
    lowest = float(np.finfo(half_as_float(grad._data).dtype).min)
    log_abs = grad.abs().log()

    def reverse_scan(t):
        return t.flip(d).logcumsumexp(d).flip(d)
    pos = reverse_scan(where(grad > 0, log_abs, lowest) - r) + x
    neg = reverse_scan(where(grad < 0, log_abs, lowest) - r) + x
    return pos.exp() - neg.exp()


@export("torch", "Tensor")
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
    return record_if(LogcumsumexpBackward0, r, (input,), (d,), save=(input,), save_out=True)


# ---- differences ----------------------------------------------------------------------------

@export("torch", "Tensor")
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """n-th forward difference along dim (prepend/append joined first)."""
    if not input._data.ndim:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    d = wrap_dim(dim, input._data.ndim, "diff")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    x = input
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, input, append) if t is not None], d)
    for _ in range(n):
        m = x._data.shape[d]
        if m == 0:
            break
        hi, lo = x.narrow(d, 1, m - 1), x.narrow(d, 0, m - 1)
        x = hi.logical_xor(lo) if x._data.dtype == np.bool_ else hi - lo
    return x
