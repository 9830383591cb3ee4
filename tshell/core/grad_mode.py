"""Grad mode: the switch every op reads before it records (torch.autograd.grad_mode).

A leaf module: it imports nothing of tshell but the registry.
"""
from __future__ import annotations

import functools

from .registry import export


class GradMode:
    """Global (per-thread) switch read by every op before it records a node."""
    enabled = True


@export("torch")
def is_grad_enabled():
    return GradMode.enabled


class _ContextClass(type):
    """type(torch.no_grad()) prints PyTorch's class path (the module stays tshell's: the
    language's sandbox and copy know tshell's classes by it)."""

    def __repr__(cls):
        return f"<class 'torch.autograd.grad_mode.{cls.__qualname__}'>"


class _GradModeContext(metaclass=_ContextClass):
    """Base of no_grad / enable_grad / set_grad_enabled: a context manager and a decorator."""

    mode = True

    def __enter__(self):
        self._prev = GradMode.enabled
        GradMode.enabled = self.mode
        return None

    def __exit__(self, *exc):
        GradMode.enabled = self._prev
        return False

    def __repr__(self):
        return f"<torch.autograd.grad_mode.{type(self).__name__} object at {hex(id(self))}>"

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            prev = GradMode.enabled
            GradMode.enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                GradMode.enabled = prev
        return wrapped


class _NoParamContext(_GradModeContext):
    """no_grad / enable_grad also decorate without parentheses (`@torch.no_grad`)."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


@export("torch")
class no_grad(_NoParamContext):
    mode = False


@export("torch")
class enable_grad(_NoParamContext):
    mode = True


@export("torch")
class set_grad_enabled(_GradModeContext):
    """Sets the mode at once (as torch does) and restores it when used as a context."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'enabled' (position 1) must be bool, "
                            f"not {type(mode).__name__}")
        self._prev = GradMode.enabled
        self.mode = mode
        GradMode.enabled = mode

    def __call__(self, fn):
        # As a decorator the mode applies inside fn only: the one set by __init__ is undone.
        GradMode.enabled = self._prev
        return super().__call__(fn)

    def __enter__(self):
        GradMode.enabled = self.mode
        return None

    def __exit__(self, *exc):
        GradMode.enabled = self._prev
        return False

    def __repr__(self):
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"


# Non-empty while an inference_mode block runs (torch.is_inference_mode_enabled): a list, not
# a class attribute, because making a tensor tests it (tensor.wrap) and a module global's
# truth is several times cheaper to test than a class attribute's.
INFERENCE_MODE = []


INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")
INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.")
INFERENCE_REQUIRES_GRAD = ("Setting requires_grad=True on inference tensor outside "
                           "InferenceMode is not allowed.")
INFERENCE_VERSION = "Inference tensors do not track version counter."


class InferenceVersion(list):
    """The version counter of inference tensors, which have none: a tensor made in
    inference_mode holds the one instance, and its views share it, as views share a counter.
    Being saved for backward reads a tensor's version: reading this one is PyTorch's error,
    so recording an op that saves an inference tensor refuses it with no test of its own."""

    def __getitem__(self, index):
        raise RuntimeError(INFERENCE_SAVED)

    def written(self):
        """An in-place write into an inference tensor: no version to bump, and refused
        outside inference mode."""
        if not INFERENCE_MODE:
            raise RuntimeError(INFERENCE_INPLACE)


INFERENCE = InferenceVersion([0])


@export("torch")
class inference_mode(no_grad):
    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return object.__new__(cls)
        return cls()(mode)           # @torch.inference_mode without parentheses

    def __init__(self, mode=True):
        self._inference = mode
        self.mode = not mode         # grad mode inside: inference_mode(False) enables grad

    def __enter__(self):
        self._prev_inference = INFERENCE_MODE[:]
        INFERENCE_MODE[:] = [True] if self._inference else []
        return super().__enter__()

    def __exit__(self, *exc):
        INFERENCE_MODE[:] = self._prev_inference
        return super().__exit__(*exc)

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with inference_mode(self._inference):
                return fn(*args, **kwargs)
        return wrapped
