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
        value = children[0]
        if isinstance(value, A.Starred):
            _fail("can't use starred expression here", value.span)
        return A.ExprStmt(value.span, value)

    def assign(self, children):
        for value in children[:-1]:
            if isinstance(value, (A.Yield, A.YieldFrom)):
                _fail("cannot assign to yield expression", value.span)
        targets = tuple(_target(t, starred=True) for t in children[:-1])
        return A.Assign(children[0].span.to(children[-1].span), targets, children[-1])

    def augassign(self, children):
        target, op, value = children
        if not isinstance(target, (A.Name, A.Attribute, A.Subscript)):
            _fail(f"'{_kind(target)}' is an illegal expression for augmented assignment",
                  target.span)
        return A.AugAssign(target.span.to(value.span), target, op.value[:-1], value)

    def annassign(self, children):
        target, annotation, value = children
        if not isinstance(target, (A.Name, A.Attribute, A.Subscript)):
            _fail(f"only single target (not {_kind(target)}) can be annotated", target.span)
        end = (value or annotation).span
        return A.AnnAssign(target.span.to(end), target, annotation_text(annotation), value)

    def raise_stmt(self, children):
        keyword = children[0]
        exc, cause = ([c for c in children if isinstance(c, A.Node)] + [None, None])[:2]
        span = self._tspan(keyword)
        last = cause or exc
        return A.Raise(span.to(last.span) if last is not None else span, exc, cause)

    def global_stmt(self, children):
        return self._names_stmt(A.Global, children)

    def nonlocal_stmt(self, children):
        return self._names_stmt(A.Nonlocal, children)

    def _names_stmt(self, cls, children):
        names = [t for t in children[1:] if t.type == "NAME"]
        return cls(self._between(children[0], names[-1]), tuple(t.value for t in names))

    def yield_expr(self, children):
        keyword = children[0]
        span = self._tspan(keyword)
        rest = [c for c in children[1:] if c is not None]
        if rest and not isinstance(rest[0], A.Node):        # `yield from x`
            value = rest[1]
            return A.YieldFrom(span.to(value.span), value)
        value = rest[0] if rest else None
        return A.Yield(span.to(value.span) if value is not None else span, value)
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
        test, body, orelse = children
        return A.While(test.span, test, body, orelse or ())

    def for_stmt(self, children):
        target, iterable, body, orelse = children
        return A.For(target.span.to(iterable.span), _target(target, starred=True), iterable,
                     body, orelse or ())

    def with_stmt(self, children):
        items = tuple(children[:-1])
        return A.With(items[0].span.to(items[-1].span), items, children[-1])

    def with_item(self, children):
        context, name = children
        span = context.span.to(self._tspan(name)) if name is not None else context.span
        return A.WithItem(span, context, name and name.value)

    def funcdef(self, children):
        name, params, _returns, body = children
        params = _signature(params or (), "function definition")
        return A.FunctionDef(self._tspan(name), name.value, params, body, ())

    def params(self, children):
        return tuple(c for c in children if c is not None)

    def param(self, children):
        name, _annotation, default = children
        span = self._tspan(name)
        return A.Param(span.to(default.span) if default is not None else span,
                       name.value, default, A.POSITIONAL)

    def star_param(self, children):
        star, name, _annotation = children
        if name is None:                          # a bare *: keyword-only parameters follow
            return A.Param(self._tspan(star), "*", None, A.KEYWORD_ONLY)
        return A.Param(self._between(star, name), name.value, None, A.VAR_POSITIONAL)

    def dstar_param(self, children):
        star, name, _annotation = children
        return A.Param(self._between(star, name), name.value, None, A.VAR_KEYWORD)

    def slash_param(self, children):
        return A.Param(self._tspan(children[0]), "/", None, A.POSITIONAL_ONLY)

    def lambda_param(self, children):
        return self.param([children[0], None, children[1]])

    def lambda_star(self, children):
        return self.star_param([children[0], children[1], None])

    def lambda_dstar(self, children):
        return self.dstar_param([children[0], children[1], None])

    def lambda_params(self, children):
        return tuple(c for c in children if c is not None)

    def lambdef(self, children):
        keyword, params, body = children
        params = _signature(params or (), "lambda")
        return A.Lambda(self._tspan(keyword).to(body.span), params, body)

    def classdef(self, children):
        name, args, body = children
        bases, keywords = self._split_arguments(args or ())
        return A.ClassDef(self._tspan(name), name.value, tuple(bases), tuple(keywords), body,
                          ())

    def decorated(self, children):
        *decorators, definition = children
        # decorators are the last field of FunctionDef and ClassDef
        return type(definition)(*definition[:-1], tuple(decorators))

    def decorator(self, children):
        return children[0]

    def try_except(self, children):
        body, *handlers, orelse, finalbody = children
        for h in handlers[:-1]:
            if h.type is None:
                _fail("default 'except:' must be last", h.span)
        return A.Try(handlers[0].span, body, tuple(handlers), orelse or (), finalbody or ())

    def try_finally(self, children):
        body, finalbody = children
        return A.Try(body[0].span if body else A.NO_SPAN, body, (), (), finalbody)

    def except_clause(self, children):
        keyword, test, name, body = children
        span = self._tspan(keyword)
        end = self._tspan(name) if name is not None else test.span if test is not None else span
        return A.ExceptHandler(span.to(end), test, name and name.value, body)

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
            value = float(text) if tok.type == "FLOAT_NUMBER" else \
                complex(0, float(text[:-1])) if tok.type == "IMAG_NUMBER" else int(text, 0)
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

    def dict_unpack(self, children):
        return [None, children[1]]

    def set(self, children):
        span = self._between(children[0], children[-1])
        return A.SetExpr(span, tuple(c for c in children if isinstance(c, A.Node)))

    def listcomp(self, children):
        span = self._between(children[0], children[-1])
        return A.ListComp(span, children[1], tuple(children[2:-1]))

    def setcomp(self, children):
        span = self._between(children[0], children[-1])
        return A.SetComp(span, children[1], tuple(children[2:-1]))

    def dictcomp(self, children):
        span = self._between(children[0], children[-1])
        key, value = children[1]
        return A.DictComp(span, key, value, tuple(children[2:-1]))

    def genexp(self, children):
        span = self._between(children[0], children[-1])
        return A.GeneratorExp(span, children[1], tuple(children[2:-1]))

    def star_expr(self, children):
        star, value = children
        return A.Starred(self._tspan(star).to(value.span), value)

    def namedexpr(self, children):
        name, value = children
        return A.NamedExpr(self._tspan(name).to(value.span), name.value, value)

    def comp_for(self, children):
        target, iterable, *ifs = children
        return A.Comprehension(target.span.to((ifs or [iterable])[-1].span),
                               _target(target, starred=True), iterable, tuple(ifs))

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
        positional, keywords = self._split_arguments(args or ())
        return A.Call(self._between(func, close), func, tuple(positional), tuple(keywords))

    def _split_arguments(self, args):
        """(positional, keywords) of a call's or a class's arguments, Python's rules."""
        positional, keywords, names = [], [], set()
        for arg in args:
            if isinstance(arg, A.Keyword):
                if arg.name is not None:
                    if arg.name in names:
                        _fail(f"keyword argument repeated: {arg.name}", arg.span)
                    names.add(arg.name)
                keywords.append(arg)
            elif keywords and not isinstance(arg, A.Starred):
                _fail("positional argument follows keyword argument unpacking"
                      if any(k.name is None for k in keywords) else
                      "positional argument follows keyword argument", arg.span)
            elif keywords and any(k.name is None for k in keywords):
                _fail("iterable argument unpacking follows keyword argument unpacking",
                      arg.span)
            else:
                positional.append(arg)
        return positional, keywords

    def call_genexp(self, children):
        func, elt, *generators, close = children
        span = elt.span.to(generators[-1].span)
        return A.Call(self._between(func, close), func,
                      (A.GeneratorExp(span, elt, tuple(generators)),), ())

    def arguments(self, children):
        return [c for c in children if c is not None]

    def argument(self, children):
        return children[0]

    def star_arg(self, children):
        star, value = children
        return A.Starred(self._tspan(star).to(value.span), value)

    def dstar_arg(self, children):
        star, value = children
        return A.Keyword(self._tspan(star).to(value.span), None, value)

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


