"""Out-of-scope torch names (tshell/lang/unsupported.py) say that tshell does not support
them and why, still as an AttributeError, wherever a program reaches them."""
from __future__ import annotations

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, sandbox, unsupported


def run(source: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(source, "<test>", echo=True)
    return out.getvalue()


def error_of(source: str) -> TshRuntimeError:
    with pytest.raises(TshRuntimeError) as e:
        run(source)
    return e.value


@pytest.mark.parametrize("source, name, family", [
    ("torch.fx", "torch.fx", "compilers and graph capture"),
    ("torch.set_autocast_xla_enabled", "torch.set_autocast_xla_enabled", "IPU and XLA autocast"),
    ("torch.ones(2).to_sparse()", "torch.Tensor.to_sparse", "sparse tensors"),
    ("import torch.nn.functional as F\nF.scaled_mm", "torch.nn.functional.scaled_mm",
     "kernel libraries' entry points"),
    ("torch.Tensor.q_scale", "torch.Tensor.q_scale", "quantized tensors"),
    ("from torch.utils import data\ndata.IterDataPipe", "torch.utils.data.IterDataPipe",
     "DataPipes"),
    ("torch.jit.script", "torch.jit", "compilers and graph capture"),
])
def test_an_out_of_scope_name_says_it_is_not_supported(source, name, family):
    e = error_of(source)
    assert e.type_name == "AttributeError"
    reason = unsupported.FAMILIES[family][0]
    assert e.message == f"{name} is not supported in tshell ({family}): {reason}"
    assert e.suggestion == ""          # no "Did you mean": the name is known, and left out


def test_it_is_still_an_attribute_error_to_python_code():
    assert run("print(hasattr(torch, 'jit'), getattr(torch.nn, 'DataParallel', None))\n"
               "try:\n    torch.ones(1).coalesce\nexcept AttributeError as e:\n"
               "    print(str(e).startswith('torch.Tensor.coalesce is not supported'))\n") \
        == "False None\nTrue\n"


def test_other_absent_names_keep_the_ordinary_message():
    assert error_of("torch.zeross").message == "module 'torch' has no attribute 'zeross'"
    assert error_of("torch.ones(2).nothing").message == \
        "'Tensor' object has no attribute 'nothing'"
    assert error_of("np.compile").message.endswith("has no attribute 'compile'")


def test_every_out_of_scope_name_under_a_reachable_namespace_says_so():
    interp = Interpreter()
    tensor = interp.builtins["torch"]._members["ones"](2)
    reached = 0
    for name in unsupported.names():
        *parents, last = name.split(".")
        if parents == ["torch", "Tensor"]:
            owner = tensor
        else:
            owner = interp.builtins["torch"]
            try:
                for part in parents[1:]:
                    owner = sandbox.get_attribute(owner, part)
            except AttributeError:
                continue               # torch.optim: not there yet, nor its names
        with pytest.raises(AttributeError, match=f"^{name} is not supported in tshell"):
            sandbox.get_attribute(owner, last)
        reached += 1
    assert reached > 350
