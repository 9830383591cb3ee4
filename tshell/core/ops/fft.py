"""torch.fft: discrete Fourier transforms (NumPy's and CuPy's pocketfft / cuFFT), with autograd.

As in PyTorch, every public transform is made of three primitives, each with its derivative:
_c2c (complex to complex, FftC2CBackward0), _r2c (real to complex, the full or the one-sided
half spectrum, FftR2CBackward0) and _c2r (a Hermitian half spectrum to real, FftC2RBackward0),
around the input's resizing (narrow / constant padding to n or s) and conjugation, so that
grad_fn and its next_functions are PyTorch's. A primitive scales by its normalization mode
("none", "by_root_n" or "by_n" of the transformed sizes), whichever the direction: a
derivative is the same primitive with the direction turned around.
"""
from __future__ import annotations

import numpy as np

from .. import limits
from ..autograd import derivative
from ..backend import xp_of
from ..dtypes import COMPLEX, DEFAULTS, FLOATING, FROM_NUMPY, float32, float64, to_dtype
from ..registry import export
from ..tensor import Tensor, record_if, wrap
from .common import finish_out, wrap_dim
from .conversion import to_backend_of
from .padding import pad
from .complex_numbers import conj_physical
from .creation import arange
from .pointwise import conj_copy
from .shape import roll

# The scaling of each normalization mode, as NumPy's `norm` for a forward and an inverse
# transform: NumPy names the direction that is scaled, PyTorch the amount.
_NUMPY_NORM = {("none", True): "backward", ("none", False): "forward",
               ("by_n", True): "forward", ("by_n", False): "backward",
               ("by_root_n", True): "ortho", ("by_root_n", False): "ortho"}


def _norm_mode(norm, forward):
    """PyTorch's norm_from_string: the mode of a forward or inverse transform."""
    if norm is None or norm == "backward":
        return "none" if forward else "by_n"
    if norm == "forward":
        return "by_n" if forward else "none"
    if norm == "ortho":
        return "by_root_n"
    raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def _complex_of(dt):
    return {float32: FROM_NUMPY[np.dtype(np.complex64)],
            float64: FROM_NUMPY[np.dtype(np.complex128)]}[dt]


def _real_of(dt):
    return float32 if dt.np == np.complex64 else float64


# ---- real and complex views of the gradient ------------------------------------------------
# x.to(complex)'s ToCopyBackward0 hands a complex gradient back, whose cast to real in the
# engine warns (NumPy's ComplexWarning); PyTorch's takes the real part, as these do.

@derivative
def ToCopyBackward0(node, grad):
    return _real(grad)


def _to_complex(x):
    """x (real) as complex, recorded as PyTorch's promotion x.to(complex) is."""
    r = wrap(x._data.astype(_complex_of(x.dtype).np))
    return record_if(ToCopyBackward0, r, (x,))


@derivative
def RealBackward0(node, grad):
    return _to_complex(grad)


def _real(z):
    """The real part of a complex tensor, in new memory."""
    return record_if(RealBackward0, wrap(z._data.real.copy()), (z,))


# ---- the three primitives ---------------------------------------------------------------

def _run(x, fn, dims, mode, forward, **kw):
    """fn (an xp.fft function) over dims, scaled by mode. Single precision is transformed
    in double and rounded: PyTorch's (MKL's) float32 transforms are within an ulp or two of
    that, closer than a float32 pocketfft is."""
    xd = x._data
    limits.check_dense(xd, 16)
    single = xd.dtype in (np.float32, np.complex64)
    r = fn(xd.astype(np.complex128 if xd.dtype.kind == "c" else np.float64) if single else xd,
           axes=dims, norm=_NUMPY_NORM[mode, forward], **kw)
    r = to_backend_of(r, xd)     # (a no-op but on the tests' stand-in device)
    return wrap(r.astype(np.complex64 if r.dtype.kind == "c" else np.float32) if single else r)


@derivative
def FftC2CBackward0(node, grad):
    dims, mode, forward = node.params
    return _c2c(grad, dims, mode, not forward)


def _c2c(x, dims, mode, forward):
    xp = xp_of(x._data).fft
    r = _run(x, xp.fftn if forward else xp.ifftn, dims, mode, forward)
    return record_if(FftC2CBackward0, r, (x,), params=(dims, mode, forward))


@derivative
def FftR2CBackward0(node, grad):
    dims, mode, onesided, full = node.params
    if onesided:        # the other half of the spectrum had zero gradient
        last = dims[-1]
        missing = full - grad.shape[last]
        grad = pad(grad, [0, 0] * (grad.ndim - 1 - last) + [0, missing])
    return _real(_c2c(grad, dims, mode, False))


