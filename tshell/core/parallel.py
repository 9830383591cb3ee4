"""Elementwise work split over threads, as PyTorch's intra-op thread pool splits a kernel.

NumPy runs each operation on the calling thread. PyTorch runs an elementwise kernel of
more than 32 768 elements on all its intra-op threads (`torch.get_num_threads()`), which
on a training step's large parameters (an optimizer's update: a dozen passes over the
weights) is most of its lead. Python threads can do the same for a *sequence* of NumPy
operations on disjoint parts of the arrays: NumPy releases the GIL inside its loops, and
each part, half the size, also stays in its core's cache between the passes.

Handing work to a sleeping thread and back costs ~10 us, but the threads also take turns at
the GIL for the Python between NumPy calls (each tshell op dispatches for ~10 us), and each
turn a waiting thread takes costs a wake-up: measured on a 2-core VM, Adam's update of a
200 704-element parameter took 1.53 ms in two parts against 1.33 ms whole, of 524 288
elements 2.46 against 3.23 ms, of 1 048 576 4.1 against 6.2 ms, of 4 194 304 16.9 against
36.7 ms (`torch.set_num_threads(1)` against 2). Hence the large grain. Results are
bit-identical to running the whole on one thread (each element's arithmetic is the same),
which is what lets the optimizers use this.
"""
from __future__ import annotations

import os
import threading

from .switches import get_num_threads

# Parts are at least this many elements: below it, the turns at the GIL cost more than the
# second thread saves.
GRAIN = 262144
MIN_SPLIT = 2 * GRAIN           # the least work worth splitting
CPU_COUNT = os.cpu_count() or 1


class _Worker:
    """A daemon thread that runs one job at a time when asked."""

    def __init__(self):
        self._asked = threading.Event()
        self._done = threading.Event()
        self._job = None
        self._error = None
        threading.Thread(target=self._loop, name="tshell-intraop", daemon=True).start()

    def _loop(self):
        while True:
            self._asked.wait()
            self._asked.clear()
            try:
                self._job()
            except BaseException as error:    # re-raised on the calling thread
                self._error = error
            self._job = None
            self._done.set()

    def start(self, job):
        self._done.clear()
        self._error = None
        self._job = job
        self._asked.set()

    def join(self):
        """Wait for the job; a Ctrl-C meanwhile is delivered once the job has finished (the
        job writes into the caller's arrays, so the caller must not go on before it)."""
        interrupted = None
        while True:
            try:
                self._done.wait()
                break
            except KeyboardInterrupt as error:
                interrupted = error
        if interrupted is not None:
            raise interrupted
        error, self._error = self._error, None
        if error is not None:
            raise error


_workers: list[_Worker] = []
_lock = threading.Lock()          # one split at a time: the workers are shared


def parts_for(numel: int) -> int:
    """Into how many parts work over `numel` elements is worth splitting (1: don't)."""
    if numel < MIN_SPLIT:
        return 1
    return max(1, min(get_num_threads(), CPU_COUNT, numel // GRAIN))


def bounds(numel: int, parts: int) -> list[tuple[int, int]]:
    """[lo, hi) ranges of `parts` near-equal parts of range(numel)."""
    edges = [numel * i // parts for i in range(parts + 1)]
    return list(zip(edges[:-1], edges[1:]))


def run_parts(jobs) -> None:
    """Run jobs[1:] on worker threads and jobs[0] here, and return when all are done; the
    first exception raised (here first, then by the workers in order) is re-raised."""
    if len(jobs) == 1 or not _lock.acquire(blocking=False):
        for job in jobs:              # a split inside a split, or from a second thread
            job()
        return
    try:
        while len(_workers) < len(jobs) - 1:
            _workers.append(_Worker())
        started = []
        try:
            for worker, job in zip(_workers, jobs[1:]):
                worker.start(job)
                started.append(worker)
            jobs[0]()
        finally:
            errors = []
            for worker in started:
                try:
                    worker.join()
                except BaseException as error:
                    errors.append(error)
        if errors:
            raise errors[0]
    finally:
        _lock.release()
