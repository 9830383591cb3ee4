"""The REPL driven through prompt_toolkit's pipe input (Enter is '\\r')."""

from .helpers import interpreter, run_keys


def test_statement_echo_and_last_value():
    status, out, err, interp = run_keys("x = torch.ones(2)\rx + 1\r_ * 10\r")
    assert status == 0 and err == ""
    assert "tensor([2., 2.])" in out and "tensor([20., 20.])" in out
    assert str(interp.namespace["_"]) == "tensor([20., 20.])"


def test_multi_line_def_and_for_blocks():
    keys = ("def double(a):\r    return a * 2\r\r"
            "for k in range(3):\r    print(double(k))\r\r"
            "double(21)\r")
    status, out, err, _ = run_keys(keys)
    assert err == ""
    assert out.split() == ["0", "2", "4", "42"]


def test_auto_indent_nested_block():
    # No indentation typed inside the bodies: the REPL indents after ':' by itself.
    keys = "def f(n):\rif n > 0:\rreturn 1\r\r\rf(5)\r"
    _, out, err, _ = run_keys(keys)
    assert err == "" and out.strip() == "1"


def test_errors_leave_variables_and_session_intact():
    keys = "a = torch.ones(3)\ra = a + torch.ones(4)\rb = undefined\ra.sum()\r"
    status, out, err, interp = run_keys(keys)
    assert status == 0
    assert "RuntimeError: The size of tensor a (3) must match the size of tensor b (4)" in err
    assert "error: <input-3>:1:" in err and "NameError: name 'undefined' is not defined" in err
    assert "tensor(3.)" in out
    assert "b" not in interp.namespace and list(interp.namespace["a"].shape) == [3]


def test_syntax_error_is_reported():
    _, _, err, _ = run_keys("x = = 1\r")
    assert err.startswith("error: <input-1>:1:") and "SyntaxError" in err


def test_whos_table_and_who():
    keys = "w = torch.zeros(3, 4, requires_grad=True)\rn = 5\r%whos\r%who\r"
    _, out, err, _ = run_keys(keys)
    assert err == ""
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("name"))
    assert header.split() == ["name", "type", "shape", "dtype", "device", "requires_grad",
                              "bytes"]
    w_row = next(line for line in lines if line.startswith("w "))
    assert w_row.split() == ["w", "Tensor", "(3,", "4)", "torch.float32", "cpu", "True", "48"]
    assert next(line for line in lines if line.startswith("n ")).split() == ["n", "int"]
    assert "n  w" in lines


def test_timeit_time_reset_help_and_question_mark():
    keys = "x = torch.ones(4)\r%timeit x + 1\r%time y = x * 2\rzeros?\rhelp(ones)\r%help\r" \
           "%reset\r%who\r%bogus\r"
    _, out, err, interp = run_keys(keys)
    assert "per loop (mean ± std. dev. of 7 runs" in out
    assert "Wall time:" in out
    assert "zeros(*size" in out and "ones(*size" in out
    assert "%whos" in out and "no variables" in out
    assert "unknown magic %bogus" in err
    assert "x" not in interp.namespace


def test_graph_magic_and_load(tmp_path):
    script = tmp_path / "setup.tsh"
    script.write_text("x = torch.ones(2, 2, requires_grad=True)\nout = (x * 3).sum()\n")
    _, out, err, interp = run_keys(f"%run {script}\r%graph out\r")
    assert err == ""
    assert "SumBackward0" in out and "AccumulateGrad x (2, 2)" in out


def test_load_puts_the_file_in_the_next_input(tmp_path):
    script = tmp_path / "setup.tsh"
    script.write_text("a = 20\nb = a + 1\n")
    # %load runs nothing; the next prompt holds the file, and Enter runs it
    _, out, err, interp = run_keys(f"%load {script}\r\x03%who\r")
    assert err == "" and out.strip() == "no variables"         # cancelled: nothing ran
    _, out, err, interp = run_keys(f"%load {script}\r\rprint(a + b)\r")
    assert err == "" and out.strip() == "41"


def test_help_question_on_user_function_and_exit_word():
    status, out, _, _ = run_keys("def f(a, b):\r    return a\r\rf?\rexit\rprint('not reached')\r")
    assert status == 0 and "f(a, b)" in out and "not reached" not in out


def test_enter_submits_only_complete_input():
    from tshell.ui.keybindings import next_indent, wants_more
    assert wants_more("def f():")
    assert wants_more("def f():\n    return 1")
    assert not wants_more("def f():\n    return 1\n    ")
    assert wants_more("x = (1,\n")
    assert not wants_more("x = 1")
    assert not wants_more("%whos") and not wants_more("zeros?")
    assert next_indent("    if a:") == "        " and next_indent("    return 1") == ""


def test_bracketed_paste_runs_dedented_block():
    paste = "\x1b[200~    for i in range(2):\n        print(i * 10)\n\x1b[201~"
    _, out, err, _ = run_keys(paste)
    assert err == "" and out.split() == ["0", "10"]


def test_ctrl_c_cancels_the_line():
    _, out, err, interp = run_keys("a = 1\rb = 2\x03c = 3\ra + c\r")
    assert "b" not in interp.namespace and out.strip() == "4"


def test_builtins_show_and_plot_in_repl():
    interp = interpreter()
    _, out, err, _ = run_keys("show(torch.arange(4))\rplot([1, 4, 9])\r", interp)
    assert err == "" and "shape (4,)" in out and "\x1b[" not in out


def test_clause_keywords_find_their_header():
    from tshell.ui.keybindings import clause_indent
    assert clause_indent(["if c:", "    x = 1"], "    else:") == ""
    assert clause_indent(["try:", "    x = 1"], "    except E:") == ""
    assert clause_indent(["try:", "    x = 1", "except E:", "    y = 2"], "    finally:") == ""
    assert clause_indent(["for i in r:", "    if i:", "        x"], "        else:") == "    "
    assert clause_indent(["if a:", "    if b:", "        x"], "    elif c:") is None  # in place
    assert clause_indent(["x = 1"], "    else:") is None                    # nothing to join
    assert clause_indent(["if c:", "    x = 1"], "    elsewhere = 2") is None


def test_blocks_of_every_kind_continue_until_an_empty_line():
    from tshell.ui.shell import wants_more
    for header in ("class A:", "try:", "with open(p) as f:", "@decorate", "if x:  # note"):
        assert wants_more(header)
    assert wants_more("%%time") and wants_more("%%time\nx = 1")
    assert not wants_more("%%time\nx = 1\n")
    assert not wants_more("%history -n 1-3") and not wants_more("x??")
