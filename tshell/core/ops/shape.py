"""Shape ops: views that share memory with their base, and joins/splits that copy."""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import GradMode, Node
from ..backend import xp_of
from ..dtypes import result_type_of
from ..tensor import Tensor, make_view, record, register_view, wrap
from .common import parse_size, same_device, wrap_dim, wrap_dims

VIEW_ERROR = ("view size is not compatible with input tensor's size and stride (at least one "
              "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")


def _view_of(x, array, node_cls, params):
    """A view of x over `array`, recorded with node_cls when x needs grad."""
    r = make_view(x, array)
    if x._rg:
        if GradMode.enabled:
            record(node_cls, r, (x,), params)
            register_view(r)
        else:
            r._rg = True  # PyTorch: a view of a tensor that requires grad requires grad
            r._nograd_view = True
    return r


class _ReshapeBack(Node):
    """Pure reshapes: the gradient is the incoming one reshaped to the input's shape."""
    __slots__ = ()

    def backward(self, grad):
        return grad.reshape(self.params)


ViewBackward0 = type("ViewBackward0", (_ReshapeBack,), {"__slots__": ()})
UnsafeViewBackward0 = type("UnsafeViewBackward0", (_ReshapeBack,), {"__slots__": ()})
SqueezeBackward0 = type("SqueezeBackward0", (_ReshapeBack,), {"__slots__": ()})
SqueezeBackward1 = type("SqueezeBackward1", (_ReshapeBack,), {"__slots__": ()})
SqueezeBackward2 = type("SqueezeBackward2", (_ReshapeBack,), {"__slots__": ()})
SqueezeBackward4 = type("SqueezeBackward4", (_ReshapeBack,), {"__slots__": ()})
UnsqueezeBackward0 = type("UnsqueezeBackward0", (_ReshapeBack,), {"__slots__": ()})


def infer_shape(shape, numel):
    """Resolve one -1 in shape; PyTorch's errors for a bad shape."""
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"{list(shape)}")
    known = math.prod(s for s in shape if s != -1)
    if neg:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _try_view(xd, shape):
    """The array reshaped without copying, or None when its strides forbid it."""
    try:
        return xd.reshape(shape, copy=False)
    except (ValueError, TypeError):
        if xd.flags.c_contiguous:
            return xd.reshape(shape)
        return None


def view(input, *shape):
    """The same data with a new shape; fails when the layout needs a copy."""
    if not shape:
        raise TypeError("view() missing 1 required positional argument: 'size'")
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
        from .conversion import view_as_dtype
        return view_as_dtype(input, shape[0])
    shape = infer_shape(parse_size(shape, "view"), input._data.size)
    xd = input._data
    v = _try_view(xd, shape)
    if v is None:
        raise RuntimeError(VIEW_ERROR)
    return _view_of(input, v, ViewBackward0, xd.shape)


def reshape(input, *shape):
    """view when the layout allows it, otherwise a copy."""
    shape = infer_shape(parse_size(shape, "reshape"), input._data.size)
    xd = input._data
    v = _try_view(xd, shape)
    if v is not None:
        return _view_of(input, v, ViewBackward0, xd.shape)
    c = clone(input)
    r = wrap(c._data.reshape(shape))
    if GradMode.enabled and c._rg:
        record(UnsafeViewBackward0, r, (c,), xd.shape)
    return r


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one."""
    nd = input._data.ndim
    if nd == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, nd), wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shp = input._data.shape
    return reshape(input, shp[:s] + (math.prod(shp[s:e + 1]),) + shp[e + 1:])


def unflatten(input, dim, sizes):
    d = wrap_dim(dim, input._data.ndim)
    shp = input._data.shape
    sizes = tuple(sizes)
    if sizes.count(-1) <= 1:
        known = math.prod(s for s in sizes if s != -1)
        if (known == 0 or shp[d] % known) if -1 in sizes else known != shp[d]:
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to "
                               f"the size of dim {d} ({shp[d]}) in the input tensor")
    inner = infer_shape(sizes, shp[d])
    return view(input, shp[:d] + inner + shp[d + 1:])


def squeeze(input, dim=None):
    """Remove dims of size 1 (all of them, or those named)."""
    xd = input._data
    if dim is None:
        shape = tuple(s for s in xd.shape if s != 1)
        node = SqueezeBackward0
    else:
        dims = wrap_dims(dim, xd.ndim, "squeeze") if xd.ndim else ()
        shape = tuple(s for i, s in enumerate(xd.shape) if not (i in dims and s == 1))
        node = SqueezeBackward1 if isinstance(dim, int) else SqueezeBackward2
    return _view_of(input, xd.reshape(shape), node, xd.shape)


def unsqueeze(input, dim):
    """Insert a dim of size 1 at position dim."""
    xd = input._data
    if not -xd.ndim - 1 <= dim <= xd.ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-xd.ndim - 1}, {xd.ndim}], but got {dim})")
    d = dim % (xd.ndim + 1)
    return _view_of(input, xd.reshape(xd.shape[:d] + (1,) + xd.shape[d:]),
                    UnsqueezeBackward0, xd.shape)


class PermuteBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return grad.permute(tuple(np.argsort(self.params)))


class TransposeBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return grad.transpose(*self.params)


class TBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return grad.t()


def permute(input, *dims):
    """Reorder the dims."""
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    nd = input._data.ndim
    if len(dims) != nd:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(dims)}")
    perm = tuple(wrap_dim(d, nd, "permute") for d in dims)
    if len(set(perm)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _view_of(input, input._data.transpose(perm), PermuteBackward0, perm)


def transpose(input, dim0, dim1):
    """Swap two dims."""
    nd = input._data.ndim
    if nd == 0:
        wrap_dim(dim0, 0), wrap_dim(dim1, 0)
        return _view_of(input, input._data.view(), TransposeBackward0, (0, 0))
    d0, d1 = wrap_dim(dim0, nd), wrap_dim(dim1, nd)
    return _view_of(input, input._data.swapaxes(d0, d1), TransposeBackward0, (d0, d1))


swapaxes = swapdims = transpose


def t(input):
    """Transpose of a matrix (0-d and 1-d tensors are returned as they are)."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return _view_of(input, input._data.T, TBackward0, ())


