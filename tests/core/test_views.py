"""Views share memory with their base as in PyTorch 2.13 (shape ops, in-place ops, NumPy interop).

Sharing is tested by writing through one tensor and reading the other. stride() values
are element strides verified with torch 2.13 CPU.
"""

import numpy as np
import pytest

import tshell.core as torch


def ar(*shape, dtype=None):
    n = int(np.prod(shape))
    t = torch.arange(float(n)) if dtype is None else torch.arange(n, dtype=dtype)
    return t.view(*shape) if shape else t


def lst(t):
    return t.tolist()


def assert_shares(base, view, base_idx, view_idx):
    """Writing base[base_idx] shows at view[view_idx] and vice versa (same element)."""
    base[base_idx] = -101.0
    assert view[view_idx].item() == -101.0
    view[view_idx] = -202.0
    assert base[base_idx].item() == -202.0


def assert_independent(a, b, a_idx, b_idx):
    before_b = b[b_idx].item()
    a[a_idx] = -303.0
    assert b[b_idx].item() == before_b
    before_a = a[a_idx].item()
    b[b_idx] = -404.0
    assert a[a_idx].item() == before_a


# ---------------------------------------------------------------------------------------
# view / reshape / flatten

def test_view_shares_and_strides():
    base = torch.arange(12.0)
    v = base.view(3, 4)
    assert v.stride() == (4, 1)
    assert v.is_contiguous()
    assert_shares(base, v, 6, (1, 2))
    w = v.view(2, 2, 3)
    assert w.stride() == (6, 3, 1)
    assert_shares(base, w, 11, (1, 1, 2))
    assert v.view(-1).stride() == (1,)
    assert v.view(-1, 2).stride() == (2, 1)


def test_view_0dim_and_size_tuple():
    base = torch.arange(6.0)
    v = base.view((2, 3))
    assert v.shape == (2, 3)
    assert_shares(base, v, 5, (1, 2))
    s = torch.tensor([5.0]).view(())
    assert s.dim() == 0 and s.stride() == ()


def test_reshape_contiguous_shares():
    x = ar(2, 3, 4)
    r = x.reshape(4, 6)
    assert r.stride() == (6, 1)
    assert_shares(x, r, (1, 0, 0), (2, 0))
    r2 = torch.reshape(x, (-1,))
    assert_shares(x, r2, (1, 2, 3), 23)


def test_reshape_viewable_noncontiguous_shares():
    x = torch.zeros(3, 4)
    r = x[:, ::2].reshape(6)      # strides (4, 2) merge into (2,)
    assert r.stride() == (2,)
    r[1] = 9.0
    assert x[0, 2].item() == 9.0


def test_reshape_that_must_copy_does_not_share():
    x = ar(3, 4)
    r = x.t().reshape(12)
    assert r.stride() == (1,)
    assert lst(r) == [0.0, 4.0, 8.0, 1.0, 5.0, 9.0, 2.0, 6.0, 10.0, 3.0, 7.0, 11.0]
    assert_independent(x, r, (0, 1), 3)


def test_flatten_contiguous_shares():
    x = ar(2, 3, 4)
    f = x.flatten()
    assert f.stride() == (1,)
    assert_shares(x, f, (1, 1, 1), 17)
    g = x.flatten(1)
    assert g.shape == (2, 12) and g.stride() == (12, 1)
    assert_shares(x, g, (1, 2, 3), (1, 11))


def test_flatten_noncontiguous_copies():
    x = ar(3, 4)
    f = x.t().flatten()
    assert f.stride() == (1,)
    assert_independent(x, f, (0, 0), 0)


# ---------------------------------------------------------------------------------------
# transpose / t / T / permute

def test_transpose_shares_and_strides():
    x = ar(2, 3, 4)
    y = x.transpose(0, 2)
    assert y.shape == (4, 3, 2)
    assert y.stride() == (1, 4, 12)
    assert not y.is_contiguous()
    assert_shares(x, y, (1, 2, 3), (3, 2, 1))
    z = torch.transpose(x, 1, 2)
    assert z.stride() == (12, 1, 4)
    assert_shares(x, z, (0, 1, 2), (0, 2, 1))


