"""What a tensor is: its sizes, strides, memory and dtype kind (x.size(), x.dim(), x.numel(),
torch.is_tensor...), and its handles on autograd (x.backward(), x.retain_grad())."""
from __future__ import annotations

import weakref

from ..autograd import backward, watch_of
from ..backend import address
from ..dtypes import BOOL, COMPLEX, FLOATING
from ..layouts import as_memory_format, element_strides, is_in_format
from ..meta import MetaArray
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


@export("Tensor", as_property=True)
def itemsize(self):
    return self._data.itemsize


@export("Tensor", as_property=True)
def nbytes(self):
    """The bytes of all elements (an expanded view counts each element)."""
    return self._data.size * self._data.itemsize


@export("Tensor")
def is_contiguous(self, memory_format=None):
    fmt = as_memory_format(memory_format)
    if fmt.order is None:
        return bool(self._data.flags.c_contiguous)
    return is_in_format(self._data.shape, element_strides(self._data), fmt)


# ---- dtype kind ----------------------------------------------------------------------------

@export("torch", "Tensor")
def is_floating_point(input):
    return input.dtype.category == FLOATING


@export("torch", "Tensor")
def is_complex(input):
    return input.dtype.category == COMPLEX


@export("torch", "Tensor")
def is_signed(input):
    return input.dtype.is_signed and input.dtype.category != BOOL


@export("torch", "Tensor")
def is_nonzero(input):
    """Whether a one-element tensor's value is nonzero."""
    n = input._data.size
    if n != 1:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous" if n == 0
                           else "Boolean value of Tensor with more than one value is ambiguous")
    return bool(input._data.reshape(-1)[0])


@export("torch", "Tensor")
def is_same_size(input, other):
    return input._data.shape == other._data.shape


# ---- memory --------------------------------------------------------------------------------

@export("Tensor")
def storage_offset(self):
    owner = self._base if self._base is not None else self
    start = owner._storage if owner._storage is not None else owner._data
    if start is self._data:
        return 0
    return (data_ptr(self) - address(start)) // self._data.itemsize


@export("Tensor")
def data_ptr(self):
    return address(self._data)


@export("torch", "Tensor")
def get_device(input):
    """The device index: -1 on the CPU."""
    return -1 if input.device.type == "cpu" else input.device.index


@export("Tensor", as_property=True)
def is_cpu(self):
    return self.device.type == "cpu"


@export("Tensor", as_property=True)
def is_meta(self):
    return self._data.__class__ is MetaArray


def _never(self):
    """False: tshell's tensors are dense, strided, unquantized and on the CPU, CUDA or meta."""
    return False


for _kind in ("is_sparse", "is_sparse_csr", "is_quantized", "is_mkldnn", "is_nested",
              "is_vulkan", "is_xla", "is_xpu", "is_ipu", "is_maia", "is_mps", "is_mtia"):
    export(f"Tensor.{_kind}", as_property=True)(_never)
for _kind in ("is_pinned", "is_shared"):
    export(f"Tensor.{_kind}")(_never)
export("torch.is_distributed", "Tensor.is_distributed")(_never)


# ---- autograd ------------------------------------------------------------------------------

@export("Tensor.backward")
def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(self)/d(leaf) into every leaf's .grad."""
    backward(self, gradient, retain_graph, create_graph, inputs)


@export("Tensor")
def retain_grad(self):
    """Keep .grad for this non-leaf tensor during backward."""
    if not self._rg:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self._fn is not None and not self._retains:
        watch_of(self._fn).retained[self._nr] = weakref.ref(self)
        self._retains = True


@export("Tensor", as_property=True)
def retains_grad(self):
    return self._retains
