"""torch.utils.data: datasets, samplers, collation and the DataLoader, as in PyTorch 2.13.

DataLoader reads a map-style dataset only through len(dataset) and dataset[i], and an
IterableDataset only through iter(dataset): datasets written as tsh classes work as Python
ones do. Loading always runs in the calling process (num_workers > 0 is accepted, with a
note); shuffling draws from tshell's generator.
"""
from __future__ import annotations

from .collate import default_collate, default_convert
from .dataloader import DataLoader
from .worker import get_worker_info
from .dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset,
                      Subset, TensorDataset, random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                      SubsetRandomSampler, WeightedRandomSampler)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset",
           "IterableDataset", "RandomSampler", "Sampler", "SequentialSampler", "StackDataset",
           "Subset", "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler",
           "default_collate", "default_convert", "get_worker_info", "random_split"]
