"""CUDA C source for a Plan (ir.py), one kernel per plan × operand layout.

Two layout classes, as PyTorch's TensorIterator has them:
- "contiguous": every tensor operand is either the output's size and C-contiguous ("c") or
  a single element broadcast to all ("u"). Each thread of a grid-stride loop moves VEC
  elements per operand with one vector access (16 bytes for the widest dtype, so 128-bit
  loads and stores), then a scalar tail; the launcher takes this variant only when every
  "c" pointer is 16-byte aligned, else the VEC=1 one.
- "strided": any other broadcast or layout: each element's offset per operand is computed
  from the output's index, the shape and per-operand element strides (0 on broadcast dims),
  passed as scalar arguments (no per-call argument arrays to allocate or copy).

Half and bfloat16 are stored as their 16-bit patterns and converted with PTX's cvt (no CUDA
headers needed, so NVRTC compiles the source as it is). Values live in registers in the
node's compute type (float for half/bfloat16/float32, as PyTorch's opmath) and are rounded
to the node's dtype after every node, so the result is the eager ops' one. Signed integer
arithmetic wraps through the unsigned type (C leaves signed overflow undefined).
"""
from __future__ import annotations

import hashlib

import numpy as np

from ..dtypes import (INTEGRAL, bool_, bfloat16, float16, float32, float64, int8, int16, int32,
                      int64, uint8)

THREADS = 256

STORAGE = {bool_: "bool", uint8: "unsigned char", int8: "signed char", int16: "short",
           int32: "int", int64: "long long", float16: "unsigned short",
           bfloat16: "unsigned short", float32: "float", float64: "double"}
UNSIGNED = {uint8: "unsigned char", int8: "unsigned char", int16: "unsigned short",
            int32: "unsigned int", int64: "unsigned long long"}
# Parameter types of Python numbers (a half number is passed as float, already rounded).
PARAM = {**STORAGE, float16: "float", bfloat16: "float"}
# The NumPy types of those parameters, for the launcher.
PARAM_NP = {bool_: np.bool_, uint8: np.uint8, int8: np.int8, int16: np.int16, int32: np.int32,
            int64: np.int64, float16: np.float32, bfloat16: np.float32, float32: np.float32,
            float64: np.float64}


def register_type(d):
    return "float" if d in (float16, bfloat16) else STORAGE[d]


PRELUDE = r"""
__device__ __forceinline__ float tsh_h2f(unsigned short h) {
  float f; asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f; }
__device__ __forceinline__ unsigned short tsh_f2h(float f) {
  unsigned short h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h; }
__device__ __forceinline__ float tsh_bf2f(unsigned short h) {
  return __uint_as_float(((unsigned int)h) << 16); }
__device__ __forceinline__ unsigned short tsh_f2bf(float f) {
  unsigned short h; asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h; }
template <typename T, int N> struct __align__(sizeof(T) * N) tsh_vec { T v[N]; };
"""


def load(d, expr):
    """A stored value as a register value."""
    if d is float16:
        return f"tsh_h2f({expr})"
    if d is bfloat16:
        return f"tsh_bf2f({expr})"
    return expr


def store(d, expr):
    """A register value as the dtype's stored value."""
    if d is float16:
        return f"tsh_f2h({expr})"
    if d is bfloat16:
        return f"tsh_f2bf({expr})"
    return f"({STORAGE[d]})({expr})"


def rounded(d, expr):
    """A register value rounded to dtype d (a no-op but for half and bfloat16)."""
    return load(d, store(d, expr)) if d in (float16, bfloat16) else expr


def cast(src, dst, expr):
    """A register value of dtype src as dtype dst's register value."""
    if src is dst:
        return expr
    return rounded(dst, f"({register_type(dst)})({expr})")


def _wrapping(d, a, op, b):
    return f"({STORAGE[d]})(({UNSIGNED[d]}){a} {op} ({UNSIGNED[d]}){b})"


def _float_literal(value, d):
    text = repr(float(value))
    return text + "f" if register_type(d) == "float" else text


def _math(d, name):
    """The C math function for a register type (expf for float, exp for double)."""
    return name + "f" if register_type(d) == "float" else name


