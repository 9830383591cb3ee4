"""The order of equal keys in an unstable CPU sort (ops/introsort.py); the golden family
sort_ties holds PyTorch's own orders."""
import time

import numpy as np

import tshell.core as torch
from tshell.core.ops import sorting
from tshell.core.ops.introsort import order, quick_select, top


def test_replays_std_sort_on_the_documented_example():
    # torch.sort's docstring: the 0s of [0, 1] * 9 come out at these indices
    assert order([0, 1] * 9) == [2, 16, 4, 6, 14, 8, 0, 10, 12, 9, 17, 15, 13, 11, 7, 5, 3, 1]


def test_order_sorts_whatever_the_ties():
    rng = np.random.default_rng(0)
    for n in (0, 1, 2, 15, 16, 17, 100, 3000):
        keys = rng.integers(0, 4, n).tolist()
        result = order(keys)
        assert sorted(result) == list(range(n))
        assert [keys[i] for i in result] == sorted(keys)


def test_depth_limit_falls_back_to_heapsort_and_still_sorts():
    # an organ-pipe of few distinct keys drives median-of-three partitions deep
    keys = [min(i, 4000 - i) % 7 for i in range(4000)]
    result = order(keys)
    assert [keys[i] for i in result] == sorted(keys)


def test_beyond_the_budget_equal_keys_keep_their_order(monkeypatch):
    monkeypatch.setattr(sorting, "_INTROSORT_ELEMENTS", 10)
    x = torch.tensor([0, 1] * 9)
    assert x.sort().indices.tolist() == x.sort(stable=True).indices.tolist()


def test_a_large_tied_sort_stays_fast():
    x = torch.arange(300_000) % 3            # over the budget: NumPy's stable sort alone
    start = time.perf_counter()
    idx = x.sort(descending=True).indices
    assert time.perf_counter() - start < 2
    assert (x[idx][:-1] >= x[idx][1:]).all()


def test_top_selects_what_a_sort_would():
    rng = np.random.default_rng(1)
    for n, k in ((10, 3), (200, 2), (200, 150), (65, 1), (64, 1)):
        keys = rng.integers(0, 5, n).tolist()
        chosen = top(keys, k)
        assert sorted(keys[i] for i in chosen) == sorted(keys)[:k]
        assert [keys[i] for i in chosen] == sorted(keys[i] for i in chosen)


def test_a_large_tied_topk_stays_fast():
    x = torch.arange(300_000) % 3
    start = time.perf_counter()
    values = x.topk(5, sorted=False).values
    assert time.perf_counter() - start < 2
    assert values.tolist() == [2] * 5


def test_quick_select_finds_the_kth_key():
    rng = np.random.default_rng(2)
    for n in (1, 2, 3, 17, 200):
        keys = rng.integers(0, 4, n).tolist()
        for k in range(0, n, max(1, n // 7)):
            assert keys[quick_select(keys, k)] == sorted(keys)[k]


def test_mode_with_nan_follows_pytorchs_comparisons():
    # PyTorch's `<` and `!=` leave each NaN a run of its own, so [nan, 1] has mode nan
    r = torch.tensor([float("nan"), 1.0]).mode()
    assert r.values.isnan().item() and r.indices.item() == 0
