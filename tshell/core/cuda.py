"""torch.cuda: CUDA tensors through CuPy (backend.py), probed only when first asked."""
from __future__ import annotations

from .backend import INSTALL_HINT, cuda_backend
from . import random

__all__ = ["amp",  # noqa: F822 (made at its first use: __getattr__)
           "is_available", "device_count", "current_device", "synchronize", "manual_seed",
           "manual_seed_all"]


def is_available():
    return cuda_backend() is not None


def device_count():
    b = cuda_backend()
    return b.device_count() if b is not None else 0


def current_device():
    b = cuda_backend()
    if b is None:
        raise RuntimeError(INSTALL_HINT)
    return b.current_device()


def synchronize(device=None):
    b = cuda_backend()
    if b is not None:
        b.synchronize()


def manual_seed(seed):
    random.manual_seed(seed)       # one generator serves every device


def manual_seed_all(seed):
    manual_seed(seed)


SUBMODULES = ("amp",)   # torch.cuda.amp, the deprecated autocast and GradScaler spellings


def __getattr__(name):
    """torch.cuda.amp, made at its first use (start-up imports no amp)."""
    if name == "amp":
        from .amp.device_amp import cuda_amp  # start-up: amp loads at first use
        module = globals()["amp"] = cuda_amp()
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
