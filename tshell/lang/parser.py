"""Parse tsh source into the AST.

Pipeline, one Parser per parse: FastLexer (the grammar's terminals) -> Layout (Python's layout
rules, refusals of what tsh leaves out) -> Driver (LALR over the table Lark builds from
grammar/tshell.lark, see grammar.py) with the parse's own AST builder as reduce callbacks.
An f-string field is parsed by a Parser of its own, which its enclosing parse's builder makes
with the field's place in the file: its spans and errors are in the file's positions.

Changing the grammar: edit grammar/tshell.lark (rule names and aliases are ToAst's method
names), add the builder methods, then regenerate the tables with `python -m tshell.lang.tables`
and commit tshell/lang/_tables.py; tests/lang/test_tables.py and test_driver_vs_lark.py check
both steps.
"""

from __future__ import annotations

import gc

from . import ast as A
from . import nesting
from .builder import ToAst
from .driver import ParseError
from .errors import TshSyntaxError
from .grammar import grammar_path, shared
from .layout import Layout
from .lexer import LexError
from .lexhelp import bad_character, explain_unexpected


class Parser:
    """One parse: the Layout's state and the AST builder.

    line_offset/col_offset: where the text starts in the file, less one (an f-string field's
    text starts inside its line); grammar: the lexer and driver (grammar.shared() if None).
    """

    def __init__(self, grammar=None, line_offset: int = 0, col_offset: int = 0):
        self.grammar = grammar if grammar is not None else shared()
        self.layout = Layout()
        self.builder = ToAst(self._parse_field, line_offset, col_offset)

    def parse_module(self, text: str) -> A.Module:
        """A whole program (rule file_input); a tree deeper than nesting.MAX_DEPTH is
        refused."""
        try:
            with nesting.deep_recursion():
                module = self._run(text, "file_input", joined=False)
        except RecursionError:      # deeper than deep_recursion has room for
            raise nesting.too_deep() from None
        nesting.check(module, self.layout)
        return module

    def parse_field(self, text: str) -> A.Node:
        """One expression on one logical line (rule eval_input): an f-string field."""
        return self._run(text, "eval_input", joined=True)

    def _parse_field(self, text: str, line: int, col: int) -> A.Node:
        return Parser(self.grammar, line - 1, col - 1).parse_field(text)

    def _run(self, text: str, start: str, joined: bool):
        text = text if text.endswith("\n") else text + "\n"
        try:
            return self.grammar.driver.parse(self._tokens(text, joined), start, self.builder)
        except ParseError as e:
            raise self._error_in_file(explain_unexpected(e, text, self.layout)) from None

    def _tokens(self, text: str, joined: bool):
        """The layout's tokens; its and the lexer's errors moved to the file's positions.
        (Errors of the builder and of nested parses are made there already.)"""
        try:
            yield from self.layout.process(self.grammar.lexer.tokens(text), joined)
        except LexError as e:
            raise self._error_in_file(bad_character(e, text, self.layout)) from None
        except TshSyntaxError as e:
            raise self._error_in_file(e) from None

    def _error_in_file(self, e: TshSyntaxError) -> TshSyntaxError:
        """e, found in this parse's text, at its place in the file."""
        s = self.builder.in_file(e.span)
        if s is e.span:
            return e
        return TshSyntaxError(e.message, s.line, s.col, s.end_col, e.hint, e.incomplete,
                              s.end_line)


def parse(source: str, filename: str = "<input>") -> A.Module:
    """Parse a whole program into a Module; raises TshSyntaxError."""
    if source.startswith("\ufeff"):
        source = source[1:]                    # a UTF-8 byte order mark is not code
    gc_was_on = gc.isenabled()
    gc.disable()            # millions of small objects, none cyclic: GC passes only cost
    try:
        return Parser().parse_module(source)
    except TshSyntaxError as e:
        raise e.attach(filename, source) from None
    finally:
        if gc_was_on:
            gc.enable()


def is_incomplete(source: str, interactive: bool = False) -> bool:
    """True when source only lacks more lines (open bracket, block header without a body...).

    With interactive=True a compound statement also waits for a blank line, the way the
    Python REPL does, so a block can grow line by line.
    """
    try:
        parse(source)
    except TshSyntaxError as e:
        return e.incomplete
    if interactive and not source.endswith("\n\n"):
        lines = [line for line in source.split("\n") if line.strip()]
        return bool(lines) and lines[-1][:1] in (" ", "\t")
    return False


def check_source(source: str, filename: str = "<input>") -> A.Module:
    """Parse and compile without running (for --check): the SyntaxErrors running would
    give, the compiler's included ('return' outside function, a refused `__getattr__`).
    Returns the Module or raises TshSyntaxError."""
    from .compiler import Compiler          # parse-only users need not load the compiler
    from .errors import SourceUnit
    module = parse(source, filename)
    try:
        Compiler(SourceUnit(filename, source), {}, {}, {}).module(module)
    except TshSyntaxError as e:
        raise e.attach(filename, source) from None
    return module


__all__ = ["Parser", "parse", "is_incomplete", "check_source", "grammar_path"]
