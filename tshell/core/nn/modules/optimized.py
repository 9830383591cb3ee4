"""OptimizedModule: what torch.compile returns for an nn.Module (PyTorch's
torch._dynamo.eval_frame.OptimizedModule), here running the module eagerly.

The original module is its one child, `_orig_mod` (so state_dict keys and named_parameters
are prefixed `_orig_mod.`, as PyTorch's are), parameters are shared, and attributes read,
written or deleted on the wrapper go to the original module, training mode included."""
from __future__ import annotations

from .module import Module
from ...torch_compile import compiled_outputs

__all__ = ["OptimizedModule"]


class OptimizedModule(Module):
    """OptimizedModule(mod): calls mod (its hooks and forward) when called."""

    # the wrapper's own attributes; any other goes to the original module
    _opt_mod_attributes = frozenset(("_orig_mod", "forward", "_super_module_initialized",
                                     "_graph_outputs"))

    def __init__(self, mod, graph_outputs=True):
        object.__setattr__(self, "_orig_mod", mod)    # __getattr__ may need it before init
        self._super_module_initialized = False
        super().__init__()
        self._super_module_initialized = True
        self._orig_mod = mod                          # registered as the one child
        self._graph_outputs = graph_outputs           # (torch_compile.compiled_outputs)

    @property
    def training(self):
        return self._orig_mod.training

    @training.setter
    def training(self, value):
        if self.__dict__.get("_super_module_initialized"):
            self._orig_mod.training = value

    def forward(self, *args, **kwargs):
        out = self._orig_mod(*args, **kwargs)
        if self._graph_outputs:
            return compiled_outputs(out)
        return out

    def __len__(self):
        if hasattr(type(self._orig_mod), "__len__"):
            return len(self._orig_mod)
        raise TypeError(f"{type(self._orig_mod).__name__} does not support len()")

    def __getattr__(self, name):
        if name == "_orig_mod":
            return self.__dict__["_modules"]["_orig_mod"]
        return getattr(self._orig_mod, name)

    def __setattr__(self, name, value):
        if hasattr(type(self), name) or name in self._opt_mod_attributes:
            return super().__setattr__(name, value)
        return setattr(self._orig_mod, name, value)

    def __delattr__(self, name):
        if hasattr(type(self), name) or name in self._opt_mod_attributes:
            return super().__delattr__(name)
        return delattr(self._orig_mod, name)

    def __dir__(self):
        own = dir(self._orig_mod)
        return own + [a for a in super().__dir__() if a not in own]


OptimizedModule.__module__ = "tshell.core._dynamo.eval_frame"
