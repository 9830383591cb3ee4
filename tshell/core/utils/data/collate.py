"""default_collate and default_convert: a list of samples to a batch, as PyTorch 2.13 does.

Tensors are stacked, Python floats become a float64 tensor, ints (and bools) an int64 (bool)
tensor, NumPy arrays (and the tsh language's numpy arrays, which wrap one) tensors;
dicts, lists, tuples and named tuples are collated field by field; strings stay a list.
"""
from __future__ import annotations

import collections.abc
import copy
import re

import numpy as np

from ...dtypes import float64
from ...ops.creation import as_tensor, tensor
from ...ops.shape import stack
from ...tensor import Tensor

__all__ = ["default_collate", "default_convert"]

# NumPy dtypes of strings and objects: not made into tensors.
_STRING_OR_OBJECT = re.compile(r"[SaUO]")
_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or "
          "lists; found {}")


def _is_array(x) -> bool:
    """A NumPy array, or an object that wraps one (tsh's np arrays); not a tensor, not a
    NumPy scalar (those have __array__ too)."""
    return isinstance(x, np.ndarray) or (not isinstance(x, (Tensor, np.generic))
                                         and hasattr(type(x), "__array__"))


def default_convert(data):
    """Arrays and NumPy numbers to tensors, inside dicts, lists and tuples too (a tuple
    becomes a list): what the DataLoader does to samples when batch_size is None."""
    if isinstance(data, Tensor):
        return data
    if _is_array(data) or isinstance(data, np.generic) and not isinstance(
            data, (np.str_, np.bytes_)):
        array = np.asarray(data)
        return data if _STRING_OR_OBJECT.search(array.dtype.str) else as_tensor(array)
    if isinstance(data, collections.abc.Mapping):
        return _rebuilt_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):          # a named tuple
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _rebuilt_sequence(data, [default_convert(d) for d in data])
    return data


def default_collate(batch):
    """A batch from a list of samples of one structure (see the module's docstring)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch, 0)
    if _is_array(elem):
        dtype = np.asarray(elem).dtype
        if _STRING_OR_OBJECT.search(dtype.str) is not None:
            raise TypeError(_ERROR.format(dtype))
        return default_collate([as_tensor(np.asarray(b)) for b in batch])
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        return as_tensor(batch)
    if isinstance(elem, float):
        return tensor(batch, dtype=float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return _rebuilt_mapping(elem, {key: default_collate([d[key] for d in batch])
                                       for key in elem})
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):          # a named tuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        collated = [default_collate(samples) for samples in transposed]
        return collated if isinstance(elem, tuple) else _rebuilt_sequence(elem, collated)
    raise TypeError(_ERROR.format(type(elem)))


def _rebuilt_mapping(like, values: dict):
    """values in a mapping of like's type (a copy of a mutable one), else a dict."""
    try:
        if isinstance(like, collections.abc.MutableMapping):
            clone = copy.copy(like)
            clone.update(values)
            return clone
        return type(like)(values)
    except TypeError:
        return values


def _rebuilt_sequence(like, items: list):
    """items in a sequence of like's type (a copy of a mutable one), else a list."""
    try:
        if isinstance(like, collections.abc.MutableSequence):
            clone = copy.copy(like)
            for i, item in enumerate(items):
                clone[i] = item
            return clone
        return type(like)(items)
    except TypeError:
        return items
