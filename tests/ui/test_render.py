"""Renderers at a fixed width: show, graph (tree and DOT), plot, hist, progress, gradcheck."""

import io
import shutil
import subprocess

import pytest
from rich.console import Console

import tshell.core as torch
from tshell.ui import graph, gradcheck, plot, progress, render


def plain_console(width=80):
    buf = io.StringIO()
    return Console(file=buf, width=width, force_terminal=False, color_system=None), buf


def seed_graph():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    return {"x": x, "y": y, "z": z, "out": out}


def test_show_panel_contents():
    console, buf = plain_console()
    t = torch.tensor([[1.0, 2.0], [3.0, float("nan")]])
    render.show(t, console=console)
    text = buf.getvalue()
    for piece in ("(2, 2)", "torch.float32", "device cpu", "no grad", "min 1",
                  "max 3", "mean 2", "NaN 1", "Inf 0"):
        assert piece in text
    assert "\x1b[" not in text and max(len(line) for line in text.splitlines()) <= 80


def test_show_grad_state_and_summary_of_large_tensor():
    console, buf = plain_console()
    render.show(seed_graph()["z"], console=console)
    assert "grad_fn=<MulBackward0>" in buf.getvalue()
    console, buf = plain_console()
    render.show(torch.arange(10000).view(100, 100), console=console)
    text = buf.getvalue()
    assert "…" in text and "9999" in text and len(text.splitlines()) < 20


def test_show_heat_map_colours_on_a_terminal():
    buf = io.StringIO()
    console = Console(file=buf, width=80, force_terminal=True, color_system="truecolor")
    render.show(torch.tensor([0.0, 1.0]), console=console)
    assert "\x1b[" in buf.getvalue()


def test_show_to_a_pipe_writes_no_escape_codes():
    buf = io.StringIO()
    render.show(torch.randn(3, 3), stream=buf)
    assert "\x1b" not in buf.getvalue() and "shape (3, 3)" in buf.getvalue()


def test_graph_tree_of_the_seed():
    names = seed_graph()
    console, buf = plain_console()
    graph.graph(names["out"], names=names, console=console)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "MeanBackward0 ()"
    assert "MulBackward0 (2, 2) saved: 1" in lines[1]
    assert "MulBackward0 (2, 2) saved: 2" in lines[2]
    assert "AddBackward0 (2, 2)" in lines[3]
    assert "AccumulateGrad x (2, 2) float32" in lines[4]
    assert "AddBackward0 (shown above)" in lines[5]


def test_graph_of_a_tensor_without_history():
    console, buf = plain_console()
    graph.graph(torch.ones(2), names={}, console=console)
    assert "no autograd graph" in buf.getvalue()


def test_dot_output(tmp_path):
    names = seed_graph()
    path = tmp_path / "g.dot"
    graph.graph(names["out"], str(path), names=names)
    dot = path.read_text()
    assert dot.startswith("digraph autograd {") and dot.rstrip().endswith("}")
    assert 'label="AccumulateGrad x (2, 2) float32"' in dot and "MeanBackward0" in dot
    assert dot.count("->") == 5
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    done = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, timeout=30)
    assert done.returncode == 0 and b"<svg" in done.stdout


def test_svg_without_graphviz_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="Graphviz's `dot` program"):
        graph.graph(seed_graph()["out"], str(tmp_path / "g.svg"))
    with pytest.raises(ValueError, match="unsupported file type"):
        graph.graph(seed_graph()["out"], str(tmp_path / "g.pdf"))


def test_plot_and_hist_plain_text():
    buf = io.StringIO()
    plot.plot(torch.tensor([1.0, 4.0, 9.0, 16.0]), title="loss", stream=buf)
    text = buf.getvalue()
    assert "loss" in text and "┤" in text and "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    buf = io.StringIO()
    plot.plot([0, 1, 2], torch.tensor([2.0, 1.0, 0.5]), stream=buf)
    assert "┤" in buf.getvalue()
    buf = io.StringIO()
    plot.hist(torch.randn(500), bins=10, stream=buf)
    assert "█" in buf.getvalue() and "\x1b" not in buf.getvalue()
    with pytest.raises(ValueError):
        plot.plot([1, 2], [1, 2, 3], stream=io.StringIO())


def test_progress_is_silent_when_piped():
    buf = io.StringIO()
    assert list(progress.progress(range(5), stream=buf)) == [0, 1, 2, 3, 4]
    assert buf.getvalue() == ""


def test_gradcheck_verdicts():
    console, buf = plain_console(120)
    x = torch.randn(3, 2, dtype=torch.float64, requires_grad=True)
    assert gradcheck.gradcheck(lambda a: (a * a).sin().sum(dim=0), (x,), console=console)
    assert "gradcheck passed" in buf.getvalue()
    console, buf = plain_console(120)
    wrong = lambda a: a.detach() * a                      # noqa: E731 - drops a gradient term
    assert not gradcheck.gradcheck(wrong, x, console=console)
    assert "gradcheck failed: input 0" in buf.getvalue()
