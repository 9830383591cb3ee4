"""Statistical bounds for tests of random draws: with a fixed seed each test is repeatable;
the bounds are five standard errors (about one failure in 3.5 million for a correct sampler)."""
from __future__ import annotations

import math

import numpy as np

Z = 5.0


def chi2_bound(df: int, z: float = Z) -> float:
    """The chi-square value z standard deviations out (Wilson-Hilferty's approximation)."""
    a = 2.0 / (9.0 * df)
    return df * (1 - a + z * math.sqrt(a)) ** 3


def chi2(observed, expected) -> float:
    observed, expected = np.asarray(observed, float), np.asarray(expected, float)
    return float(((observed - expected) ** 2 / expected).sum())


def assert_frequencies(counts, probs, what=""):
    """Counts of categories drawn with the given probabilities (categories of probability 0
    must never be drawn)."""
    counts, probs = np.asarray(counts, float), np.asarray(probs, float)
    n = counts.sum()
    assert (counts[probs == 0] == 0).all(), f"{what}: drew a category of probability 0"
    keep = probs > 0
    stat = chi2(counts[keep], n * probs[keep] / probs[keep].sum())
    assert stat < chi2_bound(max(int(keep.sum()) - 1, 1)), f"{what}: chi2 {stat:.1f}"


def assert_mean_and_variance(samples, mean, variance, what=""):
    """Sample mean and variance along axis 0 within Z standard errors of the truth."""
    x = np.asarray(samples, float)
    n = x.shape[0]
    mean, variance = np.asarray(mean, float), np.asarray(variance, float)
    m = x.mean(0)
    assert (np.abs(m - mean) <= Z * np.sqrt(variance / n) + 1e-12).all(), \
        f"{what}: mean {m} vs {mean}"
    v = x.var(0, ddof=1)
    fourth = ((x - m) ** 4).mean(0)
    se = np.sqrt(np.maximum(fourth - v ** 2, 0) / n)
    # The second-order terms the standard error leaves out: the mean's own deviation (up to
    # Z**2 variance / n, squared into v) and ddof=1's factor. They are all there is where the
    # fourth moment equals variance**2 (Bernoulli(0.5): v is a function of the mean).
    second_order = (Z * Z + 1) * variance / n
    assert (np.abs(v - variance) <= Z * se + second_order + 1e-12).all(), \
        f"{what}: variance {v} vs {variance}"


def assert_cdf_fits(samples, cdf, what=""):
    """Kolmogorov-Smirnov, column by column: the empirical CDF of samples (n, k) stays near
    cdf, a function of an (n, k) array of values giving their CDF: sup |F_n - F| below the
    bound of p = 1e-6."""
    x = np.sort(np.asarray(samples, float), axis=0)
    n = x.shape[0]
    f = np.asarray(cdf(x), float)
    steps = (np.arange(1, n + 1) / n)[:, None]
    d = np.maximum(steps - f, f - (steps - 1 / n)).max(0)
    bound = math.sqrt(math.log(2 / 1e-6) / (2 * n))
    assert (d < bound).all(), f"{what}: KS distances {d} (bound {bound:.4f})"
