"""Ops that move entries by an index tensor, each into a copy of the input: scatter /
scatter_add / scatter_reduce and gather, index_add / index_copy / index_fill / index_put,
masked_scatter, take / put / take_along_dim, select_scatter / slice_scatter /
diagonal_scatter, and their in-place twins (scatter_, index_add_...).

Each op: a forward on arrays (of the data's array module), a grad_fn named as PyTorch names
it whose backward is written with tensor ops (so create_graph=True differentiates it again),
PyTorch's argument checks and texts. The in-place twins run the out-of-place op through
inplace.apply_inplace (version counter, leaf checks, history).
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative
from ..backend import xp_of
from ..dtypes import COMPLEX, TYPEMETA_NAMES, bool_, check_fits
from ..meta import has_values
from ..registry import export
from ..tensor import Duals, Tensor, record_if, wrap
from .common import broadcast_error, dense, wrap_dim
from .indexing import (_check_device_index, _dim_size, _first_out_of_range, _opt_int,
                       _select_position, _translate, _ufunc_at, getitem, masked_fill,
                       masked_select, normalise_index, select)
from .inplace import apply_inplace
from .pointwise import not_implemented_node, times_number, where
from .shape import _WARNED_ONCE, _diag_dims, _diagonal_array, cat, diagonal


def scatter_into_zeros(grad, shape, dim, indices):
    """Zeros of shape with grad placed at indices along dim (max/min/sort backward)."""
    gd = grad._data
    xp = xp_of(gd)
    z = xp.zeros(shape, dtype=gd.dtype)
    if len(shape) == 0:
        return grad.reshape(())
    z[_along_axis_index(indices._data, dim, xp)] = gd
    return record_if(GatherBackward0, wrap(z), (grad,), (dim, indices))


@derivative
def GatherBackward0(node, grad):
    dim, indices = node.params
    return gather(grad, dim, indices)


@derivative
def _GatherBack(node, grad):
    """gather: the gradient is scatter_add-ed back (so it is differentiable again)."""
    shape, dim, index = node.params
    return scatter_add(grad.new_zeros(shape), dim, index, grad)


_GatherBack.__name__ = "GatherBackward0"


def _along_axis_index(idx, dim, xp):
    """An advanced index that picks idx's entries along dim (take/put_along_axis)."""
    grids = []
    for d, n in enumerate(idx.shape):
        if d == dim:
            grids.append(idx)
        else:
            shape = [1] * idx.ndim
            shape[d] = n
            grids.append(xp.arange(n).reshape(shape))
    return tuple(grids)


@export("torch", "Tensor")
def gather(input, dim, index):
    """Values of input picked along dim by an index tensor of the same rank."""
    d = wrap_dim(dim, input._data.ndim)
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    dense(index, input._data.itemsize)         # the result: one entry per index
    _check_gather_shape(input, d, index._data)
    n = _dim_size(input, d)
    bad = _first_out_of_range(index._data, n)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    xd, idx = input._data, index._data
    if any(i < s for k, (i, s) in enumerate(zip(idx.shape, xd.shape)) if k != d):
        # an index smaller than input off dim d picks from input's leading part there
        xd = xd[tuple(slice(None) if k == d else slice(0, i) for k, i in enumerate(idx.shape))]
    r = wrap(xp_of(xd).take_along_axis(xd, idx, axis=d))
    return record_if(_GatherBack, r, (input,), (input._data.shape, d, index))


def _check_gather_shape(input, d, idx):
    """PyTorch's checks of gather's index shape (its meta kernel words shapes as torch.Size)."""
    xd = input._data
    if max(idx.ndim, 1) != max(xd.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k, (i, s) in enumerate(zip(idx.shape, xd.shape)):
        if k != d and i > s:
            shown = (lambda shape: f"torch.Size({list(shape)})") if input.is_meta else list
            raise RuntimeError(f"Size does not match at dimension {k} expected index "
                               f"{shown(idx.shape)} to be no larger than self "
                               f"{shown(xd.shape)} apart from dimension {d}")


def _needs(node, i):
    """Whether input i of node wants a gradient (PyTorch computes only those)."""
    return node.next_functions[i][0] is not None


def _require_tensor(value, fn, arg, pos):
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not "
                        f"{type(value).__name__}")


def _scalar_value(value, t):
    """A Python number (or 0-d tensor's value) as t's dtype stores it (PyTorch's checks)."""
    if isinstance(value, Tensor):
        value = value.item()
    if isinstance(value, complex) and t.dtype.category != COMPLEX:
        raise RuntimeError(f"value cannot be converted to type {TYPEMETA_NAMES[t.dtype.name]} "
                           "without overflow")
    return check_fits(value, t.dtype)


