"""Index sets and products built from tensors: tril_indices and triu_indices, unravel_index,
cartesian_prod and combinations, block_diag and diagflat, vander."""
from __future__ import annotations

import itertools

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import xp_of
from ..dtypes import BOOL, DEFAULTS, INTEGRAL, int64, promote_types, result_type_of, to_dtype
from ..registry import export
from ..tensor import record_if, wrap
from .common import same_device
from .creation import _finish, tensor, zeros
from .indexing import masked_select
from .shape import diag, meshgrid, stack


def _triangle_indices(row, col, offset, dtype, device, fn, lower):
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    dt = to_dtype(dtype, fn=fn) or int64
    if dt.category != INTEGRAL:
        raise NotImplementedError(f'"{fn}" not implemented for \'{dt.short}\'')
    limits.check_result((2, row * col), dt.itemsize)
    i, j = np.indices((row, col)).reshape(2, -1)
    keep = j - i <= offset if lower else j - i >= offset
    return _finish(np.stack([i[keep], j[keep]]).astype(dt.np), device, False)


@export("torch")
def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (row, column) coordinates of a row x col matrix's lower triangle (on and below
    the offset-th diagonal), in row-major order, as a 2 x N tensor."""
    return _triangle_indices(row, col, offset, dtype, device, "tril_indices", True)


@export("torch")
def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The coordinates of the upper triangle (on and above the offset-th diagonal)."""
    return _triangle_indices(row, col, offset, dtype, device, "triu_indices", False)


@export("torch")
def unravel_index(indices, shape):
    """The coordinates in `shape` of each flat index: a tuple of one tensor per dim (an
    index past the end wraps, as PyTorch's floor-division and modulo do)."""
    if indices.is_complex() or indices.is_floating_point() or indices.dtype.category == BOOL:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    if isinstance(shape, int):
        shape = (shape,)
    elif not isinstance(shape, (tuple, list)):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got "
                        f"{type(shape)}")
    for d in shape:
        if not isinstance(d, int):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got "
                            f"{type(d)}")
    shape = tuple(shape)
    if any(d < 0 for d in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    coefs = list(itertools.accumulate(reversed(shape[1:] + (1,)), lambda a, b: a * b))[::-1]
    sizes = tensor(list(shape), dtype=int64, device=indices.device)
    coords = indices.unsqueeze(-1).floor_divide(
        tensor(coefs, dtype=int64, device=indices.device)) % sizes
    return coords.unbind(-1)


@export("torch")
def cartesian_prod(*tensors):
    """Every tuple taking one element of each 1-D tensor, in order: an N x len(tensors)
    tensor (one tensor comes back as it is)."""
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.flatten() for g in grids], 1)


@export("torch")
def combinations(input, r=2, with_replacement=False):
    """The r-element combinations of a 1-D tensor's elements, as rows in lexicographic order
    of position (with_replacement: elements may repeat), as itertools.combinations."""
    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty(0)
    n = input.shape[0]
    limits.check_result((n,) * r, 1)
    idx = np.indices((n,) * r).reshape(r, -1)
    steps = np.diff(idx, axis=0)
    keep = np.all(steps >= 0 if with_replacement else steps > 0, axis=0)
    mask = tensor(keep.reshape((n,) * r), device=input.device)
    grids = meshgrid(*([input] * r), indexing="ij")
    return stack([masked_select(g, mask) for g in grids], 1)


@derivative
def BlockDiagBackward0(node, grad):
    """Each input's gradient is its block of grad, in the input's own shape."""
    out, r, c = [], 0, 0
    for (rows, cols), shape in node.params:
        out.append(grad[r:r + rows, c:c + cols].reshape(shape))
        r, c = r + rows, c + cols
    return tuple(out)


@export("torch")
def block_diag(*tensors):
    """The tensors (each 0-, 1- or 2-D, seen as a matrix) along the diagonal of one matrix,
    zeros elsewhere, in their promoted dtype."""
    blocks = []
    for i, t in enumerate(tensors):
        if t.dim() > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t.dim()} dimensions")
        blocks.append(t._data.reshape((1, -1) if t.dim() < 2 else t._data.shape))
    if not tensors:
        return wrap(np.zeros((1, 0), DEFAULTS.float_dtype.np))
    same_device(*tensors)
    dt = result_type_of([t.dtype for t in tensors if t.dim()],
                        [t.dtype for t in tensors if not t.dim()], [])
    shape = (sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks))
    limits.check_result(shape, dt.itemsize)
    out = xp_of(blocks[0]).zeros(shape, dt.np)
    r = c = 0
    for b in blocks:
        out[r:r + b.shape[0], c:c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    return record_if(BlockDiagBackward0, wrap(out), tensors,
                     tuple((b.shape, t.shape) for b, t in zip(blocks, tensors)))


@export("torch", "Tensor")
def diagflat(input, offset=0):
    """A square matrix with input's elements (flattened) on its offset-th diagonal."""
    return diag(input.contiguous().view(-1), offset)


@export("torch")
def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a 1-D x: columns x^(N-1) ... x^0 (x^0 ... x^(N-1) when
    increasing), built as ATen builds it (a cumulative product, then a flip)."""
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = promote_types(x.dtype, int64)
    limits.check_result((x.shape[0], n), dt.itemsize)
    result = zeros((x.shape[0], n), dtype=dt, device=x.device)
    if n > 0:
        result[:, 0] = 1
        if n > 1:
            result[:, 1:] = x.unsqueeze(1)
            result[:, 1:] = result[:, 1:].cumprod(1)
    return result if increasing else result.flip(1)
