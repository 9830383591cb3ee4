"""save/load keep every .npz key or refuse it by name; saves leave no temporaries for long
and create files as open() would; an unusable history file (a FIFO, a device, a huge file)
never hangs or ends the REPL (docs/security.md, "Files")."""

import io
import os
import signal
import subprocess
import sys
import threading
import zipfile

import numpy as np
import pytest
from prompt_toolkit.history import FileHistory, InMemoryHistory

import tshell.core as torch
from tshell.core.atomic_file import temporary_name
from tshell.core.serialization import load, save
from tshell.lang import Interpreter, TshRuntimeError
from tshell.ui.history import READ_LIMIT, SharedFileHistory, make_history

from .test_state_and_files import repl_with_history


def run(src, cwd):
    interp = Interpreter(stdout=io.StringIO())
    old = os.getcwd()
    os.chdir(cwd)
    try:
        interp.run_source(src, "<t>")
    finally:
        os.chdir(old)
    return interp


# ---------------------------------------------------------------------- .npz keys
AWKWARD_KEYS = ["file", "allow_pickle", "args", "kwds", "compress", "arr_0", "w",
                "a", "a.npy", ".npy", "", "x/y", "dir/", "/abs", "../up", "a b", "ünï😀"]


def test_every_string_key_round_trips_through_npz(tmp_path):
    tensors = {k: torch.full((2,), float(i)) for i, k in enumerate(AWKWARD_KEYS)}
    save(tensors, tmp_path / "f.npz")
    loaded = load(tmp_path / "f.npz")
    assert list(loaded) == AWKWARD_KEYS
    assert {k: v.tolist() for k, v in loaded.items()} == \
        {k: v.tolist() for k, v in tensors.items()}
    with np.load(tmp_path / "f.npz") as z:           # still what np.savez writes
        assert z["allow_pickle"].tolist() == [1.0, 1.0] and z["file"].tolist() == [0.0, 0.0]


def test_keys_that_collide_with_savez_parameters_work_from_tsh(tmp_path):
    interp = run("save({'allow_pickle': ones(2), 'file': zeros(1), 'w': ones(3)}, 'f.npz')\n"
                 "d = load('f.npz')", tmp_path)
    assert {k: v.tolist() for k, v in interp.namespace["d"].items()} == \
        {"allow_pickle": [1.0, 1.0], "file": [0.0], "w": [1.0, 1.0, 1.0]}


@pytest.mark.parametrize("key, reason", [
    ("a\x00b", "NUL character"),
    ("\udcff", "not valid Unicode"),
    ("k" * 70000, "too long"),
])
def test_a_key_npz_cannot_hold_is_an_error_naming_it(tmp_path, key, reason):
    target = tmp_path / "f.npz"
    target.write_bytes(b"old content")
    with pytest.raises(ValueError) as info:
        save({"ok": torch.ones(1), key: torch.ones(1)}, target)
    assert repr(key)[:40] in str(info.value) and reason in str(info.value)
    assert target.read_bytes() == b"old content"
    assert os.listdir(tmp_path) == ["f.npz"]


def test_keys_that_would_be_stored_under_one_name_are_an_error(tmp_path):
    with pytest.raises(TshRuntimeError) as info:
        run("save({1: ones(1), '1': zeros(1)}, 'f.npz')", tmp_path)
    assert info.value.type_name == "ValueError"
    assert "1 and '1'" in info.value.message
    assert os.listdir(tmp_path) == []


def test_non_string_keys_are_still_stored_as_their_str(tmp_path):
    save({1: torch.ones(1), (2, 3): torch.zeros(1)}, tmp_path / "f.npz")
    assert list(load(tmp_path / "f.npz")) == ["1", "(2, 3)"]


def test_load_reads_a_npy_suffixed_key_as_itself(tmp_path):
    # np.load's NpzFile looks 'a.npy' up as the member of key 'a'.
    np.savez(tmp_path / "f.npz", a=np.zeros(1), **{"a.npy": np.ones(2)})
    loaded = load(tmp_path / "f.npz")
    assert loaded["a"].tolist() == [0.0] and loaded["a.npy"].tolist() == [1.0, 1.0]


