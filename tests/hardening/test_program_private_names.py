"""A program's subclass of a library class may use underscore names of its own
(`self._init_weights`, `self._cache`), as PyTorch code does; the library's own underscore
names on the same objects stay refused, for reading, writing and deleting (docs/security.md,
"No underscore names")."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError

MODULE = ("import torch\nfrom torch import nn\n"
          "class Net(nn.Module):\n"
          "    def __init__(self):\n"
          "        super().__init__()\n"
          "        self.lin = nn.Linear(2, 2)\n"
          "        self._hidden = nn.Linear(2, 1)\n"
          "        self._cache = {}\n"
          "        self._scale = 2.0\n"
          "        self.apply(self._init_weights)\n"
          "    def _init_weights(self, m):\n"
          "        if isinstance(m, nn.Linear):\n"
          "            nn.init.constant_(m.weight, 0.5)\n"
          "    def _helper(self, x):\n"
          "        return self._hidden(x) * self._scale\n"
          "    def forward(self, x):\n"
          "        self._cache['last'] = x.shape\n"
          "        return self._helper(self.lin(x))\n"
          "net = Net()\n")


def run(src):
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(src, "<names>")
    return interp.stdout.getvalue()


def test_a_modules_own_underscore_names():
    out = run(MODULE + "out = net(torch.ones(1, 2))\n"
              "print(net._cache, net._scale, list(dict(net.named_children())))\n"
              "print(hasattr(net, '_cache'), getattr(net, '_missing', 'none'))\n"
              "del net._scale\nprint(hasattr(net, '_scale'), net.lin.weight.sum().item())\n")
    assert out == ("{'last': torch.Size([1, 2])} 2.0 ['lin', '_hidden']\n"
                   "True none\nFalse 2.0\n")


@pytest.mark.parametrize("src", [
    "net._apply",                               # library methods
    "net._named_members",
    "net._load_from_state_dict",
    "net._version",
    "net._state_dict_hooks",                    # library state, not on the read list
    "net._non_persistent_buffers_set",
    "net._modules = {}",                        # writes of library state
    "net._parameters = None",
    "net._forward_hooks = {}",
    "net._apply = print",
    "del net._buffers",
    "del net._apply",
    "Net._apply",                               # on the class
    "net.lin._cache",                           # the library's own objects: nothing
    "net.lin._cache = 1",
    "torch.optim.SGD(net.parameters(), lr=0.1)._cache = 1",
])
def test_library_underscore_names_stay_refused(src):
    with pytest.raises(TshRuntimeError, match="not accessible in tsh|library uses that name"):
        run(MODULE + src)


def test_a_name_the_library_set_on_the_instance_is_the_librarys():
    src = ("import torch\nfrom torch import nn\n"
           "class Attention(nn.MultiheadAttention):\n"
           "    def __init__(self):\n"
           "        super().__init__(4, 2)\n"
           "        self._qkv_same_embed_dim = False\n"
           "Attention()\n")
    with pytest.raises(TshRuntimeError, match="library uses that name"):
        run(src)


@pytest.mark.parametrize("base,init", [
    ("torch.optim.Optimizer", "super().__init__([torch.ones(1, requires_grad=True)], {})"),
    ("torch.nn.Module", "super().__init__()"),
])
def test_a_library_name_cannot_be_claimed_before_the_library_sets_it(base, init):
    """Written before the library's __init__ sets it, the name would hold the library's
    state afterwards: refused whatever the order."""
    for name in ("_optimizer_step_pre_hooks", "_modules", "_forward_hooks", "_parameters"):
        src = (f"import torch\nclass A({base}):\n    def __init__(self):\n"
               f"        self.{name} = {{}}\n        {init}\nA()\n")
        with pytest.raises(TshRuntimeError, match="library uses that name"):
            run(src)


def test_a_common_name_the_library_uses_is_refused_with_a_reason():
    src = ("import torch\nclass D(torch.utils.data.Dataset):\n"
           "    def __init__(self):\n        self._data = [1]\nD()\n")
    with pytest.raises(TshRuntimeError, match="give the program's own attribute another"):
        run(src)


def test_dataset_and_function_subclasses():
    src = ("import torch\nfrom torch.utils.data import Dataset\n"
           "class Data(Dataset):\n"
           "    def __init__(self):\n"
           "        self._rows = [1, 2, 3]\n"
           "    def __len__(self):\n"
           "        return len(self._rows)\n"
           "    def __getitem__(self, i):\n"
           "        return self._rows[i] * self._factor()\n"
           "    def _factor(self):\n"
           "        return 10\n"
           "d = Data()\nprint(len(d), d[2], list(torch.utils.data.DataLoader(d, batch_size=2)))\n")
    assert run(src) == "3 30 [tensor([10, 20]), tensor([30])]\n"


def test_an_abc_mixin_keeps_the_programs_names_and_an_enum_has_none():
    src = ("import torch\nfrom torch import nn\nfrom abc import ABC, abstractmethod\n"
           "class Base(nn.Module, ABC):\n"
           "    def __init__(self):\n        super().__init__()\n        self._k = 3\n"
           "    def _scale(self, x):\n        return x * self._k\n"
           "    @abstractmethod\n    def forward(self, x): ...\n"
           "class Net(Base):\n    def forward(self, x):\n        return self._scale(x)\n"
           "print(Net()(torch.ones(1)))\n")
    assert run(src) == "tensor([3.])\n"
    enum = "from enum import Enum\nclass Color(Enum):\n    RED = 1\n"
    for attr in ("_value_", "_name_", "_member_map_", "_missing_"):
        with pytest.raises(TshRuntimeError, match="not accessible in tsh"):
            run(enum + f"Color.RED.{attr}\n")


def test_a_programs_optimizer_never_runs_on_worker_threads(monkeypatch):
    """A program's Optimizer subclass declaring itself elementwise still updates on the
    calling thread, whole: only the library's own update rules are split over threads (a
    split runs `_update` once per part, with state over the parts)."""
    import tshell.core as torch
    from tshell.core import parallel
    monkeypatch.setattr(parallel, "CPU_COUNT", 2)
    threads = torch.get_num_threads()
    src = ("import torch\nclass Opt(torch.optim.Optimizer):\n    _ELEMENTWISE = True\n"
           "    def __init__(self, params):\n        super().__init__(params, {'lr': 0.1})\n"
           "    def _update(self, group, p, grad):\n"
           "        self.state[p]['buf'] = torch.zeros_like(p)\n"
           "        seen.append(p.numel())\n"
           "seen = []\np = torch.zeros(600000, requires_grad=True)\n"
           "p.grad = torch.ones(600000)\nopt = Opt([p])\nopt.step()\nopt.step()\nprint(seen)\n")
    try:
        torch.set_num_threads(2)
        assert run(src) == "[600000, 600000]\n"
    finally:
        torch.set_num_threads(threads)
