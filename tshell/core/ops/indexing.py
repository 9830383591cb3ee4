"""Indexing: x[...] reads (views for basic indices, copies for advanced) and x[...] = v."""
from __future__ import annotations

import re

import numpy as np

from .. import limits
from ..autograd import GradMode, Node
from ..backend import BY_ARRAY_TYPE, xp_of
from ..dtypes import COMPLEX, INTEGRAL, TYPEMETA_NAMES, bool_, can_cast
from ..tensor import Tensor, make_view, record, register_view, wrap
from .common import dense, wrap_dim
from .elementwise import not_implemented_node


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
    if isinstance(item, list) or type(item) in BY_ARRAY_TYPE:     # backward passes arrays
        arr = np.asarray(item) if isinstance(item, list) else item
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


def _check_advanced(xd, idx):
    """The memory cap for xd[idx] with index arrays, before NumPy gathers: they may be
    expanded views, broadcast against each other, or masks with many True entries."""
    bound = xd.nbytes                   # the result takes at most this many bytes
    for i in idx:
        if i.__class__ in BY_ARRAY_TYPE:
            bound *= i.size
    if bound > limits.CAP.bytes_or_default():       # only then is the exact shape worth it
        shape = _advanced_shape(xd.shape, idx)
        if shape is not None:
            limits.check_result(shape, xd.itemsize)


def _is_mask(i):
    return hasattr(i, "dtype") and i.dtype.kind == "b"


def _advanced_shape(shape, idx):
    """The shape of x[idx] for an array of `shape` and an index with arrays (NumPy's rule:
    the broadcast index shape replaces the indexed dims when they are adjacent, else comes
    first), or None when the index is invalid (the indexing says why)."""
    used = sum(i.ndim if _is_mask(i) else 1 for i in idx
               if i is not None and i is not Ellipsis and not isinstance(i, (bool, np.bool_)))
    if used > len(shape):
        return None
    out, picked, first, last, apart, dim = [], [], None, None, False, 0
    for k, i in enumerate(idx):
        if i is Ellipsis:
            out.extend(shape[dim:dim + len(shape) - used])
            dim += len(shape) - used
            continue
        if i is None:
            out.append(1)
            continue
        if isinstance(i, slice):
            out.append(len(range(*i.indices(shape[dim]))))
            dim += 1
            continue
        if isinstance(i, (bool, np.bool_)):          # a 0-d mask: a dim of 1 or 0
            picked.append((int(i),))
        elif _is_mask(i):                            # its True entries, counted in place
            picked.append((int(xp_of(i).count_nonzero(i)),))
            dim += i.ndim
        else:
            picked.append(getattr(i, "shape", ()))
            dim += 1
        if first is None:
            first = len(out)
        elif last != k - 1:
            apart = True
        last = k
    out.extend(shape[dim:])
    try:
        together = np.broadcast_shapes(*picked)
    except ValueError:
        return None
    at = 0 if apart else first
    return tuple(out[:at]) + tuple(together) + tuple(out[at:])


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
                  r"(?:size of )?(?:axis|dimension) is (\d+) but (?:size of )?corresponding "
                  r"boolean (?:axis|dimension) is (\d+)", msg)      # NumPy's or CuPy's words
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


