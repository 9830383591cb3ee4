"""What the stand-ins' classes and functions share.

- `ShownClass`: a stand-in's class prints as the Python module's (`<class 'collections.deque'>`,
  instances `<itertools.chain object at 0x...>`), while its `__module__` stays tshell's, by
  which the sandbox audit knows tshell's own classes; `MadeClass`: a class a stand-in makes
  for the program prints as the program's (`<class '__main__.Point'>`).
- `is_program_class`: whether a class is one the program made (a tsh class, a namedtuple...),
  which `dataclass` and `total_ordering` may change, unlike tshell's and Python's classes.
- `builtin`: a function a stand-in writes in Python, shown as the C built-in it stands for.
- `bind`: positional-or-keyword arguments bound by name, for stand-ins that must see an
  argument before Python's own code runs, whichever way it was passed.
"""

from __future__ import annotations

import sys

from .. import runtime


def shown_module(cls: type) -> str:
    """'collections' for a class of tshell/lang/standins/collections.py."""
    return cls.__module__.rpartition(".")[2]


def _object_repr(self) -> str:
    return f"<{shown_module(type(self))}.{type(self).__qualname__} object at {id(self):#x}>"


class ShownClass(type):
    """Metaclass of the stand-ins' classes: they print as the Python module's classes."""

    def __new__(mcs, name, bases, namespace, **kwargs):
        if "__repr__" not in namespace and all(b.__repr__ is object.__repr__ for b in bases):
            namespace["__repr__"] = _object_repr
        return super().__new__(mcs, name, bases, namespace, **kwargs)

    def __repr__(cls):
        return f"<class '{shown_module(cls)}.{cls.__qualname__}'>"


class MadeClass(ShownClass):
    """A class a stand-in makes for the program (namedtuple, make_dataclass) prints as the
    program's: <class '__main__.Point'> (or its `_module`); its instances print as the
    program's class's do (`made_object_repr` when the class has no repr of its own)."""

    def __new__(mcs, name, bases, namespace, **kwargs):
        return type.__new__(mcs, name, bases, namespace, **kwargs)

    def __repr__(cls):
        return f"<class '{cls.__dict__.get('_module', '__main__')}.{cls.__qualname__}'>"


def made_object_repr(self) -> str:
    cls = type(self)
    return f"<{cls.__dict__.get('_module', '__main__')}.{cls.__qualname__} object at {id(self):#x}>"


def is_program_class(cls) -> bool:
    """Whether cls is a class the program made (a tsh class, a namedtuple...): a real class
    that no module defines under its name. tshell's, Python's and NumPy's classes all are
    importable (the iterator types of deep_values are Python's built-in names); a class made
    at run time is not, and a stand-in that makes a class shared by all programs gives it
    its module and name (functools.CacheInfo)."""
    if not isinstance(cls, type) or cls.__module__ == "builtins":
        return False
    module = sys.modules.get(cls.__module__)
    if module is None or cls.__module__ == "__main__" or "<locals>" in cls.__qualname__:
        return True
    found = module
    for part in cls.__qualname__.split("."):
        found = getattr(found, part, None)
    return found is not cls


def builtin(fn, name: str | None = None):
    """fn shown as a built-in function of the module it stands for (runtime.as_builtin)."""
    return runtime.as_builtin(fn, name=name)


_UNSET = object()


def bind(args: tuple, kwargs: dict, names: tuple, defaults: tuple = ()):
    """The values of positional-or-keyword parameters `names` (the last len(defaults) of
    them optional), or None when the arguments do not fit: the caller then lets Python's
    own function word the error."""
    if len(args) > len(names) or set(kwargs) - set(names[len(args):]):
        return None
    values = list(args) + [kwargs.get(n, _UNSET) for n in names[len(args):]]
    first_default = len(names) - len(defaults)
    for i, v in enumerate(values):
        if v is _UNSET:
            if i < first_default:
                return None
            values[i] = defaults[i - first_default]
    return values
