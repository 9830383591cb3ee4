"""functorch as tsh programs import it: the namespace of tshell.core.functorch (torch.func's
transforms behind PyTorch's deprecation warning)."""

from __future__ import annotations

import importlib

from .. import runtime


def namespace():
    return runtime.module_namespace("functorch", importlib.import_module("tshell.core.functorch"))
