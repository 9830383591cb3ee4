"""`import matplotlib.pyplot as plt` in tsh programs: figures drawn in the terminal.

Each interpreter has its own pyplot (`Pyplot`: the open figures, the current one); `Figure`
and `Axes` record what a program draws (Axes' texts, lines, fills, pies and contours through
its base pyplot_marks.Marks), and `show()` draws every open figure on the interpreter's
output, a grid's rows side by side where the width allows (a title, then a chart through
plot.chart, a picture through picture.py or a pie's table through pyplot_draw.py), then
closes them, as matplotlib's non-interactive show does. Calls that only change the look
(tight_layout, grid, xticks...) are accepted and change nothing (docs/repl.md lists them).
A program gets these objects' methods and nothing else: their names are registered with the
sandbox here and in pyplot_artists.py, and data reaches NumPy only as tensors, the np
stand-in's arrays, numbers and lists or tuples of them, so no code of the program runs
while a figure is read or drawn (docs/security.md).
"""

from __future__ import annotations

import sys
import types
from dataclasses import replace

import numpy as np
from numpy.lib import _histograms_impl as _histograms

from tshell.core import limits
from tshell.lang import sandbox
from tshell.lang.namespace import Namespace
from tshell.lang.standins.numpy import arrays as np_arrays

from . import picture, pyplot_draw
from .console import output_stream, use_color
from .plot import BIN_BYTES, Frame, Series, chart, width_of
from .pyplot_artists import (ARTIST_NAMES, AxesImage, BarContainer, Colorbar, Line2D,
                             PathCollection, QuadContourSet, Rectangle, XAxis, YAxis)
from .pyplot_data import (ShownClass, array_of, data, flag, is_word, np_array, parse_format,
                          shown, text_of)
from .pyplot_marks import BAR_BYTES, SIGNAL_BYTES, Marks

TEXT_CELL_BYTES = 16           # a title's or label's cell as plotext lays it out
AXES_BYTES = 2048             # an Axes and its bookkeeping, for subplots(n, m)'s count
DEFAULT_FIGSIZE = (6.4, 4.8)
DPI = 100
SCALES = ("asinh", "function", "functionlog", "linear", "log", "logit", "mercator", "symlog")


def _finite_points(x: np.ndarray, y: np.ndarray, xlog: bool, ylog: bool) -> tuple:
    """The points a chart can place: finite, and positive on a log axis (matplotlib leaves
    the others out too)."""
    keep = np.isfinite(x) & np.isfinite(y)
    if xlog:
        keep &= x > 0
    if ylog:
        keep &= y > 0
    return x[keep].tolist(), y[keep].tolist()


def _groups(args: tuple) -> list:
    """plot's arguments as (x or None, y, fmt or None) groups: y | x, y | either with fmt."""
    groups, i = [], 0
    while i < len(args):
        first = args[i]
        if type(first) is str:
            raise ValueError(f"plot(): the format string {first!r} must follow its data")
        if i + 1 < len(args) and type(args[i + 1]) is not str:
            x, y, i = first, args[i + 1], i + 2
        else:
            x, y, i = None, first, i + 1
        fmt = None
        if i < len(args) and type(args[i]) is str:
            fmt, i = args[i], i + 1
        groups.append((x, y, fmt))
    return groups


def _estimated_bins(values: np.ndarray, name: str, span):
    """The number of bins NumPy's estimator `name` ('auto', 'fd'...) makes for values, so that
    it is measured before they are made: the count is range / width, and an outlier far from
    a narrow spread asks for 10**13 of them. NumPy's own selectors measure the width, on the
    values inside span as np.histogram takes them; the name goes to NumPy unchanged when
    there is nothing to measure (NumPy's errors for an unknown name or a bad range)."""
    if name not in BIN_ESTIMATORS or not values.size:
        return name
    low, high = (values.min(), values.max()) if span is None else span
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        return name
    inside = values[(values >= low) & (values <= high)] if span is not None else values
    width = BIN_ESTIMATORS[name](inside, (low, high)) if inside.size else 0
    count = (high - low) / width if width else 1.0
    if not count < limits.max_bytes():          # inf and nan too
        count = limits.max_bytes()              # enough to refuse
    return int(np.ceil(count))


# NumPy's bin-width estimators by name (what np.histogram looks a string `bins` up in).
BIN_ESTIMATORS = _histograms._hist_bin_selectors


