"""A failing statement changes no variable; save is atomic; load refuses pickles and damaged
files; an unusable history file is a warning.

What tshell guarantees about variables (docs/security.md): a statement that fails rebinds
no name - not in `x = f()`, not in tuple unpacking, chained assignment, import or del. What a
statement did to a VALUE before failing stays done, as in Python and PyTorch: `x += y` on a
tensor, `x[i] = v`, `l.append(v)` are in place, and `x[0], x[9] = 1, 2` has set x[0].
"""

import io
import os

import numpy as np
import pytest

import tshell.core as torch
from tshell.lang import Interpreter, TshError, TshRuntimeError

SETUP = "x = 1\ny = [1, 2]\nt = torch.ones(2)\nd = {'a': 1}\ns = 'abc'\n"


def snapshot(interp):
    return {k: (v.tolist() if isinstance(v, torch.Tensor) else
                v.copy() if isinstance(v, (list, dict)) else v)
            for k, v in interp.user_names().items() if k in "xytds"}


FAILING = [
    "x = 1 / 0",
    "x = undefined_name",
    "x, y = 5, 1 / 0",
    "x, y = 1, 2, 3",
    "x, y = 5",
    "x, (y, s) = 5, (6, 7, 8)",
    "x, (y, s) = 5, 6",
    "x, t[9] = 5, 6",
    "x, d.foo = 5, 6",
    "x = y[5] = 7",
    "x = t.foo = 7",
    "x = (y, s) = 1, 2, 3",
    "x += 'a'",
    "s += 1",
    "t += torch.ones(3)",
    "t = t + torch.ones(3)",
    "t @= torch.ones(5)",
    "y += 5",
    "import torch, subprocess",
    "from torch import ones as x, nothing",
    "del x, y[10]",
    "del x, undefined_name",
    "for x in [1, 2]:\n    y = s + 1",
    "x = [1 / 0 for i in range(3)]",
    "x = torch.ones(2, 3) + torch.ones(4)",
    "with torch.no_grad():\n    x = 1 / 0",
    "x = 'a' * 10**12",
    "x = torch.zeros(10**13)",
]


@pytest.mark.parametrize("src", FAILING)
def test_a_failing_statement_leaves_every_variable_as_it_was(src):
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(SETUP, "<setup>")
    before = snapshot(interp)
    names = set(interp.user_names())
    with pytest.raises(TshError):
        interp.run_source(src, "<t>")          # one statement (compound ones included)
    after = snapshot(interp)
    if src.startswith("for"):
        after.pop("x")                   # a loop variable is bound by the iterations that ran
        before.pop("x")
    assert after == before
    assert set(interp.user_names()) - {"i"} == names


def test_in_place_changes_before_an_error_stay_as_in_pytorch():
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source("t = torch.zeros(3)\nl = [1]\n", "<t>")
    with pytest.raises(TshError):
        interp.run_source("t[0], t[9] = 1, 2", "<t>")
    with pytest.raises(TshError):
        interp.run_source("l.append(2)\nl[5]", "<t>")
    assert interp.namespace["t"].tolist() == [1.0, 0.0, 0.0]
    assert interp.namespace["l"] == [1, 2]


# ---------------------------------------------------------------------- save
def run(src, cwd):
    interp = Interpreter(stdout=io.StringIO())
    old = os.getcwd()
    os.chdir(cwd)
    try:
        interp.run_source(src, "<t>")
    finally:
        os.chdir(old)
    return interp


@pytest.mark.parametrize("bad", [
    "save(torch.ones(2, 2, 2), 'out.csv')",           # too many dims for csv
    "save({'w': 1}, 'out.npz')",                       # not a tensor
    "save(torch.ones(2), 'out.npz')",                  # npz needs a dict
    "save('text', 'out.npy')",
])
def test_a_failing_save_leaves_the_old_file_and_no_temporary_file(tmp_path, bad):
    ext = bad.split("'out")[1].split("'")[0]
    target = tmp_path / f"out{ext}"
    target.write_bytes(b"old content")
    with pytest.raises(TshRuntimeError):
        run(bad, tmp_path)
    assert target.read_bytes() == b"old content"
    assert sorted(os.listdir(tmp_path)) == [target.name]