def _signature(params, where: str) -> tuple:
    """Params with their kinds set from the markers (`/`, `*`) as Python reads a signature;
    Python's errors for names repeated, defaults out of order, markers misplaced."""
    out, seen, defaulted = [], set(), False
    kind = A.POSITIONAL
    slash_at = next((i for i, p in enumerate(params) if p.name == "/"), None)
    for i, p in enumerate(params):
        if p.name == "/":
            if i == 0:
                _fail("at least one argument must precede /", p.span)
            if i != slash_at:
                _fail("/ may appear only once", p.span)
            if kind != A.POSITIONAL:
                _fail("/ must be ahead of *", p.span)
            continue
        if p.kind in (A.KEYWORD_ONLY, A.VAR_POSITIONAL):
            if kind in (A.KEYWORD_ONLY, A.VAR_KEYWORD):
                _fail("* argument may appear only once", p.span)
            kind = A.KEYWORD_ONLY
            if p.name == "*":
                if i + 1 == len(params) or params[i + 1].kind == A.VAR_KEYWORD:
                    _fail("named arguments must follow bare *", p.span)
                continue
        elif p.kind == A.VAR_KEYWORD:
            if i + 1 != len(params):
                _fail("arguments cannot follow var-keyword argument", params[i + 1].span)
            kind = A.VAR_KEYWORD
        if p.name in seen:
            _fail(f"duplicate argument '{p.name}' in {where}", p.span)
        seen.add(p.name)
        this = p.kind if p.kind in (A.VAR_POSITIONAL, A.VAR_KEYWORD) else \
            A.POSITIONAL_ONLY if slash_at is not None and i < slash_at else kind
        if this in (A.POSITIONAL_ONLY, A.POSITIONAL):
            if p.default is None and defaulted:
                _fail("parameter without a default follows parameter with a default", p.span)
            defaulted = defaulted or p.default is not None
        out.append(A.Param(p.span, p.name, p.default, this))
    return tuple(out)


