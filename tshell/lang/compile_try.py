"""Compiler handlers for exceptions: try/except/else/finally and raise.

An `except` clause's class is evaluated when an exception reaches it, clauses in order, as in
Python; `except E as e` unbinds e when the clause ends. A KeyboardInterrupt the program raises
itself is caught as in Python (by a bare `except:` and `except BaseException` too). Two stops
are not: a real Ctrl-C stops a program whatever it catches, unless the clause names
KeyboardInterrupt itself, and the memory limit's stop (guards.check_growth) whatever the
clause names: the memory is already taken, and a program that caught it would go on growing
(docs/language.md, docs/security.md).
"""

from __future__ import annotations

from . import ast as A
from . import compiler as C
from .errors import TshMemoryLimitError, as_argument_error
from .functions import OUTER

HANDLERS: dict = {}


def handles(cls):
    def register(fn):
        HANDLERS[cls] = fn
        return fn
    return register


@handles(A.Try)
def try_stmt(c, node):
    body = c.block(node.body)
    handlers = tuple(handler(c, h) for h in node.handlers)
    orelse = c.block(node.orelse) if node.orelse else None
    final = c.block(node.finalbody) if node.finalbody else None
    catch = _catcher(c, handlers)

    def run_no_finally(f):
        try:
            r = body(f)
        except BaseException as exc:
            if catch is None:
                raise
            return catch(f, exc)
        if orelse is not None:
            return orelse(f)
        return r
    if final is None:
        return run_no_finally

    def run(f):
        try:
            r = run_no_finally(f)
        except BaseException as exc:
            out = final(f)
            if out is not None and not stops_the_program(exc):
                return out      # a return or break in finally wins, as in Python
            raise
        out = final(f)
        return r if out is None else out
    return run


def handler(c, h, compile_body=None):
    """(matcher: (frame, exception) -> bool, binder, unbinder, body runner); the body is
    compiled by compile_body(c, stmts) (c.block by default; generators.py passes its own)."""
    loc = c.loc(h.type) if h.type is not None else c.loc(h)
    test = c.expr(h.type) if h.type is not None else None
    store = c.store_name(h.name, h) if h.name else None
    unbind = _unbinder(c, h.name) if h.name else None
    body = compile_body(c, h.body) if compile_body is not None else c.block(h.body)
    return (_matcher(test, loc), store, unbind, body)


def _matcher(test, loc):
    """(frame, exc) -> whether an `except` clause takes exc (see the module's docstring)."""
    if test is None:
        return _bare_match

    def match(f, exc):
        kind = test(f)
        if isinstance(exc, STOPS) and _stops(exc, kind):
            return False
        try:
            return isinstance(exc, kind) and _all_exception_classes(kind)
        except TypeError:
            e = TypeError("catching classes that do not inherit from BaseException is not "
                          "allowed")
            C.note(e, loc)
            raise e from None
    return match


def _bare_match(f, exc):
    return not stops_the_program(exc)


def stops_the_program(exc) -> bool:
    """Whether exc goes past every handler that does not name it: a bare `except:`, a
    `finally` that returns, an `__exit__` that returns True."""
    return isinstance(exc, STOPS) and _stops(exc, None)


# What a clause may not take: a real Ctrl-C, the memory limit's stop
STOPS = (KeyboardInterrupt, TshMemoryLimitError)


def _stops(exc, kind) -> bool:
    """Whether exc, a STOPS, goes past a clause for kind (None: a bare `except:`)."""
    if isinstance(exc, TshMemoryLimitError):
        return True
    if "_tsh_raised" in exc.__dict__:       # `raise KeyboardInterrupt`: the program's own
        return False
    return kind is None or not names_class(kind, KeyboardInterrupt)


def names_class(kind, cls) -> bool:
    kinds = kind if type(kind) is tuple else (kind,)
    return any(k is cls for k in kinds)


def _all_exception_classes(kind) -> bool:
    for k in (kind if type(kind) is tuple else (kind,)):
        if not (isinstance(k, type) and issubclass(k, BaseException)):
            raise TypeError
    return True


def _catcher(c, handlers):
    """(frame, exception) -> the result of the first handler that takes it, or re-raise."""
    if not handlers:
        return None
    handling = c.state.handling

    def catch(f, exc):
        exc = as_argument_error(exc)      # what PyTorch raises there: `except TypeError` takes it
        for match, store, unbind, body in handlers:  # noqa: B007 (the match is used after break)
            if match(f, exc):
                break
        else:
            raise exc
        if store is not None:
            store(f, exc)
        handling.append(exc)
        try:
            return body(f)
        finally:
            handling.pop()
            if unbind is not None:
                unbind(f)
    return catch


def _unbinder(c, name):
    """Python deletes `e` of `except E as e` when the clause ends."""
    kind, depth = c.resolve(name)
    g = c.g

    def unbind(f):
        if kind == "global":
            g.pop(name, None)
            return
        for _ in range(depth if kind == "outer" else 0):
            f = f[OUTER]
        f.pop(name, None)
    return unbind


@handles(A.Raise)
def raise_stmt(c, node):
    loc, handling = c.loc(node), c.state.handling
    exc = c.expr(node.exc) if node.exc is not None else None
    cause = c.expr(node.cause) if node.cause is not None else None

    def run(f):
        if exc is None:
            if not handling:
                e = RuntimeError("No active exception to reraise")
                C.note(e, loc)
                raise e
            raise handling[-1]
        e = _exception(exc(f))
        if cause is not None:
            e.__cause__ = _exception(cause(f), "exception causes")
        d = e.__dict__
        d["_tsh_raised"] = True                 # the program's own: a user error
        d.pop("_tsh_loc", None)                 # raised (again) here: point here
        d.pop("_tsh_chain", None)
        C.note(e, loc)
        raise e
    return run


def _exception(value, what="exceptions"):
    """The exception a raise statement raises for value (a class is instantiated)."""
    if value is None and what == "exception causes":
        return None
    if isinstance(value, type) and issubclass(value, BaseException):
        return value()
    if isinstance(value, BaseException):
        return value
    raise TypeError(f"{what} must derive from BaseException")
