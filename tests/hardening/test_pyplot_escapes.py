"""The sandbox (docs/security.md) against the matplotlib.pyplot stand-in (tshell/ui/pyplot.py):
its module, figures, axes and axes arrays give a program their methods and nothing else, data
goes in without running the program's code, and the memory cap holds for what it draws."""

import io

import pytest

from tshell.core import limits
from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError
from tshell.ui.builtins import install

SETUP = ("import matplotlib\nimport matplotlib.pyplot as plt\n"
         "fig, axes = plt.subplots(2, 2)\nax = axes[0, 0]\n")


def run(src, cap=None) -> str:
    """Run SETUP + src as `tshell -c` does (echo on); the text it printed."""
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    install(interp, color=False)
    old = limits.CAP.bytes
    if cap:
        limits.set_max_memory(cap)
    try:
        interp.run_source(SETUP + src, "<pyplot>", echo=True)
    finally:
        limits.CAP.bytes = old
    return out.getvalue()


ESCAPES = [
    "plt.__dict__", "plt.__loader__", "plt._members", "matplotlib.__dict__",
    "getattr(plt, '__loader__')", "getattr(plt, '__spec__')", "plt.plot.__globals__",
    "plt.plot.__closure__", "plt.plot.__code__", "plt.show.__wrapped__",
    "fig.__dict__", "fig._pyplot", "fig._pyplot._interp", "fig.__init__",
    "fig.__class__.__mro__", "type(fig).__mro__", "type(fig).__subclasses__()",
    "type(fig).__init__", "type(fig)(None, 1)", "type(ax)(fig, (1, 1, 1))",
    "ax.plot.__self__", "ax.plot.__func__", "ax._figure", "ax.__dict__", "ax._series",
    "axes._grid", "axes.__class__.__base__", "type(axes)(None)", "axes.flat.__class__.__mro__",
    "fig.add_subplot.__self__._pyplot", "vars(fig)", "vars(ax)",
    "plt.style.__dict__", "plt.rcParams.__class__.__subclasses__()",
    "setattr(fig, '_axes', [])", "fig.extra = 1", "ax.set_title = print",
    "del fig.suptitle", "plt.plot([1])[0]._series", "plt.plot([1])[0]._axes._figure",
    "type(plt.plot([1])[0]).__init__", "plt.plot([1])[0].__slots__",
    # what the second round's functions return
    "plt.text(1, 2, 'a')._mark", "plt.text(1, 2, 'a').__dict__", "type(plt.text(1, 2, 'a'))([])",
    "plt.annotate('a', (1, 1))._xy", "plt.annotate('a', (1, 1)).__class__.__mro__",
    "plt.axhline(1)._axes._figure", "plt.axvline(1)._series", "plt.hlines([1], 0, 1)._segments",
    "plt.fill_between([1, 2], [1, 2]).__dict__", "plt.errorbar([1], [1])._items",
    "plt.errorbar([1], [1]).lines[0]._axes", "type(plt.errorbar([1], [1]))((), 1, 1)",
    "plt.barh([1], [1])._values", "plt.barh([1], [1])[0]._x", "plt.bar([1], [1]).__slots__",
    "plt.barh([1], [1])[0].__class__.__subclasses__()", "plt.pie([1])._texts",
    "plt.pie([1]).wedges[0].__dict__", "plt.pie([1]).__iter__", "plt.pie([1])._values",
    "plt.contour([[1, 2], [3, 4]])._axes", "plt.contourf([[1, 2], [3, 4]])._levels",
    "plt.stem([1]).markerline._axes", "plt.stem([1])._items", "plt.step([1], [1])[0]._series",
    "plt.boxplot([1, 2])['boxes'][0]._axes", "ax.twinx()._host", "ax.twinx()._figure",
    "plt.colorbar(plt.imshow([[1]]))._axes", "plt.imshow([[1]])._image",
    "plt.scatter([1], [1])._axes", "type(plt.colorbar(plt.imshow([[1]])))(ax)",
    "plt.pie([1]).wedges[0].theta1 = 5", "plt.text(1, 2, 'a').extra = 1",
    "plt.stem([1]).baseline.__init__", "ax.get_xaxis().__dict__", "ax.xaxis.__class__.__mro__",
    "ax.axes._figure", "type(ax.yaxis)()", "plt.errorbar([1], [1]).has_xerr.__class__.__mro__[1]"
    ".__subclasses__()",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_no_way_into_the_stand_ins_objects(src):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "NameError"), \
        info.value.format()


