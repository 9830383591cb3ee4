"""interpolate (and its deprecated forms upsample, upsample_nearest, upsample_bilinear):
resizing the spatial dims by nearest, linear or bilinear sampling, as
weighted gathers along one dim at a time (their backward scatters back: GatherStepsBackward)."""
from __future__ import annotations

import warnings

import numpy as np

from .. import limits
from ..backend import xp_of
from ..dtypes import FLOATING
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, half_as_float
from .padding import GatherStepsBackward


_UPSAMPLE_NODES = {name: type(name, (GatherStepsBackward,), {"__slots__": ()}) for name in (
    "UpsampleNearest1DBackward0", "UpsampleNearest2DBackward0", "UpsampleLinear1DBackward0",
    "UpsampleBilinear2DBackward0")}


def _source_picks(mode, n_in, n_out, scale, align_corners, np_float):
    """For one dim: [(indices, weights or None), ...] whose weighted sum gives the output."""
    dst = np.arange(n_out)
    if mode == "nearest":
        if n_out == n_in:
            return [(dst, None)]
        if n_out == 2 * n_in:
            return [(dst >> 1, None)]
        s = np.float32(1 / scale if scale else n_in / n_out)
        return [(np.minimum(np.floor(dst.astype(np.float32) * s).astype(np.int64),
                            n_in - 1), None)]
    if align_corners:
        s = np_float((n_in - 1) / (n_out - 1)) if n_out > 1 else np_float(0)
        src = s * dst.astype(np_float)
    else:
        s = np_float(1 / scale if scale else n_in / n_out)
        src = np.maximum(s * (dst.astype(np_float) + np_float(0.5)) - np_float(0.5), 0)
    i0 = src.astype(np.int64)
    i1 = i0 + (i0 < n_in - 1)
    l1 = (src - i0).astype(np_float)
    return [(i0, np_float(1) - l1), (i1, l1)]


def _per_dim(value, nd, spatial, cast, names):
    """interpolate's size or scale_factor: one value per spatial dim (a number repeats)."""
    if not isinstance(value, (list, tuple)):
        return [cast(value)] * nd
    if len(value) != nd:
        what, of, fmt, c = names
        raise ValueError(f"Input and {what} must have the same number of spatial dimensions, "
                         f"but got input with spatial dimensions of {spatial} and {of} "
                         f"{value}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                         f"format and {fmt} in ({c}1, {c}2, ...,{c}K) format.")
    return [cast(v) for v in value]


@export("F")
def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims: mode 'nearest' (3-D or 4-D input), 'linear' (3-D) or
    'bilinear' (4-D), with align_corners for the linear modes."""
    if mode == "nearest":
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    nd = input.ndim - 2
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        out = _per_dim(size, nd, spatial, int, ("output", "output size of", "output size",
                                                "o"))
        scales = [None] * nd
    elif scale_factor is not None:
        scales = _per_dim(scale_factor, nd, spatial, float,
                          ("scale_factor", "scale_factor of shape", "scale_factor", "s"))
        out = [int(n * s) for n, s in zip(spatial, scales)]
        if recompute_scale_factor:
            scales = [None] * nd
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    kinds = {("nearest", 3): "Nearest1D", ("nearest", 4): "Nearest2D",
             ("linear", 3): "Linear1D", ("bilinear", 4): "Bilinear2D"}
    kind = kinds.get((mode, input.ndim))
    if kind is None:
        if mode in ("linear", "bilinear") and input.ndim in (3, 4):
            want = "3D" if mode == "linear" else "4D"
            raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {want} "
                                      "input")
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for "
            "the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
            f"nearest-exact (got {mode})")
    if input.dtype.category < FLOATING:
        suffix = "_channels_last" if input.ndim == 4 else ""
        raise NotImplementedError(f"\"upsample_{kind.lower()}{suffix}\" not implemented for "
                                  f"'{input.dtype.short}'")
    xd = dense(input)                   # gathered dim by dim
    xp = xp_of(xd)
    limits.check_result(tuple(input.shape[:2]) + tuple(out), xd.itemsize)
    for n in out:       # each dim's source indices and weights: also for an empty input
        limits.check_result((n,), 32)
    np_float = np.float64 if xd.dtype == np.float64 else np.float32
    if out == spatial:      # PyTorch's kernels copy the input when no size changes
        mode = "nearest"
    data, steps = half_as_float(xd), []
    for i in reversed(range(nd)):      # the last dim first, as PyTorch's kernels combine them
        d = 2 + i
        picks = _source_picks(mode, spatial[i], out[i], scales[i], align_corners, np_float)
        shape = [1] * xd.ndim
        shape[d] = out[i]
        terms, saved = [], []
        for idx, lam in picks:
            taken = xp.take(data, xp.asarray(idx), axis=d)
            if lam is not None:
                lam = xp.asarray(lam.reshape(shape))
                taken = taken * lam.astype(data.dtype)
            terms.append(taken)
            saved.append((wrap(xp.asarray(idx)),
                          None if lam is None else wrap(lam.astype(xd.dtype))))
        data = terms[0] if len(terms) == 1 else terms[0] + terms[1]
        steps.append((d, saved))
    return record_if(_UPSAMPLE_NODES[f"Upsample{kind}Backward0"],
                     wrap(xp.ascontiguousarray(data).astype(xd.dtype, copy=False)), (input,),
                     (tuple(xd.shape), steps))


def _deprecated(name):
    warnings.warn(f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", UserWarning, stacklevel=3)


@export("F")
def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """interpolate under its old name (deprecated)."""
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


@export("F")
def upsample_nearest(input, size=None, scale_factor=None):
    """interpolate(mode='nearest') under its old name (deprecated)."""
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


@export("F")
def upsample_bilinear(input, size=None, scale_factor=None):
    """interpolate(mode='bilinear', align_corners=True) under its old name (deprecated)."""
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
