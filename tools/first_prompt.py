"""Time from starting `tshell` to its first prompt, in a pseudo-terminal (pexpect).

    python tools/first_prompt.py [RUNS]

Prints the median and the minimum over RUNS starts (default 9). Run it on a quiet machine:
other work on the CPUs shows up directly in the wall-clock numbers. On Linux it also prints
the CPU time the process had used when the prompt appeared (/proc/PID/stat), which other
load barely changes.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux), or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_prompt_seconds(env: dict) -> tuple:
    """(wall-clock seconds, CPU seconds or None) from starting tshell to its prompt."""
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "tshell"], env=env, encoding="utf-8",
                          timeout=30, cwd=ROOT)
    child.expect(">>>")
    took = time.perf_counter() - start
    cpu = cpu_seconds(child.pid)
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    return took, cpu


def main(runs: int = 9) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", COLORFGBG="15;0",
                   TSHELL_HISTORY=os.path.join(folder, "history"),
                   PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
        runs_made = [first_prompt_seconds(env) for _ in range(runs)]
    times = [wall for wall, _ in runs_made]
    print(f"first prompt: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s over {runs} runs")
    cpu = [c for _, c in runs_made if c is not None]
    if cpu:
        print(f"CPU time used by then: median {statistics.median(cpu):.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