def op_expression(node, a, b=None, c=None):
    """C for one node over register values of its compute dtype (a, b, c)."""
    d, op = node.compute, node.op
    integral = d.category == INTEGRAL
    if op in ("add", "sub", "mul"):
        if d is bool_:
            return f"({a} || {b})" if op == "add" else f"({a} && {b})"
        symbol = {"add": "+", "sub": "-", "mul": "*"}[op]
        return _wrapping(d, a, symbol, b) if integral else f"({a} {symbol} {b})"
    if op == "div":
        return f"({a} / {b})"
    if op in ("maximum", "minimum"):        # NaN wins, as NumPy's and PyTorch's
        cmp = ">" if op == "maximum" else "<"
        return f"(({a} {cmp} {b} || {a} != {a}) ? {a} : {b})"
    if op in ("gt", "lt", "ge", "le", "eq", "ne"):
        symbol = {"gt": ">", "lt": "<", "ge": ">=", "le": "<=", "eq": "==", "ne": "!="}[op]
        return f"({a} {symbol} {b})"
    if op == "neg":
        return _wrapping(d, "0", "-", a) if integral else f"(-{a})"
    if op == "abs":
        if d is uint8:
            return a
        return f"({a} < 0 ? {_wrapping(d, '0', '-', a)} : {a})" if integral else \
            f"{_math(d, 'fabs')}({a})"
    if op == "relu":
        zero = "0" if integral else _float_literal(0, d)
        return f"(({a} > {zero} || {a} != {a}) ? {a} : ({register_type(d)}){zero})"
    if op in ("exp", "log", "sqrt", "tanh"):
        return f"{_math(d, op)}({a})"
    if op == "sigmoid":
        one = _float_literal(1, d)
        return f"({one} / ({one} + {_math(d, 'exp')}(-{a})))"
    if op == "pow":
        return _pow(node, a)
    if op == "where":
        return f"({a} ? {b} : {c})"
    raise KeyError(op)


def _pow(node, a):
    d, e = node.compute, node.exponent
    if d.category == INTEGRAL:
        expr = a
        for _ in range(int(e) - 1):
            expr = _wrapping(d, expr, "*", a)
        return expr
    if e == 2:
        return f"({a} * {a})"
    if e == 1:
        return a
    if e == 0.5:
        return f"{_math(d, 'sqrt')}({a})"
    if e == -1:
        return f"({_float_literal(1, d)} / {a})"
    return f"{_math(d, 'pow')}({a}, {_float_literal(e, d)})"


def body(plan, in_exprs, scalar_names):
    """The statements computing the plan for one element, given each tensor input's
    register value expression; returns (statements, name of the result register)."""
    refs = {"t": [(d, e) for d, e in zip(plan.tensor_dtypes, in_exprs)],
            "s": [(d, n) for d, n in zip(plan.scalar_dtypes, scalar_names)], "n": []}
    lines = []
    for j, node in enumerate(plan.nodes):
        if node.op == "where":
            (cd, ce), *rest = (refs[k][i] for k, i in node.args)
            args = [ce] + [cast(sd, node.compute, se) for sd, se in rest]
        else:
            args = [cast(sd, node.compute, se) for sd, se in (refs[k][i] for k, i in node.args)]
        expr = op_expression(node, *args)
        if node.result is not node.compute:       # comparisons: a bool
            expr = f"({register_type(node.result)})({expr})"
        lines.append(f"{register_type(node.result)} v{j} = {rounded(node.result, expr)};")
        refs["n"].append((node.result, f"v{j}"))
    return lines, refs["n"][-1]


def plan_signature(plan, layouts, out_dtype, vec, ndim):
    """A short stable name part for one kernel of a plan."""
    text = repr((plan.nodes, plan.tensor_dtypes, plan.scalar_dtypes, layouts, out_dtype.name,
                 vec, ndim))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def kernel_name(plan, layouts, out_dtype, vec, ndim):
    ops = "_".join(dict.fromkeys(n.op for n in plan.nodes))[:40]
    cls = "c" if ndim is None else f"s{ndim}"
    return f"tsh_{ops}_{cls}v{vec}_{plan_signature(plan, layouts, out_dtype, vec, ndim)}"


def vector_width(plan, layouts, out_dtype):
    """Elements per 128-bit access of the widest full-size operand (1: no vectors)."""
    sizes = [d.itemsize for d, lay in zip(plan.tensor_dtypes, layouts) if lay == "c"]
    return 16 // max(sizes + [out_dtype.itemsize])


def _params(plan, out_dtype):
    # `w -= lr * g` passes w as both out and in0 despite __restrict__: still exact, since
    # each element is read once and then written by the same thread in the same iteration,
    # and no thread reads an element another one writes.
    ps = [f"{STORAGE[out_dtype]}* __restrict__ out"]
    ps += [f"const {STORAGE[d]}* __restrict__ in{k}" for k, d in enumerate(plan.tensor_dtypes)]
    ps += [f"{PARAM[d]} s{k}" for k, d in enumerate(plan.scalar_dtypes)]
    return ps


