"""Machine instructions per iteration of a workload, counted by valgrind (deterministic).

    python benchmarks/count_instructions.py                # every workload, tsh and core
    python benchmarks/count_instructions.py seed --as core
    python benchmarks/count_instructions.py compile        # parse + compile, per line

On a shared machine wall-clock times of the same code vary 10-15% between runs, which hides
the effect of a change to the per-op path. The number of instructions executed does not
vary (with a fixed hash seed and one BLAS thread), so it is the figure to compare before and
after such a change; the timing runs (run.py) remain the figures that count.

Each workload runs twice under `valgrind --tool=callgrind`, with a few and with many
iterations; the difference divided by the difference in iterations is the cost of one
iteration, without start-up and setup. Needs valgrind on PATH; slow (~50x).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import run   # the benchmark's programs (benchmarks/ is on sys.path when run as a script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name: (program, few iterations, many iterations); for "compile" an iteration is a line of
# run.py's parse + compile script (parsed and compiled, not run).
WORKLOADS = {
    "loop": (run.LOOP, 1000, 6000),
    "seed": (run.SEED, 100, 600),
    # The MLP shrunk as in mlp_floor.py: what is left is the work per op, not the kernels.
    "mlp-tiny": (run.MLP.replace("128", "8").replace("784", "12").replace("256", "16"), 20, 120),
    "compile": (None, 400, 2400),
    # issue 16's rows shrunk the same way: nn.Sequential + CrossEntropyLoss + an optimizer.
    "nn-sgd-tiny": (run.MLP_NN.format(optimizer="SGD", lr=0.1).replace("128", "8")
                    .replace("784", "12").replace("256", "16"), 20, 120),
    "nn-adam-tiny": (run.MLP_NN.format(optimizer="Adam", lr=0.001).replace("128", "8")
                     .replace("784", "12").replace("256", "16"), 20, 120),
}

PROGRAM = """
import sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[1] + "/benchmarks")
import run
text = open(sys.argv[3]).read()
if sys.argv[2] == "compile":
    from tshell.lang import Interpreter
    it = Interpreter()
    it.compile("x = 1" + chr(10), "warm.tsh")
    it.compile(text, "big.tsh")
    sys.exit()
setup, loop = run.split_program(text)
if sys.argv[2] == "tsh":
    from tshell.lang import Interpreter
    it = Interpreter()
    it.run_compiled(it.compile(setup, "setup.tsh"))
    it.run_compiled(it.compile(loop, "loop.tsh"))
else:
    if sys.argv[2] == "torch":
        import torch
        torch.set_num_threads(1)
    else:
        import tshell.core as torch
    ns = {"torch": torch}
    exec(setup, ns)
    exec(compile(loop, "loop", "exec"), ns)
"""


def instructions(kind, text, tmp):
    """Instructions of one process running `text` as `kind` (tsh, core, or torch: the same
    Python program over PyTorch, run by $TORCH_PYTHON)."""
    path = os.path.join(tmp, "workload.txt")
    with open(path, "w") as f:
        f.write(text)
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    python = os.environ.get("TORCH_PYTHON", "python") if kind == "torch" else sys.executable
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          python, "-c", PROGRAM, ROOT, kind, path],
                         capture_output=True, text=True, env=env)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode != 0 or not found:
        raise RuntimeError(f"valgrind run failed: {out.stderr.strip()[-500:]}")
    return int(found.group(1))


def per_iteration(kind, program, few, many, tmp):
    texts = [run.compile_script(n) if program is None else program.format(n=n)
             for n in (few, many)]
    counts = [instructions(kind, text, tmp) for text in texts]
    return (counts[1] - counts[0]) // (many - few)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workloads", nargs="*", metavar="workload",
                    help=f"any of {', '.join(WORKLOADS)} (default: all)")
    ap.add_argument("--as", dest="kinds", action="append", choices=["tsh", "core", "torch"],
                    help="tsh script, Python over tshell.core, or Python over PyTorch "
                         "($TORCH_PYTHON) (default: tsh and core)")
    args = ap.parse_args()
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        ap.error(f"unknown workload {unknown[0]!r} (choose from {', '.join(WORKLOADS)})")
    if shutil.which("valgrind") is None:
        sys.exit("count_instructions: valgrind is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.workloads or WORKLOADS:
            program, few, many = WORKLOADS[name]
            kinds = ["compile"] if program is None else args.kinds or ["tsh", "core"]
            for kind in kinds:
                n = per_iteration(kind, program, few, many, tmp)
                unit = "line" if program is None else "iteration"
                print(f"{name:<10} {kind:<7} {n:>10,} instructions per {unit}")


if __name__ == "__main__":
    main()
