"""pixel_shuffle and pixel_unshuffle: channels traded for resolution (each the other's
derivative, so higher orders work)."""
from __future__ import annotations

from ..autograd import derivative
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap


def _check(input, factor, name, what):
    if input.ndim < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input "
                           f"with {input.ndim} dimension(s)")
    if factor <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {factor}")


def _rearranged(input, shape, perm, out_shape, node_cls, factor):
    xd = input._data
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
