"""The order of equal keys in PyTorch's unstable CPU sort.

`torch.sort(x)` (stable=False) on the CPU sorts each slice with the C++ standard library's
std::sort (introsort, as in libstdc++): equal keys come out in an order fixed by the
algorithm, not by their positions (`torch.tensor([0, 1] * 9).sort()` gives the 0s at
indices 2, 16, 4, 6, 14, 8, 0, 10, 12). NumPy's sorts give other orders, so for slices that
hold equal keys `order` replays introsort's steps on the keys' ranks: its median-of-three
pivot, unguarded Hoare partition, depth limit with heapsort, and final insertion sort.
Ascending sorts of 1-d integer tensors of 32 768 elements or more take PyTorch's radix sort
instead, which is stable (the caller's case, see sorting.py).
"""
from __future__ import annotations

_INSERTION_SIZE = 16       # std::sort leaves runs this short to the final insertion sort


def order(keys: list) -> list:
    """The permutation std::sort gives sorting positions 0..n-1 by `keys` (numbers compared
    with <; callers give ranks, negated for a descending sort, NaN as the largest rank)."""
    positions = list(range(len(keys)))
    n = len(positions)
    if n > 1:
        _Introsort(keys, positions).run(n)
    return positions


class _Introsort:
    """One std::sort of `items` (positions into `keys`), in place."""

    __slots__ = ("keys", "items")

    def __init__(self, keys, items):
        self.keys, self.items = keys, items

    def less(self, i, j) -> bool:
        """items[i] < items[j] by key."""
        keys, items = self.keys, self.items
        return keys[items[i]] < keys[items[j]]

    def swap(self, i, j):
        items = self.items
        items[i], items[j] = items[j], items[i]

    def run(self, n):
        self.loop(0, n, 2 * (n.bit_length() - 1))
        self.final_insertion_sort(n)

    def loop(self, first, last, depth):
        while last - first > _INSERTION_SIZE:
            if depth == 0:
                self.heapsort(first, last)
                return
            depth -= 1
            self.median_to_first(first, first + 1, first + (last - first) // 2, last - 1)
            cut = self.partition(first + 1, last, first)
            self.loop(cut, last, depth)
            last = cut

    def median_to_first(self, result, a, b, c):
        less = self.less
        if less(a, b):
            median = b if less(b, c) else c if less(a, c) else a
        else:
            median = a if less(a, c) else c if less(b, c) else b
        self.swap(result, median)

    def partition(self, first, last, pivot) -> int:
        """Hoare's partition around items[pivot], without bounds checks (the pivot is a
        median of three, so each scan stops inside the range)."""
        keys, items = self.keys, self.items
        pivot_key = keys[items[pivot]]
        while True:
            while keys[items[first]] < pivot_key:
                first += 1
            last -= 1
            while pivot_key < keys[items[last]]:
                last -= 1
            if first >= last:
                return first
            items[first], items[last] = items[last], items[first]
            first += 1

    def final_insertion_sort(self, n):
        keys, items = self.keys, self.items
        head = min(n, _INSERTION_SIZE)
        for i in range(1, head):                  # guarded: may move to the front
            item = items[i]
            if keys[item] < keys[items[0]]:
                items[1:i + 1] = items[0:i]
                items[0] = item
            else:
                self.linear_insert(i)
        for i in range(head, n):                  # the front now holds the least key
            self.linear_insert(i)

    def linear_insert(self, last):
        keys, items = self.keys, self.items
        item = items[last]
        key = keys[item]
        while key < keys[items[last - 1]]:
            items[last] = items[last - 1]
            last -= 1
        items[last] = item

    # heapsort, where the depth limit is reached (as std::partial_sort over the whole run)
    def heapsort(self, first, last):
        length = last - first
        for parent in range((length - 2) // 2, -1, -1):
            self.sift(first, parent, length, self.items[first + parent])
        while last - first > 1:
            last -= 1
            value = self.items[last]
            self.items[last] = self.items[first]
            self.sift(first, 0, last - first, value)

    def sift(self, first, hole, length, value):
        """Move the hole at `hole` down to a leaf along the larger children, then `value` up
        from there (std::__adjust_heap)."""
        keys, items = self.keys, self.items
        top = hole
        child = hole
        while child < (length - 1) // 2:
            child = 2 * (child + 1)
            if keys[items[first + child]] < keys[items[first + child - 1]]:
                child -= 1
            items[first + hole] = items[first + child]
            hole = child
        if length % 2 == 0 and child == (length - 2) // 2:
            child = 2 * (child + 1)
            items[first + hole] = items[first + child - 1]
            hole = child - 1
        key = keys[value]
        parent = (hole - 1) // 2
        while hole > top and keys[items[first + parent]] < key:
            items[first + hole] = items[first + parent]
            hole = parent
            parent = (hole - 1) // 2
        items[first + hole] = value
