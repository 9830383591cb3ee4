"""torch.tensor of a list holding tensors: PyTorch reads each tensor as one number (its
item), whatever its shape, and refuses one of several elements (d2l 22.4 builds a gradient
as torch.tensor([a, b]) of one-element tensors). Results recorded from PyTorch 2.13."""
import pytest

import tshell.core as torch


@pytest.mark.parametrize("make, values, shape", [
    (lambda: [torch.tensor([0.5]), torch.tensor(0.25)], [0.5, 0.25], (2,)),
    (lambda: [torch.tensor([0.5]), torch.tensor([0.25])], [0.5, 0.25], (2,)),
    (lambda: [[torch.tensor([0.5])], [torch.tensor([[0.25]])]], [[0.5], [0.25]], (2, 1)),
    (lambda: [torch.tensor([True]), False], [True, False], (2,)),
])
def test_one_element_tensors_are_numbers(make, values, shape):
    t = torch.tensor(make())
    assert t.tolist() == values and tuple(t.shape) == shape


def test_the_dtype_is_promoted_from_the_tensors():
    t = torch.tensor([torch.tensor(1), torch.tensor(2.5, dtype=torch.float64)])
    assert t.dtype == torch.float64 and t.tolist() == [1.0, 2.5]


def test_a_tensor_of_several_elements_is_refused():
    with pytest.raises(ValueError, match="^only one element tensors can be converted to "
                                         "Python scalars$"):
        torch.tensor([torch.tensor([0.5, 1.]), torch.tensor([0.25, 2.])])
