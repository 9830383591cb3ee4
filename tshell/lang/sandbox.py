"""The sandbox (docs/security.md): which attributes a tsh program may read or write, per value type.

The policy is data: GET_RULES / SET_RULES map a type to the names allowed on its values, and
get_attribute / set_attribute are the only doors. Names starting with '_' never pass (the
compiler refuses them before any lookup). Types with no rule expose nothing, which covers
functions, bound methods, classes, modules and every other Python object.
"""

from __future__ import annotations

import functools
import re
import types
import weakref
from collections import OrderedDict

try:
    from _string import formatter_parser   # what string.Formatter().parse runs, unimported
except ImportError:                        # pragma: no cover - not CPython
    from string import Formatter
    formatter_parser = Formatter().parse

from ..core import named_attributes
from . import deep_values, guards, unsupported
from .dunders import DESCRIPTIVE, MODULE_FACTS, PROTOCOL_METHODS
from .classes import SUBCLASSABLE, UnboundSuper
from .errors import TshAttributeError
from .functions import TshFunction
from .library_names import LIBRARY_NAMES
from .namespace import Namespace
from .typeview import TSH_CLASSES, ClassName, type_of

PUBLIC = "public"          # every attribute not starting with '_' (tshell.core's own types,
#                            and classes and instances of tsh programs)
# Modules whose classes are tshell.core's: the core names some classes after torch's
# (torch.return_types.max...). tsh code cannot define classes, so nothing else lives there.
CORE_MODULES = ("tshell.core", "torch")
NAMESPACE = "namespace"    # a Namespace's members
NOTHING: frozenset = frozenset()
EXCEPTION_NAMES = frozenset(("args",))


def _names(text: str) -> frozenset:
    return frozenset(text.split())


GET_RULES: dict = {
    list: _names("append extend pop insert index count remove reverse sort copy clear"),
    dict: _names("keys values items get pop popitem update copy setdefault clear fromkeys"),
    # what torch.load gives for a state_dict
    OrderedDict: _names("keys values items get pop popitem update copy setdefault clear "
                        "fromkeys move_to_end"),
    tuple: _names("count index"),
    str: _names("format join split rsplit upper lower strip lstrip rstrip replace startswith "
                "endswith find rfind index rindex partition rpartition count title capitalize "
                "swapcase casefold removeprefix removesuffix center ljust rjust zfill isdigit "
                "isalpha isalnum isdecimal isnumeric isspace islower isupper istitle "
                "isascii isidentifier isprintable splitlines"),
    int: _names("real imag bit_length bit_count as_integer_ratio conjugate"),
    bool: _names("real imag bit_length bit_count as_integer_ratio conjugate"),
    set: _names("add remove discard pop clear copy update union intersection difference "
                "symmetric_difference issubset issuperset isdisjoint intersection_update "
                "difference_update symmetric_difference_update"),
    frozenset: _names("copy union intersection difference symmetric_difference issubset "
                      "issuperset isdisjoint"),
    property: _names("setter getter deleter fget fset fdel"),
    float: _names("real imag is_integer as_integer_ratio hex conjugate"),
    complex: _names("real imag conjugate"),
    range: _names("start stop step index count"),
    slice: _names("start stop step"),
    SystemExit: _names("args code"),        # the status of sys.exit(n), exit(2), parser.error
}
SET_RULES: dict = {}        # filled by the runtime: the core's Tensor -> requires_grad, grad...
# Module stand-in name -> its `__version__` string (torch.__version__, np.__version__: what
# programs print or compare first); filled by the runtime.
MODULE_VERSIONS: dict = {}
DISPLAY_NAMES: dict = {UnboundSuper: "super"}   # type -> name in messages ('function'
#                                                 for tsh functions)

_rules_cache: dict = {}
_plain_gets: set = set()    # (type, name) pairs allowed with no rewrite: a plain getattr
_set_rules_cache: dict = {}


def open_type(cls: type) -> None:
    """Instances of cls and its subclasses take any public attribute (nn.Module)."""
    OPEN_TYPES.add(cls)
    _set_rules_cache.clear()


