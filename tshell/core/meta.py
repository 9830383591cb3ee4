"""The meta device: tensors with a shape and a dtype but no data.

A meta tensor's array is a MetaArray, an ndarray subclass whose strides are all 0 over the
memory of one element: a 10**12-element float32 meta tensor takes 4 bytes, and every view of
it (reshape, transpose, broadcast, basic indexing) is NumPy's own, as free. The ops run
unchanged on these arrays (the backend's `xp` is MetaXP); the shape and dtype inference
lives here, in NumPy's two override protocols:

- ufuncs (every elementwise op, the reductions, matmul): the result's shape comes from the
  operands' shapes (broadcasting, the reduced axes, matmul's rule) and its dtype from running
  the same ufunc on one-element stand-ins, so nothing the size of the result is made;
- other NumPy functions: where, concatenate, stack, argmax/argmin and the sorts by their
  shape rules (_SHAPE_RULES) alike; NumPy's Python functions (var, flip, take_along_axis...)
  as they are, since they are made of methods and ufuncs that come back here; the rest (C
  functions: take, pad's copies, einsum...) run on the zero-strided stand-ins and their
  result becomes a MetaArray again, which makes one result's worth of memory for the moment
  (an operand too large for the memory cap is refused first).

Writes into a MetaArray (`a[...] = v`, `out=`, fill) do nothing; reading values (item(),
tolist(), a copy to another device) is refused with PyTorch's texts. The array reports the
contiguous strides of its shape (PyTorch's for a fresh meta tensor), not its real zeros.
"""
from __future__ import annotations

import types

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from . import limits
from .device import device

META = device("meta")
NO_DATA = "Cannot copy out of meta tensor; no data!"
NO_ITEM = "Tensor.item() cannot be called on meta tensors"
# Ops whose result's shape depends on the values: PyTorch's meta kernels refuse them.
NO_NONZERO = ("The register_meta function for torch.nonzero() raises unimplemented by default, "
              "as a correct data-independent implementation does not exist. This implementation "
              "returns a fake value, assuming all elements of the tensor are non-zero. To enable "
              "this registration, please set "
              "'torch.fx.experimental._config.meta_nonzero_assume_all_nonzero' to True.")


def broadcast_error(a_shape, b_shape):
    """PyTorch's meta kernels' text for operands that do not broadcast (b's mismatching
    length, counted from the right; the expected shape is a's, padded with ones)."""
    n = max(len(a_shape), len(b_shape))
    a = (1,) * (n - len(a_shape)) + tuple(a_shape)
    b = (1,) * (n - len(b_shape)) + tuple(b_shape)
    i = next(i for i in range(-1, -n - 1, -1) if a[i] != b[i] and 1 not in (a[i], b[i]))
    return RuntimeError(f"Attempting to broadcast a dimension of length {b[i]} at {i}! "
                        f"Mismatching argument at index 1 had torch.Size({list(b_shape)}); but "
                        f"expected shape should be broadcastable to {list(a)}")


def mm_error(a_shape, b_shape):
    """PyTorch's meta kernels' text for matrices whose inner sizes differ."""
    return RuntimeError(f"a and b must have same reduction dim, but got {list(a_shape)} X "
                        f"{list(b_shape)}.")


def no_kernel(op):
    """PyTorch's error for an op that has no meta kernel (torch.equal: aten::equal)."""
    return NotImplementedError(
        f"aten::{op}: attempted to run this operator with Meta tensors, but there was no fake "
        "impl or Meta kernel registered. You may have run into this message while using an "
        "operator with PT2 compilation APIs (torch.compile/torch.export); in order to use this "
        "operator with those APIs you'll need to add a fake impl. Please see the following for "
        "next steps:  https://pytorch.org/tutorials/advanced/custom_ops_landing_page.html")


