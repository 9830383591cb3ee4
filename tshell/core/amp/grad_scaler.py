"""torch.amp.GradScaler: loss scaling for mixed-precision training, with PyTorch's defaults
and order of checks (torch/amp/grad_scaler.py): scale the loss, unscale the gradients and
look for inf/NaN, skip the optimizer's step when there is one, grow the scale after
growth_interval clean steps or back it off at once."""
from __future__ import annotations

import enum
import warnings

from .. import dtypes
from .. import cuda
from ..ops.creation import full
from ..tensor import Tensor
from ..grad_mode import no_grad
from ..registry import export
from .autocast_mode import TorchPathClass

__all__ = ["OptState", "GradScaler"]

_FIX = ("This may indicate your script did not use scaler.scale(loss or outputs) earlier in "
        "the iteration.")


class OptState(enum.Enum):
    READY = 0
    UNSCALED = 1
    STEPPED = 2


def _fresh_state():
    return {"stage": OptState.READY, "found_inf_per_device": {}}


@export("torch")
class GradScaler(metaclass=TorchPathClass):
    """GradScaler(device='cuda', init_scale=2.**16, growth_factor=2.0, backoff_factor=0.5,
    growth_interval=2000, enabled=True)."""

    def __init__(self, device="cuda", init_scale=2.0 ** 16, growth_factor=2.0,
                 backoff_factor=0.5, growth_interval=2000, enabled=True):
        self._amp_device = device
        self._amp_enabled = enabled
        if device == "cuda" and enabled and not _cuda_available():
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                          "Disabling.", stacklevel=2)
            self._amp_enabled = False
        if self._amp_enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
            self._amp_init_scale = init_scale
            self._amp_scale = None
            self._amp_growth_factor = growth_factor
            self._amp_backoff_factor = backoff_factor
            self._amp_growth_interval = growth_interval
            self._amp_init_tracker = 0
            self._amp_tracker = None
            self._amp_states = {}

    def _amp_optimizer_state(self, optimizer):
        return self._amp_states.setdefault(id(optimizer), _fresh_state())

    def _amp_checked_scale(self, funcname):
        if self._amp_scale is None:
            raise AssertionError(f"Attempted {funcname} but _scale is None.  " + _FIX)
        if self._amp_tracker is None:
            raise AssertionError(f"Attempted {funcname} but _growth_tracker is None.  " + _FIX)
        return self._amp_scale, self._amp_tracker

    def _amp_lazy_init(self, device):
        self._amp_scale = full((), self._amp_init_scale, dtype=dtypes.float32, device=device)
        self._amp_tracker = full((), self._amp_init_tracker, dtype=dtypes.int32,
                                    device=device)

    def scale(self, outputs):
        """outputs multiplied by the scale: a tensor, or (nested) lists and tuples of them."""
        if not self._amp_enabled:
            return outputs
        if isinstance(outputs, Tensor):
            if self._amp_scale is None:
                self._amp_lazy_init(outputs.device)
            return outputs * self._amp_scale.to(device=outputs.device)
        return self._amp_scale_all(outputs)

    def _amp_scale_all(self, value):
        if isinstance(value, Tensor):
            if self._amp_scale is None:
                self._amp_lazy_init(value.device)
            return value * self._amp_scale.to(device=value.device)
        if isinstance(value, (list, tuple)):
            return type(value)(self._amp_scale_all(v) for v in value)
        if hasattr(value, "__iter__"):
            return map(self._amp_scale_all, value)
        raise ValueError("outputs must be a Tensor or an iterable of Tensors")

    def _amp_unscale_grads(self, optimizer, inv_scale, allow_fp16):
        """Multiplies every gradient by inv_scale in place; {device: found_inf tensor}."""
        found = {}
        with no_grad():
            for group in optimizer.param_groups:
                for param in group["params"]:
                    grad = param.grad
                    if grad is None:
                        continue
                    if not allow_fp16 and grad.dtype is dtypes.float16:
                        raise ValueError("Attempting to unscale FP16 gradients.")
                    flag = found.get(grad.device)
                    if flag is None:
                        flag = found[grad.device] = full((), 0.0, dtype=dtypes.float32,
                                                         device=grad.device)
                    if not bool(grad.isfinite().all()):
                        flag.fill_(1.0)
                    if float(inv_scale) != 1.0:
                        grad.mul_(inv_scale.to(device=grad.device))
        return found

    def unscale_(self, optimizer):
        """Divides the optimizer's gradients by the scale (once per step), noting inf/NaN."""
        if not self._amp_enabled:
            return
        self._amp_checked_scale("unscale_")
        optimizer_state = self._amp_optimizer_state(optimizer)
        if optimizer_state["stage"] is OptState.UNSCALED:
            raise RuntimeError("unscale_() has already been called on this optimizer since "
                               "the last update().")
        if optimizer_state["stage"] is OptState.STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = self._amp_scale.double().reciprocal().float()
        optimizer_state["found_inf_per_device"] = self._amp_unscale_grads(optimizer, inv_scale,
                                                                      False)
        optimizer_state["stage"] = OptState.UNSCALED

    def step(self, optimizer, *args, **kwargs):
        """optimizer.step(*args, **kwargs) unless the unscaled gradients hold inf or NaN."""
        if not self._amp_enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is "
                               "enabled.")
        self._amp_checked_scale("step")
        optimizer_state = self._amp_optimizer_state(optimizer)
        if optimizer_state["stage"] is OptState.STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if optimizer_state["stage"] is OptState.READY:
            self.unscale_(optimizer)
        if not optimizer_state["found_inf_per_device"]:
            raise AssertionError("No inf checks were recorded for this optimizer.")
        retval = None
        if not sum(v.item() for v in optimizer_state["found_inf_per_device"].values()):
            retval = optimizer.step(*args, **kwargs)
        optimizer_state["stage"] = OptState.STEPPED
        return retval

    def update(self, new_scale=None):
        """The scale for the next iteration: new_scale if given; else backed off when a step
        found inf/NaN, grown after growth_interval clean steps in a row."""
        if not self._amp_enabled:
            return
        scale, tracker = self._amp_checked_scale("update")
        if new_scale is not None:
            self._amp_set_scale(new_scale)
        else:
            found = [f for state in self._amp_states.values()
                     for f in state["found_inf_per_device"].values()]
            if not found:
                raise AssertionError("No inf checks were recorded prior to update.")
            self._amp_update_scale(scale, tracker, sum(float(f) for f in found))
        self._amp_states = {}

    def _amp_set_scale(self, new_scale):
        if isinstance(new_scale, float):
            self._amp_scale.fill_(new_scale)
            return
        reason = ("new_scale should be a float or a 1-element torch.cuda.FloatTensor or "
                  "torch.FloatTensor with requires_grad=False.")
        if new_scale.device.type != self._amp_device or new_scale.numel() != 1 \
                or new_scale.requires_grad is True:
            raise AssertionError(reason)
        self._amp_scale.copy_(new_scale)

    def _amp_update_scale(self, scale, tracker, found_inf):
        """PyTorch's _amp_update_scale_, in float32 as its kernel computes."""
        if found_inf:
            scale.mul_(self._amp_backoff_factor)
            tracker.fill_(0)
            return
        successful = int(tracker) + 1
        if successful == self._amp_growth_interval:
            grown = scale * self._amp_growth_factor
            if bool(grown.isfinite()):
                scale.copy_(grown)
            tracker.fill_(0)
        else:
            tracker.fill_(successful)

    def get_scale(self):
        """The current scale as a Python float (1.0 when disabled)."""
        if not self._amp_enabled:
            return 1.0
        return self._amp_init_scale if self._amp_scale is None else self._amp_scale.item()

    def get_growth_factor(self):
        return self._amp_growth_factor

    def set_growth_factor(self, new_factor):
        self._amp_growth_factor = new_factor

    def get_backoff_factor(self):
        return self._amp_backoff_factor

    def set_backoff_factor(self, new_factor):
        self._amp_backoff_factor = new_factor

    def get_growth_interval(self):
        return self._amp_growth_interval

    def set_growth_interval(self, new_interval):
        self._amp_growth_interval = new_interval

    def _amp_get_tracker(self):
        if not self._amp_enabled:
            return 0
        return (self._amp_init_tracker if self._amp_tracker is None
                else self._amp_tracker.item())

    def is_enabled(self):
        return self._amp_enabled

    def state_dict(self):
        if not self._amp_enabled:
            return {}
        return {"scale": self.get_scale(), "growth_factor": self._amp_growth_factor,
                "backoff_factor": self._amp_backoff_factor,
                "growth_interval": self._amp_growth_interval,
                "_growth_tracker": self._amp_get_tracker()}

    def load_state_dict(self, state_dict):
        if not self._amp_enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._amp_init_scale = state_dict["scale"]
        if self._amp_scale is not None:
            self._amp_scale.fill_(state_dict["scale"])
        self._amp_growth_factor = state_dict["growth_factor"]
        self._amp_backoff_factor = state_dict["backoff_factor"]
        self._amp_growth_interval = state_dict["growth_interval"]
        self._amp_init_tracker = state_dict["_growth_tracker"]
        if self._amp_tracker is not None:
            self._amp_tracker.fill_(state_dict["_growth_tracker"])

    def __repr__(self):
        return f"<{dtypes.torch_path(type(self))} object at {hex(id(self))}>"


def _cuda_available():
    return cuda.is_available()
