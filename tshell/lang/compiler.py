"""Compile the tsh AST once into Python closures `run(frame) -> value`.

All static work happens here: scope resolution, constant folding of indexes, operator
selection, error locations. At run time a statement is a few closure calls and dict accesses;
a loop body is compiled once and never walked again.

Frames are dicts. The module frame is the interpreter's namespace; a function call gets a
fresh dict whose OUTER key links to the frame the function was defined in (for closures).
Statements return None, or BREAK / CONTINUE / a 1-tuple holding a returned value.
"""

from __future__ import annotations

from . import ast as A
from .errors import TshNameError, TshRecursionError, TshSyntaxError

OUTER = "\0outer"              # frame key of the enclosing frame (not a valid tsh name)
BREAK = object()
CONTINUE = object()
MAX_DEPTH = 1000               # CPython's recursion limit: frames, the module's included
# tsh function calls and comprehensions that may be active at once under the module's frame
# (each is a frame in CPython 3.11); one more is a RecursionError, at CPython's depth
MAX_NESTED = MAX_DEPTH - 1

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


class CallState:
    """Mutable state shared by the functions of one interpreter."""

    __slots__ = ("depth",)

    def __init__(self):
        self.depth = 0


class _FunctionClass(type):
    """Metaclass so that type(f) of a tsh function prints like Python's."""

    def __repr__(cls):
        return "<class 'function'>"


class TshFunction(metaclass=_FunctionClass):
    """A function defined in tsh; callable from Python too (gradcheck, sorted(key=...))."""

    __slots__ = ("name", "names", "defaults", "body", "outer", "state", "qualname", "where")

    def __init__(self, name, names, defaults, body, outer, state, qualname=None, where=None):
        self.name, self.names, self.defaults = name, names, defaults
        self.body, self.outer, self.state = body, outer, state
        self.qualname = qualname or name      # 'outer.<locals>.inner', as CPython names it
        self.where = where                    # (SourceUnit, Span) of the def: `f??` shows it

    def __repr__(self):
        return f"<function {self.qualname} at {id(self):#x}>"

    @property
    def __name__(self):     # for Python code that names its callbacks (the core's hook errors)
        return self.name

    def __call__(self, *args, **kwargs):
        return self.invoke(args, kwargs)

    def invoke(self, args, kwargs):
        """Run the body in a fresh frame; tag escaping errors with this function's name."""
        state = self.state
        if state.depth >= MAX_NESTED:
            raise TshRecursionError("maximum recursion depth exceeded")
        if not kwargs and len(args) == len(self.names):
            frame = dict(zip(self.names, args))
        else:
            frame = self._bind(args, kwargs)
        if self.outer is not None:
            frame[OUTER] = self.outer
        state.depth += 1
        try:
            result = self.body(frame)
        except Exception as e:
            d = e.__dict__
            d.setdefault("_tsh_chain", []).append([self.name, None])
            raise
        finally:
            state.depth -= 1
        return result[0] if result is not None else None

    def _bind(self, args, kwargs) -> dict:
        """Python's argument binding rules and messages."""
        names, n, qualname = self.names, len(self.names), self.qualname
        frame = dict(zip(names, args))
        for key, value in kwargs.items():        # keywords are checked first, as in CPython
            if key not in names:
                raise TypeError(f"{qualname}() got an unexpected keyword argument '{key}'")
            if key in frame:
                raise TypeError(f"{qualname}() got multiple values for argument '{key}'")
            frame[key] = value
        if len(args) > n:
            optional = sum(d is not _MISSING for d in self.defaults)
            takes = (f"from {n - optional} to {n} positional arguments" if optional else
                     f"{n} positional argument{'s' * (n != 1)}")
            raise TypeError(f"{qualname}() takes {takes} but {len(args)} "
                            f"{'were' if len(args) != 1 else 'was'} given")
        missing = []
        for name, default in zip(names, self.defaults):
            if name not in frame:
                if default is _MISSING:
                    missing.append(name)
                else:
                    frame[name] = default
        if missing:
            quoted = [f"'{m}'" for m in missing]
            listed = (" and ".join(quoted) if len(quoted) < 3 else
                      ", ".join(quoted[:-1]) + ", and " + quoted[-1])
            raise TypeError(f"{qualname}() missing {len(missing)} required positional "
                            f"argument{'s' * (len(missing) != 1)}: {listed}")
        return frame


