"""Finite-difference gradient checks (float64) of torch.nn.utils.parametrizations
(orthogonal's three maps, weight_norm, spectral_norm) and of the hook-based weight_norm and
spectral_norm, first and second derivatives; and the one place tshell parts from PyTorch on
purpose: the double backward of the fused weight-norm kernel (dim 0 or the last dim), which
in PyTorch 2.13 leaves out the path through the norms (its gradgradcheck fails) and in
tshell is the true derivative."""
import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import check, check_second
from tests.nn.test_gradcheck_layers import U, check_module

nn = torch.nn
PZ = nn.utils.parametrizations


@pytest.mark.parametrize("orthogonal_map,shape", [
    ("matrix_exp", (3, 3)), ("cayley", (3, 3)), ("householder", (4, 2)),
    ("matrix_exp", (2, 4)), ("cayley", (4, 3)), ("householder", (2, 3))])
def test_orthogonal_maps(orthogonal_map, shape):
    weight = torch.randn(*shape, dtype=torch.float64)
    orth = PZ._Orthogonal(weight, PZ._OrthMaps[orthogonal_map])
    orth.base = torch.linalg.qr(torch.randn(max(shape), max(shape),
                                            dtype=torch.float64)).Q
    check(orth, U(*shape))
    check_second(lambda X: (orth(X) ** 2 * torch.arange(X.numel(), dtype=torch.float64)
                            .reshape(X.shape)).sum(), U(*shape))


def test_orthogonal_without_base_is_orthogonal_and_differentiable():
    orth = PZ._Orthogonal(torch.randn(4, 3), PZ._OrthMaps.householder,
                          use_trivialization=False)
    check(orth, U(4, 3))
    X = torch.randn(4, 3, dtype=torch.float64)     # the diagonal holds the signs (+-1)
    X.diagonal().copy_(torch.tensor([1., -1., 1.]))
    Q = orth(X)
    assert torch.allclose(Q.mT @ Q, torch.eye(3, dtype=torch.float64))


@pytest.mark.parametrize("dim", [0, 1, None, -1])
def test_weight_norm_first_and_second_derivatives(dim):
    norm = PZ._WeightNorm(dim)
    g_shape = {0: (2, 1), 1: (1, 3), None: (), -1: ()}[dim]
    g, v = U(*g_shape, lo=0.5, hi=2.0), U(2, 3)
    check(norm, g, v)
    check_second(lambda g, v: (norm(g, v) ** 3).sum(), g, v)


def test_weight_norm_of_a_conv_weight_middle_dim():
    norm = PZ._WeightNorm(1)
    check(norm, U(1, 2, 1, lo=0.5, hi=2.0), U(3, 2, 2))


def test_weight_norm_fused_double_backward_is_the_true_derivative():
    """Where PyTorch 2.13's fused kernel gives d/dv (d sum(w) / dg) without the norm's own
    dependence on v (constant along each row), tshell gives 1/n - sum(v) v / n^3."""
    v = torch.tensor([[1., 2.], [-3., 0.5]], dtype=torch.float64, requires_grad=True)
    g = torch.tensor([[1.5], [0.5]], dtype=torch.float64, requires_grad=True)
    w = PZ._WeightNorm(0)(g, v)
    assert w.grad_fn.name() == "WeightNormInterfaceBackward0"
    (dg,) = torch.autograd.grad(w.sum(), g, create_graph=True)
    (dv,) = torch.autograd.grad(dg.sum(), v)
    n = v.detach().norm(dim=1, keepdim=True)
    expected = 1 / n - v.detach().sum(1, keepdim=True) * v.detach() / n ** 3
    assert torch.allclose(dv, expected)


def test_spectral_norm_in_eval_mode():
    sn = PZ._SpectralNorm(torch.randn(3, 4, dtype=torch.float64), dim=0)
    sn.eval()                       # u and v fixed: weight / (u . W v) is the function
    check(sn, U(3, 4))
    check_second(lambda W: (sn(W) ** 3).sum(), U(3, 4))
    vector = PZ._SpectralNorm(torch.randn(3, dtype=torch.float64))
    check(vector, U(3))


@pytest.mark.parametrize("make", [
    lambda: PZ.orthogonal(nn.Linear(3, 3)),
    lambda: PZ.weight_norm(nn.Linear(3, 2)),
    lambda: PZ.weight_norm(nn.Conv1d(2, 2, 2), dim=None),
], ids=["orthogonal", "weight_norm", "weight_norm_conv"])
def test_parametrized_modules(make):
    check_module(make, U(2, 3) if "Conv" not in repr(make()) else U(1, 2, 4), second=True)


def test_hook_weight_norm_module():
    with pytest.warns(FutureWarning):
        check_module(lambda: nn.utils.weight_norm(nn.Linear(3, 2)), U(2, 3), second=True)


def test_hook_spectral_norm_in_eval_mode():
    m = nn.utils.spectral_norm(nn.Linear(3, 2)).double().eval()
    x = torch.tensor(U(2, 3))

    def f(weight_orig):
        m._parameters["weight_orig"] = weight_orig
        return m(x)
    check(f, U(2, 3))


def test_orthogonal_training_keeps_the_weight_orthogonal():
    torch.manual_seed(0)
    m = PZ.orthogonal(nn.Linear(4, 4))
    opt = torch.optim.Adam(m.parameters(), lr=0.05)
    x = torch.randn(16, 4)
    target = x.flip(1)
    first = None
    for _ in range(30):
        opt.zero_grad()
        loss = (m(x) - target).pow(2).mean()
        first = loss.item() if first is None else first
        loss.backward()
        opt.step()
    assert loss.item() < first
    W = m.weight.detach()
    assert torch.allclose(W.mT @ W, torch.eye(4), atol=1e-5)
    assert np.isfinite(loss.item())
