"""Adam's update of one float32 parameter, block kernel against the ops (tshell.core only):
`opt.step()` times in one process, the two paths alternating, one and two threads.

    python benchmarks/adam_update.py [NUMEL ...]      # default: 65536 200704 1000000

Prints microseconds per step (best of 7 rounds of 100 steps) for each size and thread count.
The block kernel is tshell/core/optim/adam_blocks.py; "ops" is Adam._update's op path.
"""
from __future__ import annotations

import sys
import time

import tshell.core as torch
from tshell.core.optim import adam_blocks

BLOCKS = adam_blocks.update


def best_of(step, rounds=7, steps=100):
    step()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps * 1e6)
    return min(times)


def compare(numel):
    torch.manual_seed(0)
    p = torch.randn(numel, requires_grad=True)
    p.grad = torch.randn(numel)
    opt = torch.optim.Adam([p], lr=1e-3)
    cells = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        adam_blocks.update = BLOCKS
        blocks = best_of(opt.step)
        adam_blocks.update = lambda *args, **kwargs: False
        ops = best_of(opt.step)
        adam_blocks.update = BLOCKS
        cells.append(f"{threads} thread(s): blocks {blocks:.0f} us, ops {ops:.0f} us")
    print(f"{numel:>8} elements  " + " | ".join(cells))


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [65536, 200704, 1000000]:
        compare(n)