def _invalid_grad(node, i, got, expected):
    return RuntimeError(f"Function {type(node).__name__} returned an invalid gradient at index "
                        f"{i} - got {list(got)} but expected shape compatible with "
                        f"{list(expected)}")


# scatter / scatter_add / scatter_reduce ------------------------------------------------------

_SCATTER_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _scatter_checks(fn, input, dim, index, src=None):
    """PyTorch's scatter/gather argument checks; returns the wrapped dim."""
    d = wrap_dim(dim, input._data.ndim)
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index")
    if src is not None and src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    idx = index._data
    if idx.size == 0:
        return d
    nd = max(input._data.ndim, 1)
    if max(idx.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if src is not None and max(src._data.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    ishape = idx.shape or (1,)
    sshape = input._data.shape or (1,)
    srcshape = (src._data.shape or (1,)) if src is not None else None
    if any(i > s for k, (i, s) in enumerate(zip(ishape, sshape)) if k != d) or (
            src is not None and any(i > s for i, s in zip(ishape, srcshape))):
        msg = (f"Expected index {list(idx.shape)} to be no larger than self "
               f"{list(input._data.shape)} apart from dimension {d}")
        if src is not None:
            msg += f" and to be no larger size than src {list(src._data.shape)}"
        raise RuntimeError(msg)
    n = _dim_size(input, d)
    bad = _first_out_of_range(idx, n)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    return d


def _scatter_array(xd, d, idx, values, how, include_self=True):
    """A copy of xd with values (an array of idx's shape, or a number) combined at the
    positions idx picks along dim d. how: None (overwrite), or a scatter_reduce name."""
    xp = xp_of(xd)
    out = xd.copy()
    if idx.size == 0:
        return out
    flat = out.reshape(1) if out.ndim == 0 else out      # a 0-d tensor scatters as 1 entry
    idx = idx.reshape(1) if idx.ndim == 0 else idx
    pos = _along_axis_index(idx, d, xp)
    if not isinstance(values, (int, float, bool, complex, np.number)):
        values = values.reshape(values.shape or (1,))
        values = values[tuple(slice(0, n) for n in idx.shape)]
    if how is None:
        flat[pos] = values
        return out
    values = xp.broadcast_to(xp.asarray(values, dtype=xd.dtype), idx.shape)
    if how == "mean":
        count = xp.full(flat.shape, 1 if include_self else 0, dtype=np.int64)
        if not include_self:
            count[pos] = 0
            flat[pos] = 0
        _ufunc_at(xp, "add", flat, pos, values)
        _ufunc_at(xp, "add", count, pos, xp.ones(idx.shape, dtype=np.int64))
        count[count == 0] = 1
        if xd.dtype.kind in "iub":
            flat[...] = xp.floor_divide(flat, count.astype(flat.dtype))
        else:
            flat[...] = (flat / count).astype(flat.dtype)
        return out
    ufunc, start = {"sum": ("add", 0), "prod": ("multiply", 1),
                    "amax": ("maximum", _lowest(xd.dtype)),
                    "amin": ("minimum", _highest(xd.dtype))}[how]
    if not include_self:
        flat[pos] = start
    _ufunc_at(xp, ufunc, flat, pos, values)
    return out


def _lowest(dt):
    return -np.inf if dt.kind not in "iub" else (False if dt.kind == "b" else np.iinfo(dt).min)


def _highest(dt):
    return np.inf if dt.kind not in "iub" else (True if dt.kind == "b" else np.iinfo(dt).max)


@derivative
def ScatterBackward0(node, grad):
    """scatter(dim, index, src): self loses the overwritten entries, src gets a gather."""
    dim, index, src_shape = node.params
    g_self = scatter(grad, dim, index, 0) if _needs(node, 0) else None
    return (g_self, _gathered_grad(node, grad)) if src_shape is not None else g_self


ScatterBackward1 = type("ScatterBackward1", (ScatterBackward0,), {
    "__slots__": (),
    "__doc__": "scatter(dim, index, value): only self, and not where the value was written."})


@derivative
def ScatterAddBackward0(node, grad):
    return grad, _gathered_grad(node, grad)


def _gathered_grad(node, grad):
    """src's gradient in scatter / scatter_add: grad gathered back (index-shaped, so an
    index smaller than src is PyTorch's invalid-gradient error)."""
    if not _needs(node, 1):
        return None
    dim, index, src_shape = node.params
    if index.shape != src_shape:
        raise _invalid_grad(node, 1, index.shape, src_shape)
    return gather(grad, dim, index)


_ScatterReduceNotImplemented = not_implemented_node("scatter")     # scatter(..., reduce=...)


@export("torch", "Tensor")
def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """Copy of input with src's entries (or a value) written at index along dim."""
    _require_tensor(index, "scatter", "index", 2)
    if src is None and value is None:
        raise TypeError("scatter() missing required argument 'src' or 'value'")
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src          # scatter(dim, index, 2.5): the Number overload
    if reduce is not None:
        if src is not None:
            # PyTorch warns once per process (TORCH_WARN_ONCE); here Python's warning
            # filters decide (by default once per calling line)
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated "
                          "and will be removed in a future PyTorch release. Use "
                          "torch.scatter_reduce instead for more reduction options.",
                          UserWarning, stacklevel=3)
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
    d = _scatter_checks("scatter", input, dim, index, src)
    xd = dense(input)
    how = None if reduce is None else ("sum" if reduce == "add" else "prod")
    vals = src._data if src is not None else _scalar_value(value, input)
    r = wrap(_scatter_array(xd, d, index._data, vals, how))
    if reduce is not None:
        inputs = (input, src) if src is not None else (input,)
        return record_if(_ScatterReduceNotImplemented, r, inputs)
    if src is not None:
        return record_if(ScatterBackward0, r, (input, src), (d, index, src._data.shape))
    return record_if(ScatterBackward1, r, (input,), (d, index, None))


@export("torch", "Tensor", "Tensor_")
def scatter_add(input, dim, index, src):
    """Copy of input with src's entries added at index along dim (repeats accumulate)."""
    _require_tensor(src, "scatter_add", "src", 3)
    d = _scatter_checks("scatter", input, dim, index, src)
    return record_if(ScatterAddBackward0,
                     wrap(_scatter_array(dense(input), d, index._data, src._data, "sum")),
                     (input, src), (d, index, src._data.shape))


@derivative
def ScatterReduceBackward0(node, grad):
    """scatter_reduce: PyTorch's scatter_reduce_backward, written with tensor ops."""
    dim, index, reduce, include_self = node.params
    self_, src = node.saved[:2]
    result = node.saved[2] if len(node.saved) > 2 else None
    if _needs(node, 1) and index.shape != src.shape:
        raise _invalid_grad(node, 1, index.shape, src.shape)
    if reduce not in _SCATTER_REDUCES:
        raise RuntimeError("Expected 'reduce' to be one of 'sum', 'prod', 'mean', 'amax', "
                           f"'amin' but got {reduce}.")
    if reduce == "sum":
        g_self, g_src = grad, gather(grad, dim, index)
    elif reduce == "prod":
        masked_self = self_.masked_fill(self_ == 0, 1)
        masked_self_result = scatter_reduce(masked_self, dim, index, src, reduce,
                                            include_self=include_self)
        g_self = grad * masked_self_result / masked_self
        src_zero = src == 0
        src_num_zeros = gather(scatter_add(self_.new_zeros(self_.shape), dim, index,
                                           src_zero.to(self_.dtype)), dim, index)
        src_single_zero = src_zero & (src_num_zeros == 1)
        masked_src = src.masked_fill(src_single_zero, 1)
        masked_src_result = scatter_reduce(self_, dim, index, masked_src, reduce,
                                           include_self=include_self)
        g_src = where(src_single_zero, gather(grad * masked_src_result, dim, index),
                      gather(grad * result, dim, index) / src.masked_fill(src_zero, 1))
    elif reduce == "mean":
        n = grad.new_ones(grad.shape) if include_self else grad.new_zeros(grad.shape)
        n = scatter_add(n, dim, index, src.new_ones(src.shape))
        n = n.masked_fill(n == 0, 1)
        g_self = grad / n
        g_src = gather(grad, dim, index) / gather(n, dim, index)
    else:                                   # amax / amin: ties share the gradient
        value = gather(result, dim, index)
        self_is_result = (self_ == result).to(self_.dtype)
        src_is_result = (src == value).to(self_.dtype)
        n = scatter_add(self_is_result, dim, index, src_is_result)
        distributed = grad / n
        g_self = self_is_result * distributed
        g_src = src_is_result * gather(distributed, dim, index)
    if not include_self:
        g_self = scatter(g_self, dim, index, 0)
    return (g_self if _needs(node, 0) else None), (g_src if _needs(node, 1) else None)


@export("torch", "Tensor", "Tensor_")
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """Copy of input with src's entries reduced (sum, prod, mean, amax, amin) into it."""
    _require_tensor(src, "scatter_reduce", "src", 3)
    how = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # legacy names: forward only
    if how not in _SCATTER_REDUCES:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    d = _scatter_checks("scatter_reduce", input, dim, index, src)
    r = wrap(_scatter_array(dense(input), d, index._data, src._data, how, include_self))
    # not record_if: the result's copy below is made only when recording
    if GradMode.enabled and (input._rg or src._rg) or Duals:
        if how in ("prod", "amax", "amin"):
            # backward reads the result: a detached copy, so later in-place changes of r
            # do not reach it
            res = wrap(r._data.copy())
            save = (input, src, res)
        else:
            save = (input, src)
        record_if(ScatterReduceBackward0, r, (input, src), (d, index, reduce, include_self),
                  save=save)
    return r


# index_add / index_copy / index_fill ------------------------------------------------------------

def _vector_index(index):
    """A 0-d or 1-d index tensor's entries as a 1-d array."""
    return index._data.reshape(-1)


def _along(d, idx):
    """The index tuple that picks entries idx along dim d."""
    return (slice(None),) * d + (idx,)


def _as_1d(xd):
    return xd.reshape(1) if xd.ndim == 0 else xd


@derivative
def IndexAddBackward0(node, grad):
    dim, index, alpha, src_shape = node.params
    g_src = None
    if _needs(node, 1):
        g = _as_1d_tensor(grad).index_select(dim, index).reshape(src_shape)
        g_src = g if alpha == 1 else times_number(g, alpha)
    return grad, g_src


def _as_1d_tensor(t):
    return t.reshape(1) if t._data.ndim == 0 else t


def _index_source_checks(fn, input, dim, index, source):
    """index_add's checks (PyTorch's texts); returns the wrapped dim."""
    d = wrap_dim(dim, input._data.ndim)
    if index._data.ndim > 1:
        raise IndexError(f"{fn}(): Index is supposed to be a vector, but got dim: "
                         f"{index._data.ndim} with type: {index.dtype.short} and size: "
                         f"{list(index._data.shape)}")
    sd = source._data
    if sd.ndim and d >= sd.ndim:
        raise RuntimeError(f"{fn}(): Indexing dim {d} is out of bounds of the source tensor "
                           f"with dim {sd.ndim}")
    n = index._data.size
    src_n = sd.shape[d] if sd.ndim else 1
    if n != src_n:
        raise RuntimeError(f"{fn}(): Number of indices ({n}) should be equal to "
                           f"source.size(dim): ({src_n}), for dim: {d}")
    xs = input._data.shape
    if (sd.ndim != len(xs) and (sd.ndim or len(xs) > 1)) or any(
            a != b for k, (a, b) in enumerate(zip(xs, sd.shape)) if k != d):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(xs)} source.shape = "
                           f"{list(sd.shape)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"{fn}(): self ({input.dtype.short}) and source "
                           f"({source.dtype.short}) must have the same scalar type")
    size = _dim_size(input, d)
    bad = _first_out_of_range(_vector_index(index), size)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {size}")
    return d


