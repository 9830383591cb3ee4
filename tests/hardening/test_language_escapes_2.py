"""The sandbox and the error format (docs/security.md) against the language's newer
constructs and the values a program's callbacks hand back to the library: what the second
red-team round found, each a regression test, and the attacks that held, kept so that they
keep holding."""

import os
import subprocess
import sys

import pytest

from tshell.lang import TshRuntimeError, TshSyntaxError

from tests.hardening.test_memory import ROOT
from tests.hardening.test_sandbox_breach import run  # the REPL's echo, a cap if given

CUSTOM_FN = ("class F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, k):\n"
             "        return x * 2\n    @staticmethod\n    def backward(ctx, g):\n"
             "        return {}\n")
LINEAR = "m = torch.nn.Linear(2, 2)\n"
BACKWARD = "m(torch.ones(2, requires_grad=True)).sum().backward()"

# A callback's result that is not what the library takes there went on into the core and
# failed inside it ("'str' object has no attribute '_data'"): an InternalError, "a bug in
# tshell", and inside `try` an AttributeError `except TypeError` did not catch. Each is the
# program's mistake, with PyTorch's class and message.
CALLBACK_RESULTS = [
    (CUSTOM_FN.format("g, None") + "F.apply(torch.ones(2, requires_grad=True), "
     "torch.ones(2)).sum().backward()", None),
    (CUSTOM_FN.format("'s', None") + "F.apply(torch.ones(2, requires_grad=True), "
     "torch.ones(2)).sum().backward()", "RuntimeError: expected Variable or None (got str)"),
    (CUSTOM_FN.format("(3, None)") + "F.apply(torch.ones(2, requires_grad=True), "
     "torch.ones(2)).sum().backward()", "RuntimeError: expected Variable or None (got int)"),
    (CUSTOM_FN.format("g, g") + "F.apply(torch.ones(2, requires_grad=True), 2).sum()"
     ".backward()", "RuntimeError: function FBackward returned a gradient different than "
     "None at position 2, but the corresponding forward input was not a Variable"),
    (LINEAR + "m.register_full_backward_hook(lambda m, gi, go: 's')\n" + BACKWARD,
     "TypeError: expected Variable, but hook returned 'str'"),
    (LINEAR + "m.register_full_backward_hook(lambda m, gi, go: (print,))\n" + BACKWARD,
     "TypeError: expected Variable, but hook returned 'builtin_function_or_method'"),
    (LINEAR + "m.register_full_backward_pre_hook(lambda m, go: ('s',))\n" + BACKWARD,
     "TypeError: expected Variable, but hook returned 'str'"),
    (LINEAR + "m.register_forward_pre_hook(lambda m, i: 's')\nm(torch.ones(2))",
     "TypeError: argument must be Tensor, not str"),
    (LINEAR + "m.register_forward_pre_hook(lambda m, a, k: (('s',), {}), with_kwargs=True)\n"
     "m(torch.ones(2))", "TypeError: argument must be Tensor, not str"),
    ("class A:\n    pass\n" + LINEAR + "m.register_forward_pre_hook(lambda m, i: A())\n"
     "m(torch.ones(2))", "TypeError: argument must be Tensor, not A"),
    (LINEAR + "m.register_forward_pre_hook(lambda m, i: print)\nm(torch.ones(2))",
     "TypeError: argument must be Tensor, not builtin_function_or_method"),
]


@pytest.mark.parametrize("src,message", CALLBACK_RESULTS)
def test_a_callbacks_wrong_result_is_the_programs_error(src, message):
    if message is None:                       # the well-formed case runs
        run(src)
        return
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    e = info.value
    assert f"{e.type_name}: {e.message}" == message, e.format()


def test_a_caught_argument_error_is_the_type_error_pytorch_raises():
    out = run(LINEAR + "h = m.register_forward_pre_hook(lambda m, i: 's')\n"
              "try:\n    m(torch.ones(2))\nexcept TypeError as e:\n    print('caught', e)\n"
              "try:\n    torch.numel(3)\nexcept TypeError as e:\n    print('caught', e)\n"
              ).stdout.getvalue()
    assert out == ("caught argument must be Tensor, not str\n"
                   "caught numel(): argument must be Tensor, not int\n"), out


# What a program raises itself is its error, shown as Python shows it: `raise Exception(...)`,
# a class of its own, StopIteration or AttributeError were "InternalError: ... a bug in
# tshell", and a BaseException that is no Exception (GeneratorExit, BaseException, also
# thrown into a generator or raised by __exit__) left as a Python traceback. An exception's
# __str__ is program code that runs while the error is reported: when it fails, the message
# is CPython's `<exception str() failed>` (it was a traceback of tshell's error reporting).
STR_FAILS = "class E(Exception):\n    def __str__(self):\n        {}\n"
PROGRAM_RAISES = [
    ("raise Exception('x')", "Exception: x"),
    ("raise StopIteration", "StopIteration: "),
    ("raise UserWarning('w')", "UserWarning: w"),
    ("raise AttributeError('a')", "AttributeError: a"),
    ("class E(Exception):\n    pass\nraise E('m')", "E: m"),
    ("def f():\n    raise Exception(1)\n[f() for i in range(2)]", "Exception: 1"),
    ("raise GeneratorExit", "GeneratorExit: "),
    ("raise BaseException('x')", "BaseException: x"),
    ("def g():\n    yield 1\nx = g()\nnext(x)\nx.throw(GeneratorExit)", "GeneratorExit: "),
    ("class C:\n    def __enter__(self):\n        return self\n    def __exit__(self, *a):\n"
     "        raise GeneratorExit\nwith C():\n    pass", "GeneratorExit: "),
    (STR_FAILS.format("raise E()") + "raise E()", "E: <exception str() failed>"),
    (STR_FAILS.format("return 5") + "raise E()", "E: <exception str() failed>"),
    (STR_FAILS.format("raise GeneratorExit") + "raise E()", "E: <exception str() failed>"),
    (STR_FAILS.format("return 'ok'") + "raise E()", "E: ok"),
    ("class R:\n    def __repr__(self):\n        raise ValueError('boom')\n"
     "    def __hash__(self):\n        return 1\n{}[R()]", "KeyError: <exception str() failed>"),
]


