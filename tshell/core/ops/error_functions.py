"""The error function family on arrays, for the ops erf, erfc and erfinv (and gelu's exact
form, ops/nn.py), with the array module's own operations (`xp`: NumPy or CuPy): cody_erf
takes and returns float64; erfinv_kernel computes in float64 and rounds to its input's dtype.
"""
from __future__ import annotations

import numpy as np

# erf, erfc: W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 1969; the
# coefficients of his CALERF), good to float64's precision.
_ERF_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)
_ERF_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)
_ERF_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_ERF_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)
_ERF_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_ERF_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)
_RSQRTPI = 0.56418958354775628695


def cody_erf(xp, x, complement=False):
    """erf(x) (or erfc(x)) of a float64 array, with the array module's own operations.

    Three intervals of |x|: up to 0.46875 erf is a rational function of x^2; up to 4,
    erfc is exp(-x^2) times a rational function of |x|; beyond, exp(-x^2) / |x| times one of
    1/x^2. exp(-x^2) is computed as exp(-t^2) exp(-(|x|-t)(|x|+t)) with t = |x| rounded down
    to 1/16, which keeps its relative error at float64's rounding.
    """
    y = xp.abs(x)
    with np.errstate(all="ignore"):
        # |x| <= 0.46875
        z = y * y
        num, den = _ERF_A[4] * z, z
        for a, b in zip(_ERF_A[:3], _ERF_B[:3]):
            num, den = (num + a) * z, (den + b) * z
        small = x * (num + _ERF_A[3]) / (den + _ERF_B[3])
        # 0.46875 < |x| <= 4: erfc / exp(-x^2)
        num, den = _ERF_C[8] * y, y
        for c, d in zip(_ERF_C[:7], _ERF_D[:7]):
            num, den = (num + c) * y, (den + d) * y
        mid = (num + _ERF_C[7]) / (den + _ERF_D[7])
        # |x| > 4
        z = 1 / (y * y)
        num, den = _ERF_P[5] * z, z
        for p, q in zip(_ERF_P[:4], _ERF_Q[:4]):
            num, den = (num + p) * z, (den + q) * z
        big = (_RSQRTPI - z * (num + _ERF_P[4]) / (den + _ERF_Q[4])) / y
        t = xp.trunc(y * 16) / 16
        tail = xp.exp(-t * t) * xp.exp(-(y - t) * (y + t)) * xp.where(y <= 4, mid, big)
        tail = xp.where(y == np.inf, 0.0, tail)     # (inf - inf is nan)
    if complement:      # erfc: 1 - erf near 0, the tail for x > 0, 2 - tail for x < 0
        r = xp.where(x < 0, 2 - tail, tail)
        return xp.where(y <= 0.46875, 1 - small, r)
    r = xp.where(x < 0, tail - 1, 1 - tail)
    return xp.where(y <= 0.46875, small, xp.where(xp.isnan(x), x, r))


TWO_OVER_SQRTPI = 1.1283791670955126   # the derivative of erf at 0


def erfinv_kernel(xp, a):
    """PyTorch's erfinv: a rational first guess, then two Newton steps on erf."""
    y = a.astype(np.float64)
    ay = xp.abs(y)
    with np.errstate(all="ignore"):
        z = y * y
        num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899
        den = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1
        central = y * num / den
        z = xp.sqrt(-xp.log((1 - ay) / 2))
        num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454
        den = (1.637067800 * z + 3.543889200) * z + 1
        x = xp.where(ay <= 0.7, central, xp.copysign(num, y) / den)
        for _ in range(2):
            x = x - (cody_erf(xp, x) - y) / (TWO_OVER_SQRTPI * xp.exp(-x * x))
    x = xp.where(ay == 1, xp.copysign(np.inf, y), xp.where(ay > 1, np.nan, x))
    return x.astype(a.dtype, copy=False)
