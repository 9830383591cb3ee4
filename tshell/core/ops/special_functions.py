"""Bessel, error-function and orthogonal-polynomial kernels on arrays, for torch.special.

Each kernel takes a float32 or float64 array of one backend (`xp`: NumPy or CuPy) and computes
in its dtype, following PyTorch 2.13's formulas (ATen/native/Math.h: Cephes' approximations,
S. G. Johnson's erfcx, PyTorch's polynomial recurrences) step for step. PyTorch's compiler
fuses `a * b + c` into one rounding (FMA); in float32, where a digit of print depends on it
near cancellations, `fma` does the same through float64 (float64 kernels round twice: a few
ulp, never a printed digit).
"""
from __future__ import annotations

import math

import numpy as np

from . import special_coefficients as C
from .pointwise import cody_erf

_SQRT1_2 = math.sqrt(0.5)
_TWO_OVER_PI = 2 / math.pi
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_RSQRTPI = 1 / math.sqrt(math.pi)


def fma(a, b, c):
    """a * b + c, rounded once for float32 arrays (exact in float64, then rounded)."""
    if getattr(a, "dtype", None) == np.float32 or getattr(b, "dtype", None) == np.float32:
        return (a.astype(np.float64) * b + c).astype(np.float32)
    return a * b + c


def libm(fn, a):
    """fn(a); for float32 computed in float64 and rounded, as glibc's float functions round
    correctly and NumPy's float32 kernels (1 ulp off) do not: n * acos(x) shows it."""
    if getattr(a, "dtype", None) == np.float32:
        return fn(a.astype(np.float64)).astype(np.float32)
    return fn(a)


def horner(z, coeffs):
    """coeffs[0] z^(n-1) + ... + coeffs[-1] (Cephes' polevl), in z's dtype."""
    dt = z.dtype.type
    p = dt(coeffs[0])
    for c in coeffs[1:]:
        p = fma(p, z, dt(c))
    return p


def clenshaw(z, coeffs):
    """The Chebyshev series of coeffs at z, Cephes' chbevl, in z's dtype."""
    dt = z.dtype.type
    b0, b1, b2 = dt(coeffs[0]), dt(0), dt(0)
    for c in coeffs[1:]:
        b2, b1 = b1, b0
        b0 = fma(z, b1, -b2) + dt(c)
    return dt(0.5) * (b0 - b2)


# ---- modified Bessel functions of the first kind ------------------------------------------

def piecewise(xp, cond, x, low, high):
    """low(x) where cond, high(x) elsewhere, each computed only on its own elements (a
    Chebyshev series per branch is most of a kernel's time)."""
    out = xp.empty_like(x)
    for mask, piece in ((cond, low), (~cond, high)):
        part = x[mask]
        if part.size:
            out[mask] = piece(part)
    return out


def i0e(xp, x):
    return piecewise(xp, xp.abs(x) <= 8, xp.abs(x),
                     lambda a: clenshaw(a / 2 - 2, C.I0E_A),
                     lambda a: clenshaw(32.0 / a - 2, C.I0E_B) / xp.sqrt(a))


def i0(xp, x):
    return libm(xp.exp, xp.abs(x)) * i0e(xp, x)


def i1e(xp, x):
    a_table, b_table = (C.I1E_A, C.I1E_B) if x.dtype == np.float64 else \
        (C.I1E_A_FLOAT, C.I1E_B_FLOAT)
    r = piecewise(xp, xp.abs(x) <= 8, xp.abs(x),
                  lambda a: clenshaw(a / 2 - 2, a_table) * a,
                  lambda a: clenshaw(32.0 / a - 2, b_table) / xp.sqrt(a))
    return xp.where(x < 0, -r, r)


def i1(xp, x):
    return libm(xp.exp, xp.abs(x)) * i1e(xp, x)


# ---- modified Bessel functions of the second kind ------------------------------------------

