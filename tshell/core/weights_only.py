"""What torch.load may build from a file: PyTorch's weights_only=True allow-list, each name
bound to a function of tshell's own that checks its arguments before it builds anything.

The names are PyTorch's (torch/_weights_only_unpickler.py); torch_save writes the same ones,
so every file tshell writes loads with PyTorch's weights_only=True and with tshell's own.
docs/security.md explains what is on the list and why.
"""
from __future__ import annotations

import functools
import importlib
from collections import Counter, OrderedDict

import numpy as np

from . import dtypes, meta, storage as storage_views
from .device import device as Device
from .tensor import Size, Tensor, wrap
from .unpickler import Allowlist, UnpicklingError, check_key

# ---- names, as PyTorch writes them --------------------------------------------------------
REBUILD_TENSOR = "torch._utils._rebuild_tensor"
REBUILD_TENSOR_V2 = "torch._utils._rebuild_tensor_v2"
REBUILD_TENSOR_V3 = "torch._utils._rebuild_tensor_v3"
REBUILD_PARAMETER = "torch._utils._rebuild_parameter"
REBUILD_PARAMETER_WITH_STATE = "torch._utils._rebuild_parameter_with_state"
REBUILD_FROM_TYPE_V2 = "torch._tensor._rebuild_from_type_v2"
REBUILD_META_TENSOR = "torch._utils._rebuild_meta_tensor_no_storage"
ORDERED_DICT = "collections.OrderedDict"
COUNTER = "collections.Counter"
SIZE = "torch.Size"
DEVICE = "torch.device"
TENSOR_CLASS = "torch.Tensor"
PARAMETER_CLASS = "torch.nn.parameter.Parameter"
CODECS_ENCODE = "_codecs.encode"
BYTEARRAY = "builtins.bytearray"
SET = "builtins.set"
COMPLEX = "builtins.complex"
UNTYPED_STORAGE = "torch.storage.UntypedStorage"

# The storage class PyTorch names for each dtype (TypedStorage._pickle_storage_type).
STORAGE_NAMES = {
    "float64": "DoubleStorage", "float32": "FloatStorage", "float16": "HalfStorage",
    "bfloat16": "BFloat16Storage", "complex128": "ComplexDoubleStorage",
    "complex64": "ComplexFloatStorage", "int64": "LongStorage", "int32": "IntStorage",
    "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage",
    "bool": "BoolStorage"}


def split(name):
    """'torch._utils._rebuild_tensor_v2' -> ('torch._utils', '_rebuild_tensor_v2')."""
    module, _, attr = name.rpartition(".")
    return module, attr


class StorageType:
    """What GLOBAL torch.FloatStorage (and the like) stands for: a storage's dtype."""

    __slots__ = ("name", "dtype")

    def __init__(self, name, dtype):
        self.name, self.dtype = name, dtype

    def __repr__(self):
        return f"StorageType(dtype={self.dtype})"


class LoadedStorage:
    """A storage of the file being loaded: its flat array, already on its device."""

    __slots__ = ("array", "dtype", "key")
    description = "a bare storage (tshell loads tensors, not storages: save the tensor)"

    def __init__(self, array, dtype, key):
        self.array, self.dtype, self.key = array, dtype, key


class ParameterClass:
    """What GLOBAL torch.nn.parameter.Parameter stands for (the class may not exist in this
    tshell: see parameter())."""

    __slots__ = ()

    def __repr__(self):
        return "<class 'torch.nn.parameter.Parameter'>"


PARAMETER = ParameterClass()


def _storage_types():
    types = {}
    for name, storage_name in STORAGE_NAMES.items():
        kind = StorageType(storage_name, dtypes.DTYPES[name])
        types[f"torch.{storage_name}"] = types[f"torch.cuda.{storage_name}"] = kind
    types[UNTYPED_STORAGE] = types["torch.UntypedStorage"] = StorageType(
        "UntypedStorage", dtypes.uint8)
    return types


# ---- the functions the names stand for ---------------------------------------------------

