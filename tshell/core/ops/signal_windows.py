"""Window functions for spectral analysis: hann, hamming, blackman, bartlett and kaiser
windows, computed with ATen's sequence of ops in the requested dtype (so the float32
rounding is PyTorch's). periodic=True (the default) gives the first N of N + 1 points."""
from __future__ import annotations

import math

from ..dtypes import COMPLEX, DEFAULTS, FLOATING, to_dtype
from ..registry import export
from .binning import ctype_name
from .creation import arange, empty, ones
from .special import i0


def _prepare(fn, window_length, dtype, device):
    dt = to_dtype(dtype, fn=fn) or DEFAULTS.float_dtype
    if dt.category not in (FLOATING, COMPLEX):
        raise RuntimeError(f"{fn} expects floating point dtypes, got: TensorOptions(dtype="
                           f"{ctype_name(dt)}, device={device or 'cpu'}, layout=Strided "
                           "(default), requires_grad=false (default), pinned_memory=false, "
                           "memory_format=(nullopt))")
    if window_length < 0:
        raise RuntimeError(f"{fn} requires non-negative window_length, got "
                           f"window_length={window_length}")
    return dt


def _window(fn, shape, window_length, periodic, dtype, device, requires_grad):
    """shape(n, points) over n points (N + 1 when periodic), trimmed back to N."""
    dt = _prepare(fn, window_length, dtype, device)
    if window_length <= 1:
        make = empty if window_length == 0 else ones
        return make(window_length, dtype=dt, device=device, requires_grad=requires_grad)
    n = window_length + 1 if periodic else window_length
    window = shape(n, arange(n, dtype=dt, device=device))
    window = window[:n - 1] if periodic else window
    return window.requires_grad_(requires_grad)


@export("torch")
def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, requires_grad=False, pin_memory=False):
    """alpha - beta * cos(2 pi n / (N - 1))."""
    return _window("hamming_window",
                   lambda n, k: (k * (math.pi * 2.0 / (n - 1))).cos() * -beta + alpha,
                   window_length, periodic, dtype, device, requires_grad)


@export("torch")
def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                requires_grad=False, pin_memory=False):
    """0.5 - 0.5 * cos(2 pi n / (N - 1)): the hamming window with alpha = beta = 0.5."""
    _prepare("hann_window", window_length, dtype, device)
    return hamming_window(window_length, periodic, 0.5, 0.5, dtype=dtype, device=device,
                          requires_grad=requires_grad)


def _blackman(n, k):
    k = k * (math.pi / (n - 1))
    return (k * 4).cos() * 0.08 - (k * 2).cos() * 0.5 + 0.42


@export("torch")
def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False, pin_memory=False):
    """0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))."""
    return _window("blackman_window", _blackman, window_length, periodic, dtype, device,
                   requires_grad)


def _bartlett(n, k):
    k = k * (2.0 / (n - 1))
    half = ((n - 1) >> 1) + 1
    k[half:] = k[half:] * -1 + 2
    return k


@export("torch")
def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False, pin_memory=False):
    """The triangular window: 2n / (N - 1) rising, then falling back to 0."""
    return _window("bartlett_window", _bartlett, window_length, periodic, dtype, device,
                   requires_grad)


@export("torch")
def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, requires_grad=False, pin_memory=False):
    """I0(beta * sqrt(1 - ((n - alpha) / alpha)^2)) / I0(beta), alpha = (N - 1) / 2."""
    def shape(n, k):
        alpha = (n - 1) / 2.0
        ratio = (k - alpha) / alpha
        return i0((1 - ratio * ratio).abs().sqrt() * beta) / i0(k.new_tensor(beta))
    return _window("kaiser_window", shape, window_length, periodic, dtype, device,
                   requires_grad)
