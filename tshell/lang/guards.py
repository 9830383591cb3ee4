"""Size guards for Python values that tsh code can blow up (SPEC §7: no input kills tshell).

Tensors are guarded by the core's memory cap (tshell.core.limits). Plain Python values can
also take all memory or minutes of uninterruptible C time: `'a' * 10**10`, `[0] * 10**10`,
`10**10**10`, `list(range(10**12))`, `f"{1:{10**10}}"`. The guards here estimate the size of
such a result from its operands, before Python builds it, and raise a MemoryError naming the
size. Each check is a few comparisons on the rare types only, so arithmetic on tensors and
small numbers does not pay for it.
"""

from __future__ import annotations

import builtins as py
import itertools
import operator
import re
import sys

# The largest int `**` and `<<` may produce: 4 Mbit (~1.3 million digits, 512 KiB). Bigger
# powers take seconds of C time that Ctrl-C cannot interrupt, and Python refuses to print
# ints above 4300 digits anyway.
MAX_INT_BITS = 1 << 22
POINTER = 8            # bytes per item of a list or tuple (items are shared, not copied)
OBJECT = 32            # bytes per item when materialising an iterator (new objects)
CHUNK = 1 << 16        # items taken at a time from an iterator of unknown length
SEQUENCES = frozenset((str, list, tuple, bytes))


# A Python value is copied when it is shown or combined (echoing a string builds its repr,
# `s + s` a third string), so one value may take only this share of the memory cap.
VALUE_SHARE = 4


def cap() -> int:
    """Bytes one Python value may take: a share of the memory cap (--max-memory,
    TSHELL_MAX_MEMORY, default the available RAM)."""
    from tshell.core import limits
    return limits.max_bytes() // VALUE_SHARE


def too_big(what: str, nbytes: int) -> MemoryError:
    return MemoryError(f"{what} needs {nbytes} bytes, more than the {cap()} bytes one value "
                       f"may take (a quarter of the memory limit; set it with --max-memory "
                       "or TSHELL_MAX_MEMORY)")


# ---------------------------------------------------------------------- operators
def check_repeat(a, b) -> None:
    """seq * n or n * seq: refuse a result above the cap."""
    seq, n = (a, b) if a.__class__ in SEQUENCES else (b, a)
    if not isinstance(n, int) or n <= 0 or seq.__class__ not in SEQUENCES:
        return                               # not a repetition: Python's own rules apply
    if len(seq) * n > sys.maxsize:
        return          # Python refuses at once: OverflowError (or MemoryError), as in CPython
    per_item = POINTER if isinstance(seq, (list, tuple)) else 1
    nbytes = len(seq) * n * per_item
    if nbytes > cap():
        raise too_big(f"repeating a {type(seq).__name__} of length {len(seq)} {n} times",
                      nbytes)


def mul(a, b):
    if a.__class__ in SEQUENCES or b.__class__ in SEQUENCES:
        check_repeat(a, b)
    return a * b


def imul(a, b):
    if a.__class__ in SEQUENCES or b.__class__ in SEQUENCES:
        check_repeat(a, b)
    return operator.imul(a, b)


def imatmul(a, b):
    """x @= y: a @ b, which rebinds x (SPEC §1.1), with Python's message for `@=`."""
    try:
        return a @ b
    except TypeError as e:
        message = str(e)
        if message.startswith("unsupported operand type(s) for @:"):
            raise TypeError(message.replace("for @:", "for @=:", 1)) from None
        raise


