"""The double-underscore names tsh code may use, and why each is safe (docs/security.md).

A program never reads or writes a `__name__`-style attribute except these:
- PROTOCOL_METHODS: the special methods a class may define, which Python calls where a
  program uses the protocol (`len(obj)` calls `__len__`, `a + b` calls `__add__`); a
  program may also reach them through `super()` and on classes (`super().__init__()`,
  `nn.Module.__init__(self)`). None of them hands out Python internals. Left out on purpose:
  `__getattribute__ __getattr__ __setattr__ __delattr__` (attribute access is the sandbox's
  door), `__del__` (runs at collection), `__init_subclass__ __class_getitem__ __new__
  __set_name__ __get__ __set__ __delete__ __slots__ __prepare__ __reduce__ __reduce_ex__`
  (class creation, descriptors, pickling: ways into the machinery);
- CLASS_BODY_DUNDERS: what a class body may bind (the protocol methods, and `__hash__ =
  None`, `__doc__`, `__annotations__`, which the compiler itself records);
- DESCRIPTIVE: read-only facts, strings: a class's or function's `__name__`, `__qualname__`,
  `__doc__`, `__module__`; and `__class__`, which is what type() gives;
- MODULE_FACTS: a module stand-in's `__version__` string (`torch.__version__`), where the
  runtime registered one;
- GLOBAL_FACTS: the bare names a program may read: `__name__`, which is "__main__" (a program
  runs as Python's main module).
"""

from __future__ import annotations

_ARITHMETIC = ("add sub mul matmul truediv floordiv mod divmod pow lshift rshift and xor or")

PROTOCOL_METHODS = frozenset(
    [f"__{n}__" for n in (
        "init call len getitem setitem delitem iter next reversed contains repr str format "
        "eq ne lt le gt ge hash bool enter exit neg pos abs invert index int float complex "
        "round trunc floor ceil length_hint post_init bytes").split()]
    + [f"__{p}{n}__" for n in _ARITHMETIC.split() for p in ("", "r", "i")])

CLASS_BODY_DUNDERS = PROTOCOL_METHODS | {"__doc__", "__annotations__"}

DESCRIPTIVE = frozenset(("__name__", "__qualname__", "__doc__", "__module__", "__class__"))

MODULE_FACTS = frozenset(("__version__",))

GLOBAL_FACTS = frozenset(("__name__",))
