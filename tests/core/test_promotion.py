"""Type promotion and broadcasting against torch 2.13's recorded behaviour.

The golden table tests/golden/promotion.json is written by tests/golden/gen_promotion.py
(run with real torch); this file never imports torch.
"""

import json
import math
import operator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, HealthCheck
from hypothesis import strategies as st

import tshell.core as torch

GOLDEN = json.loads((Path(__file__).resolve().parent.parent / "golden" / "promotion.json").read_text())
DTYPES = GOLDEN["dtypes"]
TABLE = GOLDEN["ops"]
SCALAR_VALUES = GOLDEN["scalar_values"]
OPS = {"add": operator.add, "mul": operator.mul, "div": operator.truediv, "lt": operator.lt,
       "sub": operator.sub, "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow,
       "eq": operator.eq,
       "add_": lambda a, b: a.add_(b), "mul_": lambda a, b: a.mul_(b), "div_": lambda a, b: a.div_(b)}
INPLACE = {"add_", "mul_", "div_"}
# ops whose result value (all-ones operands) is also checked
VALUE_OPS = {"add", "mul", "div", "lt", "eq"}
KEYS = [f"{k}:{d}" for k in GOLDEN["tensor_kinds"] for d in DTYPES] + \
       [f"py:{k}" for k in GOLDEN["scalar_kinds"]]
PAIRS = [(a, b) for a in KEYS for b in KEYS if not (a.startswith("py:") and b.startswith("py:"))]
INPLACE_PAIRS = [(a, b) for a, b in PAIRS if not a.startswith("py:")]
OP_PAIRS = [(op, a, b) for op in OPS for a, b in (INPLACE_PAIRS if op in INPLACE else PAIRS)]

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def make_operand(key, shape):
    """Operand for a table key; `shape` is used for dim>0 tensors only."""
    kind, what = key.split(":")
    if kind == "py":
        return SCALAR_VALUES[what]
    dtype = getattr(torch, what)
    if kind == "tensor":
        return torch.ones(tuple(shape), dtype=dtype)
    return torch.ones((), dtype=dtype)


def operand_shape(key, shape):
    kind = key.split(":")[0]
    if kind == "tensor":
        return tuple(shape)
    if kind == "0dim":
        return ()
    return None  # Python scalar: does not take part in broadcasting


def expected_value(op_name, key_a, key_b, result_dtype):
    """Value of every result element: tensors are all ones, scalars as in the table."""
    def num(key):
        kind, what = key.split(":")
        if kind == "py":
            return SCALAR_VALUES[what]
        return True if what == "bool" else 1
    va, vb = num(key_a), num(key_b)
    if result_dtype == "bool":
        if op_name in ("lt", "eq"):
            return OPS[op_name](va, vb)
        return bool(OPS[op_name](va, vb))  # logical or / and of True values
    return OPS[op_name](va, vb)


def broadcast_error(a, b):
    """torch's message (aten/src/ATen/ExpandUtils.cpp infer_size): scan from the right."""
    ndim = max(len(a), len(b))
    for i in range(ndim - 1, -1, -1):
        off = ndim - 1 - i
        da, db = len(a) - 1 - off, len(b) - 1 - off
        sa = a[da] if da >= 0 else 1
        sb = b[db] if db >= 0 else 1
        if not (sa == sb or sa == 1 or sb == 1):
            return (f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) "
                    f"at non-singleton dimension {i}")
    return None


def kernel_error(want):
    """torch's `NotImplementedError: "div_floor_cpu" not implemented for 'Bool'` names a C++
    kernel; for those only "it raises" is required, every other recorded error is exact."""
    return want.startswith("!NotImplementedError: ") and "not implemented for" in want


def check_binary(op_name, key_a, key_b, shape_a=(2,), shape_b=(2,)):
    """Run `a OP b` in tshell; return a list of problems (empty when it matches torch)."""
    want = TABLE[op_name][f"{key_a}|{key_b}"]
    a = make_operand(key_a, shape_a)
    b = make_operand(key_b, shape_b)
    try:
        r = OPS[op_name](a, b)
    except Exception as e:
        got = f"!{type(e).__name__}: {e}"
        if got == want or kernel_error(want):
            return []
        return [f"{op_name} {key_a}|{key_b}: raised {got!r}, torch gives {want!r}"]
    if want.startswith("!"):
        return [f"{op_name} {key_a}|{key_b}: no error, torch raises {want!r}"]
    problems = []
    if not isinstance(r, torch.Tensor):
        return [f"{op_name} {key_a}|{key_b}: result is {type(r).__name__}, not a Tensor"]
    if op_name in INPLACE:
        if r is not a:
            problems.append(f"{op_name} {key_a}|{key_b}: in-place op did not return self")
        if r.dtype != getattr(torch, want) or a.dtype != getattr(torch, want):
            problems.append(f"{op_name} {key_a}|{key_b}: dtype {r.dtype}, torch gives torch.{want}")
        if tuple(r.shape) != operand_shape(key_a, shape_a):
            problems.append(f"{op_name} {key_a}|{key_b}: shape {tuple(r.shape)}, expected {operand_shape(key_a, shape_a)}")
        return problems
    if r.dtype != getattr(torch, want):
        problems.append(f"{op_name} {key_a}|{key_b}: dtype {r.dtype}, torch gives torch.{want}")
    shapes = [s for s in (operand_shape(key_a, shape_a), operand_shape(key_b, shape_b)) if s is not None]
    want_shape = tuple(np.broadcast_shapes(*shapes))
    if tuple(r.shape) != want_shape:
        problems.append(f"{op_name} {key_a}|{key_b}: shape {tuple(r.shape)}, expected {want_shape}")
    elif r.numel() > 0 and not problems and op_name in VALUE_OPS:
        got = r.reshape(-1)[0].item()
        exp = expected_value(op_name, key_a, key_b, want)
        if want in ("float16", "bfloat16"):
            ok = math.isclose(got, exp, rel_tol=1e-2)
        elif want in ("float32", "float64"):
            ok = math.isclose(got, exp, rel_tol=1e-6)
        else:
            ok = got == exp and type(got) is type(exp)
        if not ok:
            problems.append(f"{op_name} {key_a}|{key_b}: value {got!r}, expected {exp!r}")
    return problems


