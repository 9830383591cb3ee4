"""`import matplotlib.pyplot as plt` in tsh programs: figures drawn in the terminal, run as
`python -m tshell file.tsh` (tshell/ui/pyplot.py)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tshell.lang import Interpreter, TshRuntimeError
from tshell.ui.builtins import install

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).resolve().parent / "pyplot_programs"


def tshell(tmp_path, source: str | None = None, program: Path | None = None,
           options=()):
    """(exit status, stdout, stderr) of tshell running source in tmp_path."""
    if program is None:
        program = tmp_path / "prog.tsh"
        program.write_text(source)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT),
                                                       os.environ.get("PYTHONPATH", "")]))
    env.pop("NO_COLOR", None)
    done = subprocess.run([sys.executable, "-m", "tshell", *options, str(program)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    return done.returncode, done.stdout, done.stderr


def test_import_forms_and_matplotlib_use(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib\n"
        "matplotlib.use('Agg')\n"
        "import matplotlib.pyplot as plt\n"
        "from matplotlib import pyplot as plt2\n"
        "print(plt is plt2, plt, matplotlib)\n"
        "print(plt.plot)\n"))
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "True <module 'matplotlib.pyplot'> <module 'matplotlib'>"
    assert lines[1].startswith("<function plot at 0x")


def test_a_chart_with_title_labels_and_legend_drawn_by_show(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 4, 9, 16], 'r-', label='squares')\n"
        "plt.plot([0, 1, 2, 3], [2, 3, 4, 5], 'o', label='line')\n"
        "plt.title('Two series')\n"
        "plt.xlabel('step')\n"
        "plt.ylabel('value')\n"
        "plt.legend()\n"
        "print('before show')\n"
        "plt.show()\n"
        "print('after show')\n"
        "plt.show()\n"))
    assert status == 0, err
    before, chart = out.split("before show\n")
    assert before == ""                     # nothing is drawn until show()
    chart, after = chart.split("after show\n")
    assert after == ""                      # show() closed the figure: nothing more to draw
    lines = chart.splitlines()
    assert lines[0].strip() == "Two series"
    assert "squares" in chart and "line" in chart
    assert lines[-1].split() == ["value", "step"]
    assert "16" in chart and "┌" in lines[1]
    assert "\x1b" not in chart              # no colour codes when piped


def test_no_legend_without_legend_call(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3], label='hidden')\n"
        "plt.show()\n"))
    assert status == 0, err
    assert "hidden" not in out and "┤" in out


def test_subplots_axes_in_order_and_suptitle(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "import torch\n"
        "fig, axes = plt.subplots(2, 2, figsize=(8, 6))\n"
        "print(fig)\n"
        "print(axes.shape, len(axes.flat), len(axes.ravel()))\n"
        "axes[0, 0].plot(torch.arange(5.))\n"
        "axes[0, 0].set_title('first')\n"
        "axes[0, 1].scatter([1, 2], [3, 4])\n"
        "axes[0, 1].set_title('second')\n"
        "axes[1, 0].bar(['a', 'b'], [3, 1])\n"
        "axes[1, 0].set_title('third')\n"
        "axes[1][1].hist(torch.arange(100.), bins=5)\n"
        "axes[1][1].set_title('fourth')\n"
        "fig.suptitle('Overview')\n"
        "print(axes[1, 1])\n"
        "plt.show()\n"))
    assert status == 0, err
    assert out.startswith("<Figure size 800x600 with 4 Axes>\n(2, 2) 4 4\n"
                          "<Axes: title={'center': 'fourth'}>\n")
    lines = out.splitlines()[3:]
    assert lines[0].strip() == "Overview"
    # 80 columns when piped: the grid's rows side by side, two charts of 39 columns
    titles = [line.split() for line in lines if "first" in line or "third" in line]
    assert titles == [["first", "second"], ["third", "fourth"]]
    assert max(len(line) for line in lines) <= 80
    assert sum(line.count("┌") for line in lines) == 4
    assert all(line.count("┌") == 2 for line in lines if "┌" in line)


def test_fig_ax_from_subplots_and_squeeze(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([3, 1, 2])\n"
        "print(ax)\n"
        "fig, row = plt.subplots(1, 3)\n"
        "print(row.shape, row)\n"
        "fig, grid = plt.subplots(2, 2, squeeze=False)\n"
        "print(grid.shape)\n"
        "fig, one = plt.subplots(1, 1, squeeze=False)\n"
        "print(one.shape)\n"))
    assert status == 0, err
    assert out.splitlines() == ["<Axes: >",
                                "(3,) array([<Axes: >, <Axes: >, <Axes: >], dtype=object)",
                                "(2, 2)", "(1, 1)"]


def test_imshow_draws_a_picture(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "import torch\n"
        "img = torch.zeros(28, 28)\n"
        "img[:, 14:] = 1.0\n"
        "plt.imshow(img, cmap='gray')\n"
        "plt.title('half')\n"
        "plt.show()\n"
        "plt.matshow(torch.eye(4))\n"
        "plt.show()\n"))
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].strip() == "half"
    picture = lines[1:15]
    assert all(line == " " * 14 + "@" * 14 for line in picture)
    eye = lines[15:]        # 4x4 drawn enlarged (6x6 pixels a value), viridis's brightness
    assert len(eye) == 12 and eye[0] == "%" * 6 + "." * 18 and eye[-1] == "." * 18 + "%" * 6


def test_image_shape_errors_as_matplotlib(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "import torch\n"
        "plt.imshow(torch.zeros(1, 28, 28))\n"))
    assert status == 1
    assert "TypeError: Invalid shape (1, 28, 28) for image data" in err
    assert err.startswith("error: ")


def test_savefig_draws_and_says_no_file_was_written(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([1, 2, 3])\n"
        "plt.title('saved')\n"
        "plt.savefig('out.png')\n"
        "plt.savefig('out2.pdf')\n"
        "plt.close()\n"
        "plt.show()\n"))
    assert status == 0, err
    assert out.count("saved") == 2                 # drawn at each savefig, closed after
    assert err == ("tshell: savefig('out.png') wrote no file: tshell draws figures in the "
                   "terminal only\n")
    assert list(tmp_path.iterdir()) == [tmp_path / "prog.tsh"]


def test_tensor_that_requires_grad_is_refused_as_matplotlib_refuses_it(tmp_path):
    message = ("RuntimeError: Can't call numpy() on Tensor that requires grad. Use "
               "tensor.detach().numpy() instead.")
    for data in ("w", "[(w * w).sum(), (w * 2).sum()]"):
        status, out, err = tshell(tmp_path, (
            "import matplotlib.pyplot as plt\n"
            "import torch\n"
            "w = torch.ones(3, requires_grad=True)\n"
            f"plt.plot({data})\n"))
        assert status == 1 and message in err, err
        assert ":4:1: " in err
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "import torch\n"
        "w = torch.ones(3, requires_grad=True)\n"
        "losses = [(w * w).sum().item(), (w * 2).sum().detach(), torch.tensor(1.5)]\n"
        "plt.plot(losses)\n"
        "print(plt.ylim())\n"))
    assert status == 0, err
    assert out == "(1.275, 6.225)\n"


def test_errors_in_tshell_format(tmp_path):
    cases = {
        "plt.foo()": "AttributeError: module 'matplotlib.pyplot' has no attribute 'foo'",
        "plt.plot([1, 2], 'zz')": "ValueError: 'zz' is not a valid format string "
                                  "(unrecognized character 'z')",
        "plt.subplot(2, 2, 5)": "ValueError: num must be an integer with 1 <= num <= 4, not 5",
        "plt.plot([1, 2], [1, 2, 3])": "ValueError: x and y must have same first dimension, "
                                       "but have shapes (2,) and (3,)",
        "plt.gca().foo": "AttributeError: 'Axes' object has no attribute 'foo'",
        "plt.yscale('cubic')": "ValueError: 'cubic' is not a valid value for scale",
    }
    for line, message in cases.items():
        status, out, err = tshell(tmp_path, f"import matplotlib.pyplot as plt\n{line}\n")
        assert status == 1, line
        assert err.startswith("error: ") and message in err, err


def test_look_only_calls_are_accepted(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "plt.style.use('ggplot')\n"
        "plt.rcParams['figure.figsize'] = (4, 3)\n"
        "plt.ion()\n"
        "fig = plt.figure()\n"
        "ax = fig.add_subplot(111)\n"
        "ax.plot([1, 2], [3, 1])\n"
        "ax.grid(True)\n"
        "ax.set_xticks([1, 2])\n"
        "ax.set_aspect('equal')\n"
        "plt.xticks(rotation=45)\n"
        "plt.tight_layout()\n"
        "fig.align_labels()\n"
        "ax.autoscale()\n"
        "plt.pause(0.1)\n"
        "plt.draw()\n"
        "plt.ioff()\n"
        "fig.tight_layout()\n"
        "print(plt.xlim(0, 3), ax.get_xlim())\n"
        "plt.show()\n"))
    assert status == 0, err
    assert out.startswith("(0.0, 3.0) (0.0, 3.0)\n") and "┤" in out


def test_close_figures_by_figure_number_and_all(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "a = plt.figure()\n"
        "plt.plot([1, 2])\n"
        "plt.title('A')\n"
        "b = plt.figure()\n"
        "plt.plot([2, 1])\n"
        "plt.title('B')\n"
        "c = plt.figure(num=7)\n"
        "plt.plot([2, 1])\n"
        "plt.title('C')\n"
        "plt.close(a)\n"
        "plt.close(7)\n"
        "plt.show()\n"
        "d = plt.figure()\n"
        "plt.plot([1, 1])\n"
        "plt.title('D')\n"
        "plt.close('all')\n"
        "plt.show()\n"))
    assert status == 0, err
    titles = [line.strip() for line in out.splitlines() if line.strip() in "ABCD"]
    assert titles == ["B"]


def test_learn_the_basics_image_grid(tmp_path):
    status, out, err = tshell(tmp_path, program=PROGRAMS / "learn_basics_images.tsh")
    assert status == 0, err
    lines = out.splitlines()
    labels = ("T-Shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
              "Sneaker", "Bag", "Ankle Boot")
    # 80 columns when piped: three pictures a row, each 28x28 image sampled down to 25x25
    # (13 lines of two pixel rows), the labels centred above them
    titles = [i for i, line in enumerate(lines) if line.strip() and
              all(part in labels for part in re.split(r"\s{2,}", line.strip()))]
    assert titles == [0, 14, 28]
    assert all(len(re.split(r"\s{2,}", lines[i].strip())) == 3 for i in titles)
    assert max(len(line) for line in lines) <= 80
    for start in titles:
        picture = lines[start + 1:start + 14]
        for column in range(3):
            cell = [line[column * 27:column * 27 + 25] for line in picture]
            assert "@" in "".join(cell)     # a bright disc on a dark background
            assert "@" not in cell[0] + cell[-1]


def test_loss_curve_loop(tmp_path):
    status, out, err = tshell(tmp_path, program=PROGRAMS / "loss_curve.tsh")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("final loss 0.0")
    assert lines[1].strip() == "Linear regression"
    assert "train loss" in out
    assert lines[-1].split() == ["MSE", "step"]
    assert "59.0" in lines[-2]              # the x axis ends at the last step


def test_return_values_and_autoscaled_limits_as_matplotlib(tmp_path):
    """plot's lines, hist's counts and edges, and xlim()/ylim() as matplotlib 3.11 gives
    them (the data's range, 5% margins; bars stand on 0)."""
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "line, = plt.plot([1, 2, 3])\n"
        "print(line.get_label(), plt.xlim(), plt.ylim())\n"
        "line.set_data([0, 1], [5, 6])\n"
        "line.set_label('moved')\n"
        "print(line.get_label(), line.get_ydata(), plt.ylim())\n"
        "plt.close()\n"
        "print(plt.bar([1, 2], [3, 4]), plt.ylim())\n"
        "plt.close()\n"
        "n, bins, patches = plt.hist([1, 2, 2, 3], bins=2)\n"
        "print(n, bins, patches, plt.xlim(), plt.ylim())\n"
        "plt.close()\n"
        "plt.plot([2])\n"
        "print(plt.ylim())\n"
        "plt.close()\n"
        "plt.semilogy([1, 10, 100])\n"
        "print(plt.ylim())\n"))
    assert status == 0, err
    assert out.splitlines() == [
        "_child0 (-0.1, 2.1) (0.9, 3.1)",
        "moved [5. 6.] (4.95, 6.05)",
        "<BarContainer object of 2 artists> (0.0, 4.2)",
        "[1. 3.] [1. 2. 3.] None (0.9, 3.1) (0.0, 3.15)",
        "(1.89, 2.1100000000000003)",
        "(0.7943282347242815, 125.89254117941677)",
    ]


