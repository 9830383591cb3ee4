"""dataclasses as tsh programs see it: @dataclass and its helpers, written for tsh classes.

A tsh class is a real Python class whose `__annotations__` maps each field name to the
annotation's source text (tsh does not evaluate annotations). Python's dataclasses would do
the job on such a class, but it compiles generated source with `exec`, looks the class's
module up in sys.modules, hands out Field objects holding a mappingproxy, and deep-copies
values by the pickle protocol in asdict. Here the generated methods are closures of this
module, with Python's behaviour and messages; a Field exposes its public attributes;
asdict/astuple copy values with the copy stand-in; and only a class the program made is
ever changed (never tshell's or Python's: `dataclass(torch.Tensor)` is refused).
"""

from __future__ import annotations

import inspect
import keyword
import re

from .. import guards, runtime, sandbox
from ..deep_values import MAX_NESTING, check_key, too_deep
from ..errors import TshAttributeError
from ..sandbox import Namespace
from . import copy as standin_copy
from ._classes import MadeClass, ShownClass, is_program_class, made_object_repr

HOST_CALLABLES = ()

FIELDS = "__dataclass_fields__"        # Python's names: is_dataclass works on both kinds
PARAMS = "__dataclass_params__"
POST_INIT = "__post_init__"
_FIELD, _CLASSVAR, _INITVAR = "_FIELD", "_FIELD_CLASSVAR", "_FIELD_INITVAR"
# An annotation's source text naming ClassVar / InitVar / KW_ONLY, bare or qualified.
_CLASSVAR_TEXT = re.compile(r"\s*(?:\w+\s*\.\s*)?ClassVar\b")
_INITVAR_TEXT = re.compile(r"\s*(?:\w+\s*\.\s*)?InitVar\b")
_KW_ONLY_TEXT = re.compile(r"\s*(?:\w+\s*\.\s*)?KW_ONLY\s*")


class _MISSING_TYPE(metaclass=ShownClass):
    __slots__ = ()


MISSING = _MISSING_TYPE()


class _KW_ONLY_TYPE(metaclass=ShownClass):
    __slots__ = ()


KW_ONLY = _KW_ONLY_TYPE()


class FrozenInstanceError(TshAttributeError, metaclass=ShownClass):
    """Assigning to a field of a frozen dataclass."""


class InitVar(metaclass=ShownClass):
    """InitVar[type]: a pseudo-field passed to __init__ and __post_init__, not stored."""

    __slots__ = ("type",)

    def __init__(self, type):
        self.type = type

    def __class_getitem__(cls, type):
        return InitVar(type)

    def __repr__(self):
        text = self.type if isinstance(self.type, str) else \
            getattr(self.type, "__name__", repr(self.type))
        return f"dataclasses.InitVar[{text}]"


class Field(metaclass=ShownClass):
    """What field() gives, and fields() lists: one field's options."""

    __slots__ = ("name", "type", "default", "default_factory", "init", "repr", "hash",
                 "compare", "metadata", "kw_only", "_field_type")

    def __init__(self, default, default_factory, init, repr, hash, compare, metadata,
                 kw_only):
        self.name = self.type = None
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.hash, self.compare = init, repr, hash, compare
        self.metadata = {} if metadata is None else dict(metadata)
        self.kw_only, self._field_type = kw_only, None

    def __repr__(self):
        return ("Field("
                f"name={self.name!r},type={self.type!r},default={self.default!r},"
                f"default_factory={self.default_factory!r},init={self.init!r},"
                f"repr={self.repr!r},hash={self.hash!r},compare={self.compare!r},"
                f"metadata={self.metadata!r},kw_only={self.kw_only!r},"
                f"_field_type={self._field_type})")


