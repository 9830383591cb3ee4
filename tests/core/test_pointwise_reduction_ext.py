"""The elementwise ops and reductions added after the core's first surface: gradients against
finite differences (the helpers of test_gradcheck), second-order gradients, erf's accuracy,
and the names reached from tsh code (bare, torch.NAME, methods)."""

import io
import math

import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import D, F, P, R, T, check

from tshell.lang import Interpreter


def U(*shape, lo=-0.8, hi=0.8):
    """Values inside (-1, 1), away from the ends (atanh, erfinv, logit)."""
    return np.random.default_rng(7).uniform(lo, hi, size=shape)


W = np.array([0.2, 0.7, 0.4, 0.9])     # lerp weights on both sides of 0.5
SIGNS = R(3, 4)                         # copysign's fixed second operand

GRAD_CASES = {
    # unary
    "exp2": (torch.exp2, R(3, 4)),
    "asinh": (torch.asinh, R(3, 4)),
    "acosh": (torch.acosh, P(3, 4, lo=1.2, hi=3.0)),
    "atanh": (torch.atanh, U(3, 4)),
    "deg2rad": (torch.deg2rad, R(3, 4)),
    "rad2deg": (torch.rad2deg, R(3, 4)),
    "frac": (torch.frac, F(3, 4)),
    "sinc": (torch.sinc, R(3, 4)),
    "erf": (torch.erf, R(3, 4)),
    "erfc": (torch.erfc, R(3, 4)),
    "erfinv": (torch.erfinv, U(3, 4)),
    "logit": (torch.logit, U(3, 4, lo=0.1, hi=0.9)),
    "logit_eps": (lambda x: torch.logit(x, eps=0.05), U(3, 4, lo=0.1, hi=0.9)),
    "nan_to_num": (torch.nan_to_num, R(3, 4)),
    "arcsin_method": (lambda x: x.arcsin(), U(3, 4)),
    # binary
    "hypot": (torch.hypot, R(3, 4), R(4)),
    "logaddexp": (torch.logaddexp, R(3, 4), R(3, 1)),
    "logaddexp2": (torch.logaddexp2, R(3, 4), R(4)),
    "xlogy": (torch.xlogy, R(3, 4), P(3, 4)),
    "xlogy_scalar_other": (lambda x: torch.xlogy(x, 2.5), R(3, 4)),
    "xlogy_scalar_self": (lambda y: torch.xlogy(2.5, y), P(3, 4)),
    "copysign": (lambda x: torch.copysign(x, -1.0), R(3, 4)),
    "copysign_tensor": (lambda x: torch.copysign(x, T(SIGNS)), R(3, 4)),
    "fmax": (torch.fmax, D(3, 4), D(3, 4) + 0.01),
    "fmin": (torch.fmin, D(3, 4), D(3, 4) + 0.01),
    "float_power": (torch.float_power, P(3, 4), R(3, 4)),
    "float_power_scalar": (lambda x: torch.float_power(x, 3), R(3, 4)),
    # ternary
    "lerp_scalar": (lambda a, b: torch.lerp(a, b, 0.3), R(3, 4), R(3, 4)),
    "lerp_tensor": (torch.lerp, R(3, 4), R(4), np.tile(W, (3, 1))),
    "addcmul": (lambda a, b, c: torch.addcmul(a, b, c, value=0.5), R(3, 4), R(3, 1), R(4)),
    "addcdiv": (lambda a, b, c: torch.addcdiv(a, b, c, value=2), R(3, 4), R(4), P(3, 4)),
    # reductions
    "median": (torch.median, D(3, 4)),
    "median_dim": (lambda x: torch.median(x, 1).values, D(3, 5)),
    "nanmedian_dim": (lambda x: torch.nanmedian(x, 0, keepdim=True)[0], D(3, 4)),
    "kthvalue": (lambda x: torch.kthvalue(x, 2, 0).values, D(3, 4)),
    "nansum": (lambda x: torch.nansum(x, 1), R(3, 4)),
    "nanmean": (lambda x: torch.nanmean(x, 0), R(3, 4)),
    "var_mean": (lambda x: sum(torch.var_mean(x, 1)), R(3, 4)),
    "std_mean": (lambda x: torch.std_mean(x, 0)[0] * torch.std_mean(x, 0)[1], R(3, 4)),
    "std_mean_all": (lambda x: torch.std_mean(x)[0] + torch.std_mean(x)[1] * 2, R(3, 4)),
    "aminmax": (lambda x: torch.aminmax(x, dim=1).min * torch.aminmax(x, dim=1).max, D(3, 4)),
    "cummax": (lambda x: torch.cummax(x, 1).values, D(3, 4)),
    "cummin": (lambda x: torch.cummin(x, 0).values, D(3, 4)),
    "logcumsumexp": (lambda x: torch.logcumsumexp(x, 1), R(3, 4)),
    "diff": (lambda x: torch.diff(x, n=2, dim=0), R(4, 3)),
    "diff_prepend": (lambda x, p: torch.diff(x, prepend=p), R(3, 4), R(3, 2)),
}


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradient_matches_finite_differences(name):
    f, *arrays = GRAD_CASES[name]
    check(f, *arrays)


