"""In-place ops (trailing underscore): the out-of-place op's result written into self.

Autograd sees an in-place op as its out-of-place twin applied to self's old value; self then
takes the new grad_fn. The version counter is bumped so that a saved tensor changed in place
is caught at backward time.
"""
from __future__ import annotations

import warnings
import weakref

import numpy as np

from ..autograd import GradMode, derivative, op_name, watch_of
from ..grad_mode import INFERENCE, INFERENCE_REQUIRES_GRAD, INFERENCE_MODE
from ..backend import writable_alias
from ..dtypes import FLOATING, can_cast, check_fits
from ..forward_ad import commit_inplace, keep_tangent
from ..registry import export
from ..tensor import Duals, Tensor, make_view, record, record_if, wrap
from .common import broadcast_error, dense
from .conversion import to_backend_of

LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_ERROR = ("a view of a leaf Variable that requires grad is being used in an "
                      "in-place operation.")

NO_GRAD_VIEW_ERROR = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block "
    "(if you don't want the inplace to be tracked) or both outside (if you want the inplace "
    "to be tracked).")


# In-place ops PyTorch still runs on an expanded tensor, with a deprecation warning
_DEPRECATED_ON_EXPANDED = frozenset(("masked_fill", "index_fill"))


def _overlaps(d) -> bool:
    return bool(d.size) and any(s == 0 and n > 1 for s, n in
                                zip(getattr(d, "strides", ()), d.shape))


def check_no_overlap(x, op_name=None):
    """Writing into an expanded tensor would write one element several times: an error,
    or for op_name in _DEPRECATED_ON_EXPANDED PyTorch's warning."""
    if not _overlaps(x._data):
        return
    if op_name in _DEPRECATED_ON_EXPANDED:
        warnings.warn(f"Use of {op_name}_ on expanded tensors is deprecated. Please clone() "
                      "the tensor before performing this operation. This also applies to "
                      "advanced indexing e.g. tensor[mask] = scalar", UserWarning, stacklevel=4)
        return
    raise RuntimeError("unsupported operation: more than one element of the written-to "
                       "tensor refers to a single memory location. Please clone() the "
                       "tensor before performing the operation.")


def check_inplace(x, through_view=False):
    """PyTorch's errors for in-place on (views of) leaves that require grad.

    `through_view`: x[idx] = v writes through a view of x, so PyTorch words it as such.
    Returns True when the in-place op must be recorded by autograd.
    """
    if x._ver is INFERENCE:
        INFERENCE.written()
    if not GradMode.enabled:
        return False
    if x._nograd_view:
        raise RuntimeError(NO_GRAD_VIEW_ERROR)
    fn, base = x._fn, x._base
    if fn is None:
        if x._rg:       # a leaf that is itself a view (`arange(6.).view(2, 3).requires_grad_()`)
            raise RuntimeError(VIEW_OF_LEAF_ERROR if through_view or base is not None
                               else LEAF_ERROR)
    elif fn.n_outputs > 1 and x._base is not None:
        raise RuntimeError(f"Output {x._nr} of {op_name(fn)} is a view and is being modified "
                           "inplace. This view is the output of a function that returns "
                           "multiple views. Such functions do not allow the output views to be "
                           "modified inplace. You should replace the inplace operation by an "
                           "out-of-place one.")
    # PyTorch asks whether the base is a leaf, whether or not it requires grad itself
    if base is not None and x._rg and base._fn is None:
        raise RuntimeError(VIEW_OF_LEAF_ERROR)
    return x._rg


def _old_self(x):
    """A stand-in for x's value before the write: same graph position, copied data."""
    old = make_view(x, x._data.copy())
    old._ver = [0]
    old._base = None
    old._fn = x._fn
    old._rg = x._rg
    return old


def apply_inplace(x, op, *args, **kwargs):
    """Run `op(x, *args)` and store the result in x (same dtype, same memory)."""
    if not isinstance(x, Tensor):
        raise TypeError("in-place op on a non-tensor")
    recording = check_inplace(x) or (
        GradMode.enabled and any(isinstance(a, Tensor) and a._rg for a in args))
    check_no_overlap(x, op.__name__)
    src = _old_self(x) if recording else x
    if Duals and src is not x:
        keep_tangent(src, x)
    r = op(src, *args, **kwargs)
    if r._data.shape != x._data.shape:
        raise RuntimeError(f"output with shape {list(x._data.shape)} doesn't match the "
                           f"broadcast shape {list(r._data.shape)}")
    if not can_cast(r.dtype, x.dtype):
        raise RuntimeError(f"result type {r.dtype.short} can't be cast to the desired output "
                           f"type {x.dtype.short}")
    target = writable_alias(x._data)       # a view of an expanded tensor (checked above)
    (x._data if target is None else target)[...] = r._data
    x._bump()
    if recording and r._fn is not None:
        node = r._fn
        if node._out_meta is not None and node._out_meta[0] is r._data:
            # The op saved its result (exp_, sigmoid_...): that result is x now, so a later
            # in-place change of x is caught at backward, as in PyTorch.
            node._out_meta = (x._data, x._counter(), x._ver[0])
        commit_history(x, r)
    if Duals:
        commit_inplace(x, r._fw)
    return x


