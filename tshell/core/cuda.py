"""torch.cuda: CUDA tensors through CuPy, imported only when a CUDA tensor is first needed."""
from __future__ import annotations

from .backend import BY_DEVICE_TYPE, register
from .device import device

__all__ = ["is_available", "device_count", "current_device", "synchronize", "manual_seed",
           "manual_seed_all"]

INSTALL_HINT = ("CUDA is not available: tshell runs CUDA tensors through CuPy, which needs an "
                "NVIDIA GPU and `pip install 'tshell[cuda]'`")

_probe = {}


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


def _backend():
    """The backend serving 'cuda': the one registered, else CuPy's when CuPy sees a GPU
    (registered now), else None."""
    b = BY_DEVICE_TYPE.get("cuda")
    if b is None and _cupy() is not None:
        b = load_backend()
    return b


def is_available():
    return _backend() is not None


def device_count():
    b = _backend()
    return b.device_count() if b is not None else 0


def current_device():
    b = _backend()
    if b is None:
        raise RuntimeError(INSTALL_HINT)
    return b.current_device()


def synchronize(device=None):
    b = _backend()
    if b is not None:
        b.synchronize()


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

    def device_count(self):
        return self.xp.cuda.runtime.getDeviceCount()

    def current_device(self):
        return self.xp.cuda.runtime.getDevice()

    def synchronize(self):
        self.xp.cuda.runtime.deviceSynchronize()


def load_backend():
    """The backend serving 'cuda' (CuPy's, registered on first use), or the clear
    missing-CUDA error."""
    if "cuda" in BY_DEVICE_TYPE:
        return BY_DEVICE_TYPE["cuda"]
    cp = _cupy()
    if cp is None:
        raise RuntimeError(INSTALL_HINT)
    b = CupyBackend(cp)
    register(b, cp.ndarray)
    return b

