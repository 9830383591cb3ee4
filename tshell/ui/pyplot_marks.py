"""The Axes drawing functions beyond plot/scatter/bar/hist/imshow, as matplotlib 3.11 names
them, their arguments, defaults, errors and return values: texts and annotations, lines
across the axes, hlines/vlines, fill_between, errorbar, barh, pie, contour/contourf, step,
stem, boxplot. `Marks` is a base class of pyplot.Axes; what each records is drawn by
Axes.text_lines (docs/repl.md says how each looks in a terminal)."""

from __future__ import annotations

import math

import numpy as np

from tshell.core import limits
from tshell.lang import guards, sandbox

from .plot import Series
from .pyplot_artists import (Annotation, BarContainer, ErrorbarContainer,
                             FillBetweenPolyCollection, Line2D, LineCollection, PieContainer,
                             QuadContourSet, Rectangle, StemContainer, Text, Wedge)
from .pyplot_data import (NUMBERS, TEXTS, data, flag, is_word, np_array, parse_format, shown,
                          text_of)

# What a drawn text or rule costs, and what a line, a marker series or a segment costs:
# plotext draws each signal on a canvas of its own (measured: 220 KB per line or segment at
# 80 columns, 100 at most; 420 to 740 KB per bar series; 3.6 MB per fill_between region),
# checked against the memory cap as an axes collects them (10**4 two-point lines took 2 GiB).
MARK_BYTES = 4096
SIGNAL_BYTES = 64 * MARK_BYTES
BAR_BYTES = 4 * SIGNAL_BYTES
FILL_BYTES = 16 * SIGNAL_BYTES
CONTOUR_LEVELS = 7             # matplotlib's default level count
LOCATOR_STEPS = np.array([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10])   # MaxNLocator's default
BOX_WIDTH = 0.5               # a box's widest default width, in the positions' units
BOX_SHARE = 0.15              # else this share of the positions' spread
WHISKERS = 1.5


def number(value):
    """One coordinate: a plain number as given (Text(1, 2, 'a') prints it so), else the one
    value of a tensor or array."""
    if type(value) in NUMBERS:
        return value
    values = data(value)
    if values.size != 1:
        raise ValueError("The truth value of an array with more than one element is "
                         "ambiguous. Use a.any() or a.all()")
    return float(values.ravel()[0])


def fraction(value, what: str) -> float:
    """An axes fraction (axhline's xmin...): a plain number."""
    if type(value) not in NUMBERS:
        got = value if type(value) in TEXTS else shown(value)
        raise ValueError(f"{what} must be a single scalar value, but got {got}")
    return float(value)


def _values(value) -> np.ndarray:
    return data(value).ravel()


def _spread(value, n: int) -> np.ndarray:
    """value broadcast to n values, with the message NumPy's assignment gives matplotlib."""
    values = _values(value)
    if values.size not in (1, n):
        raise ValueError(f"could not broadcast input array from shape ({values.size},) into "
                         f"shape ({n},)")
    return np.broadcast_to(values, (n,)).copy()


def _choice(value, what: str, *words):
    if not is_word(value, *words):
        supported = ", ".join(repr(w) for w in words)
        raise ValueError(f"{shown(value)} is not a valid value for {what}. Supported values "
                         f"are {supported}")
    return value