@pytest.mark.parametrize("src,message", PROGRAM_RAISES)
def test_what_a_program_raises_is_its_error(src, message):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    e = info.value
    assert f"{e.type_name}: {e.message}" == message, e.format()


@pytest.mark.parametrize("src", ["raise GeneratorExit", "raise BaseException('x')",
                                 STR_FAILS.format("raise E()") + "raise E()"])
def test_tshell_reports_a_programs_base_exception_without_a_traceback(src):
    p = subprocess.run([sys.executable, "-m", "tshell", "-c", src], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=ROOT, NO_COLOR="1"),
                       timeout=60)
    assert p.returncode == 1 and p.stderr.startswith("error: <string>:") and \
        "Traceback" not in p.stderr and "InternalError" not in p.stderr, p.stderr


# What this round tried through the language's constructs and held: each is the program's
# error (never an InternalError), as the comment says.
HELD = [
    # class bodies: no hook of Python's class machinery may be defined
    ("class A:\n    def __init_subclass__(cls):\n        pass", "SyntaxError"),
    ("class D:\n    def __set_name__(self, owner, name):\n        pass", "SyntaxError"),
    ("class A:\n    def __class_getitem__(cls, k):\n        return 1", "SyntaxError"),
    ("class A:\n    def __getattr__(self, n):\n        return 1", "SyntaxError"),
    ("class D:\n    def __get__(self, obj, t):\n        return 1", "SyntaxError"),
    ("class A:\n    __slots__ = ('a',)", "SyntaxError"),
    ("class T:\n    @classmethod\n    def __torch_function__(cls, f, t, a=(), k=None):\n"
     "        return f", "SyntaxError"),
    ("A = type('A', (object,), {'x': 1})", "TypeError"),
    ("print(super(int, 1))", "TypeError"),
    # protocol methods returning hostile values: Python's own checks
    ("class I:\n    def __index__(self):\n        return 'x'\n[1][I()]", "TypeError"),
    ("class L:\n    def __len__(self):\n        return 10**30\nlen(L())", "OverflowError"),
    ("class H:\n    def __hash__(self):\n        return 'a'\n{H(): 1}", "TypeError"),
    ("class B:\n    def __bool__(self):\n        return 2\nif B():\n    pass", "TypeError"),
    ("class F:\n    def __format__(self, spec):\n        return 5\nf'{F()}'", "TypeError"),
    ("class It:\n    def __iter__(self):\n        return 5\nfor i in It():\n    pass",
     "TypeError"),
    ("class E:\n    def __eq__(self, o):\n        return torch.ones(10**10)\n[E()].index(1)",
     "RuntimeError"),
    # what exceptions, generators, closures and functions carry
    ("try:\n    1/0\nexcept Exception as e:\n    e.__traceback__", "AttributeError"),
    ("try:\n    raise ValueError('x') from KeyError()\nexcept ValueError as v:\n    v.__cause__",
     "AttributeError"),
    ("try:\n    1/0\nexcept ZeroDivisionError as e:\n    e.args = (print,)", "AttributeError"),
    ("def g():\n    return print\n    yield\nx = g()\ntry:\n    next(x)\n"
     "except StopIteration as e:\n    e.value", "AttributeError"),
    ("class C:\n    def __enter__(self):\n        return self\n    def __exit__(self, a, b, c):\n"
     "        c.tb_frame\nwith C():\n    1/0", "AttributeError"),
    ("def g():\n    yield 1\ng().gi_frame", "AttributeError"),
    ("def f():\n    a = 1\n    return lambda: a\nf().__closure__", "AttributeError"),
    ("f = lambda x=print: x\nf.__defaults__", "AttributeError"),
    ("def g():\n    yield next(x)\nx = g()\nnext(x)", "ValueError"),
    ("def h():\n    yield from h()\nlist(h())", "RecursionError"),
    # strings, formats and the reflective built-ins
    ("'{0.__class__}'.format(1)", "ValueError"),
    ("'{a}'.format_map({'a': 1})", "AttributeError"),
    ("class M:\n    def keys(self):\n        return [1]\n    def __getitem__(self, k):\n"
     "        return 1\ndef f(**kw):\n    return kw\nf(**M())", "TypeError"),
    ("getattr([], '__len__')", "AttributeError"),
    ("class A:\n    pass\nsetattr(A(), '__class__', int)", "AttributeError"),
    ("vars()", "TypeError"),
    ("x = torch.ones(1, requires_grad=True)\ngetattr((x * 2).grad_fn, '__class__')()",
     "TypeError"),
    ("import math\nmath.__dict__", "AttributeError"),
    ("import copy\ncopy.copy(torch)", "TypeError"),
    ("import functools\n@functools.lru_cache\ndef f(x):\n    return x\nf.__wrapped__",
     "AttributeError"),
    ("class A:\n    x = 1\nA.mro", "AttributeError"),
]


@pytest.mark.parametrize("src,kind", HELD)
def test_attacks_through_the_language_that_held(src, kind):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    e = info.value
    assert e.type_name == kind, e.format()