def test_t_and_T_share():
    x = ar(3, 4)
    for y in (x.t(), x.T, torch.t(x)):
        assert y.shape == (4, 3)
        assert y.stride() == (1, 4)
        assert not y.is_contiguous()
        assert_shares(x, y, (2, 1), (1, 2))
    v = torch.arange(3.0)
    assert v.t().stride() == (1,)
    assert_shares(v, v.t(), 1, 1)


def test_permute_shares_and_strides():
    x = ar(2, 3, 4)
    y = x.permute(2, 0, 1)
    assert y.shape == (4, 2, 3)
    assert y.stride() == (1, 12, 4)
    assert not y.is_contiguous()
    assert_shares(x, y, (1, 2, 3), (3, 1, 2))
    z = x.permute((1, 2, 0))
    assert z.stride() == (4, 1, 12)


def test_is_contiguous_transpose_and_contiguous():
    x = ar(2, 3, 4)
    assert x.is_contiguous()
    y = x.transpose(0, 2)
    assert not y.is_contiguous()
    c = y.contiguous()
    assert c.is_contiguous()
    assert c.stride() == (6, 2, 1)
    assert lst(c) == lst(y)
    assert_independent(y, c, (0, 0, 0), (0, 0, 0))
    # size-1 dims do not matter
    assert torch.zeros(1, 3).t().is_contiguous()
    assert not torch.zeros(3, 1).expand(3, 4).is_contiguous()


def test_contiguous_on_contiguous_returns_self():
    x = ar(3, 4)
    c = x.contiguous()
    assert c is x
    c[0, 0] = 42.0
    assert x[0, 0].item() == 42.0


def test_view_on_transposed_raises():
    x = ar(3, 4).t()
    with pytest.raises(RuntimeError) as info:
        x.view(12)
    assert str(info.value) == (
        "view size is not compatible with input tensor's size and stride (at least one dimension "
        "spans across two contiguous subspaces). Use .reshape(...) instead.")


# ---------------------------------------------------------------------------------------
# slicing / select / ellipsis

def test_slicing_with_steps_shares():
    x = ar(2, 3, 4)
    y = x[:, ::2]
    assert y.shape == (2, 2, 4)
    assert y.stride() == (12, 8, 1)
    assert_shares(x, y, (1, 2, 3), (1, 1, 3))
    z = x[1:, 1:3, ::3]
    assert z.shape == (1, 2, 2)
    assert z.stride() == (12, 4, 3)
    assert_shares(x, z, (1, 2, 3), (0, 1, 1))
    v = torch.arange(5.0)[1::2]
    assert v.shape == (2,) and v.stride() == (2,)
    assert lst(v) == [1.0, 3.0]


def test_slice_negative_bounds_share():
    x = ar(4, 4)
    y = x[-3:-1, :-1]
    assert y.shape == (2, 3)
    assert y.stride() == (4, 1)
    assert_shares(x, y, (2, 2), (1, 2))


def test_select_shares():
    x = ar(2, 3, 4)
    a = x[0]
    assert a.stride() == (4, 1)
    assert_shares(x, a, (0, 2, 1), (2, 1))
    b = x[:, 1]
    assert b.shape == (2, 4) and b.stride() == (12, 1)
    assert_shares(x, b, (1, 1, 3), (1, 3))
    c = x[..., 1]
    assert c.shape == (2, 3) and c.stride() == (12, 4)
    assert_shares(x, c, (1, 2, 1), (1, 2))
    d = x[-1, -1]
    assert d.stride() == (1,)
    assert_shares(x, d, (1, 2, 0), 0)


def test_select_0dim_is_a_view():
    x = torch.zeros(3, 4)
    e = x[1, 2]
    assert e.dim() == 0 and e.stride() == ()
    e.fill_(7.0)
    assert x[1, 2].item() == 7.0
    x[1, 2] = 8.0
    assert e.item() == 8.0


def test_ellipsis_and_full_slice_share():
    x = ar(2, 3)
    for y in (x[...], x[:], x[:, :]):
        assert y.stride() == (3, 1)
        assert_shares(x, y, (1, 2), (1, 2))


def test_none_index_shares():
    x = ar(3, 4)
    y = x[None, :, None]
    assert y.shape == (1, 3, 1, 4)
    assert_shares(x, y, (2, 3), (0, 2, 0, 3))


