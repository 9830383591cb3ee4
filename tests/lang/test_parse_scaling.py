"""Parsing takes time linear in the size of the input (issue 21, "Hangs and time").

A quadratic step shows as a 4x longer input taking ~16x longer; linear parsing takes ~4-6x
(allocation grows a little faster than the input). The bounds are generous for a loaded
2-core machine: the best of three runs each, and a ratio of 10. (The f-strings' quadratic
step copied text at memcpy speed, so it only showed from ~50 000 fields: the absolute bound
on 100 000 fields is the test that catches it; it took 9.5 s to 27 s.)
"""
from __future__ import annotations

import time

import pytest

from tshell.lang import parse

MAX_RATIO = 10          # t(4n) / t(n): ~4-6 when linear, ~16 when quadratic


def _best_time(source: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        parse(source)
        best = min(best, time.perf_counter() - start)
    return best


def _assert_linear(make, n: int):
    parse("x = 1")                       # the tables are loaded before timing
    small, large = _best_time(make(n)), _best_time(make(4 * n))
    assert large < MAX_RATIO * small, f"{n} -> {small:.3f} s, {4 * n} -> {large:.3f} s"


def _chain(op):
    return lambda n: f" {op} ".join(["x"] * n)


def _fstring(n):
    return 'f"' + "{x}" * n + '"'


@pytest.mark.parametrize("op", ["and", "or"])
def test_a_boolean_chain_parses_in_linear_time(op):
    _assert_linear(_chain(op), 8_000)


def test_a_64000_term_chain_parses_in_well_under_5_seconds():
    start = time.perf_counter()
    tree = parse(_chain("and")(64_000))
    assert time.perf_counter() - start < 5
    assert len(tree.body[0].value.values) == 64_000


def test_alternating_and_or_parses_in_linear_time():
    _assert_linear(lambda n: " or ".join(["x and y"] * (n // 2)), 8_000)


def test_an_fstring_with_many_fields_parses_in_linear_time():
    _assert_linear(_fstring, 4_000)


def test_a_100000_field_fstring_parses_in_well_under_5_seconds():
    start = time.perf_counter()
    tree = parse(_fstring(100_000))
    assert time.perf_counter() - start < 5
    assert len(tree.body[0].value.parts) == 100_000


def test_a_multiline_fstring_with_many_fields_parses_in_linear_time():
    _assert_linear(lambda n: 'f"""' + "{x}\n" * n + '"""', 2_000)


def test_many_adjacent_string_literals_join_in_linear_time():
    _assert_linear(lambda n: 'f"{x}" ' + " ".join(['"ab"'] * n), 20_000)
