"""Automatic mixed precision: the autocast state and how a listed op casts its arguments.

(Not named autocast.py: the package attribute tshell.core.autocast is torch.autocast, the
class, which an import of a module of that name would replace.)

PyTorch applies autocast in its dispatcher (aten/src/ATen/autocast_mode.cpp): an op on its
lists casts its floating tensor arguments before it runs — to the autocast dtype
(`lower_precision_fp`: matmuls, convolutions, linear), to float32 (`fp32`: losses, solvers,
reductions that lose precision), or to the widest of them (`promote`: cat, stack). Ops on
no list run in the dtypes they are given.

Here the op declarations do the same: registry.bound wraps only the ops named in POLICIES
(autocast_policy.py), and only those wrappers read the state below; every other op call is
unchanged. Inside a wrapped op autocast is off (PyTorch excludes its autocast key while the
op runs), so an fp32 op built on a matmul keeps its matmul in float32.

The casts are Tensor.to, so they are recorded like any cast (ToCopyBackward0) and the
gradients of float32 parameters come back float32. Float64 tensors are never cast, and a
tensor on another device type than the region's is left alone (PyTorch's is_eligible).
"""
from __future__ import annotations

import functools

from . import dtypes
from .autocast_policy import policy_of
from .device import device as Device
from .dtypes import promote_types
from .registry import export

DEVICE_TYPES = ("cpu", "cuda")
DEFAULT_DTYPES = {"cpu": "bfloat16", "cuda": "float16"}


class AutocastState:
    """Per device type: enabled and the lower-precision dtype; the nesting depth and the cache
    switch (PyTorch keeps the same per thread; tshell runs one thread)."""
    enabled = {"cpu": False, "cuda": False}
    dtype: dict = {}
    nesting = 0
    cache_enabled = True


# Truthy while some device type has autocast on and no autocast op is running: the one thing
# a wrapped op reads before it runs as declared.
ACTIVE: list = []


def _refresh():
    ACTIVE[:] = [d for d in DEVICE_TYPES if AutocastState.enabled[d]]


def _device_type(device_type, fn_name):
    """device_type checked as PyTorch parses it (a device string's type: 'cpu', 'cuda')."""
    if not isinstance(device_type, str):
        raise TypeError(f"{fn_name}(): argument 'device_type' (position 1) must be str, not "
                        f"{type(device_type).__name__}")
    kind = Device(device_type).type
    if kind not in DEVICE_TYPES:
        raise RuntimeError(f"User specified an unsupported autocast device_type '{kind}'")
    return kind


@export("torch")
def is_autocast_enabled(device_type=None):
    """Whether autocast is on for device_type (without one: CUDA's, as PyTorch answers)."""
    if device_type is None:
        return AutocastState.enabled["cuda"]
    return AutocastState.enabled[_device_type(device_type, "is_autocast_enabled")]


@export("torch")
def set_autocast_enabled(device_type, enabled=None):
    if enabled is None:                       # the old form set_autocast_enabled(enabled)
        device_type, enabled = "cuda", device_type
    AutocastState.enabled[_device_type(device_type, "set_autocast_enabled")] = bool(enabled)
    _refresh()


@export("torch")
def get_autocast_dtype(device_type):
    device_type = _device_type(device_type, "get_autocast_dtype")
    held = AutocastState.dtype.get(device_type)
    return held if held is not None else getattr(dtypes, DEFAULT_DTYPES[device_type])


@export("torch")
def set_autocast_dtype(device_type, dtype):
    AutocastState.dtype[_device_type(device_type, "set_autocast_dtype")] = dtype


@export("torch")
def is_autocast_cpu_enabled():
    return AutocastState.enabled["cpu"]


@export("torch")
def set_autocast_cpu_enabled(enabled):
    set_autocast_enabled("cpu", enabled)


@export("torch")
def set_autocast_cpu_dtype(dtype):
    set_autocast_dtype("cpu", dtype)


@export("torch")
def set_autocast_gpu_dtype(dtype):
    set_autocast_dtype("cuda", dtype)


@export("torch")
def get_autocast_cpu_dtype():
    return get_autocast_dtype("cpu")


