"""The CUDA source of fused plans: names, vector widths, roundings, and (where NVRTC is
installed: `pip install cupy-cuda12x nvidia-cuda-nvrtc-cu12`, no GPU needed) that every
generated kernel compiles for sm_90 with 128-bit accesses in the contiguous class."""
from __future__ import annotations

import itertools
import re
import types

import numpy as np
import pytest

import tshell.core as torch
from tshell.core.cuda_kernels import codegen, ir
from tshell.core.cuda_kernels.launch import COMPILE_OPTIONS, CupyLauncher, element_strides

DTYPES = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
          torch.float16, torch.bfloat16, torch.float32, torch.float64]
TREES = {
    "square_mean": ("mul", ("leaf", 0), ("pow", ("add", ("leaf", 1), ("leaf", 2)), 2)),
    "silu": ("mul", ("leaf", 0), ("sigmoid", ("leaf", 1))),
    "fma": ("add", ("mul", ("leaf", 0), ("leaf", 1)), ("leaf", 2)),
    "where": ("where", ("gt", ("leaf", 0), ("leaf", 1)), ("neg", ("leaf", 2)),
              ("maximum", ("leaf", 3), ("leaf", 4))),
    "unary": ("relu", ("tanh", ("exp", ("abs", ("leaf", 0))))),
}


# Which leaf of each tree is a Python number (None: tensors only).
NUMBER_AT = {"square_mean": 0, "silu": None, "fma": 2, "where": 1, "unary": None}


def _plans():
    """A plan per tree and dtype (tensors, and a Python number where NUMBER_AT says)."""
    for (name, tree), d in itertools.product(TREES.items(), DTYPES):
        n = sum(1 for _ in _leaves(tree))
        kinds = [(d, True)] * n
        if NUMBER_AT[name] is not None:
            kinds[NUMBER_AT[name]] = float if d.is_floating_point else int
        plan = ir.make_plan(tree, tuple(kinds))
        if plan is not None:
            yield f"{name}-{d.name}", plan


def _leaves(tree):
    if tree[0] == "leaf":
        yield tree
    for t in tree[1:]:
        if isinstance(t, tuple):
            yield from _leaves(t)


PLANS = dict(_plans())


def test_every_tree_and_dtype_has_plans():
    for d in DTYPES:
        assert any(k.endswith("-" + d.name) for k in PLANS), d
    for name in TREES:
        assert sum(k.startswith(name + "-") for k in PLANS) >= 5, name


def test_vector_width_is_16_bytes_of_the_widest_operand():
    plan = PLANS["fma-float32"]
    assert codegen.vector_width(plan, ("c", "c"), torch.float32) == 4
    assert codegen.vector_width(PLANS["fma-float16"], ("c", "c"), torch.float16) == 8
    assert codegen.vector_width(PLANS["fma-float64"], ("c", "u"), torch.float64) == 2
    assert codegen.vector_width(PLANS["fma-int8"], ("u", "u"), torch.int8) == 16


def test_contiguous_source_names_and_vectors():
    src, name = codegen.contiguous_source(PLANS["fma-float32"], ("c", "u"), torch.float32, 4)
    assert name.startswith("tsh_mul_add_cv4_") and f"void __launch_bounds__(256) {name}(" in src
    assert "tsh_vec<float, 4>" in src and "in1[0]" in src      # the uniform operand read once
    assert "for (long long j = nvec * 4 + first; j < n; j += step)" in src   # the tail


def test_half_rounds_after_every_node_and_ints_wrap():
    src, _ = codegen.contiguous_source(PLANS["square_mean-float16"], ("c", "c"), torch.float16,
                                       8)
    assert src.count("tsh_h2f(tsh_f2h(") == 6        # add, square, mul rounded (body, tail)
    src, _ = codegen.contiguous_source(PLANS["fma-int32"], ("c", "c"), torch.int32, 4)
    assert "(unsigned int)" in src                    # signed overflow wraps, as the eager op


def test_strided_source_takes_shape_and_strides():
    src, name = codegen.strided_source(PLANS["fma-float32"], ("s", "c"), torch.float32, 3)
    assert name.startswith("tsh_mul_add_s3v1_")
    assert "long long d2" in src and "long long st2_2" in src    # output strides too


def test_element_strides_broadcast_with_zeros():
    a = np.ones((3, 1), np.float32)
    assert element_strides(a, (2, 3, 4)) == [0, 1, 0]
    assert element_strides(np.ones((4, 3), np.float64).T, (3, 4)) == [1, 3]


def test_kernel_names_differ_by_plan_and_layout():
    p = PLANS["fma-float32"]
    names = {codegen.kernel_name(p, lay, torch.float32, v, nd)
             for lay, v, nd in ((("c", "c"), 4, None), (("c", "u"), 4, None),
                                (("c", "c"), 1, None), (("s", "c"), 1, 2))}
    assert len(names) == 4


