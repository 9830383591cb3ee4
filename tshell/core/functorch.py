"""functorch as PyTorch 2.13 ships it: its transforms are torch.func's, each behind a
FutureWarning that points to the torch.func spelling (torch/_functorch/deprecated.py).
Programs import it through the language's stand-in (tshell/lang/standins/functorch.py)."""
from __future__ import annotations

import warnings

from . import func

__all__ = ["grad", "grad_and_value", "vmap", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
           "functionalize"]


def _deprecated(api):
    """functorch.API: torch.func.API after PyTorch's deprecation warning."""
    target = getattr(func, api)

    def call(*args, **kwargs):
        warnings.warn(
            f"We've integrated functorch into PyTorch. As the final step of the integration, "
            f"`functorch.{api}` is deprecated as of PyTorch 2.0 and will be deleted in a "
            f"future version of PyTorch >= 2.3. Please use `torch.func.{api}` instead; see "
            "the PyTorch 2.0 release notes and/or the `torch.func` migration guide for more "
            "details https://pytorch.org/docs/main/func.migrating.html", FutureWarning,
            stacklevel=2)
        return target(*args, **kwargs)
    call.__name__ = call.__qualname__ = api
    call.__doc__ = target.__doc__
    return call


grad = _deprecated("grad")
grad_and_value = _deprecated("grad_and_value")
vmap = _deprecated("vmap")
vjp = _deprecated("vjp")
jvp = _deprecated("jvp")
jacrev = _deprecated("jacrev")
jacfwd = _deprecated("jacfwd")
hessian = _deprecated("hessian")
functionalize = _deprecated("functionalize")
