"""A pickle interpreter of tshell's own that builds only what an allow-list permits.

torch.load reads the pickle inside a checkpoint (data.pkl) with this interpreter, never with
Python's `pickle`: every opcode is handled here, and an opcode either builds plain data
(numbers, strings, bytes, tuples, lists, dicts, sets) or consults the allow-list. Nothing in
a file can name a function that runs unless tshell listed it. docs/security.md gives the
reasoning (why not a `pickle.Unpickler` subclass) and tests/hardening/test_hostile_pickles.py
the attacks.

`unpickle(..., dry=True)` runs the same opcodes without calling anything: REDUCE, NEWOBJ and
BUILD push an inert placeholder. torch.load runs a dry pass first, so that a file naming a
global outside the allow-list is refused before any tensor data is read or any object built
from it.
"""
from __future__ import annotations

import codecs
import pickle
import pickletools
import struct
from collections import Counter, OrderedDict

from . import limits

# As deep as CPython lets Python code recurse: tsh refuses deeper values too
# (lang/deep_values.py). Hashing a tuple recurses in C without a depth check, so keys are
# measured before they are hashed, here as there.
MAX_DEPTH = 1000
# A value may expand (shared containers counted once per use) to at most this many items,
# or 4 per byte of pickle: printing or walking `d = {'a': d, 'b': d}` nested 100 times
# would take 2**100 steps.
MIN_EXPANSION_BUDGET = 1_000_000
# What one opcode can make out of a byte or two: a container (an empty dict is 64 bytes, a
# set 216, a tuple 40 and 8 a slot), a memo entry, a number or string object. Their sum is
# checked against the memory cap as they are made: 10 MB of EMPTY_DICT took a process past
# 2 GiB, 22 MB of BINFLOAT to 352 MiB.
CONTAINER_BYTES = 64
SET_BYTES = 216
MEMO_ENTRY_BYTES = 104
SLOT_BYTES = 8
NUMBER_BYTES = 32               # a float or int object and its slot: 9 bytes of BINFLOAT
STRING_BYTES = 49               # a str's header (bytes': 33), then its characters


class UnpicklingError(pickle.UnpicklingError, RuntimeError):
    """A pickle that tshell refuses: a global outside the allow-list, an opcode that could
    call anything, or bytes that are no valid pickle. Named as PyTorch's error is."""


class Dry:
    """What a call would have returned, in a dry pass (nothing was called)."""

    __slots__ = ()

    def __repr__(self):
        return "<not built in a dry pass>"


DRY = Dry()


class Allowlist:
    """What a pickle may name and do.

    globals: {'module.name': value} - the only values GLOBAL, STACK_GLOBAL and INST can push.
    calls: the values among them REDUCE may call (each a tshell function that checks its
        arguments itself).
    new_objects: {class: factory} for NEWOBJ.
    refusals: {'module.name': reason} for names worth a specific message (a tensor kind
        tshell lacks), still refused.
    """

    def __init__(self, globals, calls, new_objects, refusals, aliases):
        self.globals = dict(globals)
        self.calls = {id(f): f for f in calls}
        self.new_objects = {id(c): (c, f) for c, f in new_objects.items()}
        self.refusals = dict(refusals)
        self.aliases = dict(aliases)        # Python 2 module names ('__builtin__')

    def resolve(self, module, name):
        if not isinstance(module, str) or not isinstance(name, str):
            raise UnpicklingError("STACK_GLOBAL needs two strings (module and name), got "
                                  f"{type(module).__name__} and {type(name).__name__}")
        full = f"{self.aliases.get(module, module)}.{name}"
        try:
            return self.globals[full]
        except KeyError:
            pass
        reason = self.refusals.get(full)
        if reason is not None:
            raise UnpicklingError(f"Weights only load failed: GLOBAL {full}: {reason}")
        raise UnpicklingError(
            f"Weights only load failed: Unsupported global: GLOBAL {full} was not an allowed "
            "global by default. tshell loads only what PyTorch's weights_only=True allows "
            "(tensors, storages, dtypes, devices, torch.Size, OrderedDict and plain Python "
            "data) and never runs anything a file names.")

    def callable(self, fn):
        return self.calls.get(id(fn)) is fn

    def factory(self, cls):
        entry = self.new_objects.get(id(cls))
        return entry[1] if entry is not None and entry[0] is cls else None


