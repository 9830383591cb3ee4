"""Compile the tsh AST once into Python closures `run(frame) -> value`.

All static work happens here: scope resolution, constant folding of indexes, operator
selection, error locations. At run time a statement is a few closure calls and dict accesses;
a loop body is compiled once and never walked again.

Frames are dicts. The module frame is the interpreter's namespace; a function call gets a
fresh dict whose OUTER key links to the frame the function was defined in (for closures); a
class body runs in a dict of its own that becomes the class's namespace, and the functions
defined in it link past it (Python: methods do not see the class body's names).
Statements return None, or BREAK / CONTINUE / a 1-tuple holding a returned value.
"""

from __future__ import annotations

import sys

from . import ast as A
from .dunders import CLASS_BODY_DUNDERS, GLOBAL_FACTS
from .errors import TshNameError, TshSyntaxError
from .functions import (OUTER, CallState,
                        TshFunction)

BREAK = object()
CONTINUE = object()

def note(exc: BaseException, loc) -> None:
    """Record where exc happened (innermost wins) and fill a pending call site in its chain."""
    try:
        d = exc.__dict__
    except AttributeError:
        return
    if d.get("_tsh_loc") is None:
        d["_tsh_loc"] = loc
    chain = d.get("_tsh_chain")
    if chain and chain[-1][1] is None:
        chain[-1][1] = loc


def note_call(exc: BaseException, loc, fn, args=()) -> None:
    """note(), and remember the innermost call the program made: the function's name and
    the arguments it passed (errors.wrap tells a wrong argument from a bug with them)."""
    note(exc, loc)
    try:
        d = exc.__dict__
    except AttributeError:
        return
    if "_tsh_fn" not in d:
        d["_tsh_fn"] = (fn.name if type(fn) is TshFunction else getattr(fn, "__name__", None))
        d["_tsh_args"] = args


class Scope:
    """Compile-time scope: which names a module, function, class body or comprehension binds
    locally, and which its `global` / `nonlocal` statements send elsewhere."""

    def __init__(self, kind: str, names: set, parent: Scope | None, declared=None,
                 inlined=False):
        self.kind, self.names, self.parent = kind, names, parent
        self.inlined = inlined             # a list/set/dict comprehension (see _frame_loader)
        self.globals, self.nonlocals = declared or (set(), set())
        self.uses_super = False            # a method calling super(): its class is needed


class Compiler:
    """Turns one Module into a runner; dispatches on node class via a dict."""

    def __init__(self, unit, namespace: dict, builtins: dict, modules: dict,
                 echo=None, state: CallState | None = None):
        self.unit, self.g, self.b, self.modules = unit, namespace, builtins, modules
        self.echo, self.state = echo, state or CallState()
        self.scope = Scope("module", set(), None)
        self.loops = 0
        self.in_function = False
        self.qualprefix = ""           # 'f.<locals>.' inside def f, for nested functions' names

    # ------------------------------------------------------------------ entry points
    def module(self, node: A.Module):
        return self.block(node.body)

    def loc(self, node):
        return (self.unit, node.span)

    def error(self, message: str, node) -> TshSyntaxError:
        s = node.span
        e = TshSyntaxError(message, s.line, s.col, s.end_col if s.end_line == s.line else None)
        e.unit = self.unit
        return e

    def stmt(self, node):
        return STATEMENTS[type(node)](self, node)

    def expr(self, node):
        return EXPRESSIONS[type(node)](self, node)

    def block(self, stmts):
        """A statement list: stop at the first BREAK/CONTINUE/return signal."""
        runs = [self.stmt(s) for s in stmts]
        if not runs:
            return _none
        if len(runs) == 1:
            return runs[0]
        if len(runs) == 2:
            first, second = runs

            def run2(f):
                r = first(f)
                if r is not None:
                    return r
                return second(f)
            return run2
        runs = tuple(runs)

        def run(f):
            for s in runs:
                r = s(f)
                if r is not None:
                    return r
        return run

    # ------------------------------------------------------------------ names
    def resolve(self, name: str):
        """('local', 0) | ('outer', depth) | ('global', 0) | ('class', 0) for a name in the
        current scope. A class body's names are seen by the body itself only ('class': its
        frame, then the enclosing scopes); depth counts the frames on the OUTER chain."""
        scope, depth = self.scope, 0
        if scope.kind == "class":
            if name in scope.globals:
                return "global", 0
            if name in scope.names:
                return "class", 0
            scope, depth = scope.parent, 1
        elif name in scope.nonlocals:
            scope, depth = scope.parent, 1
        while scope.kind != "module":
            if scope.kind == "class":          # skipped by the functions defined in it
                scope = scope.parent
                continue
            if name in scope.globals:
                return "global", 0
            if name in scope.names:
                return ("local" if depth == 0 else "outer"), depth
            scope, depth = scope.parent, depth + 1
        return "global", 0

    def load_name(self, node: A.Name):
        name, loc = node.id, self.loc(node)
        if name.startswith("__") and name not in GLOBAL_FACTS:
            return _raiser(lambda: TshNameError(f"name '{name}' is not defined"), loc)
        kind, depth = self.resolve(name)
        if kind == "global":
            return _global_loader(name, self.g, self.b, loc)
        if kind == "class":
            return _class_loader(name, self._outside_class(name), loc)
        return _frame_loader(name, depth, loc, self._inlined_up_to(depth))

    def _inlined_up_to(self, depth):
        """Whether the `depth` scopes out to a name's binding are comprehensions that the
        running CPython inlines into their function (3.12's PEP 709: list, set and dict
        comprehensions, not generator expressions)."""
        if sys.version_info < (3, 12):
            return False
        scope = self.scope
        for _ in range(depth):
            if not scope.inlined:
                return False
            scope = scope.parent
        return True

    def _outside_class(self, name):
        """How a class body reads a name it has not bound (yet): as the enclosing scope."""
        saved = self.scope
        self.scope = Scope("class", set(), saved.parent, (saved.globals, set()))
        try:
            kind, depth = self.resolve(name)
        finally:
            self.scope = saved
        if kind == "global":
            return _global_loader(name, self.g, self.b, None)
        return _frame_loader(name, depth, None)

    def store_name(self, name: str, node):
        """A (frame, value) -> None binder for a name."""
        if name.startswith("__") and not (self.scope.kind == "class" and
                                           name in CLASS_BODY_DUNDERS):
            raise self.error(f"cannot assign to '{name}' in tsh" if self.scope.kind != "class"
                             else f"defining '{name}' in a class is not supported in tsh",
                             node)
        kind, depth = self.resolve(name)
        if kind == "global":
            g = self.g

            def store_global(f, value):
                g[name] = value
            return store_global
        if kind == "outer":
            def store_outer(f, value):
                for _ in range(depth):
                    f = f[OUTER]
                f[name] = value
            return store_outer

        def store_local(f, value):
            f[name] = value
        return store_local

    def child_frame_link(self):
        """frame -> the OUTER of a frame made here (a function's, a comprehension's): the
        current frame, or past it in a class body (whose names its functions do not see);
        None at module level, where names resolve through the namespace."""
        if self.scope.kind == "module":
            return None
        if self.scope.kind == "class":
            return _past_class_frame
        return _same_frame


