"""DataLoader: batches of a dataset, in the order of a sampler, collated into tensors.

Everything runs in the calling process: num_workers > 0 is accepted (with a note on stderr,
once per process) and its workers are emulated (worker.py): batch k fetched by worker
k % num_workers with its dataset copy and generator, an iterable dataset iterated once per
worker, the workers' batches round-robin, as PyTorch's loader yields them.
"""
from __future__ import annotations

import math
import sys
import warnings

from ... import cuda
from ...dtypes import TorchModuleClass
from .collate import default_collate, default_convert
from .dataset import IterableDataset, TensorDataset, torch_repr
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, fresh_seed
from .worker import Workers, get_worker_info

__all__ = ["DataLoader", "get_worker_info"]

# What torch.multiprocessing.get_all_start_methods() lists on Linux.
_START_METHODS = ["fork", "spawn", "forkserver"]
# Attributes that fix what a loader yields: PyTorch refuses to set them after __init__.
_FIXED = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
          "persistent_workers")
_noted_workers = [False]


def _note_workers_once(num_workers):
    if not _noted_workers[0]:
        _noted_workers[0] = True
        sys.stderr.write(f"note: DataLoader(num_workers={num_workers}) loads its batches in "
                         "this process: tshell has no worker processes (the same batches, in "
                         "the same order)\n")


class _InfiniteConstantSampler(Sampler):
    """The index 'sampler' of an iterable dataset: None, forever."""

    def __iter__(self):
        return iter(lambda: None, 0)


class DataLoader(metaclass=TorchModuleClass):
    """Iterates over a dataset in batches (see PyTorch's torch.utils.data.DataLoader)."""

    _initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False,
                 timeout=0, worker_init_fn=None, multiprocessing_context=None,
                 generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        prefetch_factor = self._check_workers(num_workers, timeout, prefetch_factor,
                                              persistent_workers)
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = self._context(multiprocessing_context, num_workers)
        self.in_order = in_order
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler),
                                ("batch_sampler", batch_sampler)):
                if value not in (None, False) if name == "shuffle" else value is not None:
                    raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                     f"{name} option, but got {name}={value}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is None:
            if iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterable = iterable
        self._iterable_len = None        # len(dataset) of an iterable dataset, once asked
        self._persistent = None          # the Workers kept across passes (persistent_workers)
        self._initialized = True
        if num_workers > 0:
            _note_workers_once(num_workers)

    @staticmethod
    def _check_workers(num_workers, timeout, prefetch_factor, persistent_workers):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        return prefetch_factor

    @staticmethod
    def _context(context, num_workers):
        """The multiprocessing start method, checked as PyTorch does (and not used)."""
        if context is None:
            return None
        if num_workers <= 0:
            raise ValueError("multiprocessing_context can only be used with multi-process "
                             f"loading (num_workers > 0), but got num_workers={num_workers}")
        if not isinstance(context, str) or context not in _START_METHODS:
            raise ValueError("multiprocessing_context option should specify a valid start "
                             f"method in {_START_METHODS!r}, but got "
                             f"multiprocessing_context={context!r}")
        return context

    def __setattr__(self, attr, val):
        if self._initialized and attr in _FIXED:
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{type(self).__name__} is initialized")
        super().__setattr__(attr, val)

    def __iter__(self):
        return _SingleProcessDataLoaderIter(self)

    def _start_workers(self):
        """The workers of a new pass: new ones each time, as PyTorch starts them per
        iterator, or the first pass's again where persistent_workers=True."""
        if self._persistent is not None:
            return self._persistent
        workers = Workers(self.dataset, self.num_workers, fresh_seed(self.generator),
                          self.worker_init_fn)
        if self.persistent_workers:
            self._persistent = workers
        return workers

    def __len__(self):
        if self._iterable:
            length = self._iterable_len = len(self.dataset)
            if self.batch_size is not None:
                length = (length // self.batch_size if self.drop_last
                          else math.ceil(length / self.batch_size))
            return length
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def check_worker_number_rationality(self):
        """PyTorch warns about more workers than CPUs: tshell starts none."""

    __repr__ = torch_repr


