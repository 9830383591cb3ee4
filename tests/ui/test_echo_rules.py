"""Which statements of an input echo their values: the last one (Python 3.13's REPL and
IPython), all of a single line, and in a notebook only a last expression statement."""

import io

import pytest

from tshell.lang import Interpreter
from tshell.ui.shell import Shell, echo_start

PROGRAM = "torch.manual_seed(0)\nx = torch.ones(2)\n"


@pytest.mark.parametrize("source, repl_echo, notebook_echo", [
    (PROGRAM + "x * 2", "x * 2", "x * 2"),
    (PROGRAM + "(x * 2).sum()", "(x * 2).sum()", "(x * 2).sum()"),
    (PROGRAM + "(\n    x * 2\n).sum()", "(\n    x * 2\n).sum()", "(\n    x * 2\n).sum()"),
    (PROGRAM + "for i in range(2):\n    i", "for i in range(2):\n    i", ""),
    (PROGRAM + "try:\n    x\nexcept Exception:\n    pass\nfinally:\n    x",
     "try:\n    x\nexcept Exception:\n    pass\nfinally:\n    x", ""),
    (PROGRAM + "if x.sum() > 0:\n    x\nelif True:\n    1\nelse:\n    2",
     "if x.sum() > 0:\n    x\nelif True:\n    1\nelse:\n    2", ""),
    (PROGRAM + "@torch.no_grad()\ndef f(a):\n    return a", "", ""),
    (PROGRAM + "class A:\n    pass", "", ""),
    (PROGRAM + "y = x; y", PROGRAM + "y = x; y", ""),
    ("torch.manual_seed(0); x = 1", "torch.manual_seed(0); x = 1", ""),
    ("x = 1", "x = 1", ""),
])
def test_the_part_that_echoes(source, repl_echo, notebook_echo):
    assert source[echo_start(source):] == repl_echo
    assert source[echo_start(source, expression_only=True):] == notebook_echo


def echoed(text: str, notebook: bool = False) -> list:
    values = []
    interp = Interpreter(stdout=io.StringIO(), echo=values.append)
    shell = Shell(interp, io.StringIO())
    shell.echo_last_only = notebook
    shell.run(text)
    return [repr(v) for v in values]


def test_a_pasted_program_echoes_its_last_statement_only():
    assert echoed("import torch\ntorch.manual_seed(0)\nm = torch.nn.Linear(2, 1)\n"
                  "m.train()\nm.weight.shape") == ["torch.Size([1, 2])"]
    assert echoed("x = torch.ones(2)\nfor i in range(3):\n    i * 10") == ["0", "10", "20"]
    assert echoed("x = 1\nx; x + 1") == ["1", "2"]
    assert echoed("x = 1\nx; x + 1", notebook=True) == []
    assert echoed("1; 2") == ["1", "2"]


def test_line_numbers_stay_the_inputs_when_it_is_cut_before_its_last_statement():
    interp = Interpreter(stdout=io.StringIO(), echo=lambda v: None)
    shell = Shell(interp, io.StringIO())
    with pytest.raises(Exception) as error:
        shell.run("a = 1\nb = 2\nc = undefined_name")
    assert "<input-1>:3:5: NameError" in error.value.format()
    with pytest.raises(Exception) as error:
        shell.run("a = 1\nb = undefined_name\nc = 3")
    assert "<input-2>:2:5: NameError" in error.value.format()


def test_history_numbers_inputs_as_errors_name_them():
    interp = Interpreter(stdout=io.StringIO(), echo=lambda v: None)
    out = io.StringIO()
    shell = Shell(interp, out)
    shell.run("a = 1")
    shell.run("for i in range(2):\n    a = a + i")
    with pytest.raises(Exception) as error:
        shell.run("b = a.missing")
    assert error.value.format().startswith("error: <input-3>:1:5: AttributeError")
    shell.run("%history -n")
    assert out.getvalue() == ("   1: a = 1\n   2:\nfor i in range(2):\n    a = a + i\n"
                              "   3: b = a.missing\n   4: %history -n\n")


def test_only_the_last_part_of_an_input_with_magics_echoes():
    assert echoed("torch.manual_seed(0)\n%who\nx = 1\nx / 4") == ["0.25"]
    assert echoed("x = 5\nx\n%who") == []
    assert echoed("x = 5\nx\nx?") == []
    assert echoed("x = 5\nx\n%who", notebook=True) == []
    assert echoed("%who\nx = 5\nx", notebook=True) == ["5"]
