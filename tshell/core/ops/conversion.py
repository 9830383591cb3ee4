"""Conversions: dtype and device moves (to, float, cuda...), item, tolist, numpy, detach."""
from __future__ import annotations

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import backend_for, backend_of
from ..device import as_device, device as Device
from ..dtypes import FLOATING, FROM_NUMPY, bool_, dtype as DType, float16, float32, \
    float64, int8, int16, int32, int64, uint8, bfloat16, cast_array, is_ml_dtype, \
    require_available, result_type_of, scalar_dtype, to_dtype, complex64, complex128, TorchClass
from ..dtypes import can_cast as dtype_can_cast
from ..layouts import preserve_format
from ..meta import NO_ITEM
from ..registry import export
from ..grad_mode import GradMode
from ..tensor import CONJ_BIT, Tensor, make_view, record_if, wrap
from .common import dense



@derivative
def ToCopyBackward0(node, grad):
    """A dtype or device change: the gradient goes back to the source's dtype and device."""
    src_device, = node.params
    return grad.to(src_device) if grad.device != src_device else grad


def to_backend_of(data, like):
    """`data` moved to the backend (device) that holds `like`."""
    if type(data) is type(like):
        return data
    src, dst = backend_of(data), backend_of(like)
    return dst.from_host(src.to_host(data), dst.device_of(like))


def _convert(x, dt, dev, copy):
    """x as dtype dt on device dev (None keeps each); self when nothing changes and no copy."""
    xd = x._data
    src_dev = backend_of(xd).device_of(xd)
    dt = dt or FROM_NUMPY[xd.dtype]
    dev = dev or src_dev
    if dt is FROM_NUMPY[xd.dtype] and dev == src_dev and not copy:
        return x
    require_available(dt)
    data = dense(x, max(xd.itemsize, dt.itemsize))      # a copy, on the way at least
    if dev != src_dev:
        data = backend_for(dev).from_host(backend_of(xd).to_host(xd), dev)
    data = cast_array(backend_of(data).xp, data, dt, copy=copy or data is xd)
    r = wrap(data)
    if dt.category < FLOATING:          # an integer result carries no gradient
        return r
    return record_if(ToCopyBackward0, r, (x,), (src_dev,))


def parse_to(args, kwargs):
    """(dtype, device, copy) from Tensor.to's arguments (each None when not given)."""
    dt = to_dtype(kwargs.pop("dtype", None), fn="to")
    dev = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for a in args:
        if isinstance(a, Tensor):
            dt, dev = a.dtype, a.device
        elif isinstance(a, DType):
            dt = a
        elif isinstance(a, (str, Device, int)) and not isinstance(a, bool):
            dev = a
        elif isinstance(a, bool):
            pass  # non_blocking / copy given positionally
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"({type(a).__name__})")
    return dt, as_device(dev), copy


@export("Tensor")
def to(self, *args, **kwargs):
    """to(dtype), to(device), to(device, dtype), to(other): self when nothing changes."""
    dt, dev, copy = parse_to(args, dict(kwargs))
    fmt = kwargs.get("memory_format")
    if fmt is None or fmt is preserve_format:
        return _convert(self, dt, dev, copy)
    return _convert(self, dt, dev, copy).contiguous(memory_format=fmt)


def _cast(dt):
    def cast(self, memory_format=None):
        return _convert(self, dt, None, False)
    cast.__name__ = dt.name
    cast.__doc__ = f"self as torch.{dt.name} (self when it already is)."
    return cast


# x.float() & co. (each cast is named after its dtype: x.float.__name__ is 'float32')
float_ = export("Tensor.float")(_cast(float32))
double = export("Tensor.double")(_cast(float64))
half = export("Tensor.half")(_cast(float16))
cfloat = export("Tensor.cfloat")(_cast(complex64))
cdouble = export("Tensor.cdouble")(_cast(complex128))
bfloat16_ = export("Tensor.bfloat16")(_cast(bfloat16))
long = export("Tensor.long")(_cast(int64))
int_ = export("Tensor.int")(_cast(int32))
short = export("Tensor.short")(_cast(int16))
char = export("Tensor.char")(_cast(int8))
byte = export("Tensor.byte")(_cast(uint8))
bool_cast = export("Tensor.bool")(_cast(bool_))


@export("Tensor")
def type_as(self, other):
    """self cast to other's dtype (and moved to its device), as self.type(other.type())."""
    return _convert(self, other.dtype, other.device, False)


@export("Tensor")
def cpu(self):
    return _convert(self, None, Device("cpu"), False)


@export("Tensor")
def cuda(self, device=None):
    return _convert(self, None, as_device(device if device is not None else "cuda"), False)


@export("torch", "Tensor")
def detach(self):
    """A new tensor on the same memory, cut from the graph (shares the version counter)."""
    t = make_view(self, self._data)
    t._base = None
    return t