def register(cls: type, names, settable=()) -> None:
    """Allow reading `names` (or PUBLIC) and writing `settable` on values of cls."""
    GET_RULES[cls] = names if names is PUBLIC else frozenset(names)
    if settable:
        SET_RULES[cls] = frozenset(settable)
    _rules_cache.clear()
    _plain_gets.clear()
    _set_rules_cache.clear()


def _rule(cls: type):
    """The get rule for a type: its own, by exact type. A subclass of str, list, dict... has
    the methods of its own class (np.str_'s format is not the safe one below), so it gets no
    rule of its base's; tshell.core's own types get their registered base's, else PUBLIC."""
    rule = _rules_cache.get(cls)
    if rule is not None:
        return rule
    if cls in TSH_CLASSES:                  # a program's own class: its instances' names,
        base = _value_base(cls)             # and no raw methods of a Python value type
        rule = PUBLIC if base is None else _ValueBased(cls, base)
    elif issubclass(cls, type):
        rule = NOTHING                      # classes: no .mro, no .__subclasses__...
    elif issubclass(cls, BaseException):
        # not tsh-defined: their args, nothing inside; a stand-in's error, what it registers
        rule = GET_RULES.get(cls, EXCEPTION_NAMES)
    elif cls is super:
        rule = PUBLIC                       # what the class after it in the MRO has
    elif cls is Namespace:
        rule = NAMESPACE
    elif cls in GET_RULES:
        rule = GET_RULES[cls]
    elif is_core_type(cls):                 # return_types derive from tuple: PUBLIC first
        rule = next((GET_RULES[k] for k in cls.__mro__ if k in GET_RULES and is_core_type(k)),
                    PUBLIC)
    else:
        rule = NOTHING
    _rules_cache[cls] = rule
    return rule


def _value_base(cls: type):
    """The Python value type a program's class derives from (int for an IntEnum or IntFlag,
    str for a StrEnum), or None: object and exceptions only."""
    for klass in cls.__mro__:
        if klass.__module__ == "builtins" and klass is not object and \
                not issubclass(klass, BaseException):
            return klass
    return None


class _ValueBased:
    """The get rule of a program's class derived from a Python value type (an IntEnum's int,
    a StrEnum's str): its own names as PUBLIC gives them, the value type's methods only as
    that type's rule allows them, and rewritten as for the type itself. A StrEnum member
    carried str's own format ('{0.__class__.__init__.__globals__[sys]}' read the host's
    modules), an IntFlag's to_bytes(10**10) took 10 GB: the np.str_ breach's class."""

    __slots__ = ("base", "refused")

    def __init__(self, cls: type, base: type):
        self.base = base
        allowed = GET_RULES.get(base, NOTHING)
        # the value type's public names that no class before it in the MRO redefines
        self.refused = frozenset(
            n for n in dir(base) if n[:1] != "_" and n not in allowed and
            _defined_by(cls, n) is _defined_by(base, n))

    def __contains__(self, name) -> bool:
        return name not in self.refused


def is_core_type(cls: type) -> bool:
    return (getattr(cls, "__module__", "") or "").startswith(CORE_MODULES)


def type_name(obj) -> str:
    cls = type(obj)
    return DISPLAY_NAMES.get(cls) or cls.__name__


def no_attribute(obj, name: str) -> TshAttributeError:
    out_of_scope = unsupported.error(obj, name)    # torch.compile: says why it is absent
    if out_of_scope is not None:
        return out_of_scope
    # name and obj: what "Did you mean" searches (suggestions.py), as in CPython
    if type(obj) is Namespace:
        return TshAttributeError(f"module '{obj._name}' has no attribute '{name}'",
                                 name=name, obj=obj)
    if isinstance(obj, type):       # as CPython words it (not the metaclass's name)
        return TshAttributeError(f"type object '{_class_display_name(obj)}' has no "
                                 f"attribute '{name}'", name=name, obj=obj)
    return TshAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'",
                             name=name, obj=obj)


