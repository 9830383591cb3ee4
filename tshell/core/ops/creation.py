"""Tensor creation: tensor, zeros, ones, full, arange, linspace, eye, *_like, new_*."""
from __future__ import annotations

import functools
import math
import warnings

import numpy as np

from .. import limits, meta
from ..backend import backend_for, xp_of
from ..device import DEFAULT as DEFAULT_DEVICE, as_device
from ..dtypes import (COMPLEX, FLOATING, DEFAULTS, FROM_NUMPY, bool_,
                      check_array_fits, check_fits, default_complex, float32, float64,
                      from_numpy_dtype, int64, promote_types, require_available, to_dtype)
from ..layouts import as_memory_format, in_memory_format, preserve_format, relaid_like
from ..registry import export
from ..tensor import Size, Tensor, wrap
from .common import check_sizes_nonnegative, dense, parse_size


def on_meta(device):
    """Whether a factory called with device= makes a meta tensor: then its data is never
    made (a 10**12-element meta tensor is free) and no random number is drawn for it."""
    if device is None:
        device = DEFAULT_DEVICE.device
        if device is None:          # the CPU: the common case, answered first
            return False
    return as_device(device).type == "meta"


def meta_result(shape, dt, requires_grad):
    """A factory's meta tensor of this shape and dtype."""
    return _finish(meta.empty(shape, dt.np), meta.META, requires_grad)


def _finish(data, device, requires_grad, fn="tensor"):
    """Move host data to the device and set requires_grad (float/complex only)."""
    dev = as_device(device) if device is not None else DEFAULT_DEVICE.device
    if dev is not None and dev.type != "cpu":
        data = backend_for(dev).from_host(data, dev)
    t = wrap(data)
    if requires_grad:
        if FROM_NUMPY[data.dtype].category < FLOATING:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        t._rg = True
    return t


def _factory(fill):
    """zeros/ones/empty: sizes as varargs or a sequence, plus dtype/device/requires_grad."""
    def create(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
               pin_memory=False, memory_format=None):
        shape = parse_size(size, fill)
        if fill == "zeros" and any(s < 0 for s in shape):
            raise RuntimeError("zeros: Dimension size must be non-negative.")
        check_sizes_nonnegative(shape)
        dt = require_available(to_dtype(dtype, fn=fill) or DEFAULTS.float_dtype)
        if on_meta(device):
            return _into(out, meta_result(shape, dt, requires_grad))
        limits.check_result(shape, dt.itemsize)
        if fill == "ones":
            data = np.empty(shape, dt.np)
            data.fill(1)  # np.ones is a Python wrapper around these two C calls
        else:
            data = np.zeros(shape, dt.np)
        t = _finish(data, device, requires_grad)
        if memory_format is not None:
            t._data = in_memory_format(t._data, memory_format)
        return _into(out, t)
    create.__name__ = fill
    create.__doc__ = f"A new tensor filled with {'ones' if fill == 'ones' else 'zeros'}."
    return create


zeros = export("torch")(_factory("zeros"))
ones = export("torch")(_factory("ones"))
empty = export("torch")(_factory("empty"))  # zero-filled: tshell never shows stale memory


def _into(out, t):
    if out is None:
        return t
    out._data = t._data.astype(out._data.dtype)
    return out


@export("torch")
def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    """A tensor of the given size filled with fill_value (dtype inferred from it)."""
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    shape = parse_size((size,), "full")
    check_sizes_nonnegative(shape)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if isinstance(fill_value, (str, bytes)) or not isinstance(fill_value, (int, float, complex,
                                                                          np.number, np.bool_)):
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(fill_value).__name__}")
    dt = to_dtype(dtype, fn="full") or _infer_scalar(fill_value)
    require_available(dt)
    fill_value = check_fits(fill_value, dt)
    limits.check_result(shape, dt.itemsize)
    return _into(out, _finish(np.full(shape, fill_value, dt.np), device, requires_grad))


def _infer_scalar(v):
    if isinstance(v, (bool, np.bool_)):
        return bool_
    if isinstance(v, (int, np.integer)):
        return int64
    if isinstance(v, complex):
        return default_complex()
    return DEFAULTS.float_dtype


