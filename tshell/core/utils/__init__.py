"""torch.utils: the data loading utilities (torch.utils.data), activation checkpointing
(torch.utils.checkpoint), hook handles (torch.utils.hooks) and swap_tensors."""
from __future__ import annotations

from . import checkpoint, data, hooks
from .swap import swap_tensors

# Sub-modules the tsh runtime shows to programs as namespaces (torch.utils.data).
SUBMODULES = ("checkpoint", "data", "hooks")
__all__ = ["checkpoint", "data", "hooks", "swap_tensors"]