def unpickle(data, allow: Allowlist, persistent_load, *, value_types=(), start=0,
             dry=False):
    """(value, end): the pickle in data[start:], and the offset just after its STOP.

    The value may hold plain Python data and instances of value_types, nothing else (an
    allowed function that a pickle pushed but never called stays out of the result)."""
    machine = _Machine(data, allow, persistent_load, start, dry)
    value = machine.run()
    check_structure(value, machine.pos - start, value_types + ((Dry,) if dry else ()))
    return value, machine.pos


class _Machine:
    """The interpreter's state: input, position, stack, mark stack and memo."""

    def __init__(self, data, allow, persistent_load, start, dry):
        self.data = data                # bytes or an mmap: both index, slice and find
        self.pos = start
        self.allow, self.persistent_load, self.dry = allow, persistent_load, dry
        self.stack, self.marks, self.memo = [], [], {}
        self.at = start                 # where the current opcode started (for messages)
        self.made, self.cap = 0, limits.max_bytes()     # bytes of containers made so far

    # ---- reading -----------------------------------------------------------------------
    def take(self, n):
        end = self.pos + n
        if n < 0 or end > len(self.data):
            raise UnpicklingError(f"pickle data was truncated (needed {n} bytes at byte "
                                  f"{self.pos}, {len(self.data) - self.pos} left)")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def unpack(self, layout):
        """The number a struct.Struct of one field reads at the position."""
        pos = self.pos
        if pos + layout.size > len(self.data):
            self.take(layout.size)              # words the truncation
        self.pos = pos + layout.size
        return layout.unpack_from(self.data, pos)[0]

    def line(self):
        """A protocol-0 argument: the bytes up to the next newline."""
        start = self.pos
        end = self.data.find(b"\n", start)
        if end < 0:
            raise UnpicklingError(f"pickle data was truncated (no end of line after byte "
                                  f"{start})")
        self.pos = end + 1
        return self.data[start:end]

    def text(self, raw, encoding="utf-8"):
        try:
            return str(raw, encoding, "surrogatepass" if encoding == "utf-8" else "strict")
        except UnicodeDecodeError as e:
            raise UnpicklingError(f"a string in the pickle at byte {self.at} is not valid "
                                  f"{encoding}: {e.reason}") from None

    def charge(self, nbytes):
        """Count what an opcode made against the memory cap."""
        self.made += nbytes
        if self.made > self.cap:
            raise UnpicklingError(f"the pickle makes more than {self.made} bytes of objects "
                                  f"by byte {self.at}, more than the memory limit of "
                                  f"{self.cap} bytes (set it with --max-memory or "
                                  "TSHELL_MAX_MEMORY)")

    # ---- the stack ---------------------------------------------------------------------
    def pop(self):
        if not self.stack:
            raise UnpicklingError(f"malformed pickle: the stack is empty at byte {self.at}")
        return self.stack.pop()

    def top(self):
        if not self.stack:
            raise UnpicklingError(f"malformed pickle: the stack is empty at byte {self.at}")
        return self.stack[-1]

    def pop_mark(self):
        if not self.marks:
            raise UnpicklingError(f"malformed pickle: no MARK before byte {self.at}")
        items, self.stack = self.stack, self.marks.pop()
        return items

    def target(self, kinds, opcode):
        """The container an opcode adds to, if it is one of kinds (a dry placeholder
        passes in a dry pass)."""
        obj = self.top()
        if type(obj) in kinds or (self.dry and obj is DRY):
            return obj
        raise UnpicklingError(f"{opcode} can only add to "
                              f"{' or '.join(k.__name__ for k in kinds)}, not "
                              f"{type(obj).__name__} (byte {self.at})")

    # ---- the loop ----------------------------------------------------------------------
    def run(self):
        handlers = _HANDLERS
        data = self.data
        while True:
            if self.pos >= len(data):
                raise UnpicklingError("pickle data was truncated (no STOP opcode)")
            self.at = pos = self.pos
            code = data[pos]
            self.pos = pos + 1
            handler = handlers[code]
            if handler is None:
                raise UnpicklingError(_unknown(code, pos))
            if handler(self) is _STOP:
                return self.pop()


