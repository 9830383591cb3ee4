"""heapq's nlargest/nsmallest against the memory cap (docs/security.md, "Module stand-ins"):
Python keeps min(n, len) items (a heap of tuples, or a sorted copy), which no check counted:
`heapq.nlargest(3 * 10**6, range(3 * 10**6))` grew a 64 MB-capped tshell by 414 MiB."""

import pytest

from tshell.lang import Interpreter

from tests.hardening.test_memory import cap  # noqa: F401  (the 64 MiB cap fixture)

from .escapes import refused


@pytest.mark.parametrize("src", [
    "heapq.nlargest(3 * 10**6, range(3 * 10**6))",
    "heapq.nsmallest(3 * 10**6, range(3 * 10**6), key=abs)",
    "heapq.nsmallest(10**9, iter(range(3 * 10**6)))",
    "heapq.nlargest(10**9, (i for i in range(3 * 10**6)))",
])
def test_the_items_kept_are_measured_first(src, cap):
    error, printed = refused("import heapq\nx = " + src)
    assert "bytes" in str(error) and "memory limit" in str(error), str(error)
    assert printed == ""


def test_ordinary_calls_still_work(cap):
    interp = Interpreter()
    interp.run_source("import heapq\ngot = [heapq.nlargest(10**9, [3, 1, 2]), "
                      "heapq.nsmallest(2, iter([5, 1, 4])), heapq.nlargest(2, range(10**6)), "
                      "heapq.nsmallest(2, ['bb', 'a', 'ccc'], key=len)]\n", "<t>")
    assert interp.namespace["got"] == [[3, 2, 1], [1, 4], [999999, 999998], ["a", "bb"]]
