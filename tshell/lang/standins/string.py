"""string as tsh programs see it: the constants, capwords and Template. Not Formatter, whose
fields look attributes and items up with getattr (`'{0.__class__}'`), around the sandbox.

Template substitutes with Python's own pattern and rules; the values it puts in are measured
first, so that a template repeating a large value stays within the memory cap.
"""

from __future__ import annotations

import string

from .. import guards, sandbox
from ..errors import TshAttributeError
from ..sandbox import Namespace
from ._classes import ShownClass

HOST_CALLABLES = ()

CONSTANTS = ("ascii_letters ascii_lowercase ascii_uppercase digits hexdigits octdigits "
             "printable punctuation whitespace").split()


def capwords(s, sep=None):
    """capwords(s [,sep]) -> string: split, capitalize each word, join."""
    if not isinstance(s, str):
        raise TshAttributeError(f"'{sandbox.type_name(s)}' object has no attribute 'split'")
    if len(s) * guards.OBJECT > guards.cap():
        guards.check_pieces(s, "split", (sep,), {})
    return string.capwords(s, sep)


class _Measured:
    """The mapping Template reads: each value as text, the total length within the cap."""

    __slots__ = ("_lookups", "_size")

    def __init__(self, lookups: tuple, size: int):
        self._lookups, self._size = lookups, size

    def __getitem__(self, name):
        for mapping in self._lookups:
            try:
                value = mapping[name]
            except KeyError:
                continue
            break
        else:
            raise KeyError(name)
        guards.check_text(value)
        text = str(value)
        self._size += len(text)
        if self._size > guards.cap():
            raise guards.too_big("substituting into a Template", self._size)
        return text


_NO_MAPPING = object()


class Template(metaclass=ShownClass):
    """A string class for supporting $-substitutions."""

    __slots__ = ("template", "_python")
    delimiter, idpattern = string.Template.delimiter, string.Template.idpattern
    braceidpattern = string.Template.braceidpattern

    def __init__(self, template):
        self.template, self._python = template, string.Template(template)

    def __repr__(self):
        return f"<string.Template object at {id(self):#x}>"

    def _mapping(self, mapping, kws) -> _Measured:
        lookups = (kws,) if mapping is _NO_MAPPING else (kws, mapping) if kws else (mapping,)
        size = len(self.template) if isinstance(self.template, str) else 0
        return _Measured(lookups, size)

    def substitute(self, mapping=_NO_MAPPING, /, **kws):
        return self._python.substitute(self._mapping(mapping, kws))

    def safe_substitute(self, mapping=_NO_MAPPING, /, **kws):
        return self._python.safe_substitute(self._mapping(mapping, kws))

    def is_valid(self):
        return self._python.is_valid()

    def get_identifiers(self):
        return self._python.get_identifiers()


sandbox.register(Template, ("template", "delimiter", "idpattern", "braceidpattern",
                            "substitute", "safe_substitute", "is_valid", "get_identifiers"))


def namespace() -> Namespace:
    members = {name: getattr(string, name) for name in CONSTANTS}
    members.update(capwords=capwords, Template=Template)
    return Namespace("string", members)