def _int_result(what: str, bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise MemoryError(f"{what} would be an integer of about {bits} bits ({bits // 8} "
                          f"bytes); tsh allows integers of up to {MAX_INT_BITS} bits")


def pow(a, b):
    """a ** b, refusing integer results above MAX_INT_BITS before computing them."""
    if a.__class__ is int and b.__class__ is int and b > 64 and a not in (0, 1, -1):
        _int_result(f"{_short(a)} ** {_short(b)}", b * (abs(a).bit_length() - 1) + 1)
    return a ** b


def ipow(a, b):
    if a.__class__ is int and b.__class__ is int:
        return pow(a, b)
    return operator.ipow(a, b)


def lshift(a, b):
    """a << b with the same integer limit as **."""
    # a count above sys.maxsize fails at once in Python ('too many digits in integer')
    if a.__class__ is int and b.__class__ is int and 64 < b <= sys.maxsize and a:
        _int_result(f"{_short(a)} << {_short(b)}", a.bit_length() + b)
    return a << b


def ilshift(a, b):
    if a.__class__ is int and b.__class__ is int:
        return lshift(a, b)
    return operator.ilshift(a, b)


def imod(a, b):
    if a.__class__ is str:
        check_printf(a)
    return operator.imod(a, b)


def mod(a, b):
    """'%10000000000d' % x: check the widths in a printf-style template first."""
    if a.__class__ is str:
        check_printf(a)
    return a % b


def _short(n: int) -> str:
    return str(n) if n.bit_length() < 64 else f"<int of {n.bit_length()} bits>"


# ---------------------------------------------------------------------- formatting
_NUMBER = re.compile(r"\d{7,}")       # widths below 10**6 are harmless; skip the int()


def check_widths(spec: str, what: str = "format") -> None:
    """Refuse a format spec or template whose width or precision exceeds the cap."""
    if len(spec) < 7:
        return
    for m in _NUMBER.finditer(spec):
        width = int(m.group()) if len(m.group()) < 30 else 1 << 100
        if width > cap():
            raise too_big(f"a {what} width of {m.group()[:30]}", width)


# A printf conversion's width and precision: '%-10000000000d', '%.10000000000f'. Digits in the
# template's plain text ('order 123456789012: %d') are not widths.
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\d*)(?:\.(\d*))?")


def check_printf(template: str) -> None:
    if len(template) < 8 or "%" not in template:
        return
    for m in _PRINTF.finditer(template):
        check_widths(m.group(1) + " " + (m.group(2) or ""), "format")


def check_width(width, what: str) -> None:
    if isinstance(width, int) and width > cap():
        raise too_big(f"{what}({width})", width)


# ---------------------------------------------------------------------- built-ins
def materialize(iterable, per_item: int = OBJECT):
    """The items of iterable for list()/tuple()/sorted(), refusing too many of them.

    A sized iterable (a range, a list) is checked at once; an iterator of unknown length is
    taken in chunks, so that the cap is noticed, and Ctrl-C too, while it grows.
    """
    limit = cap() // per_item
    try:
        n = len(iterable)
    except TypeError:
        n = -1
    if n > limit:
        raise too_big(f"a list of {n} items", n * per_item)
    if n >= 0:
        return iterable
    out: list = []
    it = iter(iterable)
    while True:
        chunk = list(itertools.islice(it, CHUNK))
        if chunk and not out:       # items made on the fly (tuples...): count their size
            per_item = POINTER + sys.getsizeof(chunk[0])
            limit = cap() // per_item
        out += chunk
        if len(out) > limit:
            raise too_big(f"a list of more than {limit} items", len(out) * per_item)
        if len(chunk) < CHUNK:
            return out


def _sorted(*args, key=None, reverse=False, **others):
    if len(args) != 1:                                   # Python's messages
        raise TypeError(f"sorted expected 1 argument, got {len(args)}")
    if others:
        raise TypeError(f"'{next(iter(others))}' is an invalid keyword argument for sort()")
    return py.sorted(materialize(args[0]), key=key, reverse=reverse)


def _sorted_parameters(iterable, /, *, key=None, reverse=False):
    """What help(sorted) shows."""


def _pow(*args, **kwargs):
    """pow(base, exp[, mod]): two arguments are `base ** exp`, with its limit on integer
    results; three are modular (fast, no limit needed). Bad arguments: Python's messages."""
    bound = dict(zip(("base", "exp", "mod"), args))
    if len(args) <= 3 and set(kwargs) <= {"base", "exp", "mod"} \
            and not set(kwargs) & set(bound):
        bound.update(kwargs)
        if "base" in bound and "exp" in bound and bound.get("mod") is None:
            return pow(bound["base"], bound["exp"])
    return py.pow(*args, **kwargs)


def _pow_parameters(base, exp, mod=None):
    """What help(pow) shows."""


