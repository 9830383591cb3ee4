"""torch.compile, run eagerly: what PyTorch's backend="eager" does.

tshell interprets a program statement by statement, with no graph capture to compile; so
torch.compile checks its arguments as PyTorch 2.13 does (mode, backend, options, dynamic)
and returns the model: an nn.Module wrapped in an OptimizedModule (PyTorch's wrapper, with
its `_orig_mod.` state_dict keys and attribute forwarding), a function wrapped in a function
that calls it. Outputs, gradients and printed values are the uncompiled model's, which is
what a compiled model computes in PyTorch too (up to kernel rounding).

(This module is not named compile.py: the package attribute tshell.core.compile must stay
the function, which an import of a module of that name would replace.)
"""
from __future__ import annotations

from .autograd import derivative
from .registry import export
from .tensor import Tensor, record_if, wrap

MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
# torch._dynamo.list_backends(None) in PyTorch 2.13: the backend names torch.compile knows.
BACKENDS = (
    "aot_eager", "aot_eager_decomp_partition", "aot_eager_decomp_partition_crossref",
    "aot_eager_decomp_partition_with_mode", "aot_eager_default_partitioner", "aot_ts",
    "cudagraphs", "dynamo_accuracy_minifier_backend", "dynamo_minifier_backend", "eager",
    "eager_debug", "eager_noexcept", "inductor", "invoke_subgraph", "openxla", "openxla_eval",
    "pre_dispatch_eager", "ts", "tvm")
LISTED_BACKENDS = ["cudagraphs", "inductor", "openxla", "tvm"]   # list_backends()'s default


class InvalidBackend(RuntimeError):
    """torch._dynamo.exc.InvalidBackend: an unknown backend name."""


InvalidBackend.__module__ = "tshell.core._dynamo.exc"


@export("torch")
def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, name=None, disable=False, recompile_limit=None,
            isolate_recompiles=False, shapes_spec=None):
    """model run eagerly (see the module's docstring); without a model, a decorator."""
    if model is None:
        def fn(model):
            if model is None:
                raise RuntimeError("Model can't be None")
            return compile(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend,
                           mode=mode, options=options, name=name, disable=disable,
                           recompile_limit=recompile_limit,
                           isolate_recompiles=isolate_recompiles, shapes_spec=shapes_spec)
        return fn
    _check_arguments(backend, mode, options, dynamic)
    if disable:
        return model
    graph_outputs = backend != "eager"
    from .nn.modules.module import Module  # start-up: nn loads at first use
    if isinstance(model, Module):
        from .nn.modules.optimized import OptimizedModule  # optimized imports this module
        return OptimizedModule(model, graph_outputs)
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {_class_text(model)} is "
                             "provided.")
    return eager_function(model, graph_outputs)


def _check_arguments(backend, mode, options, dynamic):
    """PyTorch's checks, in its order."""
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be "
                           "specified at the same time.")
    if backend == "inductor" and mode is not None and mode != "default" and mode not in MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(MODES)}")
    if isinstance(backend, str) and backend not in BACKENDS:
        raise InvalidBackend(f"Invalid backend: {backend!r}, see "
                             "`torch._dynamo.list_backends()` for available backends.")
    if dynamic is not None and not isinstance(dynamic, bool):
        raise AssertionError(f"Expected enable to be a bool, got {_class_text(dynamic)}")


def _class_text(value):
    return f"<class '{type(value).__name__}'>"


def eager_function(fn, graph_outputs=False):
    """A function that calls fn (named and documented as fn, as PyTorch's wrapper is);
    with graph_outputs, its outputs as compiled_outputs gives them."""
    def compiled(*args, **kwargs):
        out = fn(*args, **kwargs)
        return compiled_outputs(out) if graph_outputs else out
    # the names and docstring only: a program's function keeps its own attributes to itself
    for attribute in ("__name__", "__qualname__", "__doc__"):
        value = getattr(fn, attribute, None)
        if isinstance(value, str) or (attribute == "__doc__" and value is None):
            setattr(compiled, attribute, value)
    return compiled


@derivative
def CompiledFunctionBackward(node, grad):
    return (grad,)


def compiled_outputs(out):
    """The outputs of a compiled graph as PyTorch's AOTAutograd hands them back: a tensor
    that requires grad comes out of one CompiledFunction node (what its grad_fn prints;
    the backends other than "eager" compile forward and backward as one function). The
    values are the eager ones, shared, not copied."""
    if isinstance(out, Tensor):
        if not out.requires_grad or out.grad_fn is None:
            return out
        return record_if(CompiledFunctionBackward, wrap(out._data), (out,))
    if type(out) in (tuple, list):
        return type(out)(compiled_outputs(o) for o in out)
    return out
