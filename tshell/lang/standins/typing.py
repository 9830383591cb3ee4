"""typing as tsh programs see it: names for annotations. tsh never evaluates annotations, but
`from typing import List` must bind something, and `List[int]`, `Optional[str]`,
`Callable[[int], float]` must work and print as typing's do. Each name is a harmless object
of this module (no attribute a program can read); subscripting makes another, which records
how deeply such objects are nested (`T = List[T]` 200 000 times would otherwise make printing
or comparing them overflow the C stack). The host classes an alias stands for (list,
collections.abc.Iterable...) serve isinstance() and are never handed out.
"""

from __future__ import annotations

import collections.abc as abc
import re
import sys

from .. import guards, runtime
from ..deep_values import MAX_NESTING, check_key, too_deep
from ..sandbox import Namespace
from . import collections as standin_collections
from ._classes import ShownClass

HOST_CALLABLES = ()

_CLASS_TEXT = re.compile(r"<class '(?:builtins\.)?(.*)'>")


def type_repr(obj) -> str:
    """An annotation's argument as typing prints it: classes by name, ... as '...'."""
    guards.check_text(obj)
    if obj is Ellipsis:
        return "..."
    if isinstance(obj, list):
        return f"[{', '.join(map(type_repr, obj))}]"
    if obj is None:
        return "None"
    if isinstance(obj, str):
        return f"ForwardRef({obj!r})"
    text = repr(obj)
    shown = _CLASS_TEXT.fullmatch(text)
    return shown.group(1) if shown else text


def _depth(args: tuple) -> int:
    """How deeply typing objects are nested in args (printing, comparing and hashing them
    recurse); tuples among them are checked as dict keys are (a Union hashes its members)."""
    check_key(args)
    depth = 1 + max((getattr(a, "_nesting", 0) for a in args if isinstance(a, TypingObject)),
                    default=0)
    if depth > MAX_NESTING:
        raise too_deep("nesting typing objects")
    return depth


def _as_tuple(params) -> tuple:
    return params if isinstance(params, tuple) else (params,)


def _real_class(cls):
    """Python's class behind tsh's (tsh's `list` is a guarded stand-in of list)."""
    return getattr(cls, "base", cls) if isinstance(type(cls), type) and \
        type(cls).__name__.startswith("_Guarded") else cls


class TypingObject(metaclass=ShownClass):
    """Base of this module's objects: no attribute for programs, | makes a Union."""

    __slots__ = ("_name", "_nesting")

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]

    def __call__(self, *args, **kwargs):
        raise TypeError(f"Cannot instantiate {self!r}")

    def __instancecheck__(self, obj):
        raise TypeError(f"{self!r} cannot be used with isinstance()")

    def __subclasscheck__(self, cls):
        raise TypeError(f"{self!r} cannot be used with issubclass()")


# ---------------------------------------------------------------------- special forms
class SpecialForm(TypingObject):
    """Any, Union, Optional, ClassVar...: typing.NAME, and NAME[...] when it takes one."""

    __slots__ = ("_subscript",)

    def __init__(self, name: str, subscript=None):
        self._name, self._subscript, self._nesting = name, subscript, 0

    def __repr__(self):
        return f"typing.{self._name}"

    def __getitem__(self, params):
        if self._subscript is None:           # Any is a class in Python 3.11
            raise TypeError("type 'Any' is not subscriptable" if self._name == "Any" else
                            f"{self!r} is not subscriptable")
        return self._subscript(self, params)

    def __call__(self, *args, **kwargs):
        raise TypeError("Any cannot be instantiated" if self._name == "Any" else
                        f"Cannot instantiate {self!r}")


class Subscripted(TypingObject):
    """NAME[args] of a special form or alias; `text` prints the arguments."""

    __slots__ = ("_origin", "_args", "_text")

    def __init__(self, name: str, origin, args: tuple, text: str | None = None):
        self._name, self._origin, self._args = name, origin, args
        self._text, self._nesting = text, _depth(args)

    def __repr__(self):
        inside = self._text if self._text is not None else ", ".join(map(type_repr, self._args))
        return f"typing.{self._name}[{inside}]"

    def __getitem__(self, params):
        raise TypeError(f"{self!r} is not a generic class")

    def __eq__(self, other):
        if type(other) is not Subscripted:
            return NotImplemented
        if self._name == "Union":
            return set(self._args) == set(other._args)
        return (self._name, self._args) == (other._name, other._args)

    def __hash__(self):
        return hash((self._name, frozenset(self._args) if self._name == "Union" else
                     self._args))

    def __instancecheck__(self, obj):
        raise TypeError("Subscripted generics cannot be used with class and instance checks")

    def __mro_entries__(self, bases):                   # class C(Generic[T]): ...
        if self._name in ("Generic", "Protocol"):
            return ()
        raise TypeError(f"Cannot subclass {self!r}")


