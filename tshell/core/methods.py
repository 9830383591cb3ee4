"""Binds the op table to Tensor: methods, operators and in-place variants, in one place."""
from __future__ import annotations

from . import autograd, ops, random, registry  # noqa: F401 (ops: every op module declares)
from .ops import conversion, creation, indexing, inplace, linalg, nn, reduction, shape
from .ops import operators  # noqa: F401 (it declares Tensor's operators)
from .tensor import Size, Tensor
from .dtypes import COMPLEX, FLOATING

# ---- info ------------------------------------------------------------------------------

def size(self, dim=None):
    """The shape (torch.Size), or the size of one dim."""
    if dim is None:
        return Size(self._data.shape)
    from .ops.common import wrap_dim
    return self._data.shape[wrap_dim(dim, self._data.ndim)] if self._data.ndim else \
        (wrap_dim(dim, 0), 1)[1]


def stride(self, dim=None):
    """Steps in elements between neighbours along each dim."""
    item = self._data.itemsize
    st = tuple(s // item for s in self._data.strides)
    if dim is None:
        return st
    from .ops.common import wrap_dim
    return st[wrap_dim(dim, self._data.ndim)]


def dim(self):
    return self._data.ndim


def numel(self):
    return self._data.size


def element_size(self):
    return self._data.itemsize


def is_contiguous(self, memory_format=None):
    return bool(self._data.flags.c_contiguous)


def is_floating_point(self):
    return self.dtype.category == FLOATING


def is_complex(self):
    return self.dtype.category == COMPLEX


def storage_offset(self):
    owner = self._base if self._base is not None else self
    start = owner._storage if owner._storage is not None else owner._data
    if start is self._data:
        return 0
    return (data_ptr(self) - _address(start)) // self._data.itemsize


def _address(array):
    return array.__array_interface__["data"][0] if hasattr(
        array, "__array_interface__") else array.data.ptr


def data_ptr(self):
    return _address(self._data)


def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(self)/d(leaf) into every leaf's .grad."""
    autograd.backward(self, gradient, retain_graph, create_graph, inputs)


def retain_grad(self):
    """Keep .grad for this non-leaf tensor during backward."""
    if not self._rg:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self._fn is not None and not self._retains:
        import weakref
        autograd.watch_of(self._fn).retained[self._nr] = weakref.ref(self)
        self._retains = True


def retains_grad(self):
    return self._retains


# ---- methods -------------------------------------------------------------------------------

# Ops whose method form is the functional op with the tensor first.
_FUNCTIONAL_METHODS = {
    reduction: "sum mean prod max min amax amin argmax argmin std var norm cumsum cumprod all "
               "any count_nonzero logsumexp sum_to_size sort argsort topk median nanmedian mode "
               "kthvalue nansum nanmean aminmax cummax cummin logcumsumexp diff unique "
               "unique_consecutive histc bincount",
    shape: "view reshape view_as reshape_as flatten unflatten squeeze unsqueeze permute "
           "transpose swapaxes swapdims t movedim expand expand_as broadcast_to repeat clone "
           "contiguous chunk split unbind narrow flip roll tril triu diag diagonal diag_embed t_ "
           "transpose_ swapdims_ swapaxes_ squeeze_ unsqueeze_ tile repeat_interleave "
           "tensor_split ravel moveaxis fliplr flipud rot90",
    indexing: "select gather index_select masked_select masked_fill nonzero argwhere scatter "
              "scatter_ scatter_add scatter_add_ scatter_reduce scatter_reduce_ index_add "
              "index_add_ index_copy index_copy_ index_fill index_fill_ index_put index_put_ "
              "masked_scatter masked_scatter_ take take_along_dim put put_ select_scatter "
              "slice_scatter diagonal_scatter narrow_copy",
    linalg: "matmul mm bmm dot inner mv outer ger addmm trace kron cross inverse det",
    nn: "softmax log_softmax hardshrink prelu",
    conversion: "to double half long short char byte cpu cuda detach item tolist numpy type_as",
    creation: "new_zeros new_ones new_empty new_full new_tensor",
    random: "uniform_ normal_ exponential_ bernoulli_ multinomial",
}

# In-place twins: name_ = the op written into self.
_INPLACE = "masked_fill cumsum cumprod tril triu".split()


def _bind_methods():
    for module, names in _FUNCTIONAL_METHODS.items():
        for name in names.split():
            setattr(Tensor, name, getattr(module, name))
    for name in _INPLACE:
        op = getattr(Tensor, name)
        # inplace_op: the op under the in-place node's name where PyTorch's differs (Backward1)
        setattr(Tensor, name + "_", inplace.make_inplace(getattr(op, "inplace_op", op)))
    Tensor.float = conversion.float_
    Tensor.int = conversion.int_
    Tensor.bool = conversion.bool_cast
    Tensor.bfloat16 = conversion.bfloat16_
    Tensor.type = conversion.type_
    Tensor.size = size
    Tensor.stride = stride
    Tensor.dim = dim
    Tensor.ndimension = dim
    Tensor.numel = numel
    Tensor.nelement = numel
    Tensor.element_size = element_size
    Tensor.is_contiguous = is_contiguous
    Tensor.is_floating_point = is_floating_point
    Tensor.is_complex = is_complex
    Tensor.storage_offset = storage_offset
    Tensor.data_ptr = data_ptr
    Tensor.backward = tensor_backward
    Tensor.retain_grad = retain_grad
    Tensor.retains_grad = property(retains_grad)
    Tensor.T = property(shape.T)
    Tensor.mT = property(shape.mT)
    Tensor.H = property(shape.H)


def _bind_declared():
    """Tensor's methods as the op modules declare them (registry.export): the in-place twins
    made from Tensor_ declarations first, then the declared methods, which win."""
    for name, op in registry.exports("Tensor_").items():
        setattr(Tensor, name + "_", inplace.make_inplace(getattr(op, "inplace_op", op)))
    for name, value in registry.exports("Tensor").items():
        setattr(Tensor, name, value)


_bind_methods()
_bind_declared()
