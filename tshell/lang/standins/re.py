"""re as tsh programs see it: Python's own compiler and matching engine behind classes of
tshell's, so that no host object reaches a program.

- `Pattern` holds Python's compiled pattern in a private slot; a `Match` is tshell's, made
  from the spans of Python's match (its regs). Python's engine runs every match: it checks
  for Ctrl-C as it backtracks (every 4096 steps, on 3.10 to 3.13), so `(a+)+$` on 40
  characters stops like a tsh loop (tests/hardening/test_re_escapes.py).
- sub, subn, split and findall run as Python's own when what they can build (bounded by the
  text's length, the groups and the template) is within the memory cap; otherwise they are
  written here over finditer's scan (the same order as _sre's loops), so that what they
  build is measured as it grows. A replacement function (a tsh function) is called with
  tshell's Match, and what it returns is measured too.
- Replacement templates are parsed by Python's own parser (its errors, its escapes), then
  expanded here.
- `error` is this module's (Python's re.error carries the pattern, nothing else: its twin
  has the same attributes and message); the flags are tshell's RegexFlag, printed as Python's.
  re.DEBUG (the compiled code printed on the host's standard output) is refused.
"""

from __future__ import annotations

import functools
import operator
import re
import sys

from .. import guards, sandbox
from ..sandbox import Namespace
from ._classes import ShownClass

HOST_CALLABLES = ()

MAX_CACHE = 512                         # compiled patterns kept, as Python's re
# What Python's parser and compiler make per character of a pattern, at most (measured:
# 145 bytes for a literal, 220 in a group, 237 for 'x*'; 'x' * 10**7 took 1.5 GiB)
PATTERN_BYTES = 512
DEBUG = 128
STRINGS = (str, bytes, bytearray)


# ---------------------------------------------------------------------- flags
class ShownFlag(ShownClass):
    """The class of the flags prints as Python's enum class: <flag 'RegexFlag'>."""

    def __repr__(cls):
        return f"<flag '{cls.__qualname__}'>"


class RegexFlag(int, metaclass=ShownFlag):
    """The flags of re (an int), printed as Python's: re.IGNORECASE|re.MULTILINE."""

    __slots__ = ()
    # in Python's order of definition (that of its reprs); TEMPLATE and DEBUG only print
    NAMES = (("ASCII", 256), ("IGNORECASE", 2), ("LOCALE", 4), ("UNICODE", 32),
             ("MULTILINE", 8), ("DOTALL", 16), ("VERBOSE", 64), ("TEMPLATE", 1),
             ("DEBUG", 128))
    ALL = 511

    def __repr__(self):
        value = int(self)
        names = [f"re.{name}" for name, bit in self.NAMES if value & bit]
        rest = value & ~self.ALL
        if rest:
            names.append(hex(rest))
        return "|".join(names) or "re.NOFLAG"

    __str__ = __repr__

    def __format__(self, spec):
        return str(self) if not spec else format(int(self), spec)

    def _combined(op):
        def method(self, other):
            if not isinstance(other, int):
                return NotImplemented
            return RegexFlag(op(int(self), int(other)))
        return method

    __or__ = __ror__ = _combined(operator.or_)
    __and__ = __rand__ = _combined(operator.and_)
    __xor__ = __rxor__ = _combined(operator.xor)
    del _combined

    def __invert__(self):
        return RegexFlag(self.ALL & ~int(self))


FLAGS = {"A": 256, "ASCII": 256, "I": 2, "IGNORECASE": 2, "L": 4, "LOCALE": 4, "U": 32,
         "UNICODE": 32, "M": 8, "MULTILINE": 8, "S": 16, "DOTALL": 16, "X": 64, "VERBOSE": 64,
         "NOFLAG": 0}


# ---------------------------------------------------------------------- errors
class error(Exception, metaclass=ShownClass):
    """Exception raised for invalid regular expressions (Python's re.error)."""

    def __init__(self, msg, pattern=None, pos=None):
        self.msg, self.pattern, self.pos = msg, pattern, pos
        self.lineno = self.colno = None
        if pattern is not None and pos is not None:
            msg = f"{msg} at position {pos:d}"
            newline = "\n" if isinstance(pattern, str) else b"\n"
            self.lineno = pattern.count(newline, 0, pos) + 1
            self.colno = pos - pattern.rfind(newline, 0, pos)
            if newline in pattern:
                msg = f"{msg} (line {self.lineno:d}, column {self.colno:d})"
        super().__init__(msg)
        self._tsh_raised = True            # a program's error, not tshell's (errors.py)