def _class_display_name(cls: type) -> str:
    """A class's name as programs know it: tsh's `list` is tshell's GuardedList, which
    stands for Python's list (its `base`), and is named as that."""
    base = getattr(cls, "base", None) if cls.__module__.startswith("tshell.lang") else None
    return (base if isinstance(base, type) else cls).__name__


def denied_attribute(obj, name: str) -> TshAttributeError:
    """The error for a private name (the compiler never even looks it up)."""
    e = no_attribute(obj, name)
    e.args = (e.args[0] + " (names starting with '_' are not accessible in tsh)",)
    e.name = None                           # no suggestion: the name is refused, not unknown
    return e


def get_attribute(obj, name: str):
    """obj.name if the sandbox allows it, else a tsh AttributeError."""
    if (type(obj), name) in _plain_gets:   # checked before: the per-call hot path
        try:
            return getattr(obj, name)
        except AttributeError:
            pass                            # the full path below words the error
    rule = _rules_cache.get(type(obj)) or _rule(type(obj))
    if name[:1] == "_":
        if name[:2] != "__" and _plain_program_object(obj):
            if isinstance(obj, type):
                return _class_attribute(obj, name)
            try:
                return getattr(obj, name)
            except AttributeError:
                raise no_attribute(obj, name) from None
        if name[:2] != "__" and not isinstance(obj, type):
            if _program_private(obj, name):
                try:
                    return getattr(obj, name)
                except AttributeError:
                    raise no_attribute(obj, name) from None
            return _library_private(obj, name)
        return _dunder(obj, name)
    if rule is NAMESPACE:
        try:
            return obj._members[name]
        except KeyError:
            raise no_attribute(obj, name) from None
    if rule is PUBLIC or name in rule:
        try:
            value = getattr(obj, name)
        except AttributeError:
            if name in dir(type(obj)):
                raise                       # the attribute exists: tshell's own code broke
            raise no_attribute(obj, name) from None
        rewrite = REWRITES.get((type(obj), name))
        if rewrite is None and type(rule) is _ValueBased:
            rewrite = REWRITES.get((rule.base, name))   # a StrEnum's format is str's, checked
        if rewrite is not None:
            return rewrite(obj)
        _plain_gets.add((type(obj), name))  # the rule is per type: so is this decision
        return value
    if _is_own_class(obj):                  # a program's class: its public attributes
        return _class_attribute(obj, name)
    if _is_library_base(obj):
        defined = _defined_by(obj, name)
        if isinstance(defined, (staticmethod, classmethod, types.FunctionType)):
            return _library_method(obj, name, defined)
    if isinstance(obj, type) and obj in CLASS_METHODS:  # torch.Tensor.view, unbound
        value = CLASS_METHODS[obj](obj, name)
        if value is not None:
            return value
    raise no_attribute(obj, name)


# Library classes whose public methods a program reads from the class: class -> a reader,
# (class, name) -> what the program gets or None (tensor_methods.py: torch.Tensor's, never
# its functions themselves; the tqdm stand-in's tqdm.write).
CLASS_METHODS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# The underscore attributes of library objects that PyTorch programs read (docs/security.md,
# "No underscore names"): class -> names, for its instances and its subclasses' (the runtime
# fills it as the library loads). Read only: a table comes as a shallow copy of itself, a
# name as the string; a value of any other kind is refused.
LIBRARY_PRIVATE: dict = {}
_READABLE_TABLES = (dict, OrderedDict)
# Other values such a name may give: what a graph node saved (`y.grad_fn._saved_self`, a
# tensor the program could reach anyway, or a number); the runtime adds the tensor class.
READABLE_VALUES: list = [bool, int, float]


def allow_private(cls: type, names) -> None:
    LIBRARY_PRIVATE[cls] = frozenset(names)


