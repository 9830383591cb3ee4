"""safetensors, read and written by tshell itself: an 8-byte little-endian header length, a
JSON header ({name: {dtype, shape, data_offsets}}, "__metadata__": {str: str}) and the data.

The format holds no code, so reading it needs only the header checks the reference
implementation makes (offsets that tile the data exactly, sizes that match shapes), with
its error texts. Why tshell's own code rather than the `safetensors` package: see
docs/language.md (its torch flavour imports torch; the format is small; reading it is I/O).
The `torch` flavour is save_file/load_file/save/load below, the `numpy` one the *_numpy
functions; safe_open serves both.
"""
from __future__ import annotations

import json
import mmap as mmap_module
import os
import struct

import numpy as np
from numpy.lib.array_utils import byte_bounds

from . import dtypes, limits
from .atomic_file import replacing
from .backend import backend_of
from .device import as_device
from .file_io import allocate, read_exactly
from .tensor import Tensor, wrap

# Format codes, in the reference implementation's order of its Dtype enum (files list
# tensors by descending dtype, then by name).
CODES = {"BOOL": dtypes.bool_, "U8": dtypes.uint8, "I8": dtypes.int8, "I16": dtypes.int16,
         "F16": dtypes.float16, "BF16": dtypes.bfloat16, "I32": dtypes.int32,
         "F32": dtypes.float32, "C64": dtypes.complex64, "F64": dtypes.float64,
         "I64": dtypes.int64}
_ENUM_ORDER = ("BOOL F4 F6_E2M3 F6_E3M2 U8 I8 F8_E5M2 F8_E4M3 F8_E8M0 F8_E4M3FNUZ "
               "F8_E5M2FNUZ I16 U16 F16 BF16 I32 U32 F32 C64 F64 I64 U64").split()
CODE_OF = {d.name: code for code, d in CODES.items()}
MAX_HEADER = 100_000_000           # the reference implementation's limit
METADATA = "__metadata__"
FRAMEWORKS = {"pt": "pt", "torch": "pt", "pytorch": "pt", "np": "np", "numpy": "np"}
# How tensors are read, as the package's `backend`: mapped copy-on-write (the default: no
# copy until written), or read with pread into memory of their own.
BACKENDS = ("mmap", "pread")


class SafetensorError(RuntimeError):
    """A file that is no valid safetensors file, or a tensor it does not hold."""


class Entry:
    """One tensor of a file: dtype, shape and where its bytes lie (from the data's start)."""

    __slots__ = ("name", "dtype", "shape", "begin", "end")

    def __init__(self, name, dtype, shape, begin, end):
        self.name, self.dtype, self.shape, self.begin, self.end = name, dtype, shape, begin, end


# ---- reading -----------------------------------------------------------------------------

def parse_header(head, file_size):
    """(entries in file order, metadata or None, data start) from the file's first bytes
    (at least 8 + the header length of them), with the reference implementation's checks."""
    if file_size < 8 or len(head) < 8:
        raise _header_error("header too small")
    n = struct.unpack("<Q", head[:8])[0]
    if n > MAX_HEADER:
        raise _header_error("header too large")
    _check_header_memory(n)
    if 8 + n > file_size or len(head) < 8 + n:
        raise _header_error("invalid header length")
    try:
        text = bytes(head[8:8 + n]).decode("utf-8")
    except UnicodeDecodeError as e:
        raise _header_error(f"invalid UTF-8 in header: {e.reason}") from None
    try:
        header = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise _header_error(f"invalid JSON in header: {e}") from None
    if type(header) is not dict:
        raise _header_error(f"invalid JSON in header: expected an object, got "
                            f"{type(header).__name__}")
    metadata = header.pop(METADATA, None)
    if metadata is not None and (type(metadata) is not dict or not all(
            type(v) is str for v in metadata.values())):
        raise _header_error("invalid JSON in header: the metadata must map strings to strings")
    entries = sorted((_entry(name, info) for name, info in header.items()),
                     key=lambda e: (e.begin, e.end))
    end = 0
    for e in entries:
        if e.begin != end:
            raise _header_error(f"invalid offset for tensor `{e.name}`")
        end = e.end
    if 8 + n + end != file_size:
        raise _header_error("incomplete metadata, file not fully covered")
    return entries, metadata, 8 + n


