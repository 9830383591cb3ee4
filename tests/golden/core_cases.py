"""Golden differential cases for tshell's core (the torch surface and its printing).

Each case is a short snippet written against the ``torch`` API exactly as tutorial users
write it (``np`` is NumPy).  Its observable output is everything it prints, then, REPL
style, the ``repr`` of the final statement when that statement is an expression whose value
is not None.  If the snippet raises, the output so far is followed by one line
``ExceptionClassName: message``.  With ``warn=True`` Python warnings raised while the
snippet runs are written into the output, in order, as ``Category: message`` lines;
otherwise they are ignored.

Comparison options recorded per case (see ``normalize``):
- ``cut``: a marker; both texts are cut at its first occurrence before they are compared.
  Used where PyTorch appends hints after the message proper (chosen per case).

The same ``run_case`` is used by the generator (real torch 2.13) and by the test (tshell),
so both sides capture output identically.

Left out on purpose (tshell documents these as different): object addresses, CUDA. Random
values are PyTorch's and have their own family (families/random_streams.py); each case starts
from torch.manual_seed(0).
"""
from __future__ import annotations

import ast
import contextlib
import io
import re
import textwrap
import warnings

CASES: list[dict] = []


def C(cid: str, code: str, *, warn: bool = False, cut: str | None = None, state: bool = False):
    code = textwrap.dedent(code).strip("\n") + "\n"
    if any(c["id"] == cid for c in CASES):
        raise ValueError(f"duplicate case id {cid}")
    CASES.append({"id": cid, "code": code, "warn": warn, "cut": cut,
                  "state": state or any(k in code for k in _STATEFUL)})


def family_cases(path) -> list[dict]:
    """The cases a family file (tests/golden/families/NAME.py) declares by calling C(...) as
    this file does; kept apart from CASES, each family has its own goldens file beside it."""
    start = len(CASES)
    try:
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), {"C": C})
        return CASES[start:]
    finally:
        del CASES[start:]


_TRIGGERED = re.compile(r"\s*\(Triggered internally at [^)]*\)")

_STATEFUL = ("set_printoptions", "set_default_dtype", "set_grad_enabled", "manual_seed")


# --------------------------------------------------------------------------------------
# runner shared by the generator and the test

def reset_state(torch) -> None:
    """Undo global settings a case may have changed."""
    for fn in (
        lambda: torch.set_printoptions(precision=4, threshold=1000, edgeitems=3,
                                       linewidth=80, sci_mode=None),
        lambda: torch.set_default_dtype(torch.float32),
        lambda: torch.set_grad_enabled(True),
    ):
        try:
            fn()
        except Exception:
            pass


def run_case(case: dict, torch, np) -> str:
    buf = io.StringIO()
    ns = {"torch": torch, "np": np, "__name__": "__golden_case__"}
    tree = ast.parse(case["code"])
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
        ast.fix_missing_locations(last)

    def show(message, category, filename, lineno, file=None, line=None):
        text = _TRIGGERED.sub("", str(message))
        buf.write(f"{category.__name__}: {text}\n")

    try:
        with contextlib.redirect_stdout(buf), warnings.catch_warnings():
            if case.get("warn"):
                warnings.simplefilter("always")
                warnings.showwarning = show
            else:
                warnings.simplefilter("ignore")
            try:
                exec(compile(tree, "<case>", "exec"), ns)
                if last is not None:
                    value = eval(compile(last, "<case>", "eval"), ns)
                    if value is not None:
                        print(repr(value))
            except Exception as e:  # recording the error is the point
                print(f"{type(e).__name__}: {e}")
    finally:
        if case.get("state"):
            reset_state(torch)
    return buf.getvalue()


# --------------------------------------------------------------------------------------
# comparison shared by the test

def normalize(text: str, case: dict) -> str:
    cut = case.get("cut")
    if cut and cut in text:
        text = text[: text.index(cut)]
    return text.rstrip()


_NUM = re.compile(r"([-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf)")


def _frac_digits(tok: str) -> int:
    m = re.match(r"[-+]?\d*\.(\d*)", tok)
    return len(m.group(1)) if m else 0


def close_enough(expected: str, actual: str, rel: float = 1e-6) -> bool:
    """Token-by-token fallback: equal text, numbers within ``rel`` relative tolerance.

    A differing number pair must have the same shape (same count of digits after the
    point) unless one of them is a long Python float repr (>= 10 fractional digits), so a
    formatting difference such as ``1.`` vs ``1.0000`` is still a failure."""
    a = _NUM.split(expected)
    b = _NUM.split(actual)
    if len(a) != len(b):
        return False
    for i, (x, y) in enumerate(zip(a, b)):
        if i % 2 == 0:
            if x != y:
                return False
            continue
        if x == y:
            continue
        if _frac_digits(x) != _frac_digits(y) and max(_frac_digits(x), _frac_digits(y)) < 10:
            return False
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if fx != fx or fy != fy:
            if not (fx != fx and fy != fy):
                return False
            continue
        if abs(fx - fy) > rel * max(abs(fx), abs(fy)):
            return False
    return True


# ======================================================================================
# 1. creation

C("create_empty_shape", "x = torch.empty(5, 3)\nprint(x.shape, x.dtype)")
C("create_empty_tuple", "torch.empty((2, 3)).size()")
C("create_empty_dtype", "torch.empty(2, dtype=torch.int32).dtype")
C("create_empty_size_obj", "torch.empty(torch.Size([4, 1])).shape")
C("create_zeros_varargs", "torch.zeros(2, 3)")
C("create_zeros_tuple", "torch.zeros((2, 3))")
C("create_zeros_list", "torch.zeros([2, 3])")
C("create_zeros_size", "torch.zeros(torch.Size([2, 3]))")
C("create_zeros_long", "torch.zeros(5, 3, dtype=torch.long)")
C("create_zeros_bool", "torch.zeros(3, dtype=torch.bool)")
C("create_zeros_0d", "torch.zeros(())")
C("create_zeros_empty_1d", "torch.zeros(0)")
C("create_zeros_empty_2d", "torch.zeros(2, 0)")
C("create_zeros_30", "torch.zeros(30)")
C("create_zeros_3d", "torch.zeros(2, 2, 3)")
C("create_ones_rg", "torch.ones(2, 2, requires_grad=True)")
C("create_ones_3x3", "x1 = torch.ones(3, 3)\nprint(x1)")
C("create_ones_int32", "torch.ones(3, dtype=torch.int32)")
C("create_ones_double", "torch.ones(2, 3, dtype=torch.double)")
C("create_ones_half", "torch.ones(2, dtype=torch.float16)")
C("create_ones_uint8", "torch.ones(2, dtype=torch.uint8)")
C("create_ones_int8", "torch.ones(2, dtype=torch.int8)")
C("create_ones_int16", "torch.ones(2, dtype=torch.int16)")
C("create_ones_bool", "torch.ones(2, 2, dtype=torch.bool)")
C("create_ones_bf16", "torch.ones(3, dtype=torch.bfloat16)")
C("create_ones_device_str", "torch.ones(2, device='cpu')")
C("create_zeros_device_obj", "torch.zeros(2, device=torch.device('cpu')).device")
C("create_ones_rg_double", "torch.ones(2, dtype=torch.float64, requires_grad=True)")
C("create_full_int", "torch.full((2, 3), 7)")
C("create_full_float", "torch.full((2,), 1.5)")
C("create_full_bool", "torch.full((2, 2), True)")
C("create_full_dtype", "torch.full([3], 2, dtype=torch.float32)")
C("create_full_neg", "torch.full((1, 3), -0.25, dtype=torch.float64)")
C("create_arange_5", "torch.arange(5)")
C("create_arange_start_end", "torch.arange(1, 4)")
C("create_arange_float_step", "torch.arange(0, 1, 0.25)")
C("create_arange_float_end", "torch.arange(5.)")
C("create_arange_neg_step", "torch.arange(10, 0, -3)")
C("create_arange_dtype", "torch.arange(5, dtype=torch.float64)")
C("create_arange_int32_step", "torch.arange(0, 5, 2, dtype=torch.int32)")
C("create_arange_float_start", "torch.arange(1.5, 4)")
C("create_arange_rg", "torch.arange(3., requires_grad=True)")
C("create_linspace", "torch.linspace(0, 1, 5)")
C("create_linspace_steps_kw", "torch.linspace(-1, 1, steps=3)")
C("create_linspace_dtype", "torch.linspace(0, 10, 4, dtype=torch.float64)")
C("create_linspace_one", "torch.linspace(0, 1, 1)")
C("create_linspace_thirds", "torch.linspace(0, 1, 4)")
# The CPU kernel's arithmetic (fused multiply-add; op by op in half precision; integer
# start/end truncated) shows in the printed values.
C("create_linspace_fma_zero", "torch.linspace(-5, 5, 7)")
C("create_linspace_fma_values", "print(torch.linspace(-1, 1, 8).tolist())\n"
  "print(torch.linspace(-5, 5, 7, dtype=torch.float64).tolist())\n"
  "print(torch.linspace(-3.3, 7.1, 100).tolist()[40:60])")
C("create_linspace_int", "print(torch.linspace(-3.3, 7.1, 5, dtype=torch.int64))\n"
  "torch.linspace(-5, 5, 101, dtype=torch.int64)[38:43]")
C("create_linspace_half", "print(torch.linspace(0.1, 0.9, 17, dtype=torch.float16).tolist())\n"
  "torch.linspace(-3.3, 7.1, 20, dtype=torch.bfloat16).tolist()")
C("create_eye", "torch.eye(3)")
C("create_eye_rect", "torch.eye(2, 3)")
C("create_eye_long", "torch.eye(2, dtype=torch.int64)")
C("create_tensor_float", "x = torch.tensor([2.5, 3.5])\nprint(x)")
C("create_tensor_int", "torch.tensor([1, 2, 3])")
C("create_tensor_2d", "torch.tensor([[1, 2], [3, 4]])")
C("create_tensor_0d_float", "torch.tensor(3.5)")
C("create_tensor_0d_int", "torch.tensor(5)")
C("create_tensor_0d_bool", "torch.tensor(True)")
C("create_tensor_bool", "torch.tensor([True, False, True])")
C("create_tensor_mixed", "torch.tensor([1, 2.5])")
C("create_tensor_bool_int_mix", "torch.tensor([1, True])")
C("create_tensor_dtype_f64", "torch.tensor([1, 2], dtype=torch.float64)")
C("create_tensor_empty", "torch.tensor([])")
C("create_tensor_empty_2d", "torch.tensor([[]])")
C("create_tensor_rg", "torch.tensor([1., 2.], requires_grad=True)")
C("create_tensor_from_np_int32", "torch.tensor(np.array([1, 2], dtype=np.int32))")
C("create_tensor_0d_dtype", "torch.tensor(3, dtype=torch.float32)")
C("create_tensor_trunc_int64", "torch.tensor([1.5, 2.5, -1.7], dtype=torch.int64)")
C("create_tensor_nested_3d", "torch.tensor([[[1., 2.]], [[3., 4.]]])")
C("create_tensor_tuple_data", "torch.tensor((1, 2, 3))")
C("create_tensor_list_of_0d", "torch.tensor([torch.tensor(1.), torch.tensor(2.)])")
C("create_tensor_int8", "torch.tensor([-128, 127], dtype=torch.int8)")
C("create_tensor_bf16", "torch.tensor([1.5, 2.25, 3.0], dtype=torch.bfloat16)")
C("create_as_tensor_list", "torch.as_tensor([1, 2])")
C("create_as_tensor_dtype", "torch.as_tensor([1, 2], dtype=torch.float32)")
C("create_as_tensor_np_shares", """
a = np.array([1., 2.])
t = torch.as_tensor(a)
a[0] = 10
print(t)
""")
C("create_tensor_np_copies", """
a = np.array([1., 2.])
t = torch.tensor(a)
a[0] = 10
print(t)
""")
C("create_zeros_like", "torch.zeros_like(torch.tensor([[1, 2], [3, 4]]))")
C("create_ones_like_dtype", "torch.ones_like(torch.tensor([1, 2]), dtype=torch.float)")
C("create_ones_like_keeps_dtype", "torch.ones_like(torch.zeros(2, dtype=torch.float64))")
C("create_full_like_int", "torch.full_like(torch.tensor([1, 2, 3]), 7)")
C("create_full_like_float", "torch.full_like(torch.zeros(2, 2), 2.5)")
C("create_full_like_trunc", "torch.full_like(torch.tensor([1, 2]), 2.7)")
C("create_empty_like", "e = torch.empty_like(torch.zeros(2, 3, dtype=torch.int16))\nprint(e.shape, e.dtype)")
C("create_rand_like", "r = torch.rand_like(torch.zeros(2, 3))\nprint(r.shape, r.dtype, bool(((r >= 0) & (r < 1)).all()))")
C("create_randn_like_dtype", """
x = torch.ones(5, 3, dtype=torch.double)
y = torch.randn_like(x, dtype=torch.float)
print(y.size(), y.dtype)
""")
C("create_new_ones", "x = torch.tensor([2.5, 3.5])\nx = x.new_ones(5, 3, dtype=torch.double)\nprint(x)")
C("create_new_zeros_keeps_dtype", "torch.tensor([1, 2], dtype=torch.int32).new_zeros((2,))")
C("create_new_full", "torch.zeros(1, dtype=torch.float64).new_full((2, 2), 3.)")
C("create_new_tensor", "torch.zeros(1, dtype=torch.float64).new_tensor([1, 2])")
C("create_new_empty", "e = torch.zeros(1, dtype=torch.int8).new_empty(2, 3)\nprint(e.shape, e.dtype)")
C("create_rand_shape", "x = torch.rand(5, 3)\nprint(x.shape, x.dtype, bool((x >= 0).all()), bool((x < 1).all()))")
C("create_rand_dtype", "torch.rand(2, 3, dtype=torch.float64).dtype")
C("create_rand_rg", "torch.rand(2, requires_grad=True).requires_grad")
C("create_randn_shape", "torch.randn(4, 4).size()")
C("create_randn_tuple", "torch.randn((2, 3)).shape")
C("create_randint", "r = torch.randint(0, 10, (3, 4))\nprint(r.shape, r.dtype, bool((r >= 0).all()), bool((r < 10).all()))")
C("create_randint_high_only", "r = torch.randint(5, (2, 2))\nprint(r.shape, bool((r < 5).all()))")
C("create_randperm", "p = torch.randperm(6)\nprint(p.dtype, p.shape, sorted(p.tolist()))")
C("create_manual_seed", """
torch.manual_seed(0)
a = torch.rand(3)
torch.manual_seed(0)
b = torch.rand(3)
print(torch.equal(a, b))
""")
C("create_default_dtype", "torch.get_default_dtype()")
C("create_set_default_dtype", """
torch.set_default_dtype(torch.float64)
print(torch.tensor([1.5]))
print(torch.ones(2, dtype=torch.float32))
print(torch.tensor([1, 2]) / 2)
print((torch.tensor([1]) + 2.5).dtype)
print(torch.get_default_dtype())
""")

C("create_ones_list", "torch.ones([2])")
C("create_ones_size", "torch.ones(torch.Size([1, 2]))")
C("create_rand_list", "torch.rand([2, 2]).shape")
C("create_randn_size", "torch.randn(torch.Size([3])).shape")
C("create_randn_dtype", "torch.randn(2, dtype=torch.float64).dtype")
C("create_randint_dtype", "torch.randint(0, 5, (3,), dtype=torch.int32).dtype")
C("create_zeros_f64_rg", "torch.zeros(2, 2, dtype=torch.float64, requires_grad=True)")
C("create_full_rg", "torch.full((2,), 1., requires_grad=True)")
C("create_eye_rg", "torch.eye(2, requires_grad=True)")
C("create_linspace_rg", "torch.linspace(0, 1, 3, requires_grad=True)")
C("create_zeros_like_rg", "torch.zeros_like(torch.ones(2), requires_grad=True)")
C("create_tensor_f16_rg", "torch.tensor([1., 2.], dtype=torch.float16, requires_grad=True)")
C("create_empty_rg", "e = torch.empty(2, requires_grad=True)\nprint(e.requires_grad, e.is_leaf, e.grad_fn)")
C("create_new_ones_rg", "torch.zeros(1).new_ones(2, requires_grad=True)")
C("create_arange_to_float", "torch.arange(5).float()")
C("seed_addition", """
x = torch.zeros(1).new_ones(5, 3, dtype=torch.double)
y = torch.full((5, 3), 0.5)
print(x + y)
print(torch.add(x, y))
result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(result)
y.add_(x)
print(y)
print(x[:, 1])
""")
C("red_mean_fn_tuple_keepdim", "torch.mean(torch.arange(8.).view(2, 2, 2), dim=(0, 1), keepdim=True)")
C("red_std_fn_dim", "torch.std(torch.tensor([[1., 2.], [3., 6.]]), dim=0)")

# ======================================================================================
# 2. info

C("info_size", "x = torch.zeros(5, 3)\nprint(x.size())\nprint(x.size(0), x.size(-1), x.size(dim=1))")
C("info_shape", "x = torch.zeros(5, 3)\nprint(x.shape, x.shape[1], x.shape[-1])")
C("info_dim_numel", "x = torch.zeros(2, 3, 4)\nprint(x.dim(), x.ndim, x.numel())")
C("info_size_repr", "torch.Size([5, 3])")
C("info_size_0d", "torch.tensor(1).shape")
C("info_size_len", "len(torch.zeros(2, 3, 4).shape)")
C("info_size_eq_tuple", "torch.zeros(5, 3).shape == (5, 3)")
C("info_size_eq_size", "torch.zeros(5, 3).size() == torch.Size([5, 3])")
C("info_size_list_tuple", "s = torch.zeros(2, 3).shape\nprint(list(s), tuple(s))")
C("info_size_slice", "torch.zeros(2, 3, 4).shape[1:]")
C("info_size_unpack", "a, b = torch.zeros(2, 3).shape\nprint(a, b, a * b)")
C("info_size_numel", "torch.Size([2, 3]).numel()")
C("info_size_print_two", """
x = torch.randn(4, 4)
y = x.view(16)
z = x.view(-1, 8)
print(x.size(), y.size(), z.size())
""")
C("info_stride", "x = torch.zeros(3, 4)\nprint(x.stride(), x.stride(0), x.stride(1))")
C("info_stride_t", "torch.zeros(3, 4).t().stride()")
C("info_stride_3d", "torch.zeros(2, 3, 4).permute(2, 0, 1).stride()")
C("info_contiguous", "x = torch.zeros(3, 4)\nprint(x.is_contiguous(), x.t().is_contiguous(), x[:, 1].is_contiguous(), x[1].is_contiguous())")
C("info_element_size", """
for dt in [torch.float32, torch.float64, torch.float16, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool]:
    print(dt, torch.zeros(1, dtype=dt).element_size())
""")
C("info_dtype", "print(torch.zeros(1).dtype, torch.tensor([1]).dtype, torch.tensor([True]).dtype, torch.tensor(1.5).dtype)")
C("info_device", "torch.zeros(1).device")
C("info_device_str", "str(torch.zeros(1).device)")
C("info_is_cuda", "torch.zeros(1).is_cuda")
C("info_leaf_flags", """
x = torch.ones(2, requires_grad=True)
y = x * 2
print(x.is_leaf, y.is_leaf, x.requires_grad, y.requires_grad)
print(x.grad, x.grad_fn)
print(torch.ones(2).is_leaf, torch.ones(2).requires_grad)
""")
C("info_dtype_reprs", "print(torch.float32, torch.float, torch.float64, torch.double, torch.float16, torch.half, torch.bfloat16)")
C("info_dtype_reprs_int", "print(torch.int64, torch.long, torch.int32, torch.int, torch.int16, torch.short, torch.int8, torch.uint8, torch.bool)")
C("info_dtype_repr_echo", "torch.long")
C("info_dtype_eq", "print(torch.float32 == torch.float, torch.long == torch.int64, torch.int == torch.int64)")
C("info_dtype_str", "str(torch.float64)")
C("info_dtype_list", "[torch.float16, torch.int8]")
C("info_device_cpu", "torch.device('cpu')")
C("info_device_cuda", "torch.device('cuda')")
C("info_device_cuda0", "torch.device('cuda:0')")
C("info_device_cuda0_str", "print(torch.device('cuda:0'), torch.device('cpu'))")
C("info_device_type", "d = torch.device('cuda:0')\nprint(d.type, d.index, torch.device('cpu').index)")
C("info_device_eq", "torch.device('cpu') == torch.zeros(1).device")
C("info_len", "len(torch.zeros(4, 2))")
C("info_is_floating_point", "print(torch.zeros(1).is_floating_point(), torch.zeros(1, dtype=torch.int32).is_floating_point())")

