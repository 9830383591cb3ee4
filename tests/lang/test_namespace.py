"""Every public torch name is reachable bare and as torch.NAME (docs/language.md, Names)."""
from __future__ import annotations

import io

import pytest

import tshell.core as core
from tshell.lang import Interpreter

# Python's built-ins win over torch's bare names (docs/language.md).
PYTHON_WINS = {"max", "min", "sum", "abs", "round", "range", "float", "int", "bool", "complex",
               "all", "any", "pow"}


def run(src):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "<test>", echo=True)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(set(core.__all__) - PYTHON_WINS))
def test_bare_and_qualified_names_agree(name):
    assert run(f"{name} is torch.{name}") == "True\n"


def test_common_creation_names_bare():
    assert run("tensor([1., 2.]) + zeros(2) + ones(2) + rand(2) * 0") == "tensor([2., 3.])\n"
