"""Run a snippet under CPython (this test's own interpreter) and under tsh: the same printed
text and the same error class and message are expected (addresses masked)."""

import contextlib
import io
import re

from tshell.lang import Interpreter, TshRuntimeError

ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def cpython(src):
    """(stdout, 'Class: message' or None) of src run by CPython."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(src, "t.py", "exec"), {"__name__": "__main__"})
    except Exception as e:     # the error is what is compared
        return ADDRESS.sub("", out.getvalue()), f"{type(e).__name__}: {e}"
    return ADDRESS.sub("", out.getvalue()), None


def tsh(src):
    """(stdout, 'Class: message' or None) of src run by tsh."""
    out = io.StringIO()
    try:
        Interpreter(stdout=out).run_source(src + "\n", "t.tsh")
    except TshRuntimeError as e:
        return ADDRESS.sub("", out.getvalue()), f"{e.type_name}: {e.message}"
    return ADDRESS.sub("", out.getvalue()), None