def _entry(name, info):
    if type(info) is not dict or set(info) != {"dtype", "shape", "data_offsets"}:
        raise _header_error(f"invalid JSON in header: tensor `{name}` needs exactly dtype, "
                            "shape and data_offsets")
    code, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
    if code not in _ENUM_ORDER:
        raise _header_error(f"invalid JSON in header: unknown variant `{code}`, expected one "
                            f"of {', '.join(f'`{c}`' for c in _ENUM_ORDER)}")
    if code not in CODES:
        raise SafetensorError(f"tensor `{name}` has dtype {code}, which tshell has no dtype for")
    if type(shape) is not list or not all(type(s) is int and s >= 0 for s in shape) or \
            type(offsets) is not list or len(offsets) != 2 or \
            not all(type(o) is int and o >= 0 for o in offsets) or offsets[1] < offsets[0]:
        raise _header_error(f"invalid JSON in header: malformed shape or data_offsets of "
                            f"tensor `{name}`")
    dtype = CODES[code]
    numel = 1
    for s in shape:
        numel *= s
    if numel * dtype.itemsize != offsets[1] - offsets[0]:
        raise _header_error("invalid shape, data type, or offset for tensor")
    return Entry(name, dtype, tuple(shape), offsets[0], offsets[1])


# What Python's json makes of a header, per byte at most (a dict per tensor, a str per name
# and metadata value: 400 000 empty tensors in 23 MB took 19 times that); headers up to
# 64 KiB are not checked, as limits.SMALL arrays.
HEADER_PARSE_FACTOR = 24
_SMALL_HEADER = 1 << 16


def _check_header_memory(n):
    need = n * HEADER_PARSE_FACTOR
    if n > _SMALL_HEADER and need > limits.max_bytes():
        raise SafetensorError(f"the header of {n} bytes needs about {need} bytes to read, more "
                              f"than the memory limit of {limits.max_bytes()} bytes (set it "
                              "with --max-memory or TSHELL_MAX_MEMORY)")


def _header_error(reason):
    return SafetensorError(f"Error while deserializing header: {reason}")