def test_load_refuses_two_members_with_one_key(tmp_path):
    path = tmp_path / "f.npz"
    with zipfile.ZipFile(path, "w") as z:
        for name in ("a.npy", "a"):
            with z.open(name, "w") as member:
                np.lib.format.write_array(member, np.ones(1))
    with pytest.raises(TshRuntimeError) as info:
        run("load('f.npz')", tmp_path)
    assert info.value.type_name == "ValueError"
    assert "two members hold the key 'a'" in info.value.message


# ---------------------------------------------------------------------- temporaries
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

KILLED_SAVE = """
import os, signal, sys
import numpy as np
import tshell.core as torch
from tshell.core.atomic_file import temporary_name
def killed_mid_write(f, *args, **kwargs):
    f.write(b"partial")
    f.flush()
    os.kill(os.getpid(), signal.SIGKILL)
np.save = killed_mid_write
torch.save(torch.ones(3), sys.argv[1])
"""


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_save_leaves_a_named_temporary_that_the_next_save_removes(tmp_path):
    target = tmp_path / "t.npy"
    save(torch.zeros(2), target)
    env = dict(os.environ, PYTHONPATH=ROOT)
    child = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(target)], env=env,
                           cwd=ROOT, timeout=60)
    assert child.returncode == -signal.SIGKILL
    leftover, = set(os.listdir(tmp_path)) - {"t.npy"}
    assert leftover.startswith(".tshell-save.") and leftover.endswith(".tmp")
    assert load(target).tolist() == [0.0, 0.0]
    save(torch.ones(2), target)
    assert os.listdir(tmp_path) == ["t.npy"]
    assert load(target).tolist() == [1.0, 1.0]


def test_only_stale_temporaries_of_this_host_are_removed(tmp_path):
    dead = dead_pid()
    stale = temporary_name(dead)
    host = stale.split(".")[2]
    (tmp_path / "precious").write_text("keep")
    kept = {
        temporary_name(os.getpid()): "file",                         # a save running here
        temporary_name(os.getppid()): "file",                        # another live process
        f".tshell-save.other-host.{dead}.0123456789ab.tmp": "file",   # its pids mean nothing here
        f".tshell-save.{host}.0.0123456789ab.tmp": "file",
        ".tshell-abcd1234.npz": "file",                               # an older tshell's
        ".tshell-save.notes.txt": "file",
        "data.tmp": "file",
        temporary_name(dead).replace(".tmp", ".tmpx"): "file",
        temporary_name(dead): "link",                                 # not a file we made
        temporary_name(dead) + "/": "dir",
    }
    for name, kind in kept.items():
        path = tmp_path / name.rstrip("/")
        if kind == "file":
            path.write_text("x")
        elif kind == "link":
            path.symlink_to(tmp_path / "precious")
        else:
            path.mkdir()
    (tmp_path / stale).write_text("left by a killed save")
    save(torch.ones(1), tmp_path / "t.npy")
    names = set(os.listdir(tmp_path))
    assert stale not in names
    assert names == {n.rstrip("/") for n in kept} | {"precious", "t.npy"}
    assert (tmp_path / "precious").read_text() == "keep"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to make a file another user owns")
def test_another_users_stale_temporary_is_kept(tmp_path):
    theirs = tmp_path / temporary_name(dead_pid())
    theirs.write_text("x")
    os.chown(theirs, 12345, 12345)
    save(torch.ones(1), tmp_path / "t.npy")
    assert theirs.exists()


# ---------------------------------------------------------------------- file modes
@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
@pytest.mark.parametrize("name", ["t.npy", "t.npz", "t.csv"])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask, mask, mode, name):
    umask(mask)
    save({"w": torch.ones(1)} if name.endswith(".npz") else torch.ones(1), tmp_path / name)
    assert (tmp_path / name).stat().st_mode & 0o7777 == mode


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o444, 0o666])
def test_a_replaced_file_keeps_its_mode(tmp_path, umask, mode):
    target = tmp_path / "t.npy"
    target.write_bytes(b"old")
    target.chmod(mode)
    save(torch.ones(1), target)
    assert target.stat().st_mode & 0o7777 == mode
    assert load(target).tolist() == [1.0]


