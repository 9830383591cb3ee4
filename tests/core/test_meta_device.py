"""The meta device beyond the goldens (tests/golden/families/meta_device.py): tensors of
10**12 elements and ops on them take no memory (under a memory cap far below their size,
through the CLI), writes into meta tensors are no-ops, and a meta tensor's data is never
read or made."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import tshell.core as torch
from tshell.core import meta

ROOT = Path(__file__).resolve().parent.parent.parent

HUGE_PROGRAM = """
x = torch.empty(10**6, 10**6, device='meta')
print(x)
w = torch.zeros(10**6, 10**6, device='meta', dtype=torch.float16)
print((x + 1).shape, (x * x).sum(0).shape, x.t().shape)
print(w.float().dtype, x.mean(), torch.relu(x).dtype)
print(x.view(-1).shape, x[::2].shape, torch.rand(10**12, device='meta').shape)
m = torch.nn.Linear(10**6, 10**6, device='meta')
print(m.weight.shape, m.bias)
print((x @ x).shape, torch.cat([x, x]).shape, torch.stack([x, x], 1).shape)
print(torch.where(x > 0, x, 0.).shape, x.argmax(1).shape, x.max(1)[1].dtype, x.var(1).shape)
print(m(torch.ones(8, 10**6, device='meta')).shape, x.softmax(1).shape, x.cumsum(0).shape)
"""

HUGE_OUTPUT = """tensor(..., device='meta', size=(1000000, 1000000))
torch.Size([1000000, 1000000]) torch.Size([1000000]) torch.Size([1000000, 1000000])
torch.float32 tensor(..., device='meta', size=()) torch.float32
torch.Size([1000000000000]) torch.Size([500000, 1000000]) torch.Size([1000000000000])
torch.Size([1000000, 1000000]) Parameter containing:
tensor(..., device='meta', size=(1000000,), requires_grad=True)
torch.Size([1000000, 1000000]) torch.Size([2000000, 1000000]) torch.Size([1000000, 2, 1000000])
torch.Size([1000000, 1000000]) torch.Size([1000000]) torch.int64 torch.Size([1000000])
torch.Size([8, 1000000]) torch.Size([1000000, 1000000]) torch.Size([1000000, 1000000])
"""


def test_ops_reading_every_element_stay_within_the_cap():
    """An op without a shape rule runs NumPy on stand-ins, which would make the result: past
    the memory cap it is refused with the cap's error, not attempted."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TSHELL_MAX_MEMORY="64MB")
    p = subprocess.run([sys.executable, "-m", "tshell", "-c",
                        "torch.empty(10**6, 10**6, device='meta').sort(1)"], text=True,
                       capture_output=True, env=env, timeout=60)
    assert p.returncode == 1 and "memory limit" in p.stderr, p.stderr


