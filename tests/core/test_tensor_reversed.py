"""reversed(t) is PyTorch's Tensor.__reversed__: t.flip(0), differentiable (d2l's
bidirectional RNN from scratch walks reversed(inputs)); a 0-d tensor is itself."""
import tshell.core as torch


def test_reversed_flips_the_first_dimension():
    x = torch.arange(6.).reshape(3, 2)
    r = reversed(x)
    assert isinstance(r, torch.Tensor)
    assert r.tolist() == [[4.0, 5.0], [2.0, 3.0], [0.0, 1.0]]


def test_reversed_keeps_the_graph():
    x = torch.arange(3., requires_grad=True)
    r = reversed(x)
    assert type(r.grad_fn).__name__ == "FlipBackward0"
    (r * torch.tensor([1., 2., 3.])).sum().backward()
    assert x.grad.tolist() == [3.0, 2.0, 1.0]


def test_reversed_of_a_0d_tensor_is_itself():
    x = torch.tensor(5.)
    assert reversed(x) is x
