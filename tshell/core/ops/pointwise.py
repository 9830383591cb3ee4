"""Elementwise ops: arithmetic, maths functions, comparisons.

Each op is one block: the decorator names the op, its forward on arrays and its dtype rule;
the decorated function is its derivative, written with tensor ops (so create_graph=True
records it). `grad` is the incoming gradient, `out` the op's result.
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import GradMode, Node, reads_the_other
from ..backend import BY_ARRAY_TYPE, is_writeable, xp_of
from ..dtypes import (ON_DEFAULT_CHANGE, FLOATING, INTEGRAL, DEFAULTS, FROM_NUMPY, bool_,
                      TYPEMETA_NAMES, binary_result_type, int64, scalar_dtype)
from ..tensor import Tensor, record, saved_output, wrap
from .backward_ops import sigmoid_backward, tanh_backward, threshold_backward
from .common import (broadcast_error, dense, finish_out, half_as_float, same_device,
                     shape_bound)
from . import gamma_functions
from .blas import axpy
from .fma import (add_scaled, addcdiv as addcdiv_kernel, addcmul as addcmul_kernel,
                  lerp as lerp_kernel)

_new = object.__new__

np.seterr(all="ignore")  # PyTorch gives inf/nan silently; so do we

_NUMBER = (bool, int, float, complex, np.number, np.bool_)

# Dtype rules -------------------------------------------------------------------------------
SAME = "same"          # result has the input's (promoted) dtype
FLOAT = "float"        # integers and bool compute in the default float dtype
TO_BOOL = "bool"       # comparisons and predicates
INT_ONLY = "int_only"  # bitwise ops: integers and bool only
FLOAT_ONLY = "float_only"  # ops PyTorch has no integer kernel for (hypot, logaddexp)


def _compute_dtype(dt, rule):
    """The dtype an op computes in, given its (promoted) input dtype."""
    if rule == FLOAT and dt.category < FLOATING:
        return DEFAULTS.float_dtype
    return dt


def camel(name):
    return "".join(p.capitalize() for p in name.split("_"))


class PointwiseNode(Node):
    """Backward of an elementwise op: calls the op's declared derivative."""

    __slots__ = ()
    derivative = None
    saves_out = False

    def backward(self, grad):
        out = saved_output(self) if self._out_meta is not None else None
        saved = self.saved
        return self.derivative(grad, saved[0] if saved else None, out, self.params)


def _node_class(grad_fn, derivative, saves_out):
    return type(grad_fn, (PointwiseNode,), {"__slots__": (), "saves_out": saves_out,
                                            "derivative": staticmethod(derivative)})


# ---- unary ---------------------------------------------------------------------------------

def unary(name, forward, rule=FLOAT, grad_fn=None, saves_out=False, differentiable=True,
          saves_input=None, on_bool=None, float_only=None):
    """Declare an elementwise op of one tensor; decorates its derivative(grad, x, out, p).

    A derivative written with `out` gets x=None: its input is not kept alive for backward
    (as in PyTorch, relu's graph holds only its result). on_bool: what PyTorch does with a
    bool tensor, when not the rule's: an exception to raise, or the dtype to compute in.
    float_only: PyTorch's kernel name when the op refuses integer and bool tensors.
    The op's `params=` (an op's own arguments: logit's eps) go to forward(xp, a, params)
    and to the derivative as `p`.
    """
    save_x = (not saves_out) if saves_input is None else saves_input
    fwd = getattr(np, forward) if isinstance(forward, str) else forward
    fname = forward if isinstance(forward, str) else None

    def declare(derivative):
        node_cls = _node_class(grad_fn or camel(name) + "Backward0", derivative, saves_out)

        def op(input, *, out=None, params=None):
            x = _as_tensor_arg(input, name)
            xd = x._data
            dt = FROM_NUMPY[xd.dtype]
            if float_only and dt.category < FLOATING:
                raise NotImplementedError(f'"{float_only}" not implemented for \'{dt.short}\'')
            cdt = _compute_dtype(dt, rule)
            if dt is bool_ and on_bool is not None:
                if isinstance(on_bool, Exception):
                    raise type(on_bool)(*on_bool.args)
                cdt = on_bool
            if xd.size > _SMALL:
                limits.check_dense(xd, cdt.itemsize)
            if cdt is not dt:
                xd = xd.astype(cdt.np)
            xp = xp_of(xd)
            r = wrap(getattr(xp, fname)(xd) if fname else
                     fwd(xp, xd) if params is None else fwd(xp, xd, params))
            if rule == SAME and r._data.dtype != cdt.np:
                r._data = r._data.astype(cdt.np)
            if differentiable and GradMode.enabled and x._rg:
                record(node_cls, r, (x,), params, save=(x,) if save_x else (),
                       save_out=saves_out)
            return r if out is None else finish_out(r, out, name, (x,))

        op.__name__ = op.__qualname__ = name
        op.__doc__ = derivative.__doc__
        op.node = node_cls
        return op
    return declare


def _as_tensor_arg(x, fn):
    if x.__class__ is Tensor or isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                    f"{type(x).__name__}")


@unary("_neg", "negative", rule=SAME, grad_fn="NegBackward0", saves_input=False)
def _neg(grad, x, out, p):
    return -grad


def neg(input, *, out=None):
    """-x (not defined for bool tensors, as in PyTorch)."""
    if isinstance(input, Tensor) and input._data.dtype == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return _neg(input, out=out)


negative = neg


@unary("conj_copy", "conjugate", rule=SAME, grad_fn="ConjBackward0", saves_input=False)
def conj_copy(grad, x, out, p):
    """The complex conjugate in new memory (PyTorch's conj() is a view with a conjugate bit,
    which tshell's tensors do not have)."""
    return conj_copy(grad)


@unary("exp", "exp", saves_out=True)
def exp(grad, x, out, p):
    """e to the power of each element."""
    return grad * out


@unary("log", "log")
def log(grad, x, out, p):
    """Natural logarithm."""
    return grad / x


@unary("log1p", "log1p", grad_fn="Log1PBackward0")
def log1p(grad, x, out, p):
    """log(1 + x), accurate for small x."""
    return grad / (x + 1)


@unary("log2", "log2")
def log2(grad, x, out, p):
    return grad / (x * 0.6931471805599453)


@unary("log10", "log10")
def log10(grad, x, out, p):
    return grad / (x * 2.302585092994046)


@unary("expm1", "expm1", saves_out=True)
def expm1(grad, x, out, p):
    return grad * (out + 1)


@unary("sqrt", "sqrt", saves_out=True)
def sqrt(grad, x, out, p):
    """Square root."""
    return grad / (out * 2)


