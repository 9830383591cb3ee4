"""parameters_to_vector and vector_to_parameters."""
from __future__ import annotations

from ...ops.shape import cat
from ...tensor import Tensor
from ..modules.module import typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_device(param, old):
    """The device index every parameter must share (-1 for the CPU)."""
    here = param.device.index if param.device.type == "cuda" else -1
    if old is not None and here != old:
        raise TypeError("Found two parameters on different devices, this is currently not "
                        "supported.")
    return here


def parameters_to_vector(parameters):
    """All parameters flattened into one vector (a differentiable copy)."""
    device, parts = None, []
    for param in parameters:
        device = _check_device(param, device)
        parts.append(param.view(-1))
    return cat(parts)


def vector_to_parameters(vec, parameters):
    """Slice vec into the parameters' shapes and make those slices their data."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {typename(vec)}")
    device, pointer = None, 0
    for param in parameters:
        device = _check_device(param, device)
        n = param.numel()
        param.data = vec[pointer:pointer + n].view_as(param).data
        pointer += n
