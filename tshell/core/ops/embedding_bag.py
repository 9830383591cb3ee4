"""embedding_bag: sums, means or maxima of bags of embedding rows, without making the rows."""
from __future__ import annotations

import warnings

import numpy as np

from .. import limits
from ..autograd import derivative, no_grad
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .creation import arange, zeros
from .embedding import embedding


@derivative(jvp="_embedding_bag")     # PyTorch gives _embedding_bag no forward formula
def EmbeddingBagBackward0(node, grad):
    """Inputs (weight, per_sample_weights). params: the index and bag of each entry (long
    tensors), its scale (1, its per-sample weight, or 1 / the bag's size; 0 for padding),
    and for max mode the flat position in weight of each output element's maximum."""
    weight, psw = node.saved
    idx, bag, scale, argmax, shape = node.params
    gw = gp = None
    if weight._rg:
        if argmax is not None:
            g = grad.reshape(-1)[argmax[1]]
            gw = zeros(shape[0] * shape[1], dtype=grad.dtype, device=grad.device) \
                .index_add(0, argmax[0], g).view(shape)
        else:
            rows = grad.index_select(0, bag) * scale.unsqueeze(1)
            gw = zeros(shape, dtype=grad.dtype, device=grad.device).index_add(0, idx, rows)
    if psw is not None and psw._rg:
        keep = (scale != 0).to(grad.dtype)
        gp = (grad.index_select(0, bag) * weight.index_select(0, idx)).sum(1) * keep
    return gw, gp


def _bags(input, offsets, include_last_offset):
    """The bag of each entry of the flat input, and the number of bags."""
    n = input.shape[0]
    off = offsets._data.astype(np.int64)
    xp = xp_of(off)
    if off.size == 0:
        return xp.zeros(n, dtype=np.int64), 0
    if int(off[0]) != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {int(off[0])}\n"
                           f"[ torch.{offsets.dtype.legacy}{{}} ]")
    if int(off[-1]) > n:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {n} but got "
                           f"offsets[-1] of {int(off[-1])}")
    if off.size > 1 and bool((off[1:] < off[:-1]).any()):
        raise RuntimeError("Expected i < index_size to be true, but got false.  (Could this "
                           "error message be improved?  If so, please report an enhancement "
                           "request to PyTorch.)")
    n_bags = off.size - 1 if include_last_offset else off.size
    bag = xp.searchsorted(off, xp.arange(n), side="right") - 1
    return xp.minimum(bag, max(n_bags - 1, 0)), n_bags


def _flat_input(input, offsets, per_sample_weights):
    """(flat input, offsets, flat weights, include_last_offset override) as F.embedding_bag
    makes them from a 2-D input of fixed-length bags."""
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets)}")
        offsets = arange(0, input.numel(), input.shape[1], dtype=input.dtype,
                         device=input.device)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
        return input.reshape(-1), offsets, per_sample_weights, False
    if input.ndim == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.ndim != 1:
            raise ValueError("offsets has to be a 1D Tensor")
        return input, offsets, per_sample_weights, None
    raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                     f"{input.ndim}")


def _check(input, weight, per_sample_weights, mode, scale_grad_by_freq, sparse):
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is "
                         f"not None, then it must have the same shape as the input "
                         f"({input.shape})")
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.ndim}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub.")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding_bag: scale_grad_by_freq and sparse are not "
                                  "provided in tshell")


@export("F")
def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """For each bag of indices (the rows of a 2-D input, or input[offsets[i]:offsets[i+1]]),
    the sum, mean or maximum of those rows of weight (padding_idx left out; an empty bag
    gives zeros)."""
    if weight.dtype.name == "int64" and input.is_floating_point():
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage "
                      "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
                      "`embedding_bag(input, weight, ...)`.", stacklevel=2)
        weight, input = input, weight
    _check(input, weight, per_sample_weights, mode, scale_grad_by_freq, sparse)
    input, offsets, per_sample_weights, last = _flat_input(input, offsets, per_sample_weights)
    include_last_offset = include_last_offset if last is None else last
    for t, what in ((input, "indices"), (offsets, "offsets")):
        if t.dtype.name not in ("int64", "int32"):
            raise RuntimeError(f"Expected tensor for argument #1 '{what}' to have one of the "
                               "following scalar types: Long, Int; but got torch."
                               f"{t.dtype.legacy} instead (while checking arguments for "
                               "embedding_bag)")
    if max_norm is not None:
        with no_grad():
            embedding(input, weight, max_norm=max_norm, norm_type=norm_type)
    return _embedding_bag(input, weight, offsets, mode, per_sample_weights,
                          include_last_offset, padding_idx)[0]


