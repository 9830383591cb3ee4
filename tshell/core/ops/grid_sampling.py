"""Spatial transformers: affine_grid (torch.affine_grid_generator) and grid_sample
(torch.grid_sampler, grid_sampler_2d / 3d): bilinear / trilinear, nearest and bicubic sampling
of 4-d and 5-d input at the points of a grid, with zeros, border or reflection padding.

A sample is a weighted sum of taps: per spatial dim, a few input positions with weights that
depend on the grid coordinate (2 for linear, 1 for nearest, 4 for cubic); the taps of the
N-d sample are the product of those. The backward is written with tensor ops on the same taps
(the input's gradient scattered back, the grid's through the weights' derivatives), so
create_graph=True gives higher orders (GridSampler2DBackwardBackward0).
"""
from __future__ import annotations

import itertools
import math
import warnings

import numpy as np

from .. import limits
from ..autograd import derivative, no_grad
from ..backend import xp_of
from ..dtypes import float32
from ..registry import export
from ..tensor import record_if, wrap
from .common import require_float
from .creation import _linspace_like_torch, full_like, zeros, zeros_like
from .double_backward import relayed
from .linalg import bmm
from .shape import stack

_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
_PADDINGS = {"zeros": 0, "border": 1, "reflection": 2}
_CUBIC_A = -0.75                     # the cubic convolution's parameter, as PyTorch's


# ---- one spatial dim: the source coordinate and its taps ----------------------------------

def _clipped(v, size):
    """clip_coordinates_set_grad: v within [0, size - 1] and d(result)/dv (the borders count
    as outside: gradient 0 there)."""
    inside = (v > 0) & (v < size - 1)
    return np.clip(v, 0, size - 1), inside.astype(v.dtype)


def _reflected(v, twice_low, twice_high):
    """reflect_coordinates_set_grad: v reflected into [low, high] and d(result)/dv."""
    if twice_low == twice_high:
        zero = xp_of(v).zeros_like(v)
        return zero, zero
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    shifted = v - low
    xp = xp_of(v)
    sign = xp.where(shifted < 0, -1, 1).astype(v.dtype)
    shifted = np.abs(shifted)
    extra = np.fmod(shifted, span)
    even = np.floor(shifted / span) % 2 == 0
    return (xp.where(even, extra + low, span - extra + low).astype(v.dtype),
            xp.where(even, sign, -sign))


def _padded(v, size, padding_mode, align_corners, masked_grad=False):
    """compute_coordinates: v (unnormalised) moved inside the input as padding_mode says,
    and the derivative of that move (ATen's 2-d CPU kernel masks a clipped one to +0, its
    3-d kernel multiplies, giving -0 where reflected: masked_grad chooses)."""
    if padding_mode == 1:
        return _clipped(v, size)
    if padding_mode == 2:
        r, dr = (_reflected(v, 0, 2 * (size - 1)) if align_corners
                 else _reflected(v, -1, 2 * size - 1))
        c, dc = _clipped(r, size)
        masked = xp_of(v).where(dc != 0, dr, 0).astype(v.dtype)
        return c, (masked if masked_grad else dr * dc)
    return v, xp_of(v).ones_like(v)


def _fused_multiply_add(a, b, c):
    """a * b + c in float32 with one rounding (the float64 product of float32s is exact)."""
    wide = (a._data.astype(np.float64) * b._data.astype(np.float64)
            + c._data.astype(np.float64))
    return wrap(wide.astype(np.float32))


def _cubic_weights(t):
    """The cubic convolution's four weights at offset t in [0, 1) and their derivatives."""
    a = _CUBIC_A

    def near(x):                    # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def near_d(x):
        return (3 * (a + 2) * x - 2 * (a + 3)) * x

    def far(x):                     # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    def far_d(x):
        return (3 * a * x - 10 * a) * x + 8 * a

    return ([far(t + 1), near(t), near(1 - t), far(2 - t)],
            [far_d(t + 1), near_d(t), -near_d(1 - t), -far_d(2 - t)])


