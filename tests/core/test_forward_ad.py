"""Forward-mode AD (torch.autograd.forward_ad): every case of the gradcheck tests (every
differentiable op they cover: test_gradcheck*.py's case tables) run on dual tensors, the
tangent J v compared with reverse mode (<W, J v> = sum_k <J^T W, v_k> for a fixed random
cotangent W) and with central differences along v, or PyTorch's refusal where it gives the
op no forward formula; ops of several outputs; the dual-tensor API's semantics and PyTorch's
error texts; Function.jvp; torch.func.jvp / jacfwd / hessian."""

import warnings

import numpy as np
import pytest

import tshell.core as torch
from tshell.core.forward_ad import NOT_IMPLEMENTED
from tshell.core.op_index import DECLARED_IN
from tests.core import (test_gradcheck, test_gradcheck_fft_special, test_gradcheck_linalg,
                        test_gradcheck_nn_spatial, test_gradcheck_tensorops,
                        test_gradcheck_torch_functions)
from tests.core.test_gradcheck import T, to_np

fwAD = torch.autograd.forward_ad
RTOL, ATOL = 1e-5, 1e-7
CASES = {**test_gradcheck.CASES, **test_gradcheck_fft_special.FFT_CASES,
         **test_gradcheck_fft_special.SPECIAL_CASES,
         **{f"linalg:{k}": v for k, v in test_gradcheck_linalg.CASES.items()},
         **{f"spatial:{k}": v for k, v in test_gradcheck_nn_spatial.CASES.items()},
         **{f"tensorops:{k}": v for k, v in test_gradcheck_tensorops.CASES.items()},
         **{f"functions:{k}": v for k, v in test_gradcheck_torch_functions.CASES.items()}}
# the ATen op PyTorch names refusing forward AD, by case (random ops: skipped)
REFUSED = {**{name: "multi_margin_loss" for name in CASES if "multi_margin" in name},
           **{name: "multilabel_margin_loss_forward" for name in CASES
              if "multilabel_margin" in name},
           **{name: f"grid_sampler_{'3' if '3d' in name else '2'}d" for name in CASES
              if "grid_sample" in name},
           **{name: "segment_reduce" for name in CASES if "segment_reduce" in name},
           **{name: "special_zeta" for name in CASES if name.startswith("zeta")}}
NOT_FORWARD = {name for name in CASES if "dropout" in name} | set(REFUSED)


def _tangents(arrays, seed):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, size=np.shape(a)) for a in arrays]


def forward_tangent(f, arrays, vs):
    with fwAD.dual_level():
        duals = [fwAD.make_dual(T(a), T(v)) for a, v in zip(arrays, vs)]
        out = f(*duals)
        primal, tangent = fwAD.unpack_dual(out)
    return primal, tangent


