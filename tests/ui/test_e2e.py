"""The real `tshell` program in a pseudo-terminal (pexpect): typing, Tab, Ctrl-C, Ctrl-D,
history across sessions."""

import os
import sys
import time

import pytest

pexpect = pytest.importorskip("pexpect")

PROMPT = ">>>"
NEW_PROMPT = "\x1b[?2004h"                # prompt_toolkit starts each prompt with it
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def spawn(history_file):
    env = dict(os.environ, TSHELL_HISTORY=str(history_file), TERM="xterm",
               PROMPT_TOOLKIT_NO_CPR="1", NO_COLOR="1",
               PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    child = pexpect.spawn(sys.executable, ["-m", "tshell"], env=env, encoding="utf-8",
                          timeout=15, dimensions=(40, 120), cwd=ROOT)
    child.expect(PROMPT)
    return child


def finish(child) -> int:
    time.sleep(0.3)                                   # let the prompt take the terminal
    child.sendeof()                                   # Ctrl-D on an empty line
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_session_tab_interrupt_and_exit(tmp_path):
    child = spawn(tmp_path / "history")
    child.send("x = torch.arange(6.)\r")
    child.expect_exact(NEW_PROMPT)        # the next prompt, not the redrawn line: Tab typed
    child.expect(PROMPT)                  # ahead would race the typing after it
    time.sleep(0.2)
    child.send("x.vi\t")                              # Tab completes the common prefix 'view'
    time.sleep(0.3)
    child.send("(2, 3).sum()\r")
    child.expect(r"tensor\(15\.\)")
    child.expect(PROMPT)
    child.send("n = 0\r")
    child.expect(PROMPT)
    child.send("while True: n = n + 1\r")
    time.sleep(0.8)
    start = time.monotonic()
    child.sendintr()                                  # Ctrl-C interrupts the running loop
    child.expect("KeyboardInterrupt")
    assert time.monotonic() - start < 2
    child.expect(PROMPT)
    child.send("print(x.sum(), n > 0)\r")              # variables are intact
    child.expect(r"tensor\(15\.\) True")
    child.expect(PROMPT)
    assert finish(child) == 0


def test_history_is_kept_across_sessions(tmp_path):
    history = tmp_path / "history"
    child = spawn(history)
    child.send("marker_value = 41 + 1\r")
    child.expect_exact(NEW_PROMPT)        # ran: Ctrl-D typed while it runs would reach a
    child.expect(PROMPT)                  # terminal out of raw mode, as end of file
    assert finish(child) == 0
    assert "marker_value = 41 + 1" in history.read_text()
    child = spawn(history)
    child.send("mark")
    child.send("\x1b[A")                              # Up: history search by typed prefix
    time.sleep(0.3)
    child.send("\r")
    child.send("marker_value\r")
    child.expect(r"42\r\n")
    child.expect(PROMPT)
    assert finish(child) == 0
