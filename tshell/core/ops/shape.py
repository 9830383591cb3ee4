"""Shape ops: views that share memory with their base, and joins/splits that copy."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative, output_grads
from ..backend import is_writeable, strided_view, xp_of
from ..dtypes import INTEGRAL, result_type_of
from ..forward_ad import propagate_outputs
from ..layouts import as_memory_format, check_rank, contiguous_format, copy_in_format
from ..layouts import memory_format as MemoryFormat
from ..registry import export
from ..tensor import (Duals, Size, Tensor, make_view, record, record_if, register_view,
                      wrap)
from .common import (broadcast_error, dense, finish_out, parse_size, same_device, wrap_dim,
                     wrap_dims)
from .conversion import view_as_dtype
from .creation import arange
from .indexing import _int, embed, index_select
from .inplace import check_inplace, move_retained
from .pointwise import conj_view

VIEW_ERROR = ("view size is not compatible with input tensor's size and stride (at least one "
              "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")


def _view_of(x, array, node_cls, params):
    """A view of x over `array`, recorded with node_cls when x needs grad."""
    r = make_view(x, array)
    if x._rg:
        if GradMode.enabled:
            record(node_cls, r, (x,), params)
            register_view(r)
            return r
        r._rg = True  # PyTorch: a view of a tensor that requires grad requires grad
        r._nograd_view = True
    if Duals:
        Duals.propagate(node_cls, r, (x,), params, (), False)
    return r


@derivative
def _ReshapeBack(node, grad):
    """Pure reshapes: the gradient is the incoming one reshaped to the input's shape."""
    return grad.reshape(node.params)


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


@export("Tensor")
def view(input, *size):
    """The same data with a new shape; fails when the layout needs a copy."""
    if not size:
        raise TypeError("view() missing 1 required positional argument: 'size'")
    if len(size) == 1 and not isinstance(size[0], (int, np.integer, tuple, list)):
        return view_as_dtype(input, size[0])
    shape = infer_shape(parse_size(size, "view"), input._data.size)
    xd = input._data
    v = _try_view(xd, shape)
    if v is None:
        raise RuntimeError(VIEW_ERROR)
    return _view_of(input, v, ViewBackward0, xd.shape)


@export("torch", "Tensor")
def reshape(input, *shape):
    """view when the layout allows it, otherwise a copy."""
    if not shape:
        raise TypeError('reshape() missing 1 required positional arguments: "shape"')
    shape = infer_shape(parse_size(shape, "reshape", "shape"), input._data.size)
    xd = input._data
    v = _try_view(xd, shape)
    if v is not None:
        return _view_of(input, v, ViewBackward0, xd.shape)
    c = clone(input)
    return record_if(UnsafeViewBackward0, wrap(c._data.reshape(shape)), (c,), xd.shape)


@export("torch", "Tensor")
def view_as(input, other):
    return view(input, other.shape)


@export("Tensor")
def reshape_as(input, other):
    return reshape(input, other.shape)


@export("torch", "Tensor")
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


@export("torch", "Tensor")
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


@export("torch", "Tensor")
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


@export("torch", "Tensor")
def unsqueeze(input, dim):
    """Insert a dim of size 1 at position dim."""
    xd = input._data
    if not -xd.ndim - 1 <= dim <= xd.ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-xd.ndim - 1}, {xd.ndim}], but got {dim})")
    d = dim % (xd.ndim + 1)
    return _view_of(input, xd.reshape(xd.shape[:d] + (1,) + xd.shape[d:]),
                    UnsqueezeBackward0, xd.shape)


@derivative
def PermuteBackward0(node, grad):
    return grad.permute(tuple(np.argsort(node.params)))


@derivative
def TransposeBackward0(node, grad):
    return grad.transpose(*node.params)


@derivative
def TBackward0(node, grad):
    return grad.t()


@export("torch", "Tensor")
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


@export("torch", "Tensor", "torch.swapaxes", "Tensor.swapaxes", "torch.swapdims",
        "Tensor.swapdims")
def transpose(input, dim0, dim1):
    """Swap two dims."""
    nd = input._data.ndim
    if nd == 0:
        wrap_dim(dim0, 0), wrap_dim(dim1, 0)
        return _view_of(input, input._data.view(), TransposeBackward0, (0, 0))
    d0, d1 = wrap_dim(dim0, nd), wrap_dim(dim1, nd)
    return _view_of(input, input._data.swapaxes(d0, d1), TransposeBackward0, (d0, d1))


