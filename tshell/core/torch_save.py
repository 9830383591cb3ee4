"""torch.save: PyTorch's zip format, written so that torch.load(weights_only=True) of PyTorch
2.13 (and tshell's own) reads it back as it was.

Tensors that share memory share one storage record: a tensor is saved as PyTorch saves it,
a view (offset, size, stride) of the whole allocation it lives in, written once.
"""
from __future__ import annotations

import os
import sys
from collections import Counter, OrderedDict

import numpy as np

from . import pickler, torch_zip, unpickler, weights_only as wo
from .atomic_file import replacing
from .backend import address, backend_of
from .device import device as Device
from .dtypes import FROM_NUMPY, dtype as DType
from .pickler import Call, Global, Persistent
from .tensor import Size, Tensor


def _global(name):
    module, attr = wo.split(name)
    return Global("__builtin__" if module == "builtins" else module, attr)  # protocol 2


# One object per name, so the pickle names each once and refers back to it (BINGET).
_G = {name: _global(name) for name in (
    wo.REBUILD_TENSOR_V2, wo.REBUILD_TENSOR_V3, wo.REBUILD_META_TENSOR, wo.UNTYPED_STORAGE,
    wo.REBUILD_PARAMETER,
    wo.ORDERED_DICT, wo.COUNTER, wo.SIZE, wo.DEVICE, wo.CODECS_ENCODE, wo.BYTEARRAY, wo.SET,
    wo.COMPLEX)}
_STORAGE_TYPES = {name: Global("torch", storage) for name, storage in wo.STORAGE_NAMES.items()}
_DTYPES = {}                        # dtype -> its Global, made on first use


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """torch.save(obj, f): f a path (written atomically) or a writable binary file."""
    if pickle_module is not None:
        raise TypeError("torch.save: pickle_module is not supported; tshell writes checkpoints "
                        "with its own pickler")
    if pickle_protocol != 2:
        raise ValueError(f"torch.save: tshell writes pickle protocol 2 (PyTorch's default), "
                         f"not {pickle_protocol}")
    if not _use_new_zipfile_serialization:
        raise ValueError("torch.save: tshell writes only the zip format of PyTorch 1.6 and "
                         "later (_use_new_zipfile_serialization=True)")
    storages = _Storages()
    data = pickler.dumps(obj, storages.reduce)
    try:
        unpickler.check_structure(obj, len(data), wo.VALUE_TYPES)
    except unpickler.UnpicklingError as e:
        raise ValueError(f"torch.save: {e}") from None
    records = storages.records()
    if hasattr(f, "write"):
        _write(f, "archive", data, records, _disable_byteorder_record)
        return
    with replacing(os.fspath(f)) as out:
        _write(out, torch_zip.archive_name(f), data, records, _disable_byteorder_record)


def _write(fileobj, name, data, records, no_byteorder):
    writer = torch_zip.Writer(fileobj, name)
    writer.write("data.pkl", data)
    writer.write(".format_version", b"1")
    writer.write(".storage_alignment", str(torch_zip.ALIGNMENT).encode())
    if not no_byteorder:
        writer.write("byteorder", sys.byteorder.encode())
    for key, memory in records:
        writer.write(f"data/{key}", memory)
    writer.write("version", torch_zip.VERSION.encode())
    writer.write(".data/serialization_id", writer.serialization_id().encode())
    writer.close()


