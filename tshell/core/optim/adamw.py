"""torch.optim.AdamW: Adam with decoupled weight decay (PyTorch's AdamW is Adam with
decoupled_weight_decay=True)."""
from __future__ import annotations

from .adam import Adam


class AdamW(Adam):
    """Implements the AdamW algorithm: Adam whose weight decay shrinks the parameters
    instead of adding to the gradient."""

    _ELEMENTWISE = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def _after_load(self):
        super()._after_load()
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True
