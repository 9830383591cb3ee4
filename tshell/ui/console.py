"""One place that decides colour and builds rich consoles for every renderer."""

from __future__ import annotations

import os
import sys

# False once --no-color was given; colour also needs a terminal and no NO_COLOR.
_COLOR_ALLOWED = [True]


def set_color(allowed: bool) -> None:
    """Record the command line's --no-color choice for every later renderer."""
    _COLOR_ALLOWED[0] = bool(allowed)


def is_terminal(stream) -> bool:
    """True when stream is an interactive terminal (a pipe, file or StringIO is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def use_color(stream) -> bool:
    """Colour only on a terminal, never with NO_COLOR set or --no-color given."""
    return _COLOR_ALLOWED[0] and not os.environ.get("NO_COLOR") and is_terminal(stream)


def output_stream(interp=None):
    """Where a tsh program's output goes now: the interpreter's stdout or sys.stdout."""
    out = getattr(interp, "stdout", None)
    return out if out is not None else sys.stdout


def make_console(stream=None, color=None, width=None, record=False):
    """A rich Console on stream; without colour it writes not one escape code."""
    from rich.console import Console
    stream = stream if stream is not None else sys.stdout
    color = use_color(stream) if color is None else color
    if width is None and not is_terminal(stream):
        width = 80                     # a pipe has no width: use the classic one
    return Console(file=stream, force_terminal=color, no_color=not color,
                   color_system="truecolor" if color and record else ("auto" if color else None),
                   width=width, highlight=False, emoji=False, record=record,
                   force_interactive=False if not color else None)
