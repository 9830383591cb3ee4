"""torch.set_flush_denormal: the CPU's FTZ/DAZ bits for this thread, so NumPy's arithmetic
flushes denormals as PyTorch's kernels do (tshell.core.denormals)."""
import platform

import numpy as np
import pytest

import tshell.core as torch

X86_GLIBC = platform.machine().lower() in ("x86_64", "amd64") and \
    platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not X86_GLIBC, reason="FTZ/DAZ are set through glibc on x86-64")
def test_flushing_turns_denormals_to_zero_and_back():
    tiny = np.array([1e-323])
    try:
        assert torch.set_flush_denormal(True) is True
        assert (tiny * 1.0)[0] == 0.0 and str(torch.tensor([1e-323], dtype=torch.float64)) \
            == "tensor([0.], dtype=torch.float64)"
    finally:
        assert torch.set_flush_denormal(False) is True
    assert (tiny * 1.0)[0] == 1e-323
    assert str(torch.tensor([1e-323], dtype=torch.float64)) == \
        "tensor([9.8813e-324], dtype=torch.float64)"


def test_flushing_takes_a_bool():
    with pytest.raises(RuntimeError, match="flush_denormal expects a bool, but got int"):
        torch.set_flush_denormal(1)
