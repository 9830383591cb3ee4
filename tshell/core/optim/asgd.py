"""torch.optim.ASGD: averaged stochastic gradient descent (PyTorch's _single_tensor_asgd)."""
from __future__ import annotations

from ..ops.creation import as_tensor, zeros_like
from .optimizer import (Optimizer, as_scalar, check_at_least_zero, check_lr, scalar_dtype,
                        step_count)


class ASGD(Optimizer):
    """Implements Averaged Stochastic Gradient Descent."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("foreach", None), ("maximize", False), ("differentiable", False),
                      ("capturable", False))

    _SCALAR_STATE = ("step", "eta", "mu")

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_lr(lr)
        check_at_least_zero(("weight_decay value", weight_decay))
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def _new_state(self, p, group):
        # ASGD keeps its scalars on the parameter's device, capturable or not
        return {"step": step_count(p, True),
                "eta": as_tensor(as_scalar(group["lr"]), device=p.device, dtype=scalar_dtype())
                .clone().detach(),
                "mu": step_count(p, True, 1.0), "ax": zeros_like(p)}

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        if group["maximize"]:
            grad = -grad
        mu, ax, eta, step_t = state["mu"], state["ax"], state["eta"], state["step"]
        self._check_capturable(group, p, "params, mus, etas, and state_steps")
        lr, lambd = as_scalar(group["lr"]), group["lambd"]
        step_t += 1
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        eta_value = eta.item()
        p.mul_(1 - lambd * eta_value)              # decay term
        p.add_(grad, alpha=-eta_value)             # update parameter
        if mu.item() != 1:                         # averaging
            ax.add_(p.sub(ax).mul_(mu))
        else:
            ax.copy_(p)
        step = step_t.item()
        eta.copy_(as_tensor(lr / ((1 + lambd * lr * step) ** group["alpha"])))
        mu.copy_(as_tensor(1 / max(1, step - group["t0"])))
