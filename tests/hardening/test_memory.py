"""The memory cap (docs/security.md): absurd sizes are a clear error before anything is allocated.

Tensor results are checked by the core (tshell.core.limits) where they are born; Python values
that tsh code can blow up (strings, lists, big ints, format widths) by tshell/lang/guards.py.
"""

import io
import os
import subprocess
import sys

import pytest

import tshell.core as torch
from tshell.core import limits
from tshell.lang import Interpreter, TshRuntimeError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def cap():
    """A 64 MiB cap for the test, the previous one restored afterwards."""
    old = limits.CAP.bytes
    limits.set_max_memory("64MB")
    yield 64 << 20
    limits.CAP.bytes = old


def run(src):
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(src, "<t>")
    return interp


TENSOR_BOMBS = [
    "zeros(10**12)", "rand(100000, 100000)", "ones(10**4, 10**4)", "randn(5000, 5000)",
    "full((10**5, 10**5), 1.0)", "empty(10**9)", "arange(10**12)", "arange(0, 1, 1e-12)",
    "linspace(0, 1, 10**12)", "eye(10**6)", "tensor([0] * 10**7)",
    "ones(1000, 1).expand(1000, 10**5).clone()",
    "ones(1000, 1).expand(1000, 10**5).contiguous()",
    "ones(1000, 1).expand(1000, 10**5).reshape(-1)",
    "ones(1000, 1000).repeat(100, 100)",
    "ones(10**5, 1) @ ones(1, 10**5)", "ones(10**5, 1).mm(ones(1, 10**5))",
    "ones(10, 10**4, 1).bmm(ones(10, 1, 10**4))", "matmul(ones(10, 5000, 1), ones(1, 5000))",
    "matmul(ones(100, 1, 500, 1), ones(100, 1, 500))",
    "cat([ones(1000, 1).expand(1000, 10**5)] * 2)",
    "stack([ones(1000, 1).expand(1000, 10**5)] * 2)",
    "ones(10**5, 1) + ones(1, 10**5)", "ones(10**5, 1) * ones(1, 10**5)",
    "ones(10**5, 1) > ones(1, 10**5)", "ones(10**4).outer(ones(10**4))",
    "torch.where(ones(10**5, 1) > 0, ones(1, 10**5), 0.0)",
    # ops beyond the first core surface whose result can dwarf their inputs
    "ones(3, 4).tensor_split(10**12)", "histc(ones(10), bins=10**12)",
    "bincount(tensor([10**12]))", "bincount(tensor([1]), minlength=10**12)",
    "ones(10**5, 1).lerp(ones(1, 10**5), 0.5)", "ones(10**5, 1).addcmul(ones(1, 10**5), ones(1))",
    "ones(10**5, 1).addcdiv(ones(1, 10**5), ones(1))", "ones(10).tile((10**6, 10**6))",
    "ones(10).repeat_interleave(10**12)", "ones(10**4).kron(ones(10**4))", "ones(10**5).diag()",
    "diag_embed(ones(10**5))", "einsum('i,j->ij', ones(10**5), ones(10**5))",
    "tensordot(ones(10**5), ones(10**5), dims=0)",
    # torch.linalg: factors larger than the matrix factorised
    "torch.linalg.svd(ones(1, 10**6))", "torch.svd(ones(10**6, 1), some=False)",
    "torch.linalg.qr(ones(10**6, 1), mode='complete')", "torch.linalg.lu(ones(10**6, 1))",
    "torch.lu_unpack(*torch.linalg.lu_factor(ones(10**6, 1)))",
    "torch.linalg.vander(ones(3), N=10**11)",
    "torch.linalg.multi_dot([ones(10**5, 1), ones(1, 10**5)])",
]


