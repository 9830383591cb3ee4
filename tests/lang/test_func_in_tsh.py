"""torch.func, torch.vmap, torch.signal and torch.quasirandom from tsh programs: tsh functions
and tsh-defined modules go through the transforms as other callbacks do, errors raised in
them keep tshell's format, the import forms, and what the sandbox lets a program reach."""
from __future__ import annotations

import io

import pytest

from tshell.lang import Interpreter, TshError


def run(src):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "<test>")
    return out.getvalue()


def test_transforms_of_tsh_functions():
    out = run("""
from torch.func import grad, vmap, jacrev, hessian
def loss(w, x):
    return ((x @ w).tanh() ** 2).sum()
w = torch.tensor([0.5, -1.0])
xs = torch.arange(6.).view(3, 2) / 4
per_sample = vmap(grad(loss), in_dims=(None, 0))(w, xs)
print(per_sample.shape)
total = grad(loss)(w, xs)
print(torch.allclose(per_sample.sum(0), total))
print(jacrev(lambda v: v * v)(torch.tensor([1.0, 2.0])))
print(hessian(lambda v: (v ** 3).sum())(torch.tensor([1.0, 2.0])))
print(torch.vmap(lambda row: row.max())(xs))
""")
    assert out.splitlines() == [
        "torch.Size([3, 2])", "True", "tensor([[2., 0.],", "        [0., 4.]])",
        "tensor([[ 6.,  0.],", "        [ 0., 12.]])", "tensor([0.2500, 0.7500, 1.2500])"]


def test_functional_call_of_a_tsh_module_restores_it_after_an_error():
    out = run("""
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(2, 1)
    def forward(self, x):
        if x.sum() > 100:
            raise ValueError("too big")
        return self.fc(x)
net = Net()
before = net.fc.weight.clone()
p = {"fc.weight": torch.ones(1, 2), "fc.bias": torch.zeros(1)}
print(torch.func.functional_call(net, p, (torch.tensor([[1.0, 2.0]]),)))
try:
    torch.func.functional_call(net, p, (torch.full((1, 2), 99.0),))
except ValueError as e:
    print("caught", e)
print(torch.equal(net.fc.weight, before), type(net.fc.weight).__name__)
""")
    assert out.splitlines() == ["tensor([[3.]])", "caught too big", "True Parameter"]


def test_an_error_in_a_mapped_tsh_function_points_at_its_line():
    with pytest.raises(TshError) as info:
        run("def f(x):\n    return x.view(7)\ntorch.vmap(f)(torch.ones(3, 2))\n")
    text = info.value.format()
    assert "RuntimeError: shape '[7]' is invalid for input of size 2" in text
    assert "<test>:2:" in text


def test_signal_windows_and_sobol_from_tsh():
    out = run("""
from torch.signal.windows import hann
from torch.quasirandom import SobolEngine
print(hann(4))
e = SobolEngine(2)
print(e.draw(3), e.num_generated, e)
""")
    assert out.splitlines() == [
        "tensor([0.0000, 0.7500, 0.7500, 0.0000])",
        "tensor([[0.0000, 0.0000],", "        [0.5000, 0.5000],",
        "        [0.7500, 0.2500]]) 3 SobolEngine(dimension=2)"]


@pytest.mark.parametrize("src", [
    "torch.vmap(print).__wrapped__",
    "torch.func.grad(abs).__globals__",
    "e = torch.quasirandom.SobolEngine(2)\ne._first_point",
    "e = torch.quasirandom.SobolEngine(2)\ne.num_generated = 3",
])
def test_the_new_values_expose_only_their_public_names(src):
    with pytest.raises(TshError) as info:
        run(src)
    assert info.value.type_name == "AttributeError"
