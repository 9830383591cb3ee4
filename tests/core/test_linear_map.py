"""addmm's path for nn.Linear (beta = alpha = 1, a bias of the product's row or shape) gives
what its general path gives: values, strides, the graph and the gradients."""
from __future__ import annotations

import pytest

import tshell.core as torch


def _graph(t):
    fn = t.grad_fn
    return fn.name(), [None if f is None else f.name() for f, _ in fn.next_functions]


@pytest.mark.parametrize("bias_shape", [(4,), (3, 4)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_the_linear_map_matches_the_general_path(bias_shape, dtype):
    torch.manual_seed(0)
    x = torch.randn(3, 5, dtype=dtype, requires_grad=True)
    w = torch.randn(4, 5, dtype=dtype, requires_grad=True)
    b = torch.randn(*bias_shape, dtype=dtype, requires_grad=True)
    fast = torch.addmm(b, x, w.t())
    general = torch.addmm(b, x, w.t(), beta=1.0, alpha=1.0)     # floats: the general path
    assert torch.equal(fast, general) and fast.stride() == general.stride() == (4, 1)
    assert _graph(fast) == _graph(general) == (
        "AddmmBackward0", ["torch::autograd::AccumulateGrad"] * 2 + ["TBackward0"])
    grads = []
    for out in (fast, general):
        out.sum().backward()
        grads.append([t.grad.clone() for t in (x, w, b)])
        for t in (x, w, b):
            t.grad = None
    assert all(torch.equal(f, g) for f, g in zip(*grads))


def test_the_linear_map_leaves_errors_to_the_general_path():
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied"):
        torch.addmm(torch.zeros(4), torch.zeros(3, 5), torch.zeros(6, 4))
    with pytest.raises(RuntimeError, match="self and mat2 must have the same dtype"):
        torch.addmm(torch.zeros(4, dtype=torch.float64), torch.zeros(3, 5), torch.zeros(5, 4))
    with pytest.raises(RuntimeError, match="expand"):
        torch.addmm(torch.zeros(2), torch.zeros(3, 5), torch.zeros(5, 4))
