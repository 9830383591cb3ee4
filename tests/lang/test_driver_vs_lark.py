"""The run-time LALR driver (driver.py over the shipped tables) parses as Lark's own LALR parser.

Lark's parser gets the same tokens (tshell's lexer and layout) and the same tree builder (its
tree builder calls ToAst's methods, as Lark's `transformer=` does), so any difference is the
driver's or the tables': every sample, every string in the tests (programs, and much that is
not a program), and fuzz inputs must give equal ASTs, or equal syntax errors.
"""
from __future__ import annotations

import ast as python_ast
import glob
import os
from types import SimpleNamespace

import pytest
from lark import Lark
from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_parser import _Parser

from tests.hardening import fuzzgen
from tshell.lang import TshSyntaxError, grammar, tables
from tshell.lang import ast as A
from tshell.lang.builder import ToAst
from tshell.lang.driver import ParseError
from tshell.lang.parser import Parser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUZZ_COUNT = int(os.environ.get("TSHELL_FUZZ", "1000"))


class LarkDriver:
    """Lark's LALR table and loop, with the Driver's interface: parse(tokens, start,
    builder)."""

    def __init__(self, text: str):
        self.lark = Lark(text, parser="lalr", lexer="basic", start=list(tables.START_RULES),
                         maybe_placeholders=True)
        # Lark binds its callbacks to one transformer, and binding them takes 0.5 ms: they
        # are bound once, to a proxy for the builder of the parse in progress.
        self.proxy = _BuilderProxy()
        self.parser = _Parser(self.lark.parser.parser._parse_table,
                              self.lark._parse_tree_builder.create_callback(self.proxy))

    def parse(self, tokens, start: str, builder):
        outer, self.proxy.builder = self.proxy.builder, builder   # (f-string fields nest)
        try:
            return self.parser.parse(SimpleNamespace(lex=lambda state: tokens), start)
        except UnexpectedToken as e:
            raise ParseError(e.token, e.expected) from None
        finally:
            self.proxy.builder = outer


class _BuilderProxy:
    """The ToAst methods of the builder in use, each looked up when called."""

    builder = None

    def __getattr__(self, name):
        method = getattr(ToAst, name)         # AttributeError: Lark makes a Tree instead
        return lambda children: method(self.builder, children)


@pytest.fixture(scope="module")
def grammars():
    with open(os.path.join(ROOT, "grammar", "tshell.lark"), encoding="utf-8") as f:
        text = f.read()
    shipped = grammar.shared()
    return shipped, SimpleNamespace(lexer=shipped.lexer, driver=LarkDriver(text))


def _outcome(grammar_, source: str):
    """The Module, or what the syntax error says and where."""
    try:
        return Parser(grammar_).parse_module(source)
    except TshSyntaxError as e:
        return ("SyntaxError", e.message, e.span, e.hint, e.incomplete)


def _assert_same(grammars, sources) -> int:
    """Compare on every source; returns how many parsed."""
    shipped, lark = grammars
    parsed = 0
    for source in sources:
        expected = _outcome(lark, source)
        assert _outcome(shipped, source) == expected, source
        parsed += isinstance(expected, A.Module)
    return parsed


def _samples():
    for path in sorted(glob.glob(os.path.join(ROOT, "samples", "**", "*.tsh"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            yield f.read()


def _test_strings():
    """Every string constant of the test files (programs among them)."""
    seen = set()
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "**", "*.py"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            tree = python_ast.parse(f.read())
        for node in python_ast.walk(tree):
            if isinstance(node, python_ast.Constant) and isinstance(node.value, str) \
                    and node.value not in seen and len(node.value) < 20_000:
                seen.add(node.value)
                yield node.value


def _fuzz_inputs():
    for _, source in fuzzgen.inputs(20260501, FUZZ_COUNT):
        if isinstance(source, bytes):
            try:
                source = source.decode("utf-8")
            except UnicodeDecodeError:
                continue
        yield source


def test_every_sample_parses_alike(grammars):
    assert _assert_same(grammars, _samples()) >= 7


def test_every_string_of_the_tests_parses_or_fails_alike(grammars):
    assert _assert_same(grammars, _test_strings()) > 1000


def test_fuzz_inputs_parse_or_fail_alike(grammars):
    assert _assert_same(grammars, _fuzz_inputs()) > FUZZ_COUNT // 4
