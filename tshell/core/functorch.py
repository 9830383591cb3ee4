"""functorch as PyTorch 2.13 ships it: its transforms are torch.func's, and its module API
(make_functional, make_functional_with_buffers, combine_state_for_ensemble:
func/make_functional.py) functorch's own, each behind a FutureWarning that points to the
torch.func spelling (torch/_functorch/deprecated.py). Programs import it through the
language's stand-in (tshell/lang/standins/functorch.py)."""
from __future__ import annotations

import warnings

from . import func
from .func import make_functional as _make_functional
from .func.make_functional import FunctionalModule, FunctionalModuleWithBuffers

__all__ = ["grad", "grad_and_value", "vmap", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
           "functionalize", "make_functional", "make_functional_with_buffers",
           "combine_state_for_ensemble", "FunctionalModule", "FunctionalModuleWithBuffers"]


def _deprecated(api, new_api=None, source=func):
    """functorch.API: source's API after PyTorch's deprecation warning, which names new_api
    (torch.func.API unless given)."""
    target = getattr(source, api)
    new_api = new_api or f"torch.func.{api}"

    def call(*args, **kwargs):
        warnings.warn(
            f"We've integrated functorch into PyTorch. As the final step of the integration, "
            f"`functorch.{api}` is deprecated as of PyTorch 2.0 and will be deleted in a "
            f"future version of PyTorch >= 2.3. Please use `{new_api}` instead; see "
            "the PyTorch 2.0 release notes and/or the `torch.func` migration guide for more "
            "details https://pytorch.org/docs/main/func.migrating.html", FutureWarning,
            stacklevel=2)
        return target(*args, **kwargs)
    call.__name__ = call.__qualname__ = api
    call.__doc__ = target.__doc__
    return call


grad = _deprecated("grad")
grad_and_value = _deprecated("grad_and_value")
vmap = _deprecated("vmap", "torch.vmap")
vjp = _deprecated("vjp")
jvp = _deprecated("jvp")
jacrev = _deprecated("jacrev")
jacfwd = _deprecated("jacfwd")
hessian = _deprecated("hessian")
functionalize = _deprecated("functionalize")
make_functional = _deprecated("make_functional", "torch.func.functional_call",
                              _make_functional)
make_functional_with_buffers = _deprecated("make_functional_with_buffers",
                                           "torch.func.functional_call", _make_functional)
combine_state_for_ensemble = _deprecated("combine_state_for_ensemble",
                                         "torch.func.stack_module_state", _make_functional)
