"""Compile + run tests: (source, expected output) tables, echo, errors in tsh's error format."""

import io
import re

import pytest

from differential import cpython, tsh
from tshell.lang import InternalError, Interpreter, TshRuntimeError, TshSyntaxError


def run(src, echo=False, argv=()):
    """Run src in a fresh interpreter; return what it printed."""
    out = io.StringIO()
    Interpreter(argv=argv, stdout=out).run_source(src, "t.tsh", echo=echo)
    return out.getvalue()


def error_of(src, filename="t.tsh"):
    out = io.StringIO()
    with pytest.raises((TshRuntimeError, InternalError)) as info:
        Interpreter(stdout=out).run_source(src, filename)
    return info.value


PROGRAMS = [
    ("print(1 + 2 * 3, 2 ** 3 ** 2, -2 ** 2, 7 // 2, -7 % 3, 7 / 2)", "7 512 -4 3 2 3.5\n"),
    ("n = None\nprint(1 < 2 < 3, 3 > 2 > 2, 1 == 1.0 != 2, n is None, n is not None)",
     "True False True True False\n"),
    ("print(2 in [1, 2], 3 not in [1, 2], not 0, 0 or 'x', 1 and 0)", "True True True x 0\n"),
    ("print(6 & 3, 6 | 3, 6 ^ 3, ~6, 1 << 4, 64 >> 2, +5)", "2 7 5 -7 16 16 5\n"),
    ("print(0x1f, 1_000, 1., .5, 1e-3, 0o17, 0b11)", "31 1000 1.0 0.5 0.001 15 3\n"),
    ("print('a\\tb', \"q'q\", 'x' 'y', r'\\n', '''m\nl''')", "a\tb q'q xy \\n m\nl\n"),
    ("x = 3.14159\nprint(f'pi {x:.2f} {x!r} {x=} {{lit}} {\"s\":>3}')",
     "pi 3.14 3.14159 x=3.14159 {lit}   s\n"),
    ("w = 6\nprint(f'{3.5:{w}.1f}|')", "   3.5|\n"),
    ("a = b = 5\nprint(a, b)", "5 5\n"),
    ("a, b = 1, 2\na, b = b, a\nprint(a, b)", "2 1\n"),
    ("(a, b), c = (1, 2), 3\nprint(a, b, c)", "1 2 3\n"),
    ("a = [1, 2]\nb = a\na += [3]\nprint(b)", "[1, 2, 3]\n"),          # += is in place
    ("x = 5\nx -= 1\nx *= 3\nx /= 2\nx //= 2\nx **= 2\nx %= 7\nprint(x)", "2.0\n"),
    ("d = {'w': 1}\nd['w'] += 4\nd['b'] = 2\nprint(d, d['w'], list(d.keys()))",
     "{'w': 5, 'b': 2} 5 ['w', 'b']\n"),
    ("x = [0, 0, 0]\nx[1] = 7\nx[-1] += 1\nprint(x, x[1:], x[::2], x[-2:])",
     "[0, 7, 1] [7, 1] [0, 1] [7, 1]\n"),
    ("if 0:\n    print('a')\nelif 1:\n    print('b')\nelse:\n    print('c')", "b\n"),
    ("i = 0\nwhile True:\n    i += 1\n    if i > 4: break\n    if i % 2: continue\n"
     "    print(i)", "2\n4\n"),
    ("for a, b in [(1, 2), (3, 4)]:\n    print(a + b)", "3\n7\n"),
    ("for i, v in enumerate('ab'):\n    print(i, v)", "0 a\n1 b\n"),
    ("for a, b in zip([1, 2], [3, 4]): print(a * b)", "3\n8\n"),
    ("def f(a, b=10):\n    return a + b\nprint(f(1), f(1, 2), f(b=3, a=4))", "11 3 7\n"),
    ("def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n"
     "print(fact(20))", "2432902008176640000\n"),
    ("def outer(x):\n    y = x * 2\n    def inner(z):\n        return x + y + z\n"
     "    return inner(1)\nprint(outer(10))", "31\n"),
    ("def f():\n    pass\nprint(f())", "None\n"),
    ("def f(x):\n    for i in range(10):\n        if i == x:\n            return i * 100\n"
     "print(f(3))", "300\n"),
    ("n = 1\ndef g():\n    return n + 1\nn = 5\nprint(g())", "6\n"),          # late binding
    ("print([i * i for i in range(6) if i % 2 == 0])", "[0, 4, 16]\n"),
    ("def f(xs):\n    k = 2\n    return [x * k for x in xs]\nprint(f([1, 2]))", "[2, 4]\n"),
    ("def outer():\n    def inner(n):\n        return inner(n - 1) + n if n else 0\n"
     "    return inner(4)\nprint(outer())", "10\n"),
    ("x = 10\ndef f():\n    x = 1\n    return x\nprint(f(), x)", "1 10\n"),
    ("print([(a, b) for a in range(2) for b in 'xy'])",
     "[(0, 'x'), (0, 'y'), (1, 'x'), (1, 'y')]\n"),
    ("v = 'keep'\nxs = [v for v in range(3)]\nprint(v, xs)", "keep [0, 1, 2]\n"),
    ("print(sum(x * x for x in range(4)))", "14\n"),
    ("print(1 if True else 2, 1 if False else 2)", "1 2\n"),
    ("print(len([1, 2]), abs(-3), min(3, 1), max([4, 9]), round(2.567, 1))",
     "2 3 1 9 2.6\n"),
    ("print(int('7') + 1, float(2), bool(0), str(5) + 'x', list((1,)), tuple([2]))",
     "8 2.0 False 5x [1] (2,)\n"),
    ("print(sorted([3, 1, 2]), type(1), isinstance(1, int))",
     "[1, 2, 3] <class 'int'> True\n"),
    ("print('a', 'b', sep='-', end='!\\n')", "a-b!\n"),
    ("xs = []\nxs.append(1)\nxs.extend([2, 3])\nxs.insert(0, 0)\nprint(xs.pop(), xs, "
     "xs.index(1), xs.count(2))", "3 [0, 1, 2] 1 1\n"),
    ("d = {'a': 1, 'b': 2}\nprint(d.popitem(), d.popitem(), d)", "('b', 2) ('a', 1) {}\n"),
    ("print('ab'.isascii(), 'é'.isascii(), 'a1'.isidentifier(), '\\n'.isprintable(), "
     "(7).bit_count(), (6).as_integer_ratio(), 0.75.as_integer_ratio(), 1.5.hex())",
     "True False True False 3 (6, 1) (3, 4) 0x1.8000000000000p+0\n"),
    ("print(' a,b '.strip().split(','), '-'.join(['x', 'y']), 'ab'.upper())",
     "['a', 'b'] x-y AB\n"),
    ("print('{} and {:.1f}'.format(1, 2.25))", "1 and 2.2\n"),
    ("x = 1\ndel x\nprint('ok')", "ok\n"),
    ("xs = [1, 2, 3]\ndel xs[0]\nprint(xs)", "[2, 3]\n"),
    ("assert 1 == 1, 'never'\nprint('fine')", "fine\n"),
    ("from __future__ import print_function\nprint('future')", "future\n"),
    ("print(argv)", "['a', 'b']\n"),
    ("import numpy as np\na = np.ones(3)\nprint(a.sum(), a.shape, np.add(a, 1))",
     "3.0 (3,) [2. 2. 2.]\n"),
    ("a = 1; b = 2; print(a + b)", "3\n"),
    ("x = (1 +\n     2)\nprint(x)", "3\n"),
    ("max = 3\nprint(max)", "3\n"),                                    # user names shadow
    ("_x = 1\nprint(_x)", "1\n"),
    # Targets bind from left to right: a later target sees the names bound before it.
    ("x = [0, 1, 2]\ni = 0\ni, x[i] = 1, 9\nprint(i, x)", "1 [0, 9, 2]\n"),
    ("x = [0, 0]\na = 1\na = x[a] = 0\nprint(a, x)", "0 [0, 0]\n"),
    ("d = {}\na = 'k'\na = d[a] = 'v'\nprint(a, d)", "v {'v': 'v'}\n"),
    ("x, x[0] = [1, 2], 5\nprint(x)", "[5, 2]\n"),
    # type() of a list or tuple is the `list` / `tuple` a program sees.
    ("x = [1]\nt = type(x)\nprint(t is list, type(()) is tuple, t('ab'), t)",
     "True True ['a', 'b'] <class 'list'>\n"),
    # An f-string field is parsed as if in parentheses: spaces and line breaks around it.
    ("x = 1\nprint(f'{ x }|{ {\"a\": 2}[\"a\"] }|{ x = }|{ x :>3}')", "1|2| x = 1|  1\n"),
    ("x = 1\nprint(f'''{\n  x +\n 1\n}''')", "2\n"),
]


