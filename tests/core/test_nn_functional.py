"""torch.nn.functional activations and losses: gradients against finite differences (float64),
second-order gradients through create_graph=True, and the functions reached from tsh code.

Values, printing, grad_fn names and errors are compared with real PyTorch by the golden
family tests/golden/families/nn_functional.py.
"""

import io
import warnings

import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import P, R, T, check, check_second

F = torch.nn.functional

rng = np.random.default_rng(7)


def U(*shape):
    """Probabilities away from 0 and 1."""
    return rng.uniform(0.1, 0.9, size=shape)


ACTIVATIONS = {
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "mish": F.mish,
    "elu": lambda x: F.elu(x, 0.7),
    "selu": F.selu,
    "celu": lambda x: F.celu(x, 1.5),
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "rrelu_eval": F.rrelu,
    "relu6": lambda x: F.relu6(x * 4),
    "hardtanh": lambda x: F.hardtanh(x, -0.1, 0.15),
    "hardsigmoid": lambda x: F.hardsigmoid(x * 2),
    "hardswish": lambda x: F.hardswish(x * 2),
    "softplus": lambda x: F.softplus(x, 2.0, 1.5),
    "softsign": F.softsign,
    "logsigmoid": F.logsigmoid,
    "tanhshrink": F.tanhshrink,
    "softshrink": lambda x: F.softshrink(x, 0.1),
    "hardshrink": lambda x: F.hardshrink(x, 0.1),
    "threshold": lambda x: F.threshold(x, 0.1, -3.0),
    "softmin": lambda x: F.softmin(x, 1),
    "glu": lambda x: F.glu(x, 1),
    "glu_dim0": lambda x: F.glu(x, 0),
    "selu_torch": torch.selu,
    "hardshrink_method": lambda x: x.hardshrink(0.1),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradient(name):
    check(ACTIVATIONS[name], R(4, 6))


def test_activation_in_place_gradient():
    for f in (lambda x: F.elu(x * 1, inplace=True), lambda x: F.leaky_relu_(x * 1, 0.3),
              lambda x: F.celu(x * 1, 0.5, inplace=True), lambda x: F.silu(x * 1, True),
              lambda x: F.hardtanh_(x * 1, -0.1, 0.15), lambda x: F.selu_(x * 1)):
        check(f, R(3, 4))


def test_prelu_gradient():
    check(lambda x, w: F.prelu(x, w), R(2, 3, 4), P(3))
    check(lambda x, w: F.prelu(x, w), R(5), P(1))
    check(lambda x, w: x.prelu(w), R(2, 3), np.array(0.3))


SECOND_ORDER = ["gelu", "gelu_tanh", "silu", "mish", "elu", "celu", "softplus", "logsigmoid",
                "softsign", "tanhshrink", "glu", "softmin"]


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_activation_second_order(name):
    w = T(np.random.default_rng(3).uniform(0.5, 1.5, size=(3, 4 if "glu" not in name else 2)))
    check_second(lambda x: (ACTIVATIONS[name](x) * w).sum(), R(3, 4))


def test_prelu_second_order():
    check_second(lambda x, w: (F.prelu(x, w) ** 2).sum(), R(2, 3), P(3))


W4, PW4, W3 = T(P(4)), T(P(4)), T(P(3))    # class weights: fixed, not drawn per call

LOSSES = {
    "l1": (lambda x, t: F.l1_loss(x, t), R(3, 4), R(3, 4)),
    "mse_none": (lambda x, t: F.mse_loss(x, t, reduction="none"), R(3, 4), R(3, 4)),
    "mse_bcast": (lambda x, t: F.mse_loss(x, t), R(3, 4), R(4)),
    "smooth_l1": (lambda x, t: F.smooth_l1_loss(x, t, beta=0.6), R(3, 4), R(3, 4)),
    "smooth_l1_sum": (lambda x, t: F.smooth_l1_loss(x, t, reduction="sum"), R(3, 4), R(3, 4)),
    "huber": (lambda x, t: F.huber_loss(x, t, delta=0.7, reduction="none"), R(3, 4), R(3, 4)),
    "bce": (lambda x, t: F.binary_cross_entropy(x, t), U(3, 4), U(3, 4)),
    "bce_weight": (lambda x, t: F.binary_cross_entropy(x, t, W4, reduction="none"),
                   U(3, 4), U(3, 4)),
    "bce_logits": (lambda x, t: F.binary_cross_entropy_with_logits(x, t), R(3, 4), U(3, 4)),
    "bce_logits_weights": (lambda x, t: F.binary_cross_entropy_with_logits(
        x, t, W4, pos_weight=PW4, reduction="sum"), R(3, 4), U(3, 4)),
    "kl_div": (lambda x, t: F.kl_div(x, t, reduction="batchmean"), R(3, 4), U(3, 4)),
    "kl_div_log_target": (lambda x, t: F.kl_div(x, t, reduction="sum", log_target=True),
                          R(3, 4), R(3, 4)),
    "poisson": (lambda x, t: F.poisson_nll_loss(x, t), R(3, 4), P(3, 4)),
    "poisson_full": (lambda x, t: F.poisson_nll_loss(x, t, log_input=False, full=True),
                     P(3, 4), P(3, 4) + 1),
    "gaussian": (lambda x, t, v: F.gaussian_nll_loss(x, t, v, full=True), R(3, 4), R(3, 4),
                 P(3, 4)),
    "hinge": (lambda x: F.hinge_embedding_loss(x, T([[1., -1., 1., -1.]] * 3), margin=3.),
              R(3, 4)),
    "soft_margin": (lambda x: F.soft_margin_loss(x, T([[1., -1., 1., -1.]] * 3)), R(3, 4)),
    "cosine_embedding": (lambda a, b: F.cosine_embedding_loss(a, b, T([1., -1., 1.]),
                                                              margin=-0.9), R(3, 4), R(3, 4)),
    "triplet": (lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=5.), R(3, 4), R(3, 4),
                R(3, 4)),
    "triplet_p1_swap": (lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=5., p=1,
                                                              swap=True), R(3, 4), R(3, 4),
                        R(3, 4)),
    "margin_ranking": (lambda a, b: F.margin_ranking_loss(a, b, T([1., -1., 1., -1.]),
                                                          margin=5.), R(4), R(4)),
    "cross_entropy": (lambda x: F.cross_entropy(x, torch.tensor([1, 0, 3])), R(3, 4)),
    "cross_entropy_weight_smoothing": (lambda x: F.cross_entropy(
        x, torch.tensor([1, -100, 3]), W4, label_smoothing=0.2), R(3, 4)),
    "cross_entropy_probs": (lambda x, t: F.cross_entropy(x, t, W4, label_smoothing=0.1),
                            R(3, 4), U(3, 4)),
    "nll_nd": (lambda x: F.nll_loss(x, torch.tensor([[0, 2], [1, 1]]), W3,
                                    reduction="none"), R(2, 3, 2)),
    "nll_4d_mean": (lambda x: F.nll_loss(x, torch.tensor([[[0, 2]], [[1, 1]]]), W3),
                    R(2, 3, 1, 2)),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_gradient(name):
    f, *arrays = LOSSES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # mse_bcast: PyTorch's size-mismatch warning
        check(f, *arrays)


