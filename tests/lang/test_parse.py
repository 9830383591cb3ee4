"""Grammar tests: every statement and expression form parses to the expected AST shape, and
syntax errors come with Python-like messages, positions and hints."""

import pytest

from tshell.lang import ast as A
from tshell.lang import check_source, is_incomplete, parse
from tshell.lang.errors import TshSyntaxError


def first(src):
    """The first statement of a program."""
    return parse(src).body[0]


def expr(src):
    """The expression of a one-line expression statement."""
    return first(src).value


# --------------------------------------------------------------------- statements
STATEMENTS = [
    ("x", A.ExprStmt),
    ("a = 1", A.Assign),
    ("a = b = 1", A.Assign),
    ("n, m = x.shape", A.Assign),
    ("x[0, :] = 1", A.Assign),
    ("x[mask] = 0", A.Assign),
    ("x.requires_grad = True", A.Assign),
    ("x += 1", A.AugAssign),
    ("x @= y", A.AugAssign),
    ("x //= 2", A.AugAssign),
    ("x **= 2", A.AugAssign),
    ("if a:\n    b\nelif c:\n    d\nelse:\n    e\n", A.If),
    ("while a:\n    break\n", A.While),
    ("for a in b:\n    continue\n", A.For),
    ("for a, b in c:\n    pass\n", A.For),
    ("def f(a, b=1):\n    return a\n", A.FunctionDef),
    ("with torch.no_grad():\n    pass\n", A.With),
    ("with torch.no_grad() as g:\n    pass\n", A.With),
    ("import torch", A.Import),
    ("import torch as t", A.Import),
    ("import numpy as np", A.Import),
    ("from torch import zeros, ones", A.ImportFrom),
    ("from __future__ import print_function", A.ImportFrom),
    ("del x", A.Delete),
    ("del x[0], y", A.Delete),
    ("assert x, 'message'", A.Assert),
    ("pass", A.Pass),
]


@pytest.mark.parametrize("src,cls", STATEMENTS)
def test_statement_forms(src, cls):
    assert isinstance(first(src), cls)


def test_semicolons_comments_blank_lines_and_joining():
    module = parse("a = 1; b = 2;  # two\n\n   \n# only a comment\nc = (1 +\n     2)\n")
    assert [type(s) for s in module.body] == [A.Assign, A.Assign, A.Assign]


def test_chained_assignment_and_unpacking_targets():
    s = first("a = b = 1")
    assert [t.id for t in s.targets] == ["a", "b"]
    s = first("n, m = x.shape")
    assert isinstance(s.targets[0], A.TupleExpr) and s.targets[0].elts[1].id == "m"


def test_elif_chain_nests_in_orelse():
    s = first("if a:\n    b\nelif c:\n    d\nelse:\n    e\n")
    assert isinstance(s.orelse[0], A.If) and s.orelse[0].orelse[0].value.id == "e"


def test_def_params_and_defaults():
    s = first("def f(a, b=1):\n    return a + b\n")
    assert [p.name for p in s.params] == ["a", "b"] and s.params[1].default.value == 1


# --------------------------------------------------------------------- expressions
def test_precedence_ladder():
    e = expr("a or b and not c == d | e ^ f & g << h + i * -j ** k")
    assert isinstance(e, A.BoolOp) and e.op == "or"
    right = e.values[1]
    assert right.op == "and" and right.values[1].op == "not"
    cmp = right.values[1].operand
    assert isinstance(cmp, A.Compare) and cmp.ops == ("==",)
    bits = cmp.comparators[0]
    assert bits.op == "|" and bits.right.op == "^" and bits.right.right.op == "&"
    shift = bits.right.right.right
    assert shift.op == "<<" and shift.right.op == "+" and shift.right.right.op == "*"
    neg = shift.right.right.right
    assert neg.op == "-" and neg.operand.op == "**"


def test_power_is_right_associative_and_binds_tighter_than_unary_minus():
    e = expr("2 ** 3 ** 2")
    assert e.right.op == "**"
    e = expr("-2 ** 2")
    assert isinstance(e, A.UnaryOp) and e.operand.op == "**"
    e = expr("2 ** -1")
    assert e.right.value == -1


def test_left_associativity():
    e = expr("a - b - c")
    assert e.left.op == "-" and e.right.id == "c"


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "==", "!=", "is", "is not", "in",
                                "not in"])
def test_comparison_operators(op):
    assert expr(f"a {op} b").ops == (op,)