@pytest.mark.parametrize("src,expected", PROGRAMS)
def test_programs(src, expected):
    assert run(src, argv=["a", "b"]) == expected


def test_echo_top_level_expressions_only():
    src = "1 + 2\nNone\nx = 5\nx\ndef f():\n    7\n    return 8\nf()\nfor i in range(2):\n    i\n"
    assert run(src, echo=True) == "3\n5\n8\n0\n1\n"
    assert run(src, echo=False) == ""


def test_echo_callback_and_underscore():
    seen = []
    interp = Interpreter(echo=seen.append, stdout=io.StringIO())
    interp.run_source("'text'\n", "<stdin>", echo=True)
    interp.run_source("_ * 2\n", "<stdin>", echo=True)
    assert seen == ["text", "texttext"]


def test_namespace_persists_between_sources():
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source("def sq(v):\n    return v * v\nn = 3\n", "<stdin>")
    interp.run_source("print(sq(n))\n", "<stdin>")
    assert out.getvalue() == "9\n" and "sq" in interp.user_names()


def test_failing_statement_leaves_variables_unchanged():
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source("x = 1\ny = 2\n", "t.tsh")
    with pytest.raises(TshRuntimeError):
        interp.run_source("x = 1 / 0\n", "t.tsh")
    with pytest.raises(TshRuntimeError):
        interp.run_source("x, y = [5, 6, 7]\n", "t.tsh")
    assert interp.namespace["x"] == 1 and interp.namespace["y"] == 2