@export("torch", "Tensor", "Tensor_")
def index_add(input, dim, index, source, *, alpha=1):
    """Copy of input with alpha * source's slices added at index along dim (repeats add up)."""
    _require_tensor(index, "index_add", "index", 2)
    _require_tensor(source, "index_add", "source", 3)
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("index_add_(): Expected dtype int32/int64 for index but got: "
                           + index.dtype.short)
    d = _index_source_checks("index_add_", input, dim, index, source)
    xd = dense(input)
    xp = xp_of(xd)
    out = xd.copy()
    sd = dense(source)
    if alpha != 1:
        a = int(alpha) if xd.dtype.kind in "iu" else alpha
        sd = (sd * a).astype(xd.dtype, copy=False)
    o = _as_1d(out)
    _ufunc_at(xp, "add", o, _along(d, _vector_index(index)), sd.reshape(
        sd.shape if sd.ndim else (1,)))
    return record_if(IndexAddBackward0, wrap(out), (input, source),
                     (d, index.reshape(-1), alpha, source._data.shape))


@derivative
def IndexCopyBackward0(node, grad):
    dim, index, src_shape = node.params
    g_self = index_fill(grad, dim, index, 0) if _needs(node, 0) else None
    g_src = (_as_1d_tensor(grad).index_select(dim, index).reshape(src_shape)
             if _needs(node, 1) else None)
    return g_self, g_src


