"""The `>>>` examples of torch 2.13's docstrings, run through tshell as tsh programs: every
checked example (doc_examples.json: its text is the same on every torch run) prints what
torch 2.13 printed, except those listed in doc_examples_failing.txt — and that list only
shrinks. The whole run takes a few seconds; see docs/surface.md.
"""
from __future__ import annotations

import pytest

from . import doc_examples


@pytest.fixture(scope="module")
def data() -> dict:
    return doc_examples.load()


@pytest.fixture(scope="module")
def results(data) -> dict:
    return doc_examples.outcomes(data["sessions"])


def test_counts(data, results, surface_report):
    line = doc_examples.summary(results, data["torch_version"])
    print(line)
    surface_report.append(line)
    assert len(results) == len(doc_examples.checked_ids(data["sessions"]))


def test_checked_examples_print_what_torch_prints(results):
    listed = set(doc_examples.read_failing())
    new = [(i, expected, actual) for i, (ok, expected, actual) in sorted(results.items())
           if not ok and i not in listed]
    shown = "\n".join(f"{i}\n  torch 2.13:\n{expected}  tshell:\n{actual}"
                      for i, expected, actual in new[:5])
    assert not new, f"{len(new)} checked examples now differ from torch 2.13:\n{shown}"


def test_failing_list_only_shrinks(results):
    now_passing = sorted(i for i in doc_examples.read_failing() if results[i][0])
    assert not now_passing, (
        "these examples now print what torch 2.13 prints: delete their lines from "
        "tests/surface/doc_examples_failing.txt (or run python -m tests.surface.doc_examples "
        "--write):\n  " + "\n  ".join(now_passing))


def test_failing_list_names_checked_examples(data):
    failing = doc_examples.read_failing()
    assert failing == sorted(set(failing)), "keep doc_examples_failing.txt sorted, unique"
    unknown = set(failing) - set(doc_examples.checked_ids(data["sessions"]))
    assert not unknown, f"not checked examples of doc_examples.json: {sorted(unknown)}"


def test_a_session_runs_as_the_generator_ran_it():
    session = {"name": "torch.example", "examples": [
        {"source": "x = torch.arange(6).view(2, 3)", "status": "silent", "expected": ""},
        {"source": "x.sum(0)\nprint(x.shape)", "status": "checked",
         "expected": "tensor([3, 5, 7])\ntorch.Size([2, 3])\n"},
        {"source": "x.view(4)\nprint('not reached')", "status": "checked",
         "expected": "RuntimeError: shape '[4]' is invalid for input of size 6\n"},
        {"source": "F.relu(torch.tensor([-1., 2.]))", "status": "checked",
         "expected": "tensor([0., 2.])\n"},
        {"source": "x", "status": "varies", "expected": None}]}
    assert doc_examples.run_session(session) == [
        "", "tensor([3, 5, 7])\ntorch.Size([2, 3])\n",
        "RuntimeError: shape '[4]' is invalid for input of size 6\n", "tensor([0., 2.])\n"]
    assert {i: ok for i, (ok, _, _) in doc_examples.outcomes([session]).items()} == {
        "torch.example:1": True, "torch.example:2": True, "torch.example:3": True}
