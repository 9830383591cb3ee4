"""Generate the core goldens from real PyTorch.

    python tests/golden/gen_core_goldens.py            # every file (a Python with torch 2.13)
    python tests/golden/gen_core_goldens.py scatter    # one family

Runs every case of core_cases.py (-> core_goldens.json) and of each family file
tests/golden/families/NAME.py (-> families/NAME.json) with ``torch`` (2.13.0, CPU) and ``np``
bound, through the same runner the test uses, and writes case id, snippet, comparison
options and expected output. The output is deterministic: running it twice gives
byte-identical JSON. Naming families regenerates only theirs.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

HERE = Path(__file__).resolve().parent
FAMILIES = HERE / "families"


def load_cases():
    spec = importlib.util.spec_from_file_location("core_cases", HERE / "core_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def record(cc, cases, torch, np, generator_args=""):
    records = []
    for case in cases:
        cc.reset_state(torch)
        torch.manual_seed(0)
        out = cc.run_case(case, torch, np)
        records.append({
            "id": case["id"],
            "code": case["code"],
            "warn": case["warn"],
            "cut": case["cut"],
            "state": case["state"],
            "expected": out,
        })
    return {
        "generator": "tests/golden/gen_core_goldens.py" + generator_args,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "count": len(records),
        "cases": records,
    }


def write(doc, path):
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {doc['count']} cases to {path}", file=sys.stderr)


def main(argv) -> int:
    import numpy as np
    import torch
    import torch.nn.utils.prune

    torch.set_num_threads(1)
    cc = load_cases()
    if not argv:
        write(record(cc, cc.CASES, torch, np), HERE / "core_goldens.json")
    names = argv or sorted(p.stem for p in FAMILIES.glob("*.py"))
    for name in names:
        cases = cc.family_cases(FAMILIES / f"{name}.py")
        write(record(cc, cases, torch, np, f" {name}"), FAMILIES / f"{name}.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
