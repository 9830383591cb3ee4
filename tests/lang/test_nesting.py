"""One rule for what is too deeply nested (tshell.lang.nesting): --check and running agree.

For each way of nesting, the deepest tree the rule accepts parses, compiles and runs, and one
level more is the same SyntaxError from check_source (--check) and from running.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest

from tests.hardening import fuzzgen
from tshell.lang import Interpreter, TshSyntaxError, check_source
from tshell.lang import nesting
from tshell.lang.parser import Parser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _blocks(n):
    """n nested `if` blocks around an assignment."""
    return "".join(" " * i + "if 1:\n" for i in range(n)) + " " * n + "x = 1\n"


def _elifs(n):
    return "if 0:\n    pass\n" + "elif 0:\n    pass\n" * n + "else:\n    x = 1\n"


NESTINGS = {       # name -> n -> a program that nests about n levels deep
    "sum": lambda n: "+".join(["1"] * n),
    "minus": lambda n: "-" * n + "1",
    "not": lambda n: "not " * n + "1",
    "power": lambda n: "**".join(["1"] * n),
    "attribute": lambda n: "x = 1\nx" + ".real" * n,
    "call": lambda n: "def f():\n    return f\nf" + "()" * n,
    "subscript": lambda n: "'a'" + "[0]" * n,
    "conditional": lambda n: "1 if 1 else " * n + "1",
    "fstring spec": lambda n: 'f"' + "{'':" * n + "{''}" + "}" * n + '"',
    "blocks": _blocks,
    "elifs": _elifs,
    "blocks and a sum": lambda n: _blocks(n // 2).replace("x = 1", "x = " + "+".join(
        ["1"] * (n - n // 2))),
}


def _depth(source):
    return nesting.depth(Parser().parse_module(source))


def _deepest_accepted(make):
    """The largest n whose program's tree is at most nesting.MAX_DEPTH deep (depth grows
    linearly with n)."""
    d10, d20 = _depth(make(10)), _depth(make(20))
    step = (d20 - d10) // 10
    return 10 + (nesting.MAX_DEPTH - d10) // step


def _run(source):
    Interpreter(stdout=io.StringIO()).run_source(source, "deep.tsh")


def _refusals(source):
    """The error texts of --check's parse and of running."""
    texts = []
    for attempt in (lambda: check_source(source, "deep.tsh"), lambda: _run(source)):
        with pytest.raises(TshSyntaxError) as info:
            attempt()
        texts.append(info.value.format())
    return texts


@pytest.mark.parametrize("name", NESTINGS)
def test_the_deepest_accepted_tree_runs_and_one_level_more_is_refused_alike(name):
    make = NESTINGS[name]
    n = _deepest_accepted(make)
    assert _depth(make(n)) > nesting.MAX_DEPTH - 3          # (some nest 2 levels a step)
    _run(make(n))                         # compiles and runs: no RecursionError inside
    check, run = _refusals(make(n + 1))
    assert check == run
    assert "SyntaxError: expression too deeply nested" in check


@pytest.mark.parametrize("name", ["sum", "minus"])
def test_a_hundred_thousand_levels_are_refused_alike_and_quickly(name):
    start = time.perf_counter()
    check, run = _refusals(NESTINGS[name](100_000))
    assert check == run
    assert time.perf_counter() - start < 10


def test_a_long_flat_chain_is_not_deep():
    source = " and ".join(["1"] * 20_000) + "\n" + "x = [" + ", ".join(["1"] * 20_000) + "]"
    check_source(source, "flat.tsh")
    _run(source)


def test_the_cli_check_and_run_agree_on_a_100000_term_sum(tmp_path):
    path = tmp_path / "sum.tsh"
    path.write_text("+".join(["1"] * 100_000) + "\n")
    env = dict(os.environ, PYTHONPATH=ROOT)
    results = [subprocess.run([sys.executable, "-m", "tshell", *args, str(path)],
                              capture_output=True, text=True, env=env, timeout=120)
               for args in (["--check"], [])]
    assert [r.returncode for r in results] == [2, 2]
    assert results[0].stderr == results[1].stderr
    assert "SyntaxError: expression too deeply nested" in results[0].stderr


def _programs():
    """Programs of every shape: the samples, fuzz programs, and the nestings above."""
    for path in sorted(os.listdir(os.path.join(ROOT, "samples"))):
        if path.endswith(".tsh"):
            with open(os.path.join(ROOT, "samples", path), encoding="utf-8") as f:
                yield f.read()
    for kind, source in fuzzgen.inputs(5, 300):
        if kind == "program":
            yield source
    for make in NESTINGS.values():
        for n in (1, 2, 7, 50, 300):
            yield make(n)


def test_the_depth_bound_is_never_below_the_real_depth():
    for source in _programs():
        parser = Parser()
        try:
            module = parser.parse_module(source)
        except TshSyntaxError:
            continue
        assert nesting.depth(module) <= nesting.depth_bound(parser.layout), source