def test_failing_statement_leaves_variables_unchanged_when_bound_in_order():
    # `i, x[i] = ...` binds i before x[i] (Python's order); a failure puts i back.
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source("x = [0, 1, 2]\ni = 0\n", "t.tsh")
    for src in ("i, x[i + 5] = 1, 9\n", "i = x[i + 5] = 1\n", "i, j, x[j + 9] = 1, 2, 3\n"):
        with pytest.raises(TshRuntimeError):
            interp.run_source(src, "t.tsh")
    assert interp.namespace["i"] == 0 and "j" not in interp.namespace
    assert interp.namespace["x"] == [0, 1, 2]


def test_output_before_an_error_is_kept():
    out = io.StringIO()
    with pytest.raises(TshRuntimeError):
        Interpreter(stdout=out).run_source("print('first')\nundefined\n", "t.tsh")
    assert out.getvalue() == "first\n"


# --------------------------------------------------------------------- runtime error format
def test_error_format_with_caret_and_call_chain():
    src = ("def step(x, y):\n"
           "    z = x + y\n"
           "    return z\n"
           "\n"
           "def train():\n"
           "    return step(1, 'a')\n"
           "\n"
           "train()\n")
    e = error_of(src, "train.tsh")
    assert e.format() == (
        "error: train.tsh:2:9: TypeError: unsupported operand type(s) for +: 'int' and 'str'\n"
        "    2 |     z = x + y\n"
        "      |         ^^^^^\n"
        "  in step() called from train.tsh:6:12\n"
        "  in train() called from train.tsh:8:1")
    assert (e.type_name, e.line, e.col, e.end_col) == ("TypeError", 2, 9, 14)


