"""Gradients computed under create_graph shown under the names of PyTorch's double-backward
nodes (ConvolutionBackwardBackward0, NativeLayerNormBackwardBackward0...): tshell writes a
backward in differentiable tensor ops, so only the name of the node above them is PyTorch's."""
from __future__ import annotations

from ..autograd import GradMode, derivative
from ..tensor import record, wrap


@derivative
def _Relay(node, grad):
    """A first-order gradient computed under create_graph, shown under the name PyTorch's
    double-backward node has: the gradient flows through."""
    return grad


_RELAYS = {}


def relayed(grads, name):
    """grads (tensors or None), each recorded behind a node called name when a graph is
    being built (the backward of a backward, create_graph=True)."""
    if not GradMode.enabled:
        return grads
    cls = _RELAYS.get(name) or _RELAYS.setdefault(name, type(name, (_Relay,), {"__slots__": ()}))
    return tuple(record(cls, wrap(g._data), (g,)) if g is not None and g._rg else g
                 for g in grads)
