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
# NVRTC options: no contraction of a * b + c into one FMA (the eager ops round twice), C++17.
COMPILE_OPTIONS = ("--fmad=false", "--std=c++17")


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
        self.kernels = {}
        props = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.runtime.getDevice())
        self.max_blocks = props["multiProcessorCount"] * BLOCKS_PER_SM

    def kernel(self, plan, layouts, out_dtype, vec, ndim):
        key = (plan, layouts, out_dtype, vec, ndim)
        fn = self.kernels.get(key)
        if fn is None:
            src, name = (codegen.contiguous_source(plan, layouts, out_dtype, vec) if ndim is None
                         else codegen.strided_source(plan, layouts, out_dtype, ndim))
            module = self.cp.RawModule(code=src, options=COMPILE_OPTIONS)
            fn = self.kernels[key] = module.get_function(name)
        return fn

    def run(self, plan, arrays, scalars, shape, out_dtype, out=None):
        cp = self.cp
        if out is None:
            out = cp.empty(shape, dtype=out_dtype.np)
        n = out.size
        if n == 0:
            return out
        layouts = tuple(layout_of(a, shape) for a in arrays)
        params = [np.int64(n), out] + list(arrays) + [
            np.dtype(codegen.PARAM_NP[d]).type(scalar_value(v, d))
            for v, d in zip(scalars, plan.scalar_dtypes)]
        if "s" not in layouts and out.flags.c_contiguous:
            vec = codegen.vector_width(plan, layouts, out_dtype)
            if any(a.data.ptr % 16 for a, lay in zip(arrays, layouts) if lay == "c") or \
                    out.data.ptr % 16:
                vec = 1                      # a misaligned view: scalar accesses
            fn = self.kernel(plan, layouts, out_dtype, vec, None)
            work = n // vec if vec > 1 else n
        else:
            ndim = len(shape)
            fn = self.kernel(plan, layouts, out_dtype, 1, ndim)
            params += [np.int64(s) for s in shape]
            for a in list(arrays) + [out]:
                params += [np.int64(s) for s in element_strides(a, shape)]
            work = n
        blocks = min(max(1, -(-work // codegen.THREADS)), self.max_blocks)
        fn((blocks,), (codegen.THREADS,), tuple(params))
        return out


class ReferenceLauncher:
    """Fused plans on the stand-in device (tshell/core/testing.py): reference.py's result."""

    def __init__(self, array_type):
        self.array_type = array_type

    def run(self, plan, arrays, scalars, shape, out_dtype, out=None):
        r = run_plan(plan, [np.asarray(a).view(np.ndarray) for a in arrays], scalars)
        r = np.broadcast_to(r, shape).astype(out_dtype.np)
        if out is None:
            return np.ascontiguousarray(r).view(self.array_type)
        out[...] = r
        return out