@export("torch")
def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Values from start up to (not including) end, spaced by step."""
    if end is None and start.__class__ is int and step == 1 and dtype is None and out is None \
            and start >= 0:                  # arange(n): the common case, checks done here
        limits.check_result((start,), int64.itemsize)
        return _finish(np.arange(start, dtype=np.int64), device, requires_grad)
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    for name, pos, v in (("start", 1, vals[0]), ("end", 2, vals[1]), ("step", 3, vals[2])):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.number)):
            raise TypeError(f"arange(): argument '{name if end is not None else 'end'}' "
                            f"(position {pos}) must be Number, not {type(v).__name__}")
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    is_int = all(isinstance(v, (int, np.integer)) for v in vals)
    dt = to_dtype(dtype, fn="arange") or (int64 if is_int else DEFAULTS.float_dtype)
    n = max(0, math.ceil((end - start) / step))
    limits.check_result((n,), dt.itemsize)
    if dt.category >= FLOATING and not is_int:
        data = (start + np.arange(n, dtype=np.float64) * step).astype(dt.np)
    else:
        data = np.arange(start, start + n * step, step)[:n].astype(dt.np)
    return _into(out, _finish(data, device, requires_grad))


@export("torch.range")
def range_(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Deprecated torch.range: like arange but end included."""
    if end is None:
        start, end = 0, start
    return arange(start, end + step / 2 if step > 0 else end - 1e-9, step,
                  dtype=dtype or DEFAULTS.float_dtype, device=device,
                  requires_grad=requires_grad)


@export("torch")
def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """`steps` evenly spaced values from start to end inclusive."""
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool):
        got = ", ".join(type(v).__name__ for v in (start, end, steps))
        raise TypeError(f"linspace() received an invalid combination of arguments - got "
                        f"({got}), but expected one of:\n * (Number start, Number end, int "
                        "steps, *, torch.dtype dtype = None, torch.device device = None, "
                        "bool requires_grad = False)")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = require_available(to_dtype(dtype, fn="linspace") or DEFAULTS.float_dtype)
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    limits.check_result((steps,), float64.itemsize)    # the float64 work array comes first
    data = _linspace_like_torch(start, end, steps, dt)
    if dt.category < FLOATING:
        data = np.trunc(data)
    return _into(out, _finish(data.astype(dt.np), device, requires_grad))


def _linspace_like_torch(start, end, steps, dt=None):
    # PyTorch fills the first half from start and the second half from end (symmetry).
    if steps == 1:
        return np.array([start], np.float64)
    if dt is None or dt.category == COMPLEX:
        step = (end - start) / (steps - 1)
        i = np.arange(steps, dtype=np.float64)
        half = steps // 2
        return np.where(i < half, start + step * i, end - step * (steps - 1 - i))
    return _linspace_kernel(start, end, steps, dt)


def _linspace_kernel(start, end, steps, dt):
    """linspace computed as PyTorch's CPU kernel does, so that the last bits agree.

    The kernel works in the output type (integers: start and end truncated, the step in
    double) and its `start + step * i` / `end - step * k` compile to fused multiply-adds
    (one rounding) for float32, float64 and integers; float16 and bfloat16 round after each
    operation.
    """
    i = np.arange(steps, dtype=np.int64)
    k = steps - 1 - i
    first = i < steps // 2
    if dt.itemsize <= 2 and dt.category == FLOATING:     # Half, BFloat16: op by op
        t = dt.np.type
        s, e = t(start), t(end)
        step = (e - s) / t(steps - 1)
        return np.where(first, s + step * i.astype(dt.np), e - step * k.astype(dt.np))
    if dt is float32:
        # float32 operands: the product is exact in float64, so one rounding as in an FMA
        s, e = np.float32(start), np.float32(end)
        step = np.float64((e - s) / np.float32(steps - 1))
        s, e = np.float64(s), np.float64(e)
        wide = np.float64
    else:
        if dt.category < FLOATING:
            start, end = np.trunc(start), np.trunc(end)
        s, e = float(start), float(end)
        step = (e - s) / (steps - 1)
        # the extended type keeps the product (almost always) exact before the sum rounds
        s, e, step = np.longdouble(s), np.longdouble(e), np.longdouble(step)
        wide = np.longdouble
    return np.where(first, s + step * i.astype(wide), e - step * k.astype(wide)).astype(
        np.float64)


