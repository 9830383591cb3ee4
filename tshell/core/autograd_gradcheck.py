"""torch.autograd.gradcheck and gradgradcheck: the analytical Jacobian (one backward per
output element) against central finite differences (each input element moved by +-eps in
place), compared as allclose(analytical, numerical, rtol, atol), as PyTorch's slow mode does.

check_forward_ad=True compares the Jacobian from forward-mode AD (one jvp per input element,
forward_ad.py) with the same finite differences. PyTorch's fast_mode, check_batched_grad and
masked checks need vmap or sparse tensors, which tshell does not have: asking for them is
NotImplementedError.
"""
from __future__ import annotations

import warnings

from . import forward_ad
from .autograd import grad
from .dtypes import float64
from .ops.creation import zeros
from .ops.shape import stack
from .random import rand
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Error raised by gradcheck and gradgradcheck."""


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    return tuple(x) if isinstance(x, list) else (x,)


def _check_inputs(inputs):
    wanted = False
    for i, t in enumerate(inputs):
        if isinstance(t, Tensor) and t.requires_grad:
            if t.dtype is not float64 and t.dtype.name != "complex128":
                warnings.warn(f"Input #{i} requires gradient and is not a double precision "
                              "floating point or complex. This check will likely fail if all "
                              "the inputs are not of double precision floating point or "
                              "complex. ", UserWarning, stacklevel=3)
            if any(st == 0 and sz > 1 for st, sz in zip(t.stride(), t.shape)):
                raise RuntimeError(f"The {i}th input has a dimension with stride 0. gradcheck "
                                   "only supports inputs that are non-overlapping to be able "
                                   "to compute the numerical gradients correctly. You should "
                                   "call .contiguous on the input before passing it to "
                                   "gradcheck.")
            wanted = True
    if not wanted:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of them have requires_grad=True.")


def _outputs(func, inputs):
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical(func, inputs, i, picked, eps):
    """d(output k)/d(input i) for the picked outputs k: (input numel x output numel)
    tensors, by moving each element of input i by +-eps in place."""
    data = inputs[i]._data      # moved in place without a version bump, as PyTorch's .data
    columns = [[] for _ in picked]
    for e in range(data.size):
        index = _unravel(e, data.shape)
        original = data[index].item()
        data[index] = original - eps    # func runs with grad on: gradgradcheck's needs it
        below = [o.detach().clone() for o in _outputs(func, inputs)]
        data[index] = original + eps
        above = [o.detach().clone() for o in _outputs(func, inputs)]
        data[index] = original
        for column, k in zip(columns, picked):
            column.append(((above[k] - below[k]) / (2 * eps)).reshape(-1))
    return [stack(c, 0) if c else zeros(0, 0, dtype=inputs[i].dtype) for c in columns]


def _unravel(e, shape):
    index = []
    for size in reversed(shape):
        index.append(e % size)
        e //= size
    return tuple(reversed(index))


def _analytical(inputs, output, wanted):
    """d(output)/d(each wanted input): (input numel x output numel) tensors, one backward
    per output element."""
    rows = {i: [] for i in wanted}
    flat = output.reshape(-1)
    for k in range(output.numel()):
        grads = grad(flat[k], [inputs[i] for i in wanted], retain_graph=True,
                     allow_unused=True)
        for i, g in zip(wanted, grads):
            if g is not None and g.shape != inputs[i].shape:
                raise GradcheckError("Analytical gradient has incorrect size")
            rows[i].append(zeros(inputs[i].numel(), dtype=inputs[i].dtype) if g is None
                            else g.detach().reshape(-1))
    return {i: stack(r, 1) if r else zeros(inputs[i].numel(), 0, dtype=inputs[i].dtype)
            for i, r in rows.items()}


def _not_supported(**flags):
    asked = [name for name, value in flags.items() if value]
    if asked:
        raise NotImplementedError(f"gradcheck: {', '.join(asked)} need forward-mode AD or vmap, "
                                  "which tshell does not have")


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """True when the gradients of func at inputs (those requiring grad) match finite
    differences; otherwise GradcheckError (or False with raise_exception=False)."""
    _not_supported(fast_mode=fast_mode, check_batched_grad=check_batched_grad,
                   check_batched_forward_grad=check_batched_forward_grad, masked=masked)
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    try:
        _check(func, inputs, eps, atol, rtol, check_backward_ad, check_forward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _check(func, inputs, eps, atol, rtol, check_backward_ad, check_forward_ad=False):
    outputs = _outputs(func, inputs)
    wanted = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    # PyTorch numbers outputs among the differentiable ones, inputs among those checked
    differentiable = [k for k, o in enumerate(outputs) if o.requires_grad]
    picked = differentiable or list(range(len(outputs)))
    numerical = {i: _numerical(func, inputs, i, picked, eps) for i in wanted}
    if not differentiable:
        for per_output in numerical.values():
            if any(bool((n != 0).any()) for n in per_output):
                raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    if check_forward_ad:
        forward = _forward_analytical(func, inputs, differentiable, wanted)
        _compare(forward, numerical, differentiable, wanted, atol, rtol, "computed with "
                 "forward mode ")
    if check_backward_ad:
        backward = [_analytical(inputs, outputs[k], wanted) for k in differentiable]
        _compare(backward, numerical, differentiable, wanted, atol, rtol, "")


def _compare(analytical, numerical, differentiable, wanted, atol, rtol, mode):
    for index in range(len(differentiable)):
        for position, i in enumerate(wanted):
            a, n = analytical[index][i], numerical[i][index]
            if not bool(((a - n).abs() <= atol + rtol * n.abs()).all()):
                raise GradcheckError(f"Jacobian {mode}mismatch for output {index:d} with "
                                     f"respect to input {position:d},\nnumerical:{n}\n"
                                     f"analytical:{a}\n")


def _forward_analytical(func, inputs, differentiable, wanted):
    """[per differentiable output: {input: (input numel x output numel)}], one jvp per
    element of each wanted input."""
    rows = [{i: [] for i in wanted} for _ in differentiable]
    for i in wanted:
        for e in range(inputs[i].numel()):
            tangent = zeros(inputs[i].numel(), dtype=inputs[i].dtype)
            tangent[e] = 1
            with forward_ad.dual_level():
                dual = forward_ad.make_dual(inputs[i], tangent.reshape(inputs[i].shape))
                args = inputs[:i] + (dual,) + inputs[i + 1:]
                outputs = _outputs(func, args)
                for per_output, k in zip(rows, differentiable):
                    t = forward_ad.unpack_dual(outputs[k]).tangent
                    per_output[i].append(zeros(outputs[k].numel(), dtype=outputs[k].dtype)
                                         if t is None else t.detach().reshape(-1))
    return [{i: stack(r, 0) for i, r in per_output.items()} for per_output in rows]


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """gradcheck of the gradient of func: the second derivatives against finite differences
    of the first (grad_outputs random in [-1, 1) unless given)."""
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outs = [o for o in _outputs(func, inputs) if o.requires_grad]
        grad_outputs = tuple(
            (rand(o.shape, dtype=o.dtype if o.is_floating_point() else float64,
                  device=o.device) * 2 - 1).requires_grad_() for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n = len(grad_outputs)
    input_wanted = {i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad}
    grad_wanted = {i for i, t in enumerate(grad_outputs) if t.requires_grad}

    def gradient_of_func(*args):
        xs = tuple(t.requires_grad_() if i in input_wanted else t
                   for i, t in enumerate(args[:-n]))
        outs = tuple(o for o in _outputs(func, xs) if o.requires_grad)
        gs = tuple(t.requires_grad_() if i in grad_wanted else t
                   for i, t in enumerate(args[-n:]))
        diff_xs = tuple(t for i, t in enumerate(xs) if i in input_wanted)
        grads = grad(outs, diff_xs, gs, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(gradient_of_func, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes,
                     check_batched_grad=check_batched_grad, fast_mode=fast_mode,
                     check_forward_ad=check_fwd_over_rev,
                     check_backward_ad=check_rev_over_rev, masked=masked or None)