def T(input):
    """All dims reversed (`x.T`)."""
    nd = input._data.ndim
    if nd != 2:
        import warnings
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                      "shape is deprecated and it will throw an error in a future release. "
                      "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                      "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                      UserWarning, stacklevel=3)
    return permute(input, tuple(range(nd - 1, -1, -1)))


def mT(input):
    if input._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                           f"Got {input._data.ndim}-D tensor.")
    return transpose(input, -2, -1)


def movedim(input, source, destination):
    nd = input._data.ndim
    src = wrap_dims(source, nd)
    dst = wrap_dims(destination, nd)
    order = [d for d in range(nd) if d not in src]
    for s, d in sorted(zip(dst, src)):
        order.insert(s, d)
    return permute(input, tuple(order))


class ExpandBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return grad.sum_to_size(self.params)


def expand(input, *sizes):
    """Broadcast to a larger shape without copying (-1 keeps a dim)."""
    sizes = parse_size(sizes, "expand")
    xd = input._data
    if len(sizes) < xd.ndim:
        raise RuntimeError(f"expand(torch.{input.dtype.legacy}{{{list(xd.shape)}}}, "
                           f"size={list(sizes)}): the number of sizes provided "
                           f"({len(sizes)}) must be greater or equal to the number of "
                           f"dimensions in the tensor ({xd.ndim})")
    lead = len(sizes) - xd.ndim
    shape = []
    for i in reversed(range(len(sizes))):      # PyTorch checks from the last dim
        s = sizes[i]
        old = xd.shape[i - lead] if i >= lead else None
        if s == -1:
            if old is None:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            s = old
        elif old is not None and old != s and old != 1:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({old}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(xd.shape)}")
        shape.append(s)
    shape = tuple(reversed(shape))
    if shape == xd.shape:
        return _view_of(input, xd.view(), ExpandBackward0, xd.shape)
    return _view_of(input, _broadcast_view(xd, shape), ExpandBackward0, xd.shape)


def _broadcast_view(xd, shape):
    """A broadcast view: read-only where elements repeat (writes there are refused anyway)."""
    if xd.size == math.prod(shape):
        return xd.reshape(shape)  # only size-1 dims were added: an ordinary, writable view
    return xp_of(xd).broadcast_to(xd, shape)


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


class RepeatBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        in_shape, reps = self.params
        lead = len(reps) - len(in_shape)
        full = (1,) * lead + tuple(in_shape)
        split = []
        for r, s in zip(reps, full):
            split += [r, s]
        g = grad.reshape(split).sum(tuple(range(0, 2 * len(reps), 2)))
        return g.reshape(in_shape)


