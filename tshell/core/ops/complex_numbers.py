"""Complex numbers: the real and imaginary parts, conjugates, angle, and the views between a
complex tensor and its float pairs (view_as_real / view_as_complex).

PyTorch's gradients of complex inputs are conjugate Wirtinger derivatives; the analytic
elementwise ops (pointwise.py) conjugate their local derivative for that, the ops here
follow derivatives.yaml.

PyTorch's conj() is a lazy view with a conjugate bit, and the imaginary part of such a view
carries a negative bit. tshell's conj() gives the conjugate in new memory (as conj_physical
does: writes into it do not reach the original), and marks it with the same bits
(Tensor._bits, which views keep), so is_conj / is_neg / resolve_conj / resolve_neg and
PyTorch's refusals of unresolved tensors (numpy(), view_as_real) answer as in PyTorch.
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import strided_view, xp_of
from ..dtypes import FROM_NUMPY, complex64, complex128
from ..registry import export
from ..tensor import CONJ_BIT, NEG_BIT, record_if, saved_output, wrap
from .common import finish_out, same_device, shape_bound
from .creation import zeros_like
from .elementwise import FLOAT, unary
from .indexing import select
from .pointwise import conj_copy, conj_view, where
from .shape import _view_of, clone, contiguous

_COMPLEX_OF = {np.dtype(np.float32): complex64, np.dtype(np.float64): complex128}


def _is_complex(x):
    return x._data.dtype.kind == "c"


# ---- views between a complex tensor and its (real, imaginary) pairs ------------------------

@derivative
def ViewAsRealBackward0(node, grad):
    return view_as_complex(contiguous(grad))


@derivative
def ViewAsComplexBackward0(node, grad):
    return _real_view(grad)         # a conjugate grad's values are in memory: no refusal


@export("torch")
def view_as_real(input):
    """A complex tensor's memory as floats: a last dimension of 2 (real, imaginary)."""
    if input._bits & CONJ_BIT:
        raise RuntimeError("view_as_real doesn't work on unresolved conjugated tensors.  To "
                           "resolve the conjugate tensor so you can view it as real, use "
                           "self.resolve_conj(); however, be warned that the resulting tensor "
                           "will NOT alias the original.")
    return _real_view(input)


def _real_view(input):
    xd = input._data
    if xd.dtype.kind != "c":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    part = xd.real             # a view with the complex strides over the real parts
    r = strided_view(part, xd.shape + (2,), xd.strides + (part.itemsize,))
    return _view_of(input, r, ViewAsRealBackward0, None)


@export("torch")
def view_as_complex(input):
    """Pairs of floats in the last dimension (size 2, stride 1) as complex numbers (a view)."""
    xd = input._data
    if xd.dtype not in _COMPLEX_OF:
        dt = FROM_NUMPY[xd.dtype]
        raise RuntimeError("view_as_complex is only supported for half, float and double "
                           f"tensors, but got a tensor of scalar type: {dt.short}")
    if xd.ndim == 0 or xd.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if xd.strides[-1] != xd.itemsize:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % (2 * xd.itemsize) for s in xd.strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last "
                           "dimension")
    # the last axis is contiguous, so its pairs view as one complex each (a size-1 axis)
    r = xd.view(_COMPLEX_OF[xd.dtype].np)[..., 0]
    return _view_of(input, r, ViewAsComplexBackward0, None)


@export("Tensor", as_property=True)
@export("torch")
def real(input):
    """The real part: a view of a complex tensor (select of view_as_real, as PyTorch
    records it), the tensor itself otherwise."""
    if not _is_complex(input):
        return input
    return _without_conj(select(_real_view(input), -1, 0), 0)


@export("Tensor", as_property=True)
@export("torch")
def imag(input):
    """The imaginary part of a complex tensor, a view."""
    if not _is_complex(input):
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    # a conjugate's imaginary part: PyTorch's negative view of the original's
    return _without_conj(select(_real_view(input), -1, 1),
                         NEG_BIT if input._bits & CONJ_BIT else 0)


def _without_conj(part, bits):
    """A part (real, imag) of a complex tensor, a float view: no conjugate bit."""
    part._bits = bits
    return part


# ---- conjugates ------------------------------------------------------------------------------

@export("torch", "Tensor")
def conj(input):
    """The complex conjugate, in new memory, with the conjugate bit (PyTorch's lazy view);
    of a conjugate, without it (PyTorch's original); a real tensor itself."""
    return conj_view(input) if _is_complex(input) else input


@derivative
def ConjPhysicalBackward0(node, grad):
    return conj_physical(grad)


