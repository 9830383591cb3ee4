"""Per-op overhead of the core's Python API: 5x3 float32 `x + y`, against NumPy and torch.

Run:  python benchmarks/bench_core.py          (torch is optional; its row is skipped if absent)
Each figure is the best of several repeats of many calls, in microseconds per call, measured
in one process run so that the ratios compare like with like.
"""
from __future__ import annotations

import os
import subprocess
import sys
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

CALLS = int(os.environ.get("BENCH_CALLS", "200000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))

# name: (statement for tshell and torch, statement for NumPy)
CASES = {
    "x + y": ("x + y", "x + y"),
    "x * 2": ("x * 2", "x * 2"),
    "x.sum()": ("x.sum()", "x.sum()"),
    "x.exp()": ("x.exp()", "np.exp(x)"),
}


def per_call(stmt, env):
    return min(timeit.repeat(stmt, globals=env, number=CALLS, repeat=REPEATS)) / CALLS * 1e6


def tshell_env():
    import tshell.core as T
    return {"x": T.rand(5, 3), "y": T.rand(5, 3)}


def numpy_env():
    import numpy as np
    r = np.random.default_rng(0)
    return {"x": r.random((5, 3), dtype=np.float32), "y": r.random((5, 3), dtype=np.float32),
            "np": np}


TORCH_SNIPPET = """
import sys, timeit, torch
x, y = torch.rand(5, 3), torch.rand(5, 3)
for stmt in sys.argv[3:]:
    t = min(timeit.repeat(stmt, globals=dict(x=x, y=y), number=int(sys.argv[1]),
                          repeat=int(sys.argv[2]))) / int(sys.argv[1]) * 1e6
    print(t)
"""


def torch_times(python):
    """torch's figures from an interpreter that has torch (TORCH_PYTHON, or this one)."""
    try:
        out = subprocess.run([python, "-c", TORCH_SNIPPET, str(CALLS), str(REPEATS),
                              *(c[0] for c in CASES.values())],
                             capture_output=True, text=True, timeout=600, check=True).stdout
        return [float(v) for v in out.split()]
    except (subprocess.CalledProcessError, OSError, ValueError):
        return None


def main():
    ts, npy = tshell_env(), numpy_env()
    torch = torch_times(os.environ.get("TORCH_PYTHON", sys.executable))
    print(f"{'op (5x3 float32)':<18}{'tshell us':>11}{'numpy us':>10}{'torch us':>10}"
          f"{'tshell/torch':>14}{'tshell/numpy':>14}")
    for i, (name, (stmt, np_stmt)) in enumerate(CASES.items()):
        t, n = per_call(stmt, ts), per_call(np_stmt, npy)
        tt = torch[i] if torch else None
        ratio = f"{t / tt:>14.2f}" if tt else f"{'-':>14}"
        print(f"{name:<18}{t:>11.3f}{n:>10.3f}{(tt or float('nan')):>10.3f}{ratio}{t / n:>14.2f}")


if __name__ == "__main__":
    main()
