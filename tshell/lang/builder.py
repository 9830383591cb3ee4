"""Grammar reductions -> tsh AST nodes (immutable, with spans). Nothing is evaluated here.

ToAst's methods run as the LALR driver's reduce callbacks (one per rule or alias), so no
parse tree is built. Spans come from tokens and child nodes (Lark's propagate_positions
doubled the parse time). Each parse has its own ToAst: an f-string field is parsed by another
parse whose builder moves its spans to where the field is in the file.
"""

from __future__ import annotations

from . import ast as A
from .ast import Span
from .errors import TshSyntaxError
from .fstrings import FStringReader
from .precedence import Pratt


def literal(text: str):
    """Python's value of a string literal; unknown escapes ('\\ ') stay, without a warning."""
    import ast as pyast                # only for literals with escapes: keeps start-up light
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyast.literal_eval(text)


_new = tuple.__new__


def _fail(message: str, span: Span, hint=None):
    raise TshSyntaxError(message, span.line, span.col,
                         span.end_col if span.end_line == span.line else None, hint=hint)


class ToAst:
    """One method per grammar rule (or alias); each returns an AST node or a helper value."""

    def __init__(self, parse_field, line_offset: int = 0, col_offset: int = 0):
        """parse_field(text, line, col): the AST of an f-string field's expression, whose
        text starts at (line, col) of the file. The offsets: where the text this builder's
        parse reads starts in the file (line_offset + 1, col_offset + 1)."""
        self._parse_field = parse_field
        self._dl, self._dc = line_offset, col_offset

    def field(self, text: str, line: int, col: int):
        """The expression of an f-string field that starts at (line, col) of this parse."""
        start = self.in_file(Span(line, col, line, col))
        return self._parse_field(text, start.line, start.col)

    # ---------------------------------------------------------------- spans
    def _tspan(self, tok) -> Span:
        # A token's (line, column, end_line, end_column) fields are its 4th to 7th.
        span = _new(Span, tok[3:7])
        return self.in_file(span) if self._dl or self._dc else span

    def in_file(self, s: Span) -> Span:
        """A span in this parse's text at its place in the file (an f-string field's text
        starts inside the file)."""
        if not (self._dl or self._dc):
            return s
        col = s.col + self._dc if s.line == 1 else s.col
        end = s.end_col + self._dc if s.end_line == 1 else s.end_col
        return Span(s.line + self._dl, col, s.end_line + self._dl, end)

    def _between(self, first, last) -> Span:
        """The span from the start of first to the end of last (tokens or nodes)."""
        a = first.span if isinstance(first, A.Node) else self._tspan(first)
        b = last.span if isinstance(last, A.Node) else self._tspan(last)
        return a.to(b)

    # ---------------------------------------------------------------- program structure
    def file_input(self, children):
        return A.Module(A.NO_SPAN, _flatten(children))

    def eval_input(self, children):
        return children[0]

    def simple_stmt(self, children):
        return [c for c in children if c is not None]

    def suite(self, children):
        return _flatten(children)

    # ---------------------------------------------------------------- simple statements
    def expr_stmt(self, children):
        return A.ExprStmt(children[0].span, children[0])

    def assign(self, children):
        targets = tuple(_target(t) for t in children[:-1])
        return A.Assign(children[0].span.to(children[-1].span), targets, children[-1])

    def augassign(self, children):
        target, op, value = children
        if not isinstance(target, (A.Name, A.Attribute, A.Subscript)):
            _fail(f"'{_kind(target)}' is an illegal expression for augmented assignment",
                  target.span)
        return A.AugAssign(target.span.to(value.span), target, op.value[:-1], value)

    def pass_stmt(self, children):
        return A.Pass(self._tspan(children[0]))

    def break_stmt(self, children):
        return A.Break(self._tspan(children[0]))

    def continue_stmt(self, children):
        return A.Continue(self._tspan(children[0]))

    def return_stmt(self, children):
        keyword, value = children
        span = self._tspan(keyword)
        return A.Return(span.to(value.span) if value is not None else span, value)

    def del_stmt(self, children):
        target = children[0]
        items = target.elts if isinstance(target, A.TupleExpr) else (target,)
        for item in items:
            if not isinstance(item, (A.Name, A.Subscript, A.Attribute)):
                _fail(f"cannot delete {_kind(item)}", item.span)
        return A.Delete(target.span, tuple(items))

    def assert_stmt(self, children):
        test, msg = children
        return A.Assert(test.span.to((msg or test).span), test, msg)

    def import_stmt(self, children):
        return A.Import(children[0].span.to(children[-1].span), tuple(children))

    def dotted_as_name(self, children):
        (name, span), asname = children
        end = self._tspan(asname) if asname is not None else span
        return A.Alias(span.to(end), name, asname and asname.value)

    def dotted_name(self, children):
        span = self._between(children[0], children[-1])
        return ".".join(t.value for t in children), span

    def import_from(self, children):
        (module, span), names = children
        if isinstance(names, list):
            return A.ImportFrom(span.to(names[-1].span), module, tuple(names))
        return A.ImportFrom(span.to(self._tspan(names)), module, ())

    def import_names(self, children):
        return [c for c in children if c is not None]

    def import_as_name(self, children):
        name, asname = children
        return A.Alias(self._between(name, asname or name), name.value, asname and asname.value)

    # ---------------------------------------------------------------- compound statements
    def if_stmt(self, children):
        test, body, *elifs, orelse = children
        orelse = orelse or ()
        for e_test, e_body in reversed(elifs):
            orelse = (A.If(e_test.span, e_test, e_body, orelse),)
        return A.If(test.span, test, body, orelse)

    def elif_clause(self, children):
        return (children[0], children[1])

    def while_stmt(self, children):
        return A.While(children[0].span, children[0], children[1])

    def for_stmt(self, children):
        target, iterable, body = children
        return A.For(target.span.to(iterable.span), _target(target), iterable, body)

    def with_stmt(self, children):
        items = tuple(children[:-1])
        return A.With(items[0].span.to(items[-1].span), items, children[-1])

    def with_item(self, children):
        context, name = children
        span = context.span.to(self._tspan(name)) if name is not None else context.span
        return A.WithItem(span, context, name and name.value)

    def funcdef(self, children):
        name, params, body = children
        params = params or ()
        seen, defaulted = set(), False
        for p in params:
            if p.name in seen:
                _fail(f"duplicate argument '{p.name}' in function definition", p.span)
            seen.add(p.name)
            if p.default is None and defaulted:
                _fail("parameter without a default follows parameter with a default", p.span)
            defaulted = defaulted or p.default is not None
        return A.FunctionDef(self._tspan(name), name.value, tuple(params), body)

    def params(self, children):
        return tuple(c for c in children if c is not None)

    def param(self, children):
        name, default = children
        span = self._tspan(name)
        return A.Param(span.to(default.span) if default is not None else span,
                       name.value, default)

    # ---------------------------------------------------------------- expressions
    def name(self, children):
        return A.Name(self._tspan(children[0]), children[0].value)

    def const(self, children):
        tok = children[0]
        value = {"None": None, "True": True, "False": False, "...": ...}[tok.value]
        return A.Const(self._tspan(tok), value)

    def number(self, children):
        tok = children[0]
        text = tok.value
        try:
            value = float(text) if tok.type == "FLOAT_NUMBER" else int(text, 0)
        except ValueError:
            _fail("number literal too large", self._tspan(tok))
        return A.Const(self._tspan(tok), value)

    def strings(self, children):
        span = self._between(children[0], children[-1])
        pieces = [self._string(tok) for tok in children]
        kinds = {type(p) for p in pieces}
        if bytes in kinds and len(kinds) > 1:
            _fail("cannot mix bytes and nonbytes literals", span)
        if kinds <= {str, bytes}:
            return A.Const(span, pieces[0] if len(pieces) == 1 else
                           (b"" if bytes in kinds else "").join(pieces))
        parts = []
        for p in pieces:
            parts.extend(p.parts if isinstance(p, A.FString) else [p])
        return A.FString(span, _merge_literals(parts))

    def _string(self, tok):
        """A str/bytes value, or an FString for f-strings."""
        text = tok.value
        prefix = text[: len(text) - len(text.lstrip("rRbBuUfF"))]
        if "f" not in prefix.lower():
            if not prefix and "\\" not in text:
                quote = 3 if text[:3] in ('"""', "'''") else 1
                return text[quote:-quote]
            try:
                return literal(text)
            except (SyntaxError, ValueError) as e:
                _fail(f"invalid string literal: {e.msg if hasattr(e, 'msg') else e}",
                      self._tspan(tok))
        return FStringReader(self, tok, prefix).read()

    def tuple(self, children):
        span = self._between(children[0], children[-1])
        return A.TupleExpr(span, tuple(c for c in children if isinstance(c, A.Node)))

    def list(self, children):
        span = self._between(children[0], children[-1])
        return A.ListExpr(span, tuple(c for c in children if isinstance(c, A.Node)))

    def dict(self, children):
        span = self._between(children[0], children[-1])
        pairs = [c for c in children if type(c) is list]
        return A.DictExpr(span, tuple(k for k, _ in pairs), tuple(v for _, v in pairs))

    def key_value(self, children):
        return [children[0], children[1]]

    def listcomp(self, children):
        span = self._between(children[0], children[-1])
        return A.ListComp(span, children[1], tuple(children[2:-1]))

    genexp = listcomp     # tsh evaluates generator expressions eagerly, as lists

    def comp_for(self, children):
        target, iterable, *ifs = children
        return A.Comprehension(target.span.to((ifs or [iterable])[-1].span), _target(target),
                               iterable, tuple(ifs))

    def comp_if(self, children):
        return children[0]

    def ifexp(self, children):
        body, test, orelse = children
        return A.IfExp(body.span.to(orelse.span), test, body, orelse)

    def operation(self, children):
        """A flat run of operands and operator tokens -> nested nodes (Python precedence)."""
        return Pratt(children, self._tspan).parse()

    def call(self, children):
        func, args, close = children
        positional, keywords, names = [], [], set()
        for arg in args or ():
            if isinstance(arg, A.Keyword):
                if arg.name in names:
                    _fail(f"keyword argument repeated: {arg.name}", arg.span)
                names.add(arg.name)
                keywords.append(arg)
            elif keywords:
                _fail("positional argument follows keyword argument", arg.span)
            else:
                positional.append(arg)
        return A.Call(self._between(func, close), func, tuple(positional), tuple(keywords))

    def call_genexp(self, children):
        func, elt, *generators, close = children
        span = elt.span.to(generators[-1].span)
        return A.Call(self._between(func, close), func,
                      (A.ListComp(span, elt, tuple(generators)),), ())

    def arguments(self, children):
        return [c for c in children if c is not None]

    def argument(self, children):
        return children[0]

    def kwarg(self, children):
        key, value = children
        if not isinstance(key, A.Name):
            _fail('expression cannot contain assignment, perhaps you meant "=="?', key.span)
        return A.Keyword(key.span.to(value.span), key.id, value)

    def getitem(self, children):
        value, index, close = children
        return A.Subscript(self._between(value, close), value, index)

    def getattr(self, children):
        return A.Attribute(self._between(children[0], children[1]), children[0],
                           children[1].value)

    def slice(self, children):
        lower, upper, step = (list(children) + [None, None, None])[:3]
        present = [p for p in (lower, upper, step) if p is not None]
        span = present[0].span.to(present[-1].span) if present else A.NO_SPAN
        return A.Slice(span, lower, upper, step)


