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


# ---- the BLAS path (blas.py) and the emulation (fma.py) agree wherever either applies --------
def _data(dtype, shape=(64, 33), seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_blas_axpy_rounds_as_the_emulation(dtype):
    from tshell.core.ops import blas, fma
    y, x = _data(dtype, seed=1), _data(dtype, seed=2)
    expected = fma.fused_multiply_add(x, dtype(-0.37), y, np.dtype(dtype))
    assert not np.array_equal(expected, y + dtype(-0.37) * x)
    if not blas.axpy(y, x, -0.37):
        pytest.skip("NumPy's BLAS has no axpy that rounds once here")
    assert np.array_equal(y, expected)



@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_blas_axpy_rounds_once_in_every_tail(dtype):
    """OpenBLAS's Haswell/Zen axpy rounds the elements past its last whole vector twice;
    axpy gives it whole vectors only, so every length and chunk boundary rounds once, x
    aliasing y included."""
    from tshell.core.ops import blas, fma
    if not blas.has_axpy(np.dtype(dtype)):
        pytest.skip("NumPy's BLAS has no axpy that rounds once here")
    rng = np.random.default_rng(3)
    sizes = list(range(2 * blas.VECTOR + 3)) + [blas.CHUNK - 1, blas.CHUNK + 1,
                                                  2 * blas.CHUNK + 17]
    for n in sizes:
        x, y = rng.standard_normal((2, n)).astype(dtype)
        expected = fma.fused_multiply_add(x, dtype(-0.1), y, np.dtype(dtype))
        assert blas.axpy(y, x, -0.1) and np.array_equal(y, expected), n
        alias = fma.fused_multiply_add(x, dtype(0.3), x, np.dtype(dtype))
        assert blas.axpy(x, x, 0.3) and np.array_equal(x, alias), n

@pytest.mark.parametrize("layout", ["contiguous", "transposed", "broadcast", "alias",
                                    "overlap", "int"])
def test_add_alpha_in_place_same_bits_on_every_path(layout):
    """x.add_(y, alpha=) through BLAS, the emulation, or the general path: the same values
    as the out-of-place op computed through the emulation."""
    import tshell.core as torch
    from tshell.core.ops import fma
    x = torch.from_numpy(_data(np.float32, seed=3))
    y = torch.from_numpy(_data(np.float32, seed=4))
    if layout == "transposed":
        x, y = x.t(), y.t()
    elif layout == "broadcast":
        y = y[0]
    elif layout == "alias":
        y = x
    elif layout == "overlap":
        x, y = x[1:], x[:-1]
    elif layout == "int":
        x, y = torch.arange(12), torch.arange(12)
    dtype = x.numpy().dtype
    expected = fma.fused_multiply_add(np.broadcast_to(y.numpy(), x.shape).copy(),
                                      np.array(3 if layout == "int" else 0.3, dtype)[()],
                                      x.numpy().copy(), dtype)
    x.add_(y, alpha=3 if layout == "int" else 0.3)
    assert np.array_equal(x.numpy(), expected)


def test_sub_alpha_in_place_and_version():
    import tshell.core as torch
    x = torch.from_numpy(_data(np.float32, seed=5))
    y = torch.from_numpy(_data(np.float32, seed=6))
    expected = x.sub(y, alpha=0.25)
    version = x._version
    x.sub_(y, alpha=0.25)
    assert torch.equal(x, expected)
    assert x._version == version + 1          # autograd sees the write


TERNARY = {      # op -> (method, its arguments from two tensors a and b)
    "lerp-small": ("lerp", lambda a, b: ((a, 0.3), {})),
    "lerp-large": ("lerp", lambda a, b: ((a, -0.8), {})),
    "lerp-tensor-weight": ("lerp", lambda a, b: ((a, b.sigmoid()), {})),
    "addcmul": ("addcmul", lambda a, b: ((a, b), {"value": -0.7})),
    "addcmul-same": ("addcmul", lambda a, b: ((a, a), {"value": 0.001})),
    "addcdiv": ("addcdiv", lambda a, b: ((a, b.abs() + 0.5), {"value": 0.3})),
}


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "broadcast", "float64",
                                    "float16", "grad"])
@pytest.mark.parametrize("op", sorted(TERNARY))
def test_in_place_ternary_ops_equal_their_out_of_place_form(op, layout):
    """lerp_/addcmul_/addcdiv_ write into x directly when they can (ops/direct_inplace.py)
    and through the general in-place op otherwise: both give the out-of-place op's bits."""
    import tshell.core as torch
    dtype = {"float64": np.float64, "float16": np.float16}.get(layout, np.float32)
    x, a, b = (torch.from_numpy(_data(dtype, seed=s)) for s in (7, 8, 9))
    if layout == "transposed":
        x, a, b = x.t(), a.t(), b.t()
    elif layout == "broadcast":
        a, b = a[0], b[:, :1]
    name, arguments = TERNARY[op]
    args, kwargs = arguments(a, b)
    expected = getattr(x, name)(*args, **kwargs)
    if layout == "grad":                      # a leaf that requires grad, as in a step()
        x.requires_grad_()
        with torch.no_grad():
            got = getattr(x, name + "_")(*args, **kwargs)
    else:
        got = getattr(x, name + "_")(*args, **kwargs)
    assert got is x
    assert np.array_equal(x.detach().numpy(), expected.numpy())


def test_in_place_ternary_ops_keep_their_errors():
    import tshell.core as torch
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.addcmul_(torch.ones(2), torch.ones(2))
    with pytest.raises(RuntimeError, match="expected dtype float for `end`"):
        torch.ones(2).lerp_(torch.ones(2, dtype=torch.float64), 0.5)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        torch.ones(2).addcdiv_(torch.ones(3, 2), torch.ones(2))