def _check_device_index(idx, shape):
    """What NumPy checks when indexing and a device's array module does not (CuPy wraps an
    out-of-range index, and words index arrays that do not broadcast as a ValueError)."""
    def is_mask(i):
        return i.dtype.kind == "b"
    arrays = [i for i in idx if hasattr(i, "dtype") and not is_mask(i)]
    if len(arrays) > 1:
        try:
            np.broadcast_shapes(*(a.shape for a in arrays))
        except ValueError:
            shapes = ", ".join(str(list(a.shape)) for a in arrays)
            raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                             f"with shapes {shapes}") from None
    used = sum(i.ndim if hasattr(i, "dtype") and is_mask(i) else 1
               for i in idx if i is not None and i is not Ellipsis)
    dim = 0
    for i in idx:
        if i is Ellipsis:
            dim += len(shape) - used
        elif hasattr(i, "dtype") and is_mask(i):
            dim += i.ndim
        elif i is not None:
            if hasattr(i, "dtype") and i.size and dim < len(shape):
                n = shape[dim]
                bad = (i >= n) | (i < -n)
                if bool(bad.any()):
                    raise IndexError(f"index {int(i[bad][0])} is out of bounds for dimension "
                                     f"{dim} with size {n}")
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
    else:
        if xp_of(xd) is not np:
            _check_device_index(idx, xd.shape)
        _check_advanced(xd, idx)
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
    d, index = _select_position(input._data, dim, index)
    return getitem(input, (slice(None),) * d + (index,))


def _select_position(xd, dim, index):
    """(dim, index) of select(dim, index) on array xd, both wrapped, or PyTorch's error."""
    d = wrap_dim(dim, xd.ndim)
    size = xd.shape[d]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(xd.shape)} at dimension {d}")
    return d, int(index) % size


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
        _ufunc_at(xp, "add", z, idx, gd)  # repeated indices accumulate
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


class _GatherBack(Node):
    """gather: the gradient is scatter_add-ed back (so it is differentiable again)."""
    __slots__ = ()

    def backward(self, grad):
        shape, dim, index = self.params
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


def gather(input, dim, index):
    """Values of input picked along dim by an index tensor of the same rank."""
    d = wrap_dim(dim, input._data.ndim)
    if index.dtype.name not in ("int64", "int32"):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    dense(index, input._data.itemsize)         # the result: one entry per index
    n = _dim_size(input, d)
    bad = _first_out_of_range(index._data, n)
    if bad is not None:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
    r = wrap(xp_of(input._data).take_along_axis(input._data, index._data, axis=d))
    if GradMode.enabled and input._rg:
        record(_GatherBack, r, (input,), (input._data.shape, d, index))
    return r


def _dim_size(t, d):
    return t._data.shape[d] if t._data.ndim else 1


def _first_out_of_range(idx, n):
    """The first index outside [0, n) (negative ones too, as PyTorch's gather and
    index_select refuse them), or None."""
    limits.check_dense(idx, 1)                  # the test's masks: idx may be expanded
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
        limits.check_result(np.broadcast_shapes(mask._data.shape, xd.shape), xd.itemsize)
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
    xd = input._data
    count = int(xp_of(xd).count_nonzero(xd))     # counted in place, nothing allocated
    limits.check_result((count, xd.ndim), 8)
    idx = xp_of(xd).nonzero(xd)
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
        v = xp_of(xd).asarray(value, dtype=xd.dtype)
    else:
        raise TypeError(f"can't assign a {type(value).__name__} to a "
                        f"torch.{x.dtype.legacy}")
    if not _is_advanced(idx):
        _check_int_bounds(idx, xd.shape)
    elif xp_of(xd) is not np:
        _check_device_index(idx, xd.shape)
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


# ---- scatter / index_* / put / take and the *_scatter ops -----------------------------------
#
# Each op: a forward on arrays (of the data's array module), a grad_fn named as PyTorch names
# it whose backward is written with tensor ops (so create_graph=True differentiates it again),
# PyTorch's argument checks and texts. The in-place twins (scatter_, index_add_...) run the
# out-of-place op through inplace.apply_inplace (version counter, leaf checks, history).

