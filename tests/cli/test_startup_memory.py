"""Start-up's memory work (SPEC's start-up row): the pages `tshell -c` touches, against
`python -c "import numpy ..."`'s, counted as minor page faults (deterministic on a machine,
unlike the wall time they cost) with bytecode caches present, as after `pip install`."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tshell import cli

ROOT = Path(__file__).resolve().parent.parent.parent
TSHELL = [sys.executable, "-m", "tshell", "-c", "print(ones(2,2).sum())"]
NUMPY = [sys.executable, "-c", "import numpy; print(numpy.ones((2,2)).sum())"]
# Minor faults tshell's start may take beyond NumPy's import (1 664 on the development
# machine on 2026-12-07, from 3 733 before the frame stack stopped thrashing and op modules
# loaded at first use: docs/performance.md).
EXTRA_FAULTS = 2000


def _minor_faults(argv, env) -> int:
    """The minor page faults of one run of argv (its exit status must be 0)."""
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0
    return usage.ru_minflt


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's page-fault counts")
def test_start_up_touches_little_more_memory_than_numpy(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(tmp_path), PYTHONHASHSEED="0",
               OPENBLAS_NUM_THREADS="1")
    for argv in (TSHELL, NUMPY):            # bytecode caches written: not measured
        _minor_faults(argv, env)
    tshell, numpy = _minor_faults(TSHELL, env), _minor_faults(NUMPY, env)
    assert tshell <= numpy + EXTRA_FAULTS, (tshell, numpy)


def test_own_stack_chunk_runs_the_call():
    assert cli._on_own_stack_chunk(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        cli._on_own_stack_chunk(divmod, 1, 0)


def test_own_stack_chunk_frame_is_larger_than_a_chunk():
    # CPython's chunks are 16 KiB: a larger frame always starts a chunk of its own
    assert cli._on_own_stack_chunk.__code__.co_stacksize * 8 > 2 * 16384
