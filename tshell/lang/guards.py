"""Size guards for Python values that tsh code can blow up (no input kills tshell: see
docs/security.md).

Tensors are guarded by the core's memory cap (tshell.core.limits). Plain Python values can
also take all memory or minutes of uninterruptible C time: `'a' * 10**10`, `[0] * 10**10`,
`10**10**10`, `list(range(10**12))`, `f"{1:{10**10}}"`. The guards here estimate the size of
such a result from its operands, before Python builds it, and raise a MemoryError naming the
size. Each check is a few comparisons on the rare types only, so arithmetic on tensors and
small numbers does not pay for it.
"""

from __future__ import annotations

import gc
import itertools
import operator
import re
import sys

from . import deep_values
from .errors import TshMemoryLimitError

# The largest int `**` and `<<` may produce: 4 Mbit (~1.3 million digits, 512 KiB). Bigger
# powers take seconds of C time that Ctrl-C cannot interrupt, and Python refuses to print
# ints above 4300 digits anyway.
MAX_INT_BITS = 1 << 22
HALF_INT = 1 << (MAX_INT_BITS // 2)      # a product of two integers below this is in the limit
NEG_HALF_INT = -HALF_INT                 # made once: a 2 Mbit integer costs ~0.2 ms to negate
POINTER = 8            # bytes per item of a list or tuple (items are shared, not copied)
OBJECT = 32            # bytes per item when materialising an iterator (new objects)
CHUNK = 1 << 16        # items taken at a time from an iterator of unknown length
# Sequences whose `*` repeats and `+` joins (and their subclasses: isinstance, not class).
SEQUENCE_TYPES = (str, list, tuple, bytes)


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


# ---------------------------------------------------------------------- the process
# Loops and comprehensions measure the process every GROWTH_STEP iterations (a local counter
# and a mask: a few nanoseconds per iteration); short loops add up their iterations in
# SHORT_LOOPS[0], so that a short loop run many times is measured too. `for` and `while`
# loops adapt their step (next_step): FIRST_STEP iterations first, then twice as many while
# the process grows slowly, fewer as it nears the cap (1023 iterations between measurements
# let `while True: x.append(s[:])` pass the cap by 1023 copies).
GROWTH_STEP = 1 << 10
GROWTH_MASK = GROWTH_STEP - 1
FIRST_STEP = 1 << 7
SHORT_LOOPS = [0]
GROWN = [0]               # what the last measurement found the program's growth to be
LARGE_VALUE = 1 << 17     # a str, list... of this many bytes counts as a large result (note_large)


def note_large(nbytes: int) -> None:
    """A large Python value is being made: counted as the core counts large tensors, so that
    a loop keeping one per iteration is measured before its next GROWTH_STEP."""
    if nbytes >= LARGE_VALUE:
        from tshell.core import limits          # the core loads after the language: start-up
        limits.note_large(nbytes)


def count_iterations(n: int) -> None:
    """A loop that ran n iterations ended: measure once GROWTH_STEP have added up."""
    SHORT_LOOPS[0] += n & GROWTH_MASK
    if SHORT_LOOPS[0] >= GROWTH_STEP:
        SHORT_LOOPS[0] = 0
        check_growth()


def check_growth() -> None:
    """Stop the program once tshell's process has grown by more than the memory cap since the
    program started: values each under the cap but many (`x.append('a' * 1000)` in a loop,
    lists grown inside a list, `s += t`) take memory no check of one value sees. Freed
    memory is given back to the system first, so that what was deleted does not count."""
    from tshell.core import allocator, limits   # the core loads after the language: start-up
    GROWN[0] = limits.grown_bytes()
    if GROWN[0] <= limits.max_bytes():
        return
    gc.collect()
    allocator.give_back_free_memory()
    grown = limits.grown_bytes()
    if grown > limits.max_bytes():
        raise TshMemoryLimitError(
            f"the program's values have grown tshell by {grown} bytes, more than the memory "
            f"limit of {limits.max_bytes()} bytes (set it with --max-memory or "
            "TSHELL_MAX_MEMORY)")


def next_step(step: int) -> int:
    """A loop ran `step` iterations since it last measured: measure (check_growth) and say
    how many it may run before the next measurement. Twice as many (up to GROWTH_STEP) while
    the process does not grow; else at most enough to take half of what is left of the cap
    at the rate it grew over these iterations, so that a loop growing fast is measured more
    often as it nears the cap, and stops within an iteration or two of passing it."""
    from tshell.core import limits              # the core loads after the language: start-up
    before = GROWN[0]
    check_growth()
    rate = (GROWN[0] - before) / step
    if rate <= 0:
        return min(2 * step, GROWTH_STEP)
    left = limits.max_bytes() - GROWN[0]
    return max(1, min(2 * step, GROWTH_STEP, int(left / (2 * rate))))


# ---------------------------------------------------------------------- operators
def check_repeat(a, b) -> None:
    """seq * n or n * seq: refuse a result above the cap."""
    seq, n = (a, b) if isinstance(a, SEQUENCE_TYPES) else (b, a)
    if not isinstance(n, int) or n <= 0 or not isinstance(seq, SEQUENCE_TYPES):
        return                               # not a repetition: Python's own rules apply
    if len(seq) * n > sys.maxsize:
        return          # Python refuses at once: OverflowError (or MemoryError), as in CPython
    per_item = POINTER if isinstance(seq, (list, tuple)) else 1
    nbytes = len(seq) * n * per_item
    if nbytes > cap():
        raise too_big(f"repeating a {type(seq).__name__} of length {len(seq)} {n} times",
                      nbytes)
    note_large(nbytes)


def mul(a, b):
    if isinstance(a, SEQUENCE_TYPES) or isinstance(b, SEQUENCE_TYPES):
        check_repeat(a, b)
    elif a.__class__ is int:
        check_int_product(a, b)
    return a * b


def check_int_product(a: int, b) -> None:
    """a * b of two integers: the limit of `**` (squaring 2**4000000 a few times would take
    the memory and seconds of C time)."""
    if b.__class__ is int and (a.bit_length() + b.bit_length() > MAX_INT_BITS) and a and b:
        check_int_result(f"{short_int(a)} * {short_int(b)}", a.bit_length() + b.bit_length())


def check_concat(a, b) -> None:
    """seq + seq: refuse a result above the cap (`s = s + s` doubles with each step)."""
    if isinstance(a, SEQUENCE_TYPES) and isinstance(b, SEQUENCE_TYPES):
        n = len(a) + len(b)
        per_item = POINTER if isinstance(a, (list, tuple)) else 1
        if n * per_item > cap():
            raise too_big(f"joining a {type(a).__name__} of length {len(a)} and one of length "
                          f"{len(b)}", n * per_item)
        note_large(n * per_item)


def add(a, b):
    if isinstance(a, SEQUENCE_TYPES):
        check_concat(a, b)
    return a + b


def iadd(a, b):
    if a.__class__ is list:
        extend(a, b)                  # `l += range(10**12)` would extend in C without end
        return a
    if isinstance(a, SEQUENCE_TYPES):
        check_concat(a, b)
    return operator.iadd(a, b)


def ior(a, b):
    """x |= y: a dict takes any iterable of pairs, in C (`d |= zip(count(), count())` would
    run until memory ran out): its pairs are read within the cap and their keys checked, as
    dict(pairs) reads them."""
    if isinstance(a, dict) and not isinstance(b, dict) and not hasattr(b, "keys"):
        b = dict_items(b)
    return operator.ior(a, b)


def imul(a, b):
    if isinstance(a, SEQUENCE_TYPES) or isinstance(b, SEQUENCE_TYPES):
        check_repeat(a, b)
    elif a.__class__ is int:
        check_int_product(a, b)
    return operator.imul(a, b)


def imatmul(a, b):
    """x @= y: a @ b, which rebinds x (as in Python), with Python's message for `@=`."""
    try:
        return a @ b
    except TypeError as e:
        message = str(e)
        if message.startswith("unsupported operand type(s) for @:"):
            raise TypeError(message.replace("for @:", "for @=:", 1)) from None
        raise


def check_int_result(what: str, bits: int) -> None:
    """Refuse an integer result of about `bits` bits above MAX_INT_BITS, before computing it
    (`**`, `<<`, math.factorial...)."""
    if bits > MAX_INT_BITS:
        raise MemoryError(f"{what} would be an integer of about {bits} bits ({bits // 8} "
                          f"bytes); tsh allows integers of up to {MAX_INT_BITS} bits")


def pow(a, b):
    """a ** b, refusing integer results above MAX_INT_BITS before computing them."""
    if a.__class__ is int and b.__class__ is int and b > 64 and a not in (0, 1, -1):
        check_int_result(f"{short_int(a)} ** {short_int(b)}",
                         b * (abs(a).bit_length() - 1) + 1)
    return a ** b


def ipow(a, b):
    if a.__class__ is int and b.__class__ is int:
        return pow(a, b)
    return operator.ipow(a, b)


def lshift(a, b):
    """a << b with the same integer limit as **."""
    # a count above sys.maxsize fails at once in Python ('too many digits in integer')
    if a.__class__ is int and b.__class__ is int and 64 < b <= sys.maxsize and a:
        check_int_result(f"{short_int(a)} << {short_int(b)}", a.bit_length() + b)
    return a << b


def ilshift(a, b):
    if a.__class__ is int and b.__class__ is int:
        return lshift(a, b)
    return operator.ilshift(a, b)


def imod(a, b):
    if isinstance(a, str):                  # a StrEnum member too: str's own %
        check_printf(a, b)
        check_text(b)
    return operator.imod(a, b)


def mod(a, b):
    """'%10000000000d' % x: check the widths in a printf-style template first."""
    if isinstance(a, str):                  # a StrEnum member too: str's own %
        check_printf(a, b)
        check_text(b)
    return a % b


def short_int(n: int) -> str:
    return str(n) if n.bit_length() < 64 else f"<int of {n.bit_length()} bits>"


# ---------------------------------------------------------------------- formatting
# The patterns of this module are compiled at their first use (re's cache), not at import:
# start-up time.
_NUMBER = r"\d{7,}"       # widths below 10**6 are harmless; skip the int()


def check_widths(spec: str, what: str = "format") -> None:
    """Refuse a format spec or template whose width or precision exceeds the cap."""
    if len(spec) < 7:
        return
    for m in re.finditer(_NUMBER, spec):
        width = int(m.group()) if len(m.group()) < 30 else 1 << 100
        if width > cap():
            raise too_big(f"a {what} width of {m.group()[:30]}", width)


# A printf conversion: its width and precision ('%-10000000000d', '%.*f'), and its type.
# Digits in the template's plain text ('order 123456789012: %d') are not widths.
_PRINTF = r"%(?:\([^)]*\))?[-+ #0]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?(.?)"


def check_printf(template: str, args=()) -> None:
    """Refuse a printf-style template whose widths or precisions exceed the cap, the ones
    given as '*' (taken from args, in order) included."""
    if "%" not in template:
        return
    values = args if type(args) is tuple else (args,)
    i = 0
    for m in re.finditer(_PRINTF, template):
        width, precision, conversion = m.groups()
        if conversion == "%":
            continue
        for part in (width, precision):
            if part == "*":
                if i < len(values):
                    check_width(values[i], "format")
                i += 1
            elif part:
                check_widths(part, "format")
        i += 1


def check_width(width, what: str) -> None:
    if isinstance(width, int) and width > cap():
        raise too_big(f"{what}({width})", width)


# ---------------------------------------------------------------------- iterables
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
        check_growth()          # what making the items did (list(map(f, ...)) of a tsh f)
        if len(chunk) < CHUNK:
            return out


def chunks(iterable, size: int = CHUNK):
    """The items of iterable a list of `size` at a time: a C loop over each chunk, and
    between chunks the Python code that notices Ctrl-C."""
    it = iter(iterable)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


def extend(target: list, iterable) -> None:
    """target.extend(iterable) within the cap: `l.extend(l)` doubles l, and
    `l.extend(range(10**12))` would run in C until memory ran out."""
    try:
        n = len(iterable)
    except TypeError:
        for chunk in chunks(iterable):
            _check_list_length(len(target) + len(chunk))
            target.extend(chunk)
        return
    _check_list_length(len(target) + n)
    target.extend(iterable)


def check_growing(n: int, sample, slots: int, value_sample=None) -> None:
    """Refuse a list, set or dict that a comprehension is filling once it passes the cap: n
    items of `slots` pointers each (a dict entry has 3), the items new objects counted at
    the size of sample (a dict's entries: of its key and value_sample)."""
    per_item = POINTER * slots + sys.getsizeof(sample)
    if value_sample is not None:
        per_item += sys.getsizeof(value_sample)
    if n * per_item > cap():
        raise too_big(f"a collection of more than {n} items", n * per_item)


def _check_list_length(n: int) -> None:
    if n * POINTER > cap():
        raise too_big(f"a list of {n} items", n * POINTER)


def dict_items(iterable) -> list:
    """The (key, value) pairs of iterable for dict() and dict.update, within the cap, their
    keys checked before the dict hashes them."""
    pairs = materialize(iterable)
    for pair in pairs:
        if isinstance(pair, (tuple, list)) and pair:
            deep_values.check_key(pair[0])
    return pairs


def update_dict(target: dict, mapping) -> None:
    """target.update(mapping) for `{**mapping}` and `f(**mapping)`: Python's error for a
    value that is no mapping, the cap, and the keys' depth checked first."""
    if not hasattr(type(mapping), "keys"):
        raise TypeError(f"'{type(mapping).__name__}' object is not a mapping")
    keys = materialize(mapping.keys())
    if (len(target) + len(keys)) * OBJECT * 2 > cap():
        raise too_big(f"a dict of {len(target) + len(keys)} items",
                      (len(target) + len(keys)) * OBJECT * 2)
    for k in keys:
        deep_values.check_key(k)
        target[k] = mapping[k]


# A piece of a split string: a new str object (49 bytes and up) and its list slot.
PIECE = 64
_WORDS = r"\S+"
_LINES = r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]"