# ======================================================================================
# 3. printing

C("print_ratio_1000", "torch.tensor([-5., 5000.])")
C("print_ratio_sci", "torch.tensor([1., 2000.])")
C("print_1e8", "torch.tensor([100000000.])")
C("print_2e8", "torch.tensor([2e8])")
C("print_small_ratio", "torch.tensor([1e-4, 1.])")
C("print_small_alone", "torch.tensor([0.0001])")
C("print_sci_false", "torch.set_printoptions(sci_mode=False)\nprint(torch.tensor([1e-5, 1.]))")
C("print_sci_true", "torch.set_printoptions(sci_mode=True)\nprint(torch.tensor([1.5, 2.]))")
C("print_nan_inf", "torch.tensor([float('nan'), float('inf'), -float('inf'), 1.5])")
C("print_nan_only", "torch.tensor([float('nan')])")
C("print_inf_0d", "torch.tensor(float('inf'))")
C("print_nan_int_mode", "torch.tensor([float('nan'), 1., 2.])")
C("print_f32_rounding", "torch.tensor([123456.789])")
C("print_rounding", "torch.tensor([0.12345678, 1.99999])")
C("print_neg_zero", "torch.tensor([-0., 1.])")
C("print_negatives", "torch.tensor([-1.5, 2.25])")
C("print_2d_float", "torch.tensor([[1., -1.], [0.5, 100.]])")
C("print_2d_int_mode", "torch.tensor([[1., 20.], [300., -4.]])")
C("print_big_int_mode", "torch.tensor([12345678.])")
C("print_1e10", "torch.tensor([1e10, 1.])")
C("print_tiny_0d", "torch.tensor(1e-7)")
C("print_0d_f64", "torch.tensor(2.5, dtype=torch.float64)")
C("print_0d_neg", "torch.tensor(-3.)")
C("print_arange100", "torch.arange(100.)")
C("print_arange2000", "torch.arange(2000)")
C("print_ones1001_hidden", "x = torch.ones(1001)\nx[500] = 1e9\nprint(x)")
C("print_1001_floats", "torch.arange(1001.) / 7")
C("print_3d", "torch.arange(12).view(2, 2, 3)")
C("print_4d", "torch.arange(16).view(2, 2, 2, 2)")
C("print_8x9", "torch.arange(72.).view(8, 9) / 3")
C("print_wide_rows", "torch.arange(30.).view(2, 15) * 1.5")
C("print_summarized_2d", "torch.arange(1200.).view(40, 30)")
C("print_summarized_3d", "torch.zeros(11, 11, 11)")
C("print_summarized_int_2d", "torch.arange(2000).view(2, 1000)")
C("print_int_neg", "torch.tensor([-100, 5, 20])")
C("print_uint8", "torch.tensor([1, 200], dtype=torch.uint8)")
C("print_int32", "torch.tensor([[1, -2], [30, 4]], dtype=torch.int32)")
C("print_int16", "torch.tensor([7], dtype=torch.int16)")
C("print_bool_2d", "torch.tensor([[True, False], [False, True]])")
C("print_empty_long", "torch.tensor([], dtype=torch.int64)")
C("print_empty_bool", "torch.tensor([], dtype=torch.bool)")
C("print_empty_size_int32", "torch.zeros(0, 3, dtype=torch.int32)")
C("print_empty_f64", "torch.zeros(0, dtype=torch.float64)")
C("print_float16", "torch.tensor([1.5, 2.25], dtype=torch.float16)")
C("print_float16_decimals", "torch.tensor([0.1, 0.2], dtype=torch.float16)")
C("print_float64", "torch.tensor([0.1, 0.2], dtype=torch.float64)")
C("print_float64_precise", "torch.tensor([1/3], dtype=torch.float64)")
C("print_precision2", "torch.set_printoptions(precision=2)\nprint(torch.tensor([1.12345, 2.5]))")
C("print_precision6", "torch.set_printoptions(precision=6)\nprint(torch.tensor([1/3, 2.]))")
C("print_profile_short", "torch.set_printoptions(profile='short')\nprint(torch.tensor([1.12345, 2.5]))")
C("print_threshold", "torch.set_printoptions(threshold=5)\nprint(torch.arange(10))")
C("print_edgeitems", "torch.set_printoptions(threshold=5, edgeitems=1)\nprint(torch.arange(10.))")
C("print_linewidth", "torch.set_printoptions(linewidth=40)\nprint(torch.arange(20.))")
C("print_profile_full", "torch.set_printoptions(profile='full')\nprint(torch.arange(1002).shape)\nprint(torch.arange(1010)[-3:])")
C("print_suffix_wrap", "x = torch.full((8,), 12.5, requires_grad=True)\nprint(x + 1)")
C("print_suffix_dtype_rg", "torch.ones(2, dtype=torch.float64, requires_grad=True) * 2")
C("print_tuple_of_tensors", "print(torch.tensor([1, 2]), torch.tensor(3.))")
C("print_list_of_tensors", "[torch.tensor(1), torch.tensor(2.)]")
C("print_tuple_echo", "(torch.tensor([1., 2.]), torch.tensor([3]))")
C("print_big_ints", "torch.tensor([1, 1000000000000])")
C("print_str_eq_repr", "t = torch.tensor([1.5, 2.])\nprint(str(t) == repr(t))")
C("print_format_fstring", "t = torch.tensor([1.5, 2.])\nprint(f'value: {t}')")
C("print_half_sci", "torch.tensor([0.0001, 100.], dtype=torch.float16)")
C("print_mixed_magnitudes", "torch.tensor([0.001, 0.01, 0.1, 1.0])")
C("print_large_values", "torch.tensor([12345.678, 1.5])")
C("print_grad_fn_0d", "x = torch.ones(2, 2, requires_grad=True)\n((x + 2) * (x + 2) * 3).mean()")
C("print_no_grad_no_suffix", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\nprint(y)")

# ======================================================================================
# 4. type promotion

_DT = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
for i, _a in enumerate(_DT):
    for _b in _DT[i:]:
        C(f"promote_{_a}_{_b}",
          f"a = torch.ones(2, dtype=torch.{_a})\nb = torch.ones(2, dtype=torch.{_b})\n"
          f"print((a + b).dtype, (b * a).dtype)\nprint(a + b)")
for _a in _DT:
    C(f"promote_scalar_{_a}",
      f"a = torch.ones(2, dtype=torch.{_a})\n"
      f"print((a + 2).dtype, (a + 2.5).dtype, (a * True).dtype, (a / 2).dtype)")
C("promote_int_div_int", "torch.tensor([1, 2]) / 2")
C("promote_int_div_tensor", "torch.tensor([5, 7]) / torch.tensor([2, 2])")
C("promote_int32_div", "torch.tensor([5], dtype=torch.int32) / 2")
C("promote_f16_div", "torch.tensor([1, 2], dtype=torch.float16) / 3")
C("promote_int_plus_float", "torch.tensor([1, 2]) + 2.5")
C("promote_0d_int32", "torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(5)")
C("promote_0d_f16_f64", "torch.ones(2, dtype=torch.float16) + torch.tensor(1., dtype=torch.float64)")
C("promote_0d_float_int", "torch.tensor([1, 2]) + torch.tensor(1.5)")
C("promote_0d_uint8_neg", "torch.tensor([1, 2], dtype=torch.uint8) + torch.tensor(-1)")
C("promote_0d_both", "torch.tensor(2.5, dtype=torch.float64) + torch.tensor(1, dtype=torch.int32)")
C("promote_0d_left", "torch.tensor(2) * torch.tensor([1.5], dtype=torch.float64)")
C("promote_0d_bool_int", "torch.tensor([True]) + torch.tensor(2)")
C("promote_0d_f32_f64_dim", "torch.tensor(1.) + torch.tensor([1.], dtype=torch.float64)")
C("promote_int8_overflow_scalar", "torch.tensor([1, 2], dtype=torch.int8) * 100")
C("promote_uint8_wrap", "torch.tensor([250], dtype=torch.uint8) + torch.tensor([10], dtype=torch.uint8)")
C("promote_bool_plus_int", "torch.tensor([True, False]) + 1")
C("promote_bool_times_float", "torch.tensor([True, False]) * 2.5")
C("promote_int_plus_bool", "torch.tensor([1, 2]) + True")
C("promote_compare_int_float", "torch.tensor([1, 2]) == torch.tensor([1., 2.5])")
C("promote_rsub_scalar", "(1 - torch.tensor([1, 2], dtype=torch.int16)).dtype")
C("promote_where", "torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([0.5, 0.5]))")
C("promote_cat", "torch.cat([torch.tensor([1, 2]), torch.tensor([0.5])])")
C("promote_maximum", "torch.maximum(torch.tensor([1, 5]), torch.tensor([2.5, 3.5]))")
C("promote_matmul_f64", "(torch.ones(2, 2, dtype=torch.float64) @ torch.ones(2, 2, dtype=torch.float64)).dtype")
C("promote_f16_int64", "torch.ones(2, dtype=torch.float16) + torch.tensor([1, 2])")
C("promote_bf16_f16", "(torch.ones(1, dtype=torch.bfloat16) + torch.ones(1, dtype=torch.float16)).dtype")
C("promote_bf16_int", "torch.ones(2, dtype=torch.bfloat16) * 3")

# ======================================================================================
# 5. arithmetic

_AB = "a = torch.tensor([[1., 2.], [3., 4.]])\nb = torch.tensor([[0.5, -1.], [2., 8.]])\n"
C("arith_ops", _AB + "print(a + b)\nprint(a - b)\nprint(a * b)\nprint(a / b)")
C("arith_functional", _AB + "print(torch.add(a, b))\nprint(torch.sub(a, b))\nprint(torch.mul(a, b))\nprint(torch.div(a, b))")
C("arith_methods", _AB + "print(a.add(b))\nprint(a.sub(b))\nprint(a.mul(b))\nprint(a.div(b))\nprint(a.true_divide(b))")
C("arith_add_alpha", _AB + "torch.add(a, b, alpha=2)")
C("arith_sub_alpha", _AB + "a.sub(b, alpha=0.5)")
C("arith_add_alpha_int", "torch.add(torch.tensor([1, 2]), torch.tensor([3, 4]), alpha=3)")
C("arith_add_out", _AB + "r = torch.empty(2, 2)\ntorch.add(a, b, out=r)\nprint(r)")
C("arith_add_out_returns", _AB + "r = torch.empty(2, 2)\nprint(torch.add(a, b, out=r) is r)")
C("arith_add_out_seed", """
x = torch.ones(5, 3, dtype=torch.double)
y = torch.ones(5, 3)
result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(result)
""")
C("arith_mul_out", "r = torch.zeros(3)\ntorch.mul(torch.tensor([1., 2., 3.]), 2, out=r)\nr")
C("arith_out_resize_warning", "r = torch.zeros(2)\ntorch.add(torch.ones(3), 1, out=r)\nprint(r)", warn=True)
C("arith_out_int_error", "r = torch.zeros(2, dtype=torch.long)\ntorch.div(torch.tensor([1, 2]), 2, out=r)")
C("arith_scalar_reverse", "x = torch.tensor([1., 2., 4.])\nprint(2 - x)\nprint(2 / x)\nprint(2 ** x)\nprint(1 + x)\nprint(3 * x)")
C("arith_floor_divide_neg", "torch.floor_divide(torch.tensor([-7, 7]), 2)")
C("arith_floordiv_op", "torch.tensor([-7., 7.5]) // 2")
C("arith_floordiv_int_neg_div", "torch.tensor([7, -7]) // -2")
C("arith_remainder_neg", "torch.tensor([-7, 7]) % 3")
C("arith_remainder_fn", "torch.remainder(torch.tensor([-3., 3.]), -2)")
C("arith_remainder_float", "torch.tensor([5.5, -5.5]) % 2")
# PyTorch's float remainder is fmod plus the divisor where the signs differ: the sign of a
# zero result follows the dividend (NumPy's follows the divisor).
C("arith_remainder_signed_zero", "print(torch.tensor([1.5, -2.0, 0.0]) % 2)\n"
  "print(torch.tensor([1.5, -2.0, 0.0], dtype=torch.float64) % -3)\n"
  "print(torch.tensor([3, 250, 0], dtype=torch.uint8) % torch.tensor([1.5, -2.0, 0.0]))\n"
  "print(-4.0 % torch.tensor([2., -2., 0.]))\n"
  "torch.remainder(torch.tensor([-2.5, 3.0, -0.0, float('inf')]), torch.tensor([2., -2., -2., 2.]))")
C("arith_div_floor", "torch.tensor([-7, 7]).div(2, rounding_mode='floor')")
C("arith_div_trunc", "torch.div(torch.tensor([-7, 7]), 2, rounding_mode='trunc')")
C("arith_div_zero_float", "torch.tensor([1., -1., 0.]) / 0")
C("arith_int_div_zero", "torch.tensor([5]) // 0")
C("arith_rmod_int_zero", "2 % torch.tensor([3, -7, 0])")
C("arith_rfloordiv_float_by_int_zero", "2.5 // torch.tensor([3, -7, 0])")
C("arith_bool_floordiv_not_implemented", "torch.tensor([True, False]) // torch.tensor([True, False])")
C("arith_bool_rmod_not_implemented", "True % torch.tensor([True, False])")
C("arith_bitwise_float_not_implemented", "torch.tensor([1.5, 2.0]) & torch.tensor([1, 2])")
C("arith_pow_int", "torch.tensor([1, 2, 3]) ** 2")
C("arith_pow_half", "torch.tensor([1, 4, 9]) ** 0.5")
C("arith_pow_tensor", "torch.tensor([2.]) ** torch.tensor([3.])")
C("arith_pow_fn_neg", "torch.pow(torch.tensor([4., 2.]), -1)")
C("arith_pow_int_neg_error", "torch.tensor([2]) ** -1")
# An integer exponent *tensor* may be negative: 1 for base 1, +-1 for base -1, else 0.
C("arith_pow_int_neg_tensor", "print(torch.tensor([2, 1, -1, -1, 0, 5]) ** torch.tensor([-1, -5, -3, -2, -1, 0]))\n"
  "print(torch.tensor([3, 250, 0], dtype=torch.uint8) ** torch.tensor([3, -7, 0], dtype=torch.int8))\n"
  "print(2 ** torch.tensor([-1, 2]))\n"
  "print(torch.pow(-1, torch.tensor([-1, -2], dtype=torch.int32)))\n"
  "torch.tensor([[2], [3]], dtype=torch.int32) ** torch.tensor(-1)")
C("arith_pow_neg_base_frac", "torch.tensor([-8.]) ** (1 / 3)")
C("arith_pow_int_float_tensor", "torch.tensor([2, 3]).pow(torch.tensor([2., 0.5]))")
C("arith_pow_scalar_base_int", "2 ** torch.tensor([1, 2, 3])")
C("arith_pow_zero", "torch.tensor([0., 2.]) ** 0")
C("arith_neg", "print(-torch.tensor([1, -2]))\nprint(torch.neg(torch.tensor([1.5, 0.])))\nprint(torch.tensor([3.]).neg())")
C("arith_broadcast_col_row", "torch.tensor([[1], [2], [3]]) + torch.tensor([[10, 20, 30, 40]])")
C("arith_broadcast_row", "torch.ones(2, 3) + torch.tensor([1., 2., 3.])")
C("arith_broadcast_3d", "(torch.ones(2, 1, 3) * torch.ones(4, 1)).shape")
C("arith_broadcast_0d", "torch.arange(4.).view(2, 2) * torch.tensor(2.)")
C("arith_bool_ops", "m = torch.tensor([True, False, True])\nn = torch.tensor([True, True, False])\nprint(m & n, m | n, m ^ n, ~m)")
C("arith_mask_combine", "x = torch.arange(6)\nx[(x > 1) & (x < 4)]")
C("matmul_vv", "torch.tensor([1., 2., 3.]) @ torch.tensor([4., 5., 6.])")
C("matmul_mv", "torch.arange(6.).view(2, 3) @ torch.tensor([1., 0., -1.])")
C("matmul_vm", "torch.tensor([1., 2.]) @ torch.arange(6.).view(2, 3)")
C("matmul_mm", "torch.arange(6.).view(2, 3) @ torch.arange(6.).view(3, 2)")
C("matmul_fn", "torch.matmul(torch.arange(4.).view(2, 2), torch.eye(2))")
C("matmul_mm_fn", "torch.mm(torch.arange(6.).view(3, 2), torch.ones(2, 1))")
C("matmul_mm_method", "torch.arange(4.).view(2, 2).mm(torch.arange(4.).view(2, 2))")
C("matmul_bmm", "torch.bmm(torch.ones(2, 2, 3), torch.arange(6.).view(1, 3, 2).expand(2, 3, 2))")
C("matmul_3d_2d", "(torch.ones(4, 2, 3) @ torch.ones(3, 5)).shape")
C("matmul_3d_3d_broadcast", "(torch.ones(4, 1, 2, 3) @ torch.ones(5, 3, 2)).shape")
C("matmul_1d_3d", "(torch.ones(3) @ torch.ones(2, 3, 4)).shape")
C("matmul_3d_1d", "torch.arange(12.).view(2, 2, 3) @ torch.ones(3)")
C("matmul_int", "torch.tensor([[1, 2], [3, 4]]) @ torch.tensor([[1], [1]])")
C("matmul_dot", "torch.dot(torch.tensor([1., 2.]), torch.tensor([3., 4.]))")
C("matmul_dot_int", "torch.tensor([1, 2]).dot(torch.tensor([3, 4]))")
C("matmul_mv_fn", "torch.mv(torch.eye(3) * 2, torch.tensor([1., 2., 3.]))")
C("matmul_dtype_mismatch", "torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.int64)")

# ======================================================================================
# 6. elementwise

_X = "x = torch.tensor([-1.5, -0.5, 0., 0.5, 2.])\n"
_P = "p = torch.tensor([0.25, 1., 4.])\n"
for _fn in ["abs", "exp", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "floor", "ceil",
            "round", "sign", "neg"]:
    C(f"elem_{_fn}", _X + f"print(torch.{_fn}(x))\nprint(x.{_fn}())")
for _fn in ["log", "log1p", "sqrt", "rsqrt", "reciprocal"]:
    C(f"elem_{_fn}", _P + f"print(torch.{_fn}(p))\nprint(p.{_fn}())")
C("elem_log_special", "torch.log(torch.tensor([0., -1., 1.]))")
C("elem_sqrt_neg", "torch.sqrt(torch.tensor([-1., 4.]))")
C("elem_round_half_even", "torch.round(torch.tensor([0.5, 1.5, 2.5, -0.5, -1.5]))")
C("elem_round_decimals", "torch.round(torch.tensor([1.2345, 2.5678]), decimals=2)")
C("elem_exp_int", "torch.exp(torch.tensor([0, 1]))")
C("elem_sqrt_int", "torch.sqrt(torch.tensor([4, 9]))")
C("elem_abs_int", "torch.abs(torch.tensor([-1, 2]))")
C("elem_sigmoid_int", "torch.tensor([0, 1]).sigmoid()")
C("elem_floor_int", "torch.floor(torch.tensor([1, 2]))")
C("elem_sign_int", "torch.sign(torch.tensor([-2, 0, 3]))")
C("elem_reciprocal_int", "torch.reciprocal(torch.tensor([2, 4]))")
C("elem_relu_int", "torch.relu(torch.tensor([-1, 2]))")
C("elem_exp_f16", "torch.exp(torch.tensor([1.], dtype=torch.float16))")
C("elem_exp_f64", "torch.exp(torch.tensor([1.], dtype=torch.float64))")
C("elem_sin_linspace", "torch.sin(torch.linspace(0, 3.1415927, 5))")
C("elem_clamp_both", _X + "torch.clamp(x, -1, 1)")
C("elem_clamp_min", _X + "x.clamp(min=0)")
C("elem_clamp_max", _X + "x.clamp(max=0.25)")
C("elem_clip", _X + "torch.clip(x, min=-0.5, max=0.5)")
C("elem_clamp_int", "torch.tensor([1, 5, 9]).clamp(2, 6)")
C("elem_clamp_int_float_bound", "torch.clamp(torch.tensor([1, 5, 9]), min=2.5)")
C("elem_clamp_tensor_bounds", "torch.clamp(torch.tensor([1., 5., 9.]), min=torch.tensor([2., 2., 2.]), max=torch.tensor([8., 4., 8.]))")
C("elem_maximum", "torch.maximum(torch.tensor([1., 5., 3.]), torch.tensor([4., 2., 3.]))")
C("elem_minimum", "torch.minimum(torch.tensor([1., 5., 3.]), torch.tensor([4., 2., 3.]))")
C("elem_maximum_nan", "torch.maximum(torch.tensor([1., float('nan')]), torch.tensor([2., 0.]))")
C("elem_max_binary", "torch.max(torch.tensor([1, 5]), torch.tensor([3, 2]))")
C("elem_maximum_broadcast", "torch.maximum(torch.tensor([[1.], [5.]]), torch.tensor([2., 3., 4.]))")
C("elem_where", "x = torch.tensor([-1., 2., -3.])\ntorch.where(x > 0, x, torch.zeros(3))")
C("elem_where_scalar", "x = torch.tensor([-1., 2., -3.])\ntorch.where(x > 0, x, 0.)")
C("elem_where_one_arg", "torch.where(torch.tensor([[0, 1], [1, 0]]))")
C("elem_where_method", "x = torch.tensor([-1., 2., -3.])\nx.where(x > 0, torch.tensor(10.))")
C("elem_softmax", "torch.softmax(torch.tensor([1., 2., 3.]), dim=0)")
C("elem_softmax_2d", "torch.tensor([[1., 2.], [3., 5.]]).softmax(dim=1)")
C("elem_softmax_dim0", "torch.softmax(torch.tensor([[1., 2.], [3., 5.]]), 0)")
C("elem_softmax_large", "torch.softmax(torch.tensor([1000., 1001.]), dim=0)")
C("elem_log_softmax", "torch.log_softmax(torch.tensor([1., 2., 3.]), dim=0)")
C("elem_log_softmax_2d", "torch.tensor([[1., 2.], [3., 5.]]).log_softmax(-1)")
C("elem_softmax_int_dtype", "torch.softmax(torch.tensor([1, 2]), dim=0, dtype=torch.float64)")
C("elem_tanh_sat", "torch.tanh(torch.tensor([-20., 20.]))")
C("elem_sigmoid_extreme", "torch.sigmoid(torch.tensor([-100., 100.]))")

# ======================================================================================
# 7. reductions

_M = "x = torch.arange(6.).view(2, 3)\n"
C("red_sum", _M + "print(x.sum(), torch.sum(x))")
C("red_sum_dims", _M + "print(x.sum(0))\nprint(x.sum(1))\nprint(x.sum(-1))\nprint(torch.sum(x, 0))")
C("red_sum_keepdim", _M + "x.sum(dim=1, keepdim=True)")
C("red_sum_tuple", _M + "print(x.sum((0, 1)))\nprint(x.sum(dim=(0, 1)))\nprint(x.sum(dim=(-1,), keepdim=True))")
C("red_sum_3d_tuple", "torch.arange(24.).view(2, 3, 4).sum(dim=(0, 2))")
C("red_sum_int32", "torch.tensor([1, 2, 3], dtype=torch.int32).sum()")
C("red_sum_bool", _M + "(x > 1).sum()")
C("red_sum_uint8", "torch.tensor([200, 100], dtype=torch.uint8).sum()")
C("red_sum_f16", "torch.tensor([1., 2.], dtype=torch.float16).sum()")
C("red_sum_dtype_kw", "torch.tensor([1, 2]).sum(dtype=torch.float64)")
C("red_sum_empty", "torch.zeros(0).sum()")
C("red_mean", _M + "print(x.mean(), x.mean(0), x.mean(1))")
C("red_mean_keepdim", _M + "x.mean(dim=0, keepdim=True)")
C("red_mean_tuple", "torch.arange(24.).view(2, 3, 4).mean((1, 2))")
C("red_mean_f64", "torch.tensor([1, 2], dtype=torch.float64).mean()")
C("red_mean_int_float", "torch.tensor([1, 2, 4]).float().mean()")
C("red_mean_dtype_kw", "torch.tensor([1, 2]).mean(dtype=torch.float32)")
C("red_prod", "print(torch.tensor([1, 2, 3, 4]).prod())\nprint(torch.tensor([[1., 2.], [3., 4.]]).prod(0))\nprint(torch.tensor([[1., 2.], [3., 4.]]).prod(1, keepdim=True))")
C("red_prod_int32", "torch.tensor([2, 3], dtype=torch.int32).prod()")
C("red_max_all", _M + "print(x.max(), x.min(), torch.max(x), torch.min(x))")
C("red_max_dim", _M + "x.max(0)")
C("red_max_dim1", _M + "torch.max(x, 1)")
C("red_max_keepdim", _M + "x.max(dim=1, keepdim=True)")
C("red_max_unpack", _M + "values, indices = x.max(1)\nprint(values)\nprint(indices)")
C("red_max_attrs", _M + "r = x.min(dim=0)\nprint(r.values, r.indices, r[0], r[1])")
C("red_max_print", _M + "print(x.max(1))")
C("red_max_int", "torch.tensor([[3, 7], [9, 1]]).max(0)")
C("red_max_ties", "torch.tensor([1, 3, 3]).max(0)")
C("red_min_ties", "torch.tensor([2., 1., 1., 5.]).min(dim=0)")
C("red_max_rg", "x = torch.tensor([[1., 5.], [4., 2.]], requires_grad=True)\nx.max(1)")
C("red_max_tuple_len", _M + "r = x.max(0)\nprint(len(r), type(r).__name__)")
C("red_max_nan", "torch.tensor([1., float('nan'), 3.]).max()")
C("red_argmax", "x = torch.tensor([[1, 5], [7, 2]])\nprint(x.argmax(), x.argmin())\nprint(x.argmax(0), x.argmax(dim=1))\nprint(torch.argmax(x, 1, keepdim=True))")
C("red_argmin_ties", "torch.tensor([3., 1., 1.]).argmin()")
C("red_argmax_ties", "torch.tensor([[2, 2], [1, 3]]).argmax(dim=1)")
C("red_std_var", "x = torch.tensor([1., 2., 3., 4.])\nprint(x.std(), x.var())\nprint(x.std(unbiased=False), x.var(unbiased=False))")
C("red_std_correction", "torch.tensor([1., 2., 3., 4.]).std(correction=0)")
C("red_std_dim", "x = torch.tensor([[1., 2.], [3., 5.]])\nprint(x.std(0), x.var(1), x.std(dim=1, keepdim=True))")
C("red_std_fn", "torch.std(torch.tensor([2., 4., 4., 4., 5., 5., 7., 9.]))")
C("red_std_single", "torch.tensor([1.]).std()")
C("red_norm", "print(torch.tensor([3., 4.]).norm(), torch.norm(torch.tensor([3., 4.])))")
C("red_norm_dim", "x = torch.tensor([[3., 4.], [6., 8.]])\nprint(x.norm(dim=1))\nprint(x.norm(2, dim=0, keepdim=True))")
C("red_norm_p1", "torch.tensor([3., -4.]).norm(p=1)")
C("red_norm_matrix", "torch.ones(2, 2).norm()")
C("red_cumsum", "print(torch.arange(5).cumsum(0))\nprint(torch.arange(6.).view(2, 3).cumsum(dim=1))\nprint(torch.cumsum(torch.ones(2, 2), dim=0))")
C("red_cumsum_int32", "torch.tensor([1, 2], dtype=torch.int32).cumsum(0)")
C("red_cumsum_bool", "torch.tensor([True, False, True]).cumsum(0)")
C("red_all_any", "m = torch.tensor([True, False])\nprint(m.all(), m.any(), torch.all(m), torch.any(m))")
C("red_all_dim", "m = torch.tensor([[True, False], [True, True]])\nprint(m.all(dim=0), m.any(1), m.all(1, keepdim=True))")
C("red_all_float", "print(torch.tensor([1., 0.]).all(), torch.tensor([1., 0.]).any())")
C("red_all_uint8", "torch.tensor([1, 2], dtype=torch.uint8).all()")
C("red_all_empty", "print(torch.tensor([], dtype=torch.bool).all(), torch.tensor([], dtype=torch.bool).any())")
C("red_sum_item", _M + "x.sum().item()")
C("red_mean_item", "torch.tensor([1., 2., 4.]).mean().item()")
C("red_any_condition", "x = torch.tensor([-1., 2.])\nif (x > 0).any():\n    print('has positive')\nif not (x > 5).any():\n    print('none above 5')")

# ======================================================================================
# 8. comparison

_CMP = "a = torch.tensor([1., 2., 3.])\nb = torch.tensor([3., 2., 1.])\n"
C("cmp_ops", _CMP + "print(a == b, a != b)\nprint(a < b, a <= b)\nprint(a > b, a >= b)")
C("cmp_fns", _CMP + "print(torch.eq(a, b), torch.ne(a, b), torch.lt(a, b))\nprint(torch.le(a, b), torch.gt(a, b), torch.ge(a, b))")
C("cmp_methods", _CMP + "print(a.eq(b), a.ne(b), a.lt(2), a.le(2), a.gt(2), a.ge(2))")
C("cmp_scalar", "torch.tensor([1, 2, 3]) > 1.5")
C("cmp_int_eq_float_scalar", "torch.tensor([1, 2]) == 2.0")
C("cmp_broadcast", "torch.tensor([[1], [2]]) < torch.tensor([1, 2, 3])")
C("cmp_0d", "torch.tensor(1) == 1")
C("cmp_isnan_isinf", "x = torch.tensor([1., float('nan'), float('inf'), -float('inf')])\nprint(torch.isnan(x), x.isnan())\nprint(torch.isinf(x), x.isinf())")
C("cmp_isnan_int", "torch.isnan(torch.tensor([1, 2]))")
C("cmp_isclose", "torch.isclose(torch.tensor([1., 1.0001, 1.1]), torch.tensor([1., 1., 1.]))")
C("cmp_isclose_tol", "torch.isclose(torch.tensor([1., 1.1]), torch.tensor([1.05, 1.]), rtol=0, atol=0.06)")
C("cmp_isclose_nan", "print(torch.isclose(torch.tensor([float('nan')]), torch.tensor([float('nan')])))\nprint(torch.isclose(torch.tensor([float('nan')]), torch.tensor([float('nan')]), equal_nan=True))")
C("cmp_allclose", "print(torch.allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.000001])))\nprint(torch.allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.1])))")
C("cmp_allclose_method", "torch.tensor([1., 2.]).allclose(torch.tensor([1.001, 2.]), atol=0.01)")
C("cmp_equal", "print(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])))\nprint(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 3])))\nprint(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2, 3])))")
C("cmp_equal_method", "torch.ones(2).equal(torch.ones(2))")
C("cmp_eq_all_seed", "x = torch.ones(2, 2, requires_grad=True)\ny = x.detach()\nprint(x.eq(y).all())")
C("cmp_bool_tensor_eq", "torch.tensor([True, False]) == torch.tensor([True, True])")
C("cmp_nan_ne", "x = torch.tensor([float('nan')])\nprint(x == x, x != x)")
C("cmp_bool_of_0d", "print(bool(torch.tensor(3) > 2), bool(torch.tensor([0.])))")

# ======================================================================================
# 9. shape ops

_S = "x = torch.arange(16.).view(4, 4)\n"
C("shape_view_seed", _S + "y = x.view(16)\nz = x.view(-1, 8)\nprint(y)\nprint(z)")
C("shape_view_tuple", _S + "x.view((8, 2)).shape")
C("shape_view_size", _S + "x.view(torch.Size([2, 8])).shape")
C("shape_view_3d", _S + "x.view(2, 2, 4)")
C("shape_view_shares", "x = torch.zeros(2, 2)\ny = x.view(4)\ny[0] = 100\nprint(x)")
C("shape_reshape", _S + "print(x.reshape(2, -1).shape, x.reshape(-1).shape, torch.reshape(x, (8, 2)).shape)")
C("shape_reshape_noncontig", "x = torch.arange(6).view(2, 3)\nx.t().reshape(6)")
C("shape_reshape_shares", "x = torch.zeros(2, 2)\ny = x.reshape(4)\ny[1] = 5\nprint(x)")
C("shape_flatten", "x = torch.arange(24).view(2, 3, 4)\nprint(x.flatten().shape, x.flatten(1).shape, x.flatten(0, 1).shape, torch.flatten(x, start_dim=1).shape)")
C("shape_flatten_values", "torch.arange(6).view(3, 2).t().flatten()")
C("shape_flatten_0d", "torch.tensor(5.).flatten()")
C("shape_squeeze", "x = torch.zeros(1, 3, 1)\nprint(x.squeeze().shape, x.squeeze(0).shape, x.squeeze(1).shape, x.squeeze(-1).shape, torch.squeeze(x).shape)")
C("shape_squeeze_tuple", "torch.zeros(1, 3, 1, 1).squeeze((0, 2)).shape")
C("shape_squeeze_all_ones", "torch.ones(1, 1).squeeze()")
C("shape_unsqueeze", "x = torch.tensor([1, 2, 3])\nprint(x.unsqueeze(0))\nprint(x.unsqueeze(1))\nprint(x.unsqueeze(-1).shape, torch.unsqueeze(x, 0).shape)")
C("shape_t", "print(torch.arange(6).view(2, 3).t())\nprint(torch.tensor([1, 2]).t())\nprint(torch.t(torch.ones(2, 1)).shape)")
C("shape_T", "torch.arange(6).view(2, 3).T")
C("shape_transpose", "x = torch.arange(24).view(2, 3, 4)\nprint(x.transpose(0, 1).shape, x.transpose(-1, -2).shape, torch.transpose(x, 0, 2).shape)")
C("shape_transpose_values", "torch.arange(6).view(2, 3).transpose(0, 1)")
C("shape_permute", "x = torch.arange(24).view(2, 3, 4)\nprint(x.permute(2, 0, 1).shape, x.permute((1, 0, 2)).shape, torch.permute(x, (2, 1, 0)).shape)")
C("shape_permute_values", "torch.arange(8).view(2, 2, 2).permute(2, 0, 1)")
C("shape_expand", "torch.tensor([[1], [2]]).expand(2, 3)")
C("shape_expand_neg1", "torch.tensor([[1], [2]]).expand(-1, 4)")
C("shape_expand_new_dim", "torch.tensor([1, 2]).expand(3, 2)")
C("shape_expand_tuple", "torch.tensor([1, 2]).expand((2, 2, 2)).shape")
C("shape_expand_stride", "torch.ones(1, 3).expand(2, 3).stride()")
C("shape_expand_as", "torch.tensor([[1.], [2.]]).expand_as(torch.zeros(2, 3))")
C("shape_repeat", "x = torch.tensor([1, 2])\nprint(x.repeat(2))\nprint(x.repeat(2, 2))\nprint(x.repeat(3, 1, 2).shape)")
C("shape_repeat_2d", "torch.tensor([[1, 2], [3, 4]]).repeat(1, 2)")
C("shape_contiguous", "x = torch.arange(6).view(2, 3).t()\ny = x.contiguous()\nprint(x.is_contiguous(), y.is_contiguous(), y.stride(), y)")
C("shape_contiguous_same", "x = torch.ones(2)\nx.contiguous() is x")
C("shape_clone", "x = torch.tensor([1., 2.])\ny = x.clone()\ny[0] = 9\nprint(x, y)")
C("shape_clone_noncontig", "torch.arange(6).view(2, 3).t().clone().stride()")
C("shape_cat", "a = torch.tensor([[1, 2], [3, 4]])\nb = torch.tensor([[5, 6]])\nprint(torch.cat((a, b)))\nprint(torch.cat([a, a], dim=1))\nprint(torch.cat([a, a], -1).shape)")
C("shape_cat_legacy_empty", "torch.cat([torch.tensor([]), torch.tensor([1., 2.])])")
C("shape_cat_single", "torch.cat([torch.ones(2)])")
C("shape_stack", "a = torch.tensor([1, 2])\nb = torch.tensor([3, 4])\nprint(torch.stack([a, b]))\nprint(torch.stack((a, b), dim=1))\nprint(torch.stack([a, b], -1).shape)")
C("shape_stack_0d", "torch.stack([torch.tensor(1.), torch.tensor(2.)])")
C("shape_chunk", "torch.arange(10).chunk(3)")
C("shape_chunk_dim", "torch.arange(8).view(2, 4).chunk(2, dim=1)")
C("shape_chunk_more_than_size", "torch.arange(3).chunk(5)")
C("shape_chunk_fn", "[c.shape for c in torch.chunk(torch.ones(6, 2), 4)]")
C("shape_split", "torch.arange(5).split(2)")
C("shape_split_sizes", "torch.arange(5).split([1, 4])")
C("shape_split_fn_dim", "torch.split(torch.arange(12).view(3, 4), 3, dim=1)")
C("shape_split_shares", "x = torch.zeros(4)\na, b = x.split(2)\nb[0] = 7\nprint(x)")
C("shape_view_after_t_reshape", "torch.arange(6).view(2, 3).t().contiguous().view(6)")
C("shape_view_int_dims_expr", "x = torch.arange(12)\nx.view(3, x.numel() // 3)")
C("shape_unsqueeze_view_chain", "torch.arange(4.).view(2, 2).unsqueeze(0).expand(3, 2, 2).sum(0)")
C("shape_data_ptr_like_sharing", "x = torch.arange(6.)\ny = x.view(2, 3).t()\ny[0, 1] = -1\nprint(x)")

# ======================================================================================
# 10. indexing

_I = "x = torch.arange(12).view(3, 4)\n"
C("idx_int", _I + "print(x[0])\nprint(x[-1])\nprint(x[1, 2])\nprint(x[1][2])")
C("idx_slice_col", _I + "x[:, 1]")
C("idx_slices", _I + "print(x[1:])\nprint(x[:, ::2])\nprint(x[-2:, -3:-1])")
C("idx_ellipsis", _I + "print(x[..., 1])\nprint(x[1, ...])\nprint(x[...].shape)")
C("idx_none", _I + "print(x[None].shape, x[:, None].shape, x[..., None].shape, x[None, :, None].shape)")
C("idx_mask", _I + "x[x > 5]")
C("idx_mask_rows", _I + "x[torch.tensor([True, False, True])]")
C("idx_mask_2d_even", _I + "x[x % 2 == 0]")
C("idx_long_tensor", _I + "x[torch.tensor([0, 2])]")
C("idx_list", _I + "x[[0, 2]]")
C("idx_list_pairs", _I + "x[[0, 2], [1, 3]]")
C("idx_tensor_2d_index", _I + "x[torch.tensor([[0, 1], [1, 2]])].shape")
C("idx_mixed_slice_list", _I + "x[1:, [0, 3]]")
C("idx_0d_index", _I + "x[torch.tensor(1)]")
C("idx_item", _I + "x[0][1].item()")
C("idx_out_of_bounds_slice", _I + "x[5:]")
C("idx_neg_index_in_list", _I + "x[[-1, 0]]")
C("idx_view_shares", _I + "y = x[0]\ny[0] = 99\nprint(x)")
C("idx_advanced_copies", _I + "y = x[[0]]\ny[0, 0] = 99\nprint(x[0, 0])")
C("idx_float_0d", "torch.zeros(2, 2)[0, 0]")
C("idx_iterate", "for row in torch.arange(4).view(2, 2):\n    print(row)")
C("idx_1d_negative", "x = torch.tensor([10, 20, 30])\nprint(x[-1], x[-2:], x[:-1])")
C("idx_slice_stride", _I + "y = x[:, 1:3]\nprint(y.stride(), y.is_contiguous(), y.shape)")
C("set_scalar", _I + "x[0] = 0\nprint(x)")
C("set_col_tensor", _I + "x[:, 1] = torch.tensor([7, 8, 9])\nprint(x)")
C("set_mask", _I + "x[x > 5] = 0\nprint(x)")
C("set_float_into_int", _I + "x[0, 0] = 2.7\nprint(x[0])")
C("set_list", _I + "x[[0, 1]] = -1\nprint(x)")
C("set_block", _I + "x[1:, 2:] = torch.zeros(2, 2)\nprint(x)")
C("set_ellipsis", _I + "x[...] = 5\nprint(x)")
C("set_broadcast_row", _I + "x[:] = torch.tensor([1, 2, 3, 4])\nprint(x)")
C("set_mask_tensor_values", "x = torch.tensor([1., -2., 3., -4.])\nx[x < 0] = torch.tensor([20., 40.])\nprint(x)")
C("set_none_index", "x = torch.zeros(3)\nx[None, 1] = 1\nprint(x)")
C("set_tensor_index", "x = torch.zeros(5)\nx[torch.tensor([0, 4])] = torch.tensor([1., 2.])\nx")

# ======================================================================================
# 11. in place

C("inplace_add", "a = torch.ones(3)\nb = a.add_(1)\nprint(a, b is a)")
C("inplace_sub_tensor", "a = torch.ones(3)\na.sub_(torch.tensor([1., 2., 3.]))")
C("inplace_mul_div", "a = torch.tensor([1., 2.])\na.mul_(3)\na.div_(2)\nprint(a)")
C("inplace_pow", "a = torch.tensor([1., 2., 3.])\na.pow_(2)")
C("inplace_zero", "a = torch.tensor([1, 2])\na.zero_()\nprint(a)")
C("inplace_fill_float", "a = torch.zeros(3)\na.fill_(3.5)")
C("inplace_fill_int", "a = torch.zeros(3, dtype=torch.int32)\na.fill_(7)")
C("inplace_fill_int_float", "a = torch.zeros(3, dtype=torch.int64)\na.fill_(2.9)")
C("inplace_copy", "a = torch.zeros(2, 2)\na.copy_(torch.tensor([1, 2]))\nprint(a)")
C("inplace_copy_dtype", "a = torch.zeros(2, dtype=torch.int32)\na.copy_(torch.tensor([1.7, -2.7]))\nprint(a)")
C("inplace_clamp", "a = torch.tensor([-2., 0.5, 3.])\na.clamp_(min=0, max=1)\nprint(a)")
C("inplace_add_alpha", "a = torch.zeros(2)\na.add_(torch.tensor([1., 2.]), alpha=2)")
C("inplace_add_int_to_float", "a = torch.zeros(2)\na.add_(torch.tensor([1, 2]))")
C("inplace_div_int_error", "a = torch.tensor([1, 2])\na.div_(2)")
C("inplace_broadcast_error", "a = torch.zeros(3)\na.add_(torch.ones(2, 3))")
C("inplace_broadcast_ok", "a = torch.zeros(2, 3)\na.add_(torch.tensor([1., 2., 3.]))")
C("inplace_iadd_same_object", "a = torch.ones(2)\nb = a\na += 1\nprint(b)")
C("inplace_aug_ops", "a = torch.tensor([4., 6.])\na -= 1\na *= 2\na /= 5\nprint(a)")
C("inplace_aug_floordiv_pow", "a = torch.tensor([7, 9])\na //= 2\nprint(a)\na **= 2\nprint(a)\na %= 5\nprint(a)")
C("inplace_iadd_float_into_int", "a = torch.tensor([1, 2])\na += 1.5")
C("inplace_imul_float_into_int", "a = torch.tensor([1, 2])\na *= 2.5")
C("inplace_iadd_int_into_float", "a = torch.tensor([1.5])\na += torch.tensor([2])\na")
C("inplace_on_view", "x = torch.zeros(2, 3)\nx[1].add_(5)\nx[:, 0].mul_(0).add_(-1)\nprint(x)")
C("inplace_requires_grad_", "a = torch.tensor([1., 2.])\nb = a.requires_grad_()\nprint(b is a, a)")
C("inplace_requires_grad_false", "a = torch.ones(2, requires_grad=True)\na.requires_grad_(False)\nprint(a.requires_grad, a)")
C("inplace_detach_", "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.detach_()\nprint(y, y.requires_grad, y.is_leaf, y.grad_fn)")
C("inplace_seed_numpy", """
x = torch.ones(5, 3, dtype=torch.double)
y = torch.zeros(5, 3)
y.add_(x)
print(y)
""")
C("inplace_nonleaf_names", "x = torch.ones(2, requires_grad=True)\ny = x * 1\nprint(y.add_(1).grad_fn.name())\nprint(y.mul_(2).grad_fn.name())\nprint(y.zero_().grad_fn.name())")
C("inplace_copyslices", "x = torch.ones(2, 2, requires_grad=True)\ny = x * 1\ny[0, 0] = 5\nprint(y.grad_fn.name())\nprint(y)")
C("inplace_nonleaf_backward", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * 2\ny.add_(1)\ny.mul_(x)\ny.sum().backward()\nprint(y, x.grad)")
C("inplace_no_grad_update", """
w = torch.tensor([1., 2.], requires_grad=True)
loss = (w * w).sum()
loss.backward()
with torch.no_grad():
    w -= 0.1 * w.grad
print(w)
print(w.grad)
w.grad.zero_()
print(w.grad)
""")

# ======================================================================================
# 12. conversion

C("conv_item_float", "torch.tensor([1.5]).item()")
C("conv_item_f32", "torch.tensor(0.1).item()")
C("conv_item_int", "x = torch.tensor(3).item()\nprint(x, type(x).__name__)")
C("conv_item_bool", "torch.tensor(True).item()")
C("conv_item_f64", "torch.tensor(0.1, dtype=torch.float64).item()")
C("conv_item_f16", "torch.tensor(0.1, dtype=torch.float16).item()")
C("conv_item_seed", "x = torch.tensor([0.5])\nprint(x)\nprint(x.item())")
C("conv_tolist", "print(torch.tensor([[1, 2], [3, 4]]).tolist())\nprint(torch.tensor(2.5).tolist())\nprint(torch.tensor([0.1]).tolist())")
C("conv_tolist_bool", "torch.tensor([True, False]).tolist()")
C("conv_numpy", "torch.ones(5).numpy()")
C("conv_numpy_print", "print(torch.ones(2, 2).numpy())")
C("conv_numpy_dtypes", "print(torch.tensor([1, 2]).numpy().dtype, torch.tensor([1., 2.], dtype=torch.float64).numpy().dtype, torch.tensor([True]).numpy().dtype)")
C("conv_to_dtype", "x = torch.tensor([1.7, -1.7])\nprint(x.to(torch.float64))\nprint(x.to(dtype=torch.int32))\nprint(x.to(torch.int64))")
C("conv_shortcuts", "x = torch.tensor([1.7, -1.7, 0.])\nprint(x.double())\nprint(x.half())\nprint(x.long())\nprint(x.int())\nprint(x.bool())\nprint(x.long().float())")
C("conv_to_cpu_double", "x = torch.tensor([1., 2.])\nx.to('cpu', torch.double)")
C("conv_to_other", "x = torch.tensor([1.7])\nx.to(torch.zeros(1, dtype=torch.int16))")
C("conv_to_same_is_self", "x = torch.tensor([1.])\nprint(x.to(torch.float32) is x, x.float() is x, x.cpu() is x, x.to('cpu') is x, x.double() is x)")
C("conv_to_device_obj", "torch.tensor([1, 2]).to(torch.device('cpu'))")
C("conv_python_scalars", "print(float(torch.tensor([2.5])), int(torch.tensor(3.9)), bool(torch.tensor([0])), int(torch.tensor(-3.9)))")
C("conv_int_to_bool", "torch.tensor([0, 2, -1]).bool()")
C("conv_bool_to_float", "torch.tensor([True, False]).float()")
C("conv_to_f16_rounding", "torch.tensor([0.1, 1000.3]).half()")
C("conv_to_bf16", "torch.tensor([0.1, 1000.3]).to(torch.bfloat16)")
C("conv_int8_overflow_cast", "torch.tensor([300, -200]).to(torch.int8)")
C("conv_list_in_format", "x = torch.tensor([1., 2.])\nprint('{:.2f}'.format(x.sum().item()))")

# ======================================================================================
# 13. NumPy interop

C("np_seed_numpy_shares", """
a = torch.ones(5)
print(a)
b = a.numpy()
print(b)
a.add_(1)
print(a)
print(b)
""")
C("np_seed_from_numpy_shares", """
a = np.ones(5)
b = torch.from_numpy(a)
np.add(a, 1, out=a)
print(a)
print(b)
""")
C("np_from_numpy_repr", "torch.from_numpy(np.ones(5))")
C("np_int8_both_ways", "t = torch.from_numpy(np.array([1, -2], dtype=np.int8))\nprint(t)\nprint(repr(torch.tensor([1, 2], dtype=torch.int8).numpy()))")
C("np_from_numpy_dtypes", """
for a in [np.array([1, 2], dtype=np.int32), np.array([1., 2.], dtype=np.float32), np.array([True, False]),
          np.array([1, 2], dtype=np.uint8), np.array([1, 2]), np.array([1, 2], dtype=np.int16), np.array([1., 2.], dtype=np.float16)]:
    print(torch.from_numpy(a))
""")
C("np_from_numpy_2d", "torch.from_numpy(np.arange(6).reshape(2, 3))")
C("np_from_numpy_noncontig", "t = torch.from_numpy(np.arange(6).reshape(2, 3).T)\nprint(t, t.is_contiguous(), t.stride())")
C("np_from_numpy_0d", "torch.from_numpy(np.array(3.5))")
C("np_from_numpy_arith", "torch.from_numpy(np.array([1., 2.])) * 2")
C("np_tensor_shares_back", "a = np.zeros(3)\nt = torch.from_numpy(a)\nt[1] = 5\nt.add_(1)\nprint(a)")
C("np_numpy_of_view", "x = torch.arange(6).view(2, 3)\nn = x[:, 1].numpy()\nx[0, 1] = 50\nprint(n)")
C("np_numpy_bool", "torch.tensor([True, False]).numpy()")
C("np_numpy_2d_repr", "torch.arange(6.).view(2, 3).numpy()")
C("np_numpy_f64_repr", "torch.tensor([1.5, 2.], dtype=torch.float64).numpy()")
C("np_numpy_int32_repr", "torch.tensor([1, 2], dtype=torch.int32).numpy()")
C("np_numpy_0d", "torch.tensor(2.5).numpy()")
C("np_asarray_tensor", "np.asarray(torch.tensor([1., 2.]))")
C("np_detach_numpy", "x = torch.ones(2, requires_grad=True)\nx.detach().numpy()")
C("np_array_methods", "a = torch.arange(6.).view(2, 3).numpy()\nprint(a.shape, a.dtype, a.ndim, a.size)\nprint(a.sum(), a.mean(), a.min(), a.max())\nprint(a.T)\nprint(a.reshape(3, 2).tolist())")
C("np_namespace_ops", "a = np.array([1., 4.])\nprint(np.sqrt(a), np.exp(np.zeros(2)), np.log(np.ones(2)), np.sum(a), np.mean(a))\nprint(np.linspace(0, 1, 3), np.arange(3), np.eye(2), np.full(2, 7))")
C("np_from_numpy_then_numpy", "a = np.arange(3.)\nb = torch.from_numpy(a).numpy()\nb[0] = 9\nprint(a)")
C("np_from_numpy_float32_grad", "t = torch.from_numpy(np.array([1., 2.], dtype=np.float32)).requires_grad_()\n(t * t).sum().backward()\nprint(t.grad)")

# ======================================================================================
# 14. autograd

_SEED = "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\n"
C("ag_seed_flow", _SEED + """
print(x)
print(y)
print(x.grad_fn)
print(y.grad_fn.name())
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
""")
C("ag_seed_requires_grad_", """
a = torch.tensor([[2., 3.], [4., 5.]])
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn.name())
print(b)
""")
C("ag_seed_no_grad", _SEED + """
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
""")
C("ag_seed_detach", _SEED + "print(x.requires_grad)\ny = x.detach()\nprint(y.requires_grad)\nprint(x.eq(y).all())")
C("ag_grad_none_initially", "x = torch.ones(3, requires_grad=True)\nprint(x.grad)")
C("ag_accumulate", "w = torch.ones(3, requires_grad=True)\n(w * 2).sum().backward()\n(w * 2).sum().backward()\nprint(w.grad)")
C("ag_grad_zero_and_none", "w = torch.ones(2, requires_grad=True)\n(w * 3).sum().backward()\nw.grad.zero_()\nprint(w.grad)\nw.grad = None\n(w * 5).sum().backward()\nprint(w.grad)")
C("ag_backward_gradient", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
""")
C("ag_backward_gradient_kw", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x ** 2\ny.backward(gradient=torch.tensor([1., 0.5]))\nprint(x.grad)")
C("ag_retain_graph", "x = torch.tensor([1., 2.], requires_grad=True)\nout = (x * x).sum()\nout.backward(retain_graph=True)\nout.backward()\nprint(x.grad)")
C("ag_sum_backward_twice_no_saved", "x = torch.ones(2, requires_grad=True)\ny = (x + 1).sum()\ny.backward()\ny.backward()\nprint(x.grad)")
C("ag_create_graph", """
x = torch.tensor(3., requires_grad=True)
y = x ** 3
g, = torch.autograd.grad(y, x, create_graph=True)
print(g)
g.backward()
print(x.grad)
""")
C("ag_create_graph_backward", """
x = torch.tensor([1., 2.], requires_grad=True)
y = (x ** 3).sum()
y.backward(create_graph=True)
print(x.grad)
g = x.grad.sum()
x.grad = None
g.backward()
print(x.grad)
""")
C("ag_double_grad", """
x = torch.tensor(2., requires_grad=True)
y = x ** 3
dy = torch.autograd.grad(y, x, create_graph=True)[0]
d2 = torch.autograd.grad(dy, x)[0]
print(dy, d2)
""")
C("ag_third_order", """
x = torch.tensor(2., requires_grad=True)
y = x.exp() * x
g1 = torch.autograd.grad(y, x, create_graph=True)[0]
g2 = torch.autograd.grad(g1, x, create_graph=True)[0]
g3 = torch.autograd.grad(g2, x)[0]
print(g1, g2, g3)
""")
C("ag_double_grad_sin", """
x = torch.tensor([0.5, 1.], requires_grad=True)
g = torch.autograd.grad(torch.sin(x).sum(), x, create_graph=True)[0]
h = torch.autograd.grad(g.sum(), x)[0]
print(g)
print(h)
""")
C("ag_autograd_grad_multi", """
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4.], requires_grad=True)
out = (a * b + a ** 2).sum()
ga, gb = torch.autograd.grad(out, [a, b])
print(ga, gb)
print(a.grad)
""")
C("ag_autograd_grad_outputs", """
x = torch.tensor([1., 2.], requires_grad=True)
y = x * 3
torch.autograd.grad(y, x, grad_outputs=torch.tensor([1., 10.]))
""")
C("ag_autograd_grad_retain", """
x = torch.tensor([1., 2.], requires_grad=True)
y = (x * x).sum()
print(torch.autograd.grad(y, x, retain_graph=True))
print(torch.autograd.grad(y, x))
""")
C("ag_autograd_backward_fn", "x = torch.tensor([1., 2.], requires_grad=True)\ntorch.autograd.backward((x * x).sum())\nprint(x.grad)")
C("ag_retain_grad", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * 2\ny.retain_grad()\nz = (y * y).sum()\nz.backward()\nprint(y.grad, x.grad)")
C("ag_nonleaf_grad_warning", "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.sum().backward()\nprint(y.grad)", warn=True)
C("ag_detach_shares", "x = torch.tensor([1., 2.], requires_grad=True)\nd = x.detach()\nd[0] = 10\nprint(x)\nprint(d.requires_grad, d.is_leaf)")
C("ag_no_grad_result", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x * 2\n    print(torch.is_grad_enabled())\nprint(y.requires_grad, y.grad_fn, y.is_leaf, torch.is_grad_enabled())")
C("ag_enable_grad_inside", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    with torch.enable_grad():\n        y = x * 2\n    z = x * 2\nprint(y.requires_grad, z.requires_grad)")
C("ag_set_grad_enabled_ctx", "x = torch.ones(2, requires_grad=True)\nwith torch.set_grad_enabled(False):\n    y = x * 2\nwith torch.set_grad_enabled(True):\n    z = x * 2\nprint(y.requires_grad, z.requires_grad)")
C("ag_set_grad_enabled_fn", "x = torch.ones(2, requires_grad=True)\ntorch.set_grad_enabled(False)\ny = x * 2\nprint(torch.is_grad_enabled(), y.requires_grad)\ntorch.set_grad_enabled(True)\nprint(torch.is_grad_enabled(), (x * 2).requires_grad)")
C("ag_no_grad_decorator", "@torch.no_grad()\ndef f(t):\n    return t * 2\n\nx = torch.ones(2, requires_grad=True)\nprint(f(x).requires_grad)")
C("ag_no_grad_segment", "x = torch.tensor([1., 2.], requires_grad=True)\nwith torch.no_grad():\n    c = x * 2\n(c * x).sum().backward()\nprint(x.grad)")
C("ag_requires_grad_propagation", "a = torch.ones(2)\nb = torch.ones(2, requires_grad=True)\nprint((a + 1).requires_grad, (a + b).requires_grad, (a * 2).grad_fn)")
C("ag_leaf_scalar_backward", "x = torch.tensor(2., requires_grad=True)\nx.backward()\nprint(x.grad)")
C("ag_grad_dtype_f64", "x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)\n(x ** 2).sum().backward()\nprint(x.grad)")
C("ag_set_requires_grad_attr", "x = torch.ones(2)\nx.requires_grad = True\n(x * 3).sum().backward()\nprint(x.grad)")
C("ag_reuse_variable", "x = torch.tensor([2.], requires_grad=True)\ny = x * x * x + x\ny.backward()\nprint(x.grad)")
C("ag_branching", "x = torch.tensor([1., 2.], requires_grad=True)\na = x * 2\nb = x ** 2\n(a * b).sum().backward()\nprint(x.grad)")
C("ag_broadcast_add", "a = torch.ones(2, 3, requires_grad=True)\nb = torch.ones(3, requires_grad=True)\n(a + b).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("ag_broadcast_mul", "a = torch.tensor([[1.], [2.]], requires_grad=True)\nb = torch.tensor([[1., 2., 3.]], requires_grad=True)\n(a * b).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("ag_broadcast_0d", "s = torch.tensor(2., requires_grad=True)\nv = torch.tensor([1., 2., 3.], requires_grad=True)\n(s * v).sum().backward()\nprint(s.grad, v.grad)")
C("ag_broadcast_div", "a = torch.tensor([[2., 4.], [6., 8.]], requires_grad=True)\nb = torch.tensor([2., 4.], requires_grad=True)\n(a / b).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("ag_broadcast_sub_3d", "a = torch.ones(2, 1, 3, requires_grad=True)\nb = torch.ones(4, 1, requires_grad=True)\n(a - b).sum().backward()\nprint(a.grad.shape, b.grad)")
C("ag_broadcast_grad_shape", "a = torch.ones(1, 3, requires_grad=True)\nb = torch.ones(2, 1, requires_grad=True)\n(a * b).pow(2).mean().backward()\nprint(a.grad)\nprint(b.grad)")
C("ag_linear_fit", """
x = torch.tensor([[1.], [2.], [3.], [4.]])
y = torch.tensor([[3.], [5.], [7.], [9.]])
w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for step in range(5):
    pred = x @ w + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.05 * w.grad
        b -= 0.05 * b.grad
    w.grad.zero_()
    b.grad.zero_()
    print(step, round(loss.item(), 4))
print(w, b)
""")
C("ag_mlp_step", """
x = torch.linspace(-1, 1, 4).view(4, 1)
w1 = torch.full((1, 3), 0.5, requires_grad=True)
b1 = torch.tensor([0.1, -0.1, 0.2], requires_grad=True)
w2 = torch.tensor([[1.], [-1.], [0.5]], requires_grad=True)
h = torch.relu(x @ w1 + b1)
out = torch.tanh(h @ w2)
loss = ((out - x) ** 2).sum()
loss.backward()
print(loss)
print(w1.grad)
print(b1.grad)
print(w2.grad)
""")
C("ag_softmax_ce", """
logits = torch.tensor([[1., 2., 0.5], [0.1, 0.2, 3.]], requires_grad=True)
target = torch.tensor([1, 2])
logp = torch.log_softmax(logits, dim=1)
loss = -logp[torch.arange(2), target].mean()
loss.backward()
print(loss)
print(logits.grad)
""")

_GF = ("x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n"
       "v = torch.tensor([1., 2.], requires_grad=True)\n"
       "b3 = torch.ones(2, 2, 2, requires_grad=True)\n")
_GRADFN = {
    "add_scalar": "x + 2", "radd": "2 + x", "add_self": "x + x", "add_alpha": "torch.add(x, x, alpha=2)",
    "sub_scalar": "x - 2", "sub_self": "x - x", "rsub": "2 - x",
    "mul_scalar": "x * 2", "mul_self": "x * x", "rmul": "2 * x",
    "div_scalar": "x / 2", "div_self": "x / x", "rdiv": "2 / x",
    "div_floor": "x.div(2, rounding_mode='floor')",
    "pow_scalar": "x ** 2", "pow_half": "x.pow(0.5)", "pow_tensor": "x ** x", "rpow": "2 ** x",
    "mean": "x.mean()", "mean_dim": "x.mean(0)", "sum": "x.sum()", "sum_dim": "x.sum(0)",
    "matmul_2d": "x @ x", "mm": "x.mm(x)", "dot": "v @ v", "mv": "x @ v",
    "matmul_3d": "b3 @ x", "matmul_3d_3d": "b3 @ b3", "bmm": "torch.bmm(b3, b3)", "vm": "v @ x",
    "neg": "-x", "clamp_min": "x.clamp(min=0)", "clamp_both": "x.clamp(0, 1)",
    "to_f64": "x.to(torch.float64)", "double": "x.double()",
    "softmax": "x.softmax(0)", "log_softmax": "x.log_softmax(0)",
    "view": "x.view(4)", "reshape": "x.reshape(4)", "flatten": "x.flatten()",
    "reshape_noncontig": "x.t().reshape(4)", "t": "x.t()", "T": "x.T", "permute": "x.permute(1, 0)",
    "transpose": "x.transpose(0, 1)", "select_col": "x[:, 1]", "select_row": "x[0]",
    "select_elem": "x[0, 0]", "slice": "x[0:1]", "index_tensor": "x[torch.tensor([0])]",
    "index_mask": "x[x > 2]", "unsqueeze_none": "x[..., None]", "unsqueeze": "x.unsqueeze(0)",
    "squeeze": "x.unsqueeze(0).squeeze()", "squeeze_dim": "x.unsqueeze(0).squeeze(0)",
    "expand": "x.expand(3, 2, 2)", "cat": "torch.cat([x, x])", "stack": "torch.stack([x, x])",
    "max_all": "x.max()", "max_dim": "x.max(0).values", "min_all": "x.min()", "min_dim": "x.min(1).values",
    "norm": "x.norm()", "relu": "x.relu()", "exp": "x.exp()", "log": "x.log()", "sqrt": "x.sqrt()",
    "abs": "x.abs()", "sin": "x.sin()", "cos": "x.cos()", "tan": "x.tan()", "log1p": "x.log1p()",
    "rsqrt": "x.rsqrt()", "sigmoid": "x.sigmoid()", "tanh": "x.tanh()", "clone": "x.clone()",
    "t_contiguous": "x.t().contiguous()", "split": "x.split(1)[0]", "chunk": "x.chunk(2)[0]",
    "floordiv": "x // 2", "prod": "x.prod()", "prod_dim": "x.prod(0)", "std": "x.std()",
    "var": "x.var()", "std_dim": "x.std(0)", "cumsum": "x.cumsum(0)", "repeat": "x.repeat(2, 1)",
    "expand_as": "v.expand_as(x)", "where": "torch.where(x > 2, x, v)", "maximum": "torch.maximum(x, v)",
    "minimum": "torch.minimum(x, v)", "floor": "x.floor()", "ceil": "x.ceil()", "round": "x.round()",
    "sign": "x.sign()", "reciprocal": "x.reciprocal()", "clip": "x.clip(0, 2)",
    "sum_tuple": "x.sum((0, 1))", "mean_keepdim": "x.mean(1, keepdim=True)",
    "var_dim": "x.var(1)", "norm_dim": "x.norm(dim=0)", "true_divide": "x.true_divide(2)",
}
for _k, _e in _GRADFN.items():
    C(f"gradfn_{_k}", _GF + f"({_e}).grad_fn.name()")
C("gradfn_float_noop", _GF + "print(x.float().grad_fn, x.contiguous().grad_fn, x.detach().grad_fn)")
C("gradfn_leaf_none", _GF + "print(x.grad_fn)")
C("gradfn_next_add", "x = torch.ones(2, requires_grad=True)\ny = x + 2\n[(f.name() if f is not None else None, i) for f, i in y.grad_fn.next_functions]")
C("gradfn_next_mul_two_leaves", "a = torch.ones(2, requires_grad=True)\nb = torch.ones(2, requires_grad=True)\n[(f.name() if f is not None else None, i) for f, i in (a * b).grad_fn.next_functions]")
C("gradfn_next_chain", "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\nout = z.mean()\nprint(out.grad_fn.name())\nprint([(f.name(), i) for f, i in out.grad_fn.next_functions])\nm = out.grad_fn.next_functions[0][0]\nprint([(f.name() if f is not None else None, i) for f, i in m.next_functions])")
C("gradfn_next_constant", "x = torch.ones(2, requires_grad=True)\nc = torch.ones(2)\n[(f.name() if f is not None else None, i) for f, i in (x * c).grad_fn.next_functions]")
C("gradfn_next_split_index", "x = torch.ones(4, requires_grad=True)\na, b = (x * 1).split(2)\n[(f.name() if f is not None else None, i) for f, i in (a + b).grad_fn.next_functions]")
C("gradfn_in_print", "x = torch.ones(2, requires_grad=True)\nprint(x + 2)\nprint(x * 2)\nprint(x.sum())\nprint(x.mean())\nprint(x.view(2, 1))")

_G1 = "x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)\n"
_GRADS = {
    "exp": "x.exp()", "log": "x.log()", "log1p": "x.log1p()", "sqrt": "x.sqrt()",
    "rsqrt": "x.rsqrt()", "sin": "x.sin()", "cos": "x.cos()", "tan": "x.tan()",
    "tanh": "x.tanh()", "sigmoid": "x.sigmoid()", "reciprocal": "x.reciprocal()",
    "neg": "-x", "pow2": "x ** 2", "pow_half": "x ** 0.5", "pow_neg": "x.pow(-2)",
    "pow_tensor": "x ** x", "rpow": "2 ** x", "div_scalar": "x / 4", "rdiv": "2 / x",
    "mul_self": "x * x", "square_sub": "(x - 1) * (x - 1)", "floor": "x.floor()",
    "ceil": "x.ceil()", "round": "x.round()", "sign": "x.sign()",
    "clamp": "x.clamp(0.6, 1.5)", "clamp_boundary": "x.clamp(min=1.0)", "clip": "torch.clip(x, max=1.0)",
    "maximum_const": "torch.maximum(x, torch.tensor([1., 1., 1.]))",
    "minimum_const": "torch.minimum(x, torch.tensor([1., 1., 1.]))",
    "where": "torch.where(x > 0.7, x * 3, x * x)",
    "softmax": "x.softmax(0) * torch.tensor([1., 2., 3.])",
    "log_softmax": "x.log_softmax(0) * torch.tensor([1., 2., 3.])",
    "prod": "x.prod()", "max": "x.max()", "min": "x.min()", "mean": "x.mean()",
    "std": "x.std()", "var": "x.var()", "norm": "x.norm()", "norm_p1": "x.norm(p=1)",
    "cumsum": "x.cumsum(0) * torch.tensor([1., 2., 3.])", "abs_sub": "(x - 1).abs()",
    "relu_sub": "(x - 1).relu()", "dot": "torch.dot(x, x)", "clone": "x.clone() * 2",
    "to_f64": "x.to(torch.float64) * 2", "select": "x[1] * 5", "slice": "x[1:] * 2",
    "index": "x[torch.tensor([0, 0, 2])]", "mask": "x[x > 0.7]", "repeat": "x.repeat(2)",
    "expand": "x.expand(2, 3)", "cat": "torch.cat([x, x * 2])", "stack": "torch.stack([x, x]) * 3",
    "chunk": "x.chunk(3)[1] * 4", "split": "x.split([1, 2])[1] * 4",
    "unsqueeze": "x.unsqueeze(0) * 2", "view": "x.view(3, 1) * torch.tensor([[1.], [2.], [3.]])",
}
for _k, _e in _GRADS.items():
    C(f"grad_{_k}", _G1 + f"y = {_e}\ny.sum().backward()\nprint(x.grad)")
C("grad_relu_zero", "x = torch.tensor([-1., 0., 1.], requires_grad=True)\nx.relu().sum().backward()\nx.grad")
C("grad_abs_zero", "x = torch.tensor([-1., 0., 1.], requires_grad=True)\nx.abs().sum().backward()\nx.grad")
C("grad_max_ties_full", "x = torch.tensor([1., 3., 3.], requires_grad=True)\nx.max().backward()\nx.grad")
C("grad_max_dim_ties", "x = torch.tensor([[1., 3., 3.]], requires_grad=True)\nx.max(dim=1).values.sum().backward()\nx.grad")
C("grad_max_dim", "x = torch.tensor([[1., 5.], [4., 2.]], requires_grad=True)\nv, i = x.max(0)\n(v * torch.tensor([1., 10.])).sum().backward()\nx.grad")
C("grad_maximum_ties", "a = torch.tensor([1., 2.], requires_grad=True)\nb = torch.tensor([1., 3.], requires_grad=True)\ntorch.maximum(a, b).sum().backward()\nprint(a.grad, b.grad)")
C("grad_sqrt_zero", "x = torch.tensor([0., 4.], requires_grad=True)\nx.sqrt().sum().backward()\nx.grad")
C("grad_clamp_outside", "x = torch.tensor([-2., 0.5, 2.], requires_grad=True)\nx.clamp(-1, 1).sum().backward()\nx.grad")
C("grad_matmul_2d", "a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\nb = torch.tensor([[0.5, -1.], [2., 1.]], requires_grad=True)\n(a @ b).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("grad_mm", "a = torch.arange(6.).view(2, 3).requires_grad_()\nb = torch.ones(3, 2, requires_grad=True)\ntorch.mm(a, b).pow(2).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("grad_mv", "m = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\nv = torch.tensor([1., -1.], requires_grad=True)\ntorch.mv(m, v).sum().backward()\nprint(m.grad, v.grad)")
C("grad_vm", "m = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\nv = torch.tensor([1., -1.], requires_grad=True)\n(v @ m).sum().backward()\nprint(m.grad, v.grad)")
C("grad_bmm", "a = torch.ones(2, 2, 3, requires_grad=True)\nb = torch.arange(12.).view(2, 3, 2).requires_grad_()\ntorch.bmm(a, b).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("grad_matmul_broadcast", "a = torch.ones(3, 2, 2, requires_grad=True)\nw = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n(a @ w).sum().backward()\nprint(w.grad)")
C("grad_sum_dim", "x = torch.arange(6.).view(2, 3).requires_grad_()\n(x.sum(1) * torch.tensor([1., 2.])).sum().backward()\nx.grad")
C("grad_mean_dim_keepdim", "x = torch.arange(6.).view(2, 3).requires_grad_()\n(x.mean(0, keepdim=True) * torch.tensor([[1., 2., 3.]])).sum().backward()\nx.grad")
C("grad_std_dim", "x = torch.tensor([[1., 2., 4.], [3., 3., 6.]], requires_grad=True)\nx.std(1).sum().backward()\nx.grad")
C("grad_norm_dim", "x = torch.tensor([[3., 4.], [6., 8.]], requires_grad=True)\nx.norm(dim=1).sum().backward()\nx.grad")
C("grad_transpose_permute", "x = torch.arange(6.).view(2, 3).requires_grad_()\ny = x.t() * torch.tensor([[1., 2.], [3., 4.], [5., 6.]])\ny.sum().backward()\nprint(x.grad)\nz = x.permute(1, 0).reshape(6) * torch.arange(6.)\nx.grad = None\nz.sum().backward()\nprint(x.grad)")
C("grad_squeeze_flatten", "x = torch.ones(1, 2, 1, requires_grad=True)\n(x.squeeze() * torch.tensor([2., 3.])).sum().backward()\nprint(x.grad)\nx.grad = None\n(x.flatten() * 4).sum().backward()\nprint(x.grad)")
C("grad_index_setitem_nonleaf", "x = torch.tensor([1., 2., 3.], requires_grad=True)\ny = x * 2\ny[1] = 0\ny.sum().backward()\nx.grad")
C("grad_inplace_saved_error", "a = torch.tensor([1., 2.], requires_grad=True)\nb = a.exp()\nb.add_(1)\nb.sum().backward()", cut="Hint:")
C("grad_inplace_saved_mul_error", "a = torch.tensor([1., 2.], requires_grad=True)\nb = a * 2\nc = b * b\nb.mul_(3)\nc.sum().backward()", cut="Hint:")
C("grad_detach_blocks", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * x.detach()\ny.sum().backward()\nx.grad")
C("grad_f64_ops", "x = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)\n(x.exp() * x.sin()).sum().backward()\nx.grad")

# ======================================================================================
# 15. errors

C("err_add_shape", "torch.ones(2, 3) + torch.ones(2, 4)")
C("err_add_shape_1d", "torch.tensor([1, 2]) + torch.tensor([1, 2, 3])")
C("err_add_shape_3d", "torch.ones(2, 3, 4) * torch.ones(5, 1)")
C("err_view_noncontig", "torch.arange(6).view(2, 3).t().view(6)")
C("err_view_bad_shape", "torch.zeros(4, 4).view(-1, 7)")
C("err_view_bad_shape2", "torch.zeros(2, 3).view(4)")
C("err_view_two_neg", "torch.zeros(4).view(-1, -1)")
C("err_reshape_bad", "torch.zeros(6).reshape(4, 2)")
C("err_backward_twice", "x = torch.tensor([1., 2.], requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()")
C("err_backward_nonscalar", "x = torch.ones(2, requires_grad=True)\n(x * 2).backward()")
C("err_autograd_grad_nonscalar", "x = torch.ones(2, requires_grad=True)\ntorch.autograd.grad(x * 2, x)")
C("err_backward_no_grad", "torch.ones(2).sum().backward()")
C("err_backward_after_no_grad", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = (x * 2).sum()\ny.backward()")
C("err_inplace_leaf", "x = torch.ones(2, requires_grad=True)\nx.add_(1)")
C("err_inplace_leaf_aug", "x = torch.ones(2, requires_grad=True)\nx += 1")
C("err_setitem_leaf", "x = torch.ones(2, requires_grad=True)\nx[0] = 3")
C("err_item_many", "torch.tensor([1., 2.]).item()")
C("err_matmul_3d_vec", "torch.ones(2, 3, 4) @ torch.ones(3)")
C("err_matmul_vec_3d", "torch.ones(3) @ torch.ones(2, 4, 5)")
C("err_matmul_vec_3d_batch", "torch.ones(4) @ torch.ones(4, 3, 2)")
C("err_matmul_number", "torch.ones(2, 2) @ 2")
C("err_rmatmul_number", "2 @ torch.ones(2)")
C("shape_flip_varargs", "x = torch.arange(6).view(2, 3)\nprint(x.flip(0, 1))\nx.flip(-1)")
C("err_arange_bounds_sign", "torch.arange(10, 0)")
C("err_full_fill_value_str", "torch.full((2,), 'a')")
C("err_argmax_empty", "torch.ones(0).argmax()")
C("err_argmin_empty_dim", "torch.ones(2, 0).argmin(1)")
C("argmax_empty_other_dim", "torch.ones(2, 0).argmax(0)")
C("err_gather_out_of_bounds", "torch.ones(2, 3).gather(1, torch.tensor([[0], [5]]))")
C("err_gather_negative", "torch.ones(3).gather(0, torch.tensor([-1]))")
C("err_index_select_out_of_range", "torch.ones(3).index_select(0, torch.tensor([3]))")
C("err_index_select_negative", "torch.ones(3).index_select(0, torch.tensor([-1]))")
C("err_index_select_2d_index", "torch.ones(2, 3).index_select(1, torch.tensor([[0]]))")
C("err_grad_assign_size", "x = torch.ones(2)\nx.grad = torch.ones(3)")
C("err_grad_assign_dtype", "x = torch.ones(2, requires_grad=True)\nx.grad = torch.ones(2, dtype=torch.float64)")
C("err_grad_assign_dtype_long", "x = torch.ones(2, dtype=torch.float64)\nx.grad = torch.ones(2, dtype=torch.int64)")
C("err_data_assign_int", "x = torch.ones(2)\nx.data = 5")
C("err_clamp_tensor_bound_shape", "torch.ones(2).clamp(min=torch.ones(3))")
C("clamp_bool_int_bound", "print(torch.tensor([True, False]).clamp(min=0))\ntorch.tensor([True, False]).clamp(0, 1)")
# Python numbers out of an integer dtype's range: PyTorch's checked conversion.
C("err_tensor_int8_overflow", "torch.tensor([100, 200], dtype=torch.int8)")
C("err_tensor_uint8_neg_float", "torch.tensor([-1.5, 2.25], dtype=torch.uint8)")
C("err_tensor_int32_nan", "torch.tensor([float('nan'), 1.], dtype=torch.int32)")
C("err_tensor_int64_big_float", "torch.tensor(1e19, dtype=torch.int64)")
C("tensor_int_range_ok", "print(torch.tensor([-1, -255, 255], dtype=torch.uint8))\n"
  "print(torch.tensor([127.0, -128.0, -0.9], dtype=torch.int8))\n"
  "torch.tensor([[2.**31 - 1, -2.**31]], dtype=torch.int32)")
C("err_full_uint8_overflow", "torch.full((2,), 300, dtype=torch.uint8)")
C("err_full_int32_overflow", "torch.full((2,), 1e10, dtype=torch.int32)")
C("err_fill_int8_overflow", "torch.zeros(2, dtype=torch.int8).fill_(128)")
C("err_fill_int64_nan", "torch.zeros(2, dtype=torch.int64).fill_(float('nan'))")
C("full_fill_int_wrap_ok", "print(torch.full((2,), -200, dtype=torch.uint8))\n"
  "print(torch.zeros(2, dtype=torch.int64).fill_(2.**63))\n"
  "torch.zeros(2, dtype=torch.uint8).fill_(-1)")
C("err_item_empty", "torch.tensor([]).item()")
C("err_float_many", "float(torch.tensor([1., 2.]))")
C("err_int_many", "int(torch.tensor([1, 2]))")
C("err_bool_many", "bool(torch.tensor([1, 2]))")
C("err_if_tensor", "x = torch.tensor([1., -1.])\nif x > 0:\n    print('pos')")
C("err_numpy_rg", "torch.ones(2, requires_grad=True).numpy()")
C("err_rg_int_factory", "torch.tensor([1, 2], requires_grad=True)")
C("err_rg_int_ones", "torch.ones(2, dtype=torch.long, requires_grad=True)")
C("err_requires_grad_int", "torch.tensor([1, 2]).requires_grad_()")
C("err_requires_grad_false_nonleaf", "x = torch.ones(2, requires_grad=True)\n(x * 2).requires_grad_(False)")
C("err_matmul_mismatch", "torch.ones(2, 3) @ torch.ones(4, 5)")
C("err_mm_mismatch", "torch.mm(torch.ones(2, 3), torch.ones(2, 3))")
C("err_dot_mismatch", "torch.dot(torch.ones(3), torch.ones(4))")
C("err_matmul_1d_mismatch", "torch.ones(3) @ torch.ones(4)")
C("err_matmul_vm_mismatch", "torch.ones(3) @ torch.ones(4, 2)")
C("err_matmul_mv_mismatch", "torch.ones(2, 3) @ torch.ones(4)")
C("err_dot_2d", "torch.dot(torch.ones(2, 2), torch.ones(2, 2))")
C("err_mm_1d", "torch.mm(torch.ones(2), torch.ones(2, 2))")
C("err_bmm_2d", "torch.bmm(torch.ones(2, 2), torch.ones(2, 2))")
C("err_bmm_batch_mismatch", "torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2))")
C("err_matmul_0d", "torch.tensor(1.) @ torch.ones(2)")
C("err_index_oob", "torch.tensor([1, 2, 3])[5]")
C("err_index_oob_neg", "torch.tensor([1, 2, 3])[-4]")
C("err_index_oob_dim1", "torch.ones(2, 3)[:, 5]")
C("err_index_tensor_oob", "torch.tensor([1, 2, 3])[torch.tensor([5])]")
C("err_too_many_indices", "torch.tensor([1, 2])[0, 0]")
C("err_mask_shape", "torch.tensor([1, 2, 3])[torch.tensor([True, False])]")
C("err_neg_step", "torch.arange(5)[::-1]")
C("err_bad_dim_sum", "torch.ones(3).sum(2)")
C("err_bad_dim_softmax", "torch.ones(2, 3).softmax(dim=2)")
C("err_bad_dim_transpose", "torch.ones(2, 3).transpose(0, 3)")
C("err_bad_dim_size", "torch.ones(2, 3).size(5)")
C("err_bad_dim_unsqueeze", "torch.ones(3).unsqueeze(3)")
C("err_bad_dim_cat", "torch.cat([torch.ones(2), torch.ones(2)], dim=1)")
C("err_bad_dim_max", "torch.ones(2, 2).max(dim=-3)")
C("err_mean_int", "torch.tensor([1, 2, 3]).mean()")
C("err_std_int", "torch.tensor([1, 2, 3]).std()")
C("err_norm_int", "torch.tensor([3, 4]).norm()")
C("err_cat_mismatch", "torch.cat([torch.ones(2, 3), torch.ones(2, 4)])")
C("err_cat_ndim", "torch.cat([torch.ones(2, 3), torch.ones(3)])")
C("err_stack_mismatch", "torch.stack([torch.ones(2), torch.ones(3)])")
C("err_expand", "torch.ones(1, 2).expand(2, 3)")
C("err_permute_len", "torch.ones(2, 3).permute(0, 1, 2)")
C("err_t_3d", "torch.ones(2, 2, 2).t()")
C("err_repeat_fewer", "torch.ones(2, 2).repeat(2)")
C("err_chunk_zero", "torch.ones(5).chunk(0)")
C("err_split_sizes", "torch.ones(5).split([2, 2])")
C("err_max_empty", "torch.tensor([]).max()")
C("err_arange_zero_step", "torch.arange(0, 5, 0)")
C("err_linspace_negative", "torch.linspace(0, 1, -1)")
C("err_zeros_negative", "torch.zeros(-1)")
C("err_tensor_ragged", "torch.tensor([[1, 2], [3]])")
C("err_tensor_str", "torch.tensor('abc')")
C("err_set_default_int", "torch.set_default_dtype(torch.int64)")
C("err_autograd_unused", "x = torch.ones(2, requires_grad=True)\nz = torch.ones(2, requires_grad=True)\ntorch.autograd.grad((x * 2).sum(), z)")
C("err_sub_bool", "torch.tensor([True]) - torch.tensor([False])")
C("err_neg_bool", "-torch.tensor([True, False])")
C("err_alpha_float_int", "torch.add(torch.tensor([1, 2]), torch.tensor([3, 4]), alpha=0.5)")
C("err_inplace_int_result_float", "a = torch.tensor([1, 2])\na.add_(torch.tensor([0.5, 0.5]))")
C("err_setitem_shape", "x = torch.zeros(2, 3)\nx[0] = torch.ones(2)")
C("err_copy_shape", "torch.zeros(3).copy_(torch.ones(2))")
C("err_setitem_mask_count", "x = torch.zeros(3)\nx[x == 0] = torch.tensor([1., 2.])")
C("err_squeeze_bad_dim", "torch.zeros(2, 2).squeeze(3)")
C("err_where_mismatch", "torch.where(torch.tensor([True, False]), torch.ones(3), torch.zeros(3))")
C("err_grad_of_int_output", "x = torch.ones(2, requires_grad=True)\n(x > 0).sum().backward()")
C("err_index_float", "torch.ones(3)[torch.tensor([0.5])]")
C("err_numpy_rg_after_op", "x = torch.ones(2, requires_grad=True)\n(x * 2).numpy()")
C("err_view_size_mismatch_3d", "torch.zeros(2, 3, 4).permute(1, 0, 2).view(6, 4)")
C("err_partial_output", "x = torch.tensor([1., 2.])\nprint(x * 2)\nprint(x.view(3))\nprint('not reached')")


# ======================================================================================
# 16. harder corners (second batch)

# printing
C("print2_sci_nan", "torch.tensor([1e-5, float('nan')])")
C("print2_sci_inf", "torch.tensor([1e-5, float('inf'), 2.])")
C("print2_hidden_small", "x = torch.ones(2000)\nx[1000] = 1e-8\nprint(x)")
C("print2_visible_small", "x = torch.ones(2000)\nx[0] = 1e-8\nprint(x)")
C("print2_0d_rg", "torch.tensor(2., requires_grad=True)")
C("print2_empty_rg", "torch.zeros(0, requires_grad=True)")
C("print2_empty_2d_gradfn", "torch.zeros(2, 0, requires_grad=True) * 2")
C("print2_neg_int_0d", "torch.tensor(-5)")
C("print2_false_0d", "torch.tensor(False)")
C("print2_f16_max", "torch.tensor([65504.], dtype=torch.float16)")
C("print2_f16_overflow", "torch.tensor([70000., 1.], dtype=torch.float16)")
C("print2_bf16_pi", "torch.tensor([3.14159], dtype=torch.bfloat16)")
C("print2_f64_tiny", "torch.tensor([1e-10], dtype=torch.float64)")
C("print2_sci_wrap", "torch.arange(20.) * 1e5")
C("print2_int_wrap", "torch.arange(50)")
C("print2_3d_summarized_middle", "torch.arange(2 * 200 * 3).view(2, 200, 3)")
C("print2_linewidth_2d", "torch.set_printoptions(linewidth=120)\nprint(torch.arange(40.).view(2, 20) / 3)")
C("print2_nan_2d", "torch.tensor([[float('nan')]])")
C("print2_neg_sci", "torch.tensor([-1e-5, 1.])")
C("print2_ratio_sci", "torch.tensor([0.00015, 0.5])")
C("print2_round_up_width", "torch.tensor([9.99995, 1.5])")
C("print2_big_ratio", "torch.tensor([0.5, 99999.5])")
C("print2_2d_suffix_wrap", "torch.full((2, 8), 12.5, requires_grad=True) + 1")
C("print2_int_mode_neg_zero_only", "torch.tensor([-0.])")
C("print2_zeros_only_2d", "torch.zeros(2, 30)")
C("print2_precision1", "torch.set_printoptions(precision=1)\nprint(torch.tensor([0.25, 1.35, 100.05]))")
C("print2_sci_mode_false_big", "torch.set_printoptions(sci_mode=False)\nprint(torch.tensor([1e10, 1.]))")
C("print2_edgeitems_2d", "torch.set_printoptions(threshold=10, edgeitems=2)\nprint(torch.arange(36).view(6, 6))")
C("print2_uint8_wide", "torch.arange(0, 250, 10, dtype=torch.uint8)")
C("print2_bool_long", "torch.arange(30) % 3 == 0")
C("print2_f64_int_values", "torch.arange(3, dtype=torch.float64)")
C("print2_linspace7", "torch.linspace(0, 1, 7)")
C("print2_arange_tenth", "torch.arange(0, 1, 0.1)")
C("print2_arange_half_float_end", "torch.arange(1, 2.5, 0.5)")
C("print2_1e8_int_mode_ratio", "torch.tensor([1e8, 1e5])")
C("print2_mixed_inf_ints", "torch.tensor([float('inf'), 1., 2.])")

# arithmetic corners
C("arith2_int_true_div_zero", "torch.tensor([3, -3, 0]) / torch.tensor([0, 0, 0])")
C("arith2_floordiv_tensor_neg", "torch.tensor([-3]) // torch.tensor([2])")
C("arith2_mod_float_tensor", "torch.tensor([-3.5]) % torch.tensor([2.])")
C("arith2_int_mod_zero", "torch.tensor([5]) % 0")
C("arith2_int_floordiv_tensor_zero", "torch.tensor([1]) // torch.tensor([0])")
C("arith2_pow_frac", "torch.tensor([1., 2.]) ** 2.5")
C("arith2_zero_pow_neg", "torch.tensor([0.]) ** -1")
C("arith2_int32_pow", "torch.tensor([2], dtype=torch.int32) ** 2")
C("arith2_int_pow_float_tensor", "torch.tensor([2]) ** torch.tensor([2.])")
C("arith2_float_scalar_pow_int_tensor", "2.5 ** torch.tensor([2])")
C("arith2_true_plus_tensor", "True + torch.tensor([1])")
C("arith2_uint8_sub_wrap", "torch.tensor([1], dtype=torch.uint8) - 2")
C("arith2_int32_overflow", "torch.tensor([2147483647], dtype=torch.int32) + 1")
C("arith2_f16_mean", "torch.tensor([1., 2.], dtype=torch.float16).mean()")
C("arith2_f16_accum", "torch.full((1000,), 0.1, dtype=torch.float16).sum()")
C("arith2_f32_sum_precision", "torch.full((10,), 0.1).sum().item()")
C("arith2_f32_mul_item", "(torch.tensor(0.1) * 3).item()")
C("arith2_int_times_float_0d", "torch.tensor([1, 2]) * torch.tensor(0.5)")
C("arith2_int_matmul_float_vec", "torch.arange(4.).view(2, 2) @ torch.tensor([1., 1.])")
C("arith2_scalar_tensor_ops", "s = torch.tensor(3.)\nprint(s + 1, s * s, s / 2, s ** 2, -s, 1 / s)")
C("arith2_alpha_sub_tensor_fn", "torch.sub(torch.tensor([5., 5.]), torch.tensor([1., 2.]), alpha=2)")
C("arith2_out_int_add", "r = torch.zeros(2, dtype=torch.int64)\ntorch.add(torch.tensor([1, 2]), torch.tensor([3, 4]), out=r)\nprint(r)")
C("arith2_out_matmul", "r = torch.empty(2, 2)\ntorch.matmul(torch.eye(2), torch.ones(2, 2), out=r)\nprint(r)")
C("arith2_out_float64_into_f32", "r = torch.zeros(2)\ntorch.mul(torch.tensor([1., 2.], dtype=torch.float64), 1.5, out=r)\nprint(r)")

# reductions corners
C("red2_max_bool", "torch.tensor([True, False]).max()")
C("red2_max_3d_dim1", "torch.arange(24.).view(2, 3, 4).max(dim=1)")
C("red2_max_negdim_keepdim", "torch.tensor([[1, 9, 3], [7, 2, 8]]).max(-1, keepdim=True)")
C("red2_max_kw_only", "torch.max(torch.tensor([[1., 2.], [4., 3.]]), dim=0, keepdim=True)")
C("red2_min_indices", "torch.min(torch.tensor([[4, 2], [1, 3]]), 0).indices")
C("red2_cumsum_negdim", "torch.arange(6).view(2, 3).cumsum(-1)")
C("red2_cumsum_f16", "torch.tensor([0.5, 0.25], dtype=torch.float16).cumsum(0)")
C("red2_var_keepdim", "torch.tensor([[1., 2.], [3., 6.]]).var(0, keepdim=True)")
C("red2_std_tuple", "torch.arange(8.).view(2, 2, 2).std(dim=(0, 2))")
C("red2_sum_negative_keepdim", "torch.ones(2, 3, 4).sum(-2, keepdim=True).shape")
C("red2_prod_bool", "torch.tensor([True, True]).prod()")
C("red2_mean_empty", "torch.zeros(0).mean()")
C("red2_argmax_3d", "torch.tensor([[[1, 5], [3, 2]], [[0, 9], [8, 1]]]).argmax(dim=2)")
C("red2_norm_f64", "torch.tensor([1., 2., 2.], dtype=torch.float64).norm()")
C("red2_all_int", "torch.tensor([1, 0, 2]).all()")
C("red2_any_dim_tuple", "torch.tensor([[[True, False]], [[False, False]]]).any(dim=(1, 2))")
C("red2_sum_all_dims_int8", "torch.tensor([100, 100], dtype=torch.int8).sum()")

# shape corners
C("shape2_view_split_last_dim_noncontig", "x = torch.arange(24).view(2, 3, 4).transpose(0, 1)\nprint(x.view(3, 2, 2, 2).shape)")
C("shape2_view_merge_noncontig_error", "x = torch.arange(24).view(2, 3, 4).transpose(0, 1)\nx.view(3, 8)")
C("shape2_view_sliced_rows", "x = torch.arange(12).view(3, 4)[:, :2]\nprint(x.view(3, 2, 1).shape)\nprint(x.view(6))")
C("shape2_permute_negative", "torch.zeros(2, 3, 4).permute(-1, 0, 1).shape")
C("shape2_unsqueeze_neg_2d", "torch.zeros(2, 3).unsqueeze(-1).shape")
C("shape2_transpose_same", "torch.arange(4).view(2, 2).transpose(1, 1)")
C("shape2_repeat_zero", "torch.tensor([1, 2]).repeat(0)")
C("shape2_cat_1d_negdim", "torch.cat([torch.tensor([1]), torch.tensor([2, 3])], dim=-1)")
C("shape2_stack_promote", "torch.stack([torch.tensor([1, 2]), torch.tensor([0.5, 1.5])])")
C("shape2_split_negdim", "torch.arange(6).view(2, 3).split(2, dim=-1)")
C("shape2_chunk_uneven_dim1", "[c.shape for c in torch.arange(10).view(2, 5).chunk(2, dim=1)]")
C("shape2_contiguous_copy_independent", "x = torch.arange(4.).view(2, 2)\ny = x.t().contiguous()\ny[0, 0] = 99\nprint(x)")
C("shape2_flatten_noncontig_copy", "x = torch.arange(4.).view(2, 2)\ny = x.t().flatten()\ny[0] = 99\nprint(x)")
C("shape2_expand_inplace_error", "torch.ones(1, 3).expand(2, 3).add_(1)")
C("shape2_expand_shares", "x = torch.tensor([[1], [2]])\ny = x.expand(2, 3)\nx[0, 0] = 7\nprint(y)")
C("shape2_squeeze_noop_dim", "torch.zeros(2, 3).squeeze(0).shape")
C("shape2_view_0d", "torch.tensor(5).view(1, 1)")
C("shape2_view_to_0d", "torch.tensor([5]).view(())")
C("shape2_reshape_0d_neg1", "torch.tensor(5.).reshape(-1)")
C("shape2_t_0d", "torch.tensor(5.).t()")
C("shape2_stride_after_unsqueeze", "torch.zeros(2, 3).unsqueeze(1).stride()")
C("shape2_stride_expand_new", "torch.zeros(3).expand(2, 3).stride()")
C("shape2_contiguous_expand", "torch.zeros(3).expand(2, 3).is_contiguous()")

# indexing corners
C("idx2_none_slice_ellipsis", _I + "x[1:3, None, ...].shape")
C("idx2_ellipsis_step", _I + "x[..., ::2]")
C("idx2_last_col", _I + "x[:, -1]")
C("idx2_list_of_bools", _I + "x[[True, False, True]]")
C("idx2_repeated", _I + "x[[0, 0, 1]]")
C("idx2_mask_2d_full", _I + "x[torch.tensor([[True, False, True, False]] * 3)]")
C("idx2_int_and_list", _I + "x[0, [1, 2]]")
C("idx2_col_list", _I + "x[:, [1]]")
C("idx2_diag", _I + "x[torch.arange(3), torch.tensor([0, 1, 2])]")
C("idx2_single_cell_slice", _I + "x[1:2, 1:2]")
C("idx2_empty_reverse_bounds", _I + "print(x[-1:-3])\nprint(x[2:1].shape)")
C("idx2_double_none", _I + "x[None, None].shape")
C("idx2_row_none", _I + "x[0][None]")
C("idx2_setitem_column_block", _I + "x[:, 0:1] = torch.tensor([[100], [200], [300]])\nprint(x)")
C("idx2_aug_on_row", _I + "x[1] += 5\nprint(x)")
C("idx2_aug_on_mask", _I + "x[x > 5] += 100\nprint(x)")
C("idx2_aug_on_list", _I + "x[[0, 2]] += 1\nprint(x)")
C("idx2_setitem_repeated_idx", "x = torch.zeros(3)\nx[torch.tensor([0, 0])] = torch.tensor([1., 2.])\nprint(x[1:])")
C("idx2_float_index_error", "torch.ones(3)[1.5]")
C("idx2_too_many_2d", "torch.ones(2, 2)[0, 0, 0]")
C("idx2_oob_2d", "torch.ones(2, 2)[2, 0]")
C("idx2_step_then_view", "torch.arange(8)[::2].view(2, 2)")
C("idx2_step_stride", "torch.arange(8)[::2].stride()")
C("idx2_setitem_0d_tensor_value", "x = torch.zeros(3)\nx[1] = torch.tensor(4.5)\nprint(x)")
C("idx2_getitem_rg_view", "x = torch.ones(3, requires_grad=True)\nprint(x[0])\nprint(x[1:])")

# in place corners
C("inplace2_mul_0d_float_into_int", "a = torch.tensor([1, 2])\na.mul_(torch.tensor(2.))")
C("inplace2_fill_0d_tensor", "a = torch.zeros(2)\na.fill_(torch.tensor(3.))")
C("inplace2_zero_returns_self", "a = torch.ones(2)\nprint(a.zero_() is a)")
C("inplace2_clamp_int", "a = torch.tensor([1, 5, 9])\na.clamp_(max=4)")
C("inplace2_pow_int_float_error", "a = torch.tensor([4, 9])\na.pow_(0.5)")
C("inplace2_no_grad_leaf_ok", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    x.add_(1)\nprint(x, x.is_leaf, x.grad_fn)")
C("inplace2_view_mul_backward", "x = torch.ones(3, requires_grad=True)\ny = x * 1\nv = y[0:1]\nv.mul_(2)\ny.sum().backward()\nprint(y)\nprint(x.grad)")
C("inplace2_clamp_leaf_error", "torch.ones(2, requires_grad=True).clamp_(0, 1)")
C("inplace2_copy_into_nonleaf_grad", "x = torch.ones(2, requires_grad=True)\ny = torch.zeros(2)\ny.copy_(x * 3)\nprint(y)\ny.sum().backward()\nprint(x.grad)")
C("inplace2_add_self_aliasing", "a = torch.tensor([1., 2.])\na += a\nprint(a)")

# conversion corners
C("conv2_scalars", "print(int(torch.tensor([3.9])), float(torch.tensor(2)), bool(torch.tensor(0.)), float(torch.tensor([True])))")
C("conv2_tolist_f16", "torch.tensor([0.1, 0.5], dtype=torch.float16).tolist()")
C("conv2_tolist_0d_int", "torch.tensor(7).tolist()")
C("conv2_item_uint8", "x = torch.tensor(200, dtype=torch.uint8).item()\nprint(x, type(x).__name__)")
C("conv2_to_cpu_dtype_kw", "torch.tensor([1.5]).to('cpu', dtype=torch.float16)")
C("conv2_numpy_f16", "torch.tensor([0.5, 1.5], dtype=torch.float16).numpy()")
C("conv2_numpy_noncontig", "n = torch.arange(6.).view(2, 3).t().numpy()\nprint(repr(n))\nprint(n.shape, n.strides)")
C("conv2_from_numpy_strided", "a = np.arange(6.)\nt = torch.from_numpy(a[::2])\nprint(t, t.stride())\na[2] = -1\nprint(t)")
C("conv2_np_int_div", "torch.from_numpy(np.array([1, 2])) / 2")
C("conv2_tensor_np_scalar", "torch.tensor(np.float32(1.5))")
C("conv2_tensor_np_f64_array", "torch.tensor(np.array([1.5]))")
C("conv2_as_tensor_dtype_copy", "a = np.array([1, 2])\nt = torch.as_tensor(a, dtype=torch.float32)\na[0] = 9\nprint(t)")
C("conv2_long_to_float_back", "torch.tensor([2**40 + 1]).float().long()")
C("conv2_bool_to_int", "torch.tensor([True, False]).long() + torch.tensor([True, True]).int()")
C("conv2_half_to_float_values", "torch.tensor([0.1], dtype=torch.float16).float()")

# autograd corners
C("ag2_numel1_implicit", "x = torch.ones(1, requires_grad=True)\n(x * 2).backward()\nprint(x.grad)")
C("ag2_gradient_shape_mismatch", "x = torch.ones(2, requires_grad=True)\n(x * 2).backward(torch.ones(3))")
C("ag2_retain_twice_accumulate", "x = torch.tensor([1., 2.], requires_grad=True)\ny = (x ** 2).sum()\ny.backward(retain_graph=True)\ny.backward(retain_graph=True)\ny.backward()\nprint(x.grad)")
C("ag2_retain_grad_accumulates", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * 3\ny.retain_grad()\ny.sum().backward(retain_graph=True)\ny.sum().backward()\nprint(y.grad, x.grad)")
C("ag2_cmp_no_grad", "x = torch.ones(2, requires_grad=True)\nprint((x > 0).requires_grad, x.long().requires_grad, x.argmax().requires_grad)")
C("ag2_leaf_inside_no_grad", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x + 1\nprint(y.is_leaf, y.requires_grad)")
C("ag2_detach_requires_grad_", "x = torch.ones(2, requires_grad=True)\ny = (x * 2).detach().requires_grad_()\nprint(y.is_leaf, y)")
C("ag2_double_backward_relu_exp", "x = torch.tensor([-1., 0.5, 2.], requires_grad=True)\ng = torch.autograd.grad((x.relu() * x.exp()).sum(), x, create_graph=True)[0]\nh = torch.autograd.grad(g.sum(), x)[0]\nprint(g)\nprint(h)")
C("ag2_create_graph_grad_requires", "x = torch.tensor([2.], requires_grad=True)\n(x ** 2).sum().backward(create_graph=True)\nprint(x.grad.requires_grad, x.grad.is_leaf)")
C("ag2_max_keepdim_grad", "x = torch.tensor([[1., 4.], [3., 2.]], requires_grad=True)\nx.max(dim=1, keepdim=True).values.sum().backward()\nx.grad")
C("ag2_where_scalar_grad", "x = torch.tensor([-1., 2.], requires_grad=True)\ntorch.where(x > 0, x, 0.).sum().backward()\nx.grad")
C("ag2_cat_dim1_grad", "a = torch.ones(2, 1, requires_grad=True)\nb = torch.ones(2, 2, requires_grad=True)\n(torch.cat([a, b], dim=1) * torch.tensor([1., 2., 3.])).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("ag2_stack_0d_grad", "a = torch.tensor(1., requires_grad=True)\nb = torch.tensor(2., requires_grad=True)\n(torch.stack([a, b]) * torch.tensor([3., 4.])).sum().backward()\nprint(a.grad, b.grad)")
C("ag2_split_unused_grad", "x = torch.arange(4., requires_grad=True)\na, b = x.split(2)\n(a * 2).sum().backward()\nx.grad")
C("ag2_prod_zero_grad", "x = torch.tensor([0., 2., 3.], requires_grad=True)\nx.prod().backward()\nx.grad")
C("ag2_prod_two_zeros_grad", "x = torch.tensor([0., 2., 0.], requires_grad=True)\nx.prod().backward()\nx.grad")
C("ag2_norm_zero_grad", "x = torch.zeros(3, requires_grad=True)\nx.norm().backward()\nx.grad")
C("ag2_pow0_at_zero", "x = torch.tensor([0., 1.], requires_grad=True)\n(x ** 0).sum().backward()\nx.grad")
C("ag2_pow1_at_zero", "x = torch.tensor([0., 1.], requires_grad=True)\n(x ** 1).sum().backward()\nx.grad")
C("ag2_pow_half_at_zero", "x = torch.tensor([0., 1.], requires_grad=True)\n(x ** 0.5).sum().backward()\nx.grad")
C("ag2_softmax_2d_grad", "x = torch.tensor([[1., 2.], [3., 5.]], requires_grad=True)\n(x.softmax(dim=1) * torch.tensor([[1., 0.], [0., 2.]])).sum().backward()\nx.grad")
C("ag2_maximum_broadcast_grad", "a = torch.tensor([[1.], [5.]], requires_grad=True)\nb = torch.tensor([2., 3., 4.], requires_grad=True)\ntorch.maximum(a, b).sum().backward()\nprint(a.grad)\nprint(b.grad)")
C("ag2_mean_keepdim_grad", "x = torch.ones(2, 3, requires_grad=True)\nx.mean(dim=1, keepdim=True).sum().backward()\nx.grad")
C("ag2_grad_zero_none_error", "x = torch.ones(2, requires_grad=True)\nx.grad.zero_()")
C("ag2_int_tensor_in_graph", "x = torch.tensor([1., 2.], requires_grad=True)\ni = torch.tensor([2, 3])\n(x * i).sum().backward()\nx.grad")
C("ag2_f64_f32_mix_grad", "a = torch.tensor([1., 2.], requires_grad=True)\nb = torch.tensor([3., 4.], dtype=torch.float64, requires_grad=True)\nc = a * b\nprint(c.dtype)\nc.sum().backward()\nprint(a.grad, b.grad)")
C("ag2_grad_fn_after_double", "x = torch.ones(2, requires_grad=True)\ny = x.double() * 2\ny.sum().backward()\nprint(x.grad)")
C("ag2_nonleaf_is_leaf_after_detach_", "x = torch.ones(2, requires_grad=True)\ny = x + 1\nprint(y.is_leaf)\ny.detach_()\nprint(y.is_leaf, y.requires_grad)")
C("ag2_backward_on_leaf_vector_gradient", "x = torch.tensor([1., 2.], requires_grad=True)\nx.backward(torch.tensor([3., 4.]))\nx.grad")
C("ag2_autograd_grad_tuple_inputs", "x = torch.tensor(1., requires_grad=True)\ny = torch.tensor(2., requires_grad=True)\ntorch.autograd.grad(x * y, (x, y))")
C("ag2_grad_of_sum_of_losses", "w = torch.tensor([1., -1.], requires_grad=True)\nl1 = (w ** 2).sum()\nl2 = w.abs().sum()\n(l1 + 0.5 * l2).backward()\nw.grad")
C("ag2_grad_through_clone_inplace", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x.clone()\ny[0] = 0\n(y * x).sum().backward()\nx.grad")

# errors (second batch)
C("err2_view_neg1_invalid", "torch.ones(2, 3).view(4, -1)")
C("err2_view_smaller", "torch.tensor([1, 2, 3]).view(1, 2)")
C("err2_sum_repeated_dim", "torch.ones(2, 2).sum(dim=(0, 0))")
C("err2_max_bad_dim", "torch.ones(3).max(1)")
C("err2_argmax_bad_dim", "torch.arange(3).argmax(dim=2)")
C("err2_expand_smaller", "torch.ones(3).expand(2)")
C("err2_expand_fewer_dims", "torch.ones(2, 3).expand(3)")
C("err2_cat_empty_list", "torch.cat([])")
C("err2_stack_empty_list", "torch.stack([])")
C("err2_transpose_1d", "torch.ones(2).transpose(0, 1)")
C("err2_mm_same_shape", "torch.ones(2, 3) @ torch.ones(2, 3)")
C("err2_mean_bad_dim", "torch.tensor([1., 2.]).mean(dim=1)")
C("err2_squeeze_bad_dim5", "torch.ones(2, 3).squeeze(5)")
C("err2_chunk_bad_dim", "torch.ones(4).chunk(2, dim=1)")
C("err2_split_zero", "torch.ones(4).split(0)")
C("err2_broadcast_3d", "torch.ones(2) + torch.ones(3, 2, 4)")
C("err2_backward_zeros", "torch.zeros(2, 2).backward()")
C("err2_float_index_tensor_set", "x = torch.zeros(3)\nx[torch.tensor([1.])] = 1")
C("err2_grad_non_leaf_requires_grad_int", "torch.arange(3).requires_grad_(True)")
C("err2_requires_grad_attr_int", "x = torch.arange(3)\nx.requires_grad = True")
C("err2_new_tensor_ragged", "torch.tensor([[1.], [2., 3.]])")
C("err2_linspace_float_steps", "torch.linspace(0, 1, 2.5)", cut=", but expected one of:")
C("err2_matmul_3d_mismatch", "torch.ones(2, 2, 3) @ torch.ones(2, 4, 5)")
C("err2_inplace_view_of_leaf_in_graph", "x = torch.ones(2, 2, requires_grad=True)\nx[0].add_(1)")
C("err2_item_2d", "torch.ones(1, 2).item()")
C("err2_softmax_int", "torch.tensor([1, 2]).softmax(0)")
C("err2_exp_bool_ok", "torch.exp(torch.tensor([True, False]))")
C("err2_log_softmax_bad_dim", "torch.ones(3).log_softmax(1)")
C("err2_stack_bad_dim", "torch.stack([torch.ones(2), torch.ones(2)], dim=3)")


# ======================================================================================
# 17. sweeps and more corners (third batch)

# 0-dim tensors take part in promotion only when their category is higher
for _a in _DT:
    C(f"promote0d_{_a}",
      f"a = torch.ones(2, dtype=torch.{_a})\n"
      f"for dt in [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16, torch.float32, torch.float64]:\n"
      f"    print(dt, (a + torch.tensor(1, dtype=dt)).dtype, (torch.tensor(1, dtype=dt) * a).dtype)")
# the promotion result for other binary ops
_OPS = {"sub": "a - b", "mul": "a * b", "div": "a / b", "floordiv": "a // b", "mod": "a % b",
        "pow": "a ** b", "maximum": "torch.maximum(a, b)", "eq": "a == b", "lt": "a < b",
        "where": "torch.where(a > 1, a, b)"}
for _k, _e in _OPS.items():
    C(f"promote_op_{_k}",
      "pairs = [(torch.int8, torch.uint8), (torch.int32, torch.float16), (torch.int64, torch.float64), (torch.float16, torch.float32), (torch.uint8, torch.int64)]\n"
      "for da, db in pairs:\n"
      "    a = torch.tensor([3, 4], dtype=da)\n"
      "    b = torch.tensor([2, 3], dtype=db)\n"
      f"    r = {_e}\n"
      "    print(da, db, r)")
    if _k == "maximum":
        continue  # torch.maximum takes no Python scalar
    C(f"promote_op_scalar_{_k}",
      "for a in [torch.tensor([3, 4]), torch.tensor([3, 4], dtype=torch.int8), torch.tensor([3., 4.], dtype=torch.float16)]:\n"
      f"    for b in {'[2, 2.5]' if _k == 'sub' else '[2, 2.5, True]'}:\n"
      f"        r = {_e}\n"
      "        print(a.dtype, repr(b), r)")

# float formatting sweep (values from deterministic formulas)
_FMT = {
    "cubes": "torch.linspace(-3, 3, 13) ** 3 / 7",
    "exp_range": "torch.exp(torch.linspace(-10, 10, 9))",
    "harmonic": "1 / torch.arange(1., 12.)",
    "milli": "torch.arange(-5., 6.) * 1e-3",
    "micro_ratio": "torch.tensor([1e-3, 1.])",
    "just_under_1e8": "torch.tensor([99999999., 1.])",
    "sqrt_ints": "torch.sqrt(torch.arange(10.))",
    "neg_large": "torch.tensor([-123456.5, 0.5])",
    "round_boundary": "torch.tensor([0.00005, 0.99995, 1.00005])",
    "f64_more_digits": "torch.tensor([1.23456789, 2.0], dtype=torch.float64)",
    "f16_sweep": "torch.linspace(0, 1, 6).half()",
    "bf16_sweep": "torch.linspace(0, 100, 6).to(torch.bfloat16)",
    "2d_mixed_sci": "torch.tensor([[1e-6, 1.], [1e3, 1e6]])",
    "3d_floats": "torch.arange(12.).view(2, 3, 2) / 4",
    "neg_ints_float": "-torch.arange(12.).view(3, 4)",
    "big_int_tensor": "torch.tensor([[123456789, -1], [0, 42]])",
    "int8_neg": "torch.tensor([-128, 0, 127], dtype=torch.int8)",
    "nan_inf_2d": "torch.tensor([[float('nan'), 1.5], [float('-inf'), 2.25]])",
    "tiny_all": "torch.tensor([1e-20, 2e-20])",
    "huge_all": "torch.tensor([1e20, 2e20])",
    "one_sci_neg": "torch.tensor([-2e-5])",
    "int_mode_wide": "torch.tensor([1., 10., 100., 1000.])",
    "exact_ratio_1000_small": "torch.tensor([0.001, 1.])",
}
for _k, _e in _FMT.items():
    C(f"fmt_{_k}", _e)

# set_printoptions persistence quirks
C("print3_options_persist", "torch.set_printoptions(precision=2)\ntorch.set_printoptions(linewidth=100)\nprint(torch.tensor([1.23456]))")
C("print3_sci_mode_reset_by_other_call", "torch.set_printoptions(sci_mode=True)\ntorch.set_printoptions(precision=3)\nprint(torch.tensor([1.5, 2.5]))")
C("print3_profile_default_restores", "torch.set_printoptions(precision=1)\ntorch.set_printoptions(profile='default')\nprint(torch.tensor([1.23456]))")

# Size and dtype objects
C("size3_concat", "torch.Size([2, 3]) + (4,)")
C("size3_slice_type", "s = torch.zeros(2, 3, 4).shape\nprint(s[::-1], s[-2:], type(s[0]).__name__)")
C("size3_arith", "x = torch.zeros(2, 3)\nprint(x.shape[0] * 2, x.size(1) + 1)")
C("size3_tuple_eq", "print(torch.Size([2, 3]) == torch.Size([2, 3]), torch.Size([2, 3]) == [2, 3])")
C("size3_isinstance_tuple", "isinstance(torch.zeros(2).shape, tuple)")
C("dtype3_is", "x = torch.zeros(2)\nprint(x.dtype is torch.float32, x.dtype == torch.float, x.dtype == torch.float64)")
C("dtype3_props", "print(torch.float32.is_floating_point, torch.int64.is_floating_point, torch.int8.is_signed, torch.uint8.is_signed)")
C("dtype3_itemsize", "print(torch.float64.itemsize, torch.int16.itemsize, torch.bool.itemsize)")
C("tensor3_isinstance", "print(isinstance(torch.zeros(2), torch.Tensor), isinstance(3, torch.Tensor))")

# numpy sharing via numpy-side ops
C("np3_numpy_write_back", "t = torch.zeros(3)\nn = t.numpy()\nn[0] = 5\nnp.multiply(n, 2, out=n)\nprint(t)")
C("np3_from_numpy_inplace_tensor_op", "a = np.ones(3, dtype=np.float32)\nt = torch.from_numpy(a)\nt.mul_(4)\nt[0] = -1\nprint(a, a.dtype)")
C("np3_numpy_after_add_not_shared", "t = torch.ones(2)\nn = t.numpy()\nt = t + 1\nprint(n, t)")
C("np3_array_arith", "a = np.arange(4).reshape(2, 2)\nprint(a + 1, a * 2.5, a.astype(np.float32).dtype, a.copy().T)")
C("np3_from_numpy_int64_sum", "torch.from_numpy(np.arange(5)).sum()")

# more autograd flows
C("ag3_grad_accum_broadcast", "b = torch.zeros(3, requires_grad=True)\nfor i in range(3):\n    (torch.ones(2, 3) * i + b).sum().backward()\nprint(b.grad)")
C("ag3_chain_rule_compose", "x = torch.tensor([0.3, 0.7], requires_grad=True)\ny = torch.sigmoid(torch.tanh(x) * 2).log()\ny.sum().backward()\nprint(y)\nprint(x.grad)")
C("ag3_matmul_chain", "W = torch.tensor([[0.5, -1.], [2., 0.25]], requires_grad=True)\nx = torch.tensor([[1., 2.]])\nh = torch.relu(x @ W)\nout = (h @ W.t()).sum()\nout.backward()\nprint(out)\nprint(W.grad)")
C("ag3_grad_zero_then_reuse", "w = torch.tensor([2.], requires_grad=True)\nfor i in range(3):\n    loss = (w * i) ** 2\n    loss.backward()\n    print(i, w.grad)\n    w.grad.zero_()")
C("ag3_backward_gradient_2d", "x = torch.ones(2, 2, requires_grad=True)\ny = x * torch.tensor([[1., 2.], [3., 4.]])\ny.backward(torch.full((2, 2), 0.5))\nx.grad")
C("ag3_hessian_diag", "x = torch.tensor([1., 2., 3.], requires_grad=True)\nf = (x ** 3).sum()\ng, = torch.autograd.grad(f, x, create_graph=True)\nH = [torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(3)]\nprint(torch.stack(H))")
C("ag3_grad_names_chain", "x = torch.ones(2, 2, requires_grad=True)\ny = (x @ x.t()).relu().sum(1).mean()\nn = y.grad_fn\nnames = []\nwhile n is not None:\n    names.append(n.name())\n    nxt = [f for f, i in n.next_functions if f is not None]\n    n = nxt[0] if nxt else None\nprint(names)")
C("ag3_tensor_from_grad", "x = torch.tensor([1., 2.], requires_grad=True)\n(x * x).sum().backward()\ng = x.grad\nprint(g.requires_grad, g.is_leaf, g.grad_fn)")
C("ag3_out_grad_requires", "x = torch.tensor([1.], requires_grad=True)\nr = torch.empty(1)\ntorch.mul(x, 2, out=r)")
C("ag3_is_grad_enabled_default", "torch.is_grad_enabled()")
C("ag3_no_grad_is_leaf_ops", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = x.view(2, 1)\nprint(y.requires_grad, y.grad_fn, y.is_leaf)")
C("ag3_requires_grad_false_leaf", "x = torch.ones(2, requires_grad=True)\nx.requires_grad = False\nprint(x, x.requires_grad)")
C("ag3_grad_setter", "x = torch.ones(2, requires_grad=True)\nx.grad = torch.tensor([5., 5.])\n(x * 2).sum().backward()\nx.grad")
C("err3_sub_bool_scalar", "torch.tensor([1, 2]) - True")

# Python protocol corners and warnings
C("py4_dict_of_tensors", "{'w': torch.tensor([1., 2.]), 'b': torch.tensor(0.5)}")
C("py4_format_0d", "t = torch.tensor(1.5)\nprint(f'{t:.2f}', '{:.3f}'.format(t), f'{t.item():.1f}')")
C("py4_len_0d", "len(torch.tensor(1.))")
C("py4_iter_0d", "for v in torch.tensor(1.):\n    print(v)")
C("py4_contains", "print(2 in torch.tensor([1, 2]), 5 in torch.tensor([1, 2]))")
C("py4_builtin_abs", "abs(torch.tensor([-1.5, 2.]))")
C("py4_builtin_max_sum", "x = torch.tensor([3, 1, 2])\nprint(max(x), sum(x), min(x))")
C("py4_list_of_tensor", "list(torch.tensor([1, 2]))")
C("py4_bitwise_not_int", "~torch.tensor([0, 5])")
C("py4_bool_and_or", "m = torch.tensor([True, False])\nprint(m & True, m | torch.tensor([False, True]))")
C("py4_truth_0d", "x = torch.tensor(0.5)\nif x > 0:\n    print('positive')\nprint(not torch.tensor(0))")
C("py4_tensor_in_range", "for i in range(torch.tensor(3)):\n    print(i)")
C("py4_index_python_list", "[10, 20, 30][torch.tensor(1)]")
C("py4_tensor_as_int_arg", "torch.zeros(torch.tensor(2), 1).shape")
C("warn4_copy_construct", "x = torch.tensor([1., 2.])\ny = torch.tensor(x)\nprint(y)", warn=True)
C("warn4_T_1d", "torch.tensor([1, 2]).T", warn=True)
C("warn4_std_single", "torch.tensor([1.]).std()", warn=True)
C("warn4_nonleaf_grad_access_twice", "x = torch.ones(1, requires_grad=True)\ny = x * 2\nprint(y.grad)\nprint(y.grad)", warn=True)
C("warn4_no_warning_leaf", "x = torch.ones(1, requires_grad=True)\nprint(x.grad)", warn=True)
C("warn4_retain_grad_no_warning", "x = torch.ones(1, requires_grad=True)\ny = x * 2\ny.retain_grad()\ny.backward()\nprint(y.grad)", warn=True)


# ======================================================================================
# 18. fifth batch: summarization, views, advanced indexing, version counters

C("print5_1000_not_summarized", "str(torch.arange(1000)).count('...')")
C("print5_summary_int_mode_hidden", "x = torch.arange(2000.)\nx[1000] = 0.5\nprint(x)")
C("print5_summary_int_mode_visible", "x = torch.arange(2000.)\nx[1] = 0.5\nprint(x)")
C("print5_summary_rg", "torch.ones(1001, requires_grad=True) * 2")
C("print5_summary_2d_small_dim", "torch.ones(500, 3)")
C("print5_summary_2d_wide", "torch.arange(3000).view(3, 1000)")
C("print5_0d_big", "print(torch.tensor(1e10), torch.tensor(123456789.), torch.tensor(12345678.))")
C("print5_exactly_1000", "x = torch.zeros(1000)\nprint(x[-3:], x.numel())\ns = str(x)\nprint('...' in s, s.count(',') + 1)")
C("print5_summary_edgeitems_1d_float", "torch.set_printoptions(edgeitems=2)\nprint(torch.linspace(0, 1, 1001))")
C("view5_expanded_merge_error", "torch.ones(1, 3).expand(2, 3).view(6)")
C("view5_expanded_reshape_copy", "x = torch.tensor([[1., 2., 3.]])\ny = x.expand(2, 3).reshape(6)\ny[0] = 9\nprint(x, y)")
C("view5_expand_contiguous", "torch.tensor([1, 2]).expand(2, 2).contiguous().stride()")
C("view5_T_inplace", "x = torch.zeros(2, 3)\nx.T.add_(1)\nx.t()[0].fill_(5)\nprint(x)")
C("idx5_neg_tensor_index", "torch.arange(5)[torch.tensor([-1, -5])]")
C("idx5_broadcast_adv", "x = torch.arange(12).view(3, 4)\nx[torch.tensor([[0], [1]]), torch.tensor([[0, 1]])]")
C("idx5_adv_separated", "y = torch.arange(24).view(2, 3, 4)\nprint(y[[0, 1], :, [0, 1]].shape)\nprint(y[[0, 1], :, [0, 1]])")
C("idx5_adv_adjacent", "y = torch.arange(24).view(2, 3, 4)\nprint(y[:, [0, 1], [0, 1]].shape)\nprint(y[:, [0, 1], [0, 1]])")
C("idx5_mask_two_dims", "y = torch.arange(24).view(2, 3, 4)\nm = torch.tensor([[True, False, True], [False, True, False]])\nprint(y[m].shape)\nprint(y[m])")
C("idx5_ellipsis_int_set", "x = torch.zeros(2, 3)\nx[..., 0] = torch.tensor([1., 2.])\nprint(x)")
C("idx5_adv_slice_set", "x = torch.zeros(3, 4)\nx[[0, 2], 1:3] = torch.tensor([1., 2.])\nprint(x)")
C("idx5_mask_2d_set_tensor", "x = torch.arange(6.).view(2, 3)\nx[x > 2] = torch.tensor([-1., -2., -3.])\nprint(x)")
C("idx5_int_then_adv", "y = torch.arange(24).view(2, 3, 4)\ny[1, [0, 2]]")
C("idx5_none_adv", "x = torch.arange(6).view(2, 3)\nx[None, [1, 0]].shape")
C("idx5_grad_adv_2d", "x = torch.ones(3, 4, requires_grad=True)\nx[[0, 0, 2], [1, 1, 3]].sum().backward()\nprint(x.grad)")
C("idx5_grad_mask_2d", "x = torch.arange(6.).view(2, 3).requires_grad_()\n(x[x > 2] ** 2).sum().backward()\nprint(x.grad)")
C("red5_argmax_nan", "torch.tensor([1., float('nan'), 3.]).argmax()")
C("red5_min_nan", "torch.tensor([1., float('nan'), 3.]).min()")
C("red5_max_dim_nan", "torch.tensor([[1., float('nan')], [3., 2.]]).max(dim=1)")
C("red5_sum_f16_mean_f16_dim", "torch.tensor([[1., 2.], [3., 4.]], dtype=torch.float16).mean(0)")
C("red5_int_max_ties_first", "torch.tensor([[2, 7, 7], [5, 5, 1]]).max(dim=1)")
C("ver5_pow_saved_error", "x = torch.ones(2, requires_grad=True)\ny = x * 1\nz = y ** 2\ny.add_(1)\nz.sum().backward()", cut="Hint:")
C("ver5_sigmoid_saved_out_error", "x = torch.ones(2, requires_grad=True)\ns = x.sigmoid()\ns.mul_(2)\ns.sum().backward()", cut="Hint:")
C("ver5_add_not_saved_ok", "x = torch.ones(2, requires_grad=True)\ny = x + 1\nz = y + 1\ny.mul_(3)\nz.sum().backward()\nprint(x.grad)")
C("ver5_version_ok_after_clone", "x = torch.ones(2, requires_grad=True)\ny = x.exp()\nz = y.clone()\nz.add_(1)\n(y * z).sum().backward()\nprint(x.grad)")
C("ag5_expand_sum_grad", "x = torch.tensor([1., 2.], requires_grad=True)\n(x.unsqueeze(0).expand(3, 2) * torch.arange(6.).view(3, 2)).sum().backward()\nx.grad")
C("ag5_T_matmul_grad", "x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)\n(x.T @ x).sum().backward()\nx.grad")
C("ag5_var_dim_keepdim_grad", "x = torch.tensor([[1., 2., 6.]], requires_grad=True)\nx.var(dim=1, keepdim=True).sum().backward()\nx.grad")
C("ag5_log_softmax_dim0_grad", "x = torch.tensor([[1., 2.], [3., 5.]], requires_grad=True)\n(x.log_softmax(0)[0]).sum().backward()\nx.grad")
C("ag5_min_dim_grad", "x = torch.tensor([[3., 1.], [2., 4.]], requires_grad=True)\nx.min(dim=0).values.sum().backward()\nx.grad")
C("ag5_cumsum_dim1_grad", "x = torch.ones(2, 3, requires_grad=True)\nx.cumsum(dim=1).sum().backward()\nx.grad")
C("ag5_div_tensor_grad", "a = torch.tensor([1., 2.], requires_grad=True)\nb = torch.tensor([4., 8.], requires_grad=True)\n(a / b).sum().backward()\nprint(a.grad, b.grad)")
C("ag5_rsub_grad", "x = torch.tensor([1., 2.], requires_grad=True)\n(5 - x * 2).sum().backward()\nx.grad")
C("ag5_floor_divide_no_grad_error", "x = torch.tensor([3., 4.], requires_grad=True)\n(x // 2).sum().backward()")

# First-order gradients built with create_graph=True carry the fused backward ops' names.
for _name, _f in (("relu", "x.relu()"), ("sigmoid", "x.sigmoid()"), ("tanh", "x.tanh()"),
                  ("softmax", "x.softmax(0)"), ("log_softmax", "x.log_softmax(0)"),
                  ("softmax_2d", "x.view(3, 1).softmax(1).view(3)"),
                  ("log_softmax_dim1", "x.view(1, 3).log_softmax(1).view(3)")):
    C(f"ag6_double_backward_{_name}", f"""
x = torch.tensor([-1., 0.5, 2.], requires_grad=True)
w = torch.tensor([1., 2., 3.])
g, = torch.autograd.grad(({_f} * w).sum(), x, create_graph=True)
print(g)
h, = torch.autograd.grad((g * w).sum(), x)
print(h)
""")

# torch.nn.functional: the losses and linear record PyTorch's own nodes.
_NLL = ("F = torch.nn.functional\n"
        "x = torch.tensor([[1., -2., 3.], [0.5, 4., -1.], [0., 0., 1.]], requires_grad=True)\n"
        "t = torch.tensor([0, 2, 1])\n")
for _red in ("mean", "sum", "none"):
    C(f"nn_cross_entropy_{_red}", _NLL + f"""
y = F.cross_entropy(x, t, reduction='{_red}')
print(y)
(y if y.dim() == 0 else y.sum()).backward()
print(x.grad)
""")
    C(f"nn_nll_loss_{_red}", _NLL + f"""
y = F.nll_loss(x, t, reduction='{_red}')
print(y)
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g)
""")
C("nn_cross_entropy_1d", _NLL + "y = F.cross_entropy(x[0], t[0])\nprint(y)\ny.backward()\nx.grad")
C("nn_cross_entropy_next_functions", _NLL + "[f.name() for f, i in F.cross_entropy(x, t).grad_fn.next_functions]")
C("nn_nll_loss_ignore_index", _NLL + "print(F.nll_loss(x, torch.tensor([0, -100, 1])))\n"
  "print(F.nll_loss(x, torch.tensor([-100, 1, -100]), reduction='none'))\n"
  "y = F.cross_entropy(x, t, ignore_index=2)\ny.backward()\nprint(y)\nx.grad")
C("nn_nll_loss_all_ignored", _NLL + "F.nll_loss(x, torch.tensor([-100, -100, -100]))")
C("err_nll_loss_target_bounds", _NLL + "F.nll_loss(x, torch.tensor([0, 5, 1]))")
C("err_nll_loss_batch", _NLL + "F.cross_entropy(x, t[:2])")
C("err_nll_loss_target_dtype", _NLL + "F.cross_entropy(x, t.float())")
C("err_nll_loss_reduction", _NLL + "F.nll_loss(x, t, reduction='avg')")
C("err_nll_loss_0d", "torch.nn.functional.nll_loss(torch.tensor(1.), torch.tensor(0))")
_LIN = ("F = torch.nn.functional\n"
        "w = torch.tensor([[1., 2., 3.], [0., -1., 0.5]], requires_grad=True)\n"
        "b = torch.tensor([0.5, -0.5], requires_grad=True)\n")
for _name, _x in (("1d", "torch.ones(3)"), ("2d", "torch.arange(6.).view(2, 3)"),
                  ("3d", "torch.arange(12.).view(2, 2, 3)")):
    C(f"nn_linear_bias_{_name}", _LIN + f"""
