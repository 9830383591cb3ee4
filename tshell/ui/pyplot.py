"""`import matplotlib.pyplot as plt` in tsh programs: figures drawn in the terminal.

Each interpreter has its own pyplot (`Pyplot`: the open figures, the current one); `Figure`
and `Axes` record what a program draws, and `show()` draws every open figure on the
interpreter's output, axes after axes (a title, then a chart through plot.chart or a picture
through picture.py), then closes them, as matplotlib's non-interactive show does. Calls that
only change the look (tight_layout, grid, colorbar...) are accepted and change nothing
(docs/repl.md lists them). A program gets these objects' methods and nothing else: their
names are registered with the sandbox here, and data reaches NumPy only as tensors, the np
stand-in's arrays, numbers and lists or tuples of them, so no code of the program runs
while a figure is read or drawn (docs/security.md).
"""

from __future__ import annotations

import sys
import types

import numpy as np
from numpy.lib import _histograms_impl as _histograms

from tshell.core import limits
from tshell.core.tensor import Tensor
from tshell.lang import runtime, sandbox
from tshell.lang.namespace import Namespace
from tshell.lang.standins.numpy import arrays as np_arrays

from . import picture
from .console import output_stream, use_color
from .plot import BIN_BYTES, VALUE_BYTES, Frame, Series, chart, width_of

NUMBERS = (int, float, bool)
TEXTS = (str, int, float, bool)
AXES_BYTES = 2048             # an Axes and its bookkeeping, for subplots(n, m)'s count
MAX_DATA_DEPTH = 3            # an image's rows, columns and channels
DEFAULT_FIGSIZE = (6.4, 4.8)
DPI = 100
MARKERS = set(".,ov^<>1234sp*hH+xXDd|_P8")
LINE_STYLES = ("--", "-.", "-", ":")
COLORS = set("bgrcmykw")
SCALES = ("asinh", "function", "functionlog", "linear", "log", "logit", "mercator", "symlog")


class ShownClass(type):
    """type(fig) prints as matplotlib's class (its `_shown` path)."""

    def __repr__(cls):
        return f"<class '{cls.__dict__['_shown']}'>"


# ---------------------------------------------------------------------- data
def data(value) -> np.ndarray:
    """A program's data as float64 values: tensors (through numpy(), which refuses one that
    requires grad as matplotlib's np.asarray does), np arrays, numbers, and lists or tuples
    of these; anything else is refused without calling it (its __float__ or __iter__ would
    run the program's code inside the drawing)."""
    values = _array(value, 0)
    limits.check_dense(values, VALUE_BYTES)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"can't plot values of type {values.dtype}")
    return values.astype(np.float64)


def _array(value, depth: int) -> np.ndarray:
    cls = type(value)
    if isinstance(value, Tensor):
        return Tensor.numpy(value)          # Tensor's own: a subclass's override never runs
    if cls is np_arrays.ndarray:
        return value._a
    if cls in NUMBERS:
        return np.asarray(float(value))
    if cls is list or cls is tuple:
        if depth >= MAX_DATA_DEPTH:
            raise ValueError("can't plot data nested more than 3 lists deep")
        if all(type(v) in NUMBERS for v in value):
            return np.array(value, dtype=np.float64)
        parts = [_array(v, depth + 1) for v in value]
        # a list of expanded tensors (views of a few bytes) would stack into far more
        limits.check_result((sum(p.size for p in parts),), 8)
        return np.array(parts)
    raise TypeError(f"float() argument must be a string or a real number, not "
                    f"'{sandbox.type_name(value)}'")


def np_array(values: np.ndarray):
    """values as the program's np arrays are (the np stand-in, loaded at its first use)."""
    runtime.numpy_standin()
    return np_arrays.wrap(values)


def text_of(value, what: str) -> str:
    """A title or label: text, a number, or a 0-d tensor's value."""
    if type(value) in TEXTS:
        return str(value)
    if isinstance(value, Tensor) and Tensor.dim(value) == 0:
        return str(Tensor.item(value))
    raise TypeError(f"{what} must be a str, not '{sandbox.type_name(value)}'")


def flag(value, what: str) -> bool:
    """A True/False option (a number too), read without calling a program's __bool__."""
    if type(value) in NUMBERS:
        return bool(value)
    raise TypeError(f"{what} must be a bool, not '{sandbox.type_name(value)}'")


def is_word(value, *words) -> bool:
    """value is one of these strings (compared only when it is a str: `in` on a program's
    object would call its __eq__)."""
    return type(value) is str and value in words


def shown(value) -> str:
    """A value as a message shows it: repr() of a str or number, a program's object by its
    type (repr() would call its __repr__)."""
    return repr(value) if type(value) in TEXTS else f"<{sandbox.type_name(value)} object>"


