"""Complex first and second derivatives against finite differences (gradgradcheck's test on
complex tensors): PyTorch's gradient of a complex tensor is the conjugate Wirtinger one,
grad(y, x, g) = dL/dRe(x) + i dL/dIm(x) for the real L = Re(sum(conj(g) y)). So the
gradient of a gradient, grad(gx, (x, g), v), is that of M = Re(sum(conj(v) gx(x, g))) with
respect to x and g, which central differences along the real and imaginary parts give.

The ops are those whose backward is a kernel of its own (sigmoid_backward, tanh_backward,
whose derivatives once missed the conjugates) or takes the conjugate of a factor by hand."""

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import forward_ad

EPS, RTOL, ATOL = 1e-6, 1e-6, 1e-8
X = np.array([0.3 + 0.4j, -0.5 + 0.2j, 1.1 - 0.7j])
G = np.array([0.8 - 0.6j, -0.2 + 0.5j, 0.4 + 0.1j])
V = np.array([0.7 - 0.1j, 0.4 + 0.9j, -0.3 + 0.2j])

OPS = {
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "asinh": torch.asinh,
    "acosh": torch.acosh, "atanh": torch.atanh, "exp2": torch.exp2, "prod": torch.prod,
    "prod-dim": lambda x: x.reshape(1, 3).prod(1), "cumprod": lambda x: x.cumprod(0),
    "logsumexp": lambda x: x.logsumexp(0), "vdot": lambda x: torch.vdot(x, x * 2),
    "vdot-other": lambda x: torch.vdot(torch.tensor(V), x),
    "exp": torch.exp, "reciprocal": torch.reciprocal, "sqrt": torch.sqrt,
    "sigmoid-of-tanh": lambda x: torch.sigmoid(x.tanh() * 2),
}


def C(a):
    return torch.tensor(np.asarray(a).tolist(), dtype=torch.complex128)


def first_gradient(f, x, g, create_graph=False):
    y = f(x)
    return torch.autograd.grad(y, x, g[:y.numel()].reshape(y.shape), create_graph=create_graph)[0]


def wirtinger_fd(real_fn, arrays, k):
    """dF/dRe + i dF/dIm of the real function F at arrays, with respect to arrays[k]."""
    out = np.zeros_like(arrays[k])
    for i in range(arrays[k].size):
        parts = []
        for step in (EPS, EPS * 1j):
            moved = []
            for sign in (1, -1):
                a = [b.copy() for b in arrays]
                a[k][i] += sign * step
                moved.append(real_fn(*a))
            parts.append((moved[0] - moved[1]) / (2 * EPS))
        out[i] = parts[0] + 1j * parts[1]
    return out


def to_np(t):
    """t's values, flat; zeros for None (a gradient that does not depend on the input)."""
    if t is None:
        return np.zeros(len(X), dtype=np.complex128)
    return np.array(t.detach().tolist(), dtype=np.complex128).reshape(-1)


@pytest.mark.parametrize("name", sorted(OPS))
def test_first_derivative(name):
    f = OPS[name]
    x = C(X).requires_grad_()
    y = f(x)
    g = G[:y.numel()]
    gx = first_gradient(f, x, C(G))

    def loss(xa):
        return float(np.real(np.vdot(g, to_np(f(C(xa))))))
    np.testing.assert_allclose(to_np(gx), wirtinger_fd(loss, [X.copy()], 0), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", sorted(OPS))
def test_second_derivative(name):
    f = OPS[name]
    x, g = C(X).requires_grad_(), C(G).requires_grad_()
    gx = first_gradient(f, x, g, create_graph=True)
    ggx, ggg = torch.autograd.grad(gx, (x, g), C(V), allow_unused=True)

    def m(xa, ga):
        return float(np.real(np.vdot(V, to_np(first_gradient(f, C(xa).requires_grad_(), C(ga))))))
    np.testing.assert_allclose(to_np(ggx), wirtinger_fd(m, [X.copy(), G.copy()], 0),
                               rtol=RTOL, atol=ATOL)
    n = f(C(X)).numel()       # a reduction reads g's first element only
    expected = wirtinger_fd(m, [X.copy(), G.copy()], 1)
    np.testing.assert_allclose(to_np(ggg)[:n], expected[:n], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_forward_ad_by_the_transposed_backward(name):
    """The transposed backward (one double backward) gives a complex op's tangent, as its
    conjugate forward formula does: both rest on the corrected double backward."""
    f = OPS[name]
    with forward_ad.dual_level():
        d = forward_ad.make_dual(C(X), C(V))
        by_formula = forward_ad.unpack_dual(f(d)).tangent
        node_cls = type(f(C(X).requires_grad_()).grad_fn)
        out = f(C(X))
        by_backward, = forward_ad._by_transposed_backward(node_cls, (out,), [d], [C(V)],
                                                           None, (), True)
    np.testing.assert_allclose(to_np(by_backward), to_np(by_formula), rtol=1e-12, atol=1e-14)