def _ufunc_at(xp, name, target, idx, values):
    """target[idx] op= values with repeated indices combined (np.add.at and its kin).

    The one place that knows how each backend does it: ufunc.at (NumPy, CuPy 13), else
    cupyx's scatter_add / scatter_max / scatter_min, else (CuPy has no multiply.at) the
    host computes it and the result is copied back."""
    ufunc = getattr(xp, name)
    try:
        ufunc.at(target, idx, values)
        return
    except (AttributeError, NotImplementedError):
        pass
    fn = {"add": "scatter_add", "maximum": "scatter_max", "minimum": "scatter_min"}.get(name)
    if fn is not None:
        import cupyx
        getattr(cupyx, fn)(target, idx, values)
        return
    from ..backend import backend_of
    to_host = backend_of(target).to_host
    host = to_host(target)
    idx = tuple(to_host(i) if hasattr(i, "shape") else i for i in
                (idx if isinstance(idx, tuple) else (idx,)))
    getattr(np, name).at(host, idx, to_host(values) if hasattr(values, "shape") else values)
    target[...] = xp.asarray(host)


def _needs(node, i):
    """Whether input i of node wants a gradient (PyTorch computes only those)."""
    return node.next_functions[i][0] is not None


def _require_tensor(value, fn, arg, pos):
    if not isinstance(value, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not "
                        f"{type(value).__name__}")


def _scalar_value(value, t):
    """A Python number (or 0-d tensor's value) as t's dtype stores it (PyTorch's checks)."""
    from ..dtypes import check_fits
    if isinstance(value, Tensor):
        value = value.item()
    if isinstance(value, complex) and t.dtype.category != COMPLEX:
        raise RuntimeError(f"value cannot be converted to type {TYPEMETA_NAMES[t.dtype.name]} "
                           "without overflow")
    return check_fits(value, t.dtype)


def _result(array, node, inputs, params):
    """The op's result tensor over array, recorded as node when an input requires grad."""
    r = wrap(array)
    if GradMode.enabled and any(t._rg for t in inputs):
        record(node, r, inputs, params)
    return r


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


class ScatterBackward0(Node):
    """scatter(dim, index, src): self loses the overwritten entries, src gets a gather."""
    __slots__ = ()

    def backward(self, grad):
        dim, index, src_shape = self.params
        g_self = scatter(grad, dim, index, 0) if _needs(self, 0) else None
        return (g_self, _gathered_grad(self, grad)) if src_shape is not None else g_self


class ScatterBackward1(ScatterBackward0):
    """scatter(dim, index, value): only self, and not where the value was written."""
    __slots__ = ()


class ScatterAddBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return grad, _gathered_grad(self, grad)


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
            import warnings
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
    inputs = (input, src) if src is not None else (input,)
    if GradMode.enabled and any(t._rg for t in inputs):
        if reduce is not None:
            record(_ScatterReduceNotImplemented, r, inputs)
        elif src is not None:
            record(ScatterBackward0, r, inputs, (d, index, src._data.shape))
        else:
            record(ScatterBackward1, r, inputs, (d, index, None))
    return r


def scatter_add(input, dim, index, src):
    """Copy of input with src's entries added at index along dim (repeats accumulate)."""
    _require_tensor(src, "scatter_add", "src", 3)
    d = _scatter_checks("scatter", input, dim, index, src)
    return _result(_scatter_array(dense(input), d, index._data, src._data, "sum"),
                   ScatterAddBackward0, (input, src),
                   (d, index, src._data.shape))


