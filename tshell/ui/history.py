"""The REPL's history file ($TSHELL_HISTORY or ~/.tshell_history), and what to do when it
cannot be used: warn once and keep the session's history in memory."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import stat

from prompt_toolkit.history import History, InMemoryHistory


def history_path() -> str:
    """$TSHELL_HISTORY, else ~/.tshell_history."""
    return os.environ.get("TSHELL_HISTORY") or os.path.join(os.path.expanduser("~"),
                                                            ".tshell_history")


# Only the last 4 MiB of a bigger history file are read: a few tens of thousands of entries.
READ_LIMIT = 4 * 1024 * 1024

# O_NONBLOCK: opening a FIFO waits for a writer (or a reader) without it.
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class SharedFileHistory(History):
    """prompt_toolkit's FileHistory, whose file format it keeps, made safe: each entry is
    appended at once (several sessions can share the file), at most READ_LIMIT bytes are
    read, and a read-only, missing or non-regular file (a FIFO, /dev/zero) never ends or
    hangs the session."""

    def __init__(self, filename):
        self.filename = filename
        super().__init__()

    def load_history_strings(self):
        try:
            text = _read_tail(self.filename, READ_LIMIT)
        except OSError:
            return
        yield from reversed(parse_history(text))

    def store_string(self, string: str) -> None:
        try:
            fd = os.open(self.filename, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _OPEN_FLAGS,
                         0o666)
        except OSError:
            return
        with contextlib.suppress(OSError), os.fdopen(fd, "ab") as f:
            if _is_regular(f):
                f.write(format_entry(string).encode("utf-8", errors="replace"))


def _is_regular(f):
    return stat.S_ISREG(os.fstat(f.fileno()).st_mode)


def _read_tail(path, limit):
    """The file's last `limit` bytes as text, from the first whole entry on; '' if the file
    is not a regular file."""
    with os.fdopen(os.open(path, os.O_RDONLY | _OPEN_FLAGS), "rb") as f:
        if not _is_regular(f):
            return ""
        size = os.fstat(f.fileno()).st_size
        cut = size > limit
        if cut:
            f.seek(size - limit)
        text = f.read(limit).decode("utf-8", errors="replace")
    return _from_first_whole_entry(text) if cut else text


_NOT_AN_ENTRY_LINE = re.compile(r"^(?!\+)", re.MULTILINE)


def _from_first_whole_entry(text):
    """Text that starts at a cut, without the line and the entry the cut went through."""
    start = text.find("\n") + 1
    separator = _NOT_AN_ENTRY_LINE.search(text, start) if start else None
    return text[separator.start():] if separator else ""


def parse_history(text):
    """The entries of a history file, oldest first (FileHistory's format: each line of an
    entry starts with '+'; other lines separate entries)."""
    entries, lines = [], []
    for line in text.split("\n"):
        if line.startswith("+"):
            lines.append(line[1:])
        elif lines:
            entries.append("\n".join(lines))
            lines = []
    if lines:
        entries.append("\n".join(lines))
    return entries


def format_entry(string):
    """An entry as FileHistory writes it: a timestamp comment, then '+' and each line."""
    lines = "".join(f"+{line}\n" for line in string.split("\n"))
    return f"\n# {datetime.datetime.now()}\n{lines}"


def make_history(path=None, warn=None):
    """The persistent history, or an in-memory one (with a warning) when the file is unusable.

    A history file that is a directory, not a regular file, unreadable or unwritable must
    never end or hang the session: the REPL says so once and keeps this
    session's history in memory.
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
    if os.path.exists(path) and not os.path.isfile(path):     # a FIFO, a device, a socket
        return "is not a regular file"
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
