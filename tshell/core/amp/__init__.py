"""torch.amp: autocast regions and the gradient scaler (automatic mixed precision).

The per-op cast policy and the autocast state live in tshell/core/autocast_state.py (the op
wrappers read it); this package holds what programs name: torch.amp.autocast (also
torch.autocast), torch.amp.GradScaler (also torch.GradScaler), and the deprecated
torch.cpu.amp / torch.cuda.amp spellings (amp/device_amp.py).
"""
from __future__ import annotations

from .autocast_mode import autocast, custom_bwd, custom_fwd, is_autocast_available
from .grad_scaler import GradScaler

__all__ = ["autocast", "GradScaler", "is_autocast_available", "custom_fwd", "custom_bwd",
           "autocast_mode", "grad_scaler"]
SUBMODULES = ("autocast_mode", "grad_scaler")
