"""torch.optim and torch.optim.lr_scheduler from tsh programs: the import forms, training loops
on leaf tensors, schedulers driven by tsh functions, LBFGS with a tsh closure, editing
param_groups, errors and warnings in tshell's format, and what the sandbox lets a program
reach on an optimizer or a scheduler."""
from __future__ import annotations

import io

import pytest

from tshell.lang import Interpreter, TshError, sandbox

LINEAR_REGRESSION = """
x = torch.linspace(-1, 1, 20)
y = 3 * x + 0.5
w = torch.zeros(2, requires_grad=True)
opt = optim.SGD([w], lr=0.1)
for epoch in range(300):
    opt.zero_grad()
    loss = ((w[0] * x + w[1] - y) ** 2).mean()
    loss.backward()
    opt.step()
print(f"{w[0].item():.4f} {w[1].item():.4f} {loss.item():.2e}")
"""


def run(src, echo=False):
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source(src, "<test>", echo=echo)
    return out.getvalue(), interp


@pytest.mark.parametrize("imports", [
    "import torch.optim as optim",
    "from torch import optim",
    "import torch\noptim = torch.optim",
    "optim = torch.optim",
])
def test_linear_regression_trained_by_sgd(imports):
    out, _ = run(imports + LINEAR_REGRESSION)
    slope, intercept, loss = out.split()
    assert (slope, intercept) == ("3.0000", "0.5000")
    assert float(loss) < 1e-8


def test_bare_optim_name_and_from_imports():
    out, _ = run("""
from torch.optim import SGD, Adam, AdamW
from torch.optim.lr_scheduler import StepLR, OneCycleLR
import torch.optim.lr_scheduler as lrs
print(SGD is torch.optim.SGD, optim is torch.optim, lrs.StepLR is StepLR)
print(SGD, lrs.CosineAnnealingLR, torch.optim.Optimizer)
""")
    assert out == ("True True True\n<class 'torch.optim.sgd.SGD'> "
                   "<class 'torch.optim.lr_scheduler.CosineAnnealingLR'> "
                   "<class 'torch.optim.optimizer.Optimizer'>\n")


def test_missing_names_are_import_errors():
    with pytest.raises(TshError, match="cannot import name 'SparseAdam' from 'torch.optim'"):
        run("from torch.optim import SparseAdam")
    with pytest.raises(TshError, match="No module named 'torch.optim.sgd'"):
        run("import torch.optim.sgd")


def test_adam_with_step_lr_and_editable_param_groups():
    out, _ = run("""
w = torch.tensor([2.0, -1.0], requires_grad=True)
opt = torch.optim.Adam([w], lr=0.5)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
for i in range(4):
    opt.zero_grad()
    (w ** 2).sum().backward()
    opt.step()
    sched.step()
    print(sched.get_last_lr(), opt.param_groups[0]["lr"])
opt.param_groups[0]["lr"] = 0.0
before = w.clone()
(w ** 2).sum().backward()
opt.step()
print(torch.equal(before, w), opt.state[w]["step"], sorted(opt.state[w].keys()))
print(type(opt), isinstance(opt, torch.optim.Optimizer))
""")
    assert out.splitlines() == [
        "[0.5] 0.5", "[0.05] 0.05", "[0.05] 0.05", "[0.005000000000000001] 0.005000000000000001",
        "True tensor(5.) ['exp_avg', 'exp_avg_sq', 'step']",
        "<class 'torch.optim.adam.Adam'> True"]


def test_scheduler_with_a_tsh_function_and_its_state_dict():
    out, _ = run("""
def warmup(epoch):
    return min(1.0, (epoch + 1) / 3)
w = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.3)
sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup)
for i in range(3):
    opt.step()
    sched.step()
print(sched.get_last_lr(), sched.state_dict()["lr_lambdas"], sched.last_epoch)
""")
    assert out == "[0.3] [None] 3\n"


def test_lbfgs_with_a_tsh_closure():
    out, _ = run("""
x = torch.tensor([-1.0, 2.0], requires_grad=True)
opt = torch.optim.LBFGS([x], line_search_fn="strong_wolfe")
def closure():
    opt.zero_grad()
    loss = ((x - torch.tensor([1.0, -3.0])) ** 2).sum()
    loss.backward()
    return loss
first = opt.step(closure)
print(first.item(), [round(v, 4) for v in x.tolist()], opt.state[x]["n_iter"] > 0)
""")
    assert out == "29.0 [1.0, -3.0] True\n"


