"""Shared fixtures: the CUDA device, real when CuPy sees a GPU, else the stand-in; a small
memory cap."""
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


@pytest.fixture
def small_cap():
    """A memory cap of 64 MB (16 MB per Python value) for the duration of the test."""
    from tshell.core import limits
    old = limits.CAP.bytes
    limits.set_max_memory("64MB")
    try:
        yield
    finally:
        limits.CAP.bytes = old
