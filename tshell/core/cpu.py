"""torch.cpu: the CPU as a device module, so that device-agnostic code (`torch.get_device_module
(x.device).synchronize()`) runs on it; as in PyTorch, its streams and events do nothing.
Also torch.get_device_module."""
from __future__ import annotations

import sys

from . import cuda
from .device import DEFAULT, as_device, device as Device
from .registry import export

__all__ = ["amp", "is_available", "is_initialized", "device_count", "current_device",  # noqa: F822
           "set_device",
           "synchronize", "Stream", "StreamContext", "Event", "stream", "current_stream"]


def is_available():
    return True


def is_initialized():
    return True


def device_count():
    """The number of CPU devices (not cores): 1."""
    return 1


def current_device():
    return "cpu"


def set_device(device):
    """Nothing to select: there is one CPU device."""


def synchronize(device=None):
    """CPU work is done when its call returns."""


class Stream:
    """A CPU stream: one exists, implicitly."""

    def __init__(self, priority=-1):
        pass

    def wait_stream(self, stream):
        pass

    def record_event(self):
        pass

    def wait_event(self, event):
        pass

    def __repr__(self):
        return f"<torch.cpu.Stream object at {hex(id(self))}>"


class Event:
    def query(self):
        return True

    def record(self, stream=None):
        pass

    def synchronize(self):
        pass

    def wait(self, stream=None):
        pass

    def __repr__(self):
        return f"<torch.cpu.Event object at {hex(id(self))}>"


class _Streams:
    current = Stream()


class StreamContext:
    """Makes a stream the current one for a block."""

    def __init__(self, stream):
        self.stream = stream
        self.prev_stream = _Streams.current

    def __enter__(self):
        if self.stream is not None:
            self.prev_stream, _Streams.current = _Streams.current, self.stream

    def __exit__(self, *exc):
        if self.stream is not None:
            _Streams.current = self.prev_stream
        return False

    def __repr__(self):
        return f"<torch.cpu.StreamContext object at {hex(id(self))}>"


def stream(stream):
    return StreamContext(stream)


def current_stream(device=None):
    return _Streams.current




@export("torch")
def get_device_module(device=None):
    """The module of a device type (torch.cpu, torch.cuda); without one, the default
    device's (the CPU's unless set_default_device chose CUDA)."""
    if device is None:
        d = DEFAULT.device or Device("cpu")
    elif isinstance(device, str):
        d = Device(device)
    else:
        d = as_device(device)
    modules = {"cpu": sys.modules[__name__], "cuda": cuda}
    if d.type not in modules:
        raise RuntimeError(f"Device '{d.type}' does not have a corresponding module registered "
                           f"as 'torch.{d.type}'.")
    return modules[d.type]


SUBMODULES = ("amp",)   # torch.cpu.amp, the deprecated autocast and GradScaler spellings


def __getattr__(name):
    """torch.cpu.amp, made at its first use (start-up imports no amp)."""
    if name == "amp":
        from .amp.device_amp import cpu_amp  # start-up: amp loads at first use
        module = globals()["amp"] = cpu_amp()
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
