"""Programs from PyTorch's tutorials run by tshell as written (tests/programs/*.tsh), their
output compared with what Python + PyTorch 2.13 printed (NAME.out, recorded by
gen_expected.py): the same text, and the same numbers to float32 rounding (a sum of 2000
float32 values may differ in its last bits between tshell's and PyTorch's kernels), give or
take one unit of the last printed digit (values an ulp apart round apart when they straddle
a rounding boundary: tensor printing keeps 4 decimals); object addresses (`<AddBackward0
object at 0x7f...>`) are any address. Each runs in a temporary working directory, where its
torch.save files go."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ADDRESS = re.compile(r"\bat 0x[0-9a-f]+")
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")
PROGRAMS = sorted(HERE.glob("*.tsh"))


def split_numbers(text):
    text = ADDRESS.sub("at 0x...", text)
    return NUMBER.sub("#", text), NUMBER.findall(text)


def last_digit_unit(number):
    """The value of one unit in the last printed digit: 1e-4 for 0.1234, 1e-8 for 1.2e-07."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def numbers_agree(got, want):
    g, w = float(got), float(want)
    return abs(g - w) <= max(1e-4 * abs(w), 1e-6) + last_digit_unit(want)


def test_every_program_has_its_recorded_output():
    assert PROGRAMS, "no programs found"
    for path in PROGRAMS:
        assert path.with_suffix(".out").exists(), f"run gen_expected.py for {path.name}"


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_program_prints_what_pytorch_prints(path, tmp_path):
    # the outputs were recorded by PyTorch's CPU build: programs that ask
    # torch.cuda.is_available() take their CPU branch on a GPU machine too
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CUDA_VISIBLE_DEVICES": ""}
    p = subprocess.run([sys.executable, "-m", "tshell", str(path)], capture_output=True,
                       text=True, timeout=300, env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    got_text, got = split_numbers(p.stdout)
    want_text, want = split_numbers(path.with_suffix(".out").read_text())
    assert got_text == want_text
    differ = [(g, w) for g, w in zip(got, want) if not numbers_agree(g, w)]
    assert not differ, f"{len(differ)} numbers differ (tshell, PyTorch): {differ[:10]}"
