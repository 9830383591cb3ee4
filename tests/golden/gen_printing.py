"""Write tests/golden/printing.json: torch 2.13's exact print text for many tensors.

Run with the torch environment (torch 2.13):  python tests/golden/gen_printing.py
Each case stores a deterministic recipe for its values (see ``build_values``, which the tests
reuse without torch), the print options, the suffix inputs and torch's ``str()`` output.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

OUT = Path(__file__).with_name("printing.json")
NAN, INF = math.nan, math.inf

INT_DTYPES = {"int8", "int16", "int32", "int64", "uint8"}
# Half precision types are rounded via float32 on both sides so that torch and numpy agree.
VIA_FLOAT32 = {"float16", "bfloat16"}


# ----------------------------------------------------------------------------- shared helpers

def encode(value):
    """JSON-safe form of a number: nan/inf become strings (tuples/lists recurse)."""
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def decode(value):
    """Inverse of ``encode``."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if value in ("nan", "inf", "-inf"):
        return float(value)
    return value


def wide_dtype(dtype: str):
    """The numpy dtype a recipe is computed in before the final cast."""
    if dtype == "bool":
        return np.bool_
    if dtype in INT_DTYPES:
        return np.int64
    if dtype.startswith("complex"):
        return np.complex128
    return np.float64


def build_wide(recipe: dict, dtype: str) -> np.ndarray:
    """Values of a recipe in the wide dtype (float64/int64/bool/complex128), final shape."""
    wide = wide_dtype(dtype)
    if "data" in recipe:
        real = np.array(decode(recipe["data"]), dtype=np.float64 if wide is np.complex128
                        else wide)
        if wide is np.complex128:
            arr = np.zeros(real.shape, np.complex128)
            arr.real = real  # set parts separately so -0.0 and nan keep their signs
            arr.imag = np.array(decode(recipe.get("imag", 0.0)), dtype=np.float64)
        else:
            arr = real
    elif "arange" in recipe:
        arr = np.arange(*recipe["arange"], dtype=wide)
    else:
        arr = np.full(recipe["numel"], decode(recipe["full"]), dtype=wide)
    if "mul" in recipe:
        arr = arr * np.array(recipe["mul"], dtype=wide)
    if "add" in recipe:
        arr = arr + np.array(recipe["add"], dtype=wide)
    arr = arr.reshape(recipe.get("shape", arr.shape)).copy()
    for index, value in recipe.get("set", []):
        arr.reshape(-1)[index] = decode(value)
    return arr


def build_values(recipe: dict, dtype: str) -> np.ndarray:
    """Numpy values of a case in its own dtype (bfloat16 through ml_dtypes)."""
    arr = build_wide(recipe, dtype)
    if dtype in VIA_FLOAT32:
        arr = arr.astype(np.float32)
        if dtype == "bfloat16":
            import ml_dtypes
            return arr.astype(ml_dtypes.bfloat16)
    return arr.astype(dtype)


# ----------------------------------------------------------------------------- case list

CASES: list[dict] = []


def t(name, data=None, dtype="float32", *, imag=None, shape=None, opts=(), default="float32",
      grad=None, **recipe):
    """Declare one tensor case; ``data`` is a nested list, else a recipe via keywords."""
    recipe = {key: encode(value) for key, value in recipe.items()}
    if data is not None:
        recipe["data"] = encode(data)
        if imag is not None:
            recipe["imag"] = encode(imag)
    if shape is not None:
        recipe["shape"] = list(shape)
    CASES.append(dict(kind="tensor", name=name, dtype=dtype, recipe=recipe,
                      options=[encode_opts(o) for o in opts], default_dtype=default,
                      grad=grad))


def encode_opts(opts: dict) -> dict:
    """Print options with an infinite threshold written as a string."""
    return {k: encode(v) for k, v in opts.items()}


def cplx(values):
    """Split a list of Python complex numbers into (real, imag) lists."""
    return [v.real for v in values], [v.imag for v in values]


