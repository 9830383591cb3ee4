"""The `tshell` command line (docs/language.md, and the colour rules), through real subprocesses.

Every test runs `sys.executable -m tshell ...` with PYTHONPATH set to the repository root, so
it works both in a checkout and where the package is pip-installed.  Start-up costs ~0.25 s a
process: independent runs are batched and run concurrently where it matters.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
TRACEBACK = "Traceback (most recent call last)"
ESC = "\x1b"


def _env(extra=None, drop=()):
    env = dict(os.environ)
    for k in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TSHELL_MAX_MEMORY", *drop):
        env.pop(k, None)
    extra = os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    env["PYTHONPATH"] = str(ROOT) + extra
    env["PYTHONIOENCODING"] = "utf-8"
    env["TERM"] = "xterm-256color"      # a colour-capable terminal type: pipes must still be plain
    env["TSHELL_HISTORY"] = os.devnull
    env.update(extra or {})
    return env


def tsh(*args, input=None, cwd=None, env=None, timeout=30, exe=None):
    """Run tshell; stdin is /dev/null unless `input` is given (str or bytes)."""
    cmd = (exe or [sys.executable, "-m", "tshell"]) + [str(a) for a in args]
    kw = dict(cwd=cwd or ROOT, env=env or _env(), capture_output=True, timeout=timeout)
    if input is None:
        kw["stdin"] = subprocess.DEVNULL
    else:
        kw["input"] = input.encode("utf-8") if isinstance(input, str) else input
    p = subprocess.run(cmd, **kw)
    p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    return p


def tsh_many(calls):
    """Run several tshell invocations concurrently: calls is a list of (args, kwargs)."""
    with ThreadPoolExecutor(max_workers=min(8, len(calls))) as ex:
        futs = [ex.submit(tsh, *a, **k) for a, k in calls]
        return [f.result() for f in futs]


def show(p):
    return f"exit {p.returncode}\n--- stdout\n{p.stdout}--- stderr\n{p.stderr}"


ERROR_HEAD = re.compile(r"^error: (?P<file>.+?):(?P<line>\d+):(?P<col>\d+): "
                        r"(?P<type>\w+): (?P<msg>.+)$")


def check_error_format(stderr, file, line, col, etype, src, caret_len=None, msg=None):
    """stderr begins with the error format's three lines: the header, the source line with a line
    number gutter, and a caret range under the failing expression."""
    lines = stderr.splitlines()
    assert len(lines) >= 3, stderr
    m = ERROR_HEAD.match(lines[0])
    assert m, f"bad header: {lines[0]!r}"
    where = (m["file"], int(m["line"]), int(m["col"]), m["type"])
    assert where == (file, line, col, etype), lines[0]
    if msg is not None:
        assert m["msg"] == msg, lines[0]
    gm = re.match(r"^( *)(\d+) \| (.*)$", lines[1])
    assert gm, f"bad source line: {lines[1]!r}"
    assert int(gm[2]) == line and gm[3] == src, lines[1]
    bar = lines[1].index("|")
    cm = re.match(r"^( *)\| ( *)(\^+)$", lines[2])
    assert cm, f"bad caret line: {lines[2]!r}"
    assert len(cm[1]) == bar, "caret gutter not aligned with the source gutter"
    assert len(cm[2]) == col - 1, f"caret at column {len(cm[2]) + 1}, header says {col}"
    if caret_len is not None:
        assert len(cm[3]) == caret_len, f"caret range {len(cm[3])}, expected {caret_len}"
    return lines


@pytest.fixture()
def scripts(tmp_path):
    """Write tsh files into a temporary folder: scripts(name=text) -> folder."""
    def write(**files):
        for name, text in files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path
    return write


# ---------------------------------------------------------------------------------------
# Echo rules per mode

ECHO_PROGRAM = (
    "x = 1\n"
    "x\n"                    # echoed (REPL style) except in a script
    "None\n"                 # a None value is never echoed
    "print('p1')\n"          # print's own output; its None result is not echoed
    "1 + 2\n"
    "y = z = 3\n"            # assignments are not echoed
    "y += 1\n"
    "print(None)\n"          # printed explicitly: shown
    "'abc'\n"
    "zeros(2)\n"
    "def f():\n"
    "    pass\n"
    "f()\n"                  # returns None: not echoed
    "print(1); 2; print(3)\n"
    "[y, (1, 2)]\n"
)
ECHOED = "1\np1\n3\nNone\n'abc'\ntensor([0., 0.])\n1\n2\n3\n[4, (1, 2)]\n"
NOT_ECHOED = "p1\nNone\n1\n3\n"


def test_echo_rules_per_mode(scripts):
    d = scripts(**{"prog.tsh": ECHO_PROGRAM})
    script, command, pipe, dash = tsh_many([
        (("prog.tsh",), dict(cwd=d)),
        (("-c", ECHO_PROGRAM), {}),
        ((), dict(input=ECHO_PROGRAM)),
        (("-",), dict(input=ECHO_PROGRAM)),
    ])
    assert script.returncode == 0 and script.stdout == NOT_ECHOED, show(script)
    for p in (command, pipe, dash):
        assert p.returncode == 0, show(p)
        assert p.stdout == ECHOED, show(p)
        assert p.stderr == "", show(p)
    # No prompts or banners in pipe mode.
    assert ">>>" not in pipe.stdout + pipe.stderr


# ---------------------------------------------------------------------------------------
# Exit codes and error reports

RUNTIME = (
    "print('before')\n"
    "x = ones(3)\n"
    "y = ones(4)\n"
    "def f(a, b):\n"
    "    return a + b\n"
    "z = f(x, y)\n"
    "print('after')\n"
)
SIZE_MSG = ("The size of tensor a (3) must match the size of tensor b (4) "
            "at non-singleton dimension 0")


def test_runtime_error_in_script(scripts):
    d = scripts(**{"rt.tsh": RUNTIME})
    p = tsh("rt.tsh", cwd=d)
    assert p.returncode == 1, show(p)
    assert p.stdout == "before\n", show(p)          # output before the error is kept
    lines = check_error_format(p.stderr, "rt.tsh", 5, 12, "RuntimeError",
                               "    return a + b", caret_len=5, msg=SIZE_MSG)
    # Errors inside a def show the call chain.
    assert lines[3] == "  in f() called from rt.tsh:6:5", p.stderr
    assert len(lines) == 4, p.stderr
    assert TRACEBACK not in p.stderr


def test_runtime_error_call_chain_two_levels(scripts):
    d = scripts(**{"chain.tsh": "def f(a):\n    return a + ones(3)\n\n"
                                "def g(b):\n    return f(b) * 2\n\ng(ones(2))\n"})
    p = tsh("chain.tsh", cwd=d)
    assert p.returncode == 1, show(p)
    lines = check_error_format(p.stderr, "chain.tsh", 2, 12, "RuntimeError",
                               "    return a + ones(3)", caret_len=11)
    assert lines[3:] == ["  in f() called from chain.tsh:5:12",
                         "  in g() called from chain.tsh:7:1"], p.stderr


def test_runtime_error_in_c_and_stdin():
    src = "print(1); zeros(2) + zeros(3)"
    msg = ("The size of tensor a (2) must match the size of tensor b (3) "
           "at non-singleton dimension 0")
    c, s = tsh_many([(("-c", src), {}), (("-",), dict(input=src + "\n"))])
    for p, name in ((c, "<string>"), (s, "<stdin>")):
        assert p.returncode == 1, show(p)
        assert p.stdout == "1\n", show(p)
        check_error_format(p.stderr, name, 1, 11, "RuntimeError", src, caret_len=19, msg=msg)


def test_output_before_error_comes_first_on_a_shared_pipe():
    # `tshell ... 2>&1 | less`: what was printed before the error appears before the report.
    p = subprocess.run([sys.executable, "-m", "tshell", "-c",
                        "print('before')\nzeros(2) + zeros(3)\nprint('after')"],
                       cwd=ROOT, env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=30)
    out = p.stdout.decode("utf-8", "replace")
    assert p.returncode == 1
    assert out.startswith("before\nerror: <string>:2:1: RuntimeError: "), out
    assert "after" not in out


def test_script_file_forms(scripts):
    # Files as editors save them: CRLF line ends, a UTF-8 byte order mark (Windows
    # Notepad; Python accepts it), no final newline, tab indentation.
    d = scripts()
    (d / "crlf.tsh").write_bytes(b"print(1)\r\nif True:\r\n    print(2)\r\n")
    (d / "bom.tsh").write_bytes(b"\xef\xbb\xbfprint(1)\nprint(2)\n")
    (d / "nonl.tsh").write_bytes(b"print(1)\nprint(2)")
    (d / "tab.tsh").write_bytes(b"if True:\n\tprint(1)\n\tprint(2)\n")
    names = ["crlf.tsh", "bom.tsh", "nonl.tsh", "tab.tsh"]
    for name, p in zip(names, tsh_many([((n,), dict(cwd=d)) for n in names])):
        assert (p.returncode, p.stdout) == (0, "1\n2\n"), name + "\n" + show(p)


def test_error_while_echoing_is_located():
    # The value is computed, then its repr fails (Python's 4300-digit limit): the report
    # still names FILE:LINE:COL and shows the statement, like every other runtime error.
    src = "print('a')\n2 ** 100000"
    p = tsh("-c", src)
    assert p.returncode == 1, show(p)
    assert p.stdout == "a\n"
    check_error_format(p.stderr, "<string>", 2, 1, "ValueError", "2 ** 100000")


def test_syntax_error_exit_2_and_nothing_runs(scripts):
    d = scripts(**{"bad.tsh": "print('ran')\nx = 1 +\n"})
    p = tsh("bad.tsh", cwd=d)
    assert p.returncode == 2, show(p)
    assert p.stdout == "", "a file with a syntax error must not run at all\n" + show(p)
    check_error_format(p.stderr, "bad.tsh", 2, 8, "SyntaxError", "x = 1 +")
    assert TRACEBACK not in p.stderr


def test_check_mode(scripts):
    d = scripts(**{"good.tsh": "print('ran')\nx = ones(2)\nx\n",
                   "bad.tsh": "print('ran')\nx = (1,\n",
                   "rt.tsh": "print('ran')\nzeros(2) + zeros(3)\n"})
    good, bad, rt, missing = tsh_many([
        (("--check", "good.tsh"), dict(cwd=d)),
        (("--check", "bad.tsh"), dict(cwd=d)),
        (("--check", "rt.tsh"), dict(cwd=d)),
        (("--check", "missing.tsh"), dict(cwd=d)),
    ])
    assert good.returncode == 0 and good.stdout == "" and good.stderr == "", show(good)
    assert bad.returncode == 2 and bad.stdout == "", show(bad)
    check_error_format(bad.stderr, "bad.tsh", 2, 5, "SyntaxError", "x = (1,")
    # --check only parses: a runtime error is not found and the program does not run.
    assert rt.returncode == 0 and rt.stdout == "" and rt.stderr == "", show(rt)
    assert missing.returncode == 2 and missing.stdout == "", show(missing)
    for p in (good, bad, rt, missing):
        assert TRACEBACK not in p.stderr


@pytest.mark.parametrize("args", [
    ["--bogus"],
    ["--bogus", "-c", "1"],
    ["no_such_file.tsh"],
    ["--seed", "abc", "-c", "1"],
    ["--seed"],
    ["-c"],
    ["-i"],
    ["--device", "tpu", "-c", "1"],
], ids=lambda a: " ".join(a) or "none")
def test_usage_errors(args):
    p = tsh(*args)
    assert p.returncode == 2, show(p)
    assert p.stdout == "", show(p)
    assert p.stderr.strip(), "a usage error says what is wrong"
    assert TRACEBACK not in p.stderr


def test_ctrl_c_exits_130(tmp_path):
    # The program writes a marker file once it runs, then loops: SIGINT then hits the loop,
    # not the interpreter's start-up.
    marker = tmp_path / "started.npy"
    code = f"save(ones(1), {str(marker)!r})\nwhile True: pass\n"
    p = subprocess.Popen([sys.executable, "-m", "tshell", "-c", code], cwd=tmp_path, env=_env(),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while not marker.exists() and time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.02)
        assert marker.exists(), "the program did not start"
        time.sleep(0.5)
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=10)
        waited = time.monotonic() - t0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    err = err.decode("utf-8", "replace")
    assert p.returncode == 130, f"exit {p.returncode}\n{err}"
    assert TRACEBACK not in err, err
    assert waited < 2, f"took {waited:.2f}s to stop after SIGINT"


def test_reader_going_away_is_not_a_program_error():
    # `tshell -c ... | head -1`: the reader closes the pipe early.  That is not an error in
    # the program (cli.py says so for the final flush): no error report, no traceback.
    p = subprocess.Popen([sys.executable, "-m", "tshell", "-c",
                          "for i in range(200000): print(i)"], cwd=ROOT, env=_env(),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read().decode("utf-8", "replace")
        p.wait(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert first == b"0\n"
    assert TRACEBACK not in err, err
    assert "BrokenPipeError" not in err, err
    assert p.returncode in (0, 1, 141, -signal.SIGPIPE, 120), p.returncode


# ---------------------------------------------------------------------------------------
# Options

def test_version_and_help():
    v, h, hs = tsh_many([(("--version",), {}), (("--help",), {}), (("-h",), {})])
    assert v.returncode == 0, show(v)
    assert re.fullmatch(r"tshell \d+\.\d+(\.\d+)?\S*\n", v.stdout), show(v)
    for p in (h, hs):
        assert p.returncode == 0, show(p)
        assert "usage" in p.stdout.lower(), show(p)
        for opt in ("-c", "--check", "--seed", "--no-color", "--debug", "--version"):
            assert opt in p.stdout
    assert h.stdout == hs.stdout


def test_seed_makes_rand_repeatable():
    code = "print(rand(3).tolist()); print(randn(2).tolist())"
    a1, a2, b, d1, d2 = tsh_many([
        (("--seed", "7", "-c", code), {}),
        (("--seed", "7", "-c", code), {}),
        (("--seed", "8", "-c", code), {}),
        (("-c", code), {}),
        (("-c", code), {}),
    ])
    for p in (a1, a2, b, d1, d2):
        assert p.returncode == 0 and p.stdout.count("\n") == 2, show(p)
    assert a1.stdout == a2.stdout
    assert a1.stdout != b.stdout
    # tshell's generator has a fixed default seed: runs are repeatable without --seed too.
    assert d1.stdout == d2.stdout
    # --seed N is manual_seed(N).
    m = tsh("-c", "manual_seed(7)\n" + code)
    assert m.returncode == 0, show(m)
    assert m.stdout.splitlines()[-2:] == a1.stdout.splitlines()


def test_argv(scripts):
    d = scripts(**{"a.tsh": "print(argv)\nprint(len(argv))\n"})
    with_args, none, dash = tsh_many([
        (("a.tsh", "x", "y z", "--seed", "-c"), dict(cwd=d)),
        (("a.tsh",), dict(cwd=d)),
        (("-", "p", "q"), dict(input="print(argv)\n")),
    ])
    assert with_args.returncode == 0, show(with_args)
    assert with_args.stdout == "['x', 'y z', '--seed', '-c']\n4\n", show(with_args)
    assert none.stdout == "[]\n0\n", show(none)
    assert dash.returncode == 0 and dash.stdout == "['p', 'q']\n", show(dash)


def test_python_m_works_like_the_console_script(scripts):
    # `python -m tshell` is what every other test runs; where the console script is
    # installed next to this interpreter (pip install), it must behave the same.
    d = scripts(**{"rt.tsh": RUNTIME})
    exe = shutil.which("tshell", path=str(Path(sys.executable).parent))
    if exe is None:
        # Not pip-installed (a checkout): make the wrapper pip would make from pyproject's
        # [project.scripts] entry point.
        text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
        m = re.search(r'^tshell\s*=\s*"([\w.]+):(\w+)"', text, re.M)
        assert m, "pyproject.toml has no `tshell = \"module:function\"` script entry"
        wrapper = d / "tshell"
        wrapper.write_text(f"#!{sys.executable}\nimport sys\nfrom {m[1]} import {m[2]}\n"
                           f"sys.exit({m[2]}())\n", encoding="utf-8")
        wrapper.chmod(0o755)
        exe = str(wrapper)
    runs = tsh_many([
        (("rt.tsh",), dict(cwd=d)),
        (("rt.tsh",), dict(cwd=d, exe=[exe])),
        (("-c", ECHO_PROGRAM), {}),
        (("-c", ECHO_PROGRAM), dict(exe=[exe])),
        (("--version",), {}),
        (("--version",), dict(exe=[exe])),
    ])
    for m, s in zip(runs[::2], runs[1::2]):
        assert (m.returncode, m.stdout, m.stderr) == (s.returncode, s.stdout, s.stderr)


def test_python_m_main_module():
    # `python -m tshell` runs tshell.__main__ (the same entry point as the script).
    p = tsh("-c", "1 + 1")
    assert p.returncode == 0 and p.stdout == "2\n", show(p)


# ---------------------------------------------------------------------------------------
# Colour: no escape codes on pipes

COLOUR_CASES = {
    "ok": "x = arange(6.).view(2, 3)\nprint(x)\nx.sum()\nx.requires_grad_()\nx.size()\n",
    "runtime": "print(ones(2))\nzeros(2) + zeros(3)\n",
    "syntax": "x = rand（5,3)\n",
}


def test_no_escape_codes_when_piped(scripts):
    d = scripts(**{f"{k}.tsh": v for k, v in COLOUR_CASES.items()})
    calls, labels = [], []
    for variant, extra, flags in (("plain", {}, []), ("NO_COLOR", {"NO_COLOR": "1"}, []),
                                  ("--no-color", {}, ["--no-color"])):
        for name in COLOUR_CASES:
            calls.append(((*flags, f"{name}.tsh"), dict(cwd=d, env=_env(extra))))
            labels.append((variant, name, "script"))
            if variant == "plain":
                calls.append(((*flags, "-c", COLOUR_CASES[name]), dict(env=_env(extra))))
                labels.append((variant, name, "-c"))
    results = tsh_many(calls)
    want_rc = {"ok": 0, "runtime": 1, "syntax": 2}
    for (variant, name, mode), p in zip(labels, results):
        assert p.returncode == want_rc[name], f"{variant} {name} {mode}\n" + show(p)
        assert ESC not in p.stdout, f"escape code on stdout ({variant} {name} {mode}): {p.stdout!r}"
        assert ESC not in p.stderr, f"escape code on stderr ({variant} {name} {mode}): {p.stderr!r}"
        assert p.stdout or p.stderr


def test_rich_builtins_on_a_pipe():
    # tshell's own built-ins (docs/repl.md) are part of the language in every mode, and on a
    # pipe they write plain text: not one escape code; progress() is silent when piped.
    rich_prog = ("x = ones(2, 2, requires_grad=True)\nshow(x)\ngraph((x * 2).sum())\n"
                 "plot([1., 2., 3.])\nhist(arange(10.))\n")
    quiet_prog = "for i in progress(range(3)):\n    pass\nprint('done')\n"
    rich, quiet, rich_nc = tsh_many([(("-c", rich_prog), {}), (("-c", quiet_prog), {}),
                                     (("-c", rich_prog), dict(env=_env({"NO_COLOR": "1"})))])
    for p in (rich, quiet, rich_nc):
        assert p.returncode == 0, show(p)
        assert ESC not in p.stdout + p.stderr, show(p)
    assert rich.stdout.strip(), show(rich)
    assert quiet.stdout == "done\n" and quiet.stderr == "", show(quiet)


# ---------------------------------------------------------------------------------------
# Never a Python traceback without --debug

ERROR_PROGRAMS = [
    "undefined_name",
    "import subprocess",
    "x = ones(2)\nx.__dict__",
    "().__class__.__bases__",
    "__import__('os')",
    "open('/etc/passwd')",
    "zeros(10**12)",
    "ones(2, 3).view(5)",
    "x = ones(2, requires_grad=True)\nx.add_(1)",
    "x = ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()",
    "ones(3).backward()",
    "ones(2)[5]",
    "1 / 0",
    "int('a')",
    "def r(n):\n    return r(n + 1)\nr(0)",
    "assert 1 == 2, 'nope'",
    "(" * 10000,
    "x = [1, 2\n",
    "'unterminated",
    "if True:\nprint(1)",
    "class A(print): pass",
    "lambda: (yield)",
    "x = ones(2).to('cuda:7')",
    "x = 1 \u00b7 2",
]


def test_no_traceback_for_errors():
    calls = [(("-c", src), {}) for src in ERROR_PROGRAMS]
    calls.append((("-",), dict(input=bytes(range(256)) * 2)))       # not UTF-8
    calls.append((("-",), dict(input="x = ones(2)\nx +* 3\n")))
    calls.append((("-",), dict(input=b"x = 1\n\x00\x01\x02\n")))                 # NUL bytes
    results = tsh_many(calls)
    srcs = ERROR_PROGRAMS + ["<bytes>", "x +* 3", "<NUL bytes>"]
    for src, p in zip(srcs, results):
        label = f"program {src[:60]!r}\n" + show(p)
        assert p.returncode in (1, 2), label
        assert TRACEBACK not in p.stderr, label
        assert TRACEBACK not in p.stdout, label
        assert p.stderr.startswith(("error: ", "tshell: error: ")), label
        assert ESC not in p.stderr + p.stdout, label


def test_start_up_loads_with_the_gc_paused_then_restores_it():
    """cli._without_gc_passes: the GC is off while tshell loads, then as it was, with what
    loading made frozen (out of the GC's generations)."""
    code = ("import gc; from tshell import cli\n"
            "print(cli._without_gc_passes(gc.isenabled), gc.isenabled(),\n"
            "      gc.get_freeze_count() > 0)\n"
            "gc.disable(); cli._without_gc_passes(list); print(gc.isenabled())\n")
    p = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True,
                       text=True, timeout=60)
    assert p.stdout.split() == ["False", "True", "True", "False"], p.stderr