def _k(xp, x, order, scaled):
    """K0 or K1 (times exp(x) when scaled): up to 2 a series with log(x/2) I(x), beyond a
    Chebyshev series of sqrt(x) exp(x) K(x)."""
    a, b = (C.MK0_A, C.MK0_B) if order == 0 else (C.MK1_A, C.MK1_B)

    def small(x):
        series = clenshaw(x * x - 2, a)
        log_i = libm(xp.log, 0.5 * x) * (i0 if order == 0 else i1)(xp, x)
        r = series - log_i if order == 0 else log_i + series / x
        return r * libm(xp.exp, x) if scaled else r

    def large(x):
        r = clenshaw(8.0 / x - 2, b) / xp.sqrt(x)
        return r if scaled else libm(xp.exp, -x) * r

    r = piecewise(xp, x <= 2, x, small, large)
    r = xp.where(x < 0, np.nan, r)
    return xp.where(x == 0, np.inf, r)


def modified_bessel_k0(xp, x):
    return _k(xp, x, 0, False)


def modified_bessel_k1(xp, x):
    return _k(xp, x, 1, False)


def scaled_modified_bessel_k0(xp, x):
    return _k(xp, x, 0, True)


def scaled_modified_bessel_k1(xp, x):
    return _k(xp, x, 1, True)


# ---- Bessel functions of the first and second kind ----------------------------------------

def _hankel(xp, pp, pq, qp, qq, phase, second_kind):
    """The asymptotic form beyond 5: sqrt(2/(pi x)) (P cos(x - phase) - 5/x Q sin(...)), or
    with sin and cos exchanged for Y."""
    def form(x):
        z = 25.0 / (x * x)
        p = horner(z, pp) / horner(z, pq)
        q = 5.0 / x * (horner(z, qp) / horner(z, qq))
        s, c = libm(xp.sin, x - phase), libm(xp.cos, x - phase)
        r = p * s + q * c if second_kind else p * c - q * s
        return r * _SQRT_2_OVER_PI / xp.sqrt(x)
    return form


def _j0_small(xp, ax):
    z = ax * ax
    r = (z - 5.78318596294678452118e+00) * (z - 3.04712623436620863991e+01) * \
        horner(z, C.J0_RP) / horner(z, C.J0_RQ)
    return xp.where(ax < 1e-5, 1.0 - z / 4.0, r)


def _j1_small(xp, ax):
    z = ax * ax
    return horner(z, C.J1_RP) / horner(z, C.J1_RQ) * ax * \
        (z - 1.46819706421238932572e+01) * (z - 4.92184563216946036703e+01)


def bessel_j0(xp, x):
    ax = xp.abs(x)
    return piecewise(xp, ax <= 5, ax, lambda a: _j0_small(xp, a),
                     _hankel(xp, C.J0_PP, C.J0_PQ, C.J0_QP, C.J0_QQ, math.pi / 4, False))


def bessel_j1(xp, x):
    ax = xp.abs(x)
    r = piecewise(xp, ax <= 5, ax, lambda a: _j1_small(xp, a),
                  _hankel(xp, C.J1_PP, C.J1_PQ, C.J1_QP, C.J1_QQ, 3 * math.pi / 4, False))
    return xp.where(x < 0, -r, r)


def _y0_small(xp, x):
    z = x * x
    r = horner(z, C.Y0_YP) / horner(z, C.Y0_YQ) + \
        _TWO_OVER_PI * libm(xp.log, x) * _j0_small(xp, xp.abs(x))
    return xp.where(x < 0, np.nan, xp.where(x == 0, -np.inf, r))


def _y1_small(xp, x):
    z = x * x
    j1 = _j1_small(xp, xp.abs(x))
    r = x * (horner(z, C.Y1_YP) / horner(z, C.Y1_YQ)) + \
        _TWO_OVER_PI * (xp.where(x < 0, -j1, j1) * libm(xp.log, x) - 1.0 / x)
    return xp.where(x < 0, np.nan, xp.where(x == 0, -np.inf, r))


