"""torch.nn.functional: the functions the core's op modules declare for it (export("F"))."""
from __future__ import annotations

from .. import ops as _ops, registry as _registry  # noqa: F401 (ops: every module declares)

globals().update(_registry.exports("F"))
__all__ = sorted(_registry.exports("F"))
