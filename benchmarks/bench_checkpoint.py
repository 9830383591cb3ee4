"""Loading a 1 GiB checkpoint: tshell's torch.load against PyTorch's, time and peak memory.

    TORCH_PYTHON=PYTHON_WITH_TORCH python benchmarks/bench_checkpoint.py
    ... bench_checkpoint.py --file /tmp/ckpt.pt --reps 5

The checkpoint (a state_dict of 64 float32 tensors of 2048 x 2048, 1 GiB, plus a few small
ones) is written with PyTorch when the file is absent, as is the same state_dict in
safetensors format. Every measurement is a fresh process, implementations alternating; the
file is read once first so every run finds it in the page cache. Reported: the median time
of the load call alone, and the peak memory it added (VmHWM after minus before). With
mmap=True both map the file: the memory added should be near zero until tensors are read.
The safetensors rows compare the `safetensors` package (its torch flavour, in the PyTorch
environment) with tshell's own reader.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
TORCH_PYTHON = os.environ.get("TORCH_PYTHON", sys.executable)
ENV = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""),
           OMP_NUM_THREADS="1")

WRITE = """
import sys, torch
torch.manual_seed(0)
sd = {f"layers.{i}.weight": torch.randn(2048, 2048) for i in range(64)}
sd.update({f"layers.{i}.bias": torch.randn(2048) for i in range(64)})
torch.save(sd, sys.argv[1])
from safetensors.torch import save_file
save_file(sd, sys.argv[2])
"""

# One measurement: import, then time the load and the peak memory it adds.
MEASURE = """
import sys, time
def hwm():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmHWM"))
{imports}
before = hwm()
start = time.perf_counter()
value = {load}
took = time.perf_counter() - start
print(took, hwm() - before, len(value))
"""

# tshell imports its file formats on first use; `import torch` has imported PyTorch's: both
# are imported before the clock starts.
TSHELL = "import tshell.core as torch, tshell.core.serialization"
CASES = {
    "torch.load": ("torch", "import torch",
                   "torch.load(sys.argv[1], weights_only=True, mmap=False)"),
    "tshell load": ("tshell", TSHELL,
                    "torch.load(sys.argv[1], mmap=False)"),
    "torch.load mmap": ("torch", "import torch",
                        "torch.load(sys.argv[1], weights_only=True, mmap=True)"),
    "tshell load mmap": ("tshell", TSHELL,
                         "torch.load(sys.argv[1], mmap=True)"),
    "safetensors (package)": ("torch", "from safetensors.torch import load_file",
                              "load_file(sys.argv[2])"),
    "safetensors (tshell)": ("tshell", TSHELL, "torch.load(sys.argv[2])"),
    "safetensors pread (package)": ("torch", "from safetensors.torch import load_file",
                                    "load_file(sys.argv[2], backend='pread')"),
    "safetensors pread (tshell)": (
        "tshell", TSHELL + "; from tshell.core import safetensors",
        "safetensors.load_file(sys.argv[2], backend='pread')"),
}


def measure(name, pt, st):
    who, imports, load = CASES[name]
    python = TORCH_PYTHON if who == "torch" else PYTHON
    code = MEASURE.format(imports=imports, load=load)
    out = subprocess.run([python, "-c", code, pt, st], capture_output=True, text=True,
                         env=ENV, check=True).stdout.split()
    return float(out[0]), int(out[1])


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--file", default=os.path.join(tempfile.gettempdir(),
                                                       "tshell-bench-1gib.pt"))
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    pt = args.file
    st = os.path.splitext(pt)[0] + ".safetensors"
    if not (os.path.exists(pt) and os.path.exists(st)):
        print(f"writing {pt} and {st} with PyTorch...", flush=True)
        subprocess.run([TORCH_PYTHON, "-c", WRITE, pt, st], check=True, env=ENV)
    warm(pt)
    warm(st)
    print(f"file: {pt} ({os.path.getsize(pt) / 2 ** 30:.2f} GiB), {args.reps} runs each, "
          "median")
    results = {name: [] for name in CASES}
    for _ in range(args.reps):
        for name in CASES:                     # alternating, so drift hits all alike
            results[name].append(measure(name, pt, st))
    print(f"{'':30}{'time':>10}{'peak memory added':>20}")
    for name, runs in results.items():
        t = statistics.median(r[0] for r in runs)
        m = statistics.median(r[1] for r in runs)
        print(f"{name:30}{t * 1000:>8.0f}ms{m / 2 ** 20:>16.0f} MiB")
    for a, b in (("tshell load", "torch.load"), ("tshell load mmap", "torch.load mmap"),
                 ("safetensors (tshell)", "safetensors (package)"),
                 ("safetensors pread (tshell)", "safetensors pread (package)")):
        ratio = statistics.median(r[0] for r in results[a]) / \
            statistics.median(r[0] for r in results[b])
        print(f"{a} / {b}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
