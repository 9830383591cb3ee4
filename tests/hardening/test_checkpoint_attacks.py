"""Hostile checkpoints, second round (after test_hostile_checkpoints.py, whose assembler this
file uses): views that lie inside their storage but that NumPy cannot make, and the other
malformed and hostile records tried against the loader, which it refused or read as PyTorch
does. A refusal names the file or the tensor, as the loader's other errors do."""
from __future__ import annotations

import json
import pickle as P
import struct
import tracemalloc
import zipfile

import pytest

import tshell.core as torch
from tshell.core import limits
from tshell.core.unpickler import UnpicklingError

from tests.hardening.test_hostile_checkpoints import (archive, call, empty_hooks, g, i, pid,
                                                      pkl, s, tensor, tup)

R16 = {"data/0": b"\0" * 16}

# A view whose elements lie inside its storage, so check_view let it through, that NumPy
# then refused with its own words and no file named ("Maximum allowed dimension exceeded"):
# strides or sizes past int64 (PyTorch's own limit), element counts past it, more than
# NumPy's 64 dimensions.
UNMAKEABLE_VIEWS = [
    (tensor("0", 4, (1,), (2 ** 70,)), "Maximum allowed dimension exceeded"),
    (tensor("0", 4, (0, 5), (2 ** 62, 1)), "Maximum allowed dimension exceeded"),
    (tensor("0", 4, (2 ** 40, 2 ** 40), (0, 0)), "array is too big"),
    (tensor("0", 4, (2 ** 63,), (0,)), "Maximum allowed dimension exceeded"),
    (tensor("0", 4, (1,) * 100, (1,) * 100), "maximum supported dimension"),
]


@pytest.mark.parametrize("body,numpy_words", UNMAKEABLE_VIEWS)
def test_a_view_numpy_cannot_make_is_the_loaders_error(tmp_path, body, numpy_words):
    path = archive(tmp_path / "view.pt", pkl(body), R16)
    with pytest.raises(RuntimeError) as info:
        torch.load(path)
    assert str(info.value).startswith("torch.load: tensor in storage '0': ") and \
        numpy_words in str(info.value), str(info.value)


def test_a_huge_expanded_view_inside_its_storage_still_loads(tmp_path):
    path = archive(tmp_path / "expanded.pt", pkl(tensor("0", 1, (10 ** 12,), (0,))),
                   {"data/0": b"\0" * 4})
    assert torch.load(path).shape == (10 ** 12,)


# What else was tried and held: each refused with the loader's error, or loaded as data.
REFUSED = [
    (tensor("../../../../etc/passwd", 4, (4,), (1,)), "no record 'data/../../../../etc/passwd'"),
    (tensor("/etc/passwd", 4, (4,), (1,)), "no record 'data//etc/passwd'"),
    (tensor("../data.pkl", 1, (1,), (1,)), "no record 'data/../data.pkl'"),
    (tensor("0", -4, (1,), (1,)), "malformed storage reference"),
    (tup(tensor("0", 4, (4,), (1,)), call(g("torch._utils", "_rebuild_tensor_v2"),
                                          pid("0", 2, "DoubleStorage"), i(0), tup(i(2)),
                                          tup(i(1)), P.NEWFALSE, empty_hooks())),
     "referred to as 4 elements of torch.float32 and as 2 of torch.float64"),
    (call(g("builtins", "bytearray"), i(10 ** 12)), "bytearray takes bytes here, not int"),
    (call(g("builtins", "complex"), tup(i(2 ** 2000), i(1))), "complex takes two numbers"),
    (call(g("_codecs", "encode"), s("a"), s("rot13")), "latin-1 text only"),
    (call(g("collections", "Counter"), tup(P.EMPTY_DICT + s("a") + s("x") + P.SETITEM)),
     "expected key-value pairs"),
    (call(g("torch._utils", "_rebuild_parameter"), s("x"), P.NEWTRUE, empty_hooks()),
     "a Parameter's data must be a tensor, not str"),
    (call(g("torch", "Size"), tup(tup(i(-(2 ** 70)), i(2)))), "torch.Size takes a tuple"),
    (P.BINBYTES8 + struct.pack("<Q", 2 ** 62) + b"ab", "pickle data was truncated"),
    (P.EMPTY_LIST + P.MARK + i(1) + i(2) + P.SETITEMS, "SETITEMS can only add to dict"),
    (P.PERSID + b"storage\n", "PERSID"),
    (P.INT + b"9" * 100000 + b"\n", "malformed integer"),
    (i(1) + i(2) + P.STACK_GLOBAL, "STACK_GLOBAL needs two strings"),
]


@pytest.mark.parametrize("body,match", REFUSED)
def test_malformed_records_are_refused_by_the_loader(tmp_path, body, match):
    path = archive(tmp_path / "bad.pt", pkl(body), R16)
    with pytest.raises((UnpicklingError, RuntimeError)) as info:
        torch.load(path)
    assert match in str(info.value) and "torch.load: " in str(info.value), str(info.value)


