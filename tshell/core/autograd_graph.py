"""torch.autograd.graph as programs see it: the graph's Node class and the hooks on the
tensors the graph saves for backward (saved_tensors_hooks, save_on_cpu,
disable_saved_tensors_hooks), PyTorch 2.13's behaviour and messages.

Under saved_tensors_hooks(pack_hook, unpack_hook), each tensor an op saves for backward is
stored as pack_hook(tensor) (graph.pack_saves, in PyTorch's order) and unpack_hook gives it
back at every read: in backward, and through `grad_fn._saved_self` and the like.
"""
from __future__ import annotations

from . import graph
from .graph import Node
from .grad_mode import INFERENCE
from .tensor import Tensor

__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks",
           "increment_version"]


class saved_tensors_hooks:
    """Within it, the tensors saved for backward go through pack_hook, and come back from
    unpack_hook(what pack_hook returned) when read."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __repr__(self):
        return f"<torch.autograd.graph.{type(self).__name__} object at {id(self):#x}>"

    def __enter__(self):
        if graph.HOOKS_DISABLED:
            raise RuntimeError(graph.HOOKS_DISABLED[-1])
        graph.SAVED_TENSORS_HOOKS.append((self.pack_hook, self.unpack_hook))

    def __exit__(self, *exc):
        graph.SAVED_TENSORS_HOOKS.pop()


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors kept on the CPU and moved back to their device when read (pin_memory
    has no effect without CUDA, as in PyTorch)."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        def pack_to_cpu(tensor):
            return tensor.device, tensor.cpu()

        def unpack_from_cpu(packed):
            device, tensor = packed
            return tensor.to(device, non_blocking=pin_memory)

        super().__init__(pack_to_cpu, unpack_from_cpu)


class disable_saved_tensors_hooks:
    """Within it, entering saved_tensors_hooks raises RuntimeError(error_message)."""

    def __init__(self, error_message):
        self.error_message = error_message

    def __enter__(self):
        graph.HOOKS_DISABLED.append(self.error_message)

    def __exit__(self, *exc):
        graph.HOOKS_DISABLED.pop()


def increment_version(tensor):
    """Bump the version counter of a tensor (or of each of a list of them), as an in-place
    change would, so that autograd refuses a saved value that was modified behind its back.
    An inference tensor has no counter: nothing happens to it."""
    for t in (tensor,) if isinstance(tensor, Tensor) else tensor:
        if t._ver is not INFERENCE:
            t._bump()
