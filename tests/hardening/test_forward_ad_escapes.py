"""The sandbox (docs/security.md) against forward-mode AD: dual tensors, UnpackedDualTensor,
dual_level, a custom Function's jvp and its ctx, torch.func.jvp/jacfwd/hessian and the
functorch stand-in give a program no way out, and what a program's jvp returns is checked as
PyTorch checks it before it becomes a tangent that the core computes with."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError

SETUP = ("import torch.autograd.forward_ad as fwAD\nimport functorch\n"
         "level = fwAD.dual_level()\n")


def run(src: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(SETUP + src + "\n", "<fwad>")
    return out.getvalue()


def in_level(src: str) -> str:
    """src inside `with fwAD.dual_level():`, d a dual tensor and u its unpacked pair."""
    body = "d = fwAD.make_dual(torch.ones(2), torch.ones(2))\nu = fwAD.unpack_dual(d)\n" + src
    return "with fwAD.dual_level():\n" + "".join(f"    {line}\n" for line in body.splitlines())


ESCAPES = [
    "fwAD.__dict__", "fwAD._Level", "fwAD.dual_level.__enter__", "level.__exit__",
    "type(fwAD.dual_level).__mro__", "fwAD.UnpackedDualTensor.__new__",
    "fwAD.make_dual.__globals__", "fwAD.dual_level()(abs).__wrapped__",
    "functorch.__dict__", "functorch.jacfwd.__globals__", "functorch.jvp.__closure__",
    "torch.func.jacfwd(abs).__wrapped__", "torch.func.hessian(abs).__code__",
    "getattr(fwAD, '_Level')", "'{0._Level}'.format(fwAD)",
    in_level("d._fw"), in_level("u.__class__.__mro__"), in_level("u.primal._fw"),
    in_level("'{0._fw}'.format(d)"), in_level("getattr(d, '_fw')"),
    in_level("u._fields"), in_level("type(u).__subclasses__()"),
]


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_are_refused(src):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "ValueError",
                                    "SyntaxError"), info.value.format()


def _jvp_returning(value: str, then: str = "") -> str:
    return ("class C:\n    def __mul__(self, o):\n        print('ran C.__mul__')\n"
            "        return self\n    def __rmul__(self, o):\n        print('ran C.__rmul__')\n"
            "        return self\n"
            "class F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
            "        return x * 2\n    @staticmethod\n    def jvp(ctx, t):\n"
            f"        return {value}\n"
            "with fwAD.dual_level():\n"
            "    y = F.apply(fwAD.make_dual(torch.ones(2), torch.ones(2)))\n"
            f"    {then or 'print(fwAD.unpack_dual(y).tangent)'}\n")


@pytest.mark.parametrize("value, message", [
    # a program's object: the next op's jvp formula ran its __mul__ inside the core
    ("C()", "expected Variable or None (got C) for grad output 0."),
    ("abs", "expected Variable or None (got builtin_function_or_method) for grad output 0."),
    ("'abc'", "expected Variable or None (got str) for grad output 0."),
    ("torch.ones(1).expand(10**6, 10**6)", "Trying to set a forward gradient that has a "
     "different size than that of the original Tensor, this is not supported. Tensor is of "
     "size [2] while the given forward gradient is of size [1000000, 1000000]."),
    ("(t, t)", "Function's jvp returned an invalid number of forward gradients (expected 1 "
     "but got 2)"),
])
def test_what_a_jvp_returns_is_checked_as_pytorch_checks_it(value, message):
    """PyTorch 2.13's messages (python_function.cpp, autograd_meta.cpp)."""
    with pytest.raises(TshRuntimeError) as info:
        run(_jvp_returning(value, "z = y * 3"))
    assert info.value.type_name == "RuntimeError" and info.value.message == message, \
        info.value.format()
    assert "ran C." not in info.value.format()


def test_a_jvp_returning_a_tangent_or_none_still_works():
    assert run(_jvp_returning("t * 2")) == "tensor([2., 2.])\n"
    assert run(_jvp_returning("None")) == "None\n"


@pytest.mark.parametrize("src", [
    in_level("x = fwAD.make_dual(torch.ones(1).expand(10**5), torch.ones(1).expand(10**5))\n"
             "y = x.unsqueeze(1) * x.unsqueeze(0)"),
    in_level("x = fwAD.make_dual(torch.ones(1, 1).expand(10**4, 10**4), "
             "torch.ones(1, 1).expand(10**4, 10**4))\ny = x.sin()"),
    "torch.func.jacfwd(lambda x: x)(torch.ones(10**5))",
    "torch.func.hessian(lambda x: x.sum())(torch.ones(10**5))",
    "functorch.jvp(lambda x: x.unsqueeze(1) * x, (torch.ones(10**5),), (torch.ones(10**5),))",
])
def test_tangents_of_huge_results_are_refused(src, small_cap):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert info.value.type_name == "RuntimeError" and "memory limit" in info.value.message, \
        info.value.format()