@unary("rsqrt", lambda xp, a: 1 / xp.sqrt(a), saves_out=True)
def rsqrt(grad, x, out, p):
    """1 / sqrt(x)."""
    return grad * out.pow(3) * -0.5


@unary("sin", "sin")
def sin(grad, x, out, p):
    return grad * x.cos()


@unary("cos", "cos")
def cos(grad, x, out, p):
    return grad * -x.sin()


@unary("tan", "tan", saves_out=True)
def tan(grad, x, out, p):
    return grad * (out * out + 1)


@unary("tanh", "tanh", saves_out=True)
def tanh(grad, x, out, p):
    return tanh_backward(grad, out)


@unary("sigmoid", lambda xp, a: sigmoid_kernel(xp, a), saves_out=True)
def sigmoid(grad, x, out, p):
    """1 / (1 + exp(-x))."""
    return sigmoid_backward(grad, out)


def sigmoid_kernel(xp, a):
    """sigmoid of an array (also the LSTM layer's, ops/rnn.py): the plain formula, as
    PyTorch computes it, exp overflow giving exactly 0; half precision in float, rounded
    once."""
    return (1 / (1 + xp.exp(-half_as_float(a)))).astype(a.dtype, copy=False)


@unary("relu", lambda xp, a: xp.maximum(a, 0).astype(a.dtype, copy=False), rule=SAME,
       saves_out=True, on_bool=RuntimeError("Boolean inputs not supported for relu"))
def relu(grad, x, out, p):
    """max(x, 0)."""
    return threshold_backward(grad, out, 0)


@unary("abs", "abs", rule=SAME,
       on_bool=NotImplementedError('"abs_cpu" not implemented for \'Bool\''))
def abs(grad, x, out, p):
    return grad * x.sign()


def _sign_kernel(xp, a):
    """PyTorch's (0 < x) - (x < 0): nan gives 0; bool stays bool."""
    if a.dtype.kind == "b":
        return a.copy()
    if a.dtype.kind in "iu":
        return xp.sign(a)
    return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


@unary("sign", _sign_kernel, rule=SAME, saves_input=False)
def sign(grad, x, out, p):
    return grad * 0


@unary("floor", lambda xp, a: a.copy() if a.dtype.kind in "biu" else xp.floor(a), rule=SAME,
       saves_input=False,
       on_bool=NotImplementedError('"floor_vml_cpu" not implemented for \'Bool\''))
def floor(grad, x, out, p):
    return grad * 0


@unary("ceil", lambda xp, a: a.copy() if a.dtype.kind in "biu" else xp.ceil(a), rule=SAME,
       saves_input=False,
       on_bool=NotImplementedError('"ceil_vml_cpu" not implemented for \'Bool\''))
def ceil(grad, x, out, p):
    return grad * 0


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


@unary("reciprocal", lambda xp, a: 1 / a, saves_out=True)
def reciprocal(grad, x, out, p):
    return grad * -(out * out)


@unary("square", "square", rule=SAME, grad_fn="PowBackward0", on_bool=int64)
def square(grad, x, out, p):
    return grad * x * 2


@unary("sinh", "sinh")
def sinh(grad, x, out, p):
    return grad * x.cosh()


@unary("cosh", "cosh")
def cosh(grad, x, out, p):
    return grad * x.sinh()


@unary("asin", "arcsin")
def asin(grad, x, out, p):
    return grad * (1 - x * x).rsqrt()


@unary("acos", "arccos")
def acos(grad, x, out, p):
    return -grad * (1 - x * x).rsqrt()


@unary("atan", "arctan")
def atan(grad, x, out, p):
    return grad / (x * x + 1)


def _predicate(name):
    """An elementwise test with a bool result (NumPy's function of the same name)."""
    return unary(name, name, rule=TO_BOOL, differentiable=False)(lambda grad, x, out, p: None)


logical_not = _predicate("logical_not")
isnan = _predicate("isnan")
isinf = _predicate("isinf")
isfinite = _predicate("isfinite")


def round(input, decimals=0, *, out=None):
    """Round half to even, as PyTorch does; `decimals` scales first."""
    if decimals == 0:
        return _round(input, out=out)
    scale = 10.0 ** decimals
    return finish_out(_round(input * scale) / scale, out, "round", (input,))


def positive(x):
    return x


# ---- binary --------------------------------------------------------------------------------

class BinaryOp:
    """An elementwise op of two operands (a tensor and a tensor or Python number).

    `apply(a, b, params=None)` runs it: a closure over the op's state rather than a method,
    since it is the hot path of every arithmetic operator (a plain function call costs a third
    of calling an object). It is also the operator method itself (`Tensor.__mul__`): operands
    other than tensors and Python numbers go to `general`, the operator's general form (which
    converts them or returns NotImplemented).
    """

    def __init__(self, name, forward, rule, node_cls, differentiable, bool_kernel=None):
        self.name = name
        self.forward = forward
        self.rule = rule
        self.node = node_cls
        self.differentiable = differentiable
        self.plans = {}
        self.bool_kernel = bool_kernel     # PyTorch's kernel name when it refuses bool operands
        self.general = None     # set by methods._binop for ops that are operators
        ON_DEFAULT_CHANGE.append(self.plans.clear)
        self.apply = self._make_apply()
        self.apply.op = self
        self.apply.__name__ = self.apply.__qualname__ = name

    def _plan(self, a, b, key):
        """(compute dtype, result dtype, cast a?, cast b?) for these operand kinds; cached."""
        ad = a._data
        if isinstance(b, Tensor):
            kind = "dim" if b._data.ndim else "zero"
            bdt = FROM_NUMPY[b._data.dtype]
        else:
            kind, bdt = "scalar", scalar_dtype(b)
        rt = binary_result_type(FROM_NUMPY[ad.dtype], ad.ndim != 0, bdt, kind)
        if self.rule == INT_ONLY and rt.category > INTEGRAL or \
                self.rule == FLOAT_ONLY and rt.category < FLOATING:
            raise NotImplementedError(f'"{self.name}_cpu" not implemented for '
                                      f"'{rt.short}'")
        if rt is bool_ and self.bool_kernel and self.name != "pow_scalar":
            raise NotImplementedError(f'"{self.bool_kernel}" not implemented for \'Bool\'')
        cdt = _compute_dtype(rt, self.rule)
        rdt = bool_ if self.rule == TO_BOOL else cdt
        plan = (cdt.np, rdt.np, ad.dtype != cdt.np,
                isinstance(b, Tensor) and b._data.dtype != cdt.np,
                cdt.np.kind in "iu",         # an int scalar may need wrapping (wrap_int)
                max(cdt.itemsize, rdt.itemsize))     # per element of result or cast copy
        self.plans[key] = plan
        return plan

    def _make_apply(self):
        plans, forward, make_plan = self.plans, self.forward, self._plan
        op = self

        def apply(a, b, params=None):
            ad = a._data
            if b.__class__ is Tensor:
                bd = b._data
                key = (ad.dtype, ad.ndim, bd.dtype, bd.ndim)     # raw ndims: no compares
                plan = plans.get(key) or make_plan(a, b, key)
                if ad.size * bd.size > _SMALL:
                    _check_operands(ad, bd, plan)     # the result may be big
                if plan[3]:
                    bd = bd.astype(plan[0])
                if type(bd) is not type(ad):
                    same_device(a, b)
            else:
                bd = b
                key = (ad.dtype, ad.ndim != 0, b.__class__)
                plan = plans.get(key)
                if plan is None:
                    if b.__class__ not in _SCALARS:      # np.float64, str, None...
                        return op.general(a, b) if op.general else NotImplemented
                    plan = make_plan(a, b, key)
                if plan[4] and b.__class__ is int:
                    bd = wrap_int(b, plan[0])
                if ad.size > _SMALL:
                    limits.check_dense(ad, plan[5])     # a may be an expanded view
            if plan[2]:
                ad = ad.astype(plan[0])
            try:
                r = forward(ad, bd) if params is None else forward(ad, bd, params)
            except ValueError:
                if b.__class__ is Tensor:
                    raise broadcast_error(a._data.shape, b._data.shape) from None
                raise
            if r.__class__ not in BY_ARRAY_TYPE:
                r = BY_ARRAY_TYPE[ad.__class__].xp.asarray(r)
            if r.dtype is not plan[1]:
                r = r.astype(plan[1], copy=False)
            out = _new(Tensor)
            out._data = r
            if GradMode.enabled and op.differentiable and (
                    a._rg or (b.__class__ is Tensor and b._rg)):
                node = op.node
                record(node, out, (a, b), params, save=(a, b) if node.saves_inputs else ())
            return out
        return apply


