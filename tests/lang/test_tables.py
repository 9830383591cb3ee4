"""The parser tables shipped in tshell/lang/_tables.py are those grammar/tshell.lark gives."""
from __future__ import annotations

import os
import subprocess
import sys

from tshell.lang import grammar, tables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _rebuilt() -> dict:
    with open(os.path.join(ROOT, "grammar", "tshell.lark"), encoding="utf-8") as f:
        return tables.build(f.read())


def test_the_shipped_tables_are_rebuilt_from_the_grammar():
    assert tables.same_tables(_rebuilt(), tables.shipped()), (
        "tshell/lang/_tables.py is stale: grammar/tshell.lark (or tables.py) changed since it "
        f"was generated; regenerate it with `{tables.REGENERATE}` and commit it")


def test_the_shipped_tables_render_as_the_file_does():
    with open(tables.SHIPPED, encoding="utf-8") as f:
        assert f.read() == tables.render(tables.shipped())


def test_the_shipped_tables_are_what_the_parser_loads():
    from tshell.lang._tables import TABLES
    assert grammar.load_tables() is TABLES and TABLES["format"] == grammar.FORMAT


def test_states_are_numbered_the_same_whatever_the_hash_seed():
    code = "import sys; from tshell.lang import tables; sys.exit(tables.main(['--check']))"
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONPATH=ROOT, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
