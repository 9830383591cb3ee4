"""tshell's tensor + autograd core: a torch-shaped library over NumPy (and CuPy).

`import tshell.core as torch` gives the torch surface of docs/language.md. Nothing here
imports lark, rich or prompt_toolkit.
"""
from __future__ import annotations

import builtins as _builtins
import importlib as _importlib
from types import SimpleNamespace as _NS

from . import accelerator, cuda, methods as _methods, random as _random  # noqa: F401 (methods binds Tensor's methods)
from . import autograd_public as autograd   # torch.autograd: the engine's public surface
from . import registry as _registry, save_load as _save_load  # noqa: F401 (declares save, load)
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .device import device, get_default_device, set_default_device
from .dtypes import (bfloat16, bool_ as bool, complex64, complex128, dtype, float16, float32,
                     float64, get_default_dtype, int8, int16, int32, int64, promote_types,
                     set_default_dtype, uint8)
from .limits import set_max_memory
from .printing import get_printoptions, set_printoptions
from .tensor import Size, Tensor
from . import distributions, utils  # noqa: F401 (torch.distributions, torch.utils.data)

# Short dtype aliases, as torch has them.
float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = complex64
cdouble = complex128

__version__ = "2.13.0+tshell"


def __getattr__(name):
    """torch.nn, imported on first use: its forty modules would add a tenth to the start-up
    of every program (tshell.lang builds its torch.nn namespace lazily too)."""
    if name == "nn":      # (the import binds tshell.core.nn: later lookups do not come here)
        return _importlib.import_module(".nn", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# torch.NAME, torch.NAME_ and the sub-namespaces, as the op modules declare them
# (tshell/core/registry.py; Tensor's methods are bound by methods.py).
globals().update(_registry.exports("torch"))
globals().update({_n + "_": getattr(Tensor, _n + "_") for _n in _registry.exports("torch_")})
linalg = _NS(**_registry.exports("linalg"))
special = _NS(**_registry.exports("special"))
fft = _NS(**_registry.exports("fft"))

from . import optim  # noqa: E402 (its optimizers are written with the ops bound above)

# The public names: everything but the implementation's modules (autograd, cuda, utils,
# distributions, accelerator, optim and nn are namespaces of torch too).
__all__ = [n for n, v in list(globals().items())
           if not n.startswith("_") and n != "annotations"
           and (not isinstance(v, type(_builtins))
                or n in ("autograd", "cuda", "utils", "distributions", "accelerator",
                         "optim"))] + ["nn"]


def _tidy_names():
    """Functions made by factories report their own name in Python's argument errors."""
    for obj in list(globals().values()) + list(vars(Tensor).values()):
        if callable(obj) and "<locals>" in getattr(obj, "__qualname__", ""):
            try:
                obj.__qualname__ = obj.__name__
            except (AttributeError, TypeError):
                pass


_tidy_names()
