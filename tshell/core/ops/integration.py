"""Numerical integration and differentiation of samples: trapezoid (trapz),
cumulative_trapezoid and gradient. Composites of differentiable ops in ATen's order, so
values, gradients and grad_fn names are PyTorch's."""
from __future__ import annotations

from ..autograd import no_grad
from ..dtypes import BOOL, COMPLEX
from ..registry import export
from ..tensor import Tensor, record_if
from .common import wrap_dim
from .creation import zeros
from .loss import DivBackward1
from .shape import cat
from .pointwise import times_number


def _halved(t):
    """t / 2. as ATen's div.Scalar (grad_fn DivBackward1)."""
    with no_grad():
        r = t / 2.
    return record_if(DivBackward1, r, (t,), (2.,))


def _slice(t, dim, start, stop=None):
    index = [slice(None)] * t.dim()
    index[dim] = slice(start, stop)
    return t[tuple(index)]


def _spacing(y, x, dx, dim, fn):
    """The sample spacing along dim: a number, or the differences of x viewed to broadcast
    against y's differences (NumPy's rule: x is not broadcast to y first)."""
    if y.dtype.category == BOOL:
        raise RuntimeError(f"{fn}: received a bool input for `y`, but bool is not supported")
    if x is None:
        if isinstance(dx, (bool, complex)) or isinstance(dx, Tensor) and dx.dtype.category \
                in (BOOL, COMPLEX):
            raise RuntimeError(f"{fn}: Currently, we only support dx as a real number.")
        return float(1 if dx is None else dx)
    if dx is not None:
        raise TypeError(f"{fn}() received an invalid combination of arguments - got (Tensor, "
                        f"Tensor, dx={type(dx).__name__}), but expected one of:\n"
                        f" * (Tensor y, Tensor x, *, int dim = -1)\n"
                        f" * (Tensor y, *, Number dx = 1, int dim = -1)\n")
    if x.dtype.category == BOOL:
        raise RuntimeError(f"{fn}: received a bool input for `x`, but bool is not supported")
    if x.dim() == 1:
        if x.shape[0] != y.shape[dim]:
            raise RuntimeError(f"{fn}: There must be one `x` value for each sample point")
        shape = [1] * y.dim()
        shape[dim] = x.shape[0]
        x = x.view(shape)
    elif x.dim() < y.dim():
        x = x.view((1,) * (y.dim() - x.dim()) + tuple(x.shape))
    return _slice(x, dim, 1) - _slice(x, dim, 0, -1)


@export("torch")
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The integral of the samples y along dim by the trapezoidal rule, spaced dx apart or
    at the points x."""
    dim = wrap_dim(dim, y.dim())
    if y.shape[dim] == 0:
        return zeros(y.shape[:dim] + y.shape[dim + 1:], dtype=y.dtype, device=y.device)
    step = _spacing(y, x, dx, dim, "trapezoid")
    if isinstance(step, Tensor):
        return _halved((step * (_slice(y, dim, 1) + _slice(y, dim, 0, -1))).sum(dim))
    return times_number(y.sum(dim) - times_number(y.select(dim, 0) + y.select(dim, -1), 0.5), step)


@export("torch")
def trapz(y, x=None, *, dx=None, dim=-1):
    """trapezoid's older name."""
    return trapezoid(y, x, dx=dx, dim=dim)


