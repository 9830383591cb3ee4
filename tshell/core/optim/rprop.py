"""torch.optim.Rprop: resilient backpropagation (PyTorch's _single_tensor_rprop)."""
from __future__ import annotations

from ..ops.creation import full_like, zeros_like
from .optimizer import Optimizer, as_scalar, check_lr, step_count


class Rprop(Optimizer):
    """Implements the resilient backpropagation algorithm."""

    _ELEMENTWISE = True

    _LOAD_DEFAULTS = (("foreach", None), ("maximize", False), ("differentiable", False),
                      ("capturable", False))

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def _new_state(self, p, group):
        return {"step": step_count(p, group["capturable"]), "prev": zeros_like(p),
                "step_size": full_like(p, as_scalar(group["lr"]))}

    def _update(self, group, p, grad):
        state = self._state_of(p, group)
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        if group["maximize"]:
            grad = -grad
        prev, step_size = state["prev"], state["step_size"]
        self._check_capturable(group, p)
        state["step"] += 1
        sign = grad.mul(prev.clone() if group["differentiable"] else prev).sign()
        sign[sign.gt(0)] = etaplus
        sign[sign.lt(0)] = etaminus
        sign[sign.eq(0)] = 1
        # the step sizes grow where the gradient kept its sign and shrink where it flipped
        step_size.mul_(sign).clamp_(step_size_min, step_size_max)
        grad = grad.clone()
        grad[sign.eq(etaminus)] = 0             # after a flip, no step this time
        p.addcmul_(grad.sign(), step_size, value=-1)
        prev.copy_(grad)