def _translated(fn, *args):
    """fn(*args), Python's re.error raised as this module's."""
    try:
        return fn(*args)
    except re.error as e:
        raise error(e.msg, e.pattern, e.pos) from None


# ---------------------------------------------------------------------- templates
try:
    from re import _parser as _sre_parse          # CPython 3.11 and later
except ImportError:                                # pragma: no cover - 3.10
    import sre_parse as _sre_parse


def _template(compiled, template) -> tuple:
    """A replacement template as literals (str, bytes) and group numbers (int)."""
    if isinstance(template, (str, bytes)):
        return _cached_template(compiled, template)
    return _parsed_template(compiled, template)         # Python's error


def _parsed_template(compiled, template) -> tuple:
    parsed = _translated(_sre_parse.parse_template, template, compiled)
    if isinstance(parsed, tuple):                  # 3.10, 3.11: (groups, literals)
        groups, literals = parsed
        parts = list(literals)
        for index, group in groups:
            parts[index] = group
        parsed = parts
    return tuple(p for p in parsed if p is not None and (isinstance(p, int) or p))


_cached_template = functools.lru_cache(MAX_CACHE)(_parsed_template)


def _expand(parts: tuple, match: Match, empty, what: str):
    """The template's text for one match, measured before it is joined: each reference
    copies its group (r'\\1' * 10**4 of a 10**6-character group took 9.5 GiB)."""
    pieces = [p if not isinstance(p, int) else match.group(p) or empty for p in parts]
    size = sum(map(len, pieces))
    if size > guards.cap():
        raise guards.too_big(what, size)
    return empty.join(pieces)


def _has_lookaround(parsed) -> bool:
    """Whether a parsed pattern (or part) holds a lookahead or lookbehind."""
    for op, av in parsed:
        if str(op) in ("ASSERT", "ASSERT_NOT"):
            return True
        for part in av if isinstance(av, tuple) else (av,):
            alternatives = part if isinstance(part, list) else [part]    # a branch's
            if any(isinstance(p, _sre_parse.SubPattern) and _has_lookaround(p)
                   for p in alternatives):
                return True
    return False


# ---------------------------------------------------------------------- values
def _slice(string, start: int, end: int):
    piece = string[start:end]
    return piece if type(piece) is not bytearray else bytes(piece)


def _empty(string):
    return "" if isinstance(string, str) else b""


class Measure:
    """The size of a result built piece by piece, refused past the memory cap: the text,
    and `per_piece` bytes for each piece that is an object of the result."""

    __slots__ = ("what", "per_piece", "size", "cap")

    def __init__(self, what: str, per_piece: int):
        self.what, self.per_piece, self.size, self.cap = what, per_piece, 0, guards.cap()

    def add(self, piece) -> None:
        self.size += self.per_piece + (len(piece) if isinstance(piece, STRINGS) else 0)
        if self.size > self.cap:
            raise guards.too_big(self.what, self.size)


class ShownBuiltin(ShownClass):
    """A class printed as Python's built-in one (<class 'callable_iterator'>)."""

    def __repr__(cls):
        return f"<class '{cls.__qualname__}'>"