# The Python numbers a binary op takes as they are (others are converted or refused).
_SCALARS = frozenset((int, float, bool, complex))


def wrap_int(value, np_dtype):
    """A Python int converted to an integer dtype as PyTorch converts a scalar operand:
    out of range, it wraps (uint8 + 300 adds 44; int8 > 200 compares with -56)."""
    info = np.iinfo(np_dtype)
    if info.min <= value <= info.max:
        return value
    v = value & ((1 << info.bits) - 1)
    return v - (1 << info.bits) if info.min < 0 and v > info.max else v


# Operands whose sizes multiply to at most this cannot broadcast to more than 1 MiB (16-byte
# items): the hot path of small tensors skips the shape arithmetic of the memory cap.
_SMALL = limits.SMALL


def _check_operands(ad, bd, plan):
    """The memory cap for a op b: a's size when b's shape ends a's (`x + bias`: no shape
    arithmetic), else the broadcast shape's."""
    if bd.ndim <= ad.ndim and ad.shape[ad.ndim - bd.ndim:] == bd.shape:
        limits.check_dense(ad, plan[5])
    else:
        _check_broadcast(ad.shape, bd.shape, plan[5])


def _check_broadcast(a_shape, b_shape, itemsize):
    """The memory cap for the broadcast result of two shapes."""
    limits.check_result(shape_bound(a_shape, b_shape), itemsize)


_UFUNC_OF = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide}


def write_in_place(op_name, a, b):
    """a op= b straight into a's memory, when no autograd, cast or broadcast of a is needed.

    Returns False to send the caller down the general path (which also words the errors).
    """
    ufunc = _UFUNC_OF.get(op_name)
    if ufunc is None or GradMode.enabled and (a._rg or b.__class__ is Tensor and b._rg):
        return False
    op = _BINARY_OPS[op_name].op
    ad = a._data
    if b.__class__ is Tensor:
        bd = b._data
        key = (ad.dtype, ad.ndim, bd.dtype, bd.ndim)
        if type(bd) is not type(ad):
            return False
    elif b.__class__ is float or b.__class__ is int and (
            ad.dtype.kind not in "iu" or wrap_int(b, ad.dtype) == b):
        bd = b
        key = (ad.dtype, ad.ndim != 0, b.__class__)
    else:
        return False
    plan = op.plans.get(key) or op._plan(a, b, key)
    if plan[2] or plan[1] is not ad.dtype or not is_writeable(ad) or 0 in ad.strides:
        return False
    if b.__class__ is Tensor and plan[3]:
        bd = bd.astype(plan[0])
    try:
        ufunc(ad, bd, out=ad)
    except ValueError:   # b does not broadcast to a's shape: the general path says why
        return False
    a._bump()
    return True


def add_scaled_in_place(a, b, alpha):
    """a += alpha * b straight into a's memory through BLAS's axpy (one rounding, as
    PyTorch's add_ with alpha), when no autograd, cast or broadcast is involved.

    Returns False to send the caller down the general path.
    """
    if b.__class__ is not Tensor or alpha.__class__ not in (float, int) or GradMode.enabled \
            and (a._rg or b._rg or a._nograd_view):
        return False
    if not axpy(a._data, b._data, alpha):
        return False
    a._bump()
    return True


def _direct_target(x, *others):
    """x's array when an in-place op of x and `others` may write straight into it: no
    autograd involved, every tensor of x's dtype and device, x writeable and not expanded,
    and the operands broadcasting to x's shape. None sends the caller down the general path
    (which also words the errors)."""
    if GradMode.enabled and (x._rg or x._nograd_view or any(
            o.__class__ is Tensor and o._rg for o in others)):
        return None
    xd = x._data
    shapes = [xd.shape]
    for o in others:
        if o.__class__ is Tensor:
            od = o._data
            if od.dtype != xd.dtype or type(od) is not type(xd):
                return None
            shapes.append(od.shape)
        elif o.__class__ not in (float, int):
            return None
    if not is_writeable(xd) or 0 in xd.strides or xd.dtype.kind not in "fV":
        return None
    try:
        if np.broadcast_shapes(*shapes) != xd.shape:
            return None
    except ValueError:
        return None
    return xd


def _data_of(v):
    return v._data if v.__class__ is Tensor else v


def lerp_in_place(x, end, weight):
    """x.lerp_(end, weight) written straight into x (see _direct_target); False: not done."""
    xd = _direct_target(x, end, weight)
    if xd is None or end.__class__ is not Tensor:
        return False
    lerp_kernel(xd, end._data, _data_of(weight), xd.dtype, out=xd)
    x._bump()
    return True


