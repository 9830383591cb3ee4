"""torch.finfo and torch.iinfo: the limits of a dtype, printed as PyTorch prints them, and
torch's number constants (torch.pi, torch.inf...)."""
from __future__ import annotations

import math

import numpy as np

from .dtypes import (BOOL, COMPLEX, DEFAULTS, DTYPES, FLOATING, INTEGRAL, TorchClass, dtype,
                     float8_e5m2fnuz, require_available)
from .registry import export

pi = export("torch.pi")(math.pi)
e = export("torch.e")(math.e)
inf = export("torch.inf")(math.inf)
nan = export("torch.nan")(math.nan)
export("torch.newaxis")(None)

# Where PyTorch's limits (C++'s std::numeric_limits) differ from ml_dtypes': (field, value).
_PYTORCH_LIMITS = {float8_e5m2fnuz: {"eps": 0.125}}


def _g(value) -> str:
    """A number as C++'s stream prints it (six significant digits): PyTorch's repr."""
    return f"{value:g}"


def _dtype_argument(type, fn):
    if not isinstance(type, dtype):
        raise TypeError(f"{fn}(): argument 'type' (position 1) must be torch.dtype, not "
                        f"{type.__class__.__name__}")
    return type


@export("torch")
class finfo(metaclass=TorchClass):
    """The machine limits of a floating dtype (a complex dtype's are its real part's)."""

    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")

    def __init__(self, type=None):
        d = DEFAULTS.float_dtype if type is None else _dtype_argument(type, "finfo")
        if d.category < FLOATING:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        if d.category == COMPLEX:
            d = DTYPES[{"complex64": "float32", "complex128": "float64"}[d.name]]
        info = _numpy_finfo(require_available(d).np)
        self.bits = d.itemsize * 8
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        for field, value in _PYTORCH_LIMITS.get(d, {}).items():
            setattr(self, field, value)
        # PyTorch's: 10 ** -(the decimal digits eps resolves)
        self.resolution = 10.0 ** -math.floor(-math.log10(self.eps))
        self.dtype = d.name

    def _fields(self):
        return (self.bits, self.eps, self.max, self.min, self.tiny, self.resolution, self.dtype)

    def __eq__(self, other):
        return isinstance(other, finfo) and self._fields() == other._fields()

    def __hash__(self):
        return hash(self._fields())

    def __repr__(self):
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, "
                f"max={_g(self.max)}, eps={_g(self.eps)}, "
                f"smallest_normal={_g(self.smallest_normal)}, tiny={_g(self.tiny)}, "
                f"dtype={self.dtype})")


@export("torch")
class iinfo(metaclass=TorchClass):
    """The range of an integer dtype."""

    __slots__ = ("bits", "max", "min", "dtype")

    def __init__(self, type):
        d = _dtype_argument(type, "iinfo")
        if d.category == BOOL:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if d.category != INTEGRAL:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo "
                            "to handle 'torch.iinfo'")
        info = np.iinfo(d.np)
        self.bits = d.itemsize * 8
        self.max = int(info.max)
        self.min = int(info.min)
        self.dtype = d.name

    def __eq__(self, other):
        return isinstance(other, iinfo) and (self.bits, self.min, self.max, self.dtype) == (
            other.bits, other.min, other.max, other.dtype)

    def __hash__(self):
        return hash((self.bits, self.min, self.max, self.dtype))

    def __repr__(self):
        return f"iinfo(min={_g(self.min)}, max={_g(self.max)}, dtype={self.dtype})"


def _numpy_finfo(np_dtype):
    """NumPy's finfo, or ml_dtypes' for its types (bfloat16, float8)."""
    if np_dtype.kind == "V":
        import ml_dtypes        # optional, and start-up time: require_available loaded it
        return ml_dtypes.finfo(np_dtype)
    return np.finfo(np_dtype)
