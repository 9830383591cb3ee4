"""torch.nn.utils: gradient clipping, parameters as one vector, weight and spectral
normalization (hooks and parametrizations), utils.rnn, utils.prune, utils.parametrize and
utils.parametrizations."""
from __future__ import annotations

from . import parametrizations, parametrize, prune, rnn
from .clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm

__all__ = ["parametrizations", "parametrize", "prune", "rnn", "clip_grad_norm",
           "clip_grad_norm_", "clip_grad_value_", "parameters_to_vector",
           "vector_to_parameters", "remove_spectral_norm", "spectral_norm",
           "remove_weight_norm", "weight_norm"]
SUBMODULES = ("parametrizations", "parametrize", "prune")    # torch.nn.utils.prune..., for tsh
