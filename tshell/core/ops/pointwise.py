"""Elementwise ops: arithmetic, maths functions, comparisons.

Each op is one block: export names where it is reachable, the decorator (elementwise.py)
names the op, its forward on arrays and its dtype rule; the decorated function is its
derivative, written with tensor ops (so create_graph=True records it). `grad` is the incoming
gradient, `out` the op's result.
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import derivative, no_grad, reads_the_other
from ..backend import xp_of
from ..dtypes import (FLOATING, INTEGRAL, DEFAULTS, bool_, TYPEMETA_NAMES, check_fits, float64,
                      int64)
from ..registry import export
from ..tensor import CONJ_BIT, Tensor, record_if, wrap
from .backward_ops import sigmoid_backward, tanh_backward, threshold_backward
from .common import (accurate_float32, broadcast_error, dense, finish_out, half_as_float,
                     same_device, shape_bound)
from . import gamma_functions
from .creation import scalar_tensor_like
from .direct_inplace import (addcdiv_in_place, addcmul_in_place, direct_binary, direct_ternary,
                             lerp_in_place)
from .elementwise import (FLOAT, FLOAT_ONLY, INT_ONLY, NUMBER, REAL, SAME, TO_BOOL, BinaryNode,
                          BinaryOp, binary, broadcast_op, camel, needs_grad,
                          not_implemented_node, operand, promoted, result_dtype,
                          scalar_argument, tangent_sum, tensor_first, tensor_input, tensor_other,
                          unary)
from .error_functions import TWO_OVER_SQRTPI, cody_erf, erfinv_kernel
from .fma import (add_scaled, addcdiv as addcdiv_kernel, addcmul as addcmul_kernel,
                  lerp as lerp_kernel)
from .inplace import apply_inplace, make_inplace
from .return_types import named_result


def _alias(op, name, *places):
    """Declare op under a second name (torch.divide is torch.div) at places: torch, Tensor,
    and, for the in-place twin made from op (x.divide_), Tensor_ and torch_."""
    export(*(f"{place}.{name}" for place in places if not place.endswith("_")))(op)
    twin_places = [f"{place[:-1]}.{name}_" for place in places if place.endswith("_")]
    if twin_places:
        export(*twin_places)(make_inplace(getattr(op, "inplace_op", op)))
    return op


# ---- ops of one tensor -------------------------------------------------------------------

# the forwards of exp, log, expm1 and tanh (also softmax's and the fused kernels' reference)
exp_kernel, log_kernel, expm1_kernel, tanh_kernel = (
    accurate_float32(n) for n in ("exp", "log", "expm1", "tanh"))


@unary("_neg", "negative", rule=SAME, grad_fn="NegBackward0", saves_input=False)
def _neg(grad, x, out, p):
    return -grad


@export("torch", "torch_", "Tensor", "Tensor_")
def neg(input, *, out=None):
    """-x (not defined for bool tensors, as in PyTorch)."""
    if isinstance(input, Tensor) and input._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return _neg(input, out=out)


negative = _alias(neg, "negative", "torch", "torch_", "Tensor", "Tensor_")


@unary("conj_copy", "conjugate", rule=SAME, grad_fn="ConjBackward0", saves_input=False)
def conj_copy(grad, x, out, p):
    """The complex conjugate in new memory, no conjugate bit (conj_physical's values)."""
    return conj_copy(grad)


def conj_view(x):
    """PyTorch's conj() of a complex tensor, a lazy view with the conjugate bit: here the
    conjugate in new memory carrying the bit (flipped: a conjugate's conj() is plain)."""
    r = conj_copy(x)
    r._bits = x._bits ^ CONJ_BIT
    return r


def conj_if_complex(v):
    """v's complex conjugate where v is complex (a tensor or a number), else v itself.
    PyTorch's gradient of a complex input is the conjugate Wirtinger one: an analytic f
    passes grad * conj(f'(x)) back; real tensors skip the copy."""
    if v.__class__ is complex:
        return v.conjugate()
    if isinstance(v, Tensor) and v._data.dtype.kind == "c":
        return conj_copy(v)
    return v


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("exp", exp_kernel, saves_out=True)
def exp(grad, x, out, p):
    """e to the power of each element."""
    return grad * conj_if_complex(out)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("log", log_kernel)
def log(grad, x, out, p):
    """Natural logarithm."""
    return grad / conj_if_complex(x)


@export("torch", "torch_", "Tensor", "Tensor_", "special")
@unary("log1p", "log1p", grad_fn="Log1PBackward0")
def log1p(grad, x, out, p):
    """log(1 + x), accurate for small x."""
    return grad / conj_if_complex(x + 1)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("log2", "log2")
def log2(grad, x, out, p):
    return grad / conj_if_complex(x * 0.6931471805599453)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("log10", "log10")
def log10(grad, x, out, p):
    return grad / conj_if_complex(x * 2.302585092994046)


@export("torch", "torch_", "Tensor", "Tensor_", "special")
@unary("expm1", expm1_kernel, saves_out=True)
def expm1(grad, x, out, p):
    return grad * conj_if_complex(out + 1)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("sqrt", "sqrt", saves_out=True)
def sqrt(grad, x, out, p):
    """Square root."""
    return grad / conj_if_complex(out * 2)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("rsqrt", lambda xp, a: 1 / xp.sqrt(a), saves_out=True)
def rsqrt(grad, x, out, p):
    """1 / sqrt(x)."""
    return grad * conj_if_complex(out.pow(3) * -0.5)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("sin", "sin")
def sin(grad, x, out, p):
    return grad * conj_if_complex(x.cos())


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("cos", "cos")
def cos(grad, x, out, p):
    return grad * conj_if_complex(-x.sin())


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("tan", "tan", saves_out=True)
def tan(grad, x, out, p):
    return grad * conj_if_complex(out * out + 1)


@export("torch", "torch_", "Tensor", "Tensor_", "F")
@unary("tanh", tanh_kernel, saves_out=True)
def tanh(grad, x, out, p):
    return tanh_backward(grad, conj_if_complex(out))


@export("torch", "torch_", "Tensor", "Tensor_", "F", "special.expit")
@unary("sigmoid", lambda xp, a: sigmoid_kernel(xp, a), saves_out=True)
def sigmoid(grad, x, out, p):
    """1 / (1 + exp(-x))."""
    return sigmoid_backward(grad, conj_if_complex(out))


def sigmoid_kernel(xp, a):
    """sigmoid of an array (also the LSTM layer's, ops/rnn.py): the plain formula, as
    PyTorch computes it, exp overflow giving exactly 0; half precision in float, rounded
    once."""
    return (1 / (1 + exp_kernel(xp, -half_as_float(a)))).astype(a.dtype, copy=False)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("relu", lambda xp, a: xp.maximum(a, 0).astype(a.dtype, copy=False), rule=SAME,
       saves_out=True, on_bool=RuntimeError("Boolean inputs not supported for relu"))
def relu(grad, x, out, p):
    """max(x, 0)."""
    return threshold_backward(grad, out, 0)


@export("torch", "Tensor")
@unary("abs", "abs", rule=REAL,
       on_bool=NotImplementedError('"abs_cpu" not implemented for \'Bool\''))
def abs(grad, x, out, p):
    return grad * x.sgn()


_abs_in_place = make_inplace(abs)


@export("torch", "Tensor")
def abs_(input):
    """In-place version of abs() (a complex tensor cannot hold its real result)."""
    if isinstance(input, Tensor) and input._data.dtype.kind == "c":
        raise RuntimeError("In-place abs is not supported for complex tensors.")
    return _abs_in_place(input)


def _sign_kernel(xp, a):
    """PyTorch's (0 < x) - (x < 0): nan gives 0; bool stays bool."""
    if a.dtype.kind == "b":
        return a.copy()
    if a.dtype.kind in "iu":
        return xp.sign(a)
    return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


@export("torch", "Tensor", "Tensor_")
@unary("sign", _sign_kernel, rule=SAME, saves_input=False)
def sign(grad, x, out, p):
    return grad * 0


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("floor", lambda xp, a: a.copy() if a.dtype.kind in "biu" else xp.floor(a), rule=SAME,
       saves_input=False,
       on_bool=NotImplementedError('"floor_vml_cpu" not implemented for \'Bool\''))
def floor(grad, x, out, p):
    return grad * 0


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("ceil", lambda xp, a: a.copy() if a.dtype.kind in "biu" else xp.ceil(a), rule=SAME,
       saves_input=False,
       on_bool=NotImplementedError('"ceil_vml_cpu" not implemented for \'Bool\''))
def ceil(grad, x, out, p):
    return grad * 0


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("trunc", lambda xp, a: a.copy() if a.dtype.kind in "biu" else xp.trunc(a), rule=SAME,
       saves_input=False,
       on_bool=NotImplementedError('"trunc_vml_cpu" not implemented for \'Bool\''))
def trunc(grad, x, out, p):
    return grad * 0


@unary("_round", lambda xp, a: a.copy() if a.dtype.kind in "biu" else xp.round(a), rule=SAME,
       saves_input=False,
       grad_fn="RoundBackward0",
       on_bool=NotImplementedError('"round_vml_cpu" not implemented for \'Bool\''))
def _round(grad, x, out, p):
    return grad * 0


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("reciprocal", lambda xp, a: 1 / a, saves_out=True)
def reciprocal(grad, x, out, p):
    return grad * -conj_if_complex(out * out)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("square", "square", rule=SAME, grad_fn="PowBackward0", on_bool=int64)
def square(grad, x, out, p):
    return grad * conj_if_complex(x) * 2


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("sinh", "sinh")
def sinh(grad, x, out, p):
    return grad * conj_if_complex(x.cosh())


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("cosh", "cosh")
def cosh(grad, x, out, p):
    return grad * conj_if_complex(x.sinh())


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("asin", "arcsin")
def asin(grad, x, out, p):
    return grad * conj_if_complex((1 - x * x).rsqrt())


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("acos", "arccos")
def acos(grad, x, out, p):
    return -grad * conj_if_complex((1 - x * x).rsqrt())


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("atan", "arctan")
def atan(grad, x, out, p):
    return grad / conj_if_complex(x * x + 1)


def _predicate(name):
    """An elementwise test with a bool result (NumPy's function of the same name)."""
    return unary(name, name, rule=TO_BOOL, differentiable=False)(lambda grad, x, out, p: None)


logical_not = export("torch", "Tensor", "Tensor_")(_predicate("logical_not"))
isnan = export("torch", "Tensor")(_predicate("isnan"))
isinf = export("torch", "Tensor")(_predicate("isinf"))
isfinite = export("torch", "Tensor")(_predicate("isfinite"))


def _round_decimals_kernel(xp, a, decimals):
    """ATen's round_decimals: scale by 10**|decimals| (divide first when negative, so that
    1200.1234567 rounds to exactly 1000), round half to even, undo, in the dtype's opmath
    (float for half and bfloat16)."""
    work = a.astype(np.float32) if a.dtype.itemsize < 4 else a
    scale = work.dtype.type(10.0 ** (-decimals if decimals < 0 else decimals))
    if decimals < 0:
        r = xp.rint(work / scale) * scale
    else:
        r = xp.rint(work * scale) / scale
    return r.astype(a.dtype, copy=False)


@unary("_round_decimals", _round_decimals_kernel, rule=SAME, saves_input=False,
       grad_fn="RoundBackward1", float_only="round_cpu")
def _round_decimals(grad, x, out, p):
    return grad * 0


@export("torch", "torch_", "Tensor", "Tensor_")
def round(input, decimals=0, *, out=None):
    """Round half to even, as PyTorch does; `decimals` scales first."""
    if decimals == 0:
        return _round(input, out=out)
    return _round_decimals(input, out=out, params=decimals)


@export("torch", "Tensor")
def positive(input):
    """input itself; PyTorch refuses bool tensors (as it does unary +)."""
    if tensor_input(input, "positive").dtype is bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


# ---- ops of two operands: kernels and derivatives ------------------------------------------

def _alpha_times(tangent, alpha):
    """add/sub's forward formula: the other operand's tangent times alpha."""
    return tangent if tangent is None or alpha in (None, 1) else tangent * alpha


# add's alpha multiplies with one rounding (fma.py), as PyTorch's kernels do
@binary("add", lambda a, b, alpha=1: add_scaled(a, b, alpha, a.dtype) if alpha != 1
        else a + b, saves_inputs=False, operator=True,
        jvp=lambda ta, tb, a, b, out, alpha: tangent_sum(out, ta, _alpha_times(tb, alpha)))
def _add(grad, a, b, out, alpha):
    return grad, (grad if alpha in (None, 1) else grad * alpha)


def _sub_jvp(ta, tb, a, b, out, alpha):
    """PyTorch's formula: ta - alpha tb."""
    if tb is None:
        return tangent_sum(out, ta)
    return tangent_sum(out, -_alpha_times(tb, alpha) if ta is None
                       else ta - _alpha_times(tb, alpha))


@binary("sub", lambda a, b, alpha=1: add_scaled(a, b, -alpha, a.dtype) if alpha != 1
        else a - b, saves_inputs=False, jvp=_sub_jvp)
def _sub(grad, a, b, out, alpha):
    return grad, (-grad if alpha in (None, 1) else grad * -alpha)


@binary("rsub", lambda a, b, alpha=1: add_scaled(b, a, -alpha, a.dtype) if alpha != 1
        else b - a,
        grad_fn="RsubBackward1", saves_inputs=False)
def _rsub(grad, a, b, out, alpha):
    return (-grad if alpha in (None, 1) else grad * -alpha), None


def _divisor_needs_grad(node):
    """x / y reads x only for y's gradient; y always."""
    return node.next_functions[1][0] is not None, True


@binary("mul", np.multiply, reads_saved=reads_the_other, operator=True,
        jvp=lambda ta, tb, a, b, out, p: tangent_sum(out, tb if tb is None else tb * a,
                                                     ta if ta is None else ta * b))
def _mul(grad, a, b, out, p):
    # Only the gradients that flow somewhere are computed (`y * 3` needs one product).
    return (grad * conj_if_complex(b) if a._rg else None,
            grad * conj_if_complex(a) if needs_grad(b) else None)


def _div_jvp(ta, tb, a, b, out, p):
    """PyTorch's formula: (ta - tb * out) / b."""
    if tb is None:
        return tangent_sum(out, ta / b)
    return tangent_sum(out, (-tb * out if ta is None else ta - tb * out) / b)


@binary("div", np.true_divide, rule=FLOAT, reads_saved=_divisor_needs_grad, operator=True,
        jvp=_div_jvp)
def _div(grad, a, b, out, p):
    ga = grad / conj_if_complex(b)
    # PyTorch's div_tensor_other_backward: -grad * ((self / other) / other).conj()
    gb = -grad * conj_if_complex((a / b) / b) if needs_grad(b) else None
    return ga, gb


@binary("div_floor", np.floor_divide, grad_fn="DivBackward2", saves_inputs=False)
def _div_floor(grad, a, b, out, p):
    return grad * 0, None


@binary("div_trunc", lambda a, b: _trunc_div(a, b), grad_fn="DivBackward2",
        saves_inputs=False)
def _div_trunc(grad, a, b, out, p):
    return grad * 0, None


def _trunc_div(a, b):
    xp = xp_of(a)
    if a.dtype.kind not in "biu":              # floating (bfloat16's kind is "V")
        return xp.trunc(a / b)
    q = xp.floor_divide(a, b)
    fix = (q < 0) & (a % b != 0)
    return q + fix


_FloorDivNode = not_implemented_node("floor_divide")
floor_divide_op = BinaryOp("floor_divide", np.floor_divide, SAME, _FloorDivNode, True,
                           "div_floor_cpu").apply
# scalar // tensor with the scalar kept a wrapped number (for PyTorch's promotion)
rfloor_divide_op = BinaryOp("rfloor_divide", lambda a, b: np.floor_divide(b, a), SAME,
                            _FloorDivNode, True, "div_floor_cpu").apply


def _remainder_kernel(x, y, xp):
    """PyTorch's remainder: for floats fmod, plus y where the signs differ (so -2. % 2 is
    -0. and 0. % -3 is 0., where NumPy's floor remainder takes the divisor's sign)."""
    mod = xp.fmod(x, y)
    if mod.dtype.kind in "biu":
        return xp.remainder(x, y)
    fix = (mod != 0) & ((y < 0) != (mod < 0))
    return xp.where(fix, mod + y, mod)


@binary("rremainder", lambda a, b: _remainder_kernel(b, a, xp_of(a)), bool_kernel="remainder_cpu",
        grad_fn="RemainderBackward1")
def _rremainder(grad, a, b, out, p):
    return -grad * (b // a), None


def _only_for_divisor(node):
    """fmod / remainder read both operands only for the divisor's gradient."""
    needed = node.next_functions[1][0] is not None
    return needed, needed


def _remainder_grad(grad, a, b, out, p):
    gb = -grad * a.div(b, rounding_mode="floor") if needs_grad(b) else None
    return grad, gb


def _fmod_grad(grad, a, b, out, p):
    gb = -grad * a.div(b, rounding_mode="trunc") if needs_grad(b) else None
    return grad, gb


def _remainder_op(grad_fn):
    return binary("remainder", lambda a, b: _remainder_kernel(a, b, xp_of(a)), grad_fn=grad_fn,
                  bool_kernel="remainder_cpu", reads_saved=_only_for_divisor)(_remainder_grad)


# A number divisor: ...Backward0; a tensor: ...Backward1, as PyTorch names them.
_remainder, _remainder_tensor = _remainder_op(None), _remainder_op("RemainderBackward1")
_fmod = binary("fmod", np.fmod, reads_saved=_only_for_divisor)(_fmod_grad)
_fmod_tensor = binary("fmod", np.fmod, grad_fn="FmodBackward1",
                      reads_saved=_only_for_divisor)(_fmod_grad)


def _pow_forward(a, b):
    if a.dtype.kind in "iu" and not isinstance(b, float):
        if isinstance(b, (int, np.integer)):
            if b < 0:
                raise RuntimeError("Integers to negative integer powers are not allowed.")
        elif (b < 0).any():
            return _int_pow_negative(a, b, xp_of(a))
    return a ** b


def _int_pow_negative(a, b, xp):
    """Integer a ** b for an exponent tensor with negative items, as PyTorch's kernel: a
    negative exponent gives 1 for base 1, 1 or -1 for base -1 (by parity), else 0."""
    neg = b < 0
    r = a ** xp.where(neg, 0, b).astype(b.dtype)
    at_neg = xp.where(a == 1, 1, xp.where(a == -1, xp.where(b % 2 != 0, -1, 1), 0))
    return xp.where(neg, at_neg, r).astype(r.dtype)


@binary("pow", _pow_forward, grad_fn="PowBackward1", bool_kernel="pow")
def _pow_tensor(grad, a, b, out, p):
    ga = grad * conj_if_complex(b * a.pow(b - 1))
    gb = None
    if needs_grad(b):      # PyTorch's pow_backward_exponent: 0 where a == 0 and b >= 0
        gb = grad * conj_if_complex(where((a == 0) & (b >= 0), 0.0, a.pow(b) * a.log()))
    return ga, gb


@binary("pow_scalar", _pow_forward, grad_fn="PowBackward0", bool_kernel="pow")
def _pow_scalar(grad, a, b, out, p):
    if b == 0:
        return grad * 0, None
    return grad * conj_if_complex(a.pow(b - 1) * b), None


def _rpow_forward(a, b):
    if a.dtype.kind in "iu" and not isinstance(b, float) and (a < 0).any():
        return _int_pow_negative(xp_of(a).asarray(b, a.dtype), a, xp_of(a))
    return b ** a


@binary("rpow", _rpow_forward, rule=SAME, grad_fn="PowBackward2", bool_kernel="pow")
def _rpow(grad, a, b, out, p):
    return grad * (b ** a) * (math.log(b) if b > 0 else float("nan")), None


@binary("maximum", np.maximum)
def _maximum(grad, a, b, out, p):
    half = (a == b) * 0.5
    return (grad * ((a > b) + half) if a._rg else None,
            grad * ((a < b) + half) if needs_grad(b) else None)


@binary("minimum", np.minimum)
def _minimum(grad, a, b, out, p):
    half = (a == b) * 0.5
    return (grad * ((a < b) + half) if a._rg else None,
            grad * ((a > b) + half) if needs_grad(b) else None)


@binary("atan2", np.arctan2, rule=FLOAT)
def _atan2(grad, a, b, out, p):
    d = a * a + b * b
    return grad * b / d if a._rg else None, -grad * a / d if needs_grad(b) else None


def _comparison(name, ufunc):
    node = type(camel(name) + "Backward0", (BinaryNode,), {"__slots__": ()})
    return BinaryOp(name, ufunc, TO_BOOL, node, False).apply


eq_op = _comparison("eq", np.equal)
ne_op = _comparison("ne", np.not_equal)
lt_op = _comparison("lt", np.less)
le_op = _comparison("le", np.less_equal)
gt_op = _comparison("gt", np.greater)
ge_op = _comparison("ge", np.greater_equal)

_bit_node = type("BitwiseBackward0", (BinaryNode,), {"__slots__": ()})
and_op = BinaryOp("bitwise_and", np.bitwise_and, INT_ONLY, _bit_node, False).apply
or_op = BinaryOp("bitwise_or", np.bitwise_or, INT_ONLY, _bit_node, False).apply
xor_op = BinaryOp("bitwise_xor", np.bitwise_xor, INT_ONLY, _bit_node, False).apply


def _shift_kernel(shift, out_of_range):
    """a shifted by b, where a shift below 0 or past the width gives PyTorch's value (its
    kernels define it; C and NumPy leave it undefined)."""
    def kernel(a, b):
        xp = xp_of(a)
        bits = a.dtype.itemsize * 8
        b = xp.asarray(b)
        r = shift(a, xp.clip(b, 0, bits - 1).astype(a.dtype))
        return xp.where((b < 0) | (b >= bits), out_of_range(a, bits), r).astype(a.dtype)
    return kernel


lshift_op = BinaryOp("lshift", _shift_kernel(np.left_shift, lambda a, bits: 0), INT_ONLY,
                     _bit_node, False).apply
rshift_op = BinaryOp("rshift", _shift_kernel(np.right_shift, lambda a, bits: a >> (bits - 1)),
                     INT_ONLY, _bit_node, False).apply


# ---- public functional forms -------------------------------------------------------------

def _check_alpha(a, b, alpha):
    if isinstance(alpha, float) and a.dtype.category <= INTEGRAL and (
            not isinstance(b, Tensor) or b.dtype.category <= INTEGRAL) and not isinstance(
            b, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    if isinstance(alpha, int) and a.dtype.category == INTEGRAL:
        check_fits(alpha, a.dtype)


@export("torch", "Tensor")
def add(input, other, *, alpha=1, out=None):
    a, b = tensor_first(input, other, "add", numbers=True)
    alpha = scalar_argument(alpha)
    if alpha != 1:
        _check_alpha(a, b, alpha)
    r = _add(a, b, alpha if alpha != 1 else None)
    return r if out is None else finish_out(r, out, "add", (a, b))


# x.add_(y) & co. write straight into x's memory when nothing else is involved (x.add_(g,
# alpha=-lr): one BLAS axpy), an optimizer's step (direct_inplace.py)
add_ = export("Tensor")(direct_binary(_add, np.add, make_inplace(add), sign=1))


@export("torch", "Tensor")
def sub(input, other, *, alpha=1, out=None):
    a, b = tensor_first(input, other, "sub", numbers=True)
    alpha = scalar_argument(alpha)
    if alpha != 1:
        _check_alpha(a, b, alpha)
    _check_bool_sub(a, b)
    return finish_out(_sub(a, b, alpha if alpha != 1 else None), out, "sub", (a, b))


sub_ = export("Tensor")(direct_binary(_sub, np.subtract, make_inplace(sub), sign=-1))
subtract = _alias(sub, "subtract", "torch", "Tensor", "Tensor_")


def _check_bool_sub(a, b):
    a_bool = a.dtype is bool_
    b_bool = b.dtype is bool_ if isinstance(b, Tensor) else isinstance(b, bool)
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not "
                           "supported. If you are trying to invert a mask, use the `~` or "
                           "`logical_not()` operator instead.")


@export("torch")
def rsub(input, other, *, alpha=1):
    _check_bool_sub(input, other)
    return _rsub(input, operand(other, "rsub"), alpha if alpha != 1 else None)


@export("torch", "Tensor")
def mul(input, other, *, out=None):
    a, b = tensor_first(input, other, "mul", numbers=True)
    return finish_out(_mul(a, b), out, "mul", (a, b))


mul_ = export("Tensor")(direct_binary(_mul, np.multiply, make_inplace(mul)))
multiply = _alias(mul, "multiply", "torch", "Tensor", "Tensor_")


@derivative
def MulBackward1(node, grad):
    """A tensor times a Python number (PyTorch's mul.Scalar, which its composite ops and
    derivatives use where Python's `x * 2` records MulBackward0)."""
    return times_number(grad, node.params)


def times_number(t, number):
    """t * number recorded as MulBackward1."""
    with no_grad():
        r = t * number
    return record_if(MulBackward1, r, (t,), params=number)


@export("torch", "Tensor")
def div(input, other, *, rounding_mode=None, out=None):
    a, b = tensor_first(input, other, "div", numbers=True)
    if rounding_mode is None:
        r = _div(a, b)
    elif rounding_mode == "floor":
        r = _div_floor(a, b)
    elif rounding_mode == "trunc":
        r = _div_trunc(a, b)
    else:
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                         f"but found '{rounding_mode}'")
    return finish_out(r, out, "div", (a, b))


div_ = export("Tensor")(direct_binary(_div, np.true_divide, make_inplace(div)))
divide = _alias(div, "divide", "torch", "Tensor", "Tensor_")


@export("torch", "Tensor", "Tensor_")
def true_divide(input, other, *, out=None):
    return div(input, other, out=out)


@export("torch", "Tensor", "Tensor_")
def floor_divide(input, other, *, out=None):
    a, b = tensor_first(input, other, "floor_divide", numbers=True)
    _check_int_zero_division(a, b)
    return finish_out(floor_divide_op(a, b), out, "floor_divide", (a, b))


def rfloor_divide(input, other):
    """other // input for a Python number other."""
    other = operand(other, "floor_divide")
    _check_int_zero_division_r(other, input)
    return rfloor_divide_op(input, other)


def rremainder(input, other):
    """other % input for a Python number other."""
    other = operand(other, "remainder")
    _check_int_zero_division_r(other, input)
    return _rremainder(input, other)


def _check_int_zero_division_r(number, t):
    """PyTorch's error for number // t and number % t when the result is an integer type."""
    if t.dtype.category <= INTEGRAL and not isinstance(number, (float, complex)) and \
            not (t.dtype is bool_ and isinstance(number, bool)) and (dense(t, 1) == 0).any():
        raise RuntimeError("ZeroDivisionError")


@export("torch", "Tensor", "Tensor_")
def remainder(input, other, *, out=None):
    a, b = tensor_first(input, other, "remainder")
    _check_int_zero_division(a, b)
    op = _remainder_tensor if isinstance(b, Tensor) else _remainder
    return finish_out(op(a, b), out, "remainder", (a, b))


@export("torch", "Tensor", "Tensor_")
def fmod(input, other, *, out=None):
    a, b = tensor_first(input, other, "fmod")
    _check_int_zero_division(a, b)
    op = _fmod_tensor if isinstance(b, Tensor) else _fmod
    return finish_out(op(a, b), out, "fmod", (a, b))


def _check_int_zero_division(a, b):
    if a.dtype.category > INTEGRAL or a.dtype is bool_ and (
            b.dtype is bool_ if isinstance(b, Tensor) else isinstance(b, bool)):
        return              # a float result, or bool's "not implemented" error comes first
    if isinstance(b, Tensor):
        if b.dtype.category <= INTEGRAL and (dense(b, 1) == 0).any():
            raise RuntimeError("ZeroDivisionError")
    elif isinstance(b, int) and b == 0:
        raise RuntimeError("ZeroDivisionError")


@export("torch", "Tensor", "Tensor_")
def pow(input, exponent, *, out=None):
    if not isinstance(input, Tensor):
        if not isinstance(exponent, Tensor):
            raise TypeError("pow(): argument 'input' must be Tensor or Number")
        return finish_out(_rpow(exponent, operand(input, "pow")), out, "pow", (exponent,))
    b = operand(exponent, "pow")
    if isinstance(b, Tensor):
        r = _pow_tensor(input, b)
    else:
        if input.dtype.category <= INTEGRAL and isinstance(b, int) and b < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        r = _pow_scalar(input, b)
    return finish_out(r, out, "pow", (input, b))


def _of_two_tensors(op, name, doc=None):
    """The public form of an op whose operands must both be tensors (out= included)."""
    def fn(input, other, *, out=None):
        tensor_input(input, name)
        return finish_out(op(input, tensor_other(other, name)), out, name, (input, other))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


maximum = export("torch", "Tensor")(_of_two_tensors(_maximum, "maximum"))
minimum = export("torch", "Tensor")(_of_two_tensors(_minimum, "minimum"))
atan2 = export("torch", "Tensor", "Tensor_")(_of_two_tensors(_atan2, "atan2"))


def _cmp(op, fn):
    def compare(input, other, *, out=None):
        a, b = tensor_first(input, other, fn)
        return finish_out(op(a, b), out, fn, (a, b))
    compare.__name__ = fn
    return compare


eq = export("torch", "Tensor", "Tensor_")(_cmp(eq_op, "eq"))
ne = export("torch", "Tensor", "Tensor_")(_cmp(ne_op, "ne"))
lt = export("torch", "Tensor", "Tensor_")(_cmp(lt_op, "lt"))
le = export("torch", "Tensor", "Tensor_")(_cmp(le_op, "le"))
gt = export("torch", "Tensor", "Tensor_")(_cmp(gt_op, "gt"))
ge = export("torch", "Tensor", "Tensor_")(_cmp(ge_op, "ge"))
less = _alias(lt, "less", "torch", "Tensor", "Tensor_")
less_equal = _alias(le, "less_equal", "torch", "Tensor", "Tensor_")
greater = _alias(gt, "greater", "torch", "Tensor", "Tensor_")
greater_equal = _alias(ge, "greater_equal", "torch", "Tensor", "Tensor_")
not_equal = _alias(ne, "not_equal", "torch", "Tensor", "Tensor_")
bitwise_and = export("torch", "Tensor", "Tensor_")(_cmp(and_op, "bitwise_and"))
bitwise_or = export("torch", "Tensor", "Tensor_")(_cmp(or_op, "bitwise_or"))
bitwise_xor = export("torch", "Tensor", "Tensor_")(_cmp(xor_op, "bitwise_xor"))


def _shift(op, name):
    """The public shift: a number is taken for either operand (PyTorch's Scalar self)."""
    def shift(input, other, *, out=None):
        if not isinstance(input, Tensor) and isinstance(other, Tensor):
            input = scalar_tensor_like(operand(input, name), other)
        a, b = tensor_input(input, name), operand(other, name)
        return finish_out(op(a, b), out, name, (a, b))
    shift.__name__ = shift.__qualname__ = name
    return shift


bitwise_left_shift = export("torch", "Tensor", "Tensor_")(
    _shift(lshift_op, "bitwise_left_shift"))
bitwise_right_shift = export("torch", "Tensor", "Tensor_")(
    _shift(rshift_op, "bitwise_right_shift"))


@export("torch", "Tensor", "Tensor_")
def logical_and(input, other, *, out=None):
    tensor_input(input, "logical_and")
    tensor_other(other, "logical_and")
    return finish_out(input.bool() & other.bool(), out, "logical_and", (input, other),
                      differentiable=False)


@export("torch", "Tensor", "Tensor_")
def logical_or(input, other, *, out=None):
    tensor_input(input, "logical_or")
    tensor_other(other, "logical_or")
    return finish_out(input.bool() | other.bool(), out, "logical_or", (input, other),
                      differentiable=False)


@export("torch", "Tensor", "Tensor_")
def logical_xor(input, other, *, out=None):
    tensor_input(input, "logical_xor")
    tensor_other(other, "logical_xor")
    return finish_out(input.bool() ^ other.bool(), out, "logical_xor", (input, other),
                      differentiable=False)


@export("torch", "Tensor", "Tensor_")
def bitwise_not(input):
    if input.dtype.category > INTEGRAL:
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for "
                                  f"'{input.dtype.short}'")
    xd = dense(input)
    xp = xp_of(xd)
    return wrap(xp.logical_not(xd) if input.dtype is bool_ else xp.invert(xd))


