"""Binds the op table to Tensor: methods, operators and in-place variants, in one place."""
from __future__ import annotations

from . import autograd, ops, random, registry  # noqa: F401 (ops: every op module declares)
from .ops import inplace, linalg, pointwise
from .tensor import Tensor
from .dtypes import INTEGRAL

_NUMBER_TYPES = (bool, int, float, complex)


def _is_operand(x):
    return isinstance(x, Tensor) or isinstance(x, _NUMBER_TYPES)


# ---- operators -----------------------------------------------------------------------------

def _binop(fn, reverse=None, fast=None):
    """The operator pair (x OP y, y OP x) for fn. `fast`, an op's apply (the per-op hot path),
    is then the operator itself: it takes tensors and Python numbers straight to the op and
    sends other operands to the general form below (see pointwise.BinaryOp)."""
    def op(self, other):
        if not _is_operand(other):
            return NotImplemented
        return fn(self, other)
    op.__name__ = fn.__name__

    def rop(self, other):
        if not _is_operand(other):
            return NotImplemented
        return reverse(self, other) if reverse else fn(self, other)

    if fast is None:
        return op, rop
    fast.op.general = op
    return fast, rop if reverse else fast     # commutative: `2 * x` is `x * 2`


def _rdiv(self, other):
    return self.reciprocal() * other


def _rfloordiv(self, other):
    return pointwise.rfloor_divide(self, other)


def _rmod(self, other):
    return pointwise.rremainder(self, other)


def _rpow(self, other):
    return pointwise.pow(other, self)


def _matmul(self, other):
    if other.__class__ is Tensor and self._data.ndim == 2 and other._data.ndim == 2:
        return linalg.product_2d(self, other)      # the common `x @ w`, without dispatch
    if not isinstance(other, Tensor):
        return NotImplemented                      # Python's "unsupported operand" TypeError
    return linalg.matmul(self, other)


def _rmatmul(self, other):
    if not isinstance(other, Tensor):
        return NotImplemented
    return linalg.matmul(other, self)


def _invert(self):
    if self.dtype.category > INTEGRAL:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return pointwise.bitwise_not(self)


def _cmp(fn):
    def op(self, other):
        if not _is_operand(other):
            return NotImplemented
        return fn(self, other)
    return op


def _iop(method_name):
    def iop(self, other):
        if not _is_operand(other):
            return NotImplemented
        return getattr(self, method_name)(other)
    return iop


def _bind_operators():
    T = Tensor
    T.__add__, T.__radd__ = _binop(pointwise.add, fast=pointwise._add)
    T.__sub__, T.__rsub__ = _binop(pointwise.sub, pointwise.rsub)
    T.__mul__, T.__rmul__ = _binop(pointwise.mul, fast=pointwise._mul)
    T.__truediv__, T.__rtruediv__ = _binop(pointwise.div, _rdiv, fast=pointwise._div)
    T.__floordiv__, T.__rfloordiv__ = _binop(pointwise.floor_divide, _rfloordiv)
    T.__mod__, T.__rmod__ = _binop(pointwise.remainder, _rmod)
    T.__pow__, T.__rpow__ = _binop(pointwise.pow, _rpow)
    T.__matmul__ = _matmul
    T.__rmatmul__ = _rmatmul
    T.__and__, T.__rand__ = _binop(pointwise.bitwise_and)
    T.__or__, T.__ror__ = _binop(pointwise.bitwise_or)
    T.__xor__, T.__rxor__ = _binop(pointwise.bitwise_xor)
    T.__neg__ = pointwise.neg
    T.__pos__ = pointwise.positive
    T.__abs__ = pointwise.abs
    T.__invert__ = _invert
    T.__eq__ = _cmp(pointwise.eq)
    T.__ne__ = _cmp(pointwise.ne)
    T.__lt__ = _cmp(pointwise.lt)
    T.__le__ = _cmp(pointwise.le)
    T.__gt__ = _cmp(pointwise.gt)
    T.__ge__ = _cmp(pointwise.ge)
    for name, method in (("add", "add_"), ("sub", "sub_"), ("mul", "mul_"),
                         ("truediv", "div_"), ("floordiv", "floor_divide_"),
                         ("mod", "remainder_"), ("pow", "pow_"), ("and", "bitwise_and_"),
                         ("or", "bitwise_or_"), ("xor", "bitwise_xor_")):
        setattr(T, f"__i{name}__", _iop(method))


# ---- methods -------------------------------------------------------------------------------

