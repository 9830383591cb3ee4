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

_reader, _writer = getattr, setattr


def read(obj, name: str):
    """obj.<name>, for a name the program chose."""
    return _reader(obj, name)


def state_of(obj) -> dict:
    """obj's attributes as the program may read them: a callable object's state, which a
    scheduler's state_dict saves (PyTorch: its `__dict__`, which for a module holds the
    library's tables)."""
    state = {}
    for name in list(vars(obj)):
        try:
            state[name] = _reader(obj, name)
        except AttributeError:
            continue                # the library's own: not the program's to save
    return state


def restore(obj, state: dict) -> None:
    """Set obj's attributes from state as the program may set them (PyTorch updates the
    object's `__dict__` with whatever the state dict holds)."""
    for name, value in state.items():
        _writer(obj, name, value)


def install(reader, writer) -> None:
    """Read and write program-named attributes with reader(obj, name) and
    writer(obj, name, value) from now on."""
    global _reader, _writer
    _reader, _writer = reader, writer
