"""The five products of the nn rows' training step (784-256-10, batch 128), each called in the
layouts NumPy can hand OpenBLAS: microseconds (best of --rounds x --calls) and whether the
values are bitwise those of the plain call.

    python benchmarks/mm_layouts.py [--rounds 5] [--calls 300]

"C result" rows give the C-contiguous product PyTorch gives (and a program sees through
strides); "F result" is the transposed product's transpose, for comparison only.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

# name -> (a, b) shapes and whether each operand reaches mm transposed (as a .t() view)
PRODUCTS = {
    "forward X @ W1.t()    128x784 . 784x256": ((128, 784), (256, 784), False, True),
    "forward H @ W2.t()    128x256 . 256x10": ((128, 256), (10, 256), False, True),
    "grad W2: G2.t() @ H   10x128 . 128x256": ((128, 10), (128, 256), True, False),
    "grad H: G2 @ W2       128x10 . 10x256": ((128, 10), (10, 256), False, False),
    "grad W1: G1.t() @ X   256x128 . 128x784": ((128, 256), (128, 784), True, False),
}


def variants(a, b):
    """Ways to compute a @ b: name -> function."""
    out = np.empty((a.shape[0], b.shape[1]), a.dtype)

    def into_transposed_out():
        np.matmul(b.T, a.T, out=out.T)
        return out

    return {
        "C result: a @ b": lambda: a @ b,
        "C result: b.T @ a.T into out.T": into_transposed_out,
        "C result: contiguous a": lambda: np.ascontiguousarray(a) @ b,
        "C result: contiguous b": lambda: a @ np.ascontiguousarray(b),
        "C result: Fortran-ordered a": lambda: np.asfortranarray(a) @ b,
        "C result: Fortran-ordered b": lambda: a @ np.asfortranarray(b),
        "F result: (b.T @ a.T).T": lambda: (b.T @ a.T).T,
        "F result, copied to C": lambda: np.ascontiguousarray((b.T @ a.T).T),
    }


def best_us(fn, rounds, calls):
    fn()
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t) / calls * 1e6)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--calls", type=int, default=300)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    for name, (sa, sb, ta, tb) in PRODUCTS.items():
        a = rng.standard_normal(sa).astype(np.float32)
        b = rng.standard_normal(sb).astype(np.float32)
        a, b = (a.T if ta else a), (b.T if tb else b)
        reference = a @ b
        print(name)
        for label, fn in variants(a, b).items():
            same = np.array_equal(fn(), reference)
            print(f"  {label:<34}{best_us(fn, args.rounds, args.calls):8.1f} us"
                  f"{'' if same else '  (values differ)'}")


if __name__ == "__main__":
    main()
