"""The finite-difference gradient checks again, with every tensor on the CUDA device.

Real CUDA where CuPy sees a GPU, the stand-in device elsewhere (tests/conftest.py).
"""
from __future__ import annotations

import pytest

import tshell.core as torch
from tests.core.test_gradcheck import CASES, SECOND, check, check_second


@pytest.fixture
def on_cuda(cuda_device):
    torch.set_default_device(cuda_device)
    try:
        yield
    finally:
        torch.set_default_device("cpu")


@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck_on_cuda(name, on_cuda):
    f, *arrays = CASES[name]
    check(f, *arrays)


@pytest.mark.parametrize("name", list(SECOND))
def test_second_derivative_on_cuda(name, on_cuda):
    f, *arrays = SECOND[name]
    check_second(f, *arrays)
