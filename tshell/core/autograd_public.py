"""torch.autograd as programs see it: the engine's entry points (autograd.py), grad mode
(grad_mode.py) and the custom Function (autograd_function.py)."""

from __future__ import annotations

from .autograd import backward, grad
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .autograd_function import Function, FunctionCtx
from . import autograd_functional as functional     # torch.autograd.functional
from . import autograd_function as function         # torch.autograd.function
from . import forward_ad                            # torch.autograd.forward_ad
from . import autograd_graph as graph               # torch.autograd.graph
from .autograd_gradcheck import GradcheckError, gradcheck, gradgradcheck
from .legacy_types import Variable, variable
from .switches import (detect_anomaly, enforce_grad_layout_policy, is_multithreading_enabled,
                       set_detect_anomaly, set_multithreading_enabled)

__all__ = ["backward", "grad", "Function", "FunctionCtx", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "is_grad_enabled", "functional", "gradcheck",
           "gradgradcheck", "GradcheckError", "detect_anomaly", "set_detect_anomaly",
           "is_multithreading_enabled", "set_multithreading_enabled",
           "enforce_grad_layout_policy", "Variable", "variable", "function", "forward_ad",
           "graph"]
SUBMODULES = ("function", "forward_ad", "graph")   # torch.autograd.function..., for tsh
