"""What the pyplot stand-in's drawing functions return, as matplotlib 3.11 returns them: the
lines, texts, collections and containers a program keeps (`line, = plt.plot(...)`,
`bars = ax.barh(...)`, `wedges, texts = ax.pie(...)`, `cs = ax.contour(...)`), printed as
matplotlib prints them. Each gives a program its registered methods and nothing else (the
sandbox reads only the names listed at the end); the look-only ones (set_color...) change
nothing, as the drawing calls' style keywords do."""

from __future__ import annotations

import numpy as np

from tshell.lang import sandbox

from .pyplot_data import ShownClass, data, np_array, text_of


class Artist(metaclass=ShownClass):
    """Something drawn: printed as matplotlib's object (`<matplotlib.x.Y object at 0x...>`)."""

    _shown = "matplotlib.artist.Artist"
    __slots__ = ()

    def __repr__(self):
        return f"<{type(self)._shown} object at {id(self):#x}>"

    def look(self, *args, **kwargs):
        """Changes the look only: nothing to do in a terminal."""

    set_color = set_linewidth = set_linestyle = set_marker = set_alpha = look
    set_fontsize = set_visible = set_zorder = look


LOOKS = ("set_color set_linewidth set_linestyle set_marker set_alpha set_fontsize "
         "set_visible set_zorder").split()


class Line2D(Artist):
    """A line plot() (or step, axhline, errorbar, boxplot...) drew: its label and data."""

    _shown = "matplotlib.lines.Line2D"
    __slots__ = ("_axes", "_series")

    def __init__(self, axes, series):
        self._axes, self._series = axes, series

    def get_label(self):
        label = self._series.label
        if label is not None:
            return label
        found = [i for i, s in enumerate(self._axes._series) if s is self._series]
        return f"_child{found[0]}" if found else "_nolegend_"

    def set_label(self, s):
        self._series.label = None if s is None else text_of(s, "label")

    def get_xdata(self):
        return np_array(np.asarray(self._series.x, dtype=np.float64).copy())

    def get_ydata(self):
        return np_array(np.asarray(self._series.y, dtype=np.float64).copy())

    def set_data(self, x, y):
        xs, ys = data(x).ravel(), data(y).ravel()
        if len(xs) != len(ys):
            raise RuntimeError("xdata and ydata must be the same length")
        self._series.x, self._series.y = xs, ys

    def set_xdata(self, x):
        self._series.x = data(x).ravel()

    def set_ydata(self, y):
        self._series.y = data(y).ravel()


class Text(Artist):
    """A text at data coordinates (text, annotate, a pie's labels): `Text(1, 2, 'hi')`."""

    _shown = "matplotlib.text.Text"
    __slots__ = ("_mark",)

    def __init__(self, mark: list):
        self._mark = mark               # [x, y, text]: the axes' own entry, changed in place

    def __repr__(self):
        x, y, text = self._mark
        return f"Text({x}, {y}, {text!r})"

    def get_text(self):
        return self._mark[2]

    def set_text(self, s):
        self._mark[2] = text_of(s, "text")

    def get_position(self):
        return (self._mark[0], self._mark[1])

    def set_position(self, xy):
        self._mark[0], self._mark[1] = data(xy).ravel().tolist()


class Annotation(Text):
    """annotate's text: printed with the point it annotates, `Annotation(1, 2, 'max')`."""

    _shown = "matplotlib.text.Annotation"
    __slots__ = ("_xy",)

    def __init__(self, mark: list, xy: tuple):
        super().__init__(mark)
        self._xy = xy

    def __str__(self):
        return f"Annotation({self._xy[0]}, {self._xy[1]}, {self._mark[2]!r})"


class LineCollection(Artist):
    """hlines / vlines / an error bar's lines: the segments, as get_segments gives them."""

    _shown = "matplotlib.collections.LineCollection"
    __slots__ = ("_segments",)

    def __init__(self, segments: np.ndarray):
        self._segments = segments           # (n, 2, 2): [[x0, y0], [x1, y1]] each

    def get_segments(self):
        return [np_array(s.copy()) for s in self._segments]


class FillBetweenPolyCollection(Artist):
    _shown = "matplotlib.collections.FillBetweenPolyCollection"
    __slots__ = ()


class PathCollection(Artist):
    """scatter's markers (colorbar(sc) accepts them; a chart draws no colour scale)."""

    _shown = "matplotlib.collections.PathCollection"
    __slots__ = ("_axes",)

    def __init__(self, axes):
        self._axes = axes


class Rectangle(Artist):
    """One bar of bar / barh: `Rectangle(xy=(0, 0.6), width=3, height=0.8, angle=0)`."""

    _shown = "matplotlib.patches.Rectangle"
    __slots__ = ("_x", "_y", "_width", "_height")

    def __init__(self, x, y, width, height):
        self._x, self._y, self._width, self._height = x, y, width, height

    def __str__(self):
        return (f"Rectangle(xy=({_number(self._x)}, {_number(self._y)}), "
                f"width={_number(self._width)}, height={_number(self._height)}, angle=0)")

    def get_x(self):
        return self._x

    def get_y(self):
        return self._y

    def get_width(self):
        return self._width

    def get_height(self):
        return self._height


class Wedge(Artist):
    """One share of a pie: its angles, as matplotlib's theta1 and theta2 (degrees)."""

    _shown = "matplotlib.patches.Wedge"
    __slots__ = ("theta1", "theta2")

    def __init__(self, theta1: float, theta2: float):
        self.theta1, self.theta2 = theta1, theta2