# ---- ops with several tensor inputs ------------------------------------------------------

@derivative
def WhereBackward0(node, grad):
    cond, = node.saved
    return None, where(cond, grad, 0.0), where(cond, 0.0, grad)


@export("torch")
def where(condition, input=None, other=None):
    """Elements of input where condition holds, else of other (broadcast)."""
    if input is None and other is None:
        from .indexing import nonzero      # indexing imports this module (where): a cycle
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor) or condition.dtype is not bool_:
        got = condition.dtype.short if isinstance(condition, Tensor) else \
            type(condition).__name__
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {got}")
    x = input if isinstance(input, Tensor) else None
    y = other if isinstance(other, Tensor) else None
    rt = result_dtype(*(v if isinstance(v, Tensor) else operand(v, "where")
                        for v in (input, other)))
    same_device(condition, x, y)
    xp = xp_of(condition._data)
    shape = shape_bound(*(t.shape for t in (condition, x, y) if t is not None))
    # before the casts: x and y may be expanded
    limits.check_result_of(condition._data, shape, rt.itemsize)
    xd = x._data.astype(rt.np, copy=False) if x is not None else input
    yd = y._data.astype(rt.np, copy=False) if y is not None else other
    try:
        r = xp.where(condition._data, xd, yd)
    except ValueError:
        shapes = [tuple(t.shape) for t in (condition, x, y) if t is not None]
        acc = shapes[0]
        for s in shapes[1:]:                  # the first pair that fails, as PyTorch names it
            try:
                acc = np.broadcast_shapes(acc, s)
            except ValueError:
                raise broadcast_error(acc, s) from None
        raise
    r = wrap(np.asarray(r, dtype=rt.np) if xp is np else r.astype(rt.np, copy=False))
    return record_if(WhereBackward0, r, (condition, input, other), save=(condition,))