def _scalar_registers(plan):
    """Python numbers as register values (a half number arrives as float, rounded)."""
    return [f"(({register_type(d)})s{k})" for k, d in enumerate(plan.scalar_dtypes)]


def contiguous_source(plan, layouts, out_dtype, vec):
    """The contiguous-class kernel: vector accesses of `vec` elements, then a scalar tail."""
    name = kernel_name(plan, layouts, out_dtype, vec, None)
    scal = _scalar_registers(plan)
    uniform = [f"{load(d, f'in{k}[0]')}" for k, d in enumerate(plan.tensor_dtypes)]
    # uniform operands are read once per thread, before the loop
    pre = [f"const {register_type(d)} u{k} = {uniform[k]};"
           for k, (d, lay) in enumerate(zip(plan.tensor_dtypes, layouts)) if lay == "u"]
    vec_loads = [f"const tsh_vec<{STORAGE[d]}, {vec}> r{k} = "
                 f"reinterpret_cast<const tsh_vec<{STORAGE[d]}, {vec}>*>(in{k})[i];"
                 for k, (d, lay) in enumerate(zip(plan.tensor_dtypes, layouts)) if lay == "c"]
    elem = [load(d, f"r{k}.v[e]") if lay == "c" else f"u{k}"
            for k, (d, lay) in enumerate(zip(plan.tensor_dtypes, layouts))]
    vlines, (rd, rv) = body(plan, elem, scal)
    tail_elem = [load(d, f"in{k}[j]") if lay == "c" else f"u{k}"
                 for k, (d, lay) in enumerate(zip(plan.tensor_dtypes, layouts))]
    tlines, _ = body(plan, tail_elem, scal)
    out_value = store(out_dtype, cast(rd, out_dtype, rv))
    ind = "\n      "
    return PRELUDE + f"""
extern "C" __global__ void __launch_bounds__({THREADS}) {name}(
    long long n, {', '.join(_params(plan, out_dtype))}) {{
  {' '.join(pre)}
  const long long step = (long long)gridDim.x * blockDim.x;
  const long long first = (long long)blockIdx.x * blockDim.x + threadIdx.x;
  const long long nvec = n / {vec};
  for (long long i = first; i < nvec; i += step) {{
    {' '.join(vec_loads)}
    tsh_vec<{STORAGE[out_dtype]}, {vec}> o;
    #pragma unroll
    for (int e = 0; e < {vec}; ++e) {{
      {ind.join(vlines)}
      o.v[e] = {out_value};
    }}
    reinterpret_cast<tsh_vec<{STORAGE[out_dtype]}, {vec}>*>(out)[i] = o;
  }}
  for (long long j = nvec * {vec} + first; j < n; j += step) {{
    {ind.join(tlines).replace(ind, chr(10) + '    ')}
    out[j] = {out_value};
  }}
}}
""", name


def strided_source(plan, layouts, out_dtype, ndim):
    """The strided-class kernel: per-operand element strides over an ndim-d output index."""
    name = kernel_name(plan, layouts, out_dtype, 1, ndim)
    k_in = len(plan.tensor_dtypes)
    shape_ps = [f"long long d{i}" for i in range(ndim)]
    stride_ps = [f"long long st{k}_{i}" for k in range(k_in + 1) for i in range(ndim)]
    offsets = [f"long long o{k} = 0;" for k in range(k_in + 1)]
    walk = []
    for i in reversed(range(ndim)):
        walk.append(f"{{ long long c = r % d{i}; r /= d{i}; "
                    + " ".join(f"o{k} += c * st{k}_{i};" for k in range(k_in + 1)) + " }")
    elem = [load(d, f"in{k}[o{k}]") for k, d in enumerate(plan.tensor_dtypes)]
    lines, (rd, rv) = body(plan, elem, _scalar_registers(plan))
    ind = "\n    "
    return PRELUDE + f"""
extern "C" __global__ void __launch_bounds__({THREADS}) {name}(
    long long n, {', '.join(_params(plan, out_dtype) + shape_ps + stride_ps)}) {{
  const long long step = (long long)gridDim.x * blockDim.x;
  for (long long j = (long long)blockIdx.x * blockDim.x + threadIdx.x; j < n; j += step) {{
    long long r = j; {' '.join(offsets)}
    {ind.join(walk)}
    {ind.join(lines)}
    out[o{k_in}] = {store(out_dtype, cast(rd, out_dtype, rv))};
  }}
}}
""", name
