"""Fused elementwise expressions: plans, the reference executor against the eager ops, and
the compiler's fused path end to end on the stand-in device (no GPU needed).

The reference executor (cuda_kernels/reference.py) runs the same typed plan the CUDA source
is generated from; here it must equal the eager ops bitwise on random expressions, dtypes,
broadcast shapes and Python numbers. On a GPU, test_cuda_kernels_gpu.py checks the kernels
themselves against the eager CUDA ops.
"""
from __future__ import annotations

import io
import random

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import backend, fake_cuda
from tshell.core.dtypes import require_available
from tshell.core.cuda_kernels import ir
from tshell.core.cuda_kernels.fusion import FusedExpression
from tshell.core.cuda_kernels.launch import ReferenceLauncher
from tshell.core.cuda_kernels.reference import run_plan
from tshell.lang import Interpreter

DTYPES = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
          torch.float16, torch.bfloat16, torch.float32, torch.float64]
SHAPES = [(), (1,), (3,), (2, 3), (2, 1), (1, 3), (4, 2, 3)]
BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "gt", "lt", "ge", "le", "eq", "ne"]
UNARY = ["neg", "abs", "relu", "exp", "log", "sqrt", "tanh", "sigmoid"]
EAGER = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
         "div": lambda a, b: a / b, "gt": lambda a, b: a > b, "lt": lambda a, b: a < b,
         "ge": lambda a, b: a >= b, "le": lambda a, b: a <= b, "eq": lambda a, b: a == b,
         "ne": lambda a, b: a != b, "neg": lambda a: -a}


def _eager(tree, values):
    """The expression with tshell.core's eager ops (the reference the fused path must equal)."""
    if tree[0] == "leaf":
        return values[tree[1]]
    if tree[0] == "pow":
        return _eager(tree[1], values) ** tree[2]
    args = [_eager(t, values) for t in tree[1:]]
    if tree[0] in EAGER:
        return EAGER[tree[0]](*args)
    return getattr(torch, tree[0])(*args)


def _random_tensor(rng, dtype, shape):
    if dtype is torch.bool:
        return torch.from_numpy(rng.random(shape) > 0.5) if shape else torch.tensor(True)
    if dtype.is_floating_point:
        a = (rng.standard_normal(shape) * 3).astype(require_available(dtype).np)
        flat = a.reshape(-1)
        if flat.size > 2:
            flat[:2] = [np.nan, 0.0]                # NaN and zero in every float operand
        return torch.from_numpy(a)
    info = np.iinfo(dtype.np)
    lo, hi = max(info.min, -200), min(info.max, 200)
    return torch.from_numpy(rng.integers(lo, hi + 1, size=shape).astype(dtype.np))


def _random_tree(rnd, depth, leaves):
    if depth == 0 or rnd.random() < 0.25:
        leaves.append(None)
        return ("leaf", len(leaves) - 1)
    kind = rnd.random()
    if kind < 0.5:
        return (rnd.choice(BINARY), _random_tree(rnd, depth - 1, leaves),
                _random_tree(rnd, depth - 1, leaves))
    if kind < 0.75:
        return (rnd.choice(UNARY), _random_tree(rnd, depth - 1, leaves))
    if kind < 0.85:
        return ("pow", _random_tree(rnd, depth - 1, leaves), rnd.choice([2, 3, 0.5, -1, 1.5]))
    cond = ("gt", _random_tree(rnd, depth - 1, leaves), _random_tree(rnd, depth - 1, leaves))
    return ("where", cond, _random_tree(rnd, depth - 1, leaves),
            _random_tree(rnd, depth - 1, leaves))


def _random_values(rng, rnd, n):
    values = []
    for _ in range(n):
        if rnd.random() < 0.25:
            values.append(rnd.choice([2, -3, 300, 0.5, -1.25, True, 1e10]))
        else:
            values.append(_random_tensor(rng, rnd.choice(DTYPES), rnd.choice(SHAPES)))
    return values


def _kinds(values):
    return tuple((v.dtype, v.dim() != 0) if isinstance(v, torch.Tensor) else v.__class__
                 for v in values)


def _same(actual, expected):
    """Bitwise equality, NaN equal to NaN (of any payload)."""
    a, e = np.asarray(actual), np.asarray(expected)
    if a.dtype != e.dtype or a.shape != e.shape:
        return False
    if a.dtype.kind not in "biu":          # floats, bfloat16 too: exactly as float64
        a, e = a.astype(np.float64), e.astype(np.float64)
        return bool(np.all((a == e) & (np.signbit(a) == np.signbit(e)) |
                           (np.isnan(a) & np.isnan(e))))
    return bool(np.array_equal(a, e))