def declare_cases():
    """All golden cases, grouped by the printing rule they exercise."""
    all_dtypes = ["float32", "float64", "float16", "bfloat16", "int8", "int16", "int32",
                  "int64", "uint8", "bool", "complex64", "complex128"]
    # --- every dtype: small vector, matrix, scalar, empties
    for dt in all_dtypes:
        if dt == "bool":
            vec, mat, sc = [True, False, True], [[True, False], [False, True]], True
        elif dt.startswith("complex"):
            vec, mat, sc = None, None, None
        elif dt == "uint8":
            vec, mat, sc = [1, 200, 7], [[0, 255], [12, 3]], 9
        elif dt in INT_DTYPES:
            vec, mat, sc = [-100, 5, 20], [[1, -2, 3], [40, 5, -60]], -7
        else:
            vec, mat, sc = [1.5, -2.25, 3.0], [[1.0, 2.0], [3.0, 4.5]], 3.5
        if vec is not None:
            t(f"{dt} vector", vec, dt)
            t(f"{dt} matrix", mat, dt)
            t(f"{dt} scalar", sc, dt)
            t(f"{dt} 1-element", [sc], dt)
        t(f"{dt} empty (0,)", [], dt)
        t(f"{dt} empty (2,0)", arange=[0], dtype=dt, shape=(2, 0))
        t(f"{dt} empty (0,3)", arange=[0], dtype=dt, shape=(0, 3))
    for dt in ["float32", "float64", "float16", "bfloat16"]:
        t(f"{dt} int-valued", [1.0, 2.0, -3.0], dt)
        t(f"{dt} fractions", [0.1, 0.2, 1.0 / 3.0], dt)
        t(f"{dt} sci small", [1e-5, 1.0], dt)
        t(f"{dt} nan inf", [NAN, INF, -INF, 1.5], dt)
        t(f"{dt} arange 3-D", arange=[24], dtype=dt, shape=(2, 3, 4))
    t("float16 max", [65504.0, 0.1, 1.0], "float16")
    t("bfloat16 pi", [3.14159, 0.1, 100.7], "bfloat16")
    t("bfloat16 big", [3e38, 1.0], "bfloat16")
    for dt in ["int8", "int16", "int32", "int64", "uint8"]:
        t(f"{dt} arange 3-D", arange=[24], dtype=dt, shape=(2, 3, 4))
    t("int8 extremes", [-128, 127, 0], "int8")
    t("int64 huge", [2 ** 62, -(2 ** 62), 1], "int64")
    t("int32 extremes", [-(2 ** 31), 2 ** 31 - 1], "int32")
    t("bool all false", [False, False], "bool")
    t("bool scalar false", False, "bool")
    t("bool 3-D", [[[True, False], [False, False]], [[True, True], [False, True]]], "bool")

    # --- float formatting rules
    floats = {
        "one int": [1.0], "halves": [0.5, 1.5], "neg ints": [-1.0, 2.0, -30.0],
        "neg zero": [-0.0], "zero and neg zero": [0.0, -0.0], "neg zero with 1.5": [-0.0, 1.5],
        "neg zero with 2": [-0.0, 2.0], "tenths": [0.1, 0.2, 0.3],
        "float32 rounding": [123456.789], "rounding up": [0.12345678, 1.99999],
        "ratio 1000": [-5.0, 5000.0], "ratio 2000": [1.0, 2000.0],
        "ratio just over 1000": [1.0, 1000.5], "1e8": [100000000.0], "2e8": [2e8],
        "1e8 and 1": [1e8, 1.0], "1e-4 and 1": [1e-4, 1.0], "1e-4 alone": [0.0001],
        "1.1e-4 alone": [0.00011], "big ints": [12345678.0, -1.0], "1e7": [1e7, 2.0],
        "all zero": [0.0, 0.0, 0.0], "nan only": [NAN], "inf only": [INF, -INF],
        "nan and int": [NAN, 1.0, 2.0], "nan and zero": [NAN, 0.0],
        "inf and big": [INF, 1e10], "inf and small": [-INF, 1e-6, 1.0],
        "nan inf int": [NAN, INF, -INF, 100.0], "neg frac": [-0.5, -1.25, 2.75],
        "mixed widths": [1.0, -1000.0, 0.5], "tiny": [1e-30, 2e-30], "huge": [1e30, -1e30],
        "sci neg": [-1e-7, 3.0], "0.99995": [0.99995, 1.0], "round to 10": [9.99996, 1.0],
        "1e-4 float32 boundary": [0.000100001], "ratio 999.9": [1.0, 999.9],
        "int mode large": [99999999.0, 1.0], "int mode neg zero mix": [-0.0, 3.0, -7.0],
        "ceil negative frac": [-2.5, 4.0], "nan with fraction": [NAN, 0.25],
        "sci ints": [1e9, 2.0], "precision tail": [1.00005, 2.00015],
    }
    for name, data in floats.items():
        t(f"float {name}", data)
    t("float64 1e-4 alone (not < 1e-4)", [0.0001], "float64")
    t("float64 ratio exact 1000", [0.001, 1.0], "float64")
    t("float64 precise", [1.0 / 3.0, 2.0 / 3.0], "float64")
    t("float64 1e8 boundary", [100000000.0, 100000000.5], "float64")
    t("float scalar int", 3.0)
    t("float scalar small", 1e-7)
    t("float scalar zero", 0.0)
    t("float scalar neg zero", -0.0)
    t("float scalar nan", NAN)
    t("float scalar -inf", -INF)
    t("float scalar big", 123456789.0)
    t("float64 scalar 2.5", 2.5, "float64")
    t("zeros(30) quirk", full=0.0, numel=30)
    t("zeros(5)", full=0.0, numel=5)
    t("zeros 2-D", full=0.0, numel=60, shape=(2, 30))
    t("neg zeros(30)", full=-0.0, numel=30)
    t("nan(30)", full=NAN, numel=30)
    t("ones(30)", full=1.0, numel=30)

    # --- complex
    for dt in ["complex64", "complex128"]:
        re, im = cplx([1 + 2j, 3 - 4j])
        t(f"{dt} basic", re, dt, imag=im)
        re, im = cplx([0.5 + 1j, -1.25 - 0.5j, 2 + 0j])
        t(f"{dt} fractions", re, dt, imag=im)
        t(f"{dt} scalar", 1.5, dt, imag=-2.0)
        t(f"{dt} neg zero imag", [0.0, -0.0], dt, imag=[-0.0, 0.0])
        t(f"{dt} nan inf", [NAN, 1.0], dt, imag=[INF, -2.5])
        t(f"{dt} sci parts", [1e-5, 1.0], dt, imag=[1.0, 3000.0])
        t(f"{dt} zeros", [0.0, 0.0], dt, imag=[0.0, 0.0])
        t(f"{dt} matrix", [[1.0, 2.0], [3.0, 4.0]], dt, imag=[[0.5, -1.0], [0.0, 10.0]])
        t(f"{dt} long wrap", arange=[40], dtype=dt, mul=1.5)
    t("complex64 summarized", arange=[2000], dtype="complex64", mul=0.5)

    # --- wrapping
    t("arange(100.)", arange=[100], dtype="float32")
    t("arange(100) int", arange=[100], dtype="int64")
    t("arange(1000) int, not summarized", arange=[1000], dtype="int64")
    t("arange(1000.) float, not summarized", arange=[1000], dtype="float32")
    t("8x9 floats", arange=[72], dtype="float32", mul=1.5, add=1000.0, shape=(8, 9))
    t("8x9 ints", arange=[72], dtype="int64", shape=(8, 9))
    t("4x25 arange", arange=[100], dtype="float32", shape=(4, 25))
    t("wide fractions row", arange=[30], dtype="float32", mul=1234.5678)
    t("wide sci row", arange=[1, 30], dtype="float32", mul=1.234e-6)
    t("wide neg row", arange=[-20, 20], dtype="float64", mul=-1000.25)
    t("3-D wide rows", arange=[2 * 3 * 20], dtype="float32", mul=0.333, shape=(2, 3, 20))
    t("4-D", arange=[36], dtype="float32", shape=(2, 2, 3, 3))
    t("4-D ints", arange=[16], dtype="int32", shape=(2, 2, 2, 2))
    t("5-D", arange=[32], dtype="int64", shape=(2, 2, 2, 2, 2))
    t("4-D wrap", arange=[2 * 2 * 2 * 30], dtype="float32", mul=0.5, shape=(2, 2, 2, 30))
    t("column", arange=[5], dtype="float32", shape=(5, 1))
    t("row 1x5", arange=[5], dtype="float32", shape=(1, 5))
    t("3-D single", [[[7.0]]])
    for lw in [10, 20, 40, 79, 81, 120, 200]:
        t(f"linewidth {lw} 1-D", arange=[50], dtype="float32", mul=1.5,
          opts=[dict(linewidth=lw)])
        t(f"linewidth {lw} 2-D", arange=[60], dtype="int64", mul=37, shape=(3, 20),
          opts=[dict(linewidth=lw)])
    t("linewidth 5 forces one per line", arange=[5], dtype="float32", mul=0.5,
      opts=[dict(linewidth=5)])

    # --- summarization
    t("ones(1001)", full=1.0, numel=1001)
    t("ones(1000) not summarized", full=1.0, numel=1000)
    t("ones(1001) hidden 1e9", full=1.0, numel=1001, set=[[500, 1e9]])
    t("ones(1001) shown 1e9", full=1.0, numel=1001, set=[[1000, 1e9]])
    t("ones(1001) hidden nan", full=1.0, numel=1001, set=[[3, NAN]])
    t("arange(2000)", arange=[2000], dtype="int64")
    t("arange(2000.)", arange=[2000], dtype="float32")
    t("arange(2000.) fractions", arange=[2000], dtype="float64", mul=0.1)
    t("40x40", arange=[1600], dtype="float32", shape=(40, 40))
    t("40x40 ints", arange=[1600], dtype="int64", shape=(40, 40))
    t("3x400x5", arange=[6000], dtype="float32", shape=(3, 400, 5))
    t("400x3x5", arange=[6000], dtype="int32", shape=(400, 3, 5))
    t("2x600", arange=[1200], dtype="float32", shape=(2, 600))
    t("600x2", arange=[1200], dtype="float32", shape=(600, 2))
    t("1001x1", full=2.0, numel=1001, shape=(1001, 1))
    t("10x10x10x10", arange=[10000], dtype="int64", shape=(10, 10, 10, 10))
    t("bool summarized", full=True, numel=1500, dtype="bool", set=[[0, False]])
    t("float16 summarized", arange=[1500], dtype="float16", mul=0.25)
    t("bfloat16 summarized", arange=[1500], dtype="bfloat16")
    t("summarized 2-D wide rows", arange=[20 * 100], dtype="float32", mul=1.1,
      shape=(20, 100))
    t("summarized hidden nan 2-D", full=3.0, numel=2500, shape=(50, 50), set=[[1275, NAN]])
    t("summarized sci edge", arange=[1, 2001], dtype="float32", mul=1e-3)
    t("summarized with zeros", full=0.0, numel=2000)
    t("summarized 7 rows", arange=[7 * 200], dtype="int64", shape=(7, 200))
    t("summarized 6 rows", arange=[6 * 200], dtype="int64", shape=(6, 200))
    t("threshold=5 arange(10)", arange=[10], dtype="int64", opts=[dict(threshold=5)])
    t("threshold=5 2x3", arange=[6], dtype="int64", shape=(2, 3), opts=[dict(threshold=5)])
    t("threshold=0 scalar", 4.5, opts=[dict(threshold=0)])
    t("threshold=10 4x4", arange=[16], dtype="float32", shape=(4, 4),
      opts=[dict(threshold=10, edgeitems=1)])
    t("edgeitems=1", arange=[2000], dtype="int64", opts=[dict(edgeitems=1)])
    t("edgeitems=5", arange=[2000], dtype="float32", opts=[dict(edgeitems=5)])
    t("edgeitems=5 2-D", arange=[1600], dtype="float32", shape=(40, 40),
      opts=[dict(edgeitems=5)])
    t("edgeitems=0 summarized 1-D", arange=[2000], dtype="int64", opts=[dict(edgeitems=0)])
    t("edgeitems=0 summarized 2-D", arange=[1600], dtype="float32", shape=(40, 40),
      opts=[dict(edgeitems=0)])
    t("edgeitems=0 small", [1.0, 2.5], opts=[dict(edgeitems=0)])
    t("edgeitems=0 scalar", 2.0, opts=[dict(edgeitems=0)])
    t("edgeitems=0 small grad", [1.0, 2.5], opts=[dict(edgeitems=0)], grad="mul")
    t("edgeitems=20 threshold 10", arange=[50], dtype="int64", opts=[dict(threshold=10,
                                                                          edgeitems=20)])
    t("summarized linewidth 40", arange=[2000], dtype="float32", mul=1.5,
      opts=[dict(linewidth=40)])
    t("summarized 1-D linewidth 20", arange=[2000], dtype="int64", opts=[dict(linewidth=20)])

    # --- print option variants and their semantics
    t("precision 2", [1.12345, 2.5], opts=[dict(precision=2)])
    t("precision 0", [1.6, 2.4], opts=[dict(precision=0)])
    t("precision 0 sci", [1.6e-6, 2.4], opts=[dict(precision=0)])
    t("precision 8", [1.0 / 3.0, 2.0], "float64", opts=[dict(precision=8)])
    t("precision 10 float32", [0.1, 0.2], opts=[dict(precision=10)])
    t("profile short", [1.12345, 2.5], opts=[dict(profile="short")])
    t("profile short summarized", arange=[2000], dtype="float32", opts=[dict(profile="short")])
    t("profile full", arange=[2000], dtype="int64", opts=[dict(profile="full")])
    t("profile full then default", arange=[2000], dtype="int64",
      opts=[dict(profile="full"), dict(profile="default")])
    t("profile short precision 6", [1.12345, 2.5], opts=[dict(profile="short", precision=6)])
    t("unknown profile ignored", [1.12345], opts=[dict(profile="nope")])
    t("sci_mode True", [1.5, 2.0], opts=[dict(sci_mode=True)])
    t("sci_mode True ints", [1.0, 2.0], opts=[dict(sci_mode=True)])
    t("sci_mode True zeros", [0.0, 0.0], opts=[dict(sci_mode=True)])
    t("sci_mode True nan", [NAN, 2.0], opts=[dict(sci_mode=True)])
    t("sci_mode False small", [1e-5, 1.0], opts=[dict(sci_mode=False)])
    t("sci_mode False huge", [1e10, 1.0], opts=[dict(sci_mode=False)])
    t("sci_mode False huge frac", [1e10, 1.5], opts=[dict(sci_mode=False)])
    t("sci_mode reset by later call", [1.5, 2.0], opts=[dict(sci_mode=True),
                                                      dict(precision=3)])
    t("sci_mode True int tensor", [1, 2], "int64", opts=[dict(sci_mode=True)])
    t("sci_mode True complex", [1.0], "complex64", imag=[2.0], opts=[dict(sci_mode=True)])
    t("precision 6 sci", [1e-6, 1.0], opts=[dict(precision=6)])

    # --- suffixes: grad, dtype, wrapping quirk, default dtype
    t("requires_grad leaf", [1.0, 2.0], grad="leaf")
    t("grad_fn mul", [1.0, 2.0], grad="mul")
    t("grad_fn add scalar", 27.0, grad="add")
    t("grad_fn clone float64", [1.0, 2.0], "float64", grad="clone")
    t("requires_grad float64", [1.5], "float64", grad="leaf")
    t("requires_grad complex64", [1.0], "complex64", imag=[1.0], grad="leaf")
    t("requires_grad empty", [], grad="leaf")
    t("requires_grad empty 2-D float64", arange=[0], dtype="float64", shape=(2, 0),
      grad="leaf")
    t("grad_fn 2-D", arange=[6], dtype="float32", shape=(2, 3), grad="add")
    t("grad_fn view", arange=[6], dtype="float32", shape=(2, 3), grad="view")
    t("grad_fn summarized", arange=[2000], dtype="float32", grad="mul")
    for n in range(5, 12):
        # 8 elements of width 7 fill a line to 80 columns: the quirk pushes the suffix down
        t(f"suffix wrap {n} elements width 7", arange=[n], dtype="float32", mul=1.25,
          add=100.0, grad="add")
        t(f"suffix wrap {n} elements width 7 float64", arange=[n], dtype="float64",
          mul=1.25, add=100.0)
        t(f"suffix wrap {n} elements width 7 float64 grad", arange=[n], dtype="float64",
          mul=1.25, add=100.0, grad="leaf")
    for n in range(14, 20):
        t(f"suffix wrap ints {n}", arange=[n], dtype="int32", mul=1111)
    t("suffix wrap linewidth 30", [1.5, 2.5, 3.5], "float64", grad="mul",
      opts=[dict(linewidth=30)])
    t("suffix wrap linewidth 20", [1.5, 2.5], "float64", grad="mul",
      opts=[dict(linewidth=20)])
    t("suffix wrap multi-line", arange=[20], dtype="float64", mul=1.25, shape=(2, 10),
      grad="leaf")
    t("default float64: float64 plain", [1.5, 2.0], "float64", default="float64")
    t("default float64: float32 shown", [1.5, 2.0], "float32", default="float64")
    t("default float64: complex128 plain", [1.0], "complex128", imag=[2.0], default="float64")
    t("default float64: complex64 shown", [1.0], "complex64", imag=[2.0], default="float64")
    t("default float64: int64 plain", [1, 2], "int64", default="float64")
    t("default float64: empty float64", [], "float64", default="float64")
    t("default float64: empty float32", [], "float32", default="float64")
    t("default float64: grad", [1.0, 2.0], "float64", default="float64", grad="mul")
    t("default float64: float16", [1.0, 2.0], "float16", default="float64")
    t("empty int64 (0,)", [], "int64")
    t("empty 3-D", arange=[0], dtype="float32", shape=(2, 0, 3))
    t("empty (0,3) int32", arange=[0], dtype="int32", shape=(0, 3))


