"""torch.special: the Bessel, error-function, gamma and polynomial functions PyTorch has there,
and the torch.special names of ops declared elsewhere (special.expit is torch.sigmoid...).

Each op is one block: its forward (a kernel of ops/special_functions.py, run in the op's
dtype), its places, and its derivative as PyTorch defines it (tools/autograd/derivatives.yaml),
written with tensor ops so that create_graph=True records it. The Bessel functions of
integer order, the Airy function and the orthogonal polynomials have no derivative in
PyTorch: their results never require grad.
"""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import derivative, no_grad
from ..backend import xp_of
from ..dtypes import (DEFAULTS, FLOATING, FROM_NUMPY, bool_, float16, float32, result_type_of,
                      scalar_dtype)
from ..registry import export
from ..tensor import Tensor, record_if, saved_output, wrap
from . import gamma_functions, special_functions as K
from .common import finish_out
from .creation import arange
from .pointwise import erf, lgamma, sinc, times_number, where
from .pointwise import round as _round
from .reduction import logsumexp

_SQRT_2PI = math.sqrt(2 * math.pi)

# The torch.special names of ops defined elsewhere (pointwise.py declares its own: erf,
# gammaln, expit...).
for _op in (sinc, logsumexp):
    export("special")(_op)


# ---- the machinery of a float function of one or two tensors ------------------------------

def _tensor_arg(x, fn, arg="input", position=1):
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}(): argument '{arg}' (position {position}) must be Tensor, not "
                    f"{type(x).__name__}")


def _compute_dtype(dt, kernel, half):
    """Integers and bool compute in the default float dtype. float16 and bfloat16 only where
    PyTorch has a Half kernel (else its error): half="float" computes in float32 and rounds
    back, half="half" rounds every step to float16, as PyTorch's kernels written for
    c10::Half do (bfloat16, which NumPy lacks, in float32)."""
    if dt.category < FLOATING:
        return DEFAULTS.float_dtype
    if dt.category > FLOATING:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dt.short}\'')
    if dt.itemsize == 2:
        if not half:
            raise NotImplementedError(f'"{kernel}" not implemented for \'{dt.short}\'')
        return dt if half == "half" and dt is float16 else float32
    return dt


def _run(kernel, arrays, dt, cdt):
    """kernel(xp, *arrays) in cdt, the result in dt (float16 and bfloat16 round back)."""
    xp = xp_of(arrays[0])
    with np.errstate(all="ignore"):
        r = kernel(xp, *(a.astype(cdt.np, copy=False) for a in arrays))
    return wrap(xp.asarray(r).astype(dt.np, copy=False))


def _unary(name, kernel, input, out, node=None, half=False, save_out=False, kernel_name=None):
    """The op `name` of one tensor: kernel in its compute dtype, nan in nan out (PyTorch's
    branches pass nan through), recorded with node when one is given."""
    x = _tensor_arg(input, name)
    dt = FROM_NUMPY[x._data.dtype]
    cdt = _compute_dtype(dt, kernel_name or name + "_cpu", half)
    result_dt = cdt if dt.category < FLOATING else dt
    limits.check_dense(x._data, cdt.itemsize)

    def nan_through(xp, a):
        return xp.where(xp.isnan(a), a, kernel(xp, a))
    r = _run(nan_through, (x._data,), result_dt, cdt)
    if node is not None:
        r = record_if(node, r, (x,), save=(x,), save_out=save_out)
    return finish_out(r, out, name, (x,))


def _operand_dtype(v):
    if isinstance(v, Tensor):
        return (FROM_NUMPY[v._data.dtype], "dim" if v._data.ndim else "zero")
    return (scalar_dtype(v), "scalar")


def _binary_dtypes(a, b, kernel, half):
    groups = {"dim": [], "zero": [], "scalar": []}
    for v in (a, b):
        d, kind = _operand_dtype(v)
        groups[kind].append(d)
    dt = result_type_of(groups["dim"], groups["zero"], groups["scalar"])
    cdt = _compute_dtype(dt, kernel, half)
    return (cdt if dt.category < FLOATING else dt), cdt


