"""Where the core's names are reachable: torch.NAME, Tensor.NAME, torch.nn.functional.NAME,
torch.linalg.NAME, torch.special.NAME, torch.fft.NAME. `python -m tests.core.exposure --write`
records today's names in tests/core/data/exposure.txt (place, name, the module that defines
the object); test_registry.py checks that none is lost and that each comes from an export
declaration (tshell/core/registry.py)."""
from __future__ import annotations

import os
import sys
import types

DATA = os.path.join(os.path.dirname(__file__), "data", "exposure.txt")


def _module_of(obj):
    obj = obj.fget if isinstance(obj, property) else obj
    return getattr(obj, "__module__", None) or type(obj).__module__


def reachable():
    """{(place, name): object} as tshell.core offers them now."""
    import tshell.core as torch
    import tshell.core.nn.functional as F
    found = {}
    for name in torch.__all__:
        value = getattr(torch, name)
        if not isinstance(value, (types.ModuleType, types.SimpleNamespace)):
            found["torch", name] = value
    for name, value in vars(torch.Tensor).items():
        if not name.startswith("_") and _module_of(value) != "tshell.core.tensor":
            found["Tensor", name] = value
    for name in F.__all__:
        found["F", name] = getattr(F, name)
    for place in ("linalg", "special", "fft"):
        space = getattr(torch, place, None)
        for name, value in (vars(space).items() if space is not None else ()):
            if not name.startswith("_"):
                found[place, name] = value
    return found


def recorded():
    """[(place, name, module)] from the committed file."""
    with open(DATA) as f:
        return [tuple(line.split()) for line in f if line.strip()]


def write():
    rows = sorted((place, name, _module_of(value)) for (place, name), value in
                  reachable().items())
    with open(DATA, "w") as f:
        f.writelines(" ".join(row) + "\n" for row in rows)
    print(f"{len(rows)} names written to {DATA}")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    write()
