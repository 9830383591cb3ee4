"""tshell's FastLexer against Lark's own lexer for the same grammar: the same tokens.

The fast lexer is assembled from the grammar's terminals (tables.lexer_spec) with its own
shortcuts (blanks matched as a prefix of the next token, one character class for all the
one-character operators); Lark's basic lexer is the reference it must agree with.
"""
from __future__ import annotations

import glob
import os
import random

import pytest
from lark import Lark
from lark.exceptions import UnexpectedCharacters

from tests.hardening import fuzzgen
from tshell.lang import grammar as tsh_grammar
from tshell.lang.lexer import LexError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TRICKY = [
    "x **= 2\ny //= 3\nz @= w\na <<= 1\nb >>= 2\nc ^= d | e & f % g\n",
    "x[..., 0] = .5 + 1. + 1e-3 + 1_000 + 0x_ff + 0o17 + 0b101 + 1.5e+10j\n",
    "s = r'\\n' + b\"x\" + f'{a!r:>{w}}' + '''multi\nline''' + rb'\\x'\n",
    "if a<=b>=c!=d==e<f>g: pass  # comment\n",
    "y = (1,\n     2)  \\\n    + 3\n\tz = ~x\n",
    "def f(*args, **kw) -> None:\n    return {a: b for a in c if not a}\n",
    "x=1;y=2;;\n", "a.b.c(d)[e]{f}\n", "0 00 0_0 01\n", "x = $\n", "é = 1\n",
    "'unterminated\n", "\"\"\"never closed\n", "x = 1 ! 2\n", "\f\tx = 1\n",
]


@pytest.fixture(scope="module")
def lexers():
    with open(os.path.join(ROOT, "grammar", "tshell.lark")) as f:
        grammar = f.read()
    reference = Lark(grammar, parser="lalr", lexer="basic",
                     start=["file_input", "eval_input"], maybe_placeholders=True)
    return reference, tsh_grammar.shared().lexer


def _scan(tokens, error_type):
    """The (type, value, line, column) of each token, and whether the scan stopped early."""
    out = []
    try:
        for t in tokens:
            out.append((t.type, t.value, t.line, t.column))
    except error_type:
        return out, True
    return out, False


def _assert_same(lexers, text):
    reference, fast = lexers
    text = text if text.endswith("\n") else text + "\n"
    expected = _scan(reference.lex(text), UnexpectedCharacters)
    assert _scan(fast.tokens(text), LexError) == expected, text


def _sources():
    for path in sorted(glob.glob(os.path.join(ROOT, "samples", "*.tsh"))):
        with open(path) as f:
            yield os.path.basename(path), f.read()


@pytest.mark.parametrize("name,text", list(_sources()))
def test_samples_lex_as_lark_lexes_them(lexers, name, text):
    _assert_same(lexers, text)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_tokens_lex_as_lark_lexes_them(lexers, text):
    _assert_same(lexers, text)


def test_generated_programs_and_mutants_lex_as_lark_lexes_them(lexers):
    for _kind, text in fuzzgen.inputs(seed=5, count=300):
        if isinstance(text, bytes):
            text = text.decode("latin-1")
        _assert_same(lexers, text)


def test_every_one_character_operator_keeps_its_terminal_name(lexers):
    chars = "&@^:,.={<([->%+})];/*~|"
    _assert_same(lexers, " ".join(chars) + "\n")
    rng = random.Random(3)
    for _ in range(50):
        _assert_same(lexers, "".join(rng.choice(chars + "x1 ") for _ in range(30)))
