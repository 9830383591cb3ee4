"""Shape / linear-algebra extension ops: finite-difference gradients, second derivatives
through create_graph, in-place shape changes, warnings given once, and the names reachable
from tsh code (bare, torch.NAME and as methods)."""

import io
import warnings

import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import P, R, T, check, check_second

GRAD = {
    "tril": (lambda x: x.tril(), R(3, 4)),
    "triu_k": (lambda x: torch.triu(x, -1), R(2, 3, 4)),
    "tril_inplace": (lambda x: (x * 1).tril_(1), R(3, 3)),
    "diag_vec": (lambda x: torch.diag(x, 1), R(3)),
    "diag_mat": (lambda x: x.diag(-1), R(4, 3)),
    "diagonal": (lambda x: x.diagonal(1, -1, 0), R(2, 3, 4)),
    "diag_embed": (lambda x: torch.diag_embed(x, -1, 0, 2), R(2, 3)),
    "trace": (lambda x: torch.trace(x) * x, R(3, 4)),
    "t_inplace": (lambda x: (x * 1).t_(), R(2, 3)),
    "transpose_inplace": (lambda x: (x * 1).transpose_(0, 2), R(2, 3, 4)),
    "squeeze_unsqueeze_inplace": (lambda x: (x * 1).squeeze_(1).unsqueeze_(0), R(3, 1, 2)),
    "einsum_mm": (lambda a, b: torch.einsum("ij,jk->ik", a, b), R(2, 3), R(3, 4)),
    "einsum_diag_sum": (lambda a: torch.einsum("ii->i", a) * torch.einsum("ii", a), R(3, 3)),
    "einsum_batch_ellipsis": (lambda a, b: torch.einsum("...ij,...jk", a, b), R(2, 2, 3), R(3, 2)),
    "einsum_three": (lambda a, b, c: torch.einsum("i,ij,j->", a, b, c), R(3), R(3, 4), R(4)),
    "einsum_outer_bcast": (lambda a, b: torch.einsum("ij,ij->ij", a, b), R(2, 3), R(1, 3)),
    "tensordot": (lambda a, b: torch.tensordot(a, b, ([1, 2], [0, 1])), R(2, 3, 4), R(3, 4, 2)),
    "kron": (lambda a, b: torch.kron(a, b), R(2, 2), R(3)),
    "cross": (lambda a, b: torch.linalg.cross(a, b), R(2, 3), R(1, 3)),
    "tile": (lambda x: x.tile(2, 1, 2), R(2, 3)),
    "repeat_interleave": (lambda x: x.repeat_interleave(2, dim=1), R(2, 3)),
    "repeat_interleave_tensor": (lambda x: torch.repeat_interleave(x, torch.tensor([2, 0, 1])), R(3)),
    "meshgrid": (lambda a, b: torch.stack(torch.meshgrid(a, b, indexing="xy")) * 1, R(2), R(3)),
    "broadcast_tensors": (lambda a, b: torch.stack(torch.broadcast_tensors(a, b)), R(3, 1), R(4)),
    "tensor_split": (lambda x: torch.cat([p * (i + 1) for i, p in enumerate(x.tensor_split([1, 3]))]), R(5)),
    "ravel_rot90": (lambda x: x.t().ravel() + torch.rot90(x, 3).reshape(-1), R(3, 4)),
    "flips": (lambda x: torch.fliplr(x) * torch.flipud(x), R(3, 4)),
    "column_dstack": (lambda a, b: torch.column_stack([a, b]).sum() + torch.dstack([a, a]), R(3), R(3, 2)),
    "inverse": (lambda x: torch.inverse(x + 3 * torch.eye(3, dtype=torch.float64)), R(3, 3)),
    "det": (lambda x: torch.det(x + 2 * torch.eye(3, dtype=torch.float64)), R(2, 3, 3)),
}


@pytest.mark.parametrize("name", list(GRAD))
def test_gradient_matches_finite_differences(name):
    f, *arrays = GRAD[name]
    check(f, *arrays)


SECOND = {
    "einsum": (lambda a, b: (torch.einsum("ij,jk->ik", a, b) ** 2).sum(), R(2, 3), R(3, 2)),
    "einsum_trace": (lambda a: torch.einsum("ii", a * a) ** 2, R(3, 3)),
    "diag": (lambda x: (torch.diag(x) ** 3).sum() + (torch.diag(x[0]) ** 2).sum(), R(3, 3)),
    "tril": (lambda x: (x.tril(-1) * x.triu()).sum() + (x.tril() ** 3).sum(), R(3, 3)),
    "diagonal_trace": (lambda x: (x.diagonal() ** 2).sum() * x.trace(), R(3, 3)),
    "kron_cross": (lambda a, b: (torch.kron(a, b) ** 2).sum() + (torch.linalg.cross(a, b) ** 2).sum(), R(3), R(3)),
    "inverse_det": (lambda x: torch.inverse(x).sum() * torch.det(x), P(3, 3) + 3 * np.eye(3)),
}