# ---------------------------------------------------------------------- the second round:
# text, annotate, reference lines, fill_between, errorbar, barh, pie, contour, step, stem,
# boxplot, twinx, colorbar, and a grid of axes side by side
def interpret(source: str) -> str:
    """What `source` prints run in-process (quicker than a tshell process a case)."""
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    install(interp, color=False)
    interp.run_source("import matplotlib.pyplot as plt\n" + source, "<pyplot>")
    return out.getvalue()


def test_return_values_of_the_new_functions_as_matplotlib():
    """Printed as matplotlib 3.11.2 prints them (limits as Python floats, as xlim() gives
    them everywhere in tshell)."""
    cases = {
        "print(plt.text(1, 2, 'hi'), plt.text(0.5, 2.5, 'x').get_text())":
            "Text(1, 2, 'hi') x",
        "t = plt.annotate('a', xy=(1, 2))\nprint(t, t.get_position())":
            "Annotation(1, 2, 'a') (1, 2)",
        "print(plt.annotate('b', xy=(1, 2), xytext=(3, 4), arrowprops={}))":
            "Annotation(1, 2, 'b')",
        "plt.plot([0, 1], [0, 1])\nplt.axhline(3)\nprint(plt.ylim(), plt.xlim())":
            "(-0.15000000000000002, 3.15) (-0.05, 1.05)",
        "plt.axvline(-1)\nplt.axhline(0.5, xmin=0.25, xmax=0.75)\nprint(plt.xlim(), plt.ylim())":
            "(-1.0550000000000002, -0.945) (0.0, 1.0)",
        "print(plt.hlines([1, 2], 0, [3, 4]).get_segments())":
            "[array([[0., 1.],\n       [3., 1.]]), array([[0., 2.],\n       [4., 2.]])]",
        "plt.vlines([1, 2], [0, 1], 5)\nprint(plt.xlim(), plt.ylim())":
            "(0.95, 2.05) (-0.25, 5.25)",
        "plt.fill_between([1, 2, 3], [1, 4, 9], [2, 2, 2])\nprint(plt.ylim())": "(0.6, 9.4)",
        "e = plt.errorbar([1, 2, 3], [2, 4, 3], yerr=0.5)\n"
        "print(e, len(e), e.has_xerr, e.has_yerr, e.lines[1], plt.ylim(), plt.xlim())":
            "<ErrorbarContainer object of 3 artists> 3 False True () (1.35, 4.65) (0.9, 3.1)",
        "e = plt.errorbar([1, 2, 3], [2, 4, 3], yerr=[[0.1, 0.2, 0.3], [1, 1, 1]], xerr=0.2, "
        "fmt='o')\nprint(plt.ylim(), plt.xlim(), len(e[2]))":
            "(1.7449999999999999, 5.155) (0.68, 3.3200000000000003) 2",
        "e = plt.errorbar([1, 2], [1, 2], xerr=1, fmt='none')\nprint(e[0], e.has_xerr)":
            "None True",
        "b = plt.barh([1, 2, 3], [3, 4, 5])\nprint(b, b[1], plt.xlim(), plt.ylim())":
            "<BarContainer object of 3 artists> Rectangle(xy=(0, 1.6), width=4, height=0.8, "
            "angle=0) (0.0, 5.25) (0.45999999999999996, 3.5400000000000005)",
        "b = plt.barh(['a', 'b'], [3, 4], height=0.5)\nprint(b[0], plt.xlim(), plt.ylim())":
            "Rectangle(xy=(0, -0.25), width=3, height=0.5, angle=0) (0.0, 4.2) "
            "(-0.325, 1.325)",
        "b = plt.bar([1, 2], [3, 4], width=0.5)\nprint(b, b[0])":
            "<BarContainer object of 2 artists> Rectangle(xy=(0.75, 0), width=0.5, height=3, "
            "angle=0)",
        "w, t = plt.pie([1, 2, 3])\nprint(len(w), t[2], w[0].theta1, w[0].theta2, w[1].theta2)":
            "3 Text(-2.0206672185931328e-16, -1.1, '') 0.0 60.0 180.0",
        "w, t, a = plt.pie([1, 1], labels=['a', 'b'], autopct='%.0f%%', startangle=90)\n"
        "print(t, a)":
            "[Text(-1.1, 1.3471114790620887e-16, 'a'), Text(1.1, -2.6942229581241775e-16, "
            "'b')] [Text(-0.6, 7.347880794884119e-17, '50%'), Text(0.6, "
            "-1.4695761589768238e-16, '50%')]",
        "w, t = plt.pie([0.2, 0.3], normalize=False)\nprint(w[1].theta2)": "180.0",
        "print(plt.contour([[1, 2], [3, 4]]).levels)": "[0.8 1.2 1.6 2.  2.4 2.8 3.2 3.6 4. ]",
        "print(plt.contour([[1, 2], [3, 4]], 3).levels, plt.contour([[0, 0], [0, 0]]).levels)":
            "[0.8 1.6 2.4 3.2 4. ] [-2.5e-14  0.0e+00  2.5e-14]",
        "print(plt.contourf([[0, 10], [100, 1000]]).levels, "
        "plt.contour([[-5, 3], [2, 7.5]]).levels)":
            "[   0.  150.  300.  450.  600.  750.  900. 1050.] [-6. -4. -2.  0.  2.  4.  6.  8.]",
        "print(plt.contour([[1.0001, 1.0002], [1.0003, 1.0004]]).levels)":
            "[1.00008 1.00012 1.00016 1.0002  1.00024 1.00028 1.00032 1.00036 1.0004 ]",
        "print(plt.contour([0, 1, 2], [0, 1], [[1, 2, 3], [3, 4, 5]], levels=[2, 3]).levels)":
            "[2. 3.]",
        "s = plt.stem([1, 2, 4], [1, -3, 2], bottom=1)\nprint(s, plt.xlim(), plt.ylim())":
            "<StemContainer object of 3 artists> (0.85, 4.15) (-3.25, 2.25)",
        "d = plt.boxplot([1, 2, 3, 4, 100])\nprint(sorted(d), [len(d[k]) for k in sorted(d)], "
        "d['medians'][0].get_ydata(), d['whiskers'][1].get_ydata(), "
        "d['fliers'][0].get_ydata(), d['caps'][0].get_xdata(), plt.xlim())":
            "['boxes', 'caps', 'fliers', 'means', 'medians', 'whiskers'] [1, 2, 1, 0, 1, 2] "
            "[3. 3.] [4. 4.] [100.] [0.9625 1.0375] (0.5, 1.5)",
        "d = plt.boxplot([[1, 2, 3], [4, 5, 6, 7]], positions=[2, 5], widths=1)\n"
        "print(d['boxes'][1].get_xdata(), plt.xlim(), plt.ylim())":
            "[4.5 5.5 5.5 4.5 4.5] (1.5, 5.5) (0.7, 7.3)",
        "ax = plt.gca()\nax2 = plt.twinx()\nax2.plot([1, 2], [10, 20])\n"
        "print(ax2.get_ylim(), ax.get_ylim(), plt.gca() is ax2, plt.gcf())":
            "(9.5, 20.5) (0.0, 1.0) True <Figure size 640x480 with 2 Axes>",
        "im = plt.imshow([[1, 2], [3, 4]])\nprint(im, plt.colorbar())":
            "AxesImage(shape=(2, 2)) <matplotlib.colorbar.Colorbar object at 0x>",
        "print(plt.scatter([1], [2]), plt.fill_between([1, 2], [1, 2]))":
            "<matplotlib.collections.PathCollection object at 0x> "
            "<matplotlib.collections.FillBetweenPolyCollection object at 0x>",
        "print(plt.step([1, 2, 3], [1, 3, 2], where='mid')[0].get_xdata())":
            "[1.  1.5 1.5 2.5 2.5 3. ]",
    }
    for source, expected in cases.items():
        out = re.sub(r"at 0x[0-9a-f]+", "at 0x", interpret(source + "\n"))
        assert out == expected + "\n", source


