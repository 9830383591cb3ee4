"""torch.optim.Adafactor: Adam-like steps with the second moment of a matrix kept as a row and
a column factor (PyTorch's _single_tensor_adafactor)."""
from __future__ import annotations

from ..dtypes import float_limits
from ..ops.creation import zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, as_scalar, step_count


class Adafactor(Optimizer):
    """Implements the Adafactor algorithm."""

    # PyTorch defines it in a private module and prints it as torch.optim.Adafactor
    __module__ = "tshell.core.optim"

    _LOAD_DEFAULTS = (("foreach", None),)

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {"lr": lr, "beta2_decay": beta2_decay, "eps": eps, "d": d,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize}
        super().__init__(params, defaults)

    def _new_state(self, p, group):
        state = {"step": step_count(p, False)}
        if p.grad.dim() > 1:
            # the row factor is reduced along the last dimension, the column factor along
            # the one before it
            state["row_var"] = p.grad.new_zeros((*p.grad.shape[:-1], 1))
            state["col_var"] = p.grad.new_zeros((*p.grad.shape[:-2], 1, p.grad.shape[-1]))
        else:
            state["variance"] = zeros_like(p.grad)
        return state

    def _update(self, group, p, grad):
        if p.is_complex():
            raise RuntimeError("Adafactor does not support complex parameters")
        state = self._state_of(p, group)
        lr = as_scalar(group["lr"])
        eps1, eps2 = group["eps"]
        if eps1 is None:
            eps1 = float_limits(p.dtype)[0]
        if group["maximize"]:
            grad = -grad
        step_t = state["step"]
        step_t += 1
        step = step_t.item()
        one_minus_beta2_t = step ** group["beta2_decay"]
        rho_t = min(lr, 1 / (step ** 0.5))
        alpha = max(eps2, p.norm(2).item() / (p.numel() ** 0.5)) * rho_t
        if group["weight_decay"] != 0:
            p.mul_(1 - lr * group["weight_decay"])
        if grad.dim() > 1:
            row_mean = grad.norm(dim=-1, keepdim=True).square_().div_(grad.size(-1))
            state["row_var"].lerp_(row_mean, one_minus_beta2_t)
            col_mean = grad.norm(dim=-2, keepdim=True).square_().div_(grad.size(-2))
            state["col_var"].lerp_(col_mean, one_minus_beta2_t)
            var_estimate = state["row_var"] @ state["col_var"]
            var_estimate.div_(state["row_var"].mean(dim=-2, keepdim=True).clamp_(min=eps1))
        else:
            state["variance"].lerp_(grad * grad, one_minus_beta2_t)
            var_estimate = state["variance"].clone()
        update = var_estimate.clamp_(min=eps1 * eps1).rsqrt_()
        update.mul_(grad)
        denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * group["d"]))
        p.add_(update, alpha=-alpha / denom)