def _second_order(f, x):
    """d/dx of sum(df/dx), both through autograd (create_graph) and by differences."""
    xt = T(x).requires_grad_()
    g, = torch.autograd.grad(f(xt).sum(), xt, create_graph=True)
    h, = torch.autograd.grad(g.sum(), xt)

    def first(v):
        vt = T(v).requires_grad_()
        return np.array(torch.autograd.grad(f(vt).sum(), vt)[0].tolist())
    eps = 1e-6
    numeric = np.zeros_like(x)
    for i in range(x.size):
        d = np.zeros_like(x)
        d.flat[i] = eps
        numeric.flat[i] = (first(x + d).sum() - first(x - d).sum()) / (2 * eps)
    return np.array(h.tolist()), numeric


@pytest.mark.parametrize("f", [torch.erf, torch.erfc, torch.erfinv, torch.asinh, torch.atanh,
                               torch.exp2, torch.sinc, torch.logit,
                               lambda x: torch.logcumsumexp(x, 0),
                               lambda x: torch.hypot(x, x * 2 + 1),
                               lambda x: torch.xlogy(x, x * x + 1),
                               lambda x: torch.std_mean(x)[0]],
                         ids=["erf", "erfc", "erfinv", "asinh", "atanh", "exp2", "sinc",
                              "logit", "logcumsumexp", "hypot", "xlogy", "std_mean"])
def test_second_order_gradients(f):
    analytic, numeric = _second_order(f, np.array([0.3, 0.45, 0.6, 0.15]))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def test_erf_accuracy_against_math():
    xs = np.concatenate([np.linspace(-30, 30, 60001), np.geomspace(1e-300, 30, 4000),
                         -np.geomspace(1e-300, 30, 4000),
                         [0.46875, -0.46875, 4.0, -4.0, 0.0, -0.0, 26.5, 27.0]])
    t = torch.tensor(xs, dtype=torch.float64)
    erf = np.array(torch.erf(t).tolist())
    erfc = np.array(torch.erfc(t).tolist())
    ref = np.array([math.erf(v) for v in xs])
    refc = np.array([math.erfc(v) for v in xs])
    nz = ref != 0
    assert np.max(np.abs(erf - ref)[nz] / np.abs(ref[nz])) < 2e-15
    assert np.all(erf[~nz] == 0)
    normal = refc > 1e-300                   # relative error is meaningless in subnormals
    assert np.max(np.abs(erfc - refc)[normal] / refc[normal]) < 2e-15
    assert np.max(np.abs(erfc - refc)) < 1e-300 + 2.3e-16
    special = torch.tensor([float("nan"), float("inf"), -float("inf")], dtype=torch.float64)
    assert str(torch.erf(special)) == "tensor([nan,  1., -1.], dtype=torch.float64)"
    assert str(torch.erfc(special)) == "tensor([nan, 0., 2.], dtype=torch.float64)"


def test_erfinv_inverts_erf():
    y = np.linspace(-0.999999, 0.999999, 20001)
    x = torch.erfinv(torch.tensor(y, dtype=torch.float64))
    back = np.array(torch.erf(x).tolist())
    assert np.max(np.abs(back - y)) < 1e-15


def test_float32_erf_rounds_the_double_result():
    xs = np.linspace(-5, 5, 2001).astype(np.float32)
    got = np.array(torch.erf(torch.tensor(xs)).tolist(), dtype=np.float32)
    want = np.array([math.erf(float(v)) for v in xs]).astype(np.float32)
    assert np.array_equal(got, want)


def test_inplace_keeps_memory_and_bumps_version():
    x = torch.tensor([0.25, 0.5])
    data = x.numpy()
    for name in ("erf_", "exp2_", "asinh_", "logit_", "sinc_", "frac_", "nan_to_num_"):
        before = x._version
        assert getattr(x, name)() is x
        assert x._version == before + 1
    assert np.shares_memory(data, x.numpy())


def test_torch_level_inplace_names():
    for name in ("exp_", "relu_", "sigmoid_", "erf_", "logit_", "xlogy_", "gcd_", "zero_"):
        assert callable(getattr(torch, name)), name


def run_tsh(src):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh", echo=False)
    return out.getvalue()


def test_new_names_reachable_from_tsh():
    src = """x = tensor([0.25, 0.5, 0.75])
print(erf(x), torch.erf(x), x.erf())
print(hypot(x, x), torch.logaddexp(x, x), x.xlogy(x))
print(median(x), torch.nanmean(x), x.nansum())
v, i = x.cummax(0)
print(v, i, torch.aminmax(x).max, kthvalue(x, 2).indices)
print(unique(tensor([3, 1, 3])), bucketize(tensor([0.3]), x), diff(x))
y = x.clone()
y.sigmoid_()
exp_(y)
print(y)
"""
    erf = "tensor([0.2763, 0.5205, 0.7112])"
    expected = f"""{erf} {erf} {erf}
tensor([0.3536, 0.7071, 1.0607]) tensor([0.9431, 1.1931, 1.4431]) \
tensor([-0.3466, -0.3466, -0.2158])
tensor(0.5000) tensor(0.5000) tensor(1.5000)
tensor([0.2500, 0.5000, 0.7500]) tensor([0, 1, 2]) tensor(0.7500) tensor(1)
tensor([1, 3]) tensor([1]) tensor([0.2500, 0.2500])
tensor([1.7545, 1.8635, 1.9723])
"""
    assert run_tsh(src) == expected