def test_comparison_chain():
    e = expr("a < b <= c")
    assert e.ops == ("<", "<=") and len(e.comparators) == 2


def test_conditional_expression():
    e = expr("a if c else b")
    assert isinstance(e, A.IfExp) and e.test.id == "c"


def test_calls_attributes_subscripts():
    e = expr("x.view(-1, 8)")
    assert isinstance(e, A.Call) and e.func.attr == "view"
    assert [a.value for a in e.args] == [-1, 8]
    e = expr("torch.zeros(5, 3, dtype=torch.long)")
    assert e.keywords[0].name == "dtype"
    e = expr("x[:, 1]")
    assert isinstance(e.index, A.TupleExpr) and isinstance(e.index.elts[0], A.Slice)
    e = expr("x[..., None]")
    assert e.index.elts[0].value is ... and e.index.elts[1].value is None
    e = expr("x[1:-1:2]")
    assert (e.index.lower.value, e.index.upper.value, e.index.step.value) == (1, -1, 2)
    e = expr("x[[0, 2]]")
    assert isinstance(e.index, A.ListExpr)


@pytest.mark.parametrize("src,value", [
    ("0x1f", 31), ("1_000", 1000), ("1.", 1.0), (".5", 0.5), ("1e-3", 0.001), ("0", 0),
    ("0o17", 15), ("0b101", 5), ("True", True), ("False", False), ("None", None),
    ("'a\\tb'", "a\tb"), ('"q\\"q"', 'q"q'), ("'ab' 'cd'", "abcd"), ("r'a\\n'", "a\\n"),
    ("'''x\ny'''", "x\ny"),
])
def test_literals(src, value):
    assert expr(src).value == value


def test_collections_and_comprehensions():
    assert isinstance(expr("[1, 2, 3]"), A.ListExpr)
    assert isinstance(expr("(1, 2)"), A.TupleExpr) and expr("()").elts == ()
    assert len(expr("(1,)").elts) == 1
    d = expr('{"w": w, "b": b}')
    assert [k.value for k in d.keys] == ["w", "b"]
    c = expr("[f(v) for v in xs if c]")
    assert isinstance(c, A.ListComp) and len(c.generators[0].ifs) == 1
    c = expr("sum(x * x for x in xs)")
    assert isinstance(c.args[0], A.GeneratorExp)


def test_fstring_parts_and_spec():
    e = expr('f"loss {loss.item():.4f} at {i!r} {n=}"')
    texts = [p for p in e.parts if isinstance(p, str)]
    fields = [p for p in e.parts if isinstance(p, A.FormattedValue)]
    assert texts[0] == "loss " and fields[0].spec.parts == (".4f",)
    assert fields[1].conversion == "r" and "n=" in texts[-1]
    assert fields[0].value.span.col == 9          # spans point into the file, not the field


def test_an_fstring_nested_in_a_field_has_the_files_spans():
    inner = expr("f'{f\"{ zz }\"}'").parts[0].value.parts[0].value
    assert inner == A.Name(A.Span(1, 8, 1, 10), "zz")


def test_spans_are_one_based_with_exclusive_end():
    e = first("z = x + y").value
    assert (e.span.line, e.span.col, e.span.end_col) == (1, 5, 10)


def test_ast_nodes_are_immutable():
    e = expr("x")
    with pytest.raises(AttributeError):
        e.id = "y"


