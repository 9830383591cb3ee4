"""torch.optim.Adamax: Adam with the infinity norm (PyTorch's _single_tensor_adamax)."""
from __future__ import annotations

from ..ops.creation import zeros_like
from ..ops.pointwise import maximum
from .optimizer import (Optimizer, as_scalar, check_at_least_zero, check_betas, check_lr,
                        number, step_count)


class Adamax(Optimizer):
    """Implements the Adamax algorithm (a variant of Adam based on the infinity norm)."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("foreach", None), ("maximize", False), ("differentiable", False),
                      ("capturable", False))

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_at_least_zero(("epsilon value", eps))
        check_betas(betas)
        check_at_least_zero(("weight_decay value", weight_decay))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def _new_state(self, p, group):
        return {"step": step_count(p, group["capturable"]), "exp_avg": zeros_like(p),
                "exp_inf": zeros_like(p)}

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        exp_avg, exp_inf, step_t = state["exp_avg"], state["exp_inf"], state["step"]
        self._check_capturable(group, p)
        step_t += 1
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        exp_avg.lerp_(grad, 1 - beta1)
        maximum(exp_inf.mul_(beta2), grad.abs().add_(group["eps"]), out=exp_inf)
        clr = as_scalar(group["lr"]) / (1 - beta1 ** step_t.item())
        p.addcdiv_(exp_avg, exp_inf, value=-number(clr))
