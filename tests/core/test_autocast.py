"""Autocast's mechanics (tshell/core/autocast_state.py, autocast_policy.py, registry.bound) beyond
what the goldens of tests/golden/families/amp_compile.py record from PyTorch: which ops check
the state at all, CUDA's policy on the stand-in GPU, the exclusion inside a listed op,
devices and dtypes that are never cast, and finite differences through the casts and a
compiled function."""
from __future__ import annotations

import pytest

import tshell.core as torch
from tshell.core import autocast_policy, autocast_state as state, fake_cuda, registry
from tshell.core.ops import elementwise, linalg, reduction


def test_only_listed_ops_are_wrapped():
    assert autocast_policy.listed("torch", "mm")
    assert autocast_policy.listed("Tensor", "__matmul__")
    assert not autocast_policy.listed("torch", "add")
    assert not autocast_policy.listed("torch", "relu")
    assert not autocast_policy.listed("Tensor_", "addmm")       # in-place twins: no autocast
    assert torch.mm.__wrapped__ is linalg.mm
    assert torch.relu is registry.bound("torch", "relu", torch.relu, False)


def test_the_wrapper_is_made_once_per_op_and_place():
    assert registry.bound("torch", "mm", linalg.mm, False) is torch.mm
    assert registry.bound("Tensor", "mm", linalg.mm, False) is torch.Tensor.mm


def test_outside_a_region_listed_ops_run_as_declared():
    a = torch.ones(2, 2)
    assert not state.ACTIVE
    assert torch.mm(a, a).dtype is torch.float32


def test_state_is_restored_after_an_error_inside_a_region_and_a_listed_op():
    a = torch.ones(2, 2)
    with pytest.raises(RuntimeError):
        with torch.autocast("cpu"):
            torch.mm(a, torch.ones(3, 3))
    assert not torch.is_autocast_enabled("cpu") and not state.ACTIVE
    assert torch.get_autocast_dtype("cpu") is torch.bfloat16