class safe_open:
    """safe_open(filename, framework, device='cpu', backend='mmap'): a safetensors file
    opened for reading tensors one at a time (get_tensor touches that tensor's bytes only).

    convert: applied to each array the numpy framework gives (the language layer passes its
    numpy stand-ins' door).
    """

    def __init__(self, filename, framework, device="cpu", *, backend="mmap", convert=None):
        if framework not in FRAMEWORKS:
            raise ValueError(f"framework {framework!r} is not supported by tshell (use 'pt' "
                             "or 'numpy')")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be 'mmap' or 'pread', not {backend!r}")
        self._framework, self._backend = FRAMEWORKS[framework], backend
        self._convert = convert
        self._device = _device(device)
        self._file = open(os.fspath(filename), "rb")
        self._map = None
        try:
            size = self._file.seek(0, os.SEEK_END)
            self._file.seek(0)
            head = self._file.read(8)
            if len(head) == 8:
                n = struct.unpack("<Q", head)[0]
                if n <= MAX_HEADER:
                    _check_header_memory(n)         # before the header is read
                head += self._file.read(min(n, MAX_HEADER))
            self._entries, self._metadata, self._start = parse_header(head, size)
        except BaseException:
            self._file.close()
            raise
        self._by_name = {e.name: e for e in self._entries}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        self._map = None
        self._file.close()

    def keys(self):
        """The names of the tensors, sorted."""
        return sorted(self._by_name)

    def offset_keys(self):
        """The names of the tensors in the order of their data in the file."""
        return [e.name for e in self._entries]

    def metadata(self):
        return None if self._metadata is None else dict(self._metadata)

    def get_tensor(self, name):
        return self._out(self._load(self._entry(name)))

    def get_tensors(self):
        if self._backend == "pread":
            _check_total(self._entries)
        return {e.name: self._out(self._load(e)) for e in self._entries}

    def get_slice(self, name):
        return SafeSlice(self, self._entry(name))

    def _entry(self, name):
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            raise SafetensorError(f"File does not contain tensor {name}") from None

    def _load(self, e):
        return self._mapped(e) if self._backend == "mmap" else self._read(e)

    def _read(self, e):
        """The tensor's values in memory of their own, read from the file alone."""
        _require(e.dtype)
        limits.check_bytes(e.end - e.begin, e.shape)
        array = allocate((e.end - e.begin) // e.dtype.itemsize, e.dtype.np)
        view = memoryview(array.view(np.uint8))
        if read_exactly(self._file, self._start + e.begin, view) != len(view):
            raise SafetensorError(f"the data of tensor `{e.name}` is truncated")
        return array.reshape(e.shape)

    def _mapped(self, e):
        """The tensor's bytes mapped copy-on-write, not read: the pages are read when touched,
        and writing changes memory, never the file."""
        _require(e.dtype)
        if self._map is None:
            self._map = mmap_module.mmap(self._file.fileno(), 0, access=mmap_module.ACCESS_COPY)
        numel = (e.end - e.begin) // e.dtype.itemsize
        return np.frombuffer(self._map, e.dtype.np, numel,
                             self._start + e.begin).reshape(e.shape)

    def _out(self, array):
        if self._framework == "np":
            array = _numpy_out(array)
            return array if self._convert is None else self._convert(array)
        t = wrap(array)
        return t if self._device.type == "cpu" else t.to(self._device)

    def __repr__(self):
        return f"<safe_open {self._file.name!r}>"


class SafeSlice:
    """get_slice(name): a tensor's shape and dtype, and the part of it an index selects
    (only that part is read from the file)."""

    def __init__(self, handle, entry):
        self._handle, self._entry = handle, entry

    def get_shape(self):
        return list(self._entry.shape)

    def get_dtype(self):
        return CODE_OF[self._entry.dtype.name]

    def __getitem__(self, index):
        part = self._handle._mapped(self._entry)[index]
        return self._handle._out(np.array(part, copy=True))

    def __repr__(self):
        return f"<SafeSlice {self._entry.name!r} {self.get_dtype()} {self.get_shape()}>"


def _require(dtype):
    dtypes.require_available(dtype)


def _numpy_out(array):
    if dtypes.FROM_NUMPY.get(array.dtype) is dtypes.bfloat16:
        raise SafetensorError("safetensors.numpy has no bfloat16 (NumPy has no such dtype); "
                              "read the file with safetensors.torch")
    return array


def _device(device):
    if isinstance(device, int) and not isinstance(device, bool):
        device = f"cuda:{device}"
    return as_device(device)


def load_file(filename, device="cpu", *, backend="mmap"):
    """{name: tensor} of a safetensors file, in the order of the data (mapped by default,
    as the package maps them; backend='pread' reads them into memory)."""
    with safe_open(filename, "pt", device, backend=backend) as f:
        return f.get_tensors()


def load(data):
    """{name: tensor} of the bytes of a safetensors file."""
    return {name: wrap(a) for name, a in _from_bytes(data).items()}


def _from_bytes(data):
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"argument 'data': expected bytes, got {type(data).__name__}")
    entries, _, start = parse_header(data[:8 + MAX_HEADER + 8], len(data))
    _check_total(entries)
    out = {}
    for e in entries:
        _require(e.dtype)
        raw = bytes(data[start + e.begin:start + e.end])
        out[e.name] = np.frombuffer(raw, e.dtype.np).copy().reshape(e.shape)
    return out


def _check_total(entries):
    total = sum(e.end - e.begin for e in entries)
    limits.check_bytes(total, (total,))


# ---- writing -----------------------------------------------------------------------------

def save_file(tensors, filename, metadata=None):
    """Write {name: tensor} (contiguous, not overlapping) atomically as a safetensors file."""
    header, arrays = _layout(_host_arrays(tensors), metadata)
    with replacing(os.fspath(filename)) as f:
        _write(f, header, arrays)


def save(tensors, metadata=None):
    """The bytes of a safetensors file of {name: tensor}."""
    header, arrays = _layout(_host_arrays(tensors), metadata)
    return header + b"".join(a.tobytes() for a in arrays)


def _write(f, header, arrays):
    f.write(header)
    for a in arrays:
        f.write(memoryview(a.reshape(-1).view(np.uint8)))


