"""torch.load: PyTorch's zip format (1.6 and later) and its legacy format, read through
tshell's restricted unpickler with PyTorch's weights_only=True allow-list.

Every pickle runs twice: a dry pass checks every global, opcode and storage reference
(against the records of the file and the memory cap) without building anything or reading
any tensor data; only then does the real pass build the value, reading each storage once.
"""
from __future__ import annotations

import mmap as mmap_module
import os
import stat
import warnings

import numpy as np

from . import dtypes, limits, storage as storages, torch_zip
from .file_io import allocate
from .torch_zip import ArchiveError
from .unpickler import DRY, Allowlist, UnpicklingError, unpickle
from .weights_only import ALLOWLIST, VALUE_TYPES, LoadedStorage, StorageType

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C      # the legacy format's first pickle
PROTOCOL_VERSION = 1001                    # its second
MAX_FILE_FORMAT_VERSION = 10               # caffe2/serialize/versions.h
WEIGHTS_ONLY_FALSE = (
    "torch.load(weights_only=False) is not supported: tshell never unpickles arbitrary "
    "objects, because a pickle can run any code it names. Load with weights_only=True (the "
    "default): tensors, state_dicts and plain Python data load as in PyTorch.")
# The legacy format's header pickles hold plain numbers, a dict and a list of strings.
NOTHING = Allowlist({}, (), {}, {}, {})


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """torch.load of a path or a binary file: the saved value, tensors on the devices the
    file names (or map_location's); mmap=True maps storages instead of reading them."""
    check_options(weights_only, pickle_module, pickle_load_args)
    with _Source(f, bool(mmap)) as source:
        try:
            return _load(source, map_location, bool(mmap))
        except (ArchiveError, UnpicklingError) as e:
            raise type(e)(f"torch.load: {source.name}: {e}") from None


def check_options(weights_only, pickle_module, pickle_load_args):
    if weights_only is False:
        raise RuntimeError(WEIGHTS_ONLY_FALSE)
    if pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is "
                           "specified")
    if pickle_load_args:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=3)


def _load(source, map_location, mmap):
    head = source.head(262)
    if not head:
        raise EOFError("Ran out of input")
    if head[:4] == b"PK\x03\x04":
        return _load_zip(source, map_location, mmap)
    if mmap:
        raise RuntimeError(f"mmap can only be used with files saved with `torch.save("
                           f"{source.name}, _use_new_zipfile_serialization=True), please "
                           "torch.save your checkpoint with this option in order to use mmap.")
    if head[257:262] == b"ustar":
        raise RuntimeError("Cannot use ``weights_only=True`` with files saved in the legacy "
                           ".tar format (PyTorch 0.3 and earlier); tshell cannot read them")
    return _load_legacy(source, map_location)


class _Source:
    """The file being loaded: a path tshell opens, or a binary file it was given."""

    def __init__(self, f, mmap):
        if hasattr(f, "read"):
            if mmap:
                raise ValueError("f must be a file path in order to use the mmap argument")
            self.file, self.owned = f, False
            self.name = repr(getattr(f, "name", type(f).__name__))
        else:
            if not isinstance(f, (str, bytes, os.PathLike)):
                raise TypeError(f"torch.load expects a file path or a binary file, not "
                                f"{type(f).__name__}")
            self.name = repr(os.fsdecode(f))
            self.file, self.owned = open(f, "rb"), True
            if not stat.S_ISREG(os.fstat(self.file.fileno()).st_mode):
                self.file.close()
                # a device or a pipe may never end (/dev/zero), and its contents are read whole
                raise OSError(f"cannot load {self.name}: not a regular file")
        self.size = self.file.seek(0, os.SEEK_END)
        self.file.seek(0)
        self._mapping = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.owned:
            self.file.close()

    def head(self, n):
        self.file.seek(0)
        return self.file.read(n)

    def mapping(self, access=mmap_module.ACCESS_COPY):
        """The whole file mapped: copy-on-write (the arrays may be written, the file never
        is), as torch.load(mmap=True) maps it."""
        if self._mapping is None:
            self._mapping = mmap_module.mmap(self.file.fileno(), 0, access=access)
        return self._mapping

    def contents(self):
        """The file as a buffer: mapped read-only when it is a real file."""
        try:
            return self.mapping(mmap_module.ACCESS_READ)
        except (OSError, ValueError, AttributeError, NotImplementedError):
            # not mappable: a device or a pipe may never end (/dev/zero), so no more than the
            # memory cap is read
            self.file.seek(0)
            cap = limits.max_bytes()
            data = self.file.read(cap + 1)
            limits.check_bytes(len(data), (len(data),))
            return data


# ---- storage references (persistent ids) --------------------------------------------------