@export("torch", "Tensor", "Tensor_")
def index_copy(input, dim, index, source):
    """Copy of input with source's slices written at index along dim."""
    _require_tensor(index, "index_copy", "index", 2)
    _require_tensor(source, "index_copy", "source", 3)
    xd, sd = input._data, source._data
    d = wrap_dim(dim, xd.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_copy_(): Index should have dimension 1 or 0 (got "
                         f"{index._data.ndim})")
    n = index._data.size
    if sd.ndim and xd.ndim and sd.ndim != xd.ndim:
        raise IndexError("index_copy_(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({sd.ndim}), "
                         f"destination dimensionality ({xd.ndim})")
    if index.dtype.name != "int64":
        raise RuntimeError("index_copy_(): Expected a long tensor for index, but got "
                           + index.dtype.short)
    if source.dtype is not input.dtype:
        raise RuntimeError("index_copy_(): self and source expected to have the same dtype, "
                           f"but got (self) {input.dtype.short} and (source) "
                           f"{source.dtype.short}")
    src_n = sd.shape[d] if sd.ndim else 1
    if n != src_n:
        raise IndexError(f"index_copy_(): Number of indices ({n}) should be equal to "
                         f"source.size(dim) ({src_n})")
    self_slice = [s for k, s in enumerate(xd.shape) if k != d]
    src_slice = [s for k, s in enumerate(sd.shape) if k != d]
    if sd.ndim and xd.ndim and self_slice != src_slice:
        raise RuntimeError("index_copy_(): Source/destination tensor must have same slice "
                           f"shapes. Destination slice shape: {_shape_text(self_slice)} at "
                           f"dimension {d} and source slice shape: {_shape_text(src_slice)} "
                           "at dimension 0.")
    size = _dim_size(input, d)
    idx = _vector_index(index)
    bad = _first_out_of_range(idx, size)
    if bad is not None:
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {d} with "
                         f"size {size}")
    out = dense(input).copy()
    _as_1d(out)[_along(d, idx)] = sd.reshape(sd.shape if sd.ndim else (1,))
    return record_if(IndexCopyBackward0, wrap(out), (input, source),
                     (d, index.reshape(-1), sd.shape))


