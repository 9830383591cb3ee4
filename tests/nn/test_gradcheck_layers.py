"""Finite-difference gradient checks (float64) of every nn layer, activation and loss module,
with respect to their inputs and their parameters, and second derivatives of a few.

Each module runs with its parameters replaced by the checked tensors (so that the gradients
of the parameters are checked too); the output is projected on a fixed random cotangent as in
tests/core/test_gradcheck.py.
"""
import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import T, check, check_second, to_np

nn = torch.nn
F = nn.functional
rng = np.random.default_rng(7)


def U(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape)


def _set_parameter(m, name, value):
    """Make `value` the module's parameter `name` (a dotted path) for the next forward."""
    prefix, _, last = name.rpartition(".")
    m.get_submodule(prefix)._parameters[last] = value


def check_module(make, *inputs, select=None, second=False):
    """Gradcheck make() (in float64) with respect to the inputs and all its parameters."""
    m = make().double()
    names = [n for n, _ in m.named_parameters()]
    params = [to_np(p) for _, p in m.named_parameters()]

    def f(*ts):
        xs, ps = ts[:len(inputs)], ts[len(inputs):]
        for name, p in zip(names, ps):
            _set_parameter(m, name, p)
        out = m(*xs)
        return select(out) if select else out
    check(f, *inputs, *params)
    if second:
        check_second(lambda *ts: (f(*ts) ** 2).sum(), *inputs, *params)