# --------------------------------------------------------------------- syntax errors
# (source, line, col, message, hint)
SYNTAX_ERRORS = [
    # the seed tutorial's typos
    ("x=torch.rand（5,3)\n", 1, 13, "invalid character '（' (U+FF08)", "did you mean '('?"),
    ("print(x[:,1]\nx = 2\n", 1, 6, "'(' was never closed", None),
    ("a = torch.randn(2, 2) a = ((a * 3) / (a - 1))\n", 1, 23,
     "unexpected name 'a' after a complete statement",
     "put a line break or ';' between two statements"),
    # look-alikes
    ("x = 1，2\n", 1, 6, "invalid character '，' (U+FF0C)", "did you mean ','?"),
    ("if x：\n  pass\n", 1, 5, "invalid character '：' (U+FF1A)", "did you mean ':'?"),
    ("x = “a”\n", 1, 5, "invalid character '“' (U+201C)", "did you mean '\"'?"),
    ("x = 1；y = 2\n", 1, 6, "invalid character '；' (U+FF1B)", "did you mean ';'?"),
    ("x ＝ 1\n", 1, 3, "invalid character '＝' (U+FF1D)", "did you mean '='?"),
    ("x = 【1】\n", 1, 5, "invalid character '【' (U+3010)", "did you mean '['?"),
    ("x = ５\n", 1, 5, "invalid character '５' (U+FF15)", "did you mean '5'?"),
    ('y = f"val {a b}"\n', 1, 14, "unexpected name 'b' after a complete statement",
     "put a line break or ';' between two statements"),
    # what tsh leaves out
    ("async def f(): pass\n", 1, 1, "'async' is not supported in tsh", None),
    ("x = {'a': 1, 2}\n", 1, 15, "unexpected '}'; expected ':'", None),
    # what Python refuses in the larger language
    ("def f(*, a, *b): pass\n", 1, 13, "* argument may appear only once", None),
    ("def f(a, /, /): pass\n", 1, 13, "/ may appear only once", None),
    ("def f(*a, /): pass\n", 1, 11, "/ must be ahead of *", None),
    ("def f(*): pass\n", 1, 7, "named arguments must follow bare *", None),
    ("def f(**k, a): pass\n", 1, 12, "arguments cannot follow var-keyword argument", None),
    ("lambda a, a: 0\n", 1, 11, "duplicate argument 'a' in lambda", None),
    ("a, *b, *c = x\n", 1, 8, "multiple starred expressions in assignment", None),
    ("f(**k, *a)\n", 1, 8, "iterable argument unpacking follows keyword argument unpacking",
     None),
    ("f(**k, a)\n", 1, 8, "positional argument follows keyword argument unpacking", None),
    ("try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n", 3, 1,
     "default 'except:' must be last", None),
    ("(a, b): int = 1\n", 1, 1, "only single target (not tuple) can be annotated", None),
    ("try:\n    x = 1\ny = 2\n", 3, 1, "expected 'except' or 'finally' block", None),
    ("class A:\n    def f(self):\n        return 1 +\n", 3, 19, "expected an expression", None),
    ("class A:\n    def __getattr__(self, n):\n        pass\n", 2, 9,
     "defining '__getattr__' in a class is not supported in tsh", None),
    # layout
    ("if x\n    y = 1\n", 1, 5, "expected ':'", None),
    ("for i in range(3)\n    pass\n", 1, 18, "expected ':'", None),
    ("if x:\ny = 1\n", 2, 1, "expected an indented block after 'if' statement on line 1", None),
    ("  x = 1\n", 1, 3, "unexpected indent", None),
    ("x = 1\n    y = 2\n", 2, 5, "unexpected indent", None),
    ("if x:\n        a = 1\n    b = 2\n", 3, 1,
     "unindent does not match any outer indentation level", None),
    # brackets and strings
    ("x = (1, 2]\n", 1, 10,
     "closing parenthesis ']' does not match opening parenthesis '('", None),
    ("x = 1)\n", 1, 6, "unmatched ')'", None),
    ('x = "abc\n', 1, 5, "unterminated string literal (detected at line 1)", None),
    # arguments, targets, operators
    ("f(a=1, 2)\n", 1, 8, "positional argument follows keyword argument", None),
    ("f(a=1, a=2)\n", 1, 8, "keyword argument repeated: a", None),
    ("def f(a=1, b): pass\n", 1, 12,
     "parameter without a default follows parameter with a default", None),
    ("def f(a, a): pass\n", 1, 10, "duplicate argument 'a' in function definition", None),
    ("1 = x\n", 1, 1, "cannot assign to literal", None),
    ("f() = 3\n", 1, 1, "cannot assign to function call", "did you mean '=='?"),
    ("if x = 1: pass\n", 1, 6, "unexpected '='", "did you mean '=='?"),
    ("x = 1 +\n", 1, 8, "expected an expression", None),
    ("y = x == not z\n", 1, 10, "invalid syntax", None),     # `not` is looser than ==
    ("y = -not z\n", 1, 6, "invalid syntax", None),
    ('print "hi"\n', 1, 7, "unexpected string \"hi\" after a complete statement",
     "print is a function in tsh: print(...)"),
    ("x = $\n", 1, 5, "invalid character '$'", None),
    ("x = 0777\n", 1, 5, "leading zeros in decimal integer literals are not permitted; "
     "use an 0o prefix for octal integers", None),
    ('x = f"{a"\n', 1, 8, "f-string: expecting '}'", None),
    # inside f-string fields, errors point where CPython 3.11 points
    ('x = f"{1 +}"\n', 1, 11, "expected an expression", None),
    ('x = f"{f(a=1, a=2)}"\n', 1, 15, "keyword argument repeated: a", None),
    ('yy = f"{f\'{f(a=1, a=2)}\'}"\n', 1, 19, "keyword argument repeated: a", None),
    ('x = 1\nyy = f"""\n  {f(a=1, a=2)}"""\n', 3, 11, "keyword argument repeated: a", None),
]


