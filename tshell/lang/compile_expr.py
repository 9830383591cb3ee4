"""Expression handlers of the compiler: node -> closure `run(frame) -> value`.

Each closure that can raise catches the exception only to note its own span (Python 3.11's
try is free when nothing is raised), so errors point at the innermost failing expression.
"""

from __future__ import annotations

import operator

from . import ast as A
from . import compiler as C
from . import guards
from .errors import TshRecursionError
from .deep_values import check_key
from .operators import BINARY_FUNCTIONS, COMPARISON_FUNCTIONS, PREFIX_FUNCTIONS
from .sandbox import get_attribute, denied_attribute

HANDLERS: dict = {}


def handles(cls):
    def register(fn):
        HANDLERS[cls] = fn
        return fn
    return register


@handles(A.Name)
def name(c, node):
    return c.load_name(node)


@handles(A.Const)
def const(c, node):
    value = node.value

    def run(f):
        return value
    return run


def constant_value(node):
    """(True, value) for a node whose value is known at compile time (indexes, slices)."""
    if isinstance(node, A.Const):
        return True, node.value
    if isinstance(node, A.Slice):
        parts = [constant_value(p) if p is not None else (True, None)
                 for p in (node.lower, node.upper, node.step)]
        if all(ok for ok, _ in parts):
            return True, slice(*(v for _, v in parts))
    if isinstance(node, A.TupleExpr):
        parts = [constant_value(e) for e in node.elts]
        if all(ok for ok, _ in parts):
            return True, tuple(v for _, v in parts)
    return False, None


def index(c, node):
    """A runner for a subscript index (slices and tuples of them included)."""
    ok, value = constant_value(node)
    if ok:
        return const(c, A.Const(node.span, value))
    if isinstance(node, A.Slice):
        parts = [c.expr(p) if p is not None else None for p in (node.lower, node.upper, node.step)]
        lo, hi, st = (p or const(c, A.Const(node.span, None)) for p in parts)

        def run_slice(f):
            return slice(lo(f), hi(f), st(f))
        return run_slice
    if isinstance(node, A.TupleExpr):
        runs = tuple(index(c, e) for e in node.elts)

        def run_tuple(f):
            return tuple([r(f) for r in runs])
        return run_tuple
    return c.expr(node)


@handles(A.TupleExpr)
def tuple_expr(c, node):
    runs = tuple(c.expr(e) for e in node.elts)

    def run(f):
        return tuple([r(f) for r in runs])
    return run


@handles(A.ListExpr)
def list_expr(c, node):
    runs = tuple(c.expr(e) for e in node.elts)

    def run(f):
        return [r(f) for r in runs]
    return run


@handles(A.DictExpr)
def dict_expr(c, node):
    pairs = tuple((c.expr(k), c.expr(v)) for k, v in zip(node.keys, node.values))
    loc = c.loc(node)

    def run(f):
        try:
            d = {}
            for k, v in pairs:
                key = k(f)
                check_key(key)
                d[key] = v(f)
            return d
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.FString)
def fstring(c, node):
    pieces = tuple(_fpiece(c, p) for p in node.parts)
    if len(pieces) == 1:
        return pieces[0]

    def run(f):
        return "".join([p(f) for p in pieces])
    return run


