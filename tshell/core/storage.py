"""Storages: torch.UntypedStorage and torch.TypedStorage over a tensor's memory
(x.untyped_storage(), x.storage()), and as torch.load builds them: one flat array per storage
in a file; tensors are strided views of it (PyTorch's `set_(storage, offset, size, stride)`),
so tensors that shared a storage when saved share memory when loaded.
"""
from __future__ import annotations

import warnings

import numpy as np

from . import dtypes, limits, meta
from .backend import BY_ARRAY_TYPE, address, backend_for, backend_of, cuda_backend
from .device import CPU, as_device, device as Device
from .registry import export

CUDA_UNAVAILABLE = (
    "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is "
    "False. If you are running on a CPU-only machine, please use torch.load with "
    "map_location=torch.device('cpu') to map your storages to the CPU.")


class _StorageClass(type):
    """type(s) prints PyTorch's class path (<class 'torch.storage.UntypedStorage'>)."""

    def __repr__(cls):
        return f"<class 'torch.storage.{cls.__name__}'>"


class UntypedStorage(metaclass=_StorageClass):
    """torch.UntypedStorage: the bytes of a tensor's memory (x.untyped_storage(): shared with
    x and every view of it), of a storage torch.load reads, or new ones: UntypedStorage(n)
    (n zero bytes) or UntypedStorage([byte, ...])."""

    __slots__ = ("_array",)            # the storage's elements, a flat array of any dtype

    def __init__(self, data=0, *, device=None):
        if type(data) in BY_ARRAY_TYPE:          # tshell's own: a flat backend array
            self._array = data
            return
        target = as_device(device) or CPU
        if isinstance(data, int) and not isinstance(data, bool):
            limits.check_result((data,), 1)
            host = np.zeros(data, np.uint8)
        elif isinstance(data, (list, tuple)):
            host = np.array([dtypes.check_fits(b, dtypes.uint8) for b in data], np.uint8)
        else:
            raise TypeError(f"UntypedStorage(): expected a size or a sequence of bytes, not "
                            f"{type(data).__name__}")
        self._array = host if target.type == "cpu" else backend_for(target).from_host(
            host, target)

    @property
    def _bytes(self):
        return _reinterpreted(self._array, np.uint8)

    @property
    def device(self):
        return backend_of(self._array).device_of(self._array)

    def nbytes(self):
        return self._array.nbytes

    size = nbytes                      # an untyped storage counts bytes

    def element_size(self):
        return 1

    def data_ptr(self):
        return address(self._array)

    def __len__(self):
        return self._array.nbytes

    def __getitem__(self, index):
        _require_values(self._array)
        if isinstance(index, slice):
            return UntypedStorage(self._bytes[index])
        return int(self._bytes[_checked_index(index, len(self))])

    def __setitem__(self, index, value):
        self._bytes[index if isinstance(index, slice) else _checked_index(index, len(self))] = \
            value

    def tolist(self):
        return _python_list(self._bytes)

    def fill_(self, value):
        self._bytes[...] = value
        return self

    def cpu(self):
        return self.to(CPU)

    def cuda(self, device=None, non_blocking=False):
        return self.to(as_device(device if device is not None else "cuda"))

    def to(self, device=None, non_blocking=False):
        target = as_device(device)
        if target == self.device:
            return self
        return UntypedStorage(move(self._array, target))

    def __repr__(self):
        return _listing(self._bytes, f"[torch.storage.UntypedStorage(device={self.device}) "
                                     f"of size {len(self)}]")


