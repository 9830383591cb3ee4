"""Activation functions (torch.nn.functional): softmax, log_softmax and softmin along a dim,
the elementwise activations (elu, gelu, silu, hardtanh, threshold...), glu and prelu."""
from __future__ import annotations

import warnings

import numpy as np

from .. import random_kernels
from ..autograd import derivative
from ..backend import xp_of
from ..dtypes import FLOATING, to_dtype
from ..random import _like, _rng
from ..registry import export
from ..tensor import record_if, saved_output, wrap
from .backward_ops import log_softmax_backward_data, softmax_backward_data
from .common import (LANES, dense, dense_as_float, fold_short_rows, half_as_float,
                     require_float, wrap_dim)
from .inplace import apply_inplace
from .pointwise import SAME, cody_erf, exp_kernel, log_kernel, relu, unary, where
from .shape import cat


# ---- softmax and log_softmax -------------------------------------------------------------------

def _float_input(input, dtype, name="softmax", lastdim=True):
    dt = to_dtype(dtype, fn=name)
    x = input if dt is None else input.to(dt)
    require_float(x, f"{name}_lastdim_kernel_impl" if lastdim else f"{name}_kernel_impl")
    return x


@derivative
def SoftmaxBackward0(node, grad):
    d, = node.params
    return softmax_backward_data(grad, saved_output(node), d)


@derivative
def LogSoftmaxBackward0(node, grad):
    d, = node.params
    return log_softmax_backward_data(grad, saved_output(node), d)


def _implicit_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


def _normalise(input, dim, dtype, name, node_cls, log):
    """softmax / log_softmax along dim: shift by the max so exp never overflows."""
    nd = input._data.ndim
    d = wrap_dim(_implicit_dim(nd) if dim is None else dim, nd, name)
    x = _float_input(input, dtype, name, d == nd - 1 or nd == 0)
    xp = xp_of(x._data)
    axis = d if x._data.ndim else None
    out_dtype = x._data.dtype
    xd = dense_as_float(x)
    if xd.size:
        lastdim = d == nd - 1
        # PyTorch folds a short row lane by lane (the float32 sum order of 10-class
        # log_softmax: 1% of results differ from PyTorch's in the last bit, against 12%
        # with NumPy's pairwise sum)
        short = lastdim and xd.shape[d] < LANES
        shifted = xd - (fold_short_rows(xd, "max") if short else
                        xd.max(axis=axis, keepdims=True))
        e = exp_kernel(xp, shifted)
        total = fold_short_rows(e, "sum") if short else e.sum(axis=axis, keepdims=True)
        if log and out_dtype != xd.dtype and lastdim:
            total = total.astype(out_dtype).astype(xd.dtype)   # PyTorch's last-dim kernel
        if log:
            r = shifted - log_kernel(xp, total)
        else:                       # PyTorch's last-dim kernel multiplies by 1 / sum
            r = e * (1 / total) if lastdim else e / total
    else:
        r = xd.copy()
    return record_if(node_cls, wrap(r.astype(out_dtype, copy=False)), (x,), (d,), save_out=True)


class _Required:
    """The default of a parameter PyTorch requires: its absence is worded as PyTorch's."""

    def __repr__(self):
        return "<required>"


_REQUIRED = _Required()


def _missing_dim(name, dim):
    """PyTorch's error for a dim torch.softmax does not take: none, or None (worded as
    PyTorch words dim=None; given by position, PyTorch also names the position)."""
    if dim is None:
        return TypeError(f"{name}(): argument 'dim' must be int, not NoneType")
    return TypeError(f'{name}() missing 1 required positional arguments: "dim"')


@export("torch", "Tensor")
def softmax(input, dim=_REQUIRED, dtype=None):
    """exp(x) / sum(exp(x)) along dim, computed stably."""
    if dim is _REQUIRED or dim is None:
        raise _missing_dim("softmax", dim)
    return _normalise(input, dim, dtype, "softmax", SoftmaxBackward0, log=False)


@export("torch", "Tensor")
def log_softmax(input, dim=_REQUIRED, dtype=None):
    """log(softmax(x)) along dim, computed stably."""
    if dim is _REQUIRED or dim is None:
        raise _missing_dim("log_softmax", dim)
    return _normalise(input, dim, dtype, "log_softmax", LogSoftmaxBackward0, log=True)


@export("special.softmax")
def special_softmax(input, dim=_REQUIRED, dtype=None):
    """exp(x) / sum(exp(x)) along dim, computed stably."""
    if dim is _REQUIRED or dim is None:
        raise _missing_dim("special_softmax", dim)
    return _normalise(input, dim, dtype, "softmax", SoftmaxBackward0, log=False)


