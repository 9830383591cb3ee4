"""torch.optim.Muon: momentum SGD for 2-D parameters whose update is orthogonalised by a
Newton-Schulz iteration in bfloat16 (PyTorch's _single_tensor_muon)."""
from __future__ import annotations

import math

from ..ops.linalg import addmm
from ..ops.creation import zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, as_scalar

EPS = 1e-7
DEFAULT_A, DEFAULT_B, DEFAULT_C = 3.4445, -4.7750, 2.0315
DEFAULT_NS_STEPS = 5


def zeropower_via_newtonschulz(grad, ns_coefficients, ns_steps, eps):
    """The quintic Newton-Schulz iteration towards U V^T of grad = U S V^T (S is left near,
    not at, the identity: its coefficients favour few steps over convergence)."""
    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if len(grad.shape) != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(ns_coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = ns_coefficients
    ortho_grad = grad.bfloat16()
    tall = grad.size(0) > grad.size(1)
    if tall:
        ortho_grad = ortho_grad.T
    ortho_grad.div_(ortho_grad.norm().clamp(min=eps))
    for _ in range(ns_steps):
        gram_matrix = _bfloat16_addmm(None, ortho_grad, ortho_grad.T)
        gram_update = _bfloat16_addmm(gram_matrix, gram_matrix, gram_matrix, beta=b, alpha=c)
        ortho_grad = _bfloat16_addmm(ortho_grad, gram_update, ortho_grad, beta=a)
    return ortho_grad.T if tall else ortho_grad


def _bfloat16_addmm(input, mat1, mat2, beta=1, alpha=1):
    """beta * input + alpha * mat1 @ mat2 of bfloat16 matrices as PyTorch's CPU GEMM computes
    it: in float32, rounded to bfloat16 once at the end (tshell's bfloat16 addmm rounds
    beta * input first, and its products come back in float32)."""
    if input is None:
        return (mat1.float() @ mat2.float()).bfloat16()
    return addmm(input.float(), mat1.float(), mat2.float(), beta=beta, alpha=alpha).bfloat16()


def adjust_lr(lr, adjust_lr_fn, param_shape):
    """The learning rate scaled so that updates of rectangular matrices have a like RMS."""
    rows, cols = param_shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, rows / cols))
    elif adjust_lr_fn == "match_rms_adamw":
        ratio = 0.2 * math.sqrt(max(rows, cols))
    else:
        ratio = 1.0
    return lr * ratio


class Muon(Optimizer):
    """Implements the Muon algorithm."""

    # PyTorch defines it in a private module and prints it as torch.optim.Muon
    __module__ = "tshell.core.optim"

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(DEFAULT_A, DEFAULT_B, DEFAULT_C), eps=EPS,
                 ns_steps=DEFAULT_NS_STEPS, adjust_lr_fn=None):
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ("original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = {"lr": lr, "weight_decay": weight_decay, "momentum": momentum,
                    "nesterov": nesterov, "ns_coefficients": ns_coefficients, "eps": eps,
                    "ns_steps": ns_steps, "adjust_lr_fn": adjust_lr_fn}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError("Muon only supports 2D parameters whereas we found a "
                                     f"parameter with size: {p.size()}")

    def _new_state(self, p, group):
        return {"momentum_buffer": zeros_like(p.grad)}

    def _update(self, group, p, grad):
        if p.is_complex():
            raise RuntimeError("Muon does not support complex parameters")
        buf = self._state_of(p, group)["momentum_buffer"]
        lr = as_scalar(group["lr"])
        if grad.ndim != 2:
            raise ValueError("Param gradient must be a 2D matrix")
        momentum = group["momentum"]
        buf.lerp_(grad, 1 - momentum)
        update = grad.lerp(buf, momentum) if group["nesterov"] else buf
        update = zeropower_via_newtonschulz(update, group["ns_coefficients"],
                                            group["ns_steps"], group["eps"])
        p.mul_(1 - lr * group["weight_decay"])
        p.add_(update, alpha=-adjust_lr(lr, group["adjust_lr_fn"], p.shape))
