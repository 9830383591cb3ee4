"""help(NAME) shows PyTorch's signature where PyTorch documents one (F.relu(input,
inplace=False), not the elementwise op's `(input, *, out=None, params=None)`), tshell's
own signature without its internal parameters otherwise, and the docstring's whole first
paragraph. The signatures are PyTorch 2.13's (tools/gen_signatures.py)."""

import io

import pytest

from tshell.lang import Interpreter
from tshell.lang.pytorch_signatures import SIGNATURES


def help_of(expr: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(
        f"import torch\nimport torch.nn.functional as F\nx = torch.ones(2)\nhelp({expr})\n",
        "<help>")
    return out.getvalue()


@pytest.mark.parametrize("expr, first_line", [
    ("F.relu", "relu(input, inplace=False)"),
    ("F.softmax", "softmax(input, dim=None, _stacklevel=3, dtype=None)"),
    ("torch.softmax", "softmax(input, dim, *, dtype=None)"),
    ("torch.special.softmax", "softmax(input, dim, *, dtype=None)"),
    ("x.softmax", "softmax(dim)"),
    ("torch.Tensor.view", "view(*shape)"),
    ("x.view", "view(*shape)"),
    ("torch.add", "add(input, other, *, alpha=1, out=None)"),
    ("F.linear", "linear(input, weight, bias=None)"),
    ("F.max_pool2d", "max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, "
                     "ceil_mode=False, return_indices=False)"),
    # PyTorch documents no signature for torch.relu: tshell's own, without `params=`
    ("torch.relu", "relu(input, *, out=None)"),
])
def test_the_signature_shown_is_pytorchs(expr, first_line):
    assert help_of(expr).split("\n")[0] == first_line


def test_a_class_shows_its_whole_first_paragraph():
    text = help_of("torch.nn.Linear")
    assert text.startswith("Linear(in_features, out_features, bias=True, device=None, "
                           "dtype=None)\n    y = x W^T + b, W of shape (out_features, "
                           "in_features), both drawn from\n    U(-1/sqrt(in_features)")
    assert text.rstrip().endswith(".")


def test_f_relu_takes_inplace_as_its_signature_says():
    out = io.StringIO()
    Interpreter(stdout=out).run_source(
        "import torch\nimport torch.nn.functional as F\nx = torch.tensor([-1., 2.])\n"
        "y = F.relu(x)\nprint(y, x)\nz = F.relu(x, inplace=True)\nprint(z, x, z is x)\n", "<t>")
    assert out.getvalue() == "tensor([0., 2.]) tensor([-1.,  2.])\n" \
                             "tensor([0., 2.]) tensor([0., 2.]) True\n"


def test_the_table_has_the_functional_ops():
    assert SIGNATURES["F"]["relu"] == "(input, inplace=False)"
    assert len(SIGNATURES["F"]) > 100 and len(SIGNATURES["torch"]) > 300
