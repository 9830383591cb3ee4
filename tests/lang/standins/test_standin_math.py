"""math, cmath and time against CPython 3.11: values, how functions print, errors (class and
message); then what tsh refuses on purpose: integer results and arguments that would take
minutes of C time (factorial, perm, comb, isqrt, gcd, lcm), and endless iterables given to
prod, fsum and dist."""

import math
import time

import pytest

from standin_compare import cpython, run_tsh, tsh, tsh_error

PROGRAMS = [
    # values
    "import math\nprint(math.sqrt(2), math.pi, math.e, math.tau, math.inf, math.nan)",
    "import math\nprint(math.floor(2.5), math.ceil(2.5), math.trunc(-2.5), math.fabs(-3), "
    "math.copysign(1, -0.0))",
    "import math\nprint(math.exp(1), math.log(8, 2), math.log2(1024), math.log10(1000), "
    "math.log1p(1e-10), math.expm1(1e-10), math.exp2(10), math.cbrt(27))",
    "import math\nprint(math.sin(1), math.cos(1), math.tan(1), math.asin(0.5), math.acos(0.5), "
    "math.atan(1), math.atan2(1, -1), math.hypot(3, 4, 12), math.degrees(math.pi), "
    "math.radians(180))",
    "import math\nprint(math.sinh(1), math.cosh(1), math.tanh(1), math.asinh(1), "
    "math.acosh(2), math.atanh(0.5), math.erf(1), math.erfc(1), math.gamma(5.5), "
    "math.lgamma(100))",
    "import math\nprint(math.factorial(20), math.factorial(0), math.comb(52, 5), "
    "math.perm(10, 3), math.perm(5), math.comb(10**100, 3) % 1000, math.isqrt(10**40 + 1))",
    "import math\nprint(math.gcd(12, 18), math.gcd(), math.gcd(0, 0), math.gcd(-4, 6, 10), "
    "math.lcm(4, 6), math.lcm(), math.lcm(2, 3, 4, 5, 0), "
    "math.lcm(3, 4, 5, 6, 7))",
    "import math\nprint(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2, 3], start=10), "
    "math.prod(range(1, 20)), math.prod([1.5, 2]), math.prod([2, 'ab']), math.prod([[1], 3]))",
    "import math\nprint(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum(map(float, "
    "range(5))), math.dist((0, 0), (3, 4)), math.dist([1, 2, 3], iter([4, 5, 6])))",
    "import math\nprint(math.isclose(1, 1 + 1e-10), math.isnan(math.nan), math.isinf(-math.inf), "
    "math.isfinite(1e308), math.fmod(-7, 3), math.remainder(7, 3), math.modf(2.5), "
    "math.frexp(8), math.ldexp(0.5, 4))",
    "import math\nprint(math.nextafter(1, 2), math.ulp(1), math.pow(2, 0.5))",
    "import math\nprint(math.factorial(170) == math.prod(range(1, 171)), math.comb(200, 100))",
    # how they print
    "import math\nprint(math.sqrt, math.factorial, math.prod, math.gcd, math.comb)",
    "import math\nprint(type(math.sqrt), type(math.factorial))",
    "from math import sqrt, pi, factorial as f\nprint(sqrt(16), pi, f(5))",
    # errors
    "import math\nmath.sqrt(-1)", "import math\nmath.log(0)", "import math\nmath.factorial(-1)",
    "import math\nmath.factorial(2.5)", "import math\nmath.factorial('a')",
    "import math\nmath.comb(-1, 2)", "import math\nmath.comb(5, 2.0)",
    "import math\nmath.perm(3, -1)",
    "import math\nmath.isqrt(-1)", "import math\nmath.isqrt(2.0)", "import math\nmath.gcd(1.5)",
    "import math\nmath.lcm(1.5, 2)", "import math\nmath.lcm(2, 3, 'a')",
    "import math\nmath.prod(5)", "import math\nmath.prod()", "import math\nmath.prod([1], 2)",
    "import math\nmath.prod([1], begin=2)", "import math\nmath.prod(['a', 'b'])",
    "import math\nmath.fsum(5)", "import math\nmath.fsum(['a'])", "import math\nmath.fsum()",
    "import math\nmath.dist((1, 2), (1,))", "import math\nmath.dist(1, 2)",
    "import math\nmath.exp(1000)", "import math\nmath.sqrt('a')", "import math\nmath.sqrt()",
    "import math\nmath.nosuch", "import math\nmath.factorial(1, 2)",
    # cmath
    "import cmath\nprint(cmath.sqrt(-1), cmath.exp(cmath.sqrt(-1) * cmath.pi), "
    "cmath.phase(-1), cmath.polar(cmath.sqrt(-4)), cmath.rect(1, 0), cmath.log(-1))",
    "import cmath\nprint(cmath.pi, cmath.e, cmath.tau, cmath.inf, cmath.infj, cmath.nanj, "
    "cmath.isclose(cmath.sqrt(-1) ** 2, -1), cmath.isfinite(cmath.infj))",
    "import cmath\nprint(cmath.sin(cmath.sqrt(-1)), cmath.acos(2), cmath.atanh(0.5), "
    "cmath.log10(-100), cmath.sqrt)",
    "import cmath\ncmath.log(0)", "import cmath\ncmath.sqrt('a')",
    # time
    "import time\nprint(type(time.time()), type(time.time_ns()), time.perf_counter() > 0, "
    "type(time.monotonic_ns()), time.process_time() >= 0, time.sleep(0))",
    "import time\nt = time.perf_counter()\ntime.sleep(0.01)\n"
    "print(time.perf_counter() - t > 0.005)",
    "import time\ntime.sleep(-1)", "import time\ntime.sleep('a')",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


def test_every_public_name_of_math_and_cmath_is_there():
    import cmath
    from tshell.lang.standins import load
    assert set(load("math")._members) == {n for n in dir(math) if not n.startswith("_")}
    assert set(load("cmath")._members) == {n for n in dir(cmath) if not n.startswith("_")}


# ---------------------------------------------------------------------- what tsh refuses
@pytest.mark.parametrize("src,kind,text", [
    ("math.factorial(10**6)", "MemoryError", "factorial(1000000) would be an integer of about"),
    ("math.factorial(10**30)", "MemoryError", "tsh allows integers of up to 4194304 bits"),
    ("math.perm(10**6, 5 * 10**5)", "MemoryError", "perm(1000000, 500000) would be an integer"),
    ("math.perm(10**400, 10**5)", "MemoryError", "would be an integer of about"),
    ("math.comb(10**6, 5 * 10**5)", "OverflowError", "comb(1000000, 500000) would take minutes"),
    ("math.comb(2**4000000, 20)", "OverflowError", "tsh allows up to 262144 bits"),
    ("math.isqrt(2**(2**21))", "OverflowError", "isqrt() would take minutes"),
    ("x = 3**(2**20)\nmath.gcd(x, x + 2)", "OverflowError", "gcd() would take minutes"),
    ("x = 3**(2**20)\nmath.lcm(x, x + 2)", "OverflowError", "lcm() would take minutes"),
    ("x = 3**(2**20)\nmath.lcm(3, x, x + 2, 5)", "OverflowError", "lcm() would take minutes"),
    ("math.prod([2**(2**21), 2**(2**21), 3])", "MemoryError", "prod() would be an integer"),
])
def test_minutes_of_c_time_are_refused_at_once(src, kind, text):
    t0 = time.perf_counter()
    name, message = tsh_error("import math\n" + src)
    assert (name, text in message) == (kind, True), message
    assert time.perf_counter() - t0 < 1.0


def test_the_limits_still_allow_large_results():
    out = run_tsh("import math\nprint(math.factorial(100000).bit_length(), "
                  "math.comb(100000, 50000).bit_length(), math.isqrt(2**(2**20 - 1)).bit_length(), "
                  "math.gcd(2**(2**19), 3**100, 6), math.lcm(2**(2**19), 6).bit_length())")
    assert out.split() == [str(math.factorial(100000).bit_length()),
                           str(math.comb(100000, 50000).bit_length()),
                           str(2**19), "1", str(2**19 + 2)]


def test_gcd_with_one_small_argument_stays_fast():
    t0 = time.perf_counter()
    run_tsh("import math\nx = 3**(2**21)\nprint(math.gcd(x, 7, x), math.gcd(7, x))")
    assert time.perf_counter() - t0 < 2.0


def test_lcm_of_many_arguments_is_exact():
    out = run_tsh("import math\nprint(math.lcm(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))")
    assert out.strip() == str(math.lcm(*range(1, 13)))


@pytest.mark.parametrize("src", [
    "import math\nimport itertools\nmath.fsum(itertools.count())",
    "import math\nimport itertools\nmath.dist(itertools.repeat(1.0), [1])",
    "import math\nimport itertools\nmath.prod(itertools.repeat(2), start='ab')",
])
def test_endless_iterables_meet_the_memory_cap(src, small_cap):
    name, message = tsh_error(src)
    assert name == "MemoryError", message


def test_what_is_not_in_the_stand_ins_is_an_error():
    assert tsh_error("import time\ntime.localtime()") == (
        "AttributeError", "module 'time' has no attribute 'localtime'")
    assert tsh_error("from math import nosuch") == (
        "ImportError", "cannot import name 'nosuch' from 'math'")


def test_prod_of_integers_is_checked_chunk_by_chunk(small_cap):
    name, message = tsh_error("import math\nimport itertools\n"
                              "math.prod(itertools.repeat(2**1000))")
    assert name == "MemoryError" and "prod() would be an integer" in message
