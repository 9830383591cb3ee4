"""torch.nn.utils.weight_norm / remove_weight_norm: the older, hook-based weight
normalization (PyTorch 2.13 deprecates it for parametrizations.weight_norm), and the
weight-norm formula both share.

weight_norm(module, name) replaces the parameter `name` by `name_g` (the magnitudes, the
norm over every dim but `dim`) and `name_v` (the direction), and a forward pre-hook (a
WeightNorm object) recomputes `module.name = v * g / ||v||` before each forward.
"""
from __future__ import annotations

import warnings

from ...ops.composite_node import one_node
from ...ops.distance import norm_except_dim
from ..parameter import Parameter, UninitializedParameter

__all__ = ["WeightNorm", "weight_norm", "remove_weight_norm"]

DEPRECATION = ("`torch.nn.utils.weight_norm` is deprecated in favor of "
               "`torch.nn.utils.parametrizations.weight_norm`.")


def _weight_norm_interface(v, g, dim):
    """PyTorch's fused kernel: in float32 for 16-bit floats, rounded once at the end."""
    if v.dtype.is_floating_point and v.element_size() == 2:
        return _weight_norm_interface(v.float(), g.float(), dim).to(v.dtype)
    return v * (g / norm_except_dim(v, 2, dim))


def weight_norm_formula(v, g, dim):
    """v * (g / ||v||), the norm over every dim but dim (dim -1: over all). PyTorch's kernel
    (one node, WeightNormInterfaceBackward0) serves dim 0 and the last dim; the rest is its
    composite of ops."""
    if dim in (0, v.dim() - 1):
        return one_node("WeightNormInterfaceBackward0", _weight_norm_interface,
                        (v.contiguous(), g.contiguous()), dim)
    return _weight_norm_interface(v, g, dim)


class WeightNorm:
    """The forward pre-hook of weight_norm: module.name recomputed from name_g and name_v."""

    def __init__(self, name, dim):
        self.name = name
        self.dim = -1 if dim is None else dim

    def compute_weight(self, module):
        g = getattr(module, self.name + "_g")
        v = getattr(module, self.name + "_v")
        return weight_norm_formula(v, g, self.dim)

    @staticmethod
    def apply(module, name, dim):
        warnings.warn(DEPRECATION, FutureWarning, stacklevel=3)
        for hook in module._forward_pre_hooks.values():
            if isinstance(hook, WeightNorm) and hook.name == name:
                raise RuntimeError("Cannot register two weight_norm hooks on the same "
                                   f"parameter {name}")
        fn = WeightNorm(name, dim)
        weight = getattr(module, name)
        if isinstance(weight, UninitializedParameter):
            raise ValueError("The module passed to `WeightNorm` can't have uninitialized "
                             "parameters. Make sure to run the dummy forward before "
                             "applying weight normalization")
        del module._parameters[name]
        module.register_parameter(name + "_g",
                                  Parameter(norm_except_dim(weight, 2, fn.dim).data))
        module.register_parameter(name + "_v", Parameter(weight.data))
        setattr(module, name, fn.compute_weight(module))
        module.register_forward_pre_hook(fn)
        return fn

    def remove(self, module):
        weight = self.compute_weight(module)
        delattr(module, self.name)
        del module._parameters[self.name + "_g"]
        del module._parameters[self.name + "_v"]
        setattr(module, self.name, Parameter(weight.data))

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))

    def __repr__(self):             # (module._forward_pre_hooks shows it)
        return f"<torch.nn.utils.weight_norm.WeightNorm object at {id(self):#x}>"


def weight_norm(module, name="weight", dim=0):
    """Split the parameter `name` into magnitude `name_g` and direction `name_v`."""
    WeightNorm.apply(module, name, dim)
    return module


def remove_weight_norm(module, name="weight"):
    """Undo weight_norm: `name` becomes one parameter again, holding the current weight."""
    for key, hook in module._forward_pre_hooks.items():
        if isinstance(hook, WeightNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[key]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")
