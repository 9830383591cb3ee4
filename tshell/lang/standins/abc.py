"""abc as tsh programs see it: ABC, ABCMeta and abstractmethod for tsh classes.

Python's ABCMeta finds abstract methods by their `__isabstractmethod__` attribute, which a
tsh function (a slotted object of tshell's) cannot take. Here `abstractmethod` records the
function in a set of tshell's, and tshell's ABCMeta (Python's, subclassed) computes the
class's `__abstractmethods__` from it as Python's `_abc_init` does: its own abstract
members (functions, and properties, static and class methods around them) and the
inherited abstract names it does not override. Python itself then refuses to instantiate
the class, with the running Python's words ("Can't instantiate abstract class A with
abstract method f" on 3.11, "... without an implementation for abstract method 'f'" from
3.12). The metaclass itself is not provided (tsh classes take no metaclass), and
`register` (virtual subclasses) is not readable on classes, as for every class.
"""

from __future__ import annotations

import abc as py_abc

from .. import classes
from ..errors import TshAttributeError
from ..functions import TshFunction
from .. import sandbox
from ..sandbox import Namespace
from ._classes import builtin

HOST_CALLABLES = ()

_abstract: set = set()          # the tsh functions abstractmethod marked


def abstractmethod(funcobj):
    """A decorator indicating abstract methods: a class whose metaclass is ABCMeta (a
    subclass of ABC) cannot be instantiated until all of them are overridden."""
    if type(funcobj) is TshFunction:
        _abstract.add(funcobj)
        return funcobj
    try:
        return py_abc.abstractmethod(funcobj)
    except AttributeError as e:                 # Python's words for what it refuses
        raise TshAttributeError(str(e)) from None


def _is_abstract(value) -> bool:
    if type(value) is TshFunction:
        return value in _abstract
    if isinstance(value, property):
        return any(_is_abstract(f) for f in (value.fget, value.fset, value.fdel))
    if isinstance(value, (staticmethod, classmethod)):
        return _is_abstract(value.__func__)
    return bool(getattr(value, "__isabstractmethod__", False))


class ABCMeta(py_abc.ABCMeta):
    """Metaclass for defining Abstract Base Classes (tsh classes deriving from ABC)."""

    def __new__(mcs, name, bases, namespace, **kwargs):
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        abstracts = {name for name, value in namespace.items() if _is_abstract(value)}
        for base in bases:
            for name in getattr(base, "__abstractmethods__", ()):
                if _is_abstract(getattr(cls, name, None)):
                    abstracts.add(name)
        cls.__abstractmethods__ = frozenset(abstracts)
        return cls

    def __repr__(cls):
        return "<class 'abc.ABC'>" if cls is ABC else super().__repr__()


class ABC(metaclass=ABCMeta):
    """Helper class that provides a standard way to create an ABC using inheritance."""

    __slots__ = ()


classes.SUBCLASSABLE.append(ABC)
sandbox.OPEN_BASES.add(ABC)      # keeps nothing under names of its own on instances
classes.MIXIN_METACLASSES.append(ABCMeta)         # class Encoder(nn.Module, ABC)


def namespace() -> Namespace:
    return Namespace("abc", {"ABC": ABC, "abstractmethod": builtin(abstractmethod)})