class Marks:
    """Axes' drawing functions that record texts, rules, segments, fills, pies and contours
    (pyplot.Axes keeps the lists: _series, _texts, _rules, _pie, _contour)."""

    # texts
    def text(self, x, y, s, fontdict=None, **kwargs):
        """s at data coordinates (x, y)."""
        mark = self._mark([number(x), number(y), text_of(s, "text")])
        return Text(mark)

    def annotate(self, text, xy, xytext=None, xycoords="data", textcoords=None,
                 arrowprops=None, annotation_clip=None, **kwargs):
        """text at xytext (else at xy); with arrowprops, a line from the text to xy."""
        x, y = (number(v) for v in _pair(xy, "xy"))
        at = (x, y) if xytext is None or not _in_data(textcoords) else \
            tuple(number(v) for v in _pair(xytext, "xytext"))
        mark = self._mark([at[0], at[1], text_of(text, "text")])
        if arrowprops is not None and at != (x, y):
            self._segments([at[0], x], [at[1], y], None)
        return Annotation(mark, (x, y))

    def _mark(self, mark: list) -> list:
        self._count_marks(1)
        self._texts.append(mark)
        return mark

    def _count_marks(self, n: int, each: int = MARK_BYTES) -> None:
        self._marks += n * (each // MARK_BYTES)
        limits.check_result((self._marks,), MARK_BYTES)

    # lines across the axes, segments
    def axhline(self, y=0, xmin=0, xmax=1, **kwargs):
        """A horizontal line at y, from xmin to xmax (fractions of the axes' width)."""
        return self._rule(number(y), False, fraction(xmin, "xmin"),
                          fraction(xmax, "xmax"))

    def axvline(self, x=0, ymin=0, ymax=1, **kwargs):
        """A vertical line at x, from ymin to ymax (fractions of the axes' height)."""
        return self._rule(number(x), True, fraction(ymin, "ymin"),
                          fraction(ymax, "ymax"))

    def _rule(self, position, vertical: bool, low: float, high: float):
        """A line across the axes; like matplotlib's, it widens the limits only when it
        lies outside them as they are now."""
        self._count_marks(1)
        shown_low, shown_high = self.get_xlim() if vertical else self.get_ylim()
        scales = not shown_low <= float(position) <= shown_high
        rule = (float(position), vertical, low, high, scales)
        self._rules.append(rule)
        ends = np.array([low, high])
        line = Series(np.full(2, float(position)), ends) if vertical else \
            Series(ends, np.full(2, float(position)))
        return Line2D(self, line)

    def hlines(self, y, xmin, xmax, colors=None, linestyles="solid", *, label="", **kwargs):
        """Horizontal segments at each y from xmin to xmax."""
        ys = _values(y)
        starts, ends = _spread(xmin, ys.size), _spread(xmax, ys.size)
        return self._collection(starts, ends, ys, ys, label)

    def vlines(self, x, ymin, ymax, colors=None, linestyles="solid", *, label="", **kwargs):
        """Vertical segments at each x from ymin to ymax."""
        xs = _values(x)
        starts, ends = _spread(ymin, xs.size), _spread(ymax, xs.size)
        return self._collection(xs, xs, starts, ends, label)

    def _collection(self, x0, x1, y0, y1, label) -> LineCollection:
        x = np.stack([x0, x1], axis=1).ravel()
        y = np.stack([y0, y1], axis=1).ravel()
        self._segments(x, y, None if is_word(label, "") else label)
        return LineCollection(np.stack([np.stack([x0, y0], 1), np.stack([x1, y1], 1)], 1))

    def _segments(self, x, y, label) -> Series:
        """Separate segments, points 0-1, 2-3...: each drawn (and counted) on its own."""
        self._count_marks(len(x) // 2, SIGNAL_BYTES)
        series = self._add(x, y, label)
        series.segments = True
        return series

    # shaded regions
    def fill_between(self, x, y1, y2=0, where=None, interpolate=False, step=None, **kwargs):
        """The region between y1 and y2 over x (where where is true), shaded."""
        xs = _values(x)
        lows, highs = (_sized(v, name, xs.size) for v, name in ((y1, "y1"), (y2, "y2")))
        if where is not None:
            keep = _sized(where, "where", xs.size) != 0
            xs, lows, highs = xs[keep], lows[keep], highs[keep]
        if step is not None:
            _choice(step, "step", "pre", "post", "mid")
        self._count_marks(1, FILL_BYTES)
        series = self._add(xs, lows, kwargs.get("label"), lines=False)
        series.fill_to = highs
        return FillBetweenPolyCollection()

    # error bars, horizontal bars
    def errorbar(self, x, y, yerr=None, xerr=None, fmt="", *, ecolor=None, elinewidth=None,
                 capsize=None, barsabove=False, lolims=False, uplims=False, xlolims=False,
                 xuplims=False, errorevery=1, capthick=None, elinestyle=None, **kwargs):
        """The points (a line unless fmt says otherwise) and a bar of ± err at each."""
        xs, ys = _values(x), _values(y)
        if xs.size != ys.size:
            raise ValueError(f"'x' (shape: {xs.shape}) and 'y' (shape: {ys.shape}) must have "
                             "the same size")
        if type(fmt) is not str:
            raise TypeError(f"fmt must be a str, not '{sandbox.type_name(fmt)}'")
        line = None
        if not is_word(fmt, "none", "None"):
            lines = parse_format(fmt) if fmt else True
            series = self._add(xs, ys, kwargs.get("label"), lines=lines)
            line = Line2D(self, series)
        bars = []
        for err, name, along_x in ((xerr, "xerr", True), (yerr, "yerr", False)):
            if err is None:
                continue
            low, high = _errors(err, name, "x" if along_x else "y", ys.size)
            if along_x:
                bars.append(self._collection(xs - low, xs + high, ys, ys, ""))
            else:
                bars.append(self._collection(xs, xs, ys - low, ys + high, ""))
        return ErrorbarContainer((line, (), tuple(bars)), xerr is not None, yerr is not None)

    def barh(self, y, width, height=0.8, left=None, *, align="center", **kwargs):
        """Horizontal bars of the given widths at y (numbers, or category names)."""
        _choice(align, "align", "center", "edge")
        names = _names(y)
        positions = np.arange(len(y), dtype=np.float64) if names else _values(y)
        widths = _values(width)
        if widths.size not in (1, positions.size) and positions.size != 1:
            raise ValueError(f"shape mismatch: objects cannot be broadcast to a single shape."
                             f"  Mismatch is between 'width' with shape ({widths.size},) and "
                             f"'y' with shape ({positions.size},).")
        n = max(widths.size, positions.size)
        positions, widths = np.broadcast_to(positions, (n,)), np.broadcast_to(widths, (n,))
        thickness = float(number(height))
        series = self._add(list(y) if names else positions, widths, kwargs.get("label"),
                           bars=True)
        series.horizontal, series.width = True, thickness
        offset = thickness / 2 if is_word(align, "center") else 0.0
        patches = [Rectangle(0, p - offset, w, thickness) for p, w in zip(positions, widths)]
        return BarContainer(patches, widths.copy())

    # pie
    def pie(self, x, *, explode=None, labels=None, colors=None, autopct=None, pctdistance=0.6,
            shadow=False, labeldistance=1.1, startangle=0, radius=1, counterclock=True,
            wedgeprops=None, textprops=None, center=(0, 0), frame=False, rotatelabels=False,
            normalize=True, hatch=None):
        """Wedges of x's shares, drawn as a table of labelled shares (docs/repl.md)."""
        values = data(x)
        if values.ndim > 1:
            raise ValueError("x must be 1D")
        values = values.ravel()
        if (values < 0).any():
            raise ValueError("Wedge sizes 'x' must be non negative values")
        total = values.sum()
        if total == 0:
            raise ValueError("All wedge sizes are zero")
        if flag(normalize, "normalize"):
            fracs = values / total
        elif total > 1:
            raise ValueError("Cannot plot an unnormalized pie with sum(x) > 1")
        else:
            fracs = values
        names = _texts(labels, "labels", values.size)
        offsets = np.zeros(values.size) if explode is None else \
            _sized_as(explode, "explode", values.size)
        if callable(autopct):           # callable() reads the type's slots: nothing runs
            raise TypeError("autopct: tshell takes a format string such as '%1.1f%%' (a "
                            "function would run inside the drawing)")
        if autopct is not None and type(autopct) is not str:
            raise TypeError("autopct must be callable or a format string")
        self._count_marks(values.size)
        return self._wedges(fracs, values, names, offsets, autopct, number(startangle),
                            flag(counterclock, "counterclock"),
                            float(number(radius)),
                            [float(number(v)) for v in _pair(center, "center")],
                            float(number(pctdistance)),
                            float(number(labeldistance)))

    def _wedges(self, fracs, values, names, offsets, autopct, startangle, counterclock,
                radius, center, pctdistance, labeldistance) -> PieContainer:
        """matplotlib's wedge angles and text places (its label and percent texts)."""
        wedges, label_texts, pct_texts, rows = [], [], [], []
        theta1 = startangle / 360
        for frac, name, offset in zip(fracs, names, offsets):
            theta2 = theta1 + frac if counterclock else theta1 - frac
            middle = math.pi * (theta1 + theta2)
            cx = center[0] + offset * math.cos(middle)
            cy = center[1] + offset * math.sin(middle)
            wedges.append(Wedge(360 * min(theta1, theta2), 360 * max(theta1, theta2)))
            label = [cx + labeldistance * radius * math.cos(middle),
                     cy + labeldistance * radius * math.sin(middle), name]
            label_texts.append(Text(label))
            pct = None
            if autopct is not None:
                pct = [cx + pctdistance * radius * math.cos(middle),
                       cy + pctdistance * radius * math.sin(middle),
                       _percent(autopct, 100 * frac)]
                pct_texts.append(Text(pct))
            rows.append((label, pct, float(frac)))
            theta1 = theta2
        self._pie = rows
        texts = [label_texts] + ([pct_texts] if autopct is not None else [])
        return PieContainer(wedges, texts, values)

    # contours
    def contour(self, *args, levels=None, **kwargs):
        """Contour lines of Z (contour(Z), contour(X, Y, Z), with levels: a count or
        values), drawn as a picture of the level lines."""
        return self._contours(args, levels, filled=False)

    def contourf(self, *args, levels=None, **kwargs):
        """Filled contours: a picture of the bands between levels."""
        return self._contours(args, levels, filled=True)

    def _contours(self, args: tuple, levels, filled: bool) -> QuadContourSet:
        if len(args) in (2, 4):
            args, levels = args[:-1], args[-1]
        if len(args) not in (1, 3):
            raise TypeError(f"contour() takes 1 or 3 positional arguments but {len(args)} "
                            "were given")
        z = data(args[-1])
        if z.ndim != 2:
            raise TypeError(f"Input z must be 2D, not {z.ndim}D")
        limits.check_dense(z, 8)
        if len(args) == 3:
            _check_grid(data(args[0]), data(args[1]), z.shape)
        if type(levels) is int:         # levels=10**8: the nice values are made first
            limits.check_result((levels + 1,), MARK_BYTES)
        found = contour_levels(z, levels, filled)
        self._count_marks(len(found))
        self._contour = (z, found, filled)
        return QuadContourSet(self, found)

    # steps, stems, boxes
    def step(self, x, y, *args, where="pre", **kwargs):
        """A staircase through (x, y): each y held from its x back to the one before (pre),
        on to the next (post), or half way to both (mid)."""
        _choice(where, "where", "pre", "post", "mid")
        xs, ys = _values(x), _values(y)
        if xs.size != ys.size:
            raise ValueError(f"x and y must have same first dimension, but have shapes "
                             f"{xs.shape} and {ys.shape}")
        sx, sy = staircase(xs, ys, where)
        return self.plot(np_array(sx), np_array(sy), *args, **kwargs)

    def stem(self, *args, linefmt=None, markerfmt=None, basefmt=None, bottom=0, label=None,
             orientation="vertical"):
        """A stem from bottom to each value, a marker at its top, a baseline at bottom."""
        _choice(orientation, "orientation", "horizontal", "vertical")
        data_args = [a for a in args if type(a) is not str]
        if len(data_args) > 1:
            places = _values(data_args[0])
            heads = _spread(data_args[1], places.size)
        else:
            heads = _values(data_args[0] if data_args else [])
            places = np.arange(heads.size, dtype=np.float64)
        if heads.size == 0:
            raise ValueError("zero-size array to reduction operation minimum which has no "
                             "identity")
        base = float(number(bottom))
        roots = np.full(heads.size, base)
        vertical = orientation == "vertical"
        if vertical:
            stems = self._collection(places, places, roots, heads, "")
            marker = self._add(places, heads, label, lines=False)
            baseline = self._add([places.min(), places.max()], [base, base], None)
        else:
            stems = self._collection(roots, heads, places, places, "")
            marker = self._add(heads, places, label, lines=False)
            baseline = self._add([base, base], [places.min(), places.max()], None)
        return StemContainer((Line2D(self, marker), stems, Line2D(self, baseline)))

    def boxplot(self, x, *, notch=None, sym=None, vert=None, orientation="vertical",
                whis=None, positions=None, widths=None, patch_artist=None, bootstrap=None,
                usermedians=None, conf_intervals=None, meanline=None, showmeans=None,
                showcaps=None, showbox=None, showfliers=None, boxprops=None,
                tick_labels=None, flierprops=None, medianprops=None, meanprops=None,
                capprops=None, whiskerprops=None, manage_ticks=True, autorange=False,
                zorder=None, capwidths=None, label=None):
        """A box from the first to the third quartile with the median, whiskers to the last
        values within 1.5 IQR, and the values beyond as points (matplotlib's statistics)."""
        _choice(orientation, "orientation", "horizontal", "vertical")
        columns = box_columns(x)
        if tick_labels is not None:
            _texts(tick_labels, "tick_labels", len(columns), labels_of_columns=True)
        places = np.arange(1, len(columns) + 1, dtype=np.float64) if positions is None else \
            _spread(positions, len(columns))
        distance = float(places.max() - places.min()) if len(columns) else 0.0
        sizes = _spread(min(BOX_SHARE * max(distance, 1.0), BOX_WIDTH) if widths is None
                        else widths, len(columns))
        if len(columns):
            self._spans.append((float(places.min()) - 0.5, float(places.max()) + 0.5,
                                orientation == "horizontal"))
        self._count_marks(9 * len(columns))
        parts = {"whiskers": [], "caps": [], "boxes": [], "medians": [], "fliers": [],
                 "means": []}
        for column, place, size in zip(columns, places, sizes):
            stats = box_stats(column, whis)
            for name, (xs, ys, lines) in box_shapes(stats, place, size):
                if orientation == "horizontal":
                    xs, ys = ys, xs
                parts[name].append(Line2D(self, self._add(xs, ys, None, lines=lines)))
        return parts


def _pair(value, what: str) -> tuple:
    if type(value) not in (list, tuple) or len(value) != 2:
        values = data(value).ravel()
        if values.size != 2:
            raise ValueError(f"{what} must be an (x, y) pair")
        return tuple(values.tolist())
    return tuple(value)


def _in_data(coords) -> bool:
    """annotate's textcoords: data coordinates (None is xycoords', 'data' by default); an
    offset in points places the text at xy in a terminal."""
    return coords is None or is_word(coords, "data")


def _sized(value, name: str, n: int) -> np.ndarray:
    values = _values(value)
    if values.size == 1:
        return np.full(n, values[0])
    if values.size != n:
        raise ValueError(f"'x' has size {n}, but '{name}' has an unequal size of "
                         f"{values.size}")
    return values


def _sized_as(value, name: str, n: int) -> np.ndarray:
    values = _values(value)
    if values.size != n:
        raise ValueError(f"'{name}' must be of length 'x', not {values.size}")
    return values


def _texts(value, name: str, n: int, labels_of_columns: bool = False) -> list:
    """labels=: one text a value (pie's ''), checked for their count as matplotlib does."""
    if value is None:
        return [""] * n
    if type(value) not in (list, tuple):
        raise TypeError(f"{name} must be a list of str, not '{shown(value)}'")
    if len(value) != n:
        if labels_of_columns:
            raise ValueError(f"The number of labels ({len(value)}) must match the number of "
                             f"columns ({n}).")
        raise ValueError(f"'{name}' must be of length 'x', not {len(value)}")
    return [text_of(v, name) for v in value]


def _names(values) -> bool:
    """Category names (bar / barh positions given as strings)."""
    return type(values) in (list, tuple) and len(values) > 0 and \
        all(type(v) is str for v in values)


def _percent(autopct: str, pct: float) -> str:
    try:
        return guards.mod(autopct, float(pct))     # the language's '%': widths measured
    except (TypeError, ValueError) as error:
        raise ValueError(f"autopct {autopct!r} is not a format of one number: {error}") \
            from None


def _errors(err, name: str, axis: str, n: int) -> tuple:
    """(below, above) of an error argument: a scalar, n values, or a (2, n) array."""
    values = data(err)
    if values.ndim == 2 and values.shape == (2, n):
        low, high = values[0], values[1]
    elif values.size == 1 and values.ndim <= 1 or values.shape == (n,):
        low = high = np.broadcast_to(values.ravel(), (n,))
    elif values.shape == (1, n):
        low = high = values[0]
    else:
        raise ValueError(f"'{name}' (shape: {values.shape}) must be a scalar or a 1D or "
                         f"(2, n) array-like whose shape matches '{axis}' (shape: ({n},))")
    if (np.nan_to_num(low) < 0).any() or (np.nan_to_num(high) < 0).any():
        raise ValueError(f"'{name}' must not contain negative values")
    return low, high


def _check_grid(x: np.ndarray, y: np.ndarray, shape: tuple) -> None:
    rows, columns = shape
    if x.ndim == 1 and x.size != columns:
        raise TypeError(f"Length of x ({x.size}) must match number of columns in z ({columns})")
    if y.ndim == 1 and y.size != rows:
        raise TypeError(f"Length of y ({y.size}) must match number of rows in z ({rows})")
    if x.ndim == 2 and x.shape != shape or y.ndim == 2 and y.shape != shape:
        raise TypeError(f"Shapes of x {x.shape} and z {shape} do not match")


# ---------------------------------------------------------------------- computations
def staircase(x: np.ndarray, y: np.ndarray, where: str) -> tuple:
    """The corners of step()'s staircase (matplotlib's steps-pre / -post / -mid)."""
    if x.size < 2:
        return x, y
    if where == "pre":
        return np.repeat(x, 2)[:-1], np.repeat(y, 2)[1:]
    if where == "post":
        return np.repeat(x, 2)[1:], np.repeat(y, 2)[:-1]
    middle = (x[:-1] + x[1:]) / 2
    sx = np.concatenate([[x[0]], np.repeat(middle, 2), [x[-1]]])
    return sx, np.repeat(y, 2)


def contour_levels(z: np.ndarray, levels, filled: bool) -> np.ndarray:
    """matplotlib's contour levels: the given values (increasing), or MaxNLocator(n + 1)'s
    nice values spanning z, trimmed to those just around its range."""
    if levels is not None and type(levels) is not int:
        found = _values(levels)
        if (np.diff(found) <= 0).any():
            raise ValueError("Contour levels must be increasing")
        return found
    count = CONTOUR_LEVELS if levels is None else levels
    if count < 1:
        raise ZeroDivisionError("float division by zero")
    finite = z[np.isfinite(z)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    found = nice_levels(low, high, count + 1)
    under = np.nonzero(found < low)[0]
    first = under[-1] if len(under) else 0
    over = np.nonzero(found > high)[0]
    last = over[0] + 1 if len(over) else len(found)
    return found if last - first < 3 else found[first:last]


def nice_levels(low: float, high: float, bins: int) -> np.ndarray:
    """MaxNLocator(bins).tick_values(low, high): multiples of the smallest nice step (1, 1.5,
    2, 2.5, 3, 4, 5, 6, 8 times a power of ten) giving at most `bins` intervals."""
    if high - low <= 1e-14 * max(abs(low), abs(high)):    # matplotlib's nonsingular
        low, high = (-1e-13, 1e-13) if low == high == 0 else (low - 1e-13 * abs(low),
                                                              high + 1e-13 * abs(high))
    span = high - low
    middle = (high + low) / 2
    offset = 0.0 if abs(middle) / span < 100 else \
        math.copysign(10 ** (math.log10(abs(middle)) // 1), middle)
    scale = 10 ** (math.log10(span / bins) // 1)
    steps = np.concatenate([0.1 * LOCATOR_STEPS[:-1], LOCATOR_STEPS,
                            [10 * LOCATOR_STEPS[1]]]) * scale
    low, high = low - offset, high - offset
    large = np.nonzero(steps >= span / bins)[0]
    step = steps[large[0] if len(large) else -1]
    best = (low // step) * step
    first = _multiple_below(low - best, step)
    last = _multiple_above(high - best, step)
    return np.arange(first, last + 1) * step + best + offset


def _multiple_below(x: float, step: float) -> float:
    whole, rest = divmod(x, step)
    return whole + 1 if abs(rest / step - 1) < 1e-10 else whole


def _multiple_above(x: float, step: float) -> float:
    whole, rest = divmod(x, step)
    return whole if abs(rest / step) < 1e-10 else whole + 1


def box_columns(x) -> list:
    """boxplot's data sets: one for a 1-D x, one a column of a 2-D one, one a list item."""
    if type(x) in (list, tuple) and x and not all(type(v) in NUMBERS for v in x):
        columns = [_values(v) for v in x]
    else:
        values = data(x)
        columns = [values.ravel()] if values.ndim <= 1 else list(values.reshape(
            values.shape[0], -1).T)
    return columns


def box_stats(values: np.ndarray, whis) -> dict:
    """matplotlib's cbook.boxplot_stats for one data set (no bootstrap, no notch)."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return dict(q1=np.nan, med=np.nan, q3=np.nan, whislo=np.nan, whishi=np.nan,
                    fliers=np.zeros(0))
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    iqr = q3 - q1
    if whis is None or type(whis) in NUMBERS:
        reach = WHISKERS if whis is None else float(whis)
        low, high = q1 - reach * iqr, q3 + reach * iqr
    elif type(whis) in (list, tuple) and len(whis) == 2 and \
            all(type(v) in NUMBERS for v in whis):
        low, high = np.percentile(values, list(whis))
    else:
        raise ValueError("whis must be a float or list of percentiles")
    inside_low = values[values >= low]
    inside_high = values[values <= high]
    whislo = q1 if inside_low.size == 0 else min(inside_low.min(), q1)
    whishi = q3 if inside_high.size == 0 else max(inside_high.max(), q3)
    fliers = values[(values < whislo) | (values > whishi)]
    return dict(q1=q1, med=med, q3=q3, whislo=whislo, whishi=whishi, fliers=fliers)


def box_shapes(stats: dict, place: float, width: float) -> list:
    """(part, (x, y, lines)) of one box: whiskers, caps, the box, the median, the fliers."""
    left, right = place - width / 2, place + width / 2
    cap_left, cap_right = place - width / 4, place + width / 4
    q1, q3, med = stats["q1"], stats["q3"], stats["med"]
    fliers = stats["fliers"]
    return [
        ("whiskers", ([place, place], [q1, stats["whislo"]], True)),
        ("whiskers", ([place, place], [q3, stats["whishi"]], True)),
        ("caps", ([cap_left, cap_right], [stats["whislo"]] * 2, True)),
        ("caps", ([cap_left, cap_right], [stats["whishi"]] * 2, True)),
        ("boxes", ([left, right, right, left, left], [q1, q1, q3, q3, q1], True)),
        ("medians", ([left, right], [med, med], True)),
        ("fliers", (np.full(fliers.size, place), fliers, False)),
    ]


# A program calls these as Axes methods: a wrong call's message names them so, as
# matplotlib's does (`Axes.text() missing 1 required positional argument: 's'`).
for _name, _method in vars(Marks).items():
    if callable(_method) and not _name.startswith("_"):
        _method.__qualname__ = f"Axes.{_name}"