# Ops whose method form is the functional op with the tensor first.
_FUNCTIONAL_METHODS = {
    pointwise: "add sub subtract mul multiply div divide true_divide floor_divide remainder fmod "
               "pow neg exp log log1p log2 log10 expm1 sqrt rsqrt sin cos tan tanh sigmoid relu "
               "abs sign floor ceil trunc round reciprocal square sinh cosh asin acos atan "
               "maximum minimum atan2 eq ne lt le gt ge less less_equal greater greater_equal "
               "not_equal logical_and logical_or logical_xor logical_not bitwise_and bitwise_or "
               "bitwise_xor bitwise_not isnan isinf isfinite clamp clip clamp_min clamp_max "
               "where positive exp2 asinh acosh atanh arcsin arccos arctan arcsinh arccosh "
               "arctanh arctan2 absolute deg2rad rad2deg frac fix sinc sgn signbit nan_to_num "
               "logit erf erfc erfinv hypot logaddexp logaddexp2 xlogy copysign fmax fmin "
               "heaviside gcd lcm float_power lerp addcmul addcdiv negative lgamma digamma "
               "igamma igammac",
    inplace: "zero_ fill_ copy_ requires_grad_ detach_ float_power_",
}

# In-place twins: name_ = the op written into self.
_INPLACE = ("add sub mul div true_divide floor_divide remainder fmod pow neg exp log log1p sqrt "
            "rsqrt sin cos tan tanh sigmoid relu abs sign floor ceil trunc round reciprocal "
            "square clamp clip clamp_min clamp_max bitwise_and bitwise_or "
            "bitwise_xor logical_not acos asin atan atan2 cosh sinh expm1 log2 log10 "
            "bitwise_not eq ne lt le gt ge greater greater_equal less less_equal not_equal "
            "logical_and logical_or logical_xor divide multiply subtract negative "
            "exp2 asinh acosh atanh arcsin arccos arctan arcsinh arccosh arctanh arctan2 absolute "
            "deg2rad rad2deg frac fix copysign heaviside nan_to_num logit sinc sgn erf erfc erfinv "
            "gcd lcm hypot xlogy lerp addcmul addcdiv lgamma digamma polygamma igamma "
            "igammac").split()


def _core_fn(name):
    """A method that calls the package-level function of that name (defined in __init__)."""
    def method(self, *args, **kwargs):
        import tshell.core as core
        return getattr(core, name)(self, *args, **kwargs)
    method.__name__ = name
    return method


def _direct_inplace(name, general):
    """x.add_(y) & co.: write into x's memory directly when nothing else is involved
    (x.add_(y, alpha=a) too: one BLAS axpy)."""
    sign = {"add": 1, "sub": -1}.get(name)

    def method(self, other, **kwargs):
        if not kwargs:
            if pointwise.write_in_place(name, self, other):
                return self
        elif sign and len(kwargs) == 1 and "alpha" in kwargs and \
                pointwise.add_scaled_in_place(self, other, sign * kwargs["alpha"]):
            return self
        return general(self, other, **kwargs)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = general.__doc__
    return method


def _direct_ternary(write, general):
    """x.lerp_ / addcmul_ / addcdiv_: written into x's memory when nothing else is involved
    (pointwise._direct_target), else the general in-place op."""
    def method(self, *args, **kwargs):
        try:
            if write(self, *args, **kwargs):
                return self
        except TypeError:            # wrong arguments: the general op words the error
            pass
        return general(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = general.__name__
    method.__doc__ = general.__doc__
    return method


def _bind_methods():
    for module, names in _FUNCTIONAL_METHODS.items():
        for name in names.split():
            setattr(Tensor, name, getattr(module, name))
    Tensor.polygamma = pointwise._polygamma_method     # x.polygamma(n) is polygamma(n, x)
    for name in _INPLACE:
        op = getattr(Tensor, name)
        # inplace_op: the op under the in-place node's name where PyTorch's differs (Backward1)
        setattr(Tensor, name + "_", inplace.make_inplace(getattr(op, "inplace_op", op)))
    for name in ("add", "sub", "mul", "div"):
        setattr(Tensor, name + "_", _direct_inplace(name, getattr(Tensor, name + "_")))
    for name in ("lerp", "addcmul", "addcdiv"):
        setattr(Tensor, name + "_", _direct_ternary(getattr(pointwise, name + "_in_place"),
                                                    getattr(Tensor, name + "_")))
    Tensor.where = lambda self, condition, other: pointwise.where(condition, self, other)


def _bind_declared():
    """Tensor's methods as the op modules declare them (registry.export): the in-place twins
    made from Tensor_ declarations first, then the declared methods, which win."""
    for name, op in registry.exports("Tensor_").items():
        setattr(Tensor, name + "_", inplace.make_inplace(getattr(op, "inplace_op", op)))
    for name, value in registry.exports("Tensor").items():
        setattr(Tensor, name, value)


_bind_operators()
_bind_methods()
_bind_declared()