def check_pieces(s: str, method: str, args: tuple, kwargs: dict) -> None:
    """Refuse s.split(...) / s.rsplit(...) / s.splitlines() making pieces above the cap."""
    try:
        if method == "splitlines":
            n = 1 + sum(1 for _ in re.finditer(_LINES, s))
        else:
            bound = dict(zip(("sep", "maxsplit"), args), **kwargs)
            sep, most = bound.get("sep"), bound.get("maxsplit", -1)
            if sep == "":
                return                          # str.split's own ValueError
            n = sum(1 for _ in re.finditer(_WORDS, s)) if sep is None else s.count(sep) + 1
            if isinstance(most, int) and most >= 0:
                n = min(n, most + 1)
    except (TypeError, ValueError):
        return                                  # the method's own message
    if n * PIECE > cap():
        raise too_big(f"splitting a string into {n} pieces", n * PIECE)



# What laying a text out makes per character: a copy or two of the text, and a new object
# per word (textwrap's chunks, a path's parts).
LAYOUT_COPIES = 3


def check_layout(what: str, texts) -> None:
    """Refuse laying out texts (wrapping help, splitting a path into its parts) whose copies
    and word objects would pass the cap: an upper bound, counted in C (no split)."""
    nbytes = 0
    for text in texts:
        if isinstance(text, str):
            nbytes += LAYOUT_COPIES * len(text)
            if nbytes > cap() // PIECE:         # long: count the separators too
                nbytes += PIECE * (text.count(" ") + text.count("/") + text.count("\n"))
    if nbytes > cap():
        raise too_big(what, nbytes)
    note_large(nbytes)



