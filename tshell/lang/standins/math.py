"""math as tsh programs see it: Python's own functions, which are pure, except the few that can
run for minutes in C that Ctrl-C cannot interrupt, or make integers past tsh's limit.

Measured on CPython 3.11: factorial(250 000) (4.2 Mbit) takes 0.8 s, comb(400 000, 200 000)
(0.4 Mbit) 2.9 s and each doubling of its result four times that, isqrt of a 2 Mbit integer
1.5 s, gcd of two 1 Mbit integers 1.6 s (both quadratic); prod, fsum and dist read endless
iterators in C. So: factorial and perm refuse results above guards.MAX_INT_BITS (as `**`
does), comb results above COMB_MAX_BITS, isqrt arguments above ISQRT_MAX_BITS, gcd and lcm two
arguments above GCD_MAX_BITS; lcm of many arguments, prod, fsum and dist take their
iterables through the guards (a chunk at a time, within the memory cap).
"""

from __future__ import annotations

import math

from .. import guards
from ..sandbox import Namespace
from ._classes import builtin

COMB_MAX_BITS = 1 << 18
ISQRT_MAX_BITS = 1 << 20
GCD_MAX_BITS = 1 << 19
LOG2 = math.log(2)
# Below this, lgamma's rounding (a few units in 2**53) is far below a bit of the result.
EXACT_LGAMMA = 1 << 50

PURE = ("acos acosh asin asinh atan atan2 atanh cbrt ceil copysign cos cosh degrees erf erfc "
        "exp exp2 expm1 fabs floor fmod frexp gamma hypot isclose isfinite isinf isnan "
        "ldexp lgamma log log10 log1p log2 modf nextafter pow radians remainder sin sinh "
        "sqrt tan tanh trunc ulp").split()
PURE = [name for name in PURE if hasattr(math, name)]   # cbrt, exp2: CPython 3.11 on
CONSTANTS = ("pi", "e", "tau", "inf", "nan")
HOST_CALLABLES = tuple(getattr(math, name) for name in PURE)


def _is_int(x) -> bool:
    return x.__class__ is int or x.__class__ is bool


def _too_slow(what: str, bits: int, most: int, kind: str) -> OverflowError:
    return OverflowError(f"{what} would take minutes that Ctrl-C cannot interrupt ({kind} of "
                         f"about {bits} bits); tsh allows up to {most} bits")


def _log2_falling(n: int, k: int) -> float:
    """log2(n! / (n - k)!), the bits of perm(n, k); an upper bound for huge n."""
    if n < EXACT_LGAMMA:
        return (math.lgamma(n + 1) - math.lgamma(n - k + 1)) / LOG2
    return k * n.bit_length()


# ---------------------------------------------------------------------- big results
def factorial(*args, **kwargs):
    if len(args) == 1 and not kwargs and _is_int(args[0]) and args[0] > 20:
        n = args[0]
        bits = int(math.lgamma(n + 1) / LOG2) if n < EXACT_LGAMMA else n * n.bit_length()
        guards.check_int_result(f"factorial({guards.short_int(n)})", bits)
    return math.factorial(*args, **kwargs)


def perm(*args, **kwargs):
    if 1 <= len(args) <= 2 and not kwargs and all(_is_int(a) for a in args):
        n, k = args[0], args[1] if len(args) == 2 else args[0]
        if 0 <= k <= n and k > 20:
            guards.check_int_result(
                f"perm({guards.short_int(n)}, {guards.short_int(k)})", int(_log2_falling(n, k)))
    return math.perm(*args, **kwargs)


def comb(*args, **kwargs):
    if len(args) == 2 and not kwargs and all(_is_int(a) for a in args):
        n, k = args
        if 0 <= k <= n:
            k = min(k, n - k)
            bits = int(_log2_falling(n, k) - math.lgamma(k + 1) / LOG2) if k > 1 else 0
            if bits > COMB_MAX_BITS:
                raise _too_slow(f"comb({guards.short_int(n)}, {guards.short_int(args[1])})",
                                bits, COMB_MAX_BITS, "a result")
    return math.comb(*args, **kwargs)