LAYERS = {
    "linear": (lambda: nn.Linear(3, 2), U(4, 3)),
    "linear-3d": (lambda: nn.Linear(3, 2), U(2, 2, 3)),
    "bilinear": (lambda: nn.Bilinear(2, 3, 2), U(3, 2), U(3, 3)),
    "conv1d": (lambda: nn.Conv1d(2, 2, 3, padding=1, stride=2), U(1, 2, 6)),
    "conv1d-reflect": (lambda: nn.Conv1d(1, 2, 3, padding=1, padding_mode="reflect"), U(1, 1, 5)),
    "conv2d": (lambda: nn.Conv2d(2, 2, 2, groups=2, dilation=(1, 2)), U(1, 2, 3, 4)),
    "conv2d-circular": (lambda: nn.Conv2d(1, 1, 3, padding=1, padding_mode="circular"),
                        U(1, 1, 3, 3)),
    "convtranspose1d": (lambda: nn.ConvTranspose1d(2, 1, 3, stride=2, output_padding=1),
                        U(1, 2, 3)),
    "convtranspose2d": (lambda: nn.ConvTranspose2d(1, 2, 2, stride=2), U(1, 1, 2, 2)),
    "maxpool1d": (lambda: nn.MaxPool1d(2), U(1, 2, 6)),
    "maxpool2d": (lambda: nn.MaxPool2d(2, stride=1), U(1, 1, 3, 3)),
    "avgpool1d": (lambda: nn.AvgPool1d(3, stride=2, padding=1), U(1, 1, 5)),
    "avgpool2d": (lambda: nn.AvgPool2d(2, ceil_mode=True), U(1, 1, 3, 3)),
    "adaptiveavgpool1d": (lambda: nn.AdaptiveAvgPool1d(2), U(1, 2, 5)),
    "adaptiveavgpool2d": (lambda: nn.AdaptiveAvgPool2d((2, 1)), U(1, 1, 3, 3)),
    "adaptivemaxpool2d": (lambda: nn.AdaptiveMaxPool2d(2), U(1, 1, 3, 3)),
    "batchnorm1d": (lambda: nn.BatchNorm1d(3), U(4, 3)),
    "batchnorm2d": (lambda: nn.BatchNorm2d(2), U(2, 2, 2, 2)),
    "batchnorm2d-eval": (lambda: nn.BatchNorm2d(2).eval(), U(2, 2, 2, 2)),
    "layernorm": (lambda: nn.LayerNorm(3), U(2, 3)),
    "groupnorm": (lambda: nn.GroupNorm(2, 4), U(2, 4, 2)),
    "instancenorm2d": (lambda: nn.InstanceNorm2d(2, affine=True), U(2, 2, 2, 3)),
    "rmsnorm": (lambda: nn.RMSNorm(3), U(2, 3)),
    "pixelshuffle": (lambda: nn.PixelShuffle(2), U(1, 4, 2, 1)),
    "pixelunshuffle": (lambda: nn.PixelUnshuffle(2), U(1, 1, 2, 4)),
    "upsample-bilinear": (lambda: nn.Upsample(scale_factor=2, mode="bilinear"), U(1, 1, 2, 2)),
    "flatten-unflatten": (lambda: nn.Sequential(nn.Flatten(), nn.Unflatten(1, (3, 2))),
                          U(2, 2, 3)),
    "rnn": (lambda: nn.RNN(2, 3, num_layers=2), U(3, 2, 2)),
    "rnn-relu-bi": (lambda: nn.RNN(2, 2, nonlinearity="relu", bidirectional=True), U(3, 1, 2)),
    "gru": (lambda: nn.GRU(2, 2, batch_first=True), U(2, 3, 2)),
    "lstm": (lambda: nn.LSTM(2, 2, bidirectional=True), U(3, 1, 2)),
    "lstm-proj": (lambda: nn.LSTM(2, 3, proj_size=2), U(2, 1, 2)),
    "rnncell": (lambda: nn.RNNCell(2, 3), U(2, 2), U(2, 3)),
    "grucell": (lambda: nn.GRUCell(2, 3), U(2, 2), U(2, 3)),
    "mha": (lambda: nn.MultiheadAttention(4, 2), U(3, 1, 4), U(2, 1, 4), U(2, 1, 4)),
    "mha-kdim-bias-kv": (lambda: nn.MultiheadAttention(4, 2, kdim=3, vdim=2, add_bias_kv=True),
                         U(2, 1, 4), U(3, 1, 3), U(3, 1, 2)),
    "transformer-encoder-layer": (lambda: nn.TransformerEncoderLayer(4, 2, 4, dropout=0.0),
                                  U(3, 1, 4)),
    "transformer-decoder-layer": (lambda: nn.TransformerDecoderLayer(
        4, 1, 3, dropout=0.0, norm_first=True), U(2, 1, 4), U(3, 1, 4)),
}
SELECT = {"rnn": lambda out: out[0] * 2 + out[1].sum(),
          "rnn-relu-bi": lambda out: out[0], "gru": lambda out: out[0].sum() + out[1].sum(),
          "lstm": lambda out: out[0].sum() + out[1][0].sum() * 2 + out[1][1].sum() * 3,
          "lstm-proj": lambda out: out[0].sum() + out[1][1].sum(),
          "mha": lambda out: out[0].sum() + (out[1] * 3).sum(),
          "mha-kdim-bias-kv": lambda out: out[0]}


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_gradients(name):
    make, *inputs = LAYERS[name]
    check_module(make, *inputs, select=SELECT.get(name))


def test_lstmcell_gradients():
    check_module(lambda: nn.LSTMCell(2, 2), U(2, 2),
                 select=lambda out: out[0] + out[1] * 2)


class Indexed(nn.Module):
    """A module called with fixed integer inputs (indices), so that only its parameters are
    checked."""

    def __init__(self, module, *indices):
        super().__init__()
        self.module, self.indices = module, indices

    def forward(self):
        return self.module(*self.indices)


def test_embedding_gradients():
    idx = torch.tensor([[0, 2], [2, 3]])
    check_module(lambda: Indexed(nn.Embedding(4, 3, padding_idx=1), idx))
    check_module(lambda: Indexed(nn.EmbeddingBag(5, 2, mode="max"), idx))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_gradients(mode):
    idx, offsets = torch.tensor([1, 2, 4, 5, 4, 3, 2, 0]), torch.tensor([0, 2, 2, 5])
    check(lambda w: F.embedding_bag(idx, w, offsets, mode=mode, padding_idx=3), U(6, 3))


def test_embedding_bag_per_sample_weights_gradients():
    idx, offsets = torch.tensor([1, 2, 4, 5, 4]), torch.tensor([0, 3])
    check(lambda w, s: F.embedding_bag(idx, w, offsets, mode="sum", per_sample_weights=s),
          U(6, 3), U(5))