_MISSING = object()


class Scope:
    """Compile-time scope: which names a function (or comprehension) binds locally."""

    def __init__(self, kind: str, names: set, parent: "Scope | None"):
        self.kind, self.names, self.parent = kind, names, parent


class Compiler:
    """Turns one Module into a runner; dispatches on node class via a dict."""

    compile_calls = 0          # counted by a test: a loop body is compiled exactly once

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
        Compiler.compile_calls += 1
        return STATEMENTS[type(node)](self, node)

    def expr(self, node):
        Compiler.compile_calls += 1
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
        """('local', 0) | ('outer', depth) | ('global', 0) for a name in the current scope."""
        scope, depth = self.scope, 0
        while scope.kind != "module":
            if name in scope.names:
                return ("local" if depth == 0 else "outer"), depth
            scope, depth = scope.parent, depth + 1
        return "global", 0

    def load_name(self, node: A.Name):
        name, loc = node.id, self.loc(node)
        if name.startswith("__"):
            return _raiser(lambda: TshNameError(f"name '{name}' is not defined"), loc)
        kind, depth = self.resolve(name)
        if kind == "global":
            return _global_loader(name, self.g, self.b, loc)
        return _frame_loader(name, depth, loc)

    def store_name(self, name: str, node):
        """A (frame, value) -> None binder for a name."""
        if name.startswith("__"):
            raise self.error(f"cannot assign to '{name}' in tsh", node)
        kind, depth = self.resolve(name)
        if kind == "global":
            g = self.g

            def store_global(f, value):
                g[name] = value
            return store_global

        def store_local(f, value):
            f[name] = value
        return store_local


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


def _frame_loader(name, depth, loc):
    def unbound():
        e = UnboundLocalError(f"cannot access local variable '{name}' where it is not "
                              "associated with a value")
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
        e = NameError(f"cannot access free variable '{name}' where it is not associated "
                      "with a value in enclosing scope")
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
    """Names a function body binds (its locals), not looking inside nested defs."""
    names: set = set()
    for s in stmts:
        _bind_stmt(s, names)
    return names


def _bind_stmt(s, names):
    if isinstance(s, A.Assign):
        for t in s.targets:
            _bind_target(t, names)
    elif isinstance(s, A.AugAssign) or isinstance(s, A.For):
        _bind_target(s.target, names)
    elif isinstance(s, A.FunctionDef):
        names.add(s.name)
    elif isinstance(s, A.With):
        names.update(item.name for item in s.items if item.name)
    elif isinstance(s, (A.Import, A.ImportFrom)):
        names.update(a.asname or a.name.split(".")[0] for a in s.names)
    elif isinstance(s, A.Delete):
        for t in s.targets:
            _bind_target(t, names)
    for child in _child_blocks(s):
        for c in child:
            _bind_stmt(c, names)


def _bind_target(t, names):
    if isinstance(t, A.Name):
        names.add(t.id)
    elif isinstance(t, A.TupleExpr):
        for e in t.elts:
            _bind_target(e, names)


def _child_blocks(s):
    if isinstance(s, A.If):
        return (s.body, s.orelse)
    if isinstance(s, (A.While, A.For, A.With)):
        return (s.body,)
    return ()


from . import compile_expr, compile_stmt  # noqa: E402  (the node handlers register below)

EXPRESSIONS = compile_expr.HANDLERS
STATEMENTS = compile_stmt.HANDLERS


def check_complete() -> list:
    """Node classes that neither table handles (a test asserts this is empty)."""
    handled = set(EXPRESSIONS) | set(STATEMENTS)
    helpers = {A.Keyword, A.Slice, A.Comprehension, A.FormattedValue, A.Param, A.WithItem,
               A.Alias, A.Module}
    return [c.__name__ for c in A.node_classes() if c not in handled and c not in helpers]


__all__ = ["Compiler", "TshFunction", "CallState", "note", "BREAK", "CONTINUE", "OUTER"]