def _shape_text(sizes):
    """A list of sizes as c10 streams a std::vector (elements joined by spaces)."""
    return " ".join(str(s) for s in sizes)


@derivative
def IndexFillBackward0(node, grad):
    """index_fill with a number: the filled slices take no gradient."""
    dim, index = node.params
    return index_fill(grad, dim, index, 0)


@derivative(base=IndexFillBackward0)
def IndexFillBackward1(node, grad):
    """index_fill with a 0-d tensor: it gets the sum over the (distinct) filled slices."""
    dim, index = node.params
    g_value = None
    if _needs(node, 1):
        uniq = wrap(xp_of(index._data).unique(index._data))
        g_value = _as_1d_tensor(grad).index_select(dim, uniq).sum()
    return (IndexFillBackward0.backward(node, grad) if _needs(node, 0) else None), g_value


@export("torch", "Tensor", "Tensor_")
def index_fill(input, dim, index, value):
    """Copy of input with value in the slices index picks along dim (negative ones wrap)."""
    _require_tensor(index, "index_fill", "index", 2)
    xd = input._data
    d = wrap_dim(dim, xd.ndim)
    if index.dtype.name != "int64":
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index._data.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    tv = isinstance(value, Tensor)
    if tv and value._data.ndim:
        raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    if not tv and isinstance(value, complex) and input.dtype.category != COMPLEX:
        raise RuntimeError("index_fill_(): Converting complex Scalar to non-complex type is not "
                           "supported")
    size = _dim_size(input, d)
    idx = _vector_index(index)
    bad = (idx < -size) | (idx >= size)
    if has_values(bad) and bad.any():
        raise IndexError(f"index {int(idx[bad][0])} is out of bounds for dimension {d} with "
                         f"size {size}")
    idx = idx % size if size else idx
    v = value._data.astype(xd.dtype) if tv else _scalar_value(value, input)
    out = dense(input).copy()
    _as_1d(out)[_along(d, idx)] = v
    r = wrap(out)
    if tv:
        return record_if(IndexFillBackward1, r, (input, value), (d, wrap(idx)))
    return record_if(IndexFillBackward0, r, (input,), (d, wrap(idx)))


# index_put --------------------------------------------------------------------------------------

