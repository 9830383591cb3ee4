"""Hostile checkpoints: each file below is refused by torch.load with a clear error, and none
runs anything it names. The code-execution payloads would create a marker file if any part of
them ran; the tests check it never appears. Files are built here, opcode by opcode, so that
each names its attack.
"""
from __future__ import annotations

import pickle as P
import struct
import tracemalloc
import zipfile

import pytest

import tshell.core as torch
from tshell.core import limits, torch_zip
from tshell.core.unpickler import UnpicklingError

PROTO2 = P.PROTO + b"\x02"
PROTO4 = P.PROTO + b"\x04"


# ---- a tiny pickle assembler ------------------------------------------------------------

def g(module, name):
    return P.GLOBAL + f"{module}\n{name}\n".encode()


def s(text):
    data = text.encode()
    return P.BINUNICODE + struct.pack("<I", len(data)) + data


def short(text):
    data = text.encode()
    return P.SHORT_BINUNICODE + bytes((len(data),)) + data


def i(n):
    if 0 <= n < 2 ** 31:
        return P.BININT + struct.pack("<i", n)
    data = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
    return P.LONG1 + bytes((len(data),)) + data


def tup(*items):
    return P.MARK + b"".join(items) + P.TUPLE


def call(fn, *args):
    return fn + tup(*args) + P.REDUCE


def ints(values):
    return tup(*(i(v) for v in values))


def empty_hooks():
    return call(g("collections", "OrderedDict"))


def pid(key, numel, kind="FloatStorage"):
    return tup(s("storage"), g("torch", kind), s(key), s("cpu"), i(numel)) + P.BINPERSID


def tensor(key, numel, size, stride, offset=0, hooks=None):
    return call(g("torch._utils", "_rebuild_tensor_v2"), pid(key, numel), i(offset),
                ints(size), ints(stride), P.NEWFALSE, hooks or empty_hooks())


def pkl(body, proto=PROTO2):
    return proto + body + P.STOP


