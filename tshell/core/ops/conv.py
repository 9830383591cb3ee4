"""Convolution, pooling, padding and normalisation layers as functions (nn.functional)."""
from __future__ import annotations

# torch.nn.functional's names for this module's functions (tshell/core/__init__.py builds
# the namespace), and the torch.NAME forms PyTorch also has.
FUNCTIONAL: dict = {}
TORCH_LEVEL: dict = {}