@pytest.mark.parametrize("name", sorted(set(CASES) - NOT_FORWARD))
def test_tangent_is_the_reverse_mode_jvp(name):
    f, *arrays = CASES[name]
    vs = _tangents(arrays, 7)
    primal, tangent = forward_tangent(f, arrays, vs)
    expected = f(*[T(a) for a in arrays])
    np.testing.assert_allclose(to_np(primal), to_np(expected), rtol=1e-12, atol=0)
    assert tangent is not None and tuple(tangent.shape) == tuple(expected.shape)
    # reverse mode: <W, J v> = sum_k <J^T W, v_k>
    inputs = [T(a).requires_grad_() for a in arrays]
    out = f(*inputs)
    W = T(np.random.default_rng(3).uniform(0.5, 1.5, size=tuple(out.shape)))
    grads = torch.autograd.grad((out * W).sum(), inputs, allow_unused=True)
    reverse = sum(float((g * T(v)).sum()) for g, v in zip(grads, vs) if g is not None)
    np.testing.assert_allclose(float((tangent * W).sum()), reverse, rtol=RTOL, atol=ATOL)
    # finite differences along v, element by element
    eps = 1e-6
    above = f(*[T(a + eps * v) for a, v in zip(arrays, vs)])
    below = f(*[T(a - eps * v) for a, v in zip(arrays, vs)])
    np.testing.assert_allclose(to_np(tangent), (to_np(above) - to_np(below)) / (2 * eps),
                               rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_as_pytorch_refuses(name):
    f, *arrays = CASES[name]
    with pytest.raises(NotImplementedError) as info:
        forward_tangent(f, arrays, _tangents(arrays, 7))
    assert str(info.value) == NOT_IMPLEMENTED.format(REFUSED[name])


def _spd(a):
    return a @ a.mT + torch.eye(a.shape[-1], dtype=torch.float64) * a.shape[-1]


# ops of one node and several outputs: (f -> tuple of outputs, input shape, the outputs
# PyTorch gives a tangent: True, or False for an integer / constant one)
SEVERAL = {
    "eigh": (lambda a: torch.linalg.eigh(_spd(a)), (3, 3), (True, True)),
    "svd": (lambda a: torch.linalg.svd(a, full_matrices=False), (4, 3), (True, True, True)),
    "qr": (lambda a: torch.linalg.qr(a), (4, 3), (True, True)),
    "slogdet": (lambda a: torch.linalg.slogdet(_spd(a)), (3, 3), (True, True)),
    "lstsq": (lambda a: torch.linalg.lstsq(a, a[:, :2] * 2 + 1)[:2], (4, 3), (True, True)),
    "lu": (lambda a: torch.linalg.lu(a), (3, 3), (False, True, True)),
    "var_mean": (lambda a: torch.var_mean(a, 1), (3, 4), (True, True)),
    "std_mean": (lambda a: torch.std_mean(a), (3, 4), (True, True)),
    "aminmax": (lambda a: torch.aminmax(a, dim=0), (3, 4), (True, True)),
    "triangular_solve": (lambda a: torch.triangular_solve(
        a, torch.tensor([[2., 1., 0.], [0., 3., 1.], [0., 0., 1.5]], dtype=torch.float64)),
        (3, 2), (True, False)),
    "max-dim": (lambda a: a.max(1), (3, 4), (True, False)),
    "sort": (lambda a: a.sort(0), (3, 4), (True, False)),
    "topk": (lambda a: a.topk(2), (3, 4), (True, False)),
    "unbind-requires-grad-tangent": (lambda a: (a * torch.ones(3, 4, dtype=torch.float64,
                                                               requires_grad=True)).unbind(1),
                                     (3, 4), (True,) * 4),
    "lstm": (lambda a: torch.nn.LSTM(4, 2, dtype=torch.float64)(a.reshape(3, 1, 4))[1],
             (3, 4), (True, True)),
}


@pytest.mark.parametrize("name", sorted(SEVERAL))
def test_several_outputs(name):
    f, shape, has_tangent = SEVERAL[name]
    rng = np.random.default_rng(5)
    a, v = rng.uniform(-1, 1, size=shape), rng.uniform(-1, 1, size=shape)
    torch.manual_seed(0)
    with fwAD.dual_level():
        outs = f(fwAD.make_dual(T(a), T(v)))
        tangents = [fwAD.unpack_dual(o).tangent for o in outs]
    eps = 1e-6
    torch.manual_seed(0)
    above = f(T(a + eps * v))
    torch.manual_seed(0)
    below = f(T(a - eps * v))
    for k, (tangent, wanted) in enumerate(zip(tangents, has_tangent)):
        assert (tangent is not None) == wanted, k
        if wanted:
            np.testing.assert_allclose(to_np(tangent.detach()),
                                       (to_np(above[k]) - to_np(below[k])) / (2 * eps),
                                       rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("restride", [lambda d: d.squeeze_(), lambda d: d.t_(),
                                      lambda d: d.unsqueeze_(0), lambda d: d.transpose_(0, 1)])
@pytest.mark.parametrize("requires_grad", [False, True])
def test_in_place_restride_moves_the_tangent(restride, requires_grad):
    x = torch.arange(6.).reshape(2, 3).requires_grad_(requires_grad) * 1
    t = torch.arange(6.).reshape(2, 3) * 0.5
    with fwAD.dual_level():
        d = fwAD.make_dual(x, t)
        restride(d)
        tangent = fwAD.unpack_dual(d).tangent
        assert tangent.shape == d.shape
        expected = restride(t.clone())
        assert tangent.tolist() == expected.tolist()


@pytest.mark.parametrize("call, aten", [
    (lambda d: d // 2, "aten::floor_divide"),
    (lambda d: torch.heaviside(d, d), "aten::heaviside"),
    (lambda d: torch.linalg.ldl_factor(d + d.mT), "aten::linalg_ldl_factor_ex"),
])
def test_no_derivative_at_all(call, aten):
    with fwAD.dual_level():
        d = fwAD.make_dual(torch.ones(3, 3), torch.ones(3, 3))
        with pytest.raises(NotImplementedError) as info:
            call(d)
    assert str(info.value) == f"Trying to use forward AD with {aten} that does not support it."


def test_tangents_are_dropped_at_exit_and_levels_do_not_nest():
    x = torch.tensor([1., 2.])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, torch.ones(2))
        y = d * 3
        assert fwAD.unpack_dual(y).tangent.tolist() == [3., 3.]
        with pytest.raises(RuntimeError, match="^Nested forward mode AD is not supported at "
                                               "the moment$"):
            fwAD.enter_dual_level()
    assert fwAD.unpack_dual(y).tangent is None
    assert str(y) == "tensor([3., 6.])"
    # closed again: plain ops record nothing forward
    assert (x * 2)._fw is None


@pytest.mark.parametrize("call, error, text", [
    (lambda x, t: fwAD.make_dual(x, t), RuntimeError,
     "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
     "enter_dual_level() first."),
])
def test_make_dual_outside_a_level(call, error, text):
    with pytest.raises(error) as info:
        call(torch.ones(2), torch.ones(2))
    assert str(info.value) == text


@pytest.mark.parametrize("primal, tangent, error, text", [
    (torch.ones(3), torch.ones(2), RuntimeError,
     "Trying to set a forward gradient that has a different size than that of the original "
     "Tensor, this is not supported. Tensor is of size [3] while the given forward gradient "
     "is of size [2]."),
    (torch.arange(3), torch.ones(3), ValueError,
     "Expected primal to be floating point or complex, but got: torch.int64"),
    (torch.ones(3), torch.arange(3), ValueError,
     "Expected tangent to be floating point or complex, but got: torch.int64"),
])
def test_make_dual_errors(primal, tangent, error, text):
    with fwAD.dual_level():
        with pytest.raises(error) as info:
            fwAD.make_dual(primal, tangent)
    assert str(info.value) == text


def test_make_dual_twice_and_unknown_level():
    with fwAD.dual_level():
        d = fwAD.make_dual(torch.ones(2), torch.ones(2))
        with pytest.raises(RuntimeError, match="^Making a dual Tensor based on a Tensor that "
                                               "already has a forward gradient at the same "
                                               "level 0 is not supported.$"):
            fwAD.make_dual(d, torch.ones(2))
        with pytest.raises(RuntimeError, match="^Invalid level given to _make_dual$"):
            fwAD.make_dual(torch.ones(2), torch.ones(2), level=5)


def test_tangent_kept_as_is_or_copied_to_the_primal_layout():
    primal = torch.arange(6.).reshape(2, 3)
    tangent = torch.ones(3, 2)
    with fwAD.dual_level():
        same = torch.ones(2, 3)
        assert fwAD.unpack_dual(fwAD.make_dual(primal, same)).tangent is same
        copied = fwAD.unpack_dual(fwAD.make_dual(primal, tangent.T)).tangent
        assert copied is not tangent and copied.is_contiguous()
        assert copied.tolist() == tangent.T.tolist()


def test_views_share_the_tangent_and_in_place_writes_reach_it():
    with fwAD.dual_level():
        d = fwAD.make_dual(torch.zeros(2, 3), torch.zeros(2, 3))
        row = d[1]
        row.add_(fwAD.make_dual(torch.ones(3), torch.full((3,), 2.)))
        assert fwAD.unpack_dual(d).tangent.tolist() == [[0, 0, 0], [2, 2, 2]]
        # a plain tensor written with a dual gets a tangent, zeros elsewhere
        v = torch.zeros(2, 2)
        v[0] = fwAD.make_dual(torch.ones(2), torch.ones(2))
        assert fwAD.unpack_dual(v).tangent.tolist() == [[1, 1], [0, 0]]
        z = torch.zeros(3)
        z.copy_(fwAD.make_dual(torch.ones(3), torch.full((3,), 4.)))
        assert fwAD.unpack_dual(z).tangent.tolist() == [4, 4, 4]


def test_printing_of_a_dual_tensor():
    with fwAD.dual_level():
        d = fwAD.make_dual(torch.tensor([1., 2.]), torch.tensor([.5, .25]))
        assert str(d) == "tensor([1., 2.], tangent=tensor([0.5000, 0.2500]))"
        assert str(d[1]) == "tensor(2., tangent=0.25)"
        g = fwAD.make_dual(torch.tensor([2.], dtype=torch.float64),
                           torch.tensor([.3], dtype=torch.float64))
        assert str(g) == ("tensor([2.], dtype=torch.float64,\n"
                          "       tangent=tensor([0.3000], dtype=torch.float64))")


@pytest.mark.parametrize("call, aten", [
    (lambda d: torch.cdist(d, d), "_cdist_forward"),
    (lambda d: torch.nn.functional.multi_margin_loss(d, torch.tensor([1, 0])),
     "multi_margin_loss"),
    (lambda d: torch.nn.functional.multilabel_margin_loss(d, torch.tensor([[1, -1, 0]] * 2)),
     "multilabel_margin_loss_forward"),
    (lambda d: torch.nn.functional.ctc_loss(d.reshape(2, 1, 3).log_softmax(2),
                                            torch.tensor([[1]]), torch.tensor([2]),
                                            torch.tensor([1])), "_ctc_loss"),
    (lambda d: torch.nn.functional.embedding_bag(torch.tensor([0, 1, 1]), d,
                                                 torch.tensor([0, 1])), "_embedding_bag"),
])
def test_no_forward_formula(call, aten):
    with fwAD.dual_level():
        d = fwAD.make_dual(torch.ones(2, 3), torch.ones(2, 3))
        with pytest.raises(NotImplementedError) as info:
            call(d)
    assert str(info.value) == NOT_IMPLEMENTED.format(aten)


class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = torch.exp(x)
        ctx.save_for_forward(result)
        return result

    @staticmethod
    def jvp(ctx, t):
        (result,) = ctx.saved_tensors
        return t * result


class NoJvp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2


def test_function_jvp_and_save_for_forward():
    x = torch.tensor([0., 1.], dtype=torch.float64)
    with fwAD.dual_level():
        out = Exp.apply(fwAD.make_dual(x, torch.ones(2, dtype=torch.float64)))
        np.testing.assert_allclose(to_np(fwAD.unpack_dual(out).tangent), np.exp([0., 1.]))
        with pytest.raises(NotImplementedError, match="^You must implement the jvp function "
                                                      "for custom autograd.Function to use "
                                                      "it with forward mode AD.$"):
            NoJvp.apply(fwAD.make_dual(x, x))
    assert torch.autograd.gradcheck(Exp.apply, (x.requires_grad_(),), check_forward_ad=True,
                                    check_backward_ad=False)


def test_gradcheck_forward_ad_catches_a_wrong_jvp():
    class Wrong(Exp):
        @staticmethod
        def jvp(ctx, t):
            (result,) = ctx.saved_tensors
            return 2 * t * result
    x = torch.tensor([0., 1.], dtype=torch.float64, requires_grad=True)
    with pytest.raises(torch.autograd.GradcheckError,
                       match="^Jacobian computed with forward mode mismatch for output 0 "
                             "with respect to input 0,"):
        torch.autograd.gradcheck(Wrong.apply, (x,), check_forward_ad=True,
                                 check_backward_ad=False)


def test_func_transforms_on_forward_mode():
    x = torch.tensor([0.3, -0.7, 1.1], dtype=torch.float64)
    out, jvp = torch.func.jvp(torch.sin, (x,), (torch.ones_like(x),))
    np.testing.assert_allclose(to_np(jvp), np.cos(to_np(x)))
    f = lambda v: (v.sin() * v).sum()      # noqa: E731
    np.testing.assert_allclose(to_np(torch.func.hessian(f)(x)),
                               to_np(torch.autograd.functional.hessian(f, x)), rtol=1e-12)
    np.testing.assert_allclose(to_np(torch.func.jacfwd(torch.exp)(x)), np.diag(np.exp(to_np(x))))
    # reverse over forward: the tangent is differentiable
    rev = torch.func.jacrev(lambda v: torch.func.jvp(torch.sin, (v,), (torch.ones_like(v),))[1])
    np.testing.assert_allclose(to_np(rev(x)), np.diag(-np.sin(to_np(x))))


# ---- every op of the registry that a tensor (or two) can be passed to ----------------------

_NAMESPACES = {"torch": torch, "Tensor": torch.Tensor, "F": torch.nn.functional,
               "linalg": torch.linalg, "special": torch.special, "fft": torch.fft}
_STATEFUL = {"manual_seed", "seed", "initial_seed", "set_default_dtype", "set_printoptions",
             "save", "load", "set_grad_enabled", "use_deterministic_algorithms",
             "set_num_threads", "set_default_device", "set_rng_state", "compile",
             "set_float32_matmul_precision", "set_default_tensor_type", "set_flush_denormal",
             "set_warn_always", "set_anomaly_enabled", "set_autocast_enabled",
             "set_autocast_dtype", "set_autocast_cpu_enabled", "set_autocast_cpu_dtype",
             "set_autocast_gpu_dtype", "set_autocast_cache_enabled",
             "autocast_increment_nesting", "autocast_decrement_nesting"}
_SHAPES = [(3, 4), (4, 4), (2, 3, 4), (5,)]
_NOT_IMPLEMENTED_FOR = ("Trying to use forward AD with {} that does not support it because "
                        "it has not been implemented yet.")
_NO_DERIVATIVE = "Trying to use forward AD with {} that does not support it."
# place.name: what the probe gets where it is not a tangent for every differentiable output
KNOWN = {
    **{f"{p}.{n}": _NOT_IMPLEMENTED_FOR.format(a) for p, n, a in [
        ("torch", "cdist", "_cdist_forward"), ("torch", "geqrf", "geqrf"),
        ("Tensor", "geqrf", "geqrf"), ("torch", "igamma", "igamma"),
        ("Tensor", "igamma", "igamma"), ("special", "gammainc", "igamma"),
        ("torch", "igammac", "igammac"), ("Tensor", "igammac", "igammac"),
        ("special", "gammaincc", "igammac"), ("special", "zeta", "special_zeta")]},
    **{f"{p}.{n}": _NO_DERIVATIVE.format(a) for p, n, a in [
        ("torch", "binomial", "aten::binomial"), ("torch", "detach_copy", "aten::detach_copy"),
        ("torch", "floor_divide", "aten::floor_divide"),
        ("Tensor", "floor_divide", "aten::floor_divide"),
        ("torch", "heaviside", "aten::heaviside"), ("Tensor", "heaviside", "aten::heaviside"),
        ("linalg", "ldl_factor", "aten::linalg_ldl_factor_ex"),
        ("linalg", "ldl_factor_ex", "aten::linalg_ldl_factor_ex"),
        # PyTorch names aten::histogram
        ("torch", "histogram", "aten::histogramdd"),
        ("Tensor", "histogram", "aten::histogramdd")]},
    # PyTorch gives triangular_solve's cloned_coefficient no tangent
    "torch.triangular_solve": "no tangent for outputs [1]",
    "Tensor.triangular_solve": "no tangent for outputs [1]",
    # tshell's own gaps, in reverse mode too: the LU of a non-square matrix; det / slogdet
    # of a singular matrix (the probe's linspace 4 x 4), which PyTorch differentiates
    **{f"{p}.{n}": "tshell: the derivative of the LU factorisation of a non-square matrix "
       "is not supported yet" for p, n in [("torch", "lu"), ("Tensor", "lu"), ("linalg", "lu"),
                                           ("linalg", "lu_factor"), ("linalg", "lu_factor_ex")]},
    **{f"{p}.{n}": "_LinAlgError" for p, n in [
        ("torch", "det"), ("Tensor", "det"), ("linalg", "det"), ("torch", "logdet"),
        ("Tensor", "logdet"), ("torch", "slogdet"), ("Tensor", "slogdet"),
        ("linalg", "slogdet")]},
}


def _probe(f):
    """What f gives on duals where it records a graph on a tensor that requires grad:
    'ok' (a tangent for every differentiable output), the refusal's first line, the error's
    class, 'no tangent for outputs [...]'; None where f takes no such call."""
    for shape in _SHAPES:
        base = torch.linspace(0.2, 0.9, int(np.prod(shape)), dtype=torch.float64).reshape(shape)
        for extra in ((), (base * 0.5 + 0.1,)):
            try:
                outs = f(base.clone().requires_grad_(), *extra)
            except Exception:
                continue
            outs = outs if isinstance(outs, (tuple, list)) else (outs,)
            differentiable = [isinstance(o, torch.Tensor) and o.grad_fn is not None
                              and o.dtype.is_floating_point for o in outs]
            if not any(differentiable):
                return None
            try:
                with fwAD.dual_level():
                    outs = f(fwAD.make_dual(base.clone(), torch.ones(shape, dtype=torch.float64)),
                             *extra)
                    outs = outs if isinstance(outs, (tuple, list)) else (outs,)
                    missing = [k for k, (o, want) in enumerate(zip(outs, differentiable))
                               if want and fwAD.unpack_dual(o).tangent is None]
            except NotImplementedError as e:
                return str(e).split("\n")[0]
            except Exception as e:
                return type(e).__name__
            return f"no tangent for outputs {missing}" if missing else "ok"
    return None


def test_every_registry_op_gives_tangents_or_refuses():
    """Every op of op_index a tensor (or two) can be passed to and that records a graph
    gives every differentiable output a tangent on duals, or refuses as PyTorch does: none
    drops a tangent silently."""
    found, probed = {}, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for place, namespace in _NAMESPACES.items():
            for name in sorted(DECLARED_IN.get(place, {})):
                f = getattr(namespace, name, None)
                if name.startswith("_") or name in _STATEFUL or not callable(f) or \
                        isinstance(f, type):
                    continue
                result = _probe(f)
                probed += result is not None
                if result not in (None, "ok"):
                    found[f"{place}.{name}"] = result
    assert probed > 450      # (480 in December 2026)
    assert found == KNOWN
