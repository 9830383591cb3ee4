"""The float32 log and sincos of avx_mathfun.h (Cephes polynomials, 8 lanes in AVX2), which
PyTorch's CPU normal_ runs on float tensors of 16 elements or more, reproduced bit for bit
in NumPy float32: each step rounds as the vector instruction does, and the steps GCC fuses
into one FMA (measured against the torch wheel: the polynomial steps, the e * q1 term added
to y * z, the cosine's z * z step less z / 2) round once.
"""
from __future__ import annotations

import numpy as np

_F32 = np.float32
_F64 = np.float64

_LOG_P = tuple(_F32(v) for v in (
    7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
    -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1))
_LOG_Q1, _LOG_Q2 = _F32(-2.12194440e-4), _F32(0.693359375)
_SQRTHF = _F32(0.707106781186547524)
_MIN_NORM_POS = np.array(0x00800000, np.int32).view(_F32)
_HALF_BITS = int(np.array(0.5, _F32).view(np.int32))
_FOPI = _F32(1.27323954473516)
_DP = tuple(_F32(v) for v in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8))
_COS_P = tuple(_F32(v) for v in (2.443315711809948E-005, -1.388731625493765E-003,
                                 4.166664568298827E-002))
_SIN_P = tuple(_F32(v) for v in (-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1))


def fma(a, b, c):
    """a * b + c rounded once to float32: the float32 product is exact in float64, and the
    sum's double rounding (float64, then float32) errs only on exact float32 ties."""
    return (a.astype(_F64) * b + c).astype(_F32)


def _horner(coefficients, x):
    y = np.full(x.shape, coefficients[0], _F32)
    for c in coefficients[1:]:
        y = fma(y, x, c)
    return y


def log_ps(x):
    """log256_ps: NaN for x <= 0."""
    invalid = x <= 0
    x = np.maximum(x, _MIN_NORM_POS)
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7f).astype(_F32) + _F32(1)
    x = ((bits & ~0x7f800000) | _HALF_BITS).view(_F32)
    small = x < _SQRTHF
    tmp = np.where(small, x, _F32(0))
    x = x - _F32(1)
    e = e - small.astype(_F32)
    x = x + tmp
    z = x * x
    y = _horner(_LOG_P, x) * x
    y = fma(y, z, e * _LOG_Q1)
    y = y - z * _F32(0.5)
    x = x + y
    x = fma(e, _LOG_Q2, x)
    x[invalid] = np.nan
    return x


def sincos_ps(x):
    """sincos256_ps: (sin x, cos x)."""
    sin_negative = np.signbit(x)
    x = np.abs(x)
    j = (x * _FOPI).astype(np.int32)           # cvttps: truncation
    j = (j + 1) & ~1
    y = j.astype(_F32)
    sin_negative ^= (j & 4) != 0
    cos_negative = (~(j - 2) & 4) != 0
    sine_poly = (j & 2) == 0
    for dp in _DP:
        x = fma(y, dp, x)
    z = x * x
    yc = _horner(_COS_P, z) * z
    yc = fma(yc, z, -(z * _F32(0.5))) + _F32(1)
    ys = _horner(_SIN_P, z) * z
    ys = fma(ys, x, x)
    s = np.where(sine_poly, ys, yc)
    c = np.where(sine_poly, yc, ys)
    np.negative(s, out=s, where=sin_negative)
    np.negative(c, out=c, where=cos_negative)
    return s, c