def bessel_y0(xp, x):
    return piecewise(xp, x <= 5, x, lambda a: _y0_small(xp, a),
                     _hankel(xp, C.J0_PP, C.J0_PQ, C.J0_QP, C.J0_QQ, math.pi / 4, True))


def bessel_y1(xp, x):
    return piecewise(xp, x <= 5, x, lambda a: _y1_small(xp, a),
                     _hankel(xp, C.J1_PP, C.J1_PQ, C.J1_QP, C.J1_QQ, 3 * math.pi / 4, True))


def spherical_bessel_j0(xp, x):
    z = x * x
    series = 1.0 + z * (-1 / 6 + z * (1 / 120 + z * (-1 / 5040 + z * (
        1 / 362880 + z * (-1 / 39916800 + z * (1 / 6227020800))))))
    r = xp.where(xp.abs(x) < 0.5, series, libm(xp.sin, x) / x)
    return xp.where(xp.isinf(x), 0.0, r)


def airy_ai(xp, x):
    """Ai(x): the asymptotic expansions beyond +-2.09, the Maclaurin series of f and g
    between (0 beyond 103.892, nan at +-inf)."""
    def negative(x):
        zeta = -2.0 * x * xp.sqrt(-x) / 3.0
        z = 1.0 / zeta
        z2 = z * z
        t = zeta + 0.25 * math.pi
        return 5.64189583547756286948e-01 / xp.sqrt(xp.sqrt(-x)) * (
            libm(xp.sin, t) * (1.0 + z2 * horner(z2, C.AIRY_AFN) / horner(z2, C.AIRY_AFD))
            - libm(xp.cos, t) * (z * horner(z2, C.AIRY_AGN) / horner(z2, C.AIRY_AGD)))

    def positive(x):
        zeta = 2.0 * x * xp.sqrt(x) / 3.0
        return 5.64189583547756286948e-01 * (
            horner(1.0 / zeta, C.AIRY_AN) / horner(1.0 / zeta, C.AIRY_AD)) / (
            2.0 * xp.sqrt(xp.sqrt(x)) * libm(xp.exp, zeta))

    def not_negative(x):
        return piecewise(xp, x >= 2.09, x, positive, lambda a: _airy_series(xp, a))

    r = piecewise(xp, x < -2.09, x, negative, not_negative)
    r = xp.where(x > 103.892, 0.0, r)
    return xp.where(xp.isinf(x), np.nan, r)


def _airy_series(xp, x):
    f, g = xp.ones_like(x), x.copy()
    m, n, k = xp.ones_like(x), x.copy(), xp.ones_like(x)
    z = x * x * x
    eps = np.finfo(x.dtype).eps
    active = xp.ones(x.shape, dtype=bool)
    while bool(active.any()):
        m2 = m * z
        k2 = k + 1
        m2 = m2 / k2
        n2 = n * z
        k2 = k2 + 1
        n2 = n2 / k2
        m2 = m2 / k2
        f2 = f + m2
        k2 = k2 + 1
        n2 = n2 / k2
        m, n, k = (xp.where(active, a, b) for a, b in ((m2, m), (n2, n), (k2, k)))
        f, g = xp.where(active, f2, f), xp.where(active, g + n2, g)
        active = active & (xp.abs(m / f) > eps)
    return 0.355028053887817239260 * f - 0.258819403792806798405 * g


# ---- the normal distribution and the error function ---------------------------------------

def ndtri(xp, y0):
    """The inverse of the standard normal CDF."""
    flip = y0 > 1 - 0.13533528323661269189    # exp(-2)
    y = xp.where(flip, 1 - y0, y0)
    # the central interval
    c = y - 0.5
    c2 = c * c
    central = (c + c * (c2 * horner(c2, C.NDTRI_P0) / horner(c2, C.NDTRI_Q0))) * \
        2.50662827463100050242
    # the tails
    t = xp.sqrt(-2.0 * libm(xp.log, y))
    z = 1.0 / t
    x1 = xp.where(t < 8, z * horner(z, C.NDTRI_P1) / horner(z, C.NDTRI_Q1),
                  z * horner(z, C.NDTRI_P2) / horner(z, C.NDTRI_Q2))
    tail = t - libm(xp.log, t) / t - x1
    tail = xp.where(flip, tail, -tail)
    r = xp.where(y > 0.13533528323661269189, central, tail)
    r = xp.where((y0 < 0) | (y0 > 1), np.nan, r)
    return xp.where(y0 == 0, -np.inf, xp.where(y0 == 1, np.inf, r))