def _library_private(obj, name: str):
    """obj._name where LIBRARY_PRIVATE lists it for obj's class, else the refusal."""
    if not any(name in LIBRARY_PRIVATE.get(k, NOTHING) for k in type(obj).__mro__):
        raise denied_attribute(obj, name)
    try:
        value = getattr(obj, name)
    except AttributeError:
        raise no_attribute(obj, name) from None
    if type(value) in _READABLE_TABLES:
        return type(value)((k, _for_owner(v, obj)) for k, v in value.items())
    if value is None or type(value) is str or isinstance(value, tuple(READABLE_VALUES)):
        return value
    if type(value) is list and all(type(v) is str for v in value):
        return list(value)                  # names (an RNN's _flat_weights_names), a copy
    raise denied_attribute(obj, name)


def _for_owner(value, owner):
    """A table's value as a program may hold it: a library function (a lazy module's
    `LazyModuleMixin._infer_parameters` hook) callable on the table's owner only, as
    _bound_to_instances does for library methods; anything else as it is (the program's own
    hooks, modules, tensors, pruning methods)."""
    kind = type(value)
    if not (kind in _LIBRARY_FUNCTIONS or kind is types.MethodType and
            type(value.__func__) is not TshFunction):
        return value

    def on_owner(*args, **kwargs):
        if not args or args[0] is not owner:
            raise TypeError(f"{value.__qualname__}() runs on the module it is registered on")
        return value(*args, **kwargs)
    on_owner.__name__, on_owner.__qualname__ = value.__name__, value.__qualname__
    return on_owner


_LIBRARY_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, functools.partial)


def _library_method(cls: type, name: str, defined):
    """cls.name where a library class defines `defined` under name: a static or class
    method as Python gives it, a function on instances of cls only
    (`nn.Linear.forward(self, x)`)."""
    if isinstance(defined, types.FunctionType):
        return _bound_to_instances(getattr(cls, name), cls, name)
    return getattr(cls, name)


def _is_library_base(obj) -> bool:
    """A library class a program may subclass (nn.Transformer, Dataset...)."""
    return isinstance(obj, type) and is_core_type(obj) and any(
        r is not object and r is not BaseException and issubclass(obj, r) for r in SUBCLASSABLE)


def _defined_by(cls: type, name: str):
    """What the first class of cls's MRO that defines `name` holds under it (None: none)."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _class_attribute(cls: type, name: str):
    """cls.name for a program's class: what its MRO defines (not its metaclass's: no
    `A.mro`), through descriptors as Python reads it (a staticmethod gives its function).
    What a library base defines comes as the library class itself gives it: static and
    class methods, functions on instances only, plain values; never a descriptor object
    (a property, a lazy_property and the library function inside it)."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            value = klass.__dict__[name]
            if klass in TSH_CLASSES or not hasattr(type(value), "__get__"):
                return getattr(cls, name)
            if isinstance(value, (staticmethod, classmethod, types.FunctionType)):
                return _library_method(cls, name, value)
            break
    raise no_attribute(cls, name)


def _dunder(obj, name: str):
    """The double-underscore names a program may read (dunders.py): facts about classes and
    functions, and protocol methods through super(), on its own objects, and on the
    library classes it may subclass."""
    if name == "__class__":
        return type_of(obj)
    if name in ("__module__", "__doc__") and _instance(obj):
        obj = type_of(obj)                  # an instance's are its class's, as in Python
    if name in DESCRIPTIVE and _describable(obj):
        if type(obj) is TshFunction:
            return {"__name__": obj.name, "__qualname__": obj.qualname, "__doc__": obj.doc,
                    "__module__": "__main__"}[name]
        if isinstance(obj, ClassName):
            return {"__name__": obj.name, "__qualname__": obj.name}.get(name)
        if isinstance(obj, Namespace):
            return obj._name if name == "__name__" else None
        value = _torch_module(obj) if name == "__module__" else getattr(obj, name, None)
        if value is None or isinstance(value, str):
            return value
    elif name in PROTOCOL_METHODS:
        if type(obj) is super or type(obj) in TSH_CLASSES or (
                type(obj) is UnboundSuper and name == "__init__"):
            try:                            # super().__init__(), obj.__len__
                return getattr(obj, name)
            except AttributeError:
                raise no_attribute(obj, name) from None
        if isinstance(obj, type):
            return _class_protocol_method(obj, name)
    elif name in MODULE_FACTS and type(obj) is Namespace and obj._name in MODULE_VERSIONS:
        return MODULE_VERSIONS[obj._name]
    raise denied_attribute(obj, name)