def test_what_a_program_sees_is_names_and_methods():
    out = run("print(type(fig), type(ax), type(axes))\n"
              "print('{0.__class__}'.format(fig) if False else type(fig).__name__)\n"
              "print(fig.__class__.__name__, sorted(n for n in dir(ax) if 'title' in n))\n")
    assert out.splitlines() == [
        "<class 'matplotlib.figure.Figure'> <class 'matplotlib.axes._axes.Axes'> "
        "<class 'numpy.ndarray'>", "Figure", "Figure ['get_title', 'set_title']"]


@pytest.mark.parametrize("template", ["'{0.__class__}'.format(fig)",
                                      "'{0._pyplot}'.format(fig)",
                                      "'{0.plot.__self__}'.format(ax)",
                                      "'{0[0]._figure}'.format(axes)"])
def test_format_strings_read_no_attribute(template):
    with pytest.raises(TshRuntimeError) as info:
        run(template)
    assert info.value.type_name in ("ValueError", "AttributeError"), info.value.format()


HOSTILE = ("class Hostile:\n"
           "    def __float__(self):\n        raise RuntimeError('ran __float__')\n"
           "    def __len__(self):\n        raise RuntimeError('ran __len__')\n"
           "    def __iter__(self):\n        raise RuntimeError('ran __iter__')\n"
           "    def __getitem__(self, i):\n        raise RuntimeError('ran __getitem__')\n"
           "    def __index__(self):\n        raise RuntimeError('ran __index__')\n"
           "    def __str__(self):\n        raise RuntimeError('ran __str__')\n"
           "    def __repr__(self):\n        raise RuntimeError('ran __repr__')\n"
           "    def __eq__(self, other):\n        raise RuntimeError('ran __eq__')\n"
           "    def __hash__(self):\n        raise RuntimeError('ran __hash__')\n"
           "    def __bool__(self):\n        raise RuntimeError('ran __bool__')\n"
           "h = Hostile()\n")


@pytest.mark.parametrize("call", [
    "plt.plot(h)", "plt.plot([1, h])", "plt.plot([[1, 2], h])", "plt.plot(h, [1])",
    "plt.scatter([1], h)", "plt.bar([1], h)", "plt.hist(h)", "plt.hist([1, 2], bins=h)",
    "plt.imshow(h)", "plt.imshow([[h]])", "plt.xlim(h, 2)", "plt.title(h)",
    "plt.figure(figsize=h)", "axes[h]", "axes[0:h]", "plt.subplots(h, 2)",
    "plt.subplot(h)", "ax.plot([1])\nax.legend([h])", "plt.imshow([[1]], vmin=h)",
    "plt.axis(h)", "plt.close(h)", "plt.yscale(h)", "ax.set(xlim=h)", "plt.legend(h)",
    "plt.hist([1, 2], density=h)", "plt.subplots(2, 2, squeeze=h)", "plt.figure(num=h)",
"plt.imshow([[1]], cmap=h)", "plt.bar([1], [1], width=h)",
    "plt.plot([1])[0].set_data(h, [1])", "plt.plot([1])[0].set_label(h)", "fig.suptitle(h)",
    "fig.colorbar(h)", "plt.colorbar(h)", "plt.text(h, 1, 'a')", "plt.text(1, 1, h)",
    "plt.annotate(h, (1, 1))", "plt.annotate('a', h)", "plt.annotate('a', (h, h))",
    "plt.annotate('a', (1, 1), xytext=h)", "plt.axhline(h)", "plt.axvline(1, ymin=h)",
    "plt.hlines(h, 0, 1)", "plt.vlines([1], h, 1)", "plt.fill_between(h, [1])",
    "plt.fill_between([1], [1], where=h)", "plt.fill_between([1], [1], label=h)",
    "plt.fill_between([1], [1], step=h)", "plt.errorbar([1], [1], yerr=h)",
    "plt.errorbar([1], [1], xerr=h)", "plt.errorbar([1], [1], fmt=h)", "plt.barh(h, [1])",
    "plt.barh([1], [1], height=h)", "plt.barh([1], [1], align=h)", "plt.pie(h)",
    "plt.pie([1], labels=h)", "plt.pie([1], labels=[h])", "plt.pie([1], autopct=h)",
    "plt.pie([1], explode=h)", "plt.pie([1], normalize=h)", "plt.pie([1], startangle=h)",
    "plt.pie([1], center=h)", "plt.contour(h)", "plt.contour([[1, 2], [3, 4]], levels=h)",
    "plt.contour(h, [1, 2], [[1, 2], [3, 4]])", "plt.contourf([[1, 2], [3, 4]], h)",
    "plt.step([1], [1], where=h)", "plt.step(h, [1])", "plt.stem(h)", "plt.stem([1], bottom=h)",
    "plt.stem([1], orientation=h)", "plt.boxplot(h)", "plt.boxplot([1, 2], whis=h)",
    "plt.boxplot([1], positions=h)", "plt.boxplot([1], tick_labels=h)", "ax.twinx(h)",
    "plt.text(1, 2, 'a').set_text(h)", "plt.text(1, 2, 'a').set_position(h)",
    "plt.colorbar(plt.imshow([[1]])).set_label(h)", "plt.barh([1], [1])[h]",
    "plt.errorbar([1], [1])[0:h]"])
