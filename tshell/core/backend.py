"""The backend seam: every array operation goes through an array namespace (`xp`).

A tensor's backend is found from the type of its array, so a tensor never stores its device
twice. NumPy serves the CPU; a CuPy backend registers itself for CUDA arrays when first used.
"""
from __future__ import annotations

import numpy as np

from .device import CPU


class NumpyBackend:
    """The CPU: NumPy arrays."""

    xp = np
    device_type = "cpu"

    def device_of(self, array):
        return CPU

    def to_host(self, array):
        return array

    def from_host(self, array, device):
        return array

    def asarray(self, data, dtype=None, device=None):
        return np.asarray(data, dtype=dtype)


NUMPY = NumpyBackend()

# Array type -> backend, device type -> backend. Extra backends (CUDA) come in through
# register() when first used.
BY_ARRAY_TYPE = {np.ndarray: NUMPY}
BY_DEVICE_TYPE = {"cpu": NUMPY}


def register(backend, array_type):
    """Serve backend.device_type with backend, which owns the arrays of array_type."""
    BY_DEVICE_TYPE[backend.device_type] = backend
    BY_ARRAY_TYPE[array_type] = backend


def unregister(backend, array_type):
    """Undo register(backend, array_type) (a device type no backend serves is unavailable)."""
    if BY_DEVICE_TYPE.get(backend.device_type) is backend:
        del BY_DEVICE_TYPE[backend.device_type]
    if BY_ARRAY_TYPE.get(array_type) is backend:
        del BY_ARRAY_TYPE[array_type]


def is_writeable(array):
    """Whether array may be written into (NumPy marks some views read-only; CuPy's arrays
    have no such flag and always may)."""
    return getattr(array.flags, "writeable", True)


def backend_of(array):
    """The backend that owns `array`."""
    return BY_ARRAY_TYPE[type(array)]


def xp_of(array):
    """The array namespace (numpy, cupy) for `array`."""
    return BY_ARRAY_TYPE[type(array)].xp


def backend_for(device):
    """The backend serving a device; loads the CUDA backend on first use."""
    b = BY_DEVICE_TYPE.get(device.type)
    if b is None:
        from . import cuda
        b = cuda.load_backend()
    return b