FIELD_ATTRIBUTES = ("name", "type", "default", "default_factory", "init", "repr", "hash",
                    "compare", "metadata", "kw_only")


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
          compare=True, metadata=None, kw_only=MISSING):
    """Return an object to identify dataclass fields."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


# ---------------------------------------------------------------------- fields of a class
def _annotation_kind(annotation):
    if isinstance(annotation, str):
        if _CLASSVAR_TEXT.match(annotation):
            return _CLASSVAR
        if _INITVAR_TEXT.match(annotation):
            return _INITVAR
        return _FIELD
    return _INITVAR if type(annotation) is InitVar or annotation is InitVar else _FIELD


def _is_kw_only(annotation) -> bool:
    return annotation is KW_ONLY or (isinstance(annotation, str)
                                     and _KW_ONLY_TEXT.fullmatch(annotation) is not None)


def _field_of(cls, name, annotation, kw_only):
    default = cls.__dict__.get(name, MISSING)
    f = default if isinstance(default, Field) else field(default=default)
    f.name, f.type, f._field_type = name, annotation, _annotation_kind(annotation)
    if f._field_type in (_CLASSVAR, _INITVAR) and f.default_factory is not MISSING:
        raise TypeError(f"field {name} cannot have a default factory")
    if f._field_type in (_FIELD, _INITVAR):
        if f.kw_only is MISSING:
            f.kw_only = kw_only
    elif f.kw_only is not MISSING:
        raise TypeError(f"field {name} is a ClassVar but specifies kw_only")
    if f._field_type is _FIELD and f.default is not MISSING and \
            type(f.default).__hash__ is None:
        raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: "
                         "use default_factory")
    return f


def _fields_of(obj):
    """The fields dict of a dataclass or its instance (found on the class), or None."""
    cls = obj if isinstance(obj, type) else type(obj)
    for klass in cls.__mro__:
        found = klass.__dict__.get(FIELDS)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------- made methods
def _value(obj, name: str):
    """A field's value; a field never set is the program's AttributeError, as in Python (a
    bare AttributeError would be reported as a bug of tshell's)."""
    try:
        return getattr(obj, name)
    except TshAttributeError:
        raise
    except AttributeError as e:
        raise TshAttributeError(str(e)) from None


def _method(cls, name: str, fn):
    fn.__name__, fn.__qualname__ = name, f"{cls.__qualname__}.{name}"
    return fn


def _binder(qualname: str, positional: list, keyword_only: list, defaults: dict):
    """A function binding __init__'s arguments with Python's rules and messages."""
    n = len(positional)

    def bind(args, kwargs) -> dict:
        if len(args) > n:
            optional = sum(name in defaults for name in positional)
            takes = (f"from {n - optional + 1} to {n + 1} positional arguments" if optional
                     else f"{n + 1} positional argument{'s' * (n != 0)}")
            raise TypeError(f"{qualname}() takes {takes} but {len(args) + 1} were given")
        values = dict(zip(positional, args))
        for key, value in kwargs.items():
            if key not in positional and key not in keyword_only:
                raise TypeError(f"{qualname}() got an unexpected keyword argument '{key}'")
            if key in values:
                raise TypeError(f"{qualname}() got multiple values for argument '{key}'")
            values[key] = value
        for names, kind in ((positional, "positional"), (keyword_only, "keyword-only")):
            missing = [f"'{m}'" for m in names if m not in values and m not in defaults]
            if missing:
                listed = (" and ".join(missing) if len(missing) < 3 else
                          ", ".join(missing[:-1]) + ", and " + missing[-1])
                raise TypeError(f"{qualname}() missing {len(missing)} required {kind} "
                                f"argument{'s' * (len(missing) != 1)}: {listed}")
        return values
    return bind


def _make_init(cls, fields: list, frozen: bool):
    init_fields = [f for f in fields if f.init]
    positional = [f.name for f in init_fields if not f.kw_only]
    keyword_only = [f.name for f in init_fields if f.kw_only]
    defaults = {f.name for f in init_fields
                if f.default is not MISSING or f.default_factory is not MISSING}
    seen_default = None
    for f in init_fields:
        if f.kw_only:
            continue
        if f.name in defaults:
            seen_default = f.name
        elif seen_default is not None:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    bind = _binder(f"{cls.__qualname__}.__init__", positional, keyword_only, defaults)
    set_field = object.__setattr__ if frozen else setattr

    def __init__(self, *args, **kwargs):
        values = bind(args, kwargs)
        init_values = []
        for f in fields:
            if f.init and f.name in values:
                value = values[f.name]
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            elif f.init and f.default is not MISSING:
                value = f.default
            else:
                continue               # init=False with a plain default: the class attribute
            if f._field_type is _INITVAR:
                init_values.append(value)
            else:
                set_field(self, f.name, value)
        post_init = getattr(type(self), POST_INIT, None)
        if post_init is not None:
            post_init(self, *init_values)
    __init__.__signature__ = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] +
        [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY if f.kw_only else
                           inspect.Parameter.POSITIONAL_OR_KEYWORD,
                           default=inspect.Parameter.empty if f.name not in defaults else
                           f.default if f.default is not MISSING else _HasDefaultFactory,
                           annotation=f.type)
         for f in sorted(init_fields, key=lambda f: f.kw_only)],
        return_annotation=None)
    return _method(cls, "__init__", __init__)