ACTIVATIONS = ["ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU",
               "Mish", "Sigmoid", "Tanh", "Softplus", "Softsign", "Hardtanh", "Hardswish",
               "Hardsigmoid", "LogSigmoid", "Tanhshrink", "Softshrink", "Hardshrink"]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_gradients(name):
    # values away from the kinks at 0, +-0.5, +-1, +-3 and +-6
    x = rng.choice([-1, 1], size=(2, 5)) * rng.uniform(0.55, 0.95, size=(2, 5)) * \
        rng.choice([1, 2.6], size=(2, 5))
    check_module(getattr(nn, name), x)


@pytest.mark.parametrize("make", [lambda: nn.Softmax(1), lambda: nn.LogSoftmax(-1),
                                  lambda: nn.Softmin(0), lambda: nn.GLU(1),
                                  lambda: nn.Threshold(0.1, -2.), lambda: nn.Softmax2d()],
                         ids=["softmax", "logsoftmax", "softmin", "glu", "threshold",
                              "softmax2d"])
def test_dim_activation_gradients(make):
    check_module(make, U(2, 4, 1, 3) + 0.3)


P = rng.uniform(0.1, 0.9, size=(3, 4))
LOSSES = {
    "mse": (nn.MSELoss, U(3, 4), U(3, 4)),
    "l1": (nn.L1Loss, U(3, 4), U(3, 4) + 3),
    "smoothl1": (lambda: nn.SmoothL1Loss(beta=0.5), U(3, 4) * 2, U(3, 4) * 0.1),
    "huber": (lambda: nn.HuberLoss(delta=0.7), U(3, 4) * 2, U(3, 4) * 0.1),
    "bce": (nn.BCELoss, P, rng.uniform(0, 1, size=(3, 4))),
    "bcewithlogits": (lambda: nn.BCEWithLogitsLoss(pos_weight=T([1., 2., 0.5, 3.])),
                      U(3, 4) * 3, rng.uniform(0, 1, size=(3, 4))),
    "kldiv": (lambda: nn.KLDivLoss(reduction="batchmean"), np.log(P), P[::-1].copy()),
    "poissonnll": (lambda: nn.PoissonNLLLoss(full=True), U(3, 4), U(3, 4) + 2.5),
    "gaussiannll": (nn.GaussianNLLLoss, U(3, 4), U(3, 4), U(3, 4) + 1.5),
    "cosineembedding": (lambda: nn.CosineEmbeddingLoss(margin=-0.5), U(3, 4), U(3, 4)),
    "marginranking": (lambda: nn.MarginRankingLoss(margin=5.), U(3), U(3)),
    "tripletmargin": (lambda: nn.TripletMarginLoss(margin=5.), U(3, 4), U(3, 4), U(3, 4)),
    "hingeembedding": (lambda: nn.HingeEmbeddingLoss(margin=5.), U(3, 4)),
    "softmargin": (nn.SoftMarginLoss, U(3, 4) * 2),
    "multilabelsoftmargin": (nn.MultiLabelSoftMarginLoss, U(3, 4) * 2,
                             (U(3, 4) > 0).astype(float)),
}
SIGNS = T(np.array([1., -1., 1.]))
TARGETS = {"cosineembedding": SIGNS, "marginranking": SIGNS,
           "hingeembedding": T(np.array([[1., -1., 1., -1.]] * 3)),
           "softmargin": T(np.array([[1., -1., 1., -1.]] * 3))}


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_gradients(name):
    make, *arrays = LOSSES[name]
    loss = make()
    extra = (TARGETS[name],) if name in TARGETS else ()
    check(lambda *ts: loss(*ts, *extra), *arrays)


@pytest.mark.parametrize("make", [lambda: nn.CrossEntropyLoss(label_smoothing=0.2),
                                  lambda: nn.CrossEntropyLoss(weight=T([1., 2., .5, 1.])),
                                  lambda: nn.NLLLoss(ignore_index=1)],
                         ids=["ce-smoothing", "ce-weight", "nll"])
def test_class_loss_gradients(make):
    loss = make()
    check(lambda x: loss(x.log_softmax(1), torch.tensor([0, 3, 1])), U(3, 4))