def addc_in_place(kernel):
    """x.addcmul_(t1, t2, value=) / x.addcdiv_(...) written straight into x; False: not
    done."""
    def write(x, tensor1, tensor2, value=1):
        xd = _direct_target(x, tensor1, tensor2)
        if xd is None or tensor1.__class__ is not Tensor or tensor2.__class__ is not Tensor \
                or value.__class__ not in (float, int):
            return False
        kernel(xd, tensor1._data, tensor2._data, value, xd.dtype, out=xd)
        x._bump()
        return True
    return write


addcmul_in_place = addc_in_place(addcmul_kernel)
addcdiv_in_place = addc_in_place(addcdiv_kernel)


class BinaryNode(PointwiseNode):
    __slots__ = ()
    saves_inputs = True

    def backward(self, grad):
        a, b = self.saved if self.saves_inputs else (None, None)
        out = saved_output(self) if self._out_meta is not None else None
        return self.derivative(grad, a, b, out, self.params)


def binary(name, forward, rule=SAME, grad_fn=None, differentiable=True, saves_inputs=True,
           bool_kernel=None, reads_saved=None):
    """Declare an elementwise op of two operands; decorates derivative(grad, a, b, out, p).

    bool_kernel: PyTorch's kernel name when the op refuses bool operands.
    reads_saved: see Node.reads_saved (which saved operands PyTorch would have saved).
    """
    def declare(derivative):
        node_cls = type(grad_fn or camel(name) + "Backward0", (BinaryNode,),
                        {"__slots__": (), "derivative": staticmethod(derivative),
                         "saves_inputs": saves_inputs,
                         "reads_saved": reads_saved and staticmethod(reads_saved)})
        return BinaryOp(name, forward, rule, node_cls, differentiable, bool_kernel).apply
    return declare


def _needs_grad(b):
    """Whether the second operand of a binary op (a tensor or a number) takes a gradient."""
    return b.__class__ is Tensor and b._rg


# add's alpha multiplies with one rounding (fma.py), as PyTorch's kernels do
@binary("add", lambda a, b, alpha=1: add_scaled(a, b, alpha, a.dtype) if alpha != 1
        else a + b, saves_inputs=False)
def _add(grad, a, b, out, alpha):
    return grad, (grad if alpha in (None, 1) else grad * alpha)


@binary("sub", lambda a, b, alpha=1: add_scaled(a, b, -alpha, a.dtype) if alpha != 1
        else a - b, saves_inputs=False)
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


@binary("mul", np.multiply, reads_saved=reads_the_other)
def _mul(grad, a, b, out, p):
    # Only the gradients that flow somewhere are computed (`y * 3` needs one product).
    return grad * b if a._rg else None, grad * a if _needs_grad(b) else None


@binary("div", np.true_divide, rule=FLOAT, reads_saved=_divisor_needs_grad)
def _div(grad, a, b, out, p):
    ga = grad / b
    # PyTorch's div_tensor_other_backward: -grad * ((self / other) / other)
    gb = -grad * ((a / b) / b) if _needs_grad(b) else None
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


class NotImplementedNode(PointwiseNode):
    """grad_fn of ops PyTorch gives no derivative (`x // 2` shows grad_fn=<NotImplemented>)."""

    __slots__ = ()
    op_name = ""
    qualified_name = "torch::autograd::NotImplemented"

    def backward(self, grad):
        raise RuntimeError(f"derivative for aten::{self.op_name} is not implemented")


def not_implemented_node(op_name):
    """The grad_fn class of an op PyTorch has no derivative for."""
    return type("NotImplemented", (NotImplementedNode,), {"__slots__": (), "op_name": op_name,
                                                          "saves_inputs": False})


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
    gb = -grad * a.div(b, rounding_mode="floor") if _needs_grad(b) else None
    return grad, gb


def _fmod_grad(grad, a, b, out, p):
    gb = -grad * a.div(b, rounding_mode="trunc") if _needs_grad(b) else None
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
    ga = grad * b * a.pow(b - 1)
    gb = None
    if _needs_grad(b):      # PyTorch's pow_backward_exponent: 0 where a == 0 and b >= 0
        gb = grad * where((a == 0) & (b >= 0), 0.0, a.pow(b) * a.log())
    return ga, gb


@binary("pow_scalar", _pow_forward, grad_fn="PowBackward0", bool_kernel="pow")
def _pow_scalar(grad, a, b, out, p):
    if b == 0:
        return grad * 0, None
    return grad * b * a.pow(b - 1), None


def _rpow_forward(a, b):
    if a.dtype.kind in "iu" and not isinstance(b, float) and (a < 0).any():
        return _int_pow_negative(xp_of(a).asarray(b, a.dtype), a, xp_of(a))
    return b ** a


@binary("rpow", _rpow_forward, rule=SAME, grad_fn="PowBackward2", bool_kernel="pow")
def _rpow(grad, a, b, out, p):
    import math
    return grad * (b ** a) * (math.log(b) if b > 0 else float("nan")), None


@binary("maximum", np.maximum)
def _maximum(grad, a, b, out, p):
    half = (a == b) * 0.5
    return (grad * ((a > b) + half) if a._rg else None,
            grad * ((a < b) + half) if _needs_grad(b) else None)


@binary("minimum", np.minimum)
def _minimum(grad, a, b, out, p):
    half = (a == b) * 0.5
    return (grad * ((a < b) + half) if a._rg else None,
            grad * ((a > b) + half) if _needs_grad(b) else None)


@binary("atan2", np.arctan2, rule=FLOAT)
def _atan2(grad, a, b, out, p):
    d = a * a + b * b
    return grad * b / d if a._rg else None, -grad * a / d if _needs_grad(b) else None


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


# ---- public functional forms -------------------------------------------------------------

def _operand(x, fn):
    if x.__class__ is Tensor or isinstance(x, (Tensor,) + _NUMBER):
        return x.item() if isinstance(x, (np.number, np.bool_)) else x
    raise TypeError(f"{fn}(): argument 'other' must be Tensor or Number, not "
                    f"{type(x).__name__}")


def _lhs(a, b, fn):
    """Order operands so that the first one is a tensor."""
    if a.__class__ is not Tensor and not isinstance(a, Tensor):
        if isinstance(b, Tensor):
            from .creation import scalar_tensor_like
            return scalar_tensor_like(_operand(a, fn), b), b
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(a).__name__}")
    return a, _operand(b, fn)


def _scalar_argument(value):
    """A Scalar argument (alpha, value): a one-element tensor counts as its number, as in
    PyTorch's argument parser."""
    return value.item() if isinstance(value, Tensor) else value


