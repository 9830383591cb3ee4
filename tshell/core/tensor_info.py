"""Small facts and views of a tensor that PyTorch programs ask for: name, grad_dtype,
is_inference, const_data_ptr, to_dense, pin_memory, and hash_tensor (an xor fingerprint)."""
from __future__ import annotations

import numpy as np

from . import limits
from .backend import address, backend_of, cuda_backend
from .dtypes import BOOL, COMPLEX, FLOATING, dtype as torch_dtype, uint64
from .grad_mode import INFERENCE, INFERENCE_MODE
from .ops.common import wrap_dim
from .registry import export
from .tensor import Tensor, wrap


@export("Tensor", as_property=True)
def name(self):
    """A named tensor's name; tshell has no named tensors."""
    return None


def _get_grad_dtype(self):
    return self.dtype if self._grad_dtype is ... else self._grad_dtype


def _set_grad_dtype(self, value):
    if value is not None and not isinstance(value, torch_dtype):
        raise RuntimeError(f"grad_dtype must be a torch.dtype or None, but got "
                           f"{type(value).__name__}")
    if self._fn is not None:
        raise RuntimeError("grad_dtype can only be set on leaf tensors.")
    self._grad_dtype = value


# The dtype a leaf's gradient is kept in (None: any): the engine casts what reaches the leaf
# (autograd.py), and assigning .grad checks it (tensor.py).
export("Tensor.grad_dtype")(property(_get_grad_dtype, _set_grad_dtype))


@export("torch", "Tensor")
def is_inference(input):
    """Whether a tensor was made in inference_mode (or is a view of one that was)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"is_inference(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return input._ver is INFERENCE


@export("torch")
def is_inference_mode_enabled():
    return bool(INFERENCE_MODE)


@export("Tensor")
def const_data_ptr(self):
    return address(self._data)


@export("Tensor")
def to_dense(self, dtype=None, *, masked_grad=None):
    """A strided tensor is dense already: self (cast to dtype if one is given)."""
    return self if dtype is None else self.to(dtype)


@export("Tensor")
def pin_memory(self, device=None):
    """A copy in page-locked host memory, for fast copies to a GPU; without one, PyTorch's
    error (tshell's host memory is NumPy's either way)."""
    if cuda_backend() is None:
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return self.clone()


@export("torch", "Tensor")
def hash_tensor(input, dim=None, *, keepdim=False, mode=0):
    """The xor of the elements' 64-bit patterns (floats as float64, integers as int64), over
    dim (all dims by default), as a uint64 tensor."""
    if mode != 0:
        raise RuntimeError(f"Unknown hash_tensor mode: {mode}")
    if input.dtype.category == COMPLEX:
        raise NotImplementedError(f"\"xor_sum_cpu\" not implemented for '{input.dtype.short}'")
    data = input._data
    if dim is None:
        if data.size == 0:
            raise RuntimeError("hash_tensor: Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        axes = tuple(range(data.ndim))
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        axes = tuple(sorted({wrap_dim(d, data.ndim) for d in dims}))
        for axis in axes:
            if data.shape[axis] == 0:
                raise IndexError(f"hash_tensor: Expected reduction dim {axis} to have non-zero "
                                 "size.")
    xp = backend_of(data).xp
    wide = np.float64 if input.dtype.category == FLOATING else (
        np.uint64 if input.dtype is uint64 else np.int64)
    if input.dtype.category == BOOL:
        wide = np.int64
    limits.check_dense(data, 8)            # the 64-bit copy of an expanded view
    bits = data.astype(wide).view(np.uint64)
    hashed = xp.bitwise_xor.reduce(bits, axis=axes, keepdims=keepdim)
    return wrap(xp.asarray(hashed, dtype=np.uint64))