@export("special.log_softmax")
def special_log_softmax(input, dim=_REQUIRED, dtype=None):
    """log(softmax(x)) along dim, computed stably."""
    if dim is _REQUIRED or dim is None:
        raise _missing_dim("special_log_softmax", dim)
    return _normalise(input, dim, dtype, "log_softmax", LogSoftmaxBackward0, log=True)


def _implicit(dim, input, name, stacklevel):
    """torch.nn.functional's dim=None: PyTorch's deprecated choice by ndim, with its warning."""
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                      "call to include dim=X as an argument.", stacklevel=stacklevel)
        dim = _implicit_dim(input.ndim)
    return dim


@export("F.softmax")
def functional_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along dim (dim=None: chosen by ndim, with a warning)."""
    if dim is None:
        dim = _implicit(dim, input, "softmax", _stacklevel + 1)
    return _normalise(input, dim, dtype, "softmax", SoftmaxBackward0, log=False)


@export("F.log_softmax")
def functional_log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along dim (dim=None: chosen by ndim, with a warning)."""
    if dim is None:
        dim = _implicit(dim, input, "log_softmax", _stacklevel + 1)
    return _normalise(input, dim, dtype, "log_softmax", LogSoftmaxBackward0, log=True)


# ---- elementwise activations -------------------------------------------------------------------
# Each is one elementwise op declared with pointwise.unary: its kernel (on the array, half
# precision computed in float and rounded once), its derivative in tensor ops (so that
# create_graph=True works) and PyTorch's node name. PyTorch's in-place forms that record
# another node (EluBackward1...) get a second declaration under that name.

def _kernel(fn):
    """fn(xp, a, *params) on float data (half as float), the result in a's dtype."""
    def forward(xp, a, p):
        return fn(xp, half_as_float(a), *p).astype(a.dtype, copy=False)
    return forward


def _activation(name, fn, derivative, grad_fn, kernel=None, inplace_grad_fn=None,
                on_bool=None):
    """The op of one activation: float-only (PyTorch's kernel name `kernel`) unless
    kernel is None; `inplace_grad_fn`: the node name its in-place form records."""
    opts = dict(rule=SAME, float_only=kernel, on_bool=on_bool, saves_input=True)
    op = unary(name, _kernel(fn), grad_fn=grad_fn, **opts)(derivative)
    op.inplace_op = (unary(name, _kernel(fn), grad_fn=inplace_grad_fn, **opts)(derivative)
                     if inplace_grad_fn else op)
    return op


def _run(op, input, params, inplace=False):
    if inplace:
        return apply_inplace(input, op.inplace_op, params=params)
    return op(input, params=params)


def _positive(x):
    return x > 0


# elu, selu, celu: scale * (x if x > 0 else alpha * (exp(x * input_scale) - 1))
def _elu_kernel(xp, a, alpha, scale, input_scale):
    return xp.where(a > 0, a * scale, xp.expm1(a * input_scale) * (alpha * scale))


def _elu_grad(grad, x, out, p):
    alpha, scale, input_scale = p
    neg = (x * input_scale).exp() * (alpha * scale * input_scale)
    return grad * where(_positive(x), scale, neg)


_elu = _activation("elu", _elu_kernel, _elu_grad, "EluBackward0", "elu_cpu", "EluBackward1")
_celu = _activation("celu", _elu_kernel, _elu_grad, "CeluBackward0", "elu_cpu",
                    "CeluBackward1")
_SELU = (1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1.0)


@export("F")
def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (exp(x) - 1) otherwise."""
    return _run(_elu, input, (alpha, 1.0, 1.0), inplace)


@export("F")
def elu_(input, alpha=1.0):
    return elu(input, alpha, True)


@export("torch", "F")
def selu(input, inplace=False):
    """scale * elu(x, alpha) with SELU's fixed alpha and scale."""
    return _run(_elu, input, _SELU, inplace)


@export("torch", "F")
def selu_(input):
    return selu(input, True)


@export("torch", "F")
def celu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (exp(x / alpha) - 1) otherwise."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _run(_celu, input, (alpha, 1.0, 1.0 / alpha), inplace)


@export("torch", "F")
def celu_(input, alpha=1.0):
    return celu(input, alpha, True)


# leaky_relu and rrelu
def _leaky_kernel(xp, a, slope):
    return xp.where(a > 0, a, a * slope)


def _leaky_grad(grad, x, out, p):
    return grad * where(_positive(x), 1.0, p[0])