# ---------------------------------------------------------------------- history file
def finishes_within(seconds, function, *args):
    """function(*args) in a thread; fails, instead of hanging the suite, if it takes longer."""
    result = []
    worker = threading.Thread(target=lambda: result.append(function(*args)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{function.__name__} still running after {seconds} s"
    return result[0] if result else None


def load_entries(path):
    return list(SharedFileHistory(str(path)).load_history_strings())


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


@pytest.fixture
def link_to_dev_zero(tmp_path):
    path = tmp_path / "zero"
    path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("special", ["fifo", "link_to_dev_zero"])
def test_a_history_file_that_is_not_a_regular_file_is_a_warning(special, request):
    path = request.getfixturevalue(special)
    warnings = []
    history = finishes_within(5, make_history, str(path), warnings.append)
    assert isinstance(history, InMemoryHistory)
    assert warnings == [f"warning: history file {str(path)!r} is not a regular file; "
                        "history is kept for this session only"]


@pytest.mark.parametrize("special", ["fifo", "link_to_dev_zero"])
def test_a_history_file_replaced_by_a_special_file_neither_hangs_nor_fails(special, request):
    path = request.getfixturevalue(special)
    assert finishes_within(5, load_entries, path) == []
    finishes_within(5, SharedFileHistory(str(path)).store_string, "x = 1")


def test_the_repl_starts_at_once_with_a_fifo_history(fifo):
    status, out, err = finishes_within(10, repl_with_history, fifo, "print(6 * 7)\r")
    assert status == 0 and "42" in out and "is not a regular file" in err


def test_the_tshell_program_starts_at_once_with_a_fifo_history(fifo):
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TSHELL_HISTORY=str(fifo), TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1",
               NO_COLOR="1", PYTHONPATH=ROOT)
    child = pexpect.spawn(sys.executable, ["-m", "tshell"], env=env, encoding="utf-8",
                          timeout=10, cwd=ROOT)
    child.expect("is not a regular file")
    child.expect(">>>")
    child.send("print(6 * 7)\r")
    child.expect("42")
    child.expect(">>>")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_link_to_a_regular_history_file_is_followed(tmp_path):
    (tmp_path / "real").write_text("\n# t\n+x = 1\n\n# t\n+y = 2\n+z = 3\n")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    warnings = []
    history = make_history(str(tmp_path / "link"), warnings.append)
    assert warnings == [] and isinstance(history, SharedFileHistory)
    assert list(history.load_history_strings()) == ["y = 2\nz = 3", "x = 1"]


def test_only_the_tail_of_a_huge_history_file_is_read(tmp_path):
    path = tmp_path / "hist"
    entries = [f"value_{i:07d} = {i}" for i in range(READ_LIMIT // 20)]     # ~1.5 limits
    path.write_text("".join(f"\n# 2024-01-01 00:00:00\n+{e}\n" for e in entries))
    assert path.stat().st_size > READ_LIMIT
    loaded = finishes_within(10, load_entries, path)[::-1]
    assert 0 < len(loaded) < len(entries)
    assert loaded == entries[-len(loaded):]              # whole entries, newest kept


def test_an_entry_the_size_limit_cuts_is_dropped_whole(tmp_path):
    path = tmp_path / "hist"
    huge = "".join(f"+line {i}\n" for i in range(READ_LIMIT // 8))
    path.write_text(f"\n# t\n{huge}\n# t\n+last = 1\n")
    assert load_entries(path) == ["last = 1"]
    path.write_bytes(b"\0" * (READ_LIMIT + 10))          # one endless line: nothing to read
    assert load_entries(path) == []


def test_history_reads_what_prompt_toolkit_writes_and_writes_what_it_reads(tmp_path):
    entries = ["x = 1", "def f(x):\n    return x + 1\n", "s = 'ünï'", "", "+plus"]
    theirs, ours = FileHistory(str(tmp_path / "a")), SharedFileHistory(str(tmp_path / "b"))
    for entry in entries:
        theirs.store_string(entry)
        ours.store_string(entry)
    assert load_entries(tmp_path / "a") == list(theirs.load_history_strings())
    assert list(FileHistory(str(tmp_path / "b")).load_history_strings()) == \
        list(theirs.load_history_strings())
