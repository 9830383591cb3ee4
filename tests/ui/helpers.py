"""Shared helpers for the ui tests: an interpreter and a REPL driven by pipe input."""

from __future__ import annotations

import io

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from tshell.lang import Interpreter


def interpreter(source: str = "", out=None) -> Interpreter:
    interp = Interpreter(stdout=out if out is not None else io.StringIO())
    if source:
        interp.run_source(source, "<test>")
    return interp


def completions(interp, text: str) -> list:
    """The completion texts offered for text with the cursor at its end (Tab pressed)."""
    from tshell.ui.completer import TshCompleter
    doc = Document(text, len(text))
    return [c.text for c in TshCompleter(interp).get_completions(
        doc, CompleteEvent(completion_requested=True))]


def run_keys(keys: str, interp=None):
    """Type keys (Enter is '\\r'), then Ctrl-D; returns (status, stdout, stderr, interp)."""
    from tshell.ui.repl import run_repl
    out, err = io.StringIO(), io.StringIO()
    interp = interp or Interpreter(stdout=out)
    interp.stdout = out
    with create_pipe_input() as inp:
        inp.send_text(keys + "\x04")
        status = run_repl(interp, color=False, input=inp, output=DummyOutput(),
                          stdout=out, stderr=err, history=InMemoryHistory(), banner=False)
    return status, out.getvalue(), err.getvalue(), interp
