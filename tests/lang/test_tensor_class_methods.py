"""torch.Tensor.NAME read from the class, as PyTorch gives it: an unbound method called
with the tensor first (`torch.Tensor.view(x, 2, 3)`, `map(torch.Tensor.float, xs)`), printed
as PyTorch's method descriptor, with PyTorch's errors for a missing or non-tensor first
argument. The expected text was printed by PyTorch 2.13 running the same program."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError

PROGRAM = """import torch
x = torch.arange(6.)
print(torch.Tensor.view(x, 2, 3))
print(list(map(torch.Tensor.float, [torch.tensor([1]), torch.tensor([2])])))
print(torch.Tensor.add(x, 1, alpha=2), torch.Tensor.cumsum(x, 0), torch.Tensor.sum(x))
print(torch.Tensor.add, type(torch.Tensor.view))
print(sorted([torch.tensor([3., 1.]), torch.tensor([2., 0.])], key=torch.Tensor.sum))
p = torch.nn.Parameter(torch.ones(2))
print(torch.Tensor.mul(p, 3))
"""

EXPECTED = """tensor([[0., 1., 2.],
        [3., 4., 5.]])
[tensor([1.]), tensor([2.])]
tensor([2., 3., 4., 5., 6., 7.]) tensor([ 0.,  1.,  3.,  6., 10., 15.]) tensor(15.)
<method 'add' of 'torch._C.TensorBase' objects> <class 'method_descriptor'>
[tensor([2., 0.]), tensor([3., 1.])]
tensor([3., 3.], grad_fn=<MulBackward0>)
"""


def run(source: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(source, "<t>")
    return out.getvalue()


def test_methods_read_from_the_class_work_as_pytorchs():
    assert run(PROGRAM) == EXPECTED


def test_a_method_through_the_class_is_the_method_through_the_tensor():
    """x.numpy's array goes out through the NumPy stand-in: so does Tensor.numpy(x)'s."""
    assert run("import torch\nx = torch.ones(2)\na, b = torch.Tensor.numpy(x), x.numpy()\n"
               "print(type(a) is type(b), a, torch.Tensor.tolist(x))\n") == \
        "True [1. 1.] [1.0, 1.0]\n"


@pytest.mark.parametrize("call, message", [
    ("torch.Tensor.view()", "TypeError: unbound method TensorBase.view() needs an argument"),
    ("torch.Tensor.add(1, 2)",
     "TypeError: descriptor 'add' for 'torch._C.TensorBase' objects doesn't apply to a 'int' "
     "object"),
    ("torch.Tensor.view([1], 1)",
     "TypeError: descriptor 'view' for 'torch._C.TensorBase' objects doesn't apply to a "
     "'list' object"),
    ("torch.Tensor.nosuch", "AttributeError: type object 'Tensor' has no attribute 'nosuch'"),
    # a property stays unreadable from the class (PyTorch gives its getset descriptor)
    ("torch.Tensor.shape", "AttributeError: type object 'Tensor' has no attribute 'shape'"),
])
def test_bad_calls_are_pytorchs_errors(call, message):
    with pytest.raises(TshRuntimeError) as info:
        run("import torch\n" + call + "\n")
    assert message in info.value.format()