def _dim_taps(coord, size, mode, padding_mode, align_corners, kernel_2d):
    """For one spatial dim with grid coordinates coord (a tensor in [-1, 1]): the taps
    [(positions, valid, weight, d weight / d source)] and d source / d coord. kernel_2d:
    round as ATen's vectorised 2-d CPU kernel does, not as its 3-d one."""
    half = (size - 1) / 2 if align_corners else size / 2
    if kernel_2d and not align_corners and coord.dtype is float32 and not coord.requires_grad:
        # the kernel's (x + 1) * half - 0.5 is one fused multiply-add
        source = _fused_multiply_add(coord + 1, full_like(coord, half), full_like(coord, -0.5))
    else:
        source = (coord + 1) * half - (0 if align_corners else 0.5)
    v = source._data
    if mode == 2:                   # bicubic: padding applies to each tap's position
        base = np.floor(v)
        weights, dweights = _cubic_weights(source - wrap(base))
        taps = []
        for i, (w, dw) in enumerate(zip(weights, dweights)):
            pos = _padded(base - 1 + i, size, padding_mode, align_corners)[0]
            taps.append((pos.astype(np.int64), (pos >= 0) & (pos < size), w, dw))
        return taps, half
    pv, dpv = _padded(v, size, padding_mode, align_corners, masked_grad=kernel_2d)
    # the moved coordinate as a tensor: its value pv, its derivative dpv (piecewise linear)
    source = source * wrap(dpv) + wrap(pv - v * dpv)
    if mode == 1:
        pos = np.rint(pv).astype(np.int64)
        one = wrap(xp_of(pv).ones_like(pv))
        return [(pos, (pos >= 0) & (pos < size), one, one * 0)], half * dpv
    lo = np.floor(pv)
    above = source - wrap(lo)
    # the 2-d kernel weighs the low tap 1 - (x - lo), the 3-d one (lo + 1) - x: the last
    # bit differs, and decides ties downstream (an identity grid's samples)
    below = 1 - above if kernel_2d else wrap(lo + 1) - source
    taps = []
    for pos, w, dw in ((lo, below, -1.0), (lo + 1, above, 1.0)):
        taps.append((pos.astype(np.int64), (pos >= 0) & (pos < size), w, w * 0 + dw))
    return taps, half * dpv


# ---- the N-d sample --------------------------------------------------------------------------

def _taps(input, grid, mode, padding_mode, align_corners):
    """The N-d taps: [(flat input positions (N, 1, L), valid (N, 1, L) as input's dtype,
    per-dim weights, per-dim weight derivatives)] and the per-dim d source / d grid, for the
    spatial dims in input order (D, H, W: grid's last coordinate is W's)."""
    spatial = tuple(input.shape[2:])
    nd = len(spatial)
    n = grid.shape[0]
    per_dim, scales = [], []
    for k in range(nd):
        coord = grid[..., nd - 1 - k].reshape(n, 1, -1)
        taps, scale = _dim_taps(coord, spatial[k], mode, padding_mode, align_corners,
                                kernel_2d=nd == 2)
        per_dim.append(taps)
        scales.append(scale)
    dtype = input._data.dtype
    xp = xp_of(input._data)
    out = []
    for combo in itertools.product(*per_dim):
        flat, valid = 0, True
        for k, (pos, ok, _, _) in enumerate(combo):
            flat = flat + np.clip(pos, 0, spatial[k] - 1) * math.prod(spatial[k + 1:])
            valid = valid & ok
        out.append((wrap(xp.asarray(flat, dtype=np.int64)),
                    wrap(xp.asarray(valid, dtype=dtype)),
                    [t[2] for t in combo], [t[3] for t in combo]))
    return out, scales


def _product(factors):
    r = factors[0]
    for f in factors[1:]:
        r = r * f
    return r


def _values(flat_input, idx):
    """The input's values at the tap's flat positions, for every channel: (N, C, L)."""
    n, c = flat_input.shape[:2]
    return flat_input.gather(2, idx.expand(n, c, idx.shape[-1]))


def _sampled(input, grid, mode, padding_mode, align_corners):
    taps, _ = _taps(input, grid, mode, padding_mode, align_corners)
    n, c = input.shape[:2]
    flat = input.reshape(n, c, -1)
    out = zeros((n, c, taps[0][0].shape[-1]), dtype=input.dtype, device=input.device)
    # ATen's vectorised 2-d bilinear kernel is compiled with its a * w + b * w' + ... sum
    # contracted into fused multiply-adds (float32): the last bits of a sample, which
    # decide ties downstream, follow it
    fused = mode == 0 and input.ndim == 4 and input.dtype is float32
    for k, (idx, valid, weights, _) in enumerate(taps):
        value, weight = _values(flat, idx), _product(weights) * valid
        # from +0: a masked tap's -0 adds nothing
        out = _fused_multiply_add(value, weight, out) if fused and k else out + value * weight
    return out.reshape((n, c) + tuple(grid.shape[1:-1]))


