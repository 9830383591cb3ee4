"""Indexing: x[...] reads (views for basic indices, copies for advanced), the ops that are
reads by an index (select, index_select, masked_select, masked_fill, nonzero), and the grad_fns
of writes through an index or a view (CopySlices, AsStridedBackward0), which inplace and
setitem record.

Module order (no cycles): indexing < pointwise, inplace < shape < scatter, setitem.
"""
from __future__ import annotations

import math
import re

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative
from ..backend import BY_ARRAY_TYPE, address, backend_of, strided_view, xp_of
from ..dtypes import INTEGRAL, TYPEMETA_NAMES, bool_
from ..meta import NO_NONZERO, MetaArray, has_values
from ..registry import export
from ..tensor import Duals, Tensor, make_view, record, record_if, register_view, wrap
from .common import broadcast_error, wrap_dim
from .creation import host_array, scalar_tensor_like


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
        if arr.dtype.kind == "f" and isinstance(item, list):    # PyTorch truncates them
            arr = arr.astype(np.int64)
        if arr.dtype.kind not in "iub" and arr.size:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return xp.asarray(arr.astype(np.int64) if arr.dtype.kind != "b" else arr)
    if isinstance(item, range):         # PyTorch reads a range as the sequence it holds
        limits.check_result((len(item),), 8)
        return xp.arange(item.start, item.stop, item.step, dtype=np.int64)
    if item is None or item is Ellipsis or isinstance(item, (bool, np.bool_)):
        return item
    if isinstance(item, (int, np.integer)):
        return int(item)
    if hasattr(type(item), "__array__"):        # tsh's numpy arrays index as their tensors do
        arr = host_array(item)
        if arr.__class__ is np.ndarray and arr.dtype.kind in "biuf":
            if arr.dtype.kind == "f":       # as in a list: truncated to ints
                arr = arr.astype(np.int64)
            return int(arr) if arr.ndim == 0 and arr.dtype.kind != "b" else \
                _convert_item(arr, xp)      # a 0-d integer one selects, as a 0-d tensor does
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


# NumPy's messages, read at an error (compiled then, by re's cache: not at import).
_NUMPY_BOUNDS = r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)"
_NUMPY_TOO_MANY = r"too many indices for array: array is (\d+)-dimensional"


def _translate(err, shape):
    """NumPy's IndexError text in PyTorch's words."""
    msg = str(err)
    m = re.search(_NUMPY_BOUNDS, msg)
    if m:
        return IndexError(f"index {m.group(1)} is out of bounds for dimension {m.group(2)} with "
                          f"size {m.group(3)}")
    m = re.search(_NUMPY_TOO_MANY, msg)
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
            if hasattr(i, "dtype") and i.size and dim < len(shape) and has_values(i):
                n = shape[dim]
                bad = (i >= n) | (i < -n)
                if bool(bad.any()):
                    raise IndexError(f"index {int(i[bad][0])} is out of bounds for dimension "
                                     f"{dim} with size {n}")
            dim += 1


@derivative
def _IndexBack(node, grad):
    """x[idx]: the gradient is scattered back into a zero tensor of x's shape."""
    shape, idx = node.params
    return embed(grad, shape, idx)


SelectBackward0 = type("SelectBackward0", (_IndexBack,), {"__slots__": ()})
SliceBackward0 = type("SliceBackward0", (_IndexBack,), {"__slots__": ()})
IndexBackward0 = type("IndexBackward0", (_IndexBack,), {"__slots__": ()})
UnsqueezeBackward0 = type("UnsqueezeBackward0", (_IndexBack,), {"__slots__": ()})
AliasBackward0 = type("AliasBackward0", (_IndexBack,), {"__slots__": ()})
IndexSelectBackward0 = type("IndexSelectBackward0", (_IndexBack,), {"__slots__": ()})


@export("Tensor.__getitem__")
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
        if xp_of(xd) is not np and has_values(xd):
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
    # not record_if: a basic index is a view, which needs grad even in no_grad mode
    if GradMode.enabled and x._rg:
        record(node or _grad_fn_kind(idx, xd.shape), out, (x,), (xd.shape, idx))
        if not advanced:
            register_view(out)
    else:
        if x._rg and not advanced:
            out._rg = out._nograd_view = True   # as shape._view_of: a view of x requires grad
        if Duals:
            Duals.propagate(node or _grad_fn_kind(idx, xd.shape), out, (x,), (xd.shape, idx),
                            (), False)
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


@export("torch", "Tensor")
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



@derivative
def EmbedBackward(node, grad):
    """Backward of embed (used for double backward through indexing): re-index."""
    return getitem(grad, node.params)


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
    return record_if(EmbedBackward, wrap(z), (grad,), idx)


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
        import cupyx     # late: installed only where CuPy is, and only CuPy arrays come here
        getattr(cupyx, fn)(target, idx, values)
        return
    to_host = backend_of(target).to_host
    host = to_host(target)
    idx = tuple(to_host(i) if hasattr(i, "shape") else i for i in
                (idx if isinstance(idx, tuple) else (idx,)))
    getattr(np, name).at(host, idx, to_host(values) if hasattr(values, "shape") else values)
    target[...] = xp.asarray(host)


def _dim_size(t, d):
    return t._data.shape[d] if t._data.ndim else 1


def _first_out_of_range(idx, n):
    """The first index outside [0, n) (negative ones too, as PyTorch's gather and
    index_select refuse them), or None."""
    if not has_values(idx):
        return None
    limits.check_dense(idx, 1)                  # the test's masks: idx may be expanded
    bad = (idx < 0) | (idx >= n)
    return int(idx[bad].reshape(-1)[0]) if bad.any() else None


