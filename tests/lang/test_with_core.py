"""The language running on tshell.core: the seed tutorial, in-place updates, tensor sandbox."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError

SEED = '''
from __future__ import print_function
import torch
x = torch.zeros(5, 3, dtype=torch.long)
x = torch.tensor([2.5, 3.5])
print(x)
x = x.new_ones(5, 3, dtype=torch.double)
y = torch.randn_like(x, dtype=torch.float)
print(x.size())
result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(x[:, 1])
x = torch.randn(4, 4)
y = x.view(16)
z = x.view(-1, 8)
print(x.size(), y.size(), z.size())
a = torch.ones(5)
b = a.numpy()
a.add_(1)
print(a)
print(b)
import numpy as np
a = np.ones(5)
b = torch.from_numpy(a)
np.add(a, 1, out=a)
print(b)
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
print(y)
print(x.grad_fn)
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
print(x.eq(x.detach()).all())
'''

SEED_OUTPUT = '''tensor([2.5000, 3.5000])
torch.Size([5, 3])
tensor([1., 1., 1., 1., 1.], dtype=torch.float64)
torch.Size([4, 4]) torch.Size([16]) torch.Size([2, 8])
tensor([2., 2., 2., 2., 2.])
[2. 2. 2. 2. 2.]
tensor([2., 2., 2., 2., 2.], dtype=torch.float64)
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
None
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
False
tensor(True)
'''


def run(src, echo=False):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh", echo=echo)
    return out.getvalue()


def test_seed_tutorial_runs():
    assert run(SEED) == SEED_OUTPUT


def test_seed_typos_are_syntax_errors():
    for typo in ["x=torch.rand（5,3)\n", "print(x[:,1]\nx = 1\n",
                 "a = torch.randn(2, 2) a = ((a * 3) / (a - 1))\n"]:
        with pytest.raises(TshSyntaxError):
            run(typo)


def test_bare_torch_names_and_python_builtins():
    assert run("x = ones(2)\nprint(x.sum(), float(x.sum()), type(x))") == \
        "tensor(2.) 2.0 <class 'torch.Tensor'>\n"


def test_module_versions_are_readable_and_nothing_else_of_the_kind():
    import numpy
    import tshell.core
    assert run("import torch, numpy as np\nprint(torch.__version__, torch.version.__version__,"
               " np.__version__, torch.__version__ >= '2.0')") == \
        f"{tshell.core.__version__} {tshell.core.__version__} {numpy.__version__} True\n"
    for src in ("import math\nmath.__version__", "torch.nn.__version__",
                "x = ones(2)\nx.__version__", "class A:\n    pass\nA.__version__"):
        with pytest.raises(TshRuntimeError, match="not accessible in tsh"):
            run(src)


def test_nn_parameter_module():
    src = ("from torch.nn.parameter import Parameter, UninitializedParameter\n"
           "import torch.nn as nn\np = Parameter(torch.ones(1))\n"
           "print(nn.parameter.Parameter is nn.Parameter, isinstance(p, UninitializedParameter),"
           " nn.parameter.is_lazy(nn.LazyLinear(2).weight))")
    assert run(src) == "True False True\n"


def test_augmented_assignment_is_in_place_but_matmul_rebinds():
    assert run("x = ones(2)\ny = x\nx += 1\nprint(y)") == "tensor([2., 2.])\n"
    assert run("x = eye(2)\ny = x\nx @= eye(2)\nprint(x is y)") == "False\n"


def test_subscript_and_attribute_assignment():
    src = ("x = zeros(2, 3)\nx[0, :] = 1\nx[x > 0] = 5\nx.requires_grad = True\n"
           "n, m = x.shape\nprint(n, m, x.sum().item(), x.requires_grad)")
    assert run(src) == "2 3 15.0 True\n"


def test_return_types_unpack_and_have_fields():
    assert run("v, i = tensor([1, 3, 2]).max(0)\nm = tensor([1, 3, 2]).max(0)\n"
               "print(v, i, m.values)") == "tensor(3) tensor(1) tensor(3)\n"


def test_echo_of_tensor_uses_repr():
    assert run("ones(2)\n", echo=True) == "tensor([1., 1.])\n"


def test_core_error_points_at_the_expression_and_call_chain():
    src = "def step(a, b):\n    z = a + b\n    return z\nstep(ones(2, 3), ones(2, 4))\n"
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    text = info.value.format()
    assert text.startswith("error: t.tsh:2:9: RuntimeError: The size of tensor a (3) must "
                           "match the size of tensor b (4) at non-singleton dimension 1")
    assert text.endswith("      |         ^^^^^\n  in step() called from t.tsh:4:1")


@pytest.mark.parametrize("src", [
    "ones(2).__class__.__mro__", "ones(2).__dict__", "ones(2).numpy().ctypes", "torch.backend",
    "x = ones(2, requires_grad=True)\n(x * 2).grad_fn.__class__.__init__", "ones(2).shape = 3",
    "type(ones(2)).mro", "torch.Tensor.__subclasses__",
])
def test_tensor_escapes_fail(src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert info.value.type_name == "AttributeError"


def test_no_grad_context_and_with_as():
    assert run("x = ones(1, requires_grad=True)\nwith torch.no_grad() as g:\n"
               "    y = x * 2\nprint(y.requires_grad, torch.is_grad_enabled())") == \
        "False True\n"


def test_ambiguous_tensor_truth_points_at_the_condition():
    with pytest.raises(TshRuntimeError) as info:
        run("x = ones(3)\nif x > 0:\n    pass\n")
    assert (info.value.line, info.value.col, info.value.end_col) == (2, 4, 9)


def test_dotted_imports_bind_sub_namespaces():
    out = run("import torch.autograd as ag\nfrom torch.autograd import grad\nimport torch.cuda\n"
              "print(ag, grad is ag.grad, torch.cuda.is_available() in (True, False))")
    assert out == "<module 'torch.autograd'> True True\n"


def test_legacy_constructors_take_a_numpy_array_as_data():
    out = run("import numpy as np\na = np.zeros((2, 3), dtype=np.int32)\na[0, :2] = [4, 5]\n"
              "print(torch.LongTensor(a).tolist(), torch.FloatTensor(a).dtype, "
              "torch.Tensor(a).shape)")
    assert out == "[[4, 5, 0], [0, 0, 0]] torch.float32 torch.Size([2, 3])\n"


def test_prune_from_tsh_with_a_program_pruning_method():
    out = run("import torch.nn.utils.prune as prune\n"
              "class EveryOther(prune.BasePruningMethod):\n"
              "    PRUNING_TYPE = 'unstructured'\n"
              "    def compute_mask(self, t, default_mask):\n"
              "        mask = default_mask.clone()\n"
              "        mask.view(-1)[::2] = 0\n"
              "        return mask\n"
              "m = torch.nn.Linear(2, 4)\n"
              "EveryOther.apply(m, 'bias')\n"
              "prune.l1_unstructured(m, 'weight', amount=3)\n"
              "print(m.bias_mask.tolist(), int(m.weight_mask.sum()), prune.is_pruned(m))\n"
              "prune.remove(m, 'bias')\n"
              "print([n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()])")
    assert out == ("[0.0, 1.0, 0.0, 1.0] 5 True\n"
                   "['weight_orig', 'bias'] ['weight_mask']\n")


def test_torch_autograd_function_imports_once_differentiable():
    out = run("from torch.autograd.function import once_differentiable\n"
              "import torch.autograd.function as F\n"
              "print(F, F.once_differentiable is once_differentiable, "
              "F.Function is torch.autograd.Function)")
    assert out == "<module 'torch.autograd.function'> True True\n"


def test_warnings_name_the_tsh_line_not_tshell_internals(capsys):
    """A PyTorch UserWarning prints like Python's for a script: FILE:LINE: Category: text,
    then the source line, at the tsh statement that caused it (not a tshell module)."""
    src = ("x = torch.ones(2, requires_grad=True)\n"
           "def f(t):\n"
           "    return t.grad\n"
           "y = x * 2\n"
           "f(y)\n"
           "z = torch.tensor(torch.ones(1))\n")
    Interpreter(stdout=io.StringIO()).run_source(src, "w.tsh")
    err = capsys.readouterr().err
    assert err.startswith("w.tsh:3: UserWarning: The .grad attribute of a Tensor that is not a "
                          "leaf Tensor is being accessed.")
    assert "\n  return t.grad\n" in err
    assert ("\nw.tsh:6: UserWarning: To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone()") in err
    assert err.endswith("\n  z = torch.tensor(torch.ones(1))\n")
    assert "tshell" not in err and ".py" not in err


def test_tsh_functions_run_inside_apply_map_and_map2():
    src = ("def twice(v):\n    return v * 2\n"
           "x = tensor([1., 2., 3.])\nx.apply_(twice)\n"
           "x.map_(tensor([1., 1., 1.]), lambda a, b: a - b)\n"
           "x.map2_(tensor([2.]), tensor([0., 1., 2.]), lambda s, a, b: s + a * b)\nprint(x)\n"
           "f = torch.frexp(x)\nprint(f.mantissa, f.exponent.dtype)")
    assert run(src) == ("tensor([1., 5., 9.])\n"
                        "tensor([0.5000, 0.6250, 0.5625]) torch.int32\n")


@pytest.mark.parametrize("src", [
    "ones(2).apply_(lambda v: v.__class__.__subclasses__())",
    "ones(2).map_(ones(2), lambda a, b: (lambda: 0).__globals__)",
    "ones(2).map2_(ones(2), ones(2), lambda s, a, b: b.__class__.__base__)",
    "torch.frexp(ones(2)).__class__.__mro__", "ones(2).apply_.__self__",
])
def test_callables_given_to_apply_reach_nothing_new(src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert info.value.type_name == "AttributeError"
