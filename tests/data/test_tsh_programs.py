"""torch.utils.data and torch.distributions from tsh programs: the import forms, a training
style loop over a DataLoader, datasets written with tsh values, errors in tshell's format and
the one-time note for num_workers > 0."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError
from tshell.core.utils.data import dataloader


def run(source: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(source, "<test>")
    return out.getvalue()


def test_import_forms_bind_the_namespaces():
    out = run("""
import torch
from torch.utils.data import DataLoader, TensorDataset
import torch.utils.data as tud
from torch.utils import data
from torch.distributions import Normal, multinomial
from torch.distributions.multinomial import Multinomial
import torch.distributions as dist
print(DataLoader is tud.DataLoader, data.TensorDataset is TensorDataset)
print(Normal is dist.Normal, Multinomial is multinomial.Multinomial)
print(torch.utils.data.DataLoader, torch.distributions.Normal)
""")
    assert out.splitlines() == [
        "True True", "True True",
        "<class 'torch.utils.data.dataloader.DataLoader'> "
        "<class 'torch.distributions.normal.Normal'>"]


def test_importing_what_is_not_there_is_an_import_error():
    for source, message in (
            ("import torch.utils.nothing", "No module named 'torch.utils.nothing'"),
            ("from torch.utils.data import Nothing",
             "cannot import name 'Nothing' from 'torch.utils.data'"),
            ("from torch.distributions import dataloader",
             "cannot import name 'dataloader' from 'torch.distributions'"),
            ("import torch.distributions.nothing",
             "No module named 'torch.distributions.nothing'")):
        with pytest.raises(TshRuntimeError) as e:
            run(source)
        assert message in str(e.value)


def test_training_loop_over_a_data_loader():
    out = run("""
import torch
from torch.utils.data import DataLoader, TensorDataset
torch.manual_seed(0)
X = torch.randn(64, 3)
y = X @ torch.tensor([[1.], [-2.], [0.5]]) + 0.3
w = torch.zeros(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
for epoch in range(60):
    for xb, yb in loader:
        loss = ((xb @ w + b - yb) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
            w.grad.zero_()
            b.grad.zero_()
print(len(loader), [round(v, 2) for v in w.flatten().tolist()], round(b.item(), 2))
""")
    assert out == "4 [1.0, -2.0, 0.5] 0.3\n"


def test_dataset_of_tsh_values_and_numpy_arrays():
    out = run("""
import numpy as np
from torch.utils.data import DataLoader
samples = [{'x': np.array([1., 2.]), 'label': i, 'name': 'n' + str(i)} for i in range(5)]
for batch in DataLoader(samples, batch_size=2, drop_last=True):
    print(batch['x'].dtype, batch['x'].shape, batch['label'], batch['name'])
print(len(DataLoader([(1, 2.5), (3, 4.5)], batch_size=2)))
""")
    assert out.splitlines() == [
        "torch.float64 torch.Size([2, 2]) tensor([0, 1]) ['n0', 'n1']",
        "torch.float64 torch.Size([2, 2]) tensor([2, 3]) ['n2', 'n3']", "1"]


def test_distributions_in_tsh():
    out = run("""
import torch
from torch.distributions import Normal, Categorical
torch.manual_seed(0)
d = Normal(torch.tensor([0., 10.]), torch.tensor([1., 2.]))
print(d, d.batch_shape, d.event_shape)
s = d.sample((1000,))
print(s.shape, abs(s.mean(0)[1].item() - 10) < 0.5)
loc = torch.tensor(1.0, requires_grad=True)
x = Normal(loc, 2.0).rsample((5,))
x.sum().backward()
print(loc.grad, x.grad_fn)
print(Categorical(torch.tensor([0.25, 0.75])).log_prob(torch.tensor(1)))
""")
    lines = out.splitlines()
    assert lines[0] == ("Normal(loc: torch.Size([2]), scale: torch.Size([2])) "
                        "torch.Size([2]) torch.Size([])")
    assert lines[1] == "torch.Size([1000, 2]) True"
    assert lines[2] == "tensor(5.) <AddBackward0 object at " + lines[2].split(" at ")[1]
    assert lines[3] == "tensor(-0.2877)"


def test_validation_error_in_tshell_format():
    with pytest.raises(TshRuntimeError) as e:
        run("import torch\nd = torch.distributions.Normal(0., -1.)\n")
    text = e.value.format(False)
    assert "ValueError: Expected parameter scale (Tensor of shape ()) of distribution " \
           "Normal(loc: 0.0, scale: -1.0) to satisfy the constraint " \
           "GreaterThan(lower_bound=0.0), but found invalid values:" in text
    assert "<test>:2:" in text


def test_loader_error_in_tshell_format():
    with pytest.raises(TshRuntimeError) as e:
        run("from torch.utils.data import DataLoader\n"
            "DataLoader([1, 2], batch_size=0)\n")
    assert ("ValueError: batch_size should be a positive integer value, but got batch_size=0"
            in e.value.format(False))


def test_num_workers_note_once_on_stderr(capsys, monkeypatch):
    monkeypatch.setattr(dataloader, "_noted_workers", [False])
    out = run("""
from torch.utils.data import DataLoader
a = [b.tolist() for b in DataLoader(range(5), batch_size=2, num_workers=4)]
b = [b.tolist() for b in DataLoader(range(5), batch_size=2, num_workers=2)]
print(a == b == [[0, 1], [2, 3], [4]])
""")
    assert out == "True\n"
    err = capsys.readouterr().err
    assert err.count("note:") == 1
    assert "DataLoader(num_workers=4) loads its batches in this process" in err


def test_private_attributes_of_loaders_are_refused():
    for attr in ("_iterable", "_initialized", "__class__.__init__", "__dict__"):
        with pytest.raises(Exception):  # noqa: B017 (a tsh error of any kind, or a refusal)
            run(f"from torch.utils.data import DataLoader\nDataLoader([1]).{attr}\n")