def _unknown(code, pos):
    name = _OPCODE_NAMES.get(code)
    if name is None:
        return (f"invalid load key, {chr(code)!r} (byte {pos}): this is not a pickle, or it "
                "is damaged")
    return f"the pickle opcode {name} (byte {pos}) is not supported: {_REFUSED_WHY[name]}"


_OPCODE_NAMES = {op.code.encode("latin-1")[0]: op.name
                 for op in pickletools.opcodes}
_REFUSED_WHY = {
    "INST": "it builds an object of a named class (torch.save never writes it)",
    "OBJ": "it builds an object of a class on the stack (torch.save never writes it)",
    "NEWOBJ_EX": "it builds an object with keyword arguments (torch.save never writes it)",
    "EXT1": "it names a global through the copyreg extension registry",
    "EXT2": "it names a global through the copyreg extension registry",
    "EXT4": "it names a global through the copyreg extension registry",
    "PERSID": "persistent ids in text form are not PyTorch's (it writes BINPERSID)",
    "NEXT_BUFFER": "out-of-band buffers are not part of a file",
    "READONLY_BUFFER": "out-of-band buffers are not part of a file",
}
_STOP = object()


# ---- the opcodes -------------------------------------------------------------------------
# Each handler takes the machine. Handlers of opcodes that only build data come first; those
# that consult the allow-list after them.

def _proto(m):
    version = m.take(1)[0]
    if version > pickle.HIGHEST_PROTOCOL:
        raise UnpicklingError(f"unsupported pickle protocol: {version}")


def _frame(m):
    m.take(8)                          # the whole pickle is in memory: frames change nothing


def _stop(m):
    return _STOP


def _mark(m):
    m.charge(CONTAINER_BYTES)
    m.marks.append(m.stack)
    m.stack = []


def _pop(m):
    if m.stack:
        m.stack.pop()
    else:
        m.pop_mark()                   # as pickle.py does


def _pop_mark(m):
    m.pop_mark()


def _dup(m):
    m.stack.append(m.top())


def _push(value):
    def push(m):
        m.stack.append(value)
    return push


def _int_text(m):
    raw = m.line()
    if raw in (b"00", b"01"):
        m.stack.append(raw == b"01")
    else:
        m.stack.append(_parse_int(m, raw))


def _long_text(m):
    raw = m.line()
    m.stack.append(_parse_int(m, raw[:-1] if raw.endswith(b"L") else raw))


def _parse_int(m, raw):
    try:
        return int(raw)
    except ValueError as e:
        raise UnpicklingError(f"malformed integer at byte {m.at}: {e}") from None


def _fixed(fmt):
    layout = struct.Struct(fmt)

    def number(m):
        m.charge(NUMBER_BYTES)
        m.stack.append(m.unpack(layout))
    return number


def _long_bytes(size_fmt):
    layout = struct.Struct(size_fmt)

    def long(m):
        n = m.unpack(layout)
        m.stack.append(int.from_bytes(m.take(n), "little", signed=True))
    return long


def _float_text(m):
    try:
        m.stack.append(float(m.line()))
    except ValueError:
        raise UnpicklingError(f"malformed float at byte {m.at}") from None


def _sized(size_fmt, build):
    """An opcode whose argument is a length (struct format) and that many bytes."""
    layout = struct.Struct(size_fmt)

    def read(m):
        raw = m.take(m.unpack(layout))
        m.charge(STRING_BYTES + len(raw))
        m.stack.append(build(m, raw))
    return read


def _unicode(m, raw):
    return m.text(raw)


def _py2_string(m, raw):
    return m.text(raw)                 # PyTorch loads Python 2 strings as UTF-8 text too


def _bytes(m, raw):
    return bytes(raw)


def _bytearray(m, raw):
    return bytearray(raw)


def _string_text(m):
    raw = m.line()
    if len(raw) < 2 or raw[0] != raw[-1] or raw[:1] not in (b'"', b"'"):
        raise UnpicklingError(f"the STRING opcode argument must be quoted (byte {m.at})")
    m.stack.append(m.text(codecs.escape_decode(raw[1:-1])[0]))


def _unicode_text(m):
    m.stack.append(m.text(m.line(), "raw-unicode-escape"))