@export("torch", "Tensor")
def index_select(input, dim, index):
    """Entries along dim picked by a 1-D index tensor (a copy)."""
    d = wrap_dim(dim, input._data.ndim)
    if index._data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if has_values(input._data) and \
            _first_out_of_range(index._data, _dim_size(input, d)) is not None:
        raise IndexError("index out of range in self")
    return getitem(input, (slice(None),) * d + (index.reshape(-1),), IndexSelectBackward0)


MaskedSelectBackward0 = type("MaskedSelectBackward0", (_IndexBack,), {"__slots__": ()})


@export("torch", "Tensor")
def masked_select(input, mask):
    if mask.shape == input.shape:
        return getitem(input, mask, MaskedSelectBackward0)
    shape = np.broadcast_shapes(input.shape, mask.shape)
    return getitem(input.expand(*shape), mask.expand(*shape), MaskedSelectBackward0)


@derivative
def MaskedFillBackward0(node, grad):
    """masked_fill with a number: the filled entries take no gradient."""
    mask, = node.params
    return masked_fill(grad, mask, 0.0)


@derivative(base=MaskedFillBackward0)
def MaskedFillBackward1(node, grad):
    """masked_fill with a 0-d tensor value: the value gets the sum over the filled entries."""
    mask, = node.params
    # the method, where(mask, grad, 0.0): indexing comes before pointwise, whose where(cond)
    # is nonzero
    return MaskedFillBackward0.backward(node, grad), grad.where(mask, 0.0).sum()


@export("torch", "Tensor", "Tensor_")
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
    v = value._data.astype(xd.dtype) if tv else \
        scalar_tensor_like(value, input, dtype=input.dtype)._data
    try:
        limits.check_result(np.broadcast_shapes(mask._data.shape, xd.shape), xd.itemsize)
        r = wrap(xp.where(mask._data, v, xd).astype(xd.dtype, copy=False))
    except ValueError:
        raise broadcast_error(mask._data.shape, xd.shape) from None
    if tv:
        return record_if(MaskedFillBackward1, r, (input, value), (mask,))
    return record_if(MaskedFillBackward0, r, (input,), (mask,))


@export("torch", "Tensor")
def nonzero(input, *, as_tuple=False):
    xd = input._data
    if xd.__class__ is MetaArray:       # its shape depends on the values a meta tensor lacks
        raise NotImplementedError(NO_NONZERO)
    if xd.ndim == 0:            # PyTorch: one row (or index 0) of no coordinates when nonzero
        hit = int(bool(xd))
        xp = xp_of(xd)
        if as_tuple:
            return (wrap(xp.zeros(hit, np.int64)),)
        return wrap(xp.zeros((hit, 0), np.int64))
    count = int(xp_of(xd).count_nonzero(xd))     # counted in place, nothing allocated
    limits.check_result((count, xd.ndim), 8)
    idx = xp_of(xd).nonzero(xd)
    if as_tuple:
        return tuple(wrap(i.astype(np.int64)) for i in idx)
    xp = xp_of(input._data)
    return wrap(xp.stack(idx, axis=1).astype(np.int64) if idx else xp.zeros((0, 0), np.int64))


@export("torch", "Tensor")
def argwhere(input):
    return nonzero(input)


@export("torch", "Tensor")
def nonzero_static(input, *, size, fill_value=-1):
    """nonzero with exactly `size` rows: the first ones found, padded with fill_value."""
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    found = nonzero(input)._data[:size]
    limits.check_result((size, found.shape[1]), 8)
    xp = xp_of(found)
    pad = xp.full((size - found.shape[0], found.shape[1]), fill_value, dtype=np.int64)
    return wrap(xp.concatenate([found, pad]))


# ---- the grad_fns of writes through an index or a view (setitem, inplace) ------------------

@derivative(qualified_name="torch::autograd::CopySlices")
def CopySlices(node, grad):
    """grad_fn of a tensor written in part: through x[idx] = v or through a view of it.

    params: (idx, shape) where idx indexes the flattened tensor of that shape.
    """
    (idx,), shape = node.params
    flat = grad.reshape(-1)
    kept = flat.masked_fill(_mask_of(idx, flat), 0.0)
    return kept.reshape(shape), flat[idx]


def _mask_of(idx, flat):
    xp = xp_of(flat._data)
    m = xp.zeros(flat._data.shape, dtype=bool)
    m[idx._data] = True
    return wrap(m)


@derivative
def AsStridedBackward0(node, grad):
    """A view re-read from its base after an in-place write (PyTorch regenerates it so)."""
    idx, shape = node.params
    return embed(grad.reshape(-1), (math.prod(shape),), (idx._data.reshape(-1),)) \
        .reshape(shape)


def logical_index(base, view):
    """For each element of `view`, its C-order flat index in `base` (a long tensor)."""
    bd, vd = base._data, view._data
    xp = xp_of(bd)
    ids = xp.empty_like(bd, dtype=np.int64)  # same memory layout as base
    ids[...] = xp.arange(bd.size, dtype=np.int64).reshape(bd.shape)
    item = bd.itemsize
    offset = (address(vd) - address(bd)) // item
    strides = tuple(s // item * 8 for s in vd.strides)
    flat = ids.ravel(order="K")  # a view: empty_like gives a dense layout
    region = strided_view(flat[offset:], vd.shape, strides)
    return wrap(region.copy())


