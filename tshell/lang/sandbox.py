"""The sandbox (SPEC §1.6): which attributes a tsh program may read or write, per value type.

The policy is data: GET_RULES / SET_RULES map a type to the names allowed on its values, and
get_attribute / set_attribute are the only doors. Names starting with '_' never pass (the
compiler refuses them before any lookup). Types with no rule expose nothing, which covers
functions, bound methods, classes, modules and every other Python object.
"""

from __future__ import annotations

try:
    from _string import formatter_parser   # what string.Formatter().parse runs, unimported
except ImportError:                        # pragma: no cover - not CPython
    from string import Formatter
    formatter_parser = Formatter().parse

from . import guards
from .errors import TshAttributeError

PUBLIC = "public"          # every attribute not starting with '_' (tshell.core's own types)
# Modules whose classes are tshell.core's: the core names some classes after torch's
# (torch.return_types.max...). tsh code cannot define classes, so nothing else lives there.
CORE_MODULES = ("tshell.core", "torch")
NAMESPACE = "namespace"    # a Namespace's members
NOTHING: frozenset = frozenset()


def _names(text: str) -> frozenset:
    return frozenset(text.split())


GET_RULES: dict = {
    list: _names("append extend pop insert index count remove reverse sort copy clear"),
    dict: _names("keys values items get pop popitem update copy setdefault clear"),
    tuple: _names("count index"),
    str: _names("format join split rsplit upper lower strip lstrip rstrip replace startswith "
                "endswith find rfind index rindex partition rpartition count title capitalize "
                "swapcase casefold removeprefix removesuffix center ljust rjust zfill isdigit "
                "isalpha isalnum isdecimal isnumeric isspace islower isupper istitle "
                "isascii isidentifier isprintable splitlines"),
    int: _names("real imag bit_length bit_count as_integer_ratio conjugate"),
    float: _names("real imag is_integer as_integer_ratio hex conjugate"),
    complex: _names("real imag conjugate"),
    range: _names("start stop step index count"),
    slice: _names("start stop step"),
}
# numpy's ndarray (SPEC §1.4's list + a few harmless readers); registered by the runtime so
# that importing the sandbox does not import numpy.
NDARRAY_NAMES = _names("shape dtype ndim size sum mean min max reshape copy tolist astype T "
                       "item flatten argmax argmin std var prod transpose squeeze any all "
                       "nbytes itemsize fill")
DTYPE_NAMES = _names("name itemsize kind")

SET_RULES: dict = {}        # filled by the runtime: the core's Tensor -> requires_grad, grad...
DISPLAY_NAMES: dict = {}    # type -> name in messages ('function' for tsh functions)

_rules_cache: dict = {}
_plain_gets: set = set()    # (type, name) pairs allowed with no rewrite: a plain getattr
_set_rules_cache: dict = {}


class Namespace:
    """A module-like bag of names (torch, np, torch.cuda...): its members and nothing else."""

    __slots__ = ("_name", "_members")

    def __init__(self, name: str, members: dict):
        self._name, self._members = name, members

    def __repr__(self):
        return f"<module '{self._name}'>"

    def __dir__(self):
        return sorted(self._members)


def register(cls: type, names, settable=()) -> None:
    """Allow reading `names` (or PUBLIC) and writing `settable` on values of cls."""
    GET_RULES[cls] = names if names is PUBLIC else frozenset(names)
    if settable:
        SET_RULES[cls] = frozenset(settable)
    _rules_cache.clear()
    _plain_gets.clear()
    _set_rules_cache.clear()


def _rule(cls: type):
    """The get rule for a type: its own, an ancestor's, PUBLIC for tshell.core types."""
    rule = _rules_cache.get(cls)
    if rule is not None:
        return rule
    if issubclass(cls, type):
        rule = NOTHING                      # classes: no .mro, no .__subclasses__...
    elif cls is Namespace:
        rule = NAMESPACE
    elif (getattr(cls, "__module__", "") or "").startswith(CORE_MODULES):
        rule = PUBLIC                       # before the MRO: return_types derive from tuple
    else:
        rule = next((GET_RULES[k] for k in cls.__mro__ if k in GET_RULES), NOTHING)
    _rules_cache[cls] = rule
    return rule


def type_name(obj) -> str:
    cls = type(obj)
    return DISPLAY_NAMES.get(cls) or cls.__name__


def no_attribute(obj, name: str) -> TshAttributeError:
    if type(obj) is Namespace:
        return TshAttributeError(f"module '{obj._name}' has no attribute '{name}'")
    return TshAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")


def denied_attribute(obj, name: str) -> TshAttributeError:
    """The error for a private name (the compiler never even looks it up)."""
    e = no_attribute(obj, name)
    e.args = (e.args[0] + " (names starting with '_' are not accessible in tsh)",)
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
        raise denied_attribute(obj, name)
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
        if rewrite is not None:
            return rewrite(obj)
        _plain_gets.add((type(obj), name))  # the rule is per type: so is this decision
        return value
    raise no_attribute(obj, name)


def set_attribute(obj, name: str, value) -> None:
    """obj.name = value if the sandbox allows it (tensor.requires_grad, tensor.grad...)."""
    if name[:1] == "_":
        raise denied_attribute(obj, name)
    allowed = _set_rules_cache.get(type(obj))
    if allowed is None:
        allowed = _set_rules_cache[type(obj)] = next(
            (SET_RULES[k] for k in type(obj).__mro__ if k in SET_RULES), NOTHING)
    if name not in allowed:
        raise TshAttributeError(f"cannot set attribute '{name}' of '{type_name(obj)}' object "
                                "in tsh")
    setattr(obj, name, value)


def allowed_attributes(obj) -> list:
    """The attribute names tsh code may read on obj (for completion and help)."""
    rule = _rule(type(obj))
    if rule is NAMESPACE:
        return sorted(obj._members)
    if rule is PUBLIC:
        return sorted(n for n in dir(obj) if not n.startswith("_"))
    return sorted(n for n in rule if hasattr(obj, n))


# ---------------------------------------------------------------------- rewrites
def _safe_format(template: str):
    """str.format without attribute or index lookups in fields ('{0.__class__}')."""
    def format(*args, **kwargs):
        _check_template(template)
        return template.format(*args, **kwargs)
    return format


def _check_template(template: str) -> None:
    for _, field, spec, _ in formatter_parser(template):
        if field and ("." in field or "[" in field):
            raise ValueError("attribute and index lookups in format fields are not "
                             "supported in tsh")
        if spec:
            _check_template(spec)
            guards.check_widths(spec)    # '{:>10000000000}': 10 GB of padding


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
        if kwargs:
            raise TypeError("str.replace() takes no keyword arguments")
        if 2 <= len(args) <= 3:
            old, new, count = (*args, -1)[:3]
            if isinstance(old, str) and isinstance(new, str) and len(new) > len(old) \
                    and isinstance(count, int):
                n = s.count(old) if count < 0 else min(count, s.count(old))
                guards.check_width(len(s) + n * (len(new) - len(old)), "replace")
        return s.replace(*args)
    return replace


REWRITES = {(str, "format"): _safe_format, (str, "replace"): _safe_replace,
            **{(str, m): _padding(m) for m in ("center", "ljust", "rjust", "zfill")}}
