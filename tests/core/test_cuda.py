"""Device rules: transfers, mixed devices, printing, errors, and CuPy's lazy import.

Runs on the stand-in device without a GPU (tests/conftest.py), on CuPy with one.
"""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import cuda


def test_transfer_round_trip_and_printing(cuda_device):
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    y = x.to(cuda_device)
    assert y.is_cuda and y.device == torch.device("cuda", 0)
    assert str(y.device) == "cuda:0"
    assert repr(y.device) == "device(type='cuda', index=0)"
    assert repr(y) == "tensor([[1., 2.],\n        [3., 4.]], device='cuda:0')"
    assert repr(y.double()) == ("tensor([[1., 2.],\n        [3., 4.]], device='cuda:0', "
                                "dtype=torch.float64)")
    back = y.cpu()
    assert not back.is_cuda and back.tolist() == x.tolist()
    assert y.to("cpu", torch.double).dtype is torch.float64


def test_to_is_identity_when_nothing_changes(cuda_device):
    y = torch.ones(2, device=cuda_device)
    assert y.to("cuda") is y and y.cuda() is y
    x = torch.ones(2)
    assert x.cpu() is x and x.to("cpu") is x


def test_creation_on_device(cuda_device):
    for t in (torch.zeros(2, 3, device="cuda"), torch.ones(2, device="cuda:0"),
              torch.rand(3, device="cuda"), torch.randn(3, device=torch.device("cuda")),
              torch.arange(4, device="cuda"), torch.tensor([1, 2], device="cuda"),
              torch.full((2,), 7.0, device="cuda"), torch.eye(2, device="cuda")):
        assert t.is_cuda, t
    x = torch.ones(2, 2)
    assert torch.ones_like(x, device=cuda_device).is_cuda
    assert torch.randn_like(x, device=cuda_device).is_cuda
    assert torch.zeros(2, device="cuda").new_ones(3).is_cuda


def test_seed_tutorial_cuda_block(cuda_device):
    x = torch.ones(5, 3)
    device = torch.device("cuda")
    y = torch.ones_like(x, device=device)
    x = x.to(device)
    z = x + y
    assert repr(z).endswith("device='cuda:0')")
    assert repr(z.to("cpu", torch.double)).endswith("dtype=torch.float64)")


def test_mixed_devices_error(cuda_device):
    a, b = torch.ones(2), torch.ones(2, device="cuda")
    msg = ("Expected all tensors to be on the same device, but found at least two devices, "
           "cuda:0 and cpu!")
    for f in (lambda: a + b, lambda: b * a, lambda: torch.cat([a, b]),
              lambda: torch.ones(2, 2).mm(torch.ones(2, 2, device="cuda")),
              lambda: torch.where(b > 0, a, b)):
        with pytest.raises(RuntimeError) as e:
            f()
        assert str(e.value) == msg


def test_numpy_of_cuda_tensor_is_an_error(cuda_device):
    with pytest.raises(TypeError) as e:
        torch.ones(2, device="cuda").numpy()
    assert str(e.value) == ("can't convert cuda:0 device type tensor to numpy. Use "
                            "Tensor.cpu() to copy the tensor to host memory first.")


def test_autograd_across_devices(cuda_device):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.to("cuda")
    assert y.grad_fn.name() == "ToCopyBackward0"
    (y * y).sum().backward()
    assert not x.grad.is_cuda
    assert x.grad.tolist() == [2.0, 4.0, 6.0]


def test_results_stay_on_device(cuda_device):
    x = torch.randn(4, 3, device="cuda", requires_grad=True)
    outs = [x.sum(), x.mean(0), x.max(), x.max(1).values, x.max(1).indices, x.argmax(),
            x.softmax(1), x @ x.t(), x[x > 0], x[0, 1], x.norm(), x.std(), x.cumsum(0),
            x.clamp(0, 1), torch.where(x > 0, x, 0.0), x.sort(0).values, x.view(-1)]
    for o in outs:
        assert o.is_cuda, o
    (x.softmax(1) * x).sum().backward()
    assert x.grad.is_cuda


def test_is_available_reflects_the_device(cuda_device):
    assert cuda.is_available() and cuda.device_count() >= 1


def test_without_cuda_the_error_says_what_to_install():
    if cuda.is_available():
        pytest.skip("a CUDA device is present")
    assert cuda.device_count() == 0
    with pytest.raises(RuntimeError) as e:
        torch.ones(2).to("cuda")
    assert "pip install 'tshell[cuda]'" in str(e.value)
    with pytest.raises(RuntimeError):
        torch.zeros(2, device="cuda")


def test_cpu_code_never_imports_cupy():
    code = ("import sys, tshell.core as t; x = t.ones(2, 2) + 1; x.sum().item(); "
            "print('cupy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_device_objects():
    assert torch.device("cuda:1").index == 1
    assert torch.device("cpu") == torch.device("cpu")
    assert torch.device("cpu") != "cpu"        # PyTorch 2.13 compares a device with devices only
    with pytest.raises(RuntimeError):
        torch.device("tpu")
    assert np.asarray(torch.ones(1)).shape == (1,)