def test_huge_meta_tensors_under_a_small_memory_cap():
    env = dict(os.environ, PYTHONPATH=str(ROOT), TSHELL_MAX_MEMORY="64MB")
    p = subprocess.run([sys.executable, "-m", "tshell", "-"], input=HUGE_PROGRAM, text=True,
                       capture_output=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout == HUGE_OUTPUT


# "Reasoning about Shapes in PyTorch" (tests/programs/recipe_shapes_meta.tsh): a convolution
# of a 2**10 x 3 x 2**16 x 2**16 meta input; im2col's window buffer and col2im's sum are meta too.
HUGE_CONV_PROGRAM = """
x = torch.rand(2**10, 3, 2**16, 2**16, device='meta', requires_grad=True)
conv = torch.nn.Conv2d(3, 5, 2, device='meta')
out = conv(x)
print(out)
out.sum().backward()
print(x.grad.shape, conv.weight.grad.shape, conv.bias.grad.shape)
w = torch.empty(2, 3, 5, device='meta')
print(torch.nn.functional.conv1d(torch.empty(4, 3, 10**9, device='meta'), w, stride=2).shape)
wt = torch.empty(3, 2, 5, 5, device='meta')
x = torch.empty(4, 3, 10**5, 10**5, device='meta')
print(torch.nn.functional.conv_transpose2d(x, wt).shape)
print(torch.nn.functional.unfold(torch.empty(2, 3, 10**4, 10**4, device='meta'), 3).shape)
"""

# Recorded from PyTorch 2.13.
HUGE_CONV_OUTPUT = """tensor(..., device='meta', size=(1024, 5, 65535, 65535),
       grad_fn=<ConvolutionBackward0>)
torch.Size([1024, 3, 65536, 65536]) torch.Size([5, 3, 2, 2]) torch.Size([5])
torch.Size([4, 2, 499999998])
torch.Size([4, 2, 100004, 100004])
torch.Size([2, 27, 99960004])
"""


def test_huge_meta_convolutions_under_a_small_memory_cap():
    env = dict(os.environ, PYTHONPATH=str(ROOT), TSHELL_MAX_MEMORY="64MB")
    p = subprocess.run([sys.executable, "-m", "tshell", "-"], input=HUGE_CONV_PROGRAM,
                       text=True, capture_output=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout == HUGE_CONV_OUTPUT


def test_a_contiguous_copy_of_a_meta_array_is_at_least_one_dimensional():
    """As np.ascontiguousarray: a 0-d array's copy has one element along one axis."""
    xp = meta.BACKEND.xp
    assert xp.ascontiguousarray(meta.empty((), np.float32)).shape == (1,)
    r = xp.ascontiguousarray(meta.empty((3, 4), np.float32).T, dtype=np.float64)
    assert type(r) is meta.MetaArray and r.shape == (4, 3) and r.dtype == np.float64


def test_meta_array_takes_one_element_of_memory():
    x = torch.empty(10 ** 6, 10 ** 6, device="meta")
    base = x._data
    while base.base is not None:
        base = base.base
    assert base.nbytes == 4
    assert x.stride() == (10 ** 6, 1) and x.is_contiguous()


def test_writes_into_meta_tensors_do_nothing():
    x = torch.zeros(3, 4, device="meta")
    for r in (x.fill_(2.), x.zero_(), x.add_(1), x.mul_(torch.ones(4, device="meta")),
              x.uniform_(), x.normal_()):
        assert r is x
    x[1] = 5.
    x[:, 0] = torch.ones(3, device="meta")
    assert x.is_meta and x.shape == (3, 4)


def test_results_of_ops_stay_meta_arrays():
    x = torch.ones(2, 3, device="meta")
    for r in (x + 1, x.sum(1), x @ x.t(), torch.cat([x, x]), x[torch.tensor([0, 1])],
              torch.where(x > 0, x, 0.), x.clone(), x.to(torch.float64)):
        assert type(r._data) is meta.MetaArray


def test_refusals_keep_pytorch_types():
    x = torch.ones(2, device="meta")
    for call, kind, text in ((lambda: x.sum().item(), RuntimeError, meta.NO_ITEM),
                             (x.tolist, NotImplementedError, meta.NO_DATA),
                             (lambda: np.asarray(x), TypeError, "can't convert meta"),
                             (x.cpu, NotImplementedError, meta.NO_DATA)):
        try:
            call()
        except kind as e:
            assert text in str(e)
        else:
            raise AssertionError("no error")


def test_with_device_restores_the_previous_default():
    with torch.device("meta"):
        with torch.device("cpu"):
            assert not torch.ones(1).is_meta
        assert torch.ones(1).is_meta
    assert not torch.ones(1).is_meta and torch.get_default_device() == torch.device("cpu")


def test_linear_algebra_on_meta_stays_within_the_cap():
    """numpy.linalg runs on identity stand-ins of the operands' shapes: past the memory cap
    that is refused with the cap's error, not attempted."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TSHELL_MAX_MEMORY="64MB")
    p = subprocess.run([sys.executable, "-m", "tshell", "-c",
                        "torch.linalg.inv(torch.empty(10**5, 100, 100, device='meta'))"],
                       text=True, capture_output=True, env=env, timeout=60)
    assert p.returncode == 1 and "memory limit" in p.stderr, p.stderr


def test_meta_linear_algebra_results_are_meta_arrays():
    m = torch.empty(2, 3, 3, device="meta", dtype=torch.float64)
    results = (torch.linalg.inv(m), torch.linalg.solve(m, m), torch.linalg.cholesky(m),
               torch.linalg.matrix_exp(m), *torch.linalg.svd(m), *torch.linalg.eigh(m))
    for r in results:
        assert type(r._data) is meta.MetaArray and r.is_meta and r.dtype is torch.float64


def test_random_ops_on_meta_leave_the_generator_alone():
    x = torch.empty(3, 4, device="meta")
    g = torch.Generator().manual_seed(3)
    before = g.get_state()
    for draw in (lambda: x.clone().bernoulli_(0.5, generator=g),
                 lambda: torch.bernoulli(x, generator=g),
                 lambda: torch.multinomial(x, 2, generator=g),
                 lambda: torch.poisson(x, generator=g),
                 lambda: x.clone().exponential_(generator=g),
                 lambda: x.clone().random_(0, 9, generator=g),
                 lambda: x.clone().geometric_(0.3, generator=g)):
        assert draw().is_meta
    assert torch.equal(g.get_state(), before)


def test_index_checks_read_no_meta_values():
    """The host-side bounds checks skip a meta index (it has no values to check)."""
    idx = torch.empty(2, 2, device="meta", dtype=torch.int64)
    assert not meta.has_values(idx._data) and meta.has_values(np.zeros(1))
    assert torch.empty(2, 5, device="meta").gather(1, idx).shape == (2, 2)


def test_a_loaded_meta_tensor_is_checked():
    from tshell.core import weights_only as wo
    from tshell.core.unpickler import UnpicklingError
    t = wo.rebuild_meta_tensor(torch.float16, (10**6, 10**6), (10**6, 1), True)
    assert t.is_meta and t.shape == (10**6, 10**6) and t.requires_grad
    for args in ((torch.float32, (2, -1), (1, 1), False), (torch.float32, (2,), (1, 1), False),
                 ("float32", (2,), (1,), False), (torch.float32, (2.5,), (1,), False),
                 (torch.float32, (2,), (1,), "yes")):
        try:
            wo.rebuild_meta_tensor(*args)
        except UnpicklingError:
            continue
        raise AssertionError(f"loaded {args}")


def test_load_with_map_location_meta(tmp_path):
    """torch.load(..., map_location='meta') (or a dict or device naming meta) gives meta
    tensors of the saved shapes and dtypes (views too), as PyTorch 2.13 prints them."""
    path = tmp_path / "m.pt"
    m = torch.nn.Linear(3, 2)
    torch.save({"sd": m.state_dict(), "v": torch.arange(10)[2:8:2], "n": 3}, path)
    d = torch.load(path, map_location="meta")
    assert str(d) == ("{'sd': OrderedDict([('weight', tensor(..., device='meta', size=(2, 3))), "
                      "('bias', tensor(..., device='meta', size=(2,)))]), 'v': tensor(..., "
                      "device='meta', size=(3,), dtype=torch.int64), 'n': 3}")
    v = torch.load(path, map_location={"cpu": "meta"})["v"]
    assert v.is_meta and v.shape == (3,) and v.dtype == torch.int64
    w = torch.load(path, map_location=torch.device("meta"), mmap=True)["sd"]["weight"]
    assert w.is_meta and w.shape == (2, 3)
    with torch.device("meta"):
        model = torch.nn.Linear(3, 2)
    model.load_state_dict(torch.load(path, map_location="meta")["sd"], assign=True)
    assert model.weight.is_meta and type(model.weight) is torch.nn.Parameter
