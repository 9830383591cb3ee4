"""tshell's tensor + autograd core: a torch-shaped library over NumPy (and CuPy).

`import tshell.core as torch` gives the torch surface of docs/language.md. Nothing here
imports lark, rich or prompt_toolkit.
"""
from __future__ import annotations

import importlib as _importlib

# The modules every start needs: the tensor, its operators and properties (methods.py
# imports the modules declaring them), printing, and torch's sub-modules that are modules
# here too. Every other module declaring torch names (op_index.py: ~80 op modules, files,
# type info...) is imported at the first use of one of its names (__getattr__ below).
from . import (device as _device, dtypes as _dtypes, grad_mode as _grad_mode,
               limits as _limits, methods as _methods, printing as _printing,
               random, registry as _registry)
from .tensor import Tensor as _Tensor
from . import accelerator, cuda
from . import autograd_public as autograd   # torch.autograd: the engine's public surface
from . import cpu, version   # torch.cpu, torch.version

from .version import __version__   # torch.version's, declared there


# torch's sub-modules that declare no torch.NAME of their own, imported on first use:
# torch.nn's forty modules, torch.distributions' sixty, the optimizers, the data loaders...
# would add a quarter to the start-up of every program (tshell.lang builds their namespaces
# lazily too: runtime.LAZY_SUBMODULES).
LAZY = ("nn", "distributions", "optim", "utils", "quasirandom", "signal", "testing", "func",
        "amp", "compiler")


def __getattr__(name):
    """A LAZY sub-module or a declared name whose module is not loaded yet, imported now
    (binding it: later lookups do not come here)."""
    if name in LAZY:
        module = _importlib.import_module("." + name, __name__)
        _methods.bind_declared()      # what its imports declared
        return module
    if _methods.load_declared("torch", name) and name in globals():
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# torch.linalg, torch.special, torch.fft (filled as their modules load: methods.py)
linalg, special, fft = (_methods.NAMESPACES[_place] for _place in ("linalg", "special", "fft"))
_methods.bind_declared()


def _bind_over_modules():
    """torch.tensor and torch.device name modules of ours too: importing one made the module
    an attribute here, which a declared name not bound yet would never replace."""
    for name in _methods.declared_names("torch").intersection(globals()):
        if isinstance(globals()[name], type(_importlib)):
            _methods.load_declared("torch", name)


_bind_over_modules()

# The public names: every declared one, loaded or not (not torch._standard_gamma...), and
# torch's own modules (loaded or LAZY); not the implementation's modules.
__all__ = sorted({_n for _n in _methods.declared_names("torch") if not _n.startswith("_")} | {
    "linalg", "special", "fft", "autograd", "cuda", "accelerator", "cpu", "random",
    "version", *LAZY})


def __dir__():
    return sorted(set(globals()) | set(__all__))
