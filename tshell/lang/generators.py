"""Generator functions and generator expressions.

A function whose body yields is compiled here: each statement that yields (or holds one that
does) becomes a Python generator function over the ordinary closures, so the body pauses at
its `yield` as Python's does; statements that do not yield stay ordinary closures. Calling
the function makes a TshGenerator around the body's Python generator (functions.py).

tsh allows `yield` where programs put it: as a statement (`yield x`, `yield from it`) and as
the value of an assignment (`x = yield y`), at any depth of if/for/while/with/try blocks.
"""

from __future__ import annotations

from . import ast as A
from . import compiler as C
from .compile_stmt import _truth, context_manager, exit_arguments, target_binder
from .compile_try import handler as exception_handler, stops_the_program
from .guards import GROWTH_MASK, check_growth, count_iterations
from .functions import OUTER, TshGenerator
from .operators import INPLACE_FUNCTIONS

BREAK, CONTINUE = C.BREAK, C.CONTINUE


def function_body(c, body):
    """frame -> the Python generator running a generator function's body."""
    block = _gen_block(c, body)

    def run(f):
        r = yield from block(f)
        return r[0] if r is not None else None
    return run


def _gen_block(c, stmts):
    """A generator function running a statement list, pausing where its statements yield."""
    runs = tuple((C.contains_yield(s), _statement(c, s) if C.contains_yield(s) else c.stmt(s))
                 for s in stmts)

    def run(f):
        for yields, s in runs:
            r = (yield from s(f)) if yields else s(f)
            if r is not None:
                return r
    return run


def _statement(c, node):
    handler = _HANDLERS.get(type(node))
    if handler is None:
        raise c.error("'yield' is supported in tsh as a statement, or as the value of an "
                      "assignment", node)
    return handler(c, node)


def _value(c, node):
    """A generator function giving the value of a yield expression (what send() passed)."""
    loc = c.loc(node)
    if isinstance(node, A.YieldFrom):
        source = c.expr(node.value)

        def yield_from(f):
            try:
                it = iter(source(f))
            except Exception as e:
                C.note(e, loc)
                raise
            return (yield from it)
        return yield_from
    value = c.expr(node.value) if node.value is not None else None

    def yield_one(f):
        return (yield value(f) if value is not None else None)
    return yield_one


def _yield_value(c, node):
    if not isinstance(node, (A.Yield, A.YieldFrom)):
        raise c.error("'yield' is supported in tsh as a statement, or as the value of an "
                      "assignment", node)
    return _value(c, node)


# ---------------------------------------------------------------------- statements
def _expr_stmt(c, node):
    value = _yield_value(c, node.value)

    def run(f):
        yield from value(f)
    return run


def _assign(c, node):
    value = _yield_value(c, node.value)
    binders = tuple(target_binder(c, t) for t in node.targets)

    def run(f):
        v = yield from value(f)
        for bind in binders:
            bind(f, v)
    return run


def _augassign(c, node):
    if not isinstance(node.target, A.Name):
        raise c.error("'yield' is supported in tsh as a statement, or as the value of an "
                      "assignment", node)
    value, fn = _yield_value(c, node.value), INPLACE_FUNCTIONS[node.op]
    load, store = c.load_name(node.target), c.store_name(node.target.id, node.target)

    def run(f):
        current = load(f)
        v = yield from value(f)
        store(f, fn(current, v))
    return run


def _if(c, node):
    test = _truth(c.expr(node.test), c.loc(node.test))
    body, orelse = _gen_block(c, node.body), _gen_block(c, node.orelse)

    def run(f):
        if test(f):
            return (yield from body(f))
        return (yield from orelse(f))
    return run


def _loop_block(c, stmts):
    c.loops += 1
    try:
        return _gen_block(c, stmts)
    finally:
        c.loops -= 1


def _while(c, node):
    test = _truth(c.expr(node.test), c.loc(node.test))
    body, orelse = _loop_block(c, node.body), _gen_block(c, node.orelse)

    def run(f):
        n = 0
        try:
            while test(f):
                n += 1
                if not n & GROWTH_MASK:
                    check_growth()          # as compile_stmt's loops do
                r = yield from body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is CONTINUE:
                        continue
                    return r
        finally:
            count_iterations(n)
        return (yield from orelse(f))
    return run


