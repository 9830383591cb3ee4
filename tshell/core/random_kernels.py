"""PyTorch's CPU distribution kernels (ATen's DistributionTemplates.h, DistributionsHelper.h,
TransformationHelper.h, randperm_cpu), vectorised over an mt19937.Engine's raw outputs so that
the same seed draws the same bits as PyTorch on the CPU.

Each kernel consumes the engine as PyTorch's serial loop does, element by element: a float
(or half, bfloat16) uniform takes one 32-bit output, a double one 64-bit output. The double
transcendental functions are glibc's (Python's math module calls the same libm as the torch
wheel; NumPy's own float64 log, log1p, exp and tan differ in the last bit on some inputs).
"""
from __future__ import annotations

import math

import numpy as np

from .avx_mathfun import fma, log_ps, sincos_ps

_F32 = np.float32
_F64 = np.float64
_U64 = np.uint64
_TWO_PI_F32 = _F32(2.0 * math.pi)
_TWO_PI = 2.0 * math.pi
# randperm switches to 64-bit draws (and another shuffle) from this n on
_RANDPERM_SMALL = 0xFFFFFFFF // 20
# Box-Muller's rows of 16 per step: its twenty-odd passes then stay in the cache (measured:
# twice as fast as whole arrays at 10**6 elements)
_ROWS_PER_CHUNK = 2048
# randperm's swap loop itself up to this n (cheaper than forward_shuffle's array steps)
_SHUFFLE_LOOP_MAX = 256


def _libm(fn, x):
    """fn (a math-module function) over a float64 array, as the C loop calls it."""
    return np.fromiter(map(fn, x.ravel().tolist()), _F64, x.size).reshape(x.shape)


def _is_double(np_dtype):
    return np_dtype == _F64


# ---- uniform -------------------------------------------------------------------------------

# Large draws are converted this many words at a time, so that a 64 MiB rand() makes 1 MiB of
# words on the side, not three more arrays of its size.
WORDS_AT_A_TIME = 1 << 18


def unit_floats(engine, n):
    """n of uniform_real_distribution<float>(0, 1): 24 random bits over 2**24."""
    out = np.empty(n, _F32)
    for start in range(0, n, WORDS_AT_A_TIME):
        stop = min(start + WORDS_AT_A_TIME, n)
        bits = engine.random(stop - start)
        np.bitwise_and(bits, 0xFFFFFF, out=bits)
        # as int32, which converts to float in SIMD (exactly: below 2**24)
        np.copyto(out[start:stop], bits.view(np.int32), casting="unsafe")
    out *= _F32(2.0 ** -24)
    return out


def unit_doubles(engine, n):
    """n of uniform_real_distribution<double>(0, 1): random64()'s low 53 bits over 2**53,
    assembled in float64 (exact below 2**53) from the high word's 21 bits and the low word."""
    words = engine.random(2 * n).reshape(n, 2)
    high = (words[:, 0] & 0x1FFFFF).astype(_F64)
    return (high * 2.0 ** 32 + words[:, 1]) * 2.0 ** -53


def uniform(engine, n, np_dtype, low=0.0, high=1.0):
    """uniform_kernel: x * (to - from) + from in the dtype's opmath type (float for half and
    bfloat16) and one FMA (as the compiler fuses it), cast to the dtype; a value the cast
    rounds up to `to` becomes `from`."""
    if _is_double(np_dtype):
        low_op, high_op = _F64(low), _F64(high)
        values = fma_double(unit_doubles(engine, n), high_op - low_op, low_op)
    else:
        low_op, high_op = _F32(low), _F32(high)
        x = unit_floats(engine, n)
        values = x if (low, high) == (0.0, 1.0) else fma(x, high_op - low_op, low_op)
        values = values.astype(np_dtype, copy=False)
    if (low, high) != (0.0, 1.0) or np.dtype(np_dtype).itemsize < 4:    # float, double: < 1
        top, bottom = np.array([high, low]).astype(np_dtype)
        values[values == top] = bottom
    return values


# ---- normal --------------------------------------------------------------------------------

def normal(engine, n, np_dtype, mean=0.0, std=1.0):
    """normal_kernel for a contiguous tensor of n elements of np_dtype."""
    if n >= 16:
        if _is_double(np_dtype):
            return _normal_fill_double(engine, n, mean, std)
        return _normal_fill_float(engine, n, np_dtype, mean, std)
    return normal_serial(engine, n, mean, std).astype(np_dtype)


def _box_muller_16_float(data, mean, std):
    """NormalFill16<float> (AVX2, avx_mathfun) over rows of 16 uniforms."""
    u1 = _F32(1) - data[:, :8]
    radius = np.sqrt(_F32(-2) * log_ps(u1))
    sin, cos = sincos_ps(_TWO_PI_F32 * data[:, 8:])       # both fresh, contiguous arrays
    return np.concatenate([fma(radius * cos, std, mean), fma(radius * sin, std, mean)], 1)