@export("Tensor")
def item(self):
    """The single value as a Python number."""
    n = self._data.size
    if n != 1:
        raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
    if self.is_meta:
        raise RuntimeError(NO_ITEM)
    v = backend_of(self._data).to_host(self._data).reshape(())
    if is_ml_dtype(v.dtype):
        v = v.astype(np.float32)
    return v.item()


@export("Tensor")
def tolist(self):
    """Nested Python lists of Python numbers."""
    a = backend_of(self._data).to_host(dense(self, limits.PY_NUMBER_BYTES))
    if is_ml_dtype(a.dtype):
        a = a.astype(np.float32)
    return a.tolist()


@export("Tensor")
def numpy(self, *, force=False):
    """The NumPy array on the same memory (CPU tensors that do not require grad)."""
    if force:
        return backend_of(self._data).to_host(dense(self).copy())
    if self.device.type != "cpu":
        raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                        "Tensor.cpu() to copy the tensor to host memory first.")
    if self._rg and GradMode.enabled:        # under no_grad it may (PyTorch checks both)
        raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                           "tensor.detach().numpy() instead.")
    if self._bits:
        bit, fix = ("conjugate", "conj") if self._bits & CONJ_BIT else ("negative", "neg")
        raise RuntimeError(f"Can't call numpy() on Tensor that has {bit} bit set. Use "
                           f"tensor.resolve_{fix}().numpy() instead.")
    return self._data


def view_as_dtype(self, dt):
    """Reinterpret the bytes as another dtype; a different element size changes the last
    dim's size, which must be contiguous (and, to grow, divisible), as PyTorch requires."""
    dt = to_dtype(dt, fn="view")
    old, new = self.dtype.itemsize, dt.itemsize
    if old != new:
        _check_resizing_view(self, f"{self.dtype.short} as {dt.short}", old, new)
    return make_view(self, self._data.view(dt.np))


def _check_resizing_view(self, names, old, new):
    suffix = f"to view {names} (different element sizes)"
    if self.dim() == 0:
        raise RuntimeError(f"self.dim() cannot be 0 {suffix}")
    if self.stride(-1) != 1:
        raise RuntimeError(f"self.stride(-1) must be 1 {suffix}, but got {self.stride(-1)}")
    if new < old:
        return
    ratio = new // old
    if self.shape[-1] % ratio:
        raise RuntimeError(f"self.size(-1) must be divisible by {ratio} {suffix}, but got "
                           f"{self.shape[-1]}")
    if self.storage_offset() % ratio:
        raise RuntimeError(f"self.storage_offset() must be divisible by {ratio} {suffix}, but "
                           f"got {self.storage_offset()}")
    for i, stride in enumerate(self.stride()[:-1]):
        if stride % ratio:
            raise RuntimeError(f"self.stride({i}) must be divisible by {ratio} {suffix}, but "
                               f"got {stride}")


# ---- dtype arithmetic -------------------------------------------------------------------------

@export("torch")
def result_type(tensor1, tensor2):
    """The dtype an arithmetic op on the two operands (tensors or Python numbers) returns."""
    groups = ([], [], [])          # dimensioned tensors, 0-dim tensors, numbers
    for operand in (tensor1, tensor2):
        if isinstance(operand, Tensor):
            groups[0 if operand._data.ndim else 1].append(operand.dtype)
        else:
            groups[2].append(scalar_dtype(operand))
    return result_type_of(*groups)


@export("torch")
def can_cast(from_, to):
    """Whether a value of dtype from_ may be cast to dtype to under PyTorch's casting rule
    (no cast to a lower kind: float to integer, integer to bool)."""
    for position, (name, value) in enumerate((("from_", from_), ("to", to)), 1):
        if not isinstance(value, DType):
            raise TypeError(f"can_cast(): argument '{name}' (position {position}) must be "
                            f"torch.dtype, not {type(value).__name__}")
    return dtype_can_cast(from_, to)


@export("torch")
def typename(obj):
    """A tensor's legacy type name (torch.FloatTensor); else, as PyTorch's: a class's or
    function's own qualified name (torch.nn.parameter.Parameter), an instance's class's."""
    if isinstance(obj, Tensor):
        return "torch." + obj.dtype.legacy
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if isinstance(name, str):
        module = getattr(obj, "__module__", "") or ""
    else:
        module, name = type(obj).__module__ or "", type(obj).__qualname__
    if type(obj if isinstance(obj, type) else type(obj)) is TorchClass:
        return "torch." + name                  # torch.dtype, torch.Size: torch's own classes
    if module.startswith("tshell.core."):
        module = "torch." + module[len("tshell.core."):]
    return name if module in ("", "builtins") else f"{module}.{name}"