@pytest.mark.parametrize("src", TENSOR_BOMBS)
def test_tensor_results_above_the_cap_are_a_runtime_error(cap, src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    e = info.value
    assert e.type_name in ("RuntimeError", "MemoryError"), e.format()
    assert "bytes" in e.message and "memory limit" in e.message, e.format()


PYTHON_BOMBS = [
    "'a' * 10**10", "10**10 * 'a'", "[0] * 10**10", "(0,) * 10**10", "s = 'ab'\ns *= 10**9",
    "l = [1]\nl *= 10**10", "10**10**10", "x = 2\nx **= 10**10", "3 ** 10**8", "1 << 10**10",
    "list(range(10**12))", "tuple(range(10**12))", "sorted(range(10**12))",
    "list(enumerate(range(10**8)))", "f'{1:{10**10}}'", "f'{1.5:.10000000000f}'",
    "'{:>10000000000}'.format(1)", "'%10000000000d' % 1", "'x'.center(10**10)",
    "'x'.ljust(10**10)", "'x'.rjust(10**10)", "'x'.zfill(10**10)",
    "('x' * 10**6).replace('', 'y' * 100)",
]


@pytest.mark.parametrize("src", PYTHON_BOMBS)
def test_python_values_above_the_cap_are_a_memory_error(cap, src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    e = info.value
    assert e.type_name == "MemoryError", e.format()
    assert "bytes" in e.message, e.format()


@pytest.mark.parametrize("src,message", [
    # sizes Python itself refuses at once keep Python's error, as in CPython
    ("'ab' * 10**20", "OverflowError: cannot fit 'int' into an index-sized integer"),
    ("x = (1,)\nx *= 10**20", "OverflowError: cannot fit 'int' into an index-sized integer"),
    ("'ab' * 2**62", "OverflowError: repeated string is too long"),
    ("1 << 10**20", "OverflowError: too many digits in integer"),
    ("x = -1\nx <<= 10**20", "OverflowError: too many digits in integer"),
])
def test_sizes_python_refuses_at_once_keep_pythons_error(cap, src, message):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert f"{info.value.type_name}: {info.value.message}" == message


def test_sizes_below_the_cap_still_work(cap):
    interp = run("a = 'ab' * 1000\nb = [0] * 1000\nc = 2 ** 1000\nd = list(range(1000))\n"
                 "e = f'{1:>20}'\nf = ones(100, 1) + ones(1, 100)\ng = ones(10, 1).expand(10, 5).clone()\n"
                 "h = tuple(enumerate('abc'))\ni = sorted([3, 1, 2])\nj = 1 << 100\n"
                 "k = isinstance(d, list) and type(h) == tuple\n"
                 "m = 'order 123456789012345: %5.2f' % 1.5\nn = '{:>8}|{}'.format(1, 123456789012345)\n")
    ns = interp.namespace
    assert len(ns["a"]) == 2000 and ns["c"] == 2 ** 1000 and ns["f"].shape == (100, 100)
    assert ns["h"] == ((0, "a"), (1, "b"), (2, "c")) and ns["i"] == [1, 2, 3] and ns["k"]
    assert ns["m"] == "order 123456789012345:  1.50"          # digits in text are not widths
    assert ns["n"] == "       1|123456789012345"


def test_in_place_tensor_ops_and_small_broadcasts_are_unaffected(cap):
    x = torch.ones(3, 1)
    assert (x + torch.ones(1, 4)).shape == (3, 4)
    assert (torch.ones(3) + 1).sum().item() == 6


def _tsh(*args, env=None, input=None):
    full_env = dict(os.environ, PYTHONPATH=ROOT, NO_COLOR="1")
    full_env.pop("TSHELL_MAX_MEMORY", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "tshell", *args], capture_output=True,
                          text=True, env=full_env, timeout=60, input=input)


def test_max_memory_option_and_environment_variable():
    src = "x = ones(1000, 1000)\nprint(x.shape)"          # 4 MB
    p = _tsh("--max-memory", "1MB", "-c", src)
    assert p.returncode == 1 and "memory limit of 1048576 bytes" in p.stderr, p.stderr
    p = _tsh("-c", src, env={"TSHELL_MAX_MEMORY": "1MB"})
    assert p.returncode == 1 and "memory limit of 1048576 bytes" in p.stderr, p.stderr
    p = _tsh("--max-memory", "8MB", "-c", src, env={"TSHELL_MAX_MEMORY": "1MB"})
    assert p.returncode == 0 and "torch.Size([1000, 1000])" in p.stdout, p.stderr
    p = _tsh("--max-memory", "lots", "-c", "1")
    assert p.returncode == 2 and "invalid memory size" in p.stderr
    p = _tsh("-c", "'a' * 10**7", env={"TSHELL_MAX_MEMORY": "1MB"})
    assert p.returncode == 1 and "MemoryError" in p.stderr and "Traceback" not in p.stderr


def test_the_default_cap_is_the_available_memory():
    p = _tsh("-c", "zeros(10**12)")
    assert p.returncode == 1, p.stderr
    assert "RuntimeError: tensor of shape [1000000000000] needs 4000000000000 bytes" in p.stderr