# ---------------------------------------------------------------------- Axes
class Axes(Marks, metaclass=ShownClass):
    """What a program draws on one set of axes: series, an image, texts, limits, scales; a
    twin (twinx) shares its place and x axis, its series drawn against the right y axis."""

    _shown = "matplotlib.axes._axes.Axes"

    def __init__(self, figure, position: tuple, host=None):
        self._figure, self._position, self._host, self._twin = figure, position, host, None
        self.cla()

    def __repr__(self):
        parts = []
        if self._title:
            parts.append(f"title={{'center': {self._title!r}}}")
        if self._xlabel:
            parts.append(f"xlabel={self._xlabel!r}")
        if self._ylabel:
            parts.append(f"ylabel={self._ylabel!r}")
        return f"<Axes: {', '.join(parts)}>"

    def cla(self):
        """Clear the axes."""
        self._series, self._image = [], None
        self._title = self._xlabel = self._ylabel = ""
        self._xlim = self._ylim = None
        self._xscale = self._yscale = "linear"
        self._legend, self._visible = False, True
        self._texts, self._rules, self._spans, self._marks = [], [], [], 0   # Marks' records
        self._pie = self._contour = self._colorbar = None
        self._colorbar_label = ""

    clear = cla

    # drawing
    def plot(self, *args, label=None, linestyle=None, ls=None, **style):
        """plot(y), plot(x, y), plot(x, y, fmt), several groups: lines or markers."""
        no_line = is_word(linestyle if linestyle is not None else ls, "", " ", "None", "none")
        lines_made = []
        for x, y, fmt in _groups(args):
            ys = data(y)
            lines = (parse_format(fmt) if fmt else True) and not no_line
            columns = ys.reshape(len(ys), -1).T if ys.ndim == 2 else [ys.ravel()]
            for column in columns:
                xs = data(x).ravel() if x is not None else np.arange(len(column), dtype=float)
                if len(xs) != len(column):
                    raise ValueError(f"x and y must have same first dimension, but have "
                                     f"shapes {(len(xs),)} and {tuple(ys.shape)}")
                lines_made.append(Line2D(self, self._add(xs, column, label, lines=lines)))
        return lines_made

    def semilogy(self, *args, **kwargs):
        """plot with a log y axis."""
        self.set_yscale("log")
        return self.plot(*args, **kwargs)

    def semilogx(self, *args, **kwargs):
        """plot with a log x axis."""
        self.set_xscale("log")
        return self.plot(*args, **kwargs)

    def loglog(self, *args, **kwargs):
        """plot with both axes logarithmic."""
        self.set_xscale("log")
        self.set_yscale("log")
        return self.plot(*args, **kwargs)

    def scatter(self, x, y, s=None, c=None, marker=None, label=None, **style):
        """Markers at (x, y)."""
        xs, ys = data(x).ravel(), data(y).ravel()
        if len(xs) != len(ys):
            raise ValueError("x and y must be the same size")
        self._add(xs, ys, label, lines=False)
        return PathCollection(self)

    def bar(self, x, height, width=0.8, bottom=None, label=None, **style):
        """Bars of the given heights at x (numbers, or category names)."""
        names = type(x) in (list, tuple) and x and all(type(v) is str for v in x)
        xs = list(x) if names else data(x).ravel()
        heights = np.broadcast_to(data(height).ravel(), (len(xs),))
        bar_width = float(data(width))
        self._add(xs, heights, label, bars=True).width = bar_width
        places = np.arange(len(xs)) if names else xs
        return BarContainer([Rectangle(p - bar_width / 2, 0, bar_width, h)
                             for p, h in zip(places, heights)], heights.copy())

    def hist(self, x, bins=10, range=None, density=False, label=None, **style):
        """A histogram of the values of x (NumPy's bins: a count or the edges)."""
        values = data(x).ravel()
        values = values[np.isfinite(values)]
        span = None if range is None else tuple(data(range).ravel().tolist())
        if type(bins) is str:
            bins = _estimated_bins(values, bins, span)
        if type(bins) is int:
            limits.check_result((bins,), BIN_BYTES)
        elif type(bins) is not str:
            bins = data(bins).ravel()
        counts, edges = np.histogram(values, bins=bins, range=span,
                                     density=flag(density, "density"))
        self._add((edges[:-1] + edges[1:]) / 2, counts.astype(np.float64), label,
                  bars=True).width = float(edges[1] - edges[0]) if len(edges) > 1 else 0.8
        return np_array(counts.astype(np.float64)), np_array(edges), None

    def imshow(self, X, cmap=None, vmin=None, vmax=None, **style):
        """Draw an image: 2-D values through cmap, or HxWx3 / HxWx4 colours."""
        image = array_of(X)
        if not (image.ndim == 2 or image.ndim == 3 and image.shape[-1] in (3, 4)):
            raise TypeError(f"Invalid shape {tuple(image.shape)} for image data")
        if image.dtype.kind not in "biuf":
            raise TypeError(f"Image data of dtype {image.dtype} cannot be converted to float")
        limits.check_dense(image, picture.VALUE_BYTES * 3)
        bounds = [None if v is None else float(data(v)) for v in (vmin, vmax)]
        self._image = (image, None if cmap is None else text_of(cmap, "cmap"), *bounds)
        return AxesImage(self, image)

    matshow = imshow

    def _add(self, x, y, label, lines=True, bars=False) -> Series:
        """A series of points (x: numbers, or category names for bars)."""
        text = None if label is None else text_of(label, "label")
        xs = x if type(x) is list and x and type(x[0]) is str else \
            np.asarray(x, dtype=np.float64)
        series = Series(xs, np.asarray(y, dtype=np.float64), text, lines=lines, bars=bars)
        self._count_marks(1, BAR_BYTES if bars else SIGNAL_BYTES)
        self._series.append(series)
        return series

    # texts, limits, scales
    def set_title(self, label, **style):
        self._title = text_of(label, "title")

    def set_xlabel(self, xlabel, **style):
        self._xlabel = text_of(xlabel, "xlabel")

    def set_ylabel(self, ylabel, **style):
        self._ylabel = text_of(ylabel, "ylabel")

    def get_title(self):
        return self._title

    def get_xlabel(self):
        return self._xlabel

    def get_ylabel(self):
        return self._ylabel

    def legend(self, labels=None, *args, **style):
        """Show a legend of the labelled series (or name them: legend(["a", "b"]))."""
        if labels is not None:
            if type(labels) not in (list, tuple):
                raise TypeError(f"'{sandbox.type_name(labels)}' object is not iterable")
            for series, label in zip(self._series, labels):
                series.label = text_of(label, "label")
        self._legend = True

    def set_xlim(self, left=None, right=None, **kwargs):
        self._xlim = _limits(self._xlim, left, right, kwargs, "left", "right")
        return self.get_xlim()

    def set_ylim(self, bottom=None, top=None, **kwargs):
        self._ylim = _limits(self._ylim, bottom, top, kwargs, "bottom", "top")
        return self.get_ylim()

    def get_xlim(self):
        """The x limits set, else matplotlib's autoscaled ones (the data and 5% margins)."""
        extents, sticky = self._extents(vertical=False)
        return _shown_limits(self._xlim, extents, self._xscale == "log", sticky)

    def get_ylim(self):
        extents, sticky = self._extents(vertical=True)
        return _shown_limits(self._ylim, extents, self._yscale == "log", sticky)

    def _extents(self, vertical: bool) -> tuple:
        """The values autoscaling spans on the y (vertical) or x axis, and the values its
        margins stop at (matplotlib's sticky edges: 0 where bars stand, a boxplot's
        positions +- 0.5)."""
        extents, sticky = [], []
        for s in self._series:
            places = np.arange(len(s.x), dtype=np.float64) if _named(s) else s.x
            if s.bars and s.horizontal != vertical:        # along the bars: 0 to their ends
                extents.extend((np.asarray(s.y, dtype=np.float64), np.zeros(1)))
                sticky.append(0.0)
            elif s.bars:                                    # across: the bars' edges
                edge = places - s.width / 2
                extents.extend((edge, edge + s.width))
            else:
                extents.append(np.asarray(s.y if vertical else places, dtype=np.float64))
                if vertical and s.fill_to is not None:
                    extents.append(s.fill_to)
        extents.extend(np.full(1, position) for position, along, _, _, scales in self._rules
                       if scales and along != vertical)
        for low, high, along in self._spans:
            if along == vertical:
                extents.append(np.array([low, high]))
                sticky.extend((low, high))
        return extents, sticky

    def set_xscale(self, value, **kwargs):
        self._xscale = _scale(value)

    def set_yscale(self, value, **kwargs):
        self._yscale = _scale(value)

    def set(self, **properties):
        """ax.set(title=..., xlabel=..., ylabel=..., xlim=..., ylim=..., xscale=..., yscale=...);
        other properties only change the look."""
        for name, value in properties.items():
            if name in SETTABLE:
                getattr(self, f"set_{name}")(value)

    def axis(self, arg=None, **kwargs):
        """axis("off") hides the frame of an empty axes; axis([x0, x1, y0, y1]) sets limits;
        the other options only change the look."""
        if arg is False or is_word(arg, "off"):
            self._visible = False
        elif arg is True or is_word(arg, "on"):
            self._visible = True
        elif type(arg) in (list, tuple):
            x0, x1, y0, y1 = data(arg).ravel().tolist()
            self.set_xlim(x0, x1)
            self.set_ylim(y0, y1)
        elif type(arg) is str and arg not in AXIS_LOOKS:
            raise ValueError(f"Unrecognized string {arg!r} to axis; try 'on' or 'off'")
        elif arg is not None and type(arg) is not str:
            raise TypeError(f"object of type '{sandbox.type_name(arg)}' has no len()")

    def look(self, *args, **kwargs):
        """Changes the look only: nothing to do in a terminal."""

    grid = set_xticks = set_yticks = set_xticklabels = set_yticklabels = set_aspect = look
    tick_params = margins = set_facecolor = clabel = autoscale = locator_params = look
    ticklabel_format = minorticks_on = minorticks_off = label_outer = look
    set_xmargin = set_ymargin = look

    @property
    def axes(self):
        """The axes itself (matplotlib's artists' `.axes`: d2l writes ax.axes.get_xaxis())."""
        return self

    def get_xaxis(self):
        return XAxis()

    def get_yaxis(self):
        return YAxis()

    xaxis = property(get_xaxis)
    yaxis = property(get_yaxis)

    # twin axes
    def twinx(self, axes_class=None, **kwargs):
        """A second Axes at the same place sharing this x axis: its series are drawn on this
        axes' chart against a y axis on the right."""
        if axes_class is not None:
            raise TypeError(f"'{sandbox.type_name(axes_class)}' object is not callable")
        if self._twin is None:
            self._twin = Axes(self._figure, self._position, host=self)
            self._figure._axes.append(self._twin)
        self._figure._pyplot._current_axes[self._figure] = self._twin
        return self._twin

    # drawing
    def text_lines(self, width: int, color: bool) -> list:
        """The axes as lines of text: a title, then the picture (an image or contours, its
        colorbar's scale under it), the pie's table, the chart."""
        lines = []
        if self._image is not None or self._contour is not None:
            text, columns = self._picture(width, color)
            lines += self._centred_title(columns) + text.split("\n")
            if self._colorbar is not None:
                lines += self._colorbar_lines(columns, color)
            elif self._colorbar_label:
                lines.append(self._colorbar_label)
        if self._pie is not None:
            lines += (self._centred_title(width) if not lines else []) + \
                pyplot_draw.pie_table(self._pie, width, color)
        twin = self._twin
        drawn = self._series or self._texts or self._rules or twin is not None and twin._series
        if drawn or not lines and self._visible:
            lines += self._chart(width, color).split("\n")
        elif not lines and self._title:
            lines.append(self._title)
        return lines

    def _centred_title(self, columns: int) -> list:
        return [self._title.center(columns).rstrip()] if self._title else []

    def _picture(self, width: int, color: bool) -> tuple:
        if self._image is not None:
            image, cmap, vmin, vmax = self._image
            return picture.picture(image, width, color, cmap, vmin, vmax)
        z, levels, filled = self._contour
        bands = picture.contour_bands(z, levels, filled, width)
        return picture.picture(bands, width, color, None, 0, len(levels))

    def _color_scale(self):
        """(low, high, cmap) of what a colorbar shows: the image's value range (its vmin and
        vmax if given), the contour levels'; None for a chart (no scale is drawn)."""
        if self._image is not None:
            image, cmap, vmin, vmax = self._image
            if image.ndim == 3:
                return (0.0, 255.0 if image.dtype.kind in "iub" else 1.0, None)
            finite = image[np.isfinite(image)].astype(np.float64)
            low = vmin if vmin is not None else float(finite.min()) if finite.size else 0.0
            high = vmax if vmax is not None else float(finite.max()) if finite.size else 1.0
            return (low, high, cmap)
        if self._contour is not None:
            levels = self._contour[1]
            return (float(levels[0]), float(levels[-1]), None)
        return None

    def _colorbar_lines(self, columns: int, color: bool) -> list:
        low, high, cmap = self._colorbar
        scale = picture.scale(low, high, cmap, max(columns, 24), color)
        return [scale] + ([self._colorbar_label] if self._colorbar_label else [])

    def _chart(self, width: int, color: bool) -> str:
        xlog, ylog = self._xscale == "log", self._yscale == "log"
        xlim, ylim = self.get_xlim(), self.get_ylim()
        series = self._drawn_series(self._series, xlog, ylog, xlim, ylim, width)
        twin = self._twin
        if twin is not None:
            right = self._drawn_series(twin._series, xlog, twin._yscale == "log", xlim,
                                       twin.get_ylim(), width)
            for s in right:
                s.right = True
            series += right
        full = [rule[:2] for rule in self._rules if rule[2:4] == (0.0, 1.0)]
        series += [pyplot_draw.partial_rule(rule, xlim, ylim) for rule in self._rules
                   if rule[2:4] != (0.0, 1.0)]
        fixed = full or any(s.horizontal or s.fill_to is not None for s in self._series)
        shown_xlim = _named_shift(xlim, self._series, False) if fixed else self._xlim
        shown_ylim = _named_shift(ylim, self._series, True) if fixed else self._ylim
        # plotext lays each line of a title or label out the chart's width (a title of 10**6
        # lines took 1 GiB, about 12 bytes a cell)
        lines = sum(t.count("\n") + 1 for t in (self._title, self._xlabel, self._ylabel))
        limits.check_result((lines, width), TEXT_CELL_BYTES)
        frame = Frame(self._title or None, self._xlabel or None, self._ylabel or None,
                      shown_xlim, shown_ylim, xlog, ylog,
                      self._legend or twin is not None and twin._legend,
                      twin._ylabel if twin is not None and twin._ylabel else None,
                      pyplot_draw.fitted_texts(self._texts, xlim, ylim, width), full)
        return chart(series, frame, width, color)

    @staticmethod
    def _drawn_series(found: list, xlog: bool, ylog: bool, xlim, ylim, width) -> list:
        """The series as the chart draws them: finite points (positive on a log axis), a
        fill_between region as its shading."""
        series = []
        for s in found:
            if s.fill_to is not None:
                series.append(pyplot_draw.shade(s, xlim, ylim, width))
            elif _named(s):
                series.append(s)
            else:
                x, y = _finite_points(s.x, s.y, xlog, ylog)
                if x:
                    series.append(replace(s, x=x, y=y))
        return series