_leaky_relu = _activation("leaky_relu", _leaky_kernel, _leaky_grad, "LeakyReluBackward0",
                          "leaky_relu_cpu", "LeakyReluBackward1")


@export("F")
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, negative_slope * x otherwise."""
    return _run(_leaky_relu, input, (negative_slope,), inplace)


@export("F")
def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def _rrelu_kernel(xp, a, slope, noise=None):
    if noise is None:
        return _leaky_kernel(xp, a, slope)
    return xp.where(a > 0, a, a * noise.astype(a.dtype, copy=False))


def _rrelu_grad(grad, x, out, p):
    slope, noise = p
    if noise is None:
        return _leaky_grad(grad, x, out, p)
    return grad * where(_positive(x), 1.0, wrap(noise.astype(x._data.dtype)))


_rrelu = _activation("rrelu", _rrelu_kernel, _rrelu_grad, "RreluWithNoiseBackward0",
                     "leaky_relu_cpu", "RreluWithNoiseBackward1")


@export("torch", "F")
def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: in training, each negative element's slope is drawn from
    U(lower, upper); otherwise the slope is (lower + upper) / 2."""
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    noise = None
    # (a meta input has no values to pick the slopes by, and PyTorch's meta kernel draws none)
    if training and input.dtype.category >= FLOATING and not input.is_meta:
        noise = _rrelu_slopes(input, lower, upper)
    return _run(_rrelu, input, ((lower + upper) / 2, noise), inplace)


def _rrelu_slopes(input, lower, upper):
    """PyTorch's rrelu_with_noise draws: a double uniform in [lower, upper) (the bounds
    rounded to the input's dtype first) for each element <= 0 in turn, rounded to the
    input's dtype (1 elsewhere)."""
    x = input.detach().cpu().numpy().reshape(-1)
    slopes = np.ones(x.shape, x.dtype)
    drawn = x <= 0
    opmath = np.float64 if x.dtype == np.float64 else np.float32
    lower, upper = (float(opmath(bound)) for bound in (lower, upper))
    slopes[drawn] = random_kernels.uniform(_rng(None), int(drawn.sum()), np.dtype(np.float64),
                                           lower, upper)
    return _like(slopes.reshape(input.shape), input)._data


@export("torch", "F")
def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, True)


# hardtanh, relu6, threshold: integer tensors too (the bounds cast to their type)
def _bound(value, a):
    return int(value) if a.dtype.kind in "iu" else value


def _hardtanh_kernel(xp, a, lo, hi):
    return xp.clip(a, _bound(lo, a), _bound(hi, a))


def _masked(grad, keep):
    """grad where keep holds, else +0 (as PyTorch's kernels: not grad * 0)."""
    return where(keep, grad, 0.0)


def _hardtanh_grad(grad, x, out, p):
    lo, hi = p
    return _masked(grad, (x > lo) & (x < hi))


_hardtanh = _activation("hardtanh", _hardtanh_kernel, _hardtanh_grad, "HardtanhBackward0",
                        on_bool=RuntimeError("Bool inputs not supported for hardtanh"))


@export("F")
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _run(_hardtanh, input, (min_val, max_val), inplace)


@export("F")
def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, True)


@export("F")
def relu6(input, inplace=False):
    """min(max(x, 0), 6)."""
    return _run(_hardtanh, input, (0.0, 6.0), inplace)


def _threshold_kernel(xp, a, threshold, value):
    return xp.where(a <= _bound(threshold, a), a.dtype.type(_bound(value, a)), a)


def _threshold_grad(grad, x, out, p):
    return _masked(grad, ~(x <= p[0]))     # PyTorch's `x <= threshold ? 0 : grad`: NaN passes


_threshold = _activation("threshold", _threshold_kernel, _threshold_grad, "ThresholdBackward0",
                         inplace_grad_fn="ThresholdBackward1",
                         on_bool=NotImplementedError(
                             '"threshold_cpu" not implemented for \'Bool\''))


@export("torch", "F")
def threshold(input, threshold, value, inplace=False):
    """value where x <= threshold, else x."""
    return _run(_threshold, input, (threshold, value), inplace)


@export("torch", "F")
def threshold_(input, threshold, value):
    return _run(_threshold, input, (threshold, value), True)


# gelu
_SQRT_HALF = 0.7071067811865476
_SQRT_2_OVER_PI = 0.7978845608028654
_INV_SQRT_2PI = 0.3989422804014327