def _check_alpha(a, b, alpha):
    if isinstance(alpha, float) and a.dtype.category <= INTEGRAL and (
            not isinstance(b, Tensor) or b.dtype.category <= INTEGRAL) and not isinstance(
            b, float):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    if isinstance(alpha, int) and a.dtype.category == INTEGRAL:
        from ..dtypes import check_fits
        check_fits(alpha, a.dtype)


def add(input, other, *, alpha=1, out=None):
    a, b = _lhs(input, other, "add")
    alpha = _scalar_argument(alpha)
    if alpha != 1:
        _check_alpha(a, b, alpha)
    r = _add(a, b, alpha if alpha != 1 else None)
    return r if out is None else finish_out(r, out, "add", (a, b))


def sub(input, other, *, alpha=1, out=None):
    a, b = _lhs(input, other, "sub")
    alpha = _scalar_argument(alpha)
    if alpha != 1:
        _check_alpha(a, b, alpha)
    _check_bool_sub(a, b)
    return finish_out(_sub(a, b, alpha if alpha != 1 else None), out, "sub", (a, b))


subtract = sub


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


def rsub(input, other, *, alpha=1):
    _check_bool_sub(input, other)
    return _rsub(input, _operand(other, "rsub"), alpha if alpha != 1 else None)


def mul(input, other, *, out=None):
    a, b = _lhs(input, other, "mul")
    return finish_out(_mul(a, b), out, "mul", (a, b))


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    a, b = _lhs(input, other, "div")
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


divide = div


def true_divide(input, other, *, out=None):
    return div(input, other, out=out)


def floor_divide(input, other, *, out=None):
    a, b = _lhs(input, other, "floor_divide")
    _check_int_zero_division(a, b)
    return finish_out(floor_divide_op(a, b), out, "floor_divide", (a, b))


def rfloor_divide(input, other):
    """other // input for a Python number other."""
    other = _operand(other, "floor_divide")
    _check_int_zero_division_r(other, input)
    return rfloor_divide_op(input, other)


def rremainder(input, other):
    """other % input for a Python number other."""
    other = _operand(other, "remainder")
    _check_int_zero_division_r(other, input)
    return _rremainder(input, other)


def _check_int_zero_division_r(number, t):
    """PyTorch's error for number // t and number % t when the result is an integer type."""
    if t.dtype.category <= INTEGRAL and not isinstance(number, (float, complex)) and \
            not (t.dtype is bool_ and isinstance(number, bool)) and (dense(t, 1) == 0).any():
        raise RuntimeError("ZeroDivisionError")


def remainder(input, other, *, out=None):
    a, b = _lhs(input, other, "remainder")
    _check_int_zero_division(a, b)
    op = _remainder_tensor if isinstance(b, Tensor) else _remainder
    return finish_out(op(a, b), out, "remainder", (a, b))


def fmod(input, other, *, out=None):
    a, b = _lhs(input, other, "fmod")
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


def pow(input, exponent, *, out=None):
    if not isinstance(input, Tensor):
        if not isinstance(exponent, Tensor):
            raise TypeError("pow(): argument 'input' must be Tensor or Number")
        return finish_out(_rpow(exponent, _operand(input, "pow")), out, "pow", (exponent,))
    b = _operand(exponent, "pow")
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
        return finish_out(op(input, _tensor_other(other, name)), out, name, (input, other))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


maximum = _of_two_tensors(_maximum, "maximum")
minimum = _of_two_tensors(_minimum, "minimum")
atan2 = _of_two_tensors(_atan2, "atan2")


def _tensor_other(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(x).__name__}")
    return x


def _cmp(op, fn):
    def compare(input, other, *, out=None):
        a, b = _lhs(input, other, fn)
        return finish_out(op(a, b), out, fn, (a, b))
    compare.__name__ = fn
    return compare


eq = _cmp(eq_op, "eq")
ne = _cmp(ne_op, "ne")
lt = _cmp(lt_op, "lt")
le = _cmp(le_op, "le")
gt = _cmp(gt_op, "gt")
ge = _cmp(ge_op, "ge")
less, less_equal, greater, greater_equal, not_equal = lt, le, gt, ge, ne
bitwise_and = _cmp(and_op, "bitwise_and")
bitwise_or = _cmp(or_op, "bitwise_or")
bitwise_xor = _cmp(xor_op, "bitwise_xor")


def logical_and(input, other):
    return input.bool() & _as_bool(other)


def logical_or(input, other):
    return input.bool() | _as_bool(other)


def logical_xor(input, other):
    return input.bool() ^ _as_bool(other)


def _as_bool(x):
    return x.bool() if isinstance(x, Tensor) else bool(x)


def bitwise_not(input):
    if input.dtype.category > INTEGRAL:
        raise NotImplementedError(f"\"bitwise_not_cpu\" not implemented for "
                                  f"'{input.dtype.short}'")
    xd = dense(input)
    xp = xp_of(xd)
    return wrap(xp.logical_not(xd) if input.dtype is bool_ else xp.invert(xd))


# ---- ops with several tensor inputs ------------------------------------------------------

class WhereBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        cond, = self.saved
        return None, where(cond, grad, 0.0), where(cond, 0.0, grad)


def where(condition, input=None, other=None):
    """Elements of input where condition holds, else of other (broadcast)."""
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor) or condition.dtype is not bool_:
        got = condition.dtype.short if isinstance(condition, Tensor) else \
            type(condition).__name__
        raise RuntimeError("where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {got}")
    x = input if isinstance(input, Tensor) else None
    y = other if isinstance(other, Tensor) else None
    from ..dtypes import result_type_of
    dims, zeros, scalars = [], [], []
    for v in (input, other):
        if isinstance(v, Tensor):
            (dims if v.ndim else zeros).append(v.dtype)
        else:
            scalars.append(scalar_dtype(_operand(v, "where")))
    rt = result_type_of(dims, zeros, scalars)
    same_device(condition, x, y)
    xp = xp_of(condition._data)
    shape = shape_bound(*(t.shape for t in (condition, x, y) if t is not None))
    limits.check_result(shape, rt.itemsize)   # before the casts: x and y may be expanded
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
    inputs = (condition, input, other)
    if GradMode.enabled and ((x is not None and x._rg) or (y is not None and y._rg)):
        record(WhereBackward0, r, inputs, save=(condition,))
    return r


class ClampBackward1(Node):
    __slots__ = ()

    def backward(self, grad):
        x, = self.saved
        lo, hi = self.params
        keep = None
        if lo is not None:
            keep = x >= lo
        if hi is not None:
            keep = (x <= hi) if keep is None else keep & (x <= hi)
        return grad * keep