def annotation_text(node) -> str:
    """The source text of an annotation, as `from __future__ import annotations` keeps it
    (tsh never evaluates annotations)."""
    if isinstance(node, A.Name):
        return node.id
    if isinstance(node, A.Attribute):
        return f"{annotation_text(node.value)}.{node.attr}"
    if isinstance(node, A.Subscript):
        return f"{annotation_text(node.value)}[{annotation_text(node.index)}]"
    if isinstance(node, A.TupleExpr):
        return ", ".join(annotation_text(e) for e in node.elts)
    if isinstance(node, A.ListExpr):
        return "[" + ", ".join(annotation_text(e) for e in node.elts) + "]"
    if isinstance(node, A.BinOp):
        return f"{annotation_text(node.left)} {node.op} {annotation_text(node.right)}"
    if isinstance(node, A.Const):
        return repr(node.value)
    return "..."


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


def _target(node, starred: bool = False):
    """Validate an assignment / for / comprehension target (`a, *rest = ...` when starred)."""
    if isinstance(node, (A.Name, A.Attribute, A.Subscript)):
        return node
    if isinstance(node, (A.TupleExpr, A.ListExpr)):
        stars = [e for e in node.elts if isinstance(e, A.Starred)]
        if len(stars) > 1:
            _fail("multiple starred expressions in assignment", stars[1].span)
        return A.TupleExpr(node.span, tuple(_target(e, True) for e in node.elts))
    if isinstance(node, A.Starred):
        if not starred:
            _fail("starred assignment target must be in a list or tuple", node.span)
        return A.Starred(node.span, _target(node.value))
    hint = "did you mean '=='?" if isinstance(node, (A.Call, A.Compare)) else None
    _fail(f"cannot assign to {_kind(node)}", node.span, hint)