def _gelu_kernel(xp, a, approximate):
    if approximate == "tanh":
        return 0.5 * a * (1 + xp.tanh(_SQRT_2_OVER_PI * (a + 0.044715 * a * a * a)))
    # erf rounded to a's type, then 1 + erf in that type, as PyTorch's kernel computes it
    # (PyTorch's float32 kernel on contiguous tensors uses a less accurate erf: values of
    # order 1e-3 and below can differ in the 4th digit)
    e = cody_erf(xp, (a * a.dtype.type(_SQRT_HALF)).astype("float64")).astype(a.dtype)
    return a * a.dtype.type(0.5) * (1 + e)


def _gelu_grad(grad, x, out, p):
    if p[0] == "tanh":
        inner = (x + x * x * x * 0.044715) * _SQRT_2_OVER_PI
        t = inner.tanh()
        d_inner = (x * x * (3 * 0.044715) + 1) * _SQRT_2_OVER_PI
        return grad * ((t + 1) * 0.5 + x * 0.5 * (1 - t * t) * d_inner)
    cdf = ((x * _SQRT_HALF).erf() + 1) * 0.5
    pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
    return grad * (cdf + x * pdf)


_gelu = _activation("gelu", _gelu_kernel, _gelu_grad, "GeluBackward0", "GeluKernelImpl")


@export("F")
def gelu(input, approximate="none"):
    """x * Phi(x) (Phi: the standard normal CDF); approximate='tanh': PyTorch's tanh form."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _gelu(input, params=(approximate,))


# silu, mish, hardsigmoid, hardswish
def _silu_kernel(xp, a):
    return a / (1 + xp.exp(-a))


def _silu_grad(grad, x, out, p):
    s = x.sigmoid()
    return grad * s * (x * (1 - s) + 1)


_silu = _activation("silu", _silu_kernel, _silu_grad, "SiluBackward0", "silu_cpu")


@export("F")
def silu(input, inplace=False):
    """x * sigmoid(x)."""
    return _run(_silu, input, (), inplace)


def _mish_kernel(xp, a):
    return a * xp.tanh(xp.log1p(xp.exp(a)))


def _mish_grad(grad, x, out, p):
    t = softplus(x).tanh()
    return grad * (t + x * x.sigmoid() * (1 - t * t))


_mish = _activation("mish", _mish_kernel, _mish_grad, "MishBackward0", "mish_cpu")


@export("F")
def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    return _run(_mish, input, (), inplace)


def _hardsigmoid_kernel(xp, a):
    return xp.clip(a + 3, 0, 6) / 6


def _hardsigmoid_grad(grad, x, out, p):
    return _masked(grad / 6, (x > -3) & (x < 3))


_hardsigmoid = _activation("hardsigmoid", _hardsigmoid_kernel, _hardsigmoid_grad,
                           "HardsigmoidBackward0", "hardsigmoid_cpu")


@export("F")
def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6."""
    return _run(_hardsigmoid, input, (), inplace)


def _hardswish_kernel(xp, a):
    return a * xp.clip(a + 3, 0, 6) / 6


def _hardswish_grad(grad, x, out, p):
    return _masked(grad * where(x < 3, x / 3 + 0.5, 1.0), x > -3)


_hardswish = _activation("hardswish", _hardswish_kernel, _hardswish_grad, "HardswishBackward0",
                         "hardswish_cpu")


@export("F")
def hardswish(input, inplace=False):
    """x * relu6(x + 3) / 6."""
    return _run(_hardswish, input, (), inplace)


# softplus, logsigmoid
def _softplus_kernel(xp, a, beta, threshold):
    z = a * beta
    return xp.where(z > threshold, a, xp.log1p(xp.exp(z)) / beta)


def _softplus_grad(grad, x, out, p):
    beta, threshold = p
    z = x * beta
    return grad * where(z > threshold, 1.0, z.sigmoid())


_softplus = _activation("softplus", _softplus_kernel, _softplus_grad, "SoftplusBackward0",
                        "softplus_cpu")