@export("torch")
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running integral of y along dim by the trapezoidal rule (one value fewer)."""
    dim = wrap_dim(dim, y.dim())
    step = _spacing(y, x, dx, dim, "cumulative_trapezoid")
    pairs = _slice(y, dim, 0, -1) + _slice(y, dim, 1)
    if isinstance(step, Tensor):
        return _halved((pairs * step).cumsum(dim))
    return times_number(pairs, step / 2.).cumsum(dim)


# ---- gradient ---------------------------------------------------------------------------

def _gradient_checks(input, n_spacing, dims, given_dims, edge_order):
    if input.dtype.name == "uint8":
        raise RuntimeError("torch.gradient does not support uint8 input.")
    if n_spacing is not None and not given_dims and n_spacing != input.dim():
        raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar, or a "
                           f"list of length equal to 'self.dim() = {input.dim()}', since dim "
                           f"argument was not given, but got a list of length {n_spacing}")
    if n_spacing is not None and given_dims and n_spacing != len(dims):
        raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar or "
                           "it's spacing and dim arguments to have the same length, but got a "
                           f"spacing argument of length {n_spacing} and a dim argument of "
                           f"length {len(dims)}.")
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[[dims.count(d) > 1 for d in dims].index(True)]} "
                           "appears multiple times in the list of dims")
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least "
                               "edge_order+1")


def _uniform_gradient(t, d, h, edge_order):
    center = (_slice(t, d, 2) - _slice(t, d, 0, -2)) / h
    if edge_order == 1:
        first = (_slice(t, d, 1, 2) - _slice(t, d, 0, 1)) / h
        last = (_slice(t, d, -1) - _slice(t, d, -2, -1)) / h
    else:
        first = (-1.5 * _slice(t, d, 0, 1) + 2 * _slice(t, d, 1, 2)
                 - 0.5 * _slice(t, d, 2, 3)) / h
        last = (0.5 * _slice(t, d, -3, -2) - 2 * _slice(t, d, -2, -1)
                + 1.5 * _slice(t, d, -1)) / h
    return cat([first, center / 2, last], d)


def _coordinate_gradient(t, d, coords, edge_order):
    if coords.dim() != 1:
        raise RuntimeError("torch.gradient expected each element of spacing to have one "
                           f"dimension, but got an element with {coords.dim()} dimensions!")
    shape = [1] * t.dim()
    shape[d] = -1
    h = coords.diff(1, 0)
    h1, h2 = h[:-1], h[1:]
    a = (-h2 / (h1 * (h1 + h2))).reshape(shape)
    b = ((h2 - h1) / (h1 * h2)).reshape(shape)
    c = (h1 / (h2 * (h1 + h2))).reshape(shape)
    center = a * _slice(t, d, 0, -2) + b * _slice(t, d, 1, -1) + c * _slice(t, d, 2)
    if edge_order == 1:
        first = (_slice(t, d, 1, 2) - _slice(t, d, 0, 1)) / h[0]
        last = (_slice(t, d, -1) - _slice(t, d, -2, -1)) / h[-1]
    else:
        a = -(2.0 * h[0] + h[1]) / (h[0] * (h[0] + h[1]))
        b = (h[0] + h[1]) / (h[0] * h[1])
        c = -h[0] / (h[1] * (h[0] + h[1]))
        first = a * _slice(t, d, 0, 1) + b * _slice(t, d, 1, 2) + c * _slice(t, d, 2, 3)
        a = h[-1] / (h[-2] * (h[-1] + h[-2]))
        b = -(h[-1] + h[-2]) / (h[-1] * h[-2])
        c = (2 * h[-1] + h[-2]) / (h[-1] * (h[-1] + h[-2]))
        last = a * _slice(t, d, -3, -2) + b * _slice(t, d, -2, -1) + c * _slice(t, d, -1)
    return cat([first, center, last], d)


@export("torch")
def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """The derivative estimated along each dim by central differences (one-sided, of order
    edge_order, at the ends): a tuple with one tensor per dim. spacing is one number, one
    number per dim, or one tensor of coordinates per dim."""
    given_dims = dim is not None
    dims = [dim] if isinstance(dim, int) else list(range(input.dim())) if dim is None \
        else list(dim)
    dims = [wrap_dim(d, input.dim()) for d in dims]
    listed = isinstance(spacing, (list, tuple))
    _gradient_checks(input, len(spacing) if listed else None, dims, given_dims, edge_order)
    steps = list(spacing) if listed else [spacing] * len(dims)
    return tuple(_coordinate_gradient(input, d, s, edge_order) if isinstance(s, Tensor)
                 else _uniform_gradient(input, d, s, edge_order) for d, s in zip(dims, steps))