class ClampBackward0(Node):
    """clamp with tensor bounds."""
    __slots__ = ()

    def backward(self, grad):
        x, lo, hi = self.saved
        keep = None
        if lo is not None:
            keep = x >= lo
        if hi is not None:
            keep = (x <= hi) if keep is None else keep & (x <= hi)
        glo = grad * (x < lo) if lo is not None and lo._rg else None
        ghi = grad * (x > hi) if hi is not None and hi._rg else None
        return grad * keep, glo, ghi


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
            if v is not None and not isinstance(v, _NUMBER):
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
        from ..dtypes import result_type_of
        dims, zeros, scalars = [], [], []
        for v in (input, min, max):
            if isinstance(v, Tensor):
                (dims if v.ndim else zeros).append(v.dtype)
            elif v is not None:
                scalars.append(scalar_dtype(v))
        rt = result_type_of(dims, zeros, scalars).np
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
    if GradMode.enabled and input._rg or tensor_bounds and needs_any(min, max):
        if tensor_bounds:
            record(ClampBackward0, r, (input, min, max), save=(input, min, max))
        else:
            record(node, r, (input,), (min, max), save=(input,))
    return finish_out(r, out, "clamp", (input,))


def needs_any(*xs):
    return GradMode.enabled and any(isinstance(x, Tensor) and x._rg for x in xs)


clip = clamp


ClampMinBackward0 = type("ClampMinBackward0", (ClampBackward1,), {"__slots__": ()})
ClampMaxBackward0 = type("ClampMaxBackward0", (ClampBackward1,), {"__slots__": ()})


def clamp_min(input, min):
    return _clamp(input, min, None, None, ClampMinBackward0)


def clamp_max(input, max):
    return _clamp(input, None, max, None, ClampMaxBackward0)


_BINARY_OPS = {"add": _add, "sub": _sub, "mul": _mul, "div": _div}


# ---- more maths functions ------------------------------------------------------------------

_LN2 = 0.6931471805599453


@unary("exp2", "exp2", saves_out=True)
def exp2(grad, x, out, p):
    """2 to the power of each element."""
    return grad * out * _LN2


def _with_inplace_node(name, forward, derivative):
    """The op, and for its in-place twin (x.asinh_()) the same op recording PyTorch's
    other node name (AsinhBackward1)."""
    op = unary(name, forward)(derivative)
    op.inplace_op = unary(name, forward, grad_fn=camel(name) + "Backward1")(derivative)
    return op


asinh = _with_inplace_node("asinh", "arcsinh", lambda grad, x, out, p:
                           grad * (x * x + 1).rsqrt())
acosh = _with_inplace_node("acosh", "arccosh", lambda grad, x, out, p:
                           grad * (x * x - 1).rsqrt())
atanh = _with_inplace_node("atanh", "arctanh", lambda grad, x, out, p: grad / (1 - x * x))


def _scaled(factor):
    """x * factor, computed as PyTorch does: in the input's float type (half in float)."""
    return lambda xp, a: (half_as_float(a) * factor).astype(a.dtype, copy=False)


@unary("deg2rad", _scaled(math.pi / 180), grad_fn="Deg2RadBackward0", saves_input=False)
def deg2rad(grad, x, out, p):
    return grad * (math.pi / 180)


@unary("rad2deg", _scaled(180 / math.pi), grad_fn="Rad2DegBackward0", saves_input=False)
def rad2deg(grad, x, out, p):
    return grad * (180 / math.pi)


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


@unary("sinc", _sinc_kernel)
def sinc(grad, x, out, p):
    """sin(pi x) / (pi x), 1 at 0."""
    px = x * math.pi
    d = grad * (px * px.cos() - px.sin()) / (x * x * math.pi)
    return where(x == 0, 0.0, d)


@unary("sgn", _sign_kernel, rule=SAME, saves_input=False)
def sgn(grad, x, out, p):
    """sign(x) for real tensors."""
    return grad * 0


def _signbit_kernel(xp, a):
    if a.dtype.kind == "b":
        return xp.zeros(a.shape, dtype=np.bool_)
    return a < 0 if a.dtype.kind in "iu" else xp.signbit(half_as_float(a))


signbit = unary("signbit", _signbit_kernel, rule=TO_BOOL, differentiable=False)(
    lambda grad, x, out, p: None)


def _nan_to_num_kernel(xp, a, p=(0.0, None, None)):
    if a.dtype.kind in "biu":
        return a.copy()
    nan, posinf, neginf = p
    return xp.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)


@unary("_nan_to_num", _nan_to_num_kernel, rule=SAME, grad_fn="NanToNumBackward0")
def _nan_to_num(grad, x, out, p):
    return grad * x.isfinite()


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