class _Storages:
    """The storages of the tensors being saved, one per allocation, numbered as found."""

    def __init__(self):
        self.found = {}              # id(allocation) -> (key, dtype, allocation)
        self.copies = []             # (key, host array) of tensors saved as their own copy
        self.sizes = {}              # key -> number of elements

    def reduce(self, obj):
        """What the pickler writes for obj (pickler.dumps' `reduce`)."""
        if isinstance(obj, Tensor):
            return self.tensor(obj)
        if isinstance(obj, DType):
            return _DTYPES.setdefault(obj, Global("torch", obj.name))
        kind = type(obj)
        if kind is Size:
            return Call(_G[wo.SIZE], (tuple(obj),))
        if kind is Device:
            return Call(_G[wo.DEVICE], (obj.type,) if obj.index is None else
                        (obj.type, obj.index))
        if kind is OrderedDict:
            return Call(_G[wo.ORDERED_DICT], (), state=_attributes(obj) or None,
                        items=obj.items())
        if kind is Counter:
            return Call(_G[wo.COUNTER], (dict(obj),))
        if kind is complex:
            return Call(_G[wo.COMPLEX], (obj.real, obj.imag))
        if kind is bytes:
            return Call(_G[wo.CODECS_ENCODE], (obj.decode("latin-1"), "latin1"))
        if kind is bytearray:
            return Call(_G[wo.BYTEARRAY], (bytes(obj),))
        if kind is set:
            return Call(_G[wo.SET], (list(obj),))
        return None

    def tensor(self, t):
        if getattr(t, "cls_to_become", None) is not None:
            # a lazy module's UninitializedParameter/Buffer: PyTorch pickles the class and
            # requires_grad, which a weights-only load refuses (not an empty tensor)
            return Call(Global("torch.nn.parameter", type(t).__name__), (t.requires_grad,))
        cls = wo.parameter_class()
        if cls is not None and isinstance(t, cls):
            data = self.plain_tensor(t, requires_grad=False)
            return Call(_G[wo.REBUILD_PARAMETER], (data, t.requires_grad, OrderedDict()))
        return self.plain_tensor(t, t.requires_grad)

    def plain_tensor(self, t, requires_grad):
        if t.is_meta:                   # no data: PyTorch writes the shape, no storage record
            return Call(_G[wo.REBUILD_META_TENSOR], (self.reduce(t.dtype), tuple(t._data.shape),
                                                      t.stride(), requires_grad))
        key, dtype, offset, stride, location = self.locate(t._data)
        storage = _STORAGE_TYPES.get(dtype.name)
        if storage is None:     # uint16/32/64, float8: as PyTorch, bytes read as the dtype
            pid = ("storage", _G[wo.UNTYPED_STORAGE], key, location,
                   self.sizes[key] * dtype.itemsize)
            return Call(_G[wo.REBUILD_TENSOR_V3], (Persistent(pid), offset,
                                                    tuple(t._data.shape), stride,
                                                    requires_grad, OrderedDict(),
                                                    self.reduce(dtype)))
        pid = ("storage", storage, key, location, self.sizes[key])
        return Call(_G[wo.REBUILD_TENSOR_V2], (Persistent(pid), offset,
                                                tuple(t._data.shape), stride, requires_grad,
                                                OrderedDict()))

    def locate(self, array):
        """(storage key, dtype, offset, stride, location) of a tensor's array."""
        dtype = FROM_NUMPY[array.dtype]
        backend = backend_of(array)
        if backend.device_type != "cpu":      # saved from a host copy of the tensor alone
            host = np.ascontiguousarray(backend.to_host(array))
            key = self.add_copy(host)
            return key, dtype, 0, contiguous_strides(host.shape), str(backend.device_of(array))
        root = _allocation(array)
        place = _place_in(array, root)
        if place is None:                     # a layout PyTorch has no strides for
            host = np.ascontiguousarray(array)
            return self.add_copy(host), dtype, 0, contiguous_strides(host.shape), "cpu"
        entry = self.found.get(id(root))
        if entry is None:
            entry = self.found[id(root)] = (self.new_key(root.nbytes // dtype.itemsize), dtype,
                                            root)
        elif entry[1] is not dtype:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same "
                               "data as different types")
        return entry[0], dtype, place[0], place[1], "cpu"

    def add_copy(self, host):
        key = self.new_key(host.size)
        self.copies.append((key, host))
        return key

    def new_key(self, numel):
        key = str(len(self.sizes))
        self.sizes[key] = numel
        return key

    def records(self):
        """(key, bytes) of every storage, in key order (PyTorch numbers them as found)."""
        memory = [(k, _bytes_of(root)) for k, _, root in self.found.values()]
        memory += [(k, _bytes_of(host)) for k, host in self.copies]
        return sorted(memory, key=lambda r: int(r[0]))


def _attributes(od):
    """An OrderedDict's own attributes (a state_dict's _metadata), which torch.load allows
    for private names only."""
    attrs = vars(od)
    for name in attrs:
        if not (isinstance(name, str) and name.startswith("_") and not name.startswith("__")):
            raise pickler.PicklingError(f"torch.save: an OrderedDict's attribute {name!r} "
                                        "cannot be saved (only private ones such as "
                                        "'_metadata')")
    return dict(attrs)


def _allocation(array):
    """The array that owns the memory `array` views (its storage, in PyTorch's terms)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _place_in(array, root):
    """(offset, stride) of array within root in elements, or None when it has no such
    place (a negative or misaligned stride, root not one block of its own elements)."""
    item = array.itemsize
    if not (root.flags.c_contiguous or root.flags.f_contiguous) or root.nbytes % item:
        return None
    start = address(array) - address(root)
    if start % item or any(s % item or s < 0 for s in array.strides):
        return None
    if array.size == 0:                   # NumPy gives empty arrays zero strides
        return start // item, contiguous_strides(array.shape)
    return start // item, tuple(s // item for s in array.strides)


def contiguous_strides(shape):
    """PyTorch's strides of a contiguous tensor (a size-0 dim counts as 1)."""
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


def _bytes_of(a):
    """The memory of a contiguous array as bytes, without a copy."""
    return memoryview(a.reshape(-1, order="A").view(np.uint8))