def _put_like_grads(node, grad, write, read):
    """index_put / put: self keeps the gradient except where values were written (all of it
    when they were added); the values get the gradient read back at their places."""
    where_, accumulate, src_shape = node.params
    g_self = None
    if _needs(node, 0):
        g_self = grad if accumulate else write(grad, where_, grad.new_zeros(src_shape))
    g_src = read(grad, where_, src_shape) if _needs(node, 1) else None
    return g_self, g_src


@derivative
def IndexPutBackward0(node, grad):
    return _put_like_grads(node, grad, lambda g, idx, zeros: index_put(g, idx, zeros, False),
                           lambda g, idx, shape: getitem(g, idx))


def _index_put_indices(indices):
    if not isinstance(indices, (tuple, list)):
        raise TypeError("index_put(): argument 'indices' (position 1) must be tuple of Tensors, "
                        f"not {type(indices).__name__}")
    for k, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got "
                            f"{type(t).__name__}")
    return tuple(indices)


@export("torch", "Tensor")
def index_put(input, indices, values, accumulate=False):
    """Copy of input with values at input[indices] (accumulate=True: added, repeats too)."""
    indices = _index_put_indices(indices)
    _require_tensor(values, "index_put", "values", 2)
    xd = input._data
    xp = xp_of(xd)
    idx = normalise_index(indices, xp)
    if xp is not np:
        _check_device_index(idx, xd.shape)
    if values.dtype is not input.dtype:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{input.dtype.short} for the destination and "
                           f"{values.dtype.short} for the source.")
    out = dense(input).copy()
    try:
        target_shape = out[idx].shape
    except IndexError as e:
        raise _translate(e, xd.shape) from None
    try:
        v = xp.broadcast_to(values._data, target_shape)
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values._data.shape)} "
                           f"cannot be broadcast to indexing result of shape "
                           f"{list(target_shape)}") from None
    if accumulate:
        _ufunc_at(xp, "add", out, idx, v)
    else:
        out[idx] = v
    return record_if(IndexPutBackward0, wrap(out), (input, values),
                     (indices, accumulate, values._data.shape))


@export("torch", "Tensor")
def index_put_(self, indices, values, accumulate=False):
    return _inplace(index_put)(self, indices, values, accumulate)


# masked_scatter ---------------------------------------------------------------------------------

@derivative
def MaskedScatterBackward0(node, grad):
    mask, src_shape = node.params
    g_self = masked_fill(grad, mask, 0.0) if _needs(node, 0) else None
    g_src = None
    if _needs(node, 1):
        picked = masked_select(grad, mask)
        rest = math.prod(src_shape) - picked._data.size
        if rest:
            picked = cat([picked, grad.new_zeros((rest,))])
        g_src = picked.reshape(src_shape)
    return g_self, g_src


@export("torch", "Tensor")
def masked_scatter(input, mask, source):
    """Copy of input with source's leading entries written where mask is True, in order."""
    _require_tensor(mask, "masked_scatter", "mask", 1)
    _require_tensor(source, "masked_scatter", "source", 2)
    if mask.dtype is not bool_:
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {mask.dtype.short}")
    if source.dtype is not input.dtype:
        raise RuntimeError("masked_scatter: expected self and source to have same dtypes but "
                           f"got{input.dtype.short} and {source.dtype.short}")
    xd, md = input._data, mask._data
    xp = xp_of(xd)
    try:
        shape = np.broadcast_shapes(xd.shape, md.shape)
    except ValueError:
        raise broadcast_error(xd.shape, md.shape) from None
    limits.check_result(shape, xd.itemsize)
    m = xp.broadcast_to(md, shape)
    n = int(m.sum())
    if n > source._data.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out = xp.broadcast_to(xd, shape).copy()
    out[m] = source._data.reshape(-1)[:n]
    r = wrap(out)
    # not record_if: a broadcast mask is copied only when recording
    if GradMode.enabled and (input._rg or source._rg) or Duals:
        mt = mask if md.shape == shape else wrap(xp.ascontiguousarray(m))
        record_if(MaskedScatterBackward0, r, (input, source), (mt, source._data.shape))
    return r


# take / put / take_along_dim --------------------------------------------------------------------


@export("Tensor")
def masked_scatter_(self, mask, source):
    if isinstance(mask, Tensor) and mask.dtype is bool_ and mask.shape != self.shape:
        mask = mask.expand(self.shape)
    return _inplace(masked_scatter)(self, mask, source)


# take / put / take_along_dim --------------------------------------------------------------------

def _flat_bounds(idx, n):
    """take/put's check: indices in [-n, n), as PyTorch words it."""
    if not has_values(idx):
        return
    limits.check_dense(idx, 1)                  # the test's masks: idx may be expanded
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad].reshape(-1)[0])} "
                         f"on a tensor of {n} elements.")


