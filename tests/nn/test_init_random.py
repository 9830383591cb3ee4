"""Random-dependent behaviour of torch.nn, tested by distribution and shape (tshell's generator
is not PyTorch's, so the values themselves differ): the default initialisation of the
layers, nn.init's schemes, dropout in training mode, RReLU."""
import math

import numpy as np
import pytest

import tshell.core as torch

nn = torch.nn
F = nn.functional


def values(t):
    return np.asarray(t.detach().tolist(), dtype=np.float64).reshape(-1)


def assert_uniform(t, bound):
    """Samples of U(-bound, bound): inside the bounds, spread over them, mean ~0, the
    uniform's standard deviation bound / sqrt(3)."""
    v = values(t)
    assert v.min() >= -bound and v.max() <= bound
    assert v.min() < -0.9 * bound and v.max() > 0.9 * bound
    std = bound / math.sqrt(3)
    assert abs(v.mean()) < 4 * std / math.sqrt(v.size)
    assert abs(v.std() / std - 1) < 0.08


def assert_normal(t, mean, std):
    v = values(t)
    assert abs(v.mean() - mean) < 4 * std / math.sqrt(v.size)
    assert abs(v.std() / std - 1) < 0.08


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(1234)


@pytest.mark.parametrize("make, fan_in", [
    (lambda: nn.Linear(300, 40), 300), (lambda: nn.Conv2d(6, 20, 5), 150),
    (lambda: nn.Conv1d(4, 30, 3, groups=2), 6), (lambda: nn.ConvTranspose2d(20, 30, 3), 270),
    (lambda: nn.Bilinear(50, 8, 30), 50)], ids=["linear", "conv2d", "conv1d", "convt", "bilinear"])
def test_default_init_is_kaimings_uniform_and_its_bias_bound(make, fan_in):
    m = make()
    bound = 1 / math.sqrt(fan_in)    # kaiming_uniform_ with a=sqrt(5): gain sqrt(1/3)
    assert_uniform(m.weight, bound)
    bias = values(m.bias)
    assert bias.min() >= -bound and bias.max() <= bound and bias.std() > bound / 3


def test_default_init_of_the_other_layers():
    assert_normal(nn.Embedding(200, 50).weight, 0, 1)
    assert_normal(nn.EmbeddingBag(200, 50).weight, 0, 1)
    for m in (nn.LSTM(10, 64, num_layers=2), nn.GRU(5, 40), nn.RNNCell(5, 100)):
        for p in m.parameters():
            assert values(p).min() >= -1 / math.sqrt(m.hidden_size)
        assert_uniform(m.weight_hh_l0 if hasattr(m, "weight_hh_l0") else m.weight_hh,
                       1 / math.sqrt(m.hidden_size))
    mha = nn.MultiheadAttention(64, 4)
    assert_uniform(mha.in_proj_weight, math.sqrt(6 / (64 + 192)))
    assert values(mha.in_proj_bias).tolist() == [0.0] * 192
    assert_uniform(mha.out_proj.weight, 1 / 8)
    bn, ln = nn.BatchNorm1d(5), nn.LayerNorm(5)
    assert values(bn.weight).tolist() == [1.0] * 5 and values(ln.bias).tolist() == [0.0] * 5
    assert values(nn.PReLU(3).weight).tolist() == [0.25] * 3


def test_default_init_follows_the_default_dtype_and_is_repeatable():
    torch.set_default_dtype(torch.float64)
    try:
        assert nn.Linear(2, 2).weight.dtype is torch.float64
    finally:
        torch.set_default_dtype(torch.float32)
    torch.manual_seed(5)
    a = nn.Linear(4, 3)
    torch.manual_seed(5)
    b = nn.Linear(4, 3)
    assert torch.equal(a.weight, b.weight) and torch.equal(a.bias, b.bias)
    assert not torch.equal(a.weight, nn.Linear(4, 3).weight)