def _erfcx_y100(xp, y100):
    table = xp.asarray(C.ERFCX_Y100, dtype=y100.dtype)
    k = xp.clip(y100.astype(np.int64), 0, 99)
    t = 2 * y100 - (2 * k + 1)
    rows = table[k]
    p = rows[..., 6]
    for j in range(5, -1, -1):
        p = fma(p, t, rows[..., j])
    return xp.where(y100 >= 100, 1.0, p)     # y = 1: |x| < 4 eps, erfcx within 1e-15 of 1


def erfcx(xp, x):
    """exp(x^2) erfc(x), without its overflow."""
    ax = xp.abs(x)
    table = _erfcx_y100(xp, 400 / (4 + ax))    # erfcx(|x|) for |x| <= 50
    fraction = _RSQRTPI * ((x * x) * (x * x + 4.5) + 2) / (x * ((x * x) * (x * x + 5) + 3.75))
    positive = xp.where(x > 5e7, _RSQRTPI / x, xp.where(x > 50, fraction, table))
    two_exp = 2 * libm(xp.exp, x * x)
    negative = xp.where(x < -6.1, two_exp, two_exp - table)
    negative = xp.where(x < -26.7, np.inf, negative)
    r = xp.where(x >= 0, positive, negative)
    return xp.where(xp.isnan(x), x, r)


def log_ndtr(xp, x):
    """log of the standard normal CDF: SciPy's formula, as PyTorch has it."""
    t = x * _SQRT1_2
    left = libm(xp.log, erfcx(xp, -t) / 2) - t * t
    right = libm(xp.log1p, -cody_erf(xp, t.astype(np.float64), complement=True).astype(x.dtype) / 2)
    return xp.where(x < -1.0, left, right)


# ---- orthogonal polynomials: the recurrences of PyTorch, in the op's dtype -----------------

def _recurrence(xp, n, first, second, step, start):
    """p_n for integer-array n from p_0 = first, p_1 = second and p_k+1 = step(k, p_k, p_k-1),
    stopping (as PyTorch does) where p_k is nan; k runs from `start`."""
    p, q = xp.ones_like(second) * first, second
    r = q
    k = start
    active = (n > start - 1) & ~xp.isnan(q)
    while bool(active.any()):
        nxt = step(k, q, p)
        r = xp.where(active, nxt, r)
        p, q = xp.where(active, q, p), xp.where(active, nxt, q)
        k += 1
        active = active & (n > k - 1) & ~xp.isnan(q)
    return r


def chebyshev(xp, x, n, kind, shifted):
    """T, U, V or W (kind "t" "u" "v" "w") at x, or at 2x - 1 when shifted."""
    dt = x.dtype.type
    one = dt(1)
    y = (x + x - one) if shifted else x
    twice = y + y
    first = {"t": y, "u": twice, "v": twice - one, "w": twice + one}[kind]
    closed = _trig_range(xp, y, n, kind, shifted)
    at_one = (y == 1) | (y == -1)
    # the recurrence only where no closed form applies: a large n costs a step per degree
    r = _recurrence(xp, xp.where(closed | at_one, 0, n), one, first,
                    lambda k, q, p: fma(twice, q, -p), 2)
    r = xp.where(n == 1, first, r)
    r = xp.where(n == 0, one, r)
    with np.errstate(all="ignore"):
        theta = libm(xp.arccos, y)
        r = xp.where(closed, _chebyshev_trig(xp, theta, y, n.astype(dt), kind), r)
    r = xp.where(at_one, _chebyshev_at_one(xp, y, n, kind).astype(dt), r)
    return xp.where(n < 0, dt(0), r).astype(dt, copy=False)


