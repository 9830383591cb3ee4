"""plot / hist through plotext (a maintained terminal-plotting library), and `chart`, the
several-series chart that the matplotlib.pyplot stand-in (pyplot.py) draws with."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import numpy as np

from tshell.core import limits

from .console import is_terminal, make_console, use_color
from .render import host_array

HEIGHT = 15
# The Python objects plotext and _values build per value and per histogram bin (measured:
# about 216 bytes per value for plot, 72 for hist, 430 per bin), checked against the cap.
VALUE_BYTES = 224
BIN_BYTES = 448


def values_of(v) -> list:
    """A flat list of floats from a tensor, array, list or number."""
    if isinstance(v, (list, tuple)):
        v = [host_array(e, VALUE_BYTES).item() if hasattr(e, "grad_fn") else e for e in v]
    return host_array(v, VALUE_BYTES).astype(np.float64).ravel().tolist()


def width_of(stream) -> int:
    if is_terminal(stream):
        return max(40, min(shutil.get_terminal_size().columns - 1, 100))
    return 80


def _figure(width: int, title, xlabel, ylabel, height: int = HEIGHT):
    """A cleared plotext figure (plotext 5 and 6 have different APIs; both are served)."""
    import plotext as plt
    if hasattr(plt, "plot"):                      # plotext 5.x: module-level functions
        plt.clf()
        plt.plotsize(width, height)
        plt.theme("clear")                         # plotext 5's theme without background
        target = plt
    else:                                          # plotext 6.x: the `figure` object
        target = plt.figure
        target.clear()
        target.plot_size(width, height)
        target.theme("simple")                     # no background: readable on any terminal
    if title:
        target.title(title)
    for text, axis in ((xlabel, "x"), (ylabel, "y")):
        if not text:
            continue
        if target is plt:
            getattr(plt, f"{axis}label")(text)
        else:
            target.label(text, axis=axis)      # plotext 6: one label() for both axes
    return target


def _text(target, color: bool) -> str:
    """The chart as a string, with or without plotext's colour codes."""
    import plotext as plt
    if target is plt:
        text = plt.build()
        return text if color else plt.uncolorize(text)
    return target.build().string(colorless=not color)


def _emit(text: str, stream) -> None:
    console = make_console(stream)
    console.file.write(text.rstrip("\n") + "\n")
    console.file.flush()


def plot(*args, title=None, xlabel=None, ylabel=None, stream=None) -> None:
    """plot(y) or plot(x, y): a line chart of the values in the terminal."""
    if len(args) not in (1, 2):
        raise TypeError(f"plot() takes 1 or 2 positional arguments but {len(args)} were given")
    y = values_of(args[-1])
    x = values_of(args[0]) if len(args) == 2 else list(range(len(y)))
    if len(x) != len(y):
        raise ValueError(f"plot(x, y): x has {len(x)} values but y has {len(y)}")
    if not y:
        raise ValueError("plot(): nothing to plot (no values)")
    _emit(chart([Series(x, y)], Frame(title, xlabel, ylabel), width_of(stream),
                use_color(stream)), stream)


def hist(t, bins=20, title=None, stream=None) -> None:
    """hist(t): a histogram of the values in the terminal."""
    limits.check_result((int(bins),), BIN_BYTES)
    values = [v for v in values_of(t) if np.isfinite(v)]
    if not values:
        raise ValueError("hist(): no finite values to draw")
    target = _figure(width_of(stream), title, None, None)
    if target.__class__.__name__ == "module":
        target.hist(values, bins)
    else:
        target.draw(target.hist(values, bins=int(bins)))
    _emit(_text(target, use_color(stream)), stream)


@dataclass
class Series:
    """One thing drawn on a chart: a line or markers through the points, or bars."""
    x: list
    y: list
    label: str | None = None
    lines: bool = True          # False: markers only (a scatter)
    bars: bool = False
    width: float = 0.8          # a bar's width, in x's units
    horizontal: bool = False    # bars along x from the y axis (barh): x holds the positions
    right: bool = False         # against the right y axis (a twinx axes' series)
    segments: bool = False      # separate segments: points 0-1, 2-3, ... (hlines, error bars)
    fill_to: object = None      # fill_between's other edge (pyplot shades between before drawing)


@dataclass
class Frame:
    """What a chart shows around its series: texts, limits (None: fitted), log scales."""
    title: str | None = None
    xlabel: str | None = None
    ylabel: str | None = None
    xlim: tuple | None = None
    ylim: tuple | None = None
    xlog: bool = False
    ylog: bool = False
    legend: bool = False        # label the series (plotext draws the legend of labels)
    right_ylabel: str | None = None
    texts: list = field(default_factory=list)   # (x, y, text) at data coordinates
    rules: list = field(default_factory=list)   # (position, vertical): lines across the axes


def chart(series: list, frame: Frame, width: int, color: bool) -> str:
    """The text of a chart of several series, `width` columns wide."""
    target = _figure(width, frame.title, frame.xlabel, frame.ylabel)
    if frame.right_ylabel:
        if target.__class__.__name__ == "module":
            target.ylabel(frame.right_ylabel, yside="right")
        else:
            target.label(frame.right_ylabel, axis="y", side="right")
    if target.__class__.__name__ == "module":
        _draw_v5(target, series, frame)
    else:
        _draw_v6(target, series, frame)
    return _text(target, color).rstrip("\n")


def _draw_v5(plt, series: list, frame: Frame) -> None:
    for s in series:
        label = s.label if frame.legend else None
        side = "right" if s.right else "left"
        if s.segments:
            for x, y in _pieces(s):
                plt.plot(x, y, yside=side)
        elif s.bars:
            plt.bar(s.x, s.y, label=label,
                    orientation="horizontal" if s.horizontal else "vertical")
        else:
            (plt.plot if s.lines else plt.scatter)(s.x, s.y, label=label, yside=side)
    for x, y, text in frame.texts:
        plt.text(text, x, y)
    for position, vertical in frame.rules:
        (plt.vline if vertical else plt.hline)(position)
    if frame.xlim:
        plt.xlim(*frame.xlim)
    if frame.ylim:
        plt.ylim(*frame.ylim)
    if frame.xlog:
        plt.xscale("log")
    if frame.ylog:
        plt.yscale("log")


def _draw_v6(figure, series: list, frame: Frame) -> None:
    for s in series:
        side = "right" if s.right else "left"
        if s.segments:
            for x, y in _pieces(s):
                figure.draw(figure.signal(x, y, yside=side).lines())
            continue
        if s.bars:
            signal = figure.bar(s.x, s.y, orientation="h" if s.horizontal else "v")
        else:
            signal = figure.signal(s.x, s.y, yside=side)
        if s.lines and not s.bars:
            signal.lines()
        if s.label and frame.legend:
            signal.label(s.label)
        figure.draw(signal)
    for x, y, text in frame.texts:
        figure.draw(figure.text(x, y, text))
    for position, vertical in frame.rules:
        figure.line(position, "v" if vertical else "h")
    for axis, lim, log in ((0, frame.xlim, frame.xlog), (1, frame.ylim, frame.ylog)):
        if lim:
            figure.ruler(axis=axis).lim(*lim)
        if log:
            figure.ruler(axis=axis).scale("log")


def _pieces(s: Series):
    """A segments series' segments: ([x0, x1], [y0, y1]) for points 0-1, 2-3, ..."""
    x, y = list(s.x), list(s.y)
    return [(x[i:i + 2], y[i:i + 2]) for i in range(0, len(x) - 1, 2)]