# ---------------------------------------------------------------------------------------
# expand / squeeze / unsqueeze / split / chunk / detach

def test_expand_shares_base_writes():
    base = torch.tensor([1.0, 2.0, 3.0])
    e = base.expand(2, 3)
    assert e.stride() == (0, 1)
    base[0] = 10.0
    assert lst(e) == [[10.0, 2.0, 3.0], [10.0, 2.0, 3.0]]
    col = torch.zeros(3, 1)
    e2 = col.expand(3, 4)
    assert e2.stride() == (1, 0)
    e3 = col.expand(2, 3, 4)
    assert e3.stride() == (0, 1, 0)
    col[1, 0] = 5.0
    assert lst(e3[1, 1]) == [5.0, 5.0, 5.0, 5.0]
    e4 = col.expand_as(torch.empty(3, 2))
    col[2, 0] = 6.0
    assert lst(e4[2]) == [6.0, 6.0]


def test_squeeze_unsqueeze_share():
    x = torch.zeros(3, 1, 4)
    for s in (x.squeeze(), x.squeeze(1), torch.squeeze(x)):
        assert s.shape == (3, 4) and s.stride() == (4, 1)
        assert_shares(x, s, (2, 0, 3), (2, 3))
    y = ar(3, 4)
    assert y.unsqueeze(0).stride() == (12, 4, 1)
    assert y.unsqueeze(1).stride() == (4, 4, 1)
    assert y.unsqueeze(2).stride() == (4, 1, 1)
    assert y.unsqueeze(-1).stride() == (4, 1, 1)
    u = y.unsqueeze(1)
    assert_shares(y, u, (1, 2), (1, 0, 2))
    assert y.t().unsqueeze(1).stride() == (1, 12, 4)
    assert torch.zeros(2, 1, 3).transpose(0, 2).stride() == (1, 3, 3)


def test_split_and_chunk_pieces_share():
    x = ar(4, 6)
    a, b = x.chunk(2, dim=1)
    assert b.shape == (4, 3) and b.stride() == (6, 1)
    assert_shares(x, b, (3, 4), (3, 1))
    p, q = x.split(2)
    assert q.stride() == (6, 1)
    assert_shares(x, q, (3, 0), (1, 0))
    parts = torch.split(x, [1, 2, 3], dim=1)
    assert [t.shape for t in parts] == [(4, 1), (4, 2), (4, 3)]
    assert_shares(x, parts[2], (2, 5), (2, 2))
    c = torch.chunk(x, 3)
    assert_shares(x, c[1], (2, 2), (0, 2))


def test_detach_shares():
    x = torch.ones(3, requires_grad=True)
    d = x.detach()
    assert not d.requires_grad
    d[0] = 5.0
    assert x[0].item() == 5.0
    with torch.no_grad():
        x[1] = 7.0
    assert d[1].item() == 7.0


def test_clone_does_not_share():
    x = ar(2, 3)
    c = x.clone()
    assert_independent(x, c, (1, 1), (1, 1))


# ---------------------------------------------------------------------------------------
# NumPy interop

def test_numpy_shares_both_directions():
    a = torch.ones(5)
    b = a.numpy()
    assert isinstance(b, np.ndarray) and b.dtype == np.float32
    a.add_(1)
    assert b.tolist() == [2.0] * 5
    b[0] = 7.0
    assert a[0].item() == 7.0
    b += 1
    assert lst(a) == [8.0, 3.0, 3.0, 3.0, 3.0]


def test_numpy_of_view_shares():
    x = torch.zeros(3, 4)
    n = x.t().numpy()
    assert n.shape == (4, 3)
    assert n.strides == (4, 16)
    n[1, 2] = 3.0
    assert x[2, 1].item() == 3.0
    x[0, 3] = 4.0
    assert n[3, 0] == 4.0


def test_from_numpy_shares_both_directions():
    n = np.ones(5)
    t = torch.from_numpy(n)
    assert t.dtype == torch.float64
    n[1] = 9.0
    assert t[1].item() == 9.0
    t[2] = -1.0
    assert n[2] == -1.0
    t.add_(1)
    assert n.tolist() == [2.0, 10.0, 0.0, 2.0, 2.0]


