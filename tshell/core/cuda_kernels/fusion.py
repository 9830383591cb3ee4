"""A whole elementwise expression of a tsh program as one kernel (the compiler's side:
tshell/lang/compile_expr.py, `fused_candidate`).

`FusedExpression.run(values)` gets the expression's operand values (its names and number
constants, evaluated by the program in order) and returns the result tensor, or NOT_FUSED
when the eager ops must run: an operand that is not a CUDA tensor of a fused dtype or a
Python number, a function name rebound to something else, autograd recording (a fused
forward would need PyTorch's grad_fn chain), or a combination the eager ops refuse (they
then raise their own error). Plans are cached per operand-dtype signature.
"""
from __future__ import annotations

import numpy as np

from .. import limits
from ..autograd import GradMode
from ..backend import FUSION_LAUNCHERS, address
from ..dtypes import FROM_NUMPY, can_cast
from ..tensor import Tensor, wrap
from .ir import make_plan

NOT_FUSED = object()
_NUMBERS = (int, float, bool)


class FusedExpression:
    """One expression of a program: its tree (ir.py's form) and, for calls such as
    torch.sigmoid(x), the leaves that hold the function called and the function it must be."""

    def __init__(self, tree, callees=()):
        self.tree = tree
        self.callees = dict(callees)
        self.plans = {}

    def _operands(self, values):
        """(launcher, tensors, leaf kinds) or None when the eager ops must run."""
        kinds, tensors, array_type = [], [], None
        callees = self.callees
        for i, v in enumerate(values):
            if i in callees:
                if v is not callees[i]:
                    return None
                kinds.append(None)
            elif v.__class__ is Tensor:
                d = v._data
                if array_type is None:
                    array_type = d.__class__
                elif d.__class__ is not array_type:
                    return None                     # mixed devices: the eager error
                dt = FROM_NUMPY.get(d.dtype)
                if dt is None:
                    return None
                kinds.append((dt, d.ndim != 0))
                tensors.append(v)
            elif v.__class__ in _NUMBERS:
                kinds.append(v.__class__)
            else:
                return None
        launcher = FUSION_LAUNCHERS.get(array_type)
        if launcher is None:
            return None
        if GradMode.enabled:
            for t in tensors:
                if t._rg:
                    return None
        return launcher, tensors, tuple(kinds)

    def _plan(self, kinds):
        plan = self.plans.get(kinds, NOT_FUSED)
        if plan is NOT_FUSED:
            plan = self.plans[kinds] = make_plan(self.tree, kinds)
        return plan

    def run(self, values, target=None):
        """The expression's value (a new tensor), or with `target` (a tensor, the first
        operand of `target OP= expr`) the expression written into target; NOT_FUSED when
        the eager ops must run it."""
        found = self._operands(values)
        if found is None:
            return NOT_FUSED
        launcher, tensors, kinds = found
        plan = self._plan(kinds)
        if plan is None:
            return NOT_FUSED
        shape = _broadcast_shape(tensors)
        if shape is None:
            return NOT_FUSED                        # the eager op's broadcast error
        arrays = [values[i]._data for i in plan.tensor_leaves]
        scalars = [values[i] for i in plan.scalar_leaves]
        if target is not None:
            if not _writable_into(target, shape, plan.result, arrays):
                return NOT_FUSED
            launcher.run(plan, arrays, scalars, shape, target.dtype, out=target._data)
            target._bump()
            return target
        if not plan.result_has_dims and shape:
            return NOT_FUSED                        # cannot happen: shapes imply dims
        limits.check_result(shape, plan.result.itemsize)
        return wrap(launcher.run(plan, arrays, scalars, shape, plan.result))


def _broadcast_shape(tensors):
    """The operands' broadcast shape (None: they do not broadcast); equal shapes, the
    common case, without NumPy's general (and slower) broadcast_shapes."""
    first = tensors[0]._data.shape
    for t in tensors:
        if t._data.shape != first:
            try:
                return np.broadcast_shapes(*(t._data.shape for t in tensors))
            except ValueError:
                return None
    return first


def _writable_into(target, shape, result, arrays):
    """Whether `target OP= expr` may be written in place by one kernel, as the eager in-place
    op would: target not recorded by autograd, the result castable to its dtype and of its
    shape, and no other operand sharing its memory (the eager op computes expr first)."""
    if target.__class__ is not Tensor:
        return False
    if GradMode.enabled and (target._rg or target._fn is not None or target._nograd_view):
        return False
    data = target._data
    if tuple(data.shape) != tuple(shape) or not can_cast(result, target.dtype):
        return False
    lo, hi = _extent(data)
    for a in arrays:
        if a is not data:
            alo, ahi = _extent(a)
            if alo < hi and lo < ahi:
                return False
    return True


def _extent(array):
    """The byte range [lo, hi) an array's elements lie in."""
    start = address(array)
    lo = hi = 0
    for size, stride in zip(array.shape, array.strides):
        if size == 0:
            return start, start
        span = (size - 1) * stride
        lo, hi = (lo + span, hi) if span < 0 else (lo, hi + span)
    return start + lo, start + hi + array.itemsize
