"""The wheel: the grammar ships inside the package (pyproject force-includes grammar/), and
the version is tshell.__version__ (pyproject reads it from tshell/__init__.py)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import tshell

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_the_grammar(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                           str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, f"the wheel does not build:\n{proc.stderr.strip()[-2000:]}"
    wheel = next(tmp_path.glob("tshell-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "tshell/grammar/tshell.lark" in names
    grammar = zipfile.ZipFile(wheel).read("tshell/grammar/tshell.lark").decode()
    assert grammar == (ROOT / "grammar" / "tshell.lark").read_text()
    metadata = zipfile.ZipFile(wheel).read(
        f"tshell-{tshell.__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {tshell.__version__}\n" in metadata
