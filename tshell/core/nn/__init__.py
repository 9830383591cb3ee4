"""torch.nn: Module and its layers, containers and losses, Parameter, init, utils, and the
functional forms (nn.functional), written on tshell's core."""
from __future__ import annotations

from . import functional, init, utils
from .modules import *  # noqa: F403 (the layers: their own __all__)
from .modules import __all__ as _layers
from .parameter import Buffer, Parameter, UninitializedParameter

__all__ = ["functional", "init", "utils", "Parameter", "Buffer", "UninitializedParameter",
           *_layers]