def test_ctc_loss_gradients():
    targets, lengths = torch.tensor([[1, 2, 2], [3, 1, 0]]), (torch.tensor([5, 4]),
                                                               torch.tensor([3, 2]))
    for reduction in ("mean", "sum", "none"):
        loss = nn.CTCLoss(reduction=reduction)
        check(lambda x: loss(x.log_softmax(2), targets, *lengths), U(5, 2, 4))  # noqa: B023


@pytest.mark.parametrize("kwargs", [{}, {"is_causal": True}, {"scale": 0.3},
                                    {"attn_mask": "bool"}, {"attn_mask": "float"},
                                    {"enable_gqa": True}])
def test_scaled_dot_product_attention_gradients(kwargs):
    kwargs = dict(kwargs)
    if kwargs.get("attn_mask") == "bool":
        kwargs["attn_mask"] = torch.tensor([[True, False, True, True]] * 3)
    elif kwargs.get("attn_mask") == "float":
        kwargs["attn_mask"] = T(U(3, 4))
    heads = 1 if kwargs.get("enable_gqa") else 2
    check(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **kwargs),
          U(1, 2, 3, 2), U(1, heads, 4, 2), U(1, heads, 4, 2))
    check(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **kwargs),   # math path
          U(2, 3, 2), U(2, 4, 2), U(2, 4, 3))


def test_scaled_dot_product_attention_mask_gradient():
    q, k, v = T(U(1, 1, 3, 2)), T(U(1, 1, 4, 2)), T(U(1, 1, 4, 2))
    check(lambda m: F.scaled_dot_product_attention(q, k, v, attn_mask=m), U(3, 4))


SECOND_ORDER = {
    "linear": (lambda: nn.Linear(3, 2), U(2, 3)),
    "conv2d": (lambda: nn.Conv2d(1, 2, 2), U(1, 1, 3, 3)),
    "layernorm": (lambda: nn.LayerNorm(3), U(2, 3)),
    "gru": (lambda: nn.GRUCell(2, 2), U(1, 2)),
    "bilinear": (lambda: nn.Bilinear(2, 2, 1), U(2, 2), U(2, 2)),
    "pixelshuffle": (lambda: nn.PixelShuffle(2), U(1, 4, 1, 1)),
    "rmsnorm": (lambda: nn.RMSNorm(3), U(2, 3)),
    "mha": (lambda: nn.MultiheadAttention(2, 1), U(2, 1, 2), U(2, 1, 2), U(2, 1, 2)),
}


@pytest.mark.parametrize("name", list(SECOND_ORDER))
def test_second_derivatives(name):
    make, *inputs = SECOND_ORDER[name]
    select = (lambda out: out[0]) if name == "mha" else None
    check_module(make, *inputs, select=select, second=True)


def test_embedding_bag_second_derivative_in_the_incoming_gradient():
    idx, offsets = torch.tensor([1, 2, 0]), torch.tensor([0, 1])
    check_second(lambda w: (F.embedding_bag(idx, w, offsets, mode="mean") ** 2).sum(), U(3, 2))


def test_fused_float32_lstm_gradients_match_the_float64_composite():
    """The float32 LSTM layer (one op, as PyTorch's MKL-DNN layer) against the composite in
    float64, first and second derivatives."""
    m32 = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    m64 = nn.LSTM(3, 4, num_layers=2, bidirectional=True).double()
    m64.load_state_dict(m32.state_dict())
    x = U(5, 2, 3)
    results = []
    for m, dtype in ((m32, torch.float32), (m64, torch.float64)):
        xt = torch.tensor(x.tolist(), dtype=dtype, requires_grad=True)
        out, (h, c) = m(xt)
        assert (out.grad_fn.name() == "CatBackward0"
                and out.grad_fn.next_functions[0][0].name() ==
                ("MkldnnRnnLayerBackward0" if dtype is torch.float32 else "StackBackward0"))
        loss = (out ** 2).sum() + (h * c).sum()
        g, = torch.autograd.grad(loss, xt, create_graph=True)
        (g ** 2).sum().backward()
        results.append((to_np(out), to_np(g), to_np(xt.grad), to_np(m.weight_hh_l0.grad)))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-5)
