"""The memory cap against text the stand-ins build from a program's strings (docs/security.md,
"Resource limits"): paths joined and split by pathlib and os.path, argparse's help laid out
by Python's formatter, warnings filters' patterns compiled by Python's re. Each was
unmeasured; found by red-teaming under a 64 MB cap:
- `p = p / p.as_posix()` (or `os.path.join(p, p)`) doubles a path at each step: 22 steps
  took 80 MiB, 30 steps a gigabyte, in a loop too short to be measured;
- `Path('a/' * 20000).parents`: a 40 kB path made 1.5 GiB (each parent holds its parts);
- eight 10**7-character metavars or help texts: argparse's formatter ran for minutes;
- `warnings.filterwarnings('ignore', message='x' * 10**7)`: Python's re parser took over
  15 s and, as re.compile does, gigabytes (the re stand-in measured its own patterns only).
"""

import pytest

from tshell.lang import Interpreter

from tests.hardening.test_memory import cap  # noqa: F401  (the 64 MiB cap fixture)

from .escapes import refused

BOMBS = [
    "import pathlib\np = pathlib.Path('a')\nfor i in range(40):\n    p = p / p.as_posix()",
    "import pathlib\np = pathlib.Path('a/')\nfor i in range(40):\n    p = p.joinpath(p)",
    "import pathlib\np = 'a'\nfor i in range(40):\n    p = p / pathlib.Path(p)",
    "import pathlib\np = pathlib.Path('a' * 10**7).with_suffix('.' + 'b' * 10**7)",
    "import pathlib\np = pathlib.Path('a' * 10**7).with_name('b' * 10**7)",
    "import pathlib\np = pathlib.Path('a' * 10**7).with_stem('b' * 10**7)",
    "import pathlib\np = pathlib.Path('a' * 10**7, 'b' * 10**7)",
    "import pathlib\np = pathlib.PurePath('a/' * 10**6)",
    "import pathlib\nx = pathlib.Path('a/' * 20000).parents",
    "import os\np = 'a'\nfor i in range(40):\n    p = os.path.join(p, p)",
    "import os\np = os.path.normpath('a/' * 10**7)",
    "import os\np = os.path.commonpath(['a/' * 10**7, 'a/' * 10**7])",
    "import argparse\np = argparse.ArgumentParser(prog='a')\nm = 'M' * 10**7\n"
    "for i in range(8):\n    p.add_argument('--x%d' % i, metavar=m, help=m)\np.format_help()",
    "import argparse\np = argparse.ArgumentParser(prog='a')\n"
    "for i in range(8):\n    p.add_argument('--x%d' % i, help='M ' * 3 * 10**6)\np.print_help()",
    "import argparse\np = argparse.ArgumentParser(prog='a' * 10**7)\n"
    "p.add_argument('--x', metavar='M' * 10**7)\np.parse_args(['--y'])",
    "import argparse\np = argparse.ArgumentParser(description='d ' * 10**7)\np.format_usage()",
    "import argparse\np = argparse.ArgumentParser(formatter_class="
    "argparse.ArgumentDefaultsHelpFormatter)\n"
    "p.add_argument('--x', default=[[0] * 1000] * 10**5, help='h')\np.print_help()",
    "import warnings\nwarnings.filterwarnings('ignore', message='x' * 10**7)",
    "import warnings\nwarnings.filterwarnings('ignore', module='(x)' * 10**6)",
]


@pytest.mark.parametrize("src", BOMBS)
def test_text_the_standins_build_is_measured_first(src, cap):
    error, printed = refused(src)
    assert "bytes" in str(error) and "memory limit" in str(error), str(error)
    assert printed == ""


def test_paths_help_and_filters_of_ordinary_size_still_work(cap):
    interp = Interpreter()
    interp.run_source("""import pathlib, os, argparse, warnings
p = pathlib.Path('runs') / 'exp1' / 'model.pt'
got = [str(p), p.with_suffix('.ckpt').name, p.with_stem('best').name, str(p.parent),
       len(p.parents), os.path.join('runs', 'a.pt'), os.path.normpath('a//b/../c'),
       os.path.commonpath(['a/b', 'a/c'])]
parser = argparse.ArgumentParser(prog='train', description='Train a model.')
parser.add_argument('--lr', type=float, default=0.1, help='learning rate (%(default)s)')
help_text = parser.format_help()
with warnings.catch_warnings():
    warnings.filterwarnings('ignore', message='.*deprecated', module='__main__')
    warnings.warn('this is deprecated')
""", "<t>")
    ns = interp.namespace
    assert ns["got"] == ["runs/exp1/model.pt", "model.ckpt", "best.pt", "runs/exp1", 3,
                         "runs/a.pt", "a/c", "a"]
    assert "learning rate (0.1)" in ns["help_text"]
