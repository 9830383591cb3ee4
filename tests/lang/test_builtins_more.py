"""Python built-ins added to tsh (divmod chr ord hex bin oct pow map filter hash iter next
callable): each snippet runs under CPython (the interpreter running this test, whichever
version) and under tsh, and both must print the same text and fail with the same error class
and message. Then what differs on purpose: the sandbox (no attributes on map/filter/iterator
objects) and the size guards (pow(10, 10**9) is refused at once, as 10 ** 10**9 is)."""

import io

import pytest

from differential import ADDRESS, cpython, tsh
from tshell.lang import Interpreter, TshRuntimeError, sandbox


PROGRAMS = [
    # divmod, chr, ord, hex, bin, oct
    "print(divmod(7, 2), divmod(-7, 2), divmod(7.5, 2), divmod(-7.5, -2), divmod(2**70, 3))",
    "print(divmod(True, 2), divmod(0, 5), divmod(1e300, 1e-300))",
    "print(chr(65), chr(0x1F600), chr(0), repr(chr(10)), ord('a'), ord('\\u20ac'), "
    "ord(chr(1000)))",
    "print(hex(255), hex(-1), hex(0), bin(5), bin(-5), oct(8), oct(-8), hex(2**100), bin(True))",
    "print(list(map(chr, range(65, 70))), list(map(ord, 'abc')), [hex(i) for i in range(3)])",
    # pow
    "print(pow(2, 10), pow(2, -1), pow(3, 4, 5), pow(2, 3, None), pow(-2, 3), pow(2.5, 2))",
    "print(pow(base=2, exp=5), pow(2, exp=5), pow(10, -1, 7), pow(2, 10**100, 7), pow(4, 0.5))",
    "print(pow(-8, 1/3), pow(0, 0), pow(True, 2), pow(7, 2, -5), pow(2, 3, mod=5))",
    # map / filter
    "m = map(abs, [-1, 2, -3])\nprint(type(m), list(m), list(m))",
    "print(map(abs, []), filter(None, []), type(filter(None, [])))",
    "def sq(v):\n    return v * v\nprint(list(map(sq, range(4))), [v for v in map(sq, [1, 2])])",
    "def sq(v):\n    return v * v\nprint(sorted(map(sq, [3, -1, 2])), sum(map(sq, [1, 2])))",
    "def add(a, b):\n    return a + b\nprint(list(map(add, [1, 2, 3], [10, 20])))",
    "print(list(map(pow, [2, 3], [3, 2])), list(map(divmod, [7, 8], [2, 3])))",
    "print(list(filter(None, [0, 1, '', 'a', None, [], [0]])), list(filter(bool, (0, 2))))",
    "def odd(v):\n    return v % 2\nprint(list(filter(odd, range(10))), tuple(filter(odd, [2])))",
    "for a in map(str, (1, 2)):\n    print(a)\nfor b in filter(None, [0, 5]):\n    print(b)",
    "print(list(zip(map(abs, [-1, -2]), filter(None, [0, 3, 4]))), dict(map(divmod, [5], [2])))",
    "m = map(abs, [-1, -2, -3])\nprint(next(m), list(m))",
    "print(isinstance(map(abs, []), map), isinstance(filter(None, []), filter), "
    "isinstance([], map), type(map(abs, [])) is map)",
    "print(max(map(abs, [-5, 2])), min(filter(None, [0, 3, 2])), any(map(abs, [0])), "
    "all(map(abs, [])), len(list(map(abs, range(1000)))))",
    "print(list(enumerate(map(abs, [-1, -2]))), list(reversed(list(map(abs, [-1, -2])))))",
    # hash
    "print(hash(1) == hash(1.0) == hash(True), hash('a') == hash('a'), hash(-1), hash(2**70))",
    "print(hash((1, 'a', (2.5, None))) == hash((1, 'a', (2.5, None))), hash(0.5), hash(()))",
    "print(hash(None) == hash(None), hash(float('inf')), hash(-0.0), hash(range(3)) == "
    "hash(range(3)))",
    # iter / next
    "it = iter([1, 2])\nprint(next(it), next(it), next(it, 'done'), next(it, None))",
    "d = {'a': 1, 'b': 2}\nprint(list(iter(d)), next(iter(d)), next(iter('xy')), "
    "list(iter((3,))))",
    "it = iter(range(3))\nprint(iter(it) is it, list(it))",
    "n = [0]\ndef count():\n    n[0] += 1\n    return n[0]\nprint(list(iter(count, 4)))",
    "n = [0]\ndef count():\n    n[0] += 1\n    return n[0]\nit = iter(count, 2)\n"
    "print(next(it), next(it, 'end'), next(it, 'still'))",
    "print(type(iter([])), type(iter(range(2))), iter([]), type(iter(len, 1)))",
    "for c in iter('ab'):\n    print(c)",
    # callable
    "def f():\n    pass\nprint(callable(print), callable(f), callable(1), callable(list), "
    "callable(map), callable('s'), callable(callable), callable(map(abs, [])))",
    # how they print
    "print(map, filter, pow, iter, next, hash, chr, ord, divmod, callable, hex, bin, oct)",
    "print(type(map), type(pow), type(hash), type(next), type(iter), type(divmod))",
    # errors: CPython's classes and messages
    "ord('ab')", "ord('')", "ord(5)", "ord()", "ord('a', 'b')",
    "chr(-1)", "chr(0x110000)", "chr('a')", "chr(1.5)", "chr()",
    "divmod(1, 0)", "divmod(1.0, 0.0)", "divmod('a', 1)", "divmod(1)", "divmod([], [])",
    "hex(1.5)", "bin('a')", "oct([])", "hex()", "bin(1, 2)",
    "pow()", "pow(1)", "pow(1, 2, 3, 4)", "pow(2.0, 2, 3)", "pow(2, 3, 0)",
    "pow(1, 2, foo=3)", "pow(1, base=2)", "pow('a', 2)", "pow(0, -1)", "pow(2, -1, 4)",
    "pow(2, 'a')", "pow([], 2, 3)",
    "map()", "map(abs)", "map(abs, 5)", "list(map(abs, ['a']))", "map(abs, [1], key=1)",
    "filter(None)", "filter(None, 5)", "filter(1, 2, 3)", "list(filter(5, [1]))",
    "hash([])", "hash({})", "hash((1, []))", "hash()", "hash(1, 2)", "hash(x=1)",
    "iter()", "iter(5)", "iter(1, 2)", "iter(1, 2, 3)", "iter([], x=1)", "iter(None)",
    # sum of an iterator: CPython 3.12+ compensates float rounding over the whole sum
    "print(sum(iter([0.1] * 10**6)), sum(iter([x * 0.37 for x in range(10**5)]), 0.1))",
    "next(5)", "next()", "next(iter([]), 1, 2)", "next([1])",
    "callable()", "callable(1, 2)", "callable(x=1)",
    "x = iter([1])\nnext(x)\nnext(x)",
    "def f(v):\n    return 1 / v\nprint(list(map(f, [1, 2])))\nlist(map(f, [1, 0]))",
    "def f(v):\n    return 1 / v\nnext(filter(f, [0]))",
    "def stop(v):\n    if v == 2:\n        next(iter([]))\n    return v\n"
    "print(list(map(stop, [1, 2, 3])))",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


# ---------------------------------------------------------------------- errors: tsh's format
@pytest.mark.parametrize("src,line,col,end_col", [
    ("x = 1\ns = ord('ab')", 2, 5, 14),
    ("c = chr(-1)", 1, 5, 12),
    ("y = next(iter([]))", 1, 5, 19),
    ("h = hash([1])", 1, 5, 14),
    ("r = [1,\n  2]\nq = divmod(r, 2)", 3, 5, 17),
])
def test_errors_point_at_the_call(src, line, col, end_col):
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source(src + "\n", "t.tsh")
    e = info.value
    assert (e.line, e.col, e.end_col) == (line, col, end_col)
    assert "Traceback" not in e.format() and "internal" not in e.format().lower()


def test_error_inside_a_mapped_tsh_function_has_the_call_chain():
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source(
            "def f(v):\n    return 1 / v\nlist(map(f, [1, 0]))\n", "t.tsh")
    e = info.value
    assert (e.type_name, e.line, e.col) == ("ZeroDivisionError", 2, 12)
    assert e.format().endswith("  in f() called from t.tsh:3:1")


def test_stop_iteration_is_the_programs_error():
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source("next(iter([]))\n", "t.tsh")
    assert info.value.format().startswith("error: t.tsh:1:1: StopIteration\n")


# ---------------------------------------------------------------------- the sandbox
ESCAPES = [
    "map(abs, [1]).__class__.__mro__", "map(abs, [1]).__reduce__()", "filter(None, [1]).__reduce__",
    "map(abs, [1]).__next__", "map.__call__", "map.mro", "type(map(abs, [1])).__init__",
    "iter([1]).__reduce__", "iter([1]).__setstate__", "iter(len, 1)._fn", "iter(len, 1).__next__",
    "type(iter(len, 1)).__init__", "iter(ones(2))._t", "iter(ones(2)).__next__",
    "pow.__wrapped__", "pow.__call__", "next.__wrapped__", "iter.__globals__", "hex.__wrapped__",
    "hash.__self__", "callable.__self__", "divmod.__module__.__class__.__base__", "chr.__text_signa"
                                                                                  "ture__",
    "m = map(abs, [1])\nm.x = 1", "map(abs, [1]).gi_frame", "iter(len, 1).gi_code",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_fail_cleanly(src):
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source(src + "\n", "t.tsh")
    assert info.value.type_name == "AttributeError", info.value.format()


def test_objects_the_new_builtins_make_expose_nothing():
    import tshell.core as torch
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source("def f(v):\n    return v\n"
                      "objs = [map(f, [1]), filter(None, [1]), iter([1]), iter(len, 1), "
                      "iter(ones(2)), iter({'a': 1}), iter('s'), iter(range(2)), "
                      "iter(ones(2, requires_grad=True)), map, filter, pow, iter, next, hash, "
                      "callable, divmod, chr, ord, hex, bin, oct]\n", "t.tsh")
    for obj in interp.namespace["objs"]:
        assert sandbox.allowed_attributes(obj) == [], obj
    assert sandbox.allowed_attributes(torch.ones(1, requires_grad=True).register_hook(print)) \
        == ["remove"]


def test_type_of_the_new_objects_cannot_build_anything_dangerous():
    out = io.StringIO()
    Interpreter(stdout=out).run_source(
        "print(type(iter(len, 1)), type(iter(ones(2))), type(map), type(pow))\n"
        "print(type(map(abs, [-1]))(abs, [-2]))\n", "t.tsh")
    assert ADDRESS.sub("", out.getvalue()) == (
        "<class 'callable_iterator'> <class 'tuple_iterator'> <class 'type'> "
        "<class 'builtin_function_or_method'>\n<map object>\n")


# ---------------------------------------------------------------------- size guards
@pytest.mark.parametrize("src", ["pow(10, 10**9)", "pow(2, 10**12)", "pow(-3, 2**40)",
                                 "pow(base=7, exp=10**10)", "list(map(abs, range(10**12)))",
                                 "list(filter(None, range(1, 10**12)))"])
def test_huge_results_are_refused_at_once(small_cap, src):
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source(src + "\n", "t.tsh")
    assert info.value.type_name == "MemoryError"


def test_modular_pow_of_huge_exponents_is_allowed():
    out = io.StringIO()
    Interpreter(stdout=out).run_source("print(pow(3, 10**100, 1000003), pow(2, 3, None))\n",
                                       "t.tsh")
    assert out.getvalue() == f"{pow(3, 10**100, 1000003)} 8\n"


def test_bin_of_an_integer_beyond_the_cap(monkeypatch):
    from tshell.lang import guards
    monkeypatch.setattr(guards, "cap", lambda: 1000)       # bytes one value may take
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source("x = 2 ** 5000\nbin(x)\n", "t.tsh")
    assert info.value.type_name == "MemoryError" and info.value.line == 2
    Interpreter(stdout=out).run_source("print(len(hex(2 ** 3000)))\n", "t.tsh")
    assert out.getvalue() == "753\n"
