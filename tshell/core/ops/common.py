"""Helpers shared by the op modules: argument checks and PyTorch's error texts."""
from __future__ import annotations

import warnings

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative
from ..dtypes import FLOATING, INTEGRAL, can_cast
from ..forward_ad import refuse_by_params
from ..tensor import Tensor, record_if


def dense(x, itemsize=None):
    """x's array for an op that reads every element of it (a copy, a sort, a scan, a cast...):
    refused by the memory cap when a result with one element per element of x, each of
    itemsize bytes (x's own unless given), would exceed it. x may be an expanded view whose
    memory is far smaller than its elements; views and reductions read x._data directly."""
    xd = x._data
    if xd.size > limits.SMALL:
        limits.check_dense(xd, itemsize)
    return xd


def half_as_float(a):
    """Half-precision data as float32: PyTorch computes half ops in float, rounding once."""
    return a.astype(np.float32) if _is_half(a.dtype) else a


def accurate_float32(name):
    """forward(xp, a) for NumPy's function `name` (exp, log, expm1, tanh), a float32 array
    on the CPU computed in float64 and rounded once. NumPy's float32 SIMD versions are off by
    up to ~3 ulp, which changes the last bit of 5-40% of results against PyTorch's (SLEEF's,
    within 1 ulp: printed, exp(12.) is 162754.7969, not NumPy's 162754.7812); rounded from
    float64 they are PyTorch's for about 99% of inputs, at about 3x NumPy's float32 time.
    CuPy's float32 functions are CUDA's, as PyTorch's CUDA ones: left as they are."""
    def forward(xp, a):
        if a.dtype != np.float32 or xp is not np:
            return getattr(xp, name)(a)
        if a.size > limits.SMALL:
            limits.check_result(a.shape, 8)         # the float64 intermediate
        return getattr(np, name)(a, dtype=np.float64).astype(np.float32)
    forward.__name__ = name
    return forward


def dense_as_float(x):
    """half_as_float(dense(x)), checked at the widened size."""
    return half_as_float(dense(x, 4 if _is_half(x._data.dtype) else None))


def _is_half(dt):
    return dt.itemsize == 2 and dt.kind not in "biu"


def accumulator(dt):
    """The NumPy type to accumulate dtype dt in (float32 for the half-precision types)."""
    return np.float32 if dt.itemsize == 2 and dt.category == FLOATING else dt.np


# One vector of float32 on AVX-512: PyTorch's last-dim kernels (softmax, log_softmax and their
# backward) fold a row shorter than this lane by lane, in order.
LANES = 16


# From this many rows, fold_short_rows reduces over a transposed copy (measured crossover:
# ~24 rows of 10 float32).
FOLD_FROM_ROWS = 32


def fold_short_rows(a, how):
    """a.sum / a.max (`how`: "sum" or "max") over a's last axis, of rows shorter than LANES,
    keepdims, each row folded element by element in order (PyTorch's order for such rows).

    NumPy reduces a short contiguous last axis one row at a time (7.5 us for 128 rows of 10);
    over the first axis of a transposed copy it makes one pass per column (2.3 us with the
    copy), and in order, where NumPy's own sum of a row would pair its elements. Few rows
    are cheaper row by row: max as NumPy's, sums as the last of a cumulative sum (in order).
    """
    n = a.shape[-1]
    if a.size < FOLD_FROM_ROWS * n:
        return a.max(axis=-1, keepdims=True) if how == "max" else a.cumsum(axis=-1)[..., -1:]
    columns = a.reshape(-1, n).T.copy()
    return getattr(columns, how)(axis=0).reshape(a.shape[:-1] + (1,))


def wrap_dim(dim, ndim, fn=None):
    """A dim in [-ndim, ndim) made non-negative; PyTorch's IndexError otherwise."""
    if dim.__class__ is int and -ndim <= dim < ndim:     # the common case, checked first
        return dim % ndim
    if isinstance(dim, Tensor):
        dim = int(dim)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        name = f"{fn}(): " if fn else ""
        raise TypeError(f"{name}argument 'dim' must be int, not {type(dim).__name__}")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return int(dim) % n


def wrap_dims(dims, ndim, fn=None):
    """A tuple of dims (int, tuple, list or None = all), each wrapped, no repeats."""
    if dims is None:
        return tuple(range(ndim))
    if dims.__class__ is int or isinstance(dims, (np.integer, Tensor)):
        return (wrap_dim(dims, ndim, fn),)
    out = tuple(wrap_dim(d, ndim, fn) for d in dims)
    if len(set(out)) != len(out):
        dup = next(d for d in out if out.count(d) > 1)
        raise RuntimeError(f"dim {dup} appears multiple times in the list of dims")
    return out


def broadcast_error(a_shape, b_shape):
    """PyTorch's text for shapes that do not broadcast (dims counted from the right)."""
    n = max(len(a_shape), len(b_shape))
    a = (1,) * (n - len(a_shape)) + tuple(a_shape)
    b = (1,) * (n - len(b_shape)) + tuple(b_shape)
    for i in range(n - 1, -1, -1):
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            return RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor "
                                f"b ({b[i]}) at non-singleton dimension {i}")
    return RuntimeError(f"shapes {list(a_shape)} and {list(b_shape)} cannot be broadcast")


def shape_bound(*shapes):
    """The shape shapes broadcast to. Where they do not (the op reports it), each dim's
    largest size: that bounds the casts and copies an op makes before it fails."""
    n = max(len(s) for s in shapes)
    out = [1] * n
    for s in shapes:
        for i, k in enumerate(s, n - len(s)):
            if k != 1 and out[i] != 0:
                out[i] = k if out[i] == 1 or k == 0 else max(k, out[i])
    return out