def _finite_points(x: np.ndarray, y: np.ndarray, xlog: bool, ylog: bool) -> tuple:
    """The points a chart can place: finite, and positive on a log axis (matplotlib leaves
    the others out too)."""
    keep = np.isfinite(x) & np.isfinite(y)
    if xlog:
        keep &= x > 0
    if ylog:
        keep &= y > 0
    return x[keep].tolist(), y[keep].tolist()


def parse_format(fmt: str) -> bool:
    """Whether a format string ('r-', 'o', 'g--', 'x:') draws lines: markers alone do not."""
    rest, style, marker = fmt, None, None
    for line in LINE_STYLES:
        if line in rest:
            style, rest = line, rest.replace(line, "", 1)
            break
    for c in rest:
        if c in MARKERS and marker is None:
            marker = c
        elif c not in COLORS:
            raise ValueError(f"'{fmt}' is not a valid format string (unrecognized character "
                             f"'{c}')")
    return style is not None or marker is None


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
class Axes(metaclass=ShownClass):
    """What a program draws on one set of axes: series, an image, texts, limits, scales."""

    _shown = "matplotlib.axes._axes.Axes"

    def __init__(self, figure, position: tuple):
        self._figure, self._position = figure, position
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

    def bar(self, x, height, width=0.8, bottom=None, label=None, **style):
        """Bars of the given heights at x (numbers, or category names)."""
        names = type(x) in (list, tuple) and x and all(type(v) is str for v in x)
        xs = list(x) if names else data(x).ravel()
        heights = np.broadcast_to(data(height).ravel(), (len(xs),))
        text = None if label is None else text_of(label, "label")
        bar_width = float(data(width))
        if names:
            self._series.append(Series(xs, heights.tolist(), text, bars=True, width=bar_width))
        else:
            self._add(xs, heights, label, bars=True).width = bar_width

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
        image = _array(X, 0)
        if not (image.ndim == 2 or image.ndim == 3 and image.shape[-1] in (3, 4)):
            raise TypeError(f"Invalid shape {tuple(image.shape)} for image data")
        if image.dtype.kind not in "biuf":
            raise TypeError(f"Image data of dtype {image.dtype} cannot be converted to float")
        limits.check_dense(image, picture.VALUE_BYTES * 3)
        bounds = [None if v is None else float(data(v)) for v in (vmin, vmax)]
        self._image = (image, None if cmap is None else text_of(cmap, "cmap"), *bounds)

    matshow = imshow

    def _add(self, x, y, label, lines=True, bars=False) -> Series:
        text = None if label is None else text_of(label, "label")
        series = Series(np.asarray(x, dtype=np.float64), np.asarray(y), text, lines=lines,
                        bars=bars)
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
        extents = []
        for s in self._series:
            x = np.arange(len(s.x), dtype=np.float64) if _named(s) else s.x
            left = x - s.width / 2                  # as matplotlib places a bar's edges
            extents.extend((left, left + s.width) if s.bars else (x,))
        return _shown_limits(self._xlim, extents, self._xscale == "log", sticky=False)

    def get_ylim(self):
        extents = [np.asarray(s.y, dtype=np.float64) for s in self._series]
        bars = any(s.bars for s in self._series)
        if bars:
            extents.append(np.zeros(1))         # bars stand on 0
        return _shown_limits(self._ylim, extents, self._yscale == "log", sticky=bars)

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
    tick_params = margins = set_facecolor = look

    # drawing
    def text_lines(self, width: int, color: bool) -> list:
        """The axes as lines of text: a title, then the picture or the chart."""
        if self._image is not None:
            image, cmap, vmin, vmax = self._image
            text, columns = picture.picture(image, width, color, cmap, vmin, vmax)
            lines = [self._title.center(columns).rstrip()] if self._title else []
            lines.append(text)
            if not self._series:
                return lines
        elif not self._series and not self._visible:
            return [self._title] if self._title else []
        else:
            lines = []
        return lines + [self._chart(width, color)]

    def _chart(self, width: int, color: bool) -> str:
        xlog, ylog = self._xscale == "log", self._yscale == "log"
        series = []
        for s in self._series:
            if _named(s):
                series.append(s)
                continue
            x, y = _finite_points(s.x, s.y, xlog, ylog)
            if x:
                series.append(Series(x, y, s.label, s.lines, s.bars))
        frame = Frame(self._title or None, self._xlabel or None, self._ylabel or None,
                      self._xlim, self._ylim, xlog, ylog, self._legend)
        return chart(series, frame, width, color)


