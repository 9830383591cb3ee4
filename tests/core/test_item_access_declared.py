"""x[idx] and x[idx] = v are declared where they are defined (ops/indexing.py, ops/setitem.py):
exposure.txt lists no underscore names, so test_registry.py does not see these two."""
from __future__ import annotations

import tshell.core as torch
from tshell.core import registry
from tshell.core.ops import indexing, setitem


def test_getitem_and_setitem_are_the_declared_functions():
    declared = registry.exports("Tensor")
    assert declared["__getitem__"] is indexing.getitem is torch.Tensor.__getitem__
    assert declared["__setitem__"] is setitem.setitem is torch.Tensor.__setitem__


def test_a_write_through_an_index_records_its_grad_fn():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y[1] = 0.0
    assert type(y.grad_fn).__name__ == "CopySlices"
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 2.0]