AXIS_LOOKS = ("equal", "tight", "scaled", "auto", "image", "square")
SETTABLE = ("title", "xlabel", "ylabel", "xlim", "ylim", "xscale", "yscale")


def _named(series: Series) -> bool:
    """Bars at category names (their x is the list of names; numbers are in an array)."""
    return isinstance(series.x, list)


def _named_shift(lim: tuple, series: list, horizontal: bool) -> tuple:
    """Limits as plotext places bars at category names: at 1, 2, ... (matplotlib's are at
    0, 1, ...), on the y axis for horizontal bars, else on x."""
    named = any(s.bars and s.horizontal == horizontal and _named(s) for s in series)
    return (lim[0] + 1, lim[1] + 1) if named else lim


def _limits(current, low, high, kwargs, low_name: str, high_name: str):
    """set_xlim's arguments: (low, high), ((low, high),), low= / high=; None keeps a side."""
    if type(low) in (list, tuple) and high is None:
        low, high = low
    low = kwargs.get(low_name, low)
    high = kwargs.get(high_name, high)
    old = current or (None, None)
    pair = tuple(old[i] if v is None else float(data(v)) for i, v in enumerate((low, high)))
    return None if pair == (None, None) else pair


MARGIN = 0.05       # matplotlib's axes.xmargin / ymargin


