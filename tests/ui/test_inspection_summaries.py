"""NAME? on what a PyTorch user defines: functions (signature with defaults, docstring,
where), bound methods of a model, models and losses (a value, not a signature), classes."""

import io

from tshell.ui.shell import Shell

from .helpers import interpreter

SESSION = '''import torch.nn as nn
class Net(nn.Module):
    """A small MLP."""
    def __init__(self, hidden=8):
        super().__init__()
        self.fc = nn.Linear(4, hidden)

    def forward(self, x, scale=1.0):
        """Apply the layer.

        Then scale it."""
        return self.fc(x) * scale

def train_step(model, batch, *, lr=0.1, **options):
    """One step of SGD."""
    return model(batch)

def mixed(a, b=1, /, c=2, *rest, key=None, req, **kw):
    return a
net = Net()
loss_fn = nn.MSELoss()
'''


def inspect(expr: str, detail: bool = False) -> str:
    return Shell(interpreter(SESSION), io.StringIO()).inspect(expr, detail)


def test_a_function_shows_its_signature_docstring_and_where_it_was_defined():
    assert inspect("train_step") == (
        "Signature:      train_step(model, batch, *, lr=0.1, **options)\n"
        "Type:           function\n"
        "Docstring:      One step of SGD.\n"
        "Defined in:     <test>:14")
    assert inspect("mixed").startswith(
        "Signature:      mixed(a, b=1, /, c=2, *rest, key=None, req, **kw)\n")


def test_a_models_method_is_a_method_without_self():
    assert inspect("net.forward") == (
        "Signature:      forward(x, scale=1.0)\n"
        "Type:           method\n"
        "Docstring:      Apply the layer.\n"
        "                \n"
        "                Then scale it.\n"
        "Defined in:     <test>:8")
    assert inspect("Net.forward").startswith("Signature:      forward(self, x, scale=1.0)\n")
    assert inspect("net.forward", detail=True).startswith(
        "# <test>:8\n    def forward(self, x, scale=1.0):\n")


def test_a_model_and_a_loss_are_values():
    assert inspect("net") == (
        "Type:           Net\n"
        "Parameters:     40\n"
        "Value:          Net(\n"
        "                  (fc): Linear(in_features=4, out_features=8, bias=True)\n"
        "                )")
    assert inspect("loss_fn") == ("Type:           MSELoss\nParameters:     0\n"
                                  "Value:          MSELoss()")


def test_a_class_defined_in_the_session():
    assert inspect("Net") == ("Signature:      Net(hidden=8)\nType:           class\n"
                              "Bases:          Module\nMethods:        forward")


def test_help_of_a_function_and_of_a_models_method_gives_their_docstrings():
    out = io.StringIO()
    interp = interpreter(SESSION, out)
    interp.run_source("help(net.forward)\nhelp(train_step)\nhelp(mixed)\n", "<t>")
    assert out.getvalue() == ("forward(self, x, scale)  (defined in tsh)\n"
                              "    Apply the layer.\n"
                              "train_step(model, batch)  (defined in tsh)\n"
                              "    One step of SGD.\n"
                              "mixed(a, b, c)  (defined in tsh)\n")
