"""Indexing: x[...] reads (views for basic indices, copies for advanced) and x[...] = v."""
from __future__ import annotations

import re

import numpy as np

from ..autograd import GradMode, Node
from ..backend import xp_of
from ..dtypes import INTEGRAL, TYPEMETA_NAMES, bool_, can_cast
from ..tensor import Tensor, make_view, record, register_view, wrap
from .common import wrap_dim


def _convert_item(item, xp):
    """One index item in NumPy's terms; tensors and lists become index arrays."""
    if isinstance(item, Tensor):
        d = item.dtype
        if d is bool_:
            return item._data
        if d.category != INTEGRAL:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if item._data.ndim == 0:
            return int(item._data)
        return item._data
    if isinstance(item, slice):
        if item.step is not None and _int(item.step) <= 0:
            if _int(item.step) == 0:
                raise ValueError("slice step cannot be zero")
            raise ValueError("step must be greater than zero")
        return slice(_opt_int(item.start), _opt_int(item.stop), _opt_int(item.step))
    if isinstance(item, (list, np.ndarray)):
        arr = np.asarray(item)
        if arr.dtype.kind not in "iub" and arr.size:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return xp.asarray(arr.astype(np.int64) if arr.dtype.kind != "b" else arr)
    if item is None or item is Ellipsis or isinstance(item, (bool, np.bool_)):
        return item
    if isinstance(item, (int, np.integer)):
        return int(item)
    raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                     "Variables are valid indices (got " + type(item).__name__ + ")")


def _int(v):
    return int(v) if not isinstance(v, Tensor) else int(v.item())


def _opt_int(v):
    return None if v is None else _int(v)


def normalise_index(index, xp=np):
    items = index if isinstance(index, tuple) else (index,)
    return tuple(_convert_item(i, xp) for i in items)


def _is_advanced(idx):
    return any(not (i is None or i is Ellipsis or isinstance(i, (int, slice)))
               for i in idx)


def _grad_fn_kind(idx, shape):
    """The grad_fn PyTorch reports: that of the last indexing step it applied."""
    if _is_advanced(idx):
        return IndexBackward0
    kind, dim = AliasBackward0, 0
    for i in idx:
        if i is Ellipsis:
            dim = len(shape) - sum(1 for j in idx if j is not None and j is not Ellipsis
                                   and not isinstance(j, bool))
            continue
        if i is None:
            kind = UnsqueezeBackward0
            continue
        if isinstance(i, int):
            kind = SelectBackward0
        elif isinstance(i, slice):
            size = shape[dim] if dim < len(shape) else 0
            full = (i.start in (None, 0) and (i.stop is None or i.stop >= size)
                    and i.step in (None, 1))
            if not full:
                kind = SliceBackward0
        dim += 1
    return kind


_NUMPY_BOUNDS = re.compile(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)")
_NUMPY_TOO_MANY = re.compile(r"too many indices for array: array is (\d+)-dimensional")


def _translate(err, shape):
    """NumPy's IndexError text in PyTorch's words."""
    msg = str(err)
    m = _NUMPY_BOUNDS.search(msg)
    if m:
        return IndexError(f"index {m.group(1)} is out of bounds for dimension {m.group(2)} with "
                          f"size {m.group(3)}")
    m = _NUMPY_TOO_MANY.search(msg)
    if m:
        return IndexError(f"too many indices for tensor of dimension {m.group(1)}")
    m = re.search(r"shape mismatch: indexing arrays could not be broadcast together with "
                  r"shapes ((?:\([\d, ]*\) ?)+)", msg)
    if m:
        shapes = ", ".join("[" + ", ".join(re.findall(r"\d+", s)) + "]"
                           for s in re.findall(r"\([\d, ]*\)", m.group(1)))
        return IndexError("shape mismatch: indexing tensors could not be broadcast together "
                          f"with shapes {shapes}")
    m = re.search(r"boolean index did not match indexed array along (?:axis|dimension) (\d+); "
                  r"size of (?:axis|dimension) is (\d+) but size of corresponding boolean "
                  r"(?:axis|dimension) is (\d+)", msg)
    if m:
        d = int(m.group(1))
        return IndexError(f"The shape of the mask [{m.group(3)}] at index {d} does not match "
                          f"the shape of the indexed tensor {list(shape)} at index {d}")
    return IndexError(msg)


def _check_int_bounds(idx, shape):
    """PyTorch's message for an integer out of range (NumPy's differs for scalars)."""
    dim = 0
    for i in idx:
        if i is Ellipsis:
            dim = len(shape) - sum(1 for j in idx if j is not None and j is not Ellipsis)
            continue
        if i is None:
            continue
        if isinstance(i, int) and not isinstance(i, bool):
            if dim >= len(shape):
                raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
            if not -shape[dim] <= i < shape[dim]:
                raise IndexError(f"index {i} is out of bounds for dimension {dim} with size "
                                 f"{shape[dim]}")
        dim += 1


