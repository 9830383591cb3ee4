"""What bounds the MLP row on this machine: the BLAS, and the per-step overhead.

    python benchmarks/mlp_floor.py
    TORCH_PYTHON=/path/to/python-with-torch python benchmarks/mlp_floor.py

Two measurements, each in fresh processes (torch's columns when TORCH_PYTHON imports torch):

1. The MLP's two large matrix products, float32: `X @ w1` (128x784 . 784x256, forward) and
   `X.T @ g` (784x128 . 128x256, w1's gradient), as NumPy's BLAS and torch's BLAS run them,
   on one thread and on the default number of threads. tshell calls NumPy's product, so its
   products cannot be faster than NumPy's column.
2. The per-step overhead: run.py's MLP program with every size shrunk (batch 8, 12-16-10) so
   the kernels cost next to nothing and what is left is the work per op (dispatch, autograd
   recording, the backward engine, the interpreter): as tsh, as Python over tshell.core, as
   Python + torch, and the hand-written NumPy step (no autograd) for scale.

Figures are the best of several rounds in several processes, the processes of the libraries
alternating (microseconds): the least disturbed by the machine.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

import run   # the benchmark's programs (benchmarks/ is on sys.path when run as a script)

PRODUCTS = """
import sys, time
lib, threads, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
if lib == "torch":
    import torch
    torch.set_num_threads(threads) if threads else None
    rand = lambda *s: torch.rand(*s)
    mm = lambda a, b, out: torch.matmul(a, b, out=out)
else:
    import numpy as np
    rand = lambda *s: np.random.rand(*s).astype(np.float32)
    mm = lambda a, b, out: np.matmul(a, b, out=out)
X, w, g = rand(128, 784), rand(784, 256), rand(128, 256)
o1, o2 = rand(128, 256), rand(784, 256)
for name, f in (("X @ w1", lambda: mm(X, w, o1)), ("X.T @ g", lambda: mm(X.T, g, o2))):
    best = 1e9
    for _ in range(rounds):
        for _ in range(10):
            f()
        t = time.perf_counter()
        for _ in range(100):
            f()
        best = min(best, (time.perf_counter() - t) / 100)
    print(name, best * 1e6)
"""

TINY = """
import sys, time
sys.path.insert(0, sys.argv[2])
import run
kind, rounds = sys.argv[1], int(sys.argv[3])
def shrink(text):
    return text.replace("128", "8").replace("784", "12").replace("256", "16").format(n=200)
setup, loop = run.split_program(shrink(run.NUMPY_MLP if kind == "numpy" else run.MLP))
if kind == "tsh":
    from tshell.lang import Interpreter
    it = Interpreter()
    s, l = it.compile(setup, "setup.tsh"), it.compile(loop, "loop.tsh")
    it.run_compiled(s)
    step = lambda: it.run_compiled(l)
else:
    if kind == "torch":
        import torch
    elif kind == "core":
        import tshell.core as torch
    ns = {"torch": torch} if kind != "numpy" else {}
    exec(setup, ns)
    code = compile(loop, "loop", "exec")
    step = lambda: exec(code, ns)
best = 1e9
for _ in range(rounds):
    t = time.perf_counter()
    step()
    best = min(best, (time.perf_counter() - t) / 200)
print(best * 1e6)
"""


def python_for(lib):
    return run.TORCH_PYTHON if lib == "torch" else run.PYTHON


def products(libs, rounds, passes):
    """{(lib, threads label): {product: microseconds}}; threads 0 means the default."""
    out = {}
    for _ in range(passes):          # the processes alternate, so a slow spell hits them all
        for lib in libs:
            for threads in (1, 0):
                env = dict(run.ENV)
                if lib == "numpy" and threads:
                    env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(threads)
                argv = [python_for(lib), "-c", PRODUCTS, lib, str(threads), str(rounds)]
                text = subprocess.run(argv, capture_output=True, text=True, env=env,
                                      check=True).stdout
                best = out.setdefault((lib, "1 thread" if threads else "default"), {})
                for line in text.strip().splitlines():
                    name, us = line.rsplit(" ", 1)
                    best[name] = min(best.get(name, float("inf")), float(us))
    return out


def overhead(kinds, rounds, passes):
    here = os.path.dirname(os.path.abspath(__file__))
    best = dict.fromkeys(kinds, float("inf"))
    for _ in range(passes):
        for kind in kinds:
            argv = [python_for(kind), "-c", TINY, kind, here, str(rounds)]
            us = float(subprocess.run(argv, capture_output=True, text=True, env=run.ENV,
                                      check=True).stdout)
            best[kind] = min(best[kind], us)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one round each (CI keeps it working)")
    quick = ap.parse_args().quick
    torch_ok = run.has_torch()
    libs = ["numpy"] + (["torch"] if torch_ok else [])
    passes = 1 if quick else 3
    rounds = 1 if quick else 5
    print(f"1. the MLP's large products, float32, best of {passes} processes x {rounds} x 100 "
          f"(us per product)")
    print(f"   {'library, threads':<24}{'X @ w1':>10}{'X.T @ g':>10}")
    for (lib, threads), row in products(libs, rounds, passes).items():
        print(f"   {lib + ', ' + threads:<24}{row['X @ w1']:>10.1f}{row['X.T @ g']:>10.1f}")
    rounds = 1 if quick else 10
    print(f"2. per-step overhead: the MLP shrunk to batch 8, 12-16-10 (us per step, best of "
          f"{passes} processes x {rounds} x 200 steps)")
    kinds = ["tsh", "core"] + (["torch"] if torch_ok else []) + ["numpy"]
    names = {"tsh": "tsh", "core": "Python + tshell.core", "torch": "Python + torch",
             "numpy": "hand-written NumPy"}
    for kind, us in overhead(kinds, rounds, passes).items():
        print(f"   {names[kind]:<24}{us:>10.1f}")


if __name__ == "__main__":
    sys.exit(main())
