"""pathlib as tsh programs see it: Path (a PosixPath) for building the paths torch.save and
torch.load take (`Path('ckpt') / 'model.pt'`), over Python's PurePosixPath (no file-system
access) in a private slot.

The file-system methods are those of the os stand-in, with its gate (docs/security.md):
`exists`, `is_file`, `is_dir` look a path up and `mkdir` makes a folder; nothing reads or
writes a file's content, lists a folder (`iterdir`, `glob`), or tells the host's working
or home folder (`cwd`, `home`, `resolve`, `absolute`, `expanduser`). A Path is os.PathLike:
torch.save and torch.load take it.
"""

from __future__ import annotations

import os as py_os
import pathlib as py_pathlib

from .. import guards, sandbox
from ..sandbox import Namespace
from ._classes import ShownClass


def _pure(part):
    if isinstance(part, PurePath):
        return part._pure
    if isinstance(part, str):
        return part
    return py_pathlib.PurePosixPath(part)     # the running Python's error for the rest


def _measured(*parts):
    """parts, once the path they make is within the memory cap: Python's PurePosixPath keeps
    its text and a str per part (`p = p / p.as_posix()` doubles both at each step)."""
    guards.check_layout("a path", [str(p) if isinstance(p, PurePath) else p for p in parts])
    return parts


class PurePath(metaclass=ShownClass):
    """A path as its parts: joined with `/`, split into name, stem, suffix, parent."""

    __slots__ = ("_pure",)

    def __init__(self, *parts):
        self._pure = py_pathlib.PurePosixPath(*map(_pure, _measured(*parts)))

    def _made(self, pure):
        made = object.__new__(type(self))
        made._pure = pure
        return made

    def __fspath__(self):
        return str(self._pure)

    def __str__(self):
        return str(self._pure)

    def __repr__(self):
        return f"{type(self).__name__}({str(self._pure)!r})"

    def __truediv__(self, other):
        try:
            return self._made(self._pure / _pure(_measured(self, other)[1]))
        except TypeError:
            return NotImplemented

    def __rtruediv__(self, other):
        try:
            return self._made(_pure(_measured(other, self)[0]) / self._pure)
        except TypeError:
            return NotImplemented

    def __eq__(self, other):
        return isinstance(other, PurePath) and self._pure == other._pure

    def __hash__(self):
        return hash(self._pure)

    def __lt__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return self._pure < other._pure

    @property
    def name(self):
        return self._pure.name

    @property
    def stem(self):
        return self._pure.stem

    @property
    def suffix(self):
        return self._pure.suffix

    @property
    def suffixes(self):
        return self._pure.suffixes

    @property
    def parts(self):
        return self._pure.parts

    @property
    def parent(self):
        return self._made(self._pure.parent)

    @property
    def parents(self):
        # each parent holds a list of its parts: n parts make n (n - 1) / 2 slots in all
        n = len(self._pure.parts)
        guards.check_width(n * (n - 1) // 2 * guards.POINTER + n * guards.PIECE, "parents")
        return tuple(self._made(p) for p in self._pure.parents)

    def joinpath(self, *others):
        """Combine this path with one or several arguments."""
        return self._made(self._pure.joinpath(*map(_pure, _measured(self, *others)[1:])))

    def with_suffix(self, suffix):
        """Return a new path with the file suffix changed."""
        return self._made(self._pure.with_suffix(_measured(self, suffix)[1]))

    def with_name(self, name):
        """Return a new path with the file name changed."""
        return self._made(self._pure.with_name(_measured(self, name)[1]))

    def with_stem(self, stem):
        """Return a new path with the stem changed."""
        return self._made(self._pure.with_name(_measured(self, stem)[1] + self._pure.suffix))

    def as_posix(self):
        """Return the string representation of the path with forward (/) slashes."""
        return self._pure.as_posix()

    def is_absolute(self):
        """True if the path is absolute."""
        return self._pure.is_absolute()

    def relative_to(self, other):
        """The relative path to another path identified by the passed argument."""
        return self._made(self._pure.relative_to(_pure(other)))


class Path(PurePath):
    """PurePath with the few file-system operations of the os stand-in; Path(...) is a
    PosixPath, as on Linux."""

    __slots__ = ()

    def __new__(cls, *parts):
        return object.__new__(PosixPath if cls is Path else cls)

    def exists(self):
        """Whether this path exists."""
        return py_os.path.exists(self._pure)

    def is_file(self):
        """Whether this path is a regular file."""
        return py_os.path.isfile(self._pure)

    def is_dir(self):
        """Whether this path is a directory."""
        return py_os.path.isdir(self._pure)

    def mkdir(self, mode=0o777, parents=False, exist_ok=False):
        """Create a new directory at this given path."""
        if parents:
            py_os.makedirs(self._pure, mode, exist_ok)
            return
        try:
            py_os.mkdir(self._pure, mode)
        except FileExistsError:
            if not exist_ok or not py_os.path.isdir(self._pure):
                raise


class PosixPath(Path):
    __slots__ = ()


PURE_NAMES = ("name stem suffix suffixes parts parent parents joinpath with_suffix with_name "
              "with_stem as_posix is_absolute relative_to").split()
sandbox.register(PurePath, PURE_NAMES)
for _cls in (Path, PosixPath):
    sandbox.register(_cls, PURE_NAMES + ["exists", "is_file", "is_dir", "mkdir"])


def namespace() -> Namespace:
    return Namespace("pathlib", {"Path": Path, "PosixPath": PosixPath, "PurePath": PurePath})
