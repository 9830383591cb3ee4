"""The tsh lexer through Pygments' API, and its registration (alias `tsh`, `*.tsh` files)."""

import os
import subprocess
import sys

import pytest
from pygments import highlight
from pygments.formatters import NullFormatter
from pygments.token import Error, Keyword, Name, Number, Operator

from tshell.lang.grammar import keywords
from tshell.pygments_lexer import TshLexer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tokens(text):
    return [(kind, value) for kind, value in TshLexer().get_tokens(text) if value.strip()]


def test_tsh_code_magics_and_help_requests():
    found = tokens("%whos\nx = torch.ones(3)\nshow(x)\nx?\nfor i in range(2):\n    pass\n")
    assert (Keyword.Pseudo, "%whos") in found
    assert (Name.Namespace, "torch") in found and (Name.Builtin, "show") in found
    assert (Operator, "?") in found and (Number.Integer, "3") in found
    assert (Keyword, "for") in found and (Keyword, "pass") in found
    assert not [t for t in found if t[0] is Error]


def test_refused_keywords_are_errors_and_the_grammars_keywords_are_not():
    for word in ("lambda", "class", "yield", "global"):
        kind = Error if word not in keywords() else Keyword
        assert (kind, word) in tokens(f"{word} x\n")
    assert (Keyword, "while") in tokens("while x:\n    pass\n")


def test_highlight_round_trips_the_text():
    code = "y = (x * 2).sum()\n%timeit y + 1\n"
    assert highlight(code, TshLexer(), NullFormatter()) == code


def test_registered_alias_and_file_name_through_the_entry_point(tmp_path):
    """pyproject.toml's entry point, as an installed tshell declares it: a distribution
    made from it is put first on the path of a fresh `pygmentize`."""
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    lexers = project["entry-points"]["pygments.lexers"]
    from tshell import __version__        # the version is written once, there
    info = tmp_path / f"tshell-{__version__}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: tshell\n"
                                   f"Version: {__version__}\n")
    (info / "entry_points.txt").write_text(
        "[pygments.lexers]\n" + "".join(f"{k} = {v}\n" for k, v in lexers.items()))
    (tmp_path / "f.tsh").write_text("x = torch.ones(2)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), ROOT]))
    script = ("from pygments.lexers import get_lexer_by_name, get_lexer_for_filename\n"
              "print(get_lexer_by_name('tsh').name, get_lexer_for_filename('f.tsh').name)\n")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.stdout.split() == ["tsh", "tsh"], done.stderr
    done = subprocess.run([sys.executable, "-m", "pygments", "-l", "tsh", "-f", "raw",
                           "f.tsh"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert "Token.Name.Namespace\t'torch'" in done.stdout, done.stderr
