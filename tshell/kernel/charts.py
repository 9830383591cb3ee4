"""plot() and hist() as SVG for notebooks: a line chart and a histogram, drawn from the values
directly (no plotting library), with the range of each axis written at its ends."""

from __future__ import annotations

from html import escape

import numpy as np

WIDTH, HEIGHT = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 28, 36           # margins around the plot area
LINE, BAR, AXIS, TEXT = "#1f77b4", "#4c72b0", "#888888", "#333333"


def _number(v: float) -> str:
    return f"{v:.4g}"


def _scale(lo: float, hi: float, start: float, length: float):
    span = hi - lo if hi > lo else 1.0
    return lambda v: start + (v - lo) / span * length


def _frame(title, x_range, y_range, body: list, xlabel=None, ylabel=None) -> str:
    """The SVG document: axes, their ranges, labels and title around body's elements."""
    x0, y0, x1, y1 = LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, TOP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
             f'<path d="M{x0},{y1} V{y0} H{x1}" fill="none" stroke="{AXIS}"/>']
    parts += body
    parts += [f'<text x="{x0 - 4}" y="{y0}" text-anchor="end" fill="{TEXT}">'
              f'{_number(y_range[0])}</text>',
              f'<text x="{x0 - 4}" y="{y1 + 8}" text-anchor="end" fill="{TEXT}">'
              f'{_number(y_range[1])}</text>',
              f'<text x="{x0}" y="{y0 + 14}" text-anchor="middle" fill="{TEXT}">'
              f'{_number(x_range[0])}</text>',
              f'<text x="{x1}" y="{y0 + 14}" text-anchor="middle" fill="{TEXT}">'
              f'{_number(x_range[1])}</text>']
    if title:
        parts.append(f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="13" '
                     f'fill="{TEXT}">{escape(str(title))}</text>')
    if xlabel:
        parts.append(f'<text x="{(x0 + x1) / 2}" y="{HEIGHT - 6}" text-anchor="middle" '
                     f'fill="{TEXT}">{escape(str(xlabel))}</text>')
    if ylabel:
        parts.append(f'<text x="14" y="{(y0 + y1) / 2}" text-anchor="middle" fill="{TEXT}" '
                     f'transform="rotate(-90 14 {(y0 + y1) / 2})">{escape(str(ylabel))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def line_svg(x: list, y: list, title=None, xlabel=None, ylabel=None) -> str:
    """A line chart of y against x."""
    finite = [(a, b) for a, b in zip(x, y) if np.isfinite(a) and np.isfinite(b)]
    xs = [a for a, _ in finite] or [0.0]
    ys = [b for _, b in finite] or [0.0]
    x_range, y_range = (min(xs), max(xs)), (min(ys), max(ys))
    sx = _scale(*x_range, LEFT, WIDTH - RIGHT - LEFT)
    sy = _scale(*y_range, HEIGHT - BOTTOM, -(HEIGHT - BOTTOM - TOP))
    points = " ".join(f"{sx(a):.1f},{sy(b):.1f}" for a, b in finite)
    body = [f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.5"/>']
    return _frame(title, x_range, y_range, body, xlabel, ylabel)


def hist_svg(values: list, bins: int = 20, title=None) -> str:
    """A histogram of the finite values in `bins` equal bins."""
    counts, edges = np.histogram(np.asarray(values, dtype=np.float64), bins=int(bins))
    x_range, y_range = (float(edges[0]), float(edges[-1])), (0.0, float(counts.max()))
    sx = _scale(*x_range, LEFT, WIDTH - RIGHT - LEFT)
    sy = _scale(*y_range, HEIGHT - BOTTOM, -(HEIGHT - BOTTOM - TOP))
    body = []
    for count, lo, hi in zip(counts, edges[:-1], edges[1:]):
        top = sy(count)
        width = max(sx(hi) - sx(lo) - 1, 1)
        body.append(f'<rect x="{sx(lo):.1f}" y="{top:.1f}" width="{width:.1f}"'
                    f' height="{HEIGHT - BOTTOM - top:.1f}" fill="{BAR}"/>')
    return _frame(title, x_range, y_range, body)