def _box_muller_16_double(data, mean, std):
    """NormalFill16<double>: glibc's log, cos and sin, fma(r * cos, std, mean)."""
    radius = np.sqrt(-2.0 * _libm(math.log, 1.0 - data[:, :8]))
    theta = _TWO_PI * data[:, 8:]
    return fma_double(np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], 1),
                      std, mean)


def fma_double(a, b, c):
    """a * b + c for float64 with one rounding (the product's error found by Dekker's
    split, then added to the sum's): exact but for ties broken otherwise, 2**-50 rare."""
    if b == 1.0 and c == 0.0:
        return a
    product = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(np.float64(b))
    product_err = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    total = product + c
    back = total - product
    sum_err = (product - (total - back)) + (c - back)
    return total + (product_err + sum_err)


def _split(x):
    """Veltkamp's split of x into two 26-bit halves."""
    t = 134217729.0 * x                     # 2**27 + 1
    hi = t - (t - x)
    return hi, x - hi


def _normal_fill_float(engine, n, np_dtype, mean, std):
    """normal_fill for float, half and bfloat16: float uniforms, Box-Muller per 16. A float
    tensor draws all n uniforms into itself first, then 16 more for a tail; half and
    bfloat16 draw 16 per block into a buffer, so a tail's 16 follow the whole blocks."""
    mean, std = _F32(mean), _F32(std)
    whole = n - n % 16
    data = unit_floats(engine, n if np_dtype == _F32 else whole)
    out = np.empty(n, _F32)
    rows, out_rows = data[:whole].reshape(-1, 16), out[:whole].reshape(-1, 16)
    for start in range(0, len(rows), _ROWS_PER_CHUNK):
        chunk = slice(start, start + _ROWS_PER_CHUNK)
        out_rows[chunk] = _box_muller_16_float(rows[chunk], mean, std)
    if whole != n:
        out[n - 16:] = _box_muller_16_float(unit_floats(engine, 16).reshape(1, 16),
                                            mean, std).reshape(-1)
    return out.astype(np_dtype, copy=False)


def _normal_fill_double(engine, n, mean, std):
    whole = n - n % 16
    data = unit_doubles(engine, n)
    out = np.empty(n, _F64)
    out[:whole] = _box_muller_16_double(data[:whole].reshape(-1, 16), mean, std).reshape(-1)
    if whole != n:
        out[n - 16:] = _box_muller_16_double(unit_doubles(engine, 16).reshape(1, 16),
                                             mean, std).reshape(-1)
    return out


def normal_serial(engine, n, mean=0.0, std=1.0):
    """n of normal_distribution<double>(mean, std), as float64: Box-Muller on two double
    uniforms gives r cos(theta) now and caches r sin(theta) in the engine for the next draw
    (the standard value: mean and std apply to each draw, the cached one's too)."""
    standard = np.empty(n, _F64)
    start = 0
    if n and engine.next_double is not None:
        standard[0], start = engine.next_double, 1
        engine.next_double = None
    pairs = (n - start + 1) // 2
    if pairs:
        u = unit_doubles(engine, 2 * pairs).reshape(pairs, 2)
        radius = np.sqrt(-2.0 * _libm(math.log1p, -u[:, 1]))
        theta = 2.0 * math.pi * u[:, 0]
        both = np.stack([radius * np.cos(theta), radius * np.sin(theta)], 1).reshape(-1)
        standard[start:] = both[:n - start]
        if (n - start) % 2:
            engine.next_double = float(both[-1])
    return fma_double(standard, std, mean)          # val * std + mean, fused as compiled


# ---- integers ------------------------------------------------------------------------------

# The dtypes whose random_(from, to) draws 64 bits when to - from >= 2**32.
_WIDE = frozenset(("int64", "float64", "float32", "bfloat16"))


def random_from_to(engine, n, span, base, dtype_name):
    """uniform_int_from_to_distribution: (bits % span) + base, wrapped to int64 (cast to
    the dtype by the caller)."""
    bits = engine.random64(n) if dtype_name in _WIDE and span >= 1 << 32 else engine.random(n)
    return ((bits % _U64(span)) + _U64(base & 0xFFFFFFFFFFFFFFFF)).view(np.int64)


def random_full_range(engine, n):
    """random_(from=int64 min) with no `to`: all 64 bits, as int64."""
    return engine.random64(n).view(np.int64)


# random_() of each dtype: (64-bit draws?, modulus); bool keeps the low bit.
_RANDOM_DEFAULT = {
    "float64": (True, (1 << 53) + 1), "int64": (True, 1 << 63),
    "float32": (False, (1 << 24) + 1), "float16": (False, (1 << 11) + 1),
    "bfloat16": (False, (1 << 8) + 1), "bool": (False, 2), "uint8": (False, 1 << 8),
    "int8": (False, 1 << 7), "int16": (False, 1 << 15), "int32": (False, 1 << 31),
    "uint16": (False, 1 << 16), "uint32": (False, 1 << 32), "uint64": (True, 1 << 64)}


