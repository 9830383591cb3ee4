"""torch.signal: signal-processing helpers (its windows sub-module)."""
from . import windows

SUBMODULES = ("windows",)
__all__ = ["windows"]
