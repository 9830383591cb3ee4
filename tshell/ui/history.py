"""The REPL's history file ($TSHELL_HISTORY or ~/.tshell_history), and what to do when it
cannot be used: warn once and keep the session's history in memory."""

from __future__ import annotations

import os

from prompt_toolkit.history import FileHistory, InMemoryHistory


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
