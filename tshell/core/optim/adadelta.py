"""torch.optim.Adadelta (PyTorch's _single_tensor_adadelta)."""
from __future__ import annotations

from ..ops.creation import zeros_like
from .optimizer import (CAPTURABLE_DEVICES, Optimizer, as_scalar, check_at_least_zero,
                        check_lr, step_count)


class Adadelta(Optimizer):
    """Implements the Adadelta algorithm."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("foreach", None), ("maximize", False), ("differentiable", False),
                      ("capturable", False))

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_at_least_zero(("epsilon value", eps), ("weight_decay value", weight_decay))
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _new_state(self, p, group):
        return {"step": step_count(p, group["capturable"]), "square_avg": zeros_like(p),
                "acc_delta": zeros_like(p)}

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        # Adadelta's check names no XLA (PyTorch: supports_xla=False)
        if group["capturable"] and p.device.type not in CAPTURABLE_DEVICES[:-1]:
            raise AssertionError("If capturable=True, params and state_steps must be on "
                                 f"supported devices: {CAPTURABLE_DEVICES[:-1]}.")
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        rho, eps = group["rho"], group["eps"]
        state["step"] += 1
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = grad.add(p, alpha=group["weight_decay"])
        square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
        std = square_avg.add(eps).sqrt_()
        delta = acc_delta.add(eps).sqrt_()
        if group["differentiable"]:
            delta = delta.clone()
        delta.div_(std).mul_(grad)
        acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
        p.add_(delta, alpha=-as_scalar(group["lr"]))
