"""Classes defined in tsh: real Python classes, made under the sandbox's rules.

A `class` statement runs its body into a dict and makes a Python class from it (so that
tshell's library classes work as bases: nn.Module's attribute registration, Dataset,
autograd.Function, exceptions). What keeps it safe (docs/security.md, "Classes"):
- bases are `object`, tsh classes, Python's exception classes, and the library classes
  meant to be subclassed (SUBCLASSABLE); no metaclass, no class keywords;
- the class body may define only the protocol methods of dunders.PROTOCOL_METHODS among
  double-underscore names (the compiler refuses the rest);
- its methods are tsh functions; programs read and write its instances' attributes through
  the sandbox (any name without a leading underscore).
"""

from __future__ import annotations

import builtins as py
import types

from .functions import TshFunction
from .typeview import GUARDED_TYPES, TSH_CLASSES, ClassName

# Library classes a program may subclass, with all their subclasses (the runtime adds
# nn.Module, Dataset, Function... once the core is loaded).
SUBCLASSABLE: list = [py.object, py.BaseException]


class UnboundSuper:
    """super(Class) with one argument: Python's unbound super object. Tutorials write
    `super(Class).__init__()` (meaning super(Class, self)); in Python that call
    re-initialises the unbound object and changes nothing, and so it does here."""

    __slots__ = ("cls",)

    def __init__(self):
        """super(Class).__init__(): nothing to initialise."""

    def __repr__(self):
        return f"<super: <class '{self.cls.__name__}'>, NULL>"

    @classmethod
    def of(cls, klass):
        unbound = cls()
        unbound.cls = klass
        return unbound


GUARDED_TYPES[UnboundSuper] = ClassName("super", (py.super, UnboundSuper))   # type(s)


def make_class(name: str, qualname: str, bases: tuple, keywords: dict, namespace: dict):
    """The class a tsh `class` statement defines."""
    if keywords:
        raise TypeError(f"{name}() takes no keyword arguments: class keywords "
                        f"({', '.join(keywords)}) are not supported in tsh")
    resolved = types.resolve_bases(bases)     # typing's Generic[T] stands for no base
    if resolved != bases:
        namespace["__orig_bases__"] = bases
        bases = resolved
    for base in bases:
        _check_base(base)
    namespace["__module__"] = "__main__"
    namespace["__qualname__"] = qualname
    namespace.setdefault("__doc__", None)
    metaclass = _metaclass(bases)
    cls = metaclass(name, bases or (py.object,), namespace)
    TSH_CLASSES.add(cls)
    for value in namespace.values():
        fn = _function_of(value)
        if fn is not None and fn.owner is _NEEDS_CLASS:
            fn.owner = cls
    return cls


def _check_base(base) -> None:
    if not isinstance(base, type):
        raise TypeError(f"bases must be classes, not {type(base).__name__}")
    if base in TSH_CLASSES or any(base is root or (root is not py.object and issubclass(
            base, root)) for root in SUBCLASSABLE):
        return
    raise TypeError(f"subclassing {base.__qualname__} is not supported in tsh")


# Metaclasses a stand-in gives its bases (abc.ABCMeta) that combine with the library's own
# (which only print its classes as torch's: PyTorch's have none), as `class
# Encoder(nn.Module, ABC)` needs; made once per pair.
MIXIN_METACLASSES: list = []
_combined: dict = {}


def _metaclass(bases):
    """type, or the library bases' own metaclass (the most derived one, as Python picks)."""
    winner = py.type
    for base in bases:
        meta = type(base)
        if issubclass(meta, winner):
            winner = meta
        elif not issubclass(winner, meta):
            winner = _combination(winner, meta)
    return winner


def _combination(first, second):
    """A metaclass deriving from both, where one is a stand-in's mixin metaclass."""
    mixin = next((m for m in MIXIN_METACLASSES if issubclass(first, m) or issubclass(second, m)),
                 None)
    if mixin is None:
        raise TypeError("metaclass conflict: the metaclass of a derived class must be a "
                        "(non-strict) subclass of the metaclasses of all its bases")
    library = second if issubclass(first, mixin) else first
    key = (library, mixin)
    if key not in _combined:
        _combined[key] = py.type(f"{library.__name__}{mixin.__name__}", (library, mixin), {})
    return _combined[key]


# A method that calls super() is marked when made and given its class by make_class.
_NEEDS_CLASS = object()


def needs_class(fn: TshFunction) -> None:
    fn.owner = _NEEDS_CLASS


def _function_of(value):
    """The tsh function behind a class-body value (a method, static/class method, property
    getter...), or None."""
    if type(value) is TshFunction:
        return value
    inner = getattr(value, "__func__", None) or getattr(value, "fget", None)
    return inner if type(inner) is TshFunction else None


def zero_argument_super(frame, cls_key, first_parameter):
    """super() in a method: super(its class, its first argument)."""
    cls = frame.get(cls_key)
    if cls is None or cls is _NEEDS_CLASS:
        raise RuntimeError("super(): __class__ cell not found")
    if first_parameter is None or first_parameter not in frame:
        raise RuntimeError("super(): no arguments")
    return py.super(cls, frame[first_parameter])
