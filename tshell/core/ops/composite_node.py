"""Ops that PyTorch computes in one kernel, with one grad_fn (MultiMarginLossBackward0,
NativeGroupNormBackward0...), which tshell writes as a composite of tensor ops: the forward
runs the composite without recording, and the node's backward runs it again under
enable_grad and differentiates it, so the gradient is the composite's own and a double
backward (create_graph=True) records as well, unless PyTorch has no double backward for
the op (backward_op: then the gradient is the output of PyTorch's NotImplemented node)."""
from __future__ import annotations

from .. import autograd
from ..autograd import GradMode, derivative, no_grad
from ..forward_ad import NOT_IMPLEMENTED, set_tangent
from ..tensor import Duals, record_if, wrap
from .common import without_derivative


def rerun_backward(node, grads):
    """The backward of every node made by one_node: the composite again, differentiated
    with respect to the inputs that want a gradient."""
    tensors = node.saved
    composite, args = node.params[:2]
    grads = grads if isinstance(grads, (tuple, list)) else (grads,)
    wanted = [i for i, t in enumerate(tensors) if t is not None and t._rg]
    twice = getattr(node, "backward_op", None) is None
    create = GradMode.enabled and twice
    with autograd.enable_grad():
        outs = composite(*tensors, *args)
    outs = outs if isinstance(outs, tuple) else (outs,)
    pairs = [(o, g) for o, g in zip(outs, grads) if g is not None and o._rg]
    result = [None] * len(tensors)
    if not pairs:
        return tuple(result)
    found = autograd.grad([o for o, _ in pairs], [tensors[i] for i in wanted],
                          [g for _, g in pairs], retain_graph=create, create_graph=create,
                          allow_unused=True)
    for i, g in zip(wanted, found):
        result[i] = g
    if not twice and GradMode.enabled:
        inputs = (*grads, *(t for t in tensors if t is not None))
        result = [g if g is None else without_derivative(g, inputs, node.backward_op)
                  for g in result]
    return tuple(result)


_NODES = {}
# The ops of these nodes have no forward formula in PyTorch: forward AD names the ATen op.
_NO_FORWARD_FORMULA = {"MultiMarginLossBackward0": "multi_margin_loss",
                       "MultilabelMarginLossBackward0": "multilabel_margin_loss_forward"}


def node_class(name, n_outputs=1, backward_op=None):
    """The grad_fn class called name whose backward reruns the composite (one per name)."""
    cls = _NODES.get(name)
    if cls is None:
        cls = _NODES[name] = derivative(rerun_backward, name=name, n_outputs=n_outputs,
                                        backward_op=backward_op,
                                        jvp=_NO_FORWARD_FORMULA.get(name))
    return cls


def one_node(name, composite, tensors, *args, backward_op=None):
    """composite(*tensors, *args) (a tensor, or a tuple of them: the outputs of one node)
    computed without a graph, then recorded as one node called name; tensors are the
    differentiable inputs (or None), args anything else the composite reads. backward_op:
    the name of PyTorch's backward op where that has no derivative itself."""
    dual = bool(Duals) and any(t is not None and t._fw is not None for t in tensors)
    if dual and name in _NO_FORWARD_FORMULA:
        raise NotImplementedError(NOT_IMPLEMENTED.format(_NO_FORWARD_FORMULA[name]))
    with no_grad():
        outs = composite(*tensors, *args)    # (on duals: the composite's tangents)
    single = not isinstance(outs, tuple)
    outs = (outs,) if single else outs
    tangents = [o._fw for o in outs]
    outs = tuple(wrap(o._data) for o in outs)
    cls = node_class(name, len(outs), backward_op)
    active = Duals.switch(False)    # (the tangents are the composite's, set below)
    try:
        node = record_if(cls, outs[0], tensors, (composite, args), save=tuple(tensors))._fn
    finally:
        Duals.switch(active)
    if node is not None:
        for nr, t in enumerate(outs):
            t._fn, t._nr, t._rg = node, nr, True
    for t, tangent in zip(outs, tangents):
        if tangent is not None:
            set_tangent(t, tangent)
    return outs[0] if single else outs