y = F.linear({_x}, w, b)
print(y)
y.sum().backward()
print(w.grad, b.grad)
""")
C("err_linear_bias_dtype", _LIN + "F.linear(torch.ones(2, 3), w, torch.ones(2).double())")
C("err_linear_bias_shape", _LIN + "F.linear(torch.ones(2, 3), w, torch.ones(3))")
C("err_addmm_mat_dtype", "torch.addmm(torch.ones(2), torch.ones(2, 3).double(), torch.ones(3, 2))")

# Ops PyTorch runs as one node of their own (not the composite tshell once recorded).
_GX = "x = torch.tensor([[1., -2., 3.], [0.5, 4., -1.]], requires_grad=True)\n"
for _name, _e in (("masked_fill", "x.masked_fill(x > 0, 0.)"),
                  ("masked_fill_bcast", "x.masked_fill(torch.tensor([True, False, True]), 1.)"),
                  ("masked_fill_tensor", "x.masked_fill(x > 0, torch.tensor(2., requires_grad=True))"),
                  ("roll", "x.roll(1, 1)"), ("roll_dims", "x.roll((1, 2), (0, 1))"),
                  ("roll_flat", "x.roll(2)"), ("logsumexp", "x.logsumexp(1)"),
                  ("logsumexp_all_keepdim", "x.logsumexp((0, 1), keepdim=True)"),
                  ("index_select", "x.index_select(1, torch.tensor([0, 2, 2]))")):
    C(f"ag7_node_{_name}", _GX + f"""
