"""The `>>>` examples of torch 2.13's docstrings (doc_examples.json, written by
tools/torch_surface/gen_doc_examples.py) run through tshell as tsh programs: each docstring a
session in one Interpreter that starts with PyTorch's doctest preamble, each example (an
xdoctest part) run with the REPL's echo, its text compared with what torch 2.13 printed.

    python -m tests.surface.doc_examples            # run them all, print the counts
    python -m tests.surface.doc_examples --write    # ... and rewrite doc_examples_failing.txt
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import tshell.core
from tshell.lang import Interpreter, TshError

from .doc_session import PREAMBLE, PartTimeout, part_timeout, reset_session

HERE = Path(__file__).resolve().parent
DATA = HERE / "doc_examples.json"
FAILING = HERE / "doc_examples_failing.txt"
FAILING_HEADER = ("# checked doc examples tshell does not print yet as torch 2.13 does "
                  "(tests/surface/test_doc_examples.py fails when one of them passes: delete "
                  "its line)")
CHECKED = "checked"


def load() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def example_id(session: dict, index: int) -> str:
    return f"{session['name']}:{index}"


def checked_ids(sessions) -> list:
    return [example_id(s, i) for s in sessions for i, e in enumerate(s["examples"])
            if e["status"] == CHECKED]


def read_failing() -> list:
    return [line for line in FAILING.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


def run_session(session: dict) -> list:
    """tshell's text for each example of the session up to its last checked one (as the
    generator words errors): what comes after cannot change a checked result."""
    examples = session["examples"]
    last = max((i for i, e in enumerate(examples) if e["status"] == CHECKED), default=-1)
    if last < 0:
        return []
    reset_session(tshell.core)
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source(PREAMBLE, "<preamble>")
    texts = []
    for example in examples[:last + 1]:
        out.seek(0)
        out.truncate()
        error = run_part(interp, example["source"])
        texts.append(out.getvalue() + (error or ""))
    return texts


def run_part(interp, source: str) -> str | None:
    """The error line of the part, or None when it ran."""
    with contextlib.redirect_stderr(io.StringIO()), part_timeout():
        try:
            interp.run_source(source, "<doctest>", echo=True)
        except TshError as e:
            return f"{e.type_name}: {e.message}\n"
        except PartTimeout as e:
            return f"PartTimeout: {e}\n"
    return None


def outcomes(sessions) -> dict:
    """id -> (passed, expected, actual) for the checked examples of the sessions, run in a
    scratch directory (examples save files)."""
    results = {}
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            for s in sessions:
                for i, (example, actual) in enumerate(zip(s["examples"],
                                                          run_session(s))):
                    if example["status"] == CHECKED:
                        expected = example["expected"]
                        results[example_id(s, i)] = (actual == expected, expected, actual)
        finally:
            os.chdir(here)
    return results


def summary(results: dict, torch_version: str) -> str:
    passed, checked = sum(ok for ok, _, _ in results.values()), len(results)
    percent = 100 * passed / checked if checked else 0.0
    return (f"doc examples of torch {torch_version}: {passed} of {checked} checked examples "
            f"print the same text ({percent:.1f}%)")


def main(argv) -> int:
    data = load()
    results = outcomes(data["sessions"])
    if "--write" in argv:
        FAILING.write_text("\n".join([FAILING_HEADER, *sorted(
            i for i, (ok, _, _) in results.items() if not ok)]) + "\n", encoding="utf-8")
    print(summary(results, data["torch_version"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
