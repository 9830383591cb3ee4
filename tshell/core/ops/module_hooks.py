"""The identity op behind nn.Module's full backward hooks (PyTorch's BackwardHookFunction):
its node sees the gradients of the tensors it passed on and may replace them."""
from __future__ import annotations

from ..autograd import GradMode, derivative, output_grads
from ..forward_ad import set_tangent
from ..tensor import Duals, Tensor, make_view, record
from .creation import zeros_like


@derivative(slots=("n_outputs",))
def BackwardHookFunctionBackward(node, grads):
    on_grads, metas = node.params
    grads = output_grads(node, grads)
    # an output that got no gradient passes zeros, as a custom Function's backward sees
    grads = tuple(g if g is not None or not needed else zeros_like(like)
                  for g, (needed, like) in zip(grads, metas))
    result = tuple(on_grads(grads))
    for g in result:        # a hook's result goes on into the engine, which takes tensors only
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"expected Variable, but hook returned '{type(g).__name__}'")
    return result if node.n_outputs > 1 else result[0]


def backward_hook_identity(tensors, on_grads):
    """The tensors again (same memory), as outputs of one BackwardHookFunctionBackward
    node. In backward, on_grads(grads) -> grads gets a tuple with the gradient of each
    output (None for tensors that need none) and returns the gradients to pass on."""
    outs = []
    for t in tensors:
        o = make_view(t, t._data)
        o._base = None                   # an alias, not a view to write through
        outs.append(o)
    if GradMode.enabled and any(t._rg for t in tensors):    # not record_if: metas only then
        metas = tuple((t._rg, t.detach()) for t in tensors)
        record(BackwardHookFunctionBackward, outs[0], tensors, (on_grads, metas))
        node = outs[0]._fn
        node.n_outputs = len(outs)
        for i, (o, t) in enumerate(zip(outs, tensors)):
            if t._rg:
                o._fn, o._nr, o._rg = node, i, True
            elif i == 0:
                o._fn, o._rg = None, False
    if Duals:           # an alias carries its tensor's tangent
        for o, t in zip(outs, tensors):
            if t._fw is not None:
                set_tangent(o, t._fw)
    return tuple(outs)