@export("F")
def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * x)) / beta; x itself where beta * x > threshold."""
    return _softplus(input, params=(beta, threshold))


def _logsigmoid_kernel(xp, a):
    return xp.minimum(a, 0) - xp.log1p(xp.exp(-xp.abs(a)))


def _logsigmoid_grad(grad, x, out, p):
    return grad * (-x).sigmoid()


_logsigmoid = _activation("logsigmoid", _logsigmoid_kernel, _logsigmoid_grad,
                          "LogSigmoidBackward0", "log_sigmoid_cpu")


@export("F")
def logsigmoid(input):
    """log(sigmoid(x)), computed without overflow."""
    return _logsigmoid(input, params=())


# softshrink, hardshrink
def _softshrink_kernel(xp, a, lambd):
    return xp.where(a > lambd, a - lambd, xp.where(a < -lambd, a + lambd, a * 0))


def _shrink_grad(grad, x, out, p):
    return _masked(grad, (x < -p[0]) | (x > p[0]))


_softshrink = _activation("softshrink", _softshrink_kernel, _shrink_grad, "SoftshrinkBackward0",
                          "softshrink_check")


@export("F")
def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    if lambd < 0 and input.dtype.category >= FLOATING:
        top = float(np.finfo(input._data.dtype).max)
        raise RuntimeError(f"lambda must be in range [0, {top:g}] for input dtype "
                           f"{input.dtype.short}, but found {lambd:g}")
    return _softshrink(input, params=(lambd,))


def _hardshrink_kernel(xp, a, lambd):
    return xp.where((a >= -lambd) & (a <= lambd), 0, a)


_hardshrink = _activation("hardshrink", _hardshrink_kernel, _shrink_grad, "HardshrinkBackward0",
                          "hardshrink_cpu")


@export("torch", "Tensor", "F")
def hardshrink(input, lambd=0.5):
    """0 where -lambd <= x <= lambd, else x."""
    return _hardshrink(input, params=(lambd,))


@export("F.relu")
def functional_relu(input, inplace=False):
    """max(x, 0); in place with inplace=True (torch.relu is the op: no inplace argument)."""
    return input.relu_() if inplace else relu(input)


@export("F")
def relu_(input):
    """In-place relu."""
    return input.relu_()


# composites, as PyTorch writes them in Python (their grad_fn is the last op's)

@export("F")
def softsign(input):
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


@export("F")
def tanhshrink(input):
    """x - tanh(x)."""
    return input - input.tanh()


@export("F")
def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along dim."""
    return softmax(-input, _implicit(dim, input, "softmin", _stacklevel + 1), dtype=dtype)


# glu: a * sigmoid(b), a and b the halves of the input along dim
@derivative
def GluBackward0(node, grad):
    x, = node.saved
    d, = node.params
    a, b = x.chunk(2, d)
    s = b.sigmoid()
    return cat([grad * s, grad * a * s * (1 - s)], d)


@export("F")
def glu(input, dim=-1):
    """The gated linear unit: a * sigmoid(b), input split in halves a, b along dim."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = wrap_dim(dim, input.ndim, "glu")
    require_float(input, "glu_cpu")
    n = input.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    xd = input._data
    xp = xp_of(xd)
    a, b = xp.split(dense_as_float(input), 2, axis=d)
    r = wrap((a / (1 + xp.exp(-b))).astype(xd.dtype, copy=False))
    return record_if(GluBackward0, r, (input,), (d,), save=(input,))


# prelu: max(0, x) + weight * min(0, x), weight one per channel (dim 1) or one in all
@derivative
def PreluKernelBackward0(node, grad):
    x, w = node.saved
    pos = _positive(x)
    gx = grad * where(pos, 1.0, w) if node.next_functions[0][0] is not None else None
    gw = None
    if node.next_functions[1][0] is not None:
        gw = (grad * where(pos, 0.0, x)).sum_to_size(w.shape)
    return gx, gw


@export("torch", "Tensor", "F")
def prelu(input, weight):
    """x for x > 0, weight * x otherwise; weight has one element or one per channel."""
    if input.ndim == 0 and weight.numel() != 1:
        raise RuntimeError("Not allow zero-dim input tensor.")
    require_float(input, "prelu_cpu")
    channels = input.shape[1] if input.ndim >= 2 else 1
    n = weight.numel()
    if n != 1 and (weight.ndim != 1 or n != channels):
        raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                           f"parameter numbers = {n} and channel size = {channels}.")
    # PyTorch views the weight to broadcast over the input (the graph shows ViewBackward0)
    shape = [1] * input.ndim
    if input.ndim >= 2:
        shape[1] = n
    shape = tuple(shape)
    w = weight if tuple(weight.shape) == shape else weight.view(shape)
    xd, wd = dense(input), w._data
    xp = xp_of(xd)
    r = wrap(xp.where(xd > 0, xd, xd * wd).astype(xd.dtype, copy=False))
    return record_if(PreluKernelBackward0, r, (input, w), save=(input, w))


# The functions torch.nn.functional and torch.special name as PyTorch does (help, errors)
for _fn, _name in ((functional_softmax, "softmax"), (functional_log_softmax, "log_softmax"),
                   (special_softmax, "softmax"), (special_log_softmax, "log_softmax"),
                   (functional_relu, "relu")):
    _fn.__name__ = _fn.__qualname__ = _name
