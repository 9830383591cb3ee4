"""The short-time Fourier transform and its inverse: torch.stft / torch.istft (and the
Tensor methods), as PyTorch 2.13 computes them (aten/src/ATen/native/SpectralOps.cpp).

Both are written with differentiable tensor ops (F.pad, unfold, torch.fft, unfold_backward
for the overlap-add), so autograd needs no derivative of its own; the grad_fn names are
those ops' (PyTorch's stft ends in its own fft nodes too, but the last node can differ).
"""
from __future__ import annotations

import warnings

from ..dtypes import COMPLEX
from ..registry import export
from ..tensor import Tensor
from . import fft
from .complex_numbers import view_as_real
from .creation import ones
from .padding import pad
from .shape import unfold_backward

_STFT_NO_WINDOW = (
    "A window was not provided. A rectangular window will be applied,which is known to cause "
    "spectral leakage. Other windows such as torch.hann_window or torch.hamming_window are "
    "recommended to reduce spectral leakage.To suppress this warning and use a rectangular "
    "window, explicitly set `window=torch.ones(n_fft, device=<device>)`.")
_ISTFT_NO_WINDOW = (
    "A window was not provided. A rectangular window will be applied.Please provide the same "
    "window used by stft to make the inversion lossless.To suppress this warning and use a "
    "rectangular window, explicitly set `window=torch.ones(n_fft, device=<device>)`.")
_REAL_OUTPUT_DEPRECATED = (
    "stft with return_complex=False is deprecated. In a future pytorch release, stft will "
    "return complex tensors for all inputs, and return_complex=False will raise an error.\n"
    "Note: you can still call torch.view_as_real on the complex output to recover the old "
    "return format.")


def _type_name(t):
    return f"torch.{t.dtype.legacy}"


def _stft_header(x, n_fft, hop, win_length, window, normalized, onesided, return_complex,
                 align_to_window):
    """The call as PyTorch's stft errors repeat it."""
    shown = "None" if window is None else f"{_type_name(window)}{{{list(window.shape)}}}"
    return (f"stft({_type_name(x)}{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={win_length}, window={shown}, normalized={int(normalized)}, "
            f"onesided={_opt(onesided)}, return_complex={_opt(return_complex)}, "
            f"align_to_window={_opt(align_to_window)}) : ")


def _opt(flag):
    return "None" if flag is None else int(flag)


def _padded_window(window, win_length, n_fft, like):
    """The window (ones by default) centred in n_fft points."""
    if window is None:
        window = ones(win_length, dtype=like.real.dtype if like.dtype.category == COMPLEX
                      else like.dtype, device=like.device)
    if win_length < n_fft:
        left = (n_fft - win_length) // 2
        window = pad(window, (left, n_fft - win_length - left))
    return window


