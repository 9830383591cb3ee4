"""json as tsh programs see it: loads and dumps of strings (no load/dump: no files), without
`cls=` (an encoder or decoder class is a class with reach into Python's json internals).

- loads: Python's C scanner (it checks its own recursion); the values a text can make are
  estimated from its commas, colons and brackets (C counts) and must fit the memory cap;
  errors are this module's JSONDecodeError (a ValueError), with Python's message.
- dumps: a text can be far bigger than the value (a shared list repeated, `indent=10**9`), so
  the value is measured first (`Measure`: an upper bound of the text's length, refused past
  the cap, and of its nesting, refused past deep_values.MAX_NESTING); `default` is called
  once per object while measuring, and the encoder gets those results.
"""

from __future__ import annotations

import json
import operator

from .. import guards, sandbox
from ..deep_values import MAX_NESTING, too_deep
from ..sandbox import Namespace
from ._classes import ShownClass

HOST_CALLABLES = ()

VALUE = 64                     # bytes of one value loads makes: an object and its slot
FLOAT_TEXT = 24                # the longest repr of a float


class JSONDecodeError(ValueError, metaclass=ShownClass):
    """Subclass of ValueError with the following additional properties: msg, doc, pos,
    lineno, colno."""

    def __init__(self, msg, doc, pos):
        lineno = doc.count("\n", 0, pos) + 1
        colno = pos - doc.rfind("\n", 0, pos)
        super().__init__(f"{msg}: line {lineno} column {colno} (char {pos})")
        self.msg, self.doc, self.pos, self.lineno, self.colno = msg, doc, pos, lineno, colno


def _refuse_cls(cls) -> None:
    if cls is not None:
        raise TypeError("the json argument 'cls' is not supported in tsh")


def loads(s, *, cls=None, **kw):
    """Deserialize s (a str, bytes or bytearray holding a JSON document) to a value."""
    _refuse_cls(cls)
    if isinstance(s, (str, bytes, bytearray)) and len(s) * VALUE // 2 > guards.cap():
        marks = (",", ":", "[", "{") if isinstance(s, str) else (b",", b":", b"[", b"{")
        values = 1 + sum(s.count(m) for m in marks)
        if values * VALUE > guards.cap():
            raise guards.too_big(f"json.loads() of a text of {values} values", values * VALUE)
    try:
        return json.loads(s, **kw)
    except json.JSONDecodeError as e:
        raise JSONDecodeError(e.msg, e.doc, e.pos) from None


# ---------------------------------------------------------------------- dumps
def _text_size(s: str, ensure_ascii: bool) -> int:
    """An upper bound of len(json.dumps(s))."""
    if s.isascii() and s.isprintable():
        return len(s) + 2 + s.count('"') + s.count("\\")
    return (12 if ensure_ascii else 6) * len(s) + 2     # \ud83d\ude00 / \u001b per character


_INTEGERS = {int, bool}
_SHORT = {float, bool, type(None)}


def _flat_size(items) -> int | None:
    """The text of a list of numbers measured by C loops (the lists big values are made of),
    or None for other lists."""
    kinds = set(map(type, items))
    if kinds <= _INTEGERS:
        return sum(map(int.bit_length, items)) * 30103 // 100000 + 2 * len(items)
    if kinds <= _SHORT:
        return FLOAT_TEXT * len(items)
    return None


class Measure:
    """An upper bound of the length of a value's JSON text, and of its nesting, refused
    past the cap and MAX_NESTING; the results of `default` for the objects that need it."""

    def __init__(self, indent, separators, default, ensure_ascii, check_circular):
        if indent is not None and not isinstance(indent, str):
            indent = guards.mul(" ", operator.index(indent))     # as json does, capped
        self.indent = indent
        item_sep, key_sep = tuple(separators) if separators is not None else \
            ((", " if indent is None else ","), ": ")
        if not isinstance(item_sep, str) or not isinstance(key_sep, str):
            raise TypeError("json separators must be strings")
        self.item, self.key = len(item_sep), len(key_sep)
        self.default, self.ensure_ascii = default, ensure_ascii
        self.check_circular = check_circular
        self.size, self.active, self.sizes, self.defaults = 0, set(), {}, {}

    def add(self, n: int) -> None:
        self.size += n
        if self.size > guards.cap():
            raise guards.too_big("json.dumps()", self.size)

    def scalar(self, o) -> int | None:
        if isinstance(o, str):
            return _text_size(o, self.ensure_ascii)
        if o is None or o is True or o is False:
            return 5
        if isinstance(o, int):
            return o.bit_length() * 30103 // 100000 + 2
        if isinstance(o, float):
            return FLOAT_TEXT
        return None

    def walk(self, o, level: int) -> None:
        if level > MAX_NESTING:
            raise too_deep("encoding JSON")
        size = self.scalar(o)
        if size is not None:
            self.add(size)
            return
        if not isinstance(o, (list, tuple, dict)):
            if self.default is None or id(o) in self.active:
                return                       # the encoder's own TypeError / ValueError
            if id(o) not in self.defaults:
                self.defaults[id(o)] = (o, self.default(o))
            self.active.add(id(o))
            self.walk(self.defaults[id(o)][1], level)
            self.active.discard(id(o))
            return
        key = (id(o), level if self.indent is not None else 0)
        if key in self.sizes:
            self.add(self.sizes[key])
            return
        if id(o) in self.active:
            if self.check_circular:
                return                       # the encoder's "Circular reference detected"
            raise too_deep("encoding JSON")
        self.active.add(id(o))
        start = self.size
        n = len(o)
        self.add(2 + self.item * n)
        if self.indent is not None:
            self.add((n + 1) * (1 + len(self.indent) * (level + 1)))
        if isinstance(o, dict):
            for k, v in o.items():
                k_size = self.scalar(k)
                self.add(self.key + 2 + (k_size or 0))
                self.walk(v, level + 1)
        else:
            flat = _flat_size(o)
            if flat is not None:
                self.add(flat)
            else:
                for v in o:
                    self.walk(v, level + 1)
        self.active.discard(id(o))
        self.sizes[key] = self.size - start

    def cached_default(self, o):
        found = self.defaults.get(id(o))
        return found[1] if found is not None else self.default(o)


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
          cls=None, indent=None, separators=None, default=None, sort_keys=False, **kw):
    """Serialize obj to a JSON formatted str (its size checked against the memory cap
    first)."""
    _refuse_cls(cls)
    measure = Measure(indent, separators, default, ensure_ascii, check_circular)
    measure.walk(obj, 0)
    return json.dumps(obj, skipkeys=skipkeys, ensure_ascii=ensure_ascii,
                      check_circular=check_circular, allow_nan=allow_nan, indent=indent,
                      separators=separators,
                      default=None if default is None else measure.cached_default,
                      sort_keys=sort_keys, **kw)


sandbox.register(JSONDecodeError, ("msg", "doc", "pos", "lineno", "colno", "args"))


def namespace() -> Namespace:
    return Namespace("json", {"loads": loads, "dumps": dumps,
                              "JSONDecodeError": JSONDecodeError})