def test_init_schemes():
    w = torch.empty(400, 300)
    assert_uniform(nn.init.uniform_(w, -0.2, 0.2), 0.2)
    assert_normal(nn.init.normal_(w, 0.5, 2.0), 0.5, 2.0)
    assert_uniform(nn.init.xavier_uniform_(w, gain=2.), 2 * math.sqrt(6 / 700))
    assert_normal(nn.init.xavier_normal_(w), 0, math.sqrt(2 / 700))
    assert_uniform(nn.init.kaiming_uniform_(w, nonlinearity="relu"), math.sqrt(6 / 300))
    assert_normal(nn.init.kaiming_normal_(w, a=0.2, mode="fan_out"),
                  0, math.sqrt(2 / 1.04) / math.sqrt(400))
    conv = torch.empty(16, 8, 3, 3)
    assert_uniform(nn.init.kaiming_uniform_(conv), math.sqrt(6 / 1.0001 / 72))


@pytest.mark.parametrize("a, b", [(-2., 2.), (0., 1.5), (-0.3, 0.1)])
def test_trunc_normal_is_the_truncated_distribution(a, b):
    from math import erf, exp, pi, sqrt
    t = values(nn.init.trunc_normal_(torch.empty(40000, dtype=torch.float64), 0.0, 1.0, a, b))
    assert t.min() >= a and t.max() <= b
    # the mean of N(0, 1) truncated to [a, b]
    mass = (erf(b / sqrt(2)) - erf(a / sqrt(2))) / 2
    mean = (exp(-a * a / 2) - exp(-b * b / 2)) / sqrt(2 * pi) / mass
    assert abs(t.mean() - mean) < 0.02


def test_orthogonal_and_sparse():
    for shape in ((5, 12), (12, 5), (6, 2, 3)):
        q = nn.init.orthogonal_(torch.empty(shape, dtype=torch.float64), gain=1.5)
        flat = np.asarray(q.tolist()).reshape(shape[0], -1)
        small = min(flat.shape)
        gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
        np.testing.assert_allclose(gram, 2.25 * np.eye(small), atol=1e-10)
    s = nn.init.sparse_(torch.empty(20, 30), sparsity=0.25, std=0.5)
    zeros = (np.asarray(s.tolist()) == 0).sum(0)
    assert zeros.tolist() == [5] * 30
    assert_normal(s[s != 0], 0, 0.5)


def test_dropout_in_training_zeroes_a_fraction_and_scales_the_rest():
    x = torch.ones(200, 500)
    y = values(nn.Dropout(0.3)(x))
    kept = y[y != 0]
    assert abs((y == 0).mean() - 0.3) < 0.01
    np.testing.assert_allclose(kept, 1 / 0.7, rtol=1e-6)
    assert abs(y.mean() - 1) < 0.01
    assert torch.equal(nn.Dropout(0.3).eval()(x), x)
    x = torch.ones(100, 80, requires_grad=True)
    y = F.dropout(x, 0.5)
    y.sum().backward()
    assert y.grad_fn.name() == "MulBackward0"
    assert torch.equal(x.grad, (y != 0).float() * 2)


def test_dropout2d_and_1d_drop_whole_channels():
    y = np.asarray(nn.Dropout2d(0.4)(torch.ones(50, 40, 3, 3)).tolist())
    per_channel = y.reshape(50, 40, 9)
    assert (per_channel.min(-1) == per_channel.max(-1)).all()      # a channel is all or none
    assert abs((per_channel[..., 0] == 0).mean() - 0.4) < 0.03
    y = np.asarray(F.dropout1d(torch.ones(30, 50, 4), 0.5).tolist())
    assert (y.min(-1) == y.max(-1)).all() and abs((y[..., 0] == 0).mean() - 0.5) < 0.05


def test_dropout_inplace_and_p1():
    x = torch.ones(10, 10)
    y = nn.Dropout(0.5, inplace=True)(x)
    assert y is x and set(values(x).tolist()) <= {0.0, 2.0}
    assert values(nn.Dropout(1.0)(torch.ones(5))).tolist() == [0.0] * 5


def test_rrelu_in_training_draws_slopes_between_the_bounds():
    x = -torch.ones(10000)
    slopes = -values(nn.RReLU(0.1, 0.3)(x))
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and abs(slopes.mean() - 0.2) < 0.005
    assert values(nn.RReLU(0.1, 0.3).eval()(x[:3])).tolist() == pytest.approx([-0.2] * 3)


def test_recurrent_dropout_between_layers_only_in_training():
    m = nn.GRU(4, 8, num_layers=2, dropout=0.5)
    x = torch.randn(5, 3, 4)
    assert not torch.equal(m(x)[0], m(x)[0])
    m.eval()
    assert torch.equal(m(x)[0], m(x)[0])
