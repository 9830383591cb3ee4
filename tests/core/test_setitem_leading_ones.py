"""x[idx] = v drops v's leading size-1 dims first, as PyTorch's setitem does
(slicePrefix1sSize): d2l 9.1 writes a model's (1, 1) output into one element of a series.
Outputs and messages recorded from PyTorch 2.13."""
import pytest

import tshell.core as torch


def test_a_value_with_leading_ones_fills_a_smaller_region():
    x = torch.zeros(4)
    x[1] = torch.ones(1, 1) * 2
    x[2:4] = torch.tensor([[[3., 4.]]])
    assert x.tolist() == [0., 2., 3., 4.]
    y = torch.zeros(2, 3)
    y[0] = torch.ones(1, 1, 3)
    y[[1]] = torch.full((1, 1, 1, 3), 5.)
    assert y.tolist() == [[1., 1., 1.], [5., 5., 5.]]


def test_the_write_is_differentiable():
    w = torch.tensor([[2.0]], requires_grad=True)
    x = torch.zeros(3)
    x[1] = w * 3
    x[2:] = w.reshape(1, 1, 1)
    assert type(x.grad_fn).__name__ == "CopySlices"
    x.sum().backward()
    assert w.grad.tolist() == [[4.0]]


@pytest.mark.parametrize("index, value, message", [
    (slice(None), lambda: torch.ones(2, 4, dtype=torch.float64),
     "expand(torch.DoubleTensor{[2, 4]}, size=[4]): the number of sizes provided (1) must be "
     "greater or equal to the number of dimensions in the tensor (2)"),
    (slice(None), lambda: torch.ones(1, 3),
     "The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
     "dimension 0.  Target sizes: [4].  Tensor sizes: [3]"),
    ([0, 1], lambda: torch.ones(2, 3),
     "shape mismatch: value tensor of shape [2, 3] cannot be broadcast to indexing result of "
     "shape [2]"),
])
def test_values_that_do_not_fit_give_pytorchs_errors(index, value, message):
    x = torch.zeros(4)
    with pytest.raises(RuntimeError) as e:
        x[index] = value()
    assert str(e.value) == message