@export("torch", "Tensor")
def t(input):
    """Transpose of a matrix (0-d and 1-d tensors are returned as they are)."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return _view_of(input, input._data.T, TBackward0, ())


@export("Tensor", as_property=True)
def T(input):
    """All dims reversed (`x.T`)."""
    nd = input._data.ndim
    if nd != 2:
        warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                      "shape is deprecated and it will throw an error in a future release. "
                      "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                      "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.",
                      UserWarning, stacklevel=3)
    return permute(input, tuple(range(nd - 1, -1, -1)))


@export("Tensor", as_property=True)
def mT(input):
    if input._data.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                           f"Got {input._data.ndim}-D tensor.")
    return transpose(input, -2, -1)


@export("Tensor", as_property=True)
def H(input):
    """The conjugate transpose of a matrix (`x.H`); a 0-d tensor is only conjugated."""
    nd = input._data.ndim
    if nd == 0:
        # PyTorch warns once per process; Python's warning filters decide here, as for x.T
        warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
                      UserWarning, stacklevel=2)
        return conj_view(input) if input.dtype.is_complex else input
    if nd != 2:
        hint = " For batches of matrices, consider using tensor.mH" if nd > 2 else ""
        raise RuntimeError("tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{nd}-D tensor.{hint}")
    r = transpose(input, 0, 1)
    return conj_view(r) if r.dtype.is_complex else r


def _batched_adjoint(input, what):
    if input._data.ndim < 2:
        raise RuntimeError(f"tensor.{what} is only supported on matrices or batches of "
                           f"matrices. Got {input._data.ndim}-D tensor.")
    r = transpose(input, -2, -1)
    return conj_view(r) if r.dtype.is_complex else r


@export("Tensor", as_property=True)
def mH(input):
    """The conjugate transpose of each matrix in a batch."""
    return _batched_adjoint(input, "mH")


@export("torch", "Tensor")
def adjoint(input):
    """The conjugate transpose of each matrix in a batch (x.mH)."""
    return _batched_adjoint(input, "adjoint()")


@export("torch", "Tensor", "torch.moveaxis", "Tensor.moveaxis")
def movedim(input, source, destination):
    nd = input._data.ndim
    src = wrap_dims(source, nd)
    dst = wrap_dims(destination, nd)
    order = [d for d in range(nd) if d not in src]
    for s, d in sorted(zip(dst, src)):
        order.insert(s, d)
    return permute(input, tuple(order))


@derivative
def ExpandBackward0(node, grad):
    return grad.sum_to_size(node.params)


@export("torch", "Tensor")
def expand(input, *size):
    """Broadcast to a larger shape without copying (-1 keeps a dim)."""
    sizes = parse_size(size, "expand")
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
    if xd.size == math.prod(shape):   # only size-1 dims were added: an ordinary, writable view
        view = xd.reshape(shape)
    else:
        view = xp_of(xd).broadcast_to(xd, shape)
    if 1 not in shape or not xd.ndim:
        return view                   # NumPy's strides are PyTorch's
    strides = _expanded_strides(xd, shape)
    return view if strides == view.strides else strided_view(view, shape, strides)


def _expanded_strides(xd, shape):
    """PyTorch's strides for xd expanded to shape (in bytes): 0 where a dim grows and for
    every dim of a 0-d xd; a dim that keeps its size keeps its stride; a new dim of size 1
    gets the stride of the dims inside it (NumPy gives every size-1 dim 0: only .stride()
    and dim_order tell)."""
    lead = len(shape) - xd.ndim
    strides = [0] * len(shape)
    if not xd.ndim:
        return tuple(strides)
    inner = xd.itemsize                       # size * stride of the dim inside, in bytes
    for i in reversed(range(len(shape))):
        size, stride = (xd.shape[i - lead], xd.strides[i - lead]) if i >= lead else (1, inner)
        strides[i] = stride if size == shape[i] else 0
        inner = shape[i] * strides[i]
    return tuple(strides)


@export("Tensor")
def expand_as(input, other):
    return expand(input, other.shape)


@export("torch", "Tensor")
def broadcast_to(input, size):
    return expand(input, size)


@derivative
def RepeatBackward0(node, grad):
    in_shape, reps = node.params
    lead = len(reps) - len(in_shape)
    full = (1,) * lead + tuple(in_shape)
    split = []
    for r, s in zip(reps, full):
        split += [r, s]
    g = grad.reshape(split).sum(tuple(range(0, 2 * len(reps), 2)))
    return g.reshape(in_shape)


@export("torch", "Tensor")
def repeat(input, *repeats):
    """Tile the tensor repeats[i] times along each dim."""
    reps = parse_size(repeats, "repeat", "repeats")
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
    dense(input)                        # NumPy's tile copies the input whole first
    return record_if(RepeatBackward0, wrap(xp_of(xd).tile(full, reps)), (input,),
                     (xd.shape, reps))


@derivative(jvp=staticmethod(lambda inputs, tangents, out, params: tangents[0].clone()))
def CloneBackward0(node, grad):
    return grad


@export("torch", "Tensor")
def clone(input, *, memory_format=None):
    """A copy with its own memory (contiguous)."""
    xd = dense(input)
    if isinstance(memory_format, MemoryFormat) and memory_format.order is not None:
        return record_if(CloneBackward0, wrap(copy_in_format(xp_of(xd), xd,
                                                             memory_format)), (input,))
    order = "C" if memory_format in ("contiguous", contiguous_format) or _overlaps(xd) else "K"
    return record_if(CloneBackward0, wrap(xd.copy(order=order)), (input,))


def _overlaps(xd):
    """Expanded (stride-0) layouts are copied densely, as PyTorch does."""
    return any(s == 0 for s, n in zip(xd.strides, xd.shape) if n > 1)


@export("Tensor")
def contiguous(input, memory_format=None):
    """self when already contiguous (in memory_format), else a contiguous copy."""
    fmt = as_memory_format(memory_format)
    check_rank(fmt, input._data.ndim)
    if input.is_contiguous(memory_format=fmt):
        return input
    return clone(input, memory_format="contiguous" if fmt.order is None else fmt)


# ---- joins and splits ----------------------------------------------------------------------

def _joined_tangents(inputs, tangents, out):
    """The tangents of a join's inputs in its result's dtype, zeros for an input without one
    (PyTorch's formulas join the tangents as the inputs were joined)."""
    return [(x.new_zeros(x.shape, dtype=out.dtype) if t is None else t.to(out.dtype))
            for x, t in zip(inputs, tangents)]


def _cat_jvp(inputs, tangents, out, params):
    return cat(_joined_tangents(inputs, tangents, out), params[0])


def _stack_jvp(inputs, tangents, out, params):
    return stack(_joined_tangents(inputs, tangents, out), params[0])


@derivative(jvp=staticmethod(_cat_jvp))
def CatBackward0(node, grad):
    dim, sizes = node.params
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


@export("torch", "torch.concat", "torch.concatenate")
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
    limits.check_result_of(parts[0]._data, ref[:d] + (sum(t._data.shape[d] for t in parts),)
                           + ref[d + 1:], dt.itemsize)
    xp = xp_of(parts[0]._data)
    r = wrap(xp.concatenate([t._data.astype(dt.np, copy=False) for t in parts], axis=d))
    record_if(CatBackward0, r, parts, (d, [t._data.shape[d] for t in parts]))
    if out is not None:
        return finish_out(r, out, "cat", tuple(parts))
    return r


@derivative(jvp=staticmethod(_stack_jvp))
def StackBackward0(node, grad):
    dim, n = node.params
    return tuple(grad.select(dim, i) for i in range(n))


@export("torch")
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
    limits.check_result_of(ts[0]._data, (len(ts),) + shape, dt.itemsize)
    xp = xp_of(ts[0]._data)
    r = wrap(xp.stack([t._data.astype(dt.np, copy=False) for t in ts], axis=d))
    record_if(StackBackward0, r, ts, (d, len(ts)))
    if out is not None:
        return finish_out(r, out, "stack", tuple(ts))
    return r


@export("torch")
def hstack(tensors):
    ts = _tensor_list(tensors, "hstack")
    return cat(ts, 0 if ts[0].ndim == 1 else 1)


@export("torch", "torch.row_stack")
def vstack(tensors):
    ts = [t.unsqueeze(0) if t.ndim == 1 else t for t in _tensor_list(tensors, "vstack")]
    return cat(ts, 0)


@derivative
def SliceBackward0(node, grad):
    """narrow: the gradient lands in the slice's slot of a zero tensor."""
    shape, dim, start, length = node.params
    idx = (slice(None),) * dim + (slice(start, start + length),)
    return embed(grad, shape, idx)


@derivative(slots=("n_outputs",))
def SplitBackward0(node, grads):
    """split/chunk: one node with an output per piece; missing piece gradients are zeros."""
    shape, dim, sizes = node.params
    grads = output_grads(node, grads)     # a split into one piece, unbind of a size-1 dim
    ref = next(g for g in grads if g is not None)
    parts = []
    for g, s in zip(grads, sizes):
        if g is None:
            piece = list(shape)
            piece[dim] = s
            g = ref.new_zeros(piece)
        parts.append(g)
    return cat(parts, dim)


# split with listed sizes, and the unsafe_ forms (outputs autograd does not track as views)
SplitWithSizesBackward0 = type("SplitWithSizesBackward0", (SplitBackward0,), {"__slots__": ()})
UnsafeSplitBackward0 = type("UnsafeSplitBackward0", (SplitBackward0,), {"__slots__": ()})
UnsafeSplitWithSizesBackward0 = type("UnsafeSplitWithSizesBackward0", (SplitBackward0,),
                                     {"__slots__": ()})


@derivative(slots=("n_outputs",))
def UnbindBackward0(node, grads):
    shape, dim = node.params
    grads = output_grads(node, grads)     # a split into one piece, unbind of a size-1 dim
    ref = next(g for g in grads if g is not None)
    piece = shape[:dim] + shape[dim + 1:]
    return stack([g if g is not None else ref.new_zeros(piece) for g in grads], dim)


# ---- unfold: sliding windows as a view -----------------------------------------------------

@derivative
def UnfoldBackward0(node, grad):
    return unfold_backward(grad, *node.params)


@derivative
def UnfoldBackwardBackward0(node, grad):
    _, dim, size, step = node.params
    return unfold(grad, dim, size, step)


@export("Tensor")
def unfold(input, dimension, size, step):
    """The windows of `size` elements, `step` apart, along `dimension`: a view whose
    `dimension` counts the windows and whose new last dim runs through each window."""
    xd = input._data
    d = wrap_dim(dimension, xd.ndim)
    length = xd.shape[d] if xd.ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is "
                           f"{size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    item = xd.itemsize
    if xd.ndim:
        shape = xd.shape[:d] + ((length - size) // step + 1,) + xd.shape[d + 1:] + (size,)
        strides = (xd.strides[:d] + (xd.strides[d] * step,) + xd.strides[d + 1:]
                   + (xd.strides[d],))
    else:
        shape, strides = (size,), (item,)
    return _view_of(input, strided_view(xd, shape, strides), UnfoldBackward0,
                    (xd.shape, d, size, step))


def unfold_backward(grad, input_shape, dim, size, step):
    """The gradient of unfold: each window's gradient added back where its elements came from
    (PyTorch's unfold_backward, with its own derivative: unfold again)."""
    gd = grad._data
    result = grad.new_zeros(input_shape)          # on grad's device, with its dtype
    out = result._data
    if not input_shape:                  # a 0-d input: one window of at most one element
        out[...] = gd.sum()
    else:
        windows = gd.shape[dim]
        for k in range(size):            # the k-th element of every window, in one slice
            place = [slice(None)] * len(input_shape)
            place[dim] = slice(k, k + (windows - 1) * step + 1, step)
            out[tuple(place)] += gd[..., k]
    return record_if(UnfoldBackwardBackward0, result, (grad,),
                     (input_shape, dim, size, step))


@export("torch", "Tensor")
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


@derivative
def NarrowCopyBackward0(node, grad):
    shape, idx = node.params
    return embed(grad, shape, idx)


@export("torch", "Tensor")
def narrow_copy(input, dim, start, length):
    """narrow(), as a new tensor rather than a view."""
    xd = input._data
    if xd.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if isinstance(dim, int) and not -xd.ndim <= dim < xd.ndim:
        raise RuntimeError("Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, "
                           "but got false.  (Could this error message be improved?  If so, "
                           "please report an enhancement request to PyTorch.)")
    view = narrow(input.detach(), dim, _int(start), _int(length))
    d = wrap_dim(dim, xd.ndim)
    s = _int(start) % xd.shape[d] if xd.shape[d] else 0
    return record_if(NarrowCopyBackward0, wrap(dense(view).copy()), (input,),
                     (xd.shape, (slice(None),) * d + (slice(s, s + _int(length)),)))


def _multi_output(input, arrays, node_cls, params):
    """Views of input, each one output of a single node (as PyTorch's split/unbind)."""
    out = tuple(make_view(input, a) for a in arrays)
    # not record_if: the views need grad in no_grad mode too, and every output takes the node
    if GradMode.enabled and input._rg:
        record(node_cls, out[0], (input,), params)
        node = out[0]._fn
        node.n_outputs = len(out)
        for i, t in enumerate(out):
            t._fn, t._nr, t._rg = node, i, True
    elif input._rg:
        for t in out:
            t._rg = t._nograd_view = True
    if Duals:        # each piece's tangent: the same view of the input's tangent
        propagate_outputs(node_cls, out, (input,), params)
    return out


def _pieces(input, sizes, d, node_cls):
    limits.check_count(len(sizes), "split")
    xd = input._data
    arrays, start = [], 0
    for s in sizes:
        arrays.append(xd[(slice(None),) * d + (slice(start, start + s),)])
        start += s
    return _multi_output(input, arrays, node_cls, (xd.shape, d, list(sizes)))


def _listed_sizes(sizes, n, d):
    sizes = list(sizes)
    if sum(sizes) != n:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                           f"(input tensor's size at dimension {d}), but got "
                           f"split_sizes={sizes}")
    return sizes


def _step_sizes(step, n):
    step = int(step)
    if step <= 0 and n:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                           f"dimension size of {n}")
    return [min(step, n - i) for i in range(0, n, step)] if n else [0]


