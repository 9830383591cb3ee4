"""torch.utils: the data loading utilities (torch.utils.data)."""
from __future__ import annotations

from . import data

# Sub-modules the tsh runtime shows to programs as namespaces (torch.utils.data).
SUBMODULES = ("data",)
__all__ = ["data"]