def test_reference_executor_equals_the_eager_ops_on_random_expressions():
    rng, rnd = np.random.default_rng(0), random.Random(0)
    compared = refused = 0
    for _ in range(1500):
        leaves = []
        tree = _random_tree(rnd, 3, leaves)
        values = _random_values(rng, rnd, len(leaves))
        try:
            expected = _eager(tree, values)
        except Exception:
            expected = None
        plan = ir.make_plan(tree, _kinds(values))
        if plan is None:
            refused += 1
            continue
        assert expected is not None and isinstance(expected, torch.Tensor), (tree, values)
        tensors = [values[i].numpy() for i in plan.tensor_leaves]
        scalars = [values[i] for i in plan.scalar_leaves]
        actual = np.broadcast_to(run_plan(plan, tensors, scalars), expected.shape)
        assert plan.result is expected.dtype, (tree, _kinds(values))
        assert _same(actual, expected.numpy()), (tree, _kinds(values), actual, expected)
        compared += 1
    assert compared > 500 and refused > 50      # both paths really exercised


@pytest.mark.parametrize("tree, kinds, result", [
    (("add", ("leaf", 0), ("leaf", 1)), ((torch.int32, True), float), torch.float32),
    (("mul", ("leaf", 0), ("leaf", 1)), ((torch.float16, True), (torch.float32, False)),
     torch.float16),                                  # a 0-dim tensor does not promote
    (("add", ("leaf", 0), ("leaf", 1)), ((torch.uint8, True), (torch.int8, True)), torch.int16),
    (("div", ("leaf", 0), ("leaf", 1)), ((torch.int64, True), int), torch.float32),
    (("gt", ("leaf", 0), ("leaf", 1)), ((torch.float64, True), int), torch.bool),
    (("pow", ("leaf", 0), 2), ((torch.int8, True),), torch.int8),
])
def test_plan_dtypes_follow_the_core_promotion(tree, kinds, result):
    assert ir.make_plan(tree, kinds).result is result


@pytest.mark.parametrize("tree, kinds", [
    (("sub", ("leaf", 0), ("leaf", 1)), ((torch.bool, True), (torch.bool, True))),
    (("add", ("leaf", 0), ("leaf", 1)), (int, float)),              # Python's arithmetic
    (("pow", ("leaf", 0), -1), ((torch.int32, True),)),             # the eager op's error
    (("add", ("leaf", 0), ("leaf", 1)), ((torch.complex64, True), int)),
    (("where", ("leaf", 0), ("leaf", 1), ("leaf", 2)), ((torch.int32, True), int, int)),
    (("neg", ("leaf", 0)), ((torch.bool, True),)),
])
def test_plans_refuse_what_the_eager_ops_must_run(tree, kinds):
    assert ir.make_plan(tree, kinds) is None


def test_scalars_take_their_consumers_dtype():
    plan = ir.make_plan(("add", ("leaf", 0), ("leaf", 1)), ((torch.int8, True), int))
    assert plan.scalar_dtypes == (torch.int8,)
    r = run_plan(plan, [np.array([100], np.int8)], [300])        # 300 wraps to 44, as eager
    assert r.tolist() == (torch.tensor([100], dtype=torch.int8) + 300).tolist() == [-112]


# ---- the compiler's fused path, on the stand-in device ------------------------------------

