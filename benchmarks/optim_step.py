"""What torch.optim costs on benchmarks/run.py's MLP (784-256-10, batch 128, 200 steps).

    python benchmarks/optim_step.py                  # tshell, and torch when importable
    TORCH_PYTHON=/path/to/python-with-torch python benchmarks/optim_step.py
    python benchmarks/optim_step.py --threads 1      # both libraries on one thread

Two measures, each a median over alternating repetitions:
- the 200-step training loop as a tsh program (as run.py times it), with the hand-written
  update (`p -= 0.1 * p.grad`), with optim.SGD(lr=0.1) and with optim.Adam; and the same
  program in Python + torch;
- the update alone, in-process: 2000 updates of the four parameters with fixed gradients
  (hand-written, SGD's step(), Adam's step()), in microseconds per update.

--threads N sets OMP_NUM_THREADS, MKL_NUM_THREADS and OPENBLAS_NUM_THREADS for every process:
on a machine shared with other work, libraries whose threads spin-wait (torch's OpenMP)
lose most of their time to it, and one thread each gives steadier figures.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import run   # the benchmark's MLP program and harnesses (benchmarks/ is on sys.path)

HAND_UPDATE = """    with torch.no_grad():
        for p in [w1, b1, w2, b2]:
            p -= 0.1 * p.grad
            p.grad = None
"""
OPTIMIZER_UPDATE = """    opt.step()
    opt.zero_grad()
"""
OPTIMIZERS = {"hand-written SGD": None, "optim.SGD": "torch.optim.SGD({params}, lr=0.1)",
              "optim.Adam": "torch.optim.Adam({params}, lr=0.001)"}
PARAMS = "[w1, b1, w2, b2]"
ENV = dict(run.ENV)     # the environment of every measured process (--threads adds to it)

# The update alone: {make} builds the optimizer (or nothing); {update} is one update.
UPDATE_ALONE = """
import time
torch.manual_seed(0)
ps = [torch.randn(784, 256), torch.randn(256), torch.randn(256, 10), torch.randn(10)]
for p in ps:
    p.requires_grad_()
    p.grad = torch.randn(p.shape) * 0.01
opt = {make}
def update():
{update}
for i in range(20):
    update()
t = time.perf_counter()
for i in range({n}):
    update()
print((time.perf_counter() - t) / {n})
"""
HAND_ALONE = """    with torch.no_grad():
        for p in ps:
            p -= 0.1 * p.grad
"""


def program(name):
    """The MLP of run.py with its update replaced by optimizer `name`'s."""
    text = run.MLP
    make = OPTIMIZERS[name]
    if make is None:
        return text
    assert HAND_UPDATE in text
    setup, loop = run.split_program(text)
    return setup + f"opt = {make.format(params=PARAMS)}\n" + loop.replace(HAND_UPDATE,
                                                                          OPTIMIZER_UPDATE)


def time_loops(reps, torch_ok, tmp):
    """{(implementation, optimizer): [seconds of the 200-step loop per repetition]}."""
    samples = {}
    for _ in range(reps):
        for name in OPTIMIZERS:
            impls = {"tshell": run.PYTHON}
            if torch_ok:
                impls["torch"] = run.TORCH_PYTHON
            for impl, python in impls.items():
                paths = [os.path.join(tmp, f"{impl}.{part}") for part in ("setup", "loop")]
                for path, part in zip(paths, run.split_program(program(name).format(n=200))):
                    with open(path, "w") as f:
                        f.write(part)
                out = subprocess.run([python, "-c", run.HARNESS[impl], *paths],
                                     capture_output=True, text=True, env=ENV, check=True)
                samples.setdefault((impl, name), []).append(float(out.stdout.split()[-1]))
    return samples


def time_updates(reps, torch_ok, n=2000):
    """{(implementation, update): [seconds per update per repetition]}, in-process."""
    updates = {"hand-written SGD": ("None", HAND_ALONE),
               "optim.SGD": ("torch.optim.SGD(ps, lr=0.1)", "    opt.step()\n"),
               "optim.Adam": ("torch.optim.Adam(ps, lr=0.001)", "    opt.step()\n")}
    preludes = {"tshell": "import tshell.core as torch\n", "torch": "import torch\n"}
    pythons = {"tshell": run.PYTHON, "torch": run.TORCH_PYTHON}
    samples = {}
    for _ in range(reps):
        for name, (make, update) in updates.items():
            for impl in ("tshell", "torch") if torch_ok else ("tshell",):
                code = preludes[impl] + UPDATE_ALONE.format(make=make, update=update, n=n)
                out = subprocess.run([pythons[impl], "-c", code], capture_output=True,
                                     text=True, env=ENV, check=True)
                samples.setdefault((impl, name), []).append(float(out.stdout.split()[-1]))
    return samples


def report(title, samples, unit, scale):
    print(title)
    names = list(OPTIMIZERS)
    for name in names:
        row = f"  {name:<18}"
        for impl in ("tshell", "torch"):
            values = samples.get((impl, name))
            row += f"{impl} {statistics.median(values) * scale:9.1f} {unit}   " if values \
                else f"{impl} {'-':>9}      "
        print(row)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, help="threads per library (default: theirs)")
    args = ap.parse_args()
    if args.threads:
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            ENV[name] = str(args.threads)
    torch_ok = run.has_torch()
    with tempfile.TemporaryDirectory() as tmp:
        loops = time_loops(args.reps, torch_ok, tmp)
    report("MLP 784-256-10, 200 training steps (the loop of run.py's row):", loops, "ms", 1e3)
    report("The update alone, four parameters (microseconds per update):",
           time_updates(args.reps, torch_ok), "us", 1e6)
    if not torch_ok:
        print("(torch not importable by TORCH_PYTHON: its columns show '-')", file=sys.stderr)


if __name__ == "__main__":
    main()
