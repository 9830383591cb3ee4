"""The gamma function family on arrays, for the ops lgamma, digamma, polygamma, igamma and
the reparameterised gradients of gamma and Dirichlet samples.

Every kernel takes float64 arrays of one backend (`xp`: NumPy or CuPy) and returns float64;
the ops round to their dtype. The formulas are those PyTorch 2.13 uses (Cephes' digamma and
zeta, its trigamma, its approximations of d(sample)/d(concentration)), so results agree with
PyTorch's to rounding; lgamma follows CPython's math.lgamma (Lanczos, exact at 1 and 2) and
the incomplete gamma function its series and continued fraction.
"""
from __future__ import annotations

import math

import numpy as np

# ---- lgamma: CPython's m_lgamma (Modules/mathmodule.c), vectorised ------------------------
_LANCZOS_G = 6.024680040776729583740234375
_LANCZOS_NUM = (
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408)
_LANCZOS_DEN = (0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0,
                13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0)


def _lanczos_sum(xp, x):
    """The rational function of Lanczos' formula; Horner in x below 5, in 1/x above (no
    overflow for large x)."""
    small = x < 5.0
    xs = xp.where(small, x, 1.0)
    num, den = xp.zeros_like(x), xp.zeros_like(x)
    for a, b in zip(reversed(_LANCZOS_NUM), reversed(_LANCZOS_DEN)):
        num, den = num * xs + a, den * xs + b
    inv = xp.where(small, 1.0, 1.0 / x)
    num_l, den_l = xp.zeros_like(x), xp.zeros_like(x)
    for a, b in zip(_LANCZOS_NUM, _LANCZOS_DEN):
        num_l, den_l = num_l * inv + a, den_l * inv + b
    return xp.where(small, num / den, num_l / den_l)


def sinpi(xp, x):
    """sin(pi * x), exact at the integers and half-integers (CPython's m_sinpi)."""
    y = xp.fmod(xp.abs(x), 2.0)
    n = xp.round(2.0 * y)
    r = xp.where(n == 0, xp.sin(math.pi * y),
        xp.where(n == 1, xp.cos(math.pi * (y - 0.5)),
        xp.where(n == 2, xp.sin(math.pi * (1.0 - y)),
        xp.where(n == 3, -xp.cos(math.pi * (y - 1.5)), xp.sin(math.pi * (y - 2.0))))))
    return xp.copysign(1.0, x) * r


def lgamma(xp, x):
    """log|Gamma(x)|: +inf at 0, the negative integers and +-inf."""
    with np.errstate(all="ignore"):
        ax = xp.abs(x)
        r = xp.log(_lanczos_sum(xp, ax)) - _LANCZOS_G
        r = r + (ax - 0.5) * (xp.log(ax + _LANCZOS_G - 0.5) - 1)
        reflected = math.log(math.pi) - xp.log(xp.abs(sinpi(xp, ax))) - xp.log(ax) - r
        r = xp.where(x < 0, reflected, r)
        r = xp.where(ax < 1e-20, -xp.log(ax), r)
        integer = (x == xp.floor(x)) & (x <= 2.0)
        r = xp.where(integer, xp.where(x <= 0, np.inf, 0.0), r)
        return xp.where(xp.isinf(x), np.inf, r)


# ---- digamma, trigamma, zeta: PyTorch's calc_digamma, trigamma, zeta (ATen/native/Math.h) --
_PSI_10 = 2.25175258906672110764
_DIGAMMA_A = (8.33333333333333333333E-2, -2.10927960927960927961E-2,
              7.57575757575757575758E-3, -4.16666666666666666667E-3,
              3.96825396825396825397E-3, -8.33333333333333333333E-3,
              8.33333333333333333333E-2)


def digamma(xp, x):
    """d/dx log Gamma(x): -inf at +0 (+inf at -0), nan at the negative integers."""
    with np.errstate(all="ignore"):
        negative = x < 0
        # reflection on the fractional part: tan(pi * r) is exact where tan(pi * x) is not
        frac = x - xp.trunc(x)
        reflection = xp.where(negative, -math.pi / xp.tan(math.pi * frac), 0.0)
        y = xp.where(negative, 1 - x, x)
        result = xp.zeros_like(x)
        for _ in range(10):                       # push y to >= 10
            low = y < 10
            result = result - xp.where(low, 1 / y, 0.0)
            y = xp.where(low, y + 1, y)
        z = 1.0 / (y * y)
        poly = xp.zeros_like(x)
        for a in _DIGAMMA_A:
            poly = poly * z + a
        tail = xp.where(y < 1e17, z * poly, 0.0)
        r = xp.where(y == 10, result + _PSI_10, result + xp.log(y) - 0.5 / y - tail)
        r = r + reflection
        r = xp.where(negative & (x == xp.trunc(x)), np.nan, r)
        return xp.where(x == 0, xp.copysign(np.inf, -x), r)


