"""The sandbox and the error format (docs/security.md) against the language's newer
constructs and the values a program's callbacks hand back to the library: what the second
red-team round found, each a regression test, and the attacks that held, kept so that they
keep holding."""

import os
import subprocess
import sys

import pytest

from tshell.lang import TshRuntimeError

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
