"""torch.nn.utils: gradient clipping, parameters as one vector, utils.rnn, utils.prune and
utils.parametrize."""
from __future__ import annotations

from . import parametrize, prune, rnn
from .clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = ["parametrize", "prune", "rnn", "clip_grad_norm", "clip_grad_norm_",
           "clip_grad_value_",
           "parameters_to_vector", "vector_to_parameters"]
SUBMODULES = ("parametrize", "prune")       # torch.nn.utils.prune..., for tsh code
