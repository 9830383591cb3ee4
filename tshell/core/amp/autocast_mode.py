"""torch.amp.autocast: a region (context manager or decorator) where the ops on autocast's lists
run in lower precision (tshell/core/autocast_state.py holds the state and the lists)."""
from __future__ import annotations

import functools
import warnings

from .. import autocast_state as state
from .. import cuda
from .. import dtypes
from ..device import device as Device
from ..registry import export
from ..tensor import Tensor

__all__ = ["autocast", "is_autocast_available", "custom_fwd", "custom_bwd"]


class TorchPathClass(type):
    """type(x) and the class print PyTorch's path (torch.amp.autocast_mode.autocast)."""

    def __repr__(cls):
        return f"<class '{dtypes.torch_path(cls)}'>"


def is_autocast_available(device_type):
    """Whether autocast can run on device_type: the CPU and CUDA (tshell's two device types)."""
    return Device(device_type).type in state.DEVICE_TYPES


def _cuda_available():
    return cuda.is_available()


@export("torch")
class autocast(metaclass=TorchPathClass):
    """autocast(device_type, dtype=None, enabled=True, cache_enabled=None): inside the region
    the listed ops cast their inputs (autocast_policy.py); regions nest, and enabled=False
    turns autocast off inside an enclosing region."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: "
                             f"`{_class_text(device_type)}`")
        if not is_autocast_available(device_type):
            raise RuntimeError(f"User specified an unsupported autocast device_type "
                               f"'{device_type}'")
        self.device = device_type
        self.fast_dtype = state.get_autocast_dtype(device_type) if dtype is None else dtype
        self._amp_cache_enabled = (state.is_autocast_cache_enabled() if cache_enabled is None
                               else cache_enabled)
        self._amp_enabled = self._amp_checked_enabled(enabled)

    def _amp_checked_enabled(self, enabled):
        """PyTorch's checks: autocast on CUDA without a GPU, or to a dtype other than the
        two half-precision ones, warns and turns the region off."""
        if not enabled:
            return enabled
        if self.device == "cuda":
            if not _cuda_available():
                warnings.warn("CUDA is not available or torch_xla is imported. Disabling "
                              "autocast.", stacklevel=3)
                return False
            return enabled
        if self.fast_dtype not in (dtypes.bfloat16, dtypes.float16):
            name = self.device.upper()
            warnings.warn(f"In {name} autocast, but the target dtype is not supported. "
                          f"Disabling autocast.\n{name} Autocast only supports dtypes of "
                          "torch.bfloat16, torch.float16 currently.", stacklevel=3)
            return False
        return enabled

    def __enter__(self):
        self.prev_cache_enabled = state.is_autocast_cache_enabled()
        self.prev = state.is_autocast_enabled(self.device)
        self.prev_fastdtype = state.get_autocast_dtype(self.device)
        state.set_autocast_enabled(self.device, self._amp_enabled)
        state.set_autocast_dtype(self.device, self.fast_dtype)
        state.autocast_increment_nesting()
        state.set_autocast_cache_enabled(self._amp_cache_enabled)
        return self

    def __exit__(self, *exc):
        if state.autocast_decrement_nesting() == 0:
            state.clear_autocast_cache()
        state.set_autocast_enabled(self.device, self.prev)
        state.set_autocast_dtype(self.device, self.prev_fastdtype)
        state.set_autocast_cache_enabled(self.prev_cache_enabled)
        return False

    def __call__(self, func):
        if not callable(func):
            raise TypeError(
                f"autocast()(func) requires a callable, but got {type(func).__name__}. Did "
                "you mean to use autocast as a context manager? For example:\n"
                "    with torch.autocast(device_type=...):\n        output = model(input)")
        region = self

        @functools.wraps(func)
        def decorate_autocast(*args, **kwargs):
            with region:
                return func(*args, **kwargs)
        return decorate_autocast

    def __repr__(self):
        return f"<{_path(type(self))} object at {hex(id(self))}>"


def _class_text(value):
    cls = type(value)
    module = cls.__module__
    return f"<class '{cls.__qualname__ if module == 'builtins' else _path(cls)}'>"


def _path(cls):
    return dtypes.torch_path(cls)


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    """Decorates an autograd Function's forward: with cast_inputs, its floating tensor
    arguments are cast to that dtype and it runs with autocast off (when autocast is on);
    the backward decorated by custom_bwd then runs in the forward's autocast state."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: "
                         f"`{_class_text(device_type)}`")
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type,
                                 cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        ctx = args[0]
        enabled = state.is_autocast_enabled(device_type)
        ctx._amp_fwd_autocast = enabled if cast_inputs is None else False
        ctx._amp_fwd_dtype = state.get_autocast_dtype(device_type)
        if cast_inputs is None or not enabled:
            return fwd(*args, **kwargs)
        cast = functools.partial(_cast_floating, cast_inputs, device_type)
        with autocast(device_type=device_type, enabled=False):
            return fwd(*[cast(a) for a in args], **{k: cast(v) for k, v in kwargs.items()})
    return decorate_fwd


def custom_bwd(bwd=None, *, device_type):
    """Decorates an autograd Function's backward: it runs in the autocast state its
    custom_fwd forward ran in."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: "
                         f"`{_class_text(device_type)}`")
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        ctx = args[0]
        with autocast(device_type=device_type, enabled=getattr(ctx, "_amp_fwd_autocast",
                                                                   False),
                      dtype=getattr(ctx, "_amp_fwd_dtype", None)):
            return bwd(*args, **kwargs)
    return decorate_bwd


def _cast_floating(dtype, device_type, value):
    if isinstance(value, Tensor) and value.is_floating_point() \
            and value.device.type == device_type and value.dtype is not dtypes.float64:
        return value.to(dtype)
    if type(value) in (list, tuple):
        return type(value)(_cast_floating(dtype, device_type, v) for v in value)
    return value