def _host_arrays(tensors):
    """{name: contiguous host array}, with the torch flavour's checks and texts."""
    if not isinstance(tensors, dict):
        raise ValueError(f"Expected a dict of [str, torch.Tensor] but received "
                         f"{type(tensors)!r}")
    _check_names(tensors)
    for name, t in tensors.items():
        if not isinstance(t, Tensor):
            raise ValueError(f"Key `{name}` is invalid, expected torch.Tensor but received "
                             f"{type(t)!r}")
    _check_not_overlapping(tensors)
    arrays = {}
    for name, t in tensors.items():
        if not t.is_contiguous():
            raise ValueError(
                f"You are trying to save a non contiguous tensor: `{name}` which is not "
                "allowed. It either means you are trying to save tensors which are reference "
                "of each other in which case it's recommended to save only the full tensors, "
                "and reslice at load time, or simply call `.contiguous()` on your tensor to "
                "pack it before saving.")
        arrays[name] = backend_of(t._data).to_host(t._data)
    return arrays


def _check_names(mapping):
    for name in mapping:
        if not isinstance(name, str):
            raise TypeError(f"argument 'tensor_dict': '{type(name).__name__}' object is not an "
                            "instance of 'str'")


def _check_not_overlapping(tensors):
    """safetensors.torch refuses tensors whose memory overlaps (they would load apart)."""
    spans = []
    for name, t in tensors.items():
        a = t._data
        if a.size and isinstance(a, np.ndarray):
            lo, hi = byte_bounds(a)
            spans.append((lo, hi, name))
    spans.sort()
    groups, end = [], None
    for lo, hi, name in spans:
        if end is not None and lo < end:
            groups[-1].add(name)
        else:
            groups.append({name})
        end = hi if end is None or lo >= end else max(end, hi)
    failing = [g for g in groups if len(g) > 1]
    if failing:
        raise RuntimeError(
            f"\n            Some tensors share memory, this will lead to duplicate memory on "
            f"disk and potential differences when loading them again: {failing}.\n"
            "            A potential way to correctly save your model is to use `save_model`."
            "\n            More information at "
            "https://huggingface.co/docs/safetensors/torch_shared_tensors\n            ")


def _layout(arrays, metadata):
    """(header bytes, arrays in file order): tensors sorted by dtype (widest first), then
    name, as the reference implementation writes them; the header padded to 8 bytes."""
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise TypeError(f"argument 'metadata': '{type(metadata).__name__}' object cannot "
                            "be converted to 'PyDict'")
        for k, v in metadata.items():
            for item in (k, v):
                if not isinstance(item, str):
                    raise TypeError(f"argument 'metadata': '{type(item).__name__}' object is "
                                    "not an instance of 'str'")
    codes = {}
    for name, a in arrays.items():
        d = dtypes.FROM_NUMPY.get(a.dtype)
        code = CODE_OF.get(d.name) if d is not None else None
        if code is None:
            raise ValueError(f"safetensors cannot store tensor `{name}` of dtype "
                             f"{d if d is not None else a.dtype} (it has no complex128)")
        codes[name] = code
    order = sorted(arrays, key=lambda n: (-_ENUM_ORDER.index(codes[n]), n))
    header, offset = {}, 0
    if metadata is not None:
        header[METADATA] = dict(metadata)
    for name in order:
        a = arrays[name]
        header[name] = {"dtype": codes[name], "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text, [np.ascontiguousarray(arrays[n]) for n in order]


# ---- the numpy flavour -------------------------------------------------------------------

def save_file_numpy(arrays, filename, metadata=None):
    header, ordered = _layout(_numpy_arrays(arrays), metadata)
    with replacing(os.fspath(filename)) as f:
        _write(f, header, ordered)


def save_numpy(arrays, metadata=None):
    header, ordered = _layout(_numpy_arrays(arrays), metadata)
    return header + b"".join(a.tobytes() for a in ordered)


def load_file_numpy(filename, *, backend="mmap"):
    with safe_open(filename, "np", backend=backend) as f:
        return f.get_tensors()


def load_numpy(data):
    return {name: _numpy_out(a) for name, a in _from_bytes(data).items()}


def _numpy_arrays(arrays):
    if not isinstance(arrays, dict):
        raise ValueError(f"Expected a dict of [str, np.ndarray] but received {type(arrays)!r}")
    _check_names(arrays)
    for name, a in arrays.items():
        if not isinstance(a, np.ndarray):
            raise ValueError(f"Key `{name}` is invalid, expected np.ndarray but received "
                             f"{type(a)!r}")
    return {name: np.ascontiguousarray(a) for name, a in arrays.items()}