@derivative
def TakeBackward0(node, grad):
    shape, index = node.params
    z = grad.new_zeros(shape)
    return put(z, index, grad, accumulate=True)


@export("torch", "Tensor")
def take(input, index):
    """input's entries at flat (row-major) positions index, shaped as index."""
    _require_tensor(index, "take", "index", 1)
    if index.dtype.name != "int64":
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           + index.dtype.short)
    xd = dense(input)                           # flattened first
    dense(index, xd.itemsize)                   # the result: one entry per index
    _flat_bounds(index._data, xd.size)
    return record_if(TakeBackward0, wrap(xd.reshape(-1)[index._data]), (input,),
                     (xd.shape, index))


@derivative
def PutBackward0(node, grad):
    return _put_like_grads(node, grad, lambda g, index, zeros: put(g, index, zeros),
                           lambda g, index, shape: take(g, index).reshape(shape))


@export("torch", "Tensor")
def put(input, index, source, accumulate=False, *, _fn="put"):
    """Copy of input with source's entries at flat positions index (accumulate: added)."""
    _require_tensor(index, _fn, "index", 1)
    _require_tensor(source, _fn, "source", 2)
    if index.dtype.name != "int64":
        raise RuntimeError("put_(): Expected a long tensor for index, but got "
                           + index.dtype.short)
    if source._data.size != index._data.size:
        raise IndexError("put_(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source._data.size}, "
                         f"index.numel() = {index._data.size}")
    if source.dtype is not input.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {input.dtype.short} and source.dtype = "
                           f"{source.dtype.short}")
    xd = dense(input)
    xp = xp_of(xd)
    _flat_bounds(index._data, xd.size)
    out = xd.copy()
    flat = out.reshape(-1)                       # a view: out is a fresh contiguous copy
    pos, vals = dense(index).reshape(-1), dense(source).reshape(-1)
    if accumulate:
        _ufunc_at(xp, "add", flat, pos % max(xd.size, 1), vals)
    else:
        flat[pos] = vals
    return record_if(PutBackward0, wrap(out), (input, source),
                     (index, accumulate, source._data.shape))


@export("Tensor")
def put_(self, index, source, accumulate=False):
    return _inplace(put)(self, index, source, accumulate, _fn="put_")


@export("torch", "Tensor")
def take_along_dim(input, indices, dim=None):
    """gather after broadcasting input and indices against each other (but along dim)."""
    _require_tensor(indices, "take_along_dim", "indices", 2)
    if indices.dtype.name != "int64":
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           + indices.dtype.short)
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    xs, ish = input._data.shape, indices._data.shape
    d = wrap_dim(dim, len(xs))
    if len(xs) != len(ish):
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {len(xs)} dimensions for input, and "
                           f"{len(ish)} dimensions for indices")
    a = list(xs)
    a[d] = ish[d] if ish else 1
    try:
        shape = list(np.broadcast_shapes(tuple(a), ish))
    except ValueError:
        raise broadcast_error(tuple(a), ish) from None
    in_shape, idx_shape = list(shape), list(shape)
    if shape:
        in_shape[d], idx_shape[d] = (xs[d], ish[d])
    return gather(input.expand(*in_shape), d, indices.expand(*idx_shape))


# select_scatter / slice_scatter / diagonal_scatter ----------------------------------------------

def _embed_src(input, src, region, node, params):
    """Copy of input with src (cast to input's dtype) written into region (an index tuple
    or a function of the copy giving the writable view)."""
    xd = dense(input)
    out = xd.copy()
    view = region(out) if callable(region) else out[region]
    if list(src._data.shape) != list(view.shape):
        raise RuntimeError("expected src to have a size equal to the slice of self. src size = "
                           f"{list(src._data.shape)}, slice size = {list(view.shape)}")
    view[...] = src._data.astype(xd.dtype, copy=False)
    return record_if(node, wrap(out), (input, src), params)


@derivative
def SelectScatterBackward0(node, grad):
    dim, index, src_shape = node.params
    g_self = (select_scatter(grad, grad.new_zeros(src_shape), dim, index)
              if _needs(node, 0) else None)
    return g_self, (select(grad, dim, index) if _needs(node, 1) else None)


@export("torch", "Tensor")
def select_scatter(input, src, dim, index):
    """Copy of input with src written at position index of dim (src has that slice's shape)."""
    _require_tensor(src, "select_scatter", "src", 1)
    d, index = _select_position(input._data, dim, index)
    return _embed_src(input, src, _along(d, index), SelectScatterBackward0,
                      (d, index, src._data.shape))


