"""Every public op with odd arguments (docs/security.md): no internal error, traceback or hang.

Each torch function, `nn.functional` function and Tensor method is called with a fixed set
of receivers and arguments (wrong types, out-of-range dims, huge sizes), followed by a
backward through the result where it requires grad. The fuzz test draws random programs from
the same names; this one calls every name, so a new op cannot go untried.

    TSHELL_SWEEP=full pytest tests/hardening/test_op_sweep.py     # more receivers and arguments
"""

from __future__ import annotations

import os

import pytest

from tests.hardening import fuzzgen
from tests.hardening.test_fuzz import _interpreter, _vocabulary, classify, sandboxed  # noqa: F401

SETUP = """
xf = randn(3, 4, requires_grad=True)
xi = tensor([[1, 2, 3, 0], [4, 5, 6, 7], [0, 1, 2, 3]])
x4 = randn(2, 3, 6, 6, requires_grad=True)
x0 = tensor(1.5)
"""
FULL = os.environ.get("TSHELL_SWEEP") == "full"
RECEIVERS = ("xf", "xi", "x4", "x0") if FULL else ("xf", "xi")
ARGS = ("", "0", "-1", "7", "None", "'a'", "1.5", "xf", "xi", "0, xi", "(1, 1)", "10**12") + (
    ("True", "x4", "0, xi, xf", "1, xi, 2.0", "dim=5", "(10**6, 10**6)", "[]", "float('nan')",
     "xf, xf", "0, 1, 2") if FULL else ())
AFTER = ("\nif isinstance(y, torch.Tensor) and y.requires_grad and y.is_floating_point():\n"
         "    y.sum().backward()\n")


def _names():
    import tshell.core as torch
    functions, methods = _vocabulary()
    functional = sorted(n for n in vars(torch.nn.functional) if not n.startswith("_"))
    return ([("torch.", n) for n in functions if n not in fuzzgen.STATEFUL]
            + [("torch.nn.functional.", n) for n in functional]
            + [(".", n) for n in methods if n not in ("backward",)])


def _calls(prefix, name):
    for r in RECEIVERS:
        for a in ARGS:
            if prefix == ".":
                yield f"{r}.{name}({a})"
            else:
                yield f"{prefix}{name}({r}{', ' if a else ''}{a})"


@pytest.mark.parametrize("prefix, name", _names(), ids=lambda v: v if v[-1:] != "." else None)
def test_odd_arguments_give_tsh_errors(sandboxed, prefix, name):
    interp = _interpreter()
    failures = []
    for call in _calls(prefix, name):
        interp.run_source(SETUP)          # fresh receivers: in-place ops change them
        outcome = classify(interp, f"y = {call}{AFTER}")
        if outcome not in ("ok", "runtime", "syntax"):
            failures.append(f"{call}: {outcome}")
    assert not failures, "\n\n".join(failures[:5])
