"""The machinery of elementwise ops: dtype rules, the `unary` and `binary` op declarations
(the decorated function is the op's derivative), BinaryOp's dispatch (the hot path of every
arithmetic operator) and the argument checks the elementwise catalogue shares.

The ops themselves are declared in pointwise.py; their in-place fast paths in
direct_inplace.py.
"""
from __future__ import annotations

import numpy as np

from .. import limits
from ..autograd import GradMode, Node
from ..grad_mode import INFERENCE, INFERENCE_MODE
from ..backend import BY_ARRAY_TYPE, xp_of
from ..meta import MetaArray, broadcast_error as meta_broadcast_error
from ..dtypes import (ON_DEFAULT_CHANGE, FLOATING, INTEGRAL, DEFAULTS, FROM_NUMPY, bool_,
                      binary_result_type, result_type_of, scalar_dtype)
from ..tensor import Duals, Tensor, record, saved_output, wrap
from .common import broadcast_error, dense, finish_out, same_device, shape_bound
from .creation import scalar_tensor_like, tensor

_new = object.__new__

np.seterr(all="ignore")  # PyTorch gives inf/nan silently; so do we

NUMBER = (bool, int, float, complex, np.number, np.bool_)
# The Python numbers a binary op takes as they are (others are converted or refused).
_SCALARS = frozenset((int, float, bool, complex))
# Operator operands: tensors and Python numbers (NumPy's scalars that subclass them too).
OPERANDS = (Tensor, bool, int, float, complex)

# Operands whose sizes multiply to at most this cannot broadcast to more than 1 MiB (16-byte
# items): the hot path of small tensors skips the shape arithmetic of the memory cap.
_SMALL = limits.SMALL

# Dtype rules -------------------------------------------------------------------------------
SAME = "same"          # result has the input's (promoted) dtype
FLOAT = "float"        # integers and bool compute in the default float dtype
TO_BOOL = "bool"       # comparisons and predicates
INT_ONLY = "int_only"  # bitwise ops: integers and bool only
FLOAT_ONLY = "float_only"  # ops PyTorch has no integer kernel for (hypot, logaddexp)
REAL = "real"          # the input's dtype, but a complex one's real dtype (abs)


_OPMATH_SCALAR_OPS = frozenset(("mul", "div"))


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

    @classmethod
    def jvp(cls, inputs, tangents, out, params):
        """An elementwise op of one real tensor has a diagonal Jacobian, J = J^T: its
        derivative applied to the tangent is its forward formula. A complex one's derivative
        is grad * conj(f'(z)), so the conjugate of it applied to conj(t) is f'(z) t (for
        holomorphic ops, and conj's conj(t)): PyTorch's auto_element_wise rule, one backward
        where the transposed backward takes two. sgn and the complex-to-real ops take the
        transposed backward (None)."""
        x = inputs[0]
        kinds = x._data.dtype.kind + out._data.dtype.kind
        if kinds == "cc" and cls.__name__ != "SgnBackward0":
            return cls.derivative(tangents[0].conj(), x, out, params).conj()
        if "c" in kinds:
            return None
        return cls.derivative(tangents[0], x, out, params)


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
        # The node class is made at the op's first recording, not at import: a class costs
        # ~80 k instructions of start-up, and a program records few of the ~80 kinds.
        node_cls = None

        def op(input, *, out=None, params=None):
            nonlocal node_cls
            x = tensor_input(input, name)
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
            # record_if's test written out: the per-op cost of x.exp() & co. (benchmarks)
            if differentiable and (GradMode.enabled and x._rg or Duals):
                if node_cls is None:
                    node_cls = _node_class(grad_fn or camel(name) + "Backward0", derivative,
                                           saves_out)
                if GradMode.enabled and x._rg:
                    record(node_cls, r, (x,), params, save=(x,) if save_x else (),
                           save_out=saves_out)
                else:
                    Duals.propagate(node_cls, r, (x,), params, (x,) if save_x else (),
                                    saves_out)
            return r if out is None else finish_out(r, out, name, (x,), differentiable)

        op.__name__ = op.__qualname__ = name
        op.__doc__ = derivative.__doc__
        return op
    return declare


def tensor_input(x, fn):
    if x.__class__ is Tensor or isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                    f"{type(x).__name__}")


# ---- binary --------------------------------------------------------------------------------

