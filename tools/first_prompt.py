"""Time from starting `tshell` to its first prompt, in a pseudo-terminal (pexpect).

    python tools/first_prompt.py [RUNS]

Prints the median and the minimum over RUNS starts (default 9). Run it on a quiet machine:
other work on the CPUs shows up directly in the numbers.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def first_prompt_seconds(env: dict) -> float:
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "tshell"], env=env, encoding="utf-8",
                          timeout=30, cwd=ROOT)
    child.expect(">>>")
    took = time.perf_counter() - start
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    return took


def main(runs: int = 9) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", COLORFGBG="15;0",
                   TSHELL_HISTORY=os.path.join(folder, "history"),
                   PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
        times = [first_prompt_seconds(env) for _ in range(runs)]
    print(f"first prompt: median {statistics.median(times):.3f} s, "
          f"min {min(times):.3f} s over {runs} runs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