def test_hostile_objects_as_data_never_run(call):
    with pytest.raises(TshRuntimeError) as info:
        run(HOSTILE + call)
    assert info.value.type_name in ("TypeError", "ValueError", "IndexError",
                                    "AttributeError"), \
        info.value.format()
    assert "ran __" not in info.value.message


@pytest.mark.parametrize("call", [
    "plt.plot([1], linestyle=h)", "plt.plot([1], color=h, linewidth=h)", "plt.grid(h)",
    "plt.tight_layout(h)", "ax.set_xticks(h)", "plt.show(h)",
    "plt.scatter([1], [1], s=h, c=h)", "plt.text(1, 1, 'a', fontdict=h, color=h)",
    "plt.annotate('a', (1, 1), arrowprops=h, textcoords=h)",
    "plt.hlines([1], 0, 1, colors=h, linestyles=h)", "plt.fill_between([1], [1], interpolate=h)",
    "plt.errorbar([1], [1], ecolor=h, capsize=h)", "plt.pie([1], colors=h, wedgeprops=h)",
    "plt.boxplot([1, 2], patch_artist=h, showfliers=h)", "plt.contourf([[1, 2], [3, 4]], cmap=h)",
    "plt.step([1], [1], color=h)", "plt.stem([1], linefmt=h)", "fig.align_labels(h)",
    "plt.pie([1]).wedges[0].set_color(h)"])
def test_look_only_arguments_are_never_called(call):
    run(HOSTILE + call)


def test_a_pie_percentage_is_a_python_float_formatted():
    """Not NumPy's scalar: '%(x)s' % np.float64 raised NumPy's 'invalid index to scalar
    variable'."""
    with pytest.raises(TshRuntimeError) as info:
        run("plt.pie([1, 2], autopct='%(x)s')")
    assert info.value.message == ("autopct '%(x)s' is not a format of one number: format "
                                  "requires a mapping")


def test_charts_within_the_cap_are_drawn():
    out = run("for i in range(50):\n    plt.plot([1, 2])\nplt.bar([1], [1])\n"
              "plt.fill_between([1, 2], [1, 2])\nplt.title('a\\nb')\nplt.show()\n"
              "plt.pie([1, 3], autopct='%1.1f%%')\nplt.show()\n", cap="64MB")
    assert "75.0%" in out and "a" in out


def test_savefig_names_a_program_object_by_its_type(capsys):
    run(HOSTILE + "plt.savefig(h)")
    assert "savefig(<Hostile object>) wrote no file" in capsys.readouterr().err


