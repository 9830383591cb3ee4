"""Sorting and order statistics along a dim: sort argsort topk, and median nanmedian kthvalue
mode, whose gradients go back to the positions the values came from."""
from __future__ import annotations

import numpy as np

from ..autograd import derivative
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, finish_out, wrap_dim
from . import introsort
from .scatter import scatter_into_zeros
from .reduction import MaxBackward0, MaxBackward1
from .return_types import return_types


# ---- sorting -------------------------------------------------------------------------------

@derivative
def SortBackward0(node, grad):
    """sort/topk: each value's gradient goes back to the position it came from."""
    indices, = node.saved
    shape, dim = node.params
    return scatter_into_zeros(grad, shape, dim, indices)


class TopkBackward0(SortBackward0):
    __slots__ = ()


def _sorted_pair(input, idx, d, node_cls, kind):
    xd = input._data
    xp = xp_of(xd)
    vals = xp.take_along_axis(xd, idx, axis=d) if xd.ndim else xd.copy()
    values, indices = wrap(vals), wrap(idx.astype(np.int64))
    record_if(node_cls, values, (input,), (xd.shape, d), save=(indices,))
    return kind(values, indices)


def _argsort(xd, d, descending, stable=True):
    """Indices sorting xd along d; NaN ranks above every number (last ascending, first
    descending). stable=False orders equal keys as PyTorch's CPU sort does."""
    xp = xp_of(xd)
    if not xd.ndim:
        return xp.zeros((), dtype=np.int64)
    if descending:
        # Stable descending order: sort the reversed array, then map indices back.
        rev = xp.flip(xd, axis=d)
        idx = xp.argsort(rev, axis=d, kind="stable")
        idx = xd.shape[d] - 1 - idx
        idx = xp.flip(idx, axis=d)
    else:
        idx = xp.argsort(xd, axis=d, kind="stable")
    if stable or xp is not np or _radix_sorted(xd, descending):
        return idx
    return _replayed(xd, idx, d, idx.shape[d], introsort.order)


# PyTorch sorts a 1-d integer tensor of at least this many elements ascending with a radix
# sort (stable); other CPU sorts with std::sort (introsort.py).
_RADIX_SIZE = 32768
# Slices with equal keys replay introsort in Python: up to this many elements per call
# (about 0.2 s); beyond, equal keys keep their order (a stable sort).
_INTROSORT_ELEMENTS = 1 << 18


def _radix_sorted(xd, descending) -> bool:
    return not descending and xd.ndim == 1 and xd.dtype.kind in "iu" and \
        xd.shape[0] >= _RADIX_SIZE


def _replayed(xd, idx, d, k, algorithm, pick=None, offset=0):
    """Positions offset..offset+k of idx (a stable order of xd along d; offset an int, or
    one per slice), with the slices that hold equal keys (or those `pick(same, ordered)`
    selects: same marks neighbours equal in sorted order) replaced by `algorithm(ranks)`
    (introsort.py)."""
    rows = np.moveaxis(idx, d, -1)
    ordered = np.take_along_axis(np.moveaxis(xd, d, -1), rows, axis=-1)
    same = ordered[..., 1:] == ordered[..., :-1]                # neighbours in sorted order
    if xd.dtype.kind in "fc":
        same |= np.isnan(ordered[..., 1:]) & np.isnan(ordered[..., :-1])
    shape, count = (*rows.shape[:-1], k), int(np.prod(rows.shape[:-1]))
    rows, same = rows.reshape(count, rows.shape[-1]), same.reshape(count, same.shape[-1])
    chosen = same.any(axis=-1) if pick is None else \
        pick(same, ordered.reshape(count, ordered.shape[-1]))
    replay = np.flatnonzero(chosen)
    result = np.take_along_axis(rows, np.reshape(offset, (-1, 1)) + np.arange(k), axis=-1)
    if replay.size and replay.size * xd.shape[d] <= _INTROSORT_ELEMENTS:
        for r in replay:
            ranks = np.empty(rows.shape[1], dtype=np.int64)   # each position's key as a rank
            ranks[rows[r]] = np.concatenate(([0], np.cumsum(~same[r])))
            result[r] = algorithm(ranks.tolist())
    return np.moveaxis(result.reshape(shape), -1, d)


@export("torch", "Tensor")
def sort(input, dim=-1, descending=False, stable=False):
    """Values sorted along dim, with the indices they came from."""
    d = wrap_dim(dim, input._data.ndim, "sort")
    idx = _argsort(dense(input, 8), d, descending, stable)
    return _sorted_pair(input, idx, d, SortBackward0, return_types.sort)


@export("torch", "Tensor")
def msort(input, *, out=None):
    """The values sorted along dim 0."""
    return finish_out(sort(input, 0).values, out, "msort", (input,))


@export("torch", "Tensor")
def argsort(input, dim=-1, descending=False, stable=False):
    d = wrap_dim(dim, input._data.ndim, "argsort")
    return wrap(_argsort(dense(input, 8), d, descending, stable).astype(np.int64))