# -------------------------------------------------------------------- helpers
def _flatten(children) -> tuple:
    out = []
    for c in children:
        if type(c) is list or type(c) is tuple:      # (tokens are tuples too, of type Tok)
            out.extend(c)
        elif c is not None:
            out.append(c)
    return tuple(out)


def _merge_literals(parts: list) -> tuple:
    """Join neighbouring literal pieces so the runtime joins fewer strings (each run joined
    once: adding piece by piece copied the text so far each time)."""
    out, run = [], []
    for p in parts:
        if isinstance(p, str):
            run.append(p)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(p)
    if run:
        out.append("".join(run))
    return tuple(out)


def _kind(node) -> str:
    """What Python calls a node in 'cannot assign to ...' messages."""
    if isinstance(node, A.Const):
        return "literal"
    if isinstance(node, A.Call):
        return "function call"
    if isinstance(node, A.TupleExpr):
        return "tuple"
    if isinstance(node, A.ListExpr):
        return "list"
    if isinstance(node, A.FString):
        return "f-string expression"
    return "expression"


def _target(node):
    """Validate an assignment / for / comprehension target."""
    if isinstance(node, (A.Name, A.Attribute, A.Subscript)):
        return node
    if isinstance(node, (A.TupleExpr, A.ListExpr)):
        return A.TupleExpr(node.span, tuple(_target(e) for e in node.elts))
    hint = "did you mean '=='?" if isinstance(node, (A.Call, A.Compare)) else None
    _fail(f"cannot assign to {_kind(node)}", node.span, hint)
