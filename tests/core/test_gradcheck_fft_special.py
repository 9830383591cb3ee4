"""Finite-difference gradient checks (float64) for torch.fft and torch.special.

The transforms are checked inside real-valued compositions (a complex result goes back to
real through another transform), so each primitive's derivative (FftC2C, FftR2C, FftC2R, the
conjugations and resizings around them) is exercised as a chain rule would use it.
"""
import numpy as np
import pytest

import tshell.core as torch
from tests.core.test_gradcheck import P, R, T, check, check_second

FFT = torch.fft
S = torch.special
# Real weights: a complex one would test tshell's complex mul, whose gradient does not yet
# conjugate the other factor as PyTorch's does.
W5 = T(np.linspace(0.5, 1.5, 5))
SHIFT_W = T(R(3, 5))
HFFT_W = T(R(8))


def _w(n):
    return T(np.cos(np.arange(n) * 0.7) + 0.2)


FFT_CASES = {
    "fft_real_then_hfft": (lambda x: FFT.hfft(FFT.fft(x) * _w(6), n=7), R(6)),
    "fft_n_pad_ortho": (lambda x: FFT.irfft(FFT.fft(x, n=9, norm="ortho")[..., :5] * W5), R(2, 6)),
    "fft_n_cut_complex": (lambda x: FFT.hfft(FFT.fft(FFT.fft(x), n=4, norm="forward")), R(6)),
    "ifft_real_dim0": (lambda x: FFT.irfft(FFT.ifft(x, dim=0), n=4, dim=0), R(5, 3)),
    "ifft_complex_norms": (lambda x: FFT.irfft(FFT.ifft(FFT.fft(x) * _w(5), norm="ortho")), R(5)),
    "rfft_irfft": (lambda x: FFT.irfft(FFT.rfft(x) * _w(4), n=7), R(7)),
    "rfft_n_even": (lambda x: FFT.irfft(FFT.rfft(x, n=8, norm="forward") * W5, n=8), R(3, 6)),
    "irfft_real_input": (lambda x: FFT.irfft(x, n=6, norm="ortho"), R(2, 5)),
    "ihfft_hfft": (lambda x: FFT.hfft(FFT.ihfft(x) * _w(4), n=6), R(6)),
    "hfft_real_input": (lambda x: FFT.hfft(x, n=5, norm="ortho"), R(4)),
    "fftn_ifftn": (lambda x: FFT.irfftn(FFT.ifftn(FFT.fftn(x) * _w(4))[..., :3]), R(3, 4)),
    "fft2_s": (lambda x: FFT.irfft2(FFT.fft2(x, s=(4, 5))[:, :3], s=(4, 5)), R(3, 4)),
    "rfftn_s_dim": (lambda x: FFT.irfftn(FFT.rfftn(x, s=(3, 6), dim=(0, 2)) * _w(4),
                                         s=(3, 6), dim=(0, 2)), R(2, 3, 5)),
    "rfft2_ortho": (lambda x: FFT.irfft2(FFT.rfft2(x, norm="ortho") * _w(3)), R(3, 4)),
    "hfftn_ihfftn": (lambda x: FFT.hfftn(FFT.ihfftn(x) * _w(3), s=(3, 4)), R(3, 4)),
    "hfft2_ihfft2_forward": (lambda x: FFT.hfft2(FFT.ihfft2(x, norm="forward") * _w(3),
                                                 s=(2, 5), norm="forward"), R(2, 5)),
    "fftshift_ifftshift": (lambda x: FFT.ifftshift(FFT.fftshift(x, dim=1) * SHIFT_W, dim=0),
                           R(3, 5)),
}

SPECIAL_CASES = {
    "i0": (lambda x: torch.i0(x), R(3, 4, lo=-9, hi=9)),
    "i0e": (lambda x: S.i0e(x), R(3, 4, lo=-10, hi=10)),
    "i1": (lambda x: S.i1(x), R(3, 4, lo=-9, hi=9)),
    "i1e": (lambda x: S.i1e(x), R(3, 4, lo=-10, hi=10)),
    "ndtr": (lambda x: S.ndtr(x), R(3, 4, lo=-4, hi=4)),
    "ndtri": (lambda x: S.ndtri(x), P(3, 4, lo=0.01, hi=0.99)),
    "log_ndtr": (lambda x: S.log_ndtr(x), R(3, 4, lo=-6, hi=6)),
    "erfcx": (lambda x: S.erfcx(x), R(3, 4, lo=-3, hi=3)),
    "erfcx_large": (lambda x: S.erfcx(x), P(3, 4, lo=5, hi=80)),
    "entr": (lambda x: S.entr(x), P(3, 4)),
    "xlog1py": (lambda x, y: S.xlog1py(x, y), R(3, 4), P(4)),
    "xlog1py_number_first": (lambda y: S.xlog1py(1.5, y), P(3)),
    "zeta_q": (lambda q: S.zeta(T([2.0, 3.5, 5.0]), q), P(2, 3)),
    "multigammaln": (lambda x: S.multigammaln(x, 3), P(3, 4, lo=1.5, hi=6)),
    "mvlgamma_method": (lambda x: x.mvlgamma(2), P(4, lo=1, hi=4)),
}


@pytest.mark.parametrize("name", list(FFT_CASES) + list(SPECIAL_CASES))
def test_gradcheck(name):
    f, *arrays = {**FFT_CASES, **SPECIAL_CASES}[name]
    check(f, *arrays)


SECOND = {
    "i0": (lambda x: torch.i0(x).sum(), R(3, 4, lo=-5, hi=5)),
    "i1e": (lambda x: S.i1e(x).sum(), R(3, 4, lo=-5, hi=5)),
    "ndtr": (lambda x: S.ndtr(x).sum(), R(3, 4)),
    "log_ndtr": (lambda x: S.log_ndtr(x).sum(), R(3, 4, lo=-4, hi=4)),
    "erfcx": (lambda x: S.erfcx(x).sum(), R(3, 4)),
    "rfft_irfft": (lambda x: (FFT.irfft(FFT.rfft(x ** 2) * _w(4), n=6) ** 2).sum(), R(6)),
    "fft_hfft": (lambda x: (FFT.hfft(FFT.fft(x * x)) * HFFT_W).sum(), R(5)),
}


@pytest.mark.parametrize("name", list(SECOND))
def test_second_derivative(name):
    f, *arrays = SECOND[name]
    check_second(f, *arrays)


def test_zeta_has_no_derivative_in_x():
    x = torch.tensor([2.5, 3.0], dtype=torch.float64, requires_grad=True)
    with pytest.raises(NotImplementedError, match="the derivative for 'zeta' is not implemented"):
        torch.autograd.grad(S.zeta(x, 2.0).sum(), x)
