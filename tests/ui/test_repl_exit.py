"""SystemExit in the REPL, typed into the real `tshell` in a pseudo-terminal: as in Python's
REPL (`python -i`, 3.11 to 3.13), an uncaught `raise SystemExit(code)`, `exit(code)` or
`quit(code)` ends the session with the code's status (0 for none, the number, else 1 after
writing the code to stderr); one the program catches is its own, and the session goes on."""

import time

import pytest

from tests.ui.test_e2e_habits import prompt, run_line, spawn

pexpect = pytest.importorskip("pexpect")


@pytest.mark.parametrize("line, status", [
    ("raise SystemExit(3)", 3), ("raise SystemExit", 0), ("raise SystemExit(None)", 0),
    ("exit()", 0), ("exit(4)", 4), ("quit(5)", 5), ("raise SystemExit(True)", 1),
])
def test_an_uncaught_system_exit_ends_the_session_with_its_status(tmp_path, line, status):
    child = spawn(tmp_path)
    prompt(child)
    run_line(child, "x = 1")
    child.send(line + "\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == status
    assert "Error" not in child.before and "Traceback" not in child.before, child.before


def test_a_system_exit_with_a_message_writes_it_and_exits_1(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    child.send("raise SystemExit('bye now')\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and "bye now" in child.before and "Error" not in child.before


def test_a_caught_system_exit_is_the_programs_own(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    for line in ("try:", "exit(2)", "except SystemExit as e:", "print('caught', e.code)", ""):
        child.send(line + "\r")                       # no indentation typed: the REPL's own
        time.sleep(0.15)
    child.expect_exact("caught 2")
    prompt(child)
    child.send("exit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_exit_and_quit_print_as_pythons(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    child.send("print(repr(exit), repr(quit))\r")
    child.expect_exact("Use exit() or Ctrl-D (i.e. EOF) to exit Use quit() or Ctrl-D (i.e. "
                       "EOF) to exit")
    prompt(child)
    child.send("quit\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
