"""torch.func: composable function transforms (vmap, grad, vjp, jvp, jacrev, jacfwd, hessian,
linearize) and the functional use of modules (functional_call, stack_module_state).

tshell has no functorch levels or batching rules: vmap loops over the samples (vmap.py) and
the autograd transforms trace the function on tshell's engine (transforms.py); results,
shapes and autograd through them are PyTorch's.
"""
from __future__ import annotations

import importlib

from .rearrange import rearrange
from .stateless import functional_call, stack_module_state
from .transforms import (grad, grad_and_value, hessian, jacfwd, jacrev, jvp, linearize,
                         vjp)
from .vmap import vmap

__all__ = ["grad", "grad_and_value", "vmap", "replace_all_batch_norm_modules_",
           "functionalize", "hessian", "jacfwd", "jacrev", "jvp", "linearize", "vjp",
           "functional_call", "stack_module_state", "debug_unwrap", "rearrange"]

_REMOVE = ("mutations", "mutations_and_views")


def functionalize(func, *, remove="mutations"):
    """functionalize is a transform that can be used to remove (intermediate) mutations and
    aliasing from a function, while preserving the function's semantics (tshell runs the
    function as it is: its results and its effects on the inputs are the same)."""
    if remove not in _REMOVE:
        raise RuntimeError(
            f"functionalize(f, remove='mutations'): received invalid argument for "
            f"remove={remove}. Valid options are:\n     remove='mutations': all inplace and "
            "out= operators will be removed from the program, and replaced with their "
            "out-of-place equivalents.\n     remove='mutations_and_views': In addition to the "
            "above, all aliasing operators {view} will be replaced with their non-aliasing "
            "counterparts, {view}_copy.\n")

    def wrapped(*args, **kwargs):
        return func(*args, **kwargs)
    wrapped.__name__ = wrapped.__qualname__ = getattr(func, "__name__", "wrapped")
    return wrapped


def debug_unwrap(tensor, *, recurse=True):
    """Unwraps a functorch tensor (e.g. BatchedTensor, GradTrackingTensor) to its underlying
    tensor: tshell's transforms wrap nothing, so the tensor itself."""
    return tensor


def replace_all_batch_norm_modules_(root):
    """In place updates root by setting the running_mean and running_var to be None and
    setting track_running_stats to be False for any nn.BatchNorm module in root."""
    # torch.nn is imported on first use (its start-up cost): root is a module, so it is loaded
    batchnorm = importlib.import_module("tshell.core.nn.modules.batchnorm")
    for module in root.modules():
        if isinstance(module, batchnorm._BatchNorm) and module.track_running_stats:
            module.running_mean = None
            module.running_var = None
            module.num_batches_tracked = None
            module.track_running_stats = False
    return root