def _shown_limits(limits_set, values: list, log: bool, sticky: list) -> tuple:
    """The limits an axis shows: those set, else matplotlib's autoscaling: the data's range
    (widened by 5% of a value when it is one value), 5% margins on each side (in log space
    on a log axis), none past a sticky value at the data's edge (0 where bars stand on it);
    (0, 1) with no data."""
    low, high = _autoscaled(values, log, sticky)
    if limits_set:
        low = low if limits_set[0] is None else limits_set[0]
        high = high if limits_set[1] is None else limits_set[1]
    return (low, high)


def _autoscaled(values: list, log: bool, sticky: list) -> tuple:
    found = [v[np.isfinite(v) & (v > 0 if log else True)] for v in values]
    found = [v for v in found if v.size]
    if not found:
        return (0.0, 1.0)
    data_low = min(float(v.min()) for v in found)
    data_high = max(float(v.max()) for v in found)
    low, high = (np.log10(data_low), np.log10(data_high)) if log else (data_low, data_high)
    if low == high:
        low, high = (-MARGIN, MARGIN) if low == 0 else (low - MARGIN * abs(low),
                                                          high + MARGIN * abs(high))
    delta = (high - low) * MARGIN
    low, high = low - delta, high + delta
    if log:                                     # matplotlib's inverse of log10
        return (float(np.exp(low * np.log(10))), float(np.exp(high * np.log(10))))
    below = [v for v in sticky if v <= data_low]
    above = [v for v in sticky if v >= data_high]
    low = max(low, max(below)) if below else low
    high = min(high, min(above)) if above else high
    return (float(low), float(high))


