"""torch.nn.functional: the functions the core's op modules declare for it (export("F"))."""
from __future__ import annotations

from .. import registry as _registry
from ..ops import (  # noqa: F401 (each op module declares its functions)
    activation as _activation, attention as _attention, convolution as _convolution,
    ctc as _ctc, distance as _distance, dropout as _dropout, embedding as _embedding,
    embedding_bag as _embedding_bag, interpolation as _interpolation, linear as _linear,
    loss as _loss, normalization as _normalization, padding as _padding, pixel as _pixel,
    pooling as _pooling, windows as _windows)
# relu, sigmoid and tanh until ops/pointwise declares them for F (its owner's part of issue 14)
from ..ops.pointwise import relu, sigmoid, tanh  # noqa: F401

globals().update(_registry.exports("F"))
__all__ = sorted({*_registry.exports("F"), "relu", "sigmoid", "tanh"})
