"""torch.compiler: the compiler's public switches, for a tshell that runs every program
eagerly (torch_compile.py): nothing is ever being compiled, traced or exported, and the
decorators that steer graph capture return their function unchanged."""
from __future__ import annotations

from .nn.modules.optimized import OptimizedModule   # noqa: F401 (runtime.LIBRARY_PRIVATE)
from .torch_compile import LISTED_BACKENDS, compile, eager_function

__all__ = ["compile", "reset", "is_compiling", "is_dynamo_compiling", "is_exporting",
           "disable", "allow_in_graph", "assume_constant_result", "list_backends",
           "cudagraph_mark_step_begin", "nested_compile_region"]


def reset():
    """Clears the compile caches: tshell keeps none."""


def is_compiling():
    """Whether a torch.compile trace is running: never, in tshell."""
    return False


def is_dynamo_compiling():
    return False


def is_exporting():
    return False


def disable(fn=None, recursive=True, *, reason=None):
    """Excludes fn from compilation: a function that calls fn (everything runs eagerly)."""
    if fn is None:
        return lambda f: disable(f, recursive, reason=reason)
    return eager_function(fn)


def allow_in_graph(fn):
    """Lets fn into the traced graph as it is: fn itself (nothing is traced)."""
    return fn


def assume_constant_result(fn):
    return fn


def nested_compile_region(fn=None, options=None):
    if fn is None:
        return lambda f: f
    return fn


def list_backends(exclude_tags=("debug", "experimental")):
    """The backends torch.compile lists by default (PyTorch 2.13's)."""
    return list(LISTED_BACKENDS)


def cudagraph_mark_step_begin():
    """Marks a new iteration for CUDA graphs: tshell records none."""
