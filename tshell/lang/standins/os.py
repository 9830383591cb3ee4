"""os as tsh programs see it: os.path, the few file-system calls a training script makes
around torch.save (`exists`, `makedirs`...), and an environment of the program's own.

Files: a program may already name any path for torch.save and torch.load (docs/security.md,
"Files"); the calls here reach no further. They look paths up (`exists`, `isfile`,
`isdir`, `getsize`) and make folders (`makedirs`, `mkdir`); nothing lists a folder, reads
or writes a file's content, removes or renames anything, or changes permissions.
What would tell the program about the host is left out: the working directory and home
folder (`getcwd`, `abspath`, `realpath`, `expanduser`), the host's environment variables,
processes (`system`, `fork`, `kill`, `getpid`...). `os.environ` is the program's own
mapping, empty at start: `os.environ["CUDA_VISIBLE_DEVICES"] = "0"` changes what the
program reads back, never tshell's process.
"""

from __future__ import annotations

import os as py_os
import posixpath

from .. import guards, sandbox
from ..sandbox import Namespace
from ._classes import ShownClass, builtin

# os.path's functions of strings only (reviewed: no file-system access).
PURE_PATH_FUNCTIONS = ("join basename dirname split splitext normpath isabs commonprefix "
                       "commonpath splitdrive").split()
HOST_CALLABLES = ()


def _measured(fn):
    """posixpath's fn, once the strings it joins or splits are within the memory cap (its
    result is at most their length, its parts a str each: `p = os.path.join(p, p)` doubles
    at each step)."""
    def checked(*args, **kwargs):
        texts = [a for a in (*args, *kwargs.values()) if isinstance(a, str)]
        for a in (*args, *kwargs.values()):
            if isinstance(a, (list, tuple)):            # commonpath, commonprefix
                texts.extend(t for t in a if isinstance(t, str))
        guards.check_layout(f"os.path.{fn.__name__}()", texts)
        return fn(*args, **kwargs)
    checked.__name__, checked.__qualname__, checked.__doc__ = fn.__name__, fn.__name__, \
        fn.__doc__
    checked.__wrapped__ = fn                            # help() shows its signature
    return checked


def exists(path):
    """Test whether a path exists.  Returns False for broken symbolic links"""
    return py_os.path.exists(path)


def isfile(path):
    """Test whether a path is a regular file"""
    return py_os.path.isfile(path)


def isdir(s):
    """Return true if the pathname refers to an existing directory."""
    return py_os.path.isdir(s)


def getsize(filename):
    """Return the size of a file, reported by os.stat()."""
    return py_os.path.getsize(filename)


def makedirs(name, mode=0o777, exist_ok=False):
    """makedirs(name [, mode=0o777][, exist_ok=False]): make a folder and the missing
    folders above it."""
    py_os.makedirs(name, mode, exist_ok)


def mkdir(path, mode=0o777):
    """Create a directory."""
    py_os.mkdir(path, mode)


def cpu_count():
    """Return the number of logical CPUs in the system."""
    return py_os.cpu_count()


class _Environ(metaclass=ShownClass):
    """os.environ: the program's own string-to-string mapping (empty at start)."""

    __slots__ = ("_data",)

    def __init__(self):
        self._data: dict = {}

    @staticmethod
    def _checked(value, what: str = "str"):
        if not isinstance(value, str):
            raise TypeError(f"{what} expected, not {sandbox.type_name(value)}")
        return value

    def __getitem__(self, key):
        try:
            return self._data[key]
        except KeyError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        self._data[self._checked(key)] = self._checked(value)

    def __delitem__(self, key):
        try:
            del self._data[key]
        except KeyError:
            raise KeyError(key) from None

    def __contains__(self, key):
        return key in self._data

    def __iter__(self):
        return iter(list(self._data))

    def __len__(self):
        return len(self._data)

    def __repr__(self):
        items = ", ".join(f"{k!r}: {v!r}" for k, v in self._data.items())
        return f"environ({{{items}}})"

    def get(self, key, default=None):
        return self._data.get(key, default)

    def keys(self):
        return self._data.keys()

    def values(self):
        return self._data.values()

    def items(self):
        return self._data.items()

    def pop(self, key, *default):
        return self._data.pop(key, *default)

    def setdefault(self, key, value):
        if key not in self._data:
            self[key] = value
        return self._data[key]

    def update(self, other=(), **kwargs):
        for key, value in (other.items() if hasattr(other, "items") else other):
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def copy(self):
        return dict(self._data)

    def clear(self):
        self._data.clear()


sandbox.register(_Environ, "get keys values items pop setdefault update copy clear".split())

PATH = Namespace("os.path", {**{name: _measured(getattr(posixpath, name))
                                for name in PURE_PATH_FUNCTIONS},
                             "exists": builtin(exists), "isfile": builtin(isfile),
                             "isdir": builtin(isdir), "getsize": builtin(getsize),
                             "sep": posixpath.sep, "extsep": posixpath.extsep})


def namespace_for(interp) -> Namespace:
    environ = _Environ()

    def getenv(key, default=None):
        """Get an environment variable, return None if it doesn't exist."""
        return environ.get(key, default)
    return Namespace("os", {
        "path": PATH, "sep": py_os.sep, "linesep": py_os.linesep, "name": py_os.name,
        "curdir": py_os.curdir, "pardir": py_os.pardir, "extsep": py_os.extsep,
        "environ": environ, "getenv": getenv, "makedirs": builtin(makedirs),
        "mkdir": builtin(mkdir), "cpu_count": builtin(cpu_count)})
