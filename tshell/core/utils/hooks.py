"""torch.utils.hooks: the marking of tensor hooks that are not meant to be serialized
(unserializable_hook, warn_if_has_hooks), as PyTorch 2.13.

RemovableHandle, what every register_*hook returns, is tshell.core.graph's class; it carries
PyTorch's __module__ (torch.utils.hooks, which programs compare), and the sandbox audit
lets no class with a foreign __module__ be reached as a value, so programs get its instances
but not the class itself (not in __all__)."""
from __future__ import annotations

import warnings

__all__ = ["unserializable_hook", "warn_if_has_hooks"]

# The hooks marked by unserializable_hook. PyTorch sets an attribute on the function; a
# tsh function has no attribute table, so the mark is kept here (with the function, so
# that its id is not reused).
_UNSERIALIZABLE: dict = {}


def unserializable_hook(f):
    """Mark f as a hook that serializing its tensor need not warn about."""
    _UNSERIALIZABLE[id(f)] = f
    return f


def _tensor_hooks(tensor) -> list:
    """The hooks register_hook put on tensor, in registration order."""
    if tensor._fn is None:
        watch, nr = tensor._leaf_watch, 0
    else:
        watch, nr = tensor._fn._watch, tensor._nr
    return [] if watch is None else list(watch.hooks.get(nr, {}).values())


def warn_if_has_hooks(tensor):
    """Warn for each backward hook of tensor that was not marked unserializable."""
    for hook in _tensor_hooks(tensor):
        if _UNSERIALIZABLE.get(id(hook)) is not hook:
            warnings.warn(f"backward hook {hook!r} on tensor will not be serialized.  If "
                          "this is expected, you can decorate the function with "
                          "@torch.utils.hooks.unserializable_hook to suppress this warning",
                          stacklevel=2)