class CountingLauncher:
    """A launcher that counts its runs (the fused path really taken) and delegates."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def run(self, *args, **kwargs):
        self.calls += 1
        return self.inner.run(*args, **kwargs)


@pytest.fixture
def fused_device(cuda_device):
    """The CUDA device with a counted fusion launcher: on a GPU the CuPy kernels, on the
    stand-in device the reference executor."""
    array_type = backend.load_cuda().xp.ones(1).__class__
    inner = backend.FUSION_LAUNCHERS.get(array_type)
    if inner is None:
        if array_type is not fake_cuda.FakeCudaArray:
            pytest.skip("fusion is off (TSHELL_FUSION=0)")
        inner = ReferenceLauncher(array_type)
    launcher = backend.FUSION_LAUNCHERS[array_type] = CountingLauncher(inner)
    try:
        yield launcher
    finally:
        if inner.__class__ is ReferenceLauncher:
            del backend.FUSION_LAUNCHERS[array_type]
        else:
            backend.FUSION_LAUNCHERS[array_type] = inner


def run(src):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    return out.getvalue()


PROGRAMS = [
    "x = torch.arange(6.).view(2, 3).to('cuda')\ny = (3 * (x + 2) ** 2).mean()\nprint(y)",
    "x = torch.linspace(-3, 3, 7, device='cuda')\nprint(x * torch.sigmoid(x))",
    "a = torch.arange(6, device='cuda').view(2, 3)\nb = torch.tensor([1, 2, 3], "
    "device='cuda')\nc = torch.tensor(2.5, device='cuda')\nprint(a * b + c, (a * b + 1).dtype)",
    "x = torch.arange(4, dtype=torch.uint8, device='cuda')\nprint(x * 100 + 250, -x + 1)",
    "x = torch.tensor([1., -2., float('nan')], device='cuda', dtype=torch.float16)\n"
    "print(torch.where(x > 0, x * 2, -x), torch.relu(x) - 1)",
    "x = torch.arange(6, device='cuda')\nprint(x * 2 >= 5, torch.where(x % 2 == 0, x, -1))",
    "x = torch.arange(6., device='cuda')\nprint(torch.maximum(x * 2, x + 3) / 4, "
    "torch.exp(-x) * torch.sqrt(x), torch.tanh(x / 3) + torch.log(x + 1))",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_fused_programs_print_what_the_eager_ones_print(src, fused_device):
    fused_out = run(src)
    assert fused_device.calls >= 1
    saved = backend.FUSION_LAUNCHERS.copy()
    backend.FUSION_LAUNCHERS.clear()
    try:
        assert run(src) == fused_out
    finally:
        backend.FUSION_LAUNCHERS.update(saved)


def test_sgd_update_in_place_bumps_the_version(fused_device):
    out = run("w = torch.ones(3, device='cuda')\nv = w\ng = torch.full((3,), 2., device='cuda')\n"
              "w -= 0.1 * g\nprint(w, v is w)")
    assert fused_device.calls == 1
    assert out == "tensor([0.8000, 0.8000, 0.8000], device='cuda:0') True\n"
    w, g = torch.ones(3, device="cuda"), torch.full((3,), 2.0, device="cuda")
    update = FusedExpression(("sub", ("leaf", 0), ("mul", ("leaf", 1), ("leaf", 2))))
    assert update.run([w, 0.1, g], w) is w and w._version == 1


def test_in_place_declines_overlap_and_casts_it_cannot_do(fused_device):
    out = run("w = torch.arange(4., device='cuda').view(2, 2)\nr = w.t()\nw -= 2 * r\nprint(w)\n"
              "i = torch.arange(3, device='cuda')\ntry:\n    i += 0.5 * i\nexcept RuntimeError "
              "as e:\n    print('error')")
    assert fused_device.calls == 0
    assert out == "tensor([[ 0., -3.],\n        [ 0., -3.]], device='cuda:0')\nerror\n"


def test_autograd_runs_the_eager_graph(fused_device):
    out = run("x = torch.ones(2, device='cuda', requires_grad=True)\ny = x * 2 + 1\nprint(y)\n"
              "y.sum().backward()\nprint(x.grad)")
    assert fused_device.calls == 0
    assert out == ("tensor([3., 3.], device='cuda:0', grad_fn=<AddBackward0>)\n"
                   "tensor([2., 2.], device='cuda:0')\n")


def test_cpu_tensors_and_rebound_functions_are_not_fused(fused_device):
    out = run("x = torch.ones(2)\nprint(x * 2 + 1)\nclass T:\n    def sigmoid(self, v):\n"
              "        return 'mine'\ntorch2 = T()\ny = torch.ones(2, device='cuda')\n"
              "print(y * torch2.sigmoid(y) if False else torch2.sigmoid(y))")
    assert fused_device.calls == 0
    assert out == "tensor([3., 3.])\nmine\n"


def test_mixed_devices_keep_the_eager_error(fused_device):
    from tshell.lang import TshRuntimeError
    with pytest.raises(TshRuntimeError) as e:
        run("a = torch.ones(2)\nb = torch.ones(2, device='cuda')\nc = a * b + 1")
    assert "Expected all tensors to be on the same device" in str(e.value)


def test_a_cpu_program_never_loads_the_kernels():
    import subprocess
    import sys
    code = ("import sys, io; from tshell.lang import Interpreter; "
            "Interpreter(stdout=io.StringIO()).run_source("
            "'x = torch.ones(3)\\ny = (3 * (x + 2) ** 2).mean()\\nx -= 0.1 * x', 't.tsh'); "
            "print(any(m.startswith('tshell.core.cuda_kernels') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