y = {_e}
print(y)
print([None if f is None else f.name() for f, i in y.grad_fn.next_functions])
(y * torch.arange(float(y.numel())).view(y.shape)).sum().backward()
print(x.grad)
""")
C("ag7_masked_fill_double_backward", _GX + "y = x.masked_fill(x > 0, 5)\n"
  "g, = torch.autograd.grad((y * y).sum(), x, create_graph=True)\nprint(g)\n"
  "g.sum().backward()\nx.grad")
C("err_masked_fill_float_mask", _GX + "x.masked_fill(x, 1.)")
C("err_masked_fill_value_dims", _GX + "x.masked_fill(x > 0, torch.ones(3))")
C("err_masked_fill_mask_shape", _GX + "x.masked_fill(torch.ones(3, 3) > 0, 1.)")
C("err_roll_align", _GX + "x.roll((1, 2), 0)")

# Bool tensors in unary ops: PyTorch refuses some kernels, keeps or promotes others.
for _f in ("abs", "relu", "floor", "ceil", "trunc", "round", "argmax", "argmin"):
    C(f"err_bool_{_f}", f"torch.tensor([True, False]).{_f}()")
C("bool_sign_square", "b = torch.tensor([True, False])\nprint(b.sign())\nb.square()")
C("err_invert_float", "~torch.tensor([1.5, 0.])")
C("err_bitwise_not_float", "torch.bitwise_not(torch.tensor([1.5, 0.], dtype=torch.float64))")

# f-strings: a 0-d tensor formats as its number; type() names PyTorch's classes.
C("fmt_0d_tensor", "x = torch.tensor(2., requires_grad=True)\nloss = (x * 3) ** 2\n"
  "print(f'loss {loss}, {torch.tensor(3)}, {torch.tensor(True)}, {torch.tensor(0.1)}')\n"
  "print(f'{torch.tensor(1.23456):.3f}|{torch.tensor(1.5):>8}|{torch.ones(2)}')\n"
  "'{}'.format(torch.tensor(2.5))")
C("err_fmt_spec_nd_tensor", "f'{torch.tensor([1.5]):.2f}'")
C("type_names", "print(type(torch.ones(1).shape), type(torch.float32), type(torch.device('cpu')))\n"
  "print(type(torch.ones(2).max(0)), type(torch.ones(2).sort()))\n"
  "type(torch.ones(1).shape) == torch.Size")

# Reductions: integer logsumexp is float, empty inputs give PyTorch's errors, and half
# precision softmax / var / std compute in float.
C("red6_logsumexp_int", "print(torch.tensor([[3, 250, 0]], dtype=torch.uint8).logsumexp(1))\n"
  "print(torch.tensor([True, False]).logsumexp(0))\ntorch.tensor([1, 2]).logsumexp(0)")
C("red6_logsumexp_empty", "print(torch.ones(0, 3).logsumexp(0))\ntorch.ones(0, 3).logsumexp(1)")
C("red6_amax_empty_other_dim", "torch.ones(0, 3).amax(1)")
C("err_amax_empty_dim", "torch.ones(0, 3).amax(0)")
C("err_amin_empty_all", "torch.ones(0, 3).amin()")
C("err_norm_inf_empty", "torch.ones(0).norm(p=float('inf'))")
C("err_norm_inf_empty_dim", "torch.ones(0, 3).norm(p=float('-inf'), dim=0)")
C("err_softmax_int_dim0", "torch.tensor([[1, 2]]).softmax(0)")
C("err_log_softmax_int_lastdim", "torch.tensor([[1, 2]]).log_softmax(1)")
C("err_log_softmax_int_dim0", "torch.tensor([[1, 2]]).log_softmax(0)")
C("red6_half_softmax_var", "x = torch.tensor([[1.5, -2., 0.], [4., 0.25, -1.]], dtype=torch.float16)\n"
  "print(x.softmax(1))\nprint(x.log_softmax(0))\nprint(x.var(correction=0), x.std(1))\n"
  "torch.tensor([[1., 2.], [3., 4.]], dtype=torch.bfloat16).log_softmax(0)")

# bfloat16's NumPy kind is "V": rounding ops must not take it for an integer type.
C("bf16_rounding_ops", "x = torch.tensor([-3.7, -1.5, -0.5, 0.5, 2.5, 2.9], dtype=torch.bfloat16)\n"
  "print(x.floor(), x.ceil(), x.trunc(), x.round(), sep='\\n')\n"
  "print(x.div(2, rounding_mode='trunc'))\nprint(x % 2, x.remainder(-2), sep='\\n')")
C("half_sigmoid_cumsum_log_softmax",
  "x = torch.tensor([-3.7, -1.5, -0.5, 0.5, 2.5, 2.9], dtype=torch.float16)\n"
  "print(x.sigmoid())\nprint(x.cumsum(0), x.cumprod(0), sep='\\n')\nprint(x.log_softmax(0))\n"
  "y = x.to(torch.bfloat16)\nprint(y.sigmoid())\ny.cumsum(0)")

# fill_ / zero_: PyTorch's node names, and through a view the base's history changes.
_FX = "x = torch.tensor([1., 2., 3.], requires_grad=True)\n"
C("ag8_fill_names", _FX + "y = x * 2\nprint(y.fill_(0))\ny = x * 2\nprint(y.zero_())\n"
  "y = x * 2\ny.fill_(torch.tensor(4.))")
C("ag8_fill_tensor_value_grad", _FX + "v = torch.tensor(2., requires_grad=True)\ny = x * 2\n"
  "y.fill_(v)\nprint([f.name() for f, i in y.grad_fn.next_functions])\ny.sum().backward()\n"
  "print(v.grad, x.grad)")
C("ag8_zero_slice_grad", _FX + "y = x * 2\nprint(y[0:2].zero_())\nprint(y)\ny.sum().backward()\nx.grad")
C("ag8_fill_view_grad", _FX + "v = torch.tensor(2., requires_grad=True)\ny = x * 2\n"
  "y[1:].fill_(v)\nprint(y)\ny.sum().backward()\nprint(x.grad, v.grad)\n"
  "y = x * 2\nz = y.view(3)\nz.zero_()\nprint(y)")
C("err_inplace_expanded_view_of_leaf", _FX + "y = x.unsqueeze(0).expand(2, 3)\ny.add_(1)")
C("grad_mode_reprs", "print(torch.set_grad_enabled(False))\nprint(torch.is_grad_enabled())\n"
  "torch.set_grad_enabled(True)")
C("err_version_hint_text", _FX + "y = x.exp()\ny.mul_(2)\ny.sum().backward()")
C("err_index_shape_mismatch", "x = torch.arange(12.).view(3, 4)\nx[[0, 1], [1, 2, 3]]")
C("err_index_shape_mismatch_2d", "x = torch.arange(24.).view(2, 3, 4)\n"
  "x[[[0, 1]], [[1], [2], [0]], [0, 1, 2, 3]]")
C("err_index_put_shape_mismatch", "x = torch.arange(12.).view(3, 4)\nx[[0, 1], [1, 2, 3]] = 0")
C("err_dot_dtype_before_size", "torch.ones(2) @ torch.ones(3, dtype=torch.int64)")
C("err_dot_bool", "torch.ones(2, dtype=torch.bool) @ torch.ones(2, dtype=torch.bool)")
C("err_cat_zero_dim_second", "torch.cat([torch.ones(2), torch.tensor(3.)])")
C("err_where_middle_shape", "torch.where(torch.tensor([True, False]), torch.tensor([]), torch.ones(2))")
C("clamp_tensor_bounds_promotion", "print(torch.ones(2).clamp(min=torch.ones(2, dtype=torch.int64)))\n"
  "print(torch.ones(2, dtype=torch.int64).clamp(min=torch.ones(2)))\n"
  "print(torch.ones(2, dtype=torch.int8).clamp(min=torch.tensor(3)))\n"
  "torch.tensor(3).clamp(max=torch.ones(2, dtype=torch.int8))")

# A Python int operand out of an integer tensor's range wraps to its dtype, as in PyTorch.
_WR = ("u = torch.tensor([1, 200], dtype=torch.uint8)\n"
       "i8 = torch.tensor([1, -100], dtype=torch.int8)\n")
C("int_scalar_wraps_arith", _WR + "print(u + 300, u - 300, u * -1, 300 - u)\n"
  "print(i8 + 200, i8 * 1000, torch.tensor([1, 2], dtype=torch.int16) + 70000)\n"
  "print(u // 300, u % 257, u | 256, torch.tensor([1], dtype=torch.int64) + 2**63)\n"
  "x = u.clone()\nx += 300\nprint(x)\nx.mul_(-1)\nx")
C("int_scalar_wraps_compare", _WR + "print(u < -3, u == 257, -3 < u)\ni8 > 200")
C("err_add_alpha_out_of_range", _WR + "u.add(1, alpha=300)")

# Nodes of their own: cumprod (differentiable, zeros included), clamp_min/clamp_max,
# masked_select.
for _i, _v in enumerate(("[[0.5, -1.5, 2.], [3., 0.25, -0.75]]", "[[0.5, 0., 2.], [0., 0.25, 0.]]",
                         "[1., 2., 0., 4.]")):
    C(f"ag9_cumprod_{_i}", f"x = torch.tensor({_v}, requires_grad=True)\ny = x.cumprod(-1)\n"
      "print(y)\n(y * torch.arange(1., y.numel() + 1).view(y.shape)).sum().backward()\nx.grad")
C("ag9_cumprod_double_backward", "x = torch.tensor([[0.5, -1.5, 2.], [3., 0.25, -0.75]], "
  "requires_grad=True)\ng, = torch.autograd.grad(x.cumprod(0).sum(), x, create_graph=True)\ng")
C("ag9_clamp_min_max_names", "x = torch.tensor([[0.5, -1.5, 2.]], requires_grad=True)\n"
  "torch.clamp_min(x, 0).sum().backward()\nprint(x.grad)\nprint(torch.clamp_max(x, 0))\n"
  "x.clamp(min=0)")
C("ag9_masked_select", "x = torch.tensor([[0.5, -1.5, 2.]], requires_grad=True)\n"
  "y = torch.masked_select(x, x > 0)\ny.sum().backward()\nprint(y)\nprint(x.grad)\n"
  "torch.masked_select(x, torch.tensor([True, False, True]))")

# Shape-op errors checked in PyTorch's order and words.
C("err_narrow_start_range", "torch.arange(6.).view(2, 3).narrow(0, -3, 1)")
C("err_narrow_start_range_empty", "torch.zeros(0, 3).narrow(0, 1, 0)")
C("err_narrow_length_negative", "torch.arange(6.).narrow(0, 1, -1)")
C("err_narrow_exceeds", "torch.arange(6.).narrow(0, -2, 3)")
C("err_unflatten_sizes", "torch.arange(6.).view(2, 3).unflatten(1, (2, -1))")
C("err_unflatten_sizes_product", "torch.arange(6.).view(2, 3).unflatten(-1, (2, 2))")
C("err_repeat_negative", "torch.arange(6.).view(2, 3).repeat(3, -1)")
C("err_expand_last_dim_first", "torch.arange(6.).view(2, 3).expand(0, 2)")
C("sign_nan_is_zero", "print(torch.tensor([1., float('inf'), -float('inf'), float('nan'), -0.]).sign())\n"
  "torch.tensor([-2, 0, 5]).sign()")
C("err_topk_bool", "torch.tensor([True, False, True]).topk(2)")
