"""Reading a file's bytes straight into an array's memory.

os.preadv on the file descriptor: one copy from the page cache, as PyTorch's reader makes.
(A buffered file's readinto of a large buffer is several times slower.)

The memory itself comes from `allocate`: a large block is an anonymous mapping advised to
use transparent huge pages. Writing fresh memory costs a page fault per page; with 4 KiB
pages that was most of the time of loading a checkpoint (6 s of 7 for 1 GiB on a virtual
machine, against 1 s with 2 MiB pages).
"""
from __future__ import annotations

import mmap
import os

import numpy as np

HUGE_PAGE = 2 << 20           # below this, ordinary memory: huge pages would not fill


def read_exactly(file, offset, buffer):
    """Fill buffer (a writable byte memoryview) with the file's bytes from offset; how many
    bytes were read (fewer only at the end of the file)."""
    try:
        fd = file.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd is None or not hasattr(os, "preadv"):
        return _read_buffered(file, offset, buffer)
    done = 0
    while done < len(buffer):
        n = os.preadv(fd, [buffer[done:]], offset + done)
        if not n:
            break
        done += n
    return done


def _read_buffered(file, offset, buffer):
    file.seek(offset)
    done = 0
    while done < len(buffer):
        n = file.readinto(buffer[done:])
        if not n:
            break
        done += n
    return done


def allocate(numel, dtype):
    """An uninitialized 1-D array of numel elements, to be filled from a file."""
    nbytes = numel * dtype.itemsize
    if nbytes < HUGE_PAGE or not hasattr(mmap, "MADV_HUGEPAGE"):
        return np.empty(numel, dtype)
    block = mmap.mmap(-1, nbytes)              # freed when the last array using it goes
    try:
        block.madvise(mmap.MADV_HUGEPAGE)
    except OSError:                            # a kernel without transparent huge pages
        pass
    return np.frombuffer(block, dtype, numel)
