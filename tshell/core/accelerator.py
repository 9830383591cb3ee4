"""torch.accelerator: the device-generic view of the accelerator (CUDA through CuPy here)."""
from __future__ import annotations

from . import cuda
from .device import device

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "current_device_idx", "synchronize"]

_NONE = "Cannot access accelerator device when none is available."


def is_available() -> bool:
    return cuda.is_available()


def current_accelerator(check_available: bool = False):
    """device('cuda') when an accelerator is available, else None."""
    return device("cuda") if cuda.is_available() else None


def device_count() -> int:
    return cuda.device_count()


def current_device_index() -> int:
    if not cuda.is_available():
        raise RuntimeError(_NONE)
    return cuda.current_device()


current_device_idx = current_device_index


def synchronize(device=None) -> None:
    if not cuda.is_available():
        raise RuntimeError(_NONE)
    cuda.synchronize(device)
