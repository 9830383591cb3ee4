"""torch's names whose op module loads at their first use (tshell/core/op_index.py) are a
program's from the start all the same: bare and as torch.NAME, in `from torch import`, dir,
"Did you mean", type(); each case runs in a fresh process, where nothing is loaded yet."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tshell.lang.namespace import LazyNames

ROOT = Path(__file__).resolve().parent.parent.parent


def _run(program: str) -> list:
    """The lines a fresh interpreter prints for program: first whether torch.linalg's op
    module had loaded before it ran."""
    code = "\n".join((
        "import sys",
        "from tshell.lang import Interpreter",
        "i = Interpreter()",
        "print('tshell.core.ops.decomposition' in sys.modules)",
        "try:",
        f"    i.run_source({program!r})",
        "except Exception as e:",
        "    print(e.format().splitlines()[0])",
    ))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_bare_and_dotted_names_load_their_module():
    assert _run("print(cholesky is torch.cholesky, torch.linalg.det(eye(2)))") == [
        "False", "True tensor(1.)"]


def test_from_import_and_listing():
    assert _run("from torch import cholesky_inverse\n"
                "print(callable(cholesky_inverse), 'svd' in dir(torch.linalg),"
                " 'cholesky' in dir(torch))") == ["False", "True True True"]


def test_did_you_mean_names_an_op_not_loaded_yet():
    lines = _run("choleski(eye(2))")
    assert lines[0] == "False"
    assert "Did you mean: 'cholesky'?" in lines[1]


def test_a_class_is_the_same_whichever_is_read_first():
    assert _run("s = ones(2).untyped_storage()\n"
                "t = type(s)\n"
                "print(t is torch.UntypedStorage, t)") == [
        "False", "True <class 'torch.storage.UntypedStorage'>"]


def test_lazy_names_lists_without_making():
    made = []

    def resolve(name):
        made.append(name)
        if name == "gone":
            raise KeyError(name)
        return name.upper()
    names = LazyNames({"a": 1}, ["b", "c", "gone"], resolve)
    assert sorted(names) == ["a", "b", "c", "gone"] and len(names) == 4 and "b" in names
    assert made == [] and dict(names.items()) == {"a": 1}
    assert names["b"] == "B" and names.get("c") == "C" and names.get("gone", 0) == 0
    assert made == ["b", "c", "gone"]
    names["c"] = 3
    assert names["c"] == 3 and "gone" not in names and sorted(names) == ["a", "b", "c"]
