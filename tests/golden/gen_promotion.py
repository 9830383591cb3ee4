"""Generate tests/golden/promotion.json from real PyTorch.

Run with the torch environment (torch 2.13 CPU):

    python tests/golden/gen_promotion.py

The JSON records, for every ordered pair of operands drawn from
{10 dtypes} x {dim>0 tensor, 0-dim tensor} plus the Python scalars bool/int/float,
torch's result dtype (or the exact error, ``"Type: message"``) of ``a + b``,
``a * b``, ``a / b``, ``a < b`` (plus ``- // % ** ==`` and the in-place ``add_ mul_ div_``,
whose left operand is always a tensor); and, for a fixed sample of shape pairs, the
broadcast result shape of ``a + b`` or torch's exact error text.

tests/core/test_promotion.py reads the JSON; it never imports torch.
"""

import itertools
import json
import operator
import random
from pathlib import Path

import torch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64",
          "float16", "bfloat16", "float32", "float64"]
TENSOR_KINDS = ["tensor", "0dim"]        # dim>0 tensor (shape (2,)), 0-dim tensor
SCALAR_KINDS = ["bool", "int", "float"]  # Python scalars
SCALAR_VALUES = {"bool": True, "int": 2, "float": 2.5}
OPS = {"add": operator.add, "mul": operator.mul, "div": operator.truediv, "lt": operator.lt,
       "sub": operator.sub, "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow,
       "eq": operator.eq,
       # in place: the left operand must be a tensor; its dtype and shape must hold the result
       "add_": lambda a, b: a.add_(b), "mul_": lambda a, b: a.mul_(b),
       "div_": lambda a, b: a.div_(b)}


def operand_keys():
    keys = []
    for kind in TENSOR_KINDS:
        for dt in DTYPES:
            keys.append(f"{kind}:{dt}")
    for kind in SCALAR_KINDS:
        keys.append(f"py:{kind}")
    return keys


def make(key):
    kind, what = key.split(":")
    if kind == "py":
        return SCALAR_VALUES[what]
    dtype = getattr(torch, what)
    if kind == "tensor":
        return torch.ones(2, dtype=dtype)
    return torch.ones((), dtype=dtype)


def run(fn, *args):
    """Result dtype name ("float32"), or "!Type: message" when torch raises."""
    try:
        return str(fn(*args).dtype).replace("torch.", "")
    except Exception as e:  # record torch's exact error
        return f"!{type(e).__name__}: {e}"


def shape_samples(n=400, seed=1234):
    rng = random.Random(seed)
    out = []
    seen = set()
    while len(out) < n:
        a = tuple(rng.choice([0, 1, 1, 2, 3, 4]) for _ in range(rng.randint(0, 4)))
        if rng.random() < 0.6:
            # build a compatible partner: same trailing dims with some 1s / dropped dims
            nb = rng.randint(0, 4)
            b = []
            for i in range(nb):
                j = len(a) - nb + i
                if 0 <= j < len(a):
                    b.append(rng.choice([a[j], a[j], 1]))
                else:
                    b.append(rng.choice([1, 2, 3]))
            b = tuple(b)
        else:
            b = tuple(rng.choice([0, 1, 2, 3, 4]) for _ in range(rng.randint(0, 4)))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        try:
            r = torch.ones(a) + torch.ones(b)
            out.append({"a": list(a), "b": list(b), "shape": list(r.shape)})
        except Exception as e:
            out.append({"a": list(a), "b": list(b), "error": f"{type(e).__name__}: {e}"})
    return out


def main():
    torch.set_default_dtype(torch.float32)
    keys = operand_keys()
    table = {}
    for op_name, fn in OPS.items():
        entries = {}
        for ka, kb in itertools.product(keys, keys):
            if ka.startswith("py:") and (kb.startswith("py:") or op_name.endswith("_")):
                continue
            entries[f"{ka}|{kb}"] = run(fn, make(ka), make(kb))
        table[op_name] = entries
    data = {
        "torch_version": torch.__version__,
        "dtypes": DTYPES,
        "tensor_kinds": TENSOR_KINDS,
        "scalar_kinds": SCALAR_KINDS,
        "scalar_values": SCALAR_VALUES,
        "note": "key 'A|B' = left operand A, right operand B; 'tensor:D' is a dim>0 tensor "
                "of dtype D, '0dim:D' a 0-dim tensor, 'py:K' a Python scalar of kind K",
        "ops": table,
        "broadcast": shape_samples(),
    }
    path = Path(__file__).with_name("promotion.json")
    # one entry per line keeps the file small and diffs readable
    lines = ["{"]
    for k in ("torch_version", "dtypes", "tensor_kinds", "scalar_kinds", "scalar_values", "note"):
        lines.append(f" {json.dumps(k)}: {json.dumps(data[k])},")
    lines.append(' "ops": {')
    for i, (op_name, entries) in enumerate(table.items()):
        lines.append(f"  {json.dumps(op_name)}: {{")
        items = list(entries.items())
        for j, (k, v) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(f"   {json.dumps(k)}: {json.dumps(v)}{comma}")
        lines.append("  }" + ("," if i < len(table) - 1 else ""))
    lines.append(" },")
    lines.append(' "broadcast": [')
    b = data["broadcast"]
    for j, e in enumerate(b):
        lines.append("  " + json.dumps(e) + ("," if j < len(b) - 1 else ""))
    lines.append(" ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    assert json.loads(text) == json.loads(json.dumps(data))
    path.write_text(text)
    n = sum(len(v) for v in table.values())
    print(f"wrote {path} ({n} dtype entries, {len(data['broadcast'])} shape pairs)")


if __name__ == "__main__":
    main()