class _SingleProcessDataLoaderIter(metaclass=TorchModuleClass):
    """One pass over a DataLoader: index batches from its sampler, samples from the dataset
    (dataset[i], or next() of iter(dataset) for an iterable one), collated — in the main
    process, or by the loader's workers in turn (batch k by worker k % num_workers, as
    PyTorch hands out indices)."""

    __slots__ = ("_dataset", "_collate", "_sampler", "_indices", "_batched", "_drop_last",
                 "_stream", "_whole_rows", "_ended", "_length", "_yielded", "_workers")

    def __init__(self, loader):
        if loader.timeout != 0 and loader.num_workers == 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        if loader.pin_memory and not cuda.is_available():
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", stacklevel=3)
        self._dataset = loader.dataset
        self._collate = loader.collate_fn
        self._batched = loader.batch_sampler is not None
        self._sampler = loader.batch_sampler if self._batched else loader.sampler
        self._indices = iter(self._sampler)
        if loader.num_workers > 0:
            self._workers = loader._start_workers()
        else:
            self._workers = None
            fresh_seed(loader.generator)    # PyTorch draws each pass's base seed
        self._drop_last = loader.drop_last
        self._stream = None
        if loader._iterable:
            self._stream = iter(loader.dataset) if self._workers is None \
                else _WorkerStreams(self._workers)
        # A TensorDataset collated by default_collate: a batch in one indexing per tensor
        self._whole_rows = (type(loader.dataset) is TensorDataset
                            and self._collate is default_collate)
        self._ended = False
        self._length = loader._iterable_len
        self._yielded = 0

    def __iter__(self):
        return self

    def __next__(self):
        index = next(self._indices)
        if self._stream is not None:
            data = self._next_of_stream(index)
        elif self._workers is None:
            data = self._fetch(self._dataset, index)
        else:
            worker = self._yielded % len(self._workers.infos)
            data = self._workers.run(worker, self._fetch, self._workers.infos[worker].dataset,
                                     index)
        self._yielded += 1
        if self._length is not None and self._yielded > self._length:
            warnings.warn(f"Length of IterableDataset {self._dataset} was reported to be "
                          f"{self._length}(when accessing len(dataloader)), but "
                          f"{self._yielded} samples have been fetched. ", stacklevel=2)
        return data

    def _fetch(self, dataset, index):
        if self._batched:
            if self._whole_rows:
                batch = dataset._collated_rows(index)
                if batch is not None:
                    return batch
            return self._collate([dataset[i] for i in index])
        return self._collate(dataset[index])

    def _next_of_stream(self, index):
        if self._ended:
            raise StopIteration
        if self._workers is not None:
            worker, data = self._stream.next_batch(len(index) if self._batched else None,
                                                   self._drop_last)
            if worker is None:
                self._ended = True
                raise StopIteration
            return self._workers.run(worker, self._collate, data)
        if not self._batched:
            return self._collate(next(self._stream))
        data = _take(self._stream, len(index))
        if len(data) < len(index):
            self._ended = True
        if not data or self._drop_last and len(data) < len(index):
            raise StopIteration
        return self._collate(data)

    def __len__(self):
        return len(self._sampler)

    __repr__ = torch_repr


def _take(stream, count):
    """Up to count items of stream (fewer at its end)."""
    data = []
    for _ in range(count):
        try:
            data.append(next(stream))
        except StopIteration:
            break
    return data


class _WorkerStreams:
    """An iterable dataset read as PyTorch's workers read it: each worker iterates its copy
    of the dataset; batches are taken from the workers in turn, a worker dropping out when
    its iterator ends."""

    __slots__ = ("_workers", "_streams", "_active", "_turn")

    def __init__(self, workers):
        self._workers = workers
        self._streams = [None] * len(workers.infos)
        self._active = list(range(len(workers.infos)))
        self._turn = 0

    def next_batch(self, size, drop_last):
        """(worker, its next batch: `size` items, or one item where size is None);
        (None, None) once every worker has ended."""
        while self._active:
            self._turn %= len(self._active)
            worker = self._active[self._turn]
            data = self._workers.run(worker, self._read, worker, size)
            if data is None or size is not None and len(data) < size:
                del self._active[self._turn]          # the worker's stream has ended
            else:
                self._turn += 1
            if data is not None and (size is None or data and not (
                    drop_last and len(data) < size)):
                return worker, data
        return None, None

    def _read(self, worker, size):
        if self._streams[worker] is None:
            self._streams[worker] = iter(self._workers.infos[worker].dataset)
        stream = self._streams[worker]
        if size is not None:
            return _take(stream, size)
        try:
            return next(stream)
        except StopIteration:
            return None
