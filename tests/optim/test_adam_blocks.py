"""Adam's block-by-block update (tshell/core/optim/adam_blocks.py) must be Adam._update's op
path bit for bit: parameters, state, version counters; and the op path must still be taken
wherever the block kernel does not apply."""
from __future__ import annotations

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import parallel
from tshell.core.optim import adam_blocks

# sizes around the block and the split: one element and a few (the kernel's own smallest),
# one block and one more, several blocks with a ragged end, a parameter split over two threads
SIZES = [(1,), (5, 3), (adam_blocks.BLOCK,), (adam_blocks.BLOCK + 1,), (37, 1111),
         (600, 1000)]


@pytest.fixture(autouse=True)
def every_size(monkeypatch):
    """The kernel for any size (it leaves small parameters to the op path by default)."""
    monkeypatch.setattr(adam_blocks, "MIN_NUMEL", 1)

CASES = [
    ("Adam", {"lr": 1e-3}),
    ("Adam", {"lr": 1e-2, "betas": (0.3, 0.5)}),            # lerp_ from the far end
    ("Adam", {"lr": 1e-2, "amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    ("Adam", {"lr": 1e-2, "maximize": True}),
    ("Adam", {"lr": 1e-2, "weight_decay": 0.5, "eps": 1e-3}),
    ("Adam", {"lr": 1e-2, "decoupled_weight_decay": True, "weight_decay": 0.1}),
    ("AdamW", {"lr": 1e-2, "weight_decay": 0.1, "amsgrad": True}),
]


@pytest.fixture(autouse=True)
def two_cpus(monkeypatch):
    monkeypatch.setattr(parallel, "CPU_COUNT", 2)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(threads)


def _trajectory(name, options, shape, steps=6, dtype=torch.float32):
    torch.manual_seed(0)
    p = torch.randn(shape, dtype=dtype, requires_grad=True)
    opt = getattr(torch.optim, name)([p], **options)
    for step in range(steps):
        torch.manual_seed(step + 1)
        # gradients with zeros, tiny and huge values: sqrt, eps and the FMAs' edge cases
        g = torch.randn(shape, dtype=dtype) * torch.tensor([0.0, 1e-20, 1.0, 1e6],
                                                          dtype=dtype)[step % 4]
        p.grad = g + torch.randn(shape, dtype=dtype) * 1e-3
        opt.step()
    return p, opt


def _snapshot(p, opt):
    state = opt.state[p]
    return ([p.detach().numpy().copy()] +
            [state[k].numpy().copy() for k in sorted(state) if k != "step"],
            [p._version] + [state[k]._version for k in sorted(state)],
            state["step"].item())


def _op_path(monkeypatch):
    monkeypatch.setattr(adam_blocks, "update", lambda *args, **kwargs: False)


@pytest.mark.parametrize("shape", SIZES, ids=str)
@pytest.mark.parametrize("name,options", CASES, ids=[f"{n}-{i}" for i, (n, _) in
                                                     enumerate(CASES)])
def test_blocks_are_the_op_path(monkeypatch, name, options, shape):
    blocks = _snapshot(*_trajectory(name, options, shape))
    _op_path(monkeypatch)
    ops = _snapshot(*_trajectory(name, options, shape))
    for a, b in zip(blocks[0], ops[0]):
        assert np.array_equal(a, b, equal_nan=True)
    assert blocks[1:] == ops[1:]


def _calls(monkeypatch):
    """The block kernel's calls that did the update."""
    taken = []
    real = adam_blocks.update

    def update(*args, **kwargs):
        done = real(*args, **kwargs)
        taken.append(done)
        return done
    monkeypatch.setattr(adam_blocks, "update", update)
    return taken


def test_the_block_kernel_is_taken(monkeypatch):
    taken = _calls(monkeypatch)
    _trajectory("Adam", {}, (20, 30), steps=2)
    assert taken == [True, True]


def test_the_parts_of_a_split_parameter_take_the_op_path(monkeypatch):
    """A parameter split over threads (Optimizer._update_in_parts, from its second step, once
    its state exists) updates each part by the ops: the block kernel gains nothing there."""
    taken = _calls(monkeypatch)
    _trajectory("Adam", {}, (600, 1000), steps=2)
    assert taken == [True]


def test_small_parameters_take_the_op_path(monkeypatch):
    monkeypatch.setattr(adam_blocks, "MIN_NUMEL", 4096)
    taken = _calls(monkeypatch)
    _trajectory("Adam", {}, (63, 65), steps=1)
    _trajectory("Adam", {}, (64, 64), steps=1)
    assert taken == [False, True]


@pytest.mark.parametrize("setup", [
    "p = torch.randn(4, 6, dtype=torch.float64, requires_grad=True)",
    "p = torch.randn(4, 6, requires_grad=True); g = torch.randn(6, 4).t()",
    "p = torch.randn(4, 6, requires_grad=True); lr = torch.tensor(0.01)",
    "p = torch.randn(4, 6, requires_grad=True); options['differentiable'] = True",
])
def test_other_cases_take_the_op_path(monkeypatch, setup):
    taken = _calls(monkeypatch)
    names = {"torch": torch, "options": {}, "g": None, "lr": 0.01}
    exec(setup, names)
    p, g, options = names["p"], names["g"], names["options"]
    if options.get("differentiable"):
        p = p.clone()          # a non-leaf, as differentiable=True is used
    opt = torch.optim.Adam([p], lr=names["lr"], **options)
    p.grad = g if g is not None else torch.randn(p.shape, dtype=p.dtype)
    opt.step()
    assert taken == [False]
    assert torch.isfinite(p).all()


def test_forward_ad_duals_take_the_op_path(monkeypatch):
    fwAD = torch.autograd.forward_ad
    taken = _calls(monkeypatch)
    p = torch.randn(3, requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.1)
    p.grad = torch.ones(3)
    with fwAD.dual_level():
        opt.step()
    assert taken == [False]


def test_level2_cache_size_read_from_sysfs(tmp_path):
    for index, (level, size) in enumerate([("1", "32K"), ("2", "512K"), ("3", "32768K")]):
        entry = tmp_path / f"index{index}"
        entry.mkdir()
        (entry / "level").write_text(level + "\n")
        (entry / "size").write_text(size + "\n")
    assert adam_blocks.level2_cache_bytes(str(tmp_path)) == 512 * 1024
    assert adam_blocks.level2_cache_bytes(str(tmp_path / "absent")) is None


def test_blocks_only_where_a_block_fits_the_level2_cache(monkeypatch):
    monkeypatch.setattr(adam_blocks, "level2_cache_bytes", lambda: 512 * 1024)
    assert adam_blocks._least_numel() > 10 ** 12
    monkeypatch.setattr(adam_blocks, "level2_cache_bytes", lambda: 2 * 1024 * 1024)
    assert adam_blocks._least_numel() == 4096
    monkeypatch.setattr(adam_blocks, "level2_cache_bytes", lambda: None)
    assert adam_blocks._least_numel() == 4096
