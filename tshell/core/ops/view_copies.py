"""The *_copy forms of the view ops (t_copy, view_copy, split_copy...): the view op's result
as a new contiguous tensor that shares no memory with its input. autograd records the view's
own node under PyTorch's name for it, NAME_copy (TBackward0_copy), with the same backward."""
from __future__ import annotations

from .. import limits
from ..autograd import GradMode, derivative
from ..registry import export
from ..forward_ad import set_tangent
from ..tensor import Duals, record, record_if, wrap
from .common import dense, finish_out, without_derivative
from .complex_numbers import view_as_complex, view_as_real
from .shape import (diagonal, expand, permute, split, split_with_sizes, squeeze, t, transpose,
                    unbind, unfold, unsqueeze, view)
from .strided import as_strided

_COPY_CLASSES: dict = {}


def _copy_class(node_cls):
    """node_cls renamed NAME_copy: PyTorch's grad_fn of the copy form of a view op."""
    cls = _COPY_CLASSES.get(node_cls)
    if cls is None:
        cls = type(f"{node_cls.__name__}_copy", (node_cls,), {"__slots__": ()})
        _COPY_CLASSES[node_cls] = cls
    return cls


def _copied(input, result, out, fn):
    """result (a view of input, or a tuple of views made by one node) as fresh copies whose
    grad_fn is the view's node under its _copy name."""
    views = result if isinstance(result, tuple) else (result,)
    limits.check_result((sum(v._data.size for v in views),), input._data.itemsize)
    copies = tuple(wrap(dense(v).copy()) for v in views)
    node = views[0]._fn
    if GradMode.enabled and input._rg and node is not None:
        record(_copy_class(type(node)), copies[0], (input,), node.params)
        first = copies[0]._fn
        if isinstance(result, tuple):          # split/unbind forms: one output per piece
            first.n_outputs = len(copies)
            for i, c in enumerate(copies):
                c._fn, c._nr, c._rg = first, i, True
    if Duals:                   # a copy's tangent: a copy of the view's
        for v, c in zip(views, copies):
            if v._fw is not None:
                set_tangent(c, v._fw.clone())
    if isinstance(result, tuple):
        return copies
    return finish_out(copies[0], out, fn, (input,))


def _copy_form(view_op, name):
    def copy_form(input, *args, out=None, **kwargs):
        return _copied(input, view_op(input, *args, **kwargs), out, name)
    copy_form.__name__ = name
    copy_form.__qualname__ = name
    copy_form.__doc__ = f"{view_op.__name__}, as a new tensor that shares no memory with input."
    return copy_form


for _op in (as_strided, diagonal, expand, permute, split, split_with_sizes, squeeze, t,
            transpose, unbind, unfold, unsqueeze, view):
    export(f"torch.{_op.__name__}_copy")(_copy_form(_op, f"{_op.__name__}_copy"))
view_as_real_copy = export("torch.view_as_real_copy")(
    _copy_form(view_as_real, "view_as_real_copy"))


@export("torch")
def view_as_complex_copy(input, *, out=None):
    """view_as_complex as a new tensor; PyTorch gives it no complex-output derivative."""
    if GradMode.enabled and input._rg:
        raise RuntimeError("view_as_complex_copy does not support automatic differentiation "
                           "for outputs with complex dtype.")
    return _copied(input, view_as_complex(input), out, "view_as_complex_copy")


def _select(input, dim, index):
    return input.select(dim, index)


def _slice(input, dim=0, start=None, end=None, step=1):
    index = [slice(None)] * input.dim()
    index[dim] = slice(start, end, step)
    return input[tuple(index)]


select_copy = export("torch.select_copy")(_copy_form(_select, "select_copy"))
slice_copy = export("torch.slice_copy")(_copy_form(_slice, "slice_copy"))


@derivative
def AliasBackward0_copy(node, grad):
    return grad


@export("torch")
def alias_copy(input, *, out=None):
    """A copy of input (the copy form of an alias: the same values, new memory)."""
    r = record_if(AliasBackward0_copy, wrap(dense(input).copy()), (input,))
    return finish_out(r, out, "alias_copy", (input,))


@export("torch")
def detach_copy(input, *, out=None):
    """A copy of input, recorded as PyTorch records it: a node without a derivative."""
    r = without_derivative(wrap(dense(input).copy()), (input,), "detach_copy")
    return finish_out(r, out, "detach_copy", (input,))