def commit_history(x, r):
    """Give x the graph of r, its new value. For a view, the base's graph changes too.

    PyTorch's rule: writing into a view makes the base's grad_fn a CopySlices whose inputs
    are the base's old value and the new values of the view's elements.
    """
    base = x._base
    if base is None or not (base._rg or r._rg):
        old_fn = x._fn
        x._fn = r._fn
        x._rg = True
        if x._retains:
            move_retained(x, old_fn)
    else:
        from .indexing import CopySlices, logical_index    # indexing imports this module
        base_fn = base._fn
        record(CopySlices, base, (base, r), ((logical_index(base, x),), base._data.shape))
        if base._retains:
            move_retained(base, base_fn)
        regenerate_view(x)
    counter = x._ver
    if counter is not None and len(counter) > 1:
        refresh_views(x, counter)


def regenerate_view(v):
    """v reads its values from its base's current graph: AsStridedBackward0 of the base, as
    PyTorch regenerates a view's grad_fn after its storage was written in place."""
    from .indexing import AsStridedBackward0, logical_index    # indexing imports this module
    base, old_fn = v._base, v._fn
    record(AsStridedBackward0, v, (base,), (logical_index(base, v), base._data.shape))
    if v._retains:
        move_retained(v, old_fn)


def move_retained(t, old_fn):
    """retain_grad() follows the tensor to its new grad_fn after an in-place op (PyTorch
    moves the retains_grad hook), so .grad is the gradient of the new value."""
    if old_fn is not None and old_fn is not t._fn and old_fn._watch is not None:
        old_fn._watch.retained.pop(t._nr, None)
    t._nr = 0
    watch_of(t._fn).retained[0] = weakref.ref(t)


def refresh_views(x, counter):
    """Other views of x's storage read their values from the base's new graph (without it
    a view's gradient would bypass the write)."""
    alive = []
    for r in counter[1:]:
        v = r()
        if v is None:
            continue
        alive.append(r)
        if v is not x and v._base is not None and v._base._rg:
            regenerate_view(v)
    counter[1:] = alive


def make_inplace(op):
    """The in-place twin of an out-of-place op."""
    def inplace(self, *args, **kwargs):
        return apply_inplace(self, op, *args, **kwargs)
    inplace.__name__ = op.__name__ + "_"
    inplace.__doc__ = f"In-place version of {op.__name__}()."
    return inplace


@export("torch", "Tensor")
def zero_(self):
    """Fill with zeros."""
    return _fill(self, 0, ZeroBackward0)


@export("torch", "Tensor")
def fill_(self, value):
    """Fill with a value (a number: FillBackward2, or a 0-d tensor: FillBackward3)."""
    return _fill(self, value, FillBackward3 if isinstance(value, Tensor) else FillBackward2)


def _fill(self, value, node):
    recording = check_inplace(self)
    source = None
    tangent = getattr(value, "_fw", None)     # (fill_ with a dual 0-d tensor)
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value._data.ndim} dimensions.")
        if GradMode.enabled and value._rg:
            source, recording = value, True
        value = value.item()
    value = check_fits(value, self.dtype)
    old = _old_self(self) if recording else None
    target = writable_alias(self._data)    # fill_ writes an expanded tensor, as PyTorch
    if target is None:
        raise RuntimeError("fill_: the tensor's memory is read-only")
    target[...] = value
    self._bump()
    if recording:
        r = wrap(self._data.copy())
        record(node, r, (old,) if source is None else (old, source))
        commit_history(self, r)       # a view's base gets CopySlices, as in apply_inplace
    if Duals:
        commit_inplace(self, tangent if tangent is None else tangent.expand(self.shape))
    return self