@export("torch", "Tensor")
def split(tensor, split_size_or_sections, dim=0):
    """Pieces of a given size (the last may be smaller), or of the listed sizes."""
    if isinstance(split_size_or_sections, (list, tuple)):
        return split_with_sizes(tensor, split_size_or_sections, dim)
    d = wrap_dim(dim, tensor._data.ndim)
    return _pieces(tensor, _step_sizes(split_size_or_sections, tensor._data.shape[d]), d,
                   SplitBackward0)


@export("torch", "Tensor")
def split_with_sizes(input, split_sizes, dim=0):
    """Pieces of the listed sizes along dim."""
    d = wrap_dim(dim, input._data.ndim)
    return _pieces(input, _listed_sizes(split_sizes, input._data.shape[d], d), d,
                   SplitWithSizesBackward0)


@export("torch", "Tensor")
def unsafe_split(input, split_size, dim=0):
    """split, recorded as PyTorch's unsafe_split (UnsafeSplitBackward0)."""
    d = wrap_dim(dim, input._data.ndim)
    return _pieces(input, _step_sizes(split_size, input._data.shape[d]), d,
                   UnsafeSplitBackward0)


@export("torch", "Tensor")
def unsafe_split_with_sizes(input, split_sizes, dim=0):
    """split_with_sizes, recorded as PyTorch's unsafe_split_with_sizes."""
    d = wrap_dim(dim, input._data.ndim)
    return _pieces(input, _listed_sizes(split_sizes, input._data.shape[d], d), d,
                   UnsafeSplitWithSizesBackward0)