class BinaryOp:
    """An elementwise op of two operands (a tensor and a tensor or Python number).

    `apply(a, b, params=None)` runs it: a closure over the op's state rather than a method,
    since it is the hot path of every arithmetic operator (a plain function call costs a third
    of calling an object). With operator=True it is also the operator method itself
    (`Tensor.__mul__`, ops/operators.py): operands other than tensors and Python numbers go
    to `general`, which converts NumPy's numbers and returns NotImplemented for the rest.
    """

    def __init__(self, name, forward, rule, node_cls, differentiable, bool_kernel=None,
                 operator=False, node_class=None):
        self.name = name
        self.forward = forward
        self.rule = rule
        # The grad_fn class, or None until the first recording makes it with node_class()
        # (binary(): a class costs ~80 k instructions of start-up, most are never used).
        self.node, self.node_class = node_cls, node_class
        self.differentiable = differentiable
        self.plans = {}
        self.bool_kernel = bool_kernel     # PyTorch's kernel name when it refuses bool operands
        self.general = self._convert_operand if operator else None
        ON_DEFAULT_CHANGE.append(self.plans.clear)
        self.apply = self._make_apply()
        self.apply.op = self
        self.apply.__name__ = self.apply.__qualname__ = name

    def first_node(self):
        self.node = self.node_class()
        return self.node

    def _convert_operand(self, a, b):
        """The operator's general form: what the functional op does with an operand that
        is not a tensor or a Python number (np.float64 becomes its float)."""
        if not isinstance(b, OPERANDS):
            return NotImplemented          # Python's "unsupported operand" TypeError
        return self.apply(a, operand(b, self.name))

    def plan(self, a, b, key):
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
        # x * 0.2 of a half-precision x (0.2 a number or a 0-dim tensor): PyTorch's CPU
        # kernel multiplies (or divides) in float32 by the scalar as a float32, rounding
        # once; the other ops (x + 0.2) round the scalar to x's dtype first
        opmath = kind != "dim" and self.name in _OPMATH_SCALAR_OPS and \
            cdt.np.itemsize == 2 and cdt.category == FLOATING
        compute = np.dtype(np.float32) if opmath else cdt.np
        plan = (compute, rdt.np, ad.dtype != compute,
                isinstance(b, Tensor) and b._data.dtype != compute,
                cdt.np.kind in "iu",         # an int scalar may need wrapping (wrap_int)
                max(cdt.itemsize, rdt.itemsize))     # per element of result or cast copy
        self.plans[key] = plan
        return plan

    def _make_apply(self):
        plans, forward, make_plan = self.plans, self.forward, self.plan
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
                    if ad.__class__ is MetaArray:
                        raise meta_broadcast_error(a._data.shape, b._data.shape) from None
                    raise broadcast_error(a._data.shape, b._data.shape) from None
                raise
            if r.__class__ not in BY_ARRAY_TYPE:
                r = BY_ARRAY_TYPE[ad.__class__].xp.asarray(r)
            if r.dtype is not plan[1]:
                r = r.astype(plan[1], copy=False)
            out = _new(Tensor)
            out._data = r
            # record_if's test written out: x + y's per-op cost (benchmarks/run.py's loop)
            if GradMode.enabled and op.differentiable and (
                    a._rg or (b.__class__ is Tensor and b._rg)):
                node = op.node or op.first_node()
                record(node, out, (a, b), params, save=(a, b) if node.saves_inputs else ())
            elif Duals and op.differentiable:
                node = op.node or op.first_node()
                Duals.propagate(node, out, (a, b), params,
                                (a, b) if node.saves_inputs else (), False)
            elif INFERENCE_MODE and not GradMode.enabled:   # (grad mode is off in it)
                out._ver = INFERENCE
            return out
        return apply


def wrap_int(value, np_dtype):
    """A Python int converted to an integer dtype as PyTorch converts a scalar operand:
    out of range, it wraps (uint8 + 300 adds 44; int8 > 200 compares with -56)."""
    info = np.iinfo(np_dtype)
    if info.min <= value <= info.max:
        return value
    v = value & ((1 << info.bits) - 1)
    return v - (1 << info.bits) if info.min < 0 and v > info.max else v


def _check_operands(ad, bd, plan):
    """The memory cap for a op b: a's size when b's shape ends a's (`x + bias`: no shape
    arithmetic), else the broadcast shape's; none for meta operands (no memory)."""
    if ad.__class__ is MetaArray:
        return
    if bd.ndim <= ad.ndim and ad.shape[ad.ndim - bd.ndim:] == bd.shape:
        limits.check_dense(ad, plan[5])
    else:
        _check_broadcast(ad.shape, bd.shape, plan[5])


def _check_broadcast(a_shape, b_shape, itemsize):
    """The memory cap for the broadcast result of two shapes."""
    limits.check_result(shape_bound(a_shape, b_shape), itemsize)