def _binary_arrays(a, b):
    """The arrays of two operands, one of which may be a Python number."""
    ref = a if isinstance(a, Tensor) else b
    xp = xp_of(ref._data)
    return tuple(v._data if isinstance(v, Tensor) else xp.asarray(v) for v in (a, b))


def _binary(name, kernel, input, other, out, nodes=None, half=False, args=("input", "other"),
            kernel_name=None):
    """The op `name` of a tensor and a tensor or number (either one), recorded with
    nodes[0] (two tensors), nodes[1] (number, tensor) or nodes[2] (tensor, number)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        a, b = args
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got "
            f"({type(input).__name__}, {type(other).__name__}), but expected one of:\n"
            f" * (Tensor {a}, Tensor {b}, *, Tensor out = None)\n"
            f" * (Number {'self' if a == 'input' else a}, Tensor {b}, *, Tensor out = None)\n"
            f" * (Tensor {a}, Number {b}, *, Tensor out = None)\n")
    dt, cdt = _binary_dtypes(input, other, kernel_name or name + "_cpu", half)
    arrays = _binary_arrays(input, other)
    limits.check_result(np.broadcast_shapes(*(np.shape(a) for a in arrays)), cdt.itemsize)
    r = _run(kernel, arrays, dt, cdt)
    if nodes is not None:
        tensors = tuple(v for v in (input, other) if isinstance(v, Tensor))
        node = nodes[0] if len(tensors) == 2 else nodes[1] if isinstance(other, Tensor) \
            else nodes[2]
        r = record_if(node, r, tensors, params=(input, other), save=tensors)
    return finish_out(r, out, name, (input, other))


# ---- modified Bessel functions of the first kind ------------------------------------------

@derivative
def I0Backward0(node, grad):
    x, = node.saved
    return grad * special_i1(x)


@export("torch", "Tensor", "Tensor_", "torch_", "special")
def i0(input, *, out=None):
    """The modified Bessel function of the first kind of order 0."""
    return _unary("i0", K.i0, input, out, I0Backward0, half="float", kernel_name="i0_vml_cpu")


@derivative
def SpecialI0EBackward0(node, grad):
    x, = node.saved
    out = saved_output(node)
    return grad * (special_i1e(x) - x.sgn() * out)


@export("special.i0e")
def special_i0e(input, *, out=None):
    """exp(-|x|) i0(x)."""
    return _unary("special_i0e", K.i0e, input, out, SpecialI0EBackward0, half="half",
                  save_out=True, kernel_name="i0e_cpu")


def _tiny_safe(x):
    """PyTorch's i1 and i1e derivatives: x where |x| > eps, else eps (their limit 0.5 is
    put in by the caller), so that no nan is computed even in the branch not taken."""
    eps = float(np.finfo(x.dtype.np).eps)
    not_tiny = x.abs() > eps
    return not_tiny, where(not_tiny, x, eps)


@derivative
def SpecialI1Backward0(node, grad):
    x, = node.saved
    out = saved_output(node)
    not_tiny, safe = _tiny_safe(x)
    return grad * where(not_tiny, i0(safe) - out * safe.reciprocal(), 0.5)


@export("special.i1")
def special_i1(input, *, out=None):
    """The modified Bessel function of the first kind of order 1."""
    return _unary("special_i1", K.i1, input, out, SpecialI1Backward0, save_out=True,
                  kernel_name="i1_cpu", half="float")


@derivative
def SpecialI1EBackward0(node, grad):
    x, = node.saved
    out = saved_output(node)
    not_tiny, safe = _tiny_safe(x)
    return grad * where(not_tiny, special_i0e(safe) - out * (safe.sgn() + safe.reciprocal()),
                        0.5)


@export("special.i1e")
def special_i1e(input, *, out=None):
    """exp(-|x|) i1(x)."""
    return _unary("special_i1e", K.i1e, input, out, SpecialI1EBackward0, save_out=True,
                  kernel_name="i1e_cpu", half="float")


# ---- the normal distribution and the error function ---------------------------------------

@export("special.ndtr")
def special_ndtr(input, *, out=None):
    """The standard normal CDF, composed as PyTorch's: (1 + erf(x / sqrt(2))) * 0.5."""
    x = _tensor_arg(input, "special_ndtr")
    dt = _compute_dtype(x.dtype, "erf_vml_cpu", "half")
    if dt is not x.dtype and x.dtype.category < FLOATING:
        x = x.to(dt)
    r = times_number(1 + erf(times_number(x, math.sqrt(0.5))), 0.5)
    return finish_out(r, out, "special_ndtr", (x,))