def _scale(value) -> str:
    if not is_word(value, *SCALES):
        raise ValueError(f"{shown(value)} is not a valid value for scale.")
    return value


# ---------------------------------------------------------------------- Figure
class Figure(metaclass=ShownClass):
    """A figure: its axes in the order they were made, a title above them."""

    _shown = "matplotlib.figure.Figure"

    def __init__(self, pyplot, number, figsize=None):
        self._pyplot, self._number = pyplot, number
        self._axes, self._suptitle = [], ""
        size = DEFAULT_FIGSIZE if figsize is None else data(figsize).ravel().tolist()
        if len(size) != 2:
            raise ValueError(f"figure size must be a (width, height) pair, not {size}")
        self._size = size

    def __repr__(self):
        w, h = (round(v * DPI) for v in self._size)
        return f"<Figure size {w}x{h} with {len(self._axes)} Axes>"

    def add_subplot(self, *args, **kwargs):
        """add_subplot(nrows, ncols, index), add_subplot(221), add_subplot(): a new Axes."""
        axes = Axes(self, subplot_position(args))
        self._axes.append(axes)
        self._pyplot._current_axes[self] = axes
        return axes

    def gca(self):
        """The current axes (a new one if there is none)."""
        current = self._pyplot._current_axes.get(self)
        return current if current is not None else self.add_subplot()

    def subplots(self, nrows=1, ncols=1, squeeze=True, **kwargs):
        """A grid of new axes: an Axes, or an array of them (as plt.subplots)."""
        for n, name in ((nrows, "nrows"), (ncols, "ncols")):
            if type(n) is not int or n < 1:
                raise ValueError(f"Number of rows must be a positive integer, not {shown(n)}"
                                 if name == "nrows" else
                                 f"Number of columns must be a positive integer, not "
                                 f"{shown(n)}")
        limits.check_result((nrows, ncols), AXES_BYTES)
        grid = np.empty((nrows, ncols), dtype=object)
        for i in range(nrows * ncols):
            grid.flat[i] = self.add_subplot(nrows, ncols, i + 1)
        if flag(squeeze, "squeeze"):
            grid = grid.squeeze() if grid.size > 1 else grid.flat[0]
        return AxesArray(grid) if isinstance(grid, np.ndarray) else grid

    def suptitle(self, t, **style):
        self._suptitle = text_of(t, "suptitle")

    def clf(self):
        """Remove every axes."""
        self._axes.clear()
        self._pyplot._current_axes.pop(self, None)

    clear = clf

    def savefig(self, fname, **kwargs):
        """Draw the figure; tshell writes no image file (a note on stderr says so, once)."""
        self._pyplot.draw_figure(self)
        self._pyplot.note_no_file(fname)

    def show(self, *args, **kwargs):
        """Draw the figure (it stays open)."""
        self._pyplot.draw_figure(self)

    def look(self, *args, **kwargs):
        """Changes the look only: nothing to do in a terminal."""

    tight_layout = set_size_inches = subplots_adjust = set_facecolor = look
    align_labels = align_xlabels = align_ylabels = set_tight_layout = look
    set_constrained_layout = set_layout_engine = set_dpi = set_figwidth = set_figheight = look

    def colorbar(self, mappable, cax=None, ax=None, use_gridspec=True, **kwargs):
        """The scale of an image's or contours' colours, drawn under them."""
        return colorbar_of(mappable)

    def text(self, width: int, color: bool) -> str:
        """The suptitle, then the axes: a grid's rows side by side where the width allows
        (as many of a row's axes as fit, the rest under them), else one after another."""
        lines = [self._suptitle.center(width).rstrip()] if self._suptitle else []
        drawn = [axes for axes in self._axes if axes._host is None]   # twins: on their host
        grid = _grid(drawn)
        fitting = pyplot_draw.columns_fitting(grid[1], width) if grid else 1
        if fitting == 1:
            for axes in drawn:
                lines.extend(axes.text_lines(width, color))
            return "\n".join(lines)
        rows, columns, places = grid
        cell = pyplot_draw.cell_width(fitting, width)
        for row in range(rows):
            for first in range(0, columns, fitting):
                group = [places.get(row * columns + c + 1)
                         for c in range(first, min(first + fitting, columns))]
                if any(axes is not None for axes in group):
                    blocks = [[] if axes is None else axes.text_lines(cell, color)
                              for axes in group]
                    lines.extend(pyplot_draw.side_by_side(blocks, cell))
        return "\n".join(lines)


