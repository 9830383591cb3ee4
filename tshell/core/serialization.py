"""save/load (torch.save / torch.load), by the file's suffix: .npy (a tensor), .npz (a dict of
tensors), .csv/.txt (0- to 2-D tensors), .safetensors; any other suffix (.pt, .pth, .bin,
none) is PyTorch's own format (torch_save.py, torch_load.py).

Never unpickles with Python's pickle: PyTorch files go through tshell's restricted
unpickler (unpickler.py).
"""
from __future__ import annotations

import math
import os
import struct
import zipfile

import numpy as np

from . import safetensors, torch_load, torch_save, torch_zip
from .atomic_file import replacing
from .device import device as Device
from .dtypes import FROM_NUMPY
from .limits import check_bytes
from .tensor import Tensor, wrap

NUMPY_FORMATS = (".npy", ".npz", ".csv", ".txt")
SAFETENSORS = ".safetensors"


def _host(t):
    if not isinstance(t, Tensor):
        raise TypeError(f"save() can store tensors and dicts of tensors, not "
                        f"{type(t).__name__}")
    return np.asarray(t.detach().cpu()._data)


def suffix(f):
    """The format a path names: one of NUMPY_FORMATS, SAFETENSORS, or "" (PyTorch's); a
    file object is PyTorch's."""
    if hasattr(f, "write") or hasattr(f, "read"):
        return ""
    if not isinstance(f, (str, os.PathLike)):
        raise TypeError(f"expected a file path (str), got {type(f).__name__}")
    ext = os.path.splitext(os.fspath(f))[1].lower()
    return ext if ext in NUMPY_FORMATS or ext == SAFETENSORS else ""


def save(obj, f, **options):
    """torch.save(obj, f): .npy/.csv/.txt a tensor, .npz and .safetensors a dict of tensors,
    anything else PyTorch's format (options are torch.save's); atomic for paths."""
    ext = suffix(f)
    if ext and os.path.isdir(f):
        raise IsADirectoryError(f"[Errno 21] Is a directory: '{os.fspath(f)}'")
    if ext == SAFETENSORS:
        _no_options(options, ext)
        return safetensors.save_file(obj, f)
    if not ext:
        return torch_save.save(obj, f, **options)
    _no_options(options, ext)
    return _save_numpy_format(obj, str(f), ext)


def _no_options(options, ext):
    if options:
        raise TypeError(f"save() of a {ext} file takes no options (got "
                        f"{', '.join(sorted(options))})")


def _save_numpy_format(obj, path, ext):
    if ext == ".npz":
        arrays = _npz_members(obj)             # every key checked before the file is made
    with replacing(path) as f:
        if ext == ".npz":
            _write_npz(f, arrays)
        elif ext == ".npy":
            np.save(f, _host(obj), allow_pickle=False)
        else:
            _write_text(f, _host(obj), ext)


def _write_text(f, a, ext):
    if a.ndim > 2:
        raise ValueError(f"{ext} files hold 0-, 1- or 2-D tensors, not {a.ndim}-D")
    fmt = "%d" if a.dtype.kind in "iub" else "%.9g"
    np.savetxt(f, np.atleast_1d(a), fmt=fmt, delimiter="," if ext == ".csv" else " ")


def _npz_members(obj):
    """{member name: array}: each key becomes the member `key + '.npy'`, as in np.savez.

    The members are written here rather than by np.savez(f, **obj): as keyword arguments,
    keys such as 'file' or 'allow_pickle' collide with savez's own parameters.
    """
    if not isinstance(obj, dict):
        raise TypeError(".npz files hold a dict of tensors, e.g. {'w': w, 'b': b}")
    members, keys = {}, {}
    for key, value in obj.items():
        name = _npz_member_name(key)
        if name in members:
            raise ValueError(f"save(): the keys {keys[name]!r} and {key!r} would both be "
                             f"stored as {str(key)!r}; make them distinct strings")
        members[name], keys[name] = _host(value), key
    return members


def _npz_member_name(key):
    """key + '.npy', or a ValueError naming a key that a zip member name cannot hold."""
    name = str(key) + ".npy"
    problem = _unstorable(name)
    if problem:
        raise ValueError(f"save(): the key {_short(key)} cannot be stored in a .npz file: "
                         f"{problem}")
    return name


