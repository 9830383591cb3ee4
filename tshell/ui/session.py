"""Assemble the PromptSession: lexer, completer, history, key bindings, bracket matching."""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor
from prompt_toolkit.output import ColorDepth

from .completer import TshCompleter
from .history import make_history
from .keybindings import load_repl_bindings

PROMPT, CONTINUATION = ">>> ", "... "


def continuation(width, line_number, is_soft_wrap):
    return CONTINUATION.rjust(width)


def make_lexer():
    """Pygments' Python lexer: tsh is Python's syntax, so its tokens colour correctly."""
    from prompt_toolkit.lexers import PygmentsLexer
    from pygments.lexers.python import PythonLexer
    return PygmentsLexer(PythonLexer)


def make_session(interp, color: bool = True, input=None, output=None, history=None,
                 warn=None):
    """A PromptSession wired for tsh; warn(message) reports an unusable history file."""
    return PromptSession(
        message=PROMPT,
        prompt_continuation=continuation,
        multiline=True,
        lexer=make_lexer() if color else None,
        completer=TshCompleter(interp),
        complete_while_typing=False,
        history=history if history is not None else make_history(warn=warn),
        enable_history_search=True,
        search_ignore_case=True,
        key_bindings=load_repl_bindings(),
        input_processors=[HighlightMatchingBracketProcessor()],
        color_depth=None if color else ColorDepth.MONOCHROME,
        enable_open_in_editor=False,
        tempfile_suffix=".tsh",
        input=input,
        output=output,
    )
