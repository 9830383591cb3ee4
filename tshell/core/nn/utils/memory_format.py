"""convert_conv2d_weight_memory_format / convert_conv3d_weight_memory_format: the weights
of a model's (transposed) convolutions, recursively, re-laid in a memory format
(torch.channels_last...)."""
from __future__ import annotations

from ..modules.conv import Conv2d, Conv3d, ConvTranspose2d, ConvTranspose3d

__all__ = ["convert_conv2d_weight_memory_format", "convert_conv3d_weight_memory_format"]


def _convert(module, memory_format, kinds):
    if isinstance(module, kinds):
        weight = module.weight.detach().clone(memory_format=memory_format)
        module.weight.data = weight.resize_(weight.size(), memory_format=memory_format)
    for child in module.children():
        _convert(child, memory_format, kinds)
    return module


def convert_conv2d_weight_memory_format(module, memory_format):
    """Conv2d and ConvTranspose2d weights in memory_format; returns module."""
    return _convert(module, memory_format, (Conv2d, ConvTranspose2d))


def convert_conv3d_weight_memory_format(module, memory_format):
    """Conv3d and ConvTranspose3d weights in memory_format; returns module."""
    return _convert(module, memory_format, (Conv3d, ConvTranspose3d))