@export("torch")
def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    dt = to_dtype(dtype, fn="logspace") or DEFAULTS.float_dtype
    start, end = (_logspace_bound(v, name) for v, name in ((start, "start"), (end, "end")))
    limits.check_result((steps,), float64.itemsize)    # the float64 work arrays come first
    data = np.power(base, _linspace_like_torch(start, end, steps)).astype(dt.np)
    return _finish(data, device, requires_grad)


def _logspace_bound(v, name):
    if not isinstance(v, Tensor):
        return v
    if v._data.ndim:
        raise RuntimeError(f"logspace only supports 0-dimensional start and end tensors, but "
                           f"got {name} with {v._data.ndim} dimension(s).")
    return v.item()


@export("torch")
def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The identity matrix (n x m)."""
    dt = to_dtype(dtype, fn="eye") or DEFAULTS.float_dtype
    m = n if m is None else m
    if n < 0 or m < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {min(n, m)}")
    limits.check_result((n, m), dt.itemsize)
    return _into(out, _finish(np.eye(n, m, dtype=dt.np), device, requires_grad))


# ---- tensor() ------------------------------------------------------------------------------

def host_array(data):
    """data itself, or the NumPy array behind an object of the array protocol (`__array__`:
    the tsh language's numpy arrays, which wrap one); tensors and sequences stay as they are."""
    if isinstance(data, (np.ndarray, Tensor, list, tuple)) or \
            not hasattr(type(data), "__array__"):
        return data
    return np.asarray(data)


# The dtypes of Python's own numbers (a float: the default dtype). A row made only of them
# (d2l's batchify builds 512 x 54 lists of ints) is read at once, not item by item.
_SCALAR_TYPES = (bool, int, float, complex)


def _scalar_dtype(cls):
    return {bool: bool_, int: int64, float: DEFAULTS.float_dtype,
            complex: default_complex()}[cls]


def _scalar_row_types(v):
    """The item types of a list or tuple made only of Python numbers, else None."""
    types = set(map(type, v))
    return types if types.issubset(_SCALAR_TYPES) else None


def _infer_dtype(data):
    """The dtype torch.tensor infers from nested data, as PyTorch's infer_scalar_type: each
    item's own (a NumPy value's or a tensor's dtype, a Python number's above; an empty list
    the default dtype), promoted along every list with promote_types."""
    def infer(v, depth):
        v = host_array(v)
        if depth > 64:
            raise ValueError("tensor(): data is nested too deeply")
        if isinstance(v, Tensor):
            return v.dtype
        if isinstance(v, (np.ndarray, np.generic)) and not isinstance(v, (str, bytes)):
            return from_numpy_dtype(v.dtype)
        if isinstance(v, _SCALAR_TYPES):       # bool before int: True is an int too
            return _scalar_dtype(next(t for t in _SCALAR_TYPES if isinstance(v, t)))
        if isinstance(v, (list, tuple)):
            if not v:
                return DEFAULTS.float_dtype
            row = _scalar_row_types(v)
            items = map(_scalar_dtype, row) if row is not None else \
                (infer(item, depth + 1) for item in v)
            return functools.reduce(promote_types, items)
        raise _not_data(v)
    return infer(data, 0)


def _nested_shape(data):
    """The shape nested lists would have, read along the first items (cheap, no scan)."""
    shape = []
    while isinstance(data, (list, tuple)) and len(shape) < 64:
        shape.append(len(data))
        if not data:
            break
        data = data[0]
    return shape


def _to_nested(v):
    v = host_array(v)
    if isinstance(v, Tensor):       # PyTorch reads a tensor inside a list as one number
        if v._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return v.item()
    if isinstance(v, (list, tuple)):
        return v if _scalar_row_types(v) is not None else [_to_nested(x) for x in v]
    return v


def _check_ragged(data):
    """PyTorch's error for ragged nested lists."""
    def shape_of(v, dim):
        if not isinstance(v, (list, tuple)) or _scalar_row_types(v) is not None:
            return
        lens = {len(x) for x in v if isinstance(x, (list, tuple))}
        if not v:
            return
        first = v[0]
        for x in v:
            if isinstance(first, (list, tuple)) != isinstance(x, (list, tuple)):
                raise TypeError(f"expected sequence at dim {dim + 1}" if isinstance(
                    first, (list, tuple)) else "new(): invalid data type 'list'")
            if isinstance(x, (list, tuple)) and len(x) != len(first):
                raise ValueError(f"expected sequence of length {len(first)} at dim {dim + 1} "
                                 f"(got {len(x)})")
        for x in v:
            shape_of(x, dim + 1)
        return lens
    shape_of(data, 0)


def _not_data(v):
    """PyTorch's error for a value torch.tensor cannot hold: text is refused by type, other
    objects because no dtype fits them."""
    if isinstance(v, (str, bytes)):
        return TypeError(f"new(): invalid data type '{type(v).__name__}'")
    return RuntimeError(f"Could not infer dtype of {type(v).__name__}")


@export("torch")
def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor copied from data (nested lists of numbers, an array or a tensor)."""
    dt = to_dtype(dtype, fn="tensor")
    data = host_array(data)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
            "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
        dt = dt or data.dtype
        arr = np.array(dense(data.detach().cpu(), max(data._data.itemsize, dt.itemsize)),
                       copy=True)
    elif isinstance(data, np.ndarray):
        dt = dt or from_numpy_dtype(data.dtype)
        limits.check_dense(data, max(data.itemsize, dt.itemsize))
        arr = np.array(data, copy=True)
    elif isinstance(data, (np.number, np.bool_)):
        dt = dt or from_numpy_dtype(np.asarray(data).dtype)
        arr = np.asarray(data)
    else:
        if isinstance(data, (str, bytes, dict, set)) or data is None:
            raise _not_data(data)
        limits.check_result(_nested_shape(data), float64.itemsize)  # NumPy goes via float64
        dt = dt or _infer_dtype(data)
        _check_ragged(data)
        try:
            arr = np.array(_to_nested(data), dtype=np.float64 if dt.category >= FLOATING
                           and dt.category < COMPLEX else None)
        except OverflowError:
            raise ValueError("Overflow when unpacking long long") from None
        if arr.dtype == object:
            raise ValueError("Overflow when unpacking long long")
        check_array_fits(arr, dt)
    require_available(dt)
    try:
        arr = arr.astype(dt.np)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    return _finish(arr, device, requires_grad)


@export("torch")
def as_tensor(data, dtype=None, device=None):
    """Like tensor(), but shares memory with a tensor or a NumPy array when it can."""
    dt = to_dtype(dtype, fn="as_tensor")
    data = host_array(data)
    if isinstance(data, Tensor):
        return data.to(dtype=dt, device=device) if (dt or device) else data
    if isinstance(data, np.ndarray) and (dt is None or dt.np == data.dtype) and \
            (device is None or as_device(device).type == "cpu"):
        return from_numpy(data)
    return tensor(data, dtype=dt, device=device)


_ASARRAY_WARNED = []     # PyTorch warns once per process


@export("torch")
def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=None):
    """obj as a tensor, sharing its memory where it can: a tensor (itself, or its copy to
    another dtype or device), a NumPy array (shared), or data as torch.tensor reads it.
    copy=True always copies, copy=False refuses to; requires_grad left out keeps a tensor's
    own (PyTorch's 2.13 default, with its warning)."""
    dt = to_dtype(dtype, fn="asarray")
    obj = host_array(obj)
    if isinstance(obj, np.ndarray) and not copy and (dt is None or dt.np == obj.dtype) and \
            (device is None or as_device(device).type == "cpu"):
        obj = from_numpy(obj)
    if not isinstance(obj, Tensor):
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        return tensor(obj, dtype=dt, device=device, requires_grad=bool(requires_grad))
    return _tensor_as_array(obj, dt, device, copy, requires_grad)


def _tensor_as_array(t, dt, device, copy, requires_grad):
    dev = None if device is None else as_device(device)
    wrong_device = dev is not None and dev != t.device
    wrong_dtype = dt is not None and dt is not t.dtype
    if copy or (copy is None and (wrong_device or wrong_dtype)):
        t = t.to(device=dev or t.device, dtype=dt or t.dtype, copy=True) \
            if wrong_device or wrong_dtype else t.clone()
    elif wrong_device:
        raise ValueError(f"can't alias tensor from device '{t.device}' to '{dev}'.")
    elif wrong_dtype:
        raise ValueError(f"can't alias tensor with dtype '{t.dtype.short}' into dtype "
                         f"'{dt.short}'.")
    if requires_grad is None:
        if t.requires_grad and not _ASARRAY_WARNED:
            _ASARRAY_WARNED.append(True)
            warnings.warn("torch.asarray: unspecified requires_grad now defaults to "
                          "obj.requires_grad instead of False. Pass requires_grad=False "
                          "explicitly to get the old behavior and silence this warning.",
                          UserWarning, stacklevel=3)
    elif t.is_leaf:
        t.requires_grad_(requires_grad)          # the same tensor, as PyTorch's own
    elif not requires_grad:
        t = t.detach()
    return t


@export("torch")
def from_numpy(ndarray):
    """A tensor on the same memory as a NumPy array."""
    ndarray = host_array(ndarray)
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    from_numpy_dtype(ndarray.dtype)
    if not ndarray.flags.writeable:
        warnings.warn("The given NumPy array is not writable, and PyTorch does not support "
                      "non-writable tensors.", UserWarning, stacklevel=2)
    return wrap(ndarray)


@export("torch")
def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    dt = to_dtype(dtype, fn="scalar_tensor") or DEFAULTS.float_dtype
    if isinstance(s, Tensor):                 # a 0-d one is a number; others, as PyTorch
        if s._data.ndim:
            raise TypeError("scalar_tensor(): argument 's' (position 1) must be Number, not "
                            "Tensor")
        s = s.item()
    return _finish(np.asarray(s, dtype=dt.np), device, requires_grad)


def scalar_tensor_like(value, like, dtype=None):
    """A 0-d tensor of a Python number on like's device, typed as a wrapped number."""
    dt = dtype or _infer_scalar(value)
    data = np.asarray(value, dtype=dt.np)
    if like.device.type != "cpu":
        data = backend_for(like.device).from_host(data, like.device)
    return wrap(data)


# ---- *_like and new_* ----------------------------------------------------------------------

def _like(maker):
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=None):
        return in_format_of(input, memory_format, maker(
            input.shape, dtype=dtype or input.dtype,
            device=device if device is not None else input.device,
            requires_grad=requires_grad))
    like.__name__ = maker.__name__ + "_like"
    return like


zeros_like = export("torch")(_like(zeros))
ones_like = export("torch")(_like(ones))
empty_like = export("torch")(_like(empty))


@export("torch")
def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return in_format_of(input, memory_format, full(
        input.shape, fill_value, dtype=dtype or input.dtype,
        device=device if device is not None else input.device, requires_grad=requires_grad))


def in_format_of(input, memory_format, result):
    """A fresh *_like result laid out as memory_format says (preserve_format: as input)."""
    fmt = as_memory_format(memory_format, preserve_format)
    result._data = relaid_like(result._data, input._data, fmt, xp_of(result._data))
    return result


def _new(maker):
    def new(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
            pin_memory=False):
        return maker(parse_size(size, new.__name__), dtype=dtype or self.dtype,
                     device=device if device is not None else self.device,
                     requires_grad=requires_grad)
    new.__name__ = "new_" + maker.__name__
    return new


new_zeros = export("Tensor")(_new(zeros))
new_ones = export("Tensor")(_new(ones))
new_empty = export("Tensor")(_new(empty))


@export("Tensor")
def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(size, fill_value, dtype=dtype or self.dtype,
                device=device if device is not None else self.device,
                requires_grad=requires_grad)


@export("Tensor")
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype,
                  device=device if device is not None else self.device,
                  requires_grad=requires_grad)


def legacy_constructor(*args, **kwargs):
    """torch.Tensor(...): sizes make an empty float tensor, data makes a float tensor."""
    device = kwargs.pop("device", None)
    if kwargs:
        raise TypeError(f"Tensor() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return legacy_new(DEFAULTS.float_dtype, args, device)


def legacy_new(dtype, args, device):
    """The legacy constructors' one rule (torch.Tensor, torch.FloatTensor, x.new): sizes
    (ints, or a torch.Size) make an empty tensor of dtype, data (a list, a tuple...) a tensor
    of dtype."""
    # data: a sequence, or an array (NumPy's, or one that converts, as tsh's np arrays)
    if len(args) == 1 and not isinstance(args[0], Size) and (
            isinstance(args[0], (list, tuple, np.ndarray, Tensor))
            or hasattr(type(args[0]), "__array__")):
        return tensor(args[0], dtype=dtype, device=device)
    return empty(*(args or (0,)), dtype=dtype, device=device)     # no sizes: 0 elements
