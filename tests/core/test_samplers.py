"""The in-place samplers of ops/sampling.py (random_, cauchy_, geometric_, log_normal_) and
Tensor.bernoulli, checked by dtype, range and distribution (moments or quantiles over many
seeded draws, generous tolerances), and by generator= / manual_seed repeatability; their
values are PyTorch's (goldens: tests/golden/families/random_streams.py), and so are their
error messages (tests/golden/families/torch_ops_more.py, samplers-errors)."""
from __future__ import annotations

import math

import numpy as np
import pytest

import tshell.core as torch

N = 200_000


def draws(dtype=torch.float64):
    torch.manual_seed(1234)
    return torch.empty(N, dtype=dtype)


def test_random_default_range_of_each_dtype():
    for dtype, top in ((torch.float32, 2 ** 24), (torch.float64, 2 ** 53),
                       (torch.float16, 2 ** 11), (torch.int8, 127), (torch.uint8, 255)):
        v = draws(dtype).random_().double().numpy()
        assert v.min() >= 0 and v.max() <= top, dtype
        assert (v == np.round(v)).all()
        assert abs(v.mean() / top - 0.5) < 0.01, dtype
    b = draws(torch.bool).random_()
    assert b.dtype is torch.bool and abs(b.double().mean().item() - 0.5) < 0.01


def test_random_from_to_is_uniform_over_the_integers():
    v = draws(torch.int64).random_(-3, 5).numpy()
    assert v.min() == -3 and v.max() == 4
    counts = np.bincount(v + 3) / N
    assert np.allclose(counts, 1 / 8, atol=0.005)
    w = draws(torch.float32).random_(7)
    assert w.dtype is torch.float32 and set(np.unique(w.numpy())) == set(range(7))


def test_cauchy_quantiles():
    v = draws().cauchy_(median=2.0, sigma=3.0).numpy()
    # Cauchy has no mean: its median and quartiles are median -+ sigma
    q1, med, q3 = np.quantile(v, [0.25, 0.5, 0.75])
    assert abs(med - 2.0) < 0.05 and abs(q1 - (-1.0)) < 0.1 and abs(q3 - 5.0) < 0.1


def test_log_normal_moments_of_the_log():
    v = draws().log_normal_(mean=0.5, std=0.25).numpy()
    assert (v > 0).all()
    assert abs(np.log(v).mean() - 0.5) < 0.005 and abs(np.log(v).std() - 0.25) < 0.005
    assert abs(v.mean() - math.exp(0.5 + 0.25 ** 2 / 2)) < 0.01


def test_geometric_counts_trials():
    for dtype in (torch.float32, torch.int32):
        v = draws(dtype).geometric_(0.25)
        assert v.dtype is dtype
        v = v.double().numpy()
        assert v.min() >= 1 and (v == np.round(v)).all()
        assert abs(v.mean() - 4.0) < 0.05 and abs(v.var() - 0.75 / 0.25 ** 2) < 0.5


def test_bernoulli_method_with_p_and_probabilities():
    torch.manual_seed(0)
    x = torch.full((N,), 0.3)
    assert abs(x.bernoulli().mean().item() - 0.3) < 0.01
    assert abs(x.bernoulli(0.8).mean().item() - 0.8) < 0.01
    assert x.bernoulli().dtype is torch.float32
    ones = torch.ones(10, dtype=torch.float64).bernoulli()
    assert ones.dtype is torch.float64 and ones.sum().item() == 10


@pytest.mark.parametrize("draw", [
    lambda t, g: t.random_(0, 100, generator=g),
    lambda t, g: t.cauchy_(generator=g),
    lambda t, g: t.log_normal_(generator=g),
    lambda t, g: t.geometric_(0.3, generator=g),
    lambda t, g: t.bernoulli(0.5, generator=g),
])
def test_generator_and_manual_seed_repeat(draw):
    g = torch.Generator()
    g.manual_seed(7)
    a = draw(torch.empty(50), g)
    g.manual_seed(7)
    b = draw(torch.empty(50), g)
    assert torch.equal(a, b)
    torch.manual_seed(3)
    c = draw(torch.empty(50), None)
    torch.manual_seed(3)
    assert torch.equal(c, draw(torch.empty(50), None))


def test_samplers_write_in_place_into_views():
    base = torch.zeros(4, 6)
    view = base[:, ::2]
    assert view.cauchy_() is view
    assert (base[:, 1::2] == 0).all() and (base[:, ::2] != 0).all()


def test_callables_and_samplers_on_the_device(cuda_device):
    x = torch.ones(3, device=cuda_device)
    for name, call in (("apply_", lambda: x.apply_(abs)),
                       ("map_", lambda: x.map_(x, max)),
                       ("map2_", lambda: x.map2_(x, x, max))):
        with pytest.raises(TypeError, match=f"^{name} is only implemented on CPU tensors$"):
            call()
    assert x.cauchy_().device == x.device and x.random_(5).device == x.device
    assert x.bernoulli(0.5).device == x.device
