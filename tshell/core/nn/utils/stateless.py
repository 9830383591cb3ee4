"""torch.nn.utils.stateless.functional_call: the pre-2.0 name of torch.func.functional_call
(deprecated in PyTorch 2.13, which warns and calls the same function)."""
from __future__ import annotations

import warnings

__all__ = ["functional_call"]

DEPRECATION = ("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 "
               "and will be removed in a future version of PyTorch. Please use "
               "`torch.func.functional_call` instead which is a drop-in replacement.")


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """module(*args, **kwargs) with parameters_and_buffers in place of its own tensors."""
    warnings.warn(DEPRECATION, FutureWarning, stacklevel=2)
    from ...func.stateless import functional_call as call   # torch.func loads on first use
    return call(module, parameters_and_buffers, args, kwargs, tie_weights=tie_weights,
                strict=strict)
