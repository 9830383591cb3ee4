"""save/load keep every .npz key or refuse it by name; saves leave no temporaries for long
and create files as open() would; an unusable history file (a FIFO, a device, a huge file)
never hangs or ends the REPL (docs/security.md, "Files")."""

import io
import os
import zipfile

import numpy as np
import pytest

import tshell.core as torch
from tshell.core.serialization import load, save
from tshell.lang import Interpreter, TshRuntimeError


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
