"""show/graph/plot/hist/progress/gradcheck as bare names in tsh programs (scripts too)."""

import io
import subprocess
import sys

from tshell.lang import Interpreter
from tshell.ui.builtins import install


def run(source: str) -> str:
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    install(interp)
    interp.run_source(source, "<test>")
    return out.getvalue()


def test_bare_names_in_a_program(tmp_path):
    text = run(
        "x = torch.ones(2, 2, requires_grad=True)\n"
        "out = (x * 3).sum()\n"
        "show(x)\n"
        "graph(out)\n"
        f"graph(out, '{tmp_path / 'g.dot'}')\n"
        "total = 0\n"
        "for i in progress(range(4)):\n"
        "    total = total + i\n"
        "print(total)\n"
        "plot([3, 2, 1])\n"
        "hist(torch.arange(10))\n"
        "def f(a):\n    return (a * a).sum()\n"
        "print(gradcheck(f, (torch.randn(3, dtype=torch.float64, requires_grad=True),)))\n")
    assert "requires_grad (leaf)" in text and "AccumulateGrad x" in text
    assert "\n6\n" in text and "gradcheck passed" in text and text.rstrip().endswith("True")
    assert "\x1b" not in text
    assert (tmp_path / "g.dot").read_text().startswith("digraph")


def test_install_is_lazy_and_idempotent():
    code = ("import sys; from tshell.lang import Interpreter; from tshell.ui.builtins import "
            "install; i = Interpreter(); install(i); install(i); "
            "print('rich' in sys.modules, 'plotext' in sys.modules, callable(i.builtins['show']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.split() == ["False", "False", "True"], done.stderr