class mappingproxy(metaclass=ShownBuiltin):
    """A pattern's group names and numbers, read-only, printed as Python's mappingproxy."""

    __slots__ = ("_names",)

    def __init__(self, names: dict):
        self._names = dict(names)

    def __repr__(self):
        return f"mappingproxy({self._names!r})"

    def __str__(self):
        return str(self._names)

    def __getitem__(self, name):
        return self._names[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __contains__(self, name):
        return name in self._names

    def __eq__(self, other):
        return self._names == (other._names if type(other) is mappingproxy else other)

    __hash__ = None

    def keys(self):
        return self._names.keys()

    def values(self):
        return self._names.values()

    def items(self):
        return self._names.items()

    def get(self, name, default=None):
        return self._names.get(name, default)

    def copy(self):
        return dict(self._names)


def _not_made_by_programs(cls, *args, **kwargs):
    raise TypeError(f"cannot create '{repr(cls)[8:-2]}' instances")


class Match(metaclass=ShownClass):
    """The result of a successful match: its groups' spans in `string`."""

    __slots__ = ("_pattern", "_string", "_regs", "_lastindex", "_pos", "_endpos")
    __new__ = _not_made_by_programs

    @classmethod
    def made(cls, pattern: Pattern, string, found: tuple) -> Match:
        """found: (regs, lastindex, pos, endpos) of the match."""
        self = object.__new__(cls)
        self._pattern, self._string = pattern, string
        self._regs, self._lastindex, self._pos, self._endpos = found
        return self

    string = property(lambda self: self._string)
    re = property(lambda self: self._pattern)
    pos = property(lambda self: self._pos)
    endpos = property(lambda self: self._endpos)
    lastindex = property(lambda self: self._lastindex)
    regs = property(lambda self: self._regs)

    @property
    def lastgroup(self):
        for name, index in self._pattern._compiled.groupindex.items():
            if index == self._lastindex:
                return name
        return None

    def __repr__(self):
        return (f"<re.Match object; span={self._regs[0]!r}, "
                f"match={repr(self._value(0, None))[:50]}>")

    def _index(self, group) -> int:
        """A group's number, from its number or name (Python's IndexError otherwise)."""
        if hasattr(type(group), "__index__"):
            i = operator.index(group)
        else:
            i = self._pattern._compiled.groupindex.get(group, -1)
        if not 0 <= i < len(self._regs):
            raise IndexError("no such group")
        return i

    def _value(self, i: int, default):
        start, end = self._regs[i]
        return default if start < 0 else _slice(self._string, start, end)

    def group(self, *groups):
        """group([group1, ...]) -> str or tuple: the subgroup(s) of the match."""
        if len(groups) <= 1:
            return self._value(self._index(groups[0] if groups else 0), None)
        return tuple(self._value(self._index(g), None) for g in groups)

    def __getitem__(self, group):
        return self._value(self._index(group), None)

    def groups(self, default=None):
        """A tuple of every subgroup of the match; default for those that did not take
        part."""
        return tuple(self._value(i, default) for i in range(1, len(self._regs)))

    def groupdict(self, default=None):
        """The named subgroups of the match, by name."""
        return {name: self._value(i, default)
                for name, i in self._pattern._compiled.groupindex.items()}

    def start(self, group=0):
        return self._regs[self._index(group)][0]

    def end(self, group=0):
        return self._regs[self._index(group)][1]

    def span(self, group=0):
        return self._regs[self._index(group)]

    def expand(self, template):
        """The string of the backslash substitution on template, as sub() does."""
        return _expand(_template(self._pattern._compiled, template), self,
                       _empty(self._string), "Match.expand()")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


class callable_iterator(metaclass=ShownBuiltin):
    """finditer's iterator of matches (the scan in a private slot)."""

    __slots__ = ("_scan",)

    def __init__(self, scan):
        self._scan = scan

    def __repr__(self):
        return f"<callable_iterator object at {id(self):#x}>"

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._scan)


