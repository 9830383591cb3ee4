"""float32/float16/bfloat16 sums, means, variances and norms at least as accurate as
PyTorch's cascade sum: the error against a float64 reference is at most PyTorch 2.13's on the
same data (NumPy's own sums were up to 3x worse along a contiguous axis, and 150x worse in
half precision along a strided one)."""
import pytest

import tshell.core as torch
from tests.core.sum_accuracy_cases import CASES, error

# Printed by `/work/torchenv/bin/python -m tests.core.sum_accuracy_cases` (PyTorch 2.13, CPU).
TORCH_ERRORS = {
    'sum_f32_contiguous': 0.00034332275390625,
    'sum_f32_strided_axis': 4.868209362030029e-05,
    'sum_f32_middle_axis': 9.22083854675293e-05,
    'mean_f32': 3.582027326555319e-09,
    'var_f32_axis': 4.729103579848015e-07,
    'std_f32': 6.563053833730237e-08,
    'norm_f32': 6.033922477399756e-05,
    'sum_f16_contiguous': 0.0078125,
    'sum_f16_strided_axis': 0.0068359375,
    'mean_f16_strided_axis': 1.2573242187501055e-06,
    'sum_bf16_strided_axis': 0.0546875,
}


def test_every_case_has_torchs_error():
    assert set(TORCH_ERRORS) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_at_most_torchs(case):
    assert error(torch, case) <= TORCH_ERRORS[case]


def test_small_float32_sum_keeps_its_dtype_and_value():
    x = torch.arange(10, dtype=torch.float32) / 3
    assert x.sum().dtype is torch.float32 and x.sum(0).item() == pytest.approx(15.0)