# ---------------------------------------------------------------------- runtime helpers
def _none(f):
    return None


def _raiser(make, loc):
    def run(f):
        e = make()
        note(e, loc)
        raise e
    return run


def _global_loader(name, g, b, loc):
    b.get(name)         # a built-in made at its first use (namespace.LazyBuiltins): made now
    def load_global(f):
        # Membership tests, not try/except: a missed lookup raising KeyError would cost
        # about a microsecond on every use of a built-in such as `torch` or `range`.
        if name in g:
            return g[name]
        if name in b:
            return b[name]
        e = TshNameError(f"name '{name}' is not defined", name=name)
        e._tsh_scopes = (f, g, b)           # where "Did you mean" looks (suggestions.py)
        note(e, loc)
        raise e
    return load_global


def _same_frame(f):
    return f


def _past_class_frame(f):
    return f.get(OUTER)


def _class_loader(name, outside, loc):
    """A name a class body binds: its own binding once made, the enclosing one before
    (Python's LOAD_NAME: `x = x + 1` in a class body reads the global x)."""
    def load_class_name(f):
        if name in f:
            return f[name]
        return outside(f)
    return load_class_name


# How the running CPython words a read of a name not bound yet (3.11 reworded it).
if sys.version_info >= (3, 11):
    UNBOUND_LOCAL = "cannot access local variable '{}' where it is not associated with a value"
    UNBOUND_FREE = ("cannot access free variable '{}' where it is not associated with a value "
                    "in enclosing scope")
else:
    UNBOUND_LOCAL = "local variable '{}' referenced before assignment"
    UNBOUND_FREE = "free variable '{}' referenced before assignment in enclosing scope"


def _frame_loader(name, depth, loc, inlined=False):
    """How a function reads a name of its own frame (depth 0) or of the frame `depth` levels
    out; `inlined`: the levels between are comprehensions CPython runs in the function's own
    frame, so a name not bound yet is the function's unbound local, not a free variable."""
    def unbound():
        e = UnboundLocalError(UNBOUND_LOCAL.format(name))
        note(e, loc)
        return e

    if depth == 0:
        def load_local(f):
            try:
                return f[name]
            except KeyError:
                raise unbound() from None
        return load_local

    def unbound_free():
        e = unbound() if inlined else NameError(UNBOUND_FREE.format(name))
        note(e, loc)
        return e

    def load_outer(f):
        for _ in range(depth):
            f = f[OUTER]
        try:
            return f[name]
        except KeyError:
            raise unbound_free() from None
    return load_outer


def bound_names(stmts) -> set:
    """Names a function (or class) body binds, its locals: not looking inside nested defs,
    classes or lambdas; `global` and `nonlocal` names left out (declared_names has them)."""
    names: set = set()
    for s in stmts:
        _bind_stmt(s, names)
    globals_, nonlocals = declared_names(stmts)
    return names - globals_ - nonlocals