@export("torch")
def get_autocast_gpu_dtype():
    return get_autocast_dtype("cuda")


@export("torch")
def autocast_increment_nesting():
    AutocastState.nesting += 1
    return AutocastState.nesting


@export("torch")
def autocast_decrement_nesting():
    AutocastState.nesting -= 1
    return AutocastState.nesting


@export("torch")
def clear_autocast_cache():
    """tshell keeps no cache of cast weights (each region casts again): nothing to clear."""


@export("torch")
def is_autocast_cache_enabled():
    return AutocastState.cache_enabled


@export("torch")
def set_autocast_cache_enabled(enabled):
    AutocastState.cache_enabled = bool(enabled)


# ---------------------------------------------------------------------------------------
# the wrapper of an op on a list


def autocast_wrapper(op, op_key, binary=False):
    """op, checking the autocast state first (registry.bound makes one per listed op);
    binary: op is an operator's method, called with exactly (self, other)."""
    policy = policy_of(op_key)
    if binary:
        def call(self, other):       # `x @ w`: no argument tuple or dict to build
            if not ACTIVE:
                return op(self, other)
            return _run_cast(op, policy, (self, other), {})
    else:
        def call(*args, **kwargs):
            if not ACTIVE:
                return op(*args, **kwargs)
            return _run_cast(op, policy, args, kwargs)
    call.__wrapped__ = getattr(op, "__wrapped__", op)    # the op itself, as numpy_named's
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(call, attribute, getattr(op, attribute, None))
    return call


def _run_cast(op, policy, args, kwargs):
    """op run with its arguments cast for every device type whose autocast is on; autocast
    is off while it runs."""
    listed_here = [device_type for device_type in ACTIVE if device_type in policy]
    if not listed_here:         # (exp under CPU autocast: only CUDA's list names it)
        return op(*args, **kwargs)
    for device_type in listed_here:
        args, kwargs = _cast_arguments(policy[device_type], device_type, args, kwargs)
    ACTIVE.clear()
    try:
        return op(*args, **kwargs)
    finally:
        _refresh()


BANNED = ("torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to "
          "autocast.\nMany models use a sigmoid layer right before the binary cross entropy "
          "layer.\nIn this case, combine the two layers using "
          "torch.nn.functional.binary_cross_entropy_with_logits\nor torch.nn.BCEWithLogitsLoss."
          "  binary_cross_entropy_with_logits and BCEWithLogits are\nsafe to autocast.")


def _cast_arguments(kind, device_type, args, kwargs):
    if kind == "banned":
        if any(_on(value, device_type) for value in _tensors((*args, *kwargs.values()))):
            raise RuntimeError(BANNED)
        return args, kwargs
    if kind == "lower":
        target = get_autocast_dtype(device_type)
    elif kind == "fp32":
        target = dtypes.float32
    elif kind == "fp32_set_opt_dtype":
        if kwargs.get("dtype") is not None:
            return args, kwargs
        target = dtypes.float32
    else:                                      # promote: the widest eligible dtype
        target = _widest(device_type, args, kwargs)
    cast = functools.partial(_cast_value, target, device_type)
    return tuple(cast(a) for a in args), {k: cast(v) for k, v in kwargs.items()}


def _on(value, device_type):
    from .tensor import Tensor  # cycle: tensor binds its methods here
    return isinstance(value, Tensor) and value.device.type == device_type


def _eligible(value, device_type):
    return (_on(value, device_type) and value.dtype.is_floating_point
            and value.dtype is not dtypes.float64)


def _cast_value(target, device_type, value):
    if type(value) in (list, tuple):
        return type(value)(_cast_value(target, device_type, v) for v in value)
    if _eligible(value, device_type) and value.dtype is not target:
        return value.to(target)
    return value


def _widest(device_type, args, kwargs):
    widest = get_autocast_dtype(device_type)
    for value in _tensors(list(args) + list(kwargs.values())):
        if _eligible(value, device_type):
            widest = promote_types(widest, value.dtype)
    return widest


def _tensors(values):
    for value in values:
        if type(value) in (list, tuple):
            yield from _tensors(value)
        else:
            yield value
