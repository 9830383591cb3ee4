"""clip_grad_norm_ and clip_grad_value_: rescale or clamp the gradients of parameters."""
from __future__ import annotations

import warnings

from ...grad_mode import no_grad
from ...ops.creation import tensor
from ...ops.shape import stack
from ...tensor import Tensor
from ..modules.module import _Generator

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_"]
# (nn.utils also exports get_total_norm and clip_grads_with_norm_, the two halves of
# clip_grad_norm_, which PyTorch 2.13 defines here under underscore names)


def _as_list(parameters):
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _total_norm(grads, norm_type, error_if_nonfinite):
    """The norm of all gradients together: the norm of their norms."""
    if not grads:
        return tensor(0.0)
    device = grads[0].device
    total = stack([g.norm(norm_type).to(device) for g in grads]).norm(norm_type)
    if error_if_nonfinite and bool(total.isnan() | total.isinf()):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
    return total


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale the gradients so that their total norm is at most max_norm; returns the total
    norm before clipping."""
    with no_grad():
        generator = isinstance(parameters, _Generator)
        parameters = _as_list(parameters)
        if generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will "
                          "occur.", stacklevel=2)
        grads = [p.grad for p in parameters if p.grad is not None]
        total = _total_norm(grads, float(norm_type), error_if_nonfinite)
        clip_grads_with_norm_(parameters, max_norm, total)
        return total


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of the tensors' norms (of all their elements together)."""
    with no_grad():
        return _total_norm(_as_list(tensors), float(norm_type), error_if_nonfinite)


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients by max_norm / (total_norm + 1e-6), at most 1."""
    with no_grad():
        grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
        if grads:
            coef = (float(max_norm) / (total_norm + 1e-6)).clamp(max=1.0)
            for g in grads:
                g.mul_(coef.to(g.device))


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                   foreach=None):
    """Deprecated: clip_grad_norm_."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient to [-clip_value, clip_value] in place."""
    with no_grad():
        clip_value = float(clip_value)
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(min=-clip_value, max=clip_value)