def _reinterpreted(array, dtype):
    """A flat storage array's memory as elements of dtype (a meta storage: its count)."""
    if not meta.has_values(array):
        return meta.empty((array.nbytes // np.dtype(dtype).itemsize,), dtype)
    return array.view(dtype)


def _require_values(array):
    """PyTorch's refusal to read a meta storage's elements."""
    if not meta.has_values(array):
        raise NotImplementedError("Not available for 'meta' device type")


def _checked_index(index, n):
    if not -n <= index < n:
        raise IndexError(f"index {index} out of range for storage of size {n}")
    return index


# What a storage's text takes per element while it is built: the number, its line's str
# object (about 50 bytes) and its share of the joined text.
_LINE_BYTES = 96


def _python_list(array):
    """A storage's elements as a list of Python numbers, refused by the memory cap first
    (a 40 MB storage is a 400 MB list)."""
    _require_values(array)
    limits.check_dense(array, limits.PY_NUMBER_BYTES)
    host = backend_of(array).to_host(array)
    return (host.astype(np.float32) if dtypes.is_ml_dtype(host.dtype) else host).tolist()


def _listing(array, title):
    """A storage as PyTorch prints it: one element a line, then what it is; its text is
    measured first, as print measures a tensor's (PyTorch prints every element)."""
    if not meta.has_values(array):
        return "...\n" + title
    limits.check_dense(array, _LINE_BYTES)
    return " " + "\n ".join(str(v) for v in _python_list(array)) + "\n" + title


TYPED_STORAGE_DEPRECATED = (
    "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be "
    "the only storage class. This should only matter to you if you are using storages "
    "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
    "tensor.storage()")


class _Warned:
    typed_storage = False        # PyTorch warns of TypedStorage once a process


def warn_typed_storage():
    if not _Warned.typed_storage:
        _Warned.typed_storage = True
        warnings.warn(TYPED_STORAGE_DEPRECATED, UserWarning, stacklevel=3)


class TypedStorage(metaclass=_StorageClass):
    """torch.TypedStorage (deprecated in PyTorch): an untyped storage read as elements of one
    dtype. TypedStorage(n) or TypedStorage([values], dtype=...)."""

    __slots__ = ("_untyped_storage", "dtype")

    def __init__(self, data=0, *, dtype=None, device=None, wrap_storage=None):
        warn_typed_storage()
        self.dtype = dtypes.require_available(dtype or dtypes.DEFAULTS.float_dtype)
        if wrap_storage is not None:
            if not isinstance(wrap_storage, UntypedStorage):
                raise TypeError(f"expected a torch.UntypedStorage for wrap_storage, not "
                                f"{type(wrap_storage).__name__}")
            self._untyped_storage = wrap_storage
            return
        if isinstance(data, int) and not isinstance(data, bool):
            limits.check_result((data,), self.dtype.itemsize)
            host = np.zeros(data, self.dtype.np)
        elif isinstance(data, (list, tuple)):
            host = dtypes.cast_array(np, np.asarray(data), self.dtype)
        else:
            raise TypeError(f"TypedStorage(): expected a size or a sequence, not "
                            f"{type(data).__name__}")
        self._untyped_storage = UntypedStorage(host).to(as_device(device) or CPU)

    @property
    def _elements(self):
        return _reinterpreted(self._untyped_storage._array, self.dtype.np)

    @property
    def device(self):
        return self._untyped_storage.device

    def untyped(self):
        return self._untyped_storage

    def size(self):
        return self._elements.size

    __len__ = size

    def nbytes(self):
        return self._untyped_storage.nbytes()

    def element_size(self):
        return self.dtype.itemsize

    def data_ptr(self):
        return self._untyped_storage.data_ptr()

    def __getitem__(self, index):
        _require_values(self._elements)
        if isinstance(index, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        value = self._elements[_checked_index(index, len(self))]
        return _python_number(backend_of(self._elements).to_host(value))

    def __setitem__(self, index, value):
        self._elements[_checked_index(index, len(self))] = value

    def tolist(self):
        return _python_list(self._elements)

    def fill_(self, value):
        self._elements[...] = value
        return self

    def __repr__(self):
        return _listing(self._elements, f"[torch.storage.TypedStorage(dtype={self.dtype}, "
                                       f"device={self.device}) of size {len(self)}]")


def _python_number(value):
    host = np.asarray(value)
    if dtypes.is_ml_dtype(host.dtype):
        host = host.astype(np.float32)
    return host.item()


export("torch.UntypedStorage")(UntypedStorage)
export("torch.TypedStorage")(TypedStorage)


@export("torch")
def is_storage(obj):
    return isinstance(obj, (UntypedStorage, TypedStorage))


def _memory_of(t):
    """The flat array of all of t's memory: its owner's (the tensor its views come from), or
    the storage torch.load read it from."""
    owner = t._base if t._base is not None else t
    array = owner._storage if owner._storage is not None else owner._data
    return array.ravel(order="K")        # the owner's memory is one block: a view


@export("Tensor")
def untyped_storage(self):
    return UntypedStorage(_memory_of(self))


@export("Tensor")
def storage(self):
    """The tensor's memory as a TypedStorage of its dtype (PyTorch deprecates it)."""
    warn_typed_storage()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return TypedStorage(dtype=self.dtype, wrap_storage=UntypedStorage(_memory_of(self)))


def move(array, target):
    """A flat storage array on another device (one copy)."""
    source = backend_of(array)
    host = source.to_host(array)
    if target.type == "cpu":
        return host
    return backend_for(target).from_host(host, target)


def restore(array, location, map_location):
    """The storage array placed where map_location says (PyTorch's restore_location):
    None keeps the device the file names, a device or string picks one for all, a dict
    renames locations, a function(storage, location) returns a storage or None."""
    if map_location is None:
        return _place(array, location)
    if isinstance(map_location, dict):
        return _place(array, _location_name(map_location.get(location, location)))
    if isinstance(map_location, (str, Device)):
        return _place(array, str(map_location))
    if callable(map_location):
        result = map_location(UntypedStorage(array), location)
        if result is None:
            return _place(array, location)
        if not isinstance(result, UntypedStorage):
            raise TypeError(f"map_location must return a storage or None, not "
                            f"{type(result).__name__}")
        moved = result._array
        if moved.dtype != array.dtype or moved.shape != array.shape:
            raise RuntimeError(f"map_location returned a storage of {moved.nbytes} bytes for "
                               f"one of {array.nbytes}: it must return the storage it was "
                               "given, moved")
        return moved
    raise TypeError(f"map_location must be a device, a string, a dict or a function, not "
                    f"{type(map_location).__name__}")


def _location_name(value):
    if isinstance(value, (str, Device)):
        return str(value)
    raise TypeError(f"map_location's values must be devices or strings, not "
                    f"{type(value).__name__}")


def _place(array, location):
    """The array on the device named by a location tag ('cpu', 'cuda', 'cuda:1')."""
    try:
        target = as_device(location)
        if target.type not in ("cpu", "cuda", "meta"):     # meta: shapes, data dropped
            raise RuntimeError(location)
    except RuntimeError:
        raise RuntimeError(f"don't know how to restore data location of "
                           f"torch.storage.UntypedStorage (tagged with {location})") from None
    if target.type == "cuda" and cuda_backend() is None:
        raise RuntimeError(CUDA_UNAVAILABLE)
    if target == backend_of(array).device_of(array):
        return array
    return move(array, target)


def check_view(numel, offset, size, stride, what):
    """Refuse a tensor whose elements would lie outside its storage (PyTorch checks this
    too), before any array is made: a view past the end would read foreign memory."""
    for name, dims in (("size", size), ("stride", stride)):
        if not all(type(d) is int and d >= 0 for d in dims):
            raise RuntimeError(f"{what}: the {name} {list(dims)} must hold non-negative "
                               "integers")
    if len(size) != len(stride):
        raise RuntimeError(f"{what}: size {list(size)} and stride {list(stride)} differ in "
                           "length")
    if type(offset) is not int or offset < 0:
        raise RuntimeError(f"{what}: storage offset {offset!r} must be a non-negative integer")
    if 0 in size:
        last = offset
    else:
        last = offset + sum((s - 1) * st for s, st in zip(size, stride)) + 1
    if last > numel:
        raise RuntimeError(f"{what}: a tensor of size {list(size)}, stride {list(stride)} and "
                           f"storage offset {offset} needs {last} elements, but its storage "
                           f"has {numel}")


def view(array, offset, size, stride):
    """The strided view of a flat storage array (checked by check_view first)."""
    if not meta.has_values(array):                 # a meta storage: a meta tensor of the size
        return meta.empty(tuple(size), array.dtype)
    itemsize = array.dtype.itemsize
    strides = tuple(s * itemsize for s in stride)
    if isinstance(array, np.ndarray):             # NumPy, and its subclasses (test device)
        return np.ndarray.__new__(type(array), tuple(size), array.dtype,
                                  buffer=array.view(np.uint8), offset=offset * itemsize,
                                  strides=strides)
    return backend_of(array).xp.ndarray(tuple(size), array.dtype,
                                        memptr=array.data + offset * itemsize, strides=strides)
