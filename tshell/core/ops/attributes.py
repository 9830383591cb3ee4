"""What a tensor is: its sizes, strides, memory and dtype kind (x.size(), x.dim(), x.numel(),
torch.is_tensor...), and its handles on autograd (x.backward(), x.retain_grad())."""
from __future__ import annotations

import weakref

from .. import autograd
from ..dtypes import COMPLEX, FLOATING
from ..registry import export
from ..tensor import Size, Tensor
from .common import wrap_dim


@export("torch")
def is_tensor(obj):
    return isinstance(obj, Tensor)


# ---- sizes and strides --------------------------------------------------------------------

@export("Tensor")
def size(self, dim=None):
    """The shape (torch.Size), or the size of one dim."""
    if dim is None:
        return Size(self._data.shape)
    return self._data.shape[wrap_dim(dim, self._data.ndim)] if self._data.ndim else \
        (wrap_dim(dim, 0), 1)[1]


@export("Tensor")
def stride(self, dim=None):
    """Steps in elements between neighbours along each dim."""
    item = self._data.itemsize
    st = tuple(s // item for s in self._data.strides)
    if dim is None:
        return st
    return st[wrap_dim(dim, self._data.ndim)]


@export("Tensor", "Tensor.ndimension")
def dim(self):
    return self._data.ndim


@export("torch", "Tensor", "Tensor.nelement")
def numel(input):
    return input._data.size


@export("Tensor")
def element_size(self):
    return self._data.itemsize


@export("Tensor")
def is_contiguous(self, memory_format=None):
    return bool(self._data.flags.c_contiguous)


# ---- dtype kind ----------------------------------------------------------------------------

@export("torch", "Tensor")
def is_floating_point(self):
    return self.dtype.category == FLOATING


@export("torch", "Tensor")
def is_complex(self):
    return self.dtype.category == COMPLEX


# ---- memory --------------------------------------------------------------------------------

@export("Tensor")
def storage_offset(self):
    owner = self._base if self._base is not None else self
    start = owner._storage if owner._storage is not None else owner._data
    if start is self._data:
        return 0
    return (data_ptr(self) - _address(start)) // self._data.itemsize


def _address(array):
    return array.__array_interface__["data"][0] if hasattr(
        array, "__array_interface__") else array.data.ptr


@export("Tensor")
def data_ptr(self):
    return _address(self._data)


# ---- autograd ------------------------------------------------------------------------------

@export("Tensor.backward")
def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(self)/d(leaf) into every leaf's .grad."""
    autograd.backward(self, gradient, retain_graph, create_graph, inputs)


@export("Tensor")
def retain_grad(self):
    """Keep .grad for this non-leaf tensor during backward."""
    if not self._rg:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self._fn is not None and not self._retains:
        autograd.watch_of(self._fn).retained[self._nr] = weakref.ref(self)
        self._retains = True


@export("Tensor", as_property=True)
def retains_grad(self):
    return self._retains
