"""The order of equal keys in PyTorch's CPU sort, topk, kthvalue and mode.

`torch.sort(x)` (stable=False) on the CPU sorts each slice with the C++ standard library's
std::sort (introsort, as in libstdc++): equal keys come out in an order fixed by the
algorithm, not by their positions (`torch.tensor([0, 1] * 9).sort()` gives the 0s at
indices 2, 16, 4, 6, 14, 8, 0, 10, 12). `torch.topk` takes std::partial_sort where
k * 64 <= n, else std::nth_element and a std::sort of the k - 1 before the k-th;
`torch.kthvalue` PyTorch's own quickselect; `torch.mode` std::sort, then the last position
of the longest run. NumPy's sorts give other orders, so for slices that hold equal keys
`order`, `top` and `quick_select` replay those algorithms on the keys' ranks:
median-of-three pivots, Hoare partitions, depth limits with heapsort, insertion sorts, heap
selection.
Ascending sorts of 1-d integer tensors of 32 768 elements or more take PyTorch's radix sort
instead, which is stable (the caller's case, see sorting.py).
"""
from __future__ import annotations

_INSERTION_SIZE = 16       # std::sort leaves runs this short to the final insertion sort


def order(keys: list) -> list:
    """The permutation std::sort gives sorting positions 0..n-1 by `keys`, numbers compared
    with < (sorting.py gives ranks, with NaN as the largest; torch.mode's raw values)."""
    positions = list(range(len(keys)))
    _Introsort(keys, positions).sort(0, len(positions))
    return positions


def top(keys: list, k: int, sort: bool = True) -> list:
    """The first k positions after torch.topk's std::partial_sort or std::nth_element (+
    std::sort of the first k - 1 when `sort`) of positions 0..n-1 by `keys`."""
    positions = list(range(len(keys)))
    n = len(positions)
    algorithms = _Introsort(keys, positions)
    if k == 0:
        return []
    if k * 64 <= n:
        algorithms.heap_select(0, k, n)
        algorithms.sort_heap(0, k)
    else:
        algorithms.nth_element(0, k - 1, n)
        if sort:
            algorithms.sort(0, k - 1)
    return positions[:k]


class _Introsort:
    """libstdc++'s sorting algorithms on `items` (positions into `keys`), in place."""

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

    def sort(self, first, last):
        if last - first > 1:
            self.loop(first, last, 2 * ((last - first).bit_length() - 1))
            self.final_insertion_sort(first, last)

    def nth_element(self, first, nth, last):
        """std::nth_element (introselect): items[nth] as in sorted order, none after it
        less, none before it greater."""
        if first == last or nth == last:
            return
        depth = 2 * ((last - first).bit_length() - 1)
        while last - first > 3:
            if depth == 0:
                self.heap_select(first, nth + 1, last)
                self.swap(first, nth)
                return
            depth -= 1
            self.median_to_first(first, first + 1, first + (last - first) // 2, last - 1)
            cut = self.partition(first + 1, last, first)
            if cut <= nth:
                first = cut
            else:
                last = cut
        self.insertion_sort(first, last)

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
        """Hoare's partition around items[pivot]. std::sort has no bounds checks here (the
        pivot is a median of three, so each scan stops inside the range); the one below
        matters only for keys with no strict order (NaN compared with <, as torch.mode
        compares), where C++ would read past the end."""
        keys, items = self.keys, self.items
        pivot_key = keys[items[pivot]]
        end = last
        while True:
            while first < end - 1 and keys[items[first]] < pivot_key:
                first += 1
            last -= 1
            while pivot_key < keys[items[last]]:
                last -= 1
            if first >= last:
                return first
            items[first], items[last] = items[last], items[first]
            first += 1

    def final_insertion_sort(self, first, last):
        head = min(last, first + _INSERTION_SIZE)
        self.insertion_sort(first, head)
        for i in range(head, last):               # the front now holds the least key
            self.linear_insert(i)

    def insertion_sort(self, first, last):
        keys, items = self.keys, self.items
        for i in range(first + 1, last):
            item = items[i]
            if keys[item] < keys[items[first]]:   # to the front
                items[first + 1:i + 1] = items[first:i]
                items[first] = item
            else:
                self.linear_insert(i)

    def linear_insert(self, last):
        keys, items = self.keys, self.items
        item = items[last]
        key = keys[item]
        while last > 0 and key < keys[items[last - 1]]:    # (the check: as in partition)
            items[last] = items[last - 1]
            last -= 1
        items[last] = item

    # heaps: heapsort where introsort's depth limit is reached (std::partial_sort over the
    # whole run), and topk's std::partial_sort
    def heapsort(self, first, last):
        self.heap_select(first, last, last)
        self.sort_heap(first, last)

    def heap_select(self, first, middle, last):
        """A max-heap of the `middle - first` least items in [first, middle)."""
        keys, items = self.keys, self.items
        length = middle - first
        for parent in range((length - 2) // 2, -1, -1):
            self.sift(first, parent, length, items[first + parent])
        for i in range(middle, last):
            if keys[items[i]] < keys[items[first]]:
                self.pop_heap(first, middle, i)

    def sort_heap(self, first, last):
        while last - first > 1:
            last -= 1
            self.pop_heap(first, last, last)

    def pop_heap(self, first, last, result):
        items = self.items
        value = items[result]
        items[result] = items[first]
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


def quick_select(keys: list, k: int) -> int:
    """The position torch.kthvalue reports for the (k+1)-th smallest key: PyTorch's own
    quickselect (SortingUtils.h's quick_select_template: median-of-three pivot, Hoare
    partition) run on positions 0..n-1 by `keys`, greater meaning a larger key."""
    items = list(range(len(keys)))

    def greater(i, j):
        return keys[items[i]] > keys[items[j]]

    def swap(i, j):
        items[i], items[j] = items[j], items[i]

    left, right = 0, len(items) - 1
    while right > left:
        if right == left + 1:
            if greater(left, right):
                swap(left, right)
            break
        swap(left + (right - left) // 2, left + 1)
        if greater(left + 1, right):
            swap(left + 1, right)
        if greater(left, right):
            swap(left, right)
        if greater(left + 1, left):
            swap(left + 1, left)
        i, j = left + 1, right
        pivot = keys[items[left]]
        while True:
            i += 1
            while pivot > keys[items[i]]:
                i += 1
            j -= 1
            while keys[items[j]] > pivot:
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(left, j)
        if j <= k:
            left = i
        if j >= k:
            right = j - 1
    return items[k]
