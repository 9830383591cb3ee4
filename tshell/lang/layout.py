"""Python's layout rules between the lexer and the LALR driver, and refusals of what tsh leaves
out.

A Layout belongs to one parse: it turns newlines and leading whitespace into _NEWLINE,
_INDENT and _DEDENT tokens (no newlines inside brackets) and keeps what the error messages
need to know about the parse so far (the open brackets, the last tokens, the last block
keyword), and what bounds the depth of the tree (nesting.depth_bound).
"""

from __future__ import annotations

from .errors import TshSyntaxError
from .lexer import Tok, make_token

# Keywords of Python that tsh leaves out (docs/language.md): they lex as NAME and are refused
# here. (A tsh program runs one statement after another: no event loop to await on.)
UNSUPPORTED = {
    "async": "'async' is not supported in tsh",
    "await": "'await' is not supported in tsh",
}
OPEN_BRACKETS = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
CLOSE_BRACKETS = {v: k for k, v in OPEN_BRACKETS.items()}
BLOCK_KEYWORDS = frozenset({"IF", "ELIF", "ELSE", "FOR", "WHILE", "DEF", "WITH", "CLASS",
                            "TRY", "EXCEPT", "FINALLY"})
CHECKED = BLOCK_KEYWORDS | set(OPEN_BRACKETS) | set(CLOSE_BRACKETS)
MAX_NESTING = 200           # Python's own limit on nested brackets
TAB = 8


class Layout:
    """Python's layout rules over one parse's tokens; errors are in the text's positions."""

    def __init__(self):
        self.brackets: list = []          # open bracket tokens, innermost last
        self.prev = self.last = None      # the two most recent tokens seen
        self.block_kw = None              # the last block keyword at a line start
        self.longest_line = 0             # characters of the longest logical line
        self.deepest_block = 0            # indentation levels of the deepest block
        self.elifs = 0                    # `elif` clauses, and `try`s (see nesting.depth_bound)

    def process(self, stream, joined: bool = False):
        """joined: the text is one logical line, as if in brackets (an f-string field)."""
        return self._process(_one_line(stream), False) if joined else self._process(stream)

    def _process(self, stream, first: bool = True):
        indents = [0]
        line_start = True
        line_pos = 0                      # where the logical line starts in the text
        for tok in stream:
            if tok.type == "_NEWLINE":
                if self.brackets:
                    continue                          # implicit line joining
                if tok.start_pos - line_pos > self.longest_line:
                    self.longest_line = tok.start_pos - line_pos
                line_pos = tok.end_pos
                yield tok
                yield from self._layout(tok, indents)
                line_start = True
                continue
            if first and tok.column > 1:
                raise TshSyntaxError("unexpected indent", tok.line, tok.column)
            first = False
            kind = tok.type
            if kind == "NAME":              # the most common token: check it inline
                if tok.value in UNSUPPORTED:
                    raise TshSyntaxError(UNSUPPORTED[tok.value], tok.line, tok.column,
                                         tok.end_column)
            elif kind in CHECKED:
                self._check(tok, line_start)
            line_start = False
            self.prev, self.last = self.last, tok
            yield tok
        while len(indents) > 1:
            indents.pop()
            yield make_token("_DEDENT", "", 0, 0, 0, 0, 0, 0)

    def _layout(self, nl: Tok, indents: list):
        """Indent/dedent tokens for the line after newline token nl."""
        tail = nl.value.rsplit("\n", 1)[-1]
        if "#" in tail:
            return                       # a comment at the very end of the input
        width = 0
        for ch in tail:
            width = (width // TAB + 1) * TAB if ch == "\t" else 0 if ch == "\f" else width + 1
        pos = (nl.end_pos, nl.end_line, nl.end_column, nl.end_line, nl.end_column, nl.end_pos)
        if width > indents[-1]:
            indents.append(width)
            self.deepest_block = max(self.deepest_block, len(indents) - 1)
            yield make_token("_INDENT", tail, *pos)
            return
        while width < indents[-1]:
            indents.pop()
            yield make_token("_DEDENT", tail, *pos)
        if width != indents[-1]:
            raise TshSyntaxError("unindent does not match any outer indentation level",
                                 nl.end_line, 1, nl.end_column)

    def _check(self, tok: Tok, line_start: bool):
        """Note block keywords and keep the bracket stack."""
        kind = tok.type
        if line_start and kind in BLOCK_KEYWORDS:
            self.block_kw = tok
            # an elif is an If in its predecessor's orelse, a handler a level inside its Try:
            # a tree level more than the indentation shows
            self.elifs += kind in ("ELIF", "TRY")
        if kind in OPEN_BRACKETS:
            self.brackets.append(tok)
            if len(self.brackets) > MAX_NESTING:
                raise TshSyntaxError("too many nested parentheses", tok.line, tok.column)
        elif kind in CLOSE_BRACKETS:
            if not self.brackets:
                raise TshSyntaxError(f"unmatched '{tok.value}'", tok.line, tok.column)
            opener = self.brackets.pop()
            if OPEN_BRACKETS[opener.type] != kind:
                raise TshSyntaxError(
                    f"closing parenthesis '{tok.value}' does not match opening "
                    f"parenthesis '{opener.value}'" + _on_line(opener, tok),
                    tok.line, tok.column)


def _one_line(stream):
    """The tokens without line breaks, except the last one (which ends the input)."""
    held = None
    for tok in stream:
        if tok.type == "_NEWLINE":
            held = tok
        else:
            held = None
            yield tok
    if held is not None:
        yield held


def _on_line(opener: Tok, tok: Tok) -> str:
    return f" on line {opener.line}" if opener.line != tok.line else ""