def _grid_sampler_grads(node, grad):
    input, grid = node.saved
    mode, padding_mode, align_corners = node.params
    taps, scales = _taps(input, grid, mode, padding_mode, align_corners)
    n, c = input.shape[:2]
    nd = input.ndim - 2
    g = grad.reshape(n, c, -1)
    flat = input.reshape(n, c, -1)
    gx = zeros_like(flat) if input._rg else None
    places = math.prod(grid.shape[1:-1])
    grid_parts = [zeros((n, 1, places), dtype=grad.dtype, device=grad.device)] * nd
    for idx, valid, weights, dweights in taps:
        if input._rg:
            gx = gx.scatter_add(2, idx.expand(n, c, idx.shape[-1]),
                                g * (_product(weights) * valid))
        if grid._rg and mode != 1:
            gv = (g * _values(flat, idx)).sum(1, keepdim=True) * valid
            for k in range(nd):
                part = gv * _product(weights[:k] + [dweights[k]] + weights[k + 1:])
                grid_parts[k] = grid_parts[k] + part
    gg = None
    if grid._rg and mode == 1:          # nearest: no gradient for the grid, +0 everywhere
        gg = zeros_like(grid)
    elif grid._rg:
        xp = xp_of(grid._data)
        cols = [p * wrap(xp.asarray(s, dtype=grid._data.dtype))
                for p, s in zip(grid_parts, scales)]
        gg = stack(cols[::-1], -1).reshape(grid.shape)     # x (W) first, as the grid
    return relayed((None if gx is None else gx.reshape(input.shape), gg),
                   f"GridSampler{nd}DBackwardBackward0")


# (PyTorch gives grid_sampler_2d/3d no forward formula)
_GRID_SAMPLER_NODES = {nd: derivative(_grid_sampler_grads, name=f"GridSampler{nd}DBackward0",
                                      jvp=f"grid_sampler_{nd}d")
                       for nd in (2, 3)}


def _grid_checks(input, grid, interpolation_mode, nd):
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {list(input.shape)} and grid with sizes "
                           f"{list(grid.shape)}")
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.ndim - 2} in "
                           f"last dimension, but got grid with sizes {list(grid.shape)}")
    for i in range(2, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial "
                               f"dimensions, but input has sizes {list(input.shape)} with "
                               f"dimension {i} being empty")
    if input.ndim != nd + 2 or grid.ndim != nd + 2:
        raise RuntimeError(f"grid_sampler(): expected {nd + 2}D input and grid with same number "
                           f"of dimensions, but got input with sizes {list(input.shape)} and "
                           f"grid with sizes {list(grid.shape)}")
    if nd == 3 and interpolation_mode == 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    require_float(input, f"grid_sampler_{nd}d_cpu" + ("_kernel_impl" if nd == 2 else ""))
    if grid.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.short} but found "
                           f"{grid.dtype.short}")


def _grid_sampler_nd(input, grid, interpolation_mode, padding_mode, align_corners, nd):
    _grid_checks(input, grid, interpolation_mode, nd)
    limits.check_result(tuple(input.shape[:2]) + tuple(grid.shape[1:-1]),
                        input._data.itemsize)
    with no_grad():
        out = _sampled(input, grid, interpolation_mode, padding_mode, align_corners)
    return record_if(_GRID_SAMPLER_NODES[nd], wrap(out._data), (input, grid),
                     (interpolation_mode, padding_mode, bool(align_corners)),
                     save=(input, grid))


@export("torch")
def grid_sampler_2d(input, grid, interpolation_mode, padding_mode, align_corners):
    """Samples of (N, C, H, W) input at the (N, H_out, W_out, 2) grid's points; modes as
    enums (0 bilinear, 1 nearest, 2 bicubic; padding 0 zeros, 1 border, 2 reflection)."""
    return _grid_sampler_nd(input, grid, interpolation_mode, padding_mode, align_corners, 2)


@export("torch")
def grid_sampler_3d(input, grid, interpolation_mode, padding_mode, align_corners):
    """Samples of (N, C, D, H, W) input at the (N, D_out, H_out, W_out, 3) grid's points."""
    return _grid_sampler_nd(input, grid, interpolation_mode, padding_mode, align_corners, 3)


