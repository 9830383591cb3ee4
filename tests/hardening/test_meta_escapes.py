"""The sandbox (docs/security.md) against the meta device: a meta tensor's MetaArray (a NumPy
subclass) never reaches a program, and materializing a meta tensor or module on the CPU
(`to_empty`, `empty_like(..., device='cpu')`, `copy_`) is measured against the memory cap
before anything is allocated, however large the meta shape."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError

SETUP = "m = torch.empty(3, device='meta')\n"


def run(src: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(SETUP + src + "\n", "<meta>")
    return out.getvalue()


def test_saving_a_huge_meta_tensor_writes_its_shape_only(tmp_path, monkeypatch):
    """torch.save of a meta tensor writes no data, as PyTorch's (a 10**12-element one too);
    loading it gives a meta tensor again, nothing materialized."""
    monkeypatch.chdir(tmp_path)
    out = run("big = torch.empty(10**12, device='meta')\ntorch.save(big, 'meta.pt')\n"
              "back = torch.load('meta.pt')\nprint(back.is_meta, back.shape)")
    assert out == "True torch.Size([1000000000000])\n"
    assert (tmp_path / "meta.pt").stat().st_size < 4096


@pytest.mark.parametrize("src", [
    "m._data", "m._data.tofile('x')", "m.__array__()", "m.__reduce_ex__(2)",
    "getattr(m, '_data')", "'{0._data}'.format(m)", "vars(m)",
    "m.numpy()", "np.asarray(m)", "np.array(m)", "m.detach().numpy(force=True)",
    "m.tolist()", "m.item()", "m.cpu()",
])
def test_no_way_to_the_meta_array(src, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "NotImplementedError",
                                    "RuntimeError", "ValueError", "SyntaxError"), \
        info.value.format()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("src", [
    "torch.nn.Linear(10**6, 10**6, device='meta').to_empty(device='cpu')",
    "with torch.device('meta'):\n    l = torch.nn.Linear(10**6, 10**6)\nl.to_empty(device='cpu')",
    "torch.set_default_device('meta')\nl = torch.nn.Linear(10**6, 10**6)\n"
    "torch.set_default_device('cpu')\nl.to_empty(device='cpu')",
    "torch.empty_like(torch.empty(10**12, device='meta'), device='cpu')",
    "torch.zeros_like(torch.empty(10**9, device='meta'), device='cpu')",
    "torch.empty(10**9, device='meta').new_zeros(10**9, device='cpu')",
    "torch.empty(10**9).copy_(torch.empty(10**9, device='meta'))",
    "torch.cdist(torch.empty(10**5, 3, device='meta'), torch.empty(10**5, 3, device='meta'))"
    ".cpu()",
])
def test_materializing_huge_meta_shapes_is_refused_first(src, small_cap):
    try:
        with pytest.raises(TshRuntimeError) as info:
            run(src)
    finally:
        run("torch.set_default_device('cpu')")
    assert info.value.type_name in ("RuntimeError", "NotImplementedError"), info.value.format()
    assert "memory limit" in info.value.message or "no data" in info.value.message


def test_meta_shapes_take_no_memory(small_cap):
    assert run("x = torch.empty(10**6, 10**6, device='meta')\nprint((x @ x).shape, x.is_meta)\n"
               "print(x)") == ("torch.Size([1000000, 1000000]) True\n"
                               "tensor(..., device='meta', size=(1000000, 1000000))\n")