def _r2c(x, dims, mode, onesided):
    """The forward transform of a real tensor: the whole spectrum or its one-sided half."""
    xp = xp_of(x._data).fft
    if onesided:
        r = _run(x, xp.rfftn, dims, mode, True)
    else:
        r = _run(wrap(x._data.astype(_complex_of(x.dtype).np)), xp.fftn, dims, mode, True)
    return record_if(FftR2CBackward0, r, (x,), params=(dims, mode, onesided,
                                                        x.shape[dims[-1]]))


@derivative
def FftC2RBackward0(node, grad):
    dims, mode, _ = node.params
    g = _r2c(grad, dims, mode, True)
    doubled = grad.shape[dims[-1]] - g.shape[dims[-1]]
    if doubled > 0:     # the bins the Hermitian half stands for twice
        weight = np.ones(g.shape[dims[-1]])
        weight[1:1 + doubled] = 2
        g = g * wrap(xp_of(g._data).asarray(weight.reshape(
            (-1,) + (1,) * (g.ndim - 1 - dims[-1])), dtype=_real_of(g.dtype).np))
    return g


def _c2r(x, dims, mode, last_size):
    """The real signal of last_size points along dims[-1] whose half spectrum is x."""
    xp = xp_of(x._data).fft
    s = [x.shape[d] for d in dims[:-1]] + [last_size]
    r = _run(x, xp.irfftn, dims, mode, False, s=s)
    return record_if(FftC2RBackward0, r, (x,), params=(dims, mode, last_size))


# ---- arguments ---------------------------------------------------------------------------

def _tensor_arg(x, fn):
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"fft_{fn}(): argument 'input' (position 1) must be Tensor, not "
                    f"{type(x).__name__}")


def _promote(x, require_complex):
    """PyTorch's promote_tensor_fft: integers to the default float dtype; float32 and
    float64 only on the CPU; complex when the transform needs it."""
    dt = x.dtype
    if dt.category == COMPLEX:
        return x
    if dt.category < FLOATING:
        dt = DEFAULTS.float_dtype
    if dt not in (float32, float64):
        raise RuntimeError(f"Unsupported dtype {dt.short}")
    if dt is not x.dtype:
        x = x.to(dt)
    return _to_complex(x) if require_complex else x


def _check_real(x, message):
    if x.dtype.category == COMPLEX:
        raise RuntimeError(f"{message}, but got {x.dtype.short}")


def _check_points(n):
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _resize(x, dims, sizes):
    """x cut (narrow) or zero-padded at the end of each dim to its size, as PyTorch's
    resize_fft_input: the cuts first, then one constant pad."""
    amounts = [0] * (2 * x.ndim)
    for d, n in zip(dims, sizes):
        if n == -1 or x.shape[d] == n:
            continue
        if x.shape[d] > n:
            x = x.narrow(d, 0, n)
        else:
            amounts[2 * (x.ndim - d - 1) + 1] = n - x.shape[d]
    if any(amounts):
        last = max(i for i, a in enumerate(amounts) if a) | 1
        x = pad(x, amounts[:last + 1])
    return x


def _one_dim(fn, x, n, dim):
    """(dim wrapped, n or the size there) of a one-dimensional transform."""
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"fft_{fn}(): argument 'dim' must be int, not {type(dim).__name__}")
    if x.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = wrap_dim(dim, x.ndim)
    return d, x.shape[d] if n is None else n


def _shape_and_dims(x, s, dim):
    """PyTorch's canonicalize_fft_shape_and_dim_args: (sizes, dims) of an n-dim transform."""
    dims = None
    if dim is not None:
        dims = [wrap_dim(d, x.ndim) for d in ((dim,) if isinstance(dim, int) else dim)]
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:
        s = list(s)
        if dims is not None and len(dims) != len(s):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        if len(s) > x.ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has "
                               f"{x.ndim} dimensions.")
        if dims is None:
            dims = list(range(x.ndim - len(s), x.ndim))
        sizes = [x.shape[d] if n == -1 else n for d, n in zip(dims, s)]
    elif dims is None:
        dims, sizes = list(range(x.ndim)), list(x.shape)
    else:
        sizes = [x.shape[d] for d in dims]
    for n in sizes:
        _check_points(n)
    return sizes, tuple(dims)