# ---------------------------------------------------------------------------------------
# exhaustive: every entry of the golden dtype table (shape (2,) for dim>0 tensors)

@pytest.mark.parametrize("op_name", list(OPS))
def test_result_dtype_table(op_name):
    problems = []
    for key_a, key_b in (INPLACE_PAIRS if op_name in INPLACE else PAIRS):
        problems += check_binary(op_name, key_a, key_b)
    assert not problems, f"{len(problems)} mismatches, e.g.:\n" + "\n".join(problems[:25])


def test_table_is_complete():
    for op_name in OPS:
        if op_name in INPLACE:
            assert len(TABLE[op_name]) == len(INPLACE_PAIRS) == 460
        else:
            assert len(TABLE[op_name]) == len(PAIRS) == 520


def test_bool_subtraction_errors():
    t = torch.tensor([True, False])
    with pytest.raises(RuntimeError) as info:
        t - t
    assert str(info.value) == TABLE["sub"]["tensor:bool|tensor:bool"][len("!RuntimeError: "):]
    assert str(info.value).startswith("Subtraction, the `-` operator, with two bool tensors is not supported.")
    with pytest.raises(RuntimeError) as info:
        t - 1
    assert str(info.value).startswith("Subtraction, the `-` operator, with a bool tensor is not supported.")


def test_spec_examples():
    # the examples of PyTorch's promotion docs
    assert (torch.tensor([1, 2]) / 2).dtype == torch.float32
    assert (torch.tensor([1, 2]) + 2.5).dtype == torch.float32
    assert (torch.ones(2) + torch.ones(2, dtype=torch.float64)).dtype == torch.float64
    assert (torch.tensor([1, 2]) < 1.5).dtype == torch.bool
    assert (torch.ones(2, dtype=torch.int32) + torch.tensor(5)).dtype == torch.int32
    assert (torch.ones(2, dtype=torch.int32) + torch.tensor(5.0)).dtype == torch.float32
    assert (torch.ones(2, dtype=torch.float16) + torch.tensor(5.0, dtype=torch.float64)).dtype == torch.float16


def test_default_dtype_drives_int_to_float_promotion():
    assert torch.get_default_dtype() == torch.float32
    torch.set_default_dtype(torch.float64)
    try:
        assert (torch.tensor([1, 2]) / 2).dtype == torch.float64
        assert (torch.tensor([1, 2]) + 2.5).dtype == torch.float64
        assert (torch.ones(2, dtype=torch.float32) + 2.5).dtype == torch.float32
        assert (torch.tensor([True]) * 1.5).dtype == torch.float64
        assert torch.tensor([1.5]).dtype == torch.float64
    finally:
        torch.set_default_dtype(torch.float32)
    assert (torch.tensor([1, 2]) / 2).dtype == torch.float32


# ---------------------------------------------------------------------------------------
# broadcasting: the golden sample of shape pairs

@pytest.mark.parametrize("entry", GOLDEN["broadcast"],
                         ids=[f"{e['a']}+{e['b']}" for e in GOLDEN["broadcast"]])
def test_broadcast_golden(entry):
    a = torch.ones(tuple(entry["a"]))
    b = torch.ones(tuple(entry["b"]))
    if "error" in entry:
        with pytest.raises(Exception) as info:
            a + b
        assert f"{type(info.value).__name__}: {info.value}" == entry["error"]
    else:
        r = a + b
        assert tuple(r.shape) == tuple(entry["shape"])
        assert r.shape == tuple(entry["shape"])


def test_broadcast_error_oracle_matches_golden():
    # the oracle used by the hypothesis test reproduces every recorded torch error
    n = 0
    for e in GOLDEN["broadcast"]:
        if "error" in e:
            n += 1
            assert "RuntimeError: " + broadcast_error(e["a"], e["b"]) == e["error"]
        else:
            assert broadcast_error(e["a"], e["b"]) is None
            assert list(np.broadcast_shapes(tuple(e["a"]), tuple(e["b"]))) == e["shape"]
    assert n > 20