def _unstorable(name):
    """Why zipfile would not store `name` as it is, or None."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "it is not valid Unicode"
    if "\0" in name:
        return "it holds a NUL character"          # zipfile cuts the name there
    if size > 0xFFFF:
        return "it is too long"
    if zipfile.ZipInfo(name).filename != name:     # a separator zipfile rewrites to '/'
        return "zipfile would rename it"
    return None


def _short(key):
    text = repr(key)
    return text if len(text) <= 60 else text[:57] + "..."


def _write_npz(f, members):
    """What np.savez writes: one uncompressed .npy member per key, zip64 always."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        for name, a in members.items():
            with z.open(name, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, a, allow_pickle=False)


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """torch.load(f): by the suffix as save() writes; PyTorch's files (any other suffix, or a
    file object) with PyTorch's weights_only=True safety, never running anything in them."""
    ext = suffix(f)
    if not ext:
        return torch_load.load(f, map_location, pickle_module, weights_only=weights_only,
                               mmap=mmap, **pickle_load_args)
    torch_load.check_options(weights_only, pickle_module, pickle_load_args)
    path = os.fspath(f)
    if os.path.isdir(path):
        raise IsADirectoryError(f"[Errno 21] Is a directory: '{path}'")
    if ext == SAFETENSORS:
        return safetensors.load_file(path, _device_of(map_location, "safetensors"))
    if mmap:
        raise ValueError(f"mmap=True reads PyTorch and safetensors files, not {ext} files")
    if not os.path.exists(path):
        raise FileNotFoundError(f"[Errno 2] No such file or directory: '{path}'")
    if not os.path.isfile(path):    # a device or a pipe may never end (/dev/zero)
        raise OSError(f"cannot load {path!r}: not a regular file")
    try:
        value = _read(path, ext)
    except _MALFORMED as e:
        raise ValueError(f"load(): {path!r} is not a valid {ext} file: {_reason(e)}") from None
    return _to_location(value, map_location, ext)


def _device_of(map_location, kind):
    """torch.load's rule for .safetensors paths (tshell's for .npy & co.): map_location may
    be a device or a device string only."""
    if map_location is None:
        return "cpu"
    if isinstance(map_location, (str, Device)):
        return str(map_location)
    what = "dict" if isinstance(map_location, dict) else "callable"
    raise RuntimeError(f"Loading {kind} file with {what} map_location is not supported. "
                       "Use a device string or torch.device instead.")


def _to_location(value, map_location, ext):
    """A .npy/.npz/.csv value moved to map_location (a device or device string)."""
    if map_location is None:
        return value
    device = _device_of(map_location, ext)
    if isinstance(value, dict):
        return {k: t.to(device) for k, t in value.items()}
    return value.to(device)


# What NumPy raises on a damaged file (a truncated .npy, a .npz that is not a zip...).
_MALFORMED = (ValueError, EOFError, KeyError, zipfile.BadZipFile, UnicodeDecodeError,
              struct.error, SyntaxError)


def _reason(e):
    text = str(e)
    if "pickle" in text or "Object arrays" in text:
        return "it holds pickled (object) data, which tshell never loads"
    return text or type(e).__name__


def _read(path, ext):
    if ext == ".npy":
        with open(path, "rb") as f:
            _check_header(f)
            f.seek(0)
            return wrap(_native(np.lib.format.read_array(f, allow_pickle=False)))
    if ext == ".npz":
        return _read_npz(path)
    delim = "," if ext == ".csv" else None
    with open(path, encoding="utf-8") as f:
        data = np.loadtxt(f, delimiter=delim, dtype=np.float64, ndmin=1)
    return wrap(data.astype(np.float32))


def _read_npz(path):
    """{key: tensor} from the members themselves: np.load's NpzFile would let a member
    'a.npy.npy' (key 'a.npy') be looked up as the member 'a.npy' (key 'a')."""
    with open(path, "rb") as f, _index_checked(f) as z:
        keys = _npz_keys(z.namelist())
        for name in keys:                  # every member is checked before any is read
            with z.open(name) as f:
                _check_header(f)
        tensors = {}
        for name, key in keys.items():
            with z.open(name) as f:
                tensors[key] = wrap(_native(np.lib.format.read_array(f, allow_pickle=False)))
        return tensors


def _index_checked(f):
    """zipfile.ZipFile(f) once the size of its index is checked against the memory cap."""
    torch_zip.check_index(f, os.fstat(f.fileno()).st_size)
    return zipfile.ZipFile(f)


def _npz_keys(names):
    """{member name: key}, the key being the name without '.npy' as in np.load."""
    keys, seen = {}, set()
    for name in names:
        key = name.removesuffix(".npy")
        if key in seen:                    # 'a' and 'a.npy', or a name listed twice
            raise ValueError(f"two members hold the key {key!r}")
        seen.add(key)
        keys[name] = key
    return keys


def _native(a):
    """Big-endian data (written on another machine) in this machine's byte order."""
    return a if a.dtype.isnative else a.astype(a.dtype.newbyteorder("="))


def _check_header(f):
    """Refuse a dtype that is not a tensor dtype, or a size above the cap, before reading."""
    fmt = np.lib.format
    version = fmt.read_magic(f)
    read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
    shape, _, dtype = read(f)
    if dtype.hasobject:
        raise ValueError("Object arrays cannot be loaded")
    if dtype.newbyteorder("=") not in FROM_NUMPY:
        raise ValueError(f"it holds data of dtype {dtype}, which is not a tensor dtype")
    check_bytes(dtype.itemsize * math.prod(shape), shape)
