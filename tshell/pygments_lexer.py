"""A Pygments lexer for tsh: `pygmentize -l tsh f.tsh`, the REPL's highlighting, and the
Jupyter kernel's language_info (registered as the `tsh` alias by an entry point in
pyproject.toml; `.tsh` files map to it).

tsh is Python's syntax, so Python's lexer does the scanning; on top of it, Python keywords
that tsh refuses are marked as errors (the set comes from the language layer, so it follows
the grammar as it grows), tshell's own built-ins and the torch/np modules are named as such,
and REPL input - `%magics`, `%%cell magics`, `x?` - is understood.
"""

from __future__ import annotations

from pygments.lexer import bygroups, inherit
from pygments.lexers.python import PythonLexer
from pygments.token import Error, Keyword, Name, Operator, Whitespace

from tshell.lang.grammar import keywords
from tshell.lang.layout import UNSUPPORTED
from tshell.ui.builtins import FACTORIES

MODULES = frozenset({"torch", "np", "numpy"})


class TshLexer(PythonLexer):
    """tsh, the PyTorch-style language of tshell."""

    name = "tsh"
    aliases = ["tsh", "tshell"]
    filenames = ["*.tsh"]
    mimetypes = ["text/x-tsh"]
    url = "https://pypi.org/project/tshell/"

    tokens = {
        "root": [
            (r"^([ \t]*)(%%?[A-Za-z_]\w*)", bygroups(Whitespace, Keyword.Pseudo)),
            (r"\?\??(?=[ \t]*$)", Operator),          # NAME? and NAME?? ask for help
            inherit,
        ],
    }

    def get_tokens_unprocessed(self, text, stack=("root",)):
        refused = frozenset(UNSUPPORTED) - keywords()      # those the grammar lacks
        for index, token, value in super().get_tokens_unprocessed(text, stack):
            if token in Keyword and value in refused:
                token = Error
            elif token is Name and value in FACTORIES:
                token = Name.Builtin
            elif token in Name and value in MODULES and token is not Name.Attribute:
                token = Name.Namespace
            yield index, token, value
