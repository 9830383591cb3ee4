"""Where a training step of run.py's nn rows spends its time: nn.Sequential + CrossEntropyLoss
+ an optimizer, tshell.core against torch, the same Python loop on either library.

    python benchmarks/nn_step.py [SGD|Adam]                 # tshell.core (this interpreter)
    /path/to/python-with-torch benchmarks/nn_step.py Adam --torch
    python benchmarks/nn_step.py SGD --calls                # function calls per step, by part
    python benchmarks/nn_step.py SGD --profile              # cProfile of 200 steps
    python benchmarks/nn_step.py Adam --compare-threads      # torch.set_num_threads 1 vs 2

The model, data and optimizer are those of run.py's "MLP nn.Sequential + optim.*" rows
(784-256-10, batch 128). Prints microseconds per step: the whole step (medians of --rounds
rounds of --steps steps, no clock inside), then each part (a clock between the parts).
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import statistics
import sys
import time

import run   # the benchmark's programs (benchmarks/ is on sys.path when run as a script)

OPTIMIZERS = ("Adam", "SGD")
PARTS = ("model(X)", "loss_fn", "backward", "opt.step", "opt.zero_grad")


def make_training(torch, optimizer):
    """The model, loss, optimizer and data of run.py's nn rows (its program's setup, run on
    `torch`), and the step's parts."""
    program = run.LOOPED[f"MLP nn.Sequential + optim.{optimizer}"][1]
    names = {"torch": torch}
    exec(run.split_program(program)[0], names)
    model, loss_fn, opt, X, Y = (names[k] for k in ("model", "loss_fn", "opt", "X", "Y"))
    state = {}

    def forward():
        state["out"] = model(X)

    def loss():
        state["loss"] = loss_fn(state.pop("out"), Y)

    def backward():
        state.pop("loss").backward()

    return forward, loss, backward, opt.step, opt.zero_grad


def run_steps(parts, n):
    forward, loss, backward, step, zero_grad = parts
    for _ in range(n):
        forward()
        loss()
        backward()
        step()
        zero_grad()


def time_parts(parts, n):
    """Microseconds per step in each part, a clock between them."""
    clock = time.perf_counter
    totals = [0.0] * len(parts)
    for _ in range(n):
        for i, part in enumerate(parts):
            t = clock()
            part()
            totals[i] += clock() - t
    return [total / n * 1e6 for total in totals]


def count_calls(parts):
    """Python and C function calls of one step, by part."""
    counts = {}
    for name, part in zip(PARTS, parts):
        seen = collections.Counter()

        def tracer(frame, event, arg, seen=seen):
            if event in ("call", "c_call"):
                seen[event] += 1
        sys.setprofile(tracer)
        part()
        sys.setprofile(None)
        counts[name] = (seen["call"], seen["c_call"] - 1)    # less the setprofile(None)
    return counts


def compare_threads(torch, parts, args):
    """Whole steps with one intra-op thread and with two, round after round (the library's
    own threads: tshell's optimizer update in parts, torch's elementwise kernels)."""
    times = {1: [], 2: []}
    for _ in range(args.rounds):
        for threads in times:
            torch.set_num_threads(threads)
            t = time.perf_counter()
            run_steps(parts, args.steps)
            times[threads].append((time.perf_counter() - t) / args.steps * 1e6)
    for threads, ts in times.items():
        print(f"set_num_threads({threads}): whole step {statistics.median(ts):.0f} us "
              f"(median of {args.rounds} x {args.steps}; best {min(ts):.0f})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("optimizer", nargs="?", default="SGD", choices=OPTIMIZERS)
    ap.add_argument("--torch", action="store_true", help="time PyTorch instead of tshell.core")
    ap.add_argument("--steps", type=int, default=200, help="steps per round")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", action="store_true", help="count function calls per step")
    ap.add_argument("--profile", action="store_true", help="cProfile --steps steps")
    ap.add_argument("--compare-threads", action="store_true",
                    help="whole steps with torch.set_num_threads(1) and (2), alternating")
    args = ap.parse_args()
    if args.torch:
        import torch
    else:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        import tshell.core as torch
    parts = make_training(torch, args.optimizer)
    run_steps(parts, 20)
    library = "torch" if args.torch else "tshell.core"
    if args.calls:
        counts = count_calls(parts)
        for name, (py, c) in counts.items():
            print(f"  {name:<15}{py:5d} Python calls {c:5d} C calls")
        print(f"{library}, one {args.optimizer} step: {sum(py for py, _ in counts.values())} "
              f"Python calls, {sum(c for _, c in counts.values())} C calls")
        return
    if args.compare_threads:
        compare_threads(torch, parts, args)
        return
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(run_steps, parts, args.steps)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return
    whole = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        run_steps(parts, args.steps)
        whole.append((time.perf_counter() - t) / args.steps * 1e6)
    by_part = time_parts(parts, args.steps)
    print(f"{library} + {args.optimizer}: whole step {statistics.median(whole):.0f} us "
          f"(median of {args.rounds} x {args.steps}; best {min(whole):.0f})")
    for name, us in zip(PARTS, by_part):
        print(f"  {name:<15}{us:8.1f}")


if __name__ == "__main__":
    main()