class _IndexBack(Node):
    """x[idx]: the gradient is scattered back into a zero tensor of x's shape."""
    __slots__ = ()

    def backward(self, grad):
        shape, idx = self.params
        return embed(grad, shape, idx)


SelectBackward0 = type("SelectBackward0", (_IndexBack,), {"__slots__": ()})
SliceBackward0 = type("SliceBackward0", (_IndexBack,), {"__slots__": ()})
IndexBackward0 = type("IndexBackward0", (_IndexBack,), {"__slots__": ()})
UnsqueezeBackward0 = type("UnsqueezeBackward0", (_IndexBack,), {"__slots__": ()})
AliasBackward0 = type("AliasBackward0", (_IndexBack,), {"__slots__": ()})
IndexSelectBackward0 = type("IndexSelectBackward0", (_IndexBack,), {"__slots__": ()})


def getitem(x, index, node=None):
    """x[index] with PyTorch's semantics (node: the grad_fn class, if not x[index]'s)."""
    xd = x._data
    idx = normalise_index(index, xp_of(xd))
    if xd.ndim == 0 and any(isinstance(i, int) and not isinstance(i, bool) for i in idx):
        raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                         "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
    advanced = _is_advanced(idx)
    if not advanced:
        _check_int_bounds(idx, xd.shape)
    if not advanced and Ellipsis not in idx:
        idx_np = idx + (Ellipsis,)  # keeps an all-integer index a 0-d view, not a scalar
    else:
        idx_np = idx
    try:
        r = xd[idx_np]
    except IndexError as e:
        raise _translate(e, xd.shape) from None
    if not advanced and None in idx and xp_of(xd) is np:
        r = _torch_strides_for_new_dims(xd, idx, r)
    out = wrap(r) if advanced else make_view(x, r)
    if GradMode.enabled and x._rg:
        record(node or _grad_fn_kind(idx, xd.shape), out, (x,), (xd.shape, idx))
        if not advanced:
            register_view(out)
    elif x._rg and not advanced:
        out._rg = out._nograd_view = True   # as _view_of: a view of x requires grad
    return out


def _torch_strides_for_new_dims(xd, idx, r):
    """Give dims inserted by None PyTorch's stride (size * stride of the dim they precede).

    NumPy uses 0; memory access is the same either way, but stride() is observable.
    """
    strides, src, out_dim = list(r.strides), 0, 0
    n_explicit = sum(1 for i in idx if i is not None and i is not Ellipsis)
    for item in idx:
        if item is Ellipsis:
            skip = xd.ndim - n_explicit
            src, out_dim = src + skip, out_dim + skip
        elif item is None:
            strides[out_dim] = (xd.shape[src] * xd.strides[src] if src < xd.ndim
                                else xd.itemsize)
            out_dim += 1
        elif isinstance(item, int):
            src += 1
        else:
            src, out_dim = src + 1, out_dim + 1
    return np.lib.stride_tricks.as_strided(r, r.shape, strides)


def select(input, dim, index):
    """The slice at `index` along dim, without that dim (a view)."""
    xd = input._data
    d = wrap_dim(dim, xd.ndim)
    size = xd.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(xd.shape)} at dimension {d}")
    return getitem(input, (slice(None),) * d + (int(index),))


class EmbedBackward(Node):
    """Backward of embed (used for double backward through indexing): re-index."""
    __slots__ = ()

    def backward(self, grad):
        return getitem(grad, self.params)


EmbedBackward.__name__ = "IndexPutBackward0"


def embed(grad, shape, idx):
    """A zero tensor of `shape` with grad added at idx (duplicates accumulate)."""
    gd = grad._data
    xp = xp_of(gd)
    z = xp.zeros(shape, dtype=gd.dtype)
    if _is_advanced(idx):
        xp.add.at(z, idx, gd)  # repeated indices accumulate
    else:
        z[idx] = gd
    r = wrap(z)
    if GradMode.enabled and grad._rg:
        record(EmbedBackward, r, (grad,), idx)
    return r


def scatter_into_zeros(grad, shape, dim, indices):
    """Zeros of shape with grad placed at indices along dim (max/min/sort backward)."""
    gd = grad._data
    xp = xp_of(gd)
    z = xp.zeros(shape, dtype=gd.dtype)
    if len(shape) == 0:
        return grad.reshape(())
    z[_along_axis_index(indices._data, dim, xp)] = gd
    r = wrap(z)
    if GradMode.enabled and grad._rg:
        record(GatherBackward0, r, (grad,), (dim, indices))
    return r


class GatherBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        dim, indices = self.params
        return gather(grad, dim, indices)


class _ScatterGatherBack(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, dim, indices = self.params
        gd = grad._data
        xp = xp_of(gd)
        z = xp.zeros(shape, dtype=gd.dtype)
        xp.add.at(z, _along_axis_index(indices._data, dim, xp), gd)
        return wrap(z)


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


def gather(input, dim, index):
    """Values of input picked along dim by an index tensor of the same rank."""
    d = wrap_dim(dim, input._data.ndim)
    if index.dtype.name != "int64":
        raise RuntimeError("gather(): Expected dtype int64 for index")
    n = _dim_size(input, d)
    bad = _first_out_of_range(index._data, n)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    r = wrap(xp_of(input._data).take_along_axis(input._data, index._data, axis=d))
    if GradMode.enabled and input._rg:
        node = type("GatherBackward0", (_ScatterGatherBack,), {"__slots__": ()})
        record(node, r, (input,), (input._data.shape, d, index))
    return r


def _dim_size(t, d):
    return t._data.shape[d] if t._data.ndim else 1


def _first_out_of_range(idx, n):
    """The first index outside [0, n) (negative ones too, as PyTorch's gather and
    index_select refuse them), or None."""
    bad = (idx < 0) | (idx >= n)
    return int(idx[bad].reshape(-1)[0]) if bad.any() else None


def index_select(input, dim, index):
    """Entries along dim picked by a 1-D index tensor (a copy)."""
    d = wrap_dim(dim, input._data.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if _first_out_of_range(index._data, _dim_size(input, d)) is not None:
        raise IndexError("index out of range in self")
    return getitem(input, (slice(None),) * d + (index.reshape(-1),), IndexSelectBackward0)


MaskedSelectBackward0 = type("MaskedSelectBackward0", (_IndexBack,), {"__slots__": ()})


def masked_select(input, mask):
    if mask.shape == input.shape:
        return getitem(input, mask, MaskedSelectBackward0)
    shape = np.broadcast_shapes(input.shape, mask.shape)
    return getitem(input.expand(*shape), mask.expand(*shape), MaskedSelectBackward0)


class MaskedFillBackward0(Node):
    """masked_fill with a number: the filled entries take no gradient."""
    __slots__ = ()

    def backward(self, grad):
        mask, = self.params
        return masked_fill(grad, mask, 0.0)


class MaskedFillBackward1(MaskedFillBackward0):
    """masked_fill with a 0-d tensor value: the value gets the sum over the filled entries."""
    __slots__ = ()

    def backward(self, grad):
        from .pointwise import where
        mask, = self.params
        return super().backward(grad), where(mask, grad, 0.0).sum()


def masked_fill(input, mask, value):
    """Copy of input with value where mask is True (a 0-d tensor value: MaskedFillBackward1)."""
    if not isinstance(mask, Tensor) or mask.dtype is not bool_:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           + (TYPEMETA_NAMES[mask.dtype.name] if isinstance(mask, Tensor)
                              else type(mask).__name__))
    tv = isinstance(value, Tensor)
    if tv and value._data.ndim:
        raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value._data.ndim} dimension(s).")
    xd = input._data
    xp = xp_of(xd)
    v = value._data.astype(xd.dtype) if tv else _scalar_like(value, input)._data
    try:
        r = wrap(xp.where(mask._data, v, xd).astype(xd.dtype, copy=False))
    except ValueError:
        from .common import broadcast_error
        raise broadcast_error(mask._data.shape, xd.shape) from None
    if GradMode.enabled and (input._rg or tv and value._rg):
        record(MaskedFillBackward1 if tv else MaskedFillBackward0, r,
               (input, value) if tv else (input,), (mask,))
    return r


def _scalar_like(v, t):
    from .creation import scalar_tensor_like
    return scalar_tensor_like(v, t, dtype=t.dtype)


def nonzero(input, *, as_tuple=False):
    idx = xp_of(input._data).nonzero(input._data)
    if as_tuple:
        return tuple(wrap(i.astype(np.int64)) for i in idx)
    xp = xp_of(input._data)
    return wrap(xp.stack(idx, axis=1).astype(np.int64) if idx else xp.zeros((0, 0), np.int64))


def argwhere(input):
    return nonzero(input)


# ---- x[idx] = v ----------------------------------------------------------------------------

class CopySlices(Node):
    """grad_fn of a tensor written in part: through x[idx] = v or through a view of it.

    params: (idx, shape) where idx indexes the flattened tensor of that shape.
    """
    __slots__ = ()
    qualified_name = "torch::autograd::CopySlices"

    def backward(self, grad):
        (idx,), shape = self.params
        flat = grad.reshape(-1)
        kept = flat.masked_fill(_mask_of(idx, flat), 0.0)
        return kept.reshape(shape), flat[idx]


