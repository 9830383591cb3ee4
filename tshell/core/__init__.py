"""tshell's tensor + autograd core: a torch-shaped library over NumPy (and CuPy).

`import tshell.core as torch` gives the torch surface of docs/language.md. Nothing here
imports lark, rich or prompt_toolkit.
"""
from __future__ import annotations

import builtins as _builtins
import importlib as _importlib
from types import SimpleNamespace as _NS

# Modules declaring Tensor methods outside ops/, imported before methods binds them.
from . import legacy_types as _legacy_types   # torch.FloatTensor..., x.type(), x.new()
from . import layouts as _layouts       # torch.strided, torch.channels_last..., x.dim_order()
from . import storage as _storage       # torch.UntypedStorage, x.untyped_storage()...
from . import tensor_info as _tensor_info   # x.name, x.grad_dtype, torch.hash_tensor...
# The modules that declare torch names (registry.export): the leaves, the tensor, every op
# module (ops/__init__.py), random numbers and files; methods binds Tensor's.
from . import (device as _device, dtypes as _dtypes, grad_mode as _grad_mode,
               limits as _limits, methods as _methods, printing as _printing,
               random as _random, registry as _registry, save_load as _save_load)
from .tensor import Tensor as _Tensor
from . import type_info as _type_info   # torch.finfo, torch.iinfo, torch.pi...
from . import switches as _switches     # torch.set_num_threads, use_deterministic_algorithms...
from . import exceptions as _exceptions   # torch.OutOfMemoryError...
# torch's sub-modules that are modules here too (LAZY ones below: on first use).
from . import accelerator, cuda
from . import eigen_lobpcg, func, lowrank   # torch.lobpcg, torch.svd_lowrank, torch.func
from . import autograd_public as autograd   # torch.autograd: the engine's public surface
from . import cpu, version   # torch.cpu, torch.version

from .version import __version__   # torch.version's, declared there


# torch's sub-modules that declare no torch.NAME of their own, imported on first use:
# torch.nn's forty modules, torch.distributions' sixty, the optimizers, the data loaders...
# would add a quarter to the start-up of every program (tshell.lang builds their namespaces
# lazily too: runtime.LAZY_SUBMODULES).
LAZY = ("nn", "distributions", "optim", "utils", "quasirandom", "signal", "testing")


def __getattr__(name):
    """A LAZY sub-module, imported now (the import binds it: later lookups do not come here)."""
    if name in LAZY:
        return _importlib.import_module("." + name, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# torch.NAME, torch.NAME_ and the sub-namespaces, as the op modules declare them
# (tshell/core/registry.py; Tensor's methods are bound by methods.py).
globals().update(_registry.exports("torch"))
globals().update({_n + "_": getattr(_Tensor, _n + "_") for _n in _registry.exports("torch_")})
linalg = _NS(**_registry.exports("linalg"))
special = _NS(**_registry.exports("special"))
fft = _NS(**_registry.exports("fft"))

# The public names: everything but the implementation's modules (torch's own modules are
# namespaces of torch too, loaded or LAZY).
__all__ = [n for n, v in list(globals().items())
           if not n.startswith("_") and n not in ("annotations", "LAZY")
           and (not isinstance(v, type(_builtins))
                or n in ("autograd", "cuda", "accelerator", "cpu", "random", "version",
                         "func"))] + list(LAZY)


def _tidy_names():
    """Functions made by factories report their own name in Python's argument errors."""
    for obj in list(globals().values()) + list(vars(_Tensor).values()):
        if callable(obj) and "<locals>" in getattr(obj, "__qualname__", ""):
            try:
                obj.__qualname__ = obj.__name__
            except (AttributeError, TypeError):
                pass


_tidy_names()
