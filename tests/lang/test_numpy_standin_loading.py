"""np's stand-in loads at a program's first use of an array, not at start-up (runtime.
numpy_standin): whichever door an array comes through first, its class is readable and
nameable as when the stand-in loaded with the interpreter. Each case runs in a fresh process:
the stand-in, once loaded, stays loaded."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _run(program: str, *before: str) -> list:
    """The lines printed by a fresh interpreter running program, after Python lines before."""
    code = "\n".join((
        "import sys",
        "from tshell.lang import Interpreter",
        "i = Interpreter()",
        "print('tshell.lang.standins.numpy' in sys.modules)",
        *before,
        f"i.run_source({program!r})",
    ))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_new_interpreter_has_not_loaded_it_and_np_loads_it():
    assert _run("print(np.ones(3).sum(), type(np.arange(2)))") == [
        "False", "3.0 <class 'numpy.ndarray'>"]


def test_an_array_from_a_tensor_before_any_use_of_np():
    lines = _run("a = torch.ones(2).numpy()\n"
                 "t = type(a)\n"               # named before np is read
                 "print(t, a.shape, a.dtype, t is np.ndarray)\n")
    assert lines == ["False", "<class 'numpy.ndarray'> (2,) float32 True"]


def test_an_array_from_safetensors_before_any_use_of_np(tmp_path):
    path = str(tmp_path / "a.safetensors")
    lines = _run(f"import safetensors.numpy\n"
                 f"a = safetensors.numpy.load_file({path!r})['a']\n"
                 f"print(type(a), a.shape, a.sum())\n",
                 "import tshell.core as torch, tshell.core.safetensors as st",
                 f"st.save_file({{'a': torch.arange(6).view(2, 3)}}, {path!r})")
    assert lines == ["False", "<class 'numpy.ndarray'> (2, 3) 15"]