def _torch_module(obj):
    """`__module__` as PyTorch's reads (d2l tells its schedulers apart by
    `scheduler.__module__ == lr_scheduler.__name__`): a library class's from the name it prints
    (`<class 'torch.Tensor'>`: torch), other library names' with tshell.core read as torch."""
    if isinstance(obj, type) and obj not in TSH_CLASSES:
        shown = re.fullmatch(rf"<class '(.+)\.{re.escape(obj.__qualname__)}'>", repr(obj))
        if shown:
            return shown.group(1)
    module = getattr(obj, "__module__", None)
    if isinstance(module, str) and module.split(".")[:2] == ["tshell", "core"]:
        return "torch" + module[len("tshell.core"):]
    return module


def _instance(obj) -> bool:
    """A value of a program's class or of a library class (an nn.Module, a scheduler, a
    tensor): not a class or function itself. Python's built-in types give their instances
    no `__module__` (`[].__module__` is an AttributeError), nor do tsh's stand-ins."""
    kind = type(obj)
    return not _describable(obj) and (kind in TSH_CLASSES or
                                      kind.__module__.startswith("tshell.core."))


def _describable(obj) -> bool:
    """Classes, functions, built-ins and modules: what has a name in Python."""
    return isinstance(obj, (type, ClassName, Namespace, TshFunction)) or callable(obj) and \
        hasattr(type(obj), "__name__") and not isinstance(obj, BaseException) and \
        type(obj) not in TSH_CLASSES and hasattr(obj, "__qualname__")


def _class_protocol_method(cls: type, name: str):
    """cls.__init__ & co. (`nn.Module.__init__(self)`), on a program's classes and the
    library classes it may subclass: the one defined by them, never Python's own."""
    if not (cls in TSH_CLASSES or any(r is not object and issubclass(cls, r)
                                      for r in SUBCLASSABLE)):
        raise denied_attribute(cls, name)
    for klass in cls.__mro__:
        if name in klass.__dict__:
            if klass in TSH_CLASSES:
                return getattr(cls, name)
            if klass.__module__.startswith("tshell."):
                return _bound_to_instances(getattr(cls, name), cls, name)
            break
    raise no_attribute(cls, name)


def _bound_to_instances(method, cls: type, name: str):
    """A library class's method as a program may call it through the class
    (`nn.Module.__init__(self)`): on instances of that class only. A Python function takes
    any first argument: `Module.__init__(obj)` wrote a module's private state into a plain
    object of the program's, and library code ran on objects it was never written for."""
    def checked(*args, **kwargs):
        if not args or not isinstance(args[0], cls):
            got = f"a '{type_name(args[0])}' object" if args else "nothing"
            raise TypeError(f"descriptor '{name}' requires a '{cls.__name__}' object but "
                            f"received {got}")
        return method(*args, **kwargs)
    checked.__name__, checked.__qualname__ = name, f"{cls.__name__}.{name}"
    checked.__doc__ = method.__doc__
    return checked


def set_attribute(obj, name: str, value) -> None:
    """obj.name = value if the sandbox allows it (tensor.requires_grad, tensor.grad...)."""
    if name[:1] == "_" and not (name[:2] != "__" and (_plain_program_object(obj) or
                                                      _program_may_write(obj, name))):
        raise denied_attribute(obj, name)
    allowed = _set_rules_cache.get(type(obj)) or _set_rule(type(obj))
    if allowed is not OPEN and name not in allowed and not _is_own_class(obj):
        raise TshAttributeError(f"cannot set attribute '{name}' of '{type_name(obj)}' object "
                                "in tsh")
    setattr(obj, name, value)


