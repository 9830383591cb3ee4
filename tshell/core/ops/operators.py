"""Tensor's operators: x + y, y - x, x @ w, x < y, x += y, ~m, x[i] = v.

x + y, x * y and x / y (and 2 * x, 2 + x) are the ops' own applies (pointwise._add, _mul,
_div): BinaryOp's hot path, which sends operands other than tensors and Python numbers to its
general form (elementwise.BinaryOp). The other operators check their operand first: anything
but a tensor or a Python number gives NotImplemented, so that Python tries the reflected
operator or raises its "unsupported operand" TypeError.
"""
from __future__ import annotations

from ..dtypes import INTEGRAL
from ..registry import export
from ..tensor import Tensor
from . import linalg, pointwise
from .elementwise import OPERANDS


def _checked(fn):
    """fn(self, other) as an operator: NotImplemented for other operands than tensors and
    Python numbers."""
    def operator(self, other):
        if not isinstance(other, OPERANDS):
            return NotImplemented
        return fn(self, other)
    operator.__name__ = fn.__name__
    return operator


export("Tensor.__add__", "Tensor.__radd__")(pointwise._add)     # commutative: 2 + x is x + 2
export("Tensor.__mul__", "Tensor.__rmul__")(pointwise._mul)
export("Tensor.__truediv__")(pointwise._div)
export("Tensor.__sub__")(_checked(pointwise.sub))
export("Tensor.__rsub__")(_checked(pointwise.rsub))
export("Tensor.__floordiv__")(_checked(pointwise.floor_divide))
export("Tensor.__mod__")(_checked(pointwise.remainder))
export("Tensor.__pow__")(_checked(pointwise.pow))
export("Tensor.__and__", "Tensor.__rand__")(_checked(pointwise.bitwise_and))
export("Tensor.__or__", "Tensor.__ror__")(_checked(pointwise.bitwise_or))
export("Tensor.__xor__", "Tensor.__rxor__")(_checked(pointwise.bitwise_xor))
export("Tensor.__eq__")(_checked(pointwise.eq))
export("Tensor.__ne__")(_checked(pointwise.ne))
export("Tensor.__lt__")(_checked(pointwise.lt))
export("Tensor.__le__")(_checked(pointwise.le))
export("Tensor.__gt__")(_checked(pointwise.gt))
export("Tensor.__ge__")(_checked(pointwise.ge))
export("Tensor.__lshift__")(_checked(pointwise.bitwise_left_shift))
export("Tensor.__rshift__")(_checked(pointwise.bitwise_right_shift))
export("Tensor.__rlshift__")(_checked(
    lambda self, other: pointwise.bitwise_left_shift(other, self)))
export("Tensor.__rrshift__")(_checked(
    lambda self, other: pointwise.bitwise_right_shift(other, self)))
export("Tensor.__neg__")(pointwise.neg)
export("Tensor.__pos__")(pointwise.positive)
export("Tensor.__abs__")(pointwise.abs)


@export("Tensor.__rtruediv__")
@_checked
def _rdiv(self, other):
    return self.reciprocal() * other


@export("Tensor.__rfloordiv__")
@_checked
def _rfloordiv(self, other):
    return pointwise.rfloor_divide(self, other)


@export("Tensor.__rmod__")
@_checked
def _rmod(self, other):
    return pointwise.rremainder(self, other)


@export("Tensor.__rpow__")
@_checked
def _rpow(self, other):
    return pointwise.pow(other, self)


@export("Tensor.__matmul__")
def _matmul(self, other):
    if other.__class__ is Tensor and self._data.ndim == 2 and other._data.ndim == 2:
        return linalg.product_2d(self, other)      # the common `x @ w`, without dispatch
    if not isinstance(other, Tensor):
        return NotImplemented                      # Python's "unsupported operand" TypeError
    return linalg.matmul(self, other)


@export("Tensor.__rmatmul__")
def _rmatmul(self, other):
    if not isinstance(other, Tensor):
        return NotImplemented
    return linalg.matmul(other, self)


@export("Tensor.__invert__")
def _invert(self):
    if self.dtype.category > INTEGRAL:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return pointwise.bitwise_not(self)


def _augmented(method_name):
    """x OP= y: the in-place method (x.add_(y)), for tensors and Python numbers."""
    def iop(self, other):
        if not isinstance(other, OPERANDS):
            return NotImplemented
        return getattr(self, method_name)(other)
    return iop


for _name, _method in (("add", "add_"), ("sub", "sub_"), ("mul", "mul_"), ("truediv", "div_"),
                       ("floordiv", "floor_divide_"), ("mod", "remainder_"), ("pow", "pow_"),
                       ("and", "bitwise_and_"), ("or", "bitwise_or_"), ("xor", "bitwise_xor_"),
                       ("lshift", "bitwise_left_shift_"), ("rshift", "bitwise_right_shift_")):
    export(f"Tensor.__i{_name}__")(_augmented(_method))
