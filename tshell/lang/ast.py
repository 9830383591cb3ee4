"""The tsh abstract syntax tree: small immutable node classes that carry source spans.

The nodes behave like frozen dataclasses (fields from annotations, value equality, read-only
attributes) but are tuples underneath, built by `node` below: making one is a tuple
construction (a parse makes ~8 per line), and defining the ~40 classes compiles no code at
start-up (dataclasses, typing or a generated __init__ per class cost milliseconds there).
"""

from __future__ import annotations

from collections import namedtuple
from operator import itemgetter

try:                       # namedtuple's field reader, a C descriptor (CPython)
    from collections import _tuplegetter
except ImportError:        # pragma: no cover - other Pythons
    def _tuplegetter(index, doc):
        return property(itemgetter(index), doc=doc)


class Span(namedtuple("Span", "line col end_line end_col")):
    """Where a node sits in its source: 1-based lines and columns, end column exclusive."""

    __slots__ = ()

    def to(self, other: Span) -> Span:
        """The span from the start of self to the end of other."""
        return _new(Span, (self[0], self[1], other[2], other[3]))   # (hot: skips __new__)


_new = tuple.__new__
NO_SPAN = Span(0, 0, 0, 0)


class Node(tuple):
    """Base class of every node: a tuple of its fields, `span` always the first."""

    __slots__ = ()
    _fields: tuple = ("span",)
    span = _tuplegetter(0, "where the node is in its source")

    def __new__(cls, *values):
        if len(values) != len(cls._fields):
            raise TypeError(f"{cls.__name__} takes {len(cls._fields)} fields "
                            f"({', '.join(cls._fields)}), got {len(values)}")
        return _new(cls, values)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} nodes are immutable")

    # Equal when of the same class with equal fields (tuples alone ignore the class).
    def __eq__(self, other):
        return type(self) is type(other) and tuple.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(self))

    def __repr__(self):
        inner = ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"{type(self).__name__}({inner})"


def node(cls):
    """Turn an annotated Node subclass into a node class: one read-only property per field."""
    own = tuple(cls.__dict__.get("__annotations__", {}))
    fields = Node._fields + own
    namespace = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    namespace.update({f: _tuplegetter(i, f) for i, f in enumerate(fields) if i},
                     __slots__=(), _fields=fields)
    return type(cls.__name__, cls.__bases__, namespace)


# ------------------------------------------------------------------ expressions
@node
class Name(Node):
    id: str


@node
class Const(Node):
    value: object


@node
class FormattedValue(Node):
    value: Node
    conversion: str | None             # None, 'r', 's' or 'a'
    spec: FString | None               # the format spec, itself an f-string


@node
class FString(Node):
    parts: tuple                       # str | FormattedValue


@node
class ListExpr(Node):
    elts: tuple


@node
class TupleExpr(Node):
    elts: tuple


@node
class DictExpr(Node):
    keys: tuple                        # a key None: **value unpacked into the dict
    values: tuple


@node
class SetExpr(Node):
    elts: tuple


@node
class Starred(Node):
    value: Node                        # *value: in displays, calls and targets


@node
class Comprehension(Node):
    target: Node
    iter: Node
    ifs: tuple


@node
class ListComp(Node):
    elt: Node
    generators: tuple                  # Comprehension, outermost first


@node
class SetComp(Node):
    elt: Node
    generators: tuple


@node
class DictComp(Node):
    key: Node
    value: Node
    generators: tuple


@node
class GeneratorExp(Node):
    elt: Node
    generators: tuple


@node
class Lambda(Node):
    params: tuple                      # Param
    body: Node


@node
class NamedExpr(Node):
    target: str                        # name := value
    value: Node


@node
class Yield(Node):
    value: Node | None


@node
class YieldFrom(Node):
    value: Node


@node
class Attribute(Node):
    value: Node
    attr: str


@node
class Subscript(Node):
    value: Node
    index: Node


@node
class Slice(Node):
    lower: Node | None
    upper: Node | None
    step: Node | None


@node
class Keyword(Node):
    name: str | None                   # None: **value in a call
    value: Node


@node
class Call(Node):
    func: Node
    args: tuple
    keywords: tuple                    # Keyword


@node
class BinOp(Node):
    left: Node
    op: str                            # the operator's text: '+', '@', '//', ...
    right: Node


@node
class UnaryOp(Node):
    op: str                            # '-', '+', '~' or 'not'
    operand: Node


@node
class BoolOp(Node):
    op: str                            # 'and' | 'or'
    values: tuple


@node
class Compare(Node):
    left: Node
    ops: tuple                         # '<', 'not in', 'is not', ...
    comparators: tuple


@node
class IfExp(Node):
    test: Node
    body: Node
    orelse: Node


# ------------------------------------------------------------------ statements
@node
class Module(Node):
    body: tuple


@node
class ExprStmt(Node):
    value: Node


@node
class Assign(Node):
    targets: tuple                     # a = b = value has two targets
    value: Node


@node
class AugAssign(Node):
    target: Node
    op: str                            # '+', '@', ... (without '=')
    value: Node


@node
class If(Node):
    test: Node
    body: tuple
    orelse: tuple


@node
class While(Node):
    test: Node
    body: tuple
    orelse: tuple


@node
class For(Node):
    target: Node
    iter: Node
    body: tuple
    orelse: tuple


@node
class Break(Node):
    pass


@node
class Continue(Node):
    pass


@node
class Pass(Node):
    pass


# Param kinds, in the order Python's signatures have them
POSITIONAL_ONLY, POSITIONAL, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD = \
    "positional-only", "positional", "*args", "keyword-only", "**kwargs"


@node
class Param(Node):
    name: str
    default: Node | None
    kind: str                          # one of the kinds above


@node
class FunctionDef(Node):
    name: str
    params: tuple                      # Param
    body: tuple
    decorators: tuple                  # expressions, outermost first


@node
class ClassDef(Node):
    name: str
    bases: tuple
    keywords: tuple                    # Keyword
    body: tuple
    decorators: tuple


@node
class ExceptHandler(Node):
    type: Node | None
    name: str | None
    body: tuple


@node
class Try(Node):
    body: tuple
    handlers: tuple                    # ExceptHandler
    orelse: tuple
    finalbody: tuple


@node
class Raise(Node):
    exc: Node | None
    cause: Node | None


@node
class Global(Node):
    names: tuple


@node
class Nonlocal(Node):
    names: tuple


@node
class AnnAssign(Node):
    target: Node
    annotation: str                    # the annotation's source text (never evaluated)
    value: Node | None


@node
class Return(Node):
    value: Node | None


@node
class WithItem(Node):
    context: Node
    name: str | None


@node
class With(Node):
    items: tuple                       # WithItem
    body: tuple


@node
class Alias(Node):
    name: str                          # dotted module name or imported name
    asname: str | None


@node
class Import(Node):
    names: tuple                       # Alias


@node
class ImportFrom(Node):
    module: str
    names: tuple                       # Alias; empty for `from m import *`


@node
class Delete(Node):
    targets: tuple


@node
class Assert(Node):
    test: Node
    msg: Node | None


def node_classes() -> list:
    """Every concrete node class (the compiler checks it handles them all)."""
    return [c for c in globals().values()
            if isinstance(c, type) and issubclass(c, Node) and c is not Node]