def rebuild_tensor(storage, storage_offset, size, stride):
    """torch._utils._rebuild_tensor: a tensor viewing a storage of the file."""
    if type(storage) is not LoadedStorage:
        raise UnpicklingError(f"a tensor's storage must come from the file (a persistent id), "
                              f"not {type(storage).__name__}")
    size, stride = _dims(size, "size"), _dims(stride, "stride")
    what = f"torch.load: tensor in storage {storage.key!r}"
    storage_views.check_view(storage.array.size, storage_offset, size, stride, what)
    try:
        array = storage_views.view(storage.array, storage_offset, size, stride)
    except ValueError as e:     # inside the storage, past what NumPy can make (int64, 64 dims)
        raise RuntimeError(f"{what}: {e}") from None
    t = wrap(array)
    t._storage = storage.array          # for storage_offset()
    return t


def rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                      metadata=None):
    """torch._utils._rebuild_tensor_v2: _rebuild_tensor, then requires_grad and the conj/neg
    bits (PyTorch keeps these as lazy flags; tshell applies them as a copy)."""
    t = rebuild_tensor(storage, storage_offset, size, stride)
    return _finish(t, requires_grad, backward_hooks, metadata)


def rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                      dtype, metadata=None):
    """torch._utils._rebuild_tensor_v3: as v2, for an untyped storage read as `dtype`."""
    if type(storage) is not LoadedStorage or not isinstance(dtype, dtypes.dtype):
        raise UnpicklingError("_rebuild_tensor_v3 needs a storage of the file and a dtype")
    if storage.dtype is not dtype:
        if storage.dtype is not dtypes.uint8 or storage.array.nbytes % dtype.itemsize:
            raise UnpicklingError(f"a storage of {storage.dtype} cannot hold {dtype} elements")
        dtypes.require_available(dtype)
        storage = LoadedStorage(storage.array.view(dtype.np), dtype, storage.key)
    t = rebuild_tensor(storage, storage_offset, size, stride)
    return _finish(t, requires_grad, backward_hooks, metadata)


def rebuild_meta_tensor(dtype, size, stride, requires_grad):
    """torch._utils._rebuild_meta_tensor_no_storage: a meta tensor, saved without data (a
    tshell meta tensor reports contiguous strides, so `stride` is checked, not kept)."""
    if not isinstance(dtype, dtypes.dtype):
        raise UnpicklingError(f"a meta tensor's dtype must be a torch dtype, not {_short(dtype)}")
    size, stride = _dims(size, "size"), _dims(stride, "stride")
    if not all(type(d) is int and d >= 0 for d in (*size, *stride)) or \
            len(size) != len(stride):
        raise UnpicklingError(f"a meta tensor's size {list(size)} and stride {list(stride)} "
                              "must be non-negative integers, as many of each")
    dtypes.require_available(dtype)
    try:
        array = meta.empty(size, dtype.np)
    except ValueError as e:     # more dimensions than NumPy makes
        raise RuntimeError(f"torch.load: meta tensor of size {list(size)}: {e}") from None
    return _finish(wrap(array), requires_grad, OrderedDict(), None)


def _dims(value, name):
    if type(value) not in (tuple, list, Size):
        raise UnpicklingError(f"a tensor's {name} must be a tuple of integers, not "
                              f"{type(value).__name__}")
    return tuple(value)


def _finish(t, requires_grad, backward_hooks, metadata):
    _check_empty_hooks(backward_hooks)
    if metadata:
        if type(metadata) not in (dict, OrderedDict) or not set(metadata) <= {"conj", "neg"}:
            raise UnpicklingError(f"unknown tensor metadata {metadata!r}")
        if metadata.get("conj"):
            t = wrap(np.conj(t._data))
        if metadata.get("neg"):
            t = wrap(np.negative(t._data))
    if type(requires_grad) is not bool:
        raise UnpicklingError(f"requires_grad must be a bool, not {type(requires_grad).__name__}")
    if requires_grad:
        t.requires_grad = True            # refuses integer tensors, as PyTorch does
    return t


def _check_empty_hooks(hooks):
    """PyTorch never saves hooks (it pickles an empty OrderedDict); hooks would be code."""
    if type(hooks) not in (dict, OrderedDict) or hooks:
        raise UnpicklingError(f"a tensor's backward hooks must be an empty OrderedDict, got "
                              f"{_short(hooks)}")


