"""Fuzzing (docs/security.md): no input crashes tshell, shows a traceback or hangs.

Inputs come from tests/hardening/fuzzgen.py: grammar-aware programs calling real torch
functions and tensor methods with random arguments, their mutants, token soups, random bytes
and deep nesting. Each runs in-process through the Interpreter with the CLI's error
classification and a time limit, and a smaller batch runs through the real `tshell` program.

    TSHELL_FUZZ=20000 pytest tests/hardening/test_fuzz.py     # a longer run
    TSHELL_FUZZ_SEED=7 ...                                    # other inputs
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.hardening import fuzzgen

COUNT = int(os.environ.get("TSHELL_FUZZ", "2500"))
SEED = int(os.environ.get("TSHELL_FUZZ_SEED", "20261126"))
SUBPROCESSES = max(40, COUNT // 50)
TIME_LIMIT = 10.0          # seconds per input: far above what any generated input needs
MEMORY_CAP = "256MB"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so tshell's error handling does not catch it."""


def _alarm(signum, frame):
    raise Hang()


def classify(interp, source) -> str:
    """'ok', 'runtime', 'syntax' (exit 0, 1, 2), or a failure description."""
    from tshell.cli import UsageError
    from tshell.lang import InternalError, TshError, TshSyntaxError
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError:
            return "usage"                # the CLI's clean 'not UTF-8' usage error
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        interp.run_source(source, "<fuzz>", echo=True)
        return "ok"
    except Hang:
        return f"hang: no result after {TIME_LIMIT} s"
    except InternalError as e:
        return "internal error:\n" + e.format(debug=True)
    except TshError as e:
        text = e.format()
        if "Traceback" in text:
            return "traceback in the message:\n" + text
        return "syntax" if isinstance(e, TshSyntaxError) else "runtime"
    except UsageError:
        return "usage"
    except BaseException as e:  # anything else is the bug being hunted
        import traceback
        return f"escaped {type(e).__name__}:\n" + "".join(traceback.format_exception(e))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@pytest.fixture
def sandboxed(tmp_path, monkeypatch):
    """A fresh working folder, a small memory cap, and process state restored afterwards."""
    import tshell.core as torch
    from tshell.core import limits
    monkeypatch.chdir(tmp_path)
    old_cap, old_dtype = limits.CAP.bytes, torch.get_default_dtype()
    old_print = torch.get_printoptions()
    old_handler = signal.signal(signal.SIGALRM, _alarm)
    limits.set_max_memory(MEMORY_CAP)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        signal.signal(signal.SIGALRM, old_handler)
        limits.CAP.bytes = old_cap
        torch.set_default_dtype(old_dtype)
        torch.set_printoptions(**old_print)
        torch.set_grad_enabled(True)


def _vocabulary():
    import tshell.core as torch
    from tshell.lang import sandbox
    from tshell.lang.runtime import module_namespace
    functions = sorted(n for n, v in module_namespace("torch", torch)._members.items()
                       if callable(v) and not isinstance(v, type))
    methods = sorted(n for n in sandbox.allowed_attributes(torch.ones(1))
                     if not n.startswith("_"))
    return functions, methods


def _interpreter():
    from tshell.lang import Interpreter
    from tshell.ui.builtins import install
    interp = Interpreter(argv=["fuzz"], stdout=io.StringIO())
    install(interp, color=False)
    return interp


def test_fuzz_in_process(sandboxed):
    functions, methods = _vocabulary()
    failures, counts = [], {}
    interp = None
    for n, (kind, source) in enumerate(fuzzgen.inputs(SEED, COUNT, functions, methods)):
        if n % 25 == 0:
            interp = _interpreter()        # state carries over between inputs, as in a REPL
        interp.stdout.seek(0)
        interp.stdout.truncate()
        verdict = classify(interp, source)
        counts[verdict if verdict in ("ok", "runtime", "syntax", "usage") else "FAIL"] = \
            counts.get(verdict if verdict in ("ok", "runtime", "syntax", "usage") else "FAIL",
                       0) + 1
        if verdict not in ("ok", "runtime", "syntax", "usage"):
            failures.append(f"--- input {n} ({kind}, seed {SEED}):\n{source!r}\n{verdict}")
    print(f"\nfuzz: {COUNT} inputs, seed {SEED}: {counts}")
    assert not failures, f"{len(failures)} failing inputs:\n" + "\n".join(failures[:5])
    assert counts.get("ok", 0) > COUNT // 20, f"too few inputs ran cleanly: {counts}"


def _run_tshell(data: bytes, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, TSHELL_MAX_MEMORY=MEMORY_CAP, NO_COLOR="1",
               PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    env.pop("TSHELL_HISTORY", None)
    try:
        return subprocess.run([sys.executable, "-m", "tshell", "-"], input=data, cwd=cwd,
                              env=env, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(e.cmd, -1, b"", b"timed out (hang)")


def test_fuzz_through_the_real_program(tmp_path):
    functions, methods = _vocabulary()
    batch = [s if isinstance(s, bytes) else s.encode("utf-8")
             for _, s in fuzzgen.inputs(SEED + 1, SUBPROCESSES, functions, methods)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda data: _run_tshell(data, tmp_path), batch))
    failures = []
    for data, p in zip(batch, results):
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode not in (0, 1, 2) or "Traceback" in err or "InternalError" in err:
            failures.append(f"--- exit {p.returncode}: {data!r}\n{err[-2000:]}")
        elif p.returncode and not any(  # warnings may come before the error line
                line.startswith(("error: ", "tshell: error: ")) for line in err.splitlines()):
            failures.append(f"--- exit {p.returncode} without an error line: {data!r}\n{err}")
    print(f"\nfuzz: {len(batch)} inputs through `tshell -`")
    assert not failures, f"{len(failures)} failing inputs:\n" + "\n".join(failures[:5])
