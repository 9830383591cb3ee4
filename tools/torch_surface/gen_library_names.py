"""Write tests/surface/library_names.txt: the public names of the library namespaces a
training program uses beyond those of torch_names.txt (torch.nn.utils and its sub-modules,
torch.nn.attention, torch.optim.swa_utils, the distributions' constraints, transforms and
kl, torch.autograd.graph and forward_ad, torch.func, torch.random, torch.testing,
torch.utils.checkpoint and torch.utils.hooks), one `QUALIFIED_NAME KIND` a line.

    /work/torchenv/bin/python tools/torch_surface/gen_library_names.py

torch.nn, nn.functional, nn.init, torch.optim, lr_scheduler, utils.data, distributions,
autograd, autograd.functional, linalg, special and fft are counted by torch_names.txt
(gen_names.py); this file adds their sub-modules, and the names of those namespaces' __all__
that gen_names.py's dir() walk does not list.

"Public" here: a module's __all__ where it has one, else its names without a leading
underscore, less what it merely imports (gen_names.py's member_kind: Python modules,
classes and functions defined outside torch). A sub-module is listed (kind `module`) when it
is one of NAMESPACES (each of which is listed unless torch_names.txt has it), since
reaching `torch.nn.utils.rnn.pad_sequence` starts with reaching
`torch.nn.utils.rnn`. The output is sorted and deterministic.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_names import NAMESPACES as TORCH_NAMESPACES
from gen_names import NOT_PUBLIC, member_kind

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "surface" / "library_names.txt"
TORCH_NAMES = ROOT / "tests" / "surface" / "torch_names.txt"

NAMESPACES = (
    "torch.nn.utils", "torch.nn.utils.rnn", "torch.nn.utils.parametrize",
    "torch.nn.utils.parametrizations", "torch.nn.utils.prune", "torch.nn.utils.stateless",
    "torch.nn.utils.fusion", "torch.nn.utils.clip_grad", "torch.nn.attention",
    "torch.optim.swa_utils", "torch.distributions.constraints",
    "torch.distributions.transforms", "torch.distributions.kl", "torch.autograd.graph",
    "torch.autograd.forward_ad", "torch.func", "torch.random", "torch.testing",
    "torch.utils.checkpoint", "torch.utils.hooks")

# Names of a namespace's __all__ that are not its API (torch.utils.data's private kind enum).
NOT_LISTED = {"torch.utils.data": "_DatasetKind"}


def main() -> int:
    import torch
    known = {line.split()[0] for line in TORCH_NAMES.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")}
    rows = [f"{namespace} module" for namespace in NAMESPACES if namespace not in known]
    for namespace in NAMESPACES:
        rows += namespace_rows(torch, namespace, public_names(namespace))
    for namespace in TORCH_NAMESPACES:             # __all__ names gen_names.py's walk left out
        if namespace == "torch.Tensor":
            continue
        module = importlib.import_module(namespace)
        extra = [n for n in getattr(module, "__all__", ())
                 if f"{namespace}.{n}" not in known and not n.startswith("_")
                 and n not in NOT_PUBLIC.get(namespace, "").split()
                 and n not in NOT_LISTED.get(namespace, "").split()]
        rows += namespace_rows(torch, namespace, extra)
    header = (f"# torch {torch.__version__}'s public library names: QUALIFIED_NAME KIND, "
              "by tools/torch_surface/gen_library_names.py")
    OUTPUT.write_text("\n".join([header, *sorted(set(rows))]) + "\n", encoding="utf-8")
    print(f"wrote {len(set(rows))} names to {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


def public_names(namespace: str) -> list:
    module = importlib.import_module(namespace)
    names = getattr(module, "__all__", None) or dir(module)
    return sorted(n for n in names if not n.startswith("_"))


def namespace_rows(torch, namespace: str, names) -> list:
    module = importlib.import_module(namespace)
    rows = []
    for name in names:
        value = getattr(module, name)
        qualified = f"{namespace}.{name}"
        if type(value).__name__ == "module":
            kind = "module" if qualified in NAMESPACES else None
        else:
            kind = member_kind(torch, namespace, name, value) or listed_value_kind(
                module, name, value)
        if kind is not None:
            rows.append(f"{qualified} {kind}")
    return rows


def listed_value_kind(module, name: str, value) -> str | None:
    """A non-callable that the module's __all__ names is its API (constraints.real, the
    distributions' identity_transform), whatever its type."""
    if callable(value):
        return None                                # imported: member_kind said so
    return "constant" if name in getattr(module, "__all__", ()) else None


if __name__ == "__main__":
    raise SystemExit(main())
