"""Structural nn.functional ops (tshell/core/ops: convolution, pooling, normalization,
padding, embedding, distance, interpolation, windows.py): gradients against finite
differences, second-order gradients through create_graph, the memory cap, and the ops
reached from tsh code. (Values, printing, grad_fn names and error texts against PyTorch are
in tests/golden/families/conv_pool_norm.py.)"""

import io

import numpy as np
import pytest

import tshell.core as torch
from tshell.lang import Interpreter

from tests.core.test_gradcheck import D, R, check
from tests.hardening.test_memory import cap  # noqa: F401 (the 64 MiB cap fixture)

F = torch.nn.functional

GRAD_CASES = {
    "conv1d": (lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1), R(2, 3, 7), R(4, 3, 3),
               R(4)),
    "conv2d": (lambda x, w, b: F.conv2d(x, w, b, padding=1), R(1, 2, 4, 5), R(3, 2, 3, 2),
               R(3)),
    "conv2d_groups_dilation": (
        lambda x, w: F.conv2d(x, w, stride=(2, 1), dilation=(1, 2), groups=2, padding="valid"),
        R(2, 4, 5, 6), R(4, 2, 2, 2)),
    "conv2d_same_even": (lambda x, w: F.conv2d(x, w, padding="same"), R(1, 1, 4, 4),
                         R(2, 1, 2, 2)),
    "conv_transpose2d": (
        lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
        R(1, 2, 3, 3), R(2, 3, 3, 3), R(3)),
    "conv_transpose1d_groups": (lambda x, w: F.conv_transpose1d(x, w, stride=3, groups=2),
                                R(2, 4, 3), R(4, 1, 2)),
    "unfold": (lambda x: F.unfold(x, (2, 3), padding=1, stride=2), R(1, 2, 4, 5)),
    "fold": (lambda x: F.fold(x, (3, 4), 2), R(1, 8, 6)),
    "pad_constant": (lambda x: F.pad(x, (1, -1, 2, 0), value=0.5), R(2, 3, 4)),
    "pad_reflect": (lambda x: F.pad(x, (2, 1, 1, 2), mode="reflect"), R(1, 3, 4)),
    "pad_replicate": (lambda x: F.pad(x, (2, 1, 0, 1, 1, 1), mode="replicate"), R(1, 2, 3, 2)),
    "pad_circular": (lambda x: F.pad(x, (2, 1, 1, 1), mode="circular"), R(1, 3, 4)),
    "normalize": (lambda x: F.normalize(x, p=3, dim=-1), R(3, 4)),
    "cosine_similarity": (lambda a, b: F.cosine_similarity(a, b, dim=0), R(3, 4), R(3, 1)),
    "cdist_p2": (lambda a, b: torch.cdist(a, b), R(2, 3, 4), R(1, 5, 4)),
    "cdist_p1_5": (lambda a, b: torch.cdist(a, b, p=1.5), R(3, 2), R(4, 2)),
    "cdist_mm": (lambda a, b: torch.cdist(a, b), R(27, 2), R(3, 2)),
    "embedding": (lambda w: F.embedding(torch.tensor([[0, 2], [3, 2]]), w),
                  R(4, 3)),
    "layer_norm": (lambda x, w, b: F.layer_norm(x, (4,), w, b), R(3, 4), R(4), R(4)),
    "group_norm": (lambda x, w, b: F.group_norm(x, 2, w, b), R(2, 4, 3), R(4), R(4)),
    "batch_norm_train": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                         R(4, 3, 2), R(3), R(3)),
    "batch_norm_eval": (lambda x, w: F.batch_norm(x, torch.zeros(3).double(),
                                                  torch.ones(3).double() * 2, w),
                        R(4, 3), R(3)),
    "instance_norm": (lambda x: F.instance_norm(x), R(2, 3, 4)),
    "max_pool2d": (lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), D(1, 2, 5, 6)),
    "max_pool1d": (lambda x: F.max_pool1d(x, 2, dilation=2), D(2, 7)),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), R(1, 2, 5, 6)),
    "avg_pool1d": (lambda x: F.avg_pool1d(x, 3, 2, ceil_mode=True), R(2, 8)),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, (3, 2)), R(1, 5, 7)),
    "adaptive_max_pool2d": (lambda x: F.adaptive_max_pool2d(x, (2, 3)), D(1, 5, 7)),
    "interpolate_nearest": (lambda x: F.interpolate(x, scale_factor=(1.5, 2)), R(1, 1, 3, 2)),
    "interpolate_bilinear": (lambda x: F.interpolate(x, size=(4, 5), mode="bilinear"),
                             R(1, 2, 3, 3)),
    "interpolate_linear_ac": (
        lambda x: F.interpolate(x, size=6, mode="linear", align_corners=True), R(1, 2, 4)),
}


@pytest.mark.parametrize("name", GRAD_CASES)
def test_gradient_matches_finite_differences(name):
    f, *arrays = GRAD_CASES[name]
    check(f, *arrays)


