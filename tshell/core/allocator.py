"""Tune the C allocator for tensor work: large blocks are recycled, not mapped per op.

glibc serves blocks above its mmap threshold (128 KiB at first) with a fresh mmap and gives
them back with munmap on free. A training step makes the same large temporaries every
iteration (a 784x256 float32 gradient is 800 KiB), so each one would cost a page fault per
4 KiB page when first written and an munmap when freed: measured on the MLP benchmark, that
was a third of the step. Raising the thresholds keeps such blocks in the heap for reuse, as
PyTorch's and CuPy's caching allocators do for their devices.

Done once, when the first large tensor is made (so small programs never import ctypes), and
only on glibc; a user's own MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ settings win.
"""
from __future__ import annotations

import ctypes
import os

# Blocks below this come from the heap (glibc's largest allowed value on 64-bit systems).
MMAP_THRESHOLD = 32 << 20
# Free memory at the top of the heap is returned to the system only above this.
TRIM_THRESHOLD = 128 << 20
# The first tensor of at least this many bytes triggers the tuning.
LARGE = 128 << 10

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameter numbers (malloc.h)


class State:
    done = False


def tune():
    """Raise glibc's mmap and trim thresholds once; a no-op elsewhere or when done."""
    if State.done:
        return
    State.done = True
    if os.environ.get("TSHELL_MALLOC") == "system" or not _is_glibc():
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def _is_glibc():
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError, AttributeError):
        return False


def give_back_free_memory():
    """Return the heap's free pages to the system (glibc's malloc_trim), so that the
    process's resident size shows what its values take: freed blocks otherwise stay resident
    (the trim threshold above keeps them for reuse). False where there is no malloc_trim."""
    if not _is_glibc():
        return False
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        return False
    return True
