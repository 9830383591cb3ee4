"""Compiler handlers for definitions: def, lambda, class, decorators, return,
global/nonlocal, and annotated assignments.

Each body is compiled once, in its own Scope; what runs later is a closure per statement.
A function whose body yields is compiled by generators.py instead (a Python generator over
the same closures).
"""

from __future__ import annotations

from . import ast as A
from . import classes, generators
from . import compiler as C
from .compile_expr import HANDLERS as EXPRESSIONS
from .compile_stmt import target_binder
from .functions import MISSING, OUTER, Signature, TshFunction

HANDLERS: dict = {}


def handles(cls, table=HANDLERS):
    def register(fn):
        table[cls] = fn
        return fn
    return register


# ---------------------------------------------------------------------- functions
@handles(A.FunctionDef)
def funcdef(c, node):
    decorators = tuple(c.expr(d) for d in node.decorators)
    make = _function_maker(c, node.name, node.params, node.body, c.qualprefix + node.name,
                           node)
    store = c.store_name(node.name, node)
    apply = _decorating(decorators, c.loc(node))
    if not decorators:
        def run_plain(f):
            store(f, make(f))
        return run_plain

    def run(f):
        evaluated = [d(f) for d in decorators]      # before the function is made, as Python
        store(f, apply(f, make(f), evaluated))
    return run


@handles(A.Lambda, EXPRESSIONS)
def lambda_expr(c, node):
    body = A.Return(node.body.span, node.body)
    return _function_maker(c, "<lambda>", node.params, (body,), c.qualprefix + "<lambda>",
                           node)


def _function_maker(c, name, params, body, qualname, node):
    """frame -> a new TshFunction: defaults are evaluated where the def runs."""
    for p in params:
        if p.name.startswith("__"):
            raise c.error(f"cannot use '{p.name}' as a parameter name in tsh", p)
    positional = [p for p in params if p.kind in (A.POSITIONAL_ONLY, A.POSITIONAL)]
    keyword_only = [p for p in params if p.kind == A.KEYWORD_ONLY]
    defaults = tuple(c.expr(p.default) if p.default is not None else None
                     for p in positional)
    kwdefaults = tuple((p.name, c.expr(p.default)) for p in keyword_only
                       if p.default is not None)
    names = tuple(p.name for p in positional)
    extra = _signature(params)
    link = c.child_frame_link()
    generator = any(C.contains_yield(s) for s in body)
    compiled, uses_super = _function_body(c, body, params, name, generator)
    doc, where = _docstring(body), c.loc(node)
    state = c.state

    def make(f):
        values = tuple(d(f) if d is not None else MISSING for d in defaults)
        sig = extra
        if kwdefaults:
            sig = Signature(extra.posonly, extra.vararg, extra.kwonly,
                            {k: d(f) for k, d in kwdefaults}, extra.kwarg)
        fn = TshFunction(name, names, values, compiled, link(f) if link else None, state,
                         qualname, sig, generator, doc, where)
        if uses_super:
            classes.needs_class(fn)
        return fn
    return make


def _signature(params):
    """The Signature of params, or None when they are plain positional parameters."""
    posonly = sum(p.kind == A.POSITIONAL_ONLY for p in params)
    vararg = next((p.name for p in params if p.kind == A.VAR_POSITIONAL), None)
    kwarg = next((p.name for p in params if p.kind == A.VAR_KEYWORD), None)
    kwonly = tuple(p.name for p in params if p.kind == A.KEYWORD_ONLY)
    if not (posonly or vararg or kwarg or kwonly):
        return None
    return Signature(posonly, vararg, kwonly, {}, kwarg)


def _function_body(c, body, params, name, generator):
    """(runner, uses super()) for a function body compiled in a new scope: the names it
    binds are its locals."""
    saved = (c.scope, c.loops, c.in_function, c.qualprefix)
    declared = C.declared_names(body)
    parameters = {p.name for p in params}
    for n in declared[0] & parameters:
        raise c.error(f"name '{n}' is parameter and global", _declaration(body, n))
    for n in declared[1] & parameters:
        raise c.error(f"name '{n}' is parameter and nonlocal", _declaration(body, n))
    c.scope = C.Scope("function", C.bound_names(body) | parameters, c.scope, declared)
    c.scope.first_parameter = params[0].name if params and \
        params[0].kind in (A.POSITIONAL_ONLY, A.POSITIONAL, A.VAR_POSITIONAL) else None
    _check_nonlocals(c, body)
    c.loops, c.in_function = 0, True
    c.qualprefix += name + ".<locals>."
    try:
        run = generators.function_body(c, body) if generator else c.block(body)
        return run, c.scope.uses_super
    finally:
        c.scope, c.loops, c.in_function, c.qualprefix = saved


def _docstring(body):
    first = body[0] if body else None
    if isinstance(first, A.ExprStmt) and isinstance(first.value, A.Const) \
            and isinstance(first.value.value, str):
        return first.value.value
    return None