class Pattern(metaclass=ShownClass):
    """A compiled regular expression."""

    __slots__ = ("_compiled", "_reaching")
    __new__ = _not_made_by_programs

    @classmethod
    def made(cls, compiled) -> Pattern:
        """The stand-in for Python's compiled pattern."""
        self = object.__new__(cls)
        self._compiled = compiled
        # a group in a lookaround can capture text outside its match (`(?=(\w+))`)
        self._reaching = _has_lookaround(_sre_parse.parse(compiled.pattern, compiled.flags))
        return self

    pattern = property(lambda self: self._compiled.pattern)
    flags = property(lambda self: self._compiled.flags)
    groups = property(lambda self: self._compiled.groups)
    groupindex = property(lambda self: mappingproxy(self._compiled.groupindex))

    def __repr__(self):
        return repr(self._compiled)

    def __eq__(self, other):
        return type(other) is Pattern and self._compiled == other._compiled

    def __hash__(self):
        return hash(self._compiled)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # ------------------------------------------------------------------ matching
    def _match(self, m) -> Match | None:
        return None if m is None else Match.made(self, m.string,
                                                 (m.regs, m.lastindex, m.pos, m.endpos))

    def match(self, string, pos=0, endpos=sys.maxsize):
        """Matches zero or more characters at the beginning of the string."""
        return self._match(self._compiled.match(string, pos, endpos))

    def search(self, string, pos=0, endpos=sys.maxsize):
        """Scan through string looking for a match, and return a corresponding match object
        instance."""
        return self._match(self._compiled.search(string, pos, endpos))

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        """Matches against all of the string."""
        return self._match(self._compiled.fullmatch(string, pos, endpos))

    def _scan(self, string, pos=0, endpos=sys.maxsize):
        """The matches of a scan (finditer's), one at a time."""
        return map(self._match, self._compiled.finditer(string, pos, endpos))

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        """Return an iterator over all non-overlapping matches for the RE pattern in string."""
        return callable_iterator(self._scan(string, pos, endpos))

    def _fits(self, string, objects: int, literal: int, group_texts: int) -> bool:
        """Whether what a scan builds stays within the memory cap when Python's own function
        builds it: at most n + 1 matches, each making `objects` objects and `literal`
        characters, the text between matches once, and `group_texts` copies of groups' text
        (each group's over all matches at most the text, unless a lookaround reaches out)."""
        n = len(string)
        reach = n + 1 if self._reaching else 1
        size = (n + 1) * (objects * guards.OBJECT + literal) + n + group_texts * n * reach
        return size <= guards.cap()

    def findall(self, string, pos=0, endpos=sys.maxsize):
        """Return a list of all non-overlapping matches of pattern in string."""
        groups = self._compiled.groups
        matches = self._scan(string, pos, endpos)       # Python's errors for the arguments
        if self._fits(string, max(groups, 1) + (groups > 1), 0, groups):
            return self._compiled.findall(string, pos, endpos)
        found, measure, empty = [], Measure("re.findall()", guards.OBJECT), _empty(string)
        for m in matches:
            if groups <= 1:
                item = m._value(groups, empty)
            else:
                item = m.groups(empty)
                measure.size += guards.POINTER * groups
            measure.add(item if groups <= 1 else empty.join(item))
            found.append(item)
        return found

    def split(self, string, maxsplit=0):
        """Split string by the occurrences of pattern."""
        maxsplit = operator.index(maxsplit)
        groups = self._compiled.groups
        matches = self._scan(string)
        if self._fits(string, groups + 1, 0, groups):
            return self._compiled.split(string, maxsplit)
        pieces, measure, last = [], Measure("re.split()", guards.OBJECT), 0
        for n, m in enumerate(matches):
            if maxsplit and n >= maxsplit:
                break
            start, end = m._regs[0]
            for piece in (_slice(string, last, start), *m.groups()):
                measure.add(piece)
                pieces.append(piece)
            last = end
        pieces.append(_slice(string, last, len(string)))
        return pieces

    def subn(self, repl, string, count=0):
        """Return the tuple (new_string, number_of_subs_made) found by replacing the
        leftmost non-overlapping occurrences of pattern with the replacement repl."""
        count = operator.index(count)
        call = callable(repl)
        parts = None if call else _template(self._compiled, repl)
        matches = self._scan(string)
        literal = 0 if call else sum(len(p) for p in parts if not isinstance(p, int))
        references = 0 if call else sum(isinstance(p, int) for p in parts)
        if self._fits(string, 0, literal, references):      # a function's results: measured
            if call:
                repl = self._called(repl, string, Measure("re.sub()", 0))
            return _translated(self._compiled.subn, repl, string, count)
        pieces, measure, last, n = [], Measure("re.sub()", 0), 0, 0
        if count >= 0:
            for m in matches:
                if count and n >= count:
                    break
                start, end = m._regs[0]
                if last < start:
                    pieces.append(_slice(string, last, start))
                    measure.add(pieces[-1])
                item = repl(m) if call else _expand(parts, m, _empty(string), "re.sub()")
                if item is not None:
                    pieces.append(item)
                    measure.add(item)
                last, n = end, n + 1
        if last < len(string):
            pieces.append(_slice(string, last, len(string)))
        return _empty(string).join(pieces), n

    def _called(self, repl, string, measure: Measure):
        """What Python's sub calls: repl with tshell's Match, its results measured."""
        def called(m):
            item = repl(Match.made(self, string, (m.regs, m.lastindex, m.pos, m.endpos)))
            measure.add(item)
            return item
        return called

    def sub(self, repl, string, count=0):
        """Return the string obtained by replacing the leftmost non-overlapping occurrences of
        pattern in string by the replacement repl."""
        return self.subn(repl, string, count)[0]