def trigamma(xp, x):
    with np.errstate(all="ignore"):
        small = x < 0.5
        s = xp.sin(math.pi * x)
        result = xp.where(small, -(math.pi * math.pi) / (s * s), 0.0)
        y = xp.where(small, 1 - x, x)
        for _ in range(6):
            result = result + 1 / (y * y)
            y = y + 1
        ixx = 1 / (y * y)
        result = result + (1 + 1 / (2 * y) + ixx * (1. / 6 - ixx * (1. / 30 - ixx * (1. / 42)))) / y
        return xp.where(small, -result, result)


_MACHEP = 1.11022302462515654042E-16
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)


def zeta(xp, x, q):
    """Hurwitz zeta(x, q) = sum over k >= 0 of (k + q) ** -x (Cephes, as PyTorch has it):
    the first terms summed, the rest by Euler-Maclaurin."""
    x, q = xp.broadcast_arrays(x, q)
    with np.errstate(all="ignore"):
        s = q ** -x
        a = q.copy()
        b = xp.zeros_like(s)
        done = xp.zeros(s.shape, dtype=bool)
        i = 0
        while True:
            more = ~done & ((i < 9) | (a <= 9.0))
            if not bool(more.any()):
                break
            i += 1
            a = xp.where(more, a + 1, a)
            b = xp.where(more, a ** -x, b)
            s = xp.where(more, s + b, s)
            done = done | (more & (-_MACHEP * s < b) & (b < _MACHEP * s))
        w = a
        t_s = s + b * w / (x - 1) - 0.5 * b
        fac, k = xp.ones_like(s), 0.0
        settled = done.copy()
        for coef in _ZETA_A:
            fac = fac * (x + k)
            b = b / w
            t = fac * b / coef
            t_s = xp.where(settled, t_s, t_s + t)
            settled = settled | (xp.abs(t / t_s) < _MACHEP)
            k += 1
            fac = fac * (x + k)
            b = b / w
            k += 1
        r = xp.where(done, s, t_s)
        bad_q = (q <= 0) & (q == xp.floor(q))
        r = xp.where((q <= 0) & ~bad_q & (x != xp.floor(x)), np.nan, r)
        r = xp.where(bad_q, np.inf, r)
        r = xp.where(x < 1, np.nan, r)
        return xp.where(x == 1, np.inf, r)


def polygamma(xp, n: int, x):
    """The n-th derivative of digamma."""
    if n == 0:
        return digamma(xp, x)
    if n == 1:
        return trigamma(xp, x)
    sign = 1.0 if n % 2 else -1.0
    return sign * math.exp(math.lgamma(n + 1.0)) * zeta(xp, xp.asarray(n + 1.0), x)


# ---- the regularized incomplete gamma function ---------------------------------------------
_IGAMMA_ITERATIONS = 2000


def _gamma_prefactor(xp, a, x):
    """x ** a * exp(-x) / Gamma(a), in logs."""
    return xp.exp(a * xp.log(x) - x - lgamma(xp, a))


def _lower_series(xp, a, x):
    """P(a, x) = x^a e^-x / Gamma(a + 1) * sum x^n / ((a+1)...(a+n)): converges fast for
    x < a + 1."""
    term = xp.ones_like(x)
    total = term.copy()
    ap = a.copy()
    for _ in range(_IGAMMA_ITERATIONS):
        ap = ap + 1
        term = term * x / ap
        total = total + term
        if not bool((xp.abs(term) > xp.abs(total) * 1e-17).any()):
            break
    return total * _gamma_prefactor(xp, a, x) / a