def logit(input, eps=None, *, out=None):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given."""
    return _logit(input, out=out, params=eps)


# erf, erfc: W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969; the
# coefficients of his CALERF), good to float64's precision.
_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)
_RSQRTPI = 0.56418958354775628695


def cody_erf(xp, x, complement=False):
    """erf(x) (or erfc(x)) of a float64 array, with the array module's own operations.

    Three intervals of |x|: up to 0.46875 erf is a rational function of x^2; up to 4,
    erfc is exp(-x^2) times a rational function of |x|; beyond, exp(-x^2) / |x| times one of
    1/x^2. exp(-x^2) is computed as exp(-t^2) exp(-(|x|-t)(|x|+t)) with t = |x| rounded down
    to 1/16, which keeps its relative error at float64's rounding.
    """
    y = xp.abs(x)
    with np.errstate(all="ignore"):
        # |x| <= 0.46875
        z = y * y
        num, den = _ERF_A[4] * z, z
        for a, b in zip(_ERF_A[:3], _ERF_B[:3]):
            num, den = (num + a) * z, (den + b) * z
        small = x * (num + _ERF_A[3]) / (den + _ERF_B[3])
        # 0.46875 < |x| <= 4: erfc / exp(-x^2)
        num, den = _ERF_C[8] * y, y
        for c, d in zip(_ERF_C[:7], _ERF_D[:7]):
            num, den = (num + c) * y, (den + d) * y
        mid = (num + _ERF_C[7]) / (den + _ERF_D[7])
        # |x| > 4
        z = 1 / (y * y)
        num, den = _ERF_P[5] * z, z
        for p, q in zip(_ERF_P[:4], _ERF_Q[:4]):
            num, den = (num + p) * z, (den + q) * z
        big = (_RSQRTPI - z * (num + _ERF_P[4]) / (den + _ERF_Q[4])) / y
        t = xp.trunc(y * 16) / 16
        tail = xp.exp(-t * t) * xp.exp(-(y - t) * (y + t)) * xp.where(y <= 4, mid, big)
        tail = xp.where(y == np.inf, 0.0, tail)     # (inf - inf is nan)
    if complement:      # erfc: 1 - erf near 0, the tail for x > 0, 2 - tail for x < 0
        r = xp.where(x < 0, 2 - tail, tail)
        return xp.where(y <= 0.46875, 1 - small, r)
    r = xp.where(x < 0, tail - 1, 1 - tail)
    return xp.where(y <= 0.46875, small, xp.where(xp.isnan(x), x, r))


def _erf_forward(complement):
    def kernel(xp, a):
        return cody_erf(xp, a.astype(np.float64), complement).astype(a.dtype, copy=False)
    return kernel


_TWO_OVER_SQRTPI = 1.1283791670955126


@unary("erf", _erf_forward(False))
def erf(grad, x, out, p):
    """The error function, 2/sqrt(pi) times the integral of exp(-t^2) from 0 to x."""
    return grad * (-(x * x)).exp() * _TWO_OVER_SQRTPI


@unary("erfc", _erf_forward(True))
def erfc(grad, x, out, p):
    """1 - erf(x), accurate where erf(x) is close to 1."""
    return grad * (-(x * x)).exp() * -_TWO_OVER_SQRTPI


def _erfinv_kernel(xp, a):
    """PyTorch's erfinv: a rational first guess, then two Newton steps on erf."""
    y = a.astype(np.float64)
    ay = xp.abs(y)
    with np.errstate(all="ignore"):
        z = y * y
        num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899
        den = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1
        central = y * num / den
        z = xp.sqrt(-xp.log((1 - ay) / 2))
        num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454
        den = (1.637067800 * z + 3.543889200) * z + 1
        x = xp.where(ay <= 0.7, central, xp.copysign(num, y) / den)
        for _ in range(2):
            x = x - (cody_erf(xp, x) - y) / (_TWO_OVER_SQRTPI * xp.exp(-x * x))
    x = xp.where(ay == 1, xp.copysign(np.inf, y), xp.where(ay > 1, np.nan, x))
    return x.astype(a.dtype, copy=False)


@unary("erfinv", _erfinv_kernel)
def erfinv(grad, x, out, p):
    """The inverse of erf on (-1, 1)."""
    return grad * x.erfinv().pow(2).exp() * (math.sqrt(math.pi) / 2)


def _in_float64(kernel):
    """An array kernel of gamma_functions run in float64 and rounded to the op's dtype."""
    def forward(xp, a, *params):
        return kernel(xp, *params, a.astype(np.float64)).astype(a.dtype, copy=False)
    return forward


@unary("lgamma", _in_float64(gamma_functions.lgamma))
def lgamma(grad, x, out, p):
    """log|Gamma(x)|."""
    return grad * x.digamma()


@unary("digamma", _in_float64(gamma_functions.digamma))
def digamma(grad, x, out, p):
    """The logarithmic derivative of the gamma function."""
    return grad * polygamma(1, x)


@unary("_polygamma", _in_float64(gamma_functions.polygamma), grad_fn="PolygammaBackward0")
def _polygamma(grad, x, out, n):
    return grad * polygamma(n + 1, x)


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


_igamma = binary("igamma", _igamma_kernel(False), rule=FLOAT_ONLY)(
    _igamma_backward("igamma", 1))
_igammac = binary("igammac", _igamma_kernel(True), rule=FLOAT_ONLY)(
    _igamma_backward("igammac", -1))


def igamma(input, other, *, out=None):
    """The regularized lower incomplete gamma function P(input, other)."""
    return finish_out(_igamma(_as_tensor_arg(input, "igamma"), _tensor_other(other, "igamma")),
                      out, "igamma", (input, other))


def igammac(input, other, *, out=None):
    """The regularized upper incomplete gamma function Q(input, other) = 1 - P."""
    return finish_out(_igammac(_as_tensor_arg(input, "igammac"),
                               _tensor_other(other, "igammac")), out, "igammac", (input, other))


def _tensor_other(x, fn):
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}(): argument 'other' (position 2) must be Tensor, not "
                    f"{type(x).__name__}")


fix = trunc
absolute = abs
arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh


# ---- more ops of two operands --------------------------------------------------------------

@binary("hypot", np.hypot, rule=FLOAT_ONLY)
def _hypot(grad, a, b, out, p):
    h = a.hypot(b)
    return grad * a / h if a._rg else None, grad * b / h if _needs_grad(b) else None


@binary("logaddexp", np.logaddexp, rule=FLOAT_ONLY)
def _logaddexp(grad, a, b, out, p):
    return (grad / ((b - a).exp() + 1) if a._rg else None,
            grad / ((a - b).exp() + 1) if _needs_grad(b) else None)


@binary("logaddexp2", np.logaddexp2, rule=FLOAT_ONLY)
def _logaddexp2(grad, a, b, out, p):
    return (grad / ((b - a).exp2() + 1) if a._rg else None,
            grad / ((a - b).exp2() + 1) if _needs_grad(b) else None)


def _xlogy_kernel(a, b):
    arr = b if isinstance(a, _NUMBER) else a
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


def xlogy(input, other, *, out=None):
    """x * log(y), 0 where x is 0 (unless y is nan)."""
    if not isinstance(input, Tensor):
        if not isinstance(other, Tensor):
            raise TypeError("xlogy(): argument 'self' must be Tensor or Number")
        r = _rxlogy(other, _operand(input, "xlogy"))
    elif isinstance(other, Tensor):
        r = _xlogy(input, other)
    else:
        r = _xlogy_scalar(input, _operand(other, "xlogy"))
    return finish_out(r, out, "xlogy", (input, other))


def _copysign_kernel(a, b):
    return xp_of(a).copysign(a, b)


def _copysign_backward(grad, a, out):
    """PyTorch's copysign_tensor_self_backward: grad * result / self, 0 where self is 0."""
    return grad * (out / a).masked_fill(a == 0, 0.0)


@binary("copysign", _copysign_kernel, rule=FLOAT)
def _copysign(grad, a, b, out, p):
    return (_copysign_backward(grad, a, a.copysign(b)) if a._rg else None,
            grad * 0 if _needs_grad(b) else None)


@binary("copysign_scalar", _copysign_kernel, rule=FLOAT, grad_fn="CopysignBackward1")
def _copysign_scalar(grad, a, b, out, p):
    return _copysign_backward(grad, a, a.copysign(b)), None