def parse_size(args, fn, name="size"):
    """Sizes given as varargs, a tuple/list or a Size: (2, 3), ((2, 3),), ([2, 3],)."""
    sequence = len(args) == 1 and isinstance(args[0], (tuple, list))
    sizes = args[0] if sequence else args
    for s in sizes:
        if s.__class__ is not int:
            return _converted_sizes(sizes, sequence, fn, name)
    return tuple(sizes)


def _converted_sizes(sizes, sequence, fn, name):
    """Sizes with a non-int among them, checked as PyTorch's argument parser checks an int
    list: it tells the list form by its first element only, so a bad first element and a
    bad later one are worded differently."""
    if sizes and not _is_size_int(sizes[0]):
        first = type(sizes[0]).__name__
        if sequence:
            raise TypeError(f"{fn}(): argument '{name}' (position 1) must be tuple of ints, but "
                            f"found element of type {first} at pos 0")
        if len(sizes) == 1:
            raise TypeError(f"{fn}(): argument '{name}' (position 1) must be tuple of ints, not "
                            f"{first}")
        raise TypeError(f"{fn}() takes 1 positional argument but {len(sizes)} were given")
    out = []
    for s in sizes:
        if not _is_size_int(s):
            raise TypeError(f"{fn}(): argument '{name}' failed to unpack the object at pos "
                            f"{len(out) + 1} with error \"type must be tuple of ints,but got "
                            f"{type(s).__name__}\"")
        out.append(int(s))
    return tuple(out)


def _is_size_int(s):
    """An int as PyTorch's int lists take one: a bool too, an integer 0-d tensor."""
    if isinstance(s, (int, np.integer)):
        return True
    return isinstance(s, Tensor) and s.ndim == 0 and s.dtype.category <= INTEGRAL


def check_sizes_nonnegative(shape):
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")


def same_device(*tensors):
    """PyTorch's error when an op mixes devices."""
    first = None
    for t in tensors:
        if isinstance(t, Tensor):
            d = t.device
            if first is None:
                first = d
            elif d != first:
                if "meta" in (d.type, first.type):
                    if t.ndim == 0 and d.type == "cpu":   # a CPU scalar goes with any device
                        continue
                    raise RuntimeError(f"Tensor on device {d} is not on the expected device "
                                       f"{first}!")
                devs = sorted({str(first), str(d)}, key=lambda s: s == "cpu")
                raise RuntimeError("Expected all tensors to be on the same device, but found "
                                   f"at least two devices, {devs[0]} and {devs[1]}!")


def require_float(x, kernel):
    """PyTorch's NotImplementedError when a floating-point kernel is given x's integer or bool
    dtype ("glu_cpu" not implemented for 'Long')."""
    if x.dtype.category < FLOATING:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{x.dtype.short}'")


# ---- out= ----------------------------------------------------------------------------------

def finish_out(result, out, fn, inputs, differentiable=True):
    """Write `result` into `out` (PyTorch resizes a wrongly-shaped out, with a warning); an
    op without a derivative (logical_and) writes into an out that requires grad, as PyTorch's
    do."""
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise TypeError(f"{fn}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if differentiable and GradMode.enabled and any(isinstance(t, Tensor) and t._rg
                                                   for t in inputs + (out,)):
        raise RuntimeError(f"{fn}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if not can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {result.dtype.short} can't be cast to the desired "
                           f"output type {out.dtype.short}")
    if out._data.shape != result._data.shape:
        if out._data.size != 0:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out._data.shape)}, which does not match the required output shape "
                f"{list(result._data.shape)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements. "
                "You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                "elements with t.resize_(0).", UserWarning, stacklevel=3)
        out._data = result._data.astype(out._data.dtype)
    else:
        out._data[...] = result._data
    out._bump()
    return out


# ---- derivatives PyTorch does not provide ------------------------------------------------

def _not_implemented(node, grad):
    raise RuntimeError(f"derivative for aten::{node.params} is not implemented")


_not_implemented.__name__ = "NotImplemented"       # PyTorch's node name, Python's builtin's
NotImplementedNode = derivative(_not_implemented, jvp=staticmethod(refuse_by_params))
NotImplementedNode.qualified_name = "torch::autograd::NotImplemented"     # its name()


def without_derivative(result, inputs, op):
    """result (a gradient being computed with create_graph=True) as the output of PyTorch's
    NotImplemented node for `op`: differentiating it again is PyTorch's error."""
    return record_if(NotImplementedNode, result, inputs, op)


def half_matmul(xp, a, b, bias=None):
    """a @ b (+ bias) for two 2-byte arrays: float16 and bfloat16 products (and the bias)
    summed in float32 and rounded once to a's dtype, as PyTorch's CPU kernels (NumPy's
    bfloat16 matmul returns float32, its float16 one rounds as it goes); int16 as it is.
    Callers test `a.itemsize != 2` first, so other dtypes pay nothing."""
    wide = a.dtype.kind not in "iu"
    r = xp.matmul(a.astype("float32"), b.astype("float32")) if wide else xp.matmul(a, b)
    if bias is not None:
        r += bias
    return r.astype(a.dtype) if wide else r


def in_dtype_of(data, operand):
    """data rounded to operand's dtype (a product computed in float32 for a half operand)."""
    if data.dtype is operand.dtype or data.dtype == operand.dtype:
        return data
    return data.astype(operand.dtype)