# ---------------------------------------------------------------------------------------
# hypothesis: random broadcastable shapes x random dtype/kind pairs

sizes = st.integers(0, 4)


@st.composite
def broadcastable_pair(draw, min_dims=1):
    out = draw(st.lists(sizes, min_size=min_dims, max_size=4))
    shapes = []
    for _ in range(2):
        nd = draw(st.integers(min_dims, len(out)))
        tail = out[len(out) - nd:]
        shp = [1 if draw(st.booleans()) and draw(st.booleans()) else s for s in tail]
        shapes.append(tuple(shp))
    # make sure at least one operand carries the full rank half of the time
    if draw(st.booleans()):
        shapes[0] = tuple(out)
    return shapes[0], shapes[1]


@st.composite
def incompatible_pair(draw):
    a = draw(st.lists(sizes, min_size=1, max_size=4))
    b = draw(st.lists(sizes, min_size=1, max_size=4))
    # force at least one clash: pick an aligned position with two different non-1 sizes
    k = draw(st.integers(1, min(len(a), len(b))))
    sa = draw(st.sampled_from([0, 2, 3, 4]))
    sb = draw(st.sampled_from([s for s in (0, 2, 3, 4) if s != sa]))
    a[len(a) - k] = sa
    b[len(b) - k] = sb
    return tuple(a), tuple(b)


@SETTINGS
@given(shapes=broadcastable_pair(), case=st.sampled_from(OP_PAIRS))
def test_promotion_and_broadcast_hypothesis(shapes, case):
    op_name, key_a, key_b = case
    shape_a, shape_b = shapes
    if op_name in INPLACE:
        # the in-place result keeps a's shape: make b broadcast *to* a
        shape_a = tuple(np.broadcast_shapes(shape_a, shape_b))
        if key_a.startswith("0dim:") and key_b.startswith("tensor:"):
            return  # recorded as torch's shape error; covered by the exhaustive table test
    problems = check_binary(op_name, key_a, key_b, shape_a, shape_b)
    assert not problems, problems


@SETTINGS
@given(shapes=broadcastable_pair(min_dims=0))
def test_broadcast_shape_hypothesis(shapes):
    a, b = shapes
    want = tuple(np.broadcast_shapes(a, b))
    for op in (operator.add, operator.sub, operator.mul, operator.truediv, operator.lt,
               torch.maximum, torch.minimum):
        r = op(torch.ones(a), torch.ones(b))
        assert tuple(r.shape) == want, (op, a, b)
    r = torch.where(torch.ones(a, dtype=torch.bool), torch.ones(b), 0.0)
    assert tuple(r.shape) == want


@SETTINGS
@given(shapes=incompatible_pair(), op_name=st.sampled_from(["add", "mul", "div", "lt", "sub", "pow", "eq"]))
def test_broadcast_error_hypothesis(shapes, op_name):
    a, b = shapes
    with pytest.raises(RuntimeError) as info:
        OPS[op_name](torch.ones(a), torch.ones(b))
    assert str(info.value) == broadcast_error(a, b)


def shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


@SETTINGS
@given(shapes=broadcastable_pair(min_dims=0), op_name=st.sampled_from(["add_", "mul_", "div_"]))
def test_inplace_broadcast_hypothesis(shapes, op_name):
    """`a.op_(b)` keeps a's shape: fine when b broadcasts to a, else torch's output-shape error."""
    a_shape, b_shape = shapes
    a = torch.ones(a_shape)
    want = tuple(np.broadcast_shapes(a_shape, b_shape))
    if want == a_shape:
        r = OPS[op_name](a, torch.ones(b_shape))
        assert r is a and tuple(a.shape) == a_shape
    else:
        with pytest.raises(RuntimeError) as info:
            OPS[op_name](a, torch.ones(b_shape))
        assert str(info.value) == (f"output with shape {shape_text(a_shape)} doesn't match the broadcast "
                                   f"shape {shape_text(want)}")


@SETTINGS
@given(shapes=incompatible_pair())
def test_inplace_broadcast_incompatible_hypothesis(shapes):
    a, b = shapes
    with pytest.raises(RuntimeError) as info:
        torch.ones(a).add_(torch.ones(b))
    assert str(info.value) == broadcast_error(a, b)


@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.truediv])
def test_operator_operands_other_than_tensors_and_python_numbers(op):
    """The fast operator path: subclasses of Python numbers (NumPy's float64) act as the
    number; bool and complex scalars promote as in PyTorch; anything else is refused."""
    x = torch.tensor([1.0, 2.0])
    assert op(x, np.float64(2.0)).tolist() == op(x, 2.0).tolist()
    assert op(np.float64(2.0), x).tolist() == op(2.0, x).tolist()
    assert op(x, True).dtype is torch.float32
    assert op(x, 1j).dtype is torch.complex64
    for bad in ("a", [1.0], None, object()):
        with pytest.raises(TypeError):
            op(x, bad)
        with pytest.raises(TypeError):
            op(bad, x)
