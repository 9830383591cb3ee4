"""tshell's built-ins as rich notebook output: each one publishes a MIME bundle through
`publish(data, display_id=None, update=False)` instead of drawing on a terminal.

- show(x): text/html (the stats table and heat map, with colours) and text/plain
- graph(t): image/svg+xml through Graphviz (when `dot` is installed) and the text tree
- plot(...), hist(...): image/svg+xml (kernel.charts) and the text chart
- progress(...): one text/plain line, updated in place (update_display_data)
"""

from __future__ import annotations

import io
import itertools

from tshell.ui import graph as graphs
from tshell.ui import plot as plots
from tshell.ui import progress as progresses
from tshell.ui import render
from tshell.ui.console import make_console

from . import charts

HTML_WIDTH = 100
HTML_FORMAT = '<pre style="font-family: monospace; line-height: 1.2">{code}</pre>'
_display_ids = itertools.count(1)


def text_of(draw) -> str:
    """What draw(stream) writes on a plain (non-terminal) stream."""
    buf = io.StringIO()
    draw(buf)
    return buf.getvalue().rstrip("\n")


def show_bundle(x, title=None) -> dict:
    console = make_console(io.StringIO(), color=True, width=HTML_WIDTH, record=True)
    console.print(render.show_renderable(x, True, title))
    return {"text/html": console.export_html(inline_styles=True, code_format=HTML_FORMAT),
            "text/plain": text_of(lambda s: render.show(x, stream=s, title=title))}


def graph_bundle(t, names) -> dict:
    data = {"text/plain": text_of(lambda s: graphs.graph(t, names=names, stream=s))}
    if getattr(t, "grad_fn", None) is not None and graphs.has_dot():
        data["image/svg+xml"] = graphs.run_dot(graphs.to_dot(t, names), "svg").decode()
    return data


def install(interp, publish) -> None:
    """Replace show/graph/plot/hist/progress in interp's built-ins with notebook versions."""

    def show(x, title=None):
        """show(x): shape, dtype, device, grad state, stats and a heat map of the values."""
        publish(show_bundle(x, title))

    def graph(t, path=None):
        """graph(t): the autograd graph behind t; graph(t, "g.dot"/".svg"/".png") saves it."""
        if path is not None:
            written = graphs.graph(t, path, names=interp.namespace)
            interp.stdout.write(graphs.written_message(*written) + "\n")
            return
        publish(graph_bundle(t, interp.namespace))

    def plot(*args, title=None, xlabel=None, ylabel=None):
        """plot(y) or plot(x, y): a line chart."""
        text = text_of(lambda s: plots.plot(*args, title=title, xlabel=xlabel, ylabel=ylabel,
                                            stream=s))
        y = plots.values_of(args[-1])
        x = plots.values_of(args[0]) if len(args) == 2 else list(range(len(y)))
        publish({"image/svg+xml": charts.line_svg(x, y, title, xlabel, ylabel),
                 "text/plain": text})

    def hist(t, bins=20, title=None):
        """hist(t, bins=20): a histogram of t's values."""
        text = text_of(lambda s: plots.hist(t, bins=bins, title=title, stream=s))
        values = [v for v in plots.values_of(t) if v == v and abs(v) != float("inf")]
        publish({"image/svg+xml": charts.hist_svg(values, bins, title), "text/plain": text})

    def progress(iterable, total=None, description="working"):
        """progress(iterable): iterate with a line showing n/N, rate and time left."""
        display_id = f"tshell-progress-{next(_display_ids)}"
        interp.stdout.flush()
        publish({"text/plain": progresses.progress_line(0, total, 0.0, description)},
                display_id=display_id)

        def draw(line):
            publish({"text/plain": line}, display_id=display_id, update=True)
        return progresses.tracked(iterable, total, description, draw, draw)

    for fn in (show, graph, plot, hist, progress):
        interp.builtins[fn.__name__] = fn
