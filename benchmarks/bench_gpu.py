"""GPU throughput and latency: tshell's CUDA tensors against PyTorch CUDA (when installed)
and CuPy, in one process (issue 20's rows).

Run on a machine with an NVIDIA GPU and CuPy:  python benchmarks/bench_gpu.py [--out FILE]
(benchmarks/gpu_session.sh runs it with the CUDA tests in one device call.)

Rows, each the median of REPEATS timed runs after a warm-up, synchronised around every run:
- elementwise unary/binary/ternary ops, float32 (and float16, int32 for add), contiguous and
  broadcast: GB/s (bytes read + written once). "own kernel" is tshell's generated kernel
  (cuda_kernels, through fusion.FusedExpression, the launcher the compiler uses); "eager"
  is the core's op (CuPy's kernel today).
- reductions (sum mean max var softmax log_softmax, full and along a dim): GB/s read.
- latency of a 5x3 add: µs per op over a loop of calls (host time per op, asynchronous);
  and small statements in a tsh loop (a single op; three ops that fuse into one kernel).
- the four fused expressions at 2^26 elements, as tsh programs (the compiler fuses them),
  with fusion on and off (TSHELL_FUSION's effect), with and without requires_grad: ms.
- the MLP (784-256-10, batch 128) and the seed autograd snippet on CUDA, as tsh programs
  with the default device set to CUDA: ms per step.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
LOG2 = int(os.environ.get("BENCH_LOG2", "27"))     # 2^LOG2 elements (smaller: a smoke test)
ROWS, COLS = 1 << (LOG2 - LOG2 // 2), 1 << (LOG2 // 2)      # 16384 x 8192 at 2^27


def gbps(nbytes, sync, fn, *args):
    """GB/s of fn(*args) moving nbytes (timed as `timed` does)."""
    return nbytes / timed(lambda: fn(*args), sync) / 1e9


def timed(fn, sync, repeats=REPEATS):
    fn()
    sync()
    runs = []
    for _ in range(repeats):
        sync()
        t = time.perf_counter()
        fn()
        sync()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def small_latency(fn, sync, calls=2000):
    fn()
    sync()
    t = time.perf_counter()
    for _ in range(calls):
        fn()
    sync()
    return (time.perf_counter() - t) / calls * 1e6


class Table:
    def __init__(self):
        self.rows = []

    def add(self, name, unit, **cols):
        self.rows.append((name, unit, cols))
        figures = "  ".join(f"{k}={v:.4g}" for k, v in cols.items() if v is not None)
        print(f"{name} ({unit}): {figures}", flush=True)

    def markdown(self, device):
        cols = ["own kernel", "tshell fused", "tshell eager", "torch", "cupy"]
        lines = [f"device: {device}", "",
                 "| workload | unit | " + " | ".join(cols) + " | best tshell / torch |",
                 "|---" * (len(cols) + 3) + "|"]
        for name, unit, c in self.rows:
            cells = [f"{c[k]:.4g}" if c.get(k) is not None else "-" for k in cols]
            lines.append(f"| {name} | {unit} | " + " | ".join(cells) + f" | {_ratio(unit, c)} |")
        return "\n".join(lines) + "\n"


def _ratio(unit, c):
    """tshell's best figure over torch's (or CuPy's): >1 is better for GB/s, <1 for times."""
    ours = [c[k] for k in ("own kernel", "tshell fused", "tshell eager") if c.get(k)]
    ref = c.get("torch") or c.get("cupy")
    if not ours or not ref:
        return "-"
    best = max(ours) if unit == "GB/s" else min(ours)
    return f"{best / ref:.2f}× ({'torch' if c.get('torch') else 'cupy'})"


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch if torch.cuda.is_available() else None


def elementwise_rows(table, T, cp, torch, sync):
    from tshell.core.cuda_kernels.fusion import FusedExpression
    n = 1 << LOG2
    leaf = [("leaf", i) for i in range(3)]
    cases = [
        ("exp f32", "float32", 1, ("exp", leaf[0]), lambda a: a.exp(), lambda a: cp.exp(a)),
        ("sigmoid f32", "float32", 1, ("sigmoid", leaf[0]), lambda a: a.sigmoid(), None),
        ("add f32", "float32", 2, ("add", leaf[0], leaf[1]), lambda a, b: a + b,
         lambda a, b: a + b),
        ("mul f16", "float16", 2, ("mul", leaf[0], leaf[1]), lambda a, b: a * b,
         lambda a, b: a * b),
        ("add i32", "int32", 2, ("add", leaf[0], leaf[1]), lambda a, b: a + b,
         lambda a, b: a + b),
        ("where f32", "float32", 3, ("where", ("gt", leaf[0], leaf[1]), leaf[1], leaf[2]),
         None, None),
    ]
    for name, dt, arity, tree, eager, raw in cases:
        tdt = getattr(T, dt)
        args = [(T.rand(n, device="cuda") * 100).to(tdt) for _ in range(arity)]
        nbytes = (arity + 1) * n * tdt.itemsize
        expr = FusedExpression(tree)
        if name.startswith("where"):
            eager = lambda a, b, c: T.where(a > b, b, c)      # noqa: E731
            nbytes = 3 * n * 4 + n * 4
        cols = {"own kernel": gbps(nbytes, sync, expr.run, args),
                "tshell eager": gbps(nbytes, sync, eager, *args)}
        if torch is not None:
            targs = [torch.rand(n, device="cuda").mul(100).to(getattr(torch, dt))
                     for _ in range(arity)]
            tf = (lambda a, b, c: torch.where(a > b, b, c)) if name.startswith("where") else eager
            cols["torch"] = gbps(nbytes, torch.cuda.synchronize, tf, *targs)
        if raw is not None:
            cargs = [(cp.random.rand(n, dtype=cp.float32) * 100).astype(dt) for _ in range(arity)]
            cols["cupy"] = gbps(nbytes, sync, raw, *cargs)
        table.add(f"{name} 2^{LOG2} contiguous", "GB/s", **cols)
    # broadcast: a (COLS, ROWS) matrix plus a row
    m = T.rand(COLS, ROWS, device="cuda")
    row = T.rand(ROWS, device="cuda")
    expr = FusedExpression(("add", leaf[0], leaf[1]))
    nbytes = 2 * m.numel() * 4
    cols = {"own kernel": nbytes / timed(lambda: expr.run([m, row]), sync) / 1e9,
            "tshell eager": nbytes / timed(lambda: m + row, sync) / 1e9}
    if torch is not None:
        tm, tr = torch.rand(COLS, ROWS, device="cuda"), torch.rand(ROWS, device="cuda")
        cols["torch"] = nbytes / timed(lambda: tm + tr, torch.cuda.synchronize) / 1e9
    table.add(f"add f32 broadcast {COLS}x{ROWS} + row", "GB/s", **cols)
    mt = m.t()           # a transposed (strided) operand
    expr2 = FusedExpression(("mul", leaf[0], leaf[1]))
    cols = {"own kernel": nbytes / timed(lambda: expr2.run([mt, 2.0]), sync) / 1e9,
            "tshell eager": nbytes / timed(lambda: mt * 2.0, sync) / 1e9}
    if torch is not None:
        tt = tm.t()
        cols["torch"] = nbytes / timed(lambda: tt * 2.0, torch.cuda.synchronize) / 1e9
    table.add(f"mul f32 transposed {ROWS}x{COLS} * 2.0", "GB/s", **cols)


def reduction_rows(table, T, cp, torch, sync):
    n = 1 << LOG2
    x = T.rand(n, device="cuda")
    xm = x.view(ROWS, COLS)
    ops = [("sum", lambda a: a.sum(), lambda a: a.sum(1)),
           ("mean", lambda a: a.mean(), lambda a: a.mean(1)),
           ("max", lambda a: a.max(), lambda a: a.max(1).values),
           ("var", lambda a: a.var(), lambda a: a.var(1)),
           ("softmax", None, lambda a: a.softmax(1)),
           ("log_softmax", None, lambda a: a.log_softmax(1))]
    tx = torch.rand(n, device="cuda") if torch is not None else None
    for name, full, dim in ops:
        tm = tx.view(ROWS, COLS) if tx is not None else None
        for label, fn, a, ta in (("full", full, x, tx), (f"dim 1 of {ROWS}x{COLS}", dim, xm, tm)):
            if fn is None:
                continue
            nbytes = n * 4 * (2 if name in ("softmax", "log_softmax") else 1)
            cols = {"tshell eager": gbps(nbytes, sync, fn, a)}
            if ta is not None:
                cols["torch"] = gbps(nbytes, torch.cuda.synchronize, fn, ta)
            table.add(f"{name} {label}", "GB/s", **cols)


def latency_rows(table, T, cp, torch, sync):
    from tshell.core.cuda_kernels.fusion import FusedExpression
    s = T.rand(5, 3, device="cuda")
    expr = FusedExpression(("add", ("leaf", 0), ("leaf", 1)))
    cols = {"own kernel": small_latency(lambda: expr.run([s, s]), sync),
            "tshell eager": small_latency(lambda: s + s, sync)}
    c = cp.random.rand(5, 3, dtype=cp.float32)
    cols["cupy"] = small_latency(lambda: c + c, sync)
    if torch is not None:
        ts = torch.rand(5, 3, device="cuda")
        cols["torch"] = small_latency(lambda: ts + ts, torch.cuda.synchronize)
    table.add("5x3 add latency", "µs", **cols)


def _per_iteration(run, n1, n2):
    """Seconds per iteration of a loop that run(n) runs n times (setup excluded: the
    difference of an n2 and an n1 run, best of 3)."""
    def once(n):
        t = time.perf_counter()
        run(n)
        return time.perf_counter() - t
    once(n1)                                          # warm-up: kernels compiled
    return min((once(n2) - once(n1)) / (n2 - n1) for _ in range(3))


def _loop(body, n):
    return f"for i in range({n}):\n{body}torch.cuda.synchronize()\n"


def _tsh_time(setup, body, n1, n2, fusion, launchers):
    """A tsh program's loop, in one interpreter after its setup; fusion off: no launchers."""
    from tshell.lang import Interpreter
    saved = dict(launchers)
    if not fusion:
        launchers.clear()
    try:
        interp = Interpreter(stdout=io.StringIO())
        interp.run_source(setup, "setup.tsh")
        return _per_iteration(lambda n: interp.run_source(_loop(body, n), "loop.tsh"), n1, n2)
    finally:
        launchers.update(saved)


def _torch_time(torch, setup, body, n1, n2):
    """The same program text in Python with PyTorch."""
    namespace = {"torch": torch}
    exec(setup, namespace)
    return _per_iteration(lambda n: exec(_loop(body, n), namespace), n1, n2)


# The fused expressions' programs: setup ({n}: the size, {rg}: requires_grad) and the statement.
FUSED = {
    "(3 * (x + 2) ** 2).mean()": ("x = torch.rand({n}, device='cuda'{rg})\n",
                                  "y = (3 * (x + 2) ** 2).mean()"),
    "x * torch.sigmoid(x)": ("x = torch.rand({n}, device='cuda'{rg})\n",
                             "y = x * torch.sigmoid(x)"),
    "a * b + c": ("a = torch.rand({n}, device='cuda'{rg})\nb = torch.rand({n}, "
                  "device='cuda')\nc = torch.rand({n}, device='cuda')\n", "y = a * b + c"),
    "w -= lr * g": ("w = torch.rand({n}, device='cuda'{rg})\ng = torch.rand({n}, "
                    "device='cuda')\nlr = 0.01\n", "w -= lr * g"),
}


def fused_rows(table, torch, launchers):
    for name, (setup, stmt) in FUSED.items():
        for rg in (False, True):
            body = f"    {stmt}\n"
            if rg and stmt.startswith("w -="):
                body = f"    with torch.no_grad():\n        {stmt}\n"
            setup_rg = setup.format(n=1 << (LOG2 - 1), rg=", requires_grad=True" if rg else "")
            _time_rows(table, f"{name} 2^{LOG2 - 1}{' requires_grad' if rg else ''}", torch,
                       launchers, setup_rg, body, 3, 23)


def _time_rows(table, name, torch, launchers, setup, body, n1, n2):
    cols = {"tshell fused": _tsh_time(setup, body, n1, n2, True, launchers) * 1e3,
            "tshell eager": _tsh_time(setup, body, n1, n2, False, launchers) * 1e3}
    if torch is not None:
        cols["torch"] = _torch_time(torch, setup, body, n1, n2) * 1e3
    table.add(name, "ms", **cols)


def small_program_rows(table, torch, launchers):
    """Per-statement latency of small tsh statements on CUDA (5x3): a single op (eager in
    every mode) and a three-op expression (one kernel when fused)."""
    setup = ("a = torch.rand(5, 3, device='cuda')\nb = torch.rand(5, 3, device='cuda')\n"
             "c = torch.rand(5, 3, device='cuda')\n")
    for name, body in (("z = a + b", "    z = a + b\n"), ("z = a * b + c", "    z = a * b + c\n"),
                       ("z = a * torch.sigmoid(b) - c", "    z = a * torch.sigmoid(b) - c\n")):
        _time_rows(table, f"{name} 5x3, tsh loop, per iteration", torch, launchers, setup, body,
                   200, 2200)


def program_rows(table, torch, launchers):
    """run.py's MLP and seed programs with CUDA as the default device: their setup (before
    the `for` line) and the loop's body."""
    from benchmarks.run import MLP, SEED
    for name, prog, n1, n2 in (("MLP 784-256-10 step", MLP, 5, 55),
                               ("seed snippet", SEED, 20, 220)):
        setup, _, loop = prog.partition("for ")
        body = loop.split("\n", 1)[1]
        _time_rows(table, f"{name} on CUDA", torch, launchers,
                   "torch.set_default_device('cuda')\n" + setup, body, n1, n2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", help="also write the table (markdown) here")
    parser.add_argument("--only", default="", help="sections: elementwise,reductions,latency,"
                        "fused,small,programs (all when empty)")
    args = parser.parse_args()
    try:
        import cupy as cp
    except ImportError:
        print("bench_gpu: CuPy is not installed; nothing to measure")
        return
    import tshell.core as T
    from tshell.core import backend
    if not T.cuda.is_available():
        print("bench_gpu: no CUDA device; nothing to measure")
        return
    backend.load_cuda()
    torch = _torch()
    sync = cp.cuda.runtime.deviceSynchronize
    device = cp.cuda.runtime.getDeviceProperties(0)["name"].decode()
    print(f"device: {device}; torch: {torch.__version__ if torch else 'absent'}; "
          f"cupy {cp.__version__}", flush=True)
    table = Table()
    sections = {"elementwise": lambda: elementwise_rows(table, T, cp, torch, sync),
                "reductions": lambda: reduction_rows(table, T, cp, torch, sync),
                "latency": lambda: latency_rows(table, T, cp, torch, sync),
                "fused": lambda: fused_rows(table, torch, backend.FUSION_LAUNCHERS),
                "small": lambda: small_program_rows(table, torch, backend.FUSION_LAUNCHERS),
                "programs": lambda: program_rows(table, torch, backend.FUSION_LAUNCHERS)}
    for name, run in sections.items():
        if args.only and name not in args.only.split(","):
            continue
        try:
            run()
        except Exception as e:        # one broken section must not lose the others' rows
            print(f"bench_gpu: section {name} failed: {type(e).__name__}: {e}", flush=True)
    text = table.markdown(device)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
