"""The underscore attributes of library objects a program may read (docs/security.md, "No
underscore names"): a module's tables and a pruning hook's `_tensor_name`, read only, and
nothing reachable from them that was not reachable before."""

import io
import os

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError

MODEL = ("import torch\nfrom torch import nn\nimport torch.nn.utils.prune as prune\n"
         "m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))\nlin = m[0]\n"
         "prune.l1_unstructured(lin, name='weight', amount=0.5)\n"
         "def hook(module, args):\n    return None\n"
         "h = lin.register_forward_hook(lambda mod, args, out: None)\n"
         "b = lin.register_full_backward_hook(lambda mod, gi, go: None)\n"
         "ph = list(lin._forward_pre_hooks.values())[0]\n"
         "fh = list(lin._forward_hooks.values())[0]\n")


def run(src):
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(src, "<private>")
    return interp.stdout.getvalue()


def test_a_modules_tables_read_as_in_pytorch():
    out = run(MODEL + "print(list(m._modules), type(m._modules) is dict)\n"
              "print(list(lin._parameters), list(lin._buffers), list(m[1]._buffers))\n"
              "hooks = lin._forward_pre_hooks\n"
              "print(type(hooks).__name__, [type(v).__name__ for v in hooks.values()])\n"
              "print([h._tensor_name for h in hooks.values()])\n"
              "print(len(lin._forward_hooks), len(lin._backward_hooks))\n")
    assert out == ("['0', '1'] True\n['bias', 'weight_orig'] ['weight_mask'] "
                   "['running_mean', 'running_var', 'num_batches_tracked']\n"
                   "OrderedDict ['L1Unstructured']\n['weight']\n1 1\n")


def test_the_tables_are_copies():
    out = run(MODEL + "lin._parameters['bias'] = 5\nlin._modules['x'] = print\n"
              "lin._forward_pre_hooks.clear()\nm._modules.pop('1')\n"
              "print(lin.bias.shape, len(list(m.children())), "
              "len(lin._forward_pre_hooks))\n")
    assert out == "torch.Size([3]) 2 1\n"


def test_a_subclass_of_a_module_reads_them_too():
    out = run("from torch import nn\nclass Net(nn.Module):\n    def __init__(self):\n"
              "        super().__init__()\n        self.fc = nn.Linear(2, 2)\n"
              "    def names(self):\n        return list(self._modules), list(self._parameters)\n"
              "print(Net().names())\n")
    assert out == "(['fc'], [])\n"


def test_an_rnns_weight_names_read_as_in_pytorch():
    # d2l's sentiment RNN initializes an LSTM through
    # `for param in module._flat_weights_names: ... module._parameters[param]`
    out = run("from torch import nn\nlstm = nn.LSTM(2, 3, num_layers=2, bidirectional=True)\n"
              "names = lstm._flat_weights_names\nnames.append('x')\n"
              "print(len(names), names[:4], lstm._flat_weights_names[-1])\n"
              "print(lstm._parameters['weight_hh_l1_reverse'].shape)\n")
    assert out == ("17 ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'] "
                   "bias_hh_l1_reverse\ntorch.Size([12, 3])\n")


REFUSED = [
    # not on the list
    "m._non_persistent_buffers_set", "m._state_dict_hooks", "m._load_state_dict_pre_hooks",
    "m._forward_hooks_with_kwargs", "m._apply", "m._call_impl", "m._version",
    "m._get_name", "m._named_members", "m._is_full_backward_hook",
    "ph._pruning_methods", "h._id", "h._tables",
    "torch.ones(2)._data", "torch.optim.SGD(m.parameters(), lr=0.1)._step_count",
    # on the class, not an instance
    "nn.Module._modules", "nn.Linear._parameters", "prune.L1Unstructured._tensor_name",
    # writing and deleting
    "lin._parameters = {}", "del lin._modules", "ph._tensor_name = 'bias'",
    "m._modules['0']._parameters = {}", "nn.LSTM(2, 2)._flat_weights_names = []",
    "nn.RNNBase._flat_weights_names", "nn.LSTM(2, 2)._flat_weights",
    # walking on from what they give
    "ph.__dict__", "ph.__call__",
    "ph.__class__.__subclasses__()",
    "ph.__class__.__init__.__globals__",
    "ph.apply.__func__", "ph.apply.__self__",
    "fh.__globals__", "fh.__closure__",
    "fh.__code__", "m._modules.__class__.__subclasses__()",
    "type(m._modules).__subclasses__()", "m._modules.__class__.__init__.__globals__",
    "lin._parameters['bias'].__class__.__mro__",
    "lin._parameters['bias']._data", "lin._parameters['bias'].grad_fn._saved",
    "lin._buffers['weight_mask'].__array_interface__",
    "lin._forward_pre_hooks.__class__.__subclasses__()",
    "list(nn.LazyLinear(3)._forward_pre_hooks.values())[0].__func__",
    "list(nn.LazyLinear(3)._forward_pre_hooks.values())[0].__self__",
    "list(nn.LazyLinear(3)._forward_pre_hooks.values())[0].__globals__",
]


@pytest.mark.parametrize("expr", REFUSED)
def test_nothing_else_is_reached(expr, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = MODEL + (expr if " = " in expr or expr.startswith("del ") else f"print({expr})")
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    e = info.value
    assert e.type_name in ("AttributeError", "SyntaxError", "NameError", "TypeError"), \
        e.format()
    assert os.listdir(tmp_path) == []


def test_a_lazy_modules_hook_runs_only_on_its_module():
    """The hook is a library function, hook(module, args): on any other object, library code
    would run on what it was never written for (it sets `self.__class__`)."""
    src = ("from torch import nn\nimport torch\nm = nn.LazyLinear(3)\n"
           "h = list(m._forward_pre_hooks.values())[0]\nprint(h)\n")
    out = run(src + "h(m, (torch.ones(1, 4),))\nprint(m.weight.shape, type(m).__name__)\n")
    assert out.startswith("<function LazyModuleMixin._infer_parameters at 0x") and \
        out.endswith("\ntorch.Size([3, 4]) Linear\n"), out
    for call in ("h(nn.LazyLinear(2), (torch.ones(1, 4),))",
                 "class A:\n    cls_to_become = list\nh(A(), ())", "h()"):
        with pytest.raises(TshRuntimeError) as info:
            run(src + call)
        assert info.value.type_name == "TypeError" and "runs on the module it is registered " \
            "on" in info.value.message, info.value.format()


def test_a_tensors_version_reads_as_a_number_and_stays_read_only():
    out = run("import torch\nx = torch.ones(2)\nv = x._version\nx.add_(1)\n"
              "print(v, x._version, torch.nn.Parameter(x)._version >= 0)\n")
    assert out == "0 1 True\n"
    for src in ("x._version = 3", "del x._version", "x._ver", "x._counter()"):
        with pytest.raises(TshRuntimeError):
            run("import torch\nx = torch.ones(2)\n" + src + "\n")
