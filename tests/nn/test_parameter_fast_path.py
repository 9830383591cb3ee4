"""nn.Parameter takes the core's fast paths (binary ops, x @ w, autograd's record), which
recognise a tensor by `x.__class__ is Tensor`: a Parameter answers Tensor there, while
type(p) stays Parameter."""
import pytest

import tshell.core as torch
from tshell.core.ops import linalg, pointwise

nn = torch.nn


@pytest.fixture
def no_general_path(monkeypatch):
    """Binary operators whose general (slow) path fails: only the fast path may run."""
    def refuse(a, b):
        raise AssertionError(f"general path taken for {type(a).__name__}, {type(b).__name__}")
    for fast in (pointwise._add, pointwise._mul, pointwise._div):
        monkeypatch.setattr(fast.op, "general", refuse)


def test_binary_ops_take_the_fast_path(no_general_path):
    p = nn.Parameter(torch.tensor([1., 2.]))
    t = torch.tensor([3., 4.])
    for r in (p + t, t + p, p * t, t * p, p / t, t / p, p * p, p + 1, 2 * p):
        assert type(r) is torch.Tensor and r.grad_fn is not None


def test_matmul_takes_the_2d_fast_path(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("matmul's dispatch taken")
    monkeypatch.setattr(linalg, "matmul", refuse)
    w = nn.Parameter(torch.ones(3, 2))
    x = torch.ones(4, 3)
    assert (x @ w).grad_fn.name() == "MmBackward0"
    assert (w.t() @ x.t()).shape == (2, 4)


def test_autograd_records_parameters_as_tensors():
    p = nn.Parameter(torch.tensor([1., 2.]))
    assert p.__class__ is torch.Tensor and type(p) is nn.Parameter
    y = (p * p).sum()
    edge = y.grad_fn.next_functions[0][0].next_functions[0][0]
    assert edge.name() == "torch::autograd::AccumulateGrad" and edge.variable is p
    y.backward()
    assert p.grad.tolist() == [2., 4.] and type(p.grad) is torch.Tensor


def test_parameter_is_a_leaf_sharing_memory_and_versions():
    x = torch.zeros(3)
    p = nn.Parameter(x)
    x[0] = 5
    assert p.tolist() == [5., 0., 0.] and p._version == x._version == 1
    assert p.is_leaf and p.requires_grad and p.grad_fn is None
    q = nn.Parameter(p)
    assert type(q) is nn.Parameter and q.data_ptr() == p.data_ptr()


def test_operations_on_parameters_give_tensors_in_place_ones_the_parameter():
    p = nn.Parameter(torch.ones(2, 2))
    assert all(type(t) is torch.Tensor for t in (p[0], p.t(), p.view(4), p.detach(), p.data,
                                                p.clone(), p.double(), p.sum(), -p))
    with torch.no_grad():
        assert p.add_(1) is p and p.mul_(2) is p and type(p) is nn.Parameter
    assert p.requires_grad_(False) is p and p.to(torch.float32) is p