def _single(form, params):
    params = _as_tuple(params)
    if len(params) != 1:
        raise TypeError(f"{form!r} accepts only single type. Got {params!r}.")
    return Subscripted(form._name, form, params)


def _union_members(params) -> list:
    members = []
    for p in _as_tuple(params):
        p = type(None) if p is None else p
        inner = p._args if type(p) is Subscripted and p._name in ("Union", "Optional") else (p,)
        for q in inner:
            if q not in members:
                members.append(q)
    return members


def _union(form, params):
    if params == ():
        raise TypeError("Cannot take a Union of no types.")
    members = _union_members(params)
    if len(members) == 1:
        return members[0]
    if len(members) == 2 and type(None) in members:
        other = members[0] if members[1] is type(None) else members[1]
        return Subscripted("Optional", Union, tuple(members), type_repr(other))
    return Subscripted("Union", Union, tuple(members), ", ".join(
        "NoneType" if m is type(None) else type_repr(m) for m in members))


def _optional(form, params):
    params = _as_tuple(params)
    if len(params) != 1:
        raise TypeError(f"typing.Optional requires a single type. Got {params!r}.")
    return _union(Union, (params[0], None))


def _literal(form, params):
    params = _as_tuple(params)
    return Subscripted("Literal", form, params, ", ".join(map(repr, params)))


def _annotated(form, params):
    params = _as_tuple(params)
    if len(params) < 2:
        raise TypeError("Annotated[...] should be used with at least two arguments (a type "
                        "and an annotation).")
    return Subscripted("Annotated", form, params, ", ".join(
        [type_repr(params[0]), *map(repr, params[1:])]))


def _generic(form, params):
    params = _as_tuple(params)
    if not all(type(p) is TypeVar for p in params):
        raise TypeError(f"Parameters to {form._name}[...] must all be type variables or "
                        "parameter specification variables.")
    return Subscripted(form._name, form, params)


def _any_arguments(form, params):
    return Subscripted(form._name, form, _as_tuple(params))


Union = SpecialForm("Union", _union)
SPECIAL_FORMS = {
    "Any": None, "NoReturn": None, "Never": None, "Self": None, "LiteralString": None,
    "TypeAlias": None, "ClassVar": _single, "Final": _single, "TypeGuard": _single,
    "Required": _single, "NotRequired": _single, "Unpack": _single, "Optional": _optional,
    "Literal": _literal, "Annotated": _annotated, "Concatenate": _any_arguments,
}


class GenericBase(SpecialForm):
    """Generic and Protocol: bases of generic classes, dropped from a tsh class's bases."""

    __slots__ = ()

    def __repr__(self):
        return f"<class 'typing.{self._name}'>"

    def __mro_entries__(self, bases):
        return ()


# ---------------------------------------------------------------------- aliases
class Alias(TypingObject):
    """List, Dict, Iterable...: typing.NAME, NAME[args] with `arity` arguments (-1: any), and
    isinstance(x, NAME) against the class it stands for."""

    __slots__ = ("_origin", "_arity")

    def __init__(self, name: str, origin, arity: int):
        self._name, self._origin, self._arity, self._nesting = name, origin, arity, 0

    def __repr__(self):
        return f"typing.{self._name}"

    def __getitem__(self, params):
        if self._name == "Callable":
            return _callable(self, params)
        params = _as_tuple(params)
        if self._name == "Tuple":
            text = "()" if params == () else None
            return Subscripted("Tuple", self, params, text)
        if self._arity >= 0 and len(params) != self._arity:
            many = "many" if len(params) > self._arity else "few"
            raise TypeError(f"Too {many} arguments for {self!r}; actual {len(params)}, "
                            f"expected {self._arity}")
        return Subscripted(self._name, self, params)

    def __call__(self, *args, **kwargs):
        name = getattr(self._origin, "__name__", self._name)
        raise TypeError(f"Type {self._name} cannot be instantiated; use {name.lower()}() "
                        "instead")

    def __instancecheck__(self, obj):
        return isinstance(obj, self._origin)

    def __subclasscheck__(self, cls):
        return issubclass(_real_class(cls), self._origin)


def _callable(alias, params):
    if not isinstance(params, tuple) or len(params) != 2:
        raise TypeError("Callable must be used as Callable[[arg, ...], result].")
    args, result = params
    if args is not Ellipsis and not isinstance(args, list):
        args = [args]
    return Subscripted("Callable", alias, (args, result),
                       f"{type_repr(args)}, {type_repr(result)}")