@export("Tensor.where")
def where_method(self, condition, other):
    """x.where(condition, y): where(condition, x, y)."""
    return where(condition, self, other)


where_method.__name__ = where_method.__qualname__ = "where"


def _within(x, lo, hi):
    """Where lo <= x <= hi (a bound None: no limit on that side)."""
    keep = None
    if lo is not None:
        keep = x >= lo
    if hi is not None:
        keep = (x <= hi) if keep is None else keep & (x <= hi)
    return keep


def _clamp_jvp(inputs, tangents, out, params):
    """PyTorch's formula: the tangent where x is within the bounds, +0 elsewhere."""
    return tangents[0].masked_fill(~_within(inputs[0], *params), 0)


@derivative(jvp=_clamp_jvp)
def ClampBackward1(node, grad):
    x, = node.saved
    lo, hi = node.params
    return grad * _within(x, lo, hi)


@derivative
def ClampBackward0(node, grad):
    """clamp with tensor bounds."""
    x, lo, hi = node.saved
    glo = grad * (x < lo) if lo is not None and lo._rg else None
    ghi = grad * (x > hi) if hi is not None and hi._rg else None
    return grad * _within(x, lo, hi), glo, ghi


@export("torch", "torch_", "Tensor", "Tensor_")
def clamp(input, min=None, max=None, *, out=None):
    """Limit every element to [min, max]."""
    return _clamp(input, min, max, out, ClampBackward1)