OPEN = "open"       # set rule: any public name (a program's own objects, OPEN_TYPES)


def _set_rule(cls):
    if cls in TSH_CLASSES or any(issubclass(cls, t) for t in OPEN_TYPES):
        rule = OPEN
    else:
        rule = next((SET_RULES[k] for k in cls.__mro__ if k in SET_RULES), NOTHING)
    _set_rules_cache[cls] = rule
    return rule


def _plain_program_object(obj) -> bool:
    """An instance of a class the program defined from its own classes, object and Python's
    exceptions only (or such a class): `self._cache` is then the program's own value, with
    no library internals behind a leading underscore (a Module subclass has `_modules`)."""
    cls = obj if isinstance(obj, type) else type(obj)
    plain = _plain_classes.get(cls)
    if plain is None:
        plain = _plain_classes[cls] = cls in TSH_CLASSES and all(
            k in TSH_CLASSES or k is object or (issubclass(k, BaseException) and
                                                k.__module__ == "builtins")
            for k in cls.__mro__)
    return plain


_plain_classes: dict = {}

# A program's subclass of a library class (an nn.Module, a Dataset) may have underscore names
# of its own (`self._init_weights`, `self._cache`) apart from the library's: those its own
# class bodies define first in the MRO, and instance attributes under a name that no code of
# tshell uses (LIBRARY_NAMES, generated from the source: whatever the order of writes, the
# library's state under such a name, `self._modules`, is never the program's).

def _program_private(obj, name: str) -> bool:
    """Whether obj._name (obj an instance of a program's subclass of tshell's library classes)
    is the program's own, to read, write and delete. Classes made from Python's own bases
    (an Enum, whose machinery keeps `_value_` and `_member_map_` in the program's class and
    its members) have no such names."""
    if isinstance(obj, type):
        return False
    key = (type(obj), name)
    kind = _name_kinds.get(key)
    if kind is None:
        kind = _name_kinds[key] = _name_kind(type(obj), name)
    if kind is _CLASS_NAME:
        return name not in getattr(obj, "__dict__", ())
    return kind is _INSTANCE_NAME


# (class, name) -> what the name is on the class's instances, decided once per pair (a
# program's `self._k` read in a loop: 2.4 -> 0.75 us). Safe to keep: the library's classes do
# not change, so a name once the program's never becomes the library's.
_name_kinds: dict = {}
_CLASS_NAME, _INSTANCE_NAME, _LIBRARY_NAME = "class", "instance", "library"


def _name_kind(cls, name: str):
    mro = cls.__mro__
    if not any(k in TSH_CLASSES for k in mro) or not all(map(_open_base, mro)):
        return _LIBRARY_NAME
    defined = [k for k in mro if name in k.__dict__]
    if defined:
        return _CLASS_NAME if all(k in TSH_CLASSES for k in defined) else _LIBRARY_NAME
    return _LIBRARY_NAME if name in LIBRARY_NAMES else _INSTANCE_NAME


def _open_base(cls) -> bool:
    """A class whose names a program's subclass may add its own to: its own classes,
    tshell's library classes and OPEN_BASES."""
    return cls in TSH_CLASSES or cls in OPEN_BASES or is_core_type(cls)


# Bases other than tshell's library classes that keep no state under names of their own on
# instances: object, and the abc stand-in's ABC (which adds itself).
OPEN_BASES: set = {object}


def _program_may_write(obj, name: str) -> bool:
    """_program_private, for a write: refused with a reason where the library uses the name."""
    if _program_private(obj, name):
        return True
    if type(obj) in TSH_CLASSES and not isinstance(obj, type) and name in LIBRARY_NAMES:
        raise TshAttributeError(f"cannot set attribute '{name}' of '{type_name(obj)}' object "
                                "in tsh: tshell's library uses that name on its objects; give "
                                "the program's own attribute another name")
    return False