ALIASES = {
    "List": (list, 1), "Dict": (dict, 2), "Set": (set, 1), "FrozenSet": (frozenset, 1),
    "Tuple": (tuple, -1), "Type": (type, 1), "Callable": (abc.Callable, -1),
    "Deque": (standin_collections.deque, 1), "DefaultDict": (standin_collections.defaultdict, 2),
    "OrderedDict": (standin_collections.OrderedDict, 2),
    "Counter": (standin_collections.Counter, 1), "ChainMap": (dict, 2),
    "Iterable": (abc.Iterable, 1), "Iterator": (abc.Iterator, 1),
    "Generator": (abc.Generator, 3), "Reversible": (abc.Reversible, 1),
    "Sequence": (abc.Sequence, 1), "MutableSequence": (abc.MutableSequence, 1),
    "Mapping": (abc.Mapping, 2), "MutableMapping": (abc.MutableMapping, 2),
    "AbstractSet": (abc.Set, 1), "MutableSet": (abc.MutableSet, 1),
    "Collection": (abc.Collection, 1), "Container": (abc.Container, 1),
    "Hashable": (abc.Hashable, 0), "Sized": (abc.Sized, 0),
    "KeysView": (abc.KeysView, 1), "ItemsView": (abc.ItemsView, 2),
    "ValuesView": (abc.ValuesView, 1), "MappingView": (abc.MappingView, 1),
    "Awaitable": (abc.Awaitable, 1), "Coroutine": (abc.Coroutine, 3),
    "AsyncIterable": (abc.AsyncIterable, 1), "AsyncIterator": (abc.AsyncIterator, 1),
    "AsyncGenerator": (abc.AsyncGenerator, 2), "ByteString": (abc.ByteString, 0),
    "AsyncContextManager": (object, 1),
    **{name: (object, 0) for name in ("SupportsAbs", "SupportsBytes", "SupportsComplex",
                                      "SupportsFloat", "SupportsIndex", "SupportsInt",
                                      "SupportsRound", "ContextManager", "IO", "TextIO",
                                      "BinaryIO", "Pattern", "Match")},
}


# ---------------------------------------------------------------------- type variables
class TypeVar(TypingObject):
    """TypeVar('T', *constraints, bound=None, covariant=False, contravariant=False)."""

    __slots__ = ("_variance",)

    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        if not isinstance(name, str):
            raise TypeError("TypeVar name must be a string")
        if covariant and contravariant:
            raise ValueError("Bivariant types are not supported.")
        if len(constraints) == 1:
            raise TypeError("A single constraint is not allowed")
        self._name, self._nesting = name, 0
        self._variance = "+" if covariant else "-" if contravariant else "~"

    def __repr__(self):
        return f"{self._variance}{self._name}"


class ParamSpec(TypeVar):
    """ParamSpec('P', *, bound=None, covariant=False, contravariant=False)."""

    __slots__ = ()

    def __init__(self, name, *, bound=None, covariant=False, contravariant=False):
        super().__init__(name, bound=bound, covariant=covariant, contravariant=contravariant)

    args = property(lambda self: ParamSpecArgs(self))
    kwargs = property(lambda self: ParamSpecKwargs(self))


class ParamSpecArgs(TypingObject):
    """P.args of a ParamSpec P."""

    __slots__ = ("_origin",)
    _suffix = "args"

    def __init__(self, origin):
        self._origin, self._name, self._nesting = origin, origin._name, 0

    def __repr__(self):
        return f"{self._name}.{self._suffix}"


class ParamSpecKwargs(ParamSpecArgs):
    """P.kwargs of a ParamSpec P."""

    __slots__ = ()
    _suffix = "kwargs"


class TypeVarTuple(TypingObject):
    """TypeVarTuple('Ts')."""

    __slots__ = ()

    def __init__(self, name):
        self._name, self._nesting = name, 0

    def __repr__(self):
        return self._name


class ForwardRef(TypingObject):
    """ForwardRef('Name'): an annotation written as a string."""

    __slots__ = ()

    def __init__(self, arg, is_argument=True, module=None, *, is_class=False):
        if not isinstance(arg, str):
            raise TypeError(f"Forward reference must be a string -- got {arg!r}")
        self._name, self._nesting = arg, 0

    def __repr__(self):
        return f"ForwardRef({self._name!r})"

    def __eq__(self, other):
        return type(other) is ForwardRef and self._name == other._name

    def __hash__(self):
        return hash(self._name)


class NewType(TypingObject):
    """NewType('UserId', int): calling it gives its argument back."""

    __slots__ = ("_supertype",)

    def __init__(self, name, tp):
        self._name, self._supertype, self._nesting = name, tp, 0

    def __repr__(self):
        return f"__main__.{self._name}"

    def __call__(self, x, /):
        return x