# Many small records: zipfile indexes every record of the central directory (a ZipInfo, its
# names, a dict entry: ~620 bytes each), a memory the cap did not see. A 102 MB file of a
# million empty records grew a `--max-memory 64MB` process to 659 MiB and loaded.
def _many_records(path, n, name="archive/{:x}", first="archive/data.pkl"):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(first, pkl(i(1)))
        z.writestr("archive/version", "3\n")
        for k in range(n):
            z.writestr(name.format(k), b"")
    return path


@pytest.fixture
def cap_64mb():
    old = limits.CAP.bytes
    limits.set_max_memory("64MB")
    yield
    limits.CAP.bytes = old


def test_an_archive_of_many_records_is_refused_before_zipfile_indexes_them(tmp_path, cap_64mb):
    path = _many_records(tmp_path / "many.pt", 120_000)
    tracemalloc.start()
    try:
        with pytest.raises(RuntimeError, match="the archive's central directory of 7010219 "
                           "bytes lists up to 152396 records, which take about 104543659 bytes "
                           "to read, more than the memory limit of 67108864 bytes"):
            torch.load(path)
        assert tracemalloc.get_traced_memory()[1] < 8 << 20
    finally:
        tracemalloc.stop()


def test_an_npz_of_many_members_is_refused_the_same_way(tmp_path, cap_64mb):
    path = _many_records(tmp_path / "many.npz", 120_000, "{:x}.npy", "data.npy")
    with pytest.raises(RuntimeError, match="central directory of .* bytes lists up to"):
        torch.load(path)


def test_archives_of_many_records_under_the_cap_load(tmp_path, cap_64mb):
    assert torch.load(_many_records(tmp_path / "some.pt", 1000)) == 1


# A safetensors header may be 100 MB (the reference implementation's limit), but its JSON
# parses to many times its size: a 23 MB header of 400 000 empty tensors grew a `--max-memory
# 64MB` process to 481 MiB, a 29 MB metadata of 2 million strings to 381 MiB.
def _safetensors(path, header):
    data = json.dumps(header, separators=(",", ":")).encode()
    path.write_bytes(struct.pack("<Q", len(data)) + data)
    return path


@pytest.mark.parametrize("header", [
    {f"t{k}": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]} for k in range(60_000)},
    {"__metadata__": {f"k{k}": "v" for k in range(400_000)}},
])
def test_a_safetensors_header_is_parsed_within_the_cap(tmp_path, cap_64mb, header):
    path = _safetensors(tmp_path / "big.safetensors", header)
    tracemalloc.start()
    try:
        with pytest.raises(RuntimeError, match="the header of .* bytes needs about .* bytes to "
                           "read, more than the memory limit of 67108864 bytes"):
            torch.load(path)
        assert tracemalloc.get_traced_memory()[1] < 8 << 20
    finally:
        tracemalloc.stop()


def test_a_safetensors_header_under_the_cap_loads(tmp_path, cap_64mb):
    header = {f"t{k}": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}
              for k in range(1000)}
    assert len(torch.load(_safetensors(tmp_path / "ok.safetensors", header))) == 1000


# One opcode byte makes a container of 56 to 216 bytes (EMPTY_DICT, EMPTY_LIST, EMPTY_SET,
# MARK ... TUPLE) and a memo entry ~100 bytes: a data.pkl under the cap expanded to many
# times it. 10 MB of EMPTY_DICT grew a `--max-memory 64MB` process past 2 GiB (killed after
# 120 s); now the containers and memo entries a pickle makes count against the cap.
CONTAINER_BOMBS = [
    P.EMPTY_LIST + P.MARK + P.EMPTY_DICT * 400_000 + P.APPENDS,
    P.EMPTY_LIST + P.MARK + P.EMPTY_LIST * 400_000 + P.APPENDS,
    P.EMPTY_LIST + P.MARK + P.EMPTY_SET * 200_000 + P.APPENDS,
    P.EMPTY_LIST + P.MARK + (P.MARK + P.TUPLE) * 300_000 + P.APPENDS,
    P.NONE + b"".join(P.LONG_BINPUT + struct.pack("<I", k) for k in range(600_000)),
]


@pytest.mark.parametrize("body", CONTAINER_BOMBS, ids=["dicts", "lists", "sets", "tuples",
                                                       "memo"])
def test_a_pickle_of_many_containers_is_refused_as_it_grows(tmp_path, body):
    old = limits.CAP.bytes
    limits.set_max_memory("16MB")
    path = archive(tmp_path / "bomb.pt", pkl(body))
    tracemalloc.start()
    try:
        with pytest.raises(RuntimeError, match="more than the memory limit of 16777216 bytes"):
            torch.load(path)
        assert tracemalloc.get_traced_memory()[1] < 48 << 20
    finally:
        tracemalloc.stop()
        limits.CAP.bytes = old