@derivative
def SpecialNdtriBackward0(node, grad):
    out = saved_output(node)
    return grad * _SQRT_2PI * (out.square() / 2).exp()


@export("special.ndtri")
def special_ndtri(input, *, out=None):
    """The inverse of the standard normal CDF."""
    return _unary("special_ndtri", K.ndtri, input, out, SpecialNdtriBackward0, save_out=True,
                  kernel_name="ndtri_cpu")


@derivative
def SpecialLogNdtrBackward0(node, grad):
    x, = node.saved
    out = saved_output(node)
    return grad / _SQRT_2PI * (out + x.pow(2) / 2).neg().exp()


@export("special.log_ndtr")
def special_log_ndtr(input, *, out=None):
    """log of the standard normal CDF, accurate in both tails."""
    return _unary("special_log_ndtr", K.log_ndtr, input, out, SpecialLogNdtrBackward0,
                  save_out=True, kernel_name="log_ndtr_cpu")


@derivative
def SpecialErfcxBackward0(node, grad):
    x, = node.saved
    out = saved_output(node)
    return (2.0 * x * out - 2.0 / math.sqrt(math.pi)) * grad


@export("special.erfcx")
def special_erfcx(input, *, out=None):
    """The scaled complementary error function exp(x^2) erfc(x)."""
    return _unary("special_erfcx", K.erfcx, input, out, SpecialErfcxBackward0, save_out=True,
                  kernel_name="erfcx_cpu")


# ---- entropy, xlog1py, zeta, the multivariate log-gamma -----------------------------------

def _entr_kernel(xp, x):
    r = -x * K.libm(xp.log, x)
    r = xp.where(x == 0, x.dtype.type(0), r)
    return xp.where(x < 0, -np.inf, r)


@derivative
def SpecialEntrBackward0(node, grad):
    x, = node.saved
    return grad * -(1 + x.log())


@export("special.entr")
def special_entr(input, *, out=None):
    """-x log(x) for x > 0, 0 at 0, -inf below."""
    return _unary("special_entr", _entr_kernel, input, out, SpecialEntrBackward0, half="float",
                  kernel_name="entr_cpu")


def _xlog1py_kernel(xp, x, y):
    r = x * K.libm(xp.log1p, y)
    return xp.where((x == 0) & ~xp.isnan(y), r.dtype.type(0), r)


def _xlog1py_grads(node, grad):
    """PyTorch's: xlog1py(grad, y) (0 where x == 0 and y <= -1) for x; grad * x / (y + 1)."""
    (fx, _), (fy, _) = node.next_functions[0], node.next_functions[-1]
    x, y = node.params
    gx = gy = None
    if isinstance(x, Tensor) and fx is not None:
        gx = special_xlog1py(grad, y).masked_fill((x == 0) & (y <= -1), 0.0)
    if isinstance(y, Tensor) and fy is not None:
        gy = grad * x / (y + 1)
    return tuple(g for g, v in ((gx, x), (gy, y)) if isinstance(v, Tensor))


# tensor-tensor, tensor-number and number-tensor forms: one backward, PyTorch's three names
SpecialXlog1PyBackward0, SpecialXlog1PyBackward1, SpecialXlog1PyBackward2 = (
    derivative(_xlog1py_grads, name=f"SpecialXlog1PyBackward{i}") for i in range(3))