def _trig_range(xp, y, n, kind, shifted):
    threshold = (4 if kind == "w" else 6) if shifted else (6 if kind == "t" else 8)
    return (n > threshold) & (xp.abs(y) < 1)


def _chebyshev_trig(xp, theta, y, n, kind):
    """The closed forms PyTorch uses for large n inside (-1, 1)."""
    if kind == "t":
        return libm(xp.cos, n * theta)
    sin, cos = (lambda a: libm(xp.sin, a)), (lambda a: libm(xp.cos, a))
    if kind == "u":
        s = sin(theta)
        return xp.where(s != 0, sin((n + 1) * theta) / s, (n + 1) * cos((n + 1) * theta) / y)
    odd_sign = xp.where(n % 2 == 0, 1, -1)
    if kind == "v":
        return xp.where(sin(theta / 2) != 1, cos((n + 0.5) * theta) / cos(theta / 2),
                        odd_sign * (n + n + 1))
    return xp.where(cos(theta / 2) != 1, sin((n + 0.5) * theta) / sin(theta / 2),
                    xp.where(y > 0, n + n + 1, odd_sign))


def _chebyshev_at_one(xp, y, n, kind):
    odd_sign = xp.where(n % 2 == 0, 1, -1)
    if kind == "t":
        return xp.where(y > 0, 1, odd_sign)
    if kind == "u":
        return xp.where(y > 0, n + 1, odd_sign * (n + 1))
    if kind == "v":
        return xp.where(y > 0, 1, odd_sign * (n + n + 1))
    return xp.where(y > 0, n + n + 1, odd_sign)


def hermite_h(xp, x, n):
    """The physicists' Hermite polynomial H_n; nan above n = 128 (float32) or 512."""
    dt = x.dtype.type
    twice = x + x
    r = _recurrence(xp, n, dt(1), twice, lambda k, q, p: fma(twice, q, -(dt(2 * (k - 1)) * p)), 2)
    return _hermite_ends(xp, x, n, twice, r)


def hermite_he(xp, x, n):
    """The probabilists' Hermite polynomial He_n."""
    dt = x.dtype.type
    r = _recurrence(xp, n, dt(1), x, lambda k, q, p: fma(x, q, -(dt(k - 1) * p)), 2)
    return _hermite_ends(xp, x, n, x, r)


def _hermite_ends(xp, x, n, first, r):
    dt = x.dtype.type
    limit = 128 if x.dtype == np.float32 else 512
    r = xp.where(n > limit, dt(np.nan), r)
    r = xp.where(n == 1, first, xp.where(n == 0, dt(1), r))
    return xp.where(n < 0, dt(0), r).astype(dt, copy=False)


def laguerre_l(xp, x, n):
    dt = x.dtype.type
    one = dt(1)
    first = one - x
    r = _recurrence(xp, n, one, first, lambda k, q, p: fma(
        dt(2 * (k - 1)) + (one - x), q, -(dt(k - 1) * p)) / dt(k), 2)
    r = xp.where(n == 1, first, xp.where(n == 0, one, r))
    r = xp.where(x == 0, one, r)
    return xp.where(n < 0, dt(0), r).astype(dt, copy=False)


def legendre_p(xp, x, n):
    dt = x.dtype.type
    one = dt(1)
    r = _recurrence(xp, n, one, x,
                    lambda k, q, p: fma(dt(2 * k - 1) * x, q, -(dt(k - 1) * p)) / dt(k), 2)
    r = xp.where(n == 1, x, xp.where(n == 0, one, r))
    at_one = xp.where((x > 0) | (n % 2 == 0), one, -one)
    r = xp.where(xp.abs(x) == 1, at_one, r)
    return xp.where(n < 0, dt(0), r).astype(dt, copy=False)
