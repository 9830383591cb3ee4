"""torch.cuda: CUDA tensors through CuPy, imported only when a CUDA tensor is first needed."""
from __future__ import annotations

from .backend import BY_ARRAY_TYPE, BY_DEVICE_TYPE
from .device import device

__all__ = ["is_available", "device_count", "current_device", "synchronize", "manual_seed",
           "manual_seed_all"]

INSTALL_HINT = ("CUDA is not available: tshell runs CUDA tensors through CuPy, which needs an "
                "NVIDIA GPU and `pip install 'tshell[cuda]'`")

_probe = {}
_FAKE = [False]  # the test suite's stand-in device (core/testing.py) is switched on


def _cupy():
    """The cupy module when it imports and sees a GPU, else None (probed once)."""
    if "cupy" not in _probe:
        try:
            import cupy
            ok = cupy.cuda.runtime.getDeviceCount() > 0
        except Exception:  # no CuPy, no driver, no GPU: all mean "not available"
            cupy, ok = None, False
        _probe["cupy"] = cupy if ok else None
    return _probe["cupy"]


def is_available():
    return _FAKE[0] or _cupy() is not None


def device_count():
    if _FAKE[0]:
        return 1
    cp = _cupy()
    return cp.cuda.runtime.getDeviceCount() if cp is not None else 0


def current_device():
    if _FAKE[0]:
        return 0
    if not is_available():
        raise RuntimeError(INSTALL_HINT)
    return _cupy().cuda.runtime.getDevice()


def synchronize(device=None):
    cp = None if _FAKE[0] else _cupy()
    if cp is not None:
        cp.cuda.runtime.deviceSynchronize()


def manual_seed(seed):
    from .random import manual_seed as _seed
    _seed(seed)


def manual_seed_all(seed):
    manual_seed(seed)


class CupyBackend:
    """CUDA devices: CuPy arrays."""

    device_type = "cuda"

    def __init__(self, cupy):
        self.xp = cupy

    def device_of(self, array):
        return device("cuda", array.device.id)

    def to_host(self, array):
        return self.xp.asnumpy(array)

    def from_host(self, array, dev):
        with self.xp.cuda.Device(dev.index or 0):
            return self.xp.asarray(array)

    def asarray(self, data, dtype=None, device=None):
        with self.xp.cuda.Device((device.index or 0) if device else 0):
            return self.xp.asarray(data, dtype=dtype)


def load_backend():
    """Register the CuPy backend (once) or raise the clear missing-CUDA error."""
    if "cuda" in BY_DEVICE_TYPE:
        return BY_DEVICE_TYPE["cuda"]
    cp = _cupy()
    if cp is None:
        raise RuntimeError(INSTALL_HINT)
    if "cuda" not in BY_DEVICE_TYPE:
        b = CupyBackend(cp)
        BY_DEVICE_TYPE["cuda"] = b
        BY_ARRAY_TYPE[cp.ndarray] = b
    return BY_DEVICE_TYPE["cuda"]

