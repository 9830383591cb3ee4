"""A leaf's .grad may take over the engine's gradient buffer, but never one that is shared."""
from __future__ import annotations

import pytest

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


# ---- no user's tensor ever becomes (or shares memory with) a leaf's .grad --------------------
# The engine decides from reference counts; these run on every CPython of the matrix
# (.ci/run), whose interpreters count references on the stack differently.

def _independent(grad, user):
    """grad and the user's tensor share no memory: writing one leaves the other as it was."""
    assert grad.data_ptr() != user.data_ptr()
    before = user.tolist()
    grad.add_(1000)
    assert user.tolist() == before


PASS_THROUGH = {                       # ops whose backward hands the incoming gradient on
    "add": lambda x: x + 0,
    "view": lambda x: x.view(6).view(2, 3),
    "reshape": lambda x: x.reshape(3, 2),
    "transpose": lambda x: x.t(),
    "clone": lambda x: x.clone(),
    "to": lambda x: x.to(torch.float32),
}


@pytest.mark.parametrize("op", sorted(PASS_THROUGH))
def test_a_gradient_argument_is_never_adopted(op):
    x = torch.zeros(2, 3, requires_grad=True)
    y = PASS_THROUGH[op](x)
    v = torch.ones(y.shape)
    y.backward(v)
    _independent(x.grad, v)
    x.grad = None
    y = PASS_THROUGH[op](x)
    y.backward(v)                          # a second backward writes no user tensor either
    assert v.tolist() == torch.ones(y.shape).tolist()


def test_a_kept_gradient_is_not_written_by_the_next_backward():
    x = torch.ones(3, requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    x.grad = None                          # zero_grad(set_to_none=True)
    (x * 5).sum().backward()
    (x * 7).sum().backward()
    assert g.tolist() == [2.0, 2.0, 2.0]
    assert x.grad.tolist() == [12.0, 12.0, 12.0]


def test_a_gradient_a_hook_kept_is_not_adopted():
    x = torch.ones(3, requires_grad=True)
    seen = []
    y = x * 3
    y.register_hook(seen.append)           # sees the gradient of y, which AddBackward passes on
    (y + 0).sum().backward()
    _independent(x.grad, seen[0])


def test_a_leaf_hooks_gradient_is_not_adopted():
    x = torch.ones(3, requires_grad=True)
    seen = []
    x.register_hook(seen.append)
    (x * 2).sum().backward()
    _independent(x.grad, seen[0])


def test_a_tensor_a_hook_returns_is_not_adopted():
    x = torch.ones(3, requires_grad=True)
    mine = torch.full((3,), 4.0)
    y = x + 0
    y.register_hook(lambda g: mine)
    y.sum().backward()
    _independent(x.grad, mine)


class _GivesBack(torch.autograd.Function):
    """A backward that returns a tensor the program still holds."""
    held = []

    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        r = g * 2
        _GivesBack.held.append(r)
        return r


class _Fresh(torch.autograd.Function):
    """A backward whose result nothing keeps: the leaf may take its buffer."""
    pointers = []

    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        r = g * 2
        _Fresh.pointers.append(r.data_ptr())
        return r


def test_a_tensor_a_function_backward_keeps_is_not_adopted():
    x = torch.ones(3, requires_grad=True)
    _GivesBack.apply(x).sum().backward()
    _independent(x.grad, _GivesBack.held.pop())


def test_an_unshared_gradient_is_adopted_without_a_copy():
    # The other side of the rule: a buffer nothing else holds becomes .grad as it is (the
    # training-step speed-up), on every interpreter.
    x = torch.ones(3, requires_grad=True)
    _Fresh.apply(x).sum().backward()
    assert x.grad.data_ptr() == _Fresh.pointers.pop()


class _FreshView(torch.autograd.Function):
    """A backward returning a view of a fresh tensor, as TBackward0 hands nn.Linear's weight
    its gradient (grad.t() of the product's grad.t()): the view's base tensor is the only
    other holder of the buffer."""
    pointers = []
    kept = []
    keep = False

    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, g):
        r = g * 2
        _FreshView.pointers.append(r.data_ptr())
        if _FreshView.keep:
            _FreshView.kept.append(r)
        return r.t().t()


def test_a_view_of_an_unshared_gradient_is_adopted_without_a_copy():
    x = torch.ones(2, 3, requires_grad=True)
    _FreshView.apply(x).sum().backward()
    assert x.grad.data_ptr() == _FreshView.pointers.pop()
    assert x.grad._base is None and x.grad.stride() == (3, 1)


def test_a_view_of_a_kept_gradient_is_not_adopted():
    x = torch.ones(2, 3, requires_grad=True)
    _FreshView.keep = True
    try:
        _FreshView.apply(x).sum().backward()
    finally:
        _FreshView.keep = False
    _FreshView.pointers.pop()
    _independent(x.grad, _FreshView.kept.pop())


def test_a_retained_gradient_of_a_transposed_weight_is_separate():
    w = torch.ones(2, 3, requires_grad=True)
    wt = w.t()
    wt.retain_grad()
    (torch.ones(4, 3) @ wt).sum().backward()
    _independent(w.grad, wt.grad)


def test_an_adopted_gradient_keeps_the_leafs_layout():
    # PyTorch's layout contract: a gradient laid out otherwise than its leaf is copied in the
    # leaf's (here C-contiguous) strides, not adopted as it is.
    class Transposed(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return (g.t() * 2).t()

    x = torch.ones(2, 3, requires_grad=True)
    Transposed.apply(x).sum().backward()
    assert x.grad.stride() == (3, 1) and x.grad.is_contiguous()


def test_nn_linear_weight_gradients_match_after_adoption():
    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 3)
    x = torch.randn(5, 4)
    lin(x).sum().backward()
    expected = torch.ones(5, 3).t() @ x
    assert torch.equal(lin.weight.grad, expected)
    assert lin.weight.grad.stride() == (4, 1)