class IndexPutBackward0(CopySlices):
    """x[idx] = v with only advanced (tensor, list) indices: PyTorch's index_put_ on x."""
    __slots__ = ()
    qualified_name = None


def _is_index_put(idx):
    """Whether PyTorch writes x[idx] = v with index_put_ on x itself (advanced indices and
    no-op ones only) rather than into a view of x (which gives CopySlices)."""
    return _is_advanced(idx) and all(
        i is Ellipsis or (i == slice(None) if isinstance(i, slice) else
                          not (i is None or isinstance(i, int)))
        for i in idx)


def _mask_of(idx, flat):
    xp = xp_of(flat._data)
    m = xp.zeros(flat._data.shape, dtype=bool)
    m[idx._data] = True
    return wrap(m)


class AsStridedBackward0(Node):
    """A view re-read from its base after an in-place write (PyTorch regenerates it so)."""
    __slots__ = ()

    def backward(self, grad):
        idx, shape = self.params
        import math
        return embed(grad.reshape(-1), (math.prod(shape),), (idx._data.reshape(-1),)) \
            .reshape(shape)


def logical_index(base, view):
    """For each element of `view`, its C-order flat index in `base` (a long tensor)."""
    bd, vd = base._data, view._data
    xp = xp_of(bd)
    ids = xp.empty_like(bd, dtype=np.int64)  # same memory layout as base
    ids[...] = xp.arange(bd.size, dtype=np.int64).reshape(bd.shape)
    item = bd.itemsize
    offset = (_address(vd) - _address(bd)) // item
    strides = tuple(s // item * 8 for s in vd.strides)
    flat = ids.ravel(order="K")  # a view: empty_like gives a dense layout
    region = np.lib.stride_tricks.as_strided(flat[offset:], vd.shape, strides) \
        if xp is np else xp.lib.stride_tricks.as_strided(flat[offset:], vd.shape, strides)
    return wrap(region.copy())


def _address(a):
    iface = getattr(a, "__array_interface__", None)
    return iface["data"][0] if iface else a.data.ptr


def setitem(x, index, value):
    """x[index] = value, in place, with PyTorch's autograd checks."""
    from .inplace import check_inplace
    xd = x._data
    idx = normalise_index(index, xp_of(xd))
    recording = check_inplace(x, through_view=True) or (
        GradMode.enabled and isinstance(value, Tensor) and value._rg)
    if isinstance(value, Tensor):
        v = value._data
        if v.dtype != xd.dtype:
            if not can_cast(value.dtype, x.dtype) and value.ndim:
                pass  # PyTorch casts silently in index_put / copy_
            v = v.astype(xd.dtype)
    elif isinstance(value, (int, float, bool, complex, np.number, np.bool_)):
        v = value
    elif isinstance(value, (list, tuple)):
        v = np.asarray(value, dtype=xd.dtype)
    else:
        raise TypeError(f"can't assign a {type(value).__name__} to a "
                        f"torch.{x.dtype.legacy}")
    if not _is_advanced(idx):
        _check_int_bounds(idx, xd.shape)
    try:
        xd[idx] = v
    except IndexError as e:
        raise _translate(e, xd.shape) from None
    except ValueError:
        tgt = list(xd[idx].shape)
        src = list(np.shape(v))
        if not _is_advanced(idx):
            from .shape import expand
            expand(wrap(np.zeros(src)), tgt)  # raises PyTorch's expand error
        raise RuntimeError(f"shape mismatch: value tensor of shape {src} cannot be "
                           f"broadcast to indexing result of shape {tgt}") from None
    x._bump()
    if recording:
        _record_setitem(x, idx, value)


def _record_setitem(x, idx, value):
    """Autograd for x[idx] = value: x's new value is its old one with the region replaced."""
    from .inplace import commit_history
    import math
    shape = x._data.shape
    xp = xp_of(x._data)
    region = getitem(wrap(xp.arange(math.prod(shape), dtype=np.int64).reshape(shape)), idx)
    flat_idx = region.reshape(-1)
    if isinstance(value, Tensor) and value._rg:
        v = value.expand(region.shape).reshape(-1).to(x.dtype)
    else:
        v = None
    new = wrap(x._data)
    inputs = (_graph_alias(x), v)
    node = IndexPutBackward0 if _is_index_put(idx) else CopySlices
    record(node, new, inputs, ((flat_idx,), shape))
    commit_history(x, new)


def _graph_alias(x):
    """x's position in the graph before the write (the data is not read by the backward)."""
    t = wrap(x._data)
    t._fn, t._rg, t._accumulator = x._fn, x._rg, x._accumulator
    return t
