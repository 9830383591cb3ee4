"""The memory cap against views larger than their memory (issue 21): an expanded tensor such
as ones(10**4, 1).expand(10**4, 10**5) takes 40 KB but has a billion elements.

Making such a view, slicing it, reducing it and printing its summary are legal, as in
PyTorch. Anything that reads every element into something new (elementwise ops, sorts, scans,
copies, casts, gathers by an expanded index, full printing, show, plots) would allocate the
logical size, and is the core's memory-cap RuntimeError before NumPy allocates.
"""

import os
import subprocess
import sys
import tracemalloc

import pytest

import tshell.core as torch
from tests.hardening import fuzzgen
from tests.hardening.test_fuzz import _interpreter, _vocabulary, sandboxed  # noqa: F401
from tests.hardening.test_memory import ROOT, cap  # noqa: F401 (cap: the 64 MiB fixture)
from tshell.core import limits
from tshell.lang import TshError, TshRuntimeError

E = "ones(10**4, 1).expand(10**4, 10**5)"                     # float32, 4 GB of elements
# Masks are counted before they are used: 10**8 elements (100 MB) keep the tests quick.
B = "(ones(10**3, 1) > 0).expand(10**3, 10**5)"               # bool, all True
E8 = "ones(10**3, 1).expand(10**3, 10**5)"                    # E's values, masked by B
IX = "zeros(1, 1, dtype=torch.long).expand(10**4, 10**5)"     # an index of 10**9 zeros
I1 = "zeros(1, dtype=torch.long).expand(10**9)"

VIEW_BOMBS = [
    # a result at least the input's logical size
    f"{E}.sort()", f"{E}.argsort()", f"{E}.roll(1, 0)", f"{E}.cumsum(0)", f"{E}.cumprod(1)",
    f"{E}.flip(0)", f"{E}.unique()", f"{E8}.nonzero()", f"torch.where({B})",
    f"{E8}.masked_select({B})", f"{E8}[{B}]", f"{E}.tolist()", f"{E}.topk(3)", f"{E}.median()",
    f"{E}.cummax(1)", f"{E}.var()", f"{E}.std(0)", f"{E}.argmax()", f"{E}.max(0)",
    f"{E}.norm()", f"{E}.logcumsumexp(1)", f"{E}.histc()", f"{E}.rot90()", f"{E}.tril()",
    f"{E}.repeat(1, 1)", f"{E}.clone()", f"{E}.double()", f"{E}.long()", f"torch.tensor({E})",
    f"torch.isin({E}, ones(3))",
    # elementwise, also with a number, equal shapes and several operands
    f"{E}.exp()", f"{E}.abs()", f"-{E}", f"~{B}", f"{B}.logical_not()", f"{E} + 1",
    "ones(10**5, 1).expand(10**5, 10**5) + 1", f"2 * {E}", f"{E} > 0", f"{E} * {E}",
    f"{E} + ones(10**5)", f"{E}.clamp(0, 1)", f"{E}.clamp(ones(1), ones(1))",
    f"torch.where({B}, {E8}, 0.0)", f"{E}.lerp({E}, 0.5)", f"{E}.addcmul({E}, {E})",
    f"{E8}.masked_fill({B}, 0)", f"{E}.isclose({E})", f"{E}.softmax(1)",
    f"torch.nn.functional.mse_loss({E}, {E})",
    # matrix products: NumPy (2.5 on) copies an operand of stride 0 before calling BLAS
    "ones(16, 1).expand(16, 10**8) @ ones(1, 16).expand(10**8, 16)",
    "torch.nn.functional.linear(ones(16, 1).expand(16, 10**8), ones(16, 1).expand(16, 10**8))",
    "ones(1, 1).expand(16, 10**8).mv(ones(1).expand(10**8))",
    "ones(1, 1, 1).expand(2, 16, 10**8).bmm(ones(1, 1, 1).expand(2, 10**8, 3))",
    # gathers by an expanded index, or index arrays broadcast against each other
    f"ones(10)[{IX}]", f"ones(10).take({IX})", f"ones(10).index_select(0, {I1})",
    f"ones(10**4, 1).gather(1, {IX})", f"ones(10**4, 1).take_along_dim({IX}, 1)",
    "ones(10, 10)[zeros(10**5, 1, dtype=torch.long), zeros(1, 10**5, dtype=torch.long)]",
    # printed text, show and plots read every value
    f"set_printoptions(threshold=10**9)\nprint({E})",
    f"set_printoptions(profile='full')\nrepr({E})",
    "set_printoptions(threshold=10**9)\nstr(ones(10**7, dtype=torch.bool))",
    f"show({E})", f"plot({E})", f"hist({E})", "hist(ones(100), bins=6*10**5)",
    # creation whose size is an argument
    "logspace(0, 1, 10**8)", "randperm(10**8)",
    # so many views that their objects alone exceed the cap
    "ones(1).expand(10**6).unbind()", "ones(10**6).split(1)",
]


def run(src):
    """src in a fresh interpreter with tshell's own built-ins (show, plot, hist)."""
    interp = _interpreter()
    try:
        interp.run_source(src, "<t>")
    finally:
        torch.set_printoptions(profile="default")
    return interp


@pytest.mark.parametrize("src", VIEW_BOMBS)
@pytest.mark.usefixtures("cap")
def test_reading_every_element_of_a_huge_view_is_the_memory_cap_error(src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    e = info.value
    assert e.type_name == "RuntimeError", e.format()
    assert "bytes" in e.message and "memory limit" in e.message, e.format()


PYTORCH_SUMMARY = (
    "tensor([[1., 1., 1.,  ..., 1., 1., 1.],\n"
    "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
    "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
    "        ...,\n"
    "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
    "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
    "        [1., 1., 1.,  ..., 1., 1., 1.]])")  # torch 2.13's text for the same tensor


@pytest.mark.usefixtures("cap")
def test_reductions_and_sparse_masks_of_a_huge_view_still_work():
    e = torch.ones(10 ** 3, 1).expand(10 ** 3, 10 ** 5)     # 400 MB of elements
    assert e.max().item() == e.min().item() == e.prod().item() == 1
    assert e.all() and e.any() and e.count_nonzero().item() == 10 ** 8
    assert e.sum(0).shape == (10 ** 5,) and e.amax(1).shape == (10 ** 3,)
    assert abs(e.mean().item() - 1) < 1e-3 and abs(e.sum().item() / 1e8 - 1) < 1e-3
    few = (torch.arange(10 ** 3) < 2).unsqueeze(1).expand(10 ** 3, 10 ** 5)
    assert e[few].shape == e.masked_select(few).shape == (2 * 10 ** 5,)   # masks select few


@pytest.mark.usefixtures("cap")
def test_views_and_the_summary_of_a_huge_view_still_work():
    e = torch.ones(10 ** 4, 1).expand(10 ** 4, 10 ** 5)
    assert str(e) == PYTORCH_SUMMARY
    assert e.expand(2, 10 ** 4, 10 ** 5).shape == (2, 10 ** 4, 10 ** 5)
    assert e.t().shape == e.T.shape == e.permute(1, 0).shape == (10 ** 5, 10 ** 4)
    assert e[5:10].shape == (5, 10 ** 5) and e[0].shape == e.select(0, 1).shape == (10 ** 5,)
    assert e.unsqueeze(0).shape == (1, 10 ** 4, 10 ** 5) and e.diagonal().shape == (10 ** 4,)
    assert e[:, :3].clone().shape == e.narrow(1, 0, 3).contiguous().shape == (10 ** 4, 3)
    assert e.float() is e and e.numpy().shape == (10 ** 4, 10 ** 5)
    assert e[[0, 1]].shape == (2, 10 ** 5)              # small gathers stay legal


@pytest.mark.usefixtures("cap")
def test_the_gradient_of_a_reduced_huge_view_is_computed():
    x = torch.ones(10 ** 4, 1, requires_grad=True)
    x.expand(10 ** 4, 10 ** 5).sum().backward()           # the gradient flows as a view
    assert x.grad.shape == (10 ** 4, 1) and x.grad[0, 0].item() == 10 ** 5


# ---- every op, in the real program ------------------------------------------------------------

SWEEP_CAP = 1 << 20
SWEEP_SETUP = "E = ones(16, 1).expand(16, 2**16)\n"        # 4 MiB of elements in 64 bytes
SWEEP_ARGS = ("", "0", "1", "E")


def _sweep_names():
    functions, methods = _vocabulary()
    functional = sorted(n for n in vars(torch.nn.functional) if not n.startswith("_"))
    return ([f"torch.{n}(E{{}})" for n in functions if n not in fuzzgen.STATEFUL]
            + [f"torch.nn.functional.{n}(E{{}})" for n in functional]
            + [f"E.{n}({{}})" for n in methods if n != "backward"])


def _peak(interp, source):
    """(whether source was refused by the memory cap, the bytes it held at its peak)"""
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        interp.run_source(source, "<sweep>")
        refused = False
    except TshError as e:
        refused = "memory limit" in e.format()
    return refused, tracemalloc.get_traced_memory()[1] - before


@pytest.mark.usefixtures("sandboxed")
def test_no_op_copies_an_expanded_view_past_the_cap():
    """Every public op and method on a view with 4 times the cap's bytes of elements either
    stays within the cap (views, reductions, errors) or is refused by it."""
    interp = _interpreter()
    limits.set_max_memory(SWEEP_CAP)
    failures = []
    tracemalloc.start()
    try:
        for call in _sweep_names():
            for arg in SWEEP_ARGS:
                src = call.format((", " if call.startswith("torch.") and arg else "") + arg)
                interp.run_source(SWEEP_SETUP)
                refused, peak = _peak(interp, f"y = {src}")
                if not refused and peak > 2 * SWEEP_CAP:
                    failures.append(f"{src}: {peak >> 10} KiB")
    finally:
        tracemalloc.stop()
    assert not failures, "\n".join(failures)


# ---- the real program -------------------------------------------------------------------------

def _peak_rss_of_tshell(src):
    """(exit status, stderr, peak RSS in bytes) of `tshell --max-memory 64MB -c src`, measured
    in a fresh process of its own (RUSAGE_CHILDREN keeps the largest child ever waited for)."""
    probe = ("import resource, subprocess, sys\n"
             "p = subprocess.run([sys.executable, '-m', 'tshell', '--max-memory', '64MB', '-c', "
             "sys.argv[1]], capture_output=True, text=True)\n"
             "sys.stderr.write(p.stderr)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)\n"
             "sys.exit(p.returncode)")
    env = dict(os.environ, PYTHONPATH=ROOT, NO_COLOR="1")
    env.pop("TSHELL_MAX_MEMORY", None)
    p = subprocess.run([sys.executable, "-c", probe, src], capture_output=True, text=True,
                       env=env, timeout=120)
    return p.returncode, p.stderr, int(p.stdout.split()[-1])


@pytest.mark.parametrize("src", [
    f"{E}.sort()", "ones(10**5, 1).expand(10**5, 10**5) + 1", f"ones(10)[{IX}]",
    f"set_printoptions(threshold=10**9); print({E})", "randperm(10**8)",
])
def test_tshell_exits_with_the_memory_error_without_allocating(src):
    status, err, rss = _peak_rss_of_tshell(src)
    assert status == 1, err
    assert "RuntimeError: tensor of shape" in err and "more than the memory limit of 67108864 " \
        "bytes" in err and "Traceback" not in err, err
    assert rss < 256 << 20, f"peak RSS {rss >> 20} MiB"


def test_tshell_prints_and_reduces_a_huge_view_under_the_cap():
    status, err, rss = _peak_rss_of_tshell(f"e = {E}; print(e); print(e.max(), e[7].shape)")
    assert status == 0, err
    assert rss < 256 << 20, f"peak RSS {rss >> 20} MiB"