@pytest.mark.parametrize("src", ["assert 1 == 2", "assert 0, ''"])
def test_error_with_an_empty_message_shows_the_class_alone(src):
    # Python's traceback ends with `AssertionError`, not `AssertionError: `
    assert error_of(src).format().split("\n")[0] == "error: t.tsh:1:8: AssertionError"


# In the table below: the message is the one CPython, running this test, gives for the same
# program (tsh's messages follow the running CPython's, and some change between versions).
AS_CPYTHON = None


@pytest.mark.parametrize("src", [
    "'x'.replace('x', 'y', count=1)",          # an error up to 3.12, a keyword from 3.13 on
    "'x'.replace(old='x', new='y')",
])
def test_str_replace_takes_the_arguments_the_running_cpython_takes(src):
    assert tsh(src) == cpython(src)


@pytest.mark.parametrize("src,type_name,message,line,col,end_col", [
    ("print(nope)", "NameError", "name 'nope' is not defined", 1, 7, 11),
    ("x = [1, 2][5]", "IndexError", "list index out of range", 1, 5, 14),
    ("d = {}\nd['w']", "KeyError", "'w'", 2, 1, 7),
    ("y = 1 / 0", "ZeroDivisionError", "division by zero", 1, 5, 10),
    ("import subprocess", "ImportError", "No module named 'subprocess'", 1, 8, 18),
    ("from torch import nothing_here", "ImportError",
     "cannot import name 'nothing_here' from 'torch'", 1, 19, 31),
    ("for i in 5: pass", "TypeError", "'int' object is not iterable", 1, 10, 11),
    # an error of the iteration itself points at the iterable, as in CPython
    ("d = {'a': 1}\nfor k in d:\n    d['b'] = 2", "RuntimeError",
     "dictionary changed size during iteration", 2, 10, 11),
    ("d = {'a': 1}\nx = [d.update(b=2) for k in d]", "RuntimeError",
     "dictionary changed size during iteration", 2, 29, 30),
    ("a, b = [1]", "ValueError", "not enough values to unpack (expected 2, got 1)", 1, 1, 5),
    # CPython takes at most one item too many: no list of 10**12 items first
    ("a, b = range(10**12)", "ValueError", "too many values to unpack (expected 2)", 1, 1, 5),
    ("[a, b] = range(1, 2)", "ValueError", "not enough values to unpack (expected 2, got 1)",
     1, 1, 7),
    ("def f():\n    return 1\na, b = f", "TypeError",
     "cannot unpack non-iterable function object", 3, 1, 5),
    ("a, b = None", "TypeError", "cannot unpack non-iterable NoneType object", 1, 1, 5),
    ("assert 1 == 2, 'nope'", "AssertionError", "nope", 1, 8, 22),
    ("f = 3\nf()", "TypeError", "'int' object is not callable", 2, 1, 4),
    ("def f(a):\n    return a\nf(1, 2)", "TypeError",
     "f() takes 1 positional argument but 2 were given", 3, 1, 8),
    ("def f(a):\n    return a\nf()", "TypeError",
     "f() missing 1 required positional argument: 'a'", 3, 1, 4),
    ("def f(a):\n    return a\nf(b=1)", "TypeError",
     "f() got an unexpected keyword argument 'b'", 3, 1, 7),
    # Python's wording when some parameters have defaults, and its order of checks.
    ("def f(a, b=1):\n    return a\nf(1, 2, 3)", "TypeError",
     "f() takes from 1 to 2 positional arguments but 3 were given", 3, 1, 11),
    ("def f(a=1):\n    return a\nf(1, 2, b=3)", "TypeError",
     "f() got an unexpected keyword argument 'b'", 3, 1, 13),
    ("def f(a, b, c):\n    return a\nf()", "TypeError",
     "f() missing 3 required positional arguments: 'a', 'b', and 'c'", 3, 1, 4),
    ("def f(a, b, c):\n    return a\nf(b=1)", "TypeError",
     "f() missing 2 required positional arguments: 'a' and 'c'", 3, 1, 7),
    # (CPython 3.11 reworded these)
    ("def f():\n    return v\n    v = 1\nf()", "UnboundLocalError", AS_CPYTHON, 2, 12, 13),
    ("def f():\n    def g():\n        return v\n    g()\n    v = 1\nf()", "NameError",
     AS_CPYTHON, 3, 16, 17),
    ("def f():\n    r = list(v for _ in [1])\n    v = 1\nf()", "NameError", AS_CPYTHON, 2, 14, 15),
    # Python's messages name a def's type 'function'; `x @= y` is reported as '@='.
    ("def f():\n    return 1\nfor v in f: pass", "TypeError",
     "'function' object is not iterable", 3, 10, 11),
    ("def f():\n    return 1\ny = f + 1", "TypeError",
     "unsupported operand type(s) for +: 'function' and 'int'", 3, 5, 10),
    ("y = list + 1", "TypeError", "unsupported operand type(s) for +: 'type' and 'int'",
     1, 5, 13),
    ("x = [1]\nx @= 2", "TypeError",
     "unsupported operand type(s) for @=: 'list' and 'int'", 2, 1, 7),
    ("print(1, foo=2)", "TypeError", "'foo' is an invalid keyword argument for print()",
     1, 1, 16),
    ("list.append", "AttributeError", "type object 'list' has no attribute 'append'", 1, 1, 12),
    ("sorted()", "TypeError", "sorted expected 1 argument, got 0", 1, 1, 9),
    ("sorted([2, 1], cmp=None)", "TypeError",
     "'cmp' is an invalid keyword argument for sort()", 1, 1, 25),
    ("list('ab', 1)", "TypeError", "list expected at most 1 argument, got 2", 1, 1, 14),
    ("tuple(x=1)", "TypeError", "tuple() takes no keyword arguments", 1, 1, 11),
    ("x = 1\nx.foo", "AttributeError", "'int' object has no attribute 'foo'", 2, 1, 6),
    ("d = {}\nd.popitem()", "KeyError", "'popitem(): dictionary is empty'", 2, 1, 12),
    # the size-checked str methods and type() keep CPython's messages for other mistakes
    ("'x'.center()", "TypeError", "center expected at least 1 argument, got 0", 1, 1, 13),
    ("'x'.ljust(3, fillchar='-')", "TypeError", "str.ljust() takes no keyword arguments",
     1, 1, 27),
    ("'x'.zfill()", "TypeError", "str.zfill() takes exactly one argument (0 given)", 1, 1, 12),
    ("'x'.replace('a')", "TypeError", AS_CPYTHON, 1, 1, 17),     # (3.13 reworded it)
    ("'x'.replace('x', 'yy', 'z')", "TypeError",
     "'str' object cannot be interpreted as an integer", 1, 1, 28),
    ("type()", "TypeError", "type() takes 1 or 3 arguments", 1, 1, 7),
    ("type(1, 2)", "TypeError", "type() takes 1 or 3 arguments", 1, 1, 11),
    ("type(1, 2, 3)", "TypeError",
     "type() with 3 arguments (making a class) is not supported in tsh", 1, 1, 14),
    # the stand-ins type() gives for classes and functions cannot make new ones (no
    # 'ClassName' in the message)
    ("def f():\n    pass\ntype(f)()", "TypeError", "cannot create 'function' instances",
     3, 1, 10),
    ("help(1, 2)", "TypeError", "help() takes from 0 to 1 positional arguments but 2 were given",
     1, 1, 11),
])
def test_runtime_errors(src, type_name, message, line, col, end_col):
    e = error_of(src)
    if message is AS_CPYTHON:
        message = cpython(src)[1].removeprefix(f"{type_name}: ")
    assert (e.type_name, e.message, e.line, e.col, e.end_col) == (
        type_name, message, line, col, end_col)


