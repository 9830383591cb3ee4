"""tshell.core.printing must reproduce torch 2.13's tensor text byte for byte.

The golden cases come from tests/golden/gen_printing.py (run under a torch environment);
these tests need only numpy and ml_dtypes.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"


def _load_by_path(name: str, path: Path):
    """Import a module from a file (registered first, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


try:
    from tshell.core import printing
except Exception:  # package not importable (yet): load the module file directly
    printing = _load_by_path("tshell_core_printing", ROOT / "tshell" / "core" / "printing.py")

gen = _load_by_path("gen_printing", GOLDEN / "gen_printing.py")  # torch-free helpers
CASES = json.loads((GOLDEN / "printing.json").read_text())


@pytest.fixture(autouse=True)
def _reset_options():
    """Every test starts and ends with torch's default print options."""
    printing.set_printoptions(profile="default")
    yield
    printing.set_printoptions(profile="default")


def _apply(options: list[dict]) -> None:
    """Replay the case's set_printoptions calls in order."""
    for opts in options:
        printing.set_printoptions(**{k: gen.decode(v) for k, v in opts.items()})


def _render(case: dict, default: str = "torch.float32") -> str:
    """tensor_repr of a serialized tensor case."""
    values = gen.build_values(case["recipe"], case["dtype"])
    return printing.tensor_repr(values, dtype_name="torch." + case["dtype"],
                                default_dtype_name=default, grad_fn=case["grad_fn"],
                                requires_grad=case["requires_grad"])


def _cases(kind: str):
    """pytest params for one kind of golden case, named by the case."""
    return [pytest.param(c, id=c["name"]) for c in CASES if c["kind"] == kind]


def test_golden_file_is_big_enough():
    assert len(CASES) >= 200


@pytest.mark.parametrize("case", _cases("tensor"))
def test_tensor_golden(case):
    _apply(case["options"])
    assert _render(case, "torch." + case["default_dtype"]) == case["expected"]


@pytest.mark.parametrize("case", _cases("size"))
def test_size_golden(case):
    assert printing.size_repr(case["shape"]) == case["expected"]


@pytest.mark.parametrize("case", _cases("return_types"))
def test_return_types_golden(case):
    fields = [(f["field"], _render(f)) for f in case["fields"]]
    assert printing.return_types_repr(case["type"], fields) == case["expected"]


@pytest.mark.parametrize("case", _cases("options"))
def test_printoptions_golden(case):
    _apply(case["options"])
    expected = {k: gen.decode(v) for k, v in case["expected"].items()}
    assert printing.get_printoptions() == expected


# ----------------------------------------------------------------------------- hand-written

def test_device_suffix():
    values = np.array([1.0, 2.0], dtype=np.float32)
    text = printing.tensor_repr(values, dtype_name="torch.float32", device="cuda:0")
    assert text == "tensor([1., 2.], device='cuda:0')"


def test_device_comes_before_dtype_and_grad():
    values = np.array([1.0, 2.0])
    text = printing.tensor_repr(values, dtype_name="torch.float64", device="cuda:0",
                                requires_grad=True)
    assert text == "tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)"


def test_device_on_empty_and_scalar():
    empty = np.zeros((0, 3), dtype=np.int32)
    assert (printing.tensor_repr(empty, dtype_name="torch.int32", device="cuda:0")
            == "tensor([], device='cuda:0', size=(0, 3), dtype=torch.int32)")
    scalar = np.array(5)
    assert (printing.tensor_repr(scalar, dtype_name="torch.int64", device="cuda:1")
            == "tensor(5, device='cuda:1')")


def test_to_host_gets_only_the_summary():
    """A 2000x2000 tensor copies only its 6x6 corner blocks to the host."""
    values = np.arange(2000 * 2000, dtype=np.float32).reshape(2000, 2000)
    sizes = []

    def to_host(part):
        sizes.append(part.size)
        return np.asarray(part)

    text = printing.tensor_repr(values, dtype_name="torch.float32", to_host=to_host)
    assert sum(sizes) == 36 and max(sizes) <= 9
    assert text == BIG_SQUARE  # torch 2.13's text for the same tensor


BIG_SQUARE = (
    "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
    "         1.9990e+03],\n"
    "        [2.0000e+03, 2.0010e+03, 2.0020e+03,  ..., 3.9970e+03, 3.9980e+03,\n"
    "         3.9990e+03],\n"
    "        [4.0000e+03, 4.0010e+03, 4.0020e+03,  ..., 5.9970e+03, 5.9980e+03,\n"
    "         5.9990e+03],\n"
    "        ...,\n"
    "        [3.9940e+06, 3.9940e+06, 3.9940e+06,  ..., 3.9960e+06, 3.9960e+06,\n"
    "         3.9960e+06],\n"
    "        [3.9960e+06, 3.9960e+06, 3.9960e+06,  ..., 3.9980e+06, 3.9980e+06,\n"
    "         3.9980e+06],\n"
    "        [3.9980e+06, 3.9980e+06, 3.9980e+06,  ..., 4.0000e+06, 4.0000e+06,\n"
    "         4.0000e+06]])"
)


def test_to_host_whole_tensor_when_small():
    sizes = []
    values = np.ones((3, 4), dtype=np.int64)
    printing.tensor_repr(values, dtype_name="torch.int64",
                         to_host=lambda a: sizes.append(a.size) or np.asarray(a))
    assert sizes == [12]


def test_set_printoptions_always_assigns_sci_mode():
    printing.set_printoptions(sci_mode=True)
    printing.set_printoptions(precision=2)
    assert printing.OPTIONS.sci_mode is None and printing.OPTIONS.precision == 2


def test_custom_prefix_sets_indent():
    values = np.arange(4, dtype=np.int64).reshape(2, 2)
    text = printing.tensor_repr(values, dtype_name="torch.int64", prefix="Param(")
    assert text == "Param([[0, 1],\n       [2, 3]])"
