"""torch.utils.checkpoint: activation checkpointing, PyTorch 2.13's behaviour and messages.

A checkpointed function keeps none of its intermediate results for backward; backward runs
it again. With use_reentrant=True it is one autograd Function (`CheckpointFunctionBackward`)
whose backward recomputes the function and runs a backward of its own through it. With
use_reentrant=False the graph is the function's own, but every tensor it saves is packed as a
number (autograd.graph.saved_tensors_hooks); the first unpack recomputes the function with
the same random state, and the saved tensors come from that run.
"""
from __future__ import annotations

import contextlib
import warnings

from ..autograd import backward as autograd_backward, is_checkpoint_valid
from ..autograd_function import Function
from ..autograd_graph import saved_tensors_hooks
from ..grad_mode import enable_grad, no_grad
from ..nn.modules.container import Sequential
from ..random import get_rng_state, set_rng_state
from ..tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential", "CheckpointFunction", "CheckpointError",
           "set_checkpoint_early_stop", "detach_variable", "check_backward_validity",
           "noop_context_fn"]

_IMPLICIT_REENTRANT = (
    "the use_reentrant parameter should be passed explicitly. Starting in PyTorch 2.9, "
    "calling checkpoint without use_reentrant will raise an exception. use_reentrant=False is "
    "recommended, but if you need to preserve the current default behavior, you can pass "
    "use_reentrant=True. Refer to docs for more details on the differences between the two "
    "variants.")


def noop_context_fn():
    return contextlib.nullcontext(), contextlib.nullcontext()


def detach_variable(inputs):
    """Each tensor of the tuple detached, keeping its requires_grad."""
    if not isinstance(inputs, tuple):
        raise RuntimeError("Only tuple of tensors is supported. Got Unsupported input type: "
                           f"{type(inputs).__name__}")
    out = []
    for inp in inputs:
        if isinstance(inp, Tensor):
            x = inp.detach()
            x.requires_grad = inp.requires_grad
            inp = x
        out.append(inp)
    return tuple(out)


def check_backward_validity(inputs):
    if not any(inp.requires_grad for inp in inputs if isinstance(inp, Tensor)):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None",
                      stacklevel=3)


@contextlib.contextmanager
def _random_state(state):
    """Run with the default generator at `state` (None: as it is), then put it back."""
    if state is None:
        yield
        return
    current = get_rng_state()
    set_rng_state(state)
    try:
        yield
    finally:
        set_rng_state(current)


class CheckpointFunction(Function):
    """use_reentrant=True: forward without a graph, backward by recomputing."""

    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        check_backward_validity(args)
        ctx.run_function = run_function
        ctx.rng_state = get_rng_state() if preserve_rng_state else None
        ctx.inputs = [None if isinstance(a, Tensor) else a for a in args]
        ctx.tensor_indices = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.save_for_backward(*(a for a in args if isinstance(a, Tensor)))
        with no_grad():
            return run_function(*args)

    @staticmethod
    def backward(ctx, *grads):
        if not is_checkpoint_valid():
            raise RuntimeError(
                "When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() "
                "or passing an `inputs` parameter to .backward(). To resolve this error, you can "
                "either set use_reentrant=False, or call .backward() without passing the "
                "`inputs` argument.")
        inputs = list(ctx.inputs)
        for i, t in zip(ctx.tensor_indices, ctx.saved_tensors):
            inputs[i] = t
        detached = detach_variable(tuple(inputs))
        with _random_state(ctx.rng_state), enable_grad():
            outputs = ctx.run_function(*detached)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        pairs = [(out, g) for out, g in zip(outputs, grads)
                 if isinstance(out, Tensor) and out.requires_grad]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is "
                               "not necessary")
        autograd_backward([out for out, _ in pairs], [g for _, g in pairs])
        return (None, None) + tuple(inp.grad if isinstance(inp, Tensor) else None
                                    for inp in detached)


class CheckpointError(RuntimeError):
    """The recomputation of a non-reentrant checkpoint did not save what the forward did."""


_DEBUG_TIP = """
Tip: To see a more detailed error message, either pass `debug=True` to
`torch.utils.checkpoint.checkpoint(...)` or wrap the code block
with `with torch.utils.checkpoint.set_checkpoint_debug_enabled(True):` to
enable checkpoint‑debug mode globally.

If this error occurs under torch.compile with automatic_dynamic_shapes enabled,
it may be because the recomputation selected a different compiled graph than the
forward pass (e.g., a dynamic graph instead of the original static graph).
To fix this, either:
  - Use torch._dynamo.mark_dynamic() to explicitly mark varying dimensions as
    dynamic upfront, avoiding the static-to-dynamic transition.
  - Call torch._C._dynamo.eval_frame._set_lru_cache(False) to disable LRU cache
    reordering, which can change which graph is checked first between forward
    and recompute.
See https://github.com/pytorch/pytorch/issues/166926 for more details and
workaround examples.
"""
_early_stop_override = None       # set_checkpoint_early_stop's value, while it is open


