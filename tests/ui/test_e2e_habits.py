"""Issue 19's REPL defects, each typed into the real `tshell` in a pseudo-terminal (pexpect),
as a person would: the habits of readline/IPython users, colours, progress, files, start-up."""

import os
import re
import shutil
import stat
import sys
import time

import pytest

pexpect = pytest.importorskip("pexpect")

PROMPT = ">>>"
NEW_PROMPT = "\x1b[?2004h"                  # prompt_toolkit starts each prompt with it
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UP, LEFT, BACKSPACE, CTRL_R = "\x1b[A", "\x1b[D", "\x7f", "\x12"


def spawn(tmp_path, *args, color=False, env=None, dimensions=(40, 120), history=""):
    """`python -m tshell ARGS` in a pty, in tmp_path, with its own history file."""
    (tmp_path / "history").write_text(history)
    base = {k: v for k, v in os.environ.items()
            if k not in ("NO_COLOR", "COLORFGBG", "TSHELL_CONFIG")}
    base.update(TSHELL_HISTORY=str(tmp_path / "history"), TERM="xterm",
                PROMPT_TOOLKIT_NO_CPR="1", XDG_CONFIG_HOME=str(tmp_path / "config"),
                PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    if not color:
        base["NO_COLOR"] = "1"
    base.update(env or {})
    child = pexpect.spawn(sys.executable, ["-m", "tshell", *args], env=base, encoding="utf-8",
                          timeout=20, dimensions=dimensions, cwd=str(tmp_path))
    return child


def prompt(child):
    """Wait for the next prompt: the one that switches bracketed paste on again (a match of
    '>>>' alone can be the redrawn line just run, before its output; keys sent then reach a
    terminal that is not in raw mode, where Ctrl-R is the tty's own 'reprint')."""
    child.expect_exact(NEW_PROMPT)
    child.expect(PROMPT)
    time.sleep(0.1)


def finish(child) -> int:
    time.sleep(0.3)
    child.sendeof()                                   # Ctrl-D on an empty line
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def run_line(child, line):
    child.send(line + "\r")
    prompt(child)


def history_entry(line):
    return f"\n# 2026-01-01 00:00:00\n+{line}\n"


# 1 ----------------------------------------------------------------------------------------
def test_ctrl_r_then_enter_runs_the_found_line(tmp_path):
    child = spawn(tmp_path, history=history_entry("print(41 + 1, 'found')"))
    prompt(child)
    run_line(child, "w = 1")
    child.send(CTRL_R)
    time.sleep(0.2)
    child.send("found")
    time.sleep(0.3)
    child.send("\r")                                  # accept the search and run the line
    child.expect("42 found")
    prompt(child)
    assert finish(child) == 0


# 2 ----------------------------------------------------------------------------------------
def test_enter_runs_a_recalled_and_edited_line_wherever_the_cursor_is(tmp_path):
    child = spawn(tmp_path, history=history_entry("y = x.view(2, -1)"))
    prompt(child)
    run_line(child, "x = torch.arange(8.)")
    child.send(UP + UP)                               # recall y = x.view(2, -1)
    time.sleep(0.2)
    child.send(LEFT * 5 + BACKSPACE + "4")            # y = x.view(4, -1), cursor mid-line
    time.sleep(0.2)
    child.send("\r")
    prompt(child)
    child.send("y.shape\r")
    child.expect(r"torch\.Size\(\[4, 2\]\)")
    prompt(child)
    assert finish(child) == 0


# 3 ----------------------------------------------------------------------------------------
def test_else_dedents_as_typed(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    run_line(child, "c = False")
    for line in ("if c:", "print(1)", "else:", "print('from', 'else')", ""):
        child.send(line + "\r")                       # no indentation typed: the REPL's own
        time.sleep(0.15)
    child.expect("from else")
    prompt(child)
    assert "SyntaxError" not in child.before
    assert finish(child) == 0


def test_backspace_in_leading_whitespace_removes_one_indentation_unit(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    for line in ("for i in range(2):", "if i:", "print('one', i)"):
        child.send(line + "\r")                       # auto-indent: 4, then 8 spaces
        time.sleep(0.15)
    child.send(BACKSPACE)                             # 8 spaces -> 4, not 7
    child.send("print('each', i)\r\r")
    child.expect("each 0")
    child.expect("one 1")
    child.expect("each 1")
    prompt(child)
    assert "Error" not in child.before
    assert finish(child) == 0


# 4 ----------------------------------------------------------------------------------------
def test_whos_shows_a_1d_shape_as_a_tuple(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    run_line(child, "v = torch.ones(3)")
    child.send("%whos\r")
    child.expect(r"v\s+Tensor\s+\(3,\)\s+torch\.float32")
    prompt(child)
    assert finish(child) == 0


# 5 ----------------------------------------------------------------------------------------
def test_question_mark_summaries_and_source(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    run_line(child, "x = torch.ones(3, requires_grad=True) * 2")
    child.send("x?\r")
    for pattern in (r"Shape:\s+\(3,\)", r"Dtype:\s+torch\.float32", r"Device:\s+cpu",
                    r"requires_grad:\s+True", r"grad_fn:\s+<MulBackward0>",
                    r"Memory:\s+12 bytes", r"Value:\s+tensor\(\[2\., 2\., 2\.\]"):
        child.expect(pattern)
    prompt(child)
    child.send("def twice(a):\r# doubles\rreturn a * 2\r\r")
    prompt(child)
    child.send("twice??\r")
    child.expect(r"def twice\(a\):\s+# doubles\s+return a \* 2")
    prompt(child)
    assert finish(child) == 0


# 6 ----------------------------------------------------------------------------------------
def test_did_you_mean_on_name_and_attribute_errors(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    run_line(child, "x = torch.ones(4)")
    child.send("prnt(x)\r")
    child.expect(re.escape("NameError: name 'prnt' is not defined. Did you mean: 'print'?"))
    prompt(child)
    child.send("x.viw(2, 2)\r")        # ('vew' is as near to x.new: CPython names 'new')
    child.expect(re.escape("AttributeError: 'Tensor' object has no attribute 'viw'. "
                           "Did you mean: 'view'?"))
    prompt(child)
    assert finish(child) == 0


# 7 ----------------------------------------------------------------------------------------
def test_ipython_magics(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "setup.tsh").write_text("base = torch.arange(3.)\nscale = 10\n")
    child = spawn(tmp_path, env={"TSHELL_TEST_VAR": "hello-env"})
    prompt(child)
    child.send("%run setup.tsh\r")
    prompt(child)
    child.send("print(base * scale)\r")
    child.expect(re.escape("tensor([ 0., 10., 20.])"))
    prompt(child)
    child.send("%history -n 1-2\r")
    child.expect(r"1: %run setup\.tsh\s+2: print\(base \* scale\)")
    prompt(child)
    child.send("%pwd\r")
    child.expect(re.escape(str(tmp_path)))
    prompt(child)
    child.send("%cd sub\r")
    child.expect(re.escape(str(tmp_path / "sub")))
    prompt(child)
    child.send("%env TSHELL_TEST_VAR\r")
    child.expect("hello-env")
    prompt(child)
    child.send("%env A=1\r")
    child.expect("read-only")
    prompt(child)
    child.send("%precision 2\r")
    prompt(child)
    child.send("torch.tensor([1.23456])\r")
    child.expect(re.escape("tensor([1.23])"))
    prompt(child)
    child.send("3.14159\r")
    child.expect(r"3\.14\r\n")
    prompt(child)
    child.send("%%time\rz = 6 * 7\rz\r\r")
    child.expect(r"42\s+Wall time: ")
    prompt(child)
    child.send("%%timeit t = torch.ones(2)\rt + 1\r\r")
    child.expect(r"per loop \(mean ± std\. dev\. of 7 runs")
    prompt(child)
    child.send("%load ../setup.tsh\r")                # the file lands in the input buffer
    child.expect("scale = 10")
    child.send("\r")
    prompt(child)
    assert finish(child) == 0


def test_help_is_laid_out_in_columns_that_fit_the_terminal(tmp_path):
    # 120 columns: torch's own names reach 45 characters
    # (is_deterministic_algorithms_warn_only_enabled), so 80 columns hold two of them
    child = spawn(tmp_path, dimensions=(60, 120))
    prompt(child)
    for call, expected in (("help()", "gradcheck"), ("help(torch)", "zeros_like")):
        child.send(call + "\r")
        child.expect(re.escape("\x1b[?2004l"))       # the prompt lets go of the terminal
        child.expect(PROMPT)
        assert expected in child.before
        lines = [line for line in child.before.split("\r\n") if line.strip()]
        columned = [line for line in lines[1:] if "  " in line.strip()]
        assert len(columned) >= 5 and all(len(line) <= 120 for line in columned)
        assert max(len(line.split()) for line in columned) >= 3     # several per line
    assert finish(child) == 0


# 8 ----------------------------------------------------------------------------------------
BRIGHT_WHITE, BLACK = "\x1b[97m", "\x1b[30m"


def echo_of_number(child) -> str:
    """What the terminal got between the input 12345 and the next prompt: its echo."""
    child.send("12345\r")
    child.expect(re.escape("\x1b[?2004l"))           # the prompt lets go of the terminal
    child.expect(PROMPT)
    return child.before


@pytest.mark.parametrize("args, env, config, want, refuse", [
    (("--theme", "light"), {}, None, BLACK, BRIGHT_WHITE),
    (("--theme", "dark"), {}, None, BRIGHT_WHITE, BLACK),
    ((), {"COLORFGBG": "0;15"}, None, BLACK, BRIGHT_WHITE),
    ((), {"COLORFGBG": "15;0"}, None, BRIGHT_WHITE, BLACK),
    ((), {"COLORFGBG": "15;0"}, "[repl]\ntheme = light\n", BLACK, BRIGHT_WHITE),
])
def test_themes_keep_echoed_values_readable(tmp_path, args, env, config, want, refuse):
    if config:
        (tmp_path / "config" / "tshell").mkdir(parents=True)
        (tmp_path / "config" / "tshell" / "config").write_text(config)
    child = spawn(tmp_path, *args, color=True, env=env)
    prompt(child)
    echoed = echo_of_number(child)
    assert want in echoed and refuse not in echoed
    assert finish(child) == 0


def test_theme_from_the_terminals_background_answer(tmp_path):
    child = spawn(tmp_path, color=True)
    child.expect(re.escape("\x1b]11;?"))              # OSC 11: what is your background?
    child.send("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c")
    prompt(child)
    echoed = echo_of_number(child)
    assert BLACK in echoed and BRIGHT_WHITE not in echoed
    assert finish(child) == 0


def test_no_color_means_no_colour(tmp_path):
    child = spawn(tmp_path, "--theme", "dark", color=True, env={"NO_COLOR": "1"})
    prompt(child)
    assert "\x1b[9" not in echo_of_number(child) and "\x1b[3" not in echo_of_number(child)
    assert finish(child) == 0


# 9 ----------------------------------------------------------------------------------------
def test_progress_shows_count_rate_and_time_left(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    child.send("for i in progress(range(3), description='steps'):\rpass\r\r")
    child.expect(r"steps: 100%\|█+\| 3/3 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+it/s\]")
    prompt(child)
    assert finish(child) == 0


# 10 ---------------------------------------------------------------------------------------
def test_save_honours_the_umask(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    child.send("save(torch.ones(2), 'saved.npy')\r")
    prompt(child)
    assert finish(child) == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(tmp_path / "saved.npy").st_mode) == 0o666 & ~mask


# 11 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["g.dot", "g.svg"])
def test_graph_to_a_file_says_what_it_wrote(tmp_path, name):
    if name.endswith(".svg") and shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    child = spawn(tmp_path)
    prompt(child)
    run_line(child, "x = torch.ones(2, requires_grad=True)")
    run_line(child, "out = (x * 3).sum()")
    child.send(f"graph(out, '{name}')\r")
    child.expect(re.escape(f"wrote {name} (autograd graph, 3 nodes)"))
    prompt(child)
    assert finish(child) == 0
    assert (tmp_path / name).stat().st_size > 0


# 12 ---------------------------------------------------------------------------------------
def test_first_prompt_imports_no_renderer_or_highlighter(tmp_path):
    """What the first prompt waits for: not tshell.core (the interpreter is built in the
    background once the prompt shows), no rich, Pygments or plotext (they load on first use);
    and the prompt comes within a few seconds even on a loaded machine."""
    start = time.monotonic()
    child = spawn(tmp_path, color=True, env={"PYTHONPROFILEIMPORTTIME": "1",
                                             "COLORFGBG": "15;0"})
    child.maxread = 200_000
    child.expect(PROMPT)
    took = time.monotonic() - start
    imported = re.findall(r"import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)", child.before)
    assert "prompt_toolkit" in imported
    assert not [m for m in imported if m.split(".")[0] in ("rich", "pygments", "plotext")]
    assert "tshell.core" not in imported and "numpy" not in imported
    assert took < 5
    child.send("x = 1\r")                             # highlighting loads on first keystroke
    prompt(child)
    assert finish(child) == 0