@export("torch", "Tensor")
def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (or smallest) values along dim, with their indices."""
    if input._data.dtype == np.bool_:
        raise RuntimeError("topk does not support bool dtypes on CPU")
    d = wrap_dim(dim, input._data.ndim, "topk")
    n = input._data.shape[d] if input._data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    xd = dense(input, 8)
    idx = _argsort(xd, d, largest)
    if not xd.ndim:
        pass
    elif xp_of(xd) is not np:
        idx = xp_of(idx).take(idx, range(k), axis=d)
    else:       # PyTorch's order of equal values, and of an unsorted result (introsort.py)
        every = not sorted and 1 < k and k * 64 > n      # nth_element's own order
        idx = _replayed(xd, idx, d, k, lambda ranks: introsort.top(ranks, k, sorted),
                        (lambda same, _: np.ones(len(same), bool)) if every else None)
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


def _pick_sorted(input, dim, keepdim, position, node_cls, kind, name, replay=None):
    """(values, indices) of the element at `position(sorted, n)` of each slice along dim,
    the slice sorted ascending with NaN last (ties keep their order; on the CPU,
    `replay(arr, order, d)` may give PyTorch's index among equal values instead)."""
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
    if replay is not None and xp is np:
        idx = replay(arr, order, d)
    vals = xp.take_along_axis(arr, idx, axis=d)
    if not xd.ndim:
        idx, vals = idx.reshape(()), vals.reshape(())
    elif not keepdim:
        idx, vals = idx.squeeze(d), vals.squeeze(d)
    values, indices = wrap(vals), wrap(idx.astype(np.int64))
    record_if(node_cls, values, (input,), (xd.shape, d, keepdim or not xd.ndim),
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
    return record_if(node_cls, r, (input,), save=(input,), save_out=True)


@export("torch", "Tensor")
def median(input, dim=None, keepdim=False):
    """The lower median (NaN if there is one); with dim, (values, indices)."""
    _no_bool(input, "median")
    if dim is None:
        return _median_all(input, False, MedianBackward0, "median")
    return _pick_sorted(input, dim, keepdim, _median_position(False), MedianBackward1,
                        return_types.median, "median")


@export("torch", "Tensor")
def nanmedian(input, dim=None, keepdim=False):
    """median ignoring NaN (NaN only where everything is)."""
    _no_bool(input, "nanmedian")
    if dim is None:
        return _median_all(input, True, NanmedianBackward0, "nanmedian")
    return _pick_sorted(input, dim, keepdim, _median_position(True), NanmedianBackward1,
                        return_types.nanmedian, "nanmedian")


@export("torch", "Tensor")
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

    def replay(arr, order, d):     # PyTorch's quickselect, where the k-th value is tied
        def tied(same, _):
            return same[:, max(k - 2, 0):k].any(axis=-1)
        return _replayed(arr, order, d, 1, lambda ranks: [introsort.quick_select(ranks, k - 1)],
                         tied, offset=k - 1)
    return _pick_sorted(input, d, keepdim, position, KthvalueBackward0, return_types.kthvalue,
                        "kthvalue", replay)


def _tied_numbers(same, ordered):
    """Slices with equal values and no NaN (where std::sort's order is defined)."""
    tied = same.any(axis=-1)
    return tied & ~np.isnan(ordered).any(axis=-1) if ordered.dtype.kind in "fc" else tied


def _mode_with_nan(flat, vals, idx):
    """Slices with NaN (each NaN unequal to everything, as PyTorch's `<` and `!=` on the
    values make it): their mode and index from std::sort of the raw values, in place."""
    if flat.dtype.kind not in "fc":
        return
    with_nan = np.flatnonzero(np.isnan(flat).any(axis=-1))
    if with_nan.size * flat.shape[-1] > _INTROSORT_ELEMENTS:
        return
    for r in with_nan:
        idx[r] = _last_of_mode(flat[r].tolist())
        vals[r] = flat[r, idx[r]]


def _last_of_mode(ranks):
    """PyTorch's mode index: std::sort the positions, then the last position of the first
    longest run of equal keys."""
    order = introsort.order(ranks)
    best, best_count, count = order[0], 0, 0
    for i, position in enumerate(order):
        count += 1
        if i == len(order) - 1 or ranks[position] != ranks[order[i + 1]]:
            if count > best_count:
                best, best_count = position, count
            count = 0
    return best


@export("torch", "Tensor")
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
    if xp is np:        # PyTorch's index: the last of the run after std::sort (introsort.py)
        idx = _replayed(flat, order, 1, 1, lambda ranks: [_last_of_mode(ranks)],
                        _tied_numbers, offset=last)[:, 0]
        vals = s[rows, first]
        _mode_with_nan(flat, vals, idx)
        vals, idx = vals.reshape(moved.shape[:-1]), idx.reshape(moved.shape[:-1])
    else:
        vals = s[rows, first].reshape(moved.shape[:-1])
        idx = order[rows, last].reshape(moved.shape[:-1])
    if xd.ndim and keepdim:
        vals, idx = xp.expand_dims(vals, d), xp.expand_dims(idx, d)
    values, indices = wrap(vals), wrap(idx.astype(np.int64))
    record_if(ModeBackward0, values, (input,), (xd.shape, d, keepdim or not xd.ndim),
              save=(indices,))
    return return_types.mode(values, indices)