class _HasDefaultFactory(metaclass=ShownClass):
    """What a field with a default factory shows as its default in signatures."""

    def __repr__(self):
        return "<factory>"


_HasDefaultFactory = _HasDefaultFactory()
_running_reprs: set = set()


def _make_repr(cls, fields: list):
    shown = [f.name for f in fields if f.repr]

    def __repr__(self):
        key = id(self)
        if key in _running_reprs:
            return "..."
        _running_reprs.add(key)
        try:
            parts = []
            for name in shown:
                value = _value(self, name)
                guards.check_text(value)
                parts.append(f"{name}={value!r}")
            return f"{type(self).__qualname__}({', '.join(parts)})"
        finally:
            _running_reprs.discard(key)
    return _method(cls, "__repr__", __repr__)


def _comparison(cls, name: str, compare, names: list):
    def method(self, other):
        if other.__class__ is self.__class__:
            return compare(tuple(_value(self, n) for n in names),
                           tuple(_value(other, n) for n in names))
        return NotImplemented
    return _method(cls, name, method)


def _make_hash(cls, names: list):
    def __hash__(self):
        values = tuple(_value(self, n) for n in names)
        check_key(values)
        return hash(values)
    return _method(cls, "__hash__", __hash__)


def _frozen_methods(cls, field_names: set):
    def __setattr__(self, name, value):
        if type(self) is cls or name in field_names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in field_names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)
    return _method(cls, "__setattr__", __setattr__), _method(cls, "__delattr__", __delattr__)


_ORDER = {"__lt__": lambda a, b: a < b, "__le__": lambda a, b: a <= b,
          "__gt__": lambda a, b: a > b, "__ge__": lambda a, b: a >= b}


# ---------------------------------------------------------------------- @dataclass
class _DataclassParams(metaclass=ShownClass):
    __slots__ = ("init", "repr", "eq", "order", "unsafe_hash", "frozen")

    def __init__(self, init, repr, eq, order, unsafe_hash, frozen):
        self.init, self.repr, self.eq = init, repr, eq
        self.order, self.unsafe_hash, self.frozen = order, unsafe_hash, frozen


def _set_new(cls, name: str, value) -> bool:
    """Set cls.name unless the class defines it itself; whether it did."""
    if name in cls.__dict__:
        return True
    setattr(cls, name, value)
    return False


