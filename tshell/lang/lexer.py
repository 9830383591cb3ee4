"""A fast lexer for the tsh grammar, built from the grammar's own terminal definitions.

Lark's basic lexer costs ~8 us per token here (it was over half of the parse time of a
10 000-line script). This one compiles the same terminals, in Lark's order of precedence, into
one regular expression and scans with a tight loop; keywords are NAME matches looked up in a
dict, as Lark itself does. It plugs into Lark's LALR parser in place of the basic lexer.
"""

from __future__ import annotations

import re
from collections import namedtuple

from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, PatternStr

# A token: Lark's Token is a str subclass built by two Python-level calls; this tuple is made
# by one C call and has the attributes the parser, the AST builder and the errors read.
Tok = namedtuple("Tok", "type value start_pos line column end_line end_column end_pos")
_new = tuple.__new__


def make_token(kind, value, start_pos, line, column, end_line, end_column, end_pos) -> Tok:
    return _new(Tok, (kind, value, start_pos, line, column, end_line, end_column, end_pos))


class FastLexer(Lexer):
    """Scan text into Lark Tokens using the terminals of a LexerConf."""

    def __init__(self, lexer_conf):
        terminals = sorted(lexer_conf.terminals, key=lambda t: (
            -t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        name_re = next(re.compile(t.pattern.to_regexp()) for t in terminals if t.name == "NAME")
        self.keywords = {t.pattern.value: t.name for t in terminals
                         if isinstance(t.pattern, PatternStr)
                         and name_re.fullmatch(t.pattern.value)}
        # Blanks between tokens are matched as a prefix of the next token, not as tokens of
        # their own: one regex match per token instead of up to two.
        blanks = {t.name for t in terminals if t.name in lexer_conf.ignore
                  and re.fullmatch(t.pattern.to_regexp(), " \t")}
        scanned = [t for t in terminals if t.name not in blanks and (
            t.pattern.value not in self.keywords or not isinstance(t.pattern, PatternStr))]
        self.master = re.compile("[ \t\f]*(?:" + "|".join(
            f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in scanned) + ")")
        self.ignore = frozenset(lexer_conf.ignore)
        self.terminal_names = [t.name for t in scanned]
        self.multiline = frozenset(t.name for t in scanned if "\\n" in t.pattern.to_regexp()
                                   or "\n" in t.pattern.to_regexp() or t.name == "STRING")

    def lex(self, lexer_state, parser_state):
        """Lark's Lexer interface."""
        source = lexer_state.text
        return self.tokens(getattr(source, "text", source))

    def tokens(self, text: str):
        """Yield the tokens of text (positions 1-based, end column exclusive)."""
        end_of_text = len(text)
        match, keywords, ignore = self.master.match, self.keywords, self.ignore
        multiline, new, Tok_ = self.multiline, _new, Tok
        pos, line, line_start = 0, 1, 0
        while pos < end_of_text:
            m = match(text, pos)
            if m is None:
                pos += len(text[pos:]) - len(text[pos:].lstrip(" \t\f"))
                raise UnexpectedCharacters(text, pos, line, pos - line_start + 1,
                                           allowed=set(self.terminal_names))
            kind, end = m.lastgroup, m.end()
            pos = m.start(kind)
            value = m.group(kind)
            newlines = value.count("\n") if kind in multiline else 0
            if newlines:
                end_line = line + newlines
                next_start = pos + value.rfind("\n") + 1
            else:
                end_line, next_start = line, line_start
            if kind not in ignore:
                if kind == "NAME":
                    kind = keywords.get(value, "NAME")
                yield new(Tok_, (kind, value, pos, line, pos - line_start + 1, end_line,
                                 end - next_start + 1, end))
            pos, line, line_start = end, end_line, next_start
