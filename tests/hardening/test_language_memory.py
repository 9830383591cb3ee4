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
