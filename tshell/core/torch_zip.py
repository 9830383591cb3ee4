"""PyTorch's archive (torch.save since 1.6): a zip of records in one folder, `data.pkl`,
`data/N` storages, `byteorder`, `version`, `.data/serialization_id`...

Reading: zipfile parses the central directory; a storage's bytes are then read straight from
the file at its offset (no CRC pass over gigabytes, as PyTorch's own reader), after checking
its local header, or mapped with mmap. Writing: every record is stored uncompressed with its
data aligned to 64 bytes (PyTorch's padding extra field), so PyTorch can map it and so can
tshell.
"""
from __future__ import annotations

import os
import struct
import zipfile
import zlib

from . import limits
from .file_io import read_exactly

ALIGNMENT = 64
PADDING_FIELD = 0x4246          # PyTorch's 'FB' extra field: padding to align the data
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_LOCAL_MAGIC = b"PK\x03\x04"
VERSION = "3\n"                 # what torch.save 2.13 writes in the `version` record


class ArchiveError(RuntimeError):
    """A zip that is not a valid PyTorch archive (the loader names the file)."""


# zipfile indexes every record of the central directory before anything else (a ZipInfo,
# its two names, a dict entry: ~620 bytes each on CPython 3.11), memory no cap saw: a file of
# a million empty records took 659 MiB. It reads entries until the directory's bytes end,
# whatever count the file states, and an entry takes 46 bytes at least.
RECORD_INDEX_BYTES = 640
_MIN_ENTRY = 46
_SMALL_DIRECTORY = 1 << 16      # at most ~1 MiB to index: not checked, as limits.SMALL arrays
_END = struct.Struct("<4s4H2LH")            # end of central directory
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


def check_index(fileobj, size) -> None:
    """Refuse a zip whose central directory is too big to index within the memory cap,
    before zipfile reads it (a zip it cannot find the directory of is left to zipfile)."""
    directory = _directory_size(fileobj, size)
    if directory is None or directory <= _SMALL_DIRECTORY:
        return
    records = directory // _MIN_ENTRY
    need = directory + records * RECORD_INDEX_BYTES
    if need > limits.max_bytes():
        raise ArchiveError(f"the archive's central directory of {directory} bytes lists up to "
                           f"{records} records, which take about {need} bytes to read, more "
                           f"than the memory limit of {limits.max_bytes()} bytes (set it with "
                           "--max-memory or TSHELL_MAX_MEMORY)")


def _directory_size(fileobj, size):
    """The central directory's size in bytes as the end records state it, or None."""
    tail_size = min(size, _END.size + 0xFFFF)           # the end record and its comment
    fileobj.seek(size - tail_size)
    tail = fileobj.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(tail):
        return None
    directory = _END.unpack_from(tail, at)[5]
    if directory == 0xFFFFFFFF and at >= _ZIP64_LOCATOR.size:      # zip64: the real size
        magic, _, end64, _ = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
        if magic != b"PK\x06\x07" or end64 + _ZIP64_END.size > size:
            return None
        fileobj.seek(end64)
        record = fileobj.read(_ZIP64_END.size)
        if len(record) < _ZIP64_END.size or record[:4] != b"PK\x06\x06":
            return None
        directory = _ZIP64_END.unpack(record)[8]
    return directory