def has_own_attributes(obj) -> bool:
    """A program's own object (an instance of its classes, or one of its classes), or an
    object of OPEN_TYPES: vars() may list its attributes."""
    return (_set_rules_cache.get(type(obj)) or _set_rule(type(obj))) is OPEN or \
        _is_own_class(obj)


def _is_own_class(obj) -> bool:
    """A class the program defined (class attributes may be set and deleted)."""
    return isinstance(obj, type) and obj in TSH_CLASSES


def delete_attribute(obj, name: str) -> None:
    """del obj.name: a program's own objects only."""
    if name[:1] == "_" and not (name[:2] != "__" and (_plain_program_object(obj) or
                                                      _program_private(obj, name))):
        raise denied_attribute(obj, name)
    if (_set_rules_cache.get(type(obj)) or _set_rule(type(obj))) is OPEN or _is_own_class(obj):
        try:
            delattr(obj, name)
        except AttributeError:
            raise no_attribute(obj, name) from None
        return
    raise TshAttributeError(f"cannot delete attribute '{name}' of '{type_name(obj)}' object "
                            "in tsh")


# Library types whose instances take any public attribute, as their classes do in PyTorch
# (a Module gets submodules by assignment); the runtime adds them.
OPEN_TYPES: set = set()


def allowed_attributes(obj) -> list:
    """The attribute names tsh code may read on obj (for completion and help)."""
    rule = _rule(type(obj))
    if rule is NAMESPACE:
        return sorted(obj._members)
    if rule is PUBLIC:
        return sorted(n for n in dir(obj) if not n.startswith("_"))
    if type(rule) is _ValueBased:
        return sorted(n for n in dir(obj) if not n.startswith("_") and n in rule)
    return sorted(n for n in rule if hasattr(obj, n))


# ---------------------------------------------------------------------- rewrites
def _safe_format(template: str):
    """str.format without attribute or index lookups in fields ('{0.__class__}'), and with
    its widths checked: written in the template, or given as arguments ('{:{}}')."""
    def format(*args, **kwargs):
        nested = _check_template(template)
        for value in (*args, *kwargs.values()):
            guards.check_text(value)
        if nested:
            return _checked_formatter().vformat(template, args, kwargs)
        return template.format(*args, **kwargs)
    return format


def _check_template(template: str) -> bool:
    """Refuse lookups in fields and widths above the cap; whether a spec has a field of
    its own ('{:{}}'), whose width is known only when formatting."""
    nested = False
    for _, field, spec, _ in formatter_parser(template):
        if field and ("." in field or "[" in field):
            raise ValueError("attribute and index lookups in format fields are not "
                             "supported in tsh")
        if spec:
            nested = _check_template(spec) or nested or "{" in spec
            guards.check_widths(spec)    # '{:>10000000000}': 10 GB of padding
    return nested


def _checked_formatter():
    # Python's own Formatter, so that str.format's rules hold; imported at first need, as
    # few templates nest fields in their specs (start-up)
    import string

    class CheckedFormatter(string.Formatter):
        def format_field(self, value, spec):
            guards.check_widths(spec)
            return format(value, spec)
    return CheckedFormatter()


def _padding(method: str):
    """str.center/ljust/rjust/zfill refusing a width above the memory cap (other mistakes
    get the str method's own message)."""
    most = 1 if method == "zfill" else 2

    def pad(s: str):
        real = getattr(s, method)

        def padded(*args, **kwargs):
            if kwargs:
                raise TypeError(f"str.{method}() takes no keyword arguments")
            if 0 < len(args) <= most:
                guards.check_width(args[0], method)
            return real(*args)
        return padded
    return pad


def _safe_replace(s: str):
    """str.replace refusing a result above the memory cap ('x'*10**6).replace('', 'y'*10**4);
    other mistakes get str.replace's own message."""
    def replace(*args, **kwargs):
        "".replace(*args, **kwargs)     # the running CPython's checks (3.13 took count=)
        old, new, count = args[0], args[1], kwargs.get("count", (*args, -1)[2])
        if len(new) > len(old) and isinstance(count, int):
            n = s.count(old) if count < 0 else min(count, s.count(old))
            guards.check_width(len(s) + n * (len(new) - len(old)), "replace")
        return s.replace(*args, **kwargs)
    return replace


