"""show(x): a rich panel with a tensor's metadata, statistics and a heat-mapped value table."""

from __future__ import annotations

import numpy as np

from tshell.core import limits

from .console import make_console
from .inspection import shape_text

EDGE = 3            # rows/columns kept at each edge of a summarised table
MAX_SIDE = 2 * EDGE + 2
SHOW_VALUE_BYTES = 8    # what show builds per value: its statistics work on a float64 copy


def host_array(x, value_bytes) -> np.ndarray:
    """The values of a tensor (or array/number/list) as a NumPy array on the host, for a
    caller that builds value_bytes per value from it: refused by the memory cap when that
    would exceed it (an expanded tensor's values can far outnumber its memory)."""
    if hasattr(x, "detach") and hasattr(x, "grad_fn"):
        x = x.detach()
        if str(x.device) != "cpu":
            x = x.cpu()
        x = x.numpy()
    values = np.asarray(x)
    limits.check_dense(values, value_bytes)
    return values


def describe_grad(x) -> str:
    """requires_grad / grad_fn / leaf state in a few words."""
    if not getattr(x, "requires_grad", False):
        return "no grad"
    fn = getattr(x, "grad_fn", None)
    if fn is not None:
        return f"requires_grad, grad_fn=<{fn.name()}>"
    grad = "set" if getattr(x, "grad", None) is not None else "None"
    return f"requires_grad (leaf), .grad {grad}"


def stats(values: np.ndarray) -> dict:
    """min, max, mean, std over the finite values, and the NaN / Inf counts."""
    if values.dtype.kind == "c" or values.size == 0:
        return {}
    v = values.astype(np.float64, copy=False).ravel()
    finite = v[np.isfinite(v)]
    out = {"NaN": int(np.isnan(v).sum()), "Inf": int(np.isinf(v).sum())}
    if finite.size:
        out.update(min=finite.min(), max=finite.max(), mean=finite.mean(), std=finite.std())
    return out


def fmt(v) -> str:
    """A compact number: integers exactly, floats to 4 significant digits."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.4g}"


def _keep(n: int) -> list:
    """Indices to show along an axis of length n (None marks the '…' gap)."""
    if n <= MAX_SIDE:
        return list(range(n))
    return list(range(EDGE)) + [None] + list(range(n - EDGE, n))


def heat(value: float, lo: float, hi: float) -> str:
    """A background colour from blue (low) through grey to red (high)."""
    if not np.isfinite(value) or hi <= lo:
        return "on grey23"
    t = (value - lo) / (hi - lo)
    r, g, b = (int(40 + 160 * t), 50, int(200 - 160 * t))
    return f"white on rgb({r},{g},{b})"


def value_table(values: np.ndarray, color: bool):
    """The rich Table of a 1-D or 2-D array, summarised with '…' when large."""
    from rich.table import Table
    grid = values.reshape(1, -1) if values.ndim == 1 else values
    rows, cols = _keep(grid.shape[0]), _keep(grid.shape[1])
    numeric = values.dtype.kind in "biuf"
    finite = grid[np.isfinite(grid)] if numeric else np.array([])
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("", style="dim", justify="right")
    for c in cols:
        table.add_column("…" if c is None else str(c), justify="right", no_wrap=True)
    for r in rows:
        cells = []
        for c in cols:
            if r is None or c is None:
                cells.append("…")
                continue
            v = grid[r, c]
            text = fmt(v)
            style = heat(float(v), lo, hi) if color and numeric else ""
            cells.append(f"[{style}]{text}[/]" if style else text)
        table.add_row("…" if r is None else str(r), *cells)
    return table


def show_renderable(x, color: bool, title=None):
    """The Panel that show(x) prints."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text
    values = host_array(x, SHOW_VALUE_BYTES)
    is_tensor = hasattr(x, "grad_fn")
    shape = shape_text(values.shape)
    dtype = str(x.dtype) if is_tensor else str(values.dtype)
    device = str(x.device) if is_tensor else "cpu"
    head = Text()
    head.append("shape ", style="bold"), head.append(shape + "   ")
    head.append("dtype ", style="bold"), head.append(dtype + "   ")
    head.append("device ", style="bold"), head.append(device)
    grad = Text()
    grad.append("grad ", style="bold"), grad.append(describe_grad(x))
    parts = [head, grad]
    s = stats(values)
    if s:
        line = Text()
        for key in ("min", "max", "mean", "std"):
            if key in s:
                line.append(f"{key} ", style="bold"), line.append(fmt(s[key]) + "   ")
        for key in ("NaN", "Inf"):
            line.append(f"{key} ", style="bold")
            line.append(str(s[key]) + "   ", style="bold red" if s[key] and color else "")
        parts.append(line)
    if values.ndim in (1, 2) and values.size:
        parts.append(Text(""))
        parts.append(value_table(values, color))
    elif values.size:
        parts.append(Text(""))
        parts.append(Text(str(x) if is_tensor else np.array2string(values, threshold=200)))
    name = title or ("tensor" if is_tensor else type(x).__name__)
    return Panel(Group(*parts), title=name, title_align="left", expand=False,
                 border_style="cyan" if color else "")


def show(x, stream=None, title=None, console=None) -> None:
    """Print the show(x) panel to stream (or to a given rich console); a dict (a state_dict,
    a checkpoint) is the table of its tensors."""
    console = console or make_console(stream)
    if isinstance(x, dict):
        from . import state_dict       # imports the file formats: only shown dicts need them
        console.print(state_dict.table(state_dict.rows_of(x), title))
        return
    console.print(show_renderable(x, console.is_terminal and not console.no_color, title))