def _for(c, node):
    iterable, loc = c.expr(node.iter), c.loc(node.iter)
    bind = target_binder(c, node.target)
    body, orelse = _loop_block(c, node.body), _gen_block(c, node.orelse)

    def run(f):
        try:
            it = iter(iterable(f))
        except Exception as e:
            C.note(e, loc)
            raise
        n = 0
        try:
            for item in it:
                bind(f, item)
                n += 1
                if not n & GROWTH_MASK:
                    check_growth()
                r = yield from body(f)
                if r is not None:
                    if r is BREAK:
                        return None
                    if r is CONTINUE:
                        continue
                    return r
        finally:
            count_iterations(n)
        return (yield from orelse(f))
    return run


def _with(c, node):
    body = _gen_block(c, node.body)
    for item in reversed(node.items):
        body = _with_one(c, item, body)
    return body


def _with_one(c, item, body):
    context, loc = c.expr(item.context), c.loc(item.context)
    store = c.store_name(item.name, item) if item.name else None

    def run(f):
        mgr, enter, exit_ = context_manager(context(f), loc)
        value = enter(mgr)
        if store is not None:
            store(f, value)
        try:
            r = yield from body(f)
        except BaseException as e:
            if not exit_(mgr, *exit_arguments(e)) or stops_the_program(e):
                raise
            return None
        exit_(mgr, None, None, None)
        return r
    return run


def _try(c, node):
    body = _gen_block(c, node.body)
    handlers = tuple(exception_handler(c, h, _gen_block) for h in node.handlers)
    orelse, final = _gen_block(c, node.orelse), _gen_block(c, node.finalbody)
    handling = c.state.handling

    def run_no_finally(f):
        try:
            r = yield from body(f)
        except BaseException as exc:
            for match, store, unbind, handler in handlers:  # noqa: B007 (used after break)
                if match(f, exc):
                    break
            else:
                raise
            if store is not None:
                store(f, exc)
            handling.append(exc)
            try:
                return (yield from handler(f))
            finally:
                handling.pop()
                if unbind is not None:
                    unbind(f)
        return (yield from orelse(f)) if node.orelse else r
    if not node.finalbody:
        return run_no_finally

    def run(f):
        try:
            r = yield from run_no_finally(f)
        except BaseException as exc:
            out = yield from final(f)
            if out is not None and not stops_the_program(exc):
                return out      # a return in finally wins, as in Python
            raise
        out = yield from final(f)
        return r if out is None else out
    return run


_HANDLERS = {A.ExprStmt: _expr_stmt, A.Assign: _assign, A.AugAssign: _augassign, A.If: _if,
             A.While: _while, A.For: _for, A.With: _with, A.Try: _try}


# ---------------------------------------------------------------------- generator expressions
def generator_expression(c, node, first_iter, loops, elt, loc):
    """frame -> a TshGenerator over a comprehension's loops, evaluated lazily: only the
    first iterable is evaluated at once, in the enclosing scope (as in Python)."""
    link = c.child_frame_link()

    def run(f):
        try:
            outer_iter = iter(first_iter(f))
        except Exception as e:
            C.note(e, loc)
            raise
        frame = {OUTER: link(f) if link else None}
        return TshGenerator(_produce(frame, loops, 0, outer_iter, elt), "<genexpr>",
                            "<genexpr>")
    return run


def _produce(frame, loops, level, iterable, elt):
    assign, _, ifs = loops[level]
    last = level == len(loops) - 1
    n = 0
    for item in iterable:
        assign(frame, item)
        n += 1
        if not n & GROWTH_MASK:
            check_growth()          # what its items did (sum(x.append(s) or 1 for ...))
        if ifs and not all(cond(frame) for cond in ifs):
            continue
        if last:
            yield elt(frame)
        else:
            yield from _produce(frame, loops, level + 1, iter(loops[level + 1][1](frame)), elt)
