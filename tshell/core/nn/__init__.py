"""torch.nn: Module and its layers, containers and losses, Parameter, init, utils, the
functional forms (nn.functional) and attention's kernel choice (nn.attention), written on
tshell's core."""
from __future__ import annotations

from . import attention, functional, init, modules, parameter, utils
from .modules import *  # noqa: F403 (the layers: their own __all__)
from .modules import __all__ as _modules_names
from .modules.linear_cross_entropy_options import LinearCrossEntropyOptions
from .parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter

_layers = [name for name in _modules_names if name != "module"]
__all__ = ["attention", "functional", "init", "modules", "parameter", "utils", "Parameter",
           "Buffer", "UninitializedParameter", "UninitializedBuffer",
           "LinearCrossEntropyOptions", "factory_kwargs", *_layers]
SUBMODULES = ("attention", "modules")      # torch.nn.attention, torch.nn.modules.module


def factory_kwargs(kwargs):
    """kwargs' device, dtype and memory_format (and those of its factory_kwargs entry) as one
    dict for the factory functions; a TypeError for anything else."""
    if kwargs is None:
        return {}
    simple_keys = ("device", "dtype", "memory_format")
    expected_keys = {*simple_keys, "factory_kwargs"}
    if not kwargs.keys() <= expected_keys:
        raise TypeError(f"unexpected kwargs {kwargs.keys() - expected_keys}")
    r = dict(kwargs.get("factory_kwargs", {}))
    for k in simple_keys:
        if k in kwargs:
            if k in r:
                raise TypeError(f"{k} specified twice, in **kwargs and in factory_kwargs")
            r[k] = kwargs[k]
    return r
