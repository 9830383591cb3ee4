"""torch.nn.functional: the functions the core's op modules declare for it (export("F"))."""
from __future__ import annotations

from .. import registry as _registry   # exports imports every module declaring for F

globals().update(_registry.exports("F"))
__all__ = sorted(_registry.exports("F"))