def test_errors_of_the_new_functions_as_matplotlib():
    cases = {
        "plt.gca().text(1, 2)": "TypeError: Axes.text() missing 1 required positional "
                                "argument: 's'",
        "plt.annotate('a')": "TypeError: Axes.annotate() missing 1 required positional "
                             "argument: 'xy'",
        "plt.axhline([1, 2])": "ValueError: The truth value of an array with more than one "
                               "element is ambiguous. Use a.any() or a.all()",
        "plt.axhline(1, xmin='a')": "ValueError: xmin must be a single scalar value, but got a",
        "plt.hlines([1, 2], [0, 1, 2], 1)": "ValueError: could not broadcast input array from "
                                            "shape (3,) into shape (2,)",
        "plt.fill_between([1, 2], [1, 2, 3])": "ValueError: 'x' has size 2, but 'y1' has an "
                                               "unequal size of 3",
        "plt.errorbar([1, 2], [1, 2], yerr=[1, 2, 3])":
            "ValueError: 'yerr' (shape: (3,)) must be a scalar or a 1D or (2, n) array-like "
            "whose shape matches 'y' (shape: (2,))",
        "plt.errorbar([1, 2], [1, 2], yerr=-1)": "ValueError: 'yerr' must not contain "
                                                 "negative values",
        "plt.errorbar([1, 2], [1, 2], fmt='zz')": "ValueError: 'zz' is not a valid format "
                                                  "string (unrecognized character 'z')",
        "plt.barh([1, 2], [3, 4, 5])":
            "ValueError: shape mismatch: objects cannot be broadcast to a single shape.  "
            "Mismatch is between 'width' with shape (3,) and 'y' with shape (2,).",
        "plt.barh([1, 2], [3, 4], align='x')": "ValueError: 'x' is not a valid value for "
                                               "align. Supported values are 'center', 'edge'",
        "plt.pie([1, -2])": "ValueError: Wedge sizes 'x' must be non negative values",
        "plt.pie([[1, 2], [3, 4]])": "ValueError: x must be 1D",
        "plt.pie([1, 2], labels=['a'])": "ValueError: 'labels' must be of length 'x', not 1",
        "plt.pie([0, 0])": "ValueError: All wedge sizes are zero",
        "plt.pie([1, 2], autopct=5)": "TypeError: autopct must be callable or a format string",
        "plt.pie([1, 2], explode=[1])": "ValueError: 'explode' must be of length 'x', not 1",
        "plt.pie([1, 2], normalize=False)": "ValueError: Cannot plot an unnormalized pie with "
                                            "sum(x) > 1",
        "plt.contour([1, 2, 3])": "TypeError: Input z must be 2D, not 1D",
        "plt.contour([[1, 2], [3, 4]], levels=[2, 1])": "ValueError: Contour levels must be "
                                                        "increasing",
        "plt.contour([0, 1, 2], [0, 1], [[1, 2], [3, 4]])": "TypeError: Length of x (3) must "
                                                            "match number of columns in z (2)",
        "plt.step([1, 2], [1, 2], where='x')": "ValueError: 'x' is not a valid value for "
                                               "where. Supported values are 'pre', 'post', "
                                               "'mid'",
        "plt.step([1, 2], [1, 2, 3])": "ValueError: x and y must have same first dimension, "
                                       "but have shapes (2,) and (3,)",
        "plt.stem([])": "ValueError: zero-size array to reduction operation minimum which has "
                        "no identity",
        "plt.stem([1, 2], [1, 2, 3])": "ValueError: could not broadcast input array from "
                                       "shape (3,) into shape (2,)",
        "plt.boxplot([[1, 2], [3]], tick_labels=['a'])": "ValueError: The number of labels "
                                                         "(1) must match the number of "
                                                         "columns (2).",
        "plt.boxplot([1, 2, 3], whis='a')": "ValueError: whis must be a float or list of "
                                            "percentiles",
        "plt.plot([1])\nplt.colorbar()":
            "RuntimeError: No mappable was found to use for colorbar creation. First define a "
            "mappable such as an image (with imshow) or a contour set (with contourf).",
        "plt.colorbar(5)": "ValueError: Unable to determine Axes to steal space for Colorbar. "
                           "Either provide the *cax* argument to use as the Axes for the "
                           "Colorbar, provide the *ax* argument to steal space from it, or "
                           "add *mappable* to an Axes.",
    }
    for source, message in cases.items():
        with pytest.raises(TshRuntimeError) as info:
            interpret(source + "\n")
        assert f"{info.value.type_name}: {info.value.message}" == message, source


