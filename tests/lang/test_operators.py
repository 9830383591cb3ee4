"""The grammar's operator tokens and tshell.lang.operators, the one table of precedence and
functions, name the same operators."""
from __future__ import annotations

import os
import re

import pytest
from lark import Lark

from tshell.lang import operators as O

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def grammar():
    with open(os.path.join(ROOT, "grammar", "tshell.lark"), encoding="utf-8") as f:
        text = f.read()
    lark = Lark(text, parser="lalr", lexer="basic", start=["file_input", "eval_input"],
                maybe_placeholders=True)
    values = {t.name: t.pattern.value for t in lark.terminals}
    return text, values


def _groups(text: str, rule: str) -> tuple:
    """The operator alternatives of an operator-run rule (prefixes, binary operators):
    `prefix* atom_expr (binary prefix* atom_expr)*`."""
    line = next(line for line in text.splitlines() if line.startswith(f"?{rule}:"))
    prefixes, binary, prefixes_again = re.findall(r"\(([A-Z _|]+)\)", line)
    assert prefixes == prefixes_again
    return prefixes, binary


def _operators(group: str, values: dict) -> set:
    """'NOT IN | PLUS' -> {'not in', '+'}: each alternative's terminals' texts, joined."""
    return {" ".join(values[name] for name in alternative.split())
            for alternative in group.split("|")}


def test_the_grammar_offers_exactly_the_tables_operators(grammar):
    text, values = grammar
    prefixes, binary = _groups(text, "operation")
    assert _operators(prefixes, values) == set(O.PREFIX_POWERS)
    assert _operators(binary, values) == set(O.BINARY_POWERS)


def test_targets_offer_the_arithmetic_and_bitwise_operators(grammar):
    text, values = grammar
    prefixes, binary = _groups(text, "targetexpr")
    assert _operators(prefixes, values) == set(O.PREFIX_POWERS)
    assert _operators(binary, values) == set(O.BINARY_FUNCTIONS)


def test_augmented_assignment_has_an_in_place_function_per_operator(grammar):
    text, _ = grammar
    augop = re.search(r"^AUGOP:(.*?)^\S", text, re.S | re.M).group(1)
    assert {op[:-1] for op in re.findall(r'"([^"]+)"', augop)} == set(O.INPLACE_FUNCTIONS)


def test_every_operator_has_what_the_compiler_needs():
    for text, kind in O.BINARY_KINDS.items():
        if kind in (O.LEFT, O.RIGHT):
            assert callable(O.BINARY_FUNCTIONS[text]) and callable(O.INPLACE_FUNCTIONS[text])
        elif kind == O.COMPARISON:
            assert callable(O.COMPARISON_FUNCTIONS[text])
    assert all(callable(fn) for fn in O.PREFIX_FUNCTIONS.values())
