"""Shared fixtures: the CUDA device, real when CuPy sees a GPU, else the stand-in."""
from __future__ import annotations

import pytest


def real_cuda_available():
    from tshell.core import backend
    return backend.cupy_module() is not None


@pytest.fixture
def cuda_device():
    """'cuda' works for the duration of the test (the stand-in device without a GPU)."""
    from tshell.core import fake_cuda
    fake = not real_cuda_available()
    if fake:
        fake_cuda.enable_fake_cuda()
    try:
        yield "cuda"
    finally:
        if fake:
            fake_cuda.disable_fake_cuda()
