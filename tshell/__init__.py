"""tshell: a command-line tensor REPL and script interpreter with PyTorch's semantics."""

__version__ = "0.1.0"   # tshell's version, written only here (pyproject reads it)