class ScatterReduceBackward0(Node):
    """scatter_reduce: PyTorch's scatter_reduce_backward, written with tensor ops."""
    __slots__ = ()

    def backward(self, grad):
        from .pointwise import where
        dim, index, reduce, include_self = self.params
        self_, src = self.saved[:2]
        result = self.saved[2] if len(self.saved) > 2 else None
        if _needs(self, 1) and index.shape != src.shape:
            raise _invalid_grad(self, 1, index.shape, src.shape)
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
        return (g_self if _needs(self, 0) else None), (g_src if _needs(self, 1) else None)


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """Copy of input with src's entries reduced (sum, prod, mean, amax, amin) into it."""
    _require_tensor(src, "scatter_reduce", "src", 3)
    how = {"max": "amax", "min": "amin"}.get(reduce, reduce)  # legacy names: forward only
    if how not in _SCATTER_REDUCES:
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    d = _scatter_checks("scatter_reduce", input, dim, index, src)
    r = wrap(_scatter_array(dense(input), d, index._data, src._data, how, include_self))
    if GradMode.enabled and (input._rg or src._rg):
        if how in ("prod", "amax", "amin"):
            # backward reads the result: a detached copy, so later in-place changes of r
            # do not reach it
            res = wrap(r._data.copy())
            save = (input, src, res)
        else:
            save = (input, src)
        record(ScatterReduceBackward0, r, (input, src), (d, index, reduce, include_self),
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


class IndexAddBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        dim, index, alpha, src_shape = self.params
        g_src = None
        if _needs(self, 1):
            g = _as_1d_tensor(grad).index_select(dim, index).reshape(src_shape)
            g_src = g if alpha == 1 else _times_scalar(g, alpha)
        return grad, g_src


class MulBackward1(Node):
    """t * a Python number, as PyTorch's C++ derivatives write it (mul.Scalar)."""
    __slots__ = ()

    def backward(self, grad):
        return _times_scalar(grad, self.params)


def _times_scalar(t, alpha):
    r = wrap((t._data * alpha).astype(t._data.dtype, copy=False))
    if GradMode.enabled and t._rg:
        record(MulBackward1, r, (t,), alpha)
    return r


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
    r = wrap(out)
    if GradMode.enabled and (input._rg or source._rg):
        record(IndexAddBackward0, r, (input, source),
               (d, index.reshape(-1), alpha, source._data.shape))
    return r


class IndexCopyBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        dim, index, src_shape = self.params
        g_self = index_fill(grad, dim, index, 0) if _needs(self, 0) else None
        g_src = (_as_1d_tensor(grad).index_select(dim, index).reshape(src_shape)
                 if _needs(self, 1) else None)
        return g_self, g_src


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
    return _result(out, IndexCopyBackward0, (input, source),
                   (d, index.reshape(-1), sd.shape))


def _shape_text(sizes):
    """A list of sizes as c10 streams a std::vector (elements joined by spaces)."""
    return " ".join(str(s) for s in sizes)


class IndexFillBackward0(Node):
    """index_fill with a number: the filled slices take no gradient."""
    __slots__ = ()

    def backward(self, grad):
        dim, index = self.params
        return index_fill(grad, dim, index, 0)


class IndexFillBackward1(IndexFillBackward0):
    """index_fill with a 0-d tensor: it gets the sum over the (distinct) filled slices."""
    __slots__ = ()

    def backward(self, grad):
        dim, index = self.params
        g_value = None
        if _needs(self, 1):
            uniq = wrap(xp_of(index._data).unique(index._data))
            g_value = _as_1d_tensor(grad).index_select(dim, uniq).sum()
        return (super().backward(grad) if _needs(self, 0) else None), g_value


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
    if bad.any():
        raise IndexError(f"index {int(idx[bad][0])} is out of bounds for dimension {d} with "
                         f"size {size}")
    idx = idx % size if size else idx
    v = value._data.astype(xd.dtype) if tv else _scalar_value(value, input)
    out = dense(input).copy()
    _as_1d(out)[_along(d, idx)] = v
    r = wrap(out)
    if GradMode.enabled and (input._rg or tv and value._rg):
        wrapped = wrap(idx)
        if tv:
            record(IndexFillBackward1, r, (input, value), (d, wrapped))
        else:
            record(IndexFillBackward0, r, (input,), (d, wrapped))
    return r


# index_put --------------------------------------------------------------------------------------

class _PutLikeBack(Node):
    """index_put / put: self keeps the gradient except where values were written (all of it
    when they were added); the values get the gradient read back at their places."""
    __slots__ = ()

    def backward(self, grad):
        where, accumulate, src_shape = self.params
        g_self = None
        if _needs(self, 0):
            g_self = grad if accumulate else self.write(grad, where, grad.new_zeros(src_shape))
        g_src = self.read(grad, where, src_shape) if _needs(self, 1) else None
        return g_self, g_src


class _IndexPutBack(_PutLikeBack):
    __slots__ = ()
    write = staticmethod(lambda grad, idx, zeros: index_put(grad, idx, zeros, False))
    read = staticmethod(lambda grad, idx, shape: getitem(grad, idx))


_IndexPutBack.__name__ = "IndexPutBackward0"


def _index_put_indices(indices):
    if not isinstance(indices, (tuple, list)):
        raise TypeError("index_put(): argument 'indices' (position 1) must be tuple of Tensors, "
                        f"not {type(indices).__name__}")
    for k, t in enumerate(indices):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got "
                            f"{type(t).__name__}")
    return tuple(indices)


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
    return _result(out, _IndexPutBack, (input, values),
                   (indices, accumulate, values._data.shape))