def test_save_replaces_atomically_and_leaves_no_temporary_file(tmp_path):
    run("save(torch.arange(5.), 'a.npy')\nsave({'w': torch.ones(2)}, 'b.npz')\n"
        "save(torch.ones(2, 2), 'c.csv')\nsave(torch.ones(2, 2), 'c.csv')", tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["a.npy", "b.npz", "c.csv"]
    interp = run("a = load('a.npy')\nb = load('b.npz')\nc = load('c.csv')", tmp_path)
    assert interp.namespace["a"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert interp.namespace["b"]["w"].tolist() == [1.0, 1.0]


def test_save_to_a_folder_or_a_missing_folder_is_a_clean_error(tmp_path):
    (tmp_path / "dir.npy").mkdir()
    for src in ("save(torch.ones(2), 'dir.npy')", "save(torch.ones(2), 'nowhere/x.npy')"):
        with pytest.raises(TshRuntimeError) as info:
            run(src, tmp_path)
        assert info.value.type_name in ("IsADirectoryError", "FileNotFoundError")
        assert ".tshell-" not in info.value.message      # no temporary name in the message
    assert sorted(os.listdir(tmp_path)) == ["dir.npy"]


# ---------------------------------------------------------------------- load
def write_bad_files(folder):
    np.save(folder / "object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.savez(folder / "pickled.npz", a=np.array([None, 1], dtype=object))
    np.save(folder / "good.npy", np.arange(100.0))
    (folder / "truncated.npy").write_bytes((folder / "good.npy").read_bytes()[:150])
    (folder / "garbage.npy").write_bytes(b"\x00\xff" * 50)
    (folder / "pickle.npy").write_bytes(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00]\x94.")
    (folder / "garbage.csv").write_bytes(b"1,2,abc\n\xff\xfe,,\n")
    (folder / "ragged.csv").write_text("1,2,3\n4,5\n")
    (folder / "words.txt").write_text("hello world\n")
    (folder / "empty.npz").write_bytes(b"")
    (folder / "garbage.npz").write_bytes(b"PK\x03\x04garbage")
    np.save(folder / "strings.npy", np.array(["ab", "c"]))
    np.save(folder / "uint32.npy", np.arange(3, dtype=np.uint32))
    np.save(folder / "record.npy", np.zeros(2, dtype=[("a", "i4"), ("b", "f4")]))
    np.savez(folder / "strings.npz", a=np.array(["x"]))


BAD_FILES = ["object.npy", "pickled.npz", "truncated.npy", "garbage.npy", "pickle.npy",
             "garbage.csv", "ragged.csv", "words.txt", "empty.npz", "garbage.npz",
             "strings.npy", "record.npy", "strings.npz"]


def test_load_reads_the_unsigned_dtypes_pytorch_has(tmp_path):
    write_bad_files(tmp_path)
    out = run("print(load('uint32.npy'))", tmp_path).stdout.getvalue()
    assert out == "tensor([0, 1, 2], dtype=torch.uint32)\n"


@pytest.mark.parametrize("name", BAD_FILES)
def test_load_refuses_pickles_and_damaged_files_with_a_clear_error(tmp_path, name):
    write_bad_files(tmp_path)
    with pytest.raises(TshRuntimeError) as info:
        run(f"load({name!r})", tmp_path)
    e = info.value
    assert e.type_name == "ValueError", e.format()
    assert name in e.message and "is not a valid" in e.message, e.format()
    if "pickle" in name or "object" in name:
        assert "pickle" in e.message


def test_load_of_a_big_file_respects_the_memory_cap(tmp_path):
    from tshell.core import limits
    np.save(tmp_path / "big.npy", np.zeros(1000))
    old = limits.CAP.bytes
    limits.set_max_memory(4000)
    try:
        with pytest.raises(TshRuntimeError) as info:
            run("load('big.npy')", tmp_path)
    finally:
        limits.CAP.bytes = old
    assert "memory limit" in info.value.message


def test_load_reads_big_endian_files(tmp_path):
    np.save(tmp_path / "be.npy", np.arange(3, dtype=">f8"))
    interp = run("a = load('be.npy')", tmp_path)
    assert interp.namespace["a"].tolist() == [0.0, 1.0, 2.0]


# ---------------------------------------------------------------------- history file
def repl_with_history(path, keys):
    """Run the REPL with $TSHELL_HISTORY = path (no explicit history object)."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from tshell.ui.repl import run_repl
    out, err = io.StringIO(), io.StringIO()
    interp = Interpreter(stdout=out)
    old = os.environ.get("TSHELL_HISTORY")
    os.environ["TSHELL_HISTORY"] = str(path)
    try:
        with create_pipe_input() as inp:
            inp.send_text(keys + "\x04")
            status = run_repl(interp, color=False, input=inp, output=DummyOutput(),
                              stdout=out, stderr=err, banner=False)
    finally:
        if old is None:
            os.environ.pop("TSHELL_HISTORY", None)
        else:
            os.environ["TSHELL_HISTORY"] = old
    return status, out.getvalue(), err.getvalue()


def test_history_file_that_is_a_directory_is_a_warning(tmp_path):
    folder = tmp_path / "hist"
    folder.mkdir()
    status, out, err = repl_with_history(folder, "print(6 * 7)\r")
    assert status == 0 and "42" in out
    assert "warning: history file" in err and "is a directory" in err


def test_history_file_in_a_missing_folder_is_a_warning(tmp_path):
    status, out, err = repl_with_history(tmp_path / "no" / "hist", "print(6 * 7)\r")
    assert status == 0 and "42" in out and "warning: history file" in err


def test_history_file_with_garbage_bytes_works(tmp_path):
    path = tmp_path / "hist"
    path.write_bytes(bytes(range(256)) * 4 + b"\n+\xff\xfe\x00 x = 1\n")
    status, out, err = repl_with_history(path, "print(6 * 7)\r")
    assert status == 0 and "42" in out and err == ""
    assert b"print(6 * 7)" in path.read_bytes()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can read and write any file")
def test_unreadable_or_read_only_history_file_is_a_warning(tmp_path):
    path = tmp_path / "hist"
    path.write_text("+x = 1\n")
    path.chmod(0)
    try:
        status, out, err = repl_with_history(path, "print(6 * 7)\r")
        assert status == 0 and "42" in out and "is not readable" in err
        path.chmod(0o444)
        status, out, err = repl_with_history(path, "print(6 * 7)\r")
        assert status == 0 and "42" in out and "is not writable" in err
    finally:
        path.chmod(0o644)


def test_history_file_that_fails_while_writing_does_not_end_the_session(tmp_path):
    from tshell.ui.history import SharedFileHistory
    history = SharedFileHistory(str(tmp_path / "gone" / "hist"))    # cannot be created
    history.store_string("x = 1")                                   # no exception
    assert list(history.load_history_strings()) == []