def declared_names(stmts) -> tuple:
    """(global names, nonlocal names) a body declares (not inside nested defs)."""
    globals_: set = set()
    nonlocals: set = set()
    for s in _walk_statements(stmts):
        if isinstance(s, A.Global):
            globals_.update(s.names)
        elif isinstance(s, A.Nonlocal):
            nonlocals.update(s.names)
    return globals_, nonlocals


def _walk_statements(stmts):
    for s in stmts:
        yield s
        for child in _child_blocks(s):
            yield from _walk_statements(child)


def _bind_stmt(s, names):
    if isinstance(s, A.Assign):
        for t in s.targets:
            _bind_target(t, names)
    elif isinstance(s, (A.AugAssign, A.For, A.AnnAssign)):
        _bind_target(s.target, names)
    elif isinstance(s, (A.FunctionDef, A.ClassDef)):
        names.add(s.name)
    elif isinstance(s, A.With):
        names.update(item.name for item in s.items if item.name)
    elif isinstance(s, (A.Import, A.ImportFrom)):
        names.update(a.asname or a.name.split(".")[0] for a in s.names)
    elif isinstance(s, A.Delete):
        for t in s.targets:
            _bind_target(t, names)
    elif isinstance(s, A.Try):
        names.update(h.name for h in s.handlers if h.name)
    names.update(walrus_targets(s))
    for child in _child_blocks(s):
        for c in child:
            _bind_stmt(c, names)


def walrus_targets(node) -> set:
    """Names bound by `name := value` in node's expressions, comprehensions included (they
    bind in the enclosing function, PEP 572), nested functions and lambdas not."""
    found: set = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, A.NamedExpr):
            found.add(n.target)
        if isinstance(n, (A.Lambda, A.FunctionDef, A.ClassDef)) and n is not node:
            continue
        if isinstance(n, (A.If, A.While, A.For, A.With, A.Try, A.ExceptHandler)) \
                and n is not node:
            continue                     # statements: _bind_stmt visits them itself
        for field in n:
            if isinstance(field, A.Node):
                stack.append(field)
            elif field.__class__ is tuple:
                stack.extend(x for x in field if isinstance(x, A.Node)
                             and not _is_statement(x))
    return found


def _is_statement(n) -> bool:
    return isinstance(n, (A.ExprStmt, A.Assign, A.AugAssign, A.AnnAssign, A.If, A.While,
                          A.For, A.With, A.Try, A.FunctionDef, A.ClassDef, A.Return,
                          A.Delete, A.Assert, A.Raise, A.Import, A.ImportFrom, A.Pass,
                          A.Break, A.Continue, A.Global, A.Nonlocal, A.ExceptHandler))


def _bind_target(t, names):
    if isinstance(t, A.Name):
        names.add(t.id)
    elif isinstance(t, A.TupleExpr):
        for e in t.elts:
            _bind_target(e, names)
    elif isinstance(t, A.Starred):
        _bind_target(t.value, names)


def _child_blocks(s):
    if isinstance(s, A.If):
        return (s.body, s.orelse)
    if isinstance(s, (A.While, A.For)):
        return (s.body, s.orelse)
    if isinstance(s, A.With):
        return (s.body,)
    if isinstance(s, A.Try):
        return (s.body, *(h.body for h in s.handlers), s.orelse, s.finalbody)
    return ()


def contains_yield(node) -> bool:
    """Whether node (a statement or an expression) yields, not counting nested functions,
    lambdas, classes and generator expressions (their own scopes)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (A.Yield, A.YieldFrom)):
            return True
        if n is not node and isinstance(n, (A.FunctionDef, A.ClassDef, A.Lambda,
                                             A.GeneratorExp)):
            if isinstance(n, (A.FunctionDef, A.ClassDef)):
                stack.extend(n.decorators)
            continue
        for field in n:
            if isinstance(field, A.Node):
                stack.append(field)
            elif field.__class__ is tuple:
                stack.extend(x for x in field if isinstance(x, A.Node))
    return False


from . import compile_def, compile_expr, compile_stmt, compile_try  # noqa: E402 (handlers)

EXPRESSIONS = compile_expr.HANDLERS
STATEMENTS = {**compile_stmt.HANDLERS, **compile_def.HANDLERS, **compile_try.HANDLERS}


def check_complete() -> list:
    """Node classes that neither table handles (a test asserts this is empty)."""
    handled = set(EXPRESSIONS) | set(STATEMENTS)
    helpers = {A.Keyword, A.Slice, A.Comprehension, A.FormattedValue, A.Param, A.WithItem,
               A.Alias, A.Module, A.ExceptHandler, A.Starred}
    return [c.__name__ for c in A.node_classes() if c not in handled and c not in helpers]


__all__ = ["Compiler", "TshFunction", "CallState", "note", "BREAK", "CONTINUE", "OUTER"]
