"""The memory cap (docs/security.md, "Resource limits") against the torch surface added with
torch.func, the distributions, the signal windows, storages and the nn additions: each call
below allocates far more than its arguments hold, and must be refused by the cap before it
allocates, with tshell's error and no traceback.

Found by red-teaming that surface: each entry grew a `tshell --max-memory 64MB` process past
1 GiB (or ran for minutes) before its fix."""

import os
import subprocess
import sys
import tracemalloc

import pytest

import tshell.core as torch
from tshell.lang import TshRuntimeError

from tests.hardening.test_memory import cap  # noqa: F401  (the 64 MiB cap fixture)
from tests.hardening.test_memory import ROOT, run
from tests.hardening.test_memory_views import _peak_rss_of_tshell

SURFACE_BOMBS = [
    # a gather of weight rows per index, and a row per bag (offsets of zeros: empty bags)
    "F.embedding_bag(torch.zeros(10**5, dtype=torch.long), torch.ones(3, 10**3), "
    "torch.arange(10**5))",
    "F.embedding_bag(torch.zeros(1, dtype=torch.long), torch.ones(3, 10**3), "
    "torch.zeros(10**5, dtype=torch.long))",
    "torch.embedding_bag(torch.ones(3, 10**3), torch.zeros(10**5, dtype=torch.long), "
    "torch.arange(10**5))",
    # a copy of an expanded view, rearranged
    "F.pixel_shuffle(torch.ones(1, 1, 1, 1).expand(1, 10**8, 1, 1), 10**4)",
    "F.pixel_unshuffle(torch.ones(1, 1, 1, 1).expand(1, 1, 10**4, 10**4), 2)",
    "F.channel_shuffle(torch.ones(1, 1, 1, 1).expand(1, 10**4, 10**2, 10**2), 2)",
    # the alpha and beta tables of ctc_loss (T x (2 S + 1), float64 each)
    "F.ctc_loss(torch.ones(10**4, 1, 5).log_softmax(2), torch.ones(1, 10**4, dtype=torch.long), "
    "[10**4], [10**4])",
    "F.ctc_loss(torch.zeros(1, 1, 1).expand(10**4, 10**3, 10), torch.ones(10**3, 1, "
    "dtype=torch.long), [1] * 10**3, [1] * 10**3)",
    # Jacobians: an output.shape + input.shape block, built row by row or column by column
    "torch.autograd.functional.jacobian(lambda x: x, torch.ones(10**5))",
    "torch.autograd.functional.jacobian(lambda x: x, torch.ones(10**5), vectorize=True, "
    "strategy='forward-mode')",
    "torch.autograd.functional.hessian(lambda x: x.sum(), torch.ones(10**5), vectorize=True)",
    "torch.func.jacrev(lambda x: x)(torch.ones(10**5))",
    "torch.func.jacfwd(lambda x: x)(torch.ones(10**5))",
    "torch.func.hessian(lambda x: x.sum())(torch.ones(10**5))",
    # vmap: the per-sample results are stacked, and one sample costs a call and its tensors
    "torch.func.vmap(lambda x: torch.ones(10**4) * x)(torch.ones(10**5))",
    "torch.vmap(lambda x: x * 2)(torch.ones(1).expand(10**9))",
    # a storage's text and list: a line and a Python number per element (PyTorch prints them
    # all), 2.9 GiB for the 40 MB storage below
    "repr(torch.ones(10**7).untyped_storage())", "str(torch.ones(10**7).storage())",
    "torch.ones(10**7).untyped_storage().tolist()", "torch.ones(10**7).storage().tolist()",
]


