"""Ctrl-C: a running tsh program stops within half a second, in scripts (exit 130)
and in the REPL (back to the prompt, variables intact); deep recursion and deep nesting are
clean errors."""

import io
import os
import signal
import subprocess
import sys
import time

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LATENCY = 0.5       # seconds from SIGINT to the process having exited

# Long-running programs of different shapes; each saves a marker file once it is running.
LOOPS = {
    "while": "while True:\n    pass\n",
    "for over tensors": "x = ones(50, 50)\nfor i in range(10**12):\n    x = (x * 1.0001).clamp(0, 2)\n",
    "function calls": "def f(n):\n    return n + 1\nn = 0\nwhile True:\n    n = f(n)\n",
    "recursion": "def r(n):\n    return r(n + 1) if n < 900 else 0\nwhile True:\n    r(0)\n",
    "comprehension": "while True:\n    s = [i * 2 for i in range(10**5)]\n",
    "no_grad block": "x = ones(3, requires_grad=True)\nwith no_grad():\n    while True:\n        y = x * 2\n",
    "autograd": "x = ones(100, requires_grad=True)\nwhile True:\n    (x * x).sum().backward()\n",
    "materialising": "while True:\n    l = list(enumerate(range(10**6)))\n",
    "bare except": "n = 0\nwhile True:\n    try:\n        n = n + 1\n    except:\n        pass\n",
    "except BaseException": "while True:\n    try:\n        [i for i in range(1000)]\n"
                            "    except BaseException:\n        pass\n",
}


def _env():
    env = dict(os.environ, PYTHONPATH=ROOT, NO_COLOR="1")
    env.pop("TSHELL_MAX_MEMORY", None)
    return env


def interrupt_after_start(tmp_path, code):
    """Run `tshell -c code`, send SIGINT once it runs; (exit status, stderr, seconds)."""
    marker = tmp_path / "started.npy"
    code = f"save(ones(1), {str(marker)!r})\n" + code
    p = subprocess.Popen([sys.executable, "-m", "tshell", "-c", code], cwd=tmp_path,
                         env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.01)
        assert marker.exists(), p.communicate()[1].decode()
        time.sleep(0.3)                     # well into the loop
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        p.wait(timeout=10)
        waited = time.monotonic() - t0
        err = p.stderr.read().decode("utf-8", "replace")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return p.returncode, err, waited


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_ctrl_c_stops_a_script_within_half_a_second(tmp_path, name):
    code, err, waited = interrupt_after_start(tmp_path, LOOPS[name])
    assert code == 130, f"exit {code}\n{err}"
    assert err.strip().endswith("KeyboardInterrupt") and "Traceback" not in err, err
    assert waited < LATENCY, f"{name}: took {waited:.3f} s to stop after SIGINT"