def declare_other_cases(torch):
    """Size and return_types reprs (built from real torch objects)."""
    for shape in [(5, 3), (), (7,), (2, 0, 4), (1, 1, 1, 1)]:
        CASES.append(dict(kind="size", name=f"size {shape}", shape=list(shape),
                          expected=repr(torch.Size(shape))))
    x = torch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    big = torch.arange(100.0).reshape(4, 25)
    results = [("max dim 1", "max", torch.max(x, 1)), ("min dim 0", "min", torch.min(x, 0)),
               ("sort multi-line", "sort", torch.sort(big, 1)),
               ("topk", "topk", torch.topk(torch.tensor([1.5, 3.0, 2.0]), 2)),
               ("kthvalue scalar", "kthvalue", torch.kthvalue(torch.tensor([3, 1, 2]), 2)),
               ("max grad", "max", torch.max(x.clone().requires_grad_() * 2, 1))]
    for name, rtype, res in results:
        fields = [dict(field=f, **tensor_case(getattr(res, f))) for f in ("values", "indices")]
        CASES.append(dict(kind="return_types", name=f"return_types {name}", type=rtype,
                          fields=fields, expected=str(res)))
    for i, seq in enumerate([[dict(precision=2)], [dict(profile="short")],
                             [dict(profile="full")], [dict(sci_mode=True)],
                             [dict(sci_mode=True), dict(linewidth=100)],
                             [dict(profile="full", edgeitems=4, sci_mode=False)]]):
        torch.set_printoptions(profile="default")
        for opts in seq:
            torch.set_printoptions(**opts)
        got = torch._tensor_str.get_printoptions()
        CASES.append(dict(kind="options", name=f"options {i}",
                          options=[encode_opts(o) for o in seq],
                          expected={k: encode(v) for k, v in got.items()}))
        torch.set_printoptions(profile="default")