# A zero-size tensor takes no memory, but reducing its empty dim leaves one element per
# position of the others: empty(2**27, 0).sum(1) is 2**27 zeros (count_nonzero grew a 64 MB
# process to 2 GiB); empty operands of products, norms' statistics, one_hot's comparison
# range, segment_reduce's empty segments and interpolate's index arrays likewise.
EMPTY_BOMBS = [f"torch.empty(2**27, 0).{r}" for r in (
    "sum(1)", "mean(1)", "prod(1)", "all(1)", "any(1)", "std(1)", "logsumexp(1)",
    "norm(dim=1)", "nansum(1)", "count_nonzero(1)", "sum(1, keepdim=True)", "nanmean(1)")] + [
    "torch.empty(0, 2**27).t().sum(1)", "torch.zeros(1, 0).expand(2**27, 0).sum(1)",
    "torch.linalg.vector_norm(torch.empty(2**27, 0), dim=1)",
    "torch.std_mean(torch.empty(2**27, 0), 1)",
    "torch.empty(2**27, 0) @ torch.empty(0)", "torch.mv(torch.empty(2**27, 0), torch.empty(0))",
    "F.layer_norm(torch.empty(2**27, 0), (0,))",
    "F.normalize(torch.empty(2**27, 0), dim=1)",
    "torch.segment_reduce(torch.empty(0, 2**20), 'sum', lengths=torch.zeros(2**6, "
    "dtype=torch.long))",
    "F.interpolate(torch.empty(1, 0, 1), size=2**27)",
]
# A module's repr: one line per registered child entry, a shared child counted each time
REPR_BOMBS = [
    "r = torch.nn.ReLU()\nprint(torch.nn.Sequential(*[r] * 200000))",
    "r = torch.nn.ReLU()\nprint(torch.nn.ModuleList([r] * 200000))",
    "r = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.ReLU())\n"
    "for _ in range(20):\n    r = torch.nn.Sequential(r, r)\nprint(r)",
]


@pytest.mark.parametrize("src", SURFACE_BOMBS + EMPTY_BOMBS + REPR_BOMBS)
def test_surface_results_above_the_cap_are_refused(cap, src):
    with pytest.raises(TshRuntimeError) as info:
        run("F = torch.nn.functional\n" + src)
    e = info.value
    assert e.type_name in ("RuntimeError", "MemoryError"), e.format()
    assert "memory limit" in e.message, e.format()


def test_surface_results_under_the_cap_still_work(cap):
    interp = run(
        "F = torch.nn.functional\n"
        "a = F.embedding_bag(torch.tensor([0, 2, 1]), torch.ones(3, 4), torch.tensor([0, 1]))\n"
        "b = F.pixel_shuffle(torch.ones(1, 8, 2, 2), 2)\n"
        "c = torch.func.vmap(lambda x: x * 2)(torch.ones(1000, 3))\n"
        "d = torch.func.jacrev(lambda x: x * 2)(torch.ones(100))\n"
        "e = torch.autograd.functional.jacobian(lambda x: x.sum(), torch.ones(100))\n"
        "f = torch.empty(1000, 0).sum(1) + torch.empty(1000, 0).norm(dim=1)\n"
        "g = F.one_hot(torch.empty(0, dtype=torch.long), 10)\n"
        "h = F.layer_norm(torch.empty(5, 0), (0,))\n")
    ns = interp.namespace
    assert ns["a"].shape == (2, 4) and ns["b"].shape == (1, 2, 4, 4)
    assert ns["c"].shape == (1000, 3) and ns["d"].shape == (100, 100)
    assert ns["e"].shape == (100,) and ns["f"].shape == (1000,) and ns["g"].shape == (0, 10)
    assert ns["h"].shape == (5, 0)


@pytest.mark.parametrize("src", [
    "torch.func.vmap(lambda x: torch.ones(10**4) * x)(torch.ones(10**5))",
    "torch.func.jacrev(lambda x: x)(torch.ones(10**5))",
])
def test_tshell_stops_a_growing_transform_at_the_cap(src):
    status, err, rss = _peak_rss_of_tshell(src)
    assert status == 1, err
    assert "memory limit of 67108864 bytes" in err and "Traceback" not in err, err
    assert rss < 256 << 20, f"peak RSS {rss >> 20} MiB"


