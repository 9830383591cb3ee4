"""Generate tests/golden/seed_goldens.json: what real PyTorch prints for samples/seed_*.tsh.

    python tests/golden/gen_seed_goldens.py      # a Python with torch==2.13.0

The seed samples are valid Python.  Each one is run under torch 2.13 (CPU) in a fresh
subprocess (so the random generator starts from its default state), its text exec'd with
``torch`` and ``np`` importable and stdout captured.  Three runs per sample:

- ``golden``: plain run, as a user would run the file with Python + torch, after
  ``torch.manual_seed(0)`` (torch's default generator state is not fixed from one process
  to the next); its stdout is the expected output.
- ``seed1`` / ``seed2``: ``torch.manual_seed(1)`` resp. ``(2)`` first, and ``torch.empty``,
  ``torch.empty_like`` and ``Tensor.new_empty`` made to return random values (their contents
  are arbitrary in torch; tshell zero-fills).  Lines that differ between these two runs
  depend on random values: they are recorded as ``random_lines`` (0-based line numbers),
  where tests/test_samples.py compares numbers loosely.

Object addresses (``0x...``) are written as ``0x0``.  Running the generator twice gives the
same JSON, except for the arbitrary contents torch.empty() prints (on random lines anyway).
Only random_lines loosen the comparison; every other line must match tshell's exactly.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "seed_goldens.json"
ADDR = re.compile(r"0x[0-9a-fA-F]+")

# Runs inside the torch interpreter: argv = [mode, file]; writes captured stdout to stdout.
RUNNER = r'''
import contextlib, io, sys, warnings
warnings.simplefilter("ignore")
mode, path = sys.argv[1], sys.argv[2]
import numpy as np
import torch
torch.set_num_threads(1)
torch.manual_seed({"golden": 0, "seed1": 1, "seed2": 2}[mode])
if mode != "golden":
    _empty, _empty_like, _new_empty = torch.empty, torch.empty_like, torch.Tensor.new_empty
    def _fill(t):
        with torch.no_grad():
            if t.is_floating_point() or t.is_complex():
                t.normal_()
            elif t.dtype == torch.bool:
                t.random_(0, 2)
            else:
                t.random_(-1000, 1000)
        return t
    torch.empty = lambda *a, **k: _fill(_empty(*a, **k))
    torch.empty_like = lambda *a, **k: _fill(_empty_like(*a, **k))
    torch.Tensor.new_empty = lambda self, *a, **k: _fill(_new_empty(self, *a, **k))
text = open(path, encoding="utf-8").read()
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    exec(compile(text, path, "exec"), {"__name__": "__main__"})
sys.stdout.write(buf.getvalue())
'''


def run(mode: str, path: Path) -> str:
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONIOENCODING="utf-8")
    p = subprocess.run([sys.executable, "-c", RUNNER, mode, str(path)], cwd=ROOT, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=300)
    if p.returncode != 0:
        raise SystemExit(f"{path}: torch run ({mode}) failed:\n{p.stderr}")
    return p.stdout


def main() -> int:
    import numpy as np
    import torch

    samples = {}
    for path in sorted((ROOT / "samples").glob("seed_*.tsh")):
        golden = ADDR.sub("0x0", run("golden", path))
        a = ADDR.sub("0x", run("seed1", path)).split("\n")
        b = ADDR.sub("0x", run("seed2", path)).split("\n")
        g = golden.split("\n")
        if not (len(a) == len(b) == len(g)):
            raise SystemExit(f"{path}: runs differ in line count ({len(g)}, {len(a)}, {len(b)});"
                             " random lines cannot be identified line by line")
        random_lines = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        samples[path.name] = {"stdout": golden, "random_lines": random_lines}
        print(f"{path.name}: {len(g) - 1} lines, random: {random_lines}", file=sys.stderr)
    doc = {
        "generator": "tests/golden/gen_seed_goldens.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "samples": samples,
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(samples)} samples to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