class BinaryNode(PointwiseNode):
    __slots__ = ()
    saves_inputs = True
    jvp = None        # binary(..., jvp=formula), else the transposed backward

    def backward(self, grad):
        a, b = self.saved if self.saves_inputs else (None, None)
        out = saved_output(self) if self._out_meta is not None else None
        return self.derivative(grad, a, b, out, self.params)


def binary(name, forward, rule=SAME, grad_fn=None, differentiable=True, saves_inputs=True,
           bool_kernel=None, reads_saved=None, operator=False, jvp=None):
    """Declare an elementwise op of two operands; decorates derivative(grad, a, b, out, p).

    bool_kernel: PyTorch's kernel name when the op refuses bool operands.
    reads_saved: see Node.reads_saved (which saved operands PyTorch would have saved).
    operator: the op's apply is a Tensor operator itself (see BinaryOp).
    jvp: the forward formula (ta, tb, a, b, out, p) -> the result's tangent, ta or tb None
    for an operand without one, or the name of the ATen op PyTorch gives none (see Node.jvp).
    """
    def declare(derivative):
        def node_class():
            return type(grad_fn or camel(name) + "Backward0", (BinaryNode,),
                        {"__slots__": (), "derivative": staticmethod(derivative),
                         "saves_inputs": saves_inputs,
                         "reads_saved": reads_saved and staticmethod(reads_saved),
                         "jvp": _binary_jvp(jvp) if callable(jvp) else jvp})
        return BinaryOp(name, forward, rule, None, differentiable, bool_kernel, operator,
                        node_class).apply
    return declare


def _binary_jvp(formula):
    """Node.jvp from a binary op's formula (ta, tb, a, b, out, p)."""
    def jvp(inputs, tangents, out, params):
        return formula(*tangents, *inputs, out, params)
    return staticmethod(jvp)


def tangent_sum(out, *terms):
    """The tangent of out: the sum of a forward formula's terms (those of operands without
    a tangent left out: None), in out's shape and dtype (an operand's own term has its
    shape: x + bias)."""
    present = [t for t in terms if t is not None]
    total = present[0]
    for t in present[1:]:
        total = total + t
    if total.dtype is not out.dtype:
        total = total.to(out.dtype)
    return total if total.shape == out.shape else total.expand(out.shape)


def needs_grad(b):
    """Whether the second operand of a binary op (a tensor or a number) takes a gradient."""
    return b.__class__ is Tensor and b._rg


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
                                                          "saves_inputs": False,
                                                          "jvp": "aten::" + op_name})


# ---- the operand checks of the elementwise catalogue ----------------------------------------

def operand(x, fn):
    if x.__class__ is Tensor or isinstance(x, (Tensor,) + NUMBER):
        return x.item() if isinstance(x, (np.number, np.bool_)) else x
    raise TypeError(f"{fn}(): argument 'other' must be Tensor or Number, not "
                    f"{type(x).__name__}")


def tensor_first(a, b, fn, numbers=False):
    """Order operands so that the first one is a tensor. numbers=True: two Python numbers
    make a tensor of the first, as PyTorch's add/sub/mul/div do (torch.add(5, 5) is
    tensor(10))."""
    if a.__class__ is not Tensor and not isinstance(a, Tensor):
        if isinstance(b, Tensor):
            return scalar_tensor_like(operand(a, fn), b), b
        if numbers and isinstance(a, NUMBER) and isinstance(b, NUMBER):
            return tensor(operand(a, fn)), operand(b, fn)
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(a).__name__}")
    return a, operand(b, fn)


def scalar_argument(value):
    """A Scalar argument (alpha, value): a one-element tensor counts as its number, as in
    PyTorch's argument parser."""
    return value.item() if isinstance(value, Tensor) else value


def tensor_other(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(x).__name__}")
    return x


def result_dtype(*values):
    """PyTorch's result dtype over tensors and Python numbers (None: no operand)."""
    dims, zeros, scalars = [], [], []
    for v in values:
        if isinstance(v, Tensor):
            (dims if v._data.ndim else zeros).append(v.dtype)
        elif v is not None:
            scalars.append(scalar_dtype(v))
    return result_type_of(dims, zeros, scalars)


def promoted(*values):
    """PyTorch's result dtype over tensors and Python numbers, and each operand's data in
    it (numbers kept as they are)."""
    rt = result_dtype(*values)
    same_device(*values)
    return rt, [dense(v, rt.itemsize).astype(rt.np, copy=False) if isinstance(v, Tensor)
                else v for v in values]


def broadcast_op(fn, *arrays):
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


