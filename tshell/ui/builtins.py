"""tshell's own built-ins (docs/repl.md) as lazy wrappers: rich is imported on first use only.

`tshell -c "print(1)"` must not pay for importing rich, so each wrapper imports its renderer
the first time a program calls it.
"""

from __future__ import annotations

from tshell.lang.namespace import LazyMembers, Namespace

from .console import output_stream


def _show(interp):
    def show(x, title=None):
        """show(x): a panel with shape, dtype, device, grad state, stats and a heat map."""
        from . import render
        render.show(x, stream=output_stream(interp), title=title)
    return show


def _graph(interp):
    def graph(t, path=None):
        """graph(t): draw the autograd graph behind t; graph(t, "g.dot"/".svg"/".png") saves it."""
        from . import graph as g
        out = output_stream(interp)
        written = g.graph(t, path, names=interp.namespace, stream=out)
        if written is not None and getattr(interp, "interactive", False):
            out.write(g.written_message(*written) + "\n")   # a script stays quiet
    return graph


def _plot(interp):
    def plot(*args, title=None, xlabel=None, ylabel=None):
        """plot(y) or plot(x, y): a line chart drawn in the terminal."""
        from . import plot as p
        p.plot(*args, title=title, xlabel=xlabel, ylabel=ylabel, stream=output_stream(interp))
    return plot


def _hist(interp):
    def hist(t, bins=20, title=None):
        """hist(t, bins=20): a histogram of t's values drawn in the terminal."""
        from . import plot as p
        p.hist(t, bins=bins, title=title, stream=output_stream(interp))
    return hist


def _progress(interp):
    def progress(iterable, total=None, description="working"):
        """progress(iterable): iterate with a tqdm-style line (n/N, rate, time left) on a
        terminal; silent when output is piped."""
        from . import progress as p
        return p.progress(iterable, total=total, description=description,
                          stream=output_stream(interp))
    return progress


def _gradcheck(interp):
    def gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3):
        """gradcheck(f, inputs): compare autograd with finite differences (float64)."""
        from . import gradcheck as gc
        return gc.gradcheck(f, inputs, eps=eps, atol=atol, rtol=rtol,
                            stream=output_stream(interp))
    return gradcheck


def read_terminal_line(prompt: str, out) -> str:
    """A line typed on the REPL's terminal (stdin), after the prompt written on out."""
    import sys
    out.write(prompt)
    out.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError("EOF when reading a line")
    return line.rstrip("\r\n")


def make_input(interp, read_line=None):
    """input(prompt=''): a line the person at the REPL or the notebook types; read_line(
    prompt_text, out) reads it (the terminal's stdin by default). Only interactive front
    ends have it: a script reads no input."""
    from tshell.lang import guards
    read = read_line or read_terminal_line

    def input(prompt=""):
        """input(prompt=''): wait for a line typed by the user; returns it without its
        newline (the REPL and notebooks only)."""
        guards.check_text(prompt)
        return read(str(prompt), output_stream(interp))
    input.__qualname__ = "input"
    return input


FACTORIES = {"show": _show, "graph": _graph, "plot": _plot, "hist": _hist,
             "progress": _progress, "gradcheck": _gradcheck}


def _matplotlib(interp) -> Namespace:
    """`import matplotlib.pyplot`: figures drawn in the terminal (pyplot.py, imported at the
    program's first use of matplotlib)."""
    def load():
        from . import pyplot
        return pyplot.matplotlib_members(interp)
    return Namespace("matplotlib", LazyMembers(load))


def install(interp, color=None, interactive=None) -> None:
    """Add show/graph/plot/hist/progress/gradcheck to interp's built-ins and the
    matplotlib.pyplot stand-in to its modules (idempotent); interactive: a person is
    watching (the REPL, a notebook), so say what was done."""
    if interactive is not None:
        interp.interactive = interactive
    if color is not None:
        from .console import set_color
        set_color(color)
    for name, factory in FACTORIES.items():
        fn = factory(interp)
        fn.__qualname__ = name
        interp.builtins[name] = fn
    if getattr(interp, "interactive", False) and "input" not in interp.builtins:
        interp.builtins["input"] = make_input(interp)
    if "matplotlib" not in interp.modules:
        interp.modules["matplotlib"] = _matplotlib(interp)