@export("Tensor")
def copy_(self, src, non_blocking=False):
    """Copy src's values (broadcast, cast) into self."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    check_no_overlap(self)                  # before src is cast: self must be real memory
    recording = check_inplace(self) or (GradMode.enabled and src._rg)
    data = to_backend_of(src._data, self._data)
    try:
        self._data[...] = data.astype(self._data.dtype, copy=False)
    except ValueError:
        raise broadcast_error(self._data.shape, src._data.shape) from None
    self._bump()
    if recording:
        if self._base is None:
            old_fn = self._fn
            record(CopyBackwards, self, (self, src), src._data.shape)
            if self._retains:
                move_retained(self, old_fn)
        else:
            # a view written: its base's grad_fn becomes CopySlices, as in apply_inplace
            r = wrap(self._data)
            record(CopyBackwards, r, (self, src), src._data.shape)
            commit_history(self, r)
    if Duals:
        tangent = src._fw
        commit_inplace(self, tangent if tangent is None or tangent.shape == self.shape
                       else tangent.expand(self.shape))
    return self


@derivative
def ZeroBackward0(node, grad):
    """zero_: the old values no longer matter."""
    return grad * 0


@derivative
def FillBackward2(node, grad):
    """fill_ with a number: the old values no longer matter."""
    return grad * 0


@derivative
def FillBackward3(node, grad):
    """fill_ with a 0-d tensor: the tensor filled in gets the sum of the gradient."""
    return grad * 0, grad.sum()


@derivative(qualified_name="torch::autograd::CopyBackwards")
def CopyBackwards(node, grad):
    """copy_: the gradient goes to the source, none to the overwritten values."""
    return grad * 0, grad


NONLEAF_FLAG_ERROR = ("you can only change requires_grad flags of leaf variables. If you want "
                      "to use a computed variable in a subgraph that doesn't require "
                      "differentiation use var_no_grad = var.detach().")


@export("Tensor")
def requires_grad_(self, *args, requires_grad=True):
    """Set requires_grad on a leaf; returns self."""
    where = ""
    if args:
        if len(args) > 1:
            raise TypeError(f"requires_grad_() takes from 0 to 1 positional arguments but "
                            f"{len(args)} were given")
        requires_grad, where = args[0], " (position 1)"
    if not isinstance(requires_grad, bool):
        raise TypeError(f"requires_grad_(): argument 'requires_grad'{where} must be bool, not "
                        f"{type(requires_grad).__name__}")
    if self._fn is not None:
        if requires_grad:
            return self
        raise RuntimeError(NONLEAF_FLAG_ERROR)
    if requires_grad and self.dtype.category < FLOATING:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    if requires_grad and self._ver is INFERENCE and not INFERENCE_MODE:
        raise RuntimeError(INFERENCE_REQUIRES_GRAD)
    self._rg = requires_grad
    return self


@export("torch", "Tensor")
def detach_(self):
    """Detach in place: self becomes a leaf that does not require grad."""
    if self._base is not None:
        raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are "
                           "using DistributedDataParallel (DDP) for training, and gradient_as_"
                           "bucket_view is set as True, gradients are views of DDP buckets, and "
                           "hence detach_() cannot be called on these gradients. To fix this "
                           "error, please refer to the Optimizer.zero_grad() function in "
                           "torch/optim/optimizer.py as the solution.")
    self._fn = None
    self._rg = False
    return self


@derivative
def FillBackward0(node, grad):
    """torch.fill with a number: the input's values no longer matter."""
    return grad * 0


@derivative
def FillBackward1(node, grad):
    """torch.fill with a 0-d tensor: it gets the sum of the gradient."""
    return grad * 0, grad.sum()


@export("torch")
def fill(input, value):
    """A copy of input with every element value (the out-of-place fill_)."""
    source = value if isinstance(value, Tensor) else None
    r = wrap(dense(input).copy())
    _fill(r, value.detach() if source is not None else value, None)
    if source is None:
        return record_if(FillBackward0, r, (input,))
    return record_if(FillBackward1, r, (input, source))


# ---- Python callables applied elementwise: apply_, map_, map2_ ----------------------------
# The callable gets each element as a Python number and returns the new one (a tsh function
# works too: the language layer passes its functions as Python callables). CPU only, and
# never on a tensor that requires grad, as in PyTorch.

def _check_callable_target(self, name):
    if self.requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use "
                           f"var.detach().{name}() instead.")
    if self.device.type != "cpu":
        raise TypeError(f"{name} is only implemented on CPU tensors")


def _operand_like(self, other, name):
    if other.dtype is not self.dtype:
        raise TypeError(f"{name}: expected torch.{self.dtype.legacy} for 'other' (got "
                        f"torch.{other.dtype.legacy})")
    return other.expand_as(self)._data


def _map_in_place(self, fn, *others):
    check_no_overlap(self)
    data = self._data
    convert = data.dtype.type
    # flat positions, not np.ndindex: that builds every index up front (400 MB for 10**7
    # elements, past the memory cap), and flatiters read and write views in place
    flat, operands = data.flat, [o.flat for o in others]
    for k in range(data.size):
        value = fn(flat[k].item(), *(o[k].item() for o in operands))
        if not isinstance(value, (int, float, complex, np.number, np.bool_)):
            raise TypeError(f"must be real number, not {type(value).__name__}")
        flat[k] = convert(value)
    self._bump()
    return self


@export("Tensor")
def apply_(self, callable):
    """Replace each element x by callable(x)."""
    _check_callable_target(self, "apply_")
    return _map_in_place(self, callable)


@export("Tensor")
def map_(self, tensor, callable):
    """Replace each element x by callable(x, y), y the element of tensor (broadcast)."""
    _check_callable_target(self, "map_")
    return _map_in_place(self, callable, _operand_like(self, tensor, "map_"))


@export("Tensor")
def map2_(self, x, y, callable):
    """Replace each element s by callable(s, a, b), a and b the elements of x and y."""
    _check_callable_target(self, "map2_")
    return _map_in_place(self, callable, _operand_like(self, x, "map2_"),
                         _operand_like(self, y, "map2_"))