@derivative
def SliceScatterBackward0(node, grad):
    d, sl, src_shape = node.params
    g_self = None
    if _needs(node, 0):
        g_self = slice_scatter(grad, grad.new_zeros(src_shape), d, sl.start, sl.stop, sl.step)
    return g_self, (getitem(grad, _along(d, sl)) if _needs(node, 1) else None)


@export("torch", "Tensor")
def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """Copy of input with src written into the slice start:end:step of dim."""
    _require_tensor(src, "slice_scatter", "src", 1)
    xd = input._data
    d = wrap_dim(dim, xd.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    sl = slice(*slice(_opt_int(start), _opt_int(end), int(step)).indices(xd.shape[d]))
    return _embed_src(input, src, _along(d, sl), SliceScatterBackward0,
                      (d, sl, src._data.shape))


@derivative
def DiagonalScatterBackward0(node, grad):
    offset, d1, d2, src_shape = node.params
    g_self = (diagonal_scatter(grad, grad.new_zeros(src_shape), offset, d1, d2)
              if _needs(node, 0) else None)
    return g_self, (diagonal(grad, offset, d1, d2) if _needs(node, 1) else None)


@export("torch", "Tensor")
def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """Copy of input with src written into the offset-th diagonal of dims dim1, dim2."""
    _require_tensor(src, "diagonal_scatter", "src", 1)
    d1, d2 = _diag_dims(input._data.ndim, dim1, dim2)
    offset = int(offset)
    return _embed_src(input, src, lambda out: _diagonal_array(out, offset, d1, d2),
                      DiagonalScatterBackward0, (offset, d1, d2, src._data.shape))


# index_reduce ----------------------------------------------------------------------------------

# index_reduce is scatter_reduce along dim with the index broadcast over source: its node is
# scatter_reduce's, under PyTorch's name for it.
IndexReduceBackward0 = type("IndexReduceBackward0", (ScatterReduceBackward0,), {"__slots__": ()})


@export("torch", "Tensor", "Tensor_")
def index_reduce(input, dim, index, source, reduce, *, include_self=True):
    """Copy of input with the slices of source reduced (prod, mean, amax, amin) into the
    slices of input that index names along dim."""
    if not _WARNED_ONCE.get("index_reduce"):
        _WARNED_ONCE["index_reduce"] = True
        warnings.warn("index_reduce() is in beta and the API may change at any time.",
                      UserWarning, stacklevel=2)
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError("index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    d = wrap_dim(dim, max(input._data.ndim, 1))
    if index._data.ndim > 1:
        raise IndexError("index_reduce_(): Index is supposed to be a vector, but got dim: "
                         f"{index._data.ndim} with type: {index.dtype.short} and size: "
                         f"{list(index.shape)}")
    if index.dtype.name not in ("int32", "int64"):
        raise RuntimeError("index_reduce_(): Expected dtype int32/int64 for index but got: "
                           f"{index.dtype.short}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_reduce_(): self ({input.dtype.short}) and source "
                           f"({source.dtype.short}) must have the same scalar type")
    n = index._data.size
    along = source.shape[d] if source._data.ndim else 1
    if n != along:
        raise RuntimeError(f"index_reduce_(): Number of indices ({n}) should be equal to "
                           f"source.size(dim): ({along}), for dim: {d}")
    positions = _vector_index(index)
    size = input.shape[d] if input._data.ndim else 1
    if n and (int(positions.min()) < 0 or int(positions.max()) >= size):
        raise IndexError("index out of range in self")
    shape = [1] * source._data.ndim
    if shape:
        shape[d] = -1
    spread = index.reshape(shape).expand(source.shape)
    r = scatter_reduce(input, d, spread, source, reduce, include_self=include_self)
    if type(r._fn) is ScatterReduceBackward0:
        r._fn.__class__ = IndexReduceBackward0
    return r


# in-place twins (the plain ones are declared with "Tensor_" on their op) -------------------------

def _inplace(op):
    """name_ of an op above, where its arguments differ from the op's: the op applied to
    self's old value, written into self."""
    def method(self, *args, **kwargs):
        return apply_inplace(self, op, *args, **kwargs)
    method.__name__ = method.__qualname__ = op.__name__ + "_"
    method.__doc__ = f"In-place version of {op.__name__}()."
    return method


_scatter_inplace = _inplace(scatter)


@export("Tensor")
def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    return _scatter_inplace(self, dim, index, value if src is None else src, reduce=reduce)