def _grid(axes: list):
    """(rows, columns, {index: axes}) when the axes share one grid of several columns, one
    at each place; None otherwise (drawn one after another)."""
    if not axes:
        return None
    rows, columns = axes[0]._position[:2]
    places = {a._position[2]: a for a in axes}
    if columns < 2 or len(places) != len(axes) or \
            any(a._position[:2] != (rows, columns) for a in axes):
        return None
    return rows, columns, places


def colorbar_of(mappable) -> Colorbar:
    """colorbar(mappable): its axes draw the colour scale under the image or contours."""
    if isinstance(mappable, (AxesImage, QuadContourSet, PathCollection)):
        axes = mappable._axes
        axes._colorbar = axes._color_scale()
        return Colorbar(axes)
    raise ValueError("Unable to determine Axes to steal space for Colorbar. Either provide "
                     "the *cax* argument to use as the Axes for the Colorbar, provide the "
                     "*ax* argument to steal space from it, or add *mappable* to an Axes.")


def subplot_position(args: tuple) -> tuple:
    """(nrows, ncols, index) from (nrows, ncols, index), (221,) or ()."""
    if not args:
        args = (111,)
    if len(args) == 1:
        code = args[0]
        if type(code) is not int or not 100 < code < 1000:
            raise ValueError(f"Single argument to subplot must be a three-digit integer, "
                             f"not {shown(code)}")
        args = (code // 100, code // 10 % 10, code % 10)
    if len(args) != 3:
        raise TypeError(f"subplot() takes 1 or 3 positional arguments but {len(args)} were "
                        "given")
    rows, cols, index = args
    for n, what in ((rows, "rows"), (cols, "columns")):
        if type(n) is not int or n < 1:
            raise ValueError(f"Number of {what} must be a positive integer, not {shown(n)}")
    if type(index) is not int or not 1 <= index <= rows * cols:
        raise ValueError(f"num must be an integer with 1 <= num <= {rows * cols}, not "
                         f"{shown(index)}")
    return rows, cols, index


# ---------------------------------------------------------------------- the axes array
class AxesArray(metaclass=ShownClass):
    """subplots' array of axes: axes[i], axes[i, j], axes.flat, axes.ravel(), len, for."""

    _shown = "numpy.ndarray"
    __slots__ = ("_grid",)

    def __init__(self, grid: np.ndarray):
        self._grid = grid

    def __repr__(self):
        rows = self._grid if self._grid.ndim == 2 else self._grid.reshape(1, -1)
        texts = ["[" + ", ".join(repr(a) for a in row) + "]" for row in rows]
        body = texts[0] if self._grid.ndim == 1 else "[" + ",\n       ".join(texts) + "]"
        return f"array({body}, dtype=object)"

    def __getitem__(self, index):
        parts = index if type(index) is tuple else (index,)
        if not all(type(p) in (int, slice) and _plain_slice(p) for p in parts):
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis "
                             "(`None`) and integer or boolean arrays are valid indices")
        found = self._grid[index]
        return AxesArray(found) if isinstance(found, np.ndarray) else found

    def __len__(self):
        return len(self._grid)

    def __iter__(self):
        return iter([self[i] for i in range(len(self._grid))])

    @property
    def flat(self) -> list:
        return self._grid.ravel().tolist()

    @property
    def shape(self) -> tuple:
        return self._grid.shape

    @property
    def ndim(self) -> int:
        return self._grid.ndim

    @property
    def size(self) -> int:
        return self._grid.size

    def ravel(self):
        return AxesArray(self._grid.ravel())

    flatten = ravel


