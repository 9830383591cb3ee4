"""How the pyplot stand-in's records become terminal text, where plotext draws nothing of the
kind itself: a pie as a table of labelled shares, fill_between's region as a field of
points, texts cut to what fits in the chart, and a figure's grid of axes side by side."""

from __future__ import annotations

import re

import numpy as np

from .plot import HEIGHT, Series

PIE_BAR = "█"
PIE_COLORS = (34, 33, 32, 31, 35, 36)     # blue, orange-ish, green, red, magenta, cyan
MAX_LABEL = 24                            # a pie label's columns; longer ones are cut
FRAME_COLUMNS = 10                        # a chart's y ticks and frame around its canvas
FRAME_LINES = 4                           # its title, x ticks and frame
GAP = "  "                                # between axes side by side
MIN_CELL = 24                             # the narrowest axes drawn side by side
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---------------------------------------------------------------------- pie
def pie_table(rows: list, width: int, color: bool) -> list:
    """One line a wedge: its label, a bar as long as its share of the width, its percent
    (autopct's text, else the share to 0.1%)."""
    labels = [_one_line(label[2])[:MAX_LABEL] or f"#{i + 1}"
              for i, (label, _, _) in enumerate(rows)]
    shares = [pct[2] if pct is not None else f"{100 * frac:.1f}%" for _, pct, frac in rows]
    label_width = max(len(t) for t in labels)
    share_width = max(len(t) for t in shares)
    bar_width = max(4, width - label_width - share_width - 2)
    lines = []
    for i, (text, share, (_, _, frac)) in enumerate(zip(labels, shares, rows)):
        length = round(frac * bar_width)
        bar = PIE_BAR * length
        if color:
            bar = f"\x1b[{PIE_COLORS[i % len(PIE_COLORS)]}m{bar}\x1b[0m"
        lines.append(f"{text.ljust(label_width)} {bar}{' ' * (bar_width - length)} "
                     f"{share.rjust(share_width)}")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


# ---------------------------------------------------------------------- inside a chart
def shade(series: Series, xlim: tuple, ylim: tuple, width: int) -> Series:
    """fill_between's region as points on the chart's grid of quarter cells (plotext's
    markers are quarter blocks), between its edges y and fill_to."""
    order = np.argsort(series.x, kind="stable")
    x = np.asarray(series.x)[order]
    edges = np.asarray(series.y)[order], np.asarray(series.fill_to)[order]
    columns = 2 * max(1, width - FRAME_COLUMNS)
    grid_x = np.linspace(xlim[0], xlim[1], columns)
    grid_x = grid_x[(grid_x >= x.min()) & (grid_x <= x.max())] if x.size else grid_x[:0]
    low, high = (np.interp(grid_x, x, e) for e in edges)
    low, high = np.minimum(low, high), np.maximum(low, high)
    grid_y = np.linspace(ylim[0], ylim[1], 2 * (HEIGHT - FRAME_LINES))
    inside = (grid_y[None, :] >= low[:, None]) & (grid_y[None, :] <= high[:, None])
    columns_at, rows_at = np.nonzero(inside)
    return Series(grid_x[columns_at], grid_y[rows_at], series.label, lines=False)


def fitted_texts(texts: list, xlim: tuple, ylim: tuple, width: int) -> list:
    """The texts inside the limits, each cut to the columns left to its right (plotext
    leaves out a text that overflows the canvas)."""
    columns = max(1, width - FRAME_COLUMNS)
    fitted = []
    for x, y, text in texts:
        x, y = float(x), float(y)
        if not (xlim[0] <= x <= xlim[1] and min(ylim) <= y <= max(ylim)) or not text:
            continue
        room = int((xlim[1] - x) / (xlim[1] - xlim[0]) * columns) if xlim[1] > xlim[0] else 1
        fitted.append((x, y, _one_line(text)[:max(1, room)]))
    return fitted


def partial_rule(rule: tuple, xlim: tuple, ylim: tuple) -> Series:
    """axhline / axvline over part of the axes (xmin, xmax fractions) as a segment."""
    position, vertical, low, high, _ = rule
    span = ylim if vertical else xlim
    ends = [span[0] + f * (span[1] - span[0]) for f in (low, high)]
    x, y = ([position] * 2, ends) if vertical else (ends, [position] * 2)
    return Series(np.array(x), np.array(y))


# ---------------------------------------------------------------------- a grid of axes
def columns_fitting(columns: int, width: int) -> int:
    """How many of a grid's columns of axes fit side by side in `width` (at least one)."""
    fitting = (width + len(GAP)) // (MIN_CELL + len(GAP))
    return max(1, min(columns, fitting))


def cell_width(columns: int, width: int) -> int:
    return (width - len(GAP) * (columns - 1)) // columns


def side_by_side(blocks: list, width: int) -> list:
    """Blocks of lines next to each other, each padded to `width` visible columns (colour
    codes take none), the shorter ones with blank lines."""
    height = max(len(b) for b in blocks)
    lines = []
    for i in range(height):
        cells = [_padded(b[i] if i < len(b) else "", width) for b in blocks]
        lines.append(GAP.join(cells).rstrip())
    return lines


def _padded(line: str, width: int) -> str:
    return line + " " * max(0, width - visible_width(line))


def visible_width(line: str) -> int:
    return len(ANSI.sub("", line))