def test_ctrl_c_in_the_repl_returns_to_the_prompt_quickly(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    env = dict(_env(), TSHELL_HISTORY=str(tmp_path / "history"), TERM="xterm",
               PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(sys.executable, ["-m", "tshell"], env=env, encoding="utf-8",
                          timeout=15, dimensions=(40, 120), cwd=str(tmp_path))
    try:
        child.expect(">>>")
        child.send("x = ones(3)\r")
        # the next prompt (prompt_toolkit starts each with this), not the redrawn input: the
        # first input may wait for the interpreter, which the REPL builds in the background
        child.expect_exact("\x1b[?2004h")
        child.expect(">>>")
        child.send("n = 0\r")
        child.expect_exact("\x1b[?2004h")
        child.expect(">>>")
        latencies = []
        for _ in range(3):
            child.send("while True: n = n + 1\r")
            time.sleep(0.5)
            start = time.monotonic()
            child.sendintr()
            child.expect("KeyboardInterrupt")
            latencies.append(time.monotonic() - start)
            child.expect(">>>")
        child.send("print(x.sum(), n > 0)\r")          # the variables are intact
        child.expect(r"tensor\(3\.\) True")
        child.expect(">>>")
        assert max(latencies) < LATENCY, latencies
        time.sleep(0.2)
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_interrupted_statement_leaves_variables_as_they_were():
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source("x = 1\ny = [1, 2]\n", "<t>")

    def interrupt(*args):
        raise KeyboardInterrupt
    interp.builtins["interrupt"] = interrupt
    with pytest.raises(KeyboardInterrupt):
        interp.run_source("x = interrupt()\n", "<t>")
    with pytest.raises(KeyboardInterrupt):
        interp.run_source("x, y = 5, interrupt()\n", "<t>")
    assert interp.namespace["x"] == 1 and interp.namespace["y"] == [1, 2]
    interp.run_source("z = x + 1\n", "<t>")              # the interpreter still works
    assert interp.namespace["z"] == 2


@pytest.mark.parametrize("src", [
    "def r(n):\n    return r(n + 1)\nr(0)\n",
    "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\na(0)\n",
    "def f(x):\n    return sorted([1, 2], key=f)\nf(1)\n",
    "def g(x):\n    return [g(i) for i in [x]]\ng(1)\n",
])
def test_infinite_recursion_is_a_recursion_error_with_the_call_chain(src):
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=io.StringIO()).run_source(src, "rec.tsh")
    text = info.value.format()
    assert info.value.type_name == "RecursionError", text
    assert "called from rec.tsh:" in text, text
    assert "previous line repeated" in text or "more calls" in text, text
    assert len(text.splitlines()) <= 25, "the repeated chain is folded"


@pytest.mark.parametrize("opener,closer", [("(", ")"), ("[", "]"), ("{", "}"), ("-", ""),
                                           ("not ", ""), ("f(", ")"), ("x[", "]")])
def test_ten_thousand_brackets_are_a_syntax_error(opener, closer):
    for src in (opener * 10000 + "1" + closer * 10000, opener * 10000):
        with pytest.raises(TshSyntaxError) as info:
            Interpreter(stdout=io.StringIO()).run_source(src, "<t>")
        assert info.value.exit_code == 2


def test_deep_nesting_through_the_real_program():
    p = subprocess.run([sys.executable, "-m", "tshell", "-c", "(" * 10000 + "1" + ")" * 10000],
                       capture_output=True, text=True, env=_env(), timeout=60)
    assert p.returncode == 2 and p.stderr.startswith("error: ") and "Traceback" not in p.stderr


# What a program raises itself ends it as in `python script.py`: the exit status, and the
# message of SystemExit; a real Ctrl-C (above) is the only interrupt no bare except takes.
EXITS = {
    "raise KeyboardInterrupt": (130, "KeyboardInterrupt"),
    "try:\n    raise KeyboardInterrupt\nexcept Exception:\n    pass": (130, "KeyboardInterrupt"),
    "try:\n    raise KeyboardInterrupt\nexcept:\n    print('caught')": (0, ""),
    "raise SystemExit(3)": (3, ""),
    "raise SystemExit": (0, ""),
    "raise SystemExit('bye')": (1, "bye"),
    "try:\n    raise SystemExit(4)\nexcept Exception:\n    pass": (4, ""),
    "try:\n    raise SystemExit(4)\nexcept:\n    print('caught')": (0, ""),
    "def g():\n    yield 1\nfor x in g():\n    raise SystemExit(5)": (5, ""),
    "raise GeneratorExit": (1, "GeneratorExit"),
}


@pytest.mark.parametrize("src", EXITS)
def test_a_raised_interrupt_or_exit_ends_the_script_as_python_does(tmp_path, src):
    script = tmp_path / "exit.py"
    script.write_text(src + "\n")
    status, message = EXITS[src]
    p = subprocess.run([sys.executable, "-m", "tshell", str(script)], capture_output=True,
                       text=True, env=_env(), timeout=60)
    assert p.returncode == status, p.stderr
    assert message in p.stderr and (message or not p.stderr) and "Traceback" not in p.stderr, \
        p.stderr
    assert ("caught" in p.stdout) == ("caught" in src)
