"""Where an MLP training step spends its time: per section, tshell.core against torch.

    python benchmarks/mlp_sections.py                 # tshell.core (this interpreter)
    /path/to/python-with-torch benchmarks/mlp_sections.py --torch

The step of benchmarks/run.py's MLP row (784-256-10, batch 128, SGD), run in-process 2 000
times after 20 warm-up steps, with a timer between its parts; prints microseconds per step
for each part. The same code runs on either library: that is the point of the comparison.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
import time

import run   # the benchmark's MLP program (benchmarks/ is on sys.path when run as a script)

STEPS, WARMUP = 2000, 20


def make_step(torch, totals):
    """The MLP step of run.py, cut into timed sections (its data made by run.py's setup)."""
    clock = time.perf_counter
    data = {"torch": torch}
    exec(run.split_program(run.MLP)[0], data)
    X, Y, w1, b1, w2, b2 = (data[k] for k in ("X", "Y", "w1", "b1", "w2", "b2"))

    def step():
        t0 = clock()
        a = X @ w1
        t1 = clock()
        h = (a + b1).relu()
        logits = h @ w2 + b2
        t2 = clock()
        loss = -logits.log_softmax(1)[torch.arange(128), Y].mean()
        t3 = clock()
        loss.backward()
        t4 = clock()
        with torch.no_grad():
            for p in [w1, b1, w2, b2]:
                p -= 0.1 * p.grad
                p.grad = None
        t5 = clock()
        for name, start, end in (("X @ w1 (128x784 . 784x256)", t0, t1),
                                 ("+ b1, relu, h @ w2 + b2", t1, t2),
                                 ("log_softmax and the loss", t2, t3),
                                 ("loss.backward()", t3, t4),
                                 ("SGD update of 4 parameters", t4, t5),
                                 ("whole step", t0, t5)):
            totals[name] += end - start
    return step


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--torch", action="store_true", help="time PyTorch instead of tshell.core")
    args = ap.parse_args()
    if args.torch:
        import torch
    else:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        import tshell.core as torch
    totals = collections.Counter()
    step = make_step(torch, totals)
    for _ in range(WARMUP):
        step()
    totals.clear()
    for _ in range(STEPS):
        step()
    print(f"{'torch' if args.torch else 'tshell.core'}: microseconds per step")
    for name, total in totals.items():
        print(f"  {name:<30}{total / STEPS * 1e6:8.1f}")


if __name__ == "__main__":
    main()