def test_infinite_recursion_is_a_recursion_error_with_the_chain():
    e = error_of("def r(n):\n    return r(n + 1)\nr(0)\n")
    text = e.format()
    assert e.type_name == "RecursionError"
    assert "maximum recursion depth exceeded" in text
    assert "  in r() called from t.tsh:2:12\n  [previous line repeated" in text
    assert text.endswith("  in r() called from t.tsh:3:1")


def test_internal_errors_are_reported_as_internal():
    out = io.StringIO()
    interp = Interpreter(stdout=out)

    def broken():
        return None.shape        # an AttributeError inside tshell's own code

    interp.builtins["broken"] = broken
    with pytest.raises(InternalError) as info:
        interp.run_source("x = broken()\n", "t.tsh")
    text = info.value.format()
    assert text.startswith("error: t.tsh:1:5: InternalError: AttributeError:")
    assert "rerun with --debug for the traceback" in text
    assert "Traceback" in info.value.format(debug=True)


def test_keyboard_interrupt_passes_through():
    interp = Interpreter(stdout=io.StringIO())

    def interrupt():
        raise KeyboardInterrupt

    interp.builtins["interrupt"] = interrupt
    with pytest.raises(KeyboardInterrupt):
        interp.run_source("for i in range(3):\n    interrupt()\n", "t.tsh")
    interp.run_source("x = 1\n", "t.tsh")      # the session keeps working