class MetaArray(np.ndarray):
    """Meta tensor data: a shape and dtype over one element's memory (all strides 0)."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        out = kwargs.pop("out", None)
        kwargs.pop("where", None)
        if method == "at":
            return None
        with np.errstate(all="ignore"):
            result = _ufunc_result(ufunc, method, inputs, kwargs)
        if out is not None:                 # writing into meta memory: nothing to write
            return out[0] if len(out) == 1 else out
        return result

    def __array_function__(self, func, types_, args, kwargs):
        if func in _VALUE_SHAPED:
            raise NotImplementedError(NO_NONZERO)
        rule = _SHAPE_RULES.get(func.__name__)
        if rule is not None:
            return rule(*args, **kwargs)
        if func.__module__ == "numpy.linalg":
            return _on_identities(func, args, kwargs)
        impl = func._implementation
        if isinstance(impl, types.FunctionType):
            # NumPy's Python functions are built of methods and ufuncs, which come back here
            return as_meta(impl(*args, **kwargs))
        return _on_stand_ins(impl, args, kwargs)

    # ---- what would make or read data --------------------------------------------------------
    @property
    def strides(self):
        return contiguous_strides(self.shape, self.itemsize)

    @property
    def flags(self):
        return _CONTIGUOUS

    def copy(self, order="K"):
        return empty(self.shape, self.dtype)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        return empty(self.shape, np.dtype(dtype))

    def reshape(self, *shape, **kwargs):
        return _view(self).reshape(*shape, **kwargs).view(MetaArray)

    def ravel(self, order="C"):
        return self.reshape(-1)

    flatten = ravel

    def __getitem__(self, index):
        if _has_mask(index):            # a meta mask selects by values: nonzero's error
            raise NotImplementedError(NO_NONZERO)
        index = _index_stand_ins(index)
        for i in index if isinstance(index, tuple) else (index,):
            if isinstance(i, np.ndarray) and i.size > limits.SMALL:
                limits.check_result(i.shape, self.itemsize)     # NumPy makes the result
        return as_meta(_view(self)[index])

    def __setitem__(self, index, value):
        _view(self)[_index_stand_ins(index)]    # the index errors an indexing would raise

    def fill(self, value):
        pass

    def argmax(self, axis=None, out=None, keepdims=False):
        return _arg_reduced(self, axis, out, keepdims)

    argmin = argmax

    def argsort(self, axis=-1, *args, **kwargs):
        return _sorted(self, axis, np.intp)

    def argpartition(self, kth, axis=-1, *args, **kwargs):
        return _sorted(self, axis, np.intp)

    def sort(self, *args, **kwargs):
        pass                # in place: nothing to move

    partition = sort

    def item(self, *args):
        raise RuntimeError(NO_ITEM)

    def __bool__(self):
        raise RuntimeError(NO_ITEM)

    def __float__(self):
        raise RuntimeError(NO_ITEM)

    __int__ = __index__ = __complex__ = __float__

    def tolist(self):
        raise NotImplementedError(NO_DATA)

    def tobytes(self, order="C"):
        raise NotImplementedError(NO_DATA)


class _Flags:
    """What MetaArray.flags answers: a meta tensor is contiguous and may be written."""
    c_contiguous = contiguous = writeable = aligned = owndata = True
    f_contiguous = False

    def __getitem__(self, name):
        return getattr(self, name.lower())


_CONTIGUOUS = _Flags()


_VALUE_SHAPED = (np.nonzero, np.argwhere, np.flatnonzero, np.extract)


def _has_mask(index):
    """Whether the index holds a meta mask (a host mask's values give the shape)."""
    items = index if isinstance(index, tuple) else (index,)
    return any(type(i) is MetaArray and i.dtype == np.bool_ for i in items)


def has_values(array):
    """Whether array's values can be read: not for a meta array (PyTorch's meta kernels
    check shapes only, so the host-side checks of index values skip it)."""
    return type(array) is not MetaArray


def contiguous_strides(shape, itemsize):
    strides, step = [], itemsize
    for s in reversed(shape):
        strides.append(step)
        step *= max(s, 1)
    return tuple(reversed(strides))


def empty(shape, dtype):
    """A meta array of this shape and dtype: one element's memory, whatever the shape."""
    shape = tuple(int(s) for s in shape)
    one = np.zeros(1, dtype)
    return np.lib.stride_tricks.as_strided(one, shape, (0,) * len(shape)).view(MetaArray)


def as_meta(value):
    """value with every array in it made a meta array (its shape and dtype kept)."""
    if isinstance(value, np.ndarray):
        return value if type(value) is MetaArray else empty(value.shape, value.dtype)
    if isinstance(value, np.generic):
        return empty((), value.dtype)
    if isinstance(value, tuple) and hasattr(value, "_fields"):     # NumPy's SVDResult...
        return type(value)(*(as_meta(v) for v in value))
    if isinstance(value, (tuple, list)):
        return type(value)(as_meta(v) for v in value)
    return value


def _view(a):
    """a's zero-strided memory as a plain ndarray (NumPy's own behaviour, no overrides)."""
    return a.view(np.ndarray)


def _stand_ins(value):
    """value with each meta array replaced by its plain zero-strided view."""
    if type(value) is MetaArray:
        return _view(value)
    if isinstance(value, tuple):
        return tuple(_stand_ins(v) for v in value)
    if isinstance(value, list):
        return [_stand_ins(v) for v in value]
    if isinstance(value, dict):
        return {k: _stand_ins(v) for k, v in value.items()}
    return value


def _on_stand_ins(function, args, kwargs):
    """function's result on the stand-ins of args, made a meta array: NumPy's own shape and
    dtype, at the cost of making the result (which may be as large as an operand: an operand
    too large for the memory cap is refused first)."""
    args, kwargs = _stand_ins(args), _stand_ins(kwargs)
    for a in (*args, *kwargs.values()):
        if isinstance(a, np.ndarray) and a.size > limits.SMALL:
            limits.check_dense(a)
    with np.errstate(all="ignore"):
        return as_meta(function(*args, **kwargs))


def _identity(value):
    """A stand-in for a linear-algebra operand: identity matrices for a meta array of
    matrices (invertible, positive-definite: zero stand-ins would be singular), the zero
    stand-in for the rest."""
    if type(value) is not MetaArray or value.ndim < 2:
        return _stand_ins(value)
    eye = np.eye(value.shape[-2], value.shape[-1], dtype=value.dtype)
    return np.broadcast_to(eye, value.shape)


def _on_identities(function, args, kwargs):
    """A numpy.linalg function's meta result: its shapes and dtypes on identity stand-ins,
    at the cost of an operand's memory for the moment (refused past the cap first)."""
    for a in (*args, *kwargs.values()):
        if type(a) is MetaArray and a.size > limits.SMALL:
            limits.check_dense(_view(a))
    with np.errstate(all="ignore"):
        return as_meta(function(*(_identity(a) for a in args),
                                **{k: _identity(v) for k, v in kwargs.items()}))


def _index_stand_ins(index):
    """An index with its meta arrays made stand-ins and its integer arrays zeros of their
    shape: PyTorch's meta kernels check no index values (a CPU index of 5 into 3 elements
    included)."""
    items = index if isinstance(index, tuple) else (index,)
    items = tuple(np.broadcast_to(np.intp(0), i.shape)
                  if isinstance(i, np.ndarray) and i.dtype.kind in "iu" else _stand_ins(i)
                  for i in items)
    return items if isinstance(index, tuple) else items[0]


def _one(value, ndim=0):
    """A stand-in of one element with value's dtype (Python numbers stay as they are)."""
    if isinstance(value, np.ndarray):
        return np.zeros((1,) * ndim, value.dtype)
    return value


def _ufunc_result(ufunc, method, inputs, kwargs):
    if method == "__call__" and ufunc.signature is None:
        shape = np.broadcast_shapes(*(np.shape(i) for i in inputs))
        r = ufunc(*(_one(i) for i in inputs), **kwargs)
        return tuple(empty(shape, x.dtype) for x in r) if isinstance(r, tuple) else \
            empty(shape, r.dtype)
    if method == "__call__" and ufunc is np.matmul:
        a, b = inputs
        dt = ufunc(_one(a, 2), _one(b, 2), **kwargs).dtype
        return empty(_matmul_shape(np.shape(a), np.shape(b)), dt)
    if method in ("reduce", "accumulate"):
        a = inputs[0]
        axis = kwargs.pop("axis", 0)
        keepdims = kwargs.pop("keepdims", False)
        kwargs.pop("initial", None)
        dt = getattr(ufunc, method)(_one(a, 1), axis=0, **kwargs).dtype
        if method == "accumulate":
            return empty(a.shape, dt)
        axes = normalize_axis_tuple(range(a.ndim) if axis is None else axis, a.ndim)
        shape = [1 if i in axes else s for i, s in enumerate(a.shape)] if keepdims else \
            [s for i, s in enumerate(a.shape) if i not in axes]
        return empty(shape, dt)
    if method == "outer":
        a, b = inputs
        dt = ufunc(_one(a), _one(b), **kwargs).dtype
        return empty(np.shape(a) + np.shape(b), dt)
    return _on_stand_ins(getattr(ufunc, method), inputs, kwargs)


def _reduced(shape, axis, keepdims, dtype):
    """A meta array of `shape` reduced over axis (None: all)."""
    axes = normalize_axis_tuple(range(len(shape)) if axis is None else axis, len(shape))
    if keepdims:
        return empty([1 if i in axes else s for i, s in enumerate(shape)], dtype)
    return empty([s for i, s in enumerate(shape) if i not in axes], dtype)


def _arg_reduced(a, axis=None, out=None, keepdims=False):
    """argmax / argmin: an index per reduced row."""
    return _reduced(np.shape(a), axis, keepdims, np.intp)


def _sorted(a, axis=-1, dtype=None):
    """sort / argsort / partition: a's shape (flattened for axis=None)."""
    return empty(np.shape(a) if axis is not None else (np.size(a),), dtype or a.dtype)


def _where(condition, *values):
    if not values:
        raise NotImplementedError(NO_NONZERO)       # where(c) is nonzero(c)
    x, y = values
    dt = np.where(np.zeros((), bool), _one(x), _one(y)).dtype
    return empty(np.broadcast_shapes(np.shape(condition), np.shape(x), np.shape(y)), dt)


def _concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    dt = np.concatenate([_one(a, 1) for a in arrays], dtype=dtype, casting=casting).dtype
    if axis is None:
        return empty((sum(np.size(a) for a in arrays),), dt)
    first = np.shape(arrays[0])
    d = normalize_axis_tuple(axis, len(first))[0]
    return empty(first[:d] + (sum(np.shape(a)[d] for a in arrays),) + first[d + 1:], dt)


def _stack(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    dt = np.concatenate([_one(a, 1) for a in arrays], dtype=dtype, casting=casting).dtype
    first = np.shape(arrays[0])
    d = normalize_axis_tuple(axis, len(first) + 1)[0]
    return empty(first[:d] + (len(arrays),) + first[d:], dt)


# NumPy functions whose result's shape and dtype are worked out here, not by running them on
# stand-ins (which would make the whole result): by name, for numpy's and MetaXP's calls.
_SHAPE_RULES = {"where": _where, "concatenate": _concatenate, "stack": _stack,
                "argmax": _arg_reduced, "argmin": _arg_reduced,
                "sort": lambda a, axis=-1, *args, **kwargs: _sorted(a, axis),
                "partition": lambda a, kth, axis=-1, *args, **kwargs: _sorted(a, axis),
                "argsort": lambda a, axis=-1, *args, **kwargs: _sorted(a, axis, np.intp),
                "argpartition": lambda a, kth, axis=-1, *args, **kwargs: _sorted(a, axis, np.intp)}


def _matmul_shape(a, b):
    """The shape of a @ b (NumPy's ValueError where the inner sizes differ)."""
    if not a or not b:
        raise ValueError("matmul: Input operand does not have enough dimensions")
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    if a2[-1] != b2[-2]:
        raise ValueError(f"matmul: Input operand 1 has a mismatch in its core dimension 0 "
                         f"(size {b2[-2]} is different from {a2[-1]})")
    batch = np.broadcast_shapes(a2[:-2], b2[:-2])
    return batch + (a2[-2],) * (len(a) > 1) + (b2[-1],) * (len(b) > 1)


class MetaXP:
    """numpy for the meta device: arrays it makes are meta arrays, made without data where
    only a shape and dtype are given."""

    def __getattr__(self, name):
        attr = getattr(np, name)
        if name in _SHAPED:
            return _SHAPED[name]
        if name in _SHAPE_RULES:
            return _SHAPE_RULES[name]
        if isinstance(attr, np.ufunc) or not callable(attr) or isinstance(attr, type):
            return attr             # ufuncs come back through MetaArray.__array_ufunc__

        def on_meta(*args, **kwargs):
            # meta arguments send the call to MetaArray.__array_function__
            return as_meta(attr(*args, **kwargs))
        return on_meta


def _shaped(shape, dtype=float, *args, **kwargs):
    return empty((shape,) if isinstance(shape, (int, np.integer)) else shape, np.dtype(dtype))


def _shaped_full(shape, fill_value, dtype=None, **kwargs):
    return empty((shape,) if isinstance(shape, (int, np.integer)) else shape,
                 np.dtype(dtype) if dtype is not None else np.asarray(fill_value).dtype)


def _shaped_like(a, dtype=None, *args, **kwargs):
    return empty(kwargs.get("shape") or np.shape(a),
                 np.dtype(dtype) if dtype is not None else a.dtype)


_SHAPED = {"empty": _shaped, "zeros": _shaped, "ones": _shaped, "full": _shaped_full,
           "empty_like": _shaped_like, "zeros_like": _shaped_like, "ones_like": _shaped_like,
           "full_like": lambda a, fill_value, dtype=None, **kw: _shaped_like(a, dtype),
           # a contiguous copy of a view (im2col's window buffer): its shape, at least 1-d
           "ascontiguousarray": lambda a, dtype=None, **kw: empty(
               np.shape(a) or (1,), np.dtype(dtype) if dtype is not None else a.dtype)}


class MetaBackend:
    """The meta device: MetaArrays."""

    xp = MetaXP()
    device_type = "meta"

    def device_of(self, array):
        return META

    def to_host(self, array):
        raise NotImplementedError(NO_DATA)

    def from_host(self, array, dev):
        return empty(np.shape(array), np.asarray(array).dtype)

    def asarray(self, data, dtype=None, device=None):
        return as_meta(np.asarray(_stand_ins(data), dtype=dtype))


BACKEND = MetaBackend()
limits.NO_MEMORY.add(MetaArray)