def test_a_row_of_axes_side_by_side_with_the_new_marks(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "import torch\n"
        "x = torch.linspace(0, 6, 50)\n"
        "fig, axes = plt.subplots(1, 3, figsize=(12, 3))\n"
        "axes[0].plot(x, torch.sin(x))\n"
        "axes[0].axhline(0)\n"
        "axes[0].text(0.5, 0.5, 'peak')\n"
        "axes[0].set_title('sine')\n"
        "axes[1].fill_between(x, torch.sin(x), 0)\n"
        "axes[1].set_title('area')\n"
        "axes[2].errorbar([1, 2, 3], [2, 3, 1], yerr=0.5, fmt='o')\n"
        "axes[2].set_title('errors')\n"
        "fig.suptitle('Three')\n"
        "plt.show()\n"))
    assert status == 0 and err == "", err
    lines = out.splitlines()
    assert lines[0].strip() == "Three"
    assert lines[1].split() == ["sine", "area", "errors"]
    assert max(len(line) for line in lines) <= 80
    assert lines[2].count("┌") == 3 and lines[-2].count("└") == 3
    assert "peak" in out
    zero_row = next(line for line in lines if line.lstrip().startswith("0.0"))
    assert "─" * 5 in zero_row.split("│")[0] + zero_row[:26]    # axhline(0) across the first