def test_a_listed_op_runs_with_autocast_off_inside():
    seen = []

    class Probe(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

    def spy(*args, **kwargs):
        seen.append(list(state.ACTIVE))
        return linalg.mm(*args, **kwargs)
    wrapped = state.autocast_wrapper(spy, "mm")
    with torch.autocast("cpu"):
        out = wrapped(torch.ones(2, 2), torch.ones(2, 2))
        assert state.ACTIVE == ["cpu"]
    assert seen == [[]] and out.dtype is torch.bfloat16


def test_fp32_ops_keep_their_inner_matmul_in_float32():
    a = torch.randn(3, 4)
    with torch.autocast("cpu"):
        d = torch.cdist(a, a)
    assert d.dtype is torch.float32
    assert torch.allclose(d, torch.cdist(a, a))


def test_float64_and_integer_tensors_are_never_cast():
    with torch.autocast("cpu"):
        assert torch.mm(torch.ones(2, 2, dtype=torch.float64),
                        torch.ones(2, 2, dtype=torch.float64)).dtype is torch.float64
        assert torch.mm(torch.ones(2, 2, dtype=torch.long),
                        torch.ones(2, 2, dtype=torch.long)).dtype is torch.int64
        assert torch.cat([torch.ones(1, dtype=torch.float64),
                          torch.ones(1, dtype=torch.bfloat16)]).dtype is torch.float64


def test_the_casts_are_recorded_and_gradients_keep_the_parameters_dtype():
    w = torch.randn(3, 3, requires_grad=True)
    with torch.autocast("cpu"):
        y = torch.mm(w, w)
    assert y.dtype is torch.bfloat16 and y.grad_fn.name() == "MmBackward0"
    assert [n.name() for n, _ in y.grad_fn.next_functions] == ["ToCopyBackward0"] * 2
    y.float().sum().backward()
    assert w.grad.dtype is torch.float32


@pytest.fixture
def gpu():
    fake_cuda.enable_fake_cuda()
    yield
    fake_cuda.disable_fake_cuda()


def test_cuda_policy_on_the_stand_in_gpu(gpu):
    a = torch.randn(3, 3, device="cuda")
    c = torch.randn(3, 3)
    with torch.autocast("cuda"):
        assert torch.is_autocast_enabled() and torch.get_autocast_dtype("cuda") is torch.float16
        assert torch.mm(a, a).dtype is torch.float16
        assert torch.mv(a, a[0]).dtype is torch.float16            # CUDA's list, not the CPU's
        assert a.half().exp().dtype is torch.float32
        assert a.half().sum().dtype is torch.float32
        assert a.half().sum(dtype=torch.float16).dtype is torch.float16   # set_opt_dtype
        assert torch.atan2(a.half(), a).dtype is torch.float32        # promote
        assert torch.mm(c, c).dtype is torch.float32                 # a CPU tensor: untouched
        with pytest.raises(RuntimeError, match="unsafe to autocast"):
            torch.nn.functional.binary_cross_entropy(a.sigmoid(), a.sigmoid())
        torch.nn.functional.binary_cross_entropy(c.sigmoid(), c.sigmoid())  # CPU: allowed
    assert not torch.is_autocast_enabled()


def test_cpu_and_cuda_regions_nest_independently(gpu):
    a = torch.randn(2, 2, device="cuda")
    c = torch.randn(2, 2)
    with torch.autocast("cpu"), torch.autocast("cuda", dtype=torch.bfloat16):
        assert torch.mm(c, c).dtype is torch.bfloat16
        assert torch.mm(a, a).dtype is torch.bfloat16
        with torch.autocast("cuda", enabled=False):
            assert torch.mm(a, a).dtype is torch.float32
            assert torch.mm(c, c).dtype is torch.bfloat16


def test_grad_scaler_on_the_stand_in_gpu(gpu):
    w = torch.nn.Parameter(torch.ones(2, device="cuda"))
    opt = torch.optim.SGD([w], lr=0.5)
    scaler = torch.amp.GradScaler()
    assert scaler.is_enabled()
    scaler.scale((w * w).sum()).backward()
    scaler.step(opt)
    scaler.update()
    assert torch.equal(w.detach().cpu(), torch.zeros(2))
    assert scaler.get_scale() == 65536.0


def test_cuda_without_a_gpu_warns_and_disables():
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.warns(UserWarning, match="CUDA is not available"):
        region = torch.autocast("cuda")
    with region:
        assert not torch.is_autocast_enabled("cuda")
    with pytest.warns(UserWarning, match="CUDA is not available.  Disabling."):
        assert not torch.amp.GradScaler().is_enabled()


def test_gradcheck_through_autocast_casts_and_a_compiled_function():
    x = torch.randn(3, 3, dtype=torch.float64, requires_grad=True)
    f = torch.compile(lambda t: (t @ t).tanh().sum(-1))
    assert torch.autograd.gradcheck(f, (x,))
    y = f(x)
    assert y.grad_fn.name() == "CompiledFunctionBackward"
    assert torch.compile(lambda t: t @ t, backend="eager")(x).grad_fn.name() == "MmBackward0"

    # through the casts: float64 -> float32 -> float16 (autocast) -> float64, the gradient
    # in float64, within float16's rounding of the exact one (d sum(Z @ Z) / dZ)
    z = torch.tensor([[0.5, -1.25], [2.0, 0.75]], dtype=torch.float64, requires_grad=True)
    with torch.autocast("cpu", dtype=torch.float16):
        out = torch.mm(z.float(), z.float())
    assert out.dtype is torch.float16
    out.double().sum().backward()
    ones = torch.ones(2, 2, dtype=torch.float64)
    exact = ones @ z.detach().t() + z.detach().t() @ ones
    assert z.grad.dtype is torch.float64
    assert torch.allclose(z.grad, exact, rtol=1e-3, atol=1e-3)


def test_reduction_and_elementwise_modules_are_untouched():
    # the ops the seed and MLP benchmarks run per step stay unwrapped
    for name in ("add", "mul", "mean", "relu", "sub", "neg"):
        assert not autocast_policy.listed("torch", name)
        assert not autocast_policy.listed("Tensor", name)
    assert elementwise is not None and reduction is not None
