"""x[idx] = v: a write through an index, in place, with PyTorch's autograd checks and grad_fns
(CopySlices, or IndexPutBackward0 when only tensor indices are involved)."""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..autograd import GradMode
from ..backend import is_writeable, writable_alias, xp_of
from ..meta import has_values
from ..registry import export
from ..forward_ad import commit_setitem
from ..tensor import Duals, Tensor, record, wrap
from .indexing import (CopySlices, _check_device_index, _check_int_bounds, _is_advanced,
                       _translate, getitem, normalise_index)
from .inplace import check_inplace, check_no_overlap, commit_history
from .shape import expand


@export("Tensor.__setitem__")
def setitem(x, index, value):
    """x[index] = value, in place, with PyTorch's autograd checks."""
    xd = x._data
    idx = normalise_index(index, xp_of(xd))
    recording = check_inplace(x, through_view=True) or (
        GradMode.enabled and isinstance(value, Tensor) and value._rg)
    if isinstance(value, Tensor):
        v = value._data
        if v.dtype != xd.dtype:
            v = v.astype(xd.dtype)        # PyTorch casts silently in index_put / copy_
    elif isinstance(value, (int, float, bool, complex, np.number, np.bool_)):
        v = value
    elif isinstance(value, (list, tuple)):
        v = xp_of(xd).asarray(value, dtype=xd.dtype)
    else:
        raise TypeError(f"can't assign a {type(value).__name__} to a "
                        f"torch.{x.dtype.legacy}")
    v = _without_leading_ones(v)
    if not _is_advanced(idx):
        _check_int_bounds(idx, xd.shape)
    elif xp_of(xd) is not np and has_values(xd):       # meta: no index values checked
        _check_device_index(idx, xd.shape)
    try:
        _target(xd, idx)[idx] = v
    except IndexError as e:
        raise _translate(e, xd.shape) from None
    except ValueError:
        tgt = list(xd[idx].shape)
        src = list(np.shape(v))
        if not _is_advanced(idx):       # raises PyTorch's expand error
            expand(wrap(np.zeros(src, getattr(value, "_data", v).dtype)), tgt)
        raise RuntimeError(f"shape mismatch: value tensor of shape {src} cannot be "
                           f"broadcast to indexing result of shape {tgt}") from None
    x._bump()
    if recording:
        _record_setitem(x, idx, value)
    if Duals:
        commit_setitem(x, index, value)


def _without_leading_ones(v):
    """The value as PyTorch writes it: without its leading size-1 dims (slicePrefix1sSize), so
    that x[i] = t of shape (1, 1) fills one element."""
    shape = getattr(v, "shape", ())
    k = 0
    while k < len(shape) and shape[k] == 1:
        k += 1
    return v.reshape(shape[k:]) if k else v


EXPANDED_INDEX_PUT_WARNING = (
    "Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before "
    "performing this operation. This also applies to advanced indexing e.g. "
    "tensor[indices] = tensor")


def _target(xd, idx):
    """Where x[idx] = v writes: x's array, or for an expanded x (a read-only broadcast view)
    a writable alias when the selection writes each element once (x[0] = row), as PyTorch
    allows."""
    if is_writeable(xd):
        return xd
    if _is_advanced(idx):
        warnings.warn(EXPANDED_INDEX_PUT_WARNING, UserWarning, stacklevel=3)
    else:
        check_no_overlap(wrap(xd[idx]))
    alias = writable_alias(xd)
    return xd if alias is None else alias


IndexPutBackward0 = type("IndexPutBackward0", (CopySlices,), {
    "__slots__": (), "qualified_name": None,
    "__doc__": "x[idx] = v with only advanced (tensor, list) indices: PyTorch's index_put_ "
               "on x."})


def _is_index_put(idx):
    """Whether PyTorch writes x[idx] = v with index_put_ on x itself (advanced indices and
    no-op ones only) rather than into a view of x (which gives CopySlices)."""
    return _is_advanced(idx) and all(
        i is Ellipsis or (i == slice(None) if isinstance(i, slice) else
                          not (i is None or isinstance(i, int)))
        for i in idx)


def _record_setitem(x, idx, value):
    """Autograd for x[idx] = value: x's new value is its old one with the region replaced."""
    shape = x._data.shape
    xp = xp_of(x._data)
    region = getitem(wrap(xp.arange(math.prod(shape), dtype=np.int64).reshape(shape)), idx)
    flat_idx = region.reshape(-1)
    if isinstance(value, Tensor) and value._rg:
        v = _without_leading_ones(value).expand(region.shape).reshape(-1).to(x.dtype)
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
