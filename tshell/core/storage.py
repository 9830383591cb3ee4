"""Storages as torch.load builds them: one flat array per storage in a file; tensors are strided
views of it (PyTorch's `set_(storage, offset, size, stride)`), so tensors that shared a
storage when saved share memory when loaded.
"""
from __future__ import annotations

import numpy as np

from .backend import backend_for, backend_of, cuda_backend
from .device import CPU, as_device, device as Device
from .dtypes import TorchClass

CUDA_UNAVAILABLE = (
    "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is "
    "False. If you are running on a CPU-only machine, please use torch.load with "
    "map_location=torch.device('cpu') to map your storages to the CPU.")


class UntypedStorage(metaclass=TorchClass):
    """torch.UntypedStorage as a map_location function receives and returns it: the memory
    of one storage of a file, on the CPU or a CUDA device."""

    __slots__ = ("_array",)            # the storage's elements, a flat array of its dtype

    def __init__(self, array):
        self._array = array

    @property
    def device(self):
        return backend_of(self._array).device_of(self._array)

    def nbytes(self):
        return self._array.nbytes

    size = nbytes                      # an untyped storage counts bytes

    def element_size(self):
        return 1

    def __len__(self):
        return self._array.nbytes

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
        return (f"torch.storage.UntypedStorage(nbytes={self.nbytes()}, "
                f"device='{self.device}')")


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
    itemsize = array.dtype.itemsize
    strides = tuple(s * itemsize for s in stride)
    if isinstance(array, np.ndarray):             # NumPy, and its subclasses (test device)
        return np.ndarray.__new__(type(array), tuple(size), array.dtype,
                                  buffer=array.view(np.uint8), offset=offset * itemsize,
                                  strides=strides)
    return backend_of(array).xp.ndarray(tuple(size), array.dtype,
                                        memptr=array.data + offset * itemsize, strides=strides)