def random_default(engine, n, dtype_name):
    """uniform_int_distribution: random_() with neither bound, as int64 (uint64 for uint64)."""
    wide, modulus = _RANDOM_DEFAULT[dtype_name]
    bits = engine.random64(n) if wide else engine.random(n)
    if modulus == 1 << 64:
        return bits
    return (bits % _U64(modulus)).view(np.int64)


def randperm(engine, n):
    """randperm_cpu: for n < 2**32 / 20, a forward Fisher-Yates swap of i with
    i + random() % (n - i); beyond, the inside-out shuffle on random64()."""
    if n < _RANDPERM_SMALL:
        if n < 2:
            return np.arange(n, dtype=np.int64)
        offsets = engine.random(n - 1) % np.arange(n, 1, -1, dtype=_U64)
        if n > _SHUFFLE_LOOP_MAX:
            return forward_shuffle(offsets.astype(np.int64))
        perm = list(range(n))
        for i, z in enumerate(offsets.tolist()):
            perm[i], perm[i + z] = perm[i + z], perm[i]
        return np.array(perm, dtype=np.int64)
    picks = (engine.random64(n) % np.arange(1, n + 1, dtype=_U64)).tolist()
    perm = [0] * n
    for i, z in enumerate(picks):
        perm[i] = perm[z]
        perm[z] = i
    return np.array(perm, dtype=np.int64)


def forward_shuffle(offsets):
    """The permutation of 0..n-1 made by swapping, for i = 0, 1, ..., n - 2 in turn,
    positions i and j_i = i + offsets[i], computed without the sequential loop.

    Position i is final after step i, and holds what position j_i held then: position p
    before step p holds v(p), the value moved there by the last earlier step that targeted
    p (its own v), else p itself; position j_i > i before step i holds v(k) for the last
    earlier step k that targeted j_i, else j_i. The v chains are resolved by pointer
    jumping."""
    n = offsets.size + 1
    step = np.arange(n, dtype=np.int64)
    target = np.empty(n, np.int64)
    target[:-1] = step[:-1] + offsets
    target[-1] = n - 1                      # position n-1's "step": it keeps what it holds
    moved = target != step
    steps, targets = step[moved], target[moved]
    order = np.argsort(targets, kind="stable")          # by target, then by step
    steps, targets = steps[order], targets[order]
    group_end = np.ones(steps.size, bool)
    group_end[:-1] = targets[1:] != targets[:-1]
    last_writer = np.full(n, -1, np.int64)
    last_writer[targets[group_end]] = steps[group_end]
    same_target = np.zeros(steps.size, bool)
    same_target[1:] = ~group_end[:-1]
    earlier = np.full(n, -1, np.int64)
    earlier[steps[same_target]] = steps[np.flatnonzero(same_target) - 1]
    value = np.where(last_writer >= 0, last_writer, step)
    while True:
        jumped = value[value]
        if np.array_equal(jumped, value):
            break
        value = jumped
    fetched = np.where(earlier >= 0, value[np.maximum(earlier, 0)], target)
    return np.where(moved, fetched, value)


# ---- the other distributions (their double forms: a double uniform each) -------------------

def bernoulli_scalar(engine, n, p):
    """bernoulli_(p) with a number p: a double uniform < p, per element."""
    return unit_doubles(engine, n) < p


def bernoulli_tensor(engine, probs):
    """bernoulli_(p) with a tensor of probabilities: double uniforms for float64 p, float
    ones (compared in float) for the other float dtypes."""
    if _is_double(probs.dtype):
        return unit_doubles(engine, probs.size).reshape(probs.shape) < probs
    return unit_floats(engine, probs.size).reshape(probs.shape) < probs.astype(_F32)


def exponential(engine, n, lambd):
    """exponential_distribution<double>: -1 / lambda * log1p(-u)."""
    return (-1.0 / lambd) * _libm(math.log1p, -unit_doubles(engine, n))


def cauchy(engine, n, median, sigma):
    """cauchy_distribution<double>: median + sigma * tan(pi * (u - 0.5)), one FMA."""
    return fma_double(_libm(math.tan, math.pi * (unit_doubles(engine, n) - 0.5)), sigma, median)


def geometric(engine, n, p):
    """geometric_distribution<double>: ceil(log(u) / log1p(-p))."""
    u = unit_doubles(engine, n)
    with np.errstate(divide="ignore"):
        logs = _libm(_log_or_minus_inf, u)
    return np.ceil(logs / math.log1p(-p))


def _log_or_minus_inf(x):
    return math.log(x) if x > 0 else -math.inf


def log_normal(engine, n, mean, std):
    """lognormal_distribution<double>: exp of normal_distribution<double>'s draws."""
    return _libm(_exp, normal_serial(engine, n, mean, std))


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf
