"""The grammar ships inside the installed package (pyproject force-includes grammar/)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_the_grammar(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                           str(tmp_path), str(ROOT)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"could not build a wheel here: {proc.stderr.strip()[-200:]}")
    wheel = next(tmp_path.glob("tshell-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "tshell/grammar/tshell.lark" in names
    grammar = zipfile.ZipFile(wheel).read("tshell/grammar/tshell.lark").decode()
    assert grammar == (ROOT / "grammar" / "tshell.lark").read_text()
