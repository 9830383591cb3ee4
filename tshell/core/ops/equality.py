"""Whole-tensor and tolerance comparisons: equal, allclose, isclose."""
from __future__ import annotations

import numpy as np

from .. import limits
from ..backend import xp_of
from ..meta import MetaArray, no_kernel
from ..registry import export
from ..tensor import Tensor, wrap
from .common import shape_bound


@export("torch", "Tensor")
def equal(input, other):
    """True when both tensors have the same shape and elements."""
    if input._data.__class__ is MetaArray or other._data.__class__ is MetaArray:
        raise no_kernel("equal")
    return input.shape == other.shape and bool((input == other).all())


@export("torch", "Tensor")
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


@export("torch", "Tensor")
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|a - b| <= atol + rtol * |b|, elementwise."""
    a, b = input._data, other._data if isinstance(other, Tensor) else other
    xp = xp_of(a)
    if isinstance(other, Tensor) and input.dtype is not other.dtype:
        raise RuntimeError(f"{input.dtype.short} did not match {other.dtype.short}")
    # NumPy's |a - b| and its tolerance: temporaries of the broadcast shape, in float
    limits.check_result(shape_bound(a.shape, np.shape(b)),
                        np.result_type(a.dtype, getattr(b, "dtype", b), 1.0).itemsize)
    return wrap(xp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))
