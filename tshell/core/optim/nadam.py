"""torch.optim.NAdam: Adam with Nesterov momentum and momentum decay, optionally with
decoupled weight decay (PyTorch's _single_tensor_nadam)."""
from __future__ import annotations

from ..ops.creation import zeros_like
from .optimizer import (Optimizer, as_scalar, check_at_least_zero, check_betas, check_lr,
                        number, step_count)


class NAdam(Optimizer):
    """Implements the NAdam algorithm."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("maximize", False), ("foreach", None), ("capturable", False),
                      ("differentiable", False), ("decoupled_weight_decay", False))

    _SCALAR_STATE = ("step", "mu_product")

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        check_lr(lr)
        check_at_least_zero(("epsilon value", eps))
        check_betas(betas)
        check_at_least_zero(("weight_decay value", weight_decay),
                            ("momentum_decay value", momentum_decay))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay,
                    "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _new_state(self, p, group):
        return {"step": step_count(p, group["capturable"]),
                "mu_product": step_count(p, group["capturable"], 1.0), "exp_avg": zeros_like(p),
                "exp_avg_sq": zeros_like(p)}

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        if group["maximize"]:
            grad = -grad
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        mu_product, step_t = state["mu_product"], state["step"]
        self._check_capturable(group, p, "params, mu_products and state_steps")
        lr = as_scalar(group["lr"])
        beta1, beta2 = group["betas"]
        weight_decay, momentum_decay = group["weight_decay"], group["momentum_decay"]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(p, alpha=weight_decay)
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt()
        product = mu_product.item()
        mu_product_next = product * mu_next
        denom.add_(group["eps"])
        p.addcdiv_(grad, denom, value=number(-lr * (1.0 - mu) / (1.0 - product)))
        p.addcdiv_(exp_avg, denom, value=number((-lr * mu_next) / (1.0 - mu_product_next)))
