"""scatter / index_* / put / take / *_scatter ops: gradients against finite differences
(the helpers of test_gradcheck), second-order gradients, in-place bookkeeping, and reachability
from tsh code. Values, printing, grad_fn names and errors are compared with PyTorch by the
golden family tests/golden/families/scatter_index.py."""
import io

import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import D, R, T, check, numeric_grad, to_np

L = lambda *v: torch.tensor(list(v))                       # noqa: E731  a long index
IDX = torch.tensor([[0, 1, 2, 0], [2, 0, 1, 1]])            # distinct per column
DUP = torch.tensor([[0, 1, 2, 0], [0, 1, 0, 0]])            # repeats along dim 0
MASK = torch.tensor([[True, False, True, False], [False, False, False, True],
                     [True, True, False, False]])

CASES = {
    "scatter_src": (lambda x, s: x.scatter(0, IDX, s), R(3, 4), R(2, 4)),
    "scatter_value": (lambda x: torch.scatter(x, 1, IDX[:, :2], 2.5), R(3, 4)),
    "scatter_add": (lambda x, s: x.scatter_add(0, DUP, s), R(3, 4), R(2, 4)),
    "scatter_add_dim1": (lambda x, s: torch.scatter_add(x, 1, DUP.t()[:, :2], s), R(4, 4),
                         R(4, 2)),
    "index_add": (lambda x, s: x.index_add(0, L(2, 0, 2), s, alpha=1.5), R(3, 4), R(3, 4)),
    "index_add_dim1": (lambda x, s: torch.index_add(x, 1, L(3, 3), s), R(2, 4), R(2, 2)),
    "index_copy": (lambda x, s: x.index_copy(1, L(3, 0), s), R(3, 4), R(3, 2)),
    "index_fill_tensor": (lambda x, v: x.index_fill(0, L(2, -1, 0), v), R(3, 4), R()),
    "index_fill_number": (lambda x: torch.index_fill(x, 1, L(1), -3.0), R(3, 4)),
    "index_put": (lambda x, v: x.index_put((L(2, 0),), v), R(3, 4), R(4)),
    "index_put_acc": (lambda x, v: torch.index_put(x, (L(2, 2), L(1, 1)), v, True), R(3, 4),
                      R(2)),
    "masked_scatter": (lambda x, s: x.masked_scatter(MASK, s), R(3, 4), R(2, 4)),
    "masked_scatter_bcast": (lambda x, s: torch.masked_scatter(x, MASK[0], s), R(3, 4),
                             R(7)),
    "take": (lambda x: x.take(L(0, 0, 11, -2)), R(3, 4)),
    "put": (lambda x, s: x.put(L(0, 5, -1), s), R(3, 4), R(3)),
    "put_acc": (lambda x, s: torch.put(x, L(0, 0, 5, 5), s, True), R(3, 4), R(2, 2)),
    "take_along_dim": (lambda x: torch.take_along_dim(x, L(1, 0).view(2, 1), 1), R(2, 3)),
    "take_along_dim_flat": (lambda x: x.take_along_dim(L(4, 4, 0)), R(2, 3)),
    "select_scatter": (lambda x, s: torch.select_scatter(x, s, 1, -1), R(3, 4), R(3)),
    "slice_scatter": (lambda x, s: x.slice_scatter(s, 1, 1, None, 2), R(3, 4), R(3, 2)),
    "diagonal_scatter": (lambda x, s: torch.diagonal_scatter(x, s, -1), R(3, 4), R(2)),
    "narrow_copy": (lambda x: x.narrow_copy(1, 1, 2), R(3, 4)),
    "gather": (lambda x: x.gather(1, DUP[:, :3]), R(2, 4)),
}
for _r in ("sum", "prod", "mean", "amax", "amin"):
    for _inc in (True, False):
        CASES[f"scatter_reduce_{_r}_{_inc}"] = (
            lambda x, s, r=_r, inc=_inc: x.scatter_reduce(0, DUP, s, r, include_self=inc),
            D(3, 4), D(2, 4) + 0.013)


@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck(name):
    f, *arrays = CASES[name]
    check(f, *arrays)


def _second_order(f, arrays, seed=5):
    """d/d(inputs) of sum_k <grad_k f, V_k>: create_graph against finite differences."""
    rng = np.random.default_rng(seed)
    vs = [T(rng.uniform(0.5, 1.5, size=np.shape(a))) for a in arrays]

    def h(*xs, create_graph=False):
        xs = [x.requires_grad_() if not x.requires_grad else x for x in xs]
        gs = torch.autograd.grad(f(*xs), xs, create_graph=create_graph)
        return sum((g * v).sum() for g, v in zip(gs, vs))

    inputs = [T(a).requires_grad_() for a in arrays]
    analytic = torch.autograd.grad(h(*inputs, create_graph=True), inputs)
    numeric = numeric_grad(h, [T(a) for a in arrays])
    for a, n in zip(analytic, numeric):
        np.testing.assert_allclose(to_np(a), n, rtol=1e-5, atol=1e-6)


def test_scatter_add_second_order():
    _second_order(lambda x, s: (x.scatter_add(0, DUP, s) ** 3).sum(), [R(3, 4), R(2, 4)])


def test_index_add_second_order():
    _second_order(lambda x, s: (x.index_add(1, L(0, 0, 2), s, alpha=2.0) ** 3).sum(),
                  [R(2, 3), R(2, 3)])


def test_gather_second_order():
    _second_order(lambda x: (x.gather(0, DUP) ** 3).sum(), [R(3, 4)])


def test_scatter_add_accumulates_repeats_and_counts_versions():
    z = torch.zeros(4)
    out = z.scatter_add_(0, L(1, 1, 1, 3), torch.tensor([1., 2., 3., 4.]))
    assert out is z and z.tolist() == [0., 6., 0., 4.] and z._version == 1
    z.index_add_(0, L(0, 0), torch.tensor([1., 1.]), alpha=3)
    z.put_(L(2, 2), torch.tensor([5., 5.]), accumulate=True)
    z.index_put_((L(3, 3),), torch.tensor(1.), accumulate=True)
    assert z.tolist() == [6., 6., 10., 6.] and z._version == 4


def test_inplace_records_the_op_and_refuses_leaves():
    x = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.index_fill_(0, L(0), 2.0)
    y = x * 2
    y.scatter_(0, L(2), torch.tensor([7.]))
    assert type(y.grad_fn).__name__ == "ScatterBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [2., 2., 0.]


def test_tsh_names_functions_and_methods():
    from tshell.lang import Interpreter
    src = ("x = zeros(4)\n"
           "i = tensor([0, 0, 3])\n"
           "print(scatter_add(x, 0, i, ones(3)), torch.index_add(x, 0, i, ones(3)))\n"
           "print(x.index_fill(0, tensor([1]), 5.), x.take(tensor([3])), "
           "x.scatter_reduce(0, i, tensor([1., 2., 3.]), 'amax'))\n"
           "x.index_put_((tensor([2]),), tensor(9.))\n"
           "print(x, narrow_copy(x, 0, 1, 2), x.put(tensor([0]), tensor([4.])))\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    assert out.getvalue() == (
        "tensor([2., 0., 0., 1.]) tensor([2., 0., 0., 1.])\n"
        "tensor([0., 5., 0., 0.]) tensor([0.]) tensor([2., 0., 0., 3.])\n"
        "tensor([0., 0., 9., 0.]) tensor([0., 9.]) tensor([4., 0., 9., 0.])\n")
