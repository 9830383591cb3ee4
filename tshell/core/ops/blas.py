"""axpy (y += alpha * x) from the OpenBLAS that NumPy's wheels bundle, for `add(.., alpha=)`.

PyTorch computes x + alpha * y with one rounding (a fused multiply-add, see fma.py); NumPy
has no such operation, and fma.py's exact emulation through float64 costs four passes over
the data and two conversions. OpenBLAS's saxpy/daxpy kernels compute y += alpha * x with FMA
instructions on current x86 and ARM CPUs, in one pass: the rounding of PyTorch's kernels at
the cost of NumPy's `y -= alpha * x`, which makes an optimizer's step as cheap as the update
written by hand.

NumPy does not expose axpy, so the library is opened with ctypes: the scipy-openblas of
NumPy's wheels (numpy.libs/ on Linux and Windows, numpy/.dylibs/ on macOS). Where it is not
found (NumPy built against another BLAS), or where its kernel does not round as one FMA
(checked once, on data where two roundings differ), `axpy` returns False and fma.py emulates.
"""
from __future__ import annotations

import glob
import os

import numpy as np

_ROUTINES: dict = {}         # NumPy dtype -> the ctypes axpy function, or None
_loaded = False
_first_byte = None           # ctypes.c_char.from_buffer, once loaded
_address_of = None           # ctypes.addressof
# OpenBLAS runs axpy on several threads above 10 000 elements (MULTI_THREAD_MINIMAL); its
# workers sleep between calls, and waking them cost more than the work on this project's
# machine (a 200 000-element update: 17 us back to back, over 1 ms inside a training step).
# Calls of at most CHUNK elements stay on the calling thread, as NumPy's ufuncs do.
CHUNK = 9984                 # 10 000 rounded down to whole VECTORs
# OpenBLAS's axpy kernels run whole vectors of 16 elements with FMA instructions and the
# elements past the last whole vector in plain C, which some of its targets compile without
# FMA (the Haswell/Zen kernels: rounded twice). So the kernel is only given whole VECTORs
# (32: a multiple of every target's vector) and the rest runs as one padded VECTOR.
VECTOR = 32


def _library_paths():
    numpy_dir = os.path.dirname(np.__file__)
    for folder in (os.path.join(os.path.dirname(numpy_dir), "numpy.libs"),
                   os.path.join(numpy_dir, ".dylibs")):
        yield from sorted(glob.glob(os.path.join(folder, "*scipy_openblas*")))


def _load():
    """Find saxpy and daxpy (once); keep each only if it rounds as one FMA."""
    global _loaded, _first_byte, _address_of
    _loaded = True
    import ctypes          # imported at first use: most sessions never add with alpha
    _first_byte, _address_of = ctypes.c_char.from_buffer, ctypes.addressof
    for path in _library_paths():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        index = ctypes.c_int64 if "openblas64" in os.path.basename(path) else ctypes.c_int32
        suffix = "64_" if index is ctypes.c_int64 else ""
        for dtype, letter, scalar in ((np.dtype(np.float32), "s", ctypes.c_float),
                                      (np.dtype(np.float64), "d", ctypes.c_double)):
            fn = getattr(lib, f"scipy_cblas_{letter}axpy{suffix}", None)
            if fn is None:
                continue
            fn.restype = None
            fn.argtypes = [index, scalar, ctypes.c_void_p, index, ctypes.c_void_p, index]
            _ROUTINES[dtype] = fn if _rounds_once(fn, dtype) else None
        if _ROUTINES:
            return


def _rounds_once(fn, dtype) -> bool:
    """Whether fn(n, alpha, x, 1, y, 1) gives fma.py's exact results on two whole VECTORs
    (all axpy gives the kernel) where rounding twice would differ."""
    from .fma import fused_multiply_add    # fma imports this module
    x = (np.arange(1, 2 * VECTOR + 1) * 0.7310585786300049).astype(dtype) - dtype.type(17.5)
    y = (np.arange(2 * VECTOR, 0, -1) * 0.2689414213699951).astype(dtype)
    alpha = dtype.type(-0.1)
    expected = fused_multiply_add(x, alpha, y, dtype)
    if np.array_equal(expected, y + alpha * x):
        return False                        # the data would not tell the two apart
    out = y.copy()
    fn(out.size, alpha, x.ctypes.data, 1, out.ctypes.data, 1)
    return np.array_equal(out, expected)


def has_axpy(dtype) -> bool:
    """Whether axpy computes in this NumPy dtype (with one rounding per element)."""
    if not _loaded:
        _load()
    return _ROUTINES.get(dtype) is not None


def axpy(y, x, alpha) -> bool:
    """y += alpha * x in place, one rounding per element, if BLAS can do it: NumPy arrays
    of one real float dtype and one shape, C-contiguous, writeable, y not overlapping x
    (x may be y itself). alpha is rounded to the dtype. False: nothing was done."""
    if not _loaded:
        _load()
    dtype = y.dtype
    fn = _ROUTINES.get(dtype)
    if fn is None or type(y) is not np.ndarray or type(x) is not np.ndarray \
            or x.dtype != dtype or x.shape != y.shape:
        return False
    n = y.size
    if n == 0:
        return True
    try:    # a writeable buffer without strides: what C-contiguous writeable arrays give
        x_at, y_at = _address_of(_first_byte(x)), _address_of(_first_byte(y))
    except (BufferError, TypeError, ValueError):
        return False
    if x_at != y_at and np.may_share_memory(x, y):
        return False
    body = n - n % VECTOR
    if body < n:    # first: x may be y, whose body the loop below changes
        _padded_tail(fn, y.reshape(-1)[body:], x.reshape(-1)[body:], alpha)
    step = CHUNK * dtype.itemsize
    for start in range(0, body, CHUNK):
        fn(min(CHUNK, body - start), alpha, x_at, 1, y_at, 1)
        x_at += step
        y_at += step
    return True


def _padded_tail(fn, y, x, alpha):
    """y += alpha * x for fewer than VECTOR elements, through the kernel's vector path: on
    zero-padded copies of one whole VECTOR."""
    n = y.size
    ys = np.zeros(VECTOR, y.dtype)
    xs = np.zeros(VECTOR, y.dtype)
    ys[:n] = y
    xs[:n] = x
    fn(VECTOR, alpha, xs.ctypes.data, 1, ys.ctypes.data, 1)
    y[...] = ys[:n]
