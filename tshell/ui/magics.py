"""IPython-style magics: %who %whos %timeit %time %graph %load %reset %help, and NAME?."""

from __future__ import annotations

import math
import time

HELP = """\
tshell REPL — type tsh (PyTorch-style) code; Enter runs a complete statement.
  %who              names of your variables
  %whos             table of variables: type, shape, dtype, device, requires_grad, bytes
  %timeit STMT      time STMT over many runs       %time STMT   time one run
  %graph EXPR       draw the autograd graph of EXPR
  %load FILE.tsh    run a script in this session   %reset       delete all your variables
  help(NAME), NAME? signature and one-line doc of a built-in
  show(x) graph(t) plot(y) hist(t) progress(it) gradcheck(f, inputs)
  _ is the last value; Tab completes; Ctrl-R searches history; Ctrl-C cancels; Ctrl-D exits"""


class MagicError(Exception):
    """A misused magic (bad argument, missing file): reported in one line."""


def whos_rows(names: dict) -> list:
    """(name, type, shape, dtype, device, requires_grad, bytes) per variable, metadata only."""
    rows = []
    for name in sorted(names):
        if name.startswith(("_", "\0")):
            continue
        v = names[name]
        kind = type(v).__name__
        if kind == "Tensor":
            shape = "(" + ", ".join(str(n) for n in v.shape) + ")"
            nbytes = v.numel() * v.element_size()
            rows.append((name, "Tensor", shape, str(v.dtype), str(v.device),
                         str(v.requires_grad), str(nbytes)))
        elif kind == "ndarray":
            rows.append((name, "ndarray", str(v.shape), str(v.dtype), "cpu", "", str(v.nbytes)))
        elif isinstance(v, dict) and _state_dict().has_tensors(v):
            shape, dtype, device, nbytes = _state_dict().whos_cells(v)
            rows.append((name, kind, shape, dtype, device, "", nbytes))
        else:
            kind = "function" if kind == "TshFunction" else kind
            rows.append((name, kind, "", "", "", "", ""))
    return rows


def _state_dict():
    # ui/state_dict.py imports the file formats: loaded only once a dict needs a summary
    from . import state_dict
    return state_dict


WHOS_HEADER = ("name", "type", "shape", "dtype", "device", "requires_grad", "bytes")


def auto_loops(run, budget=0.2) -> tuple:
    """IPython's rule: grow the loop count by 10x until one batch takes >= budget/10."""
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            run()
        took = time.perf_counter() - start
        if took >= budget / 10 or loops >= 10 ** 6:
            return loops, took
        loops *= 10


def fmt_time(seconds: float) -> str:
    """IPython's unit choice: s, ms, µs, ns with 3 significant digits."""
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds} s"


def timeit(interp, stmt: str, out) -> None:
    """%timeit: mean ± std of 7 runs of an automatically chosen number of loops."""
    if not stmt.strip():
        raise MagicError("usage: %timeit STATEMENT")
    code = interp.compile(stmt + "\n", "<timeit>")
    run = lambda: interp.run_compiled(code)        # noqa: E731 - tiny adapter
    loops, _ = auto_loops(run)
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(loops):
            run()
        runs.append((time.perf_counter() - start) / loops)
    mean = sum(runs) / len(runs)
    std = math.sqrt(sum((r - mean) ** 2 for r in runs) / len(runs))
    out.write(f"{fmt_time(mean)} ± {fmt_time(std)} per loop (mean ± std. dev. of 7 runs, "
              f"{loops:,} loop{'s' if loops != 1 else ''} each)\n")


def time_once(interp, stmt: str, out) -> None:
    """%time: run once (echoing values) and print the wall time."""
    if not stmt.strip():
        raise MagicError("usage: %time STATEMENT")
    code = interp.compile(stmt + "\n", "<time>", echo=True)
    start = time.perf_counter()
    try:
        interp.run_compiled(code)
    finally:
        out.write(f"Wall time: {fmt_time(time.perf_counter() - start)}\n")


def evaluate(interp, expr: str):
    """The value of one expression, without touching `_` or echoing it."""
    captured = []
    saved_cb, had, old = interp.echo_callback, "_" in interp.namespace, interp.namespace.get("_")
    interp.echo_callback = captured.append
    try:
        interp.run_source(expr.strip() + "\n", "<input>", echo=True)
    finally:
        interp.echo_callback = saved_cb
        if had:
            interp.namespace["_"] = old
        else:
            interp.namespace.pop("_", None)
    if len(captured) != 1:
        raise MagicError(f"expected one expression, got {expr.strip()!r}")
    return captured[0]


def load(interp, path: str) -> None:
    """%load FILE.tsh: run a script in this session's namespace."""
    path = path.strip().strip("'\"")
    if not path:
        raise MagicError("usage: %load FILE.tsh")
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
    except OSError as e:
        raise MagicError(f"can't open file {path!r}: {e.strerror}") from None
    interp.run_source(source, path, echo=False)


def reset(interp) -> None:
    """%reset: delete every user variable (built-ins stay)."""
    for name in list(interp.user_names()):
        del interp.namespace[name]