class Line2D(metaclass=ShownClass):
    """A line plot() drew: `line, = ax.plot(x, y)`, then its label or data changed."""

    _shown = "matplotlib.lines.Line2D"
    __slots__ = ("_axes", "_series")

    def __init__(self, axes: Axes, series: Series):
        self._axes, self._series = axes, series

    def __repr__(self):
        return f"<matplotlib.lines.Line2D object at {id(self):#x}>"

    def get_label(self):
        label = self._series.label
        if label is not None:
            return label
        return f"_child{next(i for i, s in enumerate(self._axes._series) if s is self._series)}"

    def set_label(self, s):
        self._series.label = None if s is None else text_of(s, "label")

    def get_xdata(self):
        return np_array(self._series.x.copy())

    def get_ydata(self):
        return np_array(self._series.y.copy())

    def set_data(self, x, y):
        xs, ys = data(x).ravel(), data(y).ravel()
        if len(xs) != len(ys):
            raise RuntimeError("xdata and ydata must be the same length")
        self._series.x, self._series.y = xs, ys

    def set_xdata(self, x):
        self._series.x = data(x).ravel()

    def set_ydata(self, y):
        self._series.y = data(y).ravel()

    def look(self, *args, **kwargs):
        """Changes the look only: nothing to do in a terminal."""

    set_color = set_linewidth = set_linestyle = set_marker = set_alpha = look


AXIS_LOOKS = ("equal", "tight", "scaled", "auto", "image", "square")
SETTABLE = ("title", "xlabel", "ylabel", "xlim", "ylim", "xscale", "yscale")


def _named(series: Series) -> bool:
    """Bars at category names (their x is the list of names; numbers are in an array)."""
    return isinstance(series.x, list)


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


def _shown_limits(limits_set, values: list, log: bool, sticky: bool) -> tuple:
    """The limits an axis shows: those set, else matplotlib's autoscaling: the data's range
    (widened by 5% of a value when it is one value), 5% margins on each side (in log space
    on a log axis), none past 0 where bars stand on it (sticky); (0, 1) with no data."""
    low, high = _autoscaled(values, log, sticky)
    if limits_set:
        low = low if limits_set[0] is None else limits_set[0]
        high = high if limits_set[1] is None else limits_set[1]
    return (low, high)


def _autoscaled(values: list, log: bool, sticky: bool) -> tuple:
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
    if sticky:
        low = 0.0 if data_low == 0 else low
        high = 0.0 if data_high == 0 else high
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

    tight_layout = colorbar = set_size_inches = subplots_adjust = set_facecolor = look

    def text(self, width: int, color: bool) -> str:
        lines = [self._suptitle.center(width).rstrip()] if self._suptitle else []
        for axes in self._axes:
            lines.extend(axes.text_lines(width, color))
        return "\n".join(lines)


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
}
OWN = ("figure gcf gca subplot subplots matshow suptitle clf cla close show savefig "
       "isinteractive").split()
LOOK_ONLY = ("tight_layout grid xticks yticks colorbar pause ion ioff draw subplots_adjust "
             "margins rc box minorticks_on interactive tick_params").split()
AXES_METHODS = ("plot scatter bar hist imshow matshow semilogy semilogx loglog set_title "
                "set_xlabel set_ylabel get_title get_xlabel get_ylabel legend set_xlim "
                "set_ylim get_xlim get_ylim set_xscale set_yscale set grid axis set_xticks "
                "set_yticks set_xticklabels set_yticklabels set_aspect tick_params margins "
                "set_facecolor cla clear").split()
FIGURE_METHODS = ("add_subplot gca subplots suptitle savefig show tight_layout colorbar clf "
                  "clear set_size_inches subplots_adjust set_facecolor").split()
ARRAY_ATTRIBUTES = "flat shape ndim size ravel flatten".split()
LINE_METHODS = ("get_label set_label get_xdata get_ydata set_data set_xdata set_ydata "
                "set_color set_linewidth set_linestyle set_marker set_alpha").split()

sandbox.register(Axes, AXES_METHODS)
sandbox.register(Figure, FIGURE_METHODS)
sandbox.register(AxesArray, ARRAY_ATTRIBUTES)
sandbox.register(Line2D, LINE_METHODS)


def _numpy_errors_at_the_doors():
    """Every method a program may call raises the np stand-in's twins of NumPy's exceptions
    (NumPy's own carry raw objects: _ArrayMemoryError's args hold a NumPy dtype)."""
    for cls, names in ((Axes, AXES_METHODS), (Figure, FIGURE_METHODS),
                       (AxesArray, ARRAY_ATTRIBUTES), (Line2D, LINE_METHODS)):
        for name in names:
            method = cls.__dict__.get(name)
            if isinstance(method, types.FunctionType):
                setattr(cls, name, np_arrays.numpy_errors(method))


_numpy_errors_at_the_doors()


def _function(name: str, call):
    """A plain function named as pyplot's (`<function plot at 0x...>`), calling `call`."""
    checked = np_arrays.numpy_errors(call)

    def function(*args, **kwargs):
        return checked(*args, **kwargs)
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