def _tuple(m):
    items = tuple(m.pop_mark())        # before naming m.stack: pop_mark replaces it
    m.charge(CONTAINER_BYTES + SLOT_BYTES * len(items))
    m.stack.append(items)


def _tuple_n(n):
    def tuple_n(m):
        if len(m.stack) < n:
            raise UnpicklingError(f"malformed pickle: the stack is empty at byte {m.at}")
        items = tuple(m.stack[-n:])
        m.charge(CONTAINER_BYTES)
        del m.stack[-n:]
        m.stack.append(items)
    return tuple_n


def _new(kind):
    cost = SET_BYTES if kind is set else CONTAINER_BYTES

    def new(m):
        m.charge(cost)
        m.stack.append(kind())
    return new


def _list(m):
    items = m.pop_mark()
    m.charge(SLOT_BYTES * len(items))           # its MARK paid for the list itself
    m.stack.append(items)


def _append(m):
    item = m.pop()
    target = m.target((list,), "APPEND")
    if target is not DRY:
        target.append(item)


def _appends(m):
    items = m.pop_mark()
    target = m.target((list,), "APPENDS")
    if target is not DRY:
        target.extend(items)


def _dict(m):
    items = m.pop_mark()
    m.charge(CONTAINER_BYTES + SLOT_BYTES * len(items))
    if len(items) % 2:
        raise UnpicklingError(f"malformed pickle: DICT of an odd number of items (byte {m.at})")
    d = {}
    _set_items(m, d, items)
    m.stack.append(d)


_DICTS = (dict, OrderedDict, Counter)


def _setitem(m):
    value, key = m.pop(), m.pop()
    target = m.target(_DICTS, "SETITEM")
    _set_items(m, target, (key, value))


def _setitems(m):
    items = m.pop_mark()
    if len(items) % 2:
        raise UnpicklingError(f"malformed pickle: SETITEMS of an odd number of items "
                              f"(byte {m.at})")
    _set_items(m, m.target(_DICTS, "SETITEMS"), items)


def _set_items(m, target, items):
    for i in range(0, len(items), 2):
        key = items[i]
        check_key(key)
        if target is not DRY:
            try:
                target[key] = items[i + 1]
            except TypeError as e:        # an unhashable key
                raise UnpicklingError(f"malformed pickle: {e} (byte {m.at})") from None


def _additems(m):
    items = m.pop_mark()
    target = m.target((set,), "ADDITEMS")
    for item in items:
        check_key(item)
    if target is not DRY:
        _hashing(m, target.update, items)


def _frozenset(m):
    items = m.pop_mark()
    m.charge(SET_BYTES + SLOT_BYTES * len(items))
    for item in items:
        check_key(item)
    m.stack.append(_hashing(m, frozenset, items))


def _hashing(m, fn, items):
    try:
        return fn(items)
    except TypeError as e:
        raise UnpicklingError(f"malformed pickle: {e} (byte {m.at})") from None


def _put(index_of):
    def put(m):
        m.charge(MEMO_ENTRY_BYTES)
        m.memo[index_of(m)] = m.top()
    return put


def _get(index_of):
    def get(m):
        i = index_of(m)
        try:
            m.stack.append(m.memo[i])
        except KeyError:
            raise UnpicklingError(f"malformed pickle: memo key {i} is not defined (byte "
                                  f"{m.at})") from None
    return get


def _text_index(m):
    return _parse_int(m, m.line())


_BYTE, _LONG = struct.Struct("<B"), struct.Struct("<I")


def _byte_index(m):
    return m.unpack(_BYTE)


def _long_index(m):
    return m.unpack(_LONG)


def _memoize(m):
    m.charge(MEMO_ENTRY_BYTES)
    m.memo[len(m.memo)] = m.top()


# ---- the opcodes that consult the allow-list ---------------------------------------------

def _global(m):
    module, name = m.text(m.line()), m.text(m.line())
    m.stack.append(m.allow.resolve(module, name))


def _stack_global(m):
    name, module = m.pop(), m.pop()
    m.stack.append(m.allow.resolve(module, name))


def _inst(m):
    module, name = m.text(m.line()), m.text(m.line())
    m.allow.resolve(module, name)      # an unlisted name is refused by name first
    raise UnpicklingError(_unknown(ord("i"), m.at))


