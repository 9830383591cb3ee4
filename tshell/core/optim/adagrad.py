"""torch.optim.Adagrad, with lr_decay and an initial accumulator value (PyTorch's
_single_tensor_adagrad)."""
from __future__ import annotations

from ..ops.creation import full_like
from .optimizer import (Optimizer, as_scalar, check_at_least_zero, check_fused, check_lr,
                        number, step_count)


class Adagrad(Optimizer):
    """Implements the Adagrad algorithm."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("foreach", None), ("maximize", False), ("differentiable", False),
                      ("fused", None))

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0,
                 initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False,
                 differentiable=False, fused=None):
        check_lr(lr)
        check_at_least_zero(("lr_decay value", lr_decay),
                            ("weight_decay value", weight_decay),
                            ("initial_accumulator_value value", initial_accumulator_value),
                            ("epsilon value", eps))
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value,
                    "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)
        # Adagrad's state exists from the start (its accumulator has an initial value)
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = self._new_state(p, group)

    def _new_state(self, p, group):
        return {"step": step_count(p, group["fused"]),
                "sum": full_like(p, self.defaults["initial_accumulator_value"])}

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        state_sum, step_t = state["sum"], state["step"]
        step_t += 1
        step = step_t.item()
        if group["maximize"]:
            grad = -grad
        weight_decay = group["weight_decay"]
        if weight_decay != 0:
            grad = grad.add(p, alpha=weight_decay)
        clr = as_scalar(group["lr"]) / (1 + (step - 1) * group["lr_decay"])
        state_sum.addcmul_(grad, grad, value=1)
        std = state_sum.sqrt() + group["eps"] if group["differentiable"] else \
            state_sum.sqrt().add_(group["eps"])
        p.addcdiv_(grad, std, value=-number(clr))
