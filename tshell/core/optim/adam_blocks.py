"""Adam's update of one float32 parameter, computed block by block on its NumPy arrays.

Adam._update is seven tensor ops (lerp_, mul_, addcmul_, sqrt, div_, add_, addcdiv_), each a
pass over the whole parameter and its two state tensors. For a 784x256 weight those are
800 KiB arrays: together they do not fit a core's cache, so every pass streams them from
memory again, and the float64 pass that rounds addcmul_ once (fma.py) costs most of all.
Here the same arithmetic runs on blocks of BLOCK elements, all seven steps on one block
before the next, so a block's operands stay in the cache between steps (a 200 704-element
update: 0.86-0.90 ms against the ops' 1.04-1.21 ms, one thread). It runs on the calling
thread only: split over two threads (parallel.py), the blocks took longer than on one (1 M
elements: 5.5 against 4.2-4.7 ms), where the ops' parts gain (3.7 against 5.2 ms), so a
parameter Optimizer._update_in_parts splits takes the op path. Each element's operations,
their order and their roundings are those of the tensor ops (which are PyTorch's: see fma.py
and blas.py), so the results are bit-identical to Adam._update's op path;
tests/optim/test_adam_blocks.py checks that.

Used only on machines whose cores' L2 cache holds a block (see _least_numel), and only
where nothing but the arithmetic is involved: float32 CPU tensors of the
library's own classes, C-contiguous, of one shape, not overlapping, no autograd recording,
no forward-mode duals, no inference tensors, number hyperparameters. Everything else takes
the op path.
"""
from __future__ import annotations

import os
import sys

import numpy as np

from ..autograd import GradMode
from ..backend import is_writeable
from ..grad_mode import INFERENCE
from ..ops.blas import axpy, has_axpy
from ..tensor import Duals, Tensor
from ..nn.parameter import Parameter

FLOAT32 = np.dtype(np.float32)
# 32 768 float32 elements: 128 KiB per array; a block's seven float32 arrays and its float64
# scratch (BLOCK_BYTES) stay within a core's L2 cache where that holds 2 MiB. A multiple of
# 32, so BLAS's axpy sees whole vectors.
BLOCK = 32768
BLOCK_BYTES = BLOCK * (7 * 4 + 8)
_NUMBERS = (int, float)


def level2_cache_bytes(cpu_dir="/sys/devices/system/cpu/cpu0/cache"):
    """The size of a core's level-2 cache as Linux reports it, or None where it does not."""
    try:
        entries = os.listdir(cpu_dir)
    except OSError:
        return None
    for entry in entries:
        try:
            with open(os.path.join(cpu_dir, entry, "level")) as f:
                if f.read().strip() != "2":
                    continue
            with open(os.path.join(cpu_dir, entry, "size")) as f:
                size = f.read().strip().upper()
        except OSError:
            continue
        units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
        if size[-1:] in units and size[:-1].isdigit():
            return int(size[:-1]) * units[size[-1]]
        if size.isdigit():
            return int(size)
    return None


def _least_numel():
    """Smaller parameters take the op path: their arrays fit the cache whole, and the
    kernel's checks cost about what it saves. Where a block does not fit a core's L2 cache,
    every parameter does: the blocks then stream from the L3 cache as the ops' passes do and
    only add calls (a 200 704-element update on a 512 KiB-L2 machine: 0.92 ms in blocks
    against 0.82 ms by the ops; on a 2 MiB-L2 machine 0.86 against 1.1 ms)."""
    cache = level2_cache_bytes()
    return 4096 if cache is None or cache >= BLOCK_BYTES else sys.maxsize


MIN_NUMEL = _least_numel()


def _eligible(tensors) -> bool:
    """Whether the block kernel may update these tensors (see the module's docstring)."""
    if GradMode.enabled or Duals:
        return False
    arrays = []
    for t in tensors:
        if t.__class__ is not Tensor and t.__class__ is not Parameter:
            return False
        data = t._data
        if type(data) is not np.ndarray or data.dtype != FLOAT32 or \
                not data.flags.c_contiguous or t._ver is INFERENCE:
            return False
        arrays.append(data)
    shape = arrays[0].shape
    if any(a.shape != shape for a in arrays) or not all(map(is_writeable, arrays)):
        return False
    return not any(np.may_share_memory(a, b)
                   for i, a in enumerate(arrays) for b in arrays[i + 1:])