def test_from_numpy_noncontiguous_keeps_strides():
    n = np.zeros((3, 4))
    t = torch.from_numpy(n.T)
    assert t.shape == (4, 3)
    assert t.stride() == (1, 4)
    assert not t.is_contiguous()
    n[2, 1] = 5.0
    assert t[1, 2].item() == 5.0
    m = np.zeros((4, 6))
    u = torch.from_numpy(m[::2, 1::3])
    assert u.stride() == (12, 3)
    u[1, 1] = 2.0
    assert m[2, 4] == 2.0


@pytest.mark.parametrize("npdt,name", [
    (np.float32, "float32"), (np.float64, "float64"), (np.float16, "float16"),
    (np.int64, "int64"), (np.int32, "int32"), (np.int16, "int16"), (np.int8, "int8"),
    (np.uint8, "uint8"), (np.bool_, "bool")])
def test_numpy_dtype_roundtrip_shares(npdt, name):
    n = np.zeros(3, dtype=npdt)
    t = torch.from_numpy(n)
    assert t.dtype == getattr(torch, name)
    back = t.numpy()
    assert back.dtype == np.dtype(npdt)
    back[1] = 1
    assert n[1] == 1
    assert t[1].item() == (True if name == "bool" else 1)


def test_view_of_from_numpy_chain_shares():
    n = np.arange(12.0)
    v = torch.from_numpy(n).view(3, 4).t()[1:]
    v[0, 0] = 100.0
    assert n[1] == 100.0


# ---------------------------------------------------------------------------------------
# advanced indexing copies

def test_mask_indexing_copies():
    x = ar(3, 4)
    m = x > 5
    y = x[m]
    assert y.shape == (6,)
    assert y.stride() == (1,)
    assert_independent(x, y, (2, 3), 5)


def test_index_tensor_and_list_copy():
    x = ar(3, 4)
    for y in (x[torch.tensor([0, 2])], x[[0, 2]], x[:, torch.tensor([1, 1])]):
        before = lst(x)
        y.fill_(-1.0)
        assert lst(x) == before


def test_advanced_setitem_writes_base():
    x = ar(3, 4)
    x[x > 9] = 0.0
    assert lst(x[2]) == [8.0, 9.0, 0.0, 0.0]
    x[torch.tensor([0, 1]), torch.tensor([1, 2])] = -5.0
    assert x[0, 1].item() == -5.0 and x[1, 2].item() == -5.0


# ---------------------------------------------------------------------------------------
# in-place through a view

@pytest.mark.parametrize("op", ["add_", "sub_", "mul_", "div_", "pow_", "zero_", "fill_", "copy_",
                                "clamp_", "iadd", "imul", "setitem"])
def test_inplace_through_view_changes_base(op):
    x = ar(3, 4) + 1.0
    v = x[1]                      # [5, 6, 7, 8]
    if op == "add_":
        r = v.add_(1)
        want = [6.0, 7.0, 8.0, 9.0]
    elif op == "sub_":
        r = v.sub_(torch.tensor([1.0, 2.0, 3.0, 4.0]))
        want = [4.0, 4.0, 4.0, 4.0]
    elif op == "mul_":
        r = v.mul_(2)
        want = [10.0, 12.0, 14.0, 16.0]
    elif op == "div_":
        r = v.div_(2)
        want = [2.5, 3.0, 3.5, 4.0]
    elif op == "pow_":
        r = v.pow_(2)
        want = [25.0, 36.0, 49.0, 64.0]
    elif op == "zero_":
        r = v.zero_()
        want = [0.0] * 4
    elif op == "fill_":
        r = v.fill_(3.5)
        want = [3.5] * 4
    elif op == "copy_":
        r = v.copy_(torch.tensor([9.0, 8.0, 7.0, 6.0]))
        want = [9.0, 8.0, 7.0, 6.0]
    elif op == "clamp_":
        r = v.clamp_(6, 7)
        want = [6.0, 6.0, 7.0, 7.0]
    elif op == "iadd":
        v += 1
        r = v
        want = [6.0, 7.0, 8.0, 9.0]
    elif op == "imul":
        v *= torch.tensor(2.0)
        r = v
        want = [10.0, 12.0, 14.0, 16.0]
    else:
        v[1:3] = 0.0
        r = v
        want = [5.0, 0.0, 0.0, 8.0]
    assert r is v
    assert lst(x[1]) == want
    assert lst(x[0]) == [1.0, 2.0, 3.0, 4.0]
    assert lst(x[2]) == [9.0, 10.0, 11.0, 12.0]


