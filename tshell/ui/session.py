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


def make_history(path=None, warn=None):
    """The persistent history, or an in-memory one (with a warning) when the file is unusable.

    A history file that is a directory, unreadable or unwritable must never end the session
    (SPEC §7): the REPL says so once and keeps this session's history in memory.
    """
    path = path or history_path()
    warn = warn or (lambda message: None)
    problem = _history_problem(path)
    if problem is not None:
        warn(f"warning: history file {path!r} {problem}; history is kept for this session "
             "only")
        if problem != "is not writable":
            return InMemoryHistory()
    try:
        return SharedFileHistory(path)
    except OSError:
        return InMemoryHistory()


def _history_problem(path):
    """Why the history file cannot be used, or None (a missing file is created later)."""
    if os.path.isdir(path):
        return "is a directory"
    if os.path.exists(path):
        if not os.access(path, os.R_OK):
            return "is not readable"
        if not os.access(path, os.W_OK):
            return "is not writable"
        return None
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return "is in a folder that does not exist"
    if not os.access(folder, os.W_OK):
        return "is not writable"
    return None


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
