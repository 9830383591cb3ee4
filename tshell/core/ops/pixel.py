"""pixel_shuffle and pixel_unshuffle: channels traded for resolution (each the other's
derivative, so higher orders work); channel_shuffle: channels interleaved across groups."""
from __future__ import annotations

from ..autograd import derivative
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, without_derivative


def _check(input, factor, name, what):
    if input.ndim < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input "
                           f"with {input.ndim} dimension(s)")
    if factor <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {factor}")


def _rearranged(input, shape, perm, out_shape, node_cls, factor):
    xd = dense(input)
    lead = xd.shape[:-3]
    n = len(lead)
    data = xd.reshape(lead + shape).transpose(tuple(range(n)) + tuple(n + p for p in perm))
    r = wrap(xp_of(xd).ascontiguousarray(data).reshape(lead + out_shape))
    return record_if(node_cls, r, (input,), (factor,))


@derivative
def PixelShuffleBackward0(node, grad):
    return pixel_unshuffle(grad, node.params[0])


@derivative
def PixelUnshuffleBackward0(node, grad):
    return pixel_shuffle(grad, node.params[0])


@export("torch", "F")
def pixel_shuffle(input, upscale_factor):
    """(*, C r², H, W) -> (*, C, H r, W r)."""
    _check(input, upscale_factor, "pixel_shuffle", "upscale_factor")
    r = upscale_factor
    c, h, w = input.shape[-3:]
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    oc = c // (r * r)
    return _rearranged(input, (oc, r, r, h, w), (0, 3, 1, 4, 2), (oc, h * r, w * r),
                       PixelShuffleBackward0, r)


@export("torch", "F")
def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r², H, W)."""
    _check(input, downscale_factor, "pixel_unshuffle", "downscale_factor")
    r = downscale_factor
    c, h, w = input.shape[-3:]
    for size, dim, what in ((h, -2, "height"), (w, -1, "width")):
        if size % r:
            raise RuntimeError(f"pixel_unshuffle expects {what} to be divisible by "
                               f"downscale_factor, but input.size({dim})={size} is not "
                               f"divisible by {r}")
    oh, ow = h // r, w // r
    return _rearranged(input, (c, oh, r, ow, r), (0, 2, 4, 1, 3), (c * r * r, oh, ow),
                       PixelUnshuffleBackward0, r)


@derivative
def ChannelShuffleBackward0(node, grad):
    return channel_shuffle(grad, grad.shape[1] // node.params[0])


def _shuffled(input, groups):
    """Channels (N, g * k, *) reordered as (N, k * g, *): group i's j-th channel goes to place
    j * g + i."""
    if input.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with "
                           f"sizes {list(input.shape)}")
    c = input.shape[1]
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    xd = dense(input)
    n, rest = xd.shape[0], xd.shape[2:]
    data = xd.reshape((n, groups, c // groups) + rest).swapaxes(1, 2)
    return wrap(xp_of(xd).ascontiguousarray(data).reshape(xd.shape))


@export("torch", "F")
def channel_shuffle(input, groups):
    """(N, C, *) with its C channels, split in `groups` groups, interleaved group by group."""
    return record_if(ChannelShuffleBackward0, _shuffled(input, groups), (input,), (groups,))


@export("torch", "F")
def native_channel_shuffle(input, groups):
    """channel_shuffle as ATen's native op, which has no derivative (its node is
    NotImplemented)."""
    return without_derivative(_shuffled(input, groups), (input,), "native_channel_shuffle")
