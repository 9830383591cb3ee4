"""Resource limits: a cap on the bytes one allocation may take, checked before allocating.

Each kind of allocation is checked at one place, before NumPy allocates:
- a result whose shape the arguments give (creation, broadcasting, matmul, cat, gathers by
  index arrays...): check_result;
- a result with an element per element of an input (elementwise ops, sorts, scans, copies,
  casts...): check_dense, which ops reach through their accessor ops.common.dense. An
  expanded (stride-0) view repeats its memory, so its elements can far outnumber its bytes:
  reading it densely is what must be refused, not making it;
- a result whose size depends on the values (nonzero, masked_select): the op counts first;
- text (printing.py; show, plot and hist in tshell/ui): its size is estimated first;
- many tensor objects at once (tensor_split, split, unbind): check_count.
"""
from __future__ import annotations

import os
import re
import sys

from . import allocator
from .registry import export

_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20,
          "MB": 1 << 20, "MIB": 1 << 20, "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30,
          "T": 1 << 40, "TB": 1 << 40, "TIB": 1 << 40}


def parse_size(text):
    """'2GB', '512M', '1000' -> bytes; ValueError for anything else."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?I?B?)\s*", str(text).upper())
    if not m:
        raise ValueError(f"invalid memory size {text!r} (use e.g. 512MB, 2GB)")
    return int(float(m.group(1)) * _UNITS[m.group(2)])


def _available_ram():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 1 << 34


class _Cap:
    bytes = None  # None: read TSHELL_MAX_MEMORY or the available RAM on first use

    def bytes_or_default(self):
        return self.bytes if self.bytes is not None else max_bytes()


CAP = _Cap()


def max_bytes():
    if CAP.bytes is None:
        env = os.environ.get("TSHELL_MAX_MEMORY")
        CAP.bytes = parse_size(env) if env else _available_ram()
    return CAP.bytes


@export("torch")
def set_max_memory(size):
    CAP.bytes = parse_size(size) if isinstance(size, str) else int(size)


def check_bytes(nbytes, shape):
    """RuntimeError naming the size when one tensor would exceed the cap."""
    if nbytes > max_bytes():
        raise RuntimeError(f"tensor of shape {list(shape)} needs {nbytes} bytes, more than the "
                           f"memory limit of {max_bytes()} bytes (set it with --max-memory or "
                           "TSHELL_MAX_MEMORY)")


def check_text_bytes(nbytes, what):
    """RuntimeError when building a text (a module's repr...) would exceed the cap."""
    if nbytes > max_bytes():
        raise RuntimeError(f"{what} needs about {nbytes} bytes of text, more than the memory "
                           f"limit of {max_bytes()} bytes (set it with --max-memory or "
                           "TSHELL_MAX_MEMORY)")


# What tolist builds per element: a list slot and a Python number (a float is 24 bytes).
PY_NUMBER_BYTES = 32

# What one more tensor object costs (the Tensor and its array view), for ops that make many.
TENSOR_OBJECT_BYTES = 256


def check_count(count, op, what="tensors", each=TENSOR_OBJECT_BYTES):
    """RuntimeError when op would make so many objects (tensors, of `each` bytes) that they
    alone exceed the cap (x.tensor_split(10**12): PyTorch tries, and runs out of memory)."""
    if count * each > max_bytes():
        raise RuntimeError(f"{op}() would make {count} {what}, more than the memory limit of "
                           f"{max_bytes()} bytes allows (set it with --max-memory or "
                           "TSHELL_MAX_MEMORY)")


# The array types whose results take no memory for their elements: meta.py's MetaArray
# (registered there: it loads after this module).
NO_MEMORY = set()

# Arrays of at most this many elements take at most 1 MiB (16-byte items), less than any
# sensible cap: hot paths skip the checks below this size.
SMALL = 1 << 16


def check_dense(array, itemsize=None):
    """check_bytes for a result with one element per element of `array`, each of `itemsize`
    bytes (array's own unless given), before an op that reads every element makes it. A
    meta array makes no result's memory (meta.py): nothing to check."""
    if array.__class__ in NO_MEMORY:
        return
    n = array.size * (itemsize or array.itemsize)
    if n > CAP.bytes_or_default():
        check_bytes(n, array.shape)
    if n >= allocator.LARGE:
        note_large(n)


def check_result_of(array, shape, itemsize):
    """check_result for an op on `array`; none for a meta array (the result has no memory)."""
    if array.__class__ not in NO_MEMORY:
        check_result(shape, itemsize)


def check_result(shape, itemsize):
    """check_bytes for an op's result of this shape, before the op allocates it.

    Cheap enough for every op that can make a result much larger than its inputs
    (broadcasting, repeat, matmul, cat...) and for creation: a few multiplications and two
    comparisons. A large result also tunes the C allocator the first time (see allocator.py),
    and counts towards the next measurement of the process (note_large).
    """
    n = itemsize
    for s in shape:
        n *= s
    if n > CAP.bytes_or_default():
        check_bytes(n, shape)
    if n >= allocator.LARGE:
        note_large(n)


# ---------------------------------------------------------------------- the process's growth
# What no check of one value sees: many values, each under the cap, that a program keeps
# (`x.append('a' * 1000)` in a loop). The language measures the process's resident size
# every so many loop iterations (tshell/lang/guards.py, check_growth) against the size it had
# when its program started.
class _Growth:
    baseline = None     # resident bytes when measuring started
    statm = None        # /proc/self/statm, kept open: one pread per measurement
    page = 4096
    large = 0           # bytes of large results made since the last measurement
    check = None        # what measures the process and stops a program that grew too much
    #                     (the language's guards.check_growth); None: nothing does


# Large results made between two measurements add up to at most this share of the cap: a loop
# whose every iteration keeps a large value is measured before its next GROWTH_STEP.
LARGE_SHARE = 8


def note_large(nbytes):
    """A result of nbytes (at least allocator.LARGE) is being made: tune the allocator the
    first time, and measure the process once such results add up to a share of the cap."""
    if not allocator.State.done:
        allocator.tune()
    g = _Growth
    g.large += nbytes
    if g.large * LARGE_SHARE > CAP.bytes_or_default() and g.check is not None:
        g.large = 0
        g.check()


def resident_bytes():
    """The process's resident size in bytes (Linux: /proc/self/statm; elsewhere the peak from
    getrusage), or None where neither is available."""
    g = _Growth
    if g.statm is None:
        try:
            g.statm, g.page = os.open("/proc/self/statm", os.O_RDONLY), os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, AttributeError):
            g.statm = -1
    if g.statm >= 0:
        return int(os.pread(g.statm, 128, 0).split()[1]) * g.page
    try:
        import resource     # not on Windows; only where /proc is missing
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def start_measuring_growth(check):
    """Take the process's present size as what the growth of the program that starts now is
    measured from (an interpreter's: a REPL's statements all count); check() measures it
    after large results (note_large)."""
    _Growth.baseline, _Growth.check = resident_bytes(), check


def grown_bytes():
    """How much the process has grown since start_measuring_growth (0 where unknown)."""
    _Growth.large = 0
    now = resident_bytes()
    if now is None or _Growth.baseline is None:
        return 0
    return now - _Growth.baseline
