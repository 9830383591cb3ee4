"""Indices to vectors: embedding (rows of a weight picked by index) and one_hot."""
from __future__ import annotations

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import xp_of
from ..meta import has_values
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense
from .creation import zeros


@export("F")
def one_hot(tensor, num_classes=-1):
    """Class indices (int64) as rows of 0s with a 1 at the index: shape (*tensor.shape, C)."""
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    td = tensor._data
    xp = xp_of(td)
    if num_classes == -1:
        if td.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(td.max()) + 1
    if td.size and has_values(td):
        if int(td.min()) < 0:
            raise RuntimeError("Class values must be non-negative.")
        if int(td.max()) >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    shape = td.shape + (int(num_classes),)
    limits.check_result(shape, 8)
    if not td.size:         # no arange(num_classes) to compare with: it can dwarf the cap
        return wrap(xp.zeros(shape, dtype=np.int64))
    return wrap((td[..., None] == xp.arange(num_classes)).astype(np.int64))


@derivative
def EmbeddingBackward0(node, grad):
    idx, shape, padding_idx = node.params
    g = grad.reshape(-1, shape[1])
    flat = idx.reshape(-1)
    if padding_idx >= 0:
        g = g.masked_fill((flat == padding_idx).unsqueeze(-1), 0)
    return zeros(shape, dtype=grad.dtype, device=grad.device).index_add(0, flat, g)


@export("F")
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of weight picked by the indices in input; padding_idx's row gets no gradient."""
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    if padding_idx is not None:
        if not -weight.shape[0] <= padding_idx < weight.shape[0]:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx %= weight.shape[0]
    else:
        padding_idx = -1
    if input.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got torch."
                           f"{input.dtype.legacy} instead (while checking arguments for "
                           "embedding)")
    idx = input._data
    n = weight.shape[0]
    if idx.size and not input.is_meta and (int(idx.min()) < 0 or int(idx.max()) >= n):
        raise IndexError("index out of range in self")
    wd = weight._data
    xp = xp_of(wd)
    if max_norm is not None:
        _renorm_rows(weight, idx, max_norm, norm_type)
    limits.check_result(idx.shape + (weight.shape[1],), wd.itemsize)
    idx = wrap(idx.astype(np.int64))
    return record_if(EmbeddingBackward0, wrap(xp.take(wd, idx._data, axis=0)), (weight,),
                     (idx, tuple(weight.shape), padding_idx))


@export("torch.embedding")
def _torch_embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """torch.embedding: the weight first, padding_idx -1 for none."""
    return embedding(indices, weight, None if padding_idx < 0 else padding_idx)


def _renorm_rows(weight, idx, max_norm, norm_type):
    """Scale the rows of weight that idx names down to norm max_norm, where above it."""
    wd = weight._data
    xp = xp_of(wd)
    rows = xp.unique(idx)
    norms = (xp.abs(wd[rows]) ** norm_type).sum(-1) ** (1.0 / norm_type)
    scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    wd[rows] = (wd[rows] * scale[:, None]).astype(wd.dtype)
    weight._bump()


@export("torch")
def embedding_renorm_(input, indices, max_norm, norm_type):
    """In place, the rows of input (an embedding weight) that indices name, scaled down to
    norm max_norm where above it; returns input."""
    if input.ndim != 2:
        raise RuntimeError(f"Expected 2-dimensional tensor, but got {input.ndim}-dimensional "
                           "tensor for argument #1 'self' (while checking arguments for "
                           "embedding_renorm_)")
    _renorm_rows(input, dense(indices).reshape(-1), max_norm, norm_type)
    return input