def _clamp(input, min, max, out, node):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    xd = input._data
    dt = input.dtype
    tensor_bounds = isinstance(min, Tensor) or isinstance(max, Tensor)
    if tensor_bounds and not all(v is None or isinstance(v, Tensor) for v in (min, max)):
        got = ", ".join(type(v).__name__ for v in (input, min, max) if v is not None)
        raise TypeError(f"clamp() received an invalid combination of arguments - got ({got}), "
                        "but expected one of:\n"
                        " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out "
                        "= None)\n"
                        " * (Tensor input, Number min = None, Number max = None, *, Tensor out "
                        "= None)\n")
    if not tensor_bounds:
        cast = None
        for v in (min, max):
            if v is not None and not isinstance(v, NUMBER):
                raise TypeError(f"clamp(): argument 'min' must be Number, not {type(v).__name__}")
            if isinstance(v, float) and dt.category < FLOATING:
                cast = DEFAULTS.float_dtype.np
            elif isinstance(v, int) and not isinstance(v, bool) and dt is bool_:
                cast = np.dtype(np.int64)          # bool with an int bound: int64, as torch
        xd = dense(input, cast and cast.itemsize)
        if cast is not None:
            xd = xd.astype(cast)
    lo = min._data if isinstance(min, Tensor) else min
    hi = max._data if isinstance(max, Tensor) else max
    if tensor_bounds:                      # PyTorch's promotion over input, min and max
        rt = result_dtype(input, min, max).np
        shape = shape_bound(*(v.shape for v in (input, min, max) if v is not None))
        limits.check_result(shape, rt.itemsize)   # before the casts: any may be expanded
        xd = xd.astype(rt, copy=False)
        lo = lo.astype(rt, copy=False) if isinstance(min, Tensor) else lo
        hi = hi.astype(rt, copy=False) if isinstance(max, Tensor) else hi
    xp = xp_of(xd)
    r = xd
    for bound, f in ((lo, xp.maximum), (hi, xp.minimum)):
        if bound is None:
            continue
        try:
            r = f(r, bound)
        except ValueError:
            raise broadcast_error(r.shape, bound.shape) from None
    r = wrap(r.astype(xd.dtype, copy=False))
    if tensor_bounds:
        record_if(ClampBackward0, r, (input, min, max), save=(input, min, max))
    else:
        record_if(node, r, (input,), (min, max), save=(input,))
    return finish_out(r, out, "clamp", (input,))