def _c2r_shape_and_dims(fn, x, s, dim):
    """The sizes and dims of a transform to real, whose last size is the output's."""
    sizes, dims = _shape_and_dims(x, s, dim)
    if not dims:
        raise RuntimeError(f"{fn} must transform at least one axis")
    last = 2 * (x.shape[dims[-1]] - 1) if s is None or list(s)[-1] == -1 else sizes[-1]
    _check_points(last)
    return sizes[:-1] + [last // 2 + 1], dims, last


def _finish(r, out, fn, x):
    return finish_out(r, out, "fft_" + fn, (x,))


# ---- one-dimensional transforms ------------------------------------------------------------

def _fft_c2c(fn, x, n, dim, norm, forward):
    d, n = _one_dim(fn, x, n, dim)
    _check_points(n)
    return _c2c(_resize(x, (d,), (n,)), (d,), _norm_mode(norm, forward), forward)


def _fft_r2c(fn, x, n, dim, norm, forward, onesided):
    _check_real(x, f"{fn} expects a real input tensor")
    x = _promote(x, False)
    d, n = _one_dim(fn, x, n, dim)
    _check_points(n)
    r = _r2c(_resize(x, (d,), (n,)), (d,), _norm_mode(norm, forward), onesided)
    return r if forward else conj_copy(r)


def _fft_c2r(fn, x, n, dim, norm, forward):
    x = _promote(x, True)
    d, _ = _one_dim(fn, x, n, dim)
    last = 2 * (x.shape[d] - 1) if n is None else n
    _check_points(last)
    if n is not None:
        x = _resize(x, (d,), (last // 2 + 1,))
    if forward:
        x = conj_copy(x)
    return _c2r(x, (d,), _norm_mode(norm, forward), last)


@export("fft")
def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """The one-dimensional discrete Fourier transform."""
    x = _tensor_arg(input, "fft")
    r = _fft_c2c("fft", x, n, dim, norm, True) if x.dtype.category == COMPLEX else \
        _fft_r2c("fft", x, n, dim, norm, True, False)
    return _finish(r, out, "fft", x)


@export("fft")
def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """The one-dimensional inverse discrete Fourier transform."""
    x = _tensor_arg(input, "ifft")
    r = _fft_c2c("ifft", x, n, dim, norm, False) if x.dtype.category == COMPLEX else \
        _fft_r2c("ifft", x, n, dim, norm, False, False)
    return _finish(r, out, "ifft", x)


@export("fft")
def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The one-sided transform of a real signal: n // 2 + 1 frequencies."""
    x = _tensor_arg(input, "rfft")
    return _finish(_fft_r2c("rfft", x, n, dim, norm, True, True), out, "rfft", x)


@export("fft")
def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of rfft: n real points (2 * (size - 1) by default) from a half spectrum."""
    x = _tensor_arg(input, "irfft")
    return _finish(_fft_c2r("irfft", x, n, dim, norm, False), out, "irfft", x)


@export("fft")
def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The transform of a Hermitian-symmetric signal given by its one-sided half: real."""
    x = _tensor_arg(input, "hfft")
    return _finish(_fft_c2r("hfft", x, n, dim, norm, True), out, "hfft", x)


@export("fft")
def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The inverse of hfft: the one-sided half of a real signal's inverse transform."""
    x = _tensor_arg(input, "ihfft")
    return _finish(_fft_r2c("ihfft", x, n, dim, norm, False, True), out, "ihfft", x)


# ---- n-dimensional transforms -------------------------------------------------------------

def _fftn_c2c(fn, x, s, dim, norm, forward):
    x = _promote(x, True)
    sizes, dims = _shape_and_dims(x, s, dim)
    return _c2c(_resize(x, dims, sizes), dims, _norm_mode(norm, forward), forward)


def _rfftn(fn, x, s, dim, norm):
    _check_real(x, f"{fn} expects a real-valued input tensor")
    sizes, dims = _shape_and_dims(x, s, dim)
    if not dims:
        raise RuntimeError(f"{fn} must transform at least one axis")
    x = _promote(x, False)
    return _r2c(_resize(x, dims, sizes), dims, _norm_mode(norm, True), True)


def _irfftn(fn, x, s, dim, norm):
    sizes, dims, last = _c2r_shape_and_dims(fn, x, s, dim)
    x = _promote(x, True)
    return _c2r(_resize(x, dims, sizes), dims, _norm_mode(norm, False), last)


def _hfftn(fn, x, s, dim, norm):
    sizes, dims, last = _c2r_shape_and_dims(fn, x, s, dim)
    x = _resize(_promote(x, True), dims, sizes)
    mode = _norm_mode(norm, True)
    if len(dims) > 1:
        x = _c2c(x, dims[:-1], mode, True)
    return _c2r(conj_copy(x), dims[-1:], mode, last)


def _ihfftn(fn, x, s, dim, norm):
    if x.dtype.category == COMPLEX:
        raise RuntimeError(f"Only supports floating-point dtypes, but found: {x.dtype.short}")
    sizes, dims = _shape_and_dims(x, s, dim)
    if not dims:
        raise RuntimeError(f"{fn} must transform at least one axis")
    x = _resize(_promote(x, False), dims, sizes)
    mode = _norm_mode(norm, False)
    r = _r2c(x, dims[-1:], mode, True)
    if len(dims) == 1:
        return conj_copy(r)
    return _c2c(conj_physical(r), dims[:-1], mode, False)


def _n_dim(name, transform, default_dim, doc):
    """The public n-dimensional (default_dim None) or two-dimensional transform."""
    def op(input, s=None, dim=default_dim, norm=None, *, out=None):
        x = _tensor_arg(input, name)
        return _finish(transform(name, x, s, dim, norm), out, name, x)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    return export("fft")(op)


fftn = _n_dim("fftn", lambda fn, x, s, d, norm: _fftn_c2c(fn, x, s, d, norm, True), None,
              "The n-dimensional discrete Fourier transform (all dims by default).")
ifftn = _n_dim("ifftn", lambda fn, x, s, d, norm: _fftn_c2c(fn, x, s, d, norm, False), None,
               "The n-dimensional inverse discrete Fourier transform.")
fft2 = _n_dim("fft2", lambda fn, x, s, d, norm: _fftn_c2c(fn, x, s, d, norm, True), (-2, -1),
              "The two-dimensional discrete Fourier transform of the last two dims.")
ifft2 = _n_dim("ifft2", lambda fn, x, s, d, norm: _fftn_c2c(fn, x, s, d, norm, False),
               (-2, -1), "The two-dimensional inverse discrete Fourier transform.")
rfftn = _n_dim("rfftn", _rfftn, None, "The n-dimensional transform of a real signal, "
               "one-sided in the last transformed dim.")
rfft2 = _n_dim("rfft2", _rfftn, (-2, -1), "The two-dimensional rfftn.")
irfftn = _n_dim("irfftn", _irfftn, None, "The inverse of rfftn.")
irfft2 = _n_dim("irfft2", _irfftn, (-2, -1), "The inverse of rfft2.")
hfftn = _n_dim("hfftn", _hfftn, None, "The n-dimensional hfft.")
hfft2 = _n_dim("hfft2", _hfftn, (-2, -1), "The two-dimensional hfft.")
ihfftn = _n_dim("ihfftn", _ihfftn, None, "The inverse of hfftn.")
ihfft2 = _n_dim("ihfft2", _ihfftn, (-2, -1), "The inverse of hfft2.")


# ---- frequencies and shifts ---------------------------------------------------------------

def _frequencies(fn, n, d, dtype, device, requires_grad, count, out):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"fft_{fn}(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    dt = to_dtype(dtype, fn=fn) or DEFAULTS.float_dtype
    if dt.category < FLOATING:
        raise RuntimeError(f"{fn} requires a floating point or complex dtype")
    if dt.category == COMPLEX:      # PyTorch's arange has no complex kernel
        raise NotImplementedError(f'"arange_cpu" not implemented for \'{dt.short}\'')
    r = arange(count, dtype=dt, device=device)
    if fn == "fftfreq":
        r._data[(n + 1) // 2:] -= n
    if n:
        r._data *= 1.0 / (n * d)        # PyTorch multiplies by the double 1 / (n * d)
    r.requires_grad_(requires_grad)
    return finish_out(r, out, "fft_" + fn, ())


@export("fft")
def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The sample frequencies of an n-point fft: [0, 1, ..., -1] / (n * d)."""
    return _frequencies("fftfreq", n, d, dtype, device, requires_grad, n, out)


@export("fft")
def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The sample frequencies of an n-point rfft: [0, 1, ..., n // 2] / (n * d)."""
    return _frequencies("rfftfreq", n, d, dtype, device, requires_grad, n // 2 + 1, out)


def _shift(x, dim, inverse):
    dims = list(range(x.ndim)) if dim is None else \
        [wrap_dim(d, x.ndim) for d in ((dim,) if isinstance(dim, int) else dim)]
    shifts = [(x.shape[d] + 1) // 2 if inverse else x.shape[d] // 2 for d in dims]
    return roll(x, shifts, dims)


@export("fft")
def fftshift(input, dim=None):
    """The zero frequency moved to the middle: a roll by size // 2 along each dim."""
    return _shift(_tensor_arg(input, "fftshift"), dim, False)


@export("fft")
def ifftshift(input, dim=None):
    """The inverse of fftshift: a roll by (size + 1) // 2."""
    return _shift(_tensor_arg(input, "ifftshift"), dim, True)

