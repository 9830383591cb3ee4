"""tshell's tensor + autograd core: a torch-shaped library over NumPy (and CuPy).

`import tshell.core as torch` gives the torch surface of docs/language.md. Nothing here
imports lark, rich or prompt_toolkit.
"""
from __future__ import annotations

import builtins as _builtins
import importlib as _importlib
from types import SimpleNamespace as _NS

from . import accelerator, cuda, methods as _methods, random as _random  # noqa: F401 (methods binds Tensor's methods)
from . import autograd_public as autograd   # torch.autograd: the engine's public surface
from . import registry as _registry
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .device import device, get_default_device, set_default_device
from .dtypes import (bfloat16, bool_ as bool, complex64, complex128, dtype, float16, float32,
                     float64, get_default_dtype, int8, int16, int32, int64, promote_types,
                     set_default_dtype, uint8)
from .limits import set_max_memory
from .ops.conversion import detach
from .ops.creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                           linspace, logspace, ones, ones_like, scalar_tensor, tensor, zeros,
                           zeros_like)
from .ops.creation import range_ as range
from .ops.indexing import (argwhere, gather, index_select, masked_fill, masked_select, nonzero,
                           select)
from .ops.indexing import (diagonal_scatter, index_add, index_copy, index_fill, index_put,
                           index_put_, masked_scatter, narrow_copy, put, scatter, scatter_add,
                           scatter_reduce, select_scatter, slice_scatter, take, take_along_dim)
from .ops.linalg import addmm, bmm, dot, ger, inner, matmul, mm, mv, outer
from .ops import conv as _conv_ops, nn as _nn_ops, pixel as _pixel_ops, rnn as _rnn_ops
from .ops.nn import log_softmax, softmax
from .ops.reduction import (all, amax, amin, any, argmax, argmin, count_nonzero, cumprod, cumsum,
                            logsumexp, max, mean, min, norm, prod, return_types, sort, argsort, std,
                            sum, topk, var)
from .ops.shape import (broadcast_to, cat, chunk, clone, concat, concatenate, expand, flatten,
                        flip, hstack, movedim, narrow, permute, repeat, reshape, roll, split,
                        squeeze, stack, swapaxes, swapdims, t, transpose, unbind, unflatten,
                        unsqueeze, view_as, vstack)
from .ops.shape import (atleast_1d, atleast_2d, atleast_3d, broadcast_shapes, broadcast_tensors,
                        column_stack, diag, diag_embed, diagonal, dstack, fliplr, flipud, meshgrid,
                        moveaxis, ravel, repeat_interleave, rot90, tensor_split, tile, tril, triu)
from .ops.linalg import cholesky_inverse, cross, det, einsum, inverse, kron, tensordot, trace
from .ops import linalg as _linalg_ops
from .printing import get_printoptions, set_printoptions
from .random import (Generator, bernoulli, initial_seed, manual_seed, normal, rand, rand_like,
                     randint, randint_like, randn, randn_like, randperm, seed)
from .random import (_dirichlet_grad, _sample_dirichlet, _standard_gamma, _standard_gamma_grad,
                     binomial, multinomial, poisson)
from .tensor import Size, Tensor
from . import distributions, utils  # noqa: F401 (torch.distributions, torch.utils.data)
from .ops.reduction import (aminmax, bincount, bucketize, cummax, cummin, diff, histc, isin,
                            kthvalue, logcumsumexp, median, mode, nanmean, nanmedian, nansum,
                            searchsorted, std_mean, unique, unique_consecutive, var_mean)

# Short dtype aliases, as torch has them.
float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = complex64
cdouble = complex128

__version__ = "2.13.0+tshell"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


# serialization is imported on first use: its formats (zip, pickle, json) are start-up cost
# that programs which never touch a file should not pay.
def save(obj, f, **options):
    """Save obj to f: .npy/.npz/.csv/.txt/.safetensors by suffix, else PyTorch's format."""
    from .serialization import save as _save
    return _save(obj, f, **options)


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load what save (or PyTorch's torch.save, or safetensors) wrote; never runs code."""
    from .serialization import load as _load
    return _load(f, map_location, pickle_module, weights_only=weights_only, mmap=mmap,
                 **pickle_load_args)


# The torch.NAME forms some nn.functional functions also have (torch.conv2d, torch.selu,
# torch.lstm_cell...): each op module's TORCH_LEVEL table.
for _ops in (_nn_ops, _conv_ops, _pixel_ops, _rnn_ops):
    globals().update(_ops.TORCH_LEVEL)


def __getattr__(name):
    """torch.nn, imported on first use: its forty modules would add a tenth to the start-up
    of every program (tshell.lang builds its torch.nn namespace lazily too)."""
    if name == "nn":      # (the import binds tshell.core.nn: later lookups do not come here)
        return _importlib.import_module(".nn", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

linalg = _NS(cross=_linalg_ops.linalg_cross, inv=_linalg_ops.inv, det=_linalg_ops.det,
             cholesky=_linalg_ops.cholesky, cholesky_ex=_linalg_ops.cholesky_ex,
             solve_triangular=_linalg_ops.solve_triangular)
special = _NS()

# The names the op modules declare (registry.export), over the lists above.
globals().update(_registry.exports("torch"))
globals().update({_n + "_": getattr(Tensor, _n + "_") for _n in _registry.exports("torch_")})
for _place in ("linalg", "special"):
    vars(globals()[_place]).update(_registry.exports(_place))
if _registry.exports("fft"):
    fft = _NS(**_registry.exports("fft"))

from . import optim  # noqa: E402 (its optimizers are written with the ops bound above)

# The public names: everything but the implementation's modules (autograd, cuda, utils,
# distributions, accelerator, optim and nn are namespaces of torch too).
__all__ = [n for n, v in list(globals().items())
           if not n.startswith("_") and n != "annotations"
           and (not isinstance(v, type(_builtins))
                or n in ("autograd", "cuda", "utils", "distributions", "accelerator",
                         "optim"))] + ["nn"]


def _tidy_names():
    """Functions made by factories report their own name in Python's argument errors."""
    for obj in list(globals().values()) + list(vars(Tensor).values()):
        if callable(obj) and "<locals>" in getattr(obj, "__qualname__", ""):
            try:
                obj.__qualname__ = obj.__name__
            except (AttributeError, TypeError):
                pass


_tidy_names()