clip = _alias(clamp, "clip", "torch", "torch_", "Tensor", "Tensor_")


ClampMinBackward0 = type("ClampMinBackward0", (ClampBackward1,), {"__slots__": ()})
ClampMaxBackward0 = type("ClampMaxBackward0", (ClampBackward1,), {"__slots__": ()})


@export("torch", "torch_", "Tensor", "Tensor_")
def clamp_min(input, min):
    return _clamp(input, min, None, None, ClampMinBackward0)


@export("torch", "torch_", "Tensor", "Tensor_")
def clamp_max(input, max):
    return _clamp(input, None, max, None, ClampMaxBackward0)


# ---- more maths functions ------------------------------------------------------------------

_LN2 = 0.6931471805599453


@export("torch", "torch_", "Tensor", "Tensor_", "special")
@unary("exp2", "exp2", saves_out=True)
def exp2(grad, x, out, p):
    """2 to the power of each element."""
    return times_number(grad * conj_if_complex(out), _LN2)


def _with_inplace_node(name, forward, derivative):
    """The op, and for its in-place twin (x.asinh_()) the same op recording PyTorch's
    other node name (AsinhBackward1)."""
    op = unary(name, forward)(derivative)
    op.inplace_op = unary(name, forward, grad_fn=camel(name) + "Backward1")(derivative)
    return op


_IN_PLACE_TOO = ("torch", "torch_", "Tensor", "Tensor_")
asinh = export(*_IN_PLACE_TOO)(_with_inplace_node(
    "asinh", "arcsinh", lambda grad, x, out, p: grad * conj_if_complex((x * x + 1).rsqrt())))


