"""Expression handlers of the compiler: node -> closure `run(frame) -> value`.

Each closure that can raise catches the exception only to note its own span (Python 3.11's
try is free when nothing is raised), so errors point at the innermost failing expression.
"""

from __future__ import annotations

import functools
import operator

from . import ast as A
from . import compiler as C
from . import guards
from .classes import zero_argument_super
from .errors import TshRecursionError
from .functions import CLASS, MAX_NESTED
from .deep_values import check_key
from .dunders import DESCRIPTIVE, MODULE_FACTS, PROTOCOL_METHODS
from .operators import BINARY_FUNCTIONS, COMPARISON_FUNCTIONS, PREFIX_FUNCTIONS
from .sandbox import get_attribute, denied_attribute

HANDLERS: dict = {}
# the sandbox decides at run time
READABLE_DUNDERS = DESCRIPTIVE | PROTOCOL_METHODS | MODULE_FACTS


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
    if any(isinstance(e, A.Starred) for e in node.elts):
        items = _starred_items(c, node.elts)
        return lambda f: tuple(items(f))
    runs = tuple(c.expr(e) for e in node.elts)

    def run(f):
        return tuple([r(f) for r in runs])
    return run


@handles(A.ListExpr)
def list_expr(c, node):
    if any(isinstance(e, A.Starred) for e in node.elts):
        return _starred_items(c, node.elts)
    runs = tuple(c.expr(e) for e in node.elts)

    def run(f):
        return [r(f) for r in runs]
    return run


@handles(A.SetExpr)
def set_expr(c, node):
    items, loc = _starred_items(c, node.elts), c.loc(node)

    def run(f):
        values = items(f)
        try:
            for v in values:
                check_key(v)
            return set(values)
        except Exception as e:
            C.note(e, loc)
            raise
    return run


def _starred_items(c, elts):
    """frame -> the list of a display's items, `*iterable` ones spread (within the cap)."""
    parts = tuple((isinstance(e, A.Starred), c.expr(e.value if isinstance(e, A.Starred)
                                                     else e), c.loc(e)) for e in elts)

    def run(f, fn=None):
        out: list = []
        for starred, part, loc in parts:
            if starred:
                value = part(f)
                try:
                    guards.extend(out, value)
                except Exception as e:
                    if fn is not None and isinstance(e, TypeError) and \
                            not hasattr(type(value), "__iter__"):
                        e = TypeError(f"{_call_name(fn)}() argument after * must be an "
                                      f"iterable, not {type(value).__name__}")
                    C.note(e, loc)
                    raise e from None
            else:
                out.append(part(f))
        return out
    return run


@handles(A.Starred)
def starred(c, node):
    raise c.error("can't use starred expression here", node)


@handles(A.DictExpr)
def dict_expr(c, node):
    pairs = tuple((c.expr(k) if k is not None else None, c.expr(v))
                  for k, v in zip(node.keys, node.values))
    loc = c.loc(node)

    def run(f):
        try:
            d = {}
            for k, v in pairs:
                if k is None:                 # {**mapping}
                    guards.update_dict(d, v(f))
                    continue
                key = k(f)
                check_key(key)
                d[key] = v(f)
            return d
        except Exception as e:
            C.note(e, loc)
            raise
    return run


@handles(A.NamedExpr)
def named_expr(c, node):
    """name := value binds in the enclosing function (not in a comprehension: PEP 572)."""
    scope = c.scope
    while scope.kind == "comprehension":
        scope = scope.parent
    saved, c.scope = c.scope, scope
    try:
        store = c.store_name(node.target, node)
    finally:
        c.scope = saved
    depth = _comprehension_depth(c)
    value = c.expr(node.value)

    def run(f):
        v = value(f)
        g = f
        for _ in range(depth):
            g = g[C.OUTER]
        store(g, v)
        return v
    return run