@export("torch", "Tensor")
def unsafe_chunk(input, chunks, dim=0):
    """chunk, recorded as PyTorch's unsafe_chunk (an unsafe_split)."""
    return unsafe_split(input, _chunk_step(input, chunks, dim), dim)


def _chunk_step(input, chunks, dim):
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: "
                           f"{chunks}")
    n = input._data.shape[wrap_dim(dim, input._data.ndim)]
    return max(1, -(-n // chunks))


@export("torch", "Tensor")
def chunk(input, chunks, dim=0):
    """Split into `chunks` pieces of equal size (the last may be smaller)."""
    return split(input, _chunk_step(input, chunks, dim), dim)


@export("torch", "Tensor")
def unbind(input, dim=0):
    """The slices along dim, each without that dim."""
    xd = input._data
    d = wrap_dim(dim, xd.ndim)
    limits.check_count(xd.shape[d], "unbind")
    arrays = [xd[(slice(None),) * d + (i, Ellipsis)] for i in range(xd.shape[d])]
    return _multi_output(input, arrays, UnbindBackward0, (xd.shape, d))


@derivative
def FlipBackward0(node, grad):
    return grad.flip(node.params)


@export("torch", "Tensor")
def flip(input, *dims):
    """Reverse the order along dims (a copy, as in PyTorch); x.flip(0, 1) = x.flip((0, 1))."""
    if not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    if len(dims) == 1:
        dims = dims[0]
    axes = wrap_dims(dims, input._data.ndim, "flip")
    xd = dense(input)
    return record_if(FlipBackward0, wrap(xp_of(xd).flip(xd, axis=axes).copy()), (input,),
                     axes)


@derivative
def RollBackward0(node, grad):
    shifts, dims = node.params
    return roll(grad, tuple(-s for s in shifts) if dims is not None else -shifts[0], dims)


@export("torch", "Tensor")
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
    xd = dense(input)
    xp = xp_of(xd)
    r = wrap(xp.roll(xd, shifts if dims is not None else shifts[0], axis=dims))
    return record_if(RollBackward0, r, (input,), (shifts, dims))


# ---- triangles and diagonals -----------------------------------------------------------------

def _int_arg(value, fn, name, pos):
    """PyTorch's TypeError for an int argument given as another type."""
    if isinstance(value, Tensor) and value._data.ndim == 0 and value.dtype.category <= INTEGRAL:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be int, not "
                        f"{type(value).__name__}")
    return int(value)


@derivative
def TrilBackward0(node, grad):
    return tril(grad, node.params)


@derivative
def TriuBackward0(node, grad):
    return triu(grad, node.params)


def _triangle(input, diagonal, fn, node_cls):
    k = _int_arg(diagonal, fn, "diagonal", 2)
    xd = input._data
    if xd.ndim < 2:
        raise RuntimeError(f"{fn}: input tensor must have at least 2 dimensions")
    xd = dense(input)
    return record_if(node_cls, wrap(getattr(xp_of(xd), fn)(xd, k)), (input,), k)


@export("torch", "Tensor", "Tensor_")
def tril(input, diagonal=0, *, out=None):
    """The lower triangle (on and below the k-th diagonal) of the last two dims; zeros above."""
    return finish_out(_triangle(input, diagonal, "tril", TrilBackward0), out, "tril", (input,))


@export("torch", "Tensor", "Tensor_")
def triu(input, diagonal=0, *, out=None):
    """The upper triangle (on and above the k-th diagonal) of the last two dims; zeros below."""
    return finish_out(_triangle(input, diagonal, "triu", TriuBackward0), out, "triu", (input,))


def _diag_dims(nd, dim1, dim2):
    d1, d2 = wrap_dim(dim1, nd), wrap_dim(dim2, nd)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def _diagonal_array(xd, offset, d1, d2):
    """The offset-th diagonal of dims d1, d2 (as the last dim): a view, writable when xd is
    (NumPy hands out diagonals read-only; PyTorch's diagonal is an ordinary view)."""
    d = xd.diagonal(offset, d1, d2)
    if not is_writeable(d) and is_writeable(xd):
        d.flags.writeable = True
    return d


def _diagonal_grad(grad, shape, offset, d1, d2):
    """Zeros of shape with grad written into the diagonal (diagonal's and trace's backward)."""
    z = grad.new_zeros(shape)
    diagonal(z, offset, d1, d2).copy_(grad)
    return z


@derivative
def DiagonalBackward0(node, grad):
    return _diagonal_grad(grad, *node.params)


DiagonalBackward0_copy = type("DiagonalBackward0_copy", (DiagonalBackward0,), {"__slots__": ()})


@export("torch", "Tensor")
def diagonal(input, offset=0, dim1=0, dim2=1):
    """The offset-th diagonal of dims dim1, dim2 as the last dim (a view)."""
    offset = _int_arg(offset, "diagonal", "offset", 2)
    xd = input._data
    d1, d2 = _diag_dims(xd.ndim, dim1, dim2)
    return _view_of(input, _diagonal_array(xd, offset, d1, d2), DiagonalBackward0,
                    (xd.shape, offset, d1, d2))


@derivative
def DiagEmbedBackward0(node, grad):
    return diagonal(grad, *node.params)


@export("torch", "Tensor")
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """A tensor whose (dim1, dim2) offset-diagonals hold the last dim of input; zeros elsewhere."""
    offset = _int_arg(offset, "diag_embed", "offset", 2)
    xd = input._data
    nd = xd.ndim + 1
    d1, d2 = _diag_dims(nd, dim1, dim2)
    n = xd.shape[-1] + abs(offset)
    rest = iter(xd.shape[:-1])
    shape = tuple(n if i in (d1, d2) else next(rest) for i in range(nd))
    limits.check_result(shape, xd.itemsize)
    z = xp_of(xd).zeros(shape, dtype=xd.dtype)
    _diagonal_array(z, offset, d1, d2)[...] = xd
    return record_if(DiagEmbedBackward0, wrap(z), (input,), (offset, d1, d2))


@export("torch", "Tensor")
def diag(input, diagonal=0, *, out=None):
    """1-D: the square matrix with input on its diagonal-th diagonal; 2-D: that diagonal."""
    k = _int_arg(diagonal, "diag", "diagonal", 2)
    nd = input._data.ndim
    if nd == 1:
        r = diag_embed(input, k, 0, 1)
    elif nd == 2:
        xd = input._data
        r = record_if(DiagonalBackward0_copy, wrap(_diagonal_array(xd, k, 0, 1).copy()),
                      (input,), (xd.shape, k, 0, 1))
    else:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")
    return finish_out(r, out, "diag", (input,))


# ---- in-place shape changes (t_, transpose_, squeeze_, unsqueeze_) ----------------------------

TBackward1 = type("TBackward1", (TBackward0,), {"__slots__": ()})
TransposeBackward1 = type("TransposeBackward1", (TransposeBackward0,), {"__slots__": ()})
UnsqueezeBackward1 = type("UnsqueezeBackward1", (_ReshapeBack,), {"__slots__": ()})
SqueezeBackward3 = type("SqueezeBackward3", (_ReshapeBack,), {"__slots__": ()})
SqueezeBackward5 = type("SqueezeBackward5", (_ReshapeBack,), {"__slots__": ()})

_INPLACE_NODES = {TBackward0: TBackward1, TransposeBackward0: TransposeBackward1,
                  UnsqueezeBackward0: UnsqueezeBackward1, SqueezeBackward0: SqueezeBackward3,
                  SqueezeBackward1: SqueezeBackward4, SqueezeBackward2: SqueezeBackward5}


def _restride(self, view_fn, *args):
    """self takes the shape and strides of view_fn(self, *args): same memory, new layout.

    Autograd sees the out-of-place view applied to self's old value (PyTorch's TBackward1,
    SqueezeBackward3...); leaves that require grad are refused as for any in-place op.
    """
    recording = check_inplace(self)
    if recording:
        old = Tensor.__new__(Tensor)      # self's old value: its graph position, its layout
        old._data, old._fn, old._nr, old._rg = self._data, self._fn, self._nr, self._rg
        old._fw = self._fw
        v = view_fn(old, *args)           # records the out-of-place node on the old value
    else:
        prev, GradMode.enabled = GradMode.enabled, False
        try:
            v = view_fn(self, *args)
        finally:
            GradMode.enabled = prev
    self._data = v._data
    if v._fw is not None:       # a dual's tangent takes the new layout too
        self._fw = v._fw
    self._bump()
    if recording:
        old_fn = self._fn
        record(_INPLACE_NODES[type(v._fn)], self, (old,), v._fn.params)
        self._nr = 0
        if self._retains:
            move_retained(self, old_fn)
    return self


@export("Tensor")
def t_(self):
    nd = self._data.ndim
    if nd > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return _restride(self, t)


@export("Tensor", "Tensor.swapaxes_", "Tensor.swapdims_")
def transpose_(self, dim0, dim1):
    return _restride(self, transpose, dim0, dim1)


@export("Tensor")
def squeeze_(self, dim=None):
    return _restride(self, squeeze, dim)


@export("Tensor")
def unsqueeze_(self, dim):
    return _restride(self, unsqueeze, dim)


# ---- more joins, splits and rearrangements ---------------------------------------------------

@export("torch", "Tensor")
def ravel(input):
    """The elements as a 1-D tensor (a view when contiguous, else of a contiguous copy)."""
    return view(contiguous(input), -1)


@export("torch", "Tensor")
def tile(input, *dims):
    """repeat, with dims padded by leading 1s to the input's number of dims."""
    reps = parse_size(dims, "tile", "dims")
    return repeat(input, (1,) * (input._data.ndim - len(reps)) + reps)


@export("torch", "Tensor")
def fliplr(input):
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


@export("torch", "Tensor")
def flipud(input):
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


@derivative
def Rot90Backward0(node, grad):
    k, dims = node.params
    return rot90(grad, -k, dims)


@export("torch", "Tensor")
def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees k times in the plane of dims (from the first towards the second)."""
    xd = input._data
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if xd.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {xd.ndim}")
    d0, d1 = wrap_dim(dims[0], xd.ndim), wrap_dim(dims[1], xd.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    xd = dense(input)
    xp = xp_of(xd)
    turns = k % 4
    # PyTorch's layouts: a flipped copy, transposed as a view for odd turns
    if turns == 1:
        data = xp.flip(xd, d1).copy().swapaxes(d0, d1)
    elif turns == 2:
        data = xp.flip(xd, (d0, d1)).copy()
    elif turns == 3:
        data = xp.flip(xd, d0).copy().swapaxes(d0, d1)
    else:
        data = xd.copy()
    return record_if(Rot90Backward0, wrap(data), (input,), (k, (d0, d1)))


def _tensor_args(tensors):
    """atleast_*(a, b) or atleast_*([a, b]): the tensors and whether a tuple is returned."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return list(tensors[0]), True
    if len(tensors) == 1:
        return list(tensors), False
    return list(tensors), True


def _atleast(tensors, one):
    ts, many = _tensor_args(tensors)
    out = tuple(one(t) for t in ts)
    return out if many or not out else out[0]


def _at1(t):
    return reshape(t, 1) if t._data.ndim == 0 else t


def _at2(t):
    nd = t._data.ndim
    return reshape(t, 1, 1) if nd == 0 else unsqueeze(t, 0) if nd == 1 else t


def _at3(t):
    nd = t._data.ndim
    if nd == 0:
        return reshape(t, 1, 1, 1)
    if nd == 1:
        return unsqueeze(unsqueeze(t, 0), -1)
    return unsqueeze(t, -1) if nd == 2 else t


@export("torch")
def atleast_1d(*tensors):
    return _atleast(tensors, _at1)


@export("torch")
def atleast_2d(*tensors):
    return _atleast(tensors, _at2)


@export("torch")
def atleast_3d(*tensors):
    return _atleast(tensors, _at3)


def _nonempty(tensors, fn):
    if isinstance(tensors, (list, tuple)) and not tensors:
        raise RuntimeError(f"{fn} expects a non-empty TensorList")
    return _tensor_list(tensors, fn)


@export("torch")
def column_stack(tensors):
    """1-D (and 0-d) tensors as columns, joined along dim 1 with the others."""
    ts = _nonempty(tensors, "column_stack")
    return cat([reshape(t, t._data.size, 1) if t._data.ndim <= 1 else t for t in ts], 1)


@export("torch")
def dstack(tensors):
    """Join along the third dim (after atleast_3d)."""
    return cat([_at3(t) for t in _nonempty(tensors, "dstack")], 2)


@export("torch")
def broadcast_tensors(*tensors):
    """Views of the tensors expanded to their common broadcast shape."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = ()
    for t in tensors:
        try:
            shape = np.broadcast_shapes(shape, t._data.shape)
        except ValueError:
            raise broadcast_error(shape, t._data.shape) from None
    return tuple(expand(t, shape) for t in tensors)


@export("torch")
def broadcast_shapes(*shapes):
    """The shape tensors of these shapes broadcast to (an int is a 1-d shape)."""
    dims = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    result = [1] * max((len(d) for d in dims), default=0)
    for index, shape in enumerate(dims):
        for i in range(1, len(shape) + 1):
            if result[-i] == 1:
                result[-i] = shape[-i]
            elif shape[-i] not in (1, result[-i]):
                shown = shape if isinstance(shapes[index], int) else shapes[index]
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {shape[-i]} at -{i}! "
                    f"Mismatching argument at index {index} had {shown!r}; but expected shape "
                    f"should be broadcastable to {result}")
    return Size(result)


_WARNED_ONCE = {}     # PyTorch's TORCH_WARN_ONCE: these warnings are given once per process


@export("torch")
def meshgrid(*tensors, indexing=None):
    """Coordinate grids: tensor i varies along dim i ('ij') or with the first two swapped ('xy')."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None and not _WARNED_ONCE.get("meshgrid"):
        _WARNED_ONCE["meshgrid"] = True        # PyTorch warns once per process
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
    indexing = indexing or "ij"
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t._data.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got: {t}")
    if indexing not in ("ij", "xy"):
        raise RuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f"received: {indexing}")
    same_device(*tensors)
    ts = list(tensors)
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t._data.size for t in ts)
    n = len(ts)
    grids = [expand(view(t, (1,) * i + (-1,) + (1,) * (n - i - 1)), shape)
             for i, t in enumerate(ts)]
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