def _plain_slice(part) -> bool:
    """A slice of ints or None (a program's object as a bound would run its __index__)."""
    return type(part) is not slice or all(
        v is None or type(v) is int for v in (part.start, part.stop, part.step))


# ---------------------------------------------------------------------- pyplot's state
class Pyplot:
    """One interpreter's pyplot: the open figures (by number) and the current one."""

    def __init__(self, interp):
        self._interp = interp
        self._figures: dict = {}
        self._current = None
        self._current_axes: dict = {}        # figure -> its current axes
        self._noted = False

    def figure(self, num=None, figsize=None, **kwargs):
        if isinstance(num, Figure):
            found = num
        else:
            if num is not None and type(num) not in (int, str):
                raise TypeError(f"int() argument must be a string, a bytes-like object or a "
                                f"real number, not '{sandbox.type_name(num)}'")
            key = num
            found = self._figures.get(key)
            if found is None:
                number = key if type(key) is int else max(
                    [n for n in self._figures if type(n) is int], default=0) + 1
                found = Figure(self, number, figsize)
                self._figures[key if key is not None else number] = found
        self._current = found
        return found

    def gcf(self):
        return self._current if self._current is not None else self.figure()

    def gca(self):
        return self.gcf().gca()

    def subplot(self, *args, **kwargs):
        """The axes at that place of the current figure (made if it has none)."""
        figure = self.gcf()
        position = subplot_position(args)
        for axes in figure._axes:
            if axes._position == position:
                self._current_axes[figure] = axes
                return axes
        return figure.add_subplot(*position)

    def subplots(self, nrows=1, ncols=1, figsize=None, squeeze=True, num=None, **kwargs):
        figure = self.figure(num=num, figsize=figsize)
        return figure, figure.subplots(nrows, ncols, squeeze=squeeze)

    def matshow(self, A, **kwargs):
        """A new figure showing the matrix A."""
        self.figure()
        self.gca().matshow(A, **kwargs)

    def suptitle(self, t, **style):
        self.gcf().suptitle(t)

    def colorbar(self, mappable=None, cax=None, ax=None, **kwargs):
        """The colour scale of mappable, else of the current axes' image or contours."""
        if mappable is None:
            mappable = self._current_mappable()
        return colorbar_of(mappable)

    def _current_mappable(self):
        figure = self.gcf()
        current = self._current_axes.get(figure)
        for axes in [current] + figure._axes[::-1]:
            if axes is not None and axes._image is not None:
                return AxesImage(axes, axes._image[0])
            if axes is not None and axes._contour is not None:
                return QuadContourSet(axes, axes._contour[1])
        raise RuntimeError("No mappable was found to use for colorbar creation. First define "
                           "a mappable such as an image (with imshow) or a contour set (with "
                           "contourf).")

    def twinx(self, ax=None):
        """A twin of ax (the current axes) sharing its x axis."""
        if ax is not None and not isinstance(ax, Axes):
            raise AttributeError(f"'{sandbox.type_name(ax)}' object has no attribute 'twinx'")
        return (self.gca() if ax is None else ax).twinx()

    def clf(self):
        self.gcf().clf()

    def cla(self):
        self.gca().cla()

    def close(self, fig=None):
        """close(), close(fig), close(num) or close("all")."""
        if not (fig is None or type(fig) in (int, str) or isinstance(fig, Figure)):
            raise TypeError(f"'fig' must be an instance of matplotlib.figure.Figure, int, str "
                            f"or None, not a {sandbox.type_name(fig)}")
        if is_word(fig, "all"):
            self._figures.clear()
            self._current = None
            self._current_axes.clear()
            return
        figure = self._current if fig is None else fig if isinstance(fig, Figure) else \
            self._figures.get(fig)
        for key, value in list(self._figures.items()):
            if value is figure:
                del self._figures[key]
        self._current_axes.pop(figure, None)
        if self._current is figure:
            self._current = next(reversed(self._figures.values()), None)

    def show(self, *args, **kwargs):
        """Draw every open figure, then close them all."""
        for figure in list(self._figures.values()):
            self.draw_figure(figure)
        self.close("all")

    def savefig(self, fname, **kwargs):
        self.gcf().savefig(fname)

    def draw_figure(self, figure: Figure) -> None:
        stream = output_stream(self._interp)
        text = figure.text(width_of(stream), use_color(stream))
        if text:
            stream.write(text + "\n")
            stream.flush()

    def note_no_file(self, fname) -> None:
        if not self._noted:
            self._noted = True
            sys.stderr.write(f"tshell: savefig({shown(fname)}) wrote no file: tshell draws "
                             "figures in the terminal only\n")

    def isinteractive(self):
        return False

    def look(self, *args, **kwargs):
        """Changes the look only (or is about an interactive window): nothing to do."""


