"""The generated index of the declaring modules (tshell/core/op_index.py) and what it makes
lazy: an op module loads at the first use of one of its names, through tshell.core, Tensor,
its class and the torch.linalg / special / fft namespaces, and every listing (dir, __all__)
names it before it loads."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import tshell.core as torch
from tshell.core import methods, op_index, registry

ROOT = Path(__file__).resolve().parent.parent.parent


def _fresh(code: str):
    """What `code` prints as JSON in a new interpreter (nothing of tshell loaded before)."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_index_is_current():
    out = subprocess.run([sys.executable, "tools/gen_op_index.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr


def test_index_names_every_declaration_by_its_module():
    for place, name, _ in registry.declared():
        module = registry.declaring_module(place, name)
        assert module in sys.modules, (place, name)
    assert set(op_index.DECLARED_IN) == set(registry.PLACES)


def test_import_loads_only_the_start_modules():
    loaded = _fresh("import json, sys, tshell.core; print(json.dumps(sorted(sys.modules)))")
    assert "tshell.core.ops.decomposition" not in loaded     # torch.linalg's
    assert "tshell.core.ops.pooling" not in loaded
    assert "tshell.core.ops.operators" in loaded             # x + y: on the class at once
    assert "tshell.core.nn" not in loaded


def test_declared_names_win_over_our_modules_of_the_same_name():
    kinds = _fresh("import json, tshell.core as t\n"
                   "print(json.dumps([type(t.tensor).__name__, type(t.device).__name__]))")
    assert kinds == ["function", "TorchClass"]


def test_first_use_loads_and_binds():
    result = _fresh(
        "import json, sys, tshell.core as t\n"
        "before = 'tshell.core.ops.scan' in sys.modules\n"
        "listed = 'cumsum' in dir(t) and 'cumsum' in t.__all__ and 'cumsum' in dir(t.Tensor)\n"
        "x = t.arange(4.)\n"
        "y = x.cumsum(0)\n"
        "bound = 'cumsum' in vars(t.Tensor) and 'cumsum' in vars(t)\n"
        "print(json.dumps([before, listed, bound, y.tolist(), t.cumsum is t.cumsum]))")
    assert result == [False, True, True, [0.0, 1.0, 3.0, 6.0], True]


def test_class_level_and_namespace_names_load():
    result = _fresh(
        "import json, tshell.core as t\n"
        "f = t.Tensor.logcumsumexp\n"
        "n = float(t.linalg.norm(t.ones(4)))\n"
        "print(json.dumps([f.__name__, n, 'svd' in dir(t.linalg),"
        " 'svd' in repr(t.linalg), t.special.expit is t.special.expit]))")
    assert result == ["logcumsumexp", 2.0, True, True, True]


def test_in_place_twin_and_top_level_twin():
    x = torch.tensor([0.0, 1.0])
    torch.exp_(x)
    assert x[0].item() == 1.0 and abs(x[1].item() - math.e) < 1e-6
    assert torch.Tensor.add_ is vars(torch.Tensor)["add_"]   # the declared one, not a twin


def test_missing_names_keep_pythons_errors():
    x = torch.ones(2)
    for thing, text in ((x, "'Tensor' object has no attribute 'no_such_op'"),
                        (torch.Tensor, "type object 'Tensor' has no attribute 'no_such_op'"),
                        (torch.dtype, "type object 'dtype' has no attribute 'no_such_op'"),
                        (torch, "module 'tshell.core' has no attribute 'no_such_op'")):
        with pytest.raises(AttributeError) as caught:
            thing.no_such_op  # noqa: B018 (the lookup is the test)
        assert str(caught.value) == text


def test_declared_names_cover_twins():
    assert "cumsum_" in methods.declared_names("Tensor")
    assert "exp_" in methods.declared_names("torch")
