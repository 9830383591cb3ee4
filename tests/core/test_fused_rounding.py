"""add/sub with alpha, rsub, addcmul, lerp and addcdiv give PyTorch 2.13's bits in float32 and
float64 (the cases of the fused_rounding golden family; see tshell/core/ops/fma.py).

PyTorch's CPU loops compute a vector's tail (the last n % 32 elements on AVX-512) with
scalar code, which rounds some of these ops differently from the vector body: float16 in
half precision, and `add(tensor, number, alpha=)` with the number times alpha rounded once
outside the loop. Those cases (float16, add-scalar-alpha) are compared by the generic golden
test only, with its relative tolerance.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

import tshell.core

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
_NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")


def _runner():
    spec = importlib.util.spec_from_file_location("core_cases", GOLDEN / "core_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_CC = _runner()
_CASES = [c for c in json.loads((GOLDEN / "families" / "fused_rounding.json").read_text())
          ["cases"] if not c["id"].startswith("float16") and "scalar-alpha" not in c["id"]]


@pytest.mark.parametrize("case", _CASES, ids=[c["id"] for c in _CASES])
def test_same_bits_as_pytorch(case):
    actual = _CC.run_case(case, tshell.core, np)
    expected = case["expected"]
    assert len(_NUMBER.findall(expected)) >= 40
    assert actual == expected
