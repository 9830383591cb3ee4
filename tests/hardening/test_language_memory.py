"""The memory cap (docs/security.md, "Resource limits") against the values the language builds
itself: comprehensions whose items are large. Each program below grew a `tshell --max-memory
64MB` process well past the cap (0.5 to 2.6 GiB) before it was refused, because a
comprehension was measured only every 65 536 items, and a dict comprehension by its keys."""

import pytest

from tshell.lang import TshRuntimeError

from tests.hardening.test_memory import cap  # noqa: F401  (the 64 MiB cap fixture)
from tests.hardening.test_memory import run
from tests.hardening.test_memory_views import _peak_rss_of_tshell

BIG_ITEM_COMPREHENSIONS = [
    "x = [[0] * 1000 for i in range(10**6)]",                          # 539 MiB before
    "r = [0] * 10**4\nx = [list(r) for i in range(10**4)]",            # 799 MiB
    "x = {i: [0] * 1000 for i in range(10**6)}",                       # values: not counted
    "x = {tuple([i] * 1000) for i in range(10**6)}",
    "x = [[j for j in range(1000)] for i in range(10**6)]",
]


@pytest.mark.parametrize("src", BIG_ITEM_COMPREHENSIONS)
def test_a_comprehension_of_large_items_is_refused_near_the_cap(cap, src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    e = info.value
    assert e.type_name == "MemoryError" and "one value may take" in e.message, e.format()


@pytest.mark.parametrize("src", BIG_ITEM_COMPREHENSIONS[:3])
def test_tshell_refuses_a_comprehension_of_large_items_before_it_grows(src):
    status, err, rss = _peak_rss_of_tshell(src)
    assert status == 1 and "MemoryError: a collection of " in err and "Traceback" not in err, err
    assert rss < 160 << 20, f"peak RSS {rss >> 20} MiB"


def test_comprehensions_under_the_cap_still_run(cap):
    interp = run("a = [[0] * 100 for i in range(10**4)]\nb = {i: 'x' * 100 for i in range(10**4)}\n"
                 "c = [i for i in range(10**5)]\nprint(len(a), len(b), len(c))")
    assert interp.stdout.getvalue() == "10000 10000 100000\n"


# `**` and `<<` refuse integers above 4 Mbit, but `*` multiplied any two: squaring 2**4000000
# six times made a 256 Mbit integer (a 64 MB process grew to 143 MiB; each further squaring
# doubles it and takes seconds of uninterruptible C time).
INT_PRODUCTS = [
    "x = 2**4000000\nx = x * x", "x = 2**4000000\nx *= x", "x = 3**2000000\ny = x * x * x",
    "import operator\noperator.mul(2**4000000, 2**4000000)",
    "x = -(2**4000000)\ny = x * (2**1000000)",
]


@pytest.mark.parametrize("src", INT_PRODUCTS)
def test_integer_products_above_the_integer_limit_are_refused(src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    e = info.value
    assert e.type_name == "MemoryError" and "tsh allows integers of up to 4194304 bits" in \
        e.message, e.format()


def test_integer_products_under_the_limit_run():
    out = run("x = 2**2000000\nprint((x * x).bit_length(), (3 * 4) * 2.5, [1] * 3 * 2)\n"
              "y = 7\ny *= 6\nprint(y)").stdout.getvalue()
    assert out == "4000001 30.0 [1, 1, 1, 1, 1, 1]\n42\n"
