"""Attributes the library reads under a name the program gave it (docs/security.md).

A few library functions take an attribute's name as data and read it with getattr: a
Distribution validates `getattr(self, name)` for each key of its `arg_constraints`, pruning
reads `getattr(module, name)`. Python's getattr answers any name (`'__dict__'`,
`'__reduce_ex__'`, the library's `_forward_hooks`), and what it gives reaches the program's
code (its Constraint's `check`, its module's `register_parameter`). Such reads go through
`read`, which the language points at its sandbox's own attribute door, so that the library
reads by a program's name only what the program could read itself. Used alone (`import
tshell.core as torch`), the core reads as PyTorch does.
"""

from __future__ import annotations

_reader = getattr


def read(obj, name: str):
    """obj.<name>, for a name the program chose."""
    return _reader(obj, name)


def install(reader) -> None:
    """Read program-named attributes with reader(obj, name) from now on."""
    global _reader
    _reader = reader