def test_loss_second_order():
    check_second(lambda x, t: F.binary_cross_entropy_with_logits(x, t), R(2, 3), U(2, 3))
    check_second(lambda x: F.cross_entropy(x, torch.tensor([2, 0]), W3), R(2, 3))
    check_second(lambda x: F.nll_loss(x.log_softmax(1), torch.tensor([[1], [0]]),
                                      reduction="sum") ** 2, R(2, 3, 1))
    check_second(lambda x, t: F.mse_loss(x, t) + F.smooth_l1_loss(x.exp(), t), R(2, 3), R(2, 3))


def test_reduction_shapes_and_dtypes():
    x = torch.tensor([[0.3, -1.0], [2.0, 0.5]], dtype=torch.float64)
    t = torch.tensor([[0.0, 1.0], [1.0, 0.0]], dtype=torch.float64)
    for f in (F.l1_loss, F.mse_loss, F.smooth_l1_loss, F.huber_loss, F.soft_margin_loss,
              F.binary_cross_entropy_with_logits):
        assert f(x, t, reduction="none").shape == (2, 2)
        assert f(x, t).dtype == torch.float64 and f(x, t, reduction="sum").ndim == 0
        with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
            f(x, t, reduction="bad")


def test_functions_are_registered():
    for name in ("gelu silu mish elu elu_ selu selu_ celu celu_ leaky_relu leaky_relu_ relu6 "
                 "hardtanh hardtanh_ hardsigmoid hardswish softplus softsign logsigmoid "
                 "tanhshrink softshrink hardshrink threshold threshold_ glu softmin prelu rrelu "
                 "rrelu_ relu_ l1_loss smooth_l1_loss huber_loss binary_cross_entropy "
                 "binary_cross_entropy_with_logits kl_div poisson_nll_loss gaussian_nll_loss "
                 "margin_ranking_loss hinge_embedding_loss soft_margin_loss "
                 "cosine_embedding_loss triplet_margin_loss pairwise_distance").split():
        assert callable(getattr(F, name)), name
    for name in "selu selu_ celu celu_ prelu rrelu rrelu_ threshold threshold_ hardshrink".split():
        assert callable(getattr(torch, name)), name
    x = torch.tensor([-1.0, 0.2, 2.0])
    assert x.hardshrink().tolist() == [-1.0, 0.0, 2.0]


def test_tsh_reaches_functional():
    from tshell.lang import Interpreter
    out = io.StringIO()
    Interpreter(stdout=out).run_source(
        "import torch\n"
        "import torch.nn.functional as F\n"
        "G = torch.nn.functional\n"
        "x = torch.tensor([-1., 0., 2.], requires_grad=True)\n"
        "y = F.gelu(x) + G.silu(x) + F.elu(x, alpha=0.5) + F.softplus(x, beta=2.)\n"
        "print(y.grad_fn)\n"
        "loss = F.smooth_l1_loss(y, torch.zeros(3)) + G.cross_entropy(x.view(1, 3), "
        "torch.tensor([2]), label_smoothing=0.1)\n"
        "loss.backward()\n"
        "print(loss.grad_fn, x.grad.shape)\n"
        "print(x.hardshrink(0.5))\n", "t.tsh")
    lines = out.getvalue().splitlines()
    assert lines[0] == "<AddBackward0 object>" or lines[0].startswith("<AddBackward0 object at")
    assert lines[1].startswith("<AddBackward0 object") and lines[1].endswith("torch.Size([3])")
    assert lines[2] == "tensor([-1.,  0.,  2.], grad_fn=<HardshrinkBackward0>)"
