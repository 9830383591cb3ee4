"""In-place ops written straight into self's memory: x.add_(y), x.mul_(2), x.add_(g,
alpha=-lr), x.lerp_ / addcmul_ / addcdiv_ (an optimizer's step) skip the general in-place
path (inplace.apply_inplace: a result in new memory, then a copy) when no autograd, cast or
broadcast of self is involved. The writers return False to send the call down the general
path, which also words the errors.
"""
from __future__ import annotations

import numpy as np

from ..autograd import GradMode
from ..grad_mode import INFERENCE
from ..backend import is_writeable
from ..tensor import Duals, Tensor
from .blas import axpy
from .elementwise import wrap_int
from .fma import addcdiv as addcdiv_kernel, addcmul as addcmul_kernel, lerp as lerp_kernel


def write_in_place(ufunc, op, a, b):
    """a op= b straight into a's memory (ufunc: the op's NumPy ufunc, op: its BinaryOp), when
    no autograd, cast or broadcast of a is needed.

    Returns False to send the caller down the general path (which also words the errors).
    """
    if GradMode.enabled and (a._rg or b.__class__ is Tensor and b._rg) or \
            a._ver is INFERENCE or Duals:
        return False    # the general path records, words the errors, gives a tangent
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
    plan = op.plans.get(key) or op.plan(a, b, key)
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
            and (a._rg or b._rg or a._nograd_view) or Duals:
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
            o.__class__ is Tensor and o._rg for o in others)) or Duals:
        return None
    xd = x._data
    shapes = []             # the operands' shapes that differ from x's
    for o in others:
        if o.__class__ is Tensor:
            od = o._data
            if od.dtype != xd.dtype or type(od) is not type(xd):
                return None
            if od.shape != xd.shape:
                shapes.append(od.shape)
        elif o.__class__ not in (float, int):
            return None
    if not is_writeable(xd) or 0 in xd.strides or xd.dtype.kind not in "fV":
        return None
    if shapes:              # (NumPy's broadcast_shapes costs ~3 us: not for equal shapes)
        try:
            if np.broadcast_shapes(xd.shape, *shapes) != xd.shape:
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



def direct_binary(op, ufunc, general, sign=None):
    """x.add_(y) & co.: written into x's memory directly when nothing else is involved
    (x.add_(y, alpha=a) too, sign: +1 for add, -1 for sub: one BLAS axpy), else general (the
    in-place twin of op). op: the op's BinaryOp apply."""
    binary_op = op.op

    def method(self, other, **kwargs):
        if not kwargs:
            if write_in_place(ufunc, binary_op, self, other):
                return self
        elif sign and len(kwargs) == 1 and "alpha" in kwargs and \
                add_scaled_in_place(self, other, sign * kwargs["alpha"]):
            return self
        return general(self, other, **kwargs)
    method.__name__ = method.__qualname__ = general.__name__
    method.__doc__ = general.__doc__
    return method


def direct_ternary(write, general):
    """x.lerp_ / addcmul_ / addcdiv_: written into x's memory when nothing else is involved
    (_direct_target), else general, the in-place twin of the op."""
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
