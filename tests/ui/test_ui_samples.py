"""The ui samples run with the ui built-ins installed; the MLP's loss falls below 0.3."""

import io
import os
import re

from tshell.lang import Interpreter
from tshell.ui.builtins import install

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "samples")


def run_sample(name: str) -> str:
    path = os.path.join(SAMPLES, name)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    install(interp)
    interp.run_source(source, path)
    return out.getvalue()


def test_mlp_learns():
    text = run_sample("mlp.tsh")
    loss, accuracy = map(float, re.search(r"final loss ([\d.]+), accuracy ([\d.]+)",
                                          text).groups())
    assert loss < 0.3 and accuracy > 0.9
    assert "training loss" in text and "\x1b" not in text


def test_linear_regression_finds_the_line():
    text = run_sample("linear_regression.tsh")
    w, b = map(float, re.search(r"w = ([-\d.]+), b = ([-\d.]+)", text).groups())
    assert abs(w - 2) < 0.1 and abs(b - 1) < 0.1


def test_graph_sample():
    text = run_sample("graph.tsh")
    assert text.startswith("MeanBackward0 ()") and "AccumulateGrad x (2, 2)" in text
    assert "tensor([[4.5000, 4.5000]," in text
