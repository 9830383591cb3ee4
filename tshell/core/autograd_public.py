"""torch.autograd as programs see it: the engine's entry points (autograd.py) and the
custom Function (autograd_function.py)."""

from __future__ import annotations

from .autograd import (backward, enable_grad, grad, inference_mode, is_grad_enabled, no_grad,
                       set_grad_enabled)
from .autograd_function import Function, FunctionCtx

__all__ = ["backward", "grad", "Function", "FunctionCtx", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled"]