def _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, match_args, kw_only,
                   slots, weakref_slot):
    if not is_program_class(cls):
        raise TypeError(f"dataclass() can only change a class the program defined, not "
                        f"{cls!r}")
    if weakref_slot and not slots:
        raise TypeError("weakref_slot is True but slots is False")
    if slots:
        raise TypeError("dataclass(slots=True) is not supported in tsh")
    fields, any_frozen_base, has_dataclass_bases, all_frozen_bases = {}, False, False, None
    for base in cls.__mro__[-1:0:-1]:
        base_fields = base.__dict__.get(FIELDS)
        if base_fields is not None:
            has_dataclass_bases = True
            fields.update(base_fields)
            base_frozen = base.__dict__[PARAMS].frozen
            any_frozen_base = any_frozen_base or base_frozen
            all_frozen_bases = base_frozen if all_frozen_bases is None else \
                all_frozen_bases and base_frozen
    annotations = cls.__dict__.get("__annotations__", {})
    own, kw_only_seen = [], False
    for name, annotation in annotations.items():
        if _is_kw_only(annotation):
            if kw_only_seen:
                raise TypeError(f"{name!r} is KW_ONLY, but KW_ONLY has already been specified")
            kw_only_seen, kw_only = True, True
            continue
        own.append(_field_of(cls, name, annotation, kw_only))
    for f in own:
        fields[f.name] = f
        if isinstance(cls.__dict__.get(f.name), Field):
            if f.default is MISSING:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)
    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    if has_dataclass_bases:
        if any_frozen_base and not frozen:
            raise TypeError("cannot inherit non-frozen dataclass from a frozen one")
        if all_frozen_bases is False and frozen:
            raise TypeError("cannot inherit frozen dataclass from a non-frozen one")
    if order and not eq:
        raise ValueError("eq must be true if order is true")
    setattr(cls, FIELDS, fields)
    setattr(cls, PARAMS, _DataclassParams(init, repr, eq, order, unsafe_hash, frozen))
    class_hash = cls.__dict__.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or
                         (class_hash is None and "__eq__" in cls.__dict__))
    all_fields = list(fields.values())
    data_fields = [f for f in all_fields if f._field_type is _FIELD]
    if init:
        _set_new(cls, "__init__", _make_init(cls, [f for f in all_fields
                                                  if f._field_type is not _CLASSVAR], frozen))
    if repr:
        _set_new(cls, "__repr__", _make_repr(cls, data_fields))
    compared = [f.name for f in data_fields if f.compare]
    if eq:
        _set_new(cls, "__eq__", _comparison(cls, "__eq__", lambda a, b: a == b, compared))
    if order:
        for name, compare in _ORDER.items():
            if _set_new(cls, name, _comparison(cls, name, compare, compared)):
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                                "Consider using functools.total_ordering")
    if frozen:
        for method in _frozen_methods(cls, {f.name for f in data_fields}):
            if _set_new(cls, method.__name__, method):
                raise TypeError(f"Cannot overwrite attribute {method.__name__} in class "
                                f"{cls.__name__}")
    _set_hash(cls, unsafe_hash, eq, frozen, explicit_hash,
              [f.name for f in data_fields if (f.compare if f.hash is None else f.hash)])
    if not cls.__dict__.get("__doc__"):
        try:
            text = str(inspect.signature(cls)).replace(" -> None", "")
        except (TypeError, ValueError):
            text = ""
        cls.__doc__ = cls.__name__ + text
    if match_args:
        _set_new(cls, "__match_args__", tuple(f.name for f in all_fields
                                              if f._field_type is _FIELD and f.init
                                              and not f.kw_only))
    return cls


def _set_hash(cls, unsafe_hash, eq, frozen, explicit_hash, names):
    """Python's table of what @dataclass does with __hash__."""
    if unsafe_hash:
        if explicit_hash:
            raise TypeError(f"Cannot overwrite attribute __hash__ in class {cls.__name__}")
        cls.__hash__ = _make_hash(cls, names)
    elif eq and frozen and not explicit_hash:
        cls.__hash__ = _make_hash(cls, names)
    elif eq and not frozen and not explicit_hash:
        cls.__hash__ = None


def dataclass(cls=None, /, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False,
              frozen=False, match_args=True, kw_only=False, slots=False,
              weakref_slot=False):
    """Add dunder methods based on the fields defined in the class (a tsh class)."""
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, match_args,
                              kw_only, slots, weakref_slot)
    return wrap if cls is None else wrap(cls)


# ---------------------------------------------------------------------- helpers
def fields(class_or_instance):
    """Return a tuple describing the fields of this dataclass."""
    found = _fields_of(class_or_instance)
    if found is None:
        raise TypeError("must be called with a dataclass type or instance")
    return tuple(f for f in found.values() if f._field_type is _FIELD)


def is_dataclass(obj):
    """Returns True if obj is a dataclass or an instance of a dataclass."""
    return _fields_of(obj) is not None


def _is_instance(obj) -> bool:
    return not isinstance(obj, type) and _fields_of(obj) is not None