# pyplot's functions that act on the current axes: name -> Axes method
ON_AXES = {
    "plot": "plot", "scatter": "scatter", "bar": "bar", "hist": "hist", "imshow": "imshow",
    "semilogy": "semilogy", "semilogx": "semilogx", "loglog": "loglog",
    "title": "set_title", "xlabel": "set_xlabel", "ylabel": "set_ylabel", "legend": "legend",
    "xlim": None, "ylim": None, "xscale": "set_xscale", "yscale": "set_yscale", "axis": "axis",
    **{name: name for name in ("text annotate axhline axvline hlines vlines fill_between "
                               "errorbar barh pie contour contourf step stem boxplot").split()},
}
OWN = ("figure gcf gca subplot subplots matshow suptitle clf cla close show savefig "
       "isinteractive colorbar twinx").split()
LOOK_ONLY = ("tight_layout grid xticks yticks pause ion ioff draw subplots_adjust margins rc "
             "box minorticks_on minorticks_off interactive tick_params autoscale "
             "locator_params ticklabel_format clabel").split()
AXES_LOOKS = ("grid set_xticks set_yticks set_xticklabels set_yticklabels set_aspect "
              "tick_params margins set_facecolor clabel autoscale locator_params "
              "ticklabel_format minorticks_on minorticks_off label_outer set_xmargin "
              "set_ymargin").split()
AXES_METHODS = ("plot scatter bar hist imshow matshow semilogy semilogx loglog set_title "
                "set_xlabel set_ylabel get_title get_xlabel get_ylabel legend set_xlim "
                "set_ylim get_xlim get_ylim set_xscale set_yscale set axis cla clear text "
                "annotate axhline axvline hlines vlines fill_between errorbar barh pie contour "
                "contourf step stem boxplot twinx axes get_xaxis get_yaxis xaxis "
                "yaxis").split() + AXES_LOOKS
FIGURE_METHODS = ("add_subplot gca subplots suptitle savefig show tight_layout colorbar clf "
                  "clear set_size_inches subplots_adjust set_facecolor align_labels "
                  "align_xlabels align_ylabels set_tight_layout set_constrained_layout "
                  "set_layout_engine set_dpi set_figwidth set_figheight").split()
ARRAY_ATTRIBUTES = "flat shape ndim size ravel flatten".split()

sandbox.register(Axes, AXES_METHODS)
sandbox.register(Figure, FIGURE_METHODS)
sandbox.register(AxesArray, ARRAY_ATTRIBUTES)


def _numpy_errors_at_the_doors():
    """Every method a program may call raises the np stand-in's twins of NumPy's exceptions
    (NumPy's own carry raw objects: _ArrayMemoryError's args hold a NumPy dtype)."""
    doors = [(Axes, AXES_METHODS), (Figure, FIGURE_METHODS), (AxesArray, ARRAY_ATTRIBUTES),
             (Pyplot, OWN + ["look"])]
    doors += [(cls, names.split()) for cls, names in ARTIST_NAMES.items()]
    for cls, names in doors:
        for name in names:
            method = getattr(cls, name, None)      # Axes' marks are its base class's
            if isinstance(method, types.FunctionType):
                setattr(cls, name, np_arrays.numpy_errors(method))


_numpy_errors_at_the_doors()


def _function(name: str, call):
    """A plain function named as pyplot's (`<function plot at 0x...>`), calling `call` (a
    door of _numpy_errors_at_the_doors, or a call of one)."""
    def function(*args, **kwargs):
        return call(*args, **kwargs)
    function.__name__ = function.__qualname__ = name
    function.__doc__ = getattr(call, "__doc__", None)
    return function


def _on_axes(pyplot: Pyplot, name: str, method):
    if method is None:                      # xlim(...) sets when given arguments, then reads
        def limits_call(*args, **kwargs):
            axes = pyplot.gca()
            if args or kwargs:
                return getattr(axes, f"set_{name}")(*args, **kwargs)
            return getattr(axes, f"get_{name}")()
        return _function(name, limits_call)
    return _function(name, lambda *args, **kwargs: getattr(pyplot.gca(), method)(*args,
                                                                                 **kwargs))


def pyplot_members(interp) -> dict:
    """matplotlib.pyplot's members for one interpreter."""
    pyplot = Pyplot(interp)
    members = {name: _on_axes(pyplot, name, method) for name, method in ON_AXES.items()}
    members.update({name: _function(name, getattr(pyplot, name)) for name in OWN})
    members.update({name: _function(name, pyplot.look) for name in LOOK_ONLY})
    return members


def matplotlib_members(interp) -> dict:
    """matplotlib's members: pyplot, use() (any backend: tshell's is the terminal),
    rcParams (a dict a program may write; it changes nothing) and style.use()."""
    rc_params: dict = {}
    style = Namespace("matplotlib.style", {"use": _function("use", _accept),
                                           "available": ["default", "classic", "ggplot"]})
    pyplot = pyplot_members(interp)
    pyplot.update(rcParams=rc_params, style=style)
    return {"pyplot": Namespace("matplotlib.pyplot", pyplot), "rcParams": rc_params,
            "style": style, "use": _function("use", _accept)}


def _accept(*args, **kwargs):
    """Nothing to change: tshell draws in the terminal whatever is asked."""