@export("torch", "Tensor")
def tensor_split(input, indices_or_sections=None, dim=0, *, indices=None, sections=None,
                 tensor_indices_or_sections=None):
    """Split into n nearly equal pieces (the first ones one longer), or at the given indices;
    each piece is a view (narrow)."""
    xd = input._data
    arg = next((a for a in (indices_or_sections, indices, sections,
                            tensor_indices_or_sections) if a is not None), None)
    if xd.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = wrap_dim(dim, xd.ndim)
    n = xd.shape[d]
    if isinstance(arg, Tensor):
        if arg.dtype.category > INTEGRAL:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have "
                               f"integer dtype, but got {arg.dtype.short}")
        if arg._data.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               f"zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {arg._data.ndim} dims")
        arg = int(arg) if arg._data.ndim == 0 else [int(i) for i in arg.tolist()]
    if isinstance(arg, (list, tuple)):
        def clamp(i):                   # as at::slice bounds: wrapped once, then clamped
            i = int(i)
            return min(max(i + n if i < 0 else i, 0), n)
        edges = [0] + list(arg) + [n]
        starts = [(clamp(a), max(clamp(b) - clamp(a), 0)) for a, b in zip(edges, edges[1:])]
    elif isinstance(arg, (int, np.integer)) and not isinstance(arg, bool):
        if arg <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {arg}")
        limits.check_count(int(arg), "tensor_split")
        small, extra = divmod(n, int(arg))
        starts, s = [], 0
        for j in range(int(arg)):
            size = small + (j < extra)
            starts.append((s, size))
            s += size
    else:
        raise TypeError(f"tensor_split() received an invalid combination of arguments - got "
                        f"(Tensor, {type(arg).__name__}), but expected one of:\n"
                        " * (Tensor input, tuple of ints indices, int dim = 0)\n"
                        " * (Tensor input, Tensor tensor_indices_or_sections, int dim = 0)\n"
                        " * (Tensor input, int sections, int dim = 0)\n")
    return tuple(narrow(input, d, s, size) for s, size in starts)