def _second_order(f, *arrays):
    """d/dx of sum(grad(f)²): create_graph against finite differences of the first gradient."""
    xs = [torch.tensor(a.tolist(), dtype=torch.float64, requires_grad=True) for a in arrays]

    def first(*ts):
        ts = [t if t.requires_grad else t.requires_grad_() for t in ts]
        gs = torch.autograd.grad(f(*ts).pow(2).sum(), ts, create_graph=True)
        return sum(g.pow(2).sum() for g in gs)

    analytic = torch.autograd.grad(first(*xs), xs)
    eps = 1e-6
    for k, a in enumerate(arrays):
        num = np.zeros_like(a)
        for i in range(a.size):
            vals = []
            for sign in (1, -1):
                pert = [b.copy() for b in arrays]
                pert[k].reshape(-1)[i] += sign * eps
                ts = [torch.tensor(b.tolist(), dtype=torch.float64) for b in pert]
                vals.append(float(first(*ts).detach()))
            num.reshape(-1)[i] = (vals[0] - vals[1]) / (2 * eps)
        np.testing.assert_allclose(np.array(analytic[k].tolist()), num, rtol=1e-4, atol=1e-6)


def test_conv2d_second_order():
    _second_order(lambda x, w: F.conv2d(x, w, stride=2, padding=1), R(1, 2, 4, 4),
                  R(2, 2, 3, 3))


def test_conv_transpose2d_second_order():
    _second_order(lambda x, w: F.conv_transpose2d(x, w, stride=2), R(1, 2, 2, 3),
                  R(2, 1, 2, 2))


def test_layer_norm_second_order():
    _second_order(lambda x, w: F.layer_norm(x, (4,), w), R(2, 4), R(4))


def test_batch_norm_second_order():
    _second_order(lambda x: F.batch_norm(x, None, None, training=True), R(3, 2))


def test_double_backward_grad_fn_names():
    x = torch.ones(1, 1, 3, 3, requires_grad=True)
    w = torch.ones(1, 1, 2, 2, requires_grad=True)
    gx, gw = torch.autograd.grad(F.conv2d(x, w).pow(2).sum(), (x, w), create_graph=True)
    assert type(gx.grad_fn).__name__ == type(gw.grad_fn).__name__ == \
        "ConvolutionBackwardBackward0"
    g, = torch.autograd.grad(F.layer_norm(x, (3,)).pow(3).sum(), x, create_graph=True)
    assert type(g.grad_fn).__name__ == "NativeLayerNormBackwardBackward0"


def test_batch_norm_updates_running_stats_in_place():
    x = torch.arange(12.).view(4, 3)
    rm, rv = torch.zeros(3), torch.ones(3)
    ref_m, ref_v = rm, rv
    F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    assert rm is ref_m and rv is ref_v
    assert rm.tolist() == [2.25, 2.75, 3.25]
    np.testing.assert_allclose(rv.tolist(), [8.0] * 3)


def test_conv_im2col_is_a_view_until_the_product():
    # the windows are strided views of the input: no copy of the (huge) window tensor
    from tshell.core.ops.windows import window_view
    a = np.arange(2 * 3 * 10 * 10, dtype=np.float32).reshape(2, 3, 10, 10)
    w = window_view(a, (3, 3), (1, 1), (1, 1), (8, 8))
    assert w.shape == (2, 3, 8, 8, 3, 3) and np.shares_memory(w, a)


@pytest.mark.parametrize("make", [
    lambda: F.one_hot(torch.tensor([1]), 10 ** 12),
    lambda: F.pad(torch.ones(2, 2), (10 ** 9, 10 ** 9)),
    lambda: F.pad(torch.ones(1, 2, 2), (1, 1, 10 ** 8, 10 ** 8), mode="replicate"),
    lambda: F.pad(torch.ones(1, 2, 2), (10 ** 9, 1), mode="constant"),
    lambda: F.conv2d(torch.ones(1, 1, 2000, 2000), torch.ones(1, 1, 30, 30)),
    lambda: F.unfold(torch.ones(1, 1, 1000, 1000), 50),
    lambda: torch.cdist(torch.ones(20000, 3), torch.ones(20000, 3)),
    lambda: torch.cdist(torch.ones(2000, 300), torch.ones(2000, 300), p=1),
    lambda: F.interpolate(torch.ones(1, 1, 4, 4), scale_factor=10 ** 5),
    lambda: F.embedding(torch.zeros(10 ** 7, dtype=torch.long), torch.ones(2, 1000)),
    lambda: F.max_pool2d(torch.ones(1, 1, 3000, 3000), 40, 1),
    lambda: F.adaptive_avg_pool2d(torch.ones(1, 1, 2, 2), 10 ** 6),
])
def test_memory_cap(cap, make):
    with pytest.raises(RuntimeError, match="memory limit"):
        make()


def test_from_tsh_code():
    src = (
        "F = torch.nn.functional\n"
        "x = arange(16.).view(1, 1, 4, 4).requires_grad_()\n"
        "y = F.max_pool2d(F.conv2d(x, ones(2, 1, 2, 2), padding=1), 2)\n"
        "print(y.shape, y.grad_fn)\n"
        "y.sum().backward()\n"
        "print(x.grad[0, 0, 0])\n"
        "print(torch.layer_norm(tensor([[1., 2., 3.]]), [3]))\n"
    )
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("torch.Size([1, 2, 2, 2]) <MaxPool2DWithIndicesBackward0 object")
    assert lines[1] == "tensor([2., 2., 2., 2.])"
    assert lines[2] == "tensor([[-1.2247,  0.0000,  1.2247]])"