def test_grid_falls_back_to_one_after_another_when_narrow():
    from tshell.ui.pyplot import Pyplot         # the figure's text at a given width
    pyplot = Pyplot(None)
    fig, axes = pyplot.subplots(1, 3)
    for i, axes_one in enumerate(axes):
        axes_one.plot([1, 2, 3])
        axes_one.set_title(f"t{i}")
    wide = fig.text(80, False).splitlines()
    narrow = fig.text(60, False).splitlines()      # two of 29 columns fit: rows of two
    tiny = fig.text(40, False).splitlines()        # one a row
    assert [line.split() for line in wide if "t0" in line] == [["t0", "t1", "t2"]]
    assert [line.split() for line in narrow if "t" in line and "┤" not in line] == \
        [["t0", "t1"], ["t2"]]
    assert [line.strip() for line in tiny if line.strip() in ("t0", "t1", "t2")] == \
        ["t0", "t1", "t2"]
    assert max(len(line) for line in tiny) <= 40


def test_barh_pie_and_boxplot_drawn(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "plt.barh(['apples', 'pears', 'figs'], [3, 5, 1])\n"
        "plt.title('fruit')\n"
        "plt.show()\n"
        "print('--')\n"
        "plt.pie([1, 2, 1], labels=['red', 'green', 'blue'], autopct='%1.0f%%')\n"
        "plt.title('shares')\n"
        "plt.show()\n"
        "print('--')\n"
        "plt.boxplot([[1, 2, 3, 4, 10], [2, 3, 3, 4]], tick_labels=['a', 'b'])\n"
        "plt.show()\n"))
    assert status == 0 and err == "", err
    bars, pie, box = out.split("--\n")
    bar_lines = bars.splitlines()
    assert bar_lines[0].strip() == "fruit"
    rows = {name: next(line for line in bar_lines if line.lstrip().startswith(name))
            for name in ("apples", "pears", "figs")}
    assert rows["pears"].count("█") > rows["apples"].count("█") > rows["figs"].count("█") > 0
    assert pie.splitlines()[0].strip() == "shares"
    table = pie.splitlines()[1:]
    assert [line.split()[0] for line in table] == ["red", "green", "blue"]
    assert [line.split()[-1] for line in table] == ["25%", "50%", "25%"]
    assert abs(table[1].count("█") - 2 * table[0].count("█")) <= 1 and "█" in table[0]
    assert "┌" in box and "Traceback" not in box