# masked_scatter ---------------------------------------------------------------------------------

class MaskedScatterBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        from .shape import cat
        mask, src_shape = self.params
        g_self = masked_fill(grad, mask, 0.0) if _needs(self, 0) else None
        g_src = None
        if _needs(self, 1):
            picked = masked_select(grad, mask)
            import math
            rest = math.prod(src_shape) - picked._data.size
            if rest:
                picked = cat([picked, grad.new_zeros((rest,))])
            g_src = picked.reshape(src_shape)
        return g_self, g_src


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
        from .common import broadcast_error
        raise broadcast_error(xd.shape, md.shape) from None
    limits.check_result(shape, xd.itemsize)
    m = xp.broadcast_to(md, shape)
    n = int(m.sum())
    if n > source._data.size:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    out = xp.broadcast_to(xd, shape).copy()
    out[m] = source._data.reshape(-1)[:n]
    r = wrap(out)
    if GradMode.enabled and (input._rg or source._rg):
        mt = mask if md.shape == shape else wrap(xp.ascontiguousarray(m))
        record(MaskedScatterBackward0, r, (input, source), (mt, source._data.shape))
    return r


# take / put / take_along_dim --------------------------------------------------------------------

def _flat_bounds(idx, n):
    """take/put's check: indices in [-n, n), as PyTorch words it."""
    limits.check_dense(idx, 1)                  # the test's masks: idx may be expanded
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {int(idx[bad].reshape(-1)[0])} "
                         f"on a tensor of {n} elements.")


class TakeBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, index = self.params
        z = grad.new_zeros(shape)
        return put(z, index, grad, accumulate=True)


def take(input, index):
    """input's entries at flat (row-major) positions index, shaped as index."""
    _require_tensor(index, "take", "index", 1)
    if index.dtype.name != "int64":
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           + index.dtype.short)
    xd = dense(input)                           # flattened first
    dense(index, xd.itemsize)                   # the result: one entry per index
    _flat_bounds(index._data, xd.size)
    r = wrap(xd.reshape(-1)[index._data])
    if GradMode.enabled and input._rg:
        record(TakeBackward0, r, (input,), (xd.shape, index))
    return r


class PutBackward0(_PutLikeBack):
    __slots__ = ()
    write = staticmethod(lambda grad, index, zeros: put(grad, index, zeros))
    read = staticmethod(lambda grad, index, shape: take(grad, index).reshape(shape))


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
    return _result(out, PutBackward0, (input, source),
                   (index, accumulate, source._data.shape))


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
        from .common import broadcast_error
        raise broadcast_error(tuple(a), ish) from None
    in_shape, idx_shape = list(shape), list(shape)
    if shape:
        in_shape[d], idx_shape[d] = (xs[d], ish[d])
    return gather(input.expand(*in_shape), d, indices.expand(*idx_shape))


# select_scatter / slice_scatter / diagonal_scatter / narrow_copy ---------------------------------

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
    return _result(out, node, (input, src),
                   params)


class SelectScatterBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        dim, index, src_shape = self.params
        g_self = (select_scatter(grad, grad.new_zeros(src_shape), dim, index)
                  if _needs(self, 0) else None)
        return g_self, (select(grad, dim, index) if _needs(self, 1) else None)


def select_scatter(input, src, dim, index):
    """Copy of input with src written at position index of dim (src has that slice's shape)."""
    _require_tensor(src, "select_scatter", "src", 1)
    d, index = _select_position(input._data, dim, index)
    return _embed_src(input, src, _along(d, index), SelectScatterBackward0,
                      (d, index, src._data.shape))


class SliceScatterBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        d, sl, src_shape = self.params
        g_self = None
        if _needs(self, 0):
            g_self = slice_scatter(grad, grad.new_zeros(src_shape), d, sl.start, sl.stop,
                                   sl.step)
        return g_self, (getitem(grad, _along(d, sl)) if _needs(self, 1) else None)


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


class DiagonalScatterBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        from .shape import diagonal
        offset, d1, d2, src_shape = self.params
        g_self = (diagonal_scatter(grad, grad.new_zeros(src_shape), offset, d1, d2)
                  if _needs(self, 0) else None)
        return g_self, (diagonal(grad, offset, d1, d2) if _needs(self, 1) else None)


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """Copy of input with src written into the offset-th diagonal of dims dim1, dim2."""
    from .shape import _diag_dims, _diagonal_array
    _require_tensor(src, "diagonal_scatter", "src", 1)
    d1, d2 = _diag_dims(input._data.ndim, dim1, dim2)
    offset = int(offset)
    return _embed_src(input, src, lambda out: _diagonal_array(out, offset, d1, d2),
                      DiagonalScatterBackward0, (offset, d1, d2, src._data.shape))


class NarrowCopyBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, idx = self.params
        return embed(grad, shape, idx)


def narrow_copy(input, dim, start, length):
    """narrow(), as a new tensor rather than a view."""
    from .shape import narrow
    xd = input._data
    if xd.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if isinstance(dim, int) and not -xd.ndim <= dim < xd.ndim:
        raise RuntimeError("Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, "
                           "but got false.  (Could this error message be improved?  If so, "
                           "please report an enhancement request to PyTorch.)")
    view = narrow(input.detach(), dim, _int(start), _int(length))
    r = wrap(dense(view).copy())
    if GradMode.enabled and input._rg:
        d = wrap_dim(dim, xd.ndim)
        s = _int(start) % xd.shape[d] if xd.shape[d] else 0
        record(NarrowCopyBackward0, r, (input,),
               (xd.shape, _along(d, slice(s, s + _int(length)))))
    return r


# in-place twins -------------------------------------------------------------------------------

def _inplace(op, fn_name=None):
    """name_ of an op above: the op applied to self's old value, written into self."""
    from .inplace import apply_inplace

    def method(self, *args, **kwargs):
        return apply_inplace(self, op, *args, **kwargs)
    method.__name__ = method.__qualname__ = (fn_name or op.__name__) + "_"
    method.__doc__ = f"In-place version of {op.__name__}()."
    return method


_scatter_inplace = _inplace(scatter)


def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    return _scatter_inplace(self, dim, index, value if src is None else src, reduce=reduce)


scatter_add_ = _inplace(scatter_add)
scatter_reduce_ = _inplace(scatter_reduce)
index_add_ = _inplace(index_add)
index_copy_ = _inplace(index_copy)
index_fill_ = _inplace(index_fill)


def index_put_(self, indices, values, accumulate=False):
    return _inplace(index_put)(self, indices, values, accumulate)


def masked_scatter_(self, mask, source):
    if isinstance(mask, Tensor) and mask.dtype is bool_ and mask.shape != self.shape:
        mask = mask.expand(self.shape)
    return _inplace(masked_scatter)(self, mask, source)


def put_(self, index, source, accumulate=False):
    return _inplace(put)(self, index, source, accumulate, _fn="put_")
