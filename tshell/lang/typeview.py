"""What type() shows a program, and which classes a program may hold.

type(x) gives the real class only when a program can name it anyway (torch.Tensor,
np.ndarray, list, its own classes...); for any other class it gives a ClassName, which prints
as the class and serves isinstance but cannot be called, so no class reaches a program that
could make objects tshell never meant it to (a graph node's, NoneType, a method's). tshell's
internal exception classes show as the Python classes they stand for.
"""

from __future__ import annotations

import weakref

from .errors import TshAttributeError, TshImportError, TshNameError, TshRecursionError
from .functions import TshFunction
from .namespace import LazyMembers, Namespace

class ClassName:
    """What type() gives for a class a program cannot name (a graph node's, a method's,
    NoneType...): it prints as the class and serves isinstance, but it cannot be called,
    so no class reaches a program that could make objects tshell never meant it to."""

    __slots__ = ("text", "name", "kinds")

    def __init__(self, name: str, kinds: tuple = (), text: str | None = None):
        self.text, self.name, self.kinds = text or f"<class '{name}'>", name, kinds

    def __repr__(self):
        return self.text

    def __call__(self, *args, **kwargs):
        raise TypeError(f"cannot create '{self.name}' instances")

    def __instancecheck__(self, obj):       # isinstance(f, type(f)) as in CPython
        return isinstance(obj, self.kinds)

    def __subclasscheck__(self, cls):
        return isinstance(cls, type) and issubclass(cls, self.kinds)


_CLASS_NAMES: dict = {}


def class_name(cls: type) -> ClassName:
    """The one ClassName of cls (so that type(a) is type(b) holds as for classes)."""
    name = _CLASS_NAMES.get(cls)
    if name is None:
        name = _CLASS_NAMES[cls] = ClassName(cls.__qualname__, (cls,), repr(cls))
    return name


TYPE_OF_TYPE = ClassName("type", (type, ClassName))
FUNCTION_TYPE = ClassName("function", (TshFunction,))

# Real class -> what type() gives instead (list -> the guarded list tsh code calls `list`);
# the runtime fills it.
GUARDED_TYPES: dict = {}

# tshell's own exception classes -> the Python class each stands for
PUBLIC_CLASSES = {TshAttributeError: AttributeError, TshNameError: NameError,
                  TshImportError: ImportError, TshRecursionError: RecursionError}

# Classes defined by tsh programs (classes.make_class adds them)
TSH_CLASSES: weakref.WeakSet = weakref.WeakSet()


def public_class(cls: type) -> type:
    """The class a program sees for cls (tshell's internal exception classes: Python's)."""
    return PUBLIC_CLASSES.get(cls, cls)



def tsh_type(*args, **kwargs):
    """type(x): the class of x (tensors give torch.Tensor)."""
    if len(args) != 1 or kwargs:
        # type(name, bases, dict) would make a class: tsh code cannot define classes
        raise TypeError("type() takes 1 or 3 arguments" if len(args) != 3 or kwargs else
                        "type() with 3 arguments (making a class) is not supported in tsh")
    obj, = args
    return type_of(obj)


def type_of(obj):
    """What type(obj) gives a program."""
    cls = type(obj)
    if issubclass(cls, type) or cls is ClassName:
        return TYPE_OF_TYPE
    if cls is TshFunction:
        return FUNCTION_TYPE              # TshFunction(...) would build functions from parts
    # `type(x) is list`: the `list` tsh code sees; type(print): builtin_function_or_method
    cls = GUARDED_TYPES.get(cls) or PUBLIC_CLASSES.get(cls, cls)
    if cls in NAMEABLE or isinstance(cls, ClassName) or cls in TSH_CLASSES:
        return cls
    return class_name(cls)


def _type_parameters(obj, /):
    """What help(type) shows."""


tsh_type.__wrapped__ = _type_parameters


# The classes a program can name (torch.Tensor, np.ndarray, list...): type() hands out these
# and ClassName stand-ins for all others.
NAMEABLE: set = set()


def classes_in(members: dict, depth: int = 0) -> set:
    found = set()
    for value in members.values():
        if isinstance(value, type):
            found.add(value)
        elif isinstance(value, Namespace) and depth < 4 and not (
                isinstance(value._members, LazyMembers) and not value._members.loaded):
            found |= classes_in(value._members, depth + 1)    # (a lazy one: when loaded)
    return found
