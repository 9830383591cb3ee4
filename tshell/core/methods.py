"""Binds the declared ops to Tensor (tshell/core/registry.py): methods, properties,
operators and the generated in-place twins."""
from __future__ import annotations

from . import ops, registry  # noqa: F401 (importing ops makes every op module declare)
from .ops.inplace import make_inplace
from .tensor import Tensor


def _bind_declared():
    """The in-place twins made from Tensor_ declarations first, then the declared methods,
    which win (x.add_'s direct write over the generated twin)."""
    for name, op in registry.exports("Tensor_").items():
        # inplace_op: the op under the in-place node's name where PyTorch's differs (Backward1)
        setattr(Tensor, name + "_", make_inplace(getattr(op, "inplace_op", op)))
    for name, value in registry.exports("Tensor").items():
        setattr(Tensor, name, value)


_bind_declared()