def _check_empty_state(state):
    """Python attributes set on a tensor: tshell tensors take none from a file."""
    if state is not None and (type(state) not in (dict, OrderedDict) or state):
        raise UnpicklingError(f"tshell does not load Python attributes of tensors, got "
                              f"{_short(state)}")


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def parameter(data, requires_grad=True):
    """An nn.Parameter when tshell.core.nn has one, else the tensor itself requiring grad."""
    if not isinstance(data, Tensor):
        raise UnpicklingError(f"a Parameter's data must be a tensor, not "
                              f"{type(data).__name__}")
    if type(requires_grad) is not bool:
        raise UnpicklingError("a Parameter's requires_grad must be a bool")
    cls = parameter_class()
    if cls is not None:
        return cls(data, requires_grad)
    data.requires_grad = requires_grad
    return data


@functools.cache
def parameter_class():
    """tshell.core.nn.Parameter, or None while this tshell has no torch.nn (looked up once)."""
    # Imported when a file holds or a save meets a tensor: torch.nn may be absent from this
    # tshell, and importing it is start-up cost every program would pay.
    try:
        module = importlib.import_module("tshell.core.nn")
    except ImportError:
        return None
    return getattr(module, "Parameter", None)


def rebuild_parameter(data, requires_grad, backward_hooks):
    _check_empty_hooks(backward_hooks)
    return parameter(data, requires_grad)


def rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    _check_empty_state(state)
    return rebuild_parameter(data, requires_grad, backward_hooks)


_TENSOR_REBUILDS = (rebuild_tensor, rebuild_tensor_v2, rebuild_tensor_v3, rebuild_meta_tensor)


def rebuild_from_type_v2(func, new_type, args, state):
    """torch._tensor._rebuild_from_type_v2, for plain tensors and parameters only."""
    if not any(func is f for f in _TENSOR_REBUILDS):
        raise UnpicklingError(f"_rebuild_from_type_v2 may only call a tensor rebuild "
                              f"function, not {_short(func)}")
    if new_type is not Tensor and new_type is not PARAMETER:
        raise UnpicklingError(f"tshell loads plain tensors and parameters, not tensors of "
                              f"type {_short(new_type)}")
    if type(args) is not tuple:
        raise UnpicklingError("_rebuild_from_type_v2 needs a tuple of arguments")
    _check_empty_state(state)
    t = func(*args)
    return parameter(t, t.requires_grad) if new_type is PARAMETER else t


def make_size(dims=()):
    if type(dims) not in (tuple, list) or not all(type(d) is int for d in dims):
        raise UnpicklingError(f"torch.Size takes a tuple of integers, not {_short(dims)}")
    return Size(dims)


def make_device(type_, index=None):
    if type(type_) is not str or (index is not None and type(index) is not int):
        raise UnpicklingError(f"torch.device takes a string and an index, not "
                              f"{_short(type_)}, {_short(index)}")
    return Device(type_, index)


def encode(text, encoding="utf-8"):
    """_codecs.encode, as pickle protocol 2 writes bytes: latin-1 text to bytes only (other
    codecs are looked up by name, which imports modules)."""
    if type(text) is not str or encoding not in ("latin1", "latin-1"):
        raise UnpicklingError(f"_codecs.encode is allowed for latin-1 text only, not "
                              f"{_short(text)}, {_short(encoding)}")
    return text.encode("latin-1")


def make_bytearray(data=b""):
    if type(data) is not bytes:
        raise UnpicklingError(f"bytearray takes bytes here, not {type(data).__name__}")
    return bytearray(data)


def make_set(items=()):
    if type(items) not in (list, tuple):
        raise UnpicklingError(f"set takes a list here, not {type(items).__name__}")
    return set(_hashables(items))


def make_complex(real=0.0, imag=0.0):
    if not all(type(v) in (int, float) for v in (real, imag)):
        raise UnpicklingError("complex takes two numbers here")
    return complex(real, imag)


