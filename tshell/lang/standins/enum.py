"""enum as tsh programs see it: Enum, IntEnum, StrEnum (3.11+), Flag, IntFlag and auto.

A tsh class deriving from Enum is made by Python's own enum machinery (its members are
instances of the class, with Python's reprs, lookups and errors): tshell's EnumType takes
the plain dict a tsh class body gives and replays it, in order, into the dict Python's
`__prepare__` makes (where `auto()` values are numbered and members told from methods).
The bases are tshell's subclasses of Python's, printed as Python's (`<enum 'Enum'>`); what
a program reads of a class or member goes through the sandbox as for any tsh class (public
names: members, `name`, `value`, its own methods; no `_member_map_`, no `__members__`).
`Enum("Color", "RED GREEN")` makes a class of the program's too; the metaclass is not
provided. A name given twice in a class body is the last value (a tsh class body is a plain
dict: Python's enum dict refuses the second).
"""

from __future__ import annotations

import enum as py_enum

from .. import classes, sandbox
from ..errors import TshAttributeError
from ..sandbox import Namespace
from ..typeview import TSH_CLASSES
from ._classes import ShownClass

HOST_CALLABLES = ()


class EnumType(py_enum.EnumMeta):
    """The metaclass of tshell's enums: Python's, fed a tsh class body's plain dict."""

    def __new__(mcs, name, bases, namespace, **kwargs):
        if type(namespace) is dict:                     # a tsh class body
            prepared = mcs.__prepare__(name, bases, **kwargs)
            prepared[_MARK] = _TshClassMark()
            for key, value in namespace.items():
                prepared[key] = value
            namespace = prepared
        return super().__new__(mcs, name, bases, namespace, **kwargs)

    def __setattr__(cls, name, value):
        try:
            super().__setattr__(name, value)
        except AttributeError as e:           # Color.RED = 5: the program's error
            raise TshAttributeError(str(e)) from None

    def __delattr__(cls, name):
        try:
            super().__delattr__(name)
        except AttributeError as e:
            raise TshAttributeError(str(e)) from None

    def __call__(cls, *args, **kwargs):
        """Color(1) looks a member up; Enum('Color', 'RED GREEN') makes a class of the
        program's (Python would name its module from the caller's frame)."""
        if len(args) < 2 and "names" not in kwargs:
            return super().__call__(*args, **kwargs)
        kwargs.setdefault("module", "__main__")
        made = super().__call__(*args, **kwargs)
        TSH_CLASSES.add(made)
        return made


_MARK = "__tsh_class_mark__"


class _TshClassMark:
    """Makes an enum a tsh class before Python's enum code makes its members (whose
    __init__, the program's, sets attributes as on any tsh object): the first name of the
    class body, whose __set_name__ Python's type() calls first; gone once it has run."""

    def __get__(self, obj, cls=None):                  # a descriptor: not a member
        return self

    def __set_name__(self, owner, name):
        TSH_CLASSES.add(owner)
        type.__delattr__(owner, name)


class Enum(py_enum.Enum, metaclass=EnumType):
    """Create a collection of name/value pairs (a tsh class deriving from Enum)."""


# Python's variants, each also deriving from tshell's Enum (isinstance(member, Enum)):
# Python's variant last, where Python's enum code takes the numbering of auto() values and
# a Flag's boundary from.
class IntEnum(Enum, py_enum.IntEnum):
    """Enum where members are also (and must be) ints."""


class Flag(Enum, py_enum.Flag):
    """Support for flags: members combine with |, & and ^."""


class IntFlag(Flag, py_enum.IntFlag):
    """Support for integer-based Flags."""


VARIANTS = {"Enum": Enum, "IntEnum": IntEnum, "Flag": Flag, "IntFlag": IntFlag}
if hasattr(py_enum, "StrEnum"):                    # Python 3.11+
    class StrEnum(Enum, py_enum.StrEnum):
        """Enum where members are also (and must be) strings."""
    VARIANTS["StrEnum"] = StrEnum


class auto(py_enum.auto, metaclass=ShownClass):
    """Instances are replaced with an appropriate value in Enum class suites."""


def unique(enumeration):
    """Class decorator for enumerations ensuring unique member values."""
    return py_enum.unique(enumeration)


classes.SUBCLASSABLE.append(Enum)
sandbox.register(auto, ("value",))


def namespace() -> Namespace:
    return Namespace("enum", {**VARIANTS,
                              "auto": auto, "unique": unique})
