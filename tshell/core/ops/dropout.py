"""Dropout (torch.nn.functional and the torch.NAME forms): dropout of elements, and of whole
channels (dropout1d/2d/3d, feature_dropout), as input times a random mask; alpha dropout
(SELU's: dropped values set to the negative saturation, then an affine map keeping mean and
variance); native_dropout, which also returns its mask."""
from __future__ import annotations

import math
import warnings

from ..autograd import derivative
from ..dtypes import bool_
from ..random import bernoulli_
from ..registry import export
from ..tensor import Tensor, record_if, wrap
from .creation import empty, ones, zeros

# SELU's scale times alpha: -alpha' is where alpha dropout sends the dropped values.
_SELU_ALPHA = 1.7580993408473766


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _check_input(input, fn):
    if not isinstance(input, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")


def _dropout(input, p, training, inplace, noise_shape, alpha=False):
    """input * noise, noise holding 0 (probability p) or 1 / (1 - p) in input's dtype, of
    noise_shape (broadcast over the rest: whole channels for feature dropout), as ATen's
    _dropout_impl computes it (grad_fn MulBackward0); alpha dropout adds b after the product
    (AddBackward0)."""
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        noise = zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(noise) if inplace else input * noise
    keep = _keep_mask(noise_shape, input.dtype, input.device, 1 - p)
    if not alpha:
        noise = keep / (1 - p)
        return input.mul_(noise) if inplace else input * noise
    a = 1.0 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
    b = (keep - 1) * (_SELU_ALPHA * a) + _SELU_ALPHA * a * p
    noise = keep * a
    return input.mul_(noise).add_(b) if inplace else (input * noise).add_(b)


def _keep_mask(shape, dtype, device, keep):
    """ATen's noise: empty(shape).bernoulli_(1 - p), 1 where an element is kept (a double
    uniform below 1 - p), in the given dtype."""
    return bernoulli_(empty(shape, dtype=dtype, device=device), keep)


def _feature_shape(input):
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return input.shape[:2] + (1,) * (input.ndim - 2)


@export("F")
def dropout(input, p=0.5, training=True, inplace=False):
    """In training, zero each element with probability p and scale the others by 1/(1-p)."""
    _check_p(p)
    _check_input(input, "dropout")
    return _dropout(input, p, training, inplace, input.shape)


def _feature_dropout(input, p, training, inplace):
    """Whole channels (dim 1, all positions of a sample and channel) zeroed at once."""
    _check_input(input, "feature_dropout")
    return _dropout(input, p, training, inplace, _feature_shape(input))


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


@export("F")
def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) input with probability p."""
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and "
            "will result in an error in a future release. To retain the behavior and silence "
            "this warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    if input.ndim == 5:
        return _feature_dropout(input, p, training, inplace)
    if inplace:
        return _feature_dropout(input.unsqueeze_(0), p, training, inplace).squeeze_(0)
    return _feature_dropout(input.unsqueeze(0), p, training, inplace).squeeze(0)


@export("F")
def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout (for SELU networks): dropped elements go to SELU's negative saturation
    and an affine map keeps the mean and variance."""
    _check_p(p)
    _check_input(input, "alpha_dropout")
    return _dropout(input, p, training, inplace, input.shape, alpha=True)


@export("F")
def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels (dim 1)."""
    _check_p(p)
    _check_input(input, "feature_alpha_dropout")
    return _dropout(input, p, training, inplace, _feature_shape(input), alpha=True)


# ---- the torch.NAME forms (ATen's: p and train required, p checked there) --------------------

def _aten(feature, alpha, inplace):
    """torch.[feature_][alpha_]dropout[_](input, p, train)."""
    def op(input, p, train):
        if p < 0.0 or p > 1.0:      # ATen's check: a RuntimeError
            raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
        _check_input(input, op.__name__)
        shape = _feature_shape(input) if feature else input.shape
        return _dropout(input, p, train, inplace, shape, alpha)
    op.__name__ = op.__qualname__ = (f"{'feature_' if feature else ''}"
                                     f"{'alpha_' if alpha else ''}dropout{'_' if inplace else ''}")
    op.__doc__ = (f"torch.{op.__name__}(input, p, train): "
                  f"{'whole channels' if feature else 'elements'} dropped with probability p"
                  f"{', alpha dropout' if alpha else ''}{', in place' if inplace else ''}.")
    return export(f"torch.{op.__name__}")(op)


for _feature in (False, True):
    for _alpha in (False, True):
        for _inplace in (False, True):
            _aten(_feature, _alpha, _inplace)


@derivative
def NativeDropoutBackward0(node, grad):
    mask, scale = node.params
    return grad * (mask.to(grad.dtype) * scale)


@export("torch")
def native_dropout(input, p, train):
    """(input * mask / (1 - p), mask): the mask a bool tensor, True where kept (all of it
    when train is False)."""
    keep = 1.0 - p
    if not 0 <= keep <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={keep}")
    if train is False:
        mask = ones(input.shape, dtype=bool_, device=input.device)
        scale = 1.0
    else:
        mask = _keep_mask(input.shape, input.dtype, input.device, keep).to(bool_)
        scale = 0.0 if keep == 0 else 1.0 / keep
    out = wrap((input._data * (mask._data * scale)).astype(input._data.dtype, copy=False))
    return record_if(NativeDropoutBackward0, out, (input,), (mask, scale)), mask