# Bytes Python's regular expression parser and compiler may make per character of a pattern
# (up to 240 measured; the re stand-in's PATTERN_BYTES).
PATTERN_BYTES = 512


def check_pattern(pattern, what: str) -> None:
    """A pattern that Python's re will compile (warnings' filters, re itself), within the
    cap before its parser sees it: `'x' * 10**7` took 1.5 GiB and a minute."""
    if isinstance(pattern, str) and len(pattern) * PATTERN_BYTES > cap():
        raise too_big(f"{what} of {len(pattern)} characters", len(pattern) * PATTERN_BYTES)


# ---------------------------------------------------------------------- text
CONTAINERS = (list, tuple, dict, set, frozenset)
SCALAR_TEXT = 64        # characters of a tensor's or another object's repr, at most
# The longest repr of each (-1.2345678901234567e-300; the same twice, as a complex number)
_WIDTH = {float: 24, complex: 52, bool: 5, type(None): 4}
_INTEGERS = {int, bool}


def check_text(value) -> None:
    """Refuse to print a container whose repr would exceed the cap. [[0] * 1000] * 10**5 is
    100 000 pointers, and its text 300 MB: sharing makes a value's text far bigger than the
    value. Its size is added up per distinct object, so sharing costs nothing to measure."""
    if isinstance(value, CONTAINERS) and _text_size(value, {}) > cap():
        raise MemoryError(f"the text of this {type(value).__name__} would take more than the "
                          f"{cap()} bytes one value may take (a quarter of the memory limit; "
                          "set it with --max-memory or TSHELL_MAX_MEMORY)")