def _refused(m):
    raise UnpicklingError(_unknown(m.data[m.at], m.at))


def _reduce(m):
    args = m.pop()
    fn = m.top()
    if not m.allow.callable(fn):
        raise UnpicklingError(f"Weights only load failed: REDUCE may only call an allowed "
                              f"function, not {_describe(fn)} (byte {m.at})")
    if type(args) is not tuple:
        raise UnpicklingError(f"malformed pickle: REDUCE needs a tuple of arguments, got "
                              f"{type(args).__name__} (byte {m.at})")
    m.stack[-1] = DRY if m.dry else _call(m, fn, args)


def _newobj(m):
    args = m.pop()
    cls = m.pop()
    factory = m.allow.factory(cls)
    if factory is None:
        raise UnpicklingError(f"Weights only load failed: NEWOBJ may only make a "
                              f"torch.nn.Parameter, not {_describe(cls)} (byte {m.at})")
    if type(args) is not tuple:
        raise UnpicklingError(f"malformed pickle: NEWOBJ needs a tuple of arguments, got "
                              f"{type(args).__name__} (byte {m.at})")
    m.stack.append(DRY if m.dry else _call(m, factory, args))


def _call(m, fn, args):
    try:
        return fn(*args)
    except TypeError as e:             # the wrong number or kind of arguments
        raise UnpicklingError(f"malformed pickle: {e} (byte {m.at})") from None


def _build(m):
    state = m.pop()
    inst = m.top()
    if m.dry and inst is DRY:
        return
    if type(inst) is not OrderedDict:
        raise UnpicklingError(f"Weights only load failed: BUILD can only set the attributes "
                              f"of an OrderedDict, not of {_describe(inst)} (byte {m.at})")
    if type(state) is not dict or not all(_private_name(k) for k in state):
        raise UnpicklingError("Weights only load failed: BUILD on an OrderedDict takes a dict "
                              "of private attribute names (such as a state_dict's "
                              f"'_metadata'), got {_short(state)} (byte {m.at})")
    if not m.dry:
        inst.__dict__.update(state)


def _private_name(key):
    # A public name would shadow an OrderedDict method (`keys`) for code that reads it.
    return (type(key) is str and key.startswith("_") and not key.startswith("__")
            and key.isidentifier())


def _binpersid(m):
    m.stack.append(m.persistent_load(m.pop()))


def _describe(obj):
    text = getattr(type(obj), "description", None)
    if isinstance(text, str):
        return text
    if isinstance(obj, type):
        return f"the class {obj.__module__}.{obj.__qualname__}"
    if callable(obj):
        return f"the function {getattr(obj, '__qualname__', obj)!s}"
    return f"a value of type {type(obj).__name__}"


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _handlers():
    op = pickle
    table = {
        op.PROTO: _proto, op.FRAME: _frame, op.STOP: _stop, op.MARK: _mark, op.POP: _pop,
        op.POP_MARK: _pop_mark, op.DUP: _dup,
        op.NONE: _push(None), op.NEWTRUE: _push(True), op.NEWFALSE: _push(False),
        op.INT: _int_text, op.LONG: _long_text, op.BININT: _fixed("<i"),
        op.BININT1: _fixed("<B"), op.BININT2: _fixed("<H"), op.LONG1: _long_bytes("<B"),
        op.LONG4: _long_bytes("<i"), op.FLOAT: _float_text, op.BINFLOAT: _fixed(">d"),
        op.STRING: _string_text, op.BINSTRING: _sized("<i", _py2_string),
        op.SHORT_BINSTRING: _sized("<B", _py2_string), op.UNICODE: _unicode_text,
        op.BINUNICODE: _sized("<I", _unicode), op.SHORT_BINUNICODE: _sized("<B", _unicode),
        op.BINUNICODE8: _sized("<Q", _unicode), op.BINBYTES: _sized("<I", _bytes),
        op.SHORT_BINBYTES: _sized("<B", _bytes), op.BINBYTES8: _sized("<Q", _bytes),
        op.BYTEARRAY8: _sized("<Q", _bytearray),
        op.EMPTY_TUPLE: _push(()), op.TUPLE: _tuple, op.TUPLE1: _tuple_n(1),
        op.TUPLE2: _tuple_n(2), op.TUPLE3: _tuple_n(3),
        op.EMPTY_LIST: _new(list), op.LIST: _list, op.APPEND: _append, op.APPENDS: _appends,
        op.EMPTY_DICT: _new(dict), op.DICT: _dict, op.SETITEM: _setitem,
        op.SETITEMS: _setitems, op.EMPTY_SET: _new(set), op.ADDITEMS: _additems,
        op.FROZENSET: _frozenset,
        op.PUT: _put(_text_index), op.BINPUT: _put(_byte_index),
        op.LONG_BINPUT: _put(_long_index), op.MEMOIZE: _memoize,
        op.GET: _get(_text_index), op.BINGET: _get(_byte_index),
        op.LONG_BINGET: _get(_long_index),
        op.GLOBAL: _global, op.STACK_GLOBAL: _stack_global, op.INST: _inst,
        op.REDUCE: _reduce, op.NEWOBJ: _newobj, op.BUILD: _build, op.BINPERSID: _binpersid,
        op.OBJ: _refused, op.NEWOBJ_EX: _refused, op.EXT1: _refused, op.EXT2: _refused,
        op.EXT4: _refused, op.PERSID: _refused, op.NEXT_BUFFER: _refused,
        op.READONLY_BUFFER: _refused,
    }
    handlers = [None] * 256
    for code, handler in table.items():
        handlers[code[0]] = handler
    return handlers


