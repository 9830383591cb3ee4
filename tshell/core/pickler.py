"""A pickle writer of tshell's own, protocol 2 (what torch.save writes), for the values
torch.load(weights_only=True) reads back: plain data, and objects the caller turns into a
global, a call or a persistent id (torch_save.py does, for tensors, dtypes, devices...).

Python's pickle would write any object by its __reduce__, which is exactly what a checkpoint
must not hold; this writer refuses everything it was not told about, so a file tshell writes
is one that PyTorch's and tshell's restricted loaders accept.
"""
from __future__ import annotations

import struct

from .unpickler import MAX_DEPTH

_PROTO = b"\x80\x02"


class Global:
    """A reference to a module-level name, written as GLOBAL 'module name'."""

    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module, self.name = module, name


class Call:
    """A value written as fn(*args) (REDUCE; fn a Global), then SETITEMS of `items` and a
    BUILD of `state` when given."""

    __slots__ = ("fn", "args", "state", "items")

    def __init__(self, fn, args, state=None, items=None):
        self.fn, self.args, self.state, self.items = fn, args, state, items


class Persistent:
    """A value written as BINPERSID of pid (a storage, for torch.save)."""

    __slots__ = ("pid",)

    def __init__(self, pid):
        self.pid = pid


class PicklingError(TypeError):
    """A value that torch.load(weights_only=True) could not read back."""


def dumps(obj, reduce):
    """The protocol-2 pickle of obj. `reduce(value)` returns a Global, Call or Persistent for
    the values it knows, or None; any other non-plain value is a PicklingError."""
    return _Writer(reduce).dump(obj)


class _Writer:
    def __init__(self, reduce):
        self.reduce = reduce
        self.out = bytearray(_PROTO)
        self.memo = {}                 # id -> memo index
        self.keep = []                 # the memoized values, alive while ids are memo keys
        self.active = set()            # ids of the containers being written (cycle check)

    def dump(self, obj):
        self.save(obj, 0)
        self.out += b"."
        return bytes(self.out)

    # ---- memo ------------------------------------------------------------------------
    def put(self, obj):
        i = len(self.memo)
        self.memo[id(obj)] = i
        self.keep.append(obj)          # its id must not be reused by a later value
        self.out += b"q" + bytes((i,)) if i < 256 else b"r" + struct.pack("<I", i)

    def get(self, obj):
        i = self.memo.get(id(obj))
        if i is None:
            return False
        self.out += b"h" + bytes((i,)) if i < 256 else b"j" + struct.pack("<I", i)
        return True

    # ---- values ----------------------------------------------------------------------
    def save(self, obj, depth):
        if depth > MAX_DEPTH:
            raise PicklingError(f"torch.save: the value is nested more than {MAX_DEPTH} deep")
        kind = type(obj)
        writer = _PLAIN.get(kind)
        if writer is not None:
            writer(self, obj)
            return
        if kind is Global:
            if not self.get(obj):
                self.save_global(obj)
                self.put(obj)
            return
        if kind is Call or kind is Persistent:     # a stand-in inside another's arguments
            self.save_stand_in(obj, obj, depth + 1)
            return
        if id(obj) in self.active:
            raise PicklingError("torch.save: the value contains itself; tshell saves only "
                                "values without cycles")
        if self.get(obj):
            return
        writer = _CONTAINERS.get(kind)
        if writer is not None:
            self.active.add(id(obj))
            writer(self, obj, depth + 1)
            self.active.discard(id(obj))
            return
        stand_in = self.reduce(obj)
        if stand_in is None:
            raise PicklingError(f"torch.save cannot store a {kind.__name__}: tshell saves "
                                "tensors, numbers, strings, bytes, None, and lists, tuples, "
                                "dicts and sets of them (what torch.load(weights_only=True) "
                                "reads back)")
        self.save_stand_in(obj, stand_in, depth + 1)

    def save_stand_in(self, obj, stand_in, depth):
        if isinstance(stand_in, Global):
            self.save_global(stand_in)
            self.put(obj)
        elif isinstance(stand_in, Persistent):
            self.save(stand_in.pid, depth)
            self.out += b"Q"
        else:
            self.save_call(stand_in, depth)
            self.put(obj)
            if stand_in.items is not None:
                self.save_items(stand_in.items, depth)
            if stand_in.state is not None:
                self.save(stand_in.state, depth)
                self.out += b"b"

    def save_global(self, g):
        self.out += b"c" + f"{g.module}\n{g.name}\n".encode()

    def save_call(self, call, depth):
        self.save(call.fn, depth)           # a Global: named once, BINGET after that
        self.save(tuple(call.args), depth)
        self.out += b"R"

    def save_items(self, items, depth):
        """SETITEMS of key-value pairs, in batches of 1000 as pickle does."""
        items = list(items)
        for start in range(0, len(items), 1000):
            self.out += b"("
            for k, v in items[start:start + 1000]:
                self.save(k, depth)
                self.save(v, depth)
            self.out += b"u"


def _none(w, obj):
    w.out += b"N"


def _bool(w, obj):
    w.out += b"\x88" if obj else b"\x89"


def _int(w, obj):
    if 0 <= obj < 256:
        w.out += b"K" + bytes((obj,))
    elif 0 <= obj < 65536:
        w.out += b"M" + struct.pack("<H", obj)
    elif -2 ** 31 <= obj < 2 ** 31:
        w.out += b"J" + struct.pack("<i", obj)
    else:
        data = obj.to_bytes((obj.bit_length() + 8) // 8, "little", signed=True)
        w.out += (b"\x8a" + bytes((len(data),)) if len(data) < 256 else
                  b"\x8b" + struct.pack("<i", len(data))) + data


def _float(w, obj):
    w.out += b"G" + struct.pack(">d", obj)


def _str(w, obj):
    if w.get(obj):
        return
    data = obj.encode("utf-8", "surrogatepass")
    w.out += b"X" + struct.pack("<I", len(data)) + data
    w.put(obj)


_PLAIN = {type(None): _none, bool: _bool, int: _int, float: _float, str: _str}


def _tuple(w, obj, depth):
    if not obj:
        w.out += b")"
        return
    short = len(obj) <= 3
    if not short:
        w.out += b"("
    for item in obj:
        w.save(item, depth)
    w.out += b"\x85\x86\x87"[len(obj) - 1:len(obj)] if short else b"t"
    w.put(obj)


def _list(w, obj, depth):
    w.out += b"]"
    w.put(obj)
    _appends(w, obj, depth)


def _appends(w, items, depth):
    items = list(items)
    for start in range(0, len(items), 1000):
        w.out += b"("
        for item in items[start:start + 1000]:
            w.save(item, depth)
        w.out += b"e"


def _dict(w, obj, depth):
    w.out += b"}"
    w.put(obj)
    w.save_items(obj.items(), depth)


_CONTAINERS = {tuple: _tuple, list: _list, dict: _dict}