class TypedDict(TypingObject):
    """TypedDict('Point', {'x': int}) (the functional form): calling it makes a plain dict."""

    __slots__ = ()

    def __init__(self, typename, fields=None, /, *, total=True, **kwargs):
        self._name, self._nesting = typename, 0

    def __repr__(self):
        return f"<class '__main__.{self._name}'>"

    def __call__(self, *args, **kwargs):
        return dict(*args, **kwargs)


# ---------------------------------------------------------------------- functions
def cast(typ, val):
    """Cast a value to a type: returns the value unchanged."""
    return val


def assert_type(val, typ, /):
    return val


def assert_never(arg, /):
    value = repr(arg)
    if len(value) > 100:
        value = value[:100] + "..."
    raise AssertionError(f"Expected code to be unreachable, but got: {value}")


def reveal_type(obj, /):
    """Print the runtime type of obj to standard error, and return obj."""
    sys.stderr.write(f"Runtime type is {type(obj).__name__!r}\n")
    return obj


def overload(func):
    """Decorator for overloaded functions: the result refuses to be called."""
    return _overload_dummy


def _overload_dummy(*args, **kwargs):
    raise NotImplementedError(
        "You should not call an overloaded function. A series of @typing.overload-decorated "
        "functions outside a stub module should always be followed by an implementation "
        "that is not @typing.overload-decorated.")


def _returning_its_argument(name: str):
    """A decorator that returns what it decorates (final, no_type_check...)."""
    def decorator(arg, /):
        return arg
    decorator.__name__ = decorator.__qualname__ = name
    return decorator


def dataclass_transform(**kwargs):
    """Decorator marking a dataclass-like decorator or class (for type checkers)."""
    return _returning_its_argument("decorator")


def get_origin(tp):
    """The unsubscripted form of tp (List[int] -> list, as tsh names it), or None."""
    if type(tp) is Subscripted:
        origin = tp._origin
        if type(origin) is Alias and isinstance(origin._origin, type):
            return runtime.GUARDED_TYPES.get(origin._origin, origin)
        return origin
    return None


def get_args(tp):
    """The arguments of a subscripted form: get_args(Dict[str, int]) -> (str, int)."""
    return tp._args if type(tp) is Subscripted else ()


def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
    """The annotations of a class the program made, as tsh keeps them: the source text of
    each (tsh does not evaluate annotations)."""
    if isinstance(obj, type):
        hints = {}
        for klass in reversed(obj.__mro__):
            annotations = klass.__dict__.get("__annotations__", {})
            hints.update((k, v) for k, v in annotations.items() if isinstance(v, str))
        return hints
    return {}


def is_typeddict(tp):
    """Whether tp is a TypedDict."""
    return type(tp) is TypedDict


def get_overloads(func):
    """The overloads of func: none are recorded."""
    return []


def clear_overloads():
    """Clear the registry of overloads (there is none)."""


def NamedTuple(typename, fields=None, /, **kwargs):
    """Typed version of namedtuple (the functional form: NamedTuple('P', [('x', int)]))."""
    pairs = list(guards.materialize(kwargs.items() if fields is None else fields))
    return standin_collections.namedtuple(typename, [name for name, _ in pairs])


def namespace() -> Namespace:
    members = {name: SpecialForm(name, subscript) for name, subscript in SPECIAL_FORMS.items()}
    members.update({name: Alias(name, origin, arity)
                    for name, (origin, arity) in ALIASES.items()})
    members.update(
        Union=Union, Generic=GenericBase("Generic", _generic), ParamSpec=ParamSpec,
        ParamSpecArgs=ParamSpecArgs, ParamSpecKwargs=ParamSpecKwargs, TypeVarTuple=TypeVarTuple,
        ForwardRef=ForwardRef, get_type_hints=get_type_hints, is_typeddict=is_typeddict,
        get_overloads=get_overloads, clear_overloads=clear_overloads,
        Protocol=GenericBase("Protocol", _generic), TypeVar=TypeVar, NewType=NewType,
        TypedDict=TypedDict, NamedTuple=NamedTuple, cast=cast, assert_type=assert_type,
        assert_never=assert_never, reveal_type=reveal_type, overload=overload,
        get_origin=get_origin, get_args=get_args, Text=runtime.GUARDED_TYPES[str],
        AnyStr=TypeVar("AnyStr", bytes, str), TYPE_CHECKING=False,
        dataclass_transform=dataclass_transform,
        **{name: _returning_its_argument(name) for name in (
            "final", "no_type_check", "runtime_checkable", "no_type_check_decorator")})
    return Namespace("typing", members)
