"""A leaf's .grad may take over the engine's gradient buffer, but never one that is shared."""
from __future__ import annotations

import tshell.core as torch


def test_user_gradient_is_not_adopted():
    x = torch.ones(3, requires_grad=True)
    v = torch.tensor([1.0, 2.0, 3.0])
    (x * 1).backward(v)
    v.add_(100)
    assert x.grad.tolist() == [1.0, 2.0, 3.0]


def test_one_gradient_reaching_two_leaves_is_not_shared():
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    (a + b).sum().backward()
    a.grad.add_(5)
    assert b.grad.tolist() == [1.0, 1.0]


def test_matmul_gradients_are_independent():
    m = torch.ones(2, 2, requires_grad=True)
    n = torch.ones(2, 2, requires_grad=True)
    (m @ n).sum().backward()
    m.grad.add_(7)
    assert n.grad.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_retained_gradient_is_separate_from_the_leaf():
    w = torch.ones(2, requires_grad=True)
    y = w + 0
    y.retain_grad()
    y.sum().backward()
    w.grad.add_(9)
    assert y.grad.tolist() == [1.0, 1.0]


def test_accumulation_keeps_adding():
    p = torch.ones(2, requires_grad=True)
    for _ in range(3):
        (p * 2).sum().backward()
    assert p.grad.tolist() == [6.0, 6.0]
