"""torch.cpu.amp and torch.cuda.amp: the deprecated spellings of torch.amp's autocast and
GradScaler for one device type, with PyTorch's FutureWarnings."""
from __future__ import annotations

import types
import warnings

from ..dtypes import bfloat16, float16
from .autocast_mode import autocast as _autocast, custom_bwd, custom_fwd
from .grad_scaler import GradScaler as _GradScaler


def _deprecated(spelling, device_type):
    return (f"`torch.{device_type}.amp.{spelling}(args...)` is deprecated. Please use "
            f"`torch.amp.{spelling}('{device_type}', args...)` instead.")


def _device_autocast(device_type, default_dtype):
    class autocast(_autocast):
        def __init__(self, enabled=True, dtype=default_dtype, cache_enabled=True):
            warnings.warn(_deprecated("autocast", device_type), FutureWarning, stacklevel=2)
            super().__init__(device_type, enabled=enabled, dtype=dtype,
                             cache_enabled=cache_enabled)
    autocast.__module__ = f"tshell.core.{device_type}.amp.autocast_mode"
    autocast.__qualname__ = "autocast"
    return autocast


def _device_scaler(device_type):
    class GradScaler(_GradScaler):
        def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5,
                     growth_interval=2000, enabled=True):
            warnings.warn(_deprecated("GradScaler", device_type), FutureWarning, stacklevel=2)
            super().__init__(device_type, init_scale=init_scale, growth_factor=growth_factor,
                             backoff_factor=backoff_factor, growth_interval=growth_interval,
                             enabled=enabled)
    GradScaler.__module__ = f"tshell.core.{device_type}.amp.grad_scaler"
    GradScaler.__qualname__ = "GradScaler"
    return GradScaler


def _module(device_type, default_dtype, extra):
    module = types.ModuleType(f"tshell.core.{device_type}.amp")
    module.autocast = _device_autocast(device_type, default_dtype)
    module.GradScaler = _device_scaler(device_type)
    module.__dict__.update(extra)
    module.__all__ = ["autocast", "GradScaler", *extra]
    return module


def cpu_amp():
    return _module("cpu", bfloat16, {})


def cuda_amp():
    return _module("cuda", float16, {"custom_fwd": _device_custom("fwd"),
                                     "custom_bwd": _device_custom("bwd")})


def _device_custom(which):
    """torch.cuda.amp.custom_fwd / custom_bwd: torch.amp's with device_type='cuda' (their
    FutureWarning too)."""
    target = custom_fwd if which == "fwd" else custom_bwd

    def decorator(fn=None, **kwargs):
        warnings.warn(f"`torch.cuda.amp.custom_{which}(args...)` is deprecated. Please use "
                      f"`torch.amp.custom_{which}(args..., device_type='cuda')` instead.",
                      FutureWarning, stacklevel=2)
        return target(fn, device_type="cuda", **kwargs)
    decorator.__name__ = decorator.__qualname__ = f"custom_{which}"
    return decorator