def _acosh_derivative(grad, x, out, p):
    """1 / sqrt(x² - 1), as rsqrt(x + 1) rsqrt(x - 1) for a complex x (PyTorch's: the
    product of the roots is not the root of the product off the real line)."""
    if x._data.dtype.kind == "c":
        return grad * ((x + 1).rsqrt() * (x - 1).rsqrt()).conj()
    return grad * (x * x - 1).rsqrt()


acosh = export(*_IN_PLACE_TOO)(_with_inplace_node("acosh", "arccosh", _acosh_derivative))
atanh = export(*_IN_PLACE_TOO)(_with_inplace_node(
    "atanh", "arctanh", lambda grad, x, out, p: grad / conj_if_complex(1 - x * x)))


def _scaled(factor):
    """x * factor, computed as PyTorch does: in the input's float type (half in float)."""
    return lambda xp, a: (half_as_float(a) * factor).astype(a.dtype, copy=False)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("deg2rad", _scaled(math.pi / 180), grad_fn="Deg2RadBackward0", saves_input=False)
def deg2rad(grad, x, out, p):
    return grad * (math.pi / 180)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("rad2deg", _scaled(180 / math.pi), grad_fn="Rad2DegBackward0", saves_input=False)
def rad2deg(grad, x, out, p):
    return grad * (180 / math.pi)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("frac", lambda xp, a: a - xp.trunc(a), rule=SAME, saves_input=False,
       float_only="frac_cpu")
def frac(grad, x, out, p):
    """The fractional part, with the sign of x (x - trunc(x))."""
    return grad


def _sinc_kernel(xp, a):
    af = half_as_float(a)
    pa = af * af.dtype.type(math.pi)
    with np.errstate(all="ignore"):
        r = xp.where(af == 0, af.dtype.type(1), xp.sin(pa) / pa)
    return r.astype(a.dtype, copy=False)


@export("torch", "torch_", "Tensor", "Tensor_")
@unary("sinc", _sinc_kernel)
def sinc(grad, x, out, p):
    """sin(pi x) / (pi x), 1 at 0."""
    px = x * math.pi
    d = grad * conj_if_complex((px * px.cos() - px.sin()) / (x * x * math.pi))
    return where(x == 0, 0.0, d)


def _sgn_kernel(xp, a):
    """x / |x| for complex tensors (0 at 0), sign(x) for real ones."""
    if a.dtype.kind != "c":
        return _sign_kernel(xp, a)
    size = xp.abs(a)
    return xp.where(size == 0, 0, a / xp.where(size == 0, 1, size)).astype(a.dtype)


@export("torch", "Tensor", "Tensor_")
@unary("sgn", _sgn_kernel, rule=SAME)
def sgn(grad, x, out, p):
    """sign(x) for real tensors, x / |x| for complex ones."""
    if x._data.dtype.kind != "c":
        return grad * 0
    # PyTorch's sgn_backward: (gx - sgn * real(gx * conj(sgn))) / |x|, 0 where x is 0
    size, unit = x.abs(), x.sgn()
    d = (grad - unit * (grad * conj_copy(unit)).real) / size
    return where(size == 0, 0.0, d)


def _signbit_kernel(xp, a):
    if a.dtype.kind == "b":
        return xp.zeros(a.shape, dtype=np.bool_)
    return a < 0 if a.dtype.kind in "iu" else xp.signbit(half_as_float(a))


signbit = export("torch", "Tensor")(unary(
    "signbit", _signbit_kernel, rule=TO_BOOL, differentiable=False)(lambda grad, x, out, p: None))


def _nan_to_num_kernel(xp, a, p=(0.0, None, None)):
    if a.dtype.kind in "biu":
        return a.copy()
    nan, posinf, neginf = p
    return xp.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)


@unary("_nan_to_num", _nan_to_num_kernel, rule=SAME, grad_fn="NanToNumBackward0")
def _nan_to_num(grad, x, out, p):
    return grad * x.isfinite()


@export("torch", "torch_", "Tensor", "Tensor_")
def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """NaN, +inf and -inf replaced (by 0 and the dtype's largest and lowest finite values)."""
    return _nan_to_num(input, out=out, params=(nan, posinf, neginf))


def _logit_kernel(xp, a, eps=None):
    af = half_as_float(a)
    if eps is not None:
        af = xp.clip(af, eps, 1 - eps)
    return xp.log(af / (1 - af)).astype(a.dtype, copy=False)


@unary("_logit", _logit_kernel, grad_fn="LogitBackward0")
def _logit(grad, x, out, eps):
    g = grad / (x * (1 - x))
    if eps is None:
        return g.masked_fill((x < 0) | (x > 1), float("nan"))
    return g.masked_fill((x < eps) | (x > 1 - eps), 0.0)


@export("torch", "torch_", "Tensor", "Tensor_", "special")
def logit(input, eps=None, *, out=None):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given."""
    return _logit(input, out=out, params=eps)


def _erf_forward(complement):
    def kernel(xp, a):
        return cody_erf(xp, a.astype(np.float64), complement).astype(a.dtype, copy=False)
    return kernel




@export("torch", "torch_", "Tensor", "Tensor_", "special")
@unary("erf", _erf_forward(False))
def erf(grad, x, out, p):
    """The error function, 2/sqrt(pi) times the integral of exp(-t^2) from 0 to x."""
    return grad * (-(x * x)).exp() * TWO_OVER_SQRTPI


@export("torch", "torch_", "Tensor", "Tensor_", "special")
@unary("erfc", _erf_forward(True))
def erfc(grad, x, out, p):
    """1 - erf(x), accurate where erf(x) is close to 1."""
    return grad * (-(x * x)).exp() * -TWO_OVER_SQRTPI


@export("torch", "Tensor", "Tensor_", "special")
@unary("erfinv", erfinv_kernel)
def erfinv(grad, x, out, p):
    """The inverse of erf on (-1, 1)."""
    return grad * x.erfinv().pow(2).exp() * (math.sqrt(math.pi) / 2)


def _in_float64(kernel):
    """An array kernel of gamma_functions run in float64 and rounded to the op's dtype."""
    def forward(xp, a, *params):
        return kernel(xp, *params, a.astype(np.float64)).astype(a.dtype, copy=False)
    return forward


@export("torch", "Tensor", "Tensor_", "special.gammaln")
@unary("lgamma", _in_float64(gamma_functions.lgamma))
def lgamma(grad, x, out, p):
    """log|Gamma(x)|."""
    return grad * x.digamma()


@export("torch", "Tensor", "Tensor_", "special", "special.psi")
@unary("digamma", _in_float64(gamma_functions.digamma))
def digamma(grad, x, out, p):
    """The logarithmic derivative of the gamma function."""
    return grad * polygamma(1, x)


@unary("_polygamma", _in_float64(gamma_functions.polygamma), grad_fn="PolygammaBackward0")
def _polygamma(grad, x, out, n):
    return grad * polygamma(n + 1, x)


@export("torch", "special")
def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma (n = 0 is digamma itself)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return _polygamma(input, out=out, params=n)


def _polygamma_method(self, n):
    """x.polygamma(n): polygamma(n, x)."""
    return polygamma(n, self)


_polygamma_method.__name__ = _polygamma_method.__qualname__ = "polygamma"
export("Tensor", "Tensor_")(_polygamma_method)


def _igamma_kernel(upper):
    def forward(a, x):
        xp = xp_of(a)
        r = gamma_functions.igamma(xp, a.astype(np.float64), xp.asarray(x, dtype=np.float64),
                                   upper)
        return r.astype(a.dtype, copy=False)
    return forward


def _igamma_backward(name, sign):
    def derivative(grad, a, x, out, p):
        if a._rg:
            raise NotImplementedError(f"the derivative for '{name}: input' is not implemented.")
        density = ((a - 1) * x.log() - x - a.lgamma()).exp()
        return None, grad * density if sign > 0 else grad * -density
    return derivative