@contextlib.contextmanager
def set_checkpoint_early_stop(enable):
    """Within it, non-reentrant checkpoints stop (or do not stop) their recomputation once
    every saved tensor is recomputed, whatever their early_stop argument says."""
    global _early_stop_override
    previous = _early_stop_override
    _early_stop_override = enable
    try:
        yield
    finally:
        _early_stop_override = previous


class _StopRecomputation(Exception):
    """Raised inside the recomputation once it has recomputed every saved tensor."""


def _metadata(tensor):
    return {"shape": tensor.shape, "dtype": tensor.dtype, "device": tensor.device}


class _Recomputation:
    """use_reentrant=False: the tensors one checkpointed call saved, recomputed (once) when
    backward first reads one; with early_stop the rerun stops at the last of them."""

    def __init__(self, function, args, kwargs, rng_state, early_stop):
        self.function, self.args, self.kwargs = function, args, kwargs
        self.rng_state = rng_state
        self.early_stop = early_stop
        self.metadata = []              # of each tensor the forward saved
        self.saved = None

    def pack(self, tensor):
        self.metadata.append(_metadata(tensor))
        return len(self.metadata) - 1

    def unpack(self, index):
        if self.saved is None:
            self.saved = self._recompute()
        return self.saved[index]

    def _recompute(self):
        saved, count = [], len(self.metadata)

        def keep(tensor):
            if len(saved) == count:
                raise CheckpointError("torch.utils.checkpoint: trying to save more tensors "
                                      "during recomputation than during the original forward "
                                      f"pass.\n{_DEBUG_TIP}")
            saved.append(tensor)
            if self.early_stop and len(saved) == count:
                raise _StopRecomputation
            return len(saved) - 1

        try:
            with _random_state(self.rng_state), enable_grad(), \
                    saved_tensors_hooks(keep, saved.__getitem__):
                self.function(*detach_variable(self.args), **self.kwargs)
        except _StopRecomputation:
            pass
        self._check(saved)
        return saved

    def _check(self, saved):
        if len(saved) != len(self.metadata):
            raise CheckpointError(
                "torch.utils.checkpoint: A different number of tensors was saved during the "
                "original forward and recomputation.\nNumber of tensors saved during forward: "
                f"{len(self.metadata)}\nNumber of tensors saved during recomputation: "
                f"{len(saved)}.\n{_DEBUG_TIP}")
        different = "".join(
            f"tensor at position {i}:\nsaved metadata: {meta}\nrecomputed metadata: "
            f"{_metadata(t)}\n" for i, (meta, t) in enumerate(zip(self.metadata, saved))
            if meta != _metadata(t))
        if different:
            raise CheckpointError(
                "torch.utils.checkpoint: Recomputed values for the following tensors have "
                f"different metadata than during the forward pass.\n{different}.\n{_DEBUG_TIP}")


def checkpoint(function, *args, use_reentrant=None, context_fn=noop_context_fn,
               determinism_check="default", debug=False, early_stop=True, **kwargs):
    """function(*args), keeping none of its intermediate results for backward (which runs
    function again)."""
    if use_reentrant is None:
        warnings.warn("torch.utils.checkpoint: " + _IMPLICIT_REENTRANT, stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if use_reentrant:
        if context_fn is not noop_context_fn or debug is not False:
            raise ValueError("Passing `context_fn` or `debug` is only supported when "
                             "use_reentrant=False.")
        return CheckpointFunction.apply(function, preserve, *args)
    stop = early_stop if _early_stop_override is None else _early_stop_override
    recomputation = _Recomputation(function, args, kwargs,
                                   get_rng_state() if preserve else None, stop)
    forward_context, _ = context_fn()
    with forward_context, saved_tensors_hooks(recomputation.pack, recomputation.unpack):
        return function(*args, **kwargs)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run the modules (or functions) in order, checkpointing all segments but the last."""
    if use_reentrant is None:
        warnings.warn(
            "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should "
            "be passed explicitly. In version 2.9 we will raise an exception if use_reentrant "
            "is not passed. use_reentrant=False is recommended, but if you need to preserve "
            "the current default behavior, you can pass use_reentrant=True. Refer to docs for "
            "more details on the differences between the two variants.", stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))

    def run_function(start, end, functions):
        def forward(input):
            for j in range(start, end + 1):
                input = functions[j](input)
            return input
        return forward

    if isinstance(functions, Sequential):
        functions = list(functions.children())
    segment_size = len(functions) // segments
    end = -1
    for start in range(0, segment_size * (segments - 1), segment_size):
        end = start + segment_size - 1
        input = checkpoint(run_function(start, end, functions), input,
                           use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run_function(end + 1, len(functions) - 1, functions)(input)
