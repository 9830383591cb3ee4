"""Finite-difference gradient checks (float64) for the spatial ops of issue 17: 3-d
convolution, conv_tbc, torch.convolution, 3-d / LP / fractional pooling, max unpooling,
grid_sample and affine_grid, constant_pad_nd and 3-d padding, channel_shuffle; first
derivatives by tests/core/test_gradcheck.py's projected check, second derivatives by its
check_second. Shapes are small: every input element costs two evaluations."""

import numpy as np
import pytest

import tshell.core as torch

from .test_gradcheck import D, P, R, T, check, check_second

F = torch.nn.functional

# grid points away from the kinks of the sampling (integer source positions, the borders)
GRID_2D = np.random.default_rng(7).uniform(-0.95, 0.95, size=(1, 2, 3, 2))
GRID_OUTSIDE = np.random.default_rng(8).uniform(-1.6, 1.6, size=(1, 2, 3, 2))
GRID_3D = np.random.default_rng(9).uniform(-0.9, 0.9, size=(1, 2, 1, 2, 3))
FRACTIONAL_SAMPLES = T([[[0.3, 0.8], [0.55, 0.1]]])
FRACTIONAL_SAMPLES_3D = T([[[0.3, 0.8, 0.45]]])


def _unpooled(x, pool, unpool, kernel, **kw):
    """x max-pooled (the indices held fixed), then unpooled: the values' gradient only."""
    with torch.no_grad():
        _, idx = pool(x, kernel, return_indices=True, **kw)
    values = pool(x, kernel, **kw)
    return unpool(values, idx, kernel, output_size=x.shape[2:], **kw)


CASES = {
    "conv3d": (lambda x, w, b: F.conv3d(x, w, b, stride=(1, 2, 1), padding=(1, 0, 1),
                                        dilation=(1, 1, 2)), R(1, 2, 3, 4, 3), R(2, 2, 2, 2, 2),
               R(2)),
    "conv3d_groups_unbatched": (lambda x, w: F.conv3d(x, w, groups=2), R(4, 2, 3, 3),
                                R(2, 2, 2, 1, 2)),
    "conv_transpose3d": (lambda x, w, b: F.conv_transpose3d(x, w, b, stride=2, padding=1,
                                                            output_padding=(1, 0, 1)),
                         R(1, 2, 2, 2, 2), R(2, 1, 2, 3, 2), R(1)),
    "torch_convolution_transposed": (
        lambda x, w: torch.convolution(x, w, None, [2], [0], [1], True, [1], 1),
        R(2, 2, 3), R(2, 3, 2)),
    "conv_tbc": (lambda x, w, b: torch.conv_tbc(x, w, b, 1), R(4, 2, 3), R(2, 3, 2), R(2)),
    "max_pool3d": (lambda x: F.max_pool3d(x, 2, stride=(1, 2, 1), padding=1), D(1, 1, 3, 4, 3)),
    "max_pool3d_dilated_ceil": (lambda x: F.max_pool3d(x, (2, 1, 2), dilation=(1, 1, 2),
                                                       ceil_mode=True), D(1, 2, 3, 2, 5)),
    "avg_pool3d": (lambda x: F.avg_pool3d(x, 2, stride=1, padding=1, count_include_pad=False),
                   R(1, 1, 3, 3, 2)),
    "avg_pool3d_divisor": (lambda x: F.avg_pool3d(x, (3, 2, 2), stride=2, ceil_mode=True,
                                                  divisor_override=3), R(2, 3, 4, 3)),
    "adaptive_avg_pool3d": (lambda x: F.adaptive_avg_pool3d(x, (2, 3, 2)), R(1, 2, 3, 4, 3)),
    "adaptive_max_pool3d": (lambda x: F.adaptive_max_pool3d(x, (2, 2, 2)), D(1, 1, 3, 4, 3)),
    "max_unpool1d": (lambda x: _unpooled(x, F.max_pool1d, F.max_unpool1d, 2), D(1, 2, 6)),
    # windows apart: a value picked twice would be put back once (PyTorch's derivative too)
    "max_unpool2d": (lambda x: _unpooled(x, F.max_pool2d, F.max_unpool2d, (1, 2), stride=(1, 2)),
                     D(1, 2, 3, 4)),
    "max_unpool3d": (lambda x: _unpooled(x, F.max_pool3d, F.max_unpool3d, 2), D(1, 1, 4, 2, 4)),
    "lp_pool1d": (lambda x: F.lp_pool1d(x, 3, 2), P(1, 2, 6)),
    "lp_pool2d": (lambda x: F.lp_pool2d(x, 1.5, (2, 3), stride=1), P(1, 3, 4)),
    "lp_pool3d": (lambda x: F.lp_pool3d(x, 2, 2, ceil_mode=True), P(1, 1, 3, 3, 3)),
    "fractional_max_pool2d": (lambda x: F.fractional_max_pool2d(
        x, 2, output_size=(3, 3), _random_samples=FRACTIONAL_SAMPLES), D(1, 2, 5, 6)),
    "fractional_max_pool3d": (lambda x: F.fractional_max_pool3d(
        x, (2, 1, 2), output_ratio=0.5, _random_samples=FRACTIONAL_SAMPLES_3D),
        D(1, 1, 4, 4, 5)),
    "affine_grid_2d": (lambda t: F.affine_grid(t, (1, 1, 3, 4), align_corners=False),
                       R(1, 2, 3)),
    "affine_grid_3d": (lambda t: F.affine_grid(t, (2, 1, 2, 3, 2), align_corners=True),
                       R(2, 3, 4)),
    "constant_pad_nd": (lambda x: torch.constant_pad_nd(x, (1, -1, 2, 0), 0.5), R(2, 3, 4)),
    "reflection_pad3d": (lambda x: F.pad(x, (1, 2, 0, 1, 2, 1), mode="reflect"),
                         R(1, 3, 3, 4)),
    "replication_pad3d": (lambda x: torch.nn.ReplicationPad3d((2, 0, 1, 1, 0, 2))(x),
                          R(1, 1, 2, 3, 2)),
    "circular_pad3d": (lambda x: torch.nn.CircularPad3d(1)(x), R(1, 2, 2, 3)),
    "channel_shuffle": (lambda x: F.channel_shuffle(x, 2), R(1, 4, 2, 2)),
}
for _mode in ("bilinear", "nearest", "bicubic"):
    for _padding in ("zeros", "border", "reflection"):
        for _align in (False, True):
            CASES[f"grid_sample_{_mode}_{_padding}_{_align}"] = (
                lambda x, g, m=_mode, p=_padding, a=_align: F.grid_sample(
                    x, g, mode=m, padding_mode=p, align_corners=a),
                R(1, 2, 3, 4), GRID_OUTSIDE if _padding != "zeros" else GRID_2D)
