"""Which of torch 2.13's public names (torch_names.txt) tshell provides, reached the way a tsh
program reaches them: `torch.a.b.NAME` through the language's namespaces and `x.NAME` on a
tensor, each step through the sandbox's one door (sandbox.get_attribute).

    python -m tests.surface.census             # the counts
    python -m tests.surface.census --write     # rewrite missing.txt from what is provided now
"""
from __future__ import annotations

import sys
from pathlib import Path

from tshell.lang import Interpreter, sandbox, unsupported

HERE = Path(__file__).resolve().parent
NAMES_FILE = HERE / "torch_names.txt"
MISSING_FILE = HERE / "missing.txt"
NAMES_FILES = (NAMES_FILE, HERE / "library_names.txt")     # out of scope: names in either
TENSOR = "torch.Tensor."
MISSING_HEADER = ("# torch names tshell does not provide yet (tests/surface/test_name_coverage.py "
                  "fails when one of them is provided: delete its line)")


def read_names(names_file: Path = NAMES_FILE) -> dict:
    """QUALIFIED_NAME -> kind (function, class, method, property, constant, module)."""
    rows = (line.split() for line in names_file.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#"))
    return {name: kind for name, kind in rows}


def all_names() -> set:
    """The names of every census file (torch_names.txt, library_names.txt)."""
    return {name for path in NAMES_FILES for name in read_names(path)}


def read_missing(missing_file: Path = MISSING_FILE) -> list:
    return [line for line in missing_file.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def write_missing(names, missing_file: Path = MISSING_FILE,
                  header: str = MISSING_HEADER) -> None:
    missing_file.write_text("\n".join([header, *sorted(names)]) + "\n", encoding="utf-8")


def provided(names) -> set:
    """The names a tsh program can reach in a fresh interpreter."""
    torch = Interpreter().builtins["torch"]
    tensor = sandbox.get_attribute(torch, "ones")(2, 2)
    return {name for name in names if reachable(torch, tensor, name)}


def reachable(torch, tensor, name: str) -> bool:
    if name.startswith(TENSOR):
        obj, path = tensor, name[len(TENSOR):].split(".")
    else:
        obj, path = torch, name.split(".")[1:]
    try:
        for part in path:
            obj = sandbox.get_attribute(obj, part)
    except AttributeError:
        return False
    except Exception:           # there, but not for this value: x.imag of a real tensor
        return True
    return True


def take_census(names_file: Path = NAMES_FILE, missing_file: Path = MISSING_FILE) -> dict:
    """Each torch name's standing: provided, out_of_scope, missing (listed), or the
    contradictions the coverage test reports. The library census (census_library.py) asks
    the same of its own two files."""
    names = read_names(names_file)
    listed, out = set(read_missing(missing_file)), set(unsupported.names())
    have = provided(names)
    return {
        "names": names,
        "provided": have,
        "out_of_scope": out & set(names),
        "missing": listed - have,
        "now_provided": listed & have,            # missing.txt must shrink
        "unaccounted": set(names) - have - out - listed,
        "provided_out_of_scope": have & out,      # the table must not claim them
        "listed_twice": listed & out,
        # typos, or names torch no longer has (an out-of-scope name may be either census's)
        "unknown": (listed - set(names)) | (out - all_names()),
    }


def summary(c: dict, label: str = "torch names") -> str:
    total, provided = len(c["names"]), len(c["provided"])
    in_scope = total - len(c["out_of_scope"])
    return (f"{label}: {provided} provided, {len(c['out_of_scope'])} out of scope, "
            f"{len(c['missing'])} missing, {total} total ({provided} of the {in_scope} in "
            f"scope: {100 * provided / in_scope:.1f}%)")


def main(argv) -> int:
    c = take_census()
    if "--write" in argv:
        write_missing(set(c["names"]) - c["provided"] - c["out_of_scope"])
        c = take_census()
    print(summary(c))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