@export("special.xlog1py")
def special_xlog1py(input, other, *, out=None):
    """x * log1p(y), 0 where x is 0 (unless y is nan)."""
    return _binary("special_xlog1py", _xlog1py_kernel, input, other, out,
                   (SpecialXlog1PyBackward0, SpecialXlog1PyBackward1, SpecialXlog1PyBackward2),
                   half="float")


def _zeta_grads(node, grad):
    """d/dq zeta(x, q) = -x zeta(x + 1, q); PyTorch has no derivative in x."""
    x, q = node.params
    (fx, _), (fq, _) = node.next_functions[0], node.next_functions[-1]
    if isinstance(x, Tensor) and fx is not None:
        raise NotImplementedError("the derivative for 'zeta' is not implemented.")
    gq = grad * -x * special_zeta(x + 1.0, q) if isinstance(q, Tensor) and fq is not None \
        else None
    return tuple(g for g, v in ((None, x), (gq, q)) if isinstance(v, Tensor))


# tensor-tensor, tensor-number and number-tensor forms: one backward, PyTorch's three names
# (and no forward formula)
SpecialZetaBackward0, SpecialZetaBackward1, SpecialZetaBackward2 = (
    derivative(_zeta_grads, name=f"SpecialZetaBackward{i}", jvp="special_zeta")
    for i in range(3))


def _zeta_kernel(xp, x, q):
    dt = np.result_type(x, q)
    return gamma_functions.zeta(xp, xp.asarray(x, dtype=np.float64),
                                xp.asarray(q, dtype=np.float64)).astype(dt)


@export("special.zeta")
def special_zeta(input, other, *, out=None):
    """The Hurwitz zeta function: the sum over k >= 0 of (k + other) ** -input."""
    return _binary("special_zeta", _zeta_kernel, input, other, out,
                   (SpecialZetaBackward0, SpecialZetaBackward1, SpecialZetaBackward2))


@derivative
def MvlgammaBackward0(node, grad):
    x, = node.saved
    p = node.params
    return grad * _mvlgamma_terms(x, p).digamma().sum(-1)


def _mvlgamma_terms(x, p):
    """x - (i / 2) for i < p, along a new last dim (PyTorch's arange-and-add)."""
    return arange(-p / 2. + 0.5, 0.5, 0.5, dtype=x.dtype, device=x.device) + x.unsqueeze(-1)


@export("torch", "Tensor", "Tensor_", "special.multigammaln")
def mvlgamma(input, p, *, out=None):
    """The multivariate log-gamma function of dimension p."""
    x = _tensor_arg(input, "mvlgamma")
    if x.dtype is bool_:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if x.dtype.category > FLOATING:
        raise NotImplementedError(f'"arange_cpu" not implemented for \'{x.dtype.short}\'')
    xf = x if x.dtype.category == FLOATING else x.to(DEFAULTS.float_dtype)
    with no_grad():
        r = lgamma(_mvlgamma_terms(xf.detach(), p)).sum(-1) + p * (p - 1) * math.log(math.pi) / 4
    r = record_if(MvlgammaBackward0, r, (x,), params=p, save=(x,))
    return finish_out(r, out, "mvlgamma", (x,))


# ---- special.round: torch.round as PyTorch's decimals overload records it -----------------

@derivative
def RoundBackward1(node, grad):
    return grad * 0


@export("special.round")
def special_round(input, *, out=None):
    """torch.round, half to even."""
    x = _tensor_arg(input, "special_round")
    if x.dtype.category < FLOATING:
        raise NotImplementedError(f'"round_vml_cpu" not implemented for \'{x.dtype.short}\'')
    with no_grad():
        r = _round(x)
    r = record_if(RoundBackward1, r, (x,))
    return finish_out(r, out, "special_round", (x,))


# ---- functions PyTorch does not differentiate ---------------------------------------------

def _no_derivative(name, kernel, doc):
    def op(input, *, out=None):
        return _unary("special_" + name, kernel, input, out, kernel_name=name + "_cpu")
    op.__name__ = op.__qualname__ = "special_" + name
    op.__doc__ = doc
    export("special." + name)(op)
    return op