def _compile(src, name):
    nvrtc = pytest.importorskip("cupy_backends.cuda.libs.nvrtc",
                                reason="NVRTC (cupy, nvidia-cuda-nvrtc) absent")
    try:
        prog = nvrtc.createProgram(src, name + ".cu", [], [])
    except Exception as e:           # the bindings import, but libnvrtc is missing
        pytest.skip(f"NVRTC unavailable: {e}")
    try:
        nvrtc.compileProgram(prog, ["-arch=compute_90", *COMPILE_OPTIONS])
    except nvrtc.NVRTCError:
        raise AssertionError(nvrtc.getProgramLog(prog)) from None
    return nvrtc.getPTX(prog).decode()


@pytest.mark.parametrize("key", sorted(PLANS))
def test_generated_sources_compile_for_sm90(key):
    plan = PLANS[key]
    lay = ("c",) * len(plan.tensor_dtypes)
    vec = codegen.vector_width(plan, lay, plan.result)
    ptx = _compile(*codegen.contiguous_source(plan, lay, plan.result, vec))
    assert ".target sm_90" in ptx
    assert ".v4." in ptx or ".v2.u64" in ptx or ".v2.f64" in ptx      # 128-bit accesses
    _compile(*codegen.strided_source(plan, ("s",) + lay[1:], plan.result, 3))


# ---- CupyLauncher's arguments against the generated signature (a stand-in CuPy) -------------

class _DeviceArray(np.ndarray):
    """A NumPy array that answers CuPy's `.data.ptr`."""

    @property
    def data(self):
        return types.SimpleNamespace(ptr=self.__array_interface__["data"][0])


class _FakeCupy:
    """Just what CupyLauncher uses: empty, RawModule (recording launches), the device's
    multiprocessor count."""

    def __init__(self):
        self.launches = []
        props = {"multiProcessorCount": 132}
        self.cuda = types.SimpleNamespace(runtime=types.SimpleNamespace(
            getDevice=lambda: 0, getDeviceProperties=lambda i: props))

    def empty(self, shape, dtype):
        return np.empty(shape, dtype).view(_DeviceArray)

    def RawModule(self, code, options):
        assert options == COMPILE_OPTIONS
        launches = self.launches

        def get_function(name):
            signature = re.search(name + r"\(\s*(.*?)\)\s*\{", code, re.S).group(1)
            def kernel(grid, block, params):
                launches.append((name, grid, block, params, signature))
            return kernel
        return types.SimpleNamespace(get_function=get_function)


_PARAM_TYPES = {"long long": np.int64, "float": np.float32, "double": np.float64,
                "int": np.int32, "short": np.int16, "signed char": np.int8,
                "unsigned char": np.uint8, "bool": np.bool_}


def _check_signature(signature, params):
    decls = [d.strip() for d in signature.split(",")]
    assert len(decls) == len(params), (decls, params)
    for decl, p in zip(decls, params):
        if "*" in decl:
            assert isinstance(p, _DeviceArray), decl
        else:
            ctype = decl.rsplit(" ", 1)[0]
            assert type(p) is _PARAM_TYPES[ctype], (decl, type(p))


@pytest.mark.parametrize("layout", ["contiguous", "uniform", "broadcast", "transposed",
                                    "misaligned"])
def test_cupy_launcher_passes_what_the_kernel_declares(layout):
    cp = _FakeCupy()
    launcher = CupyLauncher(cp)
    plan = PLANS["fma-float32"]                 # a * b + 2.5 over two float32 tensors
    a = np.ones((64, 33), np.float32).view(_DeviceArray)
    b = {"contiguous": a.copy(), "uniform": np.ones((1, 1), np.float32),
         "broadcast": np.ones(33, np.float32), "transposed": np.ones((33, 64), np.float32).T,
         "misaligned": np.ones(64 * 33 + 1, np.float32)[1:].reshape(64, 33)}[layout]
    b = b.view(_DeviceArray)
    out = launcher.run(plan, [a, b], [2.5], (64, 33), torch.float32)
    assert out.shape == (64, 33) and out.dtype == np.float32
    name, grid, block, params, signature = cp.launches[-1]
    _check_signature(signature, params)
    assert block == (256,) and 1 <= grid[0] <= 132 * 8
    expect = {"contiguous": "cv4", "uniform": "cv4", "broadcast": "s2v1", "transposed": "s2v1",
              "misaligned": "cv1"}[layout]
    assert f"_{expect}_" in name
    launcher.run(plan, [a, b], [1.0], (64, 33), torch.float32)
    assert len(launcher.entries) == 1           # compiled once, then reused
