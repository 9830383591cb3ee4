"""Checkpoints in tsh programs: torch.save/torch.load of PyTorch's format, safetensors as
`import safetensors...` gives it (numpy arrays as the language's stand-ins), state_dicts as
dict-like values, show/%whos/--inspect."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from tshell.lang import Interpreter, TshRuntimeError
from tshell.lang.standins import numpy as np_standin
from tshell.ui.builtins import install

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "checkpoints"


def run(source, folder):
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    install(interp, color=False)
    interp.namespace["d"] = str(folder) + "/"
    interp.namespace["fixtures"] = str(FIXTURES) + "/"
    interp.run_source(source, "<test>")
    return interp, out.getvalue()


def test_torch_save_and_load_of_pytorch_files(tmp_path):
    interp, out = run(
        "x = torch.arange(6.).view(2, 3)\n"
        "torch.save({'x': x, 't': x.t(), 'n': 3}, d + 'm.pt')\n"
        "m = torch.load(d + 'm.pt')\n"
        "m['x'][0, 1] = 9\n"
        "print(m['t'][1, 0].item(), m['n'])\n"
        "save(x, d + 'x.pth')\n"
        "print(load(d + 'x.pth', map_location='cpu', mmap=True).sum().item())\n", tmp_path)
    assert out == "9.0 3\n15.0\n"


def test_state_dicts_are_dicts_to_programs(tmp_path):
    _, out = run(
        "sd = torch.load(fixtures + 'module.pt')\n"
        "print(type(sd), len(sd), list(sd.keys())[:2])\n"
        "for k, v in sd.items():\n"
        "    if k.endswith('bias'):\n"
        "        print(k, v.shape)\n"
        "print(sd.get('missing'), '3.bias' in sd)\n", tmp_path)
    assert out.splitlines() == [
        "<class 'collections.OrderedDict'> 9 ['0.weight', '0.bias']",
        "0.bias torch.Size([3])", "1.bias torch.Size([3])", "3.bias torch.Size([2])",
        "None True"]


def test_a_state_dicts_methods_keep_dicts_checks(tmp_path):
    _, out = run(
        "sd = torch.load(fixtures + 'module.pt')\n"
        "sd.move_to_end('0.weight')\n"
        "sd.update([('extra', torch.ones(1))])\n"
        "print(list(sd)[-2:], sd.pop('extra').shape)\n", tmp_path)
    assert out == "['0.weight', 'extra'] torch.Size([1])\n"
    with pytest.raises(TshRuntimeError, match="nested more than"):
        run("sd = torch.load(fixtures + 'module.pt')\n"
            "k = 1\n"
            "for i in range(2000):\n"
            "    k = (k,)\n"
            "sd.get(k)\n", tmp_path)


def test_metadata_of_a_state_dict_stays_private(tmp_path):
    with pytest.raises(TshRuntimeError, match="not accessible in tsh"):
        run("sd = torch.load(fixtures + 'module.pt')\nsd._metadata\n", tmp_path)


def test_weights_only_false_is_an_error_saying_why(tmp_path):
    with pytest.raises(TshRuntimeError, match="never unpickles arbitrary objects"):
        run("torch.load(fixtures + 'views.pt', weights_only=False)\n", tmp_path)


def test_map_location_function_written_in_tsh(tmp_path):
    _, out = run(
        "seen = []\n"
        "def where(storage, location):\n"
        "    seen.append((location, storage.nbytes()))\n"
        "    return storage\n"
        "v = torch.load(fixtures + 'views.pt', map_location=where)\n"
        "print(seen, v['row'].tolist())\n", tmp_path)
    assert out == "[('cpu', 96), ('cpu', 20)] [6.0, 7.0, 8.0, 9.0, 10.0, 11.0]\n"


def test_safetensors_torch_in_tsh(tmp_path):
    _, out = run(
        "from safetensors.torch import save_file, load_file, safe_open\n"
        "save_file({'w': torch.ones(2, 3), 'b': torch.zeros(3, dtype=torch.bfloat16)},\n"
        "          d + 'm.safetensors', metadata={'format': 'pt'})\n"
        "print(load_file(d + 'm.safetensors')['b'].dtype)\n"
        "with safe_open(d + 'm.safetensors', framework='pt') as f:\n"
        "    print(f.keys(), f.metadata(), f.get_tensor('w').shape, f.get_slice('w')[1])\n"
        "print(sorted(load(d + 'm.safetensors')))\n"
        "import safetensors.torch\n"
        "data = safetensors.torch.save({'a': torch.arange(3)})\n"
        "print(safetensors.torch.load(data)['a'])\n", tmp_path)
    assert out.splitlines() == [
        "torch.bfloat16",
        "['b', 'w'] {'format': 'pt'} torch.Size([2, 3]) tensor([1., 1., 1.])",
        "['b', 'w']", "tensor([0, 1, 2])"]


def test_safetensors_numpy_gives_and_takes_the_languages_arrays(tmp_path):
    interp, out = run(
        "import safetensors.numpy\n"
        "from safetensors import safe_open\n"
        "safetensors.numpy.save_file({'a': np.arange(6).reshape(2, 3)}, d + 'n.safetensors')\n"
        "a = safetensors.numpy.load_file(d + 'n.safetensors')['a']\n"
        "print(type(a), a.dtype, a.sum())\n"
        "with safe_open(d + 'n.safetensors', 'np') as f:\n"
        "    b = f.get_tensor('a')\n"
        "    c = f.get_slice('a')[1]\n"
        "print(type(b), c)\n", tmp_path)
    assert out.splitlines() == ["<class 'numpy.ndarray'> int64 15",
                                "<class 'numpy.ndarray'> [3 4 5]"]
    for name in ("a", "b", "c"):
        assert type(interp.namespace[name]) is np_standin.ndarray


def test_other_safetensors_modules_are_not_importable(tmp_path):
    with pytest.raises(TshRuntimeError, match="No module named 'safetensors.flax'"):
        run("import safetensors.flax\n", tmp_path)


def test_show_prints_the_table_of_a_state_dict(tmp_path):
    _, out = run(
        "sd = torch.load(fixtures + 'checkpoint.pt')\n"
        "show(sd['model'])\n"
        "show({'enc': {'w': torch.ones(2, 3)}, 'tied': sd['model']['3.bias'], 'n': 4})\n",
        tmp_path)
    lines = out.splitlines()
    cells = [[c.strip() for c in line.split("│")[1:6]] for line in lines]
    assert ["1.num_batches_tracked", "()", "int64", "1", "8"] in cells, out
    assert "9 tensors, 36 parameters, 148 B" in out
    assert any("enc.w" in line and "(2, 3)" in line and "24" in line for line in lines)
    assert "2 tensors, 8 parameters, 32 B" in out


def test_whos_shows_a_state_dict_as_one_line_of_totals(tmp_path):
    from tests.ui.helpers import run_keys
    keys = f"sd = torch.load({str(FIXTURES / 'module.pt')!r})\r%whos\r"
    _, out, err, _ = run_keys(keys)
    assert err == ""
    row = next(line for line in out.splitlines() if line.startswith("sd "))
    assert row.split() == ["sd", "OrderedDict", "9", "tensors,", "36", "params",
                           "mixed", "cpu", "148"]


def _tshell(*args):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "TSHELL_HISTORY": "/dev/null"}
    return subprocess.run([sys.executable, "-m", "tshell", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=60)


def test_inspect_prints_the_table_of_any_format(tmp_path):
    done = _tshell("--inspect", FIXTURES / "module.pt")
    assert done.returncode == 0 and "9 tensors, 36 parameters, 148 B" in done.stdout
    assert "1.running_var" in done.stdout and "float32" in done.stdout
    done = _tshell("--inspect", FIXTURES / "model.safetensors")
    assert done.returncode == 0 and "bfloat16" in done.stdout
    assert "{'format': 'pt', 'note': 'fixture'}" in done.stdout
    done = _tshell("--inspect", FIXTURES / "legacy_nested.pt")
    assert done.returncode == 0 and "model.layer.weight" in done.stdout
    done = _tshell("--inspect", FIXTURES / "expected.npz")
    assert done.returncode == 0 and "model.0.weight" in done.stdout


def test_inspect_refuses_hostile_and_missing_files(tmp_path):
    done = _tshell("--inspect", FIXTURES / "storage.pt")
    assert done.returncode == 1 and "bare storage" in done.stderr
    assert "Traceback" not in done.stderr
    done = _tshell("--inspect", tmp_path / "missing.pt")
    assert done.returncode == 2 and "No such file" in done.stderr
    assert "--inspect FILE" in _tshell("--help").stdout