special_airy_ai = _no_derivative("airy_ai", K.airy_ai, "The Airy function Ai.")
special_bessel_j0 = _no_derivative("bessel_j0", K.bessel_j0,
                                   "The Bessel function of the first kind of order 0.")
special_bessel_j1 = _no_derivative("bessel_j1", K.bessel_j1,
                                   "The Bessel function of the first kind of order 1.")
special_bessel_y0 = _no_derivative("bessel_y0", K.bessel_y0,
                                   "The Bessel function of the second kind of order 0.")
special_bessel_y1 = _no_derivative("bessel_y1", K.bessel_y1,
                                   "The Bessel function of the second kind of order 1.")
special_modified_bessel_i0 = _no_derivative(
    "modified_bessel_i0", K.i0, "The modified Bessel function of the first kind of order 0.")
special_modified_bessel_i1 = _no_derivative(
    "modified_bessel_i1", K.i1, "The modified Bessel function of the first kind of order 1.")
special_modified_bessel_k0 = _no_derivative(
    "modified_bessel_k0", K.modified_bessel_k0,
    "The modified Bessel function of the second kind of order 0.")
special_modified_bessel_k1 = _no_derivative(
    "modified_bessel_k1", K.modified_bessel_k1,
    "The modified Bessel function of the second kind of order 1.")
special_scaled_modified_bessel_k0 = _no_derivative(
    "scaled_modified_bessel_k0", K.scaled_modified_bessel_k0, "exp(x) modified_bessel_k0(x).")
special_scaled_modified_bessel_k1 = _no_derivative(
    "scaled_modified_bessel_k1", K.scaled_modified_bessel_k1, "exp(x) modified_bessel_k1(x).")
special_spherical_bessel_j0 = _no_derivative(
    "spherical_bessel_j0", K.spherical_bessel_j0,
    "The spherical Bessel function of the first kind of order 0, sin(x) / x.")


def _n_as_int(xp, n):
    """PyTorch's static_cast<int64_t>(n) of the polynomial degree; nan and inf as -1."""
    if n.dtype.kind == "f":
        n = xp.where(xp.isfinite(n), n, -1)
    return xp.trunc(n).astype(np.int64)


def _polynomial(name, kernel, doc):
    def op(input, n, *, out=None):
        def run(xp, x, deg):
            x, deg = xp.broadcast_arrays(x, deg)
            return kernel(xp, x, _n_as_int(xp, deg))
        return _binary("special_" + name, run, input, n, out, args=("x", "n"),
                       kernel_name=name + "_cpu")
    op.__name__ = op.__qualname__ = "special_" + name
    op.__doc__ = doc
    export("special." + name)(op)
    return op


def _chebyshev(kind, shifted):
    return lambda xp, x, n: K.chebyshev(xp, x, n, kind, shifted)


for _kind in "tuvw":
    for _shifted in (False, True):
        _name = ("shifted_" if _shifted else "") + "chebyshev_polynomial_" + _kind
        globals()["special_" + _name] = _polynomial(
            _name, _chebyshev(_kind, _shifted),
            f"The {'shifted ' if _shifted else ''}Chebyshev polynomial of the "
            f"{'first second third fourth'.split()['tuvw'.index(_kind)]} kind, "
            f"{_kind.upper()}{'*' if _shifted else ''}_n(x).")
special_hermite_polynomial_h = _polynomial(
    "hermite_polynomial_h", K.hermite_h, "The physicists' Hermite polynomial H_n(x).")
special_hermite_polynomial_he = _polynomial(
    "hermite_polynomial_he", K.hermite_he, "The probabilists' Hermite polynomial He_n(x).")
special_laguerre_polynomial_l = _polynomial(
    "laguerre_polynomial_l", K.laguerre_l, "The Laguerre polynomial L_n(x).")
special_legendre_polynomial_p = _polynomial(
    "legendre_polynomial_p", K.legendre_p, "The Legendre polynomial P_n(x).")
