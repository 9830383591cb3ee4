"""Colouring of echoed values: torch's text with numbers, keywords and suffixes highlighted."""

from __future__ import annotations

import re

from .theme import ECHO_STYLES

TOKEN = re.compile(r"""
    (?P<fn>\b(?:tensor|torch\.Size|device|Parameter)(?=\())
  | (?P<key>\b(?:dtype|device|requires_grad|grad_fn|size)(?==))
  | (?P<node><\w+Backward\d*>|<\w+ object at 0x[0-9a-f]+>)
  | (?P<str>'[^'\n]*')
  | (?P<const>\b(?:True|False|None|nan|inf)\b)
  | (?P<num>-?\b\d+(?:\.\d*)?(?:e[+-]?\d+)?)
  | (?P<dtype>\btorch\.\w+)
""", re.VERBOSE)


def highlighted(text: str, theme: str = "dark"):
    """A rich Text of an echoed value's repr, coloured by token kind in the theme's colours."""
    from rich.text import Text
    styles = ECHO_STYLES[theme]
    out = Text(text)
    for m in TOKEN.finditer(text):
        out.stylize(styles[m.lastgroup], m.start(), m.end())
    return out