def _decorating(decorators, loc):
    """(frame, definition) -> the definition with the decorators applied, innermost first;
    the decorator expressions are evaluated before the definition, as in Python."""
    if not decorators:
        return _undecorated

    def apply(f, definition, evaluated=None):
        for d in reversed(evaluated if evaluated is not None else [d(f) for d in decorators]):
            try:
                definition = d(definition)
            except Exception as e:
                C.note(e, loc)
                raise
        return definition
    return apply


def _undecorated(f, definition):
    return definition


# ---------------------------------------------------------------------- classes
@handles(A.ClassDef)
def classdef(c, node):
    for k in node.keywords:
        if k.name is None:
            raise c.error("'**' in a class definition is not supported in tsh", k)
        if k.name == "metaclass":
            raise c.error("metaclasses are not supported in tsh", k)
    decorators = tuple(c.expr(d) for d in node.decorators)
    bases = tuple(c.expr(b.value if isinstance(b, A.Starred) else b) for b in node.bases)
    if any(isinstance(b, A.Starred) for b in node.bases):
        raise c.error("'*' in a class's bases is not supported in tsh", node)
    keywords = tuple((k.name, c.expr(k.value)) for k in node.keywords)
    store = c.store_name(node.name, node)
    name, qualname = node.name, c.qualprefix + node.name
    body = _class_body(c, node)
    link = c.child_frame_link()
    doc, loc = _docstring(node.body), c.loc(node)
    apply = _decorating(decorators, loc)

    def run(f):
        evaluated = [d(f) for d in decorators]
        base_values = tuple(b(f) for b in bases)
        kw = {k: v(f) for k, v in keywords}
        namespace = {OUTER: link(f) if link else None}
        body(namespace)
        del namespace[OUTER]
        if doc is not None:
            namespace.setdefault("__doc__", doc)
        try:
            cls = classes.make_class(name, qualname, base_values, kw, namespace)
        except Exception as e:
            C.note(e, loc)
            raise
        store(f, apply(f, cls, evaluated) if decorators else cls)
    return run


def _class_body(c, node):
    saved = (c.scope, c.loops, c.in_function, c.qualprefix)
    declared = C.declared_names(node.body)
    if declared[1]:
        raise c.error("nonlocal declaration not allowed at class level"
                      if c.scope.kind == "module" else "nonlocal in a class body is not "
                      "supported in tsh", node)
    c.scope = C.Scope("class", C.bound_names(node.body), c.scope, declared)
    c.loops, c.in_function = 0, True          # no echo in a class body
    c.qualprefix += node.name + "."
    try:
        return c.block(node.body)
    finally:
        c.scope, c.loops, c.in_function, c.qualprefix = saved


# ---------------------------------------------------------------------- return, declarations
@handles(A.Return)
def return_stmt(c, node):
    if not c.in_function or c.scope.kind == "class":
        raise c.error("'return' outside function", node)
    if node.value is None:
        return lambda f: (None,)
    value = c.expr(node.value)

    def run(f):
        return (value(f),)
    return run


@handles(A.Global)
def global_stmt(c, node):
    return C._none


@handles(A.Nonlocal)
def nonlocal_stmt(c, node):
    if c.scope.kind == "module":
        raise c.error("nonlocal declaration not allowed at module level", node)
    return C._none


def _check_nonlocals(c, body):
    """Each nonlocal name must be bound by an enclosing function (Python's SyntaxError)."""
    for s in C._walk_statements(body):
        if not isinstance(s, A.Nonlocal):
            continue
        for name in s.names:
            scope = c.scope.parent
            while scope is not None and scope.kind != "module":
                if scope.kind != "class" and name in scope.names:
                    break
                scope = scope.parent
            else:
                raise c.error(f"no binding for nonlocal '{name}' found", s)


def _declaration(body, name):
    return next(s for s in C._walk_statements(body)
                if isinstance(s, (A.Global, A.Nonlocal)) and name in s.names)


@handles(A.AnnAssign)
def annassign(c, node):
    """`x: T = v`: the annotation is kept as text in a class body (dataclasses read it) and
    never evaluated; the value, if any, is assigned."""
    record = None
    if c.scope.kind == "class" and isinstance(node.target, A.Name):
        name, text = node.target.id, node.annotation

        def record(f):
            f.setdefault("__annotations__", {})[name] = text
    if node.value is None:
        if isinstance(node.target, A.Name):
            c.store_name(node.target.id, node.target)      # the name's checks, no binding
        return record or C._none
    value, bind = c.expr(node.value), target_binder(c, node.target)

    def run(f):
        if record is not None:
            record(f)
        bind(f, value(f))
    return run


# ---------------------------------------------------------------------- yield, outside generators
@handles(A.Yield, EXPRESSIONS)
@handles(A.YieldFrom, EXPRESSIONS)
def yield_outside(c, node):
    if not c.in_function or c.scope.kind == "class":
        raise c.error("'yield' outside function", node)
    raise c.error("'yield' is supported in tsh as a statement, or as the value of an "
                  "assignment", node)
