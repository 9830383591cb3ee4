"""torch.load / torch.save of PyTorch's own formats and of safetensors.

The fixtures in tests/fixtures/checkpoints were written by PyTorch 2.13 (make_fixtures.py);
each case of cases.py must load as the same case built by tshell.core (values, dtypes,
shapes, strides, offsets, requires_grad, shared storages), and tshell must still write the
exact files PyTorch was shown to read (torch_reads_tshell.json).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import safetensors, storage as storage_module, unpickler
from tests.fixtures.checkpoints import cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checkpoints"
RECORD = json.loads((FIXTURES / "torch_reads_tshell.json").read_text())


def same_as_case(value, name):
    assert cases.describe(value, torch) == cases.describe(cases.CASES[name](torch), torch)


# ---- files PyTorch wrote ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_pytorch_zip_files_load_as_the_case(name):
    same_as_case(torch.load(FIXTURES / f"{name}.pt"), name)


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_mapped_files_load_as_the_case_without_copies(name):
    value = torch.load(FIXTURES / f"{name}.pt", mmap=True)
    same_as_case(value, name)
    import mmap
    for _, t in _tensors(value):
        if t.numel():
            assert isinstance(_owner(t._data), mmap.mmap)     # the file's pages, not a copy


def _tensors(value, key=""):
    if isinstance(value, torch.Tensor):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _tensors(v, f"{key}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _tensors(v, f"{key}.{i}")


def _owner(array):
    while isinstance(array.base, np.ndarray):
        array = array.base
    owner = array.base
    return owner.obj if isinstance(owner, memoryview) else owner


def test_mapped_tensors_write_to_memory_not_to_the_file(tmp_path):
    path = tmp_path / "v.pt"
    path.write_bytes((FIXTURES / "views.pt").read_bytes())
    before = path.read_bytes()
    value = torch.load(path, mmap=True)
    value["x"].add_(1)
    assert value["row"].tolist() == [7.0 + i for i in range(6)]    # views see the write
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["views", "nested", "every_dtype"])
def test_legacy_format_loads_as_the_case(name):
    same_as_case(torch.load(FIXTURES / f"legacy_{name}.pt"), name)


def test_pickle_protocol_4_loads_too():
    # PyTorch's weights_only unpickler refuses protocol 4 opcodes (FRAME, STACK_GLOBAL...);
    # tshell's reads them, with the same allow-list.
    same_as_case(torch.load(FIXTURES / "protocol4_views.pt"), "views")


def test_views_share_memory_after_loading():
    v = torch.load(FIXTURES / "views.pt")
    v["x"][1, 2] = -1.0
    assert v["row"][2].item() == -1.0 and v["t"][2, 1].item() == -1.0
    assert v["block"].storage_offset() == 8 and v["t"].stride() == (1, 6)
    assert v["expanded"].stride() == (0, 0)
    t = torch.load(FIXTURES / "tied.pt")
    assert t["encoder.weight"] is t["decoder.weight"] is t["pair"][0]


def test_module_state_dict():
    sd = torch.load(FIXTURES / "module.pt")
    expected = torch.load(FIXTURES / "expected.npz")
    assert type(sd) is OrderedDict
    assert list(sd) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                        "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias"]
    for k, v in sd.items():
        assert torch.equal(v, expected[f"model.{k}"]), k
    assert sd["1.num_batches_tracked"].dtype is torch.int64
    assert sd["1.num_batches_tracked"].shape == ()
    assert sd._metadata[""] == {"version": 1} and sd._metadata["1"] == {"version": 2}


def test_optimizer_state_dict_and_checkpoint():
    ckpt = torch.load(FIXTURES / "checkpoint.pt")
    expected = torch.load(FIXTURES / "expected.npz")
    assert ckpt["epoch"] == 5 and list(ckpt["model"]) == list(torch.load(FIXTURES /
                                                                          "module.pt"))
    opt = ckpt["optimizer"]
    assert sorted(opt["state"]) == [0, 1, 2, 3, 4, 5]
    for index, state in opt["state"].items():
        for k, v in state.items():
            assert torch.equal(v, expected[f"optimizer.state.{index}.{k}"])
    group, = opt["param_groups"]
    assert group["lr"] == 0.01 and group["betas"] == (0.9, 0.999)
    assert group["params"] == [0, 1, 2, 3, 4, 5] and group["foreach"] is None


def test_parameters_load_as_parameters_or_tensors_requiring_grad():
    p = torch.load(FIXTURES / "parameters.pt")
    assert p["weight"].requires_grad and not p["frozen"].requires_grad
    assert p["weight"].is_leaf and p["weight"].tolist() == [0.0, 1.0, 2.0, 3.0]
    parameter = _parameter_class()
    if parameter is not None:
        assert isinstance(p["weight"], parameter) and isinstance(p["frozen"], parameter)


def _parameter_class():
    from tshell.core import weights_only
    return weights_only.parameter_class()


def test_conjugate_and_negative_views_are_applied():
    v = torch.load(FIXTURES / "conj.pt")
    assert v["conj"].tolist() == [1 - 2j, 3 + 4j]
    assert v["neg"].tolist() == [-0.0, -1.0, -2.0]


def test_barebones_dtypes_load_and_bare_storages_are_clear_errors():
    assert repr(torch.load(FIXTURES / "uint16.pt")) == "tensor([0, 1, 2], dtype=torch.uint16)"
    with pytest.raises(unpickler.UnpicklingError, match="bare storage"):
        torch.load(FIXTURES / "storage.pt")


# ---- files tshell writes ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_tshell_writes_the_files_pytorch_was_shown_to_read(name):
    buffer = io.BytesIO()
    torch.save(cases.CASES[name](torch), buffer)
    entry = RECORD["torch_save"][name]
    assert entry["loads_equal"], f"PyTorch did not load tshell's {name} back"
    assert hashlib.sha256(buffer.getvalue()).hexdigest() == entry["sha256"], (
        "torch.save writes other bytes than the recorded check saw: rerun "
        "tests/fixtures/checkpoints/make_fixtures.py with PyTorch")


def test_the_record_covers_every_case():
    assert set(RECORD["torch_save"]) == set(cases.CASES)
    assert RECORD["torch"].startswith("2.13")


@pytest.mark.parametrize("name", sorted(RECORD["safetensors"]))
def test_tshell_writes_the_safetensors_files_pytorch_was_shown_to_read(name, tmp_path):
    value = {k: v.contiguous().clone() for k, v in cases.CASES[name](torch).items()
             if v.dtype is not torch.complex128}
    torch.save(value, tmp_path / "f.safetensors")
    entry = RECORD["safetensors"][name]
    assert entry["loads_equal"]
    assert hashlib.sha256((tmp_path / "f.safetensors").read_bytes()).hexdigest() == \
        entry["sha256"]


@pytest.mark.parametrize("name", sorted(cases.CASES))
@pytest.mark.parametrize("suffix", [".pt", ".pth", ".bin", ""])
def test_round_trip(name, suffix, tmp_path):
    path = tmp_path / f"model{suffix}"
    torch.save(cases.CASES[name](torch), path)
    assert zipfile.is_zipfile(path)
    same_as_case(torch.load(path), name)
    assert os.listdir(tmp_path) == [path.name]            # atomic: no temporary left


def test_archive_layout_is_pytorchs(tmp_path):
    torch.save({"w": torch.ones(3)}, tmp_path / "model.pt")
    with zipfile.ZipFile(tmp_path / "model.pt") as z:
        names = z.namelist()
        assert names[0] == "model/data.pkl" and names[-2:] == ["model/version",
                                                             "model/.data/serialization_id"]
        assert {"model/byteorder", "model/data/0", "model/.format_version"} <= set(names)
        assert z.read("model/byteorder") == b"little"
        info = z.getinfo("model/data/0")
        assert info.compress_type == zipfile.ZIP_STORED
    raw = (tmp_path / "model.pt").read_bytes()
    start = raw.index(b"model/data/0") + len("model/data/0")
    extra = int.from_bytes(raw[start - 2 - len("model/data/0"):start - len("model/data/0")],
                           "little")
    assert (start + extra) % 64 == 0                      # the storage's bytes are aligned


def test_saving_the_same_value_twice_writes_the_same_bytes(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        torch.save(cases.views(torch), tmp_path / folder / "m.pt")
    assert (tmp_path / "a" / "m.pt").read_bytes() == (tmp_path / "b" / "m.pt").read_bytes()


def test_views_are_saved_once_and_strided_views_keep_their_layout(tmp_path):
    x = torch.arange(1000.)
    torch.save({"x": x, "even": x[::2], "tail": x[500:]}, tmp_path / "v.pt")
    with zipfile.ZipFile(tmp_path / "v.pt") as z:
        assert [n for n in z.namelist() if "/data/" in n] == ["v/data/0"]
    v = torch.load(tmp_path / "v.pt")
    assert v["even"].stride() == (2,) and v["tail"].storage_offset() == 500


def test_dtype_clash_in_one_storage_is_pytorchs_error(tmp_path):
    x = torch.arange(4, dtype=torch.int32)
    with pytest.raises(RuntimeError, match="view the same data as different types"):
        torch.save([x, x.view(torch.float32)], tmp_path / "x.pt")
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("value, what", [
    (range(3), "range"), (lambda: 1, "function"), (np.ones(2), "ndarray"),
    (frozenset({1}), "frozenset"), (slice(1), "slice")])
def test_values_pytorch_could_not_load_back_are_refused(value, what, tmp_path):
    with pytest.raises(TypeError, match=f"cannot store a {what}"):
        torch.save({"v": value}, tmp_path / "x.pt")
    assert not os.listdir(tmp_path)


def test_cycles_are_refused_when_saving(tmp_path):
    a = []
    a.append(a)
    with pytest.raises(TypeError, match="contains itself"):
        torch.save(a, tmp_path / "x.pt")


def test_optimizer_like_and_module_like_values_round_trip(tmp_path):
    sd = torch.load(FIXTURES / "checkpoint.pt")
    torch.save(sd, tmp_path / "again.pt")
    again = torch.load(tmp_path / "again.pt")
    assert cases.describe(again, torch) == cases.describe(sd, torch)
    assert again["model"]._metadata == sd["model"]._metadata


# ---- options -------------------------------------------------------------------------------

def test_weights_only_false_and_pickle_module_are_refused():
    with pytest.raises(RuntimeError, match="never unpickles arbitrary objects"):
        torch.load(FIXTURES / "views.pt", weights_only=False)
    with pytest.raises(RuntimeError, match="explicit pickle_module"):
        torch.load(FIXTURES / "views.pt", pickle_module=object())
    with pytest.warns(UserWarning, match="pickle_load_args only works"):
        torch.load(FIXTURES / "views.pt", encoding="latin1")


def test_mmap_needs_the_zip_format_and_a_path():
    with pytest.raises(RuntimeError, match="mmap can only be used with files saved with"):
        torch.load(FIXTURES / "legacy_views.pt", mmap=True)
    with open(FIXTURES / "views.pt", "rb") as f:
        with pytest.raises(ValueError, match="must be a file path"):
            torch.load(f, mmap=True)
        same_as_case(torch.load(f), "views")


@pytest.mark.parametrize("where", ["cpu", torch.device("cpu"), {"cpu": "cpu"}])
def test_map_location_to_the_cpu(where):
    same_as_case(torch.load(FIXTURES / "views.pt", map_location=where), "views")


def test_map_location_function_sees_each_storage_once():
    seen = []

    def where(storage, location):
        seen.append((location, storage.nbytes(), str(storage.device)))
        return storage.cpu() if len(seen) == 1 else None
    same_as_case(torch.load(FIXTURES / "views.pt", map_location=where), "views")
    assert seen == [("cpu", 96, "cpu"), ("cpu", 20, "cpu")]


def test_map_location_to_cuda_keeps_sharing(cuda_device, tmp_path):
    v = torch.load(FIXTURES / "views.pt", map_location="cuda")
    assert all(t.device.type == "cuda" for _, t in _tensors(v))
    v["x"][1, 2] = -1.0
    assert v["row"][2].item() == -1.0
    torch.save(v, tmp_path / "cuda.pt")                    # storages tagged cuda:0
    back = torch.load(tmp_path / "cuda.pt", map_location={"cuda:0": "cpu"})
    assert back["x"].device.type == "cpu" and back["x"][1, 2].item() == -1.0
    assert torch.load(tmp_path / "cuda.pt")["x"].device.type == "cuda"


def test_cuda_files_without_cuda_say_to_map_to_the_cpu(cuda_device, tmp_path):
    torch.save(torch.ones(2, device="cuda"), tmp_path / "cuda.pt")
    from tshell.core import fake_cuda
    if not fake_cuda.fake_cuda_enabled():
        pytest.skip("a real GPU is present")
    fake_cuda.disable_fake_cuda()
    try:
        with pytest.raises(RuntimeError, match=r"map_location=torch.device\('cpu'\)"):
            torch.load(tmp_path / "cuda.pt")
        assert torch.load(tmp_path / "cuda.pt", map_location="cpu").tolist() == [1.0, 1.0]
    finally:
        fake_cuda.enable_fake_cuda()


def test_unknown_location_tags_are_pytorchs_error(tmp_path):
    with pytest.raises(RuntimeError, match="tagged with mps"):
        torch.load(FIXTURES / "views.pt", map_location="mps")


def test_storage_stand_in_a_map_location_function_receives():
    s = storage_module.UntypedStorage(np.arange(3, dtype=np.float32))
    assert s.nbytes() == 12 and s.size() == 12 and len(s) == 12
    assert str(s.device) == "cpu" and s.cpu() is s
    assert repr(s).endswith("\n[torch.storage.UntypedStorage(device=cpu) of size 12]")


# ---- safetensors ---------------------------------------------------------------------------

def test_safetensors_files_from_the_package_load():
    model = torch.load(FIXTURES / "model.safetensors")
    expected = {k: v for k, v in cases.every_dtype(torch).items() if k != "complex128"}
    expected["matrix"] = torch.arange(12.).reshape(3, 4)
    assert {k: (v.dtype, v.tolist()) for k, v in model.items()} == \
        {k: (v.dtype, v.tolist()) for k, v in expected.items()}
    with safetensors.safe_open(FIXTURES / "model.safetensors", "pt") as f:
        assert f.metadata() == {"format": "pt", "note": "fixture"}
        assert f.keys() == sorted(expected)
        assert f.get_tensor("bfloat16").dtype is torch.bfloat16
        assert f.get_slice("matrix")[1:, 2].tolist() == [6.0, 10.0]
        assert f.get_slice("matrix").get_shape() == [3, 4]
    arrays = safetensors.load_file_numpy(FIXTURES / "arrays.safetensors")
    assert arrays["a"].dtype == np.int16 and arrays["b"].tolist() == [0, .25, .5, .75, 1]


@pytest.mark.parametrize("backend", ["mmap", "pread"])
def test_safe_open_reads_only_the_tensor_asked_for(backend, tmp_path, monkeypatch):
    safetensors.save_file({"big": torch.zeros(1000, 100), "small": torch.ones(2)},
                          tmp_path / "m.safetensors")
    reads = []
    real = safetensors.safe_open._load

    def counting(self, entry):
        reads.append(entry.name)
        return real(self, entry)
    monkeypatch.setattr(safetensors.safe_open, "_load", counting)
    with safetensors.safe_open(tmp_path / "m.safetensors", "pt", backend=backend) as f:
        assert f.get_tensor("small").tolist() == [1.0, 1.0]
    assert reads == ["small"]


@pytest.mark.parametrize("backend", ["mmap", "pread"])
def test_safetensors_backends_read_the_same_and_never_write_the_file(backend, tmp_path):
    safetensors.save_file({"a": torch.arange(6.)}, tmp_path / "m.safetensors")
    before = (tmp_path / "m.safetensors").read_bytes()
    a = safetensors.load_file(tmp_path / "m.safetensors", backend=backend)["a"]
    a.add_(1)
    assert a.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert (tmp_path / "m.safetensors").read_bytes() == before


def test_safetensors_round_trip_with_metadata_and_bfloat16(tmp_path):
    value = {"w": torch.arange(6.).reshape(2, 3).to(torch.bfloat16), "b": torch.ones(2)}
    safetensors.save_file(value, tmp_path / "m.safetensors", metadata={"k": "v"})
    back = safetensors.load_file(tmp_path / "m.safetensors")
    assert back["w"].dtype is torch.bfloat16 and torch.equal(back["w"], value["w"])
    with safetensors.safe_open(tmp_path / "m.safetensors", "pt") as f:
        assert f.metadata() == {"k": "v"}
    data = safetensors.save(value, {"k": "v"})
    assert data == (tmp_path / "m.safetensors").read_bytes()
    assert torch.equal(safetensors.load(data)["b"], value["b"])


@pytest.mark.parametrize("value, error, text", [
    ([1], ValueError, "Expected a dict of"),
    ({"a": 1}, ValueError, "Key `a` is invalid, expected torch.Tensor"),
    ({1: torch.ones(1)}, TypeError, "is not an instance of 'str'"),
    ({"a": torch.ones(2, 3).t()}, ValueError, "non contiguous tensor: `a`"),
    ({"a": torch.ones(2, dtype=torch.complex128)}, ValueError, "no complex128"),
])
def test_safetensors_save_refusals_are_the_packages(value, error, text, tmp_path):
    with pytest.raises(error, match=text):
        safetensors.save_file(value, tmp_path / "m.safetensors")
    assert not os.listdir(tmp_path)


def test_overlapping_tensors_are_refused_as_by_the_package(tmp_path):
    x = torch.ones(4)
    with pytest.raises(RuntimeError, match="Some tensors share memory"):
        safetensors.save_file({"a": x, "b": x[1:]}, tmp_path / "m.safetensors")
    safetensors.save_file({"a": x[:2], "b": x[2:]}, tmp_path / "m.safetensors")  # disjoint


def _safetensors_bytes(header, data=b""):
    text = json.dumps(header).encode()
    return len(text).to_bytes(8, "little") + text + data


@pytest.mark.parametrize("raw, text", [
    (b"\x01\x00", "header too small"),
    ((10 ** 9).to_bytes(8, "little") + b"{}", "header too large"),
    ((100).to_bytes(8, "little") + b"{}", "invalid header length"),
    ((2).to_bytes(8, "little") + b"\xff\xff", "invalid UTF-8 in header"),
    ((2).to_bytes(8, "little") + b"[]", "invalid JSON in header"),
    (_safetensors_bytes({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}},
                        b"\0" * 4), "invalid shape, data type, or offset"),
    (_safetensors_bytes({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}},
                        b"\0" * 8), "invalid offset for tensor `a`"),
    (_safetensors_bytes({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}},
                        b"\0" * 8), "file not fully covered"),
    (_safetensors_bytes({"a": {"dtype": "X", "shape": [1], "data_offsets": [0, 4]}},
                        b"\0" * 4), "unknown variant `X`"),
    (_safetensors_bytes({"a": {"dtype": "U16", "shape": [1], "data_offsets": [0, 2]}},
                        b"\0" * 2), "has dtype U16"),
    (_safetensors_bytes({"a": {"dtype": "F32", "shape": [10 ** 12],
                               "data_offsets": [0, 4 * 10 ** 12]}}), "not fully covered"),
    (_safetensors_bytes({"__metadata__": {"a": 1}}), "metadata must map strings"),
])
def test_malformed_safetensors_are_the_reference_errors(raw, text, tmp_path):
    (tmp_path / "m.safetensors").write_bytes(raw)
    with pytest.raises(safetensors.SafetensorError, match=text):
        torch.load(tmp_path / "m.safetensors")


def test_safetensors_map_location_rules_are_torch_loads(tmp_path, cuda_device):
    safetensors.save_file({"a": torch.ones(2)}, tmp_path / "m.safetensors")
    assert torch.load(tmp_path / "m.safetensors", map_location="cuda")["a"].device.type == \
        "cuda"
    with pytest.raises(RuntimeError, match="dict map_location is not supported"):
        torch.load(tmp_path / "m.safetensors", map_location={"cpu": "cuda"})


def test_an_uninitialized_lazy_parameter_is_saved_as_pytorch_pickles_it(tmp_path):
    """A lazy module's state before its first call: PyTorch pickles each
    UninitializedParameter as its class called with requires_grad (checked by loading
    tshell's file with PyTorch, weights_only=False), so the weights-only load refuses the
    class rather than loading an empty tensor."""
    path = tmp_path / "lazy.pt"
    torch.save(torch.nn.LazyLinear(2).state_dict(), path)
    with zipfile.ZipFile(path) as z:
        data = z.read(next(n for n in z.namelist() if n.endswith("data.pkl")))
    assert b"torch.nn.parameter\nUninitializedParameter" in data
    with pytest.raises(unpickler.UnpicklingError,
                       match="Unsupported global: GLOBAL torch.nn.parameter."
                             "UninitializedParameter was not an allowed global"):
        torch.load(path)
    net = torch.nn.LazyLinear(2)
    net(torch.ones(1, 3))
    torch.save(net.state_dict(), path)          # initialised: plain parameters again
    assert torch.load(path)["weight"].shape == (2, 3)