def test_a_dataloader_batch_of_a_billion_items_is_refused_as_it_grows(cap):
    src = ("class D(torch.utils.data.Dataset):\n    def __len__(self):\n        return 10**12\n"
           "    def __getitem__(self, i):\n        return i\n"
           "dl = torch.utils.data.DataLoader(D(), batch_size=10**9)\n"
           "b = next(iter(dl))\n")
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert "DataLoader() would make" in info.value.message and "memory limit" in \
        info.value.message, info.value.format()
    interp = run(src.replace("10**9", "70000"))         # more than one chunk, under the cap
    assert interp.namespace["b"].shape == (70000,)


def test_apply_holds_no_index_per_element():
    """apply_/map_/map2_ walked np.ndindex, which builds every index first: 40 bytes per
    element, 400 MB for a 40 MB tensor of 10**7 elements, past a 64 MB cap."""
    x, y = torch.ones(50_000), torch.ones(1).expand(50_000)
    tracemalloc.start()
    try:
        x.apply_(lambda a: a + 1)
        x.map_(y, lambda a, b: a + b)
        x.map2_(y, y, lambda a, b, c: a + b + c)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert x[0].item() == 5.0 and x[-1].item() == 5.0
    assert peak < 1 << 18, f"peak {peak >> 10} KiB"


def test_one_hot_of_no_classes_compares_with_no_range():
    """one_hot of an empty tensor is empty, but it built arange(num_classes) first (2**27
    classes: 1 GiB, past any cap, for a result of no bytes)."""
    tracemalloc.start()
    try:
        r = torch.nn.functional.one_hot(torch.empty(0, dtype=torch.long), 2**22)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert tuple(r.shape) == (0, 2**22) and peak < 1 << 20, f"peak {peak >> 10} KiB"


@pytest.mark.parametrize("suffix", ["", ".pt", ".csv", ".txt", ".npy", ".npz"])
def test_load_reads_no_device(tmp_path, suffix):
    """torch.load read a checkpoint whole when it could not map it: /dev/zero (named, or
    through a link with any suffix) filled the memory (18 GiB here, the default cap)."""
    path = "/dev/zero"
    if suffix:
        path = tmp_path / f"zero{suffix}"
        path.symlink_to("/dev/zero")
    env = dict(os.environ, PYTHONPATH=ROOT, NO_COLOR="1")
    p = subprocess.run([sys.executable, "-c", _LIMITED, f"torch.load({str(path)!r})"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 1 and f"OSError: cannot load '{path}': not a regular file" in \
        p.stderr, p.stderr


# tshell -c with its address space limited to 2 GiB: a regression fails, never fills the RAM
_LIMITED = ("import resource, runpy, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
            "sys.argv = ['tshell', '--max-memory', '64MB', '-c', sys.argv[1]]\n"
            "runpy.run_module('tshell', run_name='__main__')\n")


# DataLoader's emulated workers are objects in this process: 3 * 10**6 of them (a WorkerInfo
# and a dataset copy each) took 912 MB and 46 s under a 64 MB cap.
@pytest.mark.parametrize("dataset", ["list(range(10))", "D()"])
def test_dataloader_workers_are_measured_before_they_are_made(cap, dataset):
    src = ("class D(torch.utils.data.Dataset):\n    def __init__(self):\n"
           "        self.items = list(range(10))\n    def __len__(self):\n        return 10\n"
           "    def __getitem__(self, i):\n        return self.items[i]\n"
           f"dl = torch.utils.data.DataLoader({dataset}, num_workers=3 * 10**6)\n"
           "b = next(iter(dl))\n")
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert "DataLoader() would make 3000000 workers" in info.value.message and \
        "memory limit" in info.value.message, info.value.format()
    interp = run(src.replace("3 * 10**6", "1000"))
    assert interp.namespace["b"].tolist() == [0]