def _comprehension_depth(c) -> int:
    n, scope = 0, c.scope
    while scope.kind == "comprehension":
        n, scope = n + 1, scope.parent
    return n


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
    if attr.startswith("__") and attr not in READABLE_DUNDERS:
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
    if isinstance(node.func, A.Name) and node.func.id == "super" and not node.args \
            and not node.keywords and c.resolve("super")[0] == "global":
        return _zero_argument_super(c, node)
    if any(isinstance(a, A.Starred) for a in node.args) or \
            any(k.name is None for k in node.keywords):
        return _unpacking_call(c, node)
    func, loc = c.expr(node.func), c.loc(node)
    args = tuple(c.expr(a) for a in node.args)
    kwargs = tuple((k.name, c.expr(k.value)) for k in node.keywords)
    invoke, Fn = C.TshFunction.invoke, C.TshFunction
    make = _call_shape(len(args), tuple(k for k, _ in kwargs))
    if make is not None:
        run = make(func, *args, *(r for _, r in kwargs), Fn, invoke, C.note_call, loc)
        return fused(c, node, run) if node.func.__class__ is A.Attribute and \
            node.func.attr in _FUSED_CALLS else run

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


def _unpacking_call(c, node):
    """f(*xs, a, **kw, b=1): arguments spread (within the cap), keywords checked as Python
    checks them."""
    func, loc = c.expr(node.func), c.loc(node)
    args = _starred_items(c, node.args)
    keywords = tuple((k.name, c.expr(k.value), c.loc(k)) for k in node.keywords)
    invoke, Fn = C.TshFunction.invoke, C.TshFunction

    def run(f):
        fn = func(f)
        a = tuple(args(f, fn))
        kw: dict = {}
        for name, value, kloc in keywords:
            try:
                if name is None:
                    _spread_keywords(fn, kw, value(f))
                elif name in kw:
                    raise TypeError(f"{_call_name(fn)}() got multiple values for keyword "
                                    f"argument '{name}'")
                else:
                    kw[name] = value(f)
            except Exception as e:
                C.note(e, kloc)
                raise
        try:
            if type(fn) is Fn:
                return invoke(fn, a, kw)
            return fn(*a, **kw)
        except Exception as e:
            C.note_call(e, loc, fn, a + tuple(kw.values()))
            raise
    return run


def _spread_keywords(fn, kw: dict, mapping) -> None:
    if not hasattr(type(mapping), "keys"):
        raise TypeError(f"{_call_name(fn)}() argument after ** must be a mapping, not "
                        f"{type(mapping).__name__}")
    spread: dict = {}
    guards.update_dict(spread, mapping)
    for key, value in spread.items():
        if not isinstance(key, str):
            raise TypeError("keywords must be strings")
        if key in kw:
            raise TypeError(f"{_call_name(fn)}() got multiple values for keyword argument "
                            f"'{key}'")
        kw[key] = value


def _call_name(fn) -> str:
    """How CPython names a callee in argument-spreading errors (module-qualified for a
    function defined by the program)."""
    if type(fn) is C.TshFunction:
        return f"__main__.{fn.qualname}"
    return getattr(fn, "__qualname__", type(fn).__name__)


def _zero_argument_super(c, node):
    """super() in a method: super(the method's class, its first argument)."""
    scope = c.scope
    first = getattr(scope, "first_parameter", None) if scope.kind == "function" else None
    in_method = scope.kind == "function" and scope.parent.kind == "class"
    if in_method:
        scope.uses_super = True
    loc = c.loc(node)

    def run(f):
        try:
            if not in_method:
                raise RuntimeError("super(): __class__ cell not found")
            return zero_argument_super(f, CLASS, first)
        except Exception as e:
            C.note(e, loc)
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
        # result, and so are products of integers; tensors skip the check at once (the
        # operators' hot path)
        seqs, tensor = guards.SEQUENCE_TYPES, _tensor_class()
        check, python_op = (guards.check_concat, operator.add) if op == "+" else \
            (guards.check_repeat, operator.mul)
        check_ints = guards.check_int_product if op == "*" else None
        big, neg_big = guards.HALF_INT, guards.NEG_HALF_INT   # smaller factors: no call

        def run_arith(f):
            try:
                a, b = left(f), right(f)
                if a.__class__ is not tensor:
                    if isinstance(a, seqs) or isinstance(b, seqs):
                        check(a, b)
                    elif a.__class__ is int and check_ints is not None and (
                            not neg_big < a < big or b.__class__ is int and not neg_big < b < big):
                        check_ints(a, b)
                return python_op(a, b)
            except Exception as e:
                C.note(e, loc)
                raise
        return fused(c, node, run_arith) if _has_op_operand(node.left, node.right) else run_arith
    fn = BINARY_FUNCTIONS[op]

    def run(f):
        try:
            return fn(left(f), right(f))
        except Exception as e:
            C.note(e, loc)
            raise
    return fused(c, node, run) if _has_op_operand(node.left, node.right) else run


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
    return fused(c, node, run) if _has_op_operand(node.operand, None) else run


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
        return fused(c, node, run1) if _has_op_operand(node.left, node.comparators[0]) \
            else run1
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