def _split_along(input, indices_or_sections, fn, min_dims, dim):
    """hsplit/vsplit/dsplit: tensor_split along a fixed dim, into sections that divide it
    exactly or at the listed indices."""
    if input.dim() < min_dims:
        raise RuntimeError(f"torch.{fn} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {input.dim()} dimensions!")
    if isinstance(indices_or_sections, (list, tuple)):
        return tensor_split(input, list(indices_or_sections), dim)
    n = int(indices_or_sections)
    if n == 0 or input.shape[dim] % n:
        raise RuntimeError(f"torch.{fn} attempted to split along dimension {dim}, but the size "
                           f"of the dimension {input.shape[dim]} is not divisible by the "
                           f"split_size {n}!")
    return tensor_split(input, n, dim)


@export("torch", "Tensor")
def hsplit(input, indices_or_sections):
    """Split along the columns (dim 1; dim 0 of a 1-D tensor)."""
    return _split_along(input, indices_or_sections, "hsplit", 1, 0 if input.dim() == 1 else 1)


@export("torch", "Tensor")
def vsplit(input, indices_or_sections):
    """Split along the rows (dim 0) of a tensor of 2 or more dims."""
    return _split_along(input, indices_or_sections, "vsplit", 2, 0)


@export("torch", "Tensor")
def dsplit(input, indices_or_sections):
    """Split along the depth (dim 2) of a tensor of 3 or more dims."""
    return _split_along(input, indices_or_sections, "dsplit", 3, 2)


