"""Golden differential tests: tshell.core against PyTorch 2.13's recorded output.

The goldens (tests/golden/core_goldens.json, and tests/golden/families/NAME.json for the cases
of families/NAME.py) are produced by ``python tests/golden/gen_core_goldens.py`` run where
torch 2.13 is installed; this test needs no torch.
Each snippet runs with ``torch = tshell.core`` and ``np = numpy`` through the same runner
the generator used (tests/golden/core_cases.py), and its output must equal torch's text.
Fallback: the texts may differ only in numbers within 1e-6 relative tolerance (token by
token, same printed shape), e.g. a Python float repr rounded differently in its last digit.
"""
from __future__ import annotations

import importlib.util
import json
import signal
from pathlib import Path

import numpy
import pytest

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"


def _load_runner():
    spec = importlib.util.spec_from_file_location("core_cases", GOLDEN_DIR / "core_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_cc = _load_runner()
_DOC = json.loads((GOLDEN_DIR / "core_goldens.json").read_text(encoding="utf-8"))
_CASES = _DOC["cases"] + [
    dict(case, id=f"{path.stem}/{case['id']}")
    for path in sorted((GOLDEN_DIR / "families").glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))["cases"]]

try:
    import tshell.core as _core
    _IMPORT_ERROR = None
except Exception as e:  # reported by every test below
    _core = None
    _IMPORT_ERROR = f"{type(e).__name__}: {e}"


def _explain(expected: str, actual: str) -> str:
    import difflib
    diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                          "torch", "tshell", lineterm=""))
    return f"output differs from torch 2.13:\n{diff}"


class _CaseTimeout(BaseException):
    """Raised by the alarm so that run_case's ``except Exception`` does not swallow it."""


def _run_with_timeout(case, seconds: float = 20.0) -> str:
    if not hasattr(signal, "setitimer"):
        return _cc.run_case(case, _core, numpy)

    def on_alarm(signum, frame):
        raise _CaseTimeout(f"case {case['id']} ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        _cc.reset_state(_core)      # as the generator starts each case: settings, then seed 0
        _core.manual_seed(0)
        return _cc.run_case(case, _core, numpy)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("case", _CASES, ids=[c["id"] for c in _CASES])
def test_golden(case):
    if _core is None:
        pytest.fail(f"import tshell.core failed: {_IMPORT_ERROR}")
    try:
        actual = _run_with_timeout(case)
    except _CaseTimeout as e:
        pytest.fail(str(e), pytrace=False)
    exp_n = _cc.normalize(case["expected"], case)
    act_n = _cc.normalize(actual, case)
    if exp_n == act_n or _cc.close_enough(exp_n, act_n):
        return
    pytest.fail(f"snippet:\n{case['code']}\n" + _explain(exp_n, act_n), pytrace=False)