def _comprehension(c, node, elts):
    """Compile a comprehension's parts in its own scope (Python 3: loop variables do not
    leak): (first iterable, [(binder, iterable, conditions)], compiled elts, loc, link)."""
    first = node.generators[0]
    first_iter = c.expr(first.iter)           # evaluated in the enclosing scope
    targets: set = set()
    for g in node.generators:
        C._bind_target(g.target, targets)
    link = c.child_frame_link()
    c.scope = C.Scope("comprehension", targets, c.scope,
                      inlined=not isinstance(node, A.GeneratorExp))
    try:
        loops = [(_assigner(c, g.target), c.expr(g.iter) if g is not first else None,
                  tuple(c.expr(i) for i in g.ifs)) for g in node.generators]
        compiled = tuple(c.expr(e) for e in elts)
    finally:
        c.scope = c.scope.parent
    return first_iter, loops, compiled, c.loc(first.iter), link


def _eager(c, node, elts, collect, empty):
    """A list, set or dict comprehension: frame -> the filled collection."""
    first_iter, loops, compiled, loc, link = _comprehension(c, node, elts)
    elt = collect(*compiled)
    state, limit = c.state, MAX_NESTED

    def run(f):
        frame = {C.OUTER: link(f) if link else None}
        out = empty()
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


def _list_item(value):
    def add(frame, out):
        out.append(value(frame))
        n = len(out)
        if not n & (n - 1) & _CHECK_EVERY:
            guards.check_growing(n, out[-1], 1)
    return add


def _set_item(value):
    def add(frame, out):
        v = value(frame)
        check_key(v)
        out.add(v)
        n = len(out)
        if not n & (n - 1) & _CHECK_EVERY:
            guards.check_growing(n, v, 2)
    return add


def _dict_item(key, value):
    def add(frame, out):
        k = key(frame)
        check_key(k)
        out[k] = v = value(frame)
        n = len(out)
        if not n & (n - 1) & _CHECK_EVERY:
            guards.check_growing(n, k, 3, v)
    return add


@handles(A.ListComp)
def listcomp(c, node):
    return _eager(c, node, (node.elt,), _list_item, list)


@handles(A.SetComp)
def setcomp(c, node):
    return _eager(c, node, (node.elt,), _set_item, set)


@handles(A.DictComp)
def dictcomp(c, node):
    return _eager(c, node, (node.key, node.value), _dict_item, dict)


@handles(A.GeneratorExp)
def genexp(c, node):
    from .generators import generator_expression    # generators imports this module
    first_iter, loops, (elt,), loc, _ = _comprehension(c, node, (node.elt,))
    return generator_expression(c, node, first_iter, loops, elt, loc)


# A comprehension's collection is measured when `n & (n - 1) & _CHECK_EVERY` is 0: at each
# power of two of its length n (items can be large: [[0] * 1000 for i in range(10**6)]
# passed 8 times the cap by its 65 536th item), then every GROWTH_STEP items (_fill measures the
# process every GROWTH_STEP iterations, as loops do).
_CHECK_EVERY = guards.GROWTH_MASK


