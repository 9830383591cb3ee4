"""safetensors as tsh programs import it: `safetensors`, `safetensors.torch` and
`safetensors.numpy` as namespaces of tshell's own reader and writer (tshell/core/safetensors.py).

The torch flavour gives and takes tensors; the numpy flavour gives and takes the language's
numpy arrays (standins/numpy/), never raw NumPy objects, as every door to NumPy does.
"""

from __future__ import annotations

import importlib

from .. import runtime
from ..sandbox import Namespace


def _core():
    # Imported at the first call: the reader and writer (json, mmap, the atomic file writer)
    # cost ~15 ms of start-up that programs which never import safetensors should not pay.
    return importlib.import_module("tshell.core.safetensors")


def safe_open(filename, framework, device="cpu", *, backend="mmap"):
    """safe_open(filename, framework, device='cpu'): read tensors of a file one at a time
    ('pt' gives tensors, 'numpy'/'np' numpy arrays)."""
    core = _core()
    numpy = core.FRAMEWORKS.get(framework) == "np"
    return core.safe_open(filename, framework, device, backend=backend,
                          convert=runtime.numpy_standin().outward if numpy else None)


# ---- safetensors.torch ---------------------------------------------------------------------

def torch_save_file(tensors, filename, metadata=None):
    """save_file(tensors, filename, metadata=None): write {name: tensor} to a file."""
    _core().save_file(tensors, filename, metadata)


def torch_load_file(filename, device="cpu", *, backend="mmap"):
    """load_file(filename, device='cpu'): {name: tensor} of a file."""
    return _core().load_file(filename, device, backend=backend)


def torch_save(tensors, metadata=None):
    """save(tensors, metadata=None): the bytes of a file of {name: tensor}."""
    return _core().save(tensors, metadata)


def torch_load(data):
    """load(data): {name: tensor} of a file's bytes."""
    return _core().load(data)


# ---- safetensors.numpy ---------------------------------------------------------------------

def numpy_save_file(tensor_dict, filename, metadata=None):
    """save_file(arrays, filename, metadata=None): write {name: array} to a file."""
    _core().save_file_numpy(_inward(tensor_dict), filename, metadata)


def numpy_load_file(filename, *, backend="mmap"):
    """load_file(filename): {name: array} of a file."""
    return _outward(_core().load_file_numpy(filename, backend=backend))


def numpy_save(tensor_dict, metadata=None):
    """save(arrays, metadata=None): the bytes of a file of {name: array}."""
    return _core().save_numpy(_inward(tensor_dict), metadata)


def numpy_load(data):
    """load(data): {name: array} of a file's bytes."""
    return _outward(_core().load_numpy(data))


def _inward(arrays):
    if not isinstance(arrays, dict):
        return arrays                   # the core words the error
    inward = runtime.numpy_standin().inward
    return {name: inward(a) for name, a in arrays.items()}


def _outward(arrays):
    outward = runtime.numpy_standin().outward
    return {name: outward(a) for name, a in arrays.items()}


def _flavour(prefix):
    """{name: function} of one flavour, each function named as the package names it."""
    members = {"safe_open": safe_open}
    for fn in (globals()[f"{prefix}_{n}"] for n in ("save_file", "load_file", "save", "load")):
        fn.__name__ = fn.__qualname__ = fn.__name__.removeprefix(prefix + "_")
        members[fn.__name__] = fn
    return members


_TORCH, _NUMPY = _flavour("torch"), _flavour("numpy")


def namespace() -> Namespace:
    """The `safetensors` namespace, with `safetensors.torch` and `safetensors.numpy`."""
    return Namespace("safetensors", {
        "safe_open": safe_open, "torch": Namespace("safetensors.torch", dict(_TORCH)),
        "numpy": Namespace("safetensors.numpy", dict(_NUMPY))})
