"""Dropout (torch.nn.functional): dropout of elements, and of whole channels (dropout1d,
dropout2d), as input times a random mask."""
from __future__ import annotations

import warnings

from ..random import rand
from ..registry import export
from ..tensor import Tensor
from .creation import zeros


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _check_input(input, fn):
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")


def _dropout(input, p, training, inplace, noise_shape):
    """input * noise, noise holding 0 (probability p) or 1 / (1 - p) in input's dtype, of
    noise_shape (broadcast over the rest: whole channels for feature dropout), as ATen's
    _dropout_impl computes it (grad_fn MulBackward0)."""
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        noise = zeros((), dtype=input.dtype, device=input.device)
    else:
        keep = rand(noise_shape, device=input.device) >= p
        noise = keep.to(input.dtype) / (1 - p)
    return input.mul_(noise) if inplace else input * noise


@export("F")
def dropout(input, p=0.5, training=True, inplace=False):
    """In training, zero each element with probability p and scale the others by 1/(1-p)."""
    _check_p(p)
    _check_input(input, "dropout")
    return _dropout(input, p, training, inplace, input.shape)


def _feature_dropout(input, p, training, inplace):
    """Whole channels (dim 1, all positions of a sample and channel) zeroed at once."""
    _check_input(input, "feature_dropout")
    return _dropout(input, p, training, inplace, input.shape[:2] + (1,) * (input.ndim - 2))


@export("F")
def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) input with probability p."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    if input.ndim == 3:
        return _feature_dropout(input, p, training, inplace)
    return _feature_dropout(input.unsqueeze(0), p, training, inplace).squeeze(0)


@export("F")
def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) input with probability p."""
    _check_p(p)
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.",
            stacklevel=2)
    return _feature_dropout(input, p, training, inplace)
