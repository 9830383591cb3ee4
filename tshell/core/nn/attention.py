"""torch.nn.attention: SDPBackend and sdpa_kernel, which restrict the kernels
F.scaled_dot_product_attention may use, as PyTorch 2.13 does on the CPU (its math and flash
kernels; the efficient and cuDNN kernels are CUDA's).
"""
from __future__ import annotations

import contextlib

from ..ops import attention

__all__ = ["SDPBackend", "sdpa_kernel"]


class _SDPBackend:
    """One kernel of scaled_dot_product_attention (SDPBackend.MATH...): printed as PyTorch's
    enum prints it, an int by int(), equal only to itself."""

    def __init__(self, name, value):
        self.name, self.value = name, value

    def __repr__(self):
        return f"<SDPBackend.{self.name}: {self.value}>"

    def __str__(self):
        return f"SDPBackend.{self.name}"

    def __int__(self):
        return self.value

    __index__ = __int__


class _SDPBackends:
    """torch.nn.attention.SDPBackend, the enum of the kernels. An instance holding them as
    attributes: tsh code reads a tshell object's public attributes, not a class's."""

    def __init__(self):
        self.__members__ = {name: _SDPBackend(name, value) for value, name in enumerate(
            ("MATH", "FLASH_ATTENTION", "EFFICIENT_ATTENTION", "CUDNN_ATTENTION",
             "OVERRIDEABLE"))}
        self.__members__ = {"ERROR": _SDPBackend("ERROR", -1), **self.__members__}
        for name, member in self.__members__.items():
            setattr(self, name, member)

    def __repr__(self):
        return "<class 'torch.nn.attention.SDPBackend'>"


SDPBackend = _SDPBackends()


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority=False):
    """Within it, scaled_dot_product_attention uses only `backends` (one or a list)."""
    if not isinstance(backends, (list, _SDPBackend)):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of "
                             f"SDPBackend instances, got {type(backends).__name__}")
    chosen = [backends] if isinstance(backends, _SDPBackend) else backends
    previous = attention.ENABLED_KERNELS.copy()
    attention.ENABLED_KERNELS.clear()
    attention.ENABLED_KERNELS.update(b.name for b in chosen)
    try:
        yield {}
    finally:
        attention.ENABLED_KERNELS.clear()
        attention.ENABLED_KERNELS.update(previous)
