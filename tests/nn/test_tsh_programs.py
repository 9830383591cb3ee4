"""torch.nn from tsh programs (through tshell.lang.Interpreter): imports of nn and its
sub-namespaces, building, calling and training models, state_dict, init, utils, the
errors a program gets, and the sandbox around modules."""
import io

import pytest

from tshell.lang import Interpreter, TshError, TshSyntaxError


def run(source):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(source, "prog.tsh")
    return out.getvalue()


def error(source):
    with pytest.raises(TshError) as info:
        run(source)
    assert not isinstance(info.value, TshSyntaxError)
    return info.value.format()


def test_imports_of_nn():
    assert run("""
from torch import nn
import torch.nn as nn2
import torch.nn.functional as F
import torch.nn.init as init
import torch.nn.utils.rnn as rnn_utils
from torch.nn.utils import clip_grad_norm_
from torch.nn.utils.rnn import pad_sequence
print(nn is nn2, nn.Linear, nn.init is init, rnn_utils is nn.utils.rnn)
print(type(F.relu), clip_grad_norm_ is torch.nn.utils.clip_grad_norm_, pad_sequence)
""").splitlines()[0] == ("True <class 'torch.nn.modules.linear.Linear'> True True")


def test_global_module_hooks_from_their_module():
    """torch.nn.modules.module as a tsh program imports it (the "Module hooks" notes)."""
    assert run("""
from torch.nn.modules.module import register_module_forward_hook, Module
import torch.nn.modules.module as module_mod
seen = []
h = register_module_forward_hook(lambda m, a, o: seen.append(type(m).__name__))
torch.nn.Sequential(torch.nn.ReLU())(torch.ones(1))
h.remove()
torch.nn.ReLU()(torch.ones(1))
print(seen, Module is torch.nn.Module, module_mod.register_module_forward_hook is
      register_module_forward_hook, torch.nn.modules.Linear is torch.nn.Linear)
""") == "['ReLU', 'Sequential'] True True True\n"


def test_sequential_model_trains():
    out = run("""
from torch import nn
torch.manual_seed(0)
x = torch.randn(32, 4)
y = (x.sum(1, keepdim=True) > 0).float()
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
loss_fn = nn.BCEWithLogitsLoss()
first = None
for step in range(60):
    loss = loss_fn(model(x), y)
    if first is None:
        first = loss.item()
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= 0.5 * p.grad
print(model)
print(loss.item() < first / 2, type(model[0].weight), model[0].weight.grad.shape)
""")
    assert out.splitlines()[-1] == "True <class 'torch.nn.parameter.Parameter'> torch.Size([8, 4])"
    assert "(0): Linear(in_features=4, out_features=8, bias=True)" in out


def test_brief_example():
    assert run("""
from torch import nn
x = torch.ones(3, 4)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
out = model(x)
out.sum().backward()
print(out.shape, out.grad_fn.name(), model[2].bias.grad)
""") == "torch.Size([3, 2]) AddmmBackward0 tensor([3., 3.])\n"


def test_module_attributes_read_and_written():
    out = run("""
from torch import nn
m = nn.Sequential(nn.Linear(2, 3))
m.head = nn.Linear(3, 1)
m[0].weight = nn.Parameter(torch.ones(3, 2))
m[0].bias = None
m.eval()
print(m.training, m[0].training, m[0].in_features, m[0].bias)
print([name for name, p in m.named_parameters()])
print(m(torch.ones(1, 2)).shape)
m.note = 'anything'
print(m.note, len(m))
""")
    assert out == ("False False 2 None\n['0.weight', 'head.weight', 'head.bias']\n"
                   "torch.Size([1, 1])\nanything 2\n")


def test_state_dict_and_load_state_dict():
    out = run("""
from torch import nn
a, b = nn.Linear(2, 2), nn.Linear(2, 2)
sd = a.state_dict()
print(type(sd), list(sd.keys()), sorted(sd)[0], len(sd.items()))
sd2 = sd.copy()
sd2.update({'extra': torch.zeros(1)})
r = b.load_state_dict(sd, strict=False)
print(r, r.missing_keys, torch.equal(a.weight, b.weight))
sd.move_to_end('weight')
print(list(sd))
""")
    assert out == ("<class 'collections.OrderedDict'> ['weight', 'bias'] bias 2\n"
                   "<All keys matched successfully> [] True\n['bias', 'weight']\n")


def test_load_state_dict_error_in_tsh_format():
    text = error("""
from torch import nn
m = nn.Linear(2, 2)
m.load_state_dict({'weight': torch.zeros(3, 2)})
""")
    assert text.startswith("error: prog.tsh:4:1: RuntimeError: Error(s) in loading state_dict "
                           "for Linear:\n\tMissing key(s) in state_dict: \"bias\". \n\tsize "
                           "mismatch for weight: copying a param with shape torch.Size([3, 2]) "
                           "from checkpoint, the shape in current model is torch.Size([2, 2]).")


