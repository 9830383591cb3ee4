"""A DataLoader's workers, run in the calling process.

Each of PyTorch's worker processes holds its own copy of the dataset (the fork's), seeds its
default generator with base_seed + id, runs worker_init_fn(id) once, and then fetches for the
loader with get_worker_info() describing it. tshell's workers are records of that state: a
shallow copy of the dataset (an attribute a worker_init_fn rebinds stays the worker's, as in
PyTorch; a tensor changed in place is shared, where PyTorch's copy-on-write would keep it
apart), the worker's own generator state, swapped in while the worker runs, so that drawing
inside a dataset leaves the main process's generator as PyTorch leaves it.
"""
from __future__ import annotations

import dataclasses
import sys

from ... import limits
from ...random import default_generator

__all__ = ["WorkerInfo", "get_worker_info"]

# What one worker takes besides its dataset's copied attributes: its WorkerInfo, generator
# entry and the copy's object (about 300 bytes measured, for a list dataset)
WORKER_BYTES = 512

_current_worker = [None]     # the WorkerInfo of the worker running now, None in the main process


@dataclasses.dataclass(frozen=True)
class WorkerInfo:
    """What get_worker_info() tells a dataset inside a worker."""
    id: int
    num_workers: int
    seed: int
    dataset: object
    rng: object = None
    worker_method: str = "multiprocessing"


WorkerInfo.__module__ = "torch.utils.data._utils.worker"    # type(info), as in PyTorch


def get_worker_info():
    """The WorkerInfo of the worker running now; None outside of one (as in PyTorch's main
    process)."""
    return _current_worker[0]


def _dataset_copy(dataset):
    """The worker's own dataset object: a new instance with the same attributes, made without
    the pickle protocol (which would run whatever __reduce__ a class declares); an object
    without a plain __dict__ is shared."""
    state = getattr(dataset, "__dict__", None)
    if type(state) is not dict:
        return dataset
    try:
        copy = object.__new__(type(dataset))
    except TypeError:             # a built-in base (a list subclass...) needs its own __new__
        return dataset
    copy.__dict__.update(state)
    return copy


class Workers:
    """The num_workers workers of one pass over a loader (of the loader's life where
    persistent_workers=True), started as PyTorch starts them: each with its dataset copy and
    seed, and worker_init_fn run in each, in worker order."""

    __slots__ = ("infos", "_generators")

    def __init__(self, dataset, num_workers, base_seed, worker_init_fn):
        state = getattr(dataset, "__dict__", None)
        copied = sys.getsizeof(state) if type(state) is dict else 0
        limits.check_count(num_workers, "DataLoader", "workers", WORKER_BYTES + copied)
        self.infos = [WorkerInfo(w, num_workers, base_seed + w, _dataset_copy(dataset))
                      for w in range(num_workers)]
        # (seed, numpy generator or None until the first draw): Generator.manual_seed's state
        self._generators = [(info.seed, None) for info in self.infos]
        if worker_init_fn is not None:
            for w in range(num_workers):
                self.run(w, worker_init_fn, w)

    def run(self, worker, fn, *args):
        """fn(*args) as worker `worker` runs it: get_worker_info() gives its WorkerInfo and
        the default generator draws from the worker's state."""
        main_state = default_generator._exchange(self._generators[worker])
        _current_worker[0] = self.infos[worker]
        try:
            return fn(*args)
        finally:
            self._generators[worker] = default_generator._exchange(main_state)
            _current_worker[0] = None
