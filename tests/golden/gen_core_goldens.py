"""Generate tests/golden/core_goldens.json from real PyTorch.

    /work/torchenv/bin/python tests/golden/gen_core_goldens.py

Runs every case of core_cases.py with ``torch`` (2.13.0, CPU) and ``np`` bound, through the
same runner the test uses, and writes case id, snippet, comparison options and expected
output.  The output is deterministic: running it twice gives byte-identical JSON.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

HERE = Path(__file__).resolve().parent
OUT = HERE / "core_goldens.json"


def load_cases():
    spec = importlib.util.spec_from_file_location("core_cases", HERE / "core_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> int:
    import numpy as np
    import torch

    torch.set_num_threads(1)
    cc = load_cases()
    records = []
    for case in cc.CASES:
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
    doc = {
        "generator": "tests/golden/gen_core_goldens.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "count": len(records),
        "cases": records,
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(records)} cases to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