def test_repr_echo_and_state_dict():
    out, _ = run("""
w = torch.ones(2, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
w.grad = torch.ones(2)
opt.step()
opt
opt.state_dict()
""", echo=True)
    assert out == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
        "    foreach: None\n    fused: None\n    lr: 0.1\n    maximize: False\n"
        "    momentum: 0.9\n    nesterov: False\n    weight_decay: 0\n)\n"
        "{'state': {0: {'momentum_buffer': tensor([1., 1.])}}, 'param_groups': [{'lr': 0.1, "
        "'momentum': 0.9, 'dampening': 0, 'weight_decay': 0, 'nesterov': False, "
        "'maximize': False, 'foreach': None, 'differentiable': False, 'fused': None, "
        "'params': [0]}]}\n")


@pytest.mark.parametrize("src, message", [
    ("torch.optim.SGD([], lr=0.1)", "ValueError: optimizer got an empty parameter list"),
    ("torch.optim.SGD([torch.ones(2, requires_grad=True)], lr=-1)",
     "ValueError: Invalid learning rate: -1"),
    ("w = torch.ones(2, requires_grad=True)\n"
     "torch.optim.Adam([{'params': [w]}, {'params': [w]}])",
     "ValueError: some parameters appear in more than one parameter group"),
    ("torch.optim.lr_scheduler.StepLR(3, 1)", "TypeError: int is not an Optimizer"),
])
def test_errors_in_tshell_format(src, message):
    with pytest.raises(TshError) as info:
        run(src)
    assert message in info.value.format()


def test_scheduler_before_optimizer_warns_at_the_tsh_line(capsys):
    run("""
w = torch.ones(2, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.5)
sched.step()
""")
    err = capsys.readouterr().err
    assert err.startswith("<test>:5: UserWarning: Detected call of `lr_scheduler.step()` "
                          "before `optimizer.step()`.")
    assert "  sched.step()\n" in err


PRIVATE_READS = ["opt._params", "opt._optimizer_step_pre_hooks", "opt.__dict__",
                 "opt.step.__func__", "sched._schedulers", "sched.__class__.__mro__",
                 "torch.optim.SGD.__init__.__globals__", "torch.optim.lr_scheduler.StepLR.mro"]


@pytest.mark.parametrize("expr", PRIVATE_READS)
def test_private_and_class_attributes_are_refused(expr):
    with pytest.raises(TshError, match="has no attribute"):
        run("w = torch.ones(2, requires_grad=True)\nopt = torch.optim.LBFGS([w])\n"
            "sched = torch.optim.lr_scheduler.SequentialLR(opt, "
            "[torch.optim.lr_scheduler.StepLR(opt, 1)], [])\n" + expr)


def test_attributes_are_not_settable():
    with pytest.raises(TshError, match="cannot set attribute 'param_groups'"):
        run("w = torch.ones(2, requires_grad=True)\nopt = torch.optim.SGD([w])\n"
            "opt.param_groups = []")


def test_public_attributes_hand_out_only_safe_values():
    """What a program can read on an optimizer and on each scheduler: no module, class,
    NumPy object or private name (the sandbox audit walks these values further)."""
    _, interp = run("""
w = torch.ones(2, requires_grad=True)
opt = torch.optim.Adam([w])
w.grad = torch.ones(2)
opt.step()
s = torch.optim.lr_scheduler
schedulers = [s.StepLR(opt, 2), s.MultiStepLR(opt, [2]), s.ExponentialLR(opt, 0.9),
              s.CosineAnnealingLR(opt, 3), s.CosineAnnealingWarmRestarts(opt, 2),
              s.LambdaLR(opt, abs), s.MultiplicativeLR(opt, abs), s.LinearLR(opt),
              s.ConstantLR(opt), s.PolynomialLR(opt), s.CyclicLR(opt, 0.1, 1.0),
              s.OneCycleLR(opt, 1.0, total_steps=3), s.ReduceLROnPlateau(opt)]
schedulers.append(s.SequentialLR(opt, [s.StepLR(opt, 1)], []))
schedulers.append(s.ChainedScheduler([s.StepLR(opt, 1)]))
""")
    values = [interp.namespace["opt"]] + interp.namespace["schedulers"]
    for value in values:
        names = sandbox.allowed_attributes(value)
        assert names and not [n for n in names if n.startswith("_")]
        for name in names:
            attribute = sandbox.get_attribute(value, name)
            assert not isinstance(attribute, type), (value, name)
            assert not type(attribute).__module__.startswith(("numpy", "builtins.module")), \
                (value, name)
            assert type(attribute).__name__ != "module", (value, name)
