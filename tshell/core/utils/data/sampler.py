"""Samplers: the order in which a DataLoader visits a dataset's indices, and its batches."""
from __future__ import annotations

import itertools

from ... import limits
from ...dtypes import TorchModuleClass, float64, int64
from ...ops.creation import as_tensor, empty
from ...random import Generator, multinomial, randint, randperm
from .dataset import torch_repr

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler",
           "SubsetRandomSampler", "WeightedRandomSampler"]


class Sampler(metaclass=TorchModuleClass):
    """Iterates over indices (or lists of indices: batches) of a dataset."""

    def __iter__(self):
        raise NotImplementedError

    __repr__ = torch_repr


class _Deferred:
    """An iterator whose items are made at the first next(), as a generator's body runs then:
    a random sampler draws when iteration starts, not when iter() is called."""

    __slots__ = ("_make", "_items")

    def __init__(self, make):
        self._make, self._items = make, None

    def __iter__(self):
        return self

    def __next__(self):
        if self._items is None:
            self._items = iter(self._make())
            self._make = None
        return next(self._items)


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


def fresh_seed(generator=None):
    """A seed drawn from the generator: PyTorch's torch.empty((), dtype=torch.int64)
    .random_(generator=generator)."""
    return int(empty((), dtype=int64).random_(generator=generator))


class RandomSampler(Sampler):
    """The indices in random order (a new permutation per pass), or num_samples indices
    drawn with replacement."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError("replacement should be a boolean value, but got "
                            f"replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self):
        if self._num_samples is None:
            return len(self.data_source)
        return self._num_samples

    def __iter__(self):
        return _Deferred(self._indices)

    def _indices(self):
        n = len(self.data_source)
        generator = self.generator
        if generator is None:       # a pass draws one seed from the default generator
            generator = Generator().manual_seed(fresh_seed())
        if self.replacement:
            return randint(0, n, (self.num_samples,), dtype=int64,
                           generator=generator).tolist()
        indices = []
        for _ in range(self.num_samples // n):
            indices += randperm(n, generator=generator).tolist()
        return indices + randperm(n, generator=generator).tolist()[:self.num_samples % n]

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in random order, without replacement."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        return _Deferred(lambda: [self.indices[i] for i in randperm(
            len(self.indices), generator=self.generator).tolist()])

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """num_samples indices of range(len(weights)), index i with probability proportional
    to weights[i]; without replacement each index at most once."""

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or \
                num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError("replacement should be a boolean value, but got "
                             f"replacement={replacement}")
        weights_tensor = as_tensor(weights, dtype=float64)
        if len(weights_tensor.shape) != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights_tensor.shape)}")
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        return _Deferred(lambda: multinomial(self.weights, self.num_samples, self.replacement,
                                             generator=self.generator).tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Lists of batch_size indices of sampler, the last one shorter unless drop_last."""

    def __init__(self, sampler, batch_size, drop_last):
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        return _Batches(iter(self.sampler), self.batch_size, self.drop_last)

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size


class _Batches:
    """The batches of an index iterator (which may be endless)."""

    __slots__ = ("_indices", "_size", "_drop_last")

    def __init__(self, indices, size, drop_last):
        self._indices, self._size, self._drop_last = indices, size, drop_last

    def __iter__(self):
        return self

    def __next__(self):
        batch = list(itertools.islice(self._indices, min(self._size, limits.SMALL)))
        while limits.SMALL <= len(batch) < self._size:
            # a batch of a billion indices, and then its items: each chunk held to the cap
            limits.check_count(len(batch), "DataLoader")
            more = list(itertools.islice(self._indices, min(self._size - len(batch),
                                                            limits.SMALL)))
            if not more:
                break
            batch += more
        if not batch or self._drop_last and len(batch) < self._size:
            raise StopIteration
        return batch
