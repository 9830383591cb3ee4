"""Assemble the PromptSession: lexer, completer, history, key bindings, bracket matching."""

from __future__ import annotations

import os

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor
from prompt_toolkit.output import ColorDepth

from .completer import TshCompleter
from .keybindings import load_repl_bindings

PROMPT, CONTINUATION = ">>> ", "... "


def history_path() -> str:
    """$TSHELL_HISTORY, else ~/.tshell_history."""
    return os.environ.get("TSHELL_HISTORY") or os.path.join(os.path.expanduser("~"),
                                                            ".tshell_history")


class SharedFileHistory(FileHistory):
    """FileHistory that appends each entry at once (several sessions can share the file)
    and never lets a read-only or missing file end the session."""

    def load_history_strings(self):
        try:
            yield from super().load_history_strings()
        except OSError:
            return

    def store_string(self, string: str) -> None:
        try:
            super().store_string(string)
        except OSError:
            pass


def make_history(path=None):
    path = path or history_path()
    try:
        return SharedFileHistory(path)
    except OSError:
        return InMemoryHistory()


def continuation(width, line_number, is_soft_wrap):
    return CONTINUATION.rjust(width)


def make_lexer():
    """Pygments' Python lexer: tsh is Python's syntax, so its tokens colour correctly."""
    from prompt_toolkit.lexers import PygmentsLexer
    from pygments.lexers.python import PythonLexer
    return PygmentsLexer(PythonLexer)


def make_session(interp, color: bool = True, input=None, output=None, history=None):
    """A PromptSession wired for tsh."""
    return PromptSession(
        message=PROMPT,
        prompt_continuation=continuation,
        multiline=True,
        lexer=make_lexer() if color else None,
        completer=TshCompleter(interp),
        complete_while_typing=False,
        history=history if history is not None else make_history(),
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