@export("torch", "Tensor")
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element repeated `repeats` times along dim (the flattened input when dim is None);
    repeats is an int or a tensor of one count per element. repeat_interleave(counts) alone
    gives each index i counts[i] times."""
    if repeats is None:            # torch.repeat_interleave(repeats)
        counts = input
        if counts._data.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        return repeat_interleave(arange(counts._data.size, device=counts.device), counts, 0)
    if dim is None:
        input = reshape(input, -1)
        d = 0
    else:
        d = wrap_dim(dim, input._data.ndim)
    if isinstance(repeats, Tensor) and repeats._data.ndim == 1 and repeats._data.size != 1:
        if repeats.dtype.category > INTEGRAL:
            raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for "
                                      f"'{repeats.dtype.short}'")
        n = input._data.shape[d] if input._data.ndim else 1
        if repeats._data.shape[0] != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {repeats._data.shape[0]} and "
                               f"input.size(0) = {n}")
        rd = repeats._data
        if (rd < 0).any():
            raise RuntimeError("repeats can not be negative")
        xp = xp_of(rd)
        idx = wrap(xp.repeat(xp.arange(n), rd.astype(np.int64)))
        return index_select(input, d, idx)
    if isinstance(repeats, Tensor):
        if repeats._data.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        repeats = int(repeats)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    x = input if input._data.ndim else reshape(input, 1)
    shp = x._data.shape
    e = expand(unsqueeze(x, d + 1), shp[:d + 1] + (repeats,) + shp[d + 1:])
    return view(clone(e, memory_format="contiguous"),
                shp[:d] + (shp[d] * repeats,) + shp[d + 1:])