sandbox.register(RegexFlag, ())
sandbox.register(error, ("msg", "pattern", "pos", "lineno", "colno", "args"))
sandbox.register(mappingproxy, ("keys", "values", "items", "get", "copy"))
sandbox.register(Match, ("group groups groupdict start end span expand string re pos endpos "
                         "lastindex lastgroup regs").split())
sandbox.register(Pattern, ("pattern flags groups groupindex match search fullmatch sub subn "
                           "split findall finditer").split())


# ---------------------------------------------------------------------- the module
_cache: dict = {}


def compile(pattern, flags=0):
    """Compile a regular expression pattern, returning a Pattern object."""
    if type(pattern) is Pattern:
        if flags:
            raise ValueError("cannot process flags argument with a compiled pattern")
        return pattern
    key = (type(pattern), pattern, flags)
    found = _cache.get(key)
    if found is not None:
        return found
    if isinstance(flags, int) and flags & DEBUG:
        raise ValueError("re.DEBUG is not supported in tsh (it prints on Python's own output)")
    if not isinstance(pattern, (str, bytes)):
        raise TypeError("first argument must be string or compiled pattern")
    if len(pattern) * PATTERN_BYTES > guards.cap():
        raise guards.too_big(f"re.compile() of {len(pattern)} characters",
                             len(pattern) * PATTERN_BYTES)
    compiled = Pattern.made(_translated(re.compile, pattern, flags))
    if len(_cache) >= MAX_CACHE:
        del _cache[next(iter(_cache))]
    _cache[key] = compiled
    return compiled


def match(pattern, string, flags=0):
    """Try to apply the pattern at the start of the string, returning a Match object, or None
    if no match was found."""
    return compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    """Try to apply the pattern to all of the string, returning a Match object, or None if no
    match was found."""
    return compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    """Scan through string looking for a match to the pattern, returning a Match object, or
    None if no match was found."""
    return compile(pattern, flags).search(string)


def sub(pattern, repl, string, count=0, flags=0):
    """Return the string obtained by replacing the leftmost non-overlapping occurrences of
    the pattern in string by the replacement repl (a string, backslash escapes processed, or
    a function of the Match returning the replacement)."""
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    """Return a 2-tuple containing (new_string, number), as sub() does."""
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    """Split the source string by the occurrences of the pattern, returning a list containing
    the resulting substrings (and the groups of the pattern, if any)."""
    return compile(pattern, flags).split(string, maxsplit)


def findall(pattern, string, flags=0):
    """Return a list of all non-overlapping matches in the string."""
    return compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    """Return an iterator over all non-overlapping matches in the string."""
    return compile(pattern, flags).finditer(string)


def escape(pattern):
    """Escape special characters in a string."""
    if isinstance(pattern, STRINGS) and 2 * len(pattern) > guards.cap():
        raise guards.too_big("re.escape()", 2 * len(pattern))
    return re.escape(pattern)


def purge():
    """Clear the regular expression caches."""
    _cache.clear()
    _cached_template.cache_clear()


def namespace() -> Namespace:
    members = {name: RegexFlag(bit) for name, bit in FLAGS.items()}
    members.update(
        compile=compile, match=match, fullmatch=fullmatch, search=search, sub=sub, subn=subn,
        split=split, findall=findall, finditer=finditer, escape=escape, purge=purge,
        error=error, Pattern=Pattern, Match=Match, RegexFlag=RegexFlag)
    return Namespace("re", members)
