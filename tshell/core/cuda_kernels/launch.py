"""Launchers: run a Plan over device arrays. One per array type, in backend.FUSION_LAUNCHERS.

`CupyLauncher` compiles codegen.py's source once per plan × layout class × vector width ×
ndim (cupy.RawModule, which also keeps the compiled binary in CuPy's on-disk kernel cache,
~/.cupy/kernel_cache, across runs) and keeps the kernel in a dict under that key: a call
after the first is the layout test, a dict lookup and the launch, with no synchronisation.
The grid is sized to the device: enough blocks for the work, at most BLOCKS_PER_SM per
multiprocessor, and a grid-stride loop covers the rest.

`ReferenceLauncher` runs the same plans with reference.py on the test suite's stand-in
device, so that the compiler's fused path is exercised end to end without a GPU.
"""
from __future__ import annotations

import numpy as np

from . import codegen
from .reference import run_plan, scalar_value

BLOCKS_PER_SM = 8        # 8 blocks of 256 threads: a full Hopper multiprocessor (2048 threads)
# NVRTC options: no contraction of a * b + c into one FMA (the eager ops round twice). The
# source needs nothing newer than C++11, so the language standard is left to NVRTC and CuPy.
COMPILE_OPTIONS = ("--fmad=false",)


def layout_of(array, shape):
    """"c": the output's size and C-contiguous; "u": one element for all; "s": otherwise."""
    if array.size == 1:
        return "u"
    if array.shape == shape and array.flags.c_contiguous:
        return "c"
    return "s"


def element_strides(array, shape):
    """array's strides in elements, broadcast to `shape` (0 on broadcast dimensions)."""
    lead = len(shape) - array.ndim
    st = [0] * lead
    for size, stride in zip(array.shape, array.strides):
        st.append(0 if size == 1 else stride // array.itemsize)
    return st


class CupyLauncher:
    """Fused kernels on a CUDA device through CuPy."""

    def __init__(self, cupy):
        self.cp = cupy
        self.entries = {}
        props = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.runtime.getDevice())
        self.max_blocks = props["multiProcessorCount"] * BLOCKS_PER_SM

    def _compile(self, plan, layouts, out_dtype, vec, ndim):
        src, name = (codegen.contiguous_source(plan, layouts, out_dtype, vec) if ndim is None
                     else codegen.strided_source(plan, layouts, out_dtype, ndim))
        return self.cp.RawModule(code=src, options=COMPILE_OPTIONS).get_function(name)

    def _entry(self, key, plan, layouts, out_dtype, aligned, ndim):
        """(kernel, vector width, strided?, scalar types) for a launch key; compiled once."""
        if ndim is None:
            vec = codegen.vector_width(plan, layouts, out_dtype) if aligned else 1
        else:
            vec = 1
        types = tuple(np.dtype(codegen.PARAM_NP[d]).type for d in plan.scalar_dtypes)
        entry = self.entries[key] = (self._compile(plan, layouts, out_dtype, vec, ndim), vec,
                                     ndim is not None, types)
        return entry

    def run(self, plan, arrays, scalars, shape, out_dtype, out=None):
        if out is None:
            out = self.cp.empty(shape, dtype=out_dtype.np)
        n = out.size
        if n == 0:
            return out
        layouts = tuple(layout_of(a, shape) for a in arrays)
        if "s" in layouts or not out.flags.c_contiguous:
            ndim, aligned = len(shape), False
        else:           # 128-bit accesses need 16-byte aligned pointers (a view may be off)
            ndim = None
            aligned = not (out.data.ptr % 16 or
                           any(a.data.ptr % 16 for a, lay in zip(arrays, layouts) if lay == "c"))
        key = (plan, layouts, out_dtype, aligned, ndim)
        entry = self.entries.get(key) or self._entry(key, plan, layouts, out_dtype, aligned, ndim)
        fn, vec, strided, types = entry
        params = [np.int64(n), out, *arrays]
        params += [t(scalar_value(v, d)) for t, v, d in zip(types, scalars, plan.scalar_dtypes)]
        if strided:
            params += [np.int64(s) for s in shape]
            for a in (*arrays, out):
                params += [np.int64(s) for s in element_strides(a, shape)]
        work = n // vec if vec > 1 else n
        blocks = min(max(1, -(-work // codegen.THREADS)), self.max_blocks)
        fn((blocks,), (codegen.THREADS,), tuple(params))
        return out


class ReferenceLauncher:
    """Fused plans on the stand-in device (tshell/core/fake_cuda.py): reference.py's result."""

    def __init__(self, array_type):
        self.array_type = array_type

    def run(self, plan, arrays, scalars, shape, out_dtype, out=None):
        r = run_plan(plan, [np.asarray(a).view(np.ndarray) for a in arrays], scalars)
        r = np.broadcast_to(r, shape).astype(out_dtype.np)
        if out is None:
            return np.ascontiguousarray(r).view(self.array_type)
        out[...] = r
        return out
