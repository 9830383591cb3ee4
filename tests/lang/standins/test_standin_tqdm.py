"""The tqdm stand-in: iterating, a bar updated by hand, its description and postfix, the
line it draws on standard error (tqdm's layout) while standard output gets only what
tqdm.write prints; `tqdm.auto`; bad arguments."""

import contextlib
import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError


def run(source: str):
    """(stdout, stderr) of a program."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        Interpreter(stdout=out).run_source(source + "\n", "<tqdm>")
    return out.getvalue(), err.getvalue()


def last_line(err: str) -> str:
    """The bar as it was left: the last drawing of the last line."""
    return err.rstrip("\n").split("\n")[-1].split("\r")[-1].rstrip()


def test_iterating_gives_the_values_and_draws_on_stderr_only():
    out, err = run("from tqdm import tqdm\ntotal = 0\nfor i in tqdm(range(5), desc='train'):\n"
                   "    total += i\nprint(total)")
    assert out == "10\n"
    assert err.startswith("\rtrain:   0%|          | 0/5 [00:00<?, ?it/s]")
    line = last_line(err)
    assert line.startswith("train: 100%|██████████| 5/5 [00:00<00:00, ") and \
        line.endswith("it/s]"), line
    assert err.endswith("\n")                  # leave=True: the bar keeps its line


def test_a_bar_updated_by_hand_with_description_and_postfix():
    out, err = run("from tqdm import tqdm\nwith tqdm(total=10) as bar:\n"
                   "    for k in range(4):\n        bar.update(2)\n"
                   "    bar.set_postfix(loss=0.123456, acc=1)\n"
                   "    bar.set_description('epoch 1')\n"
                   "    print(bar.n, bar.total, repr(bar.desc), bar.postfix, len(bar))")
    assert out == "8 10 'epoch 1: ' acc=1, loss=0.123 10\n"
    line = last_line(err)
    assert line.startswith("epoch 1:  80%|████████  | 8/10 [00:00<00:00, "), line
    assert line.endswith("it/s, acc=1, loss=0.123]"), line


def test_write_prints_on_stdout_and_trange_leave_false_clears_its_line():
    out, err = run("from tqdm.auto import tqdm, trange\nfor i in trange(3, leave=False):\n"
                   "    tqdm.write(f'step {i}')\ntqdm.write('end', end='!\\n')")
    assert out == "step 0\nstep 1\nstep 2\nend!\n"
    assert err.endswith("\r") and "\n" not in err


def test_unknown_length_disable_and_the_module_forms():
    out, err = run("import tqdm\nfrom tqdm import tqdm as t\nimport sys\n"
                   "print(tqdm.tqdm is t, tqdm.auto.tqdm is t, t)\n"
                   "print(list(t(iter([1, 2]))), list(t([3], disable=True)))\n"
                   "print(len(t(range(7))), len(t(total=4)))\n"
                   "t.write('x', file=sys.stderr)")
    # tqdm.auto.tqdm is tqdm's own class here (tqdm's is a subclass for notebooks and asyncio)
    assert out == "True True <class 'tqdm.std.tqdm'>\n[1, 2] [3]\n7 4\n"
    assert "\r0it [00:00, ?it/s]" in err and "\r2it [00:00, " in err and err.endswith("x\n")


def test_str_is_the_bar_and_repr_the_object():
    out, _ = run("from tqdm import tqdm\nb = tqdm(total=3, disable=True)\nprint(str(b))\n"
                 "print(repr(b)[:27])")
    assert out == "  0%|          | 0/3 [00:00<?, ?it/s]\n<tqdm.std.tqdm object at 0x\n"


def test_a_step_back_below_zero_draws_an_empty_bar():
    _, err = run("from tqdm import tqdm\nbar = tqdm(total=4)\nbar.update(-10**9)\n"
                 "bar.refresh()\nbar.close()")
    # tqdm clamps the bar too (with a TqdmWarning); the percentage is left as it is
    assert last_line(err).startswith("-25000000000%|          | -1000000000/4 ["), err


def test_a_break_leaves_the_last_value_uncounted_and_the_bar_closed():
    out, err = run("from tqdm import tqdm\nfor i in tqdm(range(10)):\n    if i == 3:\n"
                   "        break\nprint(i)")
    assert out == "3\n"
    assert last_line(err).startswith(" 30%|███       | 3/10 ["), err
    assert err.endswith("\n")


@pytest.mark.parametrize("src, message", [
    ("tqdm(range(2), foo=1)", "Unknown argument(s): {'foo': 1}"),
    ("tqdm(range(2), file=5)", "tqdm: file= takes sys.stdout or sys.stderr in tsh, not 'int'"),
    ("list(tqdm())", "'NoneType' object is not iterable"),
    ("tqdm.write('x', file=[])", "tqdm: file= takes sys.stdout or sys.stderr in tsh, not 'list'"),
])
def test_bad_arguments_are_the_programs_errors(src, message):
    with pytest.raises(TshRuntimeError) as info:
        run("from tqdm import tqdm\n" + src)
    assert message in info.value.format()


def test_the_layout_is_tqdms():
    # the stand-in is imported as a program's import loads it, not at collection: importing
    # the stand-ins before the runtime is made changes what they register
    run("import tqdm")
    from tshell.lang.standins.tqdm import format_interval, format_meter, format_num
    assert format_interval(5) == "00:05" and format_interval(3725) == "1:02:05"
    assert format_num(0.123456) == "0.123" and format_num(12) == "12" and \
        format_num(1e-05) == "1e-5"
    assert format_meter(3, 10, 1.5) == " 30%|███       | 3/10 [00:01<00:03,  2.00it/s]"
    assert format_meter(1, 10, 4, prefix="d") == "d:  10%|█         | 1/10 [00:04<00:36,  4.00s/it]"
    assert format_meter(5, 10, 1, ncols=40, ascii=True) == \
        " 50%|##  | 5/10 [00:01<00:01,  5.00it/s]"            # the bar fills ncols
    assert format_meter(2, 3, 0.5, ascii=True) == " 67%|######6   | 2/3 [00:00<00:00,  4.00it/s]"
    assert format_meter(1, 8, 1, ncols=50) == \
        " 12%|█▉             | 1/8 [00:01<00:07,  1.00it/s]"
    assert format_meter(7, None, 2, unit="batch") == "7batch [00:02,  3.50batch/s]"