def test_contours_and_colorbar_drawn_as_pictures(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "import torch\n"
        "x = torch.linspace(-1, 1, 40)\n"
        "z = x.view(1, -1) ** 2 + x.view(-1, 1) ** 2\n"
        "cs = plt.contourf(z, levels=4)\n"
        "cb = plt.colorbar(cs)\n"
        "cb.set_label('radius')\n"
        "plt.title('bowl')\n"
        "plt.show()\n"
        "print('SPLIT')\n"
        "plt.contour(z)\n"
        "plt.show()\n"))
    assert status == 0 and err == "", err
    filled, lines = out.split("SPLIT\n")
    rows = filled.splitlines()
    assert rows[0].strip() == "bowl"
    picture = rows[1:-2]
    assert len(picture) == 24 and max(len(r) for r in picture) <= 48
    middle = picture[len(picture) // 2]
    assert middle[len(middle) // 2] in " .:" and picture[0][0] in "*#%@"   # a bowl
    assert rows[-2].startswith("0 ") and rows[-2].endswith(" 2") and rows[-1] == "radius"
    contour = lines.splitlines()
    assert len(contour) == 24
    assert contour[12].strip() != "" and contour[12][24] == " "       # rings, blank inside


def test_twinx_draws_a_right_axis(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"
        "ax.plot([1, 2, 3], [1, 2, 3])\n"
        "ax.set_ylabel('loss')\n"
        "ax2 = ax.twinx()\n"
        "ax2.plot([1, 2, 3], [100, 300, 200])\n"
        "ax2.set_ylabel('accuracy')\n"
        "print(fig)\n"
        "plt.show()\n"))
    assert status == 0 and err == "", err
    lines = out.splitlines()
    assert lines[0] == "<Figure size 640x480 with 2 Axes>"
    assert sum("┌" in line for line in lines) == 1              # one chart, both series
    assert any(line.rstrip().endswith("300") for line in lines)   # the right axis' ticks
    assert "accuracy" in out and "loss" in out


def test_what_a_chart_builds_is_capped(tmp_path):
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "plt.plot([0, 1])\n"
        "plt.text(0, 0.5, 'x' * 10**7)\n"       # drawn cut to the chart's width
        "plt.show()\n"
        "for i in range(100000):\n"
        "    plt.annotate('a', (0, 0))\n"), options=("--max-memory", "64MB"))
    assert status == 1
    assert max(len(line) for line in out.splitlines()) <= 80 and "xxxxxxxxxx" in out
    assert "memory limit" in err and "Traceback" not in err


