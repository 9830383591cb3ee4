"""The backend seam: every array operation goes through an array namespace (`xp`).

A tensor's backend is found from the type of its array, so a tensor never stores its device
twice. NumPy serves the CPU; CuPy's backend is registered for CUDA when first needed (so is the
test suite's stand-in CUDA device, fake_cuda.py). torch.cuda (cuda.py) asks this module.
"""
from __future__ import annotations

import os

import numpy as np

from . import meta
from .device import CPU, device, unavailable


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
BY_ARRAY_TYPE = {np.ndarray: NUMPY, meta.MetaArray: meta.BACKEND}
BY_DEVICE_TYPE = {"cpu": NUMPY, "meta": meta.BACKEND}
# Array type -> launcher of fused elementwise kernels (cuda_kernels/launch.py). Empty on the
# CPU, so the compiler's fused expressions fall through to the eager closures at once.
FUSION_LAUNCHERS: dict = {}


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


def writable_alias(array):
    """array itself where it may be written, else a writable view of the same memory: NumPy
    marks an expanded tensor's array (broadcast_to) read-only, but PyTorch writes through
    an expanded tensor where one element is written once (x.fill_, x[0] = row). None: the
    memory itself is read-only."""
    if getattr(array.flags, "writeable", True):
        return array
    alias = array.view()
    try:
        alias.flags.writeable = True
    except ValueError:
        return None
    return alias


def backend_of(array):
    """The backend that owns `array`."""
    return BY_ARRAY_TYPE[type(array)]


def xp_of(array):
    """The array namespace (numpy, cupy) for `array`."""
    return BY_ARRAY_TYPE[type(array)].xp


def strided_view(a, shape, strides):
    """A view of array a with the given shape and (byte) strides, of a's own array type."""
    if type(a) is meta.MetaArray:       # no memory to lay out: only the shape is kept
        return meta.empty(shape, a.dtype)
    if isinstance(a, np.ndarray):       # subok: an ndarray subclass stays on its device
        return np.lib.stride_tricks.as_strided(a, shape, strides, subok=True)
    return xp_of(a).lib.stride_tricks.as_strided(a, shape, strides)


def address(array):
    """Where an array's first element lives (host or device pointer; 0: no memory, meta)."""
    if type(array) is meta.MetaArray:
        return 0
    iface = getattr(array, "__array_interface__", None)
    return iface["data"][0] if iface else array.data.ptr


def backend_for(dev):
    """The backend serving a device; loads the CUDA backend on first use."""
    b = BY_DEVICE_TYPE.get(dev.type)
    if b is None and dev.type != "cuda":
        raise unavailable(dev)
    return b if b is not None else load_cuda()


# ---- CUDA: CuPy ------------------------------------------------------------------------------

INSTALL_HINT = ("CUDA is not available: tshell runs CUDA tensors through CuPy, which needs an "
                "NVIDIA GPU and `pip install 'tshell[cuda]'`")


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


_probe = {}


def cupy_module():
    """The cupy module when it imports and sees a GPU, else None (probed once)."""
    if "cupy" not in _probe:
        try:
            import cupy   # on first use: an optional package, and seconds of start-up
            ok = cupy.cuda.runtime.getDeviceCount() > 0
        except Exception:  # no CuPy, no driver, no GPU: all mean "not available"
            cupy, ok = None, False
        _probe["cupy"] = cupy if ok else None
    return _probe["cupy"]


def cuda_backend():
    """The backend serving 'cuda': the one registered, else CuPy's when CuPy sees a GPU
    (registered now), else None."""
    b = BY_DEVICE_TYPE.get("cuda")
    if b is None and cupy_module() is not None:
        b = load_cuda()
    return b


def load_cuda():
    """The backend serving 'cuda' (CuPy's, registered on first use), or the clear
    missing-CUDA error."""
    if "cuda" in BY_DEVICE_TYPE:
        return BY_DEVICE_TYPE["cuda"]
    cp = cupy_module()
    if cp is None:
        raise RuntimeError(INSTALL_HINT)
    b = CupyBackend(cp)
    register(b, cp.ndarray)
    if os.environ.get("TSHELL_FUSION", "1") != "0":     # TSHELL_FUSION=0: eager ops only
        from .cuda_kernels.launch import CupyLauncher  # with CUDA only, never at start-up
        FUSION_LAUNCHERS[cp.ndarray] = CupyLauncher(cp)
    return b
