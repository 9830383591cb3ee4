"""Elementwise tests of values that return bool tensors and have no gradient: isneginf,
isposinf, isreal (beside pointwise.py's isinf/isnan/isfinite)."""
from __future__ import annotations

from ..backend import xp_of
from ..dtypes import COMPLEX, FLOATING
from ..registry import export
from ..tensor import wrap
from .common import dense, finish_out


def _infinite(input, out, fn, infinity):
    if input.dtype.category == COMPLEX:
        raise RuntimeError(f"{fn} does not support complex inputs.")
    xd = dense(input, 1)
    if input.dtype.category == FLOATING:
        r = xd == infinity
    else:                                   # integers and bools are never infinite
        r = xp_of(xd).zeros(xd.shape, bool)
    return finish_out(wrap(r), out, fn, (input,))


@export("torch", "Tensor")
def isneginf(input, *, out=None):
    """Whether each element is negative infinity."""
    return _infinite(input, out, "isneginf", -float("inf"))


@export("torch", "Tensor")
def isposinf(input, *, out=None):
    """Whether each element is positive infinity."""
    return _infinite(input, out, "isposinf", float("inf"))


@export("torch", "Tensor")
def isreal(input):
    """Whether each element is real: every element of a real dtype, a complex one whose
    imaginary part is zero."""
    xd = dense(input, 1)
    if input.dtype.category == COMPLEX:
        return wrap(xd.imag == 0)
    return wrap(xp_of(xd).ones(xd.shape, bool))
