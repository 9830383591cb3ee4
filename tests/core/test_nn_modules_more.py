"""The random ops of the nn modules' second batch, by their properties (dropout family,
native_dropout, gumbel_softmax), and the lazy 3-d convolutions (which need nn.Conv3d)."""
import math

import numpy as np
import pytest

import tshell.core as torch

F = torch.nn.functional
N = 20000


def _np(t):
    return np.array(t.detach().tolist(), dtype=np.float64)


@pytest.mark.parametrize("fn", [lambda x: torch.dropout(x, 0.3, True),
                                lambda x: F.dropout(x, 0.3),
                                lambda x: torch.native_dropout(x, 0.3, True)[0]])
def test_dropout_keeps_1_minus_p_scaled(fn):
    torch.manual_seed(1)
    y = _np(fn(torch.ones(N)))
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.02
    assert np.allclose(y[kept], 1 / 0.7)


def test_native_dropout_mask_and_gradient():
    torch.manual_seed(2)
    x = torch.ones(1000, requires_grad=True)
    y, mask = torch.native_dropout(x, 0.25, True)
    assert mask.dtype == torch.bool
    assert np.array_equal(_np(y) != 0, _np(mask) != 0)
    y.sum().backward()
    assert np.allclose(_np(x.grad), _np(mask) / 0.75)
    assert y.grad_fn.name() == "NativeDropoutBackward0"


@pytest.mark.parametrize("feature", [False, True])
def test_alpha_dropout_keeps_mean_and_variance(feature):
    torch.manual_seed(3)
    x = torch.randn(400, 50, 1) if feature else torch.randn(N)
    y = (F.feature_alpha_dropout(x, 0.2, True) if feature
         else torch.alpha_dropout(x, 0.2, True))
    yd = _np(y)
    assert abs(yd.mean()) < 0.05 and abs(yd.std() - 1) < 0.05
    dropped = -1.7580993408473766 / math.sqrt((1.7580993408473766 ** 2 * 0.2 + 1) * 0.8) \
        + 1.7580993408473766 * 0.2 / math.sqrt((1.7580993408473766 ** 2 * 0.2 + 1) * 0.8)
    share = np.isclose(yd, dropped).mean()
    assert abs(share - 0.2) < 0.03


@pytest.mark.parametrize("fn, shape", [(F.dropout1d, (8, 300, 5)),
                                       (F.dropout3d, (4, 500, 2, 2, 2)),
                                       (lambda x, p, training:
                                        torch.feature_dropout(x, p, training), (6, 400, 3))])
def test_channel_dropout_drops_whole_channels(fn, shape):
    torch.manual_seed(4)
    y = _np(fn(torch.ones(*shape), 0.4, training=True))
    per_channel = y.reshape(shape[0], shape[1], -1)
    assert (per_channel.min(-1) == per_channel.max(-1)).all()     # all of a channel, or none
    assert abs((per_channel[..., 0] == 0).mean() - 0.4) < 0.03
    assert np.allclose(per_channel[per_channel != 0], 1 / 0.6)


@pytest.mark.parametrize("module, shape", [(torch.nn.AlphaDropout, (4, 6, 2)),
                                           (torch.nn.FeatureAlphaDropout, (4, 6, 2, 2)),
                                           (torch.nn.Dropout1d, (4, 6, 2)),
                                           (torch.nn.Dropout3d, (4, 6, 2, 2, 2))])
def test_dropout_modules_eval_is_identity_train_is_random(module, shape):
    torch.manual_seed(5)
    m = module(0.5)
    x = torch.randn(*shape)
    assert not torch.equal(m(x), x)
    m.eval()
    assert m(x) is x


def test_dropout_inplace_forms_change_the_input():
    torch.manual_seed(6)
    x = torch.ones(200, 3)
    y = torch.feature_alpha_dropout_(x, 0.5, True)
    assert y is x and (_np(x) != 1).any()


def test_gumbel_softmax_soft_samples_follow_the_distribution():
    torch.manual_seed(7)
    logits = torch.tensor([[0.0, math.log(3.0)]]).expand(N, 2)
    y = F.gumbel_softmax(logits, tau=0.5)
    yd = _np(y)
    assert np.allclose(yd.sum(1), 1)
    assert abs((yd.argmax(1) == 1).mean() - 0.75) < 0.02


def test_gumbel_softmax_hard_is_one_hot_with_the_soft_gradient():
    torch.manual_seed(8)
    logits = torch.tensor([[1.0, 2.0, 0.5], [0.1, 0.1, 3.0]], requires_grad=True)
    w = torch.tensor([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0]])
    torch.manual_seed(9)
    hard = F.gumbel_softmax(logits, tau=0.7, hard=True)
    (hard * w).sum().backward()
    g_hard = logits.grad.clone()
    logits.grad = None
    torch.manual_seed(9)
    soft = F.gumbel_softmax(logits, tau=0.7)
    (soft * w).sum().backward()
    hd = _np(hard)
    assert ((hd == 0) | (hd == 1)).all() and np.allclose(hd.sum(1), 1)
    assert np.array_equal(hd.argmax(1), _np(soft).argmax(1))
    assert np.allclose(_np(g_hard), _np(logits.grad))


@pytest.mark.skipif(not hasattr(torch.nn, "Conv3d"), reason="nn.Conv3d not merged yet")
def test_lazy_conv3d_becomes_conv3d():
    m = torch.nn.LazyConv3d(4, 2)
    assert repr(m) == "LazyConv3d(0, 4, kernel_size=(2, 2, 2), stride=(1, 1, 1))"
    y = m(torch.ones(1, 3, 3, 3, 3))
    assert type(m) is torch.nn.Conv3d and tuple(m.weight.shape) == (4, 3, 2, 2, 2)
    assert tuple(y.shape) == (1, 4, 2, 2, 2)


@pytest.mark.skipif(not hasattr(torch.nn, "ConvTranspose3d"),
                    reason="nn.ConvTranspose3d not merged yet")
def test_lazy_conv_transpose3d_becomes_conv_transpose3d():
    m = torch.nn.LazyConvTranspose3d(2, 2, stride=2)
    y = m(torch.ones(3, 2, 2, 2))
    assert type(m) is torch.nn.ConvTranspose3d and tuple(m.weight.shape) == (3, 2, 2, 2, 2)
    assert tuple(y.shape) == (2, 4, 4, 4)
