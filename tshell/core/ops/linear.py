"""Linear maps (torch.nn.functional): linear (input @ weight.T + bias) and bilinear."""
from __future__ import annotations

from ..autograd import derivative
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .contraction import einsum
from .linalg import addmm


@export("F")
def linear(input, weight, bias=None):
    """input @ weight.T + bias."""
    if bias is not None and bias.ndim <= 1 and input.ndim >= 1 and weight.ndim == 2:
        # PyTorch adds the bias inside one addmm (grad_fn AddmmBackward0), through 2-D views
        if input.ndim == 2:
            return addmm(bias, input, weight.t())
        out = addmm(bias, input.reshape(-1, input.shape[-1]), weight.t())
        return out.view(tuple(input.shape[:-1]) + (out.shape[-1],))
    out = input.matmul(weight.t())
    return out if bias is None else out + bias


@derivative
def TrilinearBackward0(node, grad):
    x1, w, x2 = node.saved
    return (einsum("...o,oij,...j->...i", grad, w, x2) if x1._rg else None,
            einsum("...o,...i,...j->oij", grad, x1, x2) if w._rg else None,
            einsum("...o,oij,...i->...j", grad, w, x1) if x2._rg else None)


@export("torch", "F")
def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o]."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and "
                           f"{input2.ndim}")
    for d, (a, b) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if a != b:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {d}: "
                               f"got {a} and {b}")
    for i, x in ((1, input1), (2, input2)):
        if x.shape[-1] != weight.shape[i]:
            raise RuntimeError(f"bilinear(): input{i} size does not match weight size: got "
                               f"{x.shape[-1]} but expected {weight.shape[i]}")
    if bias is not None and bias.shape[0] != weight.shape[0]:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[0]} but expected {weight.shape[0]}")
    # PyTorch's _trilinear works on the inputs flattened to (N, in), then views the result
    batch = tuple(input1.shape[:-1])
    x1 = input1.reshape(-1, weight.shape[1])
    x2 = input2.reshape(-1, weight.shape[2])
    wd = weight._data
    r = wrap(xp_of(wd).einsum("ni,oij,nj->no", x1._data, wd, x2._data)
             .astype(wd.dtype, copy=False))
    r = record_if(TrilinearBackward0, r, (x1, weight, x2), save=(x1, weight, x2))
    r = r.view(batch + (weight.shape[0],))
    return r if bias is None else r + bias