def _int_text(fn, bits_per_digit: int):
    """bin/oct/hex refusing a string above the cap (an int made by repeated squaring)."""
    def text(*args, **kwargs):
        if len(args) == 1 and args[0].__class__ is int:
            digits = args[0].bit_length() // bits_per_digit
            if digits > cap():
                raise too_big(f"{fn.__name__}() of an integer of {args[0].bit_length()} bits",
                              digits)
        return fn(*args, **kwargs)
    return _like(text, fn, fn)


class callable_iterator:
    """iter(callable, sentinel): calls callable until it returns sentinel. Written in Python
    (CPython's is in C) so that Ctrl-C stops `sum(iter(int, 1))`; no public attributes."""

    __slots__ = ("_fn", "_sentinel")

    def __init__(self, fn, sentinel):
        self._fn, self._sentinel = fn, sentinel

    def __iter__(self):
        return self

    def __next__(self):
        fn = self._fn
        if fn is None:
            raise StopIteration
        value = fn()
        sentinel = self._sentinel
        if value is sentinel or sentinel == value:      # PyObject_RichCompareBool
            self._fn = self._sentinel = None
            raise StopIteration
        return value

    def __repr__(self):
        return f"<callable_iterator object at {id(self):#x}>"


callable_iterator.__module__ = "builtins"      # type(it) prints <class 'callable_iterator'>


def _iter(*args, **kwargs):
    if kwargs:
        raise TypeError("iter() takes no keyword arguments")
    if len(args) != 2:
        return py.iter(*args)          # one argument, or Python's message for a wrong count
    if not callable(args[0]):
        raise TypeError("iter(v, w): v must be callable")
    return callable_iterator(*args)


def _iter_parameters(object, sentinel=None, /):
    """What help(iter) shows."""


class _Exhausted(StopIteration, LookupError):
    """What next(it) raises at the end: a StopIteration (map, for loops and iter(f, s) stop on
    it, as on CPython's) that tsh reports as the program's error, not as a bug of tshell."""


_Exhausted.__name__ = _Exhausted.__qualname__ = "StopIteration"


def _next(*args, **kwargs):
    try:
        return py.next(*args, **kwargs)
    except StopIteration as e:
        if e.__class__ is StopIteration and len(args) == 1:
            raise _Exhausted(*e.args) from None
        raise


def _next_parameters(iterator, default=None, /):
    """What help(next) shows."""


class _GuardedType(type):
    """list / tuple as tsh sees them: calling one checks the size first; everything else
    (isinstance, ==, printing) behaves as the real class."""

    def __call__(cls, *args, **kwargs):
        if kwargs or len(args) > 1:                      # Python's messages
            name = cls.base.__name__
            raise TypeError(f"{name}() takes no keyword arguments" if kwargs else
                            f"{name} expected at most 1 argument, got {len(args)}")
        return cls.base(materialize(args[0])) if args else cls.base()

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls.base)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, cls.base)

    def __eq__(cls, other):
        return other is cls.base or other is cls

    def __hash__(cls):
        return hash(cls.base)

    def __repr__(cls):
        return repr(cls.base)


class GuardedList(metaclass=_GuardedType):
    base = py.list


class GuardedTuple(metaclass=_GuardedType):
    base = py.tuple


def _like(fn, original, parameters):
    """fn named and documented as Python's built-in `original`; help() shows parameters'
    signature (runtime.as_builtin makes it print as a built-in)."""
    fn.__name__ = fn.__qualname__ = original.__name__
    fn.__doc__ = original.__doc__
    fn.__wrapped__ = parameters
    return fn


_like(_sorted, py.sorted, _sorted_parameters)
_like(_next, py.next, _next_parameters)
_like(_iter, py.iter, _iter_parameters)
_like(_pow, py.pow, _pow_parameters)

# The Python built-ins tsh code gets in place of the originals (runtime.PYTHON_BUILTINS).
BUILTINS = {"list": GuardedList, "tuple": GuardedTuple, "sorted": _sorted, "pow": _pow,
            "iter": _iter, "next": _next, "bin": _int_text(py.bin, 1),
            "oct": _int_text(py.oct, 3), "hex": _int_text(py.hex, 4)}
# Those of BUILTINS that are functions written in Python: tsh shows them as built-ins.
PYTHON_WRITTEN = ("sorted", "pow", "iter", "next", "bin", "oct", "hex")
