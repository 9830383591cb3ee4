"""Colouring of echoed values: torch's text with numbers, keywords and suffixes highlighted."""

from __future__ import annotations

import re

TOKEN = re.compile(r"""
    (?P<fn>\b(?:tensor|torch\.Size|device|Parameter)(?=\())
  | (?P<key>\b(?:dtype|device|requires_grad|grad_fn|size)(?==))
  | (?P<node><\w+Backward\d*>|<\w+ object at 0x[0-9a-f]+>)
  | (?P<str>'[^'\n]*')
  | (?P<const>\b(?:True|False|None|nan|inf)\b)
  | (?P<num>-?\b\d+(?:\.\d*)?(?:e[+-]?\d+)?)
  | (?P<dtype>\btorch\.\w+)
""", re.VERBOSE)

STYLES = {"fn": "bold cyan", "key": "magenta", "node": "green", "str": "yellow",
          "const": "italic bright_blue", "num": "bright_white", "dtype": "cyan"}


def highlighted(text: str):
    """A rich Text of an echoed value's repr, coloured by token kind."""
    from rich.text import Text
    out = Text(text)
    for m in TOKEN.finditer(text):
        out.stylize(STYLES[m.lastgroup], m.start(), m.end())
    return out
