"""Hooks for every module (torch.nn.modules.module.register_module_forward_hook & co.): they
run at each module call before the module's own hooks of the same kind, as PyTorch's
_global_* tables do; meant for debugging and profiling a whole model."""
from __future__ import annotations

from collections import OrderedDict

from ...graph import RemovableHandle

__all__ = ["register_module_forward_pre_hook", "register_module_forward_hook",
           "register_module_full_backward_pre_hook", "register_module_full_backward_hook",
           "register_module_backward_hook"]

# Every global hook, by handle id: Module.__call__ tests this one table for "any global hook".
ALL = OrderedDict()
# Which of ALL's ids are which kind of hook (ids leave these when their handle is removed).
FORWARD_PRE = OrderedDict()
FORWARD = OrderedDict()
FORWARD_WITH_KWARGS = OrderedDict()
FORWARD_ALWAYS_CALLED = OrderedDict()
BACKWARD_PRE = OrderedDict()
BACKWARD = OrderedDict()


def _register(kind, hook, *flags):
    handle = RemovableHandle(ALL, hook, (kind, *flags))
    kind[handle._id] = True
    return handle


def hooks_of(kind):
    """(id, hook) of the global hooks of one kind, in the order they were registered."""
    return [(i, h) for i, h in ALL.items() if i in kind] if kind else []


def register_module_forward_pre_hook(hook):
    """hook(module, args) -> None or new args, before every module's forward."""
    return _register(FORWARD_PRE, hook)


def register_module_forward_hook(hook, *, with_kwargs=False, always_call=False):
    """hook(module, args, output) -> None or a new output, after every module's forward;
    with_kwargs: hook(module, args, kwargs, output); always_call: also when forward raised."""
    handle = _register(FORWARD, hook, FORWARD_WITH_KWARGS, FORWARD_ALWAYS_CALLED)
    if with_kwargs:
        FORWARD_WITH_KWARGS[handle._id] = True
    if always_call:
        FORWARD_ALWAYS_CALLED[handle._id] = True
    return handle


def register_module_full_backward_pre_hook(hook):
    """hook(module, grad_output) -> None or new grad_output, for every module."""
    return _register(BACKWARD_PRE, hook)


def register_module_full_backward_hook(hook):
    """hook(module, grad_input, grad_output) -> None or new grad_input, for every module."""
    return _register(BACKWARD, hook)


def register_module_backward_hook(hook):
    raise NotImplementedError("register_module_backward_hook (the deprecated non-full "
                              "backward hook) is not provided in tshell; use "
                              "register_module_full_backward_hook")