def _text_size(value, sizes: dict) -> int:
    """An upper bound of len(repr(value)), or a number above the cap once one is reached."""
    key = id(value)
    if key in sizes:
        return sizes[key]
    if not isinstance(value, CONTAINERS):
        return _scalar_text_size(value)
    sizes[key] = 5                       # while it is measured: '[...]' for a cycle
    if isinstance(value, dict):
        items, size = [x for kv in value.items() for x in kv], 2 + 4 * len(value)
    else:
        items, size = value, 2 + 2 * len(value)
    kinds = set(map(type, items))        # C loops for the flat lists of numbers that
    if kinds <= _WIDTH.keys():           # most big values are
        size += sum(map(_WIDTH.__getitem__, map(type, items)))
    elif kinds <= _INTEGERS:
        size += sum(map(int.bit_length, items)) // 3 + 2 * len(items)
    elif kinds == {str}:
        size += sum(map(len, items)) + 3 * len(items)
    else:
        limit = cap()
        for item in items:
            size += _text_size(item, sizes)
            if size > limit:
                break                    # enough to refuse: stop walking
    sizes[key] = size
    return size


def _scalar_text_size(value) -> int:
    if isinstance(value, (str, bytes)):
        return len(value) + 3
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 2
    return _WIDTH.get(type(value), SCALAR_TEXT)