@export("torch", "Tensor")
def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    """The Fourier transforms of the windowed frames of input (1-D, or 2-D: a batch), as
    (batch?, frequencies, frames); center=True pads n_fft // 2 each side with pad_mode."""
    if window is None:
        warnings.warn(_STFT_NO_WINDOW, UserWarning, stacklevel=2)
    is_complex = input.dtype.category == COMPLEX or (
        window is not None and window.dtype.category == COMPLEX)
    if return_complex is None and not is_complex:
        raise RuntimeError("stft requires the return_complex parameter be given for real "
                           "inputs, and will further require that return_complex=True in a "
                           "future PyTorch release.")
    if center:
        if pad_mode not in ("constant", "reflect", "replicate", "circular"):
            raise NotImplementedError(f"Unrecognised padding mode {pad_mode}")
        ndim = input.dim()
        extended = (1,) * (3 - ndim) + tuple(input.shape) if ndim <= 2 else tuple(input.shape)
        half = n_fft // 2
        input = pad(input.view(extended), (half, half), pad_mode)
        input = input.view(input.shape[-ndim:]) if ndim <= 2 else input
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    head = _stft_header(input, n_fft, hop, win, window, normalized, onesided, return_complex,
                        align_to_window)
    if input.dim() not in (1, 2):
        raise RuntimeError(head + "expected a 1D or 2D tensor")
    length = input.shape[-1]
    if not 0 < n_fft <= length:
        raise RuntimeError(head + f"expected 0 < n_fft <= {length}, but got n_fft={n_fft}")
    if hop <= 0:
        raise RuntimeError(head + f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        raise RuntimeError(head + f"expected 0 < win_length <= n_fft, but got win_length={win}")
    if window is not None and (window.dim() != 1 or window.shape[0] != win):
        raise RuntimeError(head + "expected a 1D window tensor of size equal to win_length="
                           f"{win}, but got window with size {list(window.shape)}")
    if win < n_fft:
        window = _padded_window(window, win, n_fft, input)
    frames = input.unfold(-1, n_fft, hop)            # (batch?, frames, n_fft)
    if window is not None:
        frames = frames * window
    one_sided = (not is_complex) if onesided is None else onesided
    norm = "ortho" if normalized else "backward"
    spectrum = fft.rfft(frames, dim=-1, norm=norm) if one_sided else \
        fft.fft(frames, dim=-1, norm=norm)
    spectrum = spectrum.transpose(-1, -2)
    if return_complex:
        return spectrum
    warnings.warn(_REAL_OUTPUT_DEPRECATED, UserWarning, stacklevel=2)
    return view_as_real(spectrum)


def _istft_header(x, n_fft, hop, win_length, window, center, normalized, onesided, length,
                  return_complex):
    shown = "None" if window is None else f"{_type_name(window)}{{{list(window.shape)}}}"
    kind = x.dtype.legacy[:-len("Tensor")]
    return (f"istft(CPU{kind}Type{list(x.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={win_length}, window={shown}, center={int(center)}, "
            f"normalized={int(normalized)}, onesided={_opt(onesided)}, length={length}, "
            f"return_complex={int(return_complex)}) : ")


@export("torch", "Tensor")
def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    """The signal whose stft is input: inverse transforms of the frames, windowed again,
    overlap-added and divided by the summed squared window (the least-squares inverse)."""
    if window is None:
        warnings.warn(_ISTFT_NO_WINDOW, UserWarning, stacklevel=2)
    if not isinstance(input, Tensor) or input.dtype.category != COMPLEX:
        raise RuntimeError("istft requires a complex-valued input tensor matching the output "
                           "from stft with return_complex=True.")
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    head = _istft_header(input, n_fft, hop, win, window, center, normalized, onesided, length,
                         return_complex)
    if input.dim() not in (2, 3):
        raise RuntimeError(head + f"expected a tensor with 2 or 3 dimensions of complex dtype, "
                           f"but got {input.dim()}")
    if hop <= 0:
        raise RuntimeError(head + f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        raise RuntimeError(head + f"expected 0 < win_length <= n_fft, but got win_length={win}")
    one_sided = (input.shape[-2] != n_fft) if onesided is None else onesided
    expected = n_fft // 2 + 1 if one_sided else n_fft
    if input.shape[-2] != expected:
        raise RuntimeError(head + f"expected the frequency dimension (3rd to the last) of the "
                           f"input tensor to match n_fft / 2 + 1 when onesided=True, but got "
                           f"{input.shape[-2]}" if one_sided else
                           head + f"expected the frequency dimension (3rd to the last) of the "
                           f"input tensor to match n_fft when onesided=False, but got "
                           f"{input.shape[-2]}")
    if window is not None and (window.dim() != 1 or window.shape[0] != win):
        raise RuntimeError(head + "Invalid window shape. window has to be 1D and length of "
                           "`win_length`")
    window = _padded_window(window, win, n_fft, input.real)
    norm = "ortho" if normalized else "backward"
    spectra = input.transpose(-1, -2)                # (batch?, frames, frequencies)
    if return_complex:
        if one_sided:
            raise RuntimeError(head + "cannot have onesided output if window or input is "
                               "complex")
        frames = fft.ifft(spectra, n=n_fft, dim=-1, norm=norm)
    else:
        frames = fft.irfft(spectra, n=n_fft, dim=-1, norm=norm) if one_sided else \
            fft.ifft(spectra, n=n_fft, dim=-1, norm=norm).real
    frames = frames * window
    n_frames = frames.shape[-2]
    total = n_fft + hop * (n_frames - 1)
    signal = _overlap_add(frames, total, n_fft, hop)
    envelope = _overlap_add((window * window).expand(n_frames, n_fft), total, n_fft, hop)
    start = n_fft // 2 if center else 0
    end = total - n_fft // 2 if center else total
    if length is not None:
        end = start + length
    signal = signal[..., start:min(end, total)]
    envelope = envelope[start:min(end, total)]
    if (envelope.abs() < 1e-11).any():
        # (sic: PyTorch's text prints the failed check's bool tensor)
        raise RuntimeError(head[:-2] + "window overlap add min: 1\n[ CPUBoolType{} ]")
    signal = signal / envelope
    if end > total:
        signal = pad(signal, (0, end - total))
    return signal


def _overlap_add(frames, total, n_fft, hop):
    """The frames (..., n_frames, n_fft) added into a signal of `total` points, frame t at
    t * hop: the gradient of unfold, which is its own differentiable op."""
    shape = tuple(frames.shape[:-2]) + (total,)
    return unfold_backward(frames, shape, len(shape) - 1, n_fft, hop)
