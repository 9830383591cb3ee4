"""torch.nn.functional: the functions the core's op modules declare in their FUNCTIONAL
tables, and the activations that torch also has at its top level."""
from __future__ import annotations

from ..ops import attention as _attention, conv as _conv, ctc as _ctc, \
    embedding_bag as _embedding_bag, nn as _nn, pixel as _pixel
from ..ops.nn import log_softmax, softmax
from .. import registry as _registry

_TABLES = (_nn.FUNCTIONAL, _conv.FUNCTIONAL, _pixel.FUNCTIONAL, _embedding_bag.FUNCTIONAL,
           _ctc.FUNCTIONAL, _attention.FUNCTIONAL)
for _table in _TABLES:
    globals().update(_table)
globals().update(_registry.exports("F"))         # the names op modules declare for F

__all__ = sorted(["softmax", "log_softmax"]
                 + [name for table in _TABLES for name in table]
                 + [name for name in _registry.exports("F") if not any(
                     name in table for table in _TABLES)])
