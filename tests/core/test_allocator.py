"""The allocator tuning: the first large tensor makes glibc recycle large blocks."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GLIBC = hasattr(os, "confstr") and os.confstr("CS_GNU_LIBC_VERSION") is not None

# Allocate three 800 KiB blocks and free them, 200 times (a training step's temporaries);
# print the minor page faults this caused.
_CHURN = """
import resource, sys
import numpy as np
import tshell.core as torch
from tshell.core import allocator
torch.zeros(10)
print(allocator.State.done)
torch.zeros(784, 256)
print(allocator.State.done)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(200):
    a, b, c = (np.ones(784 * 256, np.float32) for _ in range(3))
    del a, b, c
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _run(env_extra):
    env = dict(os.environ, PYTHONPATH=ROOT, **env_extra)
    for name in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", _CHURN], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    return out[0] == "True", out[1] == "True", int(out[2])


@pytest.mark.skipif(not GLIBC, reason="the tuning applies to glibc only")
def test_first_large_tensor_tunes_and_large_blocks_are_recycled():
    small_done, large_done, faults = _run({})
    assert (small_done, large_done) == (False, True)
    # Freshly mapped (or trimmed and regrown) blocks fault ~200 pages each: recycled, none.
    assert faults < 1000, faults


@pytest.mark.skipif(not GLIBC, reason="the tuning applies to glibc only")
def test_system_allocator_can_be_kept():
    _, done, faults = _run({"TSHELL_MALLOC": "system"})
    assert done                        # decided once, and the decision was to leave it
    assert faults > 1000, faults       # glibc's default: a fresh mapping per block
