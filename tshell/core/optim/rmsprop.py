"""torch.optim.RMSprop, centered or not, with momentum (PyTorch's _single_tensor_rmsprop)."""
from __future__ import annotations

from ..ops.creation import zeros_like
from .optimizer import Optimizer, as_scalar, check_at_least_zero, check_lr, step_count


class RMSprop(Optimizer):
    """Implements the RMSprop algorithm."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("momentum", 0), ("centered", False), ("foreach", None),
                      ("maximize", False), ("differentiable", False), ("capturable", False))

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_lr(lr)
        check_at_least_zero(("epsilon value", eps), ("momentum value", momentum),
                            ("weight_decay value", weight_decay), ("alpha value", alpha))
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _new_state(self, p, group):
        state = {"step": step_count(p, group["capturable"]), "square_avg": zeros_like(p)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros_like(p)
        if group["centered"]:
            state["grad_avg"] = zeros_like(p)
        return state

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        self._check_capturable(group, p)
        if group["maximize"]:
            grad = -grad
        square_avg = state["square_avg"]
        state["step"] += 1
        weight_decay, alpha, eps = group["weight_decay"], group["alpha"], group["eps"]
        if weight_decay != 0:
            grad = grad.add(p, alpha=weight_decay)
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg.lerp_(grad, 1 - alpha)
            avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        else:
            avg = square_avg.sqrt()
        avg = avg.add(eps) if group["differentiable"] else avg.add_(eps)
        lr = as_scalar(group["lr"])
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf.mul_(group["momentum"]).addcdiv_(grad, avg)
            p.add_(buf, alpha=-lr)
        else:
            p.addcdiv_(grad, avg, value=-lr)