def _fpiece(c, part):
    if isinstance(part, str):
        return const(c, A.Const(A.NO_SPAN, part))
    value, loc = c.expr(part.value), c.loc(part.value)
    convert = {None: None, "r": repr, "s": str, "a": ascii}[part.conversion]
    spec = fstring(c, part.spec) if part.spec is not None else None

    def run(f):
        v = value(f)
        try:
            guards.check_text(v)              # f"{[[0] * 1000] * 10**5}": 300 MB of text
            if convert is not None:
                v = convert(v)
            text = spec(f) if spec is not None else ""
            guards.check_widths(text)         # f"{x:{10**10}}" would take 10 GB
            return format(v, text)
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.Attribute)
def attribute(c, node):
    obj, attr, loc = c.expr(node.value), node.attr, c.loc(node)
    if attr.startswith("_"):
        def run_private(f):
            e = denied_attribute(obj(f), attr)
            C.note(e, loc)
            raise e
        return run_private

    def run(f):
        o = obj(f)
        try:
            return get_attribute(o, attr)
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.Subscript)
def subscript(c, node):
    obj, idx, loc = c.expr(node.value), index(c, node.index), c.loc(node)

    def run(f):
        o = obj(f)
        i = idx(f)
        try:
            if isinstance(i, tuple) and isinstance(o, dict):
                check_key(i)
            return o[i]
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.Call)
def call(c, node):
    func, loc = c.expr(node.func), c.loc(node)
    args = tuple(c.expr(a) for a in node.args)
    kwargs = tuple((k.name, c.expr(k.value)) for k in node.keywords)
    invoke, Fn = C.TshFunction.invoke, C.TshFunction
    make = _call_shape(len(args), tuple(k for k, _ in kwargs))
    if make is not None:
        return make(func, *args, *(r for _, r in kwargs), Fn, invoke, C.note_call, loc)

    def run(f):
        fn = func(f)
        a = tuple([r(f) for r in args])
        kw = {}
        for k, r in kwargs:     # a loop, not a comprehension: no extra frame per call
            kw[k] = r(f)
        try:
            if type(fn) is Fn:
                return invoke(fn, a, kw)
            return fn(*a, **kw)
        except Exception as e:
            C.note_call(e, loc, fn, a + tuple(kw.values()))
            raise
    return run


_CALL_SHAPES: dict = {}   # (positional count, keyword names) -> factory of a call closure
_MAX_SPECIALISED = 6


def _call_shape(n, names):
    """A factory for call closures of this shape, written out as Python source once.

    `f(x)` or `f(a, b, requires_grad=True)` then runs as a direct call (as fast as in
    Python) instead of building a tuple and a dict and calling fn(*a, **kw). The names are
    identifiers from the parser (repeats were refused there); other shapes (more arguments,
    a name Python reserves such as `yield`) take the generic closure.
    """
    key = (n, names)
    if key in _CALL_SHAPES:
        return _CALL_SHAPES[key]
    make = None
    if n <= _MAX_SPECIALISED and len(names) <= _MAX_SPECIALISED and all(
            k.isidentifier() for k in names):
        pos = [f"a{i}" for i in range(n)]
        kws = [f"k{i}" for i in range(len(names))]
        params = ", ".join(["func"] + [f"r_{v}" for v in pos + kws]
                           + ["Fn", "invoke", "note_call", "loc"])
        loads = "".join(f"        {v} = r_{v}(f)\n" for v in pos + kws)
        positional = "(" + "".join(f"{v}, " for v in pos) + ")"
        every = "(" + "".join(f"{v}, " for v in pos + kws) + ")"
        keywords = "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(names, kws)) + "}"
        arguments = ", ".join(pos + [f"{k}={v}" for k, v in zip(names, kws)])
        src = (f"def make({params}):\n"
               f"    def run(f):\n"
               f"        fn = func(f)\n{loads}"
               f"        try:\n"
               f"            if type(fn) is Fn:\n"
               f"                return invoke(fn, {positional}, {keywords})\n"
               f"            return fn({arguments})\n"
               f"        except Exception as e:\n"
               f"            note_call(e, loc, fn, {every})\n"
               f"            raise\n"
               f"    return run\n")
        namespace: dict = {}
        try:
            exec(compile(src, f"<tsh call shape {n} {names}>", "exec"), namespace)
            make = namespace["make"]
        except SyntaxError:         # a keyword of Python's that tsh allows as a name
            make = None
    _CALL_SHAPES[key] = make
    return make


@handles(A.BinOp)
def binop(c, node):
    left, right, loc = c.expr(node.left), c.expr(node.right), c.loc(node)
    op = node.op
    if op in ("+", "*"):
        # 's' + s and 'a' * 10**10: sequences are size-checked before Python builds the
        # result; tensors skip the check at once (the operators' hot path)
        seqs, tensor = guards.SEQUENCE_TYPES, _tensor_class()
        check, python_op = (guards.check_concat, operator.add) if op == "+" else \
            (guards.check_repeat, operator.mul)

        def run_arith(f):
            try:
                a, b = left(f), right(f)
                if a.__class__ is not tensor and (isinstance(a, seqs) or isinstance(b, seqs)):
                    check(a, b)
                return python_op(a, b)
            except Exception as e:
                C.note(e, loc)
                raise
        return run_arith
    fn = BINARY_FUNCTIONS[op]

    def run(f):
        try:
            return fn(left(f), right(f))
        except Exception as e:
            C.note(e, loc)
            raise
    return run


