"""torch.optim.Adam, with amsgrad, maximize and decoupled weight decay (PyTorch's
_single_tensor_adam)."""
from __future__ import annotations

from ..ops.creation import zeros_like
from ..ops.pointwise import maximum
from ..tensor import Tensor
from . import adam_blocks
from .optimizer import (Optimizer, as_scalar, check_at_least_zero, check_betas, check_fused,
                        check_lr, number, step_count)


class Adam(Optimizer):
    """Implements the Adam algorithm."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("amsgrad", False), ("maximize", False), ("foreach", None),
                      ("capturable", False), ("differentiable", False),
                      ("decoupled_weight_decay", False), ("fused", None))

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError("lr as a Tensor is not supported for capturable=False and "
                                 "foreach=True")
        check_lr(lr)
        check_at_least_zero(("epsilon value", eps))
        check_betas(betas)
        check_at_least_zero(("weight_decay value", weight_decay))
        if not (isinstance(betas[0], float) and isinstance(betas[1], float)
                or isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor)):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas[:2]):
            if isinstance(beta, Tensor):
                if not capturable and foreach:
                    raise ValueError(f"betas[{i}] as a Tensor is not supported for "
                                     "capturable=False and foreach=True")
                if beta.numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(map(as_scalar, betas))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable,
                    "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        check_fused(fused, foreach, differentiable)

    def _new_state(self, p, group):
        state = {"step": step_count(p, group["capturable"] or group["fused"]),
                 "exp_avg": zeros_like(p), "exp_avg_sq": zeros_like(p)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros_like(p)
        return state

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        exp_avg, exp_avg_sq, step_t = state["exp_avg"], state["exp_avg_sq"], state["step"]
        self._check_capturable(group, p)
        lr = as_scalar(group["lr"])
        beta1, beta2 = (as_scalar(b) for b in group["betas"])
        weight_decay = group["weight_decay"]
        step_t += 1
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        if not self._parts_running and adam_blocks.update(p, grad, exp_avg, exp_avg_sq,
                state["max_exp_avg_sq"] if group["amsgrad"] else None, lr=lr, beta1=beta1,
                beta2=beta2, eps=group["eps"], weight_decay=weight_decay,
                decoupled=group["decoupled_weight_decay"], maximize=group["maximize"],
                step_size=step_size, bias_correction2_sqrt=bias_correction2_sqrt):
            return
        if group["maximize"]:
            grad = -grad
        if weight_decay != 0:
            if group["decoupled_weight_decay"]:
                p.mul_(1 - lr * weight_decay)
            else:
                grad = grad.add(p, alpha=weight_decay)
        exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        if group["amsgrad"]:
            maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
            exp_avg_sq = state["max_exp_avg_sq"]
        # PyTorch divides out of place; div_ rounds alike and saves an allocation
        denom = exp_avg_sq.sqrt().div_(bias_correction2_sqrt).add_(group["eps"])
        p.addcdiv_(exp_avg, denom, value=-number(step_size))

