"""Device objects (`device(type='cuda', index=0)`) and their parsing."""
from __future__ import annotations

from .dtypes import TorchClass
from .registry import export


# The device types PyTorch knows (its device-string error lists them in this order).
DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                "privateuseone")


@export("torch")
class device(metaclass=TorchClass):
    """Where a tensor's data lives: 'cpu[:N]' or 'cuda[:N]' hold tensors here; PyTorch's
    other device types construct, print and compare, and refuse tensors as PyTorch built
    without them does."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        elif not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({_tname(type)})")
        elif ":" in type:
            type, _, idx = type.partition(":")
            if not idx.isdigit() or index is not None:
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in DEVICE_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(DEVICE_TYPES)} device type at "
                               f"start of device string: {type}")
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        # PyTorch 2.13 compares devices only with devices: device('cpu') == 'cpu' is False
        return (isinstance(other, device) and self.type == other.type
                and self.index == other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __enter__(self):
        """`with torch.device('meta'):` new tensors go to this device until the block ends."""
        _ENTERED.append(DEFAULT.device)
        set_default_device(self)
        return self

    def __exit__(self, *exc):
        DEFAULT.device = _ENTERED.pop()


def unavailable(d):
    """The error PyTorch built for the CPU (and CUDA) gives for a tensor on device d."""
    if d.type == "mps":
        return RuntimeError("PyTorch is not linked with support for mps devices")
    if d.type in ("xpu", "hip", "mtia", "hpu", "ipu", "maia"):
        return AssertionError(f"Torch not compiled with {d.type.upper()} enabled")
    return RuntimeError(f"tshell has no {d.type} tensors (a tensor lives on the CPU or a CUDA "
                        "device)")


def _tname(x):
    return type(x).__name__


CPU = device("cpu")


def as_device(value):
    """Accept a device, a string or an index; the result is normalised (cuda -> cuda:0)."""
    if value is None:
        return None
    d = value if isinstance(value, device) else device(value)
    if d.type == "cuda" and d.index is None:
        return device("cuda", 0)
    return d


class _DefaultDevice:
    """The device new tensors go to when none is named (torch.set_default_device)."""
    device = None  # None: the CPU


DEFAULT = _DefaultDevice()
_ENTERED = []      # the default device before each `with device` block now open


@export("torch")
def set_default_device(value):
    """Make `value` the device of new tensors. As in PyTorch, nothing is checked here: a
    missing CUDA shows at the first tensor (or at get_default_device for plain 'cuda')."""
    d = None if value is None else value if isinstance(value, device) else device(value)
    DEFAULT.device = None if d is None or d.type == "cpu" else d


@export("torch")
def get_default_device():
    """The default device with its index: plain 'cuda' asks CUDA for its current device, as
    PyTorch does by making an empty tensor there."""
    d = DEFAULT.device
    if d is None:
        return CPU
    if d.type == "cuda" and d.index is None:
        from .backend import backend_for   # a cycle: backends report devices (CPU)
        backend_for(d)                     # no CUDA: the clear missing-CUDA error
        return as_device(d)
    return d