@pytest.mark.parametrize("call", [
    "plt.plot(torch.ones(1).expand(10**9))",
    "plt.plot([torch.ones(1).expand(10**6)] * 1000)",
    "plt.imshow(torch.ones(1, 1).expand(10**5, 10**5))",
    "plt.hist([1, 2], bins=10**9)",
    "plt.subplots(10**5, 10**4)",
    "plt.plot([0.5] * 10**6)",          # 8 MB of list, but 224 MB for the chart to draw
    "plt.hlines(torch.ones(1).expand(10**7), 0, 1)",
    "plt.hlines(list(range(10**5)), 0, 1)",            # a plotext signal a segment
    "plt.errorbar(list(range(10**5)), list(range(10**5)), yerr=1)",
    "plt.pie([1] * 10**5)",
    "plt.contour(torch.ones(1, 1).expand(10**4, 10**4))",
    "plt.boxplot(torch.ones(1, 1).expand(10, 10**6))",
    "for i in range(10**5):\n    plt.text(0, 0, 'a')",   # many texts: each one drawn
    # plotext draws each line, bar series, segment and shaded region on a canvas of its own
    # (10**4 two-point lines took 2 GiB when shown)
    "for i in range(10**4):\n    plt.plot([1, 2])",
    "for i in range(10**3):\n    plt.bar([1], [1])",
    "for i in range(10**3):\n    plt.fill_between([1, 2], [1, 2])",
    "plt.hlines(list(range(10**3)), 0, 1)",
    # a pie's percentages through a format of a billion characters (2.9 GiB)
    "plt.pie([1, 2], autopct='%.1000000000f')", "plt.pie([1, 2], autopct='%1000000000d')",
    # contour's nice levels, made before they are drawn (4.7 GiB)
    "plt.contour([[1, 2], [3, 4]], levels=10**8)",
    # a title plotext lays out line by line, each the chart's width (1 GiB)
    "plt.title('a\\n' * 10**6)\nplt.show()", "plt.xlabel('a\\n' * 10**6)\nplt.show()",
])
def test_huge_data_is_refused_by_the_memory_cap(call):
    with pytest.raises(TshRuntimeError) as info:
        run(call, cap="64MB")
    assert info.value.type_name in ("RuntimeError", "MemoryError", "TypeError"), \
        info.value.format()
    assert "memory" in info.value.message.lower() or "cannot allocate" in \
        info.value.message.lower() or "exceed" in info.value.message.lower(), \
        info.value.message


# hist's bin estimators ('auto', 'fd'...) make range / width bins: a far outlier beside a
# narrow spread asked NumPy for 9 * 10**7 bins (745 MB under a 64 MB cap, and a minute of C
# time) or, further out, raised NumPy's own _ArrayMemoryError, whose args hold a raw NumPy
# dtype, into the program.
OUTLIER = "[i * 0.001 for i in range(100)] + [{}]"


@pytest.mark.parametrize("outlier", ["2e6", "1e12", "1e300"])
def test_estimated_bins_are_measured_first(outlier):
    src = f"plt.hist({OUTLIER.format(outlier)}, bins='fd')"
    with pytest.raises(TshRuntimeError) as info:
        run(src, cap="64MB")
    e = info.value
    assert e.type_name == "RuntimeError" and "more than the memory limit" in e.message and \
        "numpy" not in repr(type(e.original)), e.format()


def test_estimated_bins_count_as_numpys():
    """As np.histogram counts the same float values (the stand-in plots floats)."""
    out = run("c, e, _ = plt.hist([1, 2, 2, 3, 3, 3, 10], bins='auto')\nprint(len(e), c.sum())\n"
              "c, e, _ = plt.hist([1., 2, 2, 3, 8], bins='fd', range=(0, 4))\nprint(len(e))\n"
              "print(len(plt.hist([], bins='sturges')[1]))\n"
              f"print([len(plt.hist({OUTLIER.format('1e12')}, bins=b)[1]) for b in "
              "('auto', 'scott', 'doane', 'stone')])\n")
    assert out == "7 7.0\n8\n2\n[22, 15, 15, 101]\n"


def test_numpys_own_exceptions_never_reach_the_program():
    """A door of the stand-in raises the np stand-in's twin of a NumPy exception: NumPy's own
    carry raw objects (_ArrayMemoryError's args hold a NumPy dtype). 2 * 10**14 bins pass a
    cap above the machine's memory, and no address space holds their edges."""
    out = run("try:\n    plt.hist([1, 2], bins=2 * 10**14)\nexcept MemoryError as e:\n"
              "    print(type(e), [type(a) for a in e.args])\n", cap="100000TB")
    assert out.startswith("<class 'numpy.") and out.endswith(" [<class 'str'>]\n"), out
