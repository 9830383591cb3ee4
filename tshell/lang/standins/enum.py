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
from collections.abc import Mapping

from .. import classes, guards, sandbox
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
        args, kwargs = _checked_functional(args, kwargs)
        kwargs["module"] = "__main__"
        made = super().__call__(*args, **kwargs)
        TSH_CLASSES.add(made)
        return made


_MARK = "__tsh_class_mark__"

# Bytes a member of a functional API's class takes (the member, its maps' entries): 10**5
# dataclass fields took 82 MB, enum members are alike.
MEMBER_BYTES = 1024
MIXIN_TYPES = (None, int, str, float)


def _checked_functional(args: tuple, kwargs: dict):
    """Enum('Color', names) as a class body is checked: Python's functional API put a mapping's
    or a pair list's names in the class's dict as they are, so `{'__class__': torch.Tensor}`,
    `{'__del__': f}`, `{'__getattr__': f}` defined what no tsh class body may; names starting
    with '_' are refused, `type=` is a value type, `module=`/`qualname=` are the program's
    (`__main__`: a class named after the library's modules would read as the library's), and
    the members are counted against the memory cap."""
    for key in ("module", "qualname"):
        if kwargs.get(key) is not None:
            raise TypeError(f"Enum()'s {key}= is not supported in tsh")
    if kwargs.get("type") not in MIXIN_TYPES:
        raise TypeError("Enum()'s type= must be int, str or float in tsh")
    names = args[1] if len(args) >= 2 else kwargs["names"]
    if isinstance(names, str):
        listed = names.replace(",", " ").split()
    elif isinstance(names, Mapping):
        listed = list(names)
    else:
        names = guards.materialize(names)        # an iterator is read once, here
        listed = [n[0] if isinstance(n, (tuple, list)) and n else n for n in names]
        args, kwargs = ((*args[:1], names, *args[2:]), kwargs) if len(args) >= 2 else \
            (args, {**kwargs, "names": names})
    for name in listed:
        if isinstance(name, str) and name[:1] == "_":
            raise ValueError(f"Enum member names may not start with '_' in tsh: {name!r}")
    guards.check_width(len(listed) * MEMBER_BYTES, "Enum() members")
    return args, kwargs


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
