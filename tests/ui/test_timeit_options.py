"""%timeit's IPython options (-n LOOPS, -r RUNS, -q) in the REPL, and their bad uses."""

import re

import pytest

from tshell.ui.magics import MagicError, timeit_options

from .helpers import run_keys


@pytest.mark.parametrize("arg, want", [
    ("x + 1", (None, 7, False, "x + 1")),
    ("-n 10 -r 3 x + 1", (10, 3, False, "x + 1")),
    ("-n5 -r1 net(x).sum()", (5, 1, False, "net(x).sum()")),
    ("-q -n 2 f(a, b)", (2, 7, True, "f(a, b)")),
    ("-r 2 y = x * 3", (None, 2, False, "y = x * 3")),
])
def test_options_before_the_statement(arg, want):
    assert timeit_options(arg) == want


@pytest.mark.parametrize("arg, message", [
    ("-n 0 x", "-n and -r must be at least 1"),
    ("-n ten x", "-n and -r take a whole number"),
    ("-z x", "option -z not recognized"),
    ("-n", "option -n requires argument"),
])
def test_bad_options_are_usage_errors(arg, message):
    with pytest.raises(MagicError, match=message):
        timeit_options(arg)


def test_timeit_options_in_the_repl():
    keys = ("x = torch.ones(3)\r%timeit -n 4 -r 2 x + 1\r%timeit -q -n 1 x * 2\r"
            "%%timeit -n 2 -r 3 y = x * 3\ry + 1\r\r%timeit -n 0 x\r")
    status, out, err, _ = run_keys(keys)
    assert status == 0
    lines = out.strip().split("\n")
    assert len(lines) == 2                                   # -q prints nothing
    assert re.fullmatch(r"\S+ \S+ ± \S+ \S+ per loop \(mean ± std\. dev\. of 2 runs, "
                        r"4 loops each\)", lines[0])
    assert lines[1].endswith("(mean ± std. dev. of 3 runs, 2 loops each)")
    assert err == "error: %timeit: -n and -r must be at least 1\n"
