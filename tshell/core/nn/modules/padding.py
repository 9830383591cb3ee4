"""The padding layers: F.pad with a fixed padding and mode (constant, zero, reflection,
replication, circular) in 1-D, 2-D and 3-D."""
from __future__ import annotations

from .. import functional as F
from .module import Module
from .utils import _ntuple, _pair

__all__ = ["CircularPad1d", "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d",
           "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "ZeroPad1d",
           "ZeroPad2d", "ZeroPad3d"]

_quadruple = _ntuple(4, "_quadruple")
_sextuple = _ntuple(6, "_sextuple")
_PAD_TUPLES = {1: _pair, 2: _quadruple, 3: _sextuple}


class _ModePadNd(Module):
    """Padding in one of F.pad's modes; repr: the padding alone."""

    _mode = None
    _dims = 0

    def __init__(self, padding):
        super().__init__()
        self.padding = _PAD_TUPLES[type(self)._dims](padding)

    def forward(self, input):
        return F.pad(input, self.padding, type(self)._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _CircularPadNd(_ModePadNd):
    _mode = "circular"

    def forward(self, input):
        nd = type(self)._dims       # only the circular layers check the input's dims
        if input.dim() not in (nd + 1, nd + 2):
            raise ValueError(f"expected {nd + 1}D or {nd + 2}D input (got {input.dim()}D "
                             "input)")
        return super().forward(input)


class CircularPad1d(_CircularPadNd):
    """Pads the last dim with the values of its other end."""

    _dims = 1


class CircularPad2d(_CircularPadNd):
    """Pads the last two dims with the values of their other ends."""

    _dims = 2


class CircularPad3d(_CircularPadNd):
    """Pads the last three dims with the values of their other ends."""

    _dims = 3


class _ReflectionPadNd(_ModePadNd):
    _mode = "reflect"


class ReflectionPad1d(_ReflectionPadNd):
    """Pads the last dim with its reflection about the edge."""

    _dims = 1


class ReflectionPad2d(_ReflectionPadNd):
    """Pads the last two dims with their reflection about the edges."""

    _dims = 2


class ReflectionPad3d(_ReflectionPadNd):
    """Pads the last three dims with their reflection about the edges."""

    _dims = 3


class _ReplicationPadNd(_ModePadNd):
    _mode = "replicate"


class ReplicationPad1d(_ReplicationPadNd):
    """Pads the last dim with copies of its edge values."""

    _dims = 1


class ReplicationPad2d(_ReplicationPadNd):
    """Pads the last two dims with copies of their edge values."""

    _dims = 2


class ReplicationPad3d(_ReplicationPadNd):
    """Pads the last three dims with copies of their edge values."""

    _dims = 3


class _ConstantPadNd(Module):
    _dims = 0

    def __init__(self, padding, value):
        super().__init__()
        self.value = value
        self.padding = _PAD_TUPLES[type(self)._dims](padding)

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dim with a constant value."""

    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last two dims with a constant value."""

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last three dims with a constant value."""

    _dims = 3


class _ZeroPadNd:
    """ZeroPad1d / 2d / 3d: constant padding with 0.0; repr: the padding alone."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd, ConstantPad1d):
    """Pads the last dim with zeros."""


class ZeroPad2d(_ZeroPadNd, ConstantPad2d):
    """Pads the last two dims with zeros."""


class ZeroPad3d(_ZeroPadNd, ConstantPad3d):
    """Pads the last three dims with zeros."""
