"""torch's global switches: thread counts, deterministic algorithms, matmul precision, denormal
flushing, warn-always and autograd's anomaly mode. Each keeps the state a program sets and
answers with it, with PyTorch's checks and messages.

Most change nothing in how tshell computes: NumPy's BLAS picks its own threads, tshell's
kernels are deterministic already, float32 matmuls are always full precision and NumPy does
not flush denormals (docs/language.md says so). The intra-op thread count bounds how many
threads an optimizer's update uses (parallel.py); anomaly mode's NaN check is real
(autograd.py).

A leaf module: it imports nothing of tshell but the registry.
"""
from __future__ import annotations

import functools
import os
import warnings

from .registry import export


class _Threads:
    # PyTorch's default: one intra-op thread per core, as many inter-op threads.
    intra = inter = os.cpu_count() or 1
    inter_set = False       # PyTorch allows setting the inter-op count once, before use


def _positive_int(value, fn):
    if type(value) is not int:
        raise RuntimeError(f"{fn} expects an int, but got {type(value).__name__}")
    if value <= 0:
        raise RuntimeError(f"{fn} expects a positive integer")
    return value


@export("torch")
def get_num_threads():
    return _Threads.intra


@export("torch")
def set_num_threads(int):
    _Threads.intra = _positive_int(int, "set_num_threads")


@export("torch")
def get_num_interop_threads():
    return _Threads.inter


@export("torch")
def set_num_interop_threads(int):
    _Threads.inter = _positive_int(int, "set_num_interop_threads")


@export("torch")
def init_num_threads():
    """Sets up the calling thread's thread pool (nothing to set up here)."""


# ---- deterministic algorithms ---------------------------------------------------------------

class _Determinism:
    enabled = False
    warn_only = False


@export("torch")
def use_deterministic_algorithms(mode, *, warn_only=False):
    for name, value, position in (("mode", mode, " (position 1)"), ("warn_only", warn_only, "")):
        if type(value) is not bool:
            raise TypeError(f"_set_deterministic_algorithms(): argument '{name}'{position} "
                            f"must be bool, not {type(value).__name__}")
    _Determinism.enabled, _Determinism.warn_only = mode, warn_only


@export("torch")
def are_deterministic_algorithms_enabled():
    return _Determinism.enabled


@export("torch")
def is_deterministic_algorithms_warn_only_enabled():
    return _Determinism.warn_only


@export("torch")
def get_deterministic_debug_mode():
    """0 (default), 1 (warn) or 2 (error), read from use_deterministic_algorithms' state."""
    if not _Determinism.enabled:
        return 0
    return 1 if _Determinism.warn_only else 2


_DEBUG_MODES = ("default", "warn", "error")


@export("torch")
def set_deterministic_debug_mode(debug_mode):
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, "
                               f"`warn`, `error`, but got {debug_mode}")
        debug_mode = _DEBUG_MODES.index(debug_mode)
    elif not isinstance(debug_mode, int):
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    if debug_mode not in (0, 1, 2):
        raise RuntimeError("invalid value of debug_mode, expected 0, 1, or 2, but got "
                           f"{debug_mode}")
    use_deterministic_algorithms(debug_mode != 0, warn_only=debug_mode == 1)


# ---- float32 matmul precision, denormals, warnings ------------------------------------------

class _Precision:
    float32_matmul = "highest"


_PRECISIONS = ("highest", "high", "medium")


@export("torch")
def get_float32_matmul_precision():
    return _Precision.float32_matmul


@export("torch")
def set_float32_matmul_precision(precision):
    if not isinstance(precision, str):
        raise RuntimeError("set_float32_matmul_precision expects a str, but got "
                           f"{type(precision).__name__}")
    if precision not in _PRECISIONS:
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _Precision.float32_matmul = precision


@export("torch")
def set_flush_denormal(mode):
    """Flush denormal floats to zero in this thread's arithmetic (the CPU's FTZ and DAZ bits);
    True where the CPU supports it, as PyTorch answers."""
    if type(mode) is not bool:
        raise RuntimeError(f"flush_denormal expects a bool, but got {type(mode).__name__}")
    from .denormals import set_flushing    # ctypes: loaded only for programs that ask
    return set_flushing(mode)


class _Warnings:
    always = False


@export("torch")
def set_warn_always(b):
    if type(b) is not bool:
        raise RuntimeError(f"setWarnOnlyOnce expects a bool, but got {type(b).__name__}")
    _Warnings.always = b


