"""torch.utils: the data loading utilities (torch.utils.data), activation checkpointing
(torch.utils.checkpoint) and hook handles (torch.utils.hooks)."""
from __future__ import annotations

from . import checkpoint, data, hooks

# Sub-modules the tsh runtime shows to programs as namespaces (torch.utils.data).
SUBMODULES = ("checkpoint", "data", "hooks")
__all__ = ["checkpoint", "data", "hooks"]
