"""nn.Module behaviour the goldens cannot show: devices, copies, generators, hooks' tables,
lazy modules after loading, and subclasses written in Python."""
import copy
import types

import pytest

import tshell.core as torch
from tshell.core.nn.parameter import is_lazy

nn = torch.nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
        self.bn = nn.BatchNorm1d(2)
        self.register_buffer("scale", torch.ones(2), persistent=False)

    def forward(self, x):
        return self.bn(self.fc(x)) * self.scale


def test_cuda_moves_parameters_gradients_and_buffers_in_place(cuda_device):
    net = Net()
    net(torch.randn(4, 3)).sum().backward()
    weight = net.fc.weight
    assert net.cuda() is net and net.fc.weight is weight
    assert weight.is_cuda and weight.grad.is_cuda and net.bn.running_mean.is_cuda
    assert net.scale.is_cuda and net.bn.num_batches_tracked.dtype is torch.int64
    out = net(torch.randn(4, 3, device=cuda_device))
    assert out.is_cuda
    out.sum().backward()
    assert net.to("cpu") is net and not weight.is_cuda and not weight.grad.is_cuda
    net.to(cuda_device, torch.float64)
    assert weight.is_cuda and weight.dtype is torch.float64
    assert net.bn.num_batches_tracked.dtype is torch.int64
    net.cpu().float()
    assert weight.dtype is torch.float32 and str(weight.device) == "cpu"


def test_to_takes_tensors_and_devices_like_tensor_to():
    net = Net()
    net.to(torch.zeros(1, dtype=torch.float64))
    assert net.fc.bias.dtype is torch.float64
    net.to(dtype=torch.float32, device=torch.device("cpu"))
    assert net.fc.bias.dtype is torch.float32


def test_deepcopy_copies_parameters_buffers_and_hooks():
    net = Net()
    net.fc.register_forward_hook(lambda m, a, out: out * 0)
    twin = copy.deepcopy(net)
    assert type(twin.fc.weight) is nn.Parameter and twin.fc.weight is not net.fc.weight
    assert torch.equal(twin.fc.weight, net.fc.weight)
    with torch.no_grad():
        twin.fc.weight.add_(1)
    assert not torch.equal(twin.fc.weight, net.fc.weight)
    assert twin(torch.ones(2, 3)).abs().sum().item() == 0.0
    y = net.fc.weight * 2
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(y)


def test_traversals_return_generators_that_hold_no_frame():
    net = Net()
    for gen in (net.parameters(), net.named_parameters(), net.buffers(), net.named_buffers(),
                net.children(), net.named_children(), net.modules(), net.named_modules()):
        assert type(gen).__name__ == "generator" and not isinstance(gen, types.GeneratorType)
        assert repr(gen).startswith("<generator object Module.")
        assert iter(gen) is gen
        assert [n for n in dir(gen) if not n.startswith("_")] == []
        first = next(gen)
        assert first is not None and len(list(gen)) >= 0
    with pytest.raises(StopIteration):
        next(net.fc.children())


def test_dir_lists_members():
    names = dir(Net())
    for n in ("fc", "bn", "scale", "training", "forward", "state_dict"):
        assert n in names
    assert "0" not in dir(nn.Sequential(nn.ReLU()))


def test_removing_a_hook_clears_its_flags():
    lin = nn.Linear(1, 1)
    h = lin.register_forward_hook(lambda m, a, k, out: None, with_kwargs=True,
                                  always_call=True)
    assert len(lin._forward_hooks_with_kwargs) == len(lin._forward_hooks_always_called) == 1
    h.remove()
    assert not lin._forward_hooks and not lin._forward_hooks_with_kwargs \
        and not lin._forward_hooks_always_called
    with h:                                  # a handle is a context manager; removing again
        pass                                 # is harmless


def test_backward_hooks_see_each_call_and_double_backward_passes_them():
    lin = nn.Linear(2, 2)
    seen = []
    lin.register_full_backward_hook(lambda m, gi, go: seen.append(gi[0].shape))
    x = torch.ones(3, 2, requires_grad=True)
    out = lin(x) + lin(x * 2)
    g, = torch.autograd.grad(out.pow(2).sum(), x, create_graph=True)
    assert seen == [(3, 2), (3, 2)]
    g.sum().backward()
    assert x.grad is not None


def test_cannot_mix_full_and_old_backward_hooks():
    lin = nn.Linear(1, 1)
    lin._is_full_backward_hook = False
    with pytest.raises(RuntimeError, match="Cannot use both regular backward hooks"):
        lin.register_full_backward_hook(lambda *a: None)
    with pytest.raises(NotImplementedError, match="register_full_backward_hook"):
        nn.Linear(1, 1).register_backward_hook(lambda *a: None)


def test_lazy_linear_becomes_linear():
    m = nn.LazyLinear(4)
    assert is_lazy(m.weight) and type(m.weight).__name__ == "UninitializedParameter"
    out = m(torch.ones(2, 7))
    assert type(m) is nn.Linear and m.in_features == 7 and out.shape == (2, 4)
    assert type(m.weight) is nn.Parameter and not m._forward_pre_hooks
    bound = 1 / 7 ** 0.5
    assert float(m.weight.abs().max()) <= bound and float(m.bias.abs().max()) <= bound


def test_subclass_written_in_python_behaves_as_in_pytorch():
    class Scaled(nn.Linear):
        def __init__(self):
            super().__init__(2, 2)
            self.factor = nn.Parameter(torch.tensor(3.))

        def forward(self, x):
            return super().forward(x) * self.factor

        def extra_repr(self):
            return super().extra_repr() + ", scaled"
    m = Scaled()
    assert repr(m) == "Scaled(in_features=2, out_features=2, bias=True, scaled)"
    assert [n for n, _ in m.named_parameters()] == ["weight", "bias", "factor"]
    assert m(torch.ones(1, 2)).grad_fn.name() == "MulBackward0"
    assert repr(type(m)).endswith(".Scaled'>")


def test_modules_are_hashable_and_compared_by_identity():
    a, b = nn.ReLU(), nn.ReLU()
    assert a != b and len({a, b, a}) == 2


def test_state_dict_is_ordered_with_metadata():
    sd = Net().state_dict()
    assert list(sd) == ["fc.weight", "fc.bias", "bn.weight", "bn.bias", "bn.running_mean",
                        "bn.running_var", "bn.num_batches_tracked"]
    assert sd._metadata[""] == {"version": 1} and sd._metadata["bn"] == {"version": 2}


def test_sequential_holds_the_same_module_twice():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, lin)
    assert len(seq) == 2 and len(list(seq.parameters())) == 2
    assert seq(torch.ones(1, 2)).shape == (1, 2)