def test_syntax_error_from_run_source_has_file_and_source():
    with pytest.raises(TshSyntaxError) as info:
        Interpreter().run_source("x = (\n", "t.tsh")
    assert info.value.format().startswith("error: t.tsh:1:5: SyntaxError: '(' was never closed")


# --------------------------------------------------------------------- compile once
def test_loop_body_is_compiled_once(monkeypatch):
    # Every node is compiled through the handler tables: count the calls through them.
    from tshell.lang import compiler
    calls = []
    for table in (compiler.STATEMENTS, compiler.EXPRESSIONS):
        for node_type, handler in list(table.items()):
            def counted(c, node, handler=handler):
                calls.append(type(node).__name__)
                return handler(c, node)
            monkeypatch.setitem(table, node_type, counted)
    interp = Interpreter(stdout=io.StringIO())
    code = interp.compile("total = 0\nfor i in range(1000):\n    total = total + i * 2\n")
    compiled = len(calls)
    interp.run_compiled(code)
    assert compiled >= 8                   # the statements and every expression inside them
    assert len(calls) == compiled          # running the loop compiled nothing more
    assert interp.namespace["total"] == 999000


def test_every_node_type_has_a_compiler():
    from tshell.lang.compiler import check_complete
    assert check_complete() == []


def test_deep_but_finite_recursion_works():
    src = ("def r(n):\n    if n == 0:\n        return 0\n    return 1 + r(n - 1)\n"
           "print(r(990))")
    assert run(src) == "990\n"


def test_recursion_limit_is_cpythons():
    """CPython 3.11 allows 1000 frames: the module's, one per call, one per comprehension."""
    src = "def r(n):\n    if n:\n        return r(n - 1)\nprint(r(%d))"
    assert run(src % 998) == "None\n"
    assert error_of(src % 999).message == "maximum recursion depth exceeded"
    src = "def r(n):\n    return [r(n - 1) for _ in [0]] if n else 0\nx = r(%d)\nprint(len(x))"
    assert run(src % 499) == "1\n"
    e = error_of(src % 500)
    assert (e.type_name, e.message, e.line) == ("RecursionError",
                                                "maximum recursion depth exceeded", 2)


def test_builtins_written_in_python_print_as_cpythons():
    src = ("print(print, sorted, len)\nprint(type(print), type(sorted), type(len))\n"
           "print(type, type(type))\nhelp\nx = sorted + 1")
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    with pytest.raises(TshRuntimeError) as info:
        interp.run_source(src, "t.tsh", echo=True)
    assert out.getvalue() == (
        "<built-in function print> <built-in function sorted> <built-in function len>\n"
        "<class 'builtin_function_or_method'> <class 'builtin_function_or_method'> "
        "<class 'builtin_function_or_method'>\n<class 'type'> <class 'type'>\n"
        "Type help() for interactive help, or help(object) for help about object.\n")
    assert info.value.message == ("unsupported operand type(s) for +: "
                                  "'builtin_function_or_method' and 'int'")