def _embedding_bag(input, weight, offsets, mode, per_sample_weights, include_last_offset,
                   padding_idx):
    """(the bags' sums, means or maxima; the bag of each entry; each bag's size without
    padding; for max mode, the (bag, column) positions of the maxima in weight)."""
    idx = input._data.astype(np.int64)
    wd = weight._data
    xp = xp_of(wd)
    n, dim = wd.shape
    bad = (idx < 0) | (idx >= n)
    if bool(bad.any()):
        i = int(xp.argmax(bad))
        raise RuntimeError(f"Index {i} of input takes value {int(idx[i])} which is not in the "
                           f"valid range [0, {n})")
    bag, n_bags = _bags(input, offsets, include_last_offset)
    # a row of weight per index and per bag: far more than the indices and offsets hold
    limits.check_result((idx.size, dim), wd.itemsize)
    limits.check_result((n_bags, dim), wd.itemsize)
    keep = idx != (padding_idx % n if padding_idx is not None else -1)
    if n_bags == 0 or idx.size == 0:
        keep = keep & False
    rows = wd[idx]
    out = xp.zeros((n_bags, dim), dtype=wd.dtype)
    sizes = xp.bincount(bag[keep], minlength=n_bags)[:n_bags] if idx.size else \
        xp.zeros(n_bags, dtype=np.int64)
    argmax = None
    if mode == "max":
        argmax = _maxima(xp, rows, bag, keep, idx, out, dim)
        scale = keep.astype(wd.dtype)
    else:
        scale = keep.astype(wd.dtype)
        if per_sample_weights is not None:
            scale = scale * per_sample_weights._data
        if mode == "mean":
            scale = scale / xp.maximum(sizes, 1)[bag].astype(wd.dtype)
        xp.add.at(out, bag[keep], rows[keep] * scale[keep, None])
    psw = per_sample_weights
    bag = wrap(bag.astype(np.int64))
    r = record_if(EmbeddingBagBackward0, wrap(out), (weight, psw),
                  (wrap(idx), bag, wrap(scale), argmax, (n, dim)), save=(weight, psw))
    return r, bag, sizes, argmax


_MODES = ("sum", "mean", "max")


@export("torch.embedding_bag")
def aten_embedding_bag(weight, indices, offsets, scale_grad_by_freq=False, mode=0,
                       sparse=False, per_sample_weights=None, include_last_offset=False,
                       padding_idx=None):
    """torch.embedding_bag: (output, offset2bag, bag_size, max_indices) as ATen's CPU kernel
    returns them: mode 0 sum (offset2bag empty, the others zeros), 1 mean (max_indices the
    bag sizes), 2 max (max_indices: the weight row of each maximum)."""
    name = _MODES[mode]
    _check(indices, weight, per_sample_weights, name, scale_grad_by_freq, sparse)
    out, bag, sizes, argmax = _embedding_bag(indices, weight, offsets, name,
                                             per_sample_weights, include_last_offset,
                                             padding_idx)
    xp = xp_of(out._data)
    n_bags, dim = out.shape
    if name == "sum":
        empty = wrap(xp.zeros(0, dtype=np.int64))
        return out, empty, wrap(xp.zeros(n_bags, dtype=np.int64)), \
            wrap(xp.zeros(n_bags, dtype=np.int64))
    sizes = wrap(xp.asarray(sizes, dtype=np.int64))
    if name == "mean":
        return out, bag, sizes, sizes.clone()
    rows = xp.zeros(n_bags * dim, dtype=np.int64)
    rows[argmax[1]._data] = argmax[0]._data // dim
    return out, bag, sizes, wrap(rows.reshape(n_bags, dim))


def _maxima(xp, rows, bag, keep, idx, out, dim):
    """out[b] = the elementwise maximum of bag b's rows; returns (flat position in weight,
    flat position in out) of each element of a non-empty bag's maximum."""
    positions = [], []
    for b in range(out.shape[0]):
        members = xp.nonzero(keep & (bag == b))[0]
        if members.size == 0:
            continue
        best = members[xp.argmax(rows[members], axis=0)]       # first maximum per column
        out[b] = rows[best, xp.arange(dim)]
        positions[0].append(idx[best] * dim + xp.arange(dim))
        positions[1].append(b * dim + xp.arange(dim))
    if not positions[0]:
        return wrap(xp.zeros(0, dtype=np.int64)), wrap(xp.zeros(0, dtype=np.int64))
    return wrap(xp.concatenate(positions[0])), wrap(xp.concatenate(positions[1]))
