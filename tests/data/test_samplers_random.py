"""Samplers, shuffling, random_split and multinomial by distribution: tshell's generator is not
PyTorch's (the orders differ from PyTorch's for the same seed, docs/language.md), so what is
tested is that each order is a uniformly random one, that weights are respected, and that
seeds make runs repeatable."""

import itertools

import numpy as np

import tshell.core as torch
from tshell.core.utils.data import (DataLoader, RandomSampler, SubsetRandomSampler,
                                    TensorDataset, WeightedRandomSampler, random_split)
from tests.distributions.stats import assert_frequencies, chi2, chi2_bound

PASSES = 3000


def positions(orders, n):
    """counts[i, j]: how often element i came at position j."""
    counts = np.zeros((n, n))
    for order in orders:
        for j, i in enumerate(order):
            counts[i, j] += 1
    return counts


def assert_uniform_permutations(orders, n):
    orders = [list(o) for o in orders]
    for o in orders:
        assert sorted(o) == list(range(n))
    counts = positions(orders, n)
    stat = chi2(counts, np.full((n, n), len(orders) / n))
    assert stat < chi2_bound((n - 1) ** 2)
    # each of the n! orders is equally likely (n small)
    seen = {tuple(o) for o in orders}
    assert len(seen) == len(list(itertools.permutations(range(n))))


def test_random_sampler_gives_uniform_permutations():
    torch.manual_seed(0)
    s = RandomSampler(range(4))
    assert_uniform_permutations([list(s) for _ in range(PASSES)], 4)


def test_random_sampler_with_its_own_generator():
    g = torch.Generator().manual_seed(5)
    s = RandomSampler(range(4), generator=g)
    assert_uniform_permutations([list(s) for _ in range(PASSES)], 4)


def test_random_sampler_is_repeatable_from_the_seed():
    def orders(seed):
        torch.manual_seed(seed)
        s = RandomSampler(range(10))
        return [list(s) for _ in range(3)]
    assert orders(1) == orders(1)
    assert orders(1) != orders(2)
    first = orders(1)
    assert first[0] != first[1]          # each pass draws a new permutation


def test_random_sampler_with_replacement_is_uniform():
    torch.manual_seed(0)
    draws = list(RandomSampler(range(7), replacement=True, num_samples=14000))
    assert len(draws) == 14000
    assert_frequencies(np.bincount(draws, minlength=7), np.ones(7))


def test_random_sampler_more_samples_than_items():
    torch.manual_seed(0)
    draws = list(RandomSampler(range(5), num_samples=12))
    assert sorted(draws[:5]) == sorted(draws[5:10]) == list(range(5))
    assert len(set(draws[10:])) == 2


def test_subset_random_sampler_is_uniform_over_the_subset():
    torch.manual_seed(0)
    s = SubsetRandomSampler([3, 7, 11])
    orders = [[{3: 0, 7: 1, 11: 2}[i] for i in s] for _ in range(PASSES)]
    assert_uniform_permutations(orders, 3)


def test_weighted_random_sampler_follows_the_weights():
    torch.manual_seed(0)
    weights = [0.5, 0.0, 2.0, 1.5, 1.0]
    draws = list(WeightedRandomSampler(weights, 20000))
    assert_frequencies(np.bincount(draws, minlength=5), weights)


def test_weighted_random_sampler_without_replacement():
    torch.manual_seed(0)
    weights = np.array([0.1, 0.2, 0.3, 0.4])
    firsts, seconds = [], []
    s = WeightedRandomSampler(weights.tolist(), 2, replacement=False)
    for _ in range(8000):
        a, b = list(s)
        assert a != b
        firsts.append(a)
        seconds.append((a, b))
    assert_frequencies(np.bincount(firsts, minlength=4), weights, "first draw")
    # the second draw, given the first: the remaining weights
    after = [b for a, b in seconds if a == 3]
    rest = weights.copy()
    rest[3] = 0
    assert_frequencies(np.bincount(after, minlength=4), rest, "second draw")


def test_shuffled_loader_epochs_are_uniform_permutations():
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(torch.arange(4)), batch_size=3, shuffle=True)
    orders = [torch.cat([b[0] for b in loader]).tolist() for _ in range(PASSES)]
    assert_uniform_permutations(orders, 4)


def test_shuffled_loader_with_a_generator_is_repeatable():
    def epochs(seed):
        g = torch.Generator().manual_seed(seed)
        loader = DataLoader(list(range(20)), batch_size=5, shuffle=True, generator=g)
        return [[b.tolist() for b in loader] for _ in range(3)]
    assert epochs(3) == epochs(3)
    assert epochs(3) != epochs(4)


def test_random_split_puts_each_item_anywhere_with_equal_chance():
    counts = np.zeros(10)
    g = torch.Generator().manual_seed(0)
    for _ in range(PASSES):
        first, second = random_split(range(10), [3, 7], generator=g)
        assert sorted(list(first) + list(second)) == list(range(10))
        counts[list(first)] += 1
    assert_frequencies(counts, np.ones(10))


def test_multinomial_with_replacement_frequencies():
    torch.manual_seed(0)
    p = torch.tensor([[0.2, 0.0, 0.8], [1.0, 1.0, 2.0]])
    draws = torch.multinomial(p, 20000, replacement=True)
    assert draws.shape == (2, 20000)
    for row, probs in zip(draws.tolist(), p.tolist()):
        assert_frequencies(np.bincount(row, minlength=3), probs)


def test_multinomial_without_replacement_first_pick():
    torch.manual_seed(0)
    w = torch.tensor([1., 2., 3., 4.]).expand(20000, 4)
    picks = torch.multinomial(w, 4)
    assert all(sorted(r) == [0, 1, 2, 3] for r in picks.tolist()[:100])
    assert_frequencies(np.bincount(picks[:, 0].tolist(), minlength=4), [1, 2, 3, 4])


def test_samplers_on_the_cuda_device(cuda_device):
    x = torch.arange(6.).to(cuda_device)
    batches = list(DataLoader(TensorDataset(x), batch_size=4, shuffle=True))
    assert all(b[0].device.type == "cuda" for b in batches)
    assert sorted(torch.cat([b[0] for b in batches]).cpu().tolist()) == list(range(6))
    draws = torch.multinomial(torch.ones(3, device=cuda_device), 5, True)
    assert draws.device.type == "cuda" and draws.dtype == torch.int64