def copysign(input, other, *, out=None):
    """|input| with the sign of other (-0. counts as negative)."""
    a = _as_tensor_arg(input, "copysign")
    b = _operand(other, "copysign")
    r = _copysign(a, b) if isinstance(b, Tensor) else _copysign_scalar(a, b)
    return finish_out(r, out, "copysign", (a, b))


@binary("fmax", np.fmax)
def _fmax(grad, a, b, out, p):
    first = (a >= b) | b.isnan()       # ties and a nan other: the gradient goes to input
    return (grad.masked_fill(~first, 0.0) if a._rg else None,
            grad.masked_fill(first, 0.0) if _needs_grad(b) else None)


@binary("fmin", np.fmin)
def _fmin(grad, a, b, out, p):
    first = (a <= b) | b.isnan()
    return (grad.masked_fill(~first, 0.0) if a._rg else None,
            grad.masked_fill(first, 0.0) if _needs_grad(b) else None)


fmax = _of_two_tensors(_fmax, "fmax",
                       "Elementwise maximum that ignores NaN (NaN only where both are NaN).")
fmin = _of_two_tensors(_fmin, "fmin",
                       "Elementwise minimum that ignores NaN (NaN only where both are NaN).")


def _heaviside_kernel(a, b):
    xp = xp_of(a)
    return xp.where(a == 0, b, (a > 0).astype(a.dtype))


_heaviside = BinaryOp("heaviside", _heaviside_kernel, SAME, not_implemented_node("heaviside"),
                      True).apply


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
gcd = _of_two_tensors(_gcd, "gcd", "Greatest common divisor (integers only), >= 0.")
lcm = _of_two_tensors(_lcm, "lcm", "Least common multiple (integers only), >= 0.")
hypot = _of_two_tensors(_hypot, "hypot", "sqrt(input^2 + other^2) without overflow.")
logaddexp = _of_two_tensors(_logaddexp, "logaddexp",
                            "log(exp(input) + exp(other)) computed stably.")
logaddexp2 = _of_two_tensors(_logaddexp2, "logaddexp2", "log2(2^input + 2^other) computed stably.")


arctan2 = atan2


def float_power(input, exponent, *, out=None):
    """pow computed in double precision (float64 result)."""
    from ..dtypes import float64
    base = input.to(float64) if isinstance(input, Tensor) else input
    exp = exponent.to(float64) if isinstance(exponent, Tensor) else exponent
    if not isinstance(base, Tensor):
        base = float(_operand(base, "float_power"))
    elif not isinstance(exp, Tensor):
        exp = _operand(exp, "float_power")
        exp = exp if isinstance(exp, int) and not isinstance(exp, bool) else float(exp)
    return pow(base, exp, out=out)


# ---- ops of three operands -----------------------------------------------------------------

def _promoted(*values):
    """PyTorch's result dtype over tensors and Python numbers, and each operand's data in
    it (numbers kept as they are)."""
    from ..dtypes import result_type_of
    dims, zeros, scalars = [], [], []
    for v in values:
        if isinstance(v, Tensor):
            (dims if v._data.ndim else zeros).append(v.dtype)
        else:
            scalars.append(scalar_dtype(v))
    rt = result_type_of(dims, zeros, scalars)
    same_device(*values)
    return rt, [dense(v, rt.itemsize).astype(rt.np, copy=False) if isinstance(v, Tensor)
                else v for v in values]


def _broadcast_op(fn, *arrays):
    """fn(*arrays) under the memory cap for their broadcast result, with PyTorch's message
    when the shapes do not broadcast."""
    shapes = [a.shape for a in arrays if hasattr(a, "shape")]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        acc = shapes[0]
        for s in shapes[1:]:
            try:
                acc = np.broadcast_shapes(acc, s)
            except ValueError:
                raise broadcast_error(acc, s) from None
        raise
    limits.check_result(shape, max(a.itemsize for a in arrays if hasattr(a, "shape")))
    return fn(*arrays)


class LerpBackward0(Node):
    """lerp with a number weight."""
    __slots__ = ()

    def backward(self, grad):
        w, = self.params
        return grad * (1 - w), grad * w


class LerpBackward1(Node):
    """lerp with a tensor weight."""
    __slots__ = ()

    def backward(self, grad):
        a, b, w = self.saved
        return (grad * (1 - w) if a._rg else None, grad * w if b._rg else None,
                grad * (b - a) if w._rg else None)


def lerp(input, end, weight, *, out=None):
    """input + weight * (end - input)."""
    a = _as_tensor_arg(input, "lerp")
    e = _tensor_other(end, "lerp")
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
    w = weight._data if tensor_w else _operand(weight, "lerp")
    r = wrap(_broadcast_op(lambda x, y, t: lerp_kernel(x, y, t, x.dtype).astype(
        x.dtype, copy=False), a._data, e._data, w))
    if GradMode.enabled:
        if tensor_w and (a._rg or e._rg or weight._rg):
            record(LerpBackward1, r, (a, e, weight), save=(a, e, weight))
        elif not tensor_w and (a._rg or e._rg):
            record(LerpBackward0, r, (a, e), (w,))
    return finish_out(r, out, "lerp", (a, e, weight))


class AddcmulBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        t1, t2 = self.saved
        v, = self.params
        return (grad, grad * t2 * v if t1._rg else None, grad * t1 * v if t2._rg else None)


class AddcdivBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        t1, t2 = self.saved
        v, = self.params
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
    a = _as_tensor_arg(input, name)
    t1 = _tensor_other(tensor1, name)
    t2 = _tensor_other(tensor2, name)
    if name == "addcdiv" and t1.dtype.category <= INTEGRAL and t2.dtype.category <= INTEGRAL:
        raise RuntimeError(_ADDCDIV_INT_ERROR)
    rt, (ad, d1, d2) = _promoted(a, t1, t2)
    v = _operand(value, name)
    if rt.category <= INTEGRAL:
        v = int(v)
    if name == "addcmul":
        r = _broadcast_op(lambda x, y, z: addcmul_kernel(x, y, z, v, rt.np), ad, d1, d2)
    else:
        r = _broadcast_op(lambda x, y, z: addcdiv_kernel(x, y, z, v, rt.np), ad, d1, d2)
    r = wrap(r.astype(rt.np, copy=False))
    if GradMode.enabled and (a._rg or t1._rg or t2._rg):
        record(node, r, (a, t1, t2), (float(v) if rt.category >= FLOATING else v,),
               save=(t1, t2))
    return finish_out(r, out, name, (a, t1, t2))


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 * tensor2."""
    return _addc("addcmul", input, tensor1, tensor2, value, out, AddcmulBackward0)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 / tensor2 (true division)."""
    return _addc("addcdiv", input, tensor1, tensor2, value, out, AddcdivBackward0)
