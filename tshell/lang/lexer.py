"""A fast lexer for the tsh grammar, built from the grammar's own terminal definitions.

Lark's basic lexer costs ~8 us per token here (it was over half of the parse time of a
10 000-line script). This one scans with the single regular expression that tables.lexer_spec
assembles from the same terminals, in Lark's order of precedence; keywords are NAME matches
looked up in a dict, as Lark itself does.
"""

from __future__ import annotations

import re
from collections import namedtuple

# A token: one tuple made by one C call, with the attributes the parser, the AST builder and
# the error messages read (the same names as Lark's Token).
Tok = namedtuple("Tok", "type value start_pos line column end_line end_column end_pos")
_new = tuple.__new__

# The regex group of the one-character operators (tables.lexer_spec); the character names
# the terminal.
CHAR = "_CHAR"


def make_token(kind, value, start_pos, line, column, end_line, end_column, end_pos) -> Tok:
    return _new(Tok, (kind, value, start_pos, line, column, end_line, end_column, end_pos))


class LexError(Exception):
    """A character no terminal matches (like Lark's UnexpectedCharacters)."""

    def __init__(self, text: str, pos: int, line: int, column: int):
        super().__init__(f"no token at line {line} column {column}")
        self.text, self.pos_in_stream, self.line, self.column = text, pos, line, column


class FastLexer:
    """Scan text into Tok tuples; spec comes from tables.lexer_spec."""

    def __init__(self, spec: dict):
        self.master = re.compile(spec["pattern"])
        self.keywords = spec["keywords"]
        self.ignore = frozenset(spec["ignore"])
        self.multiline = frozenset(spec["multiline"])
        self.chars = spec["chars"]

    def tokens(self, text: str):
        """Yield the tokens of text (positions 1-based, end column exclusive)."""
        keywords, ignore, multiline, chars = self.keywords, self.ignore, self.multiline, self.chars
        new, Tok_ = _new, Tok
        pos, line, line_start = 0, 1, 0
        for m in self.master.finditer(text):
            if m.start() != pos:                          # finditer skipped a bad character
                break
            kind, end = m.lastgroup, m.end()
            start = m.start(kind)
            value = m.group(kind)
            if kind in multiline and "\n" in value:
                end_line = line + value.count("\n")
                next_start = start + value.rfind("\n") + 1
            else:
                end_line, next_start = line, line_start
            if kind not in ignore:
                if kind == "NAME":
                    kind = keywords.get(value, "NAME")
                elif kind == CHAR:
                    kind = chars[value]
                yield new(Tok_, (kind, value, start, line, start - line_start + 1, end_line,
                                 end - next_start + 1, end))
            pos, line, line_start = end, end_line, next_start
        if pos < len(text):
            pos += len(text[pos:]) - len(text[pos:].lstrip(" \t\f"))
            raise LexError(text, pos, line, pos - line_start + 1)