def parse_pid(pid, legacy):
    """(dtype, key, location, numel, view) of ('storage', type, key, location, numel[, view])."""
    if type(pid) is not tuple or not pid or _ascii(pid[0]) != "storage":
        raise UnpicklingError(f"Only persistent_load of storage is allowed, but got "
                              f"{_short(pid)}")
    if len(pid) != (6 if legacy else 5):
        raise UnpicklingError(f"a storage reference has {len(pid)} fields: {_short(pid)}")
    _, kind, key, location, numel, *view = pid
    location = _ascii(location)
    if type(kind) is not StorageType or type(key) is not str or type(location) is not str \
            or type(numel) is not int or numel < 0:
        raise UnpicklingError(f"malformed storage reference {_short(pid)}")
    view = view[0] if view else None
    if view is not None and not (type(view) is tuple and len(view) == 3 and type(view[0]) is
                                 str and all(type(v) is int and v >= 0 for v in view[1:])):
        raise UnpicklingError(f"malformed storage view {_short(view)}")
    return kind.dtype, key, location, numel, view


def _ascii(value):
    return value.decode("ascii", "replace") if type(value) is bytes else value


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _Budget:
    """The bytes the storages of one file take, against the memory cap: each storage, and
    all of them together (a zip may make records overlap, so that a small file claims many
    large storages)."""

    def __init__(self, mapped):
        self.mapped, self.total = mapped, 0

    def add(self, numel, dtype):
        nbytes = numel * dtype.itemsize
        limits.check_bytes(nbytes, (numel,))
        if not self.mapped:
            self.total += nbytes
            if self.total > limits.max_bytes():
                raise RuntimeError(f"the storages of this file need {self.total} bytes or "
                                   f"more, beyond the memory limit of {limits.max_bytes()} "
                                   "bytes (set it with --max-memory or TSHELL_MAX_MEMORY)")
        return nbytes


class _Storages:
    """The storages a pickle refers to: checked in the dry pass, loaded in the real one."""

    legacy = False

    def __init__(self, map_location, mapped):
        self.map_location = map_location
        self.budget = _Budget(mapped)
        self.known = {}              # key -> (dtype, numel, location)
        self.loaded = {}             # key -> LoadedStorage

    def check(self, pid):
        """The dry pass's persistent_load: validate, remember, build nothing."""
        dtype, key, location, numel, view = parse_pid(pid, self.legacy)
        entry = (dtype, numel, location)
        known = self.known.get(key)
        if known is None:
            dtypes.require_available(dtype)
            self.check_record(key, dtype, numel, self.budget.add(numel, dtype))
            self.known[key] = entry
        elif known != entry:
            raise UnpicklingError(f"the storage {key!r} is referred to as {known[1]} elements "
                                  f"of {known[0]} and as {numel} of {dtype}")
        if view is not None:
            self.check_view(key, numel, view)
        return DRY

    def load(self, pid):
        """The real pass's persistent_load: the storage, read once and placed."""
        self.check(pid)
        dtype, key, location, numel, view = parse_pid(pid, self.legacy)
        storage = self.loaded.get(key)
        if storage is None:
            array = storages.restore(self.read(key, dtype, numel), location, self.map_location)
            storage = self.loaded[key] = LoadedStorage(array, dtype, key)
        if view is not None:
            storage = self.view_of(storage, view)
        return storage

    def check_view(self, key, numel, view):
        raise UnpicklingError("storage views exist only in the legacy format")


class _ZipStorages(_Storages):
    """Storages of the zip format: records data/<key>."""

    def __init__(self, archive, source, map_location, mapped, swap):
        super().__init__(map_location, mapped)
        self.archive, self.source, self.mapped, self.swap = archive, source, mapped, swap

    def check_record(self, key, dtype, numel, nbytes):
        name = f"data/{key}"
        info = self.archive.info(name)
        if info.file_size != nbytes:
            raise ArchiveError(f"the storage record {name!r} holds {info.file_size} bytes, but "
                               f"the pickle says {numel} elements of {dtype} ({nbytes} bytes)")
        if self.mapped and self.archive.data_offset(name) is None:
            raise ArchiveError(f"mmap=True needs uncompressed storages; {name!r} is compressed")

    def read(self, key, dtype, numel):
        name = f"data/{key}"
        if numel == 0:
            return np.empty(0, dtype.np)
        if self.mapped:
            array = np.frombuffer(self.source.mapping(), dtype.np, numel,
                                  self.archive.data_offset(name))
        else:
            array = allocate(numel, dtype.np)
            self.archive.read_into(name, memoryview(array.view(np.uint8)))
        if self.swap:
            array.byteswap(inplace=True)
        return array