def make_ordered_dict(items=()):
    return OrderedDict(_pairs(items))


def make_counter(items=()):
    return Counter(dict(_pairs(items)))


def _pairs(items):
    if type(items) in (dict, OrderedDict, Counter):
        items = list(items.items())
    if type(items) not in (list, tuple) or not all(
            type(p) in (list, tuple) and len(p) == 2 for p in items):
        raise UnpicklingError(f"expected key-value pairs, got {_short(items)}")
    _hashables(p[0] for p in items)
    return items


def _hashables(items):
    items = list(items)
    for item in items:
        check_key(item)
    return items


# ---- the list ----------------------------------------------------------------------------

# Names PyTorch's list allows but tshell cannot build: refused with the reason.
_QUANTIZED = "quantized tensors are not supported by tshell"
_UNSUPPORTED = {
    "torch._utils._rebuild_qtensor": _QUANTIZED,
    "torch._utils._rebuild_sparse_tensor": "sparse tensors are not supported by tshell",
    "torch.serialization._get_layout": "sparse tensors are not supported by tshell",
    "torch._utils._rebuild_nested_tensor": "nested tensors are not supported by tshell",
    "torch._utils._rebuild_wrapper_subclass": "tensor subclasses are not supported by tshell",
    "torch._utils._rebuild_device_tensor_from_numpy":
        "tensors of other device backends (XLA...) are not supported by tshell",
    "torch._utils._rebuild_device_tensor_from_cpu_tensor":
        "tensors of other device backends (XLA...) are not supported by tshell",
    "torch.storage.TypedStorage": "tshell loads tensors, not bare storages",
    **{f"torch.{name}": _QUANTIZED for name in (
        "QInt8Storage QInt32Storage QUInt8Storage QUInt4x2Storage QUInt2x4Storage qint8 "
        "qint32 quint8 quint4x2 quint2x4 per_tensor_affine per_tensor_symmetric "
        "per_channel_affine per_channel_symmetric per_channel_affine_float_qparams").split()},
    **{f"torch.{name}": f"tshell has no dtype torch.{name}" for name in (
        "complex32 float4_e2m1fn_x2 bits1x8 bits2x4 bits4x2 bits8 "
        "bits16 int1 int2 int3 int4 int5 int6 int7 uint1 uint2 uint3 uint4 uint5 uint6 "
        "uint7").split()},
    **{f"torch.{kind}{name}": "legacy tensor classes (torch.FloatTensor...) are not loaded "
       "by tshell" for kind in ("", "cuda.", "sparse.", "cuda.sparse.") for name in (
        "FloatTensor DoubleTensor HalfTensor BFloat16Tensor LongTensor IntTensor "
        "ShortTensor CharTensor ByteTensor BoolTensor").split()},
}

_CALLS = {
    REBUILD_TENSOR: rebuild_tensor, REBUILD_TENSOR_V2: rebuild_tensor_v2,
    REBUILD_TENSOR_V3: rebuild_tensor_v3, REBUILD_PARAMETER: rebuild_parameter,
    REBUILD_PARAMETER_WITH_STATE: rebuild_parameter_with_state,
    REBUILD_FROM_TYPE_V2: rebuild_from_type_v2, REBUILD_META_TENSOR: rebuild_meta_tensor,
    ORDERED_DICT: make_ordered_dict,
    COUNTER: make_counter, SIZE: make_size, DEVICE: make_device, CODECS_ENCODE: encode,
    BYTEARRAY: make_bytearray, SET: make_set, COMPLEX: make_complex,
}

ALLOWLIST = Allowlist(
    globals={**_CALLS, **_storage_types(), TENSOR_CLASS: Tensor, PARAMETER_CLASS: PARAMETER,
             **{f"torch.{name}": d for name, d in dtypes.DTYPES.items()}},
    calls=_CALLS.values(),
    new_objects={PARAMETER: parameter},
    refusals=_UNSUPPORTED,
    aliases={"__builtin__": "builtins", "torch.tensor": "torch._tensor"})

# What a loaded value may hold besides plain Python data.
VALUE_TYPES = (Tensor, Size, dtypes.dtype, Device)
