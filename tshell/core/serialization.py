"""save/load (torch.save / torch.load): .npy, .npz (dict of tensors), .csv/.txt. Never unpickles."""
from __future__ import annotations

import os
import tempfile

import numpy as np

from .tensor import Tensor, wrap


def _host(t):
    if not isinstance(t, Tensor):
        raise TypeError(f"save() can store tensors and dicts of tensors, not "
                        f"{type(t).__name__}")
    return np.asarray(t.detach().cpu()._data)


def _ext(path):
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"expected a file path (str), got {type(path).__name__}")
    ext = os.path.splitext(str(path))[1].lower()
    if ext not in (".npy", ".npz", ".csv", ".txt"):
        raise ValueError(f"unsupported file type {ext!r}: use .npy, .npz, .csv or .txt")
    return ext


def save(obj, path):
    """Write a tensor (.npy/.csv/.txt) or a dict of tensors (.npz) atomically."""
    ext = _ext(path)
    path = str(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tshell-", suffix=ext, dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            if ext == ".npz":
                if not isinstance(obj, dict):
                    raise TypeError(".npz files hold a dict of tensors, e.g. {'w': w, 'b': b}")
                np.savez(f, **{str(k): _host(v) for k, v in obj.items()})
            elif ext == ".npy":
                np.save(f, _host(obj), allow_pickle=False)
            else:
                a = _host(obj)
                if a.ndim > 2:
                    raise ValueError(f"{ext} files hold 0-, 1- or 2-D tensors, not {a.ndim}-D")
                fmt = "%d" if a.dtype.kind in "iub" else "%.9g"
                np.savetxt(f, np.atleast_1d(a), fmt=fmt,
                           delimiter="," if ext == ".csv" else " ")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load(path):
    """Read what save() wrote; pickled content is refused."""
    ext = _ext(path)
    path = str(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"[Errno 2] No such file or directory: '{path}'")
    if ext == ".npy":
        return wrap(np.load(path, allow_pickle=False))
    if ext == ".npz":
        with np.load(path, allow_pickle=False) as z:
            return {k: wrap(z[k]) for k in z.files}
    delim = "," if ext == ".csv" else None
    data = np.loadtxt(path, delimiter=delim, dtype=np.float64, ndmin=1)
    return wrap(data.astype(np.float32))