@pytest.mark.parametrize("name", list(SECOND))
def test_second_derivative(name):
    f, *arrays = SECOND[name]
    check_second(f, *arrays)


def test_diagonal_is_a_writable_view():
    x = torch.zeros(3, 4)
    d = x.diagonal(1)
    d.add_(torch.tensor([1., 2., 3.]))
    assert x.tolist() == [[0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 3]]
    assert d._version == x._version == 1


def test_inplace_shape_change_keeps_memory_and_grad():
    x = torch.tensor([[1., 2., 3.]], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.t_()
    assert tuple(y.shape) == (3, 1) and y.grad_fn.name() == "TBackward1"
    (y * T(np.array([[1.], [2.], [3.]]))).sum().backward()
    assert x.grad.tolist() == [[2., 4., 6.]]
    assert y.grad.tolist() == [[1.], [2.], [3.]]     # retain_grad follows the new value


def test_saved_tensor_changed_by_inplace_shape_op_is_caught():
    x = torch.ones(2, 3, requires_grad=True)
    y = x * 2
    z = y * y                    # saves y
    y.t_()                       # bumps the version as PyTorch does
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


@pytest.mark.parametrize("call, key", [
    (lambda: torch.meshgrid(torch.ones(2), torch.ones(3)), "meshgrid"),
    (lambda: torch.cross(torch.ones(3), torch.ones(3)), "cross"),
])
def test_warnings_are_given_once(call, key):
    from tshell.core.ops.shape import _WARNED_ONCE
    _WARNED_ONCE.pop(key, None)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        call()
        call()
    assert len(seen) == 1 and seen[0].category is UserWarning


def test_singular_inverse_names_the_pivot():
    with pytest.raises(RuntimeError, match="The diagonal element 2 is zero"):
        torch.inverse(torch.ones(2, 2))
    with pytest.raises(RuntimeError, match=r"\(Batch element 1\): The diagonal element 2"):
        torch.inverse(torch.stack([torch.eye(3), torch.tensor([[1., 2, 0], [2, 4, 0], [0, 0, 1]])]))


def test_names_reachable_from_tsh():
    from tshell.lang import Interpreter
    src = """
x = arange(9.).view(3, 3)
print(tril(x).sum(), torch.triu(x, 1).sum(), x.trace(), trace(x))
print(diag(x), x.diagonal(1), torch.diag_embed(tensor([1, 2])).shape)
y = x.clone()
y.t_()
y.unsqueeze_(0)
print(y.shape, y.squeeze_().shape, x.tril_().sum())
print(einsum('ij,jk->ik', eye(2), ones(2, 2)).sum(), torch.tensordot(ones(2, 3), ones(3), 1))
print(kron(eye(2), ones(1, 2)).shape, torch.linalg.cross(tensor([1., 0, 0]), tensor([0., 1, 0])))
print(tile(tensor([1, 2]), (2,)), tensor([1, 2]).repeat_interleave(2), ravel(x.t()).shape)
a, b = meshgrid(arange(2), arange(3), indexing='ij')
print(a.shape, len(broadcast_tensors(ones(2, 1), ones(3))), len(tensor_split(arange(5), 2)))
print(moveaxis(ones(2, 3), 0, 1).shape, fliplr(x)[0], x.flipud()[0], rot90(x).shape)
print(atleast_3d(tensor(1.)).shape, column_stack([ones(2), ones(2)]).shape, dstack([ones(2), ones(2)]).shape)
print(torch.det(eye(2) * 2), inverse(eye(2) * 2)[0], torch.linalg.inv(eye(2))[1], x.kron(eye(1)).shape)
"""
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    assert out.getvalue() == """tensor(28.) tensor(8.) tensor(12.) tensor(12.)
tensor([0., 4., 8.]) tensor([1., 5.]) torch.Size([2, 2])
torch.Size([1, 3, 3]) torch.Size([3, 3]) tensor(28.)
tensor(4.) tensor([3., 3.])
torch.Size([2, 4]) tensor([0., 0., 1.])
tensor([1, 2, 1, 2]) tensor([1, 1, 2, 2]) torch.Size([9])
torch.Size([2, 3]) 2 2
torch.Size([3, 2]) tensor([0., 0., 0.]) tensor([6., 7., 8.]) torch.Size([3, 3])
torch.Size([1, 1, 1]) torch.Size([2, 2]) torch.Size([1, 2, 2])
tensor(4.) tensor([0.5000, 0.0000]) tensor([0., 1.]) torch.Size([3, 3])
"""