_HANDLERS = _handlers()


# ---- the shape of what was built ---------------------------------------------------------

def check_key(key):
    """Refuse a tuple nested deeper than MAX_DEPTH before it is hashed (CPython's tuple hash
    recurses in C with no depth check: a deep enough tuple would crash the process)."""
    if type(key) is not tuple:
        return
    stack, seen = [(key, 1)], set()
    while stack:
        t, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        for item in t:
            if type(item) is tuple and id(item) not in seen:
                seen.add(id(item))
                stack.append((item, depth + 1))


def _too_deep():
    return UnpicklingError(f"the pickle holds containers nested more than {MAX_DEPTH} deep "
                           "(a recursion bomb?)")


_CONTAINERS = (list, tuple, dict, OrderedDict, set, frozenset, Counter)


def _children(obj):
    if isinstance(obj, dict):
        kids = [*obj.keys(), *obj.values()]
        extra = getattr(obj, "__dict__", None)     # an OrderedDict's _metadata
        return kids + list(extra.values()) if extra else kids
    return obj


# Values every pickle may hold (besides the containers above).
PLAIN = (type(None), bool, int, float, complex, str, bytes, bytearray)


def check_structure(value, pickle_size, value_types=()):
    """Refuse a value with a cycle, nested deeper than MAX_DEPTH, that expands to more items
    than its pickle justifies (shared containers counted once per use), or that holds
    anything but plain data and value_types, before anything walks it recursively
    (printing, show, a program)."""
    budget = max(MIN_EXPANSION_BUDGET, 4 * pickle_size)
    allowed = PLAIN + tuple(value_types)
    done = {}                       # id -> (depth, expanded size)
    path = set()                    # ids of the containers being walked (the ancestors)
    stack = [(value, False)]
    while stack:
        obj, finished = stack.pop()
        if type(obj) not in _CONTAINERS:
            if not isinstance(obj, allowed):
                raise UnpicklingError(f"the pickle leaves {_describe(obj)} in the loaded "
                                      "value; tshell loads only data")
            continue
        key = id(obj)
        if finished:
            path.discard(key)
            depth, size = 1, 1
            for kid in _children(obj):
                d, s = done.get(id(kid), (0, 1)) if type(kid) in _CONTAINERS else (0, 1)
                depth, size = max(depth, d + 1), size + s
            if depth > MAX_DEPTH:
                raise _too_deep()
            if size > budget:
                raise UnpicklingError(f"the pickle's containers share items so often that "
                                      f"the value expands to more than {budget} items (a "
                                      "billion-laughs bomb?)")
            done[key] = (depth, size)
        elif key in path:
            raise UnpicklingError("the pickle holds a container that contains itself; "
                                  "tshell loads only values without cycles")
        elif key not in done:
            path.add(key)
            stack.append((obj, True))
            stack.extend((kid, False) for kid in _children(obj))
