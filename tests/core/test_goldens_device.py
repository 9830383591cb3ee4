"""The golden cases again, with every new tensor on the CUDA device.

On a machine with CuPy and a GPU this runs the real CUDA backend; elsewhere it runs the
stand-in device (tshell/core/fake_cuda.py). Output must equal torch's CPU goldens once the
device suffixes are taken out. Cases that are about host memory (NumPy interop, .cpu(),
devices themselves) are left to the CPU run.
"""
from __future__ import annotations

import re

import numpy
import pytest

from tests.core.test_goldens import _CASES, _cc

# Host-memory cases, and cases that inspect str(tensor) as text (the suffix changes it).
_HOST_ONLY = re.compile(r"numpy|np\.|from_numpy|device|cuda|cpu|data_ptr|storage|as_tensor|"
                        r"__array__|set_default_dtype|set_default_tensor_type|str\(|repr\(")
# Cases whose CPU output rests on what a GPU leaves open, in PyTorch as in CuPy: which of
# several writes to one place wins (scatter, put and index_put without accumulate, given
# repeated indices), the last float32 digit of a residual or a running variance, and that of
# float32 exp and log (CUDA's own functions on a GPU, in PyTorch as in CuPy).
_CPU_ONLY = {"scatter_index/scatter-src", "scatter_index/scatter-fn-kw",
             "scatter_index/scatter-dim1-neg", "scatter_index/scatter-int32-index",
             "scatter_index/scatter-int-src", "scatter_index/index-put-dup-no-acc",
             "scatter_index/put", "scatter_index/put-grads", "shape_linalg/inverse_values",
             "conv_pool_norm/instance_norm_running", "tutorial_bugs/tb_float32_exp_of_integers",
             "checkpoint_errors/checkpoint_error_metadata"}    # prints the device
# Families about the CPU's algorithms: the order of equal keys in an unstable sort (std::sort
# on the CPU; PyTorch's CUDA sorts order them otherwise), the CPU generator's random streams
# (PyTorch's CUDA generator is Philox: other numbers), and the families whose values come from
# that generator (default initialisations, rand/randn into out=).
_CPU_FAMILIES = ("sort_ties/", "random_streams/", "random_out/", "nn_parametrizations/",
                 "nn_utils_more/", "optim_swa_utils/")
_DEVICE_CASES = [c for c in _CASES
                 if not _HOST_ONLY.search(c["code"]) and c["id"] not in _CPU_ONLY
                 and not c["id"].startswith(_CPU_FAMILIES)]
_DEVICE_SUFFIX = re.compile(r",\s*device='cuda:0'|device='cuda:0',\s*")
_WRAPPED_SUFFIX = re.compile(r",\s*\n\s*(dtype=|grad_fn=|requires_grad=|tangent=)")
_CUDA_TYPE_NAME = re.compile(r"torch\.cuda\.(\w+Tensor)")    # x.type() on a GPU


def _strip_device(text):
    text = _CUDA_TYPE_NAME.sub(r"torch.\1", _DEVICE_SUFFIX.sub("", text))
    return _WRAPPED_SUFFIX.sub(r", \1", text)


@pytest.mark.parametrize("case", _DEVICE_CASES, ids=[c["id"] for c in _DEVICE_CASES])
def test_golden_on_cuda(case, cuda_device):
    import tshell.core as core
    core.set_default_device(cuda_device)
    try:
        actual = _cc.run_case(case, core, numpy)
    finally:
        core.set_default_device("cpu")
    exp_n = _strip_device(_cc.normalize(case["expected"], case))
    act_n = _strip_device(_cc.normalize(actual, case))
    assert exp_n == act_n or _cc.close_enough(exp_n, act_n), (
        f"snippet:\n{case['code']}\nexpected (torch, CPU):\n{exp_n}\ngot on cuda:\n{act_n}")