def _fill(frame, loops, level, iterable, elt, out):
    assign, _, ifs = loops[level]
    last = level == len(loops) - 1
    n = 0
    for item in iterable:
        assign(frame, item)
        n += 1
        if not n & guards.GROWTH_MASK:
            guards.check_growth()   # what its items did besides themselves ([x.append(s) ...])
        if ifs and not all(cond(frame) for cond in ifs):
            continue
        if last:
            elt(frame, out)
        else:
            _fill(frame, loops, level + 1, iter(loops[level + 1][1](frame)), elt, out)


def _assigner(c, target):
    from .compile_stmt import target_binder
    return target_binder(c, target)


# ---- fused elementwise expressions (CUDA) ----------------------------------------------------
# A tree of elementwise operators and torch functions over names and numbers runs as one
# kernel when its operands are CUDA tensors (tshell/core/cuda_kernels/fusion.py, design in
# docs/performance.md). The plain closures stay: alone where CUDA cannot exist (no fusion
# launcher registered when the code is compiled, and no CuPy installed: every CPU-only
# machine pays nothing per run), else whenever no launcher is registered yet or the fused path
# declines (CPU tensors, autograd recording, ...); the operands are names and number
# constants only, so evaluating them again there has no effect a program can see.

_FUSED_OPERATORS = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
_FUSED_COMPARISONS = {">": "gt", "<": "lt", ">=": "ge", "<=": "le", "==": "eq", "!=": "ne"}
_FUSED_CALLS = {"sigmoid": 1, "exp": 1, "log": 1, "sqrt": 1, "tanh": 1, "relu": 1, "abs": 1,
                "maximum": 2, "minimum": 2, "where": 3}
_FUSED_NUMBERS = (int, float, bool)


def fusion_tree(node, leaves, callees):
    """cuda_kernels/ir.py's tree for an expression, appending its operand nodes to leaves
    (and (leaf index, function name) to callees for torch.f(...) calls); None when some
    part of it is not a fused op or an operand it takes."""
    if isinstance(node, A.Name) or isinstance(node, A.Const) and \
            node.value.__class__ in _FUSED_NUMBERS:
        leaves.append(node)
        return ("leaf", len(leaves) - 1)
    if isinstance(node, A.BinOp):
        if node.op == "**":
            exp = node.right
            if not (isinstance(exp, A.Const) and exp.value.__class__ in (int, float)):
                return None
            base = fusion_tree(node.left, leaves, callees)
            return base and ("pow", base, exp.value)
        op = _FUSED_OPERATORS.get(node.op)
        left = op and fusion_tree(node.left, leaves, callees)
        right = left and fusion_tree(node.right, leaves, callees)
        return right and (op, left, right)
    if isinstance(node, A.Compare) and len(node.ops) == 1 and node.ops[0] in _FUSED_COMPARISONS:
        left = fusion_tree(node.left, leaves, callees)
        right = left and fusion_tree(node.comparators[0], leaves, callees)
        return right and (_FUSED_COMPARISONS[node.ops[0]], left, right)
    if isinstance(node, A.UnaryOp) and node.op == "-":
        if isinstance(node.operand, A.Const) and node.operand.value.__class__ in (int, float):
            return fusion_tree(A.Const(node.span, -node.operand.value), leaves, callees)
        operand = fusion_tree(node.operand, leaves, callees)
        return operand and ("neg", operand)
    if isinstance(node, A.Call) and isinstance(node.func, A.Attribute) and \
            isinstance(node.func.value, A.Name) and not node.keywords and \
            _FUSED_CALLS.get(node.func.attr) == len(node.args):
        callees.append((len(leaves), node.func.attr))
        leaves.append(node.func)
        args = []
        for a in node.args:
            t = fusion_tree(a, leaves, callees)
            if t is None:
                return None
            args.append(t)
        return (node.func.attr, *args)
    return None


def _op_count(tree):
    if tree[0] == "leaf":
        return 0
    return 1 + sum(_op_count(t) for t in tree[1:] if isinstance(t, tuple))


_OP_NODES = (A.BinOp, A.UnaryOp, A.Compare, A.Call)
_OP_CLASSES = frozenset(_OP_NODES)


