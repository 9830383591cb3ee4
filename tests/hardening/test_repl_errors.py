"""The REPL survives 1 000 consecutive erroneous inputs (pipe input) and still works."""

import io
import random

from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tshell.lang import Interpreter

# One input per line (Enter submits a complete input); every kind of failure the REPL meets.
BAD_INPUTS = [
    "1 / 0", "undefined_name", "torch.ones(2) + torch.ones(3)", "x +* 2", "(", "]",
    "'unterminated", "ones(2).view(5)", "x.__dict__", "import subprocess", "open('f')",
    "zeros(10**12)", "'a' * 10**12", "10**10**10", "def f(:", "class A(len): pass",
    "lambda: (yield)", "%nomagic", "%timeit 1/0", "%load /nonexistent.tsh", "help(undefined)",
    "torch.nothing", "[1, 2][5]", "{}['k']", "int('a')", "ones(2).backward()",
    "torch.tensor([[1, 2], [3]])", "load('missing.npy')", "x = （1）", "\x00",
    "assert False, 'no'", "del undefined", "for i in 5: pass", "1 if", "x.y.z = 1",
    "torch.cat(1)", "ones(2)[None, None, None, 5]", "f'{1:{10**10}}'", "ones(2, 3) @ ones(2)",
    "list(range(10**12))", "sorted(1)", "print(1, sep=1)", "x = 1; x()", "np.ones(2).ctypes",
]


def test_repl_survives_a_thousand_errors_and_still_works():
    rng = random.Random(7)
    inputs = [rng.choice(BAD_INPUTS) for _ in range(1000)]
    # An incomplete input ('(', 'def f(:') waits for more lines; Ctrl-C (\x03) cancels it,
    # and on an empty prompt does nothing: so each bad input stands on its own.
    keys = "keep = 41\r" + "".join(line + "\r\x03" for line in inputs)
    keys += "print(keep + 1)\r%who\r"
    out, err = io.StringIO(), io.StringIO()
    interp = Interpreter(stdout=out)
    from tshell.core import limits
    from tshell.ui.repl import run_repl
    old_cap = limits.CAP.bytes
    limits.set_max_memory("256MB")
    try:
        with create_pipe_input() as inp:
            inp.send_text(keys + "\x04")
            status = run_repl(interp, color=False, input=inp, output=DummyOutput(),
                              stdout=out, stderr=err, history=InMemoryHistory(), banner=False)
    finally:
        limits.CAP.bytes = old_cap
    errors = err.getvalue()
    assert status == 0
    assert "Traceback" not in errors and "InternalError" not in errors, errors[-3000:]
    assert errors.count("error: ") + errors.count("KeyboardInterrupt") >= 900, errors[-2000:]
    assert "42\n" in out.getvalue(), out.getvalue()[-500:]
    assert "keep" in out.getvalue().splitlines()[-1]