@pytest.mark.parametrize("src,line,col,message,hint", SYNTAX_ERRORS)
def test_syntax_errors(src, line, col, message, hint):
    with pytest.raises(TshSyntaxError) as info:
        check_source(src, "t.tsh")
    e = info.value
    assert (e.line, e.col, e.message, e.hint) == (line, col, message, hint)


def test_syntax_error_format_points_at_the_character():
    with pytest.raises(TshSyntaxError) as info:
        check_source("x=torch.rand（5,3)\n", "seed.tsh")
    assert info.value.format() == (
        "error: seed.tsh:1:13: SyntaxError: invalid character '（' (U+FF08)\n"
        "    1 | x=torch.rand（5,3)\n"
        "      |             ^^\n"
        "  hint: did you mean '('?")


def test_compile_time_syntax_errors():
    from tshell.lang import Interpreter
    for src, message in [("break\n", "'break' outside loop"),
                         ("return 5\n", "'return' outside function"),
                         ("from __future__ import braces\n",
                          "future feature braces is not defined")]:
        with pytest.raises(TshSyntaxError) as info:
            Interpreter().run_source(src, "t.tsh")
        assert info.value.message == message


# --------------------------------------------------------------------- incomplete input
@pytest.mark.parametrize("src,incomplete", [
    ("print(x[:,1]", True), ("x = [1, 2", True), ("if x:", True), ("def f():\n", True),
    ("x = (\n", True), ('x = """abc\n', True), ("for i in range(3):\n    x = i\n", False),
    ("x = 1", False), ("x = 1)", False), ("a b", False), ('x = "abc', False),
])
def test_is_incomplete(src, incomplete):
    assert is_incomplete(src) is incomplete


def test_is_incomplete_interactive_waits_for_blank_line():
    assert is_incomplete("for i in range(3):\n    x = i\n", interactive=True)
    assert not is_incomplete("for i in range(3):\n    x = i\n\n", interactive=True)
    assert not is_incomplete("x = 1\n", interactive=True)


def test_nasty_inputs_are_syntax_errors_not_crashes():
    for src in ["(" * 10000, "[" * 300 + "]" * 300, "\x00\x01\xff", "x = 1 +* 2", "'''",
                "-" * 5000 + "1", "f(" + "1," * 3000 + ")", "\t\tx"]:
        try:
            check_source(src, "t.tsh")
        except TshSyntaxError:
            pass


# --------------------------------------------------------------------- fuzzing
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = ["x", "1", "1.5", "'s'", 'f"{x}"', "(", ")", "[", "]", "{", "}", ",", ":", ";", "=",
          "+", "-", "*", "**", "/", "@", "==", "<", "not", "in", "is", "and", "or", "if",
          "else", "elif", "for", "while", "def", "return", "with", "as", "import", "from",
          "del", "assert", "pass", "break", "lambda", "class", ".", "...", "\n", "\n    ",
          " ", "#c", "\t", "（", "\\", '"', "'''", "\x00"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_token_soup_never_crashes(pieces):
    try:
        check_source(" ".join(pieces) if len(pieces) % 2 else "".join(pieces), "t.tsh")
    except TshSyntaxError as e:
        assert e.format().startswith("error: t.tsh:")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=60))
def test_random_text_never_crashes(text):
    try:
        check_source(text, "t.tsh")
    except TshSyntaxError as e:
        e.format()


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_token_soup_compiles_or_reports(pieces):
    from tshell.lang import Interpreter
    try:
        Interpreter.compile(_SOUP_INTERP, " ".join(pieces), "t.tsh")
    except TshSyntaxError:
        pass


class _Soup:
    """Just enough of an Interpreter for compile()."""
    namespace, builtins, modules, state = {}, {}, {}, None

    def echo(self, value):
        pass


_SOUP_INTERP = _Soup()