def repeat(input, *sizes):
    """Tile the tensor sizes[i] times along each dim."""
    reps = parse_size(sizes, "repeat")
    xd = input._data
    if len(reps) < xd.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    full = xd.reshape((1,) * (len(reps) - xd.ndim) + xd.shape)
    target = [n * k for n, k in zip(full.shape, reps)]
    bad = next((t for t in target if t < 0), None)
    if bad is not None:
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {target}")
    limits.check_result(target, xd.itemsize)
    r = wrap(xp_of(xd).tile(full, reps))
    if GradMode.enabled and input._rg:
        record(RepeatBackward0, r, (input,), (xd.shape, reps))
    return r


class CloneBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return grad


def clone(input, *, memory_format=None):
    """A copy with its own memory (contiguous)."""
    xd = input._data
    order = "C" if memory_format == "contiguous" or _overlaps(xd) else "K"
    limits.check_result(xd.shape, xd.itemsize)   # an expanded view may be huge
    r = wrap(xd.copy(order=order))
    if GradMode.enabled and input._rg:
        record(CloneBackward0, r, (input,))
    return r


def _overlaps(xd):
    """Expanded (stride-0) layouts are copied densely, as PyTorch does."""
    return any(s == 0 for s, n in zip(xd.strides, xd.shape) if n > 1)


def contiguous(input, memory_format=None):
    """self when already contiguous, else a contiguous copy."""
    if input._data.flags.c_contiguous:
        return input
    return clone(input, memory_format="contiguous")


# ---- joins and splits ----------------------------------------------------------------------

class CatBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        dim, sizes = self.params
        out, start = [], 0
        for s in sizes:
            out.append(grad.narrow(dim, start, s))
            start += s
        return tuple(out)