class _NoTensor:
    """Stands for the Tensor class while the core is not importable: no value is one."""


def _tensor_class():
    """tshell.core's Tensor (a class nothing else is, while the core is not importable)."""
    try:
        from tshell.core import Tensor
    except ImportError:
        return _NoTensor
    return Tensor


@handles(A.UnaryOp)
def unary(c, node):
    operand, fn, loc = c.expr(node.operand), PREFIX_FUNCTIONS[node.op], c.loc(node)

    def run(f):
        try:
            return fn(operand(f))
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.BoolOp)
def boolop(c, node):
    runs, loc = tuple(c.expr(v) for v in node.values), c.loc(node)
    last = runs[-1]
    head = runs[:-1]
    if node.op == "and":
        def run_and(f):
            try:
                for r in head:
                    v = r(f)
                    if not v:
                        return v
            except Exception as e:
                C.note(e, loc)
                raise
            return last(f)
        return run_and

    def run_or(f):
        try:
            for r in head:
                v = r(f)
                if v:
                    return v
        except Exception as e:
            C.note(e, loc)
            raise
        return last(f)
    return run_or


@handles(A.Compare)
def compare(c, node):
    left, loc = c.expr(node.left), c.loc(node)
    ops = tuple(COMPARISON_FUNCTIONS[o] for o in node.ops)
    rights = tuple(c.expr(r) for r in node.comparators)
    if len(ops) == 1:
        op, right = ops[0], rights[0]

        def run1(f):
            try:
                return op(left(f), right(f))
            except Exception as e:
                C.note(e, loc)
                raise
        return run1
    pairs = tuple(zip(ops, rights))

    def run(f):
        try:
            a = left(f)
            for op, right in pairs:
                b = right(f)
                result = op(a, b)
                if not result:
                    return result
                a = b
            return result
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.IfExp)
def ifexp(c, node):
    test, body, orelse, loc = c.expr(node.test), c.expr(node.body), c.expr(node.orelse), \
        c.loc(node.test)

    def run(f):
        try:
            t = True if test(f) else False
        except Exception as e:
            C.note(e, loc)
            raise
        return body(f) if t else orelse(f)
    return run


@handles(A.ListComp)
def listcomp(c, node):
    """[elt for ...]: its own scope (Python 3), so loop variables do not leak."""
    first = node.generators[0]
    first_iter = c.expr(first.iter)           # evaluated in the enclosing scope
    targets: set = set()
    for g in node.generators:
        C._bind_target(g.target, targets)
    c.scope = C.Scope("comprehension", targets, c.scope)
    try:
        loops = [(_assigner(c, g.target), c.expr(g.iter) if g is not first else None,
                  tuple(c.expr(i) for i in g.ifs)) for g in node.generators]
        elt = c.expr(node.elt)
    finally:
        c.scope = c.scope.parent
    loc, state, limit = c.loc(first.iter), c.state, C.MAX_NESTED

    def run(f):
        frame = {C.OUTER: f}
        out = []
        try:
            outer_iter = iter(first_iter(f))
        except Exception as e:
            C.note(e, loc)
            raise
        # a comprehension is a frame in CPython 3.11: it counts towards the recursion limit
        if state.depth >= limit:
            e = TshRecursionError("maximum recursion depth exceeded")
            C.note(e, loc)
            raise e
        state.depth += 1
        try:
            _fill(frame, loops, 0, outer_iter, elt, out)
        except Exception as e:
            C.note(e, loc)         # an error of the iteration itself: no span of its own
            raise
        finally:
            state.depth -= 1
        return out
    return run


_CHECK_EVERY = guards.CHUNK - 1       # a comprehension's list is measured every CHUNK items


def _fill(frame, loops, level, iterable, elt, out):
    assign, _, ifs = loops[level]
    last = level == len(loops) - 1
    for item in iterable:
        assign(frame, item)
        if ifs and not all(cond(frame) for cond in ifs):
            continue
        if last:
            out.append(elt(frame))
            if not len(out) & _CHECK_EVERY:
                guards.check_growing_list(out)
        else:
            _fill(frame, loops, level + 1, iter(loops[level + 1][1](frame)), elt, out)


def _assigner(c, target):
    from .compile_stmt import target_binder
    return target_binder(c, target)
