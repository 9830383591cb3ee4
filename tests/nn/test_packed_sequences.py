"""Packed sequences: finite-difference gradient checks (first and second order) of packing,
unpacking and the recurrent layers over packed input; the layers over a packed batch give
what they give over each sequence alone (PyTorch's values and texts: the packed_sequences
golden family)."""
from __future__ import annotations

import pytest

import tshell.core as torch
from tshell.core.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

LENGTHS = [2, 4, 1]


def _x():
    torch.manual_seed(0)
    return torch.randn(4, 3, 2, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_and_pad_gradients(batch_first, enforce_sorted):
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    x = _x()

    def f(x):
        xin = x.transpose(0, 1) if batch_first else x
        p = pack_padded_sequence(xin, lengths, batch_first=batch_first,
                                 enforce_sorted=enforce_sorted)
        padded, _ = pad_packed_sequence(p, batch_first=batch_first, total_length=5)
        return p.data.sin().sum() + (padded ** 2).sum()
    assert torch.autograd.gradcheck(f, (x,))
    assert torch.autograd.gradgradcheck(f, (x,))


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_recurrent_layers_over_packed_input_gradients(cls):
    x = _x()
    torch.manual_seed(1)
    m = getattr(torch.nn, cls)(2, 3, num_layers=2, bidirectional=True).double()
    weights = (m.weight_ih_l0, m.weight_hh_l1_reverse)

    def f(x, *ws):
        out, _ = m(pack_padded_sequence(x, LENGTHS, enforce_sorted=False))
        return out.data.sum()
    assert torch.autograd.gradcheck(f, (x, *weights))


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
def test_a_packed_batch_is_each_sequence_alone(cls):
    x = _x()
    torch.manual_seed(1)
    m = getattr(torch.nn, cls)(2, 3, num_layers=2, bidirectional=True).double()
    out, h = m(pack_padded_sequence(x, LENGTHS, enforce_sorted=False))
    padded, lengths = pad_packed_sequence(out)
    assert lengths.tolist() == LENGTHS
    for b, n in enumerate(LENGTHS):
        alone, h_alone = m(x[:n, b:b + 1])
        assert torch.allclose(padded[:n, b:b + 1], alone)
        assert (padded[n:, b] == 0).all()
        for last, last_alone in zip(h if cls == "LSTM" else (h,),
                                    h_alone if cls == "LSTM" else (h_alone,)):
            assert torch.allclose(last[:, b:b + 1], last_alone)
