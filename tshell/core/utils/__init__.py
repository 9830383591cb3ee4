"""torch.utils: the data loading utilities (torch.utils.data) and activation checkpointing
(torch.utils.checkpoint), and swap_tensors."""
from __future__ import annotations

from . import checkpoint, data
from .swap import swap_tensors

# Sub-modules the tsh runtime shows to programs as namespaces (torch.utils.data).
SUBMODULES = ("checkpoint", "data")
__all__ = ["checkpoint", "data", "swap_tensors"]