def test_colour_codes_take_no_columns_side_by_side():
    from tshell.ui.pyplot import Pyplot         # the figure's text at a given width
    from tshell.ui.pyplot_draw import visible_width
    pyplot = Pyplot(None)
    fig, axes = pyplot.subplots(2, 3)
    axes[0, 0].plot([1, 2, 3])
    axes[0, 1].imshow([[0.0, 1.0], [1.0, 0.0]])
    axes[0, 2].pie([1, 2])
    axes[1, 0].contourf([[1, 2], [3, 4]])
    axes[1, 1].barh(["a", "b"], [1, 2])
    axes[1, 2].fill_between([1, 2, 3], [1, 3, 2])
    lines = fig.text(100, True).splitlines()
    assert any("\x1b[" in line for line in lines)
    assert max(visible_width(line) for line in lines) <= 100
    assert sum(line.count("┌") == 2 for line in lines) == 1     # plot + contour; barh + fill


def test_d2l_show_images(tmp_path):
    """The d2l book's show_images: a grid of images, axes hidden through ax.axes.get_xaxis()."""
    status, out, err = tshell(tmp_path, (
        "import matplotlib.pyplot as plt\n"
        "import torch\n"
        "def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5):\n"
        "    _, axes = plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, "
        "num_rows * scale))\n"
        "    axes = axes.flatten()\n"
        "    for i, (ax, img) in enumerate(zip(axes, imgs)):\n"
        "        ax.imshow(img.numpy())\n"
        "        ax.axes.get_xaxis().set_visible(False)\n"
        "        ax.axes.get_yaxis().set_visible(False)\n"
        "        if titles:\n"
        "            ax.set_title(titles[i])\n"
        "    return axes\n"
        "torch.manual_seed(0)\n"
        "show_images([torch.rand(28, 28) for _ in range(6)], 2, 3, titles=list('abcdef'))\n"
        "plt.show()\n"))
    assert status == 0 and err == "", err
    lines = out.splitlines()
    assert [line.split() for line in lines if line.split() in (list("abc"), list("def"))] == \
        [list("abc"), list("def")]
    assert len(lines) == 28 and max(len(line) for line in lines) <= 80