# (PyTorch gives igamma/igammac no forward formula)
_igamma = binary("igamma", _igamma_kernel(False), rule=FLOAT_ONLY, jvp="igamma")(
    _igamma_backward("igamma", 1))
_igammac = binary("igammac", _igamma_kernel(True), rule=FLOAT_ONLY, jvp="igammac")(
    _igamma_backward("igammac", -1))


@export("torch", "Tensor", "Tensor_", "special.gammainc")
def igamma(input, other, *, out=None):
    """The regularized lower incomplete gamma function P(input, other)."""
    return finish_out(_igamma(tensor_input(input, "igamma"), tensor_other(other, "igamma")),
                      out, "igamma", (input, other))


@export("torch", "Tensor", "Tensor_", "special.gammaincc")
def igammac(input, other, *, out=None):
    """The regularized upper incomplete gamma function Q(input, other) = 1 - P."""
    return finish_out(_igammac(tensor_input(input, "igammac"),
                               tensor_other(other, "igammac")), out, "igammac", (input, other))


fix = _alias(trunc, "fix", "torch", "torch_", "Tensor", "Tensor_")
absolute = _alias(abs, "absolute", "torch", "Tensor", "Tensor_")
arcsin = _alias(asin, "arcsin", "torch", "torch_", "Tensor", "Tensor_")
arccos = _alias(acos, "arccos", "torch", "torch_", "Tensor", "Tensor_")
arctan = _alias(atan, "arctan", "torch", "torch_", "Tensor", "Tensor_")
arcsinh = _alias(asinh, "arcsinh", "torch", "torch_", "Tensor", "Tensor_")
arccosh = _alias(acosh, "arccosh", "torch", "torch_", "Tensor", "Tensor_")
arctanh = _alias(atanh, "arctanh", "torch", "torch_", "Tensor", "Tensor_")


# ---- more ops of two operands --------------------------------------------------------------

@binary("hypot", np.hypot, rule=FLOAT_ONLY)
def _hypot(grad, a, b, out, p):
    h = a.hypot(b)
    return grad * a / h if a._rg else None, grad * b / h if needs_grad(b) else None


@binary("logaddexp", np.logaddexp, rule=FLOAT_ONLY)
def _logaddexp(grad, a, b, out, p):
    return (grad / ((b - a).exp() + 1) if a._rg else None,
            grad / ((a - b).exp() + 1) if needs_grad(b) else None)


@binary("logaddexp2", np.logaddexp2, rule=FLOAT_ONLY)
def _logaddexp2(grad, a, b, out, p):
    return (grad / ((b - a).exp2() + 1) if a._rg else None,
            grad / ((a - b).exp2() + 1) if needs_grad(b) else None)


def _xlogy_kernel(a, b):
    arr = b if isinstance(a, NUMBER) else a
    xp = xp_of(arr)
    a, b = xp.asarray(a, dtype=arr.dtype), xp.asarray(b, dtype=arr.dtype)  # numbers: typed
    r = a * xp.log(b)
    return xp.where((a == 0) & ~xp.isnan(b), 0, r).astype(r.dtype, copy=False)


def _xlogy_backward(grad, a, b):
    """PyTorch's xlogy derivatives: xlogy(grad, b), 0 where a == 0 and b <= 0; grad * a / b."""
    ga = gb = None
    if isinstance(a, Tensor) and a._rg:
        ga = xlogy(grad, b).masked_fill((a == 0) & (b <= 0), 0.0)
    if isinstance(b, Tensor) and b._rg:
        gb = grad * a / b
    return ga, gb


@binary("xlogy", _xlogy_kernel, rule=FLOAT)
def _xlogy(grad, a, b, out, p):
    return _xlogy_backward(grad, a, b)


@binary("xlogy_scalar", _xlogy_kernel, rule=FLOAT, grad_fn="XlogyBackward2")
def _xlogy_scalar(grad, a, b, out, p):
    return _xlogy_backward(grad, a, b)


@binary("rxlogy", lambda a, b: _xlogy_kernel(b, a), rule=FLOAT, grad_fn="XlogyBackward1")
def _rxlogy(grad, a, b, out, p):
    return _xlogy_backward(grad, b, a)[::-1]


@export("torch", "torch_", "Tensor", "Tensor_", "special")
def xlogy(input, other, *, out=None):
    """x * log(y), 0 where x is 0 (unless y is nan)."""
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            raise TypeError("xlogy(): argument 'self' must be Tensor or Number")
        r = _rxlogy(other, operand(input, "xlogy"))
    elif isinstance(other, Tensor):
        r = _xlogy(input, other)
    else:
        r = _xlogy_scalar(input, operand(other, "xlogy"))
    return finish_out(r, out, "xlogy", (input, other))


def _copysign_kernel(a, b):
    return xp_of(a).copysign(a, b)


def _copysign_backward(grad, a, out):
    """PyTorch's copysign_tensor_self_backward: grad * result / self, 0 where self is 0."""
    return grad * (out / a).masked_fill(a == 0, 0.0)


@binary("copysign", _copysign_kernel, rule=FLOAT)
def _copysign(grad, a, b, out, p):
    return (_copysign_backward(grad, a, a.copysign(b)) if a._rg else None,
            grad * 0 if needs_grad(b) else None)


@binary("copysign_scalar", _copysign_kernel, rule=FLOAT, grad_fn="CopysignBackward1")
def _copysign_scalar(grad, a, b, out, p):
    return _copysign_backward(grad, a, a.copysign(b)), None


@export("torch", "Tensor", "Tensor_")
def copysign(input, other, *, out=None):
    """|input| with the sign of other (-0. counts as negative)."""
    a = tensor_input(input, "copysign")
    b = operand(other, "copysign")
    r = _copysign(a, b) if isinstance(b, Tensor) else _copysign_scalar(a, b)
    return finish_out(r, out, "copysign", (a, b))


@binary("fmax", np.fmax)
def _fmax(grad, a, b, out, p):
    first = (a >= b) | b.isnan()       # ties and a nan other: the gradient goes to input
    return (grad.masked_fill(~first, 0.0) if a._rg else None,
            grad.masked_fill(first, 0.0) if needs_grad(b) else None)


@binary("fmin", np.fmin)
def _fmin(grad, a, b, out, p):
    first = (a <= b) | b.isnan()
    return (grad.masked_fill(~first, 0.0) if a._rg else None,
            grad.masked_fill(first, 0.0) if needs_grad(b) else None)


fmax = export("torch", "Tensor")(_of_two_tensors(
    _fmax, "fmax", "Elementwise maximum that ignores NaN (NaN only where both are NaN)."))
fmin = export("torch", "Tensor")(_of_two_tensors(
    _fmin, "fmin", "Elementwise minimum that ignores NaN (NaN only where both are NaN)."))


def _heaviside_kernel(a, b):
    xp = xp_of(a)
    return xp.where(a == 0, b, (a > 0).astype(a.dtype))


_heaviside = BinaryOp("heaviside", _heaviside_kernel, SAME, not_implemented_node("heaviside"),
                      True).apply


@export("torch", "Tensor", "Tensor_")
def heaviside(input, values, *, out=None):
    """0 where input < 0, values where input == 0, 1 where input > 0."""
    if not isinstance(values, Tensor):
        raise TypeError(f"heaviside(): argument 'values' (position 2) must be Tensor, not "
                        f"{type(values).__name__}")
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different "
                           "dtypes.")
    return finish_out(_heaviside(input, values), out, "heaviside", (input, values))


_gcd = BinaryOp("gcd", np.gcd, INT_ONLY, _bit_node, False, "gcd_cpu").apply
_lcm = BinaryOp("lcm", np.lcm, INT_ONLY, _bit_node, False, "lcm_cpu").apply
gcd = export("torch", "torch_", "Tensor", "Tensor_")(_of_two_tensors(
    _gcd, "gcd", "Greatest common divisor (integers only), >= 0."))
lcm = export("torch", "torch_", "Tensor", "Tensor_")(_of_two_tensors(
    _lcm, "lcm", "Least common multiple (integers only), >= 0."))