def archive(path, data_pkl, records=None, compress=None):
    """A PyTorch zip archive around a data.pkl (and storage records)."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", data_pkl)
        z.writestr("archive/version", "3\n")
        for name, data in (records or {}).items():
            z.writestr(f"archive/{name}", data, compress_type=compress or zipfile.ZIP_STORED)
    return path


@pytest.fixture
def marker(tmp_path):
    """A path a payload would create; each test checks it does not exist afterwards."""
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "a payload ran"


@pytest.fixture
def reads(monkeypatch):
    """The storage records read (none may be read for a file refused in its dry pass)."""
    seen = []
    real = torch_zip.Archive.read_into

    def counting(self, name, buffer):
        seen.append(name)
        return real(self, name, buffer)
    monkeypatch.setattr(torch_zip.Archive, "read_into", counting)
    return seen


def refused(tmp_path, data_pkl, match, error=UnpicklingError, records=None):
    path = archive(tmp_path / "evil.pt", data_pkl, records)
    with pytest.raises(error, match=match):
        torch.load(path)


def touch(marker):
    return s(f"touch {marker}")


# ---- code execution through every opcode that can call ------------------------------------

@pytest.mark.parametrize("module, name", [
    ("os", "system"), ("posix", "system"), ("builtins", "eval"), ("builtins", "exec"),
    ("__builtin__", "eval"), ("subprocess", "call"), ("builtins", "getattr"),
    ("builtins", "__import__"), ("torch", "load"), ("torch.hub", "load_state_dict_from_url"),
    ("torch.serialization", "load"), ("numpy", "load"), ("__main__", "Evil"),
    ("copyreg", "_reconstructor"), ("pickle", "loads"),
])
def test_reduce_of_an_unlisted_global_is_refused_by_name(module, name, tmp_path, marker,
                                                         reads):
    full = f"{'builtins' if module == '__builtin__' else module}.{name}"
    body = tup(tensor("0", 4, (4,), (1,)), call(g(module, name), touch(marker)))
    refused(tmp_path, pkl(body), f"GLOBAL {full.replace('.', '[.]')} was not an allowed",
            records={"data/0": b"\0" * 16})
    assert reads == []                       # refused before any tensor data was read


def test_subprocess_popen_with_an_argument_list(tmp_path, marker):
    argv = P.EMPTY_LIST + P.MARK + s("touch") + s(str(marker)) + P.APPENDS
    refused(tmp_path, pkl(call(g("subprocess", "Popen"), argv)), "subprocess.Popen")


def test_build_on_a_dict_is_refused(tmp_path, marker):
    # BUILD would call __setstate__ or update __dict__: only an OrderedDict's private
    # attributes may be set
    refused(tmp_path, pkl(P.EMPTY_DICT + P.EMPTY_DICT + P.BUILD),
            "BUILD can only set the attributes of an OrderedDict")


def test_build_of_public_attributes_of_an_ordered_dict_is_refused(tmp_path):
    state = P.EMPTY_DICT + s("keys") + i(1) + P.SETITEM
    refused(tmp_path, pkl(empty_hooks() + state + P.BUILD), "private attribute names")


def test_build_on_a_tensor_is_refused(tmp_path):
    state = P.EMPTY_DICT + s("_data") + i(1) + P.SETITEM
    refused(tmp_path, pkl(tensor("0", 2, (2,), (1,)) + state + P.BUILD),
            "not of a value of type Tensor", records={"data/0": b"\0" * 8})


def test_inst_is_refused_by_the_global_it_names(tmp_path, marker):
    body = P.MARK + touch(marker) + P.INST + b"os\nsystem\n"
    refused(tmp_path, pkl(body), "GLOBAL os.system was not an allowed")


def test_inst_of_an_allowed_name_is_still_refused(tmp_path):
    body = P.MARK + P.INST + b"collections\nOrderedDict\n"
    refused(tmp_path, pkl(body), "opcode INST .* is not supported")


def test_obj_is_refused(tmp_path, marker):
    refused(tmp_path, pkl(P.MARK + g("os", "system") + touch(marker) + P.OBJ), "os.system")
    refused(tmp_path, pkl(P.MARK + g("collections", "OrderedDict") + P.OBJ),
            "opcode OBJ .* is not supported")


def test_newobj_of_anything_but_a_parameter_is_refused(tmp_path):
    refused(tmp_path, pkl(g("collections", "OrderedDict") + P.EMPTY_TUPLE + P.NEWOBJ),
            "NEWOBJ may only make a torch.nn.Parameter")


def test_newobj_ex_is_refused(tmp_path, marker):
    body = g("os", "system") + tup(touch(marker)) + P.EMPTY_DICT + P.NEWOBJ_EX
    refused(tmp_path, pkl(body, PROTO4), "os.system")
    body = g("torch.nn.parameter", "Parameter") + P.EMPTY_TUPLE + P.EMPTY_DICT + P.NEWOBJ_EX
    refused(tmp_path, pkl(body, PROTO4), "opcode NEWOBJ_EX .* is not supported")


def test_stack_global_with_unlisted_names_is_refused(tmp_path, marker):
    body = short("os") + short("system") + P.STACK_GLOBAL + tup(touch(marker)) + P.REDUCE
    refused(tmp_path, pkl(body, PROTO4), "GLOBAL os.system was not an allowed")


def test_stack_global_with_names_from_the_memo_is_refused(tmp_path, marker):
    body = (short("builtins") + P.MEMOIZE + P.POP + short("eval") + P.MEMOIZE + P.POP
            + P.BINGET + b"\0" + P.BINGET + b"\1" + P.STACK_GLOBAL + tup(s("1")) + P.REDUCE)
    refused(tmp_path, pkl(body, PROTO4), "GLOBAL builtins.eval was not an allowed")


def test_stack_global_of_a_computed_value_is_refused(tmp_path):
    body = short("os") + empty_hooks() + P.STACK_GLOBAL
    refused(tmp_path, pkl(body, PROTO4), "STACK_GLOBAL needs two strings")


def test_reduce_of_an_allowed_value_that_is_no_function_is_refused(tmp_path):
    refused(tmp_path, pkl(call(g("torch", "float32"))), "REDUCE may only call an allowed")
    refused(tmp_path, pkl(call(g("torch", "Tensor"))), "REDUCE may only call an allowed")


def test_extension_registry_opcodes_are_refused(tmp_path):
    refused(tmp_path, pkl(P.EXT1 + b"\x01"), "copyreg extension registry")
    refused(tmp_path, pkl(P.EXT4 + b"\x01\0\0\0"), "copyreg extension registry")


def test_out_of_band_buffers_and_text_persistent_ids_are_refused(tmp_path):
    refused(tmp_path, pkl(P.NEXT_BUFFER, P.PROTO + b"\x05"), "out-of-band buffers")
    refused(tmp_path, pkl(P.PERSID + b"0\n"), "persistent ids in text form")


def test_persistent_ids_other_than_storages_are_refused(tmp_path):
    body = tup(s("module"), s("x")) + P.BINPERSID
    refused(tmp_path, pkl(body), "Only persistent_load of storage")


def test_a_storage_key_is_a_record_name_never_a_path(tmp_path):
    refused(tmp_path, pkl(tensor("../../../../etc/passwd", 4, (4,), (1,))),
            "has no record 'data/../../../../etc/passwd'", error=RuntimeError)


def test_codecs_encode_is_allowed_for_latin1_only(tmp_path):
    # other codecs are found by name, which imports modules
    refused(tmp_path, pkl(call(g("_codecs", "encode"), s("x"), s("zlib"))), "latin-1 text only")


def test_backward_hooks_in_a_file_are_refused(tmp_path):
    hooks = empty_hooks() + i(0) + s("hook") + P.SETITEM
    refused(tmp_path, pkl(tensor("0", 2, (2,), (1,), hooks=hooks)), "backward hooks",
            records={"data/0": b"\0" * 8})


def test_rebuild_from_type_calls_only_tensor_rebuilds(tmp_path):
    body = call(g("torch._tensor", "_rebuild_from_type_v2"), g("collections", "OrderedDict"),
                g("torch", "Tensor"), P.EMPTY_TUPLE, P.EMPTY_DICT)
    refused(tmp_path, pkl(body), "may only call a tensor rebuild function")


def test_tensor_attributes_from_a_file_are_refused(tmp_path):
    state = P.EMPTY_DICT + s("_data") + i(0) + P.SETITEM
    body = call(g("torch._utils", "_rebuild_parameter_with_state"),
                tensor("0", 2, (2,), (1,)), P.NEWTRUE, empty_hooks(), state)
    refused(tmp_path, pkl(body), "Python attributes of tensors", records={"data/0": b"\0" * 8})


def test_allowed_functions_left_in_the_value_are_refused(tmp_path):
    # a pickle may name an allowed function without calling it; it must not reach a program
    refused(tmp_path, pkl(g("torch._utils", "_rebuild_tensor_v2")), "loads only data")


# ---- malformed files ----------------------------------------------------------------------

GOOD = pkl(tensor("0", 4, (2, 2), (2, 1)))


def test_a_good_file_loads(tmp_path):
    path = archive(tmp_path / "ok.pt", GOOD, {"data/0": struct.pack("<4f", 1, 2, 3, 4)})
    assert torch.load(path).tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_truncated_zip(tmp_path):
    path = archive(tmp_path / "ok.pt", GOOD, {"data/0": b"\0" * 16})
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        path.write_bytes(data[:cut])
        with pytest.raises(RuntimeError, match="failed finding central directory"):
            torch.load(path)


def test_storage_record_shorter_than_the_pickle_says(tmp_path):
    refused(tmp_path, GOOD, r"holds 8 bytes, but the pickle says 4 elements", RuntimeError,
            {"data/0": b"\0" * 8})


def test_storage_claiming_a_trillion_elements(tmp_path):
    data = pkl(tensor("0", 10 ** 12, (10 ** 12,), (1,)))
    tracemalloc.start()
    try:
        refused(tmp_path, data, "needs 4000000000000 bytes, more than the memory limit",
                RuntimeError, {"data/0": b"\0" * 16})
        assert tracemalloc.get_traced_memory()[1] < 50 * 2 ** 20
    finally:
        tracemalloc.stop()


def test_tensor_larger_than_its_storage(tmp_path):
    refused(tmp_path, pkl(tensor("0", 4, (10 ** 6,), (1,))), "needs 1000000 elements, but its "
            "storage has 4", RuntimeError, {"data/0": b"\0" * 16})
    refused(tmp_path, pkl(tensor("0", 4, (2, 2), (2, 1), offset=3)), "needs 7 elements",
            RuntimeError, {"data/0": b"\0" * 16})


def test_negative_strides_and_offsets(tmp_path):
    refused(tmp_path, pkl(tensor("0", 4, (2,), (-1,), offset=1)), "non-negative",
            RuntimeError, {"data/0": b"\0" * 16})
    refused(tmp_path, pkl(tensor("0", 4, (2,), (1,), offset=-1)), "non-negative",
            RuntimeError, {"data/0": b"\0" * 16})


def test_data_pkl_that_is_not_a_pickle(tmp_path):
    refused(tmp_path, b"#!/bin/sh\ntouch pwned\n", "invalid load key, '#'")
    refused(tmp_path, b"", "truncated")


def test_truncated_pickle(tmp_path):
    refused(tmp_path, GOOD[:-5], "truncated", records={"data/0": b"\0" * 16})


def test_string_lengths_beyond_the_data(tmp_path):
    refused(tmp_path, PROTO2 + P.BINUNICODE + struct.pack("<I", 2 ** 32 - 1) + b"abc",
            "truncated")
    refused(tmp_path, PROTO2 + P.LONG4 + struct.pack("<i", 2 ** 31 - 1), "truncated")
    refused(tmp_path, PROTO2 + P.LONG4 + struct.pack("<i", -5), "truncated")


def test_unknown_opcode(tmp_path):
    refused(tmp_path, PROTO2 + b"\xff", "invalid load key")


def test_compressed_storage_bigger_than_the_cap_is_refused_before_decompressing(tmp_path):
    numel = 2 ** 22                                    # 16 MiB of float32 zeros, deflated
    path = archive(tmp_path / "bomb.pt", pkl(tensor("0", numel, (numel,), (1,))),
                   {"data/0": bytes(4 * numel)}, compress=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 100_000
    old = limits.max_bytes()
    limits.set_max_memory(2 ** 20)
    try:
        with pytest.raises(RuntimeError, match="more than the memory limit"):
            torch.load(path)
    finally:
        limits.set_max_memory(old)
    assert torch.load(path).shape == (numel,)        # within the cap it is an ordinary file


def test_many_storages_together_beyond_the_cap(tmp_path):
    items = b"".join(tensor(str(k), 2 ** 16, (2 ** 16,), (1,)) for k in range(40))
    path = archive(tmp_path / "many.pt", pkl(P.MARK + items + P.LIST),
                   {f"data/{k}": bytes(2 ** 18) for k in range(40)})
    old = limits.max_bytes()
    limits.set_max_memory(2 ** 22)                     # each 256 KiB fits, 10 MiB do not
    try:
        with pytest.raises(RuntimeError, match="the storages of this file need"):
            torch.load(path)
        assert len(torch.load(path, mmap=True)) == 40  # mapped, they take no memory
    finally:
        limits.set_max_memory(old)


def test_data_pkl_claiming_more_than_the_cap(tmp_path):
    path = archive(tmp_path / "big.pt", GOOD + b"\0" * 4096, {"data/0": b"\0" * 16})
    old = limits.max_bytes()
    limits.set_max_memory(1024)
    try:
        with pytest.raises(RuntimeError, match="data.pkl' claims"):
            torch.load(path)
    finally:
        limits.set_max_memory(old)


def test_archives_pytorch_would_not_read(tmp_path):
    with zipfile.ZipFile(tmp_path / "flat.pt", "w") as z:
        z.writestr("data.pkl", GOOD)
    with pytest.raises(RuntimeError, match="not in a subdirectory"):
        torch.load(tmp_path / "flat.pt")
    with zipfile.ZipFile(tmp_path / "noversion.pt", "w") as z:
        z.writestr("a/data.pkl", GOOD)
    with pytest.raises(RuntimeError, match="no record 'version'"):
        torch.load(tmp_path / "noversion.pt")
    archive(tmp_path / "ts.pt", GOOD, {"constants.pkl": PROTO2 + P.NONE + P.STOP})
    with pytest.raises(RuntimeError, match="TorchScript archives"):
        torch.load(tmp_path / "ts.pt")


def test_local_header_that_lies_about_the_record(tmp_path):
    path = archive(tmp_path / "ok.pt", GOOD, {"data/0": b"\0" * 16})
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x03\x04", data.index(b"archive/version"))   # data/0's local header
    data[at + 26:at + 28] = struct.pack("<H", 60000)                  # a name 60 000 long
    path.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="truncated|damaged"):
        torch.load(path)


# ---- recursion and expansion bombs -------------------------------------------------------

def test_deeply_nested_lists(tmp_path):
    depth = 100_000
    body = P.EMPTY_LIST * depth + P.APPEND * (depth - 1)
    refused(tmp_path, pkl(body), "nested more than 1000 deep")


def test_deeply_nested_tuple_as_a_dict_key(tmp_path):
    # hashing it would recurse in C without a check and crash the process
    body = P.EMPTY_DICT + i(1) + P.TUPLE1 * 200_000 + i(2) + P.SETITEM
    refused(tmp_path, pkl(body), "nested more than 1000 deep")


def test_deeply_nested_tuple_in_a_set(tmp_path):
    body = P.EMPTY_SET + P.MARK + i(1) + P.TUPLE1 * 200_000 + P.ADDITEMS
    refused(tmp_path, pkl(body, PROTO4), "nested more than 1000 deep")


def test_a_list_containing_itself(tmp_path):
    body = P.EMPTY_LIST + P.BINPUT + b"\0" + P.BINGET + b"\0" + P.APPEND
    refused(tmp_path, pkl(body), "contains itself")


def test_billion_laughs(tmp_path):
    body = P.EMPTY_LIST + P.BINPUT + b"\0"
    for level in range(1, 80):                         # each list holds the last one twice
        body += P.MARK + P.BINGET + bytes((level - 1,)) * 1 + P.BINGET + \
            bytes((level - 1,)) + P.LIST + P.BINPUT + bytes((level,))
    refused(tmp_path, pkl(body), "billion-laughs")


def test_a_huge_memo_index_allocates_nothing(tmp_path):
    # CPython's C unpickler grows its memo array to the index (2**32 slots)
    body = i(1) + P.LONG_BINPUT + struct.pack("<I", 2 ** 32 - 1)
    path = archive(tmp_path / "memo.pt", pkl(body))
    tracemalloc.start()
    try:
        assert torch.load(path) == 1
        assert tracemalloc.get_traced_memory()[1] < 10 * 2 ** 20
    finally:
        tracemalloc.stop()


# ---- the legacy format and other containers ------------------------------------------------

def legacy(path, obj_pkl, keys, storages):
    magic = P.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    version = P.dumps(1001, protocol=2)
    info = P.dumps({"protocol_version": 1001, "little_endian": True,
                    "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2)
    data = magic + version + info + obj_pkl + P.dumps(keys, protocol=2) + storages
    path.write_bytes(data)
    return path


def legacy_tensor(numel_in_pid):
    pid6 = tup(s("storage"), g("torch", "FloatStorage"), s("k"), s("cpu"), i(numel_in_pid),
               P.NONE) + P.BINPERSID
    return pkl(call(g("torch._utils", "_rebuild_tensor_v2"), pid6, i(0), ints((2,)),
                    ints((1,)), P.NEWFALSE, empty_hooks()))


def test_legacy_file_loads_and_its_size_lies_are_refused(tmp_path, marker):
    good = struct.pack("<q", 2) + struct.pack("<2f", 5, 6)
    assert torch.load(legacy(tmp_path / "ok.pt", legacy_tensor(2), ["k"], good)).tolist() == \
        [5.0, 6.0]
    with pytest.raises(RuntimeError, match="does not start with its size"):
        torch.load(legacy(tmp_path / "lie.pt", legacy_tensor(2), ["k"],
                          struct.pack("<q", 3) + b"\0" * 12))
    with pytest.raises(RuntimeError, match="is truncated"):
        torch.load(legacy(tmp_path / "short.pt", legacy_tensor(2), ["k"],
                          struct.pack("<q", 2) + b"\0" * 4))
    with pytest.raises(RuntimeError, match="needs 40000000000000 bytes"):
        torch.load(legacy(tmp_path / "huge.pt", legacy_tensor(10 ** 13), ["k"], good))
    evil = pkl(call(g("os", "system"), touch(marker)))
    with pytest.raises(UnpicklingError, match="os.system"):
        torch.load(legacy(tmp_path / "evil.pt", evil, [], b""))


def test_legacy_header_pickles_may_name_nothing(tmp_path, marker):
    evil = pkl(call(g("os", "system"), touch(marker)))
    (tmp_path / "evil.pt").write_bytes(evil)
    with pytest.raises(UnpicklingError, match="os.system"):
        torch.load(tmp_path / "evil.pt")
    (tmp_path / "magic.pt").write_bytes(P.dumps(12345, protocol=2))
    with pytest.raises(RuntimeError, match="Invalid magic number"):
        torch.load(tmp_path / "magic.pt")


def test_tar_and_empty_files(tmp_path):
    import tarfile
    with tarfile.open(tmp_path / "old.pt", "w") as tar:
        info = tarfile.TarInfo("storages")
        tar.addfile(info)
    with pytest.raises(RuntimeError, match="legacy .tar format"):
        torch.load(tmp_path / "old.pt")
    (tmp_path / "empty.pt").write_bytes(b"")
    with pytest.raises(EOFError, match="Ran out of input"):
        torch.load(tmp_path / "empty.pt")


def test_a_payload_in_a_tsh_program_is_an_error_naming_it(tmp_path, marker):
    from tshell.lang import Interpreter
    archive(tmp_path / "evil.pt", pkl(call(g("os", "system"), touch(marker))))
    interp = Interpreter()
    with pytest.raises(Exception) as info:
        interp.run_source(f"torch.load({str(tmp_path / 'evil.pt')!r})\n", "<test>")
    assert "GLOBAL os.system was not an allowed global" in str(info.value)


def test_crc_of_small_records_is_checked(tmp_path):
    path = archive(tmp_path / "ok.pt", GOOD, {"data/0": b"\0" * 16})
    data = bytearray(path.read_bytes())
    at = data.index(GOOD)
    data[at + 3] ^= 0xFF                               # flip a byte inside data.pkl
    path.write_bytes(bytes(data))
    with pytest.raises(RuntimeError, match="damaged"):
        torch.load(path)