def _load_zip(source, map_location, mapped):
    archive = torch_zip.Archive(source.file, source.size)
    try:
        if archive.has("constants.pkl"):
            raise ArchiveError("Cannot use ``weights_only=True`` with TorchScript archives "
                               "passed to ``torch.load``; tshell does not run TorchScript")
        _check_version(archive)
        swap = _byte_order(archive) != "little"
        data = archive.read("data.pkl", limits.max_bytes())
        found = _ZipStorages(archive, source, map_location, mapped, swap)
        unpickle(data, ALLOWLIST, found.check, value_types=VALUE_TYPES, dry=True)
        return unpickle(data, ALLOWLIST, found.load, value_types=VALUE_TYPES)[0]
    finally:
        archive.close()


def _check_version(archive):
    name = ".data/version" if archive.has(".data/version") else "version"
    text = archive.read(name, 64).decode("ascii", "replace").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_FILE_FORMAT_VERSION:
        raise ArchiveError(f"the archive's version {text!r} is not one PyTorch 2.13 reads "
                           f"(1 to {MAX_FILE_FORMAT_VERSION})")


def _byte_order(archive):
    if not archive.has("byteorder"):
        return "little"                    # PyTorch's default for files without the record
    order = archive.read("byteorder", 16).decode("ascii", "replace")
    if order not in ("little", "big"):
        raise ValueError("Unknown endianness type: " + order)
    return order


# ---- the legacy format ------------------------------------------------------------------

class _LegacyStorages(_Storages):
    """Storages of the legacy format: after the pickles, each as an int64 count and data."""

    legacy = True

    def __init__(self, contents, map_location):
        super().__init__(map_location, mapped=False)
        self.contents = contents
        self.offsets = {}            # key -> where its data starts
        self.views = {}              # view key -> (root key, offset, numel)

    def check_record(self, key, dtype, numel, nbytes):
        if nbytes > len(self.contents):
            raise ArchiveError(f"the storage {key!r} claims {nbytes} bytes, more than the "
                               f"whole file ({len(self.contents)} bytes)")

    def check_view(self, key, numel, view):
        view_key, offset, size = view
        if offset + size > numel:
            raise UnpicklingError(f"the storage view {view_key!r} ({size} elements at "
                                  f"{offset}) lies outside its storage of {numel}")
        self.views[view_key] = (key, offset, size)

    def locate(self, keys, start):
        """Check the storage table after the pickles against what the pickle referred to."""
        if type(keys) is not list or sorted(keys) != sorted(self.known):
            raise ArchiveError("the list of storages does not match the pickle's references")
        pos = start
        for key in keys:
            dtype, numel, _ = self.known[key]
            header = bytes(self.contents[pos:pos + 8])
            if len(header) < 8 or int.from_bytes(header, "little", signed=True) != numel:
                raise ArchiveError(f"the data of storage {key!r} does not start with its "
                                   f"size ({numel} elements): the file is damaged")
            self.offsets[key] = pos + 8
            pos += 8 + numel * dtype.itemsize
            if pos > len(self.contents):
                raise ArchiveError(f"the data of storage {key!r} is truncated")

    def read(self, key, dtype, numel):
        array = allocate(numel, dtype.np)
        array[...] = np.frombuffer(self.contents, dtype.np, numel, self.offsets[key])
        return array

    def view_of(self, storage, view):
        view_key, offset, size = view
        return LoadedStorage(storage.array[offset:offset + size], storage.dtype, view_key)


def _load_legacy(source, map_location):
    contents = source.contents()
    try:
        magic, pos = unpickle(contents, NOTHING, _no_storage)
        if magic != MAGIC_NUMBER:
            raise RuntimeError("Invalid magic number; corrupt file?")
        version, pos = unpickle(contents, NOTHING, _no_storage, start=pos)
        if version != PROTOCOL_VERSION:
            raise RuntimeError(f"Invalid protocol version: {version}")
        info, pos = unpickle(contents, NOTHING, _no_storage, start=pos)
        if type(info) is not dict or info.get("little_endian") is not True:
            raise ArchiveError("the file was saved on a big-endian machine, which the legacy "
                               "format tshell reads does not cover")
        found = _LegacyStorages(contents, map_location)
        end = unpickle(contents, ALLOWLIST, found.check, value_types=VALUE_TYPES, start=pos,
                       dry=True)[1]
        keys, data_start = unpickle(contents, NOTHING, _no_storage, start=end)
        found.locate(keys, data_start)
        return unpickle(contents, ALLOWLIST, found.load, value_types=VALUE_TYPES, start=pos)[0]
    finally:
        if isinstance(contents, mmap_module.mmap):
            contents.close()


def _no_storage(pid):
    raise UnpicklingError("a storage reference where the legacy format has none")