class AxesImage(Artist):
    """imshow's image: `AxesImage(shape=(28, 28))`; colorbar(im) draws its scale."""

    _shown = "matplotlib.image.AxesImage"
    __slots__ = ("_axes", "_image")

    def __init__(self, axes, image: np.ndarray):
        self._axes, self._image = axes, image

    def __repr__(self):
        return f"AxesImage(shape={tuple(self._image.shape[:2])})"

    def get_array(self):
        return np_array(self._image.astype(np.float64))


class QuadContourSet(Artist):
    """contour / contourf's result: its levels (a NumPy array, as matplotlib's)."""

    _shown = "matplotlib.contour.QuadContourSet"
    __slots__ = ("_axes", "_levels")

    def __init__(self, axes, levels: np.ndarray):
        self._axes, self._levels = axes, levels

    @property
    def levels(self):
        return np_array(self._levels.copy())


class Colorbar(Artist):
    """colorbar's result: the scale drawn under its image or contours, and its label."""

    _shown = "matplotlib.colorbar.Colorbar"
    __slots__ = ("_axes",)

    def __init__(self, axes):
        self._axes = axes

    def set_label(self, label, **style):
        self._axes._colorbar_label = text_of(label, "label")


class XAxis(Artist):
    """ax.get_xaxis() / ax.xaxis: the d2l book hides it (`set_visible(False)`); a terminal
    chart keeps its ticks, so every call changes nothing."""

    _shown = "matplotlib.axis.XAxis"
    __slots__ = ()

    set_ticks = set_ticklabels = set_major_locator = set_major_formatter = Artist.look
    set_label_text = set_tick_params = Artist.look


class YAxis(XAxis):
    _shown = "matplotlib.axis.YAxis"
    __slots__ = ()


AXIS_LOOKS = ("set_ticks set_ticklabels set_major_locator set_major_formatter set_label_text "
              "set_tick_params").split()


# ---------------------------------------------------------------------- containers
class Container(metaclass=ShownClass):
    """A tuple of artists, as matplotlib's containers: `<BarContainer object of 2 artists>`,
    len, for, [i]."""

    _shown = "matplotlib.container.Container"
    __slots__ = ("_items",)

    def __init__(self, items: tuple):
        self._items = tuple(items)

    def __repr__(self):
        return f"<{type(self).__name__} object of {len(self._items)} artists>"

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __getitem__(self, index):
        if type(index) is not int and not (type(index) is slice and _plain(index)):
            raise TypeError(f"tuple indices must be integers or slices, not "
                            f"{sandbox.type_name(index)}")
        return self._items[index]


def _plain(part: slice) -> bool:
    """A slice of ints or None (a program's object as a bound would run its __index__)."""
    return all(v is None or type(v) is int for v in (part.start, part.stop, part.step))


class BarContainer(Container):
    _shown = "matplotlib.container.BarContainer"
    __slots__ = ("_values",)

    def __init__(self, patches: list, values: np.ndarray):
        super().__init__(patches)
        self._values = values

    @property
    def patches(self):
        return list(self._items)

    @property
    def datavalues(self):
        return np_array(self._values.copy())


class ErrorbarContainer(Container):
    """(data_line, caplines, barlinecols), as matplotlib's."""

    _shown = "matplotlib.container.ErrorbarContainer"
    __slots__ = ("has_xerr", "has_yerr")

    def __init__(self, items: tuple, has_xerr: bool, has_yerr: bool):
        super().__init__(items)
        self.has_xerr, self.has_yerr = has_xerr, has_yerr

    @property
    def lines(self):
        return self._items


class StemContainer(Container):
    """(markerline, stemlines, baseline), as matplotlib's."""

    _shown = "matplotlib.container.StemContainer"
    __slots__ = ()

    @property
    def markerline(self):
        return self._items[0]

    @property
    def stemlines(self):
        return self._items[1]

    @property
    def baseline(self):
        return self._items[2]


class PieContainer(metaclass=ShownClass):
    """pie's result (matplotlib 3.11): `wedges, texts = ax.pie(x)`, or `wedges, texts,
    autotexts` with autopct; .wedges, .texts, .values, .fracs. It has no len(), as
    matplotlib's has none."""

    _shown = "matplotlib.container.PieContainer"
    __slots__ = ("wedges", "_texts", "_values")

    def __init__(self, wedges: list, texts: list, values: np.ndarray):
        self.wedges, self._texts, self._values = wedges, texts, values

    def __repr__(self):
        return f"<matplotlib.container.PieContainer object at {id(self):#x}>"

    def __iter__(self):
        return iter([self.wedges, *self._texts])

    @property
    def texts(self):
        return [list(t) for t in self._texts]

    @property
    def values(self):
        return np_array(self._values.copy())

    @property
    def fracs(self):
        return np_array(self._values / self._values.sum())


def _number(value) -> str:
    """A coordinate as matplotlib prints a rectangle's: 3 for a whole number, 0.6 else."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


ARTIST_NAMES = {
    Line2D: "get_label set_label get_xdata get_ydata set_data set_xdata set_ydata",
    Text: "get_text set_text get_position set_position",
    Annotation: "get_text set_text get_position set_position",
    LineCollection: "get_segments",
    FillBetweenPolyCollection: "", PathCollection: "",
    Rectangle: "get_x get_y get_width get_height",
    Wedge: "theta1 theta2",
    AxesImage: "get_array",
    QuadContourSet: "levels",
    Colorbar: "set_label",
    XAxis: " ".join(AXIS_LOOKS), YAxis: " ".join(AXIS_LOOKS),
    BarContainer: "patches datavalues",
    ErrorbarContainer: "lines has_xerr has_yerr",
    StemContainer: "markerline stemlines baseline",
    PieContainer: "wedges texts values fracs",
}
for _cls, _names in ARTIST_NAMES.items():
    sandbox.register(_cls, _names.split() + (LOOKS if issubclass(_cls, Artist) else []))
