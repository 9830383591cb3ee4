"""sys as tsh programs see it: the facts scripts read about the interpreter (`argv`,
`version_info`, `maxsize`, `float_info`...), `exit`, and `stdout`/`stderr` streams that write
where the program's print writes (stdout) and to the host's standard error (stderr).

Not provided: what reaches the host process or Python's internals (`modules`, `path`,
`_getframe`, `settrace`, `setrecursionlimit`, `executable`, `stdin`...). `argv` is the
interpreter's own: the script's name (as the command line gave it) and its arguments.
"""

from __future__ import annotations

import sys

from .. import sandbox
from ..functions import MAX_DEPTH
from ..sandbox import Namespace
from . import collections as standin_collections
from ._classes import ShownClass, builtin

HOST_CALLABLES = ()


def _named_facts(name: str, fields: str, value) -> tuple:
    """Python's struct sequence `value` as a named tuple of tshell's printed as Python's
    (`sys.version_info(major=3, ...)`): its fields and nothing of the host type."""
    names = fields.split()
    cls = standin_collections.namedtuple(name, names, module="sys")
    cls.__module__ = __name__              # one class for every program: not a program's
    cls.__repr__ = lambda self: f"sys.{name}(" + ", ".join(
        f"{f}={v!r}" for f, v in zip(names, self)) + ")"
    return cls(*(getattr(value, f) for f in names))


VERSION_INFO = _named_facts("version_info", "major minor micro releaselevel serial",
                            sys.version_info)
FLOAT_INFO = _named_facts("float_info", "max max_exp max_10_exp min min_exp min_10_exp dig "
                          "mant_dig epsilon radix rounds", sys.float_info)


def exit(status=None, /):
    """exit([status]): exit the program by raising SystemExit(status)."""
    raise SystemExit(status)


def getrecursionlimit():
    """The depth of nested tsh calls at which RecursionError is raised."""
    return MAX_DEPTH


class TextStream(metaclass=ShownClass):
    """sys.stdout / sys.stderr: text written where the interpreter writes it."""

    __slots__ = ("_interp", "name")

    def __init__(self, interp, name: str):
        self._interp, self.name = interp, name

    @property
    def encoding(self):
        return "utf-8"

    def _target(self):
        if self.name == "<stdout>":
            stdout = getattr(self._interp, "stdout", None)
            return stdout if stdout is not None else sys.stdout
        return sys.stderr

    def write(self, s, /):
        """Write string s to the stream; returns the number of characters written."""
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {sandbox.type_name(s)}")
        self._target().write(s)
        return len(s)

    def writelines(self, lines, /):
        """Write each string of lines to the stream."""
        for line in lines:
            self.write(line)

    def flush(self):
        """Flush what was written to the terminal or file behind the stream."""
        self._target().flush()

    def isatty(self):
        """Whether the stream is a terminal."""
        try:
            return bool(self._target().isatty())
        except (AttributeError, ValueError):
            return False

    def __repr__(self):
        return f"<_io.TextIOWrapper name='{self.name}' mode='w' encoding='utf-8'>"


sandbox.register(TextStream, ("name", "encoding", "write", "writelines", "flush", "isatty"))


def namespace_for(interp) -> Namespace:
    argv0 = getattr(interp, "argv0", "")
    args = list(getattr(interp, "builtins", {}).get("argv", ()))
    return Namespace("sys", {
        "argv": [argv0, *args], "exit": builtin(exit), "stdout": TextStream(interp, "<stdout>"),
        "stderr": TextStream(interp, "<stderr>"), "version": sys.version,
        "version_info": VERSION_INFO, "hexversion": sys.hexversion, "maxsize": sys.maxsize,
        "float_info": FLOAT_INFO, "byteorder": sys.byteorder, "platform": sys.platform,
        "maxunicode": sys.maxunicode, "getrecursionlimit": builtin(getrecursionlimit)})