def _as_container(obj, factory, depth: int, to_tuple: bool):
    """asdict/astuple's walk: dataclasses become dicts (tuples), containers are rebuilt,
    everything else deep-copied."""
    if depth > MAX_NESTING:
        raise too_deep("converting a dataclass")
    depth += 1
    if _is_instance(obj):
        values = [(f.name, _as_container(_value(obj, f.name), factory, depth, to_tuple))
                  for f in fields(obj)]
        return factory([v for _, v in values] if to_tuple else values)
    if isinstance(obj, tuple) and hasattr(type(obj), "_fields"):
        return type(obj)(*[_as_container(v, factory, depth, to_tuple) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_as_container(v, factory, depth, to_tuple) for v in obj)
    if isinstance(obj, dict):
        if hasattr(type(obj), "default_factory"):
            result = type(obj)(obj.default_factory)
            for k, v in obj.items():
                result[_as_container(k, factory, depth, to_tuple)] = \
                    _as_container(v, factory, depth, to_tuple)
            return result
        return type(obj)((_as_container(k, factory, depth, to_tuple),
                          _as_container(v, factory, depth, to_tuple))
                         for k, v in obj.items())
    return standin_copy.deepcopy(obj)


def asdict(obj, *, dict_factory=runtime.GUARDED_TYPES[dict]):
    """Return the fields of a dataclass instance as a new dictionary."""
    if not _is_instance(obj):
        raise TypeError("asdict() should be called on dataclass instances")
    return _as_container(obj, dict_factory, 0, False)


def astuple(obj, *, tuple_factory=runtime.GUARDED_TYPES[tuple]):
    """Return the fields of a dataclass instance as a new tuple of field values."""
    if not _is_instance(obj):
        raise TypeError("astuple() should be called on dataclass instances")
    return _as_container(obj, tuple_factory, 0, True)


def replace(obj, /, **changes):
    """Return a new object replacing specified fields with new values."""
    if not _is_instance(obj):
        raise TypeError("replace() should be called on dataclass instances")
    for f in _fields_of(obj).values():
        if f._field_type is _CLASSVAR:
            continue
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is declared with init=False, it cannot be "
                                 "specified with replace()")
            continue
        if f.name not in changes:
            if f._field_type is _INITVAR and f.default is MISSING:
                raise ValueError(f"InitVar {f.name!r} must be specified with replace()")
            changes[f.name] = _value(obj, f.name)
    return obj.__class__(**changes)


FIELD_BYTES = 1024


def make_dataclass(cls_name, fields, *, bases=(), namespace=None, init=True, repr=True,
                   eq=True, order=False, unsafe_hash=False, frozen=False, match_args=True,
                   kw_only=False, slots=False, weakref_slot=False):
    """Return a new dataclass with the given name and fields (names, (name, type) or
    (name, type, field()) items); its bases must be dataclasses the program made, and its
    namespace may not name private or special attributes."""
    if not isinstance(cls_name, str) or not cls_name.isidentifier() or \
            keyword.iskeyword(cls_name):
        raise TypeError(f"Type names must be valid identifiers: {cls_name!r}")
    for base in bases:
        if not is_program_class(base):
            raise TypeError(f"make_dataclass() bases must be classes the program made, not "
                            f"{base!r}")
    namespace = dict(namespace or {})
    if any(not isinstance(k, str) or k[:1] == "_" for k in namespace):
        raise TypeError("make_dataclass() namespace names may not start with '_' in tsh")
    annotations, seen = {}, set()
    fields = guards.materialize(fields)
    # each field makes a Field, its annotation and its closures' parts: 10**5 fields took
    # 82 MB, 2.5 * 10**5 over 15 s
    guards.check_width(len(fields) * FIELD_BYTES, "make_dataclass() fields")
    for item in fields:
        if isinstance(item, str):
            name, tp = item, "typing.Any"
        elif len(item) == 2:
            name, tp = item
        elif len(item) == 3:
            name, tp, spec = item
            namespace[name] = spec
        else:
            raise TypeError(f"Invalid field: {item!r}")
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"Field names must be valid identifiers: {name!r}")
        if keyword.iskeyword(name) or name[:1] == "_":
            raise TypeError(f"Field names must not be keywords or start with '_': {name!r}")
        if name in seen:
            raise TypeError(f"Field name duplicated: {name!r}")
        seen.add(name)
        annotations[name] = tp
    namespace.update(__annotations__=annotations, __module__=__name__, _module="types")
    cls = MadeClass(cls_name, tuple(bases) or (object,), namespace)
    dataclass(cls, init=init, repr=repr, eq=eq, order=order, unsafe_hash=unsafe_hash,
              frozen=frozen, match_args=match_args, kw_only=kw_only, slots=slots,
              weakref_slot=weakref_slot)
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = made_object_repr
    sandbox.register(cls, list(seen), () if frozen else list(seen))
    runtime.NAMEABLE.add(cls)              # type(c) is C, as in Python
    return cls


sandbox.register(Field, FIELD_ATTRIBUTES)
sandbox.register(InitVar, ("type",))


def namespace() -> Namespace:
    return Namespace("dataclasses", {
        "dataclass": dataclass, "field": field, "Field": Field, "fields": fields,
        "asdict": asdict, "astuple": astuple, "replace": replace,
        "is_dataclass": is_dataclass, "make_dataclass": make_dataclass, "MISSING": MISSING,
        "KW_ONLY": KW_ONLY, "InitVar": InitVar, "FrozenInstanceError": FrozenInstanceError})