def test_shape_and_dtype_errors_in_tsh_format():
    assert "RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)" in error(
        "m = torch.nn.Linear(4, 5)\nm(torch.ones(2, 3))")
    assert "RuntimeError: mat1 and mat2 must have the same dtype, but got Double and Float" in \
        error("m = torch.nn.Linear(3, 5)\nm(torch.ones(2, 3, dtype=torch.float64))")
    assert "ValueError: expected 4D input (got 2D input)" in error(
        "torch.nn.BatchNorm2d(3)(torch.ones(2, 3))")
    assert "TypeError: cannot assign 'int' as parameter 'weight'" in error(
        "m = torch.nn.Linear(1, 1)\nm.weight = 3")


def test_init_utils_and_functional():
    out = run("""
from torch import nn
import torch.nn.functional as F
w = torch.empty(3, 5)
nn.init.xavier_uniform_(w)
nn.init.zeros_(w)
print(w.sum(), nn.init.calculate_gain('relu'))
m = nn.Linear(2, 2)
m(torch.ones(4, 2)).sum().backward()
total = nn.utils.clip_grad_norm_(m.parameters(), 0.1)
print(bool(total > 0), bool(m.weight.grad.norm() <= 0.1001))
print(nn.utils.rnn.pad_sequence([torch.ones(3), torch.ones(1)], batch_first=True))
print(F.pixel_shuffle(torch.ones(1, 4, 1, 1), 2).shape, F.gelu(torch.zeros(2)))
""")
    assert out == ("tensor(0.) 1.4142135623730951\nTrue True\ntensor([[1., 1., 1.],\n"
                   "        [1., 0., 0.]])\ntorch.Size([1, 1, 2, 2]) tensor([0., 0.])\n")


def test_apply_with_a_tsh_function_and_hooks():
    out = run("""
from torch import nn
def init(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.5)
        nn.init.zeros_(m.bias)
model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
model.apply(init)
seen = []
def hook(module, args, output):
    seen.append(output.shape)
h = model[0].register_forward_hook(hook)
print(model(torch.ones(1, 2)))
h.remove()
model(torch.ones(1, 2))
print(seen)
""")
    assert out == ("tensor([[0.7616]], grad_fn=<AddmmBackward0>)\n[torch.Size([1, 2])]\n")


def test_recurrent_and_attention_models():
    out = run("""
from torch import nn
torch.manual_seed(0)
lstm = nn.LSTM(3, 5, num_layers=2, batch_first=True)
out, (h, c) = lstm(torch.randn(2, 4, 3))
print(out.shape, h.shape, c.shape)
mha = nn.MultiheadAttention(8, 2, batch_first=True)
x = torch.randn(2, 3, 8)
o, w = mha(x, x, x)
print(o.shape, w.shape)
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2)
print(enc(x).shape)
""")
    assert out == ("torch.Size([2, 4, 5]) torch.Size([2, 2, 5]) torch.Size([2, 2, 5])\n"
                   "torch.Size([2, 3, 8]) torch.Size([2, 3, 3])\ntorch.Size([2, 3, 8])\n")


def test_type_and_isinstance():
    assert run("""
from torch import nn
m = nn.Linear(1, 1)
print(type(m), isinstance(m, nn.Module), type(m) == nn.Linear, type(m.weight) == nn.Parameter)
print(type(m.parameters()), isinstance(m.weight, torch.Tensor), type(m.state_dict()))
""") == ("<class 'torch.nn.modules.linear.Linear'> True True True\n<class 'generator'> True "
         "<class 'collections.OrderedDict'>\n")


@pytest.mark.parametrize("source", [
    "m = torch.nn.Linear(1, 1)\nm._non_persistent_buffers_set",   # (_parameters: a copy)
    "m = torch.nn.Linear(1, 1)\nm.__dict__",
    "m = torch.nn.Linear(1, 1)\nm._modules = {}",
    "g = torch.nn.Linear(1, 1).parameters()\ng.gi_frame",
    "g = torch.nn.Linear(1, 1).parameters()\ng._gen",
    "torch.nn.Linear.from_pretrained",
    "torch.nn.Linear.__init__.__globals__",
    "m = torch.nn.Linear(1, 1)\nm.forward.__func__",
    "sd = torch.nn.Linear(1, 1).state_dict()\nsd._metadata",
    "torch.nn.utils.rnn.pad_sequence.__globals__",
    "torch.nn.modules.module.global_hooks",
    "torch.nn.modules.module._GLOBAL_HOOKS",
    "torch.nn.modules.global_hooks",
    "torch.nn.modules.module.register_module_forward_hook.__globals__",
])
def test_sandbox_refuses_internals(source):
    text = error(source)
    assert "AttributeError" in text


def test_numpy_of_a_parameter_is_the_stand_in():
    assert run("""
p = torch.nn.Parameter(torch.ones(2), requires_grad=False)
a = p.numpy()
print(type(a), a.sum())
""") == "<class 'numpy.ndarray'> 2.0\n"