@export("torch")
def is_warn_always_enabled():
    return _Warnings.always


@export("torch")
def is_vulkan_available():
    return False


# ---- autograd's anomaly mode ----------------------------------------------------------------

class AnomalyMode:
    """Read by the backward engine: with check_nan, a node's NaN gradient is an error."""
    enabled = False
    check_nan = True


@export("torch")
def is_anomaly_enabled():
    return AnomalyMode.enabled


@export("torch")
def is_anomaly_check_nan_enabled():
    return AnomalyMode.check_nan


@export("torch")
def set_anomaly_enabled(enabled, check_nan=True):
    for position, (name, value) in enumerate((("enabled", enabled),
                                               ("check_nan", check_nan)), 1):
        if type(value) is not bool:
            raise TypeError(f"set_anomaly_enabled(): argument '{name}' (position {position}) "
                            f"must be bool, not {type(value).__name__}")
    AnomalyMode.enabled, AnomalyMode.check_nan = enabled, check_nan


ANOMALY_WARNING = ("Anomaly Detection has been enabled. This mode will increase the runtime "
                   "and should only be enabled for debugging.")


class _ModeContext:
    """A context manager and decorator that sets a mode and restores the previous one."""

    _module = "torch.autograd.anomaly_mode"

    def _set(self):
        raise NotImplementedError

    def __enter__(self):
        self._set()
        return None

    def __exit__(self, *exc):
        self._restore()
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with self.__class__(*self._args):
                return fn(*args, **kwargs)
        return wrapped

    def __repr__(self):
        return f"<{self._module}.{type(self).__name__} object at {hex(id(self))}>"


class detect_anomaly(_ModeContext):
    """with torch.autograd.detect_anomaly(): anomaly mode for the block."""

    def __init__(self, check_nan=True):
        self._args = (check_nan,)
        self._prev = (AnomalyMode.enabled, AnomalyMode.check_nan)
        warnings.warn(ANOMALY_WARNING, UserWarning, stacklevel=2)

    def _set(self):
        self._prev = (AnomalyMode.enabled, AnomalyMode.check_nan)
        set_anomaly_enabled(True, self._args[0])

    def _restore(self):
        set_anomaly_enabled(*self._prev)


class set_detect_anomaly(_ModeContext):
    """Sets anomaly mode at once; as a context, restores the previous mode after."""

    def __init__(self, mode, check_nan=True):
        self._args = (mode, check_nan)
        self._prev = (AnomalyMode.enabled, AnomalyMode.check_nan)
        set_anomaly_enabled(mode, check_nan)

    def _set(self):
        set_anomaly_enabled(*self._args)

    def _restore(self):
        set_anomaly_enabled(*self._prev)


def check_nan_gradients(node, grads):
    """Anomaly mode's check after a node ran backward: PyTorch's error for a NaN gradient."""
    for i, g in enumerate(grads):
        if g is not None and g.isnan().any().item():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th "
                               "output.")


# ---- autograd's multithreading and gradient-layout switches ----------------------------------

class _AutogradSwitches:
    multithreading = True
    grad_layout_policy = True


def is_multithreading_enabled():
    return _AutogradSwitches.multithreading


class _SwitchContext(_ModeContext):
    """Sets a switch of _AutogradSwitches at once; as a context, restores it after."""

    _module = "torch.autograd.grad_mode"
    _switch = ""
    _setter = ""            # the C++ setter PyTorch's type error names

    def __init__(self, mode):
        if type(mode) is not bool:
            raise TypeError(f"{self._setter}(): argument 'enabled' (position 1) must be "
                            f"bool, not {type(mode).__name__}")
        self._args = (mode,)
        self._prev = getattr(_AutogradSwitches, self._switch)
        setattr(_AutogradSwitches, self._switch, mode)

    def _set(self):
        setattr(_AutogradSwitches, self._switch, self._args[0])

    def _restore(self):
        setattr(_AutogradSwitches, self._switch, self._prev)


class set_multithreading_enabled(_SwitchContext):
    """tshell's backward runs on the calling thread either way."""
    _switch = "multithreading"
    _setter = "set_multithreading_enabled"


class enforce_grad_layout_policy(_SwitchContext):
    """Whether accumulated gradients take their parameter's strides (tshell's gradients
    follow the layout of the computation either way)."""
    _switch = "grad_layout_policy"
    _setter = "set_grad_layout_enforcement_enabled"