@export("torch", "Tensor", "torch_", "Tensor_")
def conj_physical(input, *, out=None):
    """The complex conjugate in new memory; a real tensor itself."""
    if not _is_complex(input):
        return input if out is None else finish_out(input.clone(), out, "conj_physical",
                                                     (input,))
    r = record_if(ConjPhysicalBackward0, wrap(input._data.conj()), (input,))
    return finish_out(r, out, "conj_physical", (input,))


@export("torch", "Tensor")
def resolve_conj(input):
    """A conjugate (conjugate bit set) as a plain tensor in new memory; others themselves."""
    return clone(input) if input._bits & CONJ_BIT else input


@export("torch", "Tensor")
def resolve_neg(input):
    """A tensor with the negative bit as a plain tensor in new memory; others themselves."""
    return clone(input) if input._bits & NEG_BIT else input


@export("torch", "Tensor")
def is_conj(input):
    """Whether input is conj() of a tensor (or a view of one), unresolved."""
    return bool(input._bits & CONJ_BIT)


@export("torch", "Tensor")
def is_neg(input):
    """Whether input is the imaginary part of a conjugate (or a view of one), unresolved."""
    return bool(input._bits & NEG_BIT)


# ---- angle, and complex numbers from parts ------------------------------------------------------

def _angle_kernel(xp, a):
    """arg(x): for real x, pi where x < 0, else 0 (nan stays nan)."""
    if a.dtype.kind == "c":
        return xp.angle(a)
    return xp.where(a < 0, math.pi, xp.where(a != a, a, 0)).astype(a.dtype)


@export("torch", "Tensor")
@unary("angle", _angle_kernel, rule=FLOAT)
def angle(grad, x, out, p):
    """The argument of each element (a real tensor: pi for negatives, 0 otherwise)."""
    if not _is_complex(x):
        return zeros_like(x)
    # PyTorch's angle_backward: grad * x / |x|² * i, 0 where x is 0
    return where(x == 0, 0.0, grad * x / x.abs().pow(2) * 1j)


def _check_result(a, b):
    """The memory cap for a complex result of two float parts' broadcast shape (its
    temporaries are of that size too)."""
    limits.check_result(shape_bound(a.shape, b.shape), 2 * max(a.itemsize, b.itemsize))


@derivative
def ComplexBackward0(node, grad):
    return real(grad), imag(grad)


@export("torch")
def complex(real, imag, *, out=None):
    """real + imag * i, of the complex dtype matching the parts' float dtype."""
    rd, id_ = real._data, imag._data
    if rd.dtype.kind != "f" or id_.dtype.kind != "f":
        raise RuntimeError("Expected both inputs to be Half, Float or Double tensors but got "
                           f"{FROM_NUMPY[rd.dtype].short} and {FROM_NUMPY[id_.dtype].short}")
    if rd.dtype != id_.dtype:
        raise RuntimeError(f"Expected object of scalar type {FROM_NUMPY[rd.dtype].short} but "
                           f"got scalar type {FROM_NUMPY[id_.dtype].short} for second argument")
    same_device(real, imag)
    _check_result(rd, id_)
    r = (rd + id_ * 1j).astype(_COMPLEX_OF[rd.dtype].np, copy=False)
    return finish_out(record_if(ComplexBackward0, wrap(r), (real, imag)), out, "complex",
                      (real, imag))


@derivative
def PolarBackward0(node, grad):
    # PyTorch's polar_backward: real(conj(grad) * sgn(result)) and real(conj(grad) * i result)
    result = saved_output(node)
    grad_conj = conj_copy(grad)
    return real(grad_conj * result.sgn()), real(grad_conj * (result * 1j))


@export("torch")
def polar(abs, angle, *, out=None):
    """abs * (cos(angle) + i sin(angle))."""
    ad, gd = abs._data, angle._data
    if ad.dtype.kind != "f" or gd.dtype.kind != "f":
        raise RuntimeError("Expected both inputs to be Half, Float or Double tensors but got "
                           f"{FROM_NUMPY[ad.dtype].short} and {FROM_NUMPY[gd.dtype].short}")
    if ad.dtype != gd.dtype:
        raise RuntimeError(f"Expected object of scalar type {FROM_NUMPY[ad.dtype].short} but "
                           f"got scalar type {FROM_NUMPY[gd.dtype].short} for second argument")
    same_device(abs, angle)
    _check_result(ad, gd)
    xp = xp_of(ad)
    r = ad * xp.cos(gd) + ad * xp.sin(gd) * 1j
    r = record_if(PolarBackward0, wrap(r.astype(_COMPLEX_OF[ad.dtype].np, copy=False)),
                  (abs, angle), save_out=True)
    return finish_out(r, out, "polar", (abs, angle))
