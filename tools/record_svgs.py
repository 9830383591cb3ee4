"""Record the README's pictures from real runs: a REPL session, show(x) and graph(out).

Run from the repository root: `python tools/record_svgs.py` writes docs/images/*.svg with
rich's Console(record=True).save_svg. Nothing is drawn by hand: every line shown is what
tshell printed for the inputs below.
"""

from __future__ import annotations

import io
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from rich.console import Console  # noqa: E402
from rich.syntax import Syntax  # noqa: E402
from rich.text import Text  # noqa: E402

import tshell.core as torch  # noqa: E402
from tshell.lang import Interpreter  # noqa: E402
from tshell.ui import graph, render  # noqa: E402
from tshell.ui.builtins import install  # noqa: E402
from tshell.pygments_lexer import TshLexer  # noqa: E402
from tshell.ui.highlight import highlighted  # noqa: E402
from tshell.ui.repl import Repl  # noqa: E402

OUT_DIR = os.path.join(ROOT, "docs", "images")
WIDTH = 88

SESSION = [
    "x = torch.ones(2, 2, requires_grad=True)",
    "y = x + 2",
    "z = y * y * 3",
    "out = z.mean()",
    "out",
    "out.backward()",
    "x.grad",
    "x.view(3, 2)",
    "%whos",
]


def recorder() -> Console:
    return Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
                   file=io.StringIO(), highlight=False)


def record_session(path: str) -> None:
    """Run SESSION through the REPL's own execute() and record prompt, input and output."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    console = recorder()
    out, err = io.StringIO(), io.StringIO()
    interp = Interpreter(stdout=out)
    install(interp)
    with create_pipe_input() as inp:
        repl = Repl(interp, theme="none", input=inp, output=DummyOutput(), stdout=out,
                    stderr=err)
        repl.attach(interp)
        for line in SESSION:
            prompt = Text(">>> ", style="bold green")
            code = Syntax(line, TshLexer(), theme="monokai", background_color="default")
            console.print(prompt, end="")
            highlighted_line = code.highlight(line)
            highlighted_line.rstrip()
            console.print(highlighted_line)
            repl.execute(line)
            for stream, style in ((out, None), (err, "red")):
                text = stream.getvalue()
                stream.seek(0), stream.truncate()
                if text:
                    console.print(highlighted(text.rstrip("\n")) if style is None
                                  else Text(text.rstrip("\n"), style=style))
    console.save_svg(path, title="tshell")


def record_show(path: str) -> None:
    console = recorder()
    torch.manual_seed(0)
    console.print(Text(">>> ", style="bold green") + Text("show(torch.randn(5, 6))"))
    render.show(torch.randn(5, 6), console=console)
    console.save_svg(path, title="tshell: show(x)")


def record_graph(path: str) -> None:
    console = recorder()
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    console.print(Text(">>> ", style="bold green") + Text("graph(out)"))
    graph.graph(out, names={"x": x, "y": y, "z": z, "out": out}, console=console)
    console.save_svg(path, title="tshell: graph(out)")


def main() -> None:
    os.makedirs(OUT_DIR, exist_ok=True)
    for name, fn in (("repl.svg", record_session), ("show.svg", record_show),
                     ("graph.svg", record_graph)):
        path = os.path.join(OUT_DIR, name)
        fn(path)
        print(f"wrote {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