def tensor_case(tensor) -> dict:
    """Recipe and suffix inputs describing an existing torch tensor (small ones only)."""
    dtype = str(tensor.dtype).removeprefix("torch.")
    flat = tensor.detach().reshape(-1)
    if tensor.dtype.is_complex:
        recipe = dict(data=encode(flat.real.double().tolist()),
                      imag=encode(flat.imag.double().tolist()))
    elif tensor.dtype.is_floating_point:
        recipe = dict(data=encode(flat.double().tolist()))
    else:
        recipe = dict(data=flat.tolist())
    recipe["shape"] = list(tensor.shape)
    grad_fn = type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else None
    return dict(dtype=dtype, recipe=recipe, grad_fn=grad_fn,
                requires_grad=bool(tensor.requires_grad))


# ----------------------------------------------------------------------------- torch side

def to_torch(torch, case: dict):
    """Build the case's tensor in torch from the same numpy values the tests use."""
    dtype = case["dtype"]
    wide = build_wide(case["recipe"], dtype)
    tensor = torch.from_numpy(wide)
    if dtype in VIA_FLOAT32:
        tensor = tensor.to(torch.float32)
    tensor = tensor.to(getattr(torch, dtype))
    expect = build_values(case["recipe"], dtype)
    back = tensor.to(torch.float32) if dtype == "bfloat16" else tensor
    assert np.array_equal(back.numpy(), expect.astype(back.numpy().dtype), equal_nan=True), \
        case["name"]
    grad = case.pop("grad")
    if grad is not None:
        tensor.requires_grad_(True)
        tensor = {"leaf": lambda a: a, "mul": lambda a: a * 1, "add": lambda a: a + 0,
                  "clone": lambda a: a.clone(), "view": lambda a: a.view(a.shape)}[grad](tensor)
    case["grad_fn"] = type(tensor.grad_fn).__name__ if tensor.grad_fn is not None else None
    case["requires_grad"] = bool(tensor.requires_grad)
    return tensor


def run_tensor_case(torch, case: dict):
    """Apply the case's options and default dtype, record torch's text."""
    torch.set_default_dtype(getattr(torch, case["default_dtype"]))
    torch.set_printoptions(profile="default")
    for opts in case["options"]:
        torch.set_printoptions(**{k: decode(v) for k, v in opts.items()})
    tensor = to_torch(torch, case)
    case["expected"] = str(tensor)
    assert case["expected"] == repr(tensor)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)


def main():
    """Generate every case with torch and write the JSON file."""
    import torch

    declare_cases()
    for case in CASES:
        run_tensor_case(torch, case)
    declare_other_cases(torch)
    names = [c["name"] for c in CASES]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, f"case names must be unique: {dupes}"
    OUT.write_text(json.dumps(CASES, indent=1, allow_nan=False) + "\n")
    print(f"wrote {len(CASES)} cases to {OUT} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