hypot = export("torch", "Tensor", "Tensor_")(_of_two_tensors(
    _hypot, "hypot", "sqrt(input^2 + other^2) without overflow."))
logaddexp = export("torch", "Tensor")(_of_two_tensors(
    _logaddexp, "logaddexp", "log(exp(input) + exp(other)) computed stably."))
logaddexp2 = export("torch", "Tensor")(_of_two_tensors(
    _logaddexp2, "logaddexp2", "log2(2^input + 2^other) computed stably."))


arctan2 = _alias(atan2, "arctan2", "torch", "Tensor", "Tensor_")


@export("torch", "Tensor")
def float_power(input, exponent, *, out=None):
    """pow computed in double precision (float64 result)."""
    base = input.to(float64) if isinstance(input, Tensor) else input
    exp = exponent.to(float64) if isinstance(exponent, Tensor) else exponent
    if not isinstance(base, Tensor):
        base = float(operand(base, "float_power"))
    elif not isinstance(exp, Tensor):
        exp = operand(exp, "float_power")
        exp = exp if isinstance(exp, int) and not isinstance(exp, bool) else float(exp)
    return pow(base, exp, out=out)


@export("Tensor")
def float_power_(self, exponent):
    """In-place float_power: self must already be float64, the result's dtype."""
    if self.dtype.name != "float64":
        raise RuntimeError(f"the base given to float_power_ has dtype {self.dtype.short} but "
                           "the operation's result requires dtype Double")
    return apply_inplace(self, float_power, exponent)


# ---- ops of three operands -----------------------------------------------------------------

@derivative
def LerpBackward0(node, grad):
    """lerp with a number weight."""
    w, = node.params
    return grad * (1 - w), grad * w


@derivative
def LerpBackward1(node, grad):
    """lerp with a tensor weight."""
    a, b, w = node.saved
    return (grad * (1 - w) if a._rg else None, grad * w if b._rg else None,
            grad * (b - a) if w._rg else None)


@export("torch", "Tensor")
def lerp(input, end, weight, *, out=None):
    """input + weight * (end - input)."""
    a = tensor_input(input, "lerp")
    e = tensor_other(end, "lerp")
    for what, t in (("end", e), ("weight", weight)):
        if isinstance(t, Tensor) and t.dtype is not a.dtype:
            names = TYPEMETA_NAMES
            raise RuntimeError(f"expected dtype {names[a.dtype.name]} for `{what}` but got "
                               f"dtype {names[t.dtype.name]}")
    tensor_w = isinstance(weight, Tensor)
    if a.dtype.category < FLOATING:
        kernel = "lerp_kernel_tensor" if tensor_w else "lerp_kernel_scalar"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{a.dtype.short}\'')
    same_device(a, e, weight)
    w = weight._data if tensor_w else operand(weight, "lerp")
    r = wrap(broadcast_op(lambda x, y, t: lerp_kernel(x, y, t, x.dtype).astype(
        x.dtype, copy=False), a._data, e._data, w))
    if tensor_w:
        record_if(LerpBackward1, r, (a, e, weight), save=(a, e, weight))
    else:
        record_if(LerpBackward0, r, (a, e), (w,))
    return finish_out(r, out, "lerp", (a, e, weight))


# x.lerp_(end, weight): straight into x's memory when it can (an optimizer's step)
lerp_ = export("Tensor")(direct_ternary(lerp_in_place, make_inplace(lerp)))


@derivative
def AddcmulBackward0(node, grad):
    t1, t2 = node.saved
    v, = node.params
    return (grad, grad * t2 * v if t1._rg else None, grad * t1 * v if t2._rg else None)


@derivative
def AddcdivBackward0(node, grad):
    t1, t2 = node.saved
    v, = node.params
    return (grad, grad * v / t2 if t1._rg else None,
            -grad * v * t1 / (t2 * t2) if t2._rg else None)


_ADDCDIV_INT_ERROR = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
    "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can "
    "be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
    "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
    "addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
    "tensor2), for all dtypes.")


def _addc(name, input, tensor1, tensor2, value, out, node):
    a = tensor_input(input, name)
    t1 = tensor_other(tensor1, name)
    t2 = tensor_other(tensor2, name)
    if name == "addcdiv" and t1.dtype.category <= INTEGRAL and t2.dtype.category <= INTEGRAL:
        raise RuntimeError(_ADDCDIV_INT_ERROR)
    rt, (ad, d1, d2) = promoted(a, t1, t2)
    v = operand(value, name)
    if rt.category <= INTEGRAL:
        v = int(v)
    if name == "addcmul":
        r = broadcast_op(lambda x, y, z: addcmul_kernel(x, y, z, v, rt.np), ad, d1, d2)
    else:
        r = broadcast_op(lambda x, y, z: addcdiv_kernel(x, y, z, v, rt.np), ad, d1, d2)
    r = wrap(r.astype(rt.np, copy=False))
    record_if(node, r, (a, t1, t2), (float(v) if rt.category >= FLOATING else v,),
              save=(t1, t2))
    return finish_out(r, out, name, (a, t1, t2))


@export("torch", "Tensor")
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 * tensor2."""
    return _addc("addcmul", input, tensor1, tensor2, value, out, AddcmulBackward0)


addcmul_ = export("Tensor")(direct_ternary(addcmul_in_place, make_inplace(addcmul)))


@export("torch", "Tensor")
def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 / tensor2 (true division)."""
    return _addc("addcdiv", input, tensor1, tensor2, value, out, AddcdivBackward0)


addcdiv_ = export("Tensor")(direct_ternary(addcdiv_in_place, make_inplace(addcdiv)))


# ---- floating-point representation: frexp, ldexp, nextafter --------------------------------

frexp_result = named_result("frexp", "mantissa", "exponent")
frexp_out_result = named_result("frexp_out", "mantissa", "exponent")


@derivative
def FrexpBackward0(node, grad):
    """mantissa = x / 2**exponent, the exponent held constant."""
    return grad / node.params


@export("torch", "Tensor")
def frexp(input, *, out=None):
    """(mantissa, exponent): input = mantissa * 2**exponent, |mantissa| in [0.5, 1)."""
    if tensor_input(input, "frexp").dtype.category != FLOATING:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    xd = dense(input, 2 * input._data.itemsize + 4)    # mantissa, scale, int32 exponent
    xp = xp_of(xd)
    m, e = xp.frexp(xd)
    exponent = wrap(e.astype(np.int32))
    scale = wrap(xp.ldexp(xp.ones((), xd.dtype), e))
    mantissa = record_if(FrexpBackward0, wrap(m), (input,), scale)
    if out is None:
        return frexp_result(mantissa, exponent)
    return frexp_out_result(*(finish_out(r, o, "frexp", (input,))
                              for r, o in zip((mantissa, exponent), out)))


@derivative
def LdexpBackward0(node, grad):
    """input * 2**other: d/dinput = 2**other, d/dother = out * ln 2."""
    x, other = node.saved
    power = node.params
    return (grad * power if x._rg else None,
            grad * x * power * _LN2 if other._rg else None)


@export("torch", "torch_", "Tensor", "Tensor_")
def ldexp(input, other, *, out=None):
    """input * 2**other, in input's and other's floating dtype."""
    a, b = tensor_input(input, "ldexp"), tensor_other(other, "ldexp")
    dt = result_dtype(a, b)
    if dt.category < FLOATING:
        dt = DEFAULTS.float_dtype
    with no_grad():
        power = b.to(dt).exp2()
        r = a.to(dt) * power
    r = record_if(LdexpBackward0, r, (a, b), power, save=(a, b))
    return finish_out(r, out, "ldexp", (a, b))


@binary("nextafter", np.nextafter, rule=FLOAT_ONLY)
def _nextafter(grad, a, b, out, p):
    """PyTorch passes the gradient through to input (and none to other)."""
    return grad, None


@export("torch", "Tensor", "Tensor_")
def nextafter(input, other, *, out=None):
    """The next floating-point value after input towards other."""
    a, b = tensor_input(input, "nextafter"), tensor_other(other, "nextafter")
    return finish_out(_nextafter(a, b), out, "nextafter", (a, b))