# ---------------------------------------------------------------------- slow arguments
def isqrt(*args, **kwargs):
    if len(args) == 1 and not kwargs and _is_int(args[0]):
        bits = args[0].bit_length()
        if bits > ISQRT_MAX_BITS:
            raise _too_slow("isqrt()", bits, ISQRT_MAX_BITS, "an argument")
    return math.isqrt(*args, **kwargs)


def _check_gcd_arguments(what: str, args) -> None:
    """gcd is quadratic in the sizes of its two operands, taken in order (gcd(a, b, c) is
    gcd(gcd(a, b), c)): once a small one is met the running result stays small."""
    bits = 0
    for a in args:
        size = a.bit_length()
        if bits > GCD_MAX_BITS and size > GCD_MAX_BITS:
            raise _too_slow(what, min(bits, size), GCD_MAX_BITS, "two arguments")
        bits = min(bits, size) if bits and size else max(bits, size)


def gcd(*args, **kwargs):
    if not kwargs and all(_is_int(a) for a in args):
        _check_gcd_arguments("gcd()", args)
    return math.gcd(*args, **kwargs)


def lcm(*args, **kwargs):
    """lcm(*integers): one pair at a time in Python (Ctrl-C), its result within
    guards.MAX_INT_BITS."""
    if kwargs or not all(_is_int(a) for a in args) or len(args) < 3:
        if not kwargs and all(_is_int(a) for a in args):
            _check_gcd_arguments("lcm()", args)
        return math.lcm(*args, **kwargs)
    result = 1
    for a in args:
        _check_gcd_arguments("lcm()", (result, a))
        result = math.lcm(result, a)
        guards.check_int_result("lcm()", result.bit_length())
    return result


# ---------------------------------------------------------------------- iterables
_NUMBERS = {int, bool, float}


def prod(*args, **kwargs):
    """prod(iterable, /, *, start=1): a chunk at a time; products of integers within
    guards.MAX_INT_BITS, of sequences (repetition) within the memory cap."""
    if len(args) != 1 or set(kwargs) - {"start"}:
        return math.prod(*args, **kwargs)                 # Python's message
    total = kwargs.get("start", 1)
    for chunk in guards.chunks(args[0]):
        kinds = set(map(type, chunk))
        kinds.add(type(total))
        if kinds <= {int, bool}:
            bits = sum(map(int.bit_length, chunk)) + total.bit_length()
            guards.check_int_result("prod()", bits)
        if kinds <= _NUMBERS | {complex}:
            total = math.prod(chunk, start=total)
        else:
            for x in chunk:                               # tensors, sequences...
                total = guards.mul(total, x)
    return total


def fsum(*args, **kwargs):
    if len(args) == 1 and not kwargs:
        args = (guards.materialize(args[0]),)
    return math.fsum(*args, **kwargs)


def dist(*args, **kwargs):
    if len(args) == 2 and not kwargs:
        args = tuple(a if isinstance(a, (tuple, list)) else guards.materialize(a)
                     for a in args)
    return math.dist(*args, **kwargs)


def _shown(fn, name: str):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = getattr(math, name).__doc__
    fn.__wrapped__ = getattr(math, name)               # help() shows the C signature
    return builtin(fn)


GUARDED = {"factorial": factorial, "perm": perm, "comb": comb, "isqrt": isqrt, "gcd": gcd,
           "lcm": lcm, "prod": prod, "fsum": fsum, "dist": dist}


def namespace() -> Namespace:
    members = {name: getattr(math, name) for name in (*PURE, *CONSTANTS)}
    members.update({name: _shown(fn, name) for name, fn in GUARDED.items()})
    return Namespace("math", members)
