"""The sandbox (docs/security.md, "Worker threads") against the optimizer's worker threads:
a huge thread count makes no threads beyond the CPUs, no program code runs on a worker (a
program's optimizer subclass never splits), and an update that fails stops every part."""

import io
import threading

import pytest

from tshell.core import parallel
from tshell.lang import Interpreter, TshRuntimeError


def run(src: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src + "\n", "<threads>")
    return out.getvalue()


STEP = ("w = torch.ones(2 * 10**6, requires_grad=True)\nopt = OPT\n(w * w).sum().backward()\n"
        "opt.step()\n")


@pytest.fixture(autouse=True)
def one_thread_after():
    yield
    run("torch.set_num_threads(1)")


def _workers() -> int:
    return sum(t.name == "tshell-intraop" for t in threading.enumerate())


def test_a_huge_thread_count_makes_no_more_workers_than_cpus():
    run("torch.set_num_threads(10**6)\n" + STEP.replace("OPT", "torch.optim.Adam([w])"))
    assert _workers() <= max(parallel.CPU_COUNT - 1, 0)


@pytest.mark.parametrize("n, message", [
    (0, "set_num_threads expects a positive integer"),
    (-1, "set_num_threads expects a positive integer"),
    ("'8'", "set_num_threads expects an int, but got str"),
])
def test_bad_thread_counts_are_pytorchs_errors(n, message):
    with pytest.raises(TshRuntimeError) as info:
        run(f"torch.set_num_threads({n})")
    assert info.value.message == message


def test_a_programs_optimizer_never_splits(monkeypatch):
    """A program's subclass may run its code in the update: it stays on the main thread."""
    splits = []
    real = parallel.run_parts
    monkeypatch.setattr(parallel, "run_parts", lambda jobs: splits.append(len(jobs)) or real(jobs))
    run("torch.set_num_threads(4)\n" + STEP.replace("OPT", "torch.optim.SGD([w], lr=0.1)"))
    library = list(splits)
    out = run("torch.set_num_threads(4)\n"
              "class Mine(torch.optim.SGD):\n    def step(self, closure=None):\n"
              "        print('step')\n        return super().step(closure)\n"
              + STEP.replace("OPT", "Mine([w], lr=0.1)"))
    assert out == "step\n" and splits == library, (library, splits)
