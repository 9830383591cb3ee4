"""A large parameter's update on several threads (Optimizer._update_in_parts, parallel.py)
must be the update on one thread, bit for bit: parameters, every state entry, the state_dict
and the version counters, for each elementwise optimizer and its options."""
from __future__ import annotations

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import parallel
from tshell.core.optim.optimizer import Optimizer

SHAPE = (600, 1000)         # 600 000 elements: split in two (parallel.MIN_SPLIT = 524 288)

CASES = [
    ("Adam", {"lr": 1e-3}),
    ("Adam", {"lr": 1e-2, "amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    ("AdamW", {"lr": 1e-2, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 1e-2, "centered": True, "momentum": 0.5}),
    ("RMSprop", {"lr": 1e-2, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01}),
    ("Adadelta", {"lr": 1.0, "weight_decay": 0.1}),
    ("Adamax", {"lr": 1e-2}),
    ("NAdam", {"lr": 1e-2, "decoupled_weight_decay": True, "weight_decay": 0.1}),
    ("RAdam", {"lr": 1e-2}),
    ("ASGD", {"lr": 1e-2, "t0": 2}),
    ("Rprop", {"lr": 1e-2}),
]


@pytest.fixture(autouse=True)
def two_cpus(monkeypatch):
    """Two CPUs whatever the machine has; the thread count restored after each test."""
    monkeypatch.setattr(parallel, "CPU_COUNT", 2)
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _trajectory(name, options, threads, dtype=torch.float32, steps=7):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    big = torch.randn(SHAPE, dtype=dtype, requires_grad=True)
    small = torch.randn(10, dtype=dtype, requires_grad=True)
    opt = getattr(torch.optim, name)([big, small], **options)
    for step in range(steps):
        torch.manual_seed(step + 1)
        big.grad = torch.randn(SHAPE, dtype=dtype)
        small.grad = torch.randn(10, dtype=dtype)
        opt.step()
    return big, small, opt


def _state_arrays(opt):
    return [(key, value.numpy().copy() if isinstance(value, torch.Tensor) else value)
            for state in opt.state.values() for key, value in sorted(state.items())]


@pytest.mark.parametrize("name,options", CASES, ids=[f"{n}-{i}" for i, (n, _) in
                                                     enumerate(CASES)])
def test_split_update_is_the_single_thread_update(name, options):
    one = _trajectory(name, options, threads=1)
    two = _trajectory(name, options, threads=2)
    for a, b in zip(one[:2], two[:2]):
        assert np.array_equal(a.detach().numpy(), b.detach().numpy(), equal_nan=True)
        assert a._version == b._version
    state_one, state_two = _state_arrays(one[2]), _state_arrays(two[2])
    assert [k for k, _ in state_one] == [k for k, _ in state_two]
    for (key, x), (_, y) in zip(state_one, state_two):
        if isinstance(x, np.ndarray):
            assert np.array_equal(x, y, equal_nan=True), key
        else:
            assert x == y, key
    assert str(one[2].state_dict()["param_groups"]) == str(two[2].state_dict()["param_groups"])
    assert len(one[2].state) == len(two[2].state)       # the parts' entries are gone


def test_split_runs_on_worker_threads(monkeypatch):
    """The split path is taken (a worker thread runs part of the update)."""
    torch.set_num_threads(2)
    seen = []
    original = torch.optim.Adam._update

    def spy(self, group, p, grad):
        import threading
        seen.append((threading.current_thread().name, p.shape))
        return original(self, group, p, grad)

    monkeypatch.setattr(torch.optim.Adam, "_update", spy)
    w = torch.zeros(SHAPE, requires_grad=True)
    opt = torch.optim.Adam([w])
    for _ in range(2):
        w.grad = torch.ones(SHAPE)
        opt.step()
    assert seen[0] == ("MainThread", torch.Size(SHAPE))       # first step: makes the state
    assert sorted(seen[1:]) == [("MainThread", torch.Size([300000])),
                                ("tshell-intraop", torch.Size([300000]))]


def test_an_error_in_a_part_reaches_the_caller(monkeypatch):
    torch.set_num_threads(2)
    original = torch.optim.Adam._update
    calls = []

    def failing(self, group, p, grad):
        import threading
        calls.append(1)
        if threading.current_thread().name == "tshell-intraop":
            raise RuntimeError("from the worker")
        return original(self, group, p, grad)

    w = torch.zeros(SHAPE, requires_grad=True)
    opt = torch.optim.Adam([w])
    w.grad = torch.ones(SHAPE)
    opt.step()
    monkeypatch.setattr(torch.optim.Adam, "_update", failing)
    with pytest.raises(RuntimeError, match="from the worker"):
        opt.step()
    assert len(opt.state) == 1


def test_not_split():
    """One thread, a non-contiguous parameter, a first step (it makes the state), SGD (its
    update is one BLAS call, which two threads only slow down): the update runs whole."""
    torch.set_num_threads(2)
    assert parallel.parts_for(parallel.MIN_SPLIT - 1) == 1
    assert parallel.parts_for(parallel.MIN_SPLIT) == 2
    torch.set_num_threads(1)
    assert parallel.parts_for(10**7) == 1
    torch.set_num_threads(2)
    w = torch.zeros(SHAPE).t().requires_grad_()
    opt = torch.optim.Adam([w])
    w.grad = torch.ones(SHAPE).t()
    opt.step()
    assert not opt._update_in_parts(opt.param_groups[0], w, w.grad)
    v = torch.zeros(SHAPE, requires_grad=True)
    opt = torch.optim.Adam([v])
    v.grad = torch.ones(SHAPE)
    assert not opt._update_in_parts(opt.param_groups[0], v, v.grad)
    opt.step()
    assert opt._update_in_parts(opt.param_groups[0], v, v.grad)
    assert not opt._splits({**opt.param_groups[0], "differentiable": True})
    for cls in (Optimizer, torch.optim.SGD, torch.optim.Adafactor, torch.optim.LBFGS):
        assert not cls.__dict__.get("_ELEMENTWISE", False)


def test_inference_mode():
    """In inference_mode the parameter's version still advances (it is a normal tensor);
    an inference tensor's update is not split (it has no version to count)."""
    torch.set_num_threads(2)
    results = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        w = torch.zeros(SHAPE, requires_grad=True)
        opt = torch.optim.Adam([w])
        for _ in range(2):
            w.grad = torch.ones(SHAPE)
            opt.step()
        with torch.inference_mode():
            w.grad = torch.ones(SHAPE)
            opt.step()
        results.append((w.detach().numpy().copy(), w._version))
    assert np.array_equal(results[0][0], results[1][0]) and results[0][1] == results[1][1]
    with torch.inference_mode():
        v = torch.zeros(SHAPE)
        v.grad = torch.ones(SHAPE)
        opt = torch.optim.Adam([v])
        opt.step()
        assert not opt._update_in_parts(opt.param_groups[0], v, v.grad)
        opt.step()
    assert v[0, 0].item() < 0