@export("torch")
def grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):
    """grid_sampler_2d for 4-d input, grid_sampler_3d otherwise."""
    nd = 2 if input.ndim == 4 else 3
    return _grid_sampler_nd(input, grid, interpolation_mode, padding_mode, align_corners, nd)


def _default_align_corners(align_corners):
    if align_corners is None:
        warnings.warn("Default grid_sample and affine_grid behavior has changed to "
                      "align_corners=False since 1.3.0. Please specify align_corners=True if "
                      "the old behavior is desired. See the documentation of grid_sample for "
                      "details.", UserWarning, stacklevel=3)
        return False
    return align_corners


@export("F")
def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """The input sampled at the grid's points ((x, y[, z]) in [-1, 1] per output place) by
    mode 'bilinear', 'nearest' or 'bicubic', outside points by padding_mode 'zeros',
    'border' or 'reflection'."""
    if mode not in _MODES:
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in _PADDINGS:
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    align_corners = _default_align_corners(align_corners)
    return grid_sampler(input, grid, _MODES[mode], _PADDINGS[padding_mode], align_corners)


# ---- affine_grid -------------------------------------------------------------------------------

def _base_grid(theta, size, align_corners):
    """(N, *spatial, nd + 1): each output place's normalised coordinates (x, y[, z]) and 1."""
    spatial = tuple(size[2:])
    nd = len(spatial)
    xp_dtype = np.dtype(theta._data.dtype.name)
    axes = []
    for steps in spatial:
        if steps <= 1:                  # ATen's linspace_from_neg_one: 0 for a single step
            axes.append(np.zeros(steps, dtype=xp_dtype))
            continue
        # PyTorch's own linspace: its last bits decide where identity-like grids sample
        r = _linspace_like_torch(-1, 1, steps, theta.dtype).astype(xp_dtype)
        axes.append(r * (steps - 1) / steps if not align_corners else r)
    base = np.empty((size[0],) + spatial + (nd + 1,), dtype=xp_dtype)
    for k in range(nd):                 # coordinate k varies along spatial dim nd - 1 - k
        shape = [1] * nd
        shape[nd - 1 - k] = spatial[nd - 1 - k]
        base[..., k] = axes[nd - 1 - k].reshape(shape)
    base[..., nd] = 1
    return wrap(xp_of(theta._data).asarray(base))


@derivative
def AffineGridGeneratorBackward0(node, grad):
    size, align_corners = node.params
    base = _base_grid(grad, size, align_corners)
    n, nd = size[0], len(size) - 2
    flat = base.reshape(n, -1, nd + 1)
    return bmm(flat.transpose(1, 2), grad.reshape(n, -1, nd)).transpose(1, 2)


@export("torch")
def affine_grid_generator(theta, size, align_corners):
    """The (N, *spatial, nd) grid of base coordinates mapped by the affine matrices theta
    (N, nd, nd + 1)."""
    size = [int(s) for s in size]
    n, nd = size[0], len(size) - 2
    with no_grad():
        base = _base_grid(theta, size, align_corners).reshape(n, -1, nd + 1)
        grid = bmm(base, theta.transpose(1, 2))
    out = wrap(grid._data.reshape(tuple(size[:1]) + tuple(size[2:]) + (nd,)))
    return record_if(AffineGridGeneratorBackward0, out, (theta,), (size, bool(align_corners)))


@export("F")
def affine_grid(theta, size, align_corners=None):
    """The sampling grid (N, H, W, 2) or (N, D, H, W, 3) of the affine maps theta (N, 2, 3) or
    (N, 3, 4) for an output of size (N, C, H, W) or (N, C, D, H, W)."""
    align_corners = _default_align_corners(align_corners)
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    shape = tuple(theta.shape)
    if len(size) == 4:
        if theta.ndim != 3 or shape[-2] != 2 or shape[-1] != 3:
            raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {theta.shape}.")
    elif len(size) == 5:
        if theta.ndim != 3 or shape[-2] != 3 or shape[-1] != 4:
            raise ValueError(f"Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {theta.shape}.")
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    if align_corners and min(size[-(len(size) - 2):]) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size "
                      "grids when align_corners=True. This is not an intended use case of "
                      "affine_grid. See the documentation of affine_grid for details.",
                      UserWarning, stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    return affine_grid_generator(theta, size, align_corners)
