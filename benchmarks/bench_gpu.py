"""GPU throughput: tshell's CUDA tensors against CuPy (and torch, where installed).

Run on a machine with an NVIDIA GPU and CuPy:  python benchmarks/bench_gpu.py
Rows: add of two 2^27-element float32 tensors (GB/s moved), an 8192x8192 float32 matmul
(TFLOP/s), and small-op latency (5x3 add, microseconds). Each figure is the median of
several timed runs after a warm-up, with the device synchronised around every run.
"""
from __future__ import annotations

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))


def timed(fn, sync, repeats=REPEATS):
    fn()
    sync()
    runs = []
    for _ in range(repeats):
        sync()
        t = time.perf_counter()
        fn()
        sync()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def small_latency(fn, sync, calls=2000):
    fn()
    sync()
    t = time.perf_counter()
    for _ in range(calls):
        fn()
    sync()
    return (time.perf_counter() - t) / calls * 1e6


def main():
    try:
        import cupy as cp
    except ImportError:
        print("bench_gpu: CuPy is not installed; nothing to measure")
        return
    import tshell.core as T
    if not T.cuda.is_available():
        print("bench_gpu: no CUDA device; nothing to measure")
        return
    sync = cp.cuda.runtime.deviceSynchronize
    n = 1 << 27
    a_cp, b_cp = cp.random.rand(n, dtype=cp.float32), cp.random.rand(n, dtype=cp.float32)
    a_ts, b_ts = T.rand(n, device="cuda"), T.rand(n, device="cuda")
    m = 8192
    x_cp, y_cp = cp.random.rand(m, m, dtype=cp.float32), cp.random.rand(m, m, dtype=cp.float32)
    x_ts, y_ts = T.rand(m, m, device="cuda"), T.rand(m, m, device="cuda")
    s_cp, s_ts = cp.random.rand(5, 3, dtype=cp.float32), T.rand(5, 3, device="cuda")

    rows = []
    bytes_moved = 3 * n * 4
    t_cp, t_ts = timed(lambda: a_cp + b_cp, sync), timed(lambda: a_ts + b_ts, sync)
    rows.append(("add 2^27 f32 (GB/s)", bytes_moved / t_ts / 1e9, bytes_moved / t_cp / 1e9))
    flops = 2 * m ** 3
    t_cp, t_ts = timed(lambda: x_cp @ y_cp, sync), timed(lambda: x_ts @ y_ts, sync)
    rows.append(("matmul 8192^2 f32 (TFLOP/s)", flops / t_ts / 1e12, flops / t_cp / 1e12))
    rows.append(("5x3 add latency (us)", small_latency(lambda: s_ts + s_ts, sync),
                 small_latency(lambda: s_cp + s_cp, sync)))
    torch_row = _torch_figures(n, m)

    print(f"device: {cp.cuda.runtime.getDeviceProperties(0)['name'].decode()}")
    print(f"{'workload':<30}{'tshell':>12}{'cupy':>12}{'tshell/cupy':>13}{'torch':>12}")
    for (name, ts, cpv), tv in zip(rows, torch_row or [None] * len(rows)):
        print(f"{name:<30}{ts:>12.2f}{cpv:>12.2f}{ts / cpv:>13.2f}"
              f"{(f'{tv:.2f}' if tv is not None else '-'):>12}")


def _torch_figures(n, m):
    try:
        import torch
        if not torch.cuda.is_available():
            return None
    except ImportError:
        return None
    sync = torch.cuda.synchronize
    a, b = torch.rand(n, device="cuda"), torch.rand(n, device="cuda")
    x, y = torch.rand(m, m, device="cuda"), torch.rand(m, m, device="cuda")
    s = torch.rand(5, 3, device="cuda")
    return [3 * n * 4 / timed(lambda: a + b, sync) / 1e9,
            2 * m ** 3 / timed(lambda: x @ y, sync) / 1e12,
            small_latency(lambda: s + s, sync)]


if __name__ == "__main__":
    main()
