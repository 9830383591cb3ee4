"""Issue 17's yardstick: each of torch 2.13's public names (torch_names.txt, generated from
torch by tools/torch_surface/gen_names.py) is provided by tshell, out of scope with a reason
(tshell/lang/unsupported.py), or listed in missing.txt — and missing.txt only shrinks.

When a name becomes provided, delete its line from missing.txt (or run
`python -m tests.surface.census --write`); see docs/surface.md.
"""
from __future__ import annotations

import pytest

from tshell.lang import unsupported

from . import census_library
from .census import MISSING_FILE, provided, read_missing, summary, take_census

# The two censuses the checks below hold for: torch's names, and the library namespaces'
# beyond them (census_library.py): (label, take, missing file, module that rewrites it).
CENSUSES = {
    "torch": ("torch names", take_census, MISSING_FILE, "tests.surface.census"),
    "library": (census_library.LABEL, census_library.take_library_census,
                census_library.MISSING_FILE, "tests.surface.census_library"),
}


@pytest.fixture(scope="module", params=list(CENSUSES))
def census(request) -> dict:
    label, take, missing_file, module = CENSUSES[request.param]
    return dict(take(), label=label, missing_file=missing_file, module=module)


def _listing(names) -> str:
    return "\n  ".join(sorted(names))


def test_counts(census, surface_report):
    line = summary(census, census["label"])
    print(line)
    surface_report.append(line)
    total = len(census["names"])
    assert len(census["provided"]) + len(census["out_of_scope"]) + len(census["missing"]) \
        + len(census["unaccounted"]) == total


def test_every_name_is_provided_out_of_scope_or_listed_missing(census):
    assert not census["unaccounted"], (
        f"{census['label']} tshell neither provides, declares out of scope, nor lists in "
        f"{census['missing_file'].name}:\n  {_listing(census['unaccounted'])}")


def test_missing_list_only_shrinks(census):
    assert not census["now_provided"], (
        f"now provided: delete these lines from tests/surface/{census['missing_file'].name} "
        f"(or run python -m {census['module']} --write):\n  "
        f"{_listing(census['now_provided'])}")


def test_out_of_scope_names_are_not_provided(census):
    assert not census["provided_out_of_scope"], (
        "provided, yet listed out of scope in tshell/lang/unsupported.py:\n  "
        f"{_listing(census['provided_out_of_scope'])}")


def test_lists_name_real_torch_names_once(census):
    assert not census["unknown"], (
        "not among torch 2.13's public names (a typo, or a name torch no longer has):\n  "
        f"{_listing(census['unknown'])}")
    assert not census["listed_twice"], (
        f"both missing and out of scope:\n  {_listing(census['listed_twice'])}")
    missing = read_missing(census["missing_file"])
    assert missing == sorted(set(missing)), \
        f"{census['missing_file'].name}: keep it sorted, one name a line"


def test_each_name_has_one_out_of_scope_family():
    listed = [n for _, names in unsupported.FAMILIES.values() for n in names.split()]
    repeated = {n for n in listed if listed.count(n) > 1}
    assert not repeated, f"in more than one family: {sorted(repeated)}"
    assert all(reason.strip() for reason, _ in unsupported.FAMILIES.values())


def test_the_probe_reaches_names_as_a_program_does():
    assert provided(["torch.abs", "torch.Tensor.abs", "torch.Tensor.shape",
                              "torch.nn.functional.relu", "torch.utils.data.DataLoader",
                              "torch.float32", "torch.Tensor.grad", "torch.jit",
                              "torch.Tensor.to_sparse", "torch.no_such_name",
                              "torch.no_such_module.abs"]) == {
        "torch.abs", "torch.Tensor.abs", "torch.Tensor.shape", "torch.nn.functional.relu",
        "torch.utils.data.DataLoader", "torch.float32", "torch.Tensor.grad"}