def update(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, *, lr, beta1, beta2, eps,
           weight_decay, decoupled, maximize, step_size, bias_correction2_sqrt) -> bool:
    """Adam's update of p and its state, as Adam._update's ops compute it; False where the
    block kernel does not apply (nothing was done)."""
    if p._data.size < MIN_NUMEL:
        return False
    tensors = [p, grad, exp_avg, exp_avg_sq]
    if max_exp_avg_sq is not None:
        tensors.append(max_exp_avg_sq)
    numbers = (lr, beta1, beta2, eps, weight_decay, step_size, bias_correction2_sqrt)
    if not all(n.__class__ in _NUMBERS for n in numbers) or not has_axpy(FLOAT32) or \
            not _eligible(tensors):
        return False
    arrays = [t._data.reshape(-1) for t in tensors]
    if len(arrays) == 4:
        arrays.append(None)
    scalars = _Scalars(lr, beta1, beta2, eps, weight_decay, decoupled, maximize, step_size,
                       bias_correction2_sqrt)
    _update_blocks(arrays, scalars, arrays[0].size)
    # the version counters advance as the ops' writes would advance them
    p._bump()
    if weight_decay != 0 and decoupled:
        p._bump()
    exp_avg._bump()
    exp_avg_sq._bump()
    exp_avg_sq._bump()
    if max_exp_avg_sq is not None:
        max_exp_avg_sq._bump()
    return True


class _Scalars:
    """The update's numbers as the ops round them: a Python float meeting a float32 array
    in a NumPy ufunc is rounded to float32 (NumPy's weak scalars), as PyTorch converts a
    Scalar for a float32 kernel; the FMA kernels take theirs as float32 explicitly."""

    def __init__(self, lr, beta1, beta2, eps, weight_decay, decoupled, maximize, step_size,
                 bias_correction2_sqrt):
        f32 = FLOAT32.type
        self.maximize = maximize
        self.coupled_decay = f32(weight_decay) if weight_decay != 0 and not decoupled \
            else None
        self.shrink = 1 - lr * weight_decay if weight_decay != 0 and decoupled else None
        weight = f32(1 - beta1)                   # lerp_'s weight
        self.lerp_from_start = abs(weight) < 0.5
        self.lerp_coefficient = weight if self.lerp_from_start else weight - 1
        self.beta2 = beta2
        self.addcmul_value = f32(1 - beta2)
        self.bias_correction2_sqrt = bias_correction2_sqrt
        self.eps = eps
        self.addcdiv_value = f32(-step_size)


def _update_blocks(arrays, scalars, n):
    """The update of all n elements, block by block."""
    size = _block_size(n)
    scratch = (np.empty(size, FLOAT32), np.empty(size, FLOAT32), np.empty(size, FLOAT32),
               np.empty(size, np.float64))
    for start in range(0, n, size):
        stop = min(start + size, n)
        _update_block([a[start:stop] if a is not None else None for a in arrays], scalars,
                      [s[:stop - start] for s in scratch])


def _block_size(n: int) -> int:
    """Blocks of at most BLOCK elements, as equal as multiples of 16 make them (a ragged last
    block of a few elements would cost a round of calls for little work)."""
    blocks = -(-n // BLOCK)
    return min(n, (-(-n // blocks) + 15) // 16 * 16)


def _update_block(arrays, s, scratch):
    """Adam._update's ops on one block, in their order, each rounded as the op rounds it."""
    p, g, exp_avg, exp_avg_sq, max_exp_avg_sq = arrays
    grad_buffer, work, quotient, wide = scratch
    if s.maximize:                                # grad = -grad
        g = np.negative(g, out=grad_buffer)
    if s.coupled_decay is not None:               # grad = grad.add(p, alpha=weight_decay)
        if g is not grad_buffer:
            np.copyto(grad_buffer, g)
            g = grad_buffer
        axpy(g, p, s.coupled_decay)
    elif s.shrink is not None:                    # p.mul_(1 - lr * weight_decay)
        np.multiply(p, s.shrink, out=p)
    # exp_avg.lerp_(grad, 1 - beta1): one FMA from the nearer end (fma.lerp)
    diff = np.subtract(g, exp_avg, out=work)
    if not s.lerp_from_start:
        np.copyto(exp_avg, g)
    axpy(exp_avg, diff, s.lerp_coefficient)
    # exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): the product exact in
    # float64, the sum rounded once (fma.addcmul)
    np.multiply(exp_avg_sq, s.beta2, out=exp_avg_sq)
    scaled = np.multiply(s.addcmul_value, g, out=work)
    np.multiply(scaled, g, out=wide, dtype=np.float64)
    np.add(wide, exp_avg_sq, out=wide)
    np.copyto(exp_avg_sq, wide, casting="unsafe")
    if max_exp_avg_sq is not None:                # amsgrad
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        exp_avg_sq = max_exp_avg_sq
    # denom = exp_avg_sq.sqrt().div_(bias_correction2_sqrt).add_(eps)
    denom = np.sqrt(exp_avg_sq, out=work)
    np.divide(denom, s.bias_correction2_sqrt, out=denom)
    np.add(denom, s.eps, out=denom)
    # p.addcdiv_(exp_avg, denom, value=-step_size) (fma.addcdiv)
    np.multiply(s.addcdiv_value, exp_avg, out=quotient)
    np.divide(quotient, denom, out=quotient)
    np.add(p, quotient, out=p)