def _tensor_list(tensors, fn):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    if not tensors:
        if fn == "stack":
            raise RuntimeError("stack expects a non-empty TensorList")
        raise ValueError(f"torch.{fn}(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    same_device(*tensors)
    return list(tensors)


def _common_dtype(tensors):
    return result_type_of([t.dtype for t in tensors], [], [])


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dim."""
    ts = _tensor_list(tensors, "cat")
    # Legacy rule: 1-d empty tensors are skipped.
    parts = [t for t in ts if not (t._data.ndim == 1 and t._data.size == 0)] or ts[:1]
    for i, t in enumerate(ts):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    nd = parts[0]._data.ndim
    d = wrap_dim(dim, nd)
    ref = parts[0]._data.shape
    for t in parts:
        s = t._data.shape
        number = next(i for i, u in enumerate(ts) if u is t)
        if len(s) != nd:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and "
                               f"{len(s)}")
        for k in range(nd):
            if k != d and s[k] != ref[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref[k]} but got size {s[k]} for tensor "
                                   f"number {number} in the list.")
    dt = _common_dtype(ts)
    limits.check_result(ref[:d] + (sum(t._data.shape[d] for t in parts),) + ref[d + 1:],
                        dt.itemsize)
    xp = xp_of(parts[0]._data)
    r = wrap(xp.concatenate([t._data.astype(dt.np, copy=False) for t in parts], axis=d))
    if GradMode.enabled and any(t._rg for t in parts):
        record(CatBackward0, r, tuple(parts), (d, [t._data.shape[d] for t in parts]))
    if out is not None:
        from .pointwise import _finish_out
        return _finish_out(r, out, "cat", tuple(parts))
    return r


concat = concatenate = cat


class StackBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        dim, n = self.params
        return tuple(grad.select(dim, i) for i in range(n))


def stack(tensors, dim=0, *, out=None):
    """Join tensors along a new dim."""
    ts = _tensor_list(tensors, "stack")
    shape = ts[0]._data.shape
    for i, t in enumerate(ts):
        if t._data.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shape)} at entry 0 and {list(t._data.shape)} at entry "
                               f"{i}")
    d = dim if dim >= 0 else dim + len(shape) + 1
    if not 0 <= d <= len(shape):
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-len(shape) - 1}, {len(shape)}], but got {dim})")
    dt = _common_dtype(ts)
    limits.check_result((len(ts),) + shape, dt.itemsize)
    xp = xp_of(ts[0]._data)
    r = wrap(xp.stack([t._data.astype(dt.np, copy=False) for t in ts], axis=d))
    if GradMode.enabled and any(t._rg for t in ts):
        record(StackBackward0, r, tuple(ts), (d, len(ts)))
    if out is not None:
        from .pointwise import _finish_out
        return _finish_out(r, out, "stack", tuple(ts))
    return r


def hstack(tensors):
    ts = _tensor_list(tensors, "hstack")
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


def vstack(tensors):
    ts = [t.unsqueeze(0) if t.ndim == 1 else t for t in _tensor_list(tensors, "vstack")]
    return cat(ts, 0)


class SliceBackward0(Node):
    """narrow: the gradient lands in the slice's slot of a zero tensor."""
    __slots__ = ()

    def backward(self, grad):
        from .indexing import embed
        shape, dim, start, length = self.params
        idx = (slice(None),) * dim + (slice(start, start + length),)
        return embed(grad, shape, idx)


class SplitBackward0(Node):
    """split/chunk: one node with an output per piece; missing piece gradients are zeros."""
    __slots__ = ("n_outputs",)

    def backward(self, grads):
        shape, dim, sizes = self.params
        ref = next(g for g in grads if g is not None)
        parts = []
        for g, s in zip(grads, sizes):
            if g is None:
                piece = list(shape)
                piece[dim] = s
                g = ref.new_zeros(piece)
            parts.append(g)
        return cat(parts, dim)


class UnbindBackward0(Node):
    __slots__ = ("n_outputs",)

    def backward(self, grads):
        shape, dim = self.params
        ref = next(g for g in grads if g is not None)
        piece = shape[:dim] + shape[dim + 1:]
        return stack([g if g is not None else ref.new_zeros(piece) for g in grads], dim)


def narrow(input, dim, start, length):
    """The slice [start, start+length) of dim, as a view."""
    xd = input._data
    d = wrap_dim(dim, xd.ndim)
    size = xd.shape[d]
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start < 0:
        start += size
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    idx = (slice(None),) * d + (slice(start, start + length),)
    return _view_of(input, xd[idx], SliceBackward0, (xd.shape, d, start, length))


def _multi_output(input, arrays, node_cls, params):
    """Views of input, each one output of a single node (as PyTorch's split/unbind)."""
    out = tuple(make_view(input, a) for a in arrays)
    if GradMode.enabled and input._rg:
        record(node_cls, out[0], (input,), params)
        node = out[0]._fn
        node.n_outputs = len(out)
        for i, t in enumerate(out):
            t._fn, t._nr, t._rg = node, i, True
    elif input._rg:
        for t in out:
            t._rg = t._nograd_view = True
    return out


def _pieces(input, sizes, d):
    xd = input._data
    arrays, start = [], 0
    for s in sizes:
        arrays.append(xd[(slice(None),) * d + (slice(start, start + s),)])
        start += s
    return _multi_output(input, arrays, SplitBackward0, (xd.shape, d, list(sizes)))


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of a given size (the last may be smaller), or of the listed sizes."""
    xd = tensor._data
    d = wrap_dim(dim, xd.ndim)
    n = xd.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = list(split_size_or_sections)
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
    else:
        step = int(split_size_or_sections)
        if step <= 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        sizes = [min(step, n - i) for i in range(0, n, step)] if n else [0]
    return _pieces(tensor, sizes, d)


def chunk(input, chunks, dim=0):
    """Split into `chunks` pieces of equal size (the last may be smaller)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: "
                           f"{chunks}")
    n = input._data.shape[wrap_dim(dim, input._data.ndim)]
    step = max(1, -(-n // chunks))
    return split(input, step, dim)


def unbind(input, dim=0):
    """The slices along dim, each without that dim."""
    xd = input._data
    d = wrap_dim(dim, xd.ndim)
    arrays = [xd[(slice(None),) * d + (i, Ellipsis)] for i in range(xd.shape[d])]
    return _multi_output(input, arrays, UnbindBackward0, (xd.shape, d))


class FlipBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return grad.flip(self.params)


def flip(input, *dims):
    """Reverse the order along dims (a copy, as in PyTorch); x.flip(0, 1) = x.flip((0, 1))."""
    if len(dims) == 1:
        dims = dims[0]
    axes = wrap_dims(dims, input._data.ndim, "flip")
    xd = input._data
    r = wrap(xp_of(xd).flip(xd, axis=axes).copy())
    if GradMode.enabled and input._rg:
        record(FlipBackward0, r, (input,), axes)
    return r


class RollBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shifts, dims = self.params
        return roll(grad, tuple(-s for s in shifts) if dims is not None else -shifts[0], dims)


def roll(input, shifts, dims=None):
    """Shift the entries along dims, wrapping around (dims None: over the flattened tensor)."""
    xd = input._data
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is not None:
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:{len(dims)}")
        dims = tuple(wrap_dim(d, xd.ndim) for d in dims)
    elif len(shifts) != 1:
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
    xp = xp_of(xd)
    r = wrap(xp.roll(xd, shifts if dims is not None else shifts[0], axis=dims))
    if GradMode.enabled and input._rg:
        record(RollBackward0, r, (input,), (shifts, dims))
    return r
