"""Flushing denormal floats to zero (torch.set_flush_denormal): as PyTorch does, by setting
the FTZ (flush results to zero) and DAZ (read denormal inputs as zero) bits of the x86 CPU's
MXCSR register for the calling thread. NumPy's arithmetic in this thread then flushes exactly
as PyTorch's kernels do, printing included (a stored denormal compares equal to 0).

The register is read and written through the C library's fegetenv / fesetenv: glibc's x86-64
fenv_t is 28 bytes of x87 state followed by the MXCSR word.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import platform

_FTZ_DAZ = 0x8040
_MXCSR = 7                  # the index of the MXCSR word in fenv_t seen as 8 uint32


def _libm():
    """glibc's libm on x86-64, or None where the register cannot be reached so."""
    if platform.machine().lower() not in ("x86_64", "amd64") or platform.libc_ver()[0] != "glibc":
        return None
    name = ctypes.util.find_library("m")
    return ctypes.CDLL(name) if name else None


_LIBM = _libm()


def set_flushing(on: bool) -> bool:
    """Set or clear FTZ and DAZ; False where the CPU (or C library) offers no way to."""
    if _LIBM is None:
        return False
    env = (ctypes.c_uint32 * 8)()
    if _LIBM.fegetenv(env) != 0:
        return False
    env[_MXCSR] = env[_MXCSR] | _FTZ_DAZ if on else env[_MXCSR] & ~_FTZ_DAZ
    return _LIBM.fesetenv(env) == 0