def test_inplace_through_transposed_view_and_column():
    x = torch.zeros(2, 3)
    x.t()[2].add_(5)
    assert lst(x) == [[0.0, 0.0, 5.0], [0.0, 0.0, 5.0]]
    x[:, 0].fill_(1.0)
    assert lst(x) == [[1.0, 0.0, 5.0], [1.0, 0.0, 5.0]]
    x[:, ::2].mul_(2)
    assert lst(x) == [[2.0, 0.0, 10.0], [2.0, 0.0, 10.0]]


def test_inplace_on_base_seen_by_views():
    x = torch.zeros(2, 3)
    views = [x.view(6), x.t(), x[1], x.unsqueeze(0), x.reshape(3, 2), x[:, 1:]]
    x.add_(1)
    x[1, 2] = 4.0
    assert views[0][5].item() == 4.0
    assert views[1][2, 1].item() == 4.0
    assert views[2][2].item() == 4.0
    assert views[3][0, 1, 2].item() == 4.0
    assert views[4][2, 1].item() == 4.0
    assert views[5][1, 1].item() == 4.0
    assert views[0][0].item() == 1.0


def test_inplace_through_view_autograd():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
    y = x * 2
    y[0].mul_(3)
    y.sum().backward()
    assert lst(x.grad) == [[6.0, 6.0], [2.0, 2.0]]


def test_views_read_their_base_after_an_inplace_write():
    # PyTorch regenerates the grad_fn of a view whose base (or another view of the base) was
    # written in place: AsStridedBackward0, whose gradient goes through the write.
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 1
    v = y[1:]
    vv = v[1:]
    y.mul_(2)
    assert str(v) == "tensor([4., 6., 8.], grad_fn=<AsStridedBackward0>)"
    (vv * torch.tensor([1.0, 10.0])).sum().backward()
    assert lst(x.grad) == [0.0, 0.0, 2.0, 20.0]

    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1
    r, c = y[0], y[:, 1]
    r.mul_(10)                    # a sibling view written
    assert str(c) == "tensor([20.,  4.], grad_fn=<AsStridedBackward0>)"
    (c * torch.tensor([1.0, 100.0])).sum().backward()
    assert lst(x.grad) == [[0.0, 10.0], [0.0, 100.0]]

    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 1
    v = y.unsqueeze(0)
    y.zero_()
    v.sum().backward()
    assert lst(x.grad) == [0.0, 0.0, 0.0, 0.0]


def test_copy_into_view_gives_base_copyslices():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    s = torch.tensor([5.0, 6.0, 7.0], requires_grad=True)
    y = x.clone()
    v = y[1:]
    v.copy_(s * 2)
    assert str(y) == "tensor([ 1., 10., 12., 14.], grad_fn=<CopySlices>)"
    assert str(v) == "tensor([10., 12., 14.], grad_fn=<AsStridedBackward0>)"
    (y * torch.arange(4.0)).sum().backward()
    assert lst(x.grad) == [0.0, 0.0, 0.0, 0.0] and lst(s.grad) == [2.0, 4.0, 6.0]


def test_inplace_on_output_of_multi_view_function():
    msg = ("Output 1 of Unbind is a view and is being modified inplace. This view is the output of a function "
           "that returns multiple views. Such functions do not allow the output views to be modified inplace. "
           "You should replace the inplace operation by an out-of-place one.")
    x = torch.ones(2, requires_grad=True)
    a, b = (x * 1).unbind()
    for f in (lambda: b.add_(1), lambda: b.zero_(), lambda: b.copy_(x[0])):
        with pytest.raises(RuntimeError) as info:
            f()
        assert str(info.value) == msg
    a, b = (x * 1).split(1)
    with pytest.raises(RuntimeError) as info:
        b.mul_(2)
    assert str(info.value).startswith("Output 1 of Split is a view and is being modified inplace.")
    a, b = torch.ones(2).split(1)
    b.add_(1)                     # no autograd history: fine


