"""input() in the interactive front ends: what it returns, its prompt, end of input, that
scripts have none, and that the function object opens no door out of the sandbox."""

import io
import subprocess
import sys

import pytest

from tshell.lang import TshError
from tshell.ui import builtins

from .helpers import interpreter


def interactive(lines):
    """An interpreter with input() reading from the given lines (then end of input)."""
    interp = interpreter()
    builtins.install(interp, interactive=True)
    stdin = io.StringIO("".join(line + "\n" for line in lines))
    asked = []

    def read_line(prompt, out):
        asked.append(prompt)
        line = stdin.readline()
        if not line:
            raise EOFError("EOF when reading a line")
        return line.rstrip("\n")
    interp.builtins["input"] = builtins.make_input(interp, read_line)
    return interp, asked


def test_input_returns_the_typed_line_without_its_newline():
    interp, asked = interactive(["32", "relu"])
    interp.run_source("n = int(input('hidden? '))\nact = input()\n", "<t>")
    assert interp.namespace["n"] == 32 and interp.namespace["act"] == "relu"
    assert asked == ["hidden? ", ""]


def test_a_prompt_that_is_not_a_string_is_written_as_str_does():
    interp, asked = interactive(["y"])
    interp.run_source("class Q:\n    def __str__(self):\n        return 'continue? '\n"
                      "a = input(Q())\nb = None\n", "<t>")
    assert asked == ["continue? "]


def test_end_of_input_is_eoferror_that_a_program_can_catch():
    interp, _ = interactive([])
    interp.run_source("try:\n    input('x')\nexcept EOFError as e:\n    got = str(e)\n", "<t>")
    assert interp.namespace["got"] == "EOF when reading a line"
    with pytest.raises(TshError) as error:
        interp.run_source("input()\n", "<t>")
    assert error.value.type_name == "EOFError"
    assert "EOFError: EOF when reading a line" in error.value.format()


@pytest.mark.parametrize("reach", ["input.__globals__", "input.__closure__",
                                   "getattr(input, '__closure__')", "input.__wrapped__",
                                   "input.__code__", "type(input).__call__", "vars(input)"])
def test_the_input_function_opens_no_door(reach):
    interp, _ = interactive([])
    with pytest.raises(TshError):
        interp.run_source(f"x = {reach}\n", "<t>")


def test_the_default_reader_reads_the_terminal_line_after_its_prompt(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("Ada\r\n"))
    assert builtins.read_terminal_line("name: ", out) == "Ada"
    assert out.getvalue() == "name: "
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(EOFError):
        builtins.read_terminal_line("", out)


def test_a_script_has_no_input():
    done = subprocess.run([sys.executable, "-m", "tshell", "-c", "x = input('a')"],
                          capture_output=True, text=True, input="typed\n")
    assert "NameError: name 'input' is not defined" in done.stderr