for _mode in ("bilinear", "nearest"):
    for _padding in ("zeros", "border", "reflection"):
        CASES[f"grid_sample_3d_{_mode}_{_padding}"] = (
            lambda x, g, m=_mode, p=_padding: F.grid_sample(x, g, mode=m, padding_mode=p,
                                                             align_corners=False),
            R(1, 1, 2, 3, 2), GRID_3D)


@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck(name):
    f, *arrays = CASES[name]
    check(f, *arrays)


SECOND = {
    "conv3d": (lambda x, w: F.conv3d(x, w, padding=1).pow(2).sum(), R(1, 1, 2, 3, 2),
               R(2, 1, 2, 2, 2)),
    "conv_transpose3d": (lambda x, w: F.conv_transpose3d(x, w, stride=(2, 1, 1)).pow(2).sum(),
                         R(1, 2, 2, 2, 1), R(2, 1, 1, 2, 2)),
    "conv_tbc": (lambda x, w, b: torch.conv_tbc(x, w, b, 1).pow(2).sum(), R(3, 1, 2), R(2, 2, 2),
                 R(2)),
    "avg_pool3d": (lambda x: F.avg_pool3d(x, 2, stride=1).pow(2).sum(), R(1, 1, 3, 2, 3)),
    "adaptive_avg_pool3d": (lambda x: F.adaptive_avg_pool3d(x, (2, 1, 2)).pow(2).sum(),
                            R(1, 1, 3, 2, 3)),
    "max_pool3d": (lambda x: F.max_pool3d(x, 2, stride=1).pow(3).sum(), D(1, 1, 3, 2, 3)),
    "fractional_max_pool2d": (lambda x: F.fractional_max_pool2d(
        x, 2, output_size=(2, 3), _random_samples=FRACTIONAL_SAMPLES).pow(3).sum(),
        D(1, 2, 4, 5)),
    "lp_pool2d": (lambda x: F.lp_pool2d(x, 2, 2).sum(), P(1, 2, 4)),
    "grid_sample_bilinear": (lambda x, g: F.grid_sample(x, g, align_corners=False).pow(2).sum(),
                             R(1, 2, 3, 4), GRID_2D),
    "grid_sample_bicubic_reflection": (
        lambda x, g: F.grid_sample(x, g, mode="bicubic", padding_mode="reflection",
                                   align_corners=True).pow(2).sum(), R(1, 1, 3, 4), GRID_OUTSIDE),
    "grid_sample_3d_border": (
        lambda x, g: F.grid_sample(x, g, padding_mode="border", align_corners=True).pow(2).sum(),
        R(1, 1, 2, 3, 2), GRID_3D),
    "affine_grid": (lambda t: F.affine_grid(t, (1, 1, 2, 3), align_corners=False).pow(3).sum(),
                    R(1, 2, 3)),
    "reflection_pad3d": (lambda x: F.pad(x, (1, 1, 1, 0, 0, 1), mode="reflect").pow(3).sum(),
                         R(1, 2, 2, 3)),
    "channel_shuffle": (lambda x: F.channel_shuffle(x, 3).pow(3).mul(
        T(np.arange(6.0).reshape(1, 6, 1))).sum(), R(1, 6, 1)),
}


@pytest.mark.parametrize("name", list(SECOND))
def test_second_derivative(name):
    f, *arrays = SECOND[name]
    check_second(f, *arrays)


@pytest.fixture
def on_cuda(cuda_device):
    torch.set_default_device(cuda_device)
    try:
        yield
    finally:
        torch.set_default_device("cpu")


@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck_on_cuda(name, on_cuda):
    """The same checks with every tensor on the CUDA device (the stand-in without a GPU):
    an op that builds a host array where the tensor's backend should is caught here."""
    f, *arrays = CASES[name]
    check(f, *arrays)


@pytest.mark.parametrize("name", list(SECOND))
def test_second_derivative_on_cuda(name, on_cuda):
    f, *arrays = SECOND[name]
    check_second(f, *arrays)
