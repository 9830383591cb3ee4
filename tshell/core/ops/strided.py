"""Views with explicit sizes, strides and storage offset: as_strided (and its in-place,
scatter and copy forms), empty_strided and new_empty_strided.

Positions are counted in elements of the tensor's storage: the array of the tensor a view
was taken from (the flat storage of a loaded tensor). Gradients follow PyTorch's
as_strided_backward for inputs that do not overlap themselves: the output's gradient is
added into a zero storage at the positions the output reads, and the input's gradient is
read back from the positions the input covers.
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import strided_view, xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .attributes import storage_offset as storage_offset_of
from .common import parse_size
from .creation import empty, tensor
from .shape import _restride, _view_of


def _storage(t):
    """t's storage array, flat (the owner's array is contiguous: tshell allocates so)."""
    owner = t._base if t._base is not None else t
    base = owner._storage if owner._storage is not None else owner._data
    return base.reshape(-1)


def _check_geometry(size, stride, offset, storage_size, itemsize):
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got "
                           f"strides: {list(stride)}")
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    if all(n > 0 for n in size):
        needed = offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    else:
        needed = 0
    if needed > storage_size:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset}, and itemsize {itemsize} requiring a storage size "
                           f"of {needed * itemsize} are out of bounds for storage of size "
                           f"{storage_size * itemsize}")


def _positions(size, stride, offset, xp):
    """The storage position of each element of a (size, stride, offset) view."""
    pos = xp.full(tuple(size), offset, dtype=np.int64)
    for d, (n, s) in enumerate(zip(size, stride)):
        pos = pos + (xp.arange(n, dtype=np.int64) * s).reshape((-1,) + (1,) * (len(size) - d - 1))
    return pos


def _own_geometry(t):
    return tuple(t.shape), tuple(t.stride()), storage_offset_of(t)


@derivative
def AsStridedBackward0(node, grad):
    (in_size, in_stride, in_offset), (size, stride, offset), storage_size = node.params
    xp = xp_of(grad._data)
    out_pos = tensor(_positions(size, stride, offset, xp).reshape(-1), device=grad.device)
    in_pos = tensor(_positions(in_size, in_stride, in_offset, xp), device=grad.device)
    storage = grad.new_zeros(storage_size).index_add(0, out_pos, grad.reshape(-1))
    return storage[in_pos]


def _geometry(input, size, stride, storage_offset):
    size, stride = tuple(parse_size((size,), "as_strided")), tuple(int(s) for s in stride)
    offset = storage_offset_of(input) if storage_offset is None else int(storage_offset)
    base = _storage(input)
    _check_geometry(size, stride, offset, base.size, base.itemsize)
    return base, size, stride, offset


@export("torch", "Tensor", "torch_")
def as_strided(input, size, stride, storage_offset=None):
    """A view of input's storage with the given sizes, strides and storage offset (in
    elements); elements may repeat."""
    base, size, stride, offset = _geometry(input, size, stride, storage_offset)
    item = base.itemsize
    array = strided_view(base[offset:], size, tuple(s * item for s in stride))
    return _view_of(input, array, AsStridedBackward0,
                    (_own_geometry(input), (size, stride, offset), base.size))


@export("Tensor")
def as_strided_(input, size, stride, storage_offset=None):
    """input itself takes the given sizes, strides and storage offset."""
    return _restride(input, as_strided, size, stride, storage_offset)


@export("torch", "Tensor")
def as_strided_scatter(input, src, size, stride, storage_offset=None):
    """A copy of input with src written where as_strided(size, stride, offset) would read."""
    out = input.clone()
    view = as_strided(out, size, stride, storage_offset)
    if tuple(view.shape) != tuple(src.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size "
                           f"= {list(src.shape)}, slice size = {list(view.shape)}")
    view.copy_(src)
    return out


@export("torch")
def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """A zero-filled tensor (tshell never shows stale memory) with the given strides."""
    size, stride = tuple(parse_size((size,), "empty_strided")), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"dimensionality of sizes ({len(size)}) must match dimensionality "
                           f"of strides ({len(stride)})")
    extent = 1 + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else 0
    limits.check_result((extent,), 8)
    storage = empty(extent, dtype=dtype, device=device)
    return as_strided(storage, size, stride, 0).requires_grad_(requires_grad)


@export("Tensor")
def new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                      requires_grad=False, pin_memory=False):
    return empty_strided(size, stride, dtype=dtype or self.dtype,
                         device=device if device is not None else self.device,
                         requires_grad=requires_grad)


@export("torch")
def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):
    """A zero-filled tensor of `size` whose memory runs in the order of physical_layout
    (the dims from outermost to innermost)."""
    size, order = tuple(parse_size((size,), "empty_permuted")), tuple(physical_layout)
    if len(size) != len(order):
        raise RuntimeError("Number of dimensions in size does not match the length of the "
                           f"physical_layout; i.e. len(size) = {len(size)} is not equal to "
                           f"len(physical_layout) = {len(order)}")
    if sorted(order) != list(range(len(size))):
        raise RuntimeError("Duplicate dim not allowed")
    stride, step = [0] * len(size), 1
    for d in reversed(order):
        stride[d] = step
        step *= max(size[d], 1)
    return empty_strided(size, stride, dtype=dtype, device=device,
                         requires_grad=requires_grad)


@export("torch", "Tensor")
def slice_inverse(input, src, dim=0, start=None, end=None, step=1):
    """input seen with src's geometry: the base a slice `src[start:end:step]` (along dim) was
    taken from, when input is that slice (PyTorch's functionalization inverse of slice)."""
    return as_strided(input, src.shape, src.stride(), storage_offset_of(src))


@export("Tensor")
def fill_diagonal_(self, fill_value, wrap=False):
    """Fill the main diagonal (all dims equal beyond 2-D); wrap=True restarts it every
    width + 1 rows of a tall matrix. Written as PyTorch writes it: fill_ of strided views."""
    ndim = self.dim()
    if ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    height, width = self.shape[0], self.shape[1]
    if ndim > 2 and any(n != height for n in self.shape[1:]):
        raise RuntimeError("all dimensions of input must be of equal length")
    offset, stride = storage_offset_of(self), sum(self.stride())
    as_strided(self, (min(height, width),), (stride,), offset).fill_(fill_value)
    if wrap and ndim == 2 and height > width + 1:
        step = width + 1
        size = (self.numel() + step - 1) // step - min(height, width)
        as_strided(self, (size,), (stride,), offset + self.stride(0) * step).fill_(fill_value)
    return self


# ---- resizing: a tensor's own geometry over its storage ------------------------------------

RESIZE_GRAD_ERROR = "cannot resize variables that require grad"


@export("Tensor")
def resize_(self, *sizes, memory_format=None):
    """self takes the contiguous shape `sizes` over its storage from its offset: the first
    elements are kept; growing past the storage gives a larger storage, whose new elements
    are zeros here (PyTorch leaves them uninitialised), and views taken before no longer
    share it. The same size leaves self as it is."""
    if self.requires_grad:
        raise RuntimeError(RESIZE_GRAD_ERROR)
    shape = parse_size(sizes, "resize_")
    if shape == tuple(self.shape):
        return self
    n = int(np.prod(shape))
    storage, offset = _storage(self), storage_offset_of(self)
    if offset + n > storage.size:
        limits.check_result((offset + n,), storage.itemsize)
        grown = xp_of(storage).zeros(offset + n, storage.dtype)
        grown[:storage.size] = storage
        self._base, self._storage, storage = None, grown, grown
    self._data = storage[offset:offset + n].reshape(shape)
    self._bump()
    return self


@export("torch", "Tensor")
def resize_as_(input, the_template, *, memory_format=None):
    """input resized to the_template's shape (resize_)."""
    return resize_(input, the_template.shape)


@derivative
def ResizeBackward(node, grad):
    return grad.contiguous().view(node.params)


@export("Tensor")
def resize(self, *sizes):
    """The deprecated out-of-place resize: autograd's reshape that keeps the element count
    (torch.autograd._functions.Resize)."""
    warnings.warn("non-inplace resize is deprecated", stacklevel=2)
    return _resized(self, parse_size(sizes, "resize"))


@export("Tensor")
def resize_as(self, tensor):
    warnings.warn("non-inplace resize_as is deprecated", stacklevel=2)
    return _resized(self, tuple(tensor.shape))


def _resized(self, shape):
    n = int(np.prod(shape))
    if n != self.numel():
        raise RuntimeError(
            f"requested resize to {'x'.join(map(str, shape))} ({n} elements in total), but the "
            f"given tensor has a size of {'x'.join(map(str, self.shape))} ({self.numel()} "
            "elements). autograd's resize can only change the shape of a given tensor, while "
            "preserving the number of elements. ")
    data = self._data.reshape(shape)
    return record_if(ResizeBackward, wrap(data), (self,), tuple(self.shape))