def _upper_fraction(xp, a, x):
    """Q(a, x) by Lentz's continued fraction: converges fast for x >= a + 1."""
    tiny = 1e-300
    b = x + 1 - a
    c = xp.full_like(x, 1 / tiny)
    d = 1 / xp.where(b == 0, tiny, b)
    h = d.copy()
    for i in range(1, _IGAMMA_ITERATIONS):
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = 1 / xp.where(xp.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = xp.where(xp.abs(c) < tiny, tiny, c)
        delta = d * c
        h = h * delta
        if not bool((xp.abs(delta - 1) > 1e-16).any()):
            break
    return h * _gamma_prefactor(xp, a, x)


def igamma(xp, a, x, upper: bool = False):
    """The regularized lower incomplete gamma function P(a, x) (Q = 1 - P when upper), with
    PyTorch's values on the edges of its domain."""
    a, x = xp.broadcast_arrays(a, x)
    with np.errstate(all="ignore"):
        safe_a = xp.where((a > 0) & xp.isfinite(a), a, 1.0)
        safe_x = xp.where((x > 0) & xp.isfinite(x), x, 1.0)
        use_series = safe_x < safe_a + 1
        sa, sx = safe_a[use_series], safe_x[use_series]
        fa, fx = safe_a[~use_series], safe_x[~use_series]
        p = xp.zeros(a.shape, dtype=np.float64)
        if sa.size:
            lower = _lower_series(xp, sa, sx)
            p[use_series] = 1 - lower if upper else lower
        if fa.size:
            q = _upper_fraction(xp, fa, fx)
            p[~use_series] = q if upper else 1 - q
        p = xp.clip(p, 0.0, 1.0)
        zero, one = (1.0, 0.0) if upper else (0.0, 1.0)
        p = xp.where(xp.isinf(x), one, p)
        p = xp.where(xp.isinf(a), xp.where(xp.isinf(x), np.nan, zero), p)
        p = xp.where(x == 0, zero, p)
        p = xp.where(a == 0, xp.where(x > 0, one, np.nan), p)
        return xp.where((x < 0) | (a < 0) | xp.isnan(a) | xp.isnan(x), np.nan, p)


# ---- d(sample)/d(concentration): PyTorch's approximations (ATen/native/Distributions.h) ----

def standard_gamma_grad(xp, alpha, x):
    """d x / d alpha for x ~ Gamma(alpha, 1), holding the sample's quantile fixed."""
    alpha, x = xp.broadcast_arrays(alpha, x)
    with np.errstate(all="ignore"):
        # small x: the series of the CDF
        numer, denom = xp.ones_like(x), alpha.copy()
        series1, series2 = numer / denom, numer / (denom * denom)
        for i in range(1, 6):
            numer = numer * (-x / i)
            denom = denom + 1
            series1 = series1 + numer / denom
            series2 = series2 + numer / (denom * denom)
        pow_x_alpha = x ** alpha
        gamma_pdf = x ** (alpha - 1) * xp.exp(-x)
        gamma_cdf = pow_x_alpha * series1
        gamma_cdf_alpha = (xp.log(x) - digamma(xp, alpha)) * gamma_cdf - pow_x_alpha * series2
        small = -gamma_cdf_alpha / gamma_pdf
        small = xp.where(xp.isnan(small), 0.0, small)
        # large alpha, x near alpha: Rice's saddle point expansion
        numer_1 = 1 + 24 * alpha * (1 + 12 * alpha)
        numer_2 = (1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha
                   + alpha * (107 + 3600 * x))
        near = numer_1 * numer_2 / (1244160 * (alpha * alpha) * (alpha * alpha))
        # large alpha elsewhere
        den = xp.sqrt(8 * alpha)
        term2 = den / (alpha - x)
        term3 = (x - alpha - alpha * xp.log(x / alpha)) ** -1.5
        term23 = xp.where(x < alpha, term2 - term3, term2 + term3)
        term1 = xp.log(x / alpha) * term23 - xp.sqrt(2 / alpha) * (alpha + x) / (
            (alpha - x) * (alpha - x))
        stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        far = -stirling * (x * term1) / den
        # otherwise: a rational fit in log(x / alpha) and log(alpha)
        u, v = xp.log(x / alpha), xp.log(alpha)
        coef = [c0 + u * (c1 + u * c2) for c0, c1, c2 in zip(*_GAMMA_GRAD_COEF)]
        p = coef[0] + v * (coef[1] + v * (coef[2] + v * coef[3]))
        q = coef[4] + v * (coef[5] + v * (coef[6] + v * coef[7]))
        fit = xp.exp(p / q)
        large = xp.where((0.9 * alpha <= x) & (x <= 1.1 * alpha), near, far)
        return xp.where(x < 0.8, small, xp.where(alpha > 8.0, large, fit))


_GAMMA_GRAD_COEF = (
    (0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089,
     0.0014179084),
    (0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113,
     -0.0035938915, -0.00058392623),
    (0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326,
     0.00085092367, -1.5247877e-07))


def _digamma_one(xp, x):
    """Distributions.h's digamma: +inf (not nan) at the non-positive integers."""
    r = digamma(xp, x)
    return xp.where((x <= 0) & (x == xp.floor(x)), np.inf, r)


def _beta_grad_alpha_small(xp, x, alpha, beta):
    factor = _digamma_one(xp, alpha) - _digamma_one(xp, alpha + beta) - xp.log(x)
    numer = xp.ones_like(x)
    series = numer / alpha * (factor + 1 / alpha)
    for i in range(1, 11):
        numer = numer * ((i - beta) * x / i)
        den = alpha + i
        series = series + numer / den * (factor + 1 / den)
    result = x * (1 - x) ** -beta * series
    return xp.where(xp.isnan(result), 0.0, result)


def _beta_grad_beta_small(xp, x, alpha, beta):
    factor = _digamma_one(xp, alpha + beta) - _digamma_one(xp, beta)
    numer, betas, dbetas = xp.ones_like(x), xp.ones_like(x), xp.zeros_like(x)
    series = factor / alpha
    for i in range(1, 9):
        numer = numer * (-x / i)
        dbetas = dbetas * (beta - i) + betas
        betas = betas * (beta - i)
        series = series + numer / (alpha + i) * (dbetas + factor * betas)
    result = -(1 - x) ** (1 - beta) * series
    return xp.where(xp.isnan(result), 0.0, result)


def _beta_grad_alpha_mid(xp, x, alpha, beta):
    total = alpha + beta
    mean = alpha / total
    std = xp.sqrt(alpha * beta / (total + 1)) / total
    poly = 47 * x * (beta * beta) * (beta * beta) + alpha * (
        (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (
            3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * (
                (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
                    8 * (1 - x) * (135 * beta - 11)))))
    prefactor_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
    prefactor_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
    central = prefactor_num / (1 - x) * poly / prefactor_den
    prefactor = -x / xp.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
                * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    term1_num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    axbx = alpha * (x - 1) + beta * x
    term1_den = xp.sqrt(2 * alpha / beta) * total ** 1.5 * axbx * axbx
    term1 = term1_num / term1_den
    term2 = 0.5 * xp.log(alpha / (total * x))
    term3 = xp.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4 = (beta * xp.log(beta / (total * (1 - x)))
             + alpha * xp.log(alpha / (total * x))) ** -1.5
    term1234 = term1 + term2 * (term3 + xp.where(x < mean, term4, -term4))
    tails = stirling * prefactor * term1234
    return xp.where((mean - 0.1 * std <= x) & (x <= mean + 0.1 * std), central, tails)


def dirichlet_grad(xp, x, alpha, total):
    """d x / d alpha for the coordinate x of a Dirichlet sample whose concentrations sum to
    total (the Beta(alpha, total - alpha) marginal), holding its quantile fixed."""
    x, alpha, total = xp.broadcast_arrays(x, alpha, total)
    with np.errstate(all="ignore"):
        beta = total - alpha
        boundary = total * x * (1 - x)
        u = xp.log(x)
        a = xp.log(alpha) - u
        b = xp.log(total) - a
        pow_u, pow_a = (1.0, u, u * u), (1.0, a, a * a)
        p = q = 0.0
        for i in range(3):
            for j in range(3):
                ua = pow_u[i] * pow_a[j]
                cp, cq = _DIRICHLET_COEF[0][i][j], _DIRICHLET_COEF[1][i][j]
                p = p + ua * (cp[0] + b * (cp[1] + b * (cp[2] + b * cp[3])))
                q = q + ua * (cq[0] + b * (cq[1] + b * (cq[2] + b * cq[3])))
        approx = x * (_digamma_one(xp, total) - _digamma_one(xp, alpha)) / beta
        fit = p / q * approx
        mid = _beta_grad_alpha_mid(xp, x, alpha, beta)
        fit = xp.where((alpha > 6) & (beta > 6), mid, fit)
        high = -_beta_grad_beta_small(xp, 1 - x, beta, alpha)
        fit = xp.where((x >= 0.5) & (boundary < 0.75), high, fit)
        low = _beta_grad_alpha_small(xp, x, alpha, beta)
        return xp.where((x <= 0.5) & (boundary < 2.5), low, fit)


_DIRICHLET_COEF = (
    (((1.003668233, -0.01061107488, -0.0657888334, 0.01201642863),
      (0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033),
      (-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013)),
     ((0.221950385, -0.3187676331, 0.01799915743, 0.01074823814),
      (-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057),
      (0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05)),
     ((-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565),
      (0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181),
      (0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05))),
    (((1, -0.02924021934, -0.04438342661, 0.007285809825),
      (0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521),
      (-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149)),
     ((0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273),
      (0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956),
      (-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05)),
     ((0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05),
      (0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05),
      (-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06))))
