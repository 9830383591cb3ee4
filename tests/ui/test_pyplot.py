"""`import matplotlib.pyplot as plt` in tsh programs: figures drawn in the terminal, run as
`python -m tshell file.tsh` (tshell/ui/pyplot.py)."""

import os
import re
import subprocess
import sys
from pathlib import Path

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