class Archive:
    """The records of a PyTorch archive, by name relative to its folder."""

    def __init__(self, fileobj, size):
        self.file, self.size = fileobj, size
        check_index(fileobj, size)
        try:
            self.zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError,
                EOFError, struct.error) as e:
            raise ArchiveError(f"PytorchStreamReader failed reading zip archive: failed "
                               f"finding central directory ({e})") from None
        infos = self.zip.infolist()
        if not infos:
            raise ArchiveError("the zip archive is empty")
        folder, slash, _ = infos[0].filename.partition("/")
        if not slash:
            raise ArchiveError(f"file in archive is not in a subdirectory: "
                               f"{infos[0].filename}")
        self.folder = folder
        prefix = folder + "/"
        self.records = {i.filename[len(prefix):]: i for i in infos
                        if i.filename.startswith(prefix)}

    def close(self):
        self.zip.close()

    def has(self, name):
        return name in self.records

    def info(self, name):
        try:
            return self.records[name]
        except KeyError:
            raise ArchiveError(f"the archive has no record {name!r}") from None

    def read(self, name, limit):
        """A small record, whole (zipfile checks its CRC); refused if it claims more than
        `limit` bytes."""
        info = self.info(name)
        if info.file_size > limit:
            raise ArchiveError(f"the record {name!r} claims {info.file_size} bytes, more than "
                               f"the {limit} it may have")
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError) as e:
            raise ArchiveError(f"the record {name!r} is damaged: {e}") from None

    def data_offset(self, name):
        """Where a stored (uncompressed) record's bytes start, checked against its local
        header and the file's end; None for a compressed record."""
        info = self.info(name)
        if info.compress_type != zipfile.ZIP_STORED:
            return None
        if info.header_offset < 0 or info.header_offset + _LOCAL_HEADER.size > self.size:
            raise ArchiveError(f"the record {name!r} starts past the end of the file")
        self.file.seek(info.header_offset)
        header = _LOCAL_HEADER.unpack(self.file.read(_LOCAL_HEADER.size))
        magic, method, name_len, extra_len = header[0], header[3], header[9], header[10]
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if magic != _LOCAL_MAGIC or method != zipfile.ZIP_STORED or \
                self.file.read(name_len) != info.orig_filename.encode(encoding):
            raise ArchiveError(f"the local header of record {name!r} is damaged (it does not "
                               "match the central directory)")
        start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
        if start + info.file_size > self.size:
            raise ArchiveError(f"the record {name!r} ends past the end of the file (the file "
                               "is truncated)")
        return start

    def read_into(self, name, buffer):
        """Fill buffer (a writable byte view as long as the record) from a record."""
        start = self.data_offset(name)
        try:
            if start is None:                  # compressed: zipfile inflates (CRC checked)
                with self.zip.open(self.info(name)) as f:
                    done = read_exactly(f, 0, buffer)
            else:
                done = read_exactly(self.file, start, buffer)
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise ArchiveError(f"the record {name!r} is damaged: {e}") from None
        if done != len(buffer):
            raise ArchiveError(f"the record {name!r} is truncated: {done} of {len(buffer)} "
                               "bytes")


class _Zip64Info(zipfile.ZipInfo):
    """A record with a zip64 field, whose headers are the same bytes from every CPython.

    The zip spec (4.5.3) puts 0xFFFFFFFF in the 32-bit sizes of a local header whose zip64
    field holds them, and version 4.5 in both headers; CPython's zipfile does so only from
    3.11 on (3.10 writes the sizes and version 2.0), which would change the file and its
    hash with the interpreter.
    """

    __slots__ = ()

    def FileHeader(self, zip64=None):
        header = super().FileHeader(zip64)
        if not zip64:
            return header
        return header[:18] + b"\xff" * 8 + header[26:]    # compressed and uncompressed size


class Writer:
    """Writes records the way PyTorch's PyTorchStreamWriter lays them out."""

    def __init__(self, fileobj, archive_name):
        self.file = fileobj
        self.prefix = (archive_name or "archive") + "/"
        self.zip = zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED, allowZip64=True)

    def write(self, name, data):
        """One record; data is a bytes-like object (a storage's memory, not copied)."""
        info = _Zip64Info(self.prefix + name)
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = len(data)
        info.extra = self._padding(info, self.file.tell())
        info.create_version = info.extract_version = zipfile.ZIP64_VERSION
        with self.zip.open(info, "w", force_zip64=True) as member:
            member.write(data)

    @staticmethod
    def _padding(info, offset):
        # local header (30) + name + our extra field (4 + n) + zipfile's zip64 field (20)
        name = len(info.filename.encode("utf-8"))
        n = -(offset + 30 + name + 4 + 20) % ALIGNMENT
        return struct.pack("<HH", PADDING_FIELD, n) + b"Z" * n

    def serialization_id(self):
        """40 digits for .data/serialization_id, from the records written so far: like
        PyTorch's, the same content gives the same id (and the same file)."""
        infos = self.zip.infolist()
        crc = zlib.crc32(b"".join(struct.pack("<IQ", i.CRC, i.file_size) for i in infos))
        return f"{crc:020d}{sum(i.file_size for i in infos):020d}"

    def close(self):
        self.zip.close()


def archive_name(path):
    """The folder PyTorch puts records in: the file's name without its extension."""
    base = os.path.basename(os.fspath(path))
    return os.path.splitext(base)[0] or "archive"