def _has_op_operand(a, b):
    """The handlers' first test (every operator the compiler sees runs it): an operand
    that is itself a fused op (`ones(2) * i`, `x.sum() > 0` are not), without which there
    is nothing to fuse."""
    return a.__class__ in _OP_CLASSES and _is_fused_op(a) or \
        b.__class__ in _OP_CLASSES and _is_fused_op(b)


def _is_fused_op(n):
    cls = n.__class__
    if cls is A.BinOp:
        return n.op in _FUSED_OPERATORS or n.op == "**"
    if cls is A.Call:
        return n.func.__class__ is A.Attribute and n.func.attr in _FUSED_CALLS
    if cls is A.Compare:
        return len(n.ops) == 1 and n.ops[0] in _FUSED_COMPARISONS
    return n.op == "-"


def _may_fuse(node):
    """Whether node may root a fused expression of two or more ops. The cheap tests come
    first: this runs for every operator and call the compiler sees."""
    if isinstance(node, A.BinOp):
        return (node.op in _FUSED_OPERATORS or node.op == "**") and \
            (isinstance(node.left, _OP_NODES) or isinstance(node.right, _OP_NODES))
    if isinstance(node, A.Call):
        f = node.func
        return isinstance(f, A.Attribute) and f.attr in _FUSED_CALLS and \
            any(isinstance(a, _OP_NODES) for a in node.args)
    if isinstance(node, A.Compare):
        return len(node.ops) == 1 and node.ops[0] in _FUSED_COMPARISONS and \
            (isinstance(node.left, _OP_NODES) or isinstance(node.comparators[0], _OP_NODES))
    return node.op == "-" and isinstance(node.operand, _OP_NODES)


def fused(c, node, plain):
    """plain, or a closure running node as one fused kernel when it can (see above)."""
    if not _may_fuse(node):
        return plain            # `x + y`, `f(x)`: decided at once, the common case
    leaves, callees = [], []
    tree = fusion_tree(node, leaves, callees)
    if tree is None or _op_count(tree) < 2:
        return plain
    return _fused_runner(c, tree, leaves, callees, plain)


def fused_augassign(c, node, plain):
    """`name OP= expr` as one in-place kernel (an SGD update `w -= lr * g`), else plain."""
    op = _FUSED_OPERATORS.get(node.op)
    if op is None or not isinstance(node.target, A.Name):
        return plain
    leaves, callees = [node.target], []
    tree = fusion_tree(node.value, leaves, callees)
    if tree is None or _op_count(tree) < 1:
        return plain
    return _fused_runner(c, (op, ("leaf", 0), tree), leaves, callees, plain, in_place=True)


def _fused_runner(c, tree, leaves, callees, plain, in_place=False):
    try:        # the language layer runs without the core too (then nothing is fused)
        from tshell.core.backend import FUSION_LAUNCHERS
    except ImportError:
        return plain
    if not FUSION_LAUNCHERS and not _cupy_installed():
        return plain
    runs = tuple(c.expr(leaf) for leaf in leaves)
    state = []                  # [the FusedExpression, NOT_FUSED], made on first CUDA use

    def run(f):
        if not FUSION_LAUNCHERS:
            return plain(f)
        if not state:
            state.extend(_fused_expression(tree, callees))
        try:
            values = [r(f) for r in runs]
        except Exception:
            return plain(f)     # the plain closures raise it where Python would
        result = state[0].run(values, values[0] if in_place else None)
        if result is state[1]:
            return plain(f)
        return None if in_place else result     # a statement's runner returns None
    return run


@functools.cache
def _cupy_installed() -> bool:
    """Whether CuPy could be imported here (looked up once, without importing it)."""
    import importlib.machinery  # first fused-candidate expression only: not at start-up
    return importlib.machinery.PathFinder.find_spec("cupy") is not None


def _fused_expression(tree, callees):
    # imported with CUDA only: these modules are never loaded by a CPU program
    import tshell.core as core
    from tshell.core.cuda_kernels.fusion import NOT_FUSED, FusedExpression
    return FusedExpression(tree, [(i, getattr(core, name)) for i, name in callees]), NOT_FUSED
