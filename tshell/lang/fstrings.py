"""f-strings: split the token into literal text and {expression!conversion:spec} fields."""

from __future__ import annotations

import re
from bisect import bisect_right

from . import ast as A
from .ast import Span
from .errors import TshSyntaxError


class FStringReader:
    """Split an f-string token into literal text and {expression!conv:spec} fields."""

    def __init__(self, builder, tok, prefix: str):
        """builder: the ToAst whose spans and expression parser the fields use."""
        self.builder, self.tok = builder, tok
        self.raw = "r" in prefix.lower()
        text = tok.value[len(prefix):]
        self.quote = text[:3] if text[:3] in ('"""', "'''") else text[0]
        self.body_start = len(prefix) + len(self.quote)
        self.body = text[len(self.quote): len(text) - len(self.quote)]
        self.newlines = None

    def read(self) -> A.FString:
        return A.FString(self.builder._tspan(self.tok), tuple(self._parts(0, len(self.body))))

    def _parts(self, i: int, stop: int) -> list:
        body, parts, buf = self.body, [], []
        while i < stop:
            c = body[i]
            if c in "{}" and body.startswith(c * 2, i):
                buf.append(c)
                i += 2
            elif c == "{":
                if buf:
                    parts.append(self._literal("".join(buf), i))
                    buf = []
                i = self._field(i + 1, parts)
            elif c == "}":
                self._error("f-string: single '}' is not allowed", i)
            else:
                buf.append(c)
                i += 1
        if buf:
            parts.append(self._literal("".join(buf), i))
        return parts

    def _literal(self, chunk: str, where: int) -> str:
        if self.raw or "\\" not in chunk:
            return chunk
        from .builder import literal
        try:
            return literal(self.quote + chunk + self.quote)
        except (SyntaxError, ValueError):
            self._error("invalid escape in f-string", where)

    def _field(self, start: int, parts: list) -> int:
        """Parse the field starting after '{'; append it to parts; return the index after '}'."""
        end, conv_at, spec_at = self._scan(start)
        expr_end = conv_at if conv_at is not None else spec_at if spec_at is not None else end
        text = self.body[start:expr_end]
        if not text.strip():
            self._error("f-string: empty expression not allowed", start)
        debug = text.rstrip().endswith("=") and text.rstrip()[-2:-1] not in "=!<>"
        if debug:
            parts.append(text)
            text = text.rstrip()[:-1]
        line, col = self._position(start)
        value = self.builder.field(text, line, col)
        conversion = None
        if conv_at is not None:
            conversion = self.body[conv_at + 1: spec_at if spec_at is not None else end]
            if conversion not in ("r", "s", "a"):
                self._error("f-string: invalid conversion character: expected 's', 'r', or 'a'",
                            conv_at)
        elif debug and spec_at is None:
            conversion = "r"
        spec = None
        if spec_at is not None:
            spec = A.FString(value.span, tuple(self._parts(spec_at + 1, end)))
        span = self.builder._tspan(self.tok)
        parts.append(A.FormattedValue(span, value, conversion, spec))
        return end + 1

    def _scan(self, k: int):
        """Find the closing '}' of a field and the top-level '!' and ':' inside it."""
        body, depth, conv_at, spec_at = self.body, 0, None, None
        while k < len(body):
            c = body[k]
            if spec_at is None and c in "'\"":
                close = body.find(c, k + 1)
                if close < 0:
                    break
                k = close + 1
                continue
            if c in "([{":
                depth += 1
            elif c in ")]":
                depth -= 1
            elif c == "}":
                if depth == 0:
                    return k, conv_at, spec_at
                depth -= 1
            elif depth == 0 and spec_at is None:
                if c == "!" and body[k + 1: k + 2] != "=":
                    conv_at = k
                elif c == ":":
                    spec_at = k
            k += 1
        self._error("f-string: expecting '}'", k - 1)

    def _position(self, i: int):
        """Line and column in the file of body index i (without copying the text before it:
        an f-string with many fields would be quadratic)."""
        offset = self.body_start + i
        newlines = self._newlines()
        line = bisect_right(newlines, offset - 1)       # line breaks before the offset
        if line:
            return self.tok.line + line, offset - newlines[line - 1]
        return self.tok.line, self.tok.column + offset

    def _newlines(self) -> list:
        """The offsets of the token's line breaks, found on first use."""
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", self.tok.value)]
        return self.newlines

    def _error(self, message: str, i: int):
        line, col = self._position(i)
        span = self.builder.in_file(Span(line, col, line, col + 1))
        raise TshSyntaxError(message, span.line, span.col, span.end_col)
