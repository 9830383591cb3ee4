"""Finite-difference gradient checks (float64, torch.autograd.gradcheck) through the new
numerics: vmap's stacked results, gradients of torch.func transforms (so second derivatives),
functional_call, svd_lowrank's singular values and lobpcg's eigenvalues (their random draws
reseeded at each evaluation, so the function is deterministic)."""
from __future__ import annotations

import pytest

import tshell.core as torch

F = torch.func
f64 = torch.float64


def inputs(*shapes, seed=0):
    g = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(*s, dtype=f64, generator=g).requires_grad_() for s in shapes)


def symmetric_spd(a):
    return a @ a.mT + torch.eye(a.shape[-1], dtype=f64) * a.shape[-1]


CASES = {
    "vmap": (lambda x, w: torch.vmap(lambda r: (r.sin() * w).sum() + r.prod())(x),
             [(4, 3), (3,)]),
    "vmap-in-out-dims": (lambda x, y: torch.vmap(lambda a, b: a.outer(b), in_dims=(1, 0),
                                                 out_dims=2)(x, y), [(3, 2), (2, 4)]),
    "nested-vmap": (lambda x: torch.vmap(torch.vmap(lambda v: v.exp() * v))(x), [(2, 3)]),
    "grad": (lambda x: F.grad(lambda v: (v.sin() * v).sum())(x), [(4,)]),
    "grad-argnums": (lambda x, y: F.grad(lambda a, b: (a * b.exp()).sum(),
                                         argnums=(0, 1))(x, y)[1], [(3,), (3,)]),
    "jacrev": (lambda x: F.jacrev(lambda v: v.tanh() * v.sum())(x), [(3,)]),
    "jacfwd": (lambda x: F.jacfwd(lambda v: v.sin() * v[0])(x), [(3,)]),
    "vjp": (lambda x, u: F.vjp(lambda v: v.exp() * v, x)[1](u)[0], [(3,), (3,)]),
    "jvp": (lambda x, t: F.jvp(lambda v: v.sin() * v, (x,), (t,))[1], [(3,), (3,)]),
    "hessian": (lambda x: F.hessian(lambda v: (v ** 3).sum() * v[0])(x), [(3,)]),
    "per-sample-grads": (lambda w, x: torch.vmap(F.grad(lambda ww, s: (s @ ww).tanh().sum()),
                                                 in_dims=(None, 0))(w, x), [(3, 2), (4, 3)]),
    "svd-lowrank": (lambda a: (torch.manual_seed(0), torch.svd_lowrank(a, q=3)[1])[1],
                    [(6, 3)]),
    "lobpcg": (lambda a: torch.lobpcg(symmetric_spd(a), k=2, X=torch.eye(8, 2, dtype=f64),
                                      niter=200, tol=1e-12)[0], [(8, 8)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck(name):
    fn, shapes = CASES[name]
    assert torch.autograd.gradcheck(fn, inputs(*shapes), eps=1e-6, atol=1e-5, rtol=1e-4)


def test_functional_call_gradcheck_wrt_the_swapped_in_parameters():
    m = torch.nn.Linear(3, 2).double()
    x = torch.randn(4, 3, dtype=f64)

    def call(weight, bias):
        return F.functional_call(m, {"weight": weight, "bias": bias}, (x,)).tanh()
    assert torch.autograd.gradcheck(call, inputs((2, 3), (2,)))
