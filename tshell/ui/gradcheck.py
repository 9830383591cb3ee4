"""gradcheck(f, inputs): autograd against central finite differences, in float64."""

from __future__ import annotations

import numpy as np

from .console import make_console

MAX_ELEMENTS = 2000      # more input elements than this: check a fixed random sample


def _prepare(inputs):
    """float64 copies of the inputs; those that require grad (or all floats) are checked."""
    import tshell.core as torch
    items = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    if not items or not all(isinstance(t, torch.Tensor) for t in items):
        raise TypeError("gradcheck(f, inputs): inputs must be a tensor or a tuple of tensors")
    floats = [t.dtype.is_floating_point for t in items]
    wanted = [f and t.requires_grad for t, f in zip(items, floats)]
    if not any(wanted):
        wanted = floats
    if not any(wanted):
        raise ValueError("gradcheck: no floating-point input to check")
    xs = [t.detach().double().clone().requires_grad_(w) if f else t
          for t, f, w in zip(items, floats, wanted)]
    return xs, wanted


def _projected(f, xs, v):
    """(f(*xs) * v).sum() as a Python float, with the output checked."""
    import tshell.core as torch
    out = f(*xs)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"gradcheck: f must return a tensor, got {type(out).__name__}")
    return out, (out.double() * v).sum()


def gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, stream=None, console=None) -> bool:
    """Print a verdict and return True when analytical and numerical gradients agree."""
    import tshell.core as torch
    xs, wanted = _prepare(inputs)
    rng = np.random.default_rng(0)
    out = f(*xs)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"gradcheck: f must return a tensor, got {type(out).__name__}")
    # A random cotangent v makes one backward enough: grad of sum(v * f) = v^T J.
    v = torch.from_numpy(rng.standard_normal(tuple(out.shape)))
    checked = [x for x, w in zip(xs, wanted) if w]
    s = (out.double() * v).sum()
    analytic = torch.autograd.grad(s, checked, allow_unused=True)
    worst, failure, count = 0.0, None, 0
    for k, (x, a) in enumerate(zip(checked, analytic)):
        a = np.zeros(tuple(x.shape)) if a is None else a.detach().numpy().copy()
        base = x.detach().numpy().copy()
        flat = range(base.size)
        if base.size > MAX_ELEMENTS:
            flat = sorted(rng.choice(base.size, MAX_ELEMENTS, replace=False).tolist())
        for i in flat:
            idx = np.unravel_index(i, base.shape) if base.shape else ()
            values = []
            for step in (eps, -eps):
                bumped = base.copy()
                bumped[idx] += step
                trial = [torch.from_numpy(bumped) if y is x else y.detach() for y in xs]
                with torch.no_grad():
                    values.append(_projected(f, trial, v)[1].item())
            numeric = (values[0] - values[1]) / (2 * eps)
            diff = abs(numeric - float(a[idx]))
            count += 1
            worst = max(worst, diff)
            if failure is None and diff > atol + rtol * abs(numeric):
                failure = (k, tuple(int(j) for j in idx), float(a[idx]), numeric)
    console = console or make_console(stream)
    color = console.is_terminal and not console.no_color
    if failure is None:
        console.print(f"[bold green]gradcheck passed[/]: autograd matches finite differences "
                      f"({count} elements, max abs diff {worst:.2e})" if color else
                      f"gradcheck passed: autograd matches finite differences ({count} "
                      f"elements, max abs diff {worst:.2e})", soft_wrap=True)
        return True
    k, idx, a, n = failure
    text = (f"gradcheck failed: input {k}, element {idx}: autograd {a:.6g}, numerical {n:.6g} "
            f"(max abs diff {worst:.2e}, atol={atol}, rtol={rtol})")
    console.print(f"[bold red]{text}[/]" if color else text, soft_wrap=True)
    return False