def test_type_and_help_of_tsh_functions():
    src = "def f(a, b=2):\n    return a\nprint(type(f), f)\nhelp(f)\nhelp(len)"
    out = run(src)
    # CPython's repr: <function f at 0x7f...> (the address varies)
    assert re.fullmatch(r"<class 'function'> <function f at 0x[0-9a-f]+>\n", out.split("\n")[0]
                        + "\n"), out
    assert out.split("\n", 1)[1] == ("f(a, b)  (defined in tsh)\n"
                                     "len(obj, /)\n"
                                     "    Return the number of items in a container.\n")


def test_isinstance_with_the_type_of_a_function_or_class():
    src = ("def f():\n    pass\nprint(isinstance(f, type(f)), isinstance(1, type(f)), "
           "isinstance(list, type(list)), isinstance(1, type(int)))")
    assert run(src) == "True False True False\n"


def test_nested_functions_have_cpythons_qualified_names():
    src = ("def outer():\n    def inner(a):\n        return a\n    print(inner)\n    inner()\n"
           "outer()")
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source(src, "t.tsh")
    assert re.fullmatch(r"<function outer\.<locals>\.inner at 0x[0-9a-f]+>\n", out.getvalue())
    assert info.value.message == ("outer.<locals>.inner() missing 1 required positional "
                                  "argument: 'a'")
    assert info.value.chain[0][0] == "outer"     # call-chain lines keep the short name


def test_tsh_functions_are_callable_from_python():
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source("def key(v):\n    return -v\nprint(sorted([1, 3, 2], key=key))\n", "t")
    assert out.getvalue() == "[3, 2, 1]\n"
    assert interp.namespace["key"](5) == -5


@pytest.mark.parametrize("src,expected", PROGRAMS)
def test_programs_print_what_python_prints(src, expected):
    """The same programs under CPython give the same text (tsh is a subset of Python)."""
    import contextlib
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(src, "t.py", "exec"), {"argv": ["a", "b"]})
    assert out.getvalue() == expected


def test_byte_order_mark_is_ignored():
    assert run("\ufeffprint(1)\n") == "1\n"


def test_broken_pipe_passes_through_for_the_front_end():
    class Closed(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        Interpreter(stdout=Closed()).run_source("print(1)\n", "t.tsh")


def test_error_while_echoing_points_at_the_statement():
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source("print('a')\n2 ** 100000\n", "t.tsh", echo=True)
    assert (info.value.type_name, info.value.line, info.value.col) == ("ValueError", 2, 1)


@pytest.mark.parametrize("src,expected", [
    # Calls with keyword arguments run through closures written once per call shape.
    ("def f(a, b=0, c=0):\n    return a * 100 + b * 10 + c\n"
     "print(f(1, c=3), f(a=1, b=2), f(1, 2, c=3), f(c=1, b=2, a=3))", "103 120 123 321\n"),
    ("print(dict(match=1, case=2, type=3))", "{'match': 1, 'case': 2, 'type': 3}\n"),
    ("print(sorted([3, 1, 2], key=None, reverse=True))", "[3, 2, 1]\n"),
    ("def neg(v):\n    return -v\nprint(max(1, 9, 3, 7, 5, 2, 8, 4, key=neg))", "1\n"),  # generic
])
def test_keyword_calls(src, expected):
    if expected is None:
        with pytest.raises(TshSyntaxError):
            run(src)
        return
    assert run(src) == expected


def test_keyword_call_errors_keep_position_and_chain():
    e = error_of("def f(a, b):\n    return a / b\nx = 1\nf(x, b=0)\n")
    assert (e.type_name, e.line, e.col) == ("ZeroDivisionError", 2, 12)
    assert e.format().endswith("  in f() called from t.tsh:4:1")
    e = error_of("ones(2, 2, requires_gradd=True)\n")
    assert (e.type_name, e.line, e.col, e.end_col) == ("TypeError", 1, 1, 32)
