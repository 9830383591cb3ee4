"""Finite-difference gradient checks (float64) for the ops of issue 17's tensor-ops list
(ldexp, frexp, fill, resize, view_as_real_copy, addmm_, fill_diagonal_, segment_reduce,
stft/istft) and for the complex gradients fixed with them (asin acos atan sinc einsum outer
addmv addr baddbmm addbmm), by tests/core/test_gradcheck.py's projected check; the complex
ones go through real coordinates as test_gradcheck.py's do."""
import numpy as np
import pytest

import tshell.core as torch

from .test_gradcheck import D, P, R, T, check

_rng = np.random.default_rng(1717)


def _part(*shape):
    """A real or imaginary part: either sign, 0.2 to 0.7 in size (inside asin's branch cuts)."""
    return _rng.uniform(0.2, 0.7, shape) * _rng.choice([-1.0, 1.0], shape)


def _c(re, im):
    return torch.complex(re, im)


def _w(*shape):
    n = int(np.prod(shape))
    data = np.linspace(-1.0, 1.5, n) + 1j * np.linspace(0.7, -0.9, n)
    return torch.tensor(data.reshape(shape).tolist(), dtype=torch.complex128)


def _filled_diagonal(x):
    y = x * 1
    y.fill_diagonal_(0.5, wrap=True)
    return y * x


def _addmm_inplace(x, a, b):
    y = x * 2
    y.addmm_(a, b, beta=0.5, alpha=1.5)
    return y


CASES = {
    "ldexp": (lambda x, e: torch.ldexp(x, e), R(2, 3), R(2, 3)),
    "frexp_mantissa": (lambda x: torch.frexp(x * 3).mantissa * x, R(2, 3)),
    "fill_tensor_value": (lambda x, v: torch.fill(x, v.sum()) * x, R(2, 3), R(2)),
    "resize": (lambda x: x.resize(3, 2) * T(np.arange(6.0).reshape(3, 2)), R(2, 3)),
    "view_as_real_copy": (lambda re, im: torch.view_as_real_copy(_c(re, im) * _w(2, 3)),
                          R(2, 3), R(2, 3)),
    "addmm_inplace": (_addmm_inplace, R(2, 4), R(2, 3), R(3, 4)),
    "fill_diagonal_wrap": (_filled_diagonal, R(7, 3)),
    "stft": (lambda x: torch.view_as_real(torch.stft(
        x, 8, hop_length=3, window=torch.hann_window(8, dtype=torch.float64),
        return_complex=True)), R(20)),
    "stft_batched_normalized_window_grad": (lambda x, w: torch.view_as_real(torch.stft(
        x, 6, hop_length=2, win_length=4, window=w, normalized=True, pad_mode="constant",
        return_complex=True)), R(2, 12), P(4)),
    "istft": (lambda re, im: torch.istft(
        torch.complex(re, im), 8, hop_length=2, window=torch.hann_window(8, dtype=torch.float64),
        length=14), R(5, 7), R(5, 7)),
}
for _name, _op in {"asin": torch.asin, "acos": torch.acos, "atan": torch.atan,
                   "sinc": torch.sinc}.items():
    CASES[f"complex_{_name}"] = (lambda re, im, op=_op: torch.view_as_real(op(_c(re, im))),
                                 _part(2, 3), _part(2, 3))
CASES["complex_einsum"] = (lambda re, im: torch.view_as_real(
    torch.einsum("ij,jk->ik", _c(re, im), _w(3, 2))), _part(2, 3), _part(2, 3))
CASES["complex_outer"] = (lambda re, im: torch.view_as_real(
    torch.outer(_c(re, im), _w(3))), _part(2), _part(2))
CASES["complex_addmv"] = (lambda mr, mi, vr, vi: torch.view_as_real(torch.addmv(
    _w(2), _c(mr, mi), _c(vr, vi), beta=0.5 - 1j, alpha=1 + 2j)),
    _part(2, 3), _part(2, 3), _part(3), _part(3))
CASES["complex_addr"] = (lambda ar, ai, br, bi: torch.view_as_real(torch.addr(
    _w(2, 3), _c(ar, ai), _c(br, bi), alpha=0.5j)), _part(2), _part(2), _part(3), _part(3))
CASES["complex_baddbmm"] = (lambda ir, ii, ar, ai: torch.view_as_real(torch.baddbmm(
    _c(ir, ii), _c(ar, ai), _w(2, 3, 2), beta=2 - 1j, alpha=1j)),
    _part(2, 2, 2), _part(2, 2, 2), _part(2, 2, 3), _part(2, 2, 3))
CASES["complex_addbmm"] = (lambda ar, ai: torch.view_as_real(torch.addbmm(
    _w(2, 2), _c(ar, ai), _w(2, 3, 2), alpha=1 - 1j)), _part(2, 2, 3), _part(2, 2, 3))


_SEGMENTS = torch.tensor([[2, 1, 2, 1], [1, 1, 1, 3]])   # no empty segment: finite outputs
for _reduce in ("sum", "mean", "max", "min", "prod"):
    CASES[f"segment_reduce_{_reduce}"] = (lambda x, r=_reduce: torch.segment_reduce(
        x, r, lengths=_SEGMENTS, axis=1), D(2, 6, 2))
CASES["segment_reduce_prod_initial_offsets"] = (lambda x: torch.segment_reduce(
    x, "prod", offsets=torch.tensor([0, 3, 3, 5]), initial=1.5), R(5, 2))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.filterwarnings("ignore:non-inplace resize")
def test_gradcheck(name):
    f, *arrays = CASES[name]
    check(f, *arrays)
