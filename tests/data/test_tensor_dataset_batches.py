"""A DataLoader over a TensorDataset with default collation reads each batch with one
indexing per tensor: its batches must be what collating the samples one by one gives (the
path every other dataset takes), whatever the dtypes, layouts, devices and samplers."""

import pytest

import tshell.core as torch
from tshell.core.utils.data import DataLoader, Dataset, TensorDataset, default_collate


class OneByOne(Dataset):
    """The same samples through the general path (not a TensorDataset)."""

    def __init__(self, ds):
        self.ds = ds

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        return self.ds[i]


def assert_same_batches(ds, **options):
    fast = list(DataLoader(ds, **options))
    general = list(DataLoader(OneByOne(ds), **options))
    assert len(fast) == len(general)
    for a, b in zip(fast, general):
        assert type(a) is type(b) is list and len(a) == len(b)
        for x, y in zip(a, b):
            assert x.dtype == y.dtype and x.shape == y.shape and x.device == y.device
            assert x.stride() == y.stride() and x.is_contiguous() == y.is_contiguous()
            assert torch.equal(x, y)
            assert x.grad_fn is None and not x.requires_grad


TENSORS = {
    "float-rows": lambda: (torch.randn(11, 3, 2), torch.arange(11)),
    "transposed": lambda: (torch.arange(24.).view(4, 6).t(), torch.ones(6, dtype=torch.bool)),
    "0-d-samples": lambda: (torch.arange(7, dtype=torch.int32), torch.randn(7).double()),
    "half": lambda: (torch.randn(5, 2).half(),),
}


@pytest.mark.parametrize("name", sorted(TENSORS))
@pytest.mark.parametrize("options", [
    dict(batch_size=4), dict(batch_size=4, drop_last=True),
    dict(batch_size=3, sampler=[2, -1, 0, 1]),
    dict(batch_sampler=[[0, 1], [1, 1, 0]]), dict(batch_size=100)])
def test_fast_path_batches_equal_collated_samples(name, options):
    torch.manual_seed(0)
    assert_same_batches(TensorDataset(*TENSORS[name]()), **options)


def test_shuffled_batches_equal_for_the_same_generator():
    ds = TensorDataset(torch.randn(20, 3), torch.arange(20))
    a = list(DataLoader(ds, batch_size=6, shuffle=True, generator=torch.Generator().manual_seed(2)))
    b = list(DataLoader(OneByOne(ds), batch_size=6, shuffle=True,
                        generator=torch.Generator().manual_seed(2)))
    assert all(torch.equal(x, y) for p, q in zip(a, b) for x, y in zip(p, q))


def test_a_custom_collate_fn_sees_the_samples():
    seen = []
    loader = DataLoader(TensorDataset(torch.arange(4)), batch_size=2,
                        collate_fn=lambda batch: seen.append(batch) or len(batch))
    assert list(loader) == [2, 2]
    assert [[type(s).__name__ for s in b] for b in seen] == [["tuple", "tuple"]] * 2
    assert [[s[0].item() for s in b] for b in seen] == [[0, 1], [2, 3]]
    assert default_collate is DataLoader(TensorDataset(torch.arange(1))).collate_fn


def test_out_of_range_index_gives_the_one_by_one_error():
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        list(DataLoader(TensorDataset(torch.arange(3)), sampler=[0, 5], batch_size=2))


def test_fast_path_on_the_cuda_device(cuda_device):
    ds = TensorDataset(torch.arange(10.).view(5, 2).to(cuda_device), torch.arange(5))
    assert_same_batches(ds, batch_size=2)
    assert list(DataLoader(ds, batch_size=2))[0][0].device.type == "cuda"
