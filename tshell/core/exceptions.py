"""torch's exception classes a program may catch. PyTorch raises OutOfMemoryError for a GPU's
memory; out of host memory (and out of tshell's memory cap) both raise RuntimeError, so
`except RuntimeError` catches all three, as in PyTorch."""
from __future__ import annotations

from .dtypes import TorchClass
from .registry import export


class _ExceptionClass(TorchClass):
    """type(e) prints as PyTorch's (<class 'torch.OutOfMemoryError'>)."""


@export("torch")
class AcceleratorError(RuntimeError, metaclass=_ExceptionClass):
    """An error reported by an accelerator (a CUDA device)."""


@export("torch")
class OutOfMemoryError(RuntimeError, metaclass=_ExceptionClass):
    """An accelerator ran out of memory."""


@export("torch")
class FatalError(Exception, metaclass=_ExceptionClass):
    """An unrecoverable internal error."""
