"""A stand-in CUDA device for tests on machines without a GPU (never used in production).

`enable_fake_cuda()` registers a NumPy-backed backend for device 'cuda:0' whose arrays are a
distinct ndarray subclass. Every device rule (transfers, mixed-device errors, printing,
numpy() refusal) then runs as it would on a GPU, and any op that builds a plain NumPy array
where it should ask the tensor's backend (`xp`) shows up as a CPU tensor in a CUDA result.
"""
from __future__ import annotations

import numpy as np

from .backend import BY_DEVICE_TYPE, register, unregister
from .device import device


class FakeCudaArray(np.ndarray):
    """Device memory of the stand-in GPU (just host memory with another type)."""


def _to_device(value):
    if type(value) is np.ndarray:
        return value.view(FakeCudaArray)
    if isinstance(value, np.generic):  # CuPy returns 0-d device arrays, never host scalars
        return np.asarray(value).view(FakeCudaArray)
    if isinstance(value, tuple):
        return tuple(_to_device(v) for v in value)
    if isinstance(value, list):
        return [_to_device(v) for v in value]
    return value


class FakeXP:
    """numpy, except that arrays it creates live on the stand-in device."""

    def __getattr__(self, name):
        attr = getattr(np, name)
        if isinstance(attr, np.ufunc) or not callable(attr) or isinstance(attr, type):
            return attr  # ufuncs keep the subclass of their inputs

        def on_device(*args, **kwargs):
            return _to_device(attr(*args, **kwargs))
        return on_device


class FakeCudaBackend:
    device_type = "cuda"
    xp = FakeXP()

    def device_of(self, array):
        return device("cuda", 0)

    def to_host(self, array):
        return np.array(array.view(np.ndarray), copy=True)

    def from_host(self, array, dev):
        return np.array(array, copy=True).view(FakeCudaArray)

    def asarray(self, data, dtype=None, device=None):
        return np.asarray(data, dtype=dtype).view(FakeCudaArray)

    def device_count(self):
        return 1

    def current_device(self):
        return 0

    def synchronize(self):
        pass


FAKE = FakeCudaBackend()


def enable_fake_cuda():
    """Make 'cuda' the stand-in device: cuda.is_available() becomes True."""
    register(FAKE, FakeCudaArray)


def disable_fake_cuda():
    unregister(FAKE, FakeCudaArray)


def fake_cuda_enabled():
    return BY_DEVICE_TYPE.get("cuda") is FAKE
