"""The library census: which of the public names of torch's library namespaces beyond
torch_names.txt (library_names.txt: torch.nn.utils and its sub-modules, nn.attention,
optim.swa_utils, the distributions' constraints / transforms / kl, autograd.graph and
forward_ad, torch.func, random, testing, utils.checkpoint, utils.hooks) tshell provides,
with census.py's probe and rules; out-of-scope names share tshell/lang/unsupported.py.

    python -m tests.surface.census_library             # the counts
    python -m tests.surface.census_library --write     # rewrite library_missing.txt
"""
from __future__ import annotations

import sys

from .census import HERE, summary, take_census, write_missing

NAMES_FILE = HERE / "library_names.txt"
MISSING_FILE = HERE / "library_missing.txt"
LABEL = "library names"
MISSING_HEADER = ("# library names tshell does not provide yet "
                  "(tests/surface/test_library_coverage.py fails when one of them is "
                  "provided: delete its line)")


def take_library_census() -> dict:
    return take_census(NAMES_FILE, MISSING_FILE)


def main(argv) -> int:
    c = take_library_census()
    if "--write" in argv:
        write_missing(set(c["names"]) - c["provided"] - c["out_of_scope"], MISSING_FILE,
                      MISSING_HEADER)
        c = take_library_census()
    print(summary(c, LABEL))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