def _checked_extend(lst: list):
    def extend(iterable, /):
        guards.extend(lst, iterable)
    return extend


def _checked_join(sep: str):
    """str.join within the cap: ''.join(...) of many large parts, or of an endless
    iterator; a part that is no str gets str.join's own message."""
    def join(iterable, /):
        parts = guards.materialize(iterable)
        try:
            size = sum(map(len, parts)) + len(sep) * max(len(parts) - 1, 0)
        except TypeError:
            size = 0                              # str.join words the error below
        if size > guards.cap():
            raise guards.too_big(f"joining {len(parts)} strings", size)
        return sep.join(parts)
    return join


def _checked_split(method: str):
    """str.split & co. within the cap: each piece is a new object, so a string under the cap
    can split into pieces many times its size."""
    def pieces(s: str):
        real = getattr(s, method)

        def split(*args, **kwargs):
            if len(s) * guards.OBJECT > guards.cap():      # only long strings are counted
                guards.check_pieces(s, method, args, kwargs)
            return real(*args, **kwargs)
        return split
    return pieces


def _checked_keys(method: str):
    """dict methods that hash a key (get, pop, setdefault): deep_values.check_key first."""
    def keyed(d: dict):
        real = getattr(d, method)

        def call(*args, **kwargs):
            if args:
                deep_values.check_key(args[0])
            return real(*args, **kwargs)
        return call
    return keyed


def _checked_update(d: dict):
    """dict.update(pairs) within the cap and with checked keys, as dict(pairs) is."""
    def update(*args, **kwargs):
        if len(args) == 1 and not isinstance(args[0], dict) and not hasattr(args[0], "keys"):
            args = (guards.dict_items(args[0]),)
        return d.update(*args, **kwargs)
    return update


def _checked_fromkeys(d: dict):
    def fromkeys(iterable, value=None, /):
        keys = guards.materialize(iterable)
        for k in keys:
            deep_values.check_key(k)
        return d.fromkeys(keys, value)
    return fromkeys


REWRITES = {(str, "format"): _safe_format, (str, "replace"): _safe_replace,
            (str, "join"): _checked_join, (list, "extend"): _checked_extend,
            **{(str, m): _padding(m) for m in ("center", "ljust", "rjust", "zfill")},
            **{(str, m): _checked_split(m) for m in ("split", "rsplit", "splitlines")},
            **{(kind, m): rewrite for kind in (dict, OrderedDict) for m, rewrite in (
                ("update", _checked_update), ("fromkeys", _checked_fromkeys),
                ("get", _checked_keys("get")), ("pop", _checked_keys("pop")),
                ("setdefault", _checked_keys("setdefault")))}}


# The library reads some attributes under names a program gives it (a Distribution's
# arg_constraints keys, pruning's tensor name, a scheduler's callable objects' state): the
# program's view of them, as if it read or wrote them.

def _host_subclass(cls) -> bool:
    """A subclass of a library class that Python code over tshell.core made, in the same
    process as the language (a test's `class MyNormal(D.Normal)`): no tsh program makes such
    a class (its classes are TSH_CLASSES), so the library reads its attributes as Python
    does."""
    host = _host_subclasses.get(cls)
    if host is None:
        host = _host_subclasses[cls] = (
            not is_core_type(cls) and not (cls.__module__ or "").startswith("tshell.")
            and not any(k in TSH_CLASSES for k in cls.__mro__)
            and any(is_core_type(k) for k in cls.__mro__[1:]))
    return host


_host_subclasses: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _read_named(obj, name: str):
    return getattr(obj, name) if _host_subclass(type(obj)) else get_attribute(obj, name)


def _write_named(obj, name: str, value) -> None:
    if _host_subclass(type(obj)):
        setattr(obj, name, value)
    else:
        set_attribute(obj, name, value)


named_attributes.install(_read_named, _write_named)
