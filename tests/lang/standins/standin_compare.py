"""Run one snippet under CPython (the tests' own interpreter, 3.11, with the real modules) and
under tsh (with the stand-ins): both must print the same text and fail with the same error
class and message. Addresses (` at 0x...`) are left out of the comparison."""

from __future__ import annotations

import contextlib
import io
import re

from tshell.lang import Interpreter, TshRuntimeError

ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def cpython(src: str):
    """(stdout, 'Class: message' or None) of src run by CPython."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(src, "t.py", "exec"), {"__name__": "__main__"})
    except Exception as e:     # the error is what is compared
        return ADDRESS.sub("", out.getvalue()), f"{type(e).__name__}: {e}"
    return ADDRESS.sub("", out.getvalue()), None


def tsh(src: str, interp: Interpreter | None = None):
    """(stdout, 'Class: message' or None) of src run by tsh."""
    out = io.StringIO()
    interp = interp or Interpreter(stdout=out)
    interp.stdout = out
    try:
        interp.run_source(src + "\n", "t.tsh")
    except TshRuntimeError as e:
        return ADDRESS.sub("", out.getvalue()), f"{e.type_name}: {e.message}"
    return ADDRESS.sub("", out.getvalue()), None


def run_tsh(src: str) -> str:
    """stdout of src run by tsh, which must succeed."""
    out, error = tsh(src)
    assert error is None, error
    return out


def tsh_error(src: str) -> tuple:
    """(error class name, message) of src run by tsh, which must fail."""
    out, error = tsh(src)
    assert error is not None, f"no error; printed {out!r}"
    name, _, message = error.partition(": ")
    return name, message