# ---------------------------------------------------------------------------------------
# version counter: a saved tensor modified in place, then backward

PREFIX = "one of the variables needed for gradient computation has been modified by an inplace operation: "


def test_version_counter_saved_output():
    x = torch.ones(3, requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    msg = str(info.value)
    assert msg.startswith(PREFIX + "[torch.FloatTensor [3]], which is output 0 of Exp, is at version 1; "
                                   "expected version 0 instead.")


def test_version_counter_through_view():
    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    y = x.exp()
    y[0].mul_(2)                  # writes y through a view: same version counter
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    assert str(info.value).startswith(
        PREFIX + "[torch.DoubleTensor [3]], which is output 0 of Exp, is at version 1; expected version 0 instead.")


def test_version_counter_base_modified_view_saved():
    x = torch.ones(2, 3, requires_grad=True)
    z = (x * 1).sigmoid()
    z.t().mul_(2)
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    assert str(info.value).startswith(
        PREFIX + "[torch.FloatTensor [2, 3]], which is output 0 of Sigmoid, is at version 1; expected version 0 instead.")


def test_version_counter_saved_input():
    x = torch.ones(3, requires_grad=True)
    x2 = x * 1
    z = x2 * x2                   # saves x2
    x2.add_(1)
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    msg = str(info.value)
    assert msg.startswith(PREFIX + "[torch.FloatTensor [3]], which is output 0 of ")
    assert "is at version 1; expected version 0 instead." in msg


def test_version_counter_saved_input_setitem():
    x = torch.ones(3, requires_grad=True)
    x2 = x * 1
    z = x2.sin()                  # saves x2
    x2[0] = 5.0
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    msg = str(info.value)
    assert msg.startswith(PREFIX + "[torch.FloatTensor [3]], which is output 0 of ")
    assert "is at version 1; expected version 0 instead." in msg


def test_inplace_not_saved_is_fine():
    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    y = x * 2                     # mul by a constant saves nothing of y
    y.add_(1)
    (y * 1).sum().backward()
    assert lst(x.grad) == [2.0, 2.0, 2.0]


# ---------------------------------------------------------------------------------------
# chained view ops: strides as torch 2.13 reports them, and the chain still shares memory

X3 = (2, 3, 4)
Y2 = (3, 4)


@pytest.mark.parametrize("shape,fn,stride", [
    (X3, lambda x: x[1:].view(-1), (1,)),
    (X3, lambda x: x.permute(2, 0, 1)[1:], (1, 12, 4)),
    (X3, lambda x: x[:, 1:3].transpose(1, 2), (12, 1, 4)),
    (X3, lambda x: x[:, 1].unsqueeze(0), (24, 12, 1)),
    (X3, lambda x: x.transpose(0, 1)[::2], (8, 12, 1)),
    (Y2, lambda y: y.t()[1:], (1, 4)),
    (Y2, lambda y: y[:, 1:3].t(), (1, 4)),
    (Y2, lambda y: y[1:].view(2, 2, 2), (4, 2, 1)),
    (Y2, lambda y: y[:, None, 1:], (4, 4, 1)),
    (Y2, lambda y: y.t().unsqueeze(0).expand(2, 4, 3), (0, 1, 4)),
    (Y2, lambda y: y[:, :2].view(3, 2, 1), (4, 1, 1)),
    (Y2, lambda y: y[::2].view(2, 2, 2), (8, 2, 1)),
    (Y2, lambda y: y.t().t(), (4, 1)),
    (Y2, lambda y: y.unsqueeze(1).squeeze(1), (4, 1)),
    (Y2, lambda y: y.expand(2, 3, 4), (0, 4, 1)),
    (Y2, lambda y: y[1].expand(3, 4), (0, 1)),
    (Y2, lambda y: y[:, 1:2].expand(3, 5), (4, 0)),
])
def test_chained_view_strides_and_sharing(shape, fn, stride):
    base = ar(*shape)
    v = fn(base)
    assert v.stride() == stride
    # the first element of the view is some element of base: find it by value, then write it
    first = v.reshape(-1)[0].item() if v.numel() else None
    flat = base.view(-1)
    flat.fill_(0.0)
    flat[int(first)] = 5.0
    assert v.reshape(-1)[0].item() == 5.0


def test_view_of_noncontiguous_slice_raises():
    y = ar(3, 4)
    with pytest.raises(RuntimeError) as info:
        y[:, :2].view(6)
    assert str(info.value).startswith("view size is not compatible with input tensor's size and stride")


def _softmax_rows(a):
    e = np.exp(a - a.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


@pytest.mark.parametrize("fn,ref", [
    (lambda x: x.t().exp(), lambda a: np.exp(a.T)),
    (lambda x: x[:, ::2] * 2, lambda a: a[:, ::2] * 2),
    (lambda x: x.t() @ x, lambda a: a.T @ a),
    (lambda x: x.t().sum(0), lambda a: a.T.sum(0)),
    (lambda x: x.t().softmax(1), lambda a: _softmax_rows(a.T)),
    (lambda x: x.t().cumsum(1), lambda a: a.T.cumsum(1)),
    (lambda x: x.expand(2, 3, 4) + 0, lambda a: np.broadcast_to(a, (2, 3, 4))),
    (lambda x: x.permute(1, 0).clone(), lambda a: a.T),
    (lambda x: x.t()[torch.tensor([0, 2])], lambda a: a.T[[0, 2]]),
    (lambda x: x.t().reshape(2, 6), lambda a: a.T.reshape(2, 6)),
    (lambda x: x[:, 1:3].t().contiguous().view(6), lambda a: a[:, 1:3].T.reshape(6)),
    (lambda x: torch.cat([x.t(), x.t()[:1]]), lambda a: np.concatenate([a.T, a.T[:1]])),
    (lambda x: x.t().max(0).values, lambda a: a.T.max(0)),
])
def test_ops_on_noncontiguous_inputs_match_numpy(fn, ref):
    x = ar(3, 4) / 10
    xn = np.arange(12.0, dtype=np.float64).reshape(3, 4) / 10
    np.testing.assert_allclose(np.array(fn(x).tolist()), ref(xn), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------
# conversions: which return self, which share, which copy (torch 2.13)

def test_as_tensor_shares_numpy_tensor_copies():
    n = np.zeros(3)
    a = torch.as_tensor(n)
    assert a.dtype == torch.float64
    n[0] = 1.0
    assert a[0].item() == 1.0
    a[1] = 2.0
    assert n[1] == 2.0
    n2 = np.zeros(3)
    b = torch.as_tensor(n2, dtype=torch.float32)   # dtype change: a copy
    n2[0] = 1.0
    assert b[0].item() == 0.0
    n3 = np.zeros(3)
    c = torch.tensor(n3)                            # torch.tensor always copies
    n3[0] = 1.0
    assert c[0].item() == 0.0


def test_conversions_that_return_self():
    x = torch.zeros(3)
    assert torch.as_tensor(x) is x
    assert x.to(torch.float32) is x
    assert x.float() is x
    assert x.cpu() is x
    assert x.to("cpu") is x
    assert x.to(x) is x


def test_conversions_that_copy():
    x = torch.zeros(3)
    for y in (x.to(torch.float64), x.double(), x.clone(), x.to("cpu", torch.float64)):
        y[0] = 5.0
        assert x[0].item() == 0.0


def test_numpy_of_from_numpy_slice_shares():
    n = np.zeros((3, 4))
    t = torch.from_numpy(n)[:, 1:3]
    m = t.numpy()
    assert m.strides == (32, 8)
    m[0, 0] = 7.0
    assert n[0, 1] == 7.0


def test_version_counter_message_names():
    # ExpBackward0 -> Exp, FillBackward2 -> Fill2; C++ nodes by their qualified name
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    cases = []
    y = x * 1
    z = y * y
    y.fill_(2)
    cases.append((z, "Fill2"))
    y = x * 1
    z = y * y
    y[0] = 0
    cases.append((z, "torch::autograd::CopySlices"))
    y = x * 1
    z = y * y
    y.copy_(torch.ones(2))
    cases.append((z, "torch::autograd::CopyBackwards"))
    for out, name in cases:
        with pytest.raises(RuntimeError) as info:
            out.sum().backward()
        assert str(info.value).startswith(PREFIX + f"[torch.FloatTensor [2]], which is output 0 of {name}, is at "
                                                   "version 1; expected version 0 instead.")


NO_GRAD_VIEW = ("A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given "
                "that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
                "moving both the view and the inplace either both inside the no_grad block (if you don't want the "
                "inplace to be tracked) or both outside (if you want the inplace to be tracked).")


def test_view_made_in_no_grad_mode():
    x = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        y = x[1:]
        v = x.view(3)
        a, b = x.split(2)
    # it requires grad (through its base) and is a leaf
    assert str(y) == "tensor([1., 1.], requires_grad=True)" and y.is_leaf and b.requires_grad
    for t in (y, v, b):
        with pytest.raises(RuntimeError) as info:
            t.add_(1)             # PyTorch checks this before the leaf check
        assert str(info.value) == NO_GRAD_VIEW
    with torch.no_grad():
        v.mul_(2)                 # both in no_grad mode: fine
    # no grad accumulator: the gradient goes nowhere
    (y * 2).sum().backward()
    assert y.grad is None and x.grad is None


def test_version_counter_only_for_saved_values_backward_reads():
    # PyTorch saves x of x * w (x @ w, x / w) only when w needs a gradient: changing x in
    # place (under no_grad) is then no error, and x's gradient does not depend on x.
    x = torch.ones(2, 3, requires_grad=True)
    ys = [x * 2, x * torch.ones(3), torch.ones(3) * x, x / 2, x / torch.full((3,), 2.0),
          x @ torch.ones(3, 2), x[0].dot(torch.ones(3)), x.mv(torch.ones(3)),
          torch.nn.functional.linear(x, torch.ones(2, 3), torch.ones(2))]
    with torch.no_grad():
        x.mul_(3)
    for y in ys:
        y.sum().backward()
    assert str(x.grad) == "tensor([[11., 11., 11.],\n        [10., 10., 10.]])"
    # ... but a value that is read is still checked
    w = torch.ones(3, requires_grad=True)
    for f in (lambda a: a * w, lambda a: w / a, lambda a: a * a):
        x = torch.ones(3, requires_grad=True)
        y = f(x)
        with torch.no_grad():
            x.mul_(3)
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
        assert str(info.value).startswith(PREFIX + "[torch.FloatTensor [3]] is at version 1; expected version 0")


def test_no_version_check_for_ops_that_save_nothing():
    # PyTorch's sign/floor/ceil/trunc/round/floor-division save no input; fmod/remainder
    # read theirs only for the divisor's gradient
    x = torch.tensor([0.5, 1.5, 2.5], requires_grad=True)
    ys = [x.sign(), x.floor(), x.ceil(), x.trunc(), x.round(), x.div(2, rounding_mode="floor"),
          x.div(2, rounding_mode="trunc"), x.fmod(2), x.remainder(2), x.fmod(torch.full((3,), 2.0))]
    with torch.no_grad():
        x.mul_(3)
    for y in ys:
        y.sum().backward()
    assert str(x.grad) == "tensor([3., 3., 3.])"


def test_setitem_with_advanced_indices_only_is_index_put():
    # PyTorch: x[idx] = v with only tensor/list indices (and ':' / '...') is index_put_ on x
    # (IndexPutBackward0); with an int, a slice or None as well it writes into a view of x
    # (CopySlices)
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    for idx in (torch.tensor([True, False, True]), [0, 2], (Ellipsis, [0, 1])):
        y = torch.zeros(3)
        y[idx] = x[:2]
        assert y.grad_fn.name() == "IndexPutBackward0"
    y = torch.zeros(2, 3)
    y[:, [0, 2]] = x[:2]
    assert str(y) == "tensor([[ 1.,  0., -2.],\n        [ 1.,  0., -2.]], grad_fn=<IndexPutBackward0>)"
    for idx in ((0, [0, 2]), ([0], slice(1, None))):
        y = torch.zeros(2, 3)
        y[idx] = x[:2]
        assert y.grad_fn.name() == "torch::autograd::CopySlices"
    y = x * 1
    z = y * y
    y[torch.tensor([True, False, True])] = 7
    assert str(y) == "tensor([ 7., -2.,  7.], grad_fn=<IndexPutBackward0>)"
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    assert "which is output 0 of IndexPut, is at version 1" in str(info.value)
    y.sum().backward()
    assert str(x.grad) == "tensor([0., 1., 0.])"
