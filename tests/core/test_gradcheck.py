"""Finite-difference gradient checks (float64) for every differentiable op of the core's first
surface.

Each case is `f(*inputs) -> tensor`; the check projects the output on a fixed random
cotangent W (so ops whose outputs sum to a constant, e.g. softmax, are still tested) and
compares `torch.autograd.grad((f(*x) * W).sum(), x)` with central differences.
Inputs are chosen away from kinks, ties and domain edges.
"""

import numpy as np
import pytest

import tshell.core as torch

RTOL, ATOL = 1e-5, 1e-7


def T(a):
    """A float64 tshell tensor from a numpy array / number (not requiring grad)."""
    a = np.asarray(a, dtype=np.float64)
    return torch.tensor(a.tolist(), dtype=torch.float64)


def to_np(t):
    return np.array(t.detach().tolist(), dtype=np.float64).reshape(tuple(t.shape))


def numeric_grad(f, inputs, eps=1e-6):
    """Central differences of the scalar `f(*inputs)` w.r.t. each float64 tensor input.

    Each evaluation builds fresh `torch.tensor(..., dtype=torch.float64)` inputs.
    Returns a list of numpy arrays shaped like the inputs.
    """
    arrays = [to_np(t) for t in inputs]
    grads = []
    for k, base in enumerate(arrays):
        g = np.zeros_like(base)
        flat = g.reshape(-1)
        for i in range(base.size):
            vals = []
            for sign in (+1, -1):
                pert = [a.copy() for a in arrays]
                pert[k].reshape(-1)[i] += sign * eps
                out = f(*[T(p) for p in pert])
                vals.append(float(out.item()))
            flat[i] = (vals[0] - vals[1]) / (2 * eps)
        grads.append(g)
    return grads


def projected(f, out_shape, seed=0):
    """Scalar function sum(f(*x) * W) with a fixed random W of the output's shape."""
    W = T(np.random.default_rng(seed).uniform(0.5, 1.5, size=out_shape))
    return lambda *xs: (f(*xs) * W).sum()


def check(f, *arrays, seed=0):
    inputs = [T(a).requires_grad_() for a in arrays]
    out = f(*inputs)
    assert out.dtype == torch.float64, out.dtype
    assert out.requires_grad
    g = projected(f, tuple(out.shape), seed)
    analytic = torch.autograd.grad(g(*inputs), inputs)
    numeric = numeric_grad(g, [T(a) for a in arrays])
    for k, (a, n) in enumerate(zip(analytic, numeric)):
        assert a is not None, f"gradient of input {k} is None"
        assert tuple(a.shape) == tuple(np.shape(arrays[k])), \
            f"input {k}: grad shape {tuple(a.shape)} != input shape {np.shape(arrays[k])}"
        assert a.dtype == torch.float64
        np.testing.assert_allclose(to_np(a), n, rtol=RTOL, atol=ATOL, err_msg=f"input {k}")


rng = np.random.default_rng(1234)


def R(*shape, lo=-2.0, hi=2.0):
    """Random values bounded away from 0 (sign-safe for abs/relu/sign)."""
    mag = rng.uniform(0.2, 1.0, size=shape) * (hi - lo) / 2
    sgn = rng.choice([-1.0, 1.0], size=shape)
    return mag * sgn if lo < 0 else rng.uniform(lo, hi, size=shape)


def P(*shape, lo=0.5, hi=2.0):
    """Positive random values."""
    return rng.uniform(lo, hi, size=shape)


def D(*shape):
    """Distinct values (no ties) in random order, well separated."""
    n = int(np.prod(shape)) if shape else 1
    v = rng.permutation(n).astype(np.float64) * 0.37 - 0.9 + rng.uniform(0, 0.05, n)
    return v.reshape(shape)


def F(*shape):
    """Values away from integers and half-integers (for floor/ceil/round)."""
    base = rng.integers(-3, 3, size=shape).astype(np.float64)
    return base + rng.choice([0.2, 0.3, 0.7, 0.8], size=shape)


MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
COND = np.array([[True, False, False, True], [False, True, True, False], [True, True, False, False]])

CASES = {
    # ---- arithmetic, incl. broadcasting (grad reduced to operand shape)
    "add": (lambda x, y: x + y, R(3, 4), R(3, 4)),
    "add_bcast_row": (lambda x, y: x + y, R(3, 4), R(4)),
    "add_bcast_outer": (lambda x, y: x + y, R(3, 1), R(1, 4)),
    "add_bcast_3d": (lambda x, y: x + y, R(2, 3, 4), R(3, 1)),
    "add_0dim": (lambda x, y: x + y, R(3, 4), np.array(0.7)),
    "add_scalar": (lambda x: x + 2, R(3, 4)),
    "radd_scalar": (lambda x: 2 + x, R(3, 4)),
    "add_alpha": (lambda x, y: torch.add(x, y, alpha=2.5), R(3, 4), R(4)),
    "add_method": (lambda x, y: x.add(y), R(2, 3), R(2, 1)),
    "sub": (lambda x, y: x - y, R(3, 4), R(3, 4)),
    "sub_bcast": (lambda x, y: x - y, R(4), R(3, 1)),
    "rsub_scalar": (lambda x: 2 - x, R(3, 4)),
    "sub_fn": (lambda x, y: torch.sub(x, y), R(2, 3), R(3)),
    "mul": (lambda x, y: x * y, R(3, 4), R(3, 4)),
    "mul_bcast": (lambda x, y: x * y, R(2, 3, 4), R(4)),
    "mul_self": (lambda x: x * x, R(3, 4)),
    "mul_scalar": (lambda x: 3 * x, R(3, 4)),
    "mul_fn": (lambda x, y: torch.mul(x, y), R(3, 1), R(1, 4)),
    "div": (lambda x, y: x / y, R(3, 4), R(3, 4)),
    "div_bcast": (lambda x, y: x / y, R(3, 4), R(3, 1)),
    "rdiv_scalar": (lambda x: 2 / x, R(3, 4)),
    "div_scalar": (lambda x: x / 3, R(3, 4)),
    "div_fn": (lambda x, y: torch.div(x, y), R(4), R(2, 4)),
    "true_divide": (lambda x, y: torch.true_divide(x, y), R(3, 4), R(4)),
    "true_divide_method": (lambda x, y: x.true_divide(y), R(3, 4), R(3, 4)),
    "pow_scalar_exp": (lambda x: x ** 2.5, P(3, 4)),
    "pow_int_exp": (lambda x: x ** 3, R(3, 4)),
    "pow_neg_exp": (lambda x: x ** -1.5, P(3, 4)),
    "pow_sqrt": (lambda x: x.pow(0.5), P(3, 4)),
    "pow_square": (lambda x: torch.pow(x, 2), R(3, 4)),
    "rpow_scalar_base": (lambda x: 2.0 ** x, R(3, 4)),
    "rpow_fn": (lambda x: torch.pow(1.7, x), R(3, 4)),
    "pow_tensor_tensor": (lambda x, y: x ** y, P(3, 4), R(3, 4)),
    "pow_tensor_bcast": (lambda x, y: torch.pow(x, y), P(3, 4), R(4)),
    "pow_self": (lambda x: x ** x, P(3, 4)),
    "neg": (lambda x: -x, R(3, 4)),
    "neg_fn": (lambda x: torch.neg(x), R(3, 4)),
    # ---- matrix products
    "matmul_2d": (lambda a, b: a @ b, R(3, 4), R(4, 2)),
    "matmul_dot": (lambda a, b: a @ b, R(5), R(5)),
    "matmul_mv": (lambda a, b: torch.matmul(a, b), R(3, 4), R(4)),
    "matmul_vm": (lambda a, b: a.matmul(b), R(3), R(3, 4)),
    "matmul_batched": (lambda a, b: a @ b, R(2, 3, 4), R(2, 4, 2)),
    "matmul_batch_bcast": (lambda a, b: a @ b, R(2, 3, 4), R(4, 2)),
    "matmul_batch_bcast2": (lambda a, b: a @ b, R(2, 1, 3, 4), R(3, 4, 2)),
    "matmul_vec_batch": (lambda a, b: a @ b, R(4), R(2, 4, 3)),
    "mm": (lambda a, b: torch.mm(a, b), R(3, 4), R(4, 2)),
    "mm_method": (lambda a, b: a.mm(b), R(2, 3), R(3, 3)),
    "bmm": (lambda a, b: torch.bmm(a, b), R(2, 3, 4), R(2, 4, 2)),
    # ---- elementwise
    "abs": (lambda x: x.abs(), R(3, 4)),
    "abs_fn": (lambda x: torch.abs(x), R(3, 4)),
    "exp": (lambda x: x.exp(), R(3, 4)),
    "log": (lambda x: torch.log(x), P(3, 4)),
    "log1p": (lambda x: x.log1p(), P(3, 4, lo=-0.5, hi=2.0)),
    "sqrt": (lambda x: x.sqrt(), P(3, 4)),
    "rsqrt": (lambda x: torch.rsqrt(x), P(3, 4)),
    "sin": (lambda x: x.sin(), R(3, 4)),
    "cos": (lambda x: torch.cos(x), R(3, 4)),
    "tan": (lambda x: x.tan(), R(3, 4, lo=-1.2, hi=1.2)),
    "tanh": (lambda x: torch.tanh(x), R(3, 4)),
    "sigmoid": (lambda x: x.sigmoid(), R(3, 4)),
    "sigmoid_fn": (lambda x: torch.sigmoid(x), R(3, 4)),
    "relu": (lambda x: x.relu(), R(3, 4)),
    "relu_fn": (lambda x: torch.relu(x), R(3, 4)),
    "clamp_min_max": (lambda x: x.clamp(-0.5, 0.5), D(3, 4) + 0.01),
    "clamp_min_kw": (lambda x: x.clamp(min=0.05), D(3, 4) + 0.01),
    "clamp_max_kw": (lambda x: torch.clamp(x, max=0.05), D(3, 4) + 0.01),
    "clip": (lambda x: x.clip(-0.5, 0.5), D(3, 4) + 0.01),
    "clip_fn": (lambda x: torch.clip(x, min=-0.3), D(3, 4) + 0.01),
    "floor": (lambda x: x.floor() + x, F(3, 4)),
    "ceil": (lambda x: torch.ceil(x) * x, F(3, 4)),
    "round": (lambda x: x.round() * x, F(3, 4)),
    "sign": (lambda x: x.sign() * x, R(3, 4)),
    "reciprocal": (lambda x: x.reciprocal(), R(3, 4)),
    "reciprocal_fn": (lambda x: torch.reciprocal(x), R(3, 4)),
    "maximum": (lambda x, y: torch.maximum(x, y), D(3, 4), D(3, 4) + 0.11),
    "maximum_bcast": (lambda x, y: torch.maximum(x, y), D(3, 4), D(4) + 0.11),
    "minimum": (lambda x, y: torch.minimum(x, y), D(3, 4), D(3, 4) + 0.11),
    "minimum_bcast": (lambda x, y: x.minimum(y), D(3, 1) + 0.05, D(3, 4) + 0.11),
    "where": (lambda x, y: torch.where(T(COND) > 0, x, y), R(3, 4), R(3, 4)),
    "where_bcast": (lambda x, y: torch.where(T(COND) > 0, x, y), R(4), R(3, 1)),
    "where_scalar": (lambda x: torch.where(T(COND) > 0, x, 0.0), R(3, 4)),
    "softmax_last": (lambda x: x.softmax(-1), R(3, 4)),
    "softmax_dim0": (lambda x: torch.softmax(x, dim=0), R(3, 4)),
    "softmax_3d": (lambda x: x.softmax(dim=1), R(2, 3, 4)),
    "log_softmax_last": (lambda x: x.log_softmax(-1), R(3, 4)),
    "log_softmax_dim0": (lambda x: torch.log_softmax(x, dim=0), R(3, 4)),
    # ---- reductions
    "sum": (lambda x: x.sum(), R(3, 4)),
    "sum_dim": (lambda x: x.sum(1), R(3, 4)),
    "sum_dim_keep": (lambda x: x.sum(dim=0, keepdim=True), R(3, 4)),
    "sum_dim_tuple": (lambda x: torch.sum(x, dim=(0, 2)), R(2, 3, 4)),
    "sum_neg_dim": (lambda x: x.sum(-1), R(2, 3, 4)),
    "mean": (lambda x: x.mean(), R(3, 4)),
    "mean_dim": (lambda x: x.mean(0), R(3, 4)),
    "mean_dim_keep": (lambda x: torch.mean(x, dim=1, keepdim=True), R(3, 4)),
    "mean_dim_tuple": (lambda x: x.mean((1, 2)), R(2, 3, 4)),
    "prod": (lambda x: x.prod(), P(2, 3, lo=0.5, hi=1.5)),
    "prod_dim": (lambda x: x.prod(1), R(3, 4)),
    "prod_one_zero": (lambda x: x.prod(), np.array([0.5, 0.0, 1.5, -2.0])),
    "prod_dim_one_zero": (lambda x: torch.prod(x, 0), np.array([[0.5, 1.0], [0.0, 2.0], [1.5, -1.0]])),
    "max_full": (lambda x: x.max(), D(3, 4)),
    "max_dim": (lambda x: x.max(1)[0], D(3, 4)),
    "max_dim_values_keep": (lambda x: x.max(dim=0, keepdim=True).values, D(3, 4)),
    "max_fn_dim": (lambda x: torch.max(x, -1).values, D(2, 3, 4)),
    "min_full": (lambda x: torch.min(x), D(3, 4)),
    "min_dim": (lambda x: x.min(0)[0], D(3, 4)),
    "min_dim_values": (lambda x: x.min(dim=1).values, D(3, 4)),
    "std": (lambda x: x.std(), R(3, 4)),
    "std_dim": (lambda x: x.std(1), R(3, 4)),
    "std_dim_keep": (lambda x: torch.std(x, dim=0, keepdim=True), R(3, 4)),
    "var": (lambda x: x.var(), R(3, 4)),
    "var_dim": (lambda x: torch.var(x, 0), R(3, 4)),
    "var_biased": (lambda x: x.var(dim=1, unbiased=False), R(3, 4)),
    "norm": (lambda x: x.norm(), R(3, 4)),
    "norm_dim": (lambda x: x.norm(dim=1), R(3, 4)),
    "norm_fn": (lambda x: torch.norm(x), R(5)),
    "norm_p1": (lambda x: x.norm(p=1), R(3, 4)),
    "cumsum": (lambda x: x.cumsum(0), R(3, 4)),
    "cumsum_dim1": (lambda x: torch.cumsum(x, dim=1), R(3, 4)),
    # ---- shape ops
    "view": (lambda x: x.view(4, 3), R(3, 4)),
    "view_neg1": (lambda x: x.view(-1, 2), R(3, 4)),
    "reshape": (lambda x: x.reshape(2, 6), R(3, 4)),
    "reshape_noncontig": (lambda x: x.t().reshape(12), R(3, 4)),
    "reshape_fn": (lambda x: torch.reshape(x, (6, -1)), R(3, 4)),
    "flatten": (lambda x: x.flatten(), R(2, 3, 4)),
    "flatten_start": (lambda x: torch.flatten(x, 1), R(2, 3, 4)),
    "squeeze": (lambda x: x.squeeze(), R(3, 1, 4)),
    "squeeze_dim": (lambda x: x.squeeze(1), R(3, 1, 4)),
    "unsqueeze": (lambda x: x.unsqueeze(1), R(3, 4)),
    "unsqueeze_fn": (lambda x: torch.unsqueeze(x, -1), R(3, 4)),
    "t": (lambda x: x.t(), R(3, 4)),
    "t_fn": (lambda x: torch.t(x), R(3, 4)),
    "T": (lambda x: x.T, R(3, 4)),
    "transpose": (lambda x: x.transpose(0, 2), R(2, 3, 4)),
    "transpose_fn": (lambda x: torch.transpose(x, 0, 1), R(3, 4)),
    "permute": (lambda x: x.permute(2, 0, 1), R(2, 3, 4)),
    "permute_tuple": (lambda x: x.permute((1, 2, 0)), R(2, 3, 4)),
    "expand": (lambda x: x.expand(2, 3, 4), R(3, 1)),
    "expand_neg1": (lambda x: x.expand(-1, 4), R(3, 1)),
    "expand_as": (lambda x, y: x.expand_as(y) * y, R(4), R(3, 4)),
    "repeat": (lambda x: x.repeat(2, 3), R(2, 3)),
    "repeat_newdim": (lambda x: x.repeat(2, 1, 2), R(2, 3)),
    "contiguous": (lambda x: x.t().contiguous(), R(3, 4)),
    "clone": (lambda x: x.clone(), R(3, 4)),
    "cat0": (lambda x, y: torch.cat([x, y]), R(2, 4), R(3, 4)),
    "cat1": (lambda x, y, z: torch.cat((x, y, z), dim=1), R(3, 1), R(3, 2), R(3, 4)),
    "cat_neg": (lambda x, y: torch.cat([x, y], -1), R(2, 3), R(2, 2)),
    "stack0": (lambda x, y: torch.stack([x, y]), R(3, 4), R(3, 4)),
    "stack1": (lambda x, y, z: torch.stack((x, y, z), dim=1), R(3, 4), R(3, 4), R(3, 4)),
    "chunk": (lambda x: torch.cat([c * (i + 1) for i, c in enumerate(x.chunk(3))]), R(6, 2)),
    "chunk_dim1_uneven": (lambda x: x.chunk(2, dim=1)[1] * 2 + x.chunk(2, dim=1)[0][:, :1], R(3, 5)),
    "split_int": (lambda x: x.split(2)[1] ** 2, R(5, 3)),
    "split_list": (lambda x: torch.cat([p * (i + 2) for i, p in enumerate(torch.split(x, [1, 3], dim=1))], 1), R(2, 4)),
    # ---- indexing
    "index_int": (lambda x: x[1], R(3, 4)),
    "index_neg_int": (lambda x: x[-1], R(3, 4)),
    "index_2int": (lambda x: x[1, 2], R(3, 4)),
    "index_col": (lambda x: x[:, 1], R(3, 4)),
    "index_slice": (lambda x: x[1:3], R(4, 3)),
    "index_step": (lambda x: x[::2, 1::2], R(5, 4)),
    "index_ellipsis": (lambda x: x[..., 1], R(2, 3, 4)),
    "index_none": (lambda x: x[None, :, None], R(3, 4)),
    "index_mask": (lambda x: x[T(MASK) > 0], R(3, 4)),
    "index_mask_rows": (lambda x: x[torch.tensor([True, False, True])], R(3, 4)),
    "index_tensor_repeated": (lambda x: x[torch.tensor([0, 2, 0, 0])], R(3, 4)),
    "index_tensor_col": (lambda x: x[:, torch.tensor([3, 1, 1])], R(3, 4)),
    "index_two_tensors": (lambda x: x[torch.tensor([0, 2, 2]), torch.tensor([1, 3, 3])], R(3, 4)),
    "index_list": (lambda x: x[[2, 0]], R(3, 4)),
    # ---- setitem / in-place on non-leaf clones
    "setitem_row": (lambda x, v: _setitem(x, 0, v), R(3, 4), R(4)),
    "setitem_scalar": (lambda x: _setitem(x, (1, 2), 5.0), R(3, 4)),
    "setitem_slice_bcast": (lambda x, v: _setitem(x, (slice(None), 1), v), R(3, 4), np.array(0.3)),
    "setitem_mask": (lambda x: _setitem(x, T(MASK) > 0, 0.0), R(3, 4)),
    "setitem_index_tensor": (lambda x, v: _setitem(x, torch.tensor([2, 0]), v), R(3, 4), R(2, 4)),
    "iadd_nonleaf": (lambda x, y: x.clone().add_(y), R(3, 4), R(3, 4)),
    "iadd_bcast": (lambda x, y: (x * 1).add_(y), R(3, 4), R(4)),
    "imul_nonleaf": (lambda x, y: x.clone().mul_(y), R(3, 4), R(3, 4)),
    "imul_scalar_then_use": (lambda x: _imul_chain(x), R(3, 4)),
    "isub_idiv": (lambda x, y: x.clone().sub_(y).div_(y), R(3, 4), R(3, 4)),
    "ipow": (lambda x: x.clone().pow_(2), R(3, 4)),
    "inplace_through_view": (lambda x, y: _inplace_view(x, y), R(3, 4), R(4)),
    # ---- functional spellings and graphs with shared inputs
    "exp_fn": (lambda x: torch.exp(x), R(3, 4)),
    "log1p_fn": (lambda x: torch.log1p(x), P(3, 4)),
    "sqrt_fn": (lambda x: torch.sqrt(x), P(3, 4)),
    "sin_fn": (lambda x: torch.sin(x), R(3, 4)),
    "tan_fn": (lambda x: torch.tan(x), R(3, 4, lo=-1.2, hi=1.2)),
    "tanh_method": (lambda x: x.tanh(), R(3, 4)),
    "floor_fn_round_fn": (lambda x: (torch.floor(x) + torch.round(x) + x.ceil() + torch.sign(x)) * x, F(3, 4)),
    "max_fn_full": (lambda x: torch.max(x) * x, D(3, 4)),
    "multi_branch": (lambda x, y: x.exp() * y + x.sin() - (x @ y.t()).sum(1, keepdim=True), R(3, 4), R(3, 4)),
    "mlp_like": (lambda x, w, b: ((x @ w + b).relu() @ w.t()).sigmoid().log_softmax(1),
                 R(5, 3), R(3, 3), R(3)),
    # ---- ops applied to non-contiguous views of the inputs
    "exp_of_t": (lambda x: x.t().exp(), R(3, 4)),
    "matmul_of_t": (lambda a, b: a.t() @ b.t(), R(4, 3), R(2, 4)),
    "softmax_of_t": (lambda x: x.t().softmax(0), R(3, 4)),
    "sum_of_permuted": (lambda x: x.permute(2, 0, 1).sum(1), R(2, 3, 4)),
    "expand_then_mul": (lambda x, y: x.expand(2, 3, 4) * y, R(3, 1), R(2, 3, 4)),
    "slice_then_reshape": (lambda x: x[:, 1:3].reshape(-1) ** 2, R(3, 4)),
    "step_slice_then_view_ops": (lambda x: x[::2].t().unsqueeze(0).sin(), R(5, 3)),
    "cumsum_of_t": (lambda x: x.t().cumsum(1), R(3, 4)),
    "index_of_t": (lambda x: x.t()[torch.tensor([0, 2, 2])], R(3, 4)),
    "max_of_t": (lambda x: x.t().max(1).values, D(3, 4)),
    "cat_of_t": (lambda x, y: torch.cat([x.t(), y], 0), R(3, 4), R(2, 3)),
    "setitem_through_t": (lambda x, v: _setitem_t(x, v), R(3, 4), R(3)),
    # ---- more reductions, edge shapes and index forms
    "std_dim_tuple": (lambda x: x.std(dim=(0, 1)), R(2, 3, 4)),
    "var_correction0": (lambda x: x.var(correction=0), R(3, 4)),
    "norm_p3": (lambda x: x.norm(p=3), R(3, 4)),
    "norm_dim_tuple": (lambda x: x.norm(dim=(0, 1)), R(2, 3, 4)),
    "prod_two_zeros": (lambda x: x.prod() + x.sum(), np.array([0.5, 0.0, 1.5, 0.0])),
    "gram": (lambda x: x @ x.t(), R(3, 4)),
    "where_self_cond": (lambda x: torch.where(x > 0, x, 0.1 * x), R(3, 4)),
    "sum_0dim": (lambda x: x.sum() * x, np.array(0.7)),
    "mean_0dim": (lambda x: (x * 3).mean(), np.array(-0.4)),
    "empty_slice_sum": (lambda x: x[2:2].sum() + x[1:].sum(), R(4, 3)),
    "softmax_size1_dim": (lambda x: x.softmax(1) * x, R(3, 1)),
    "cumsum_neg_dim": (lambda x: x.cumsum(-1) ** 2, R(2, 3, 4)),
    "expand_neg_keep": (lambda x: x.expand(3, -1) ** 2, R(4)),
    "repeat_1d": (lambda x: x.repeat(3) ** 2, R(4)),
    "stack_neg_dim": (lambda x, y: torch.stack([x, y], -1), R(3, 4), R(3, 4)),
    "split_neg_dim_uneven": (lambda x: x.split(3, dim=-1)[1] * 3 + x.split(3, dim=-1)[0][:, :1], R(2, 5)),
    "index_slice_and_list": (lambda x: x[1:, [0, 2]], R(3, 4)),
    "index_ellipsis_none": (lambda x: x[..., None] * 2, R(3, 4)),
    "index_neg_row_step": (lambda x: x[-1, ::2], R(3, 4)),
    "index_0dim_tensor": (lambda x: x[torch.tensor(1)], R(3, 4)),
    "index_neg_tensor": (lambda x: x[torch.tensor([-1, 0, -1])], R(3, 4)),
    "index_self_mask": (lambda x: x[x > 0] ** 2, R(3, 4)),
    "index_bool_list_rows": (lambda x: x[[True, False, True]], R(3, 4)),
    # ---- conversions
    "to_float64": (lambda x: x.to(torch.float64) * 2, R(3, 4)),
    "double": (lambda x: x.double() * x, R(3, 4)),
    "to_dtype_kw": (lambda x: x.to(dtype=torch.float64).exp(), R(3, 4)),
    "unfold": (lambda x: x.unfold(1, 3, 2) * 1.0, R(2, 7)),
    "unfold_step_past_size": (lambda x: x.unfold(0, 2, 3), R(8, 2)),
    # ---- the nn ops of issue 17's second batch (targets and windows fixed)
    "multi_margin_loss": (lambda x, w: torch.nn.functional.multi_margin_loss(
        x, torch.tensor([1, 0, 3]), p=2, margin=0.7, weight=w, reduction="none"),
        R(3, 4, lo=-0.3, hi=0.3), P(4)),
    "multilabel_margin_loss": (lambda x: torch.nn.functional.multilabel_margin_loss(
        x, torch.tensor([[1, 0, -1, 2], [3, -1, 0, 0], [0, 1, 2, 3]]), reduction="sum"),
        R(3, 4, lo=-0.3, hi=0.3)),
    "triplet_margin_with_distance_loss": (
        lambda a, p, n: torch.nn.functional.triplet_margin_with_distance_loss(
            a, p, n, distance_function=lambda x, y: (x - y).pow(2).sum(-1), margin=3.0,
            swap=True, reduction="none"), R(2, 3), R(2, 3), R(2, 3)),
    "linear_cross_entropy": (lambda x, w, b: torch.nn.functional.linear_cross_entropy(
        x, w, torch.tensor([1, 0, 4]), linear_bias=b, label_smoothing=0.1), R(3, 4), R(5, 4),
        R(5)),
    "linear_cross_entropy_chunked": (lambda x, w: torch.nn.functional.linear_cross_entropy(
        x, w, torch.tensor([1, 0, 4]), reduction="none",
        options=torch.nn.LinearCrossEntropyOptions()), R(3, 4), R(5, 4)),
    "local_response_norm": (lambda x: torch.nn.functional.local_response_norm(
        x, 3, alpha=0.5, beta=0.75, k=1.0), R(2, 5, 3)),
    "native_group_norm_stats": (lambda x: torch.stack(torch.native_group_norm(
        x, None, None, 2, 4, 3, 2, 1e-5)[1:]), R(2, 4, 3)),
    "native_batch_norm": (lambda x, w, b: torch.native_batch_norm(
        x, w, b, None, None, True, 0.1, 1e-5)[0], R(3, 2, 4), P(2), R(2)),
    "native_layer_norm": (lambda x, w: torch.native_layer_norm(x, [4], w, None, 1e-5)[0],
                          R(3, 4), P(4)),
    "instance_norm_3d": (lambda x: torch.nn.InstanceNorm3d(2)(x), R(1, 2, 2, 2, 2)),
    "batch_norm_3d": (lambda x: torch.nn.BatchNorm3d(2)(x), R(2, 2, 2, 1, 2)),
    "adaptive_log_softmax_log_prob": (lambda x: _adaptive().log_prob(x), R(3, 4)),
    "adaptive_log_softmax_loss": (lambda x: _adaptive()(x, torch.tensor([0, 3, 5])).loss,
                                  R(3, 4)),
    "pairwise_distance_module": (lambda a, b: torch.nn.PairwiseDistance(p=3)(a, b), R(3, 4),
                                 R(3, 4)),
}


def _adaptive():
    """An AdaptiveLogSoftmaxWithLoss (4 features, 6 classes, clusters at 2 and 4) with fixed
    float64 weights."""
    m = torch.nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2, 4], div_value=2.0, dtype=torch.float64)
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(torch.linspace(-0.5, 0.5, p.numel(), dtype=torch.float64).view(p.shape)
                    * (i + 1))
    return m


# ---- complex ops, through real coordinates: re and im in, view_as_real (or a real result)
# out, so central differences check the conjugate Wirtinger gradients PyTorch defines. They
# draw from their own generator, so that the cases declared after them (and in the modules
# that import R) keep their inputs.
_complex_rng = np.random.default_rng(2026)


def _part():
    """A real or imaginary part: values of either sign, 0.4 to 2 in size."""
    return _complex_rng.uniform(0.4, 2.0, (2, 3)) * _complex_rng.choice([-1.0, 1.0], (2, 3))


def _w():
    """A complex constant, made on the default device when a case runs (the device checks
    of test_gradcheck_device.py rerun these cases)."""
    return torch.tensor([[0.5 - 1j, 2 + 0.25j, -1 + 1j], [1j, 0.3 - 0.7j, 1.5 + 0j]],
                        dtype=torch.complex128)


_COMPLEX_OPS = {
    "mul": lambda z: z * _w(), "mul_self": lambda z: z * z, "div": lambda z: _w() / z,
    "div_by": lambda z: z / _w(), "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
    "pow": lambda z: z.pow(3), "pow_complex": lambda z: z ** (1.5 + 0.5j),
    "pow_tensor": lambda z: z.pow(_w()), "square": torch.square,
    "reciprocal": torch.reciprocal, "sin": torch.sin, "cos": torch.cos, "tan": torch.tan,
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "sinh": torch.sinh, "cosh": torch.cosh,
    "rsqrt": torch.rsqrt, "log1p": torch.log1p, "expm1": torch.expm1, "log2": torch.log2,
    "log10": torch.log10, "conj": lambda z: z.conj() * _w(),
    "conj_physical": lambda z: z.conj_physical() * _w(), "sgn": torch.sgn,
    "mean_sum": lambda z: z.sum(0) * z.mean(), "matmul": lambda z: z @ _w().mT,
    "mH": lambda z: z.mH @ _w(), "polar": lambda z: torch.polar(z.abs(), z.angle() * 2),
}
_COMPLEX_TO_REAL = {
    "abs": torch.abs, "angle": torch.angle, "real": lambda z: z.real * z.imag,
    "view_as_real": lambda z: torch.view_as_real(z * _w()).sum(-1),
    "view_as_complex": lambda z: torch.view_as_complex(torch.view_as_real(z) * 2).abs(),
}
for _name, _op in _COMPLEX_OPS.items():
    CASES[f"complex_{_name}"] = (
        lambda re, im, op=_op: torch.view_as_real(op(torch.complex(re, im))), _part(), _part())
for _name, _op in _COMPLEX_TO_REAL.items():
    CASES[f"complex_{_name}"] = (lambda re, im, op=_op: op(torch.complex(re, im)), _part(),
                                 _part())
CASES["complex_times_real"] = (lambda x, y: torch.view_as_real(x * _w() + y), _part(), _part())


def _setitem(x, idx, v):
    y = x.clone()
    y[idx] = v
    return y * 1.5


def _setitem_t(x, v):
    y = x.clone()
    y.t()[1] = v
    return y.exp()


def _imul_chain(x):
    y = x * 1
    y.mul_(3)
    return y * x


def _inplace_view(x, y):
    z = x * 2
    z[1].mul_(y)
    z[:, 0].add_(1.0)
    return z


@pytest.mark.parametrize("name", list(CASES))
def test_gradcheck(name):
    f, *arrays = CASES[name]
    check(f, *arrays)


def test_to_float32_and_back_grad_dtype():
    x = T(R(3)).requires_grad_()
    y = x.float()
    assert y.dtype == torch.float32
    (y * 2).sum().backward()
    assert x.grad.dtype == torch.float64
    np.testing.assert_allclose(to_np(x.grad), [2.0, 2.0, 2.0])


def test_max_min_unpack_indices_not_differentiable():
    x = T(D(3, 4)).requires_grad_()
    values, indices = x.max(1)
    assert not indices.requires_grad
    assert indices.dtype == torch.int64
    values.sum().backward()
    g = to_np(x.grad)
    xs = to_np(x)
    want = (xs == xs.max(1, keepdims=True)).astype(float)
    np.testing.assert_array_equal(g, want)


def test_grad_accumulates_over_broadcast_use():
    x = T(R(4)).requires_grad_()
    ((x + T(R(3, 4))) * 2).sum().backward()
    np.testing.assert_allclose(to_np(x.grad), np.full(4, 6.0))
    (x * 1).sum().backward()
    np.testing.assert_allclose(to_np(x.grad), np.full(4, 7.0))


# ---------------------------------------------------------------------------------------
# second (and third) derivatives with create_graph=True

def first_grad(f):
    """x -> sum_k d f / d x_k as tensors (computed by autograd with create_graph)."""
    def g(*xs):
        xs = [x if x.requires_grad else x.detach().requires_grad_() for x in xs]
        out = f(*xs)
        return torch.autograd.grad(out, xs, create_graph=True)
    return g


def check_second(f, *arrays, seed=1):
    """Compare d/dx sum(W * df/dx) (autograd twice) with finite differences of df/dx."""
    n = len(arrays)
    g1 = first_grad(f)
    Ws = [T(np.random.default_rng(seed + k).uniform(0.5, 1.5, size=np.shape(a))) for k, a in enumerate(arrays)]

    def s(*xs):
        gs = g1(*xs)
        return sum((g * w).sum() for g, w in zip(gs, Ws))

    inputs = [T(a).requires_grad_() for a in arrays]
    gs = g1(*inputs)
    for g in gs:
        assert g.requires_grad, "first derivative with create_graph=True must require grad"
    second = torch.autograd.grad(sum((g * w).sum() for g, w in zip(gs, Ws)), inputs)
    numeric = numeric_grad(s, [T(a) for a in arrays], eps=1e-5)
    assert len(second) == n
    for k, (a, num) in enumerate(zip(second, numeric)):
        assert tuple(a.shape) == tuple(np.shape(arrays[k]))
        np.testing.assert_allclose(to_np(a), num, rtol=1e-5, atol=1e-6, err_msg=f"input {k}")


SOFTMAX_W = R(3, 4)

SECOND = {
    "exp": (lambda x: x.exp().sum(), R(3, 4)),
    "log": (lambda x: (x.log() * x).sum(), P(3, 4)),
    "pow_scalar": (lambda x: (x ** 3).sum(), R(3, 4)),
    "pow_frac": (lambda x: (x ** 2.5).sum(), P(3, 4)),
    "pow_tensor": (lambda x, y: (x ** y).sum(), P(3, 4), R(3, 4)),
    "rpow": (lambda x: (2.0 ** x).sum(), R(3, 4)),
    "mul": (lambda x, y: (x * y * x).sum(), R(3, 4), R(4)),
    "div": (lambda x, y: (x / y).sum(), R(3, 4), R(3, 4)),
    "tanh": (lambda x: torch.tanh(x).sum(), R(3, 4)),
    "sigmoid": (lambda x: x.sigmoid().sum(), R(3, 4)),
    "matmul": (lambda a, b: ((a @ b) ** 2).sum(), R(3, 4), R(4, 2)),
    "mean": (lambda x: x.mean(0).pow(2).sum() + x.mean() ** 2, R(3, 4)),
    "sum": (lambda x: x.sum(1).pow(2).sum() + x.sum() ** 3, R(3, 4)),
    "softmax": (lambda x: (x.softmax(-1) * T(SOFTMAX_W)).sum(), R(3, 4)),
    "sqrt": (lambda x: x.sqrt().sum(), P(3, 4)),
    "sin": (lambda x: (x.sin() * x).sum(), R(3, 4)),
    "cos_tan": (lambda x: (x.cos() * x.tan()).sum(), R(3, 4, lo=-1.2, hi=1.2)),
    "log_softmax": (lambda x: (x.log_softmax(1) * T(SOFTMAX_W)).sum(), R(3, 4)),
    "std": (lambda x: x.std(1).sum() + x.std(), R(3, 4)),
    "var": (lambda x: x.var(0).pow(2).sum(), R(3, 4)),
    "norm": (lambda x: x.norm() + x.norm(dim=1).sum(), R(3, 4)),
    "prod": (lambda x: x.prod(1).sum(), R(3, 4)),
    "rsqrt_reciprocal": (lambda x: (x.rsqrt() + x.reciprocal()).sum(), P(3, 4)),
    "log1p": (lambda x: x.log1p().sum(), P(3, 4)),
    "abs_relu": (lambda x: (x.abs() * x.relu() * x).sum(), R(3, 4)),
    "clamp": (lambda x: (x.clamp(-0.5, 0.5) * x).sum(), D(3, 4) + 0.01),
    "max_min": (lambda x: (x.max(1).values ** 2).sum() + x.min() ** 3, D(3, 4)),
    "maximum_where": (lambda x, y: (torch.maximum(x, y) * torch.where(T(COND) > 0, x, y)).sum(), D(3, 4), D(3, 4) + 0.11),
    "bmm_batched_matmul": (lambda a, b: (torch.bmm(a, b) ** 2).sum() + ((a @ b[0]) ** 2).sum(), R(2, 3, 4), R(2, 4, 3)),
    "shape_ops": (lambda x: (torch.cat([x.t(), x[:1].t()], 1).reshape(-1).unsqueeze(0).expand(2, -1) ** 2).sum(), R(3, 4)),
    "index_setitem": (lambda x: (_setitem(x, torch.tensor([0, 2]), x[1] ** 2)[x > 0] ** 2).sum(), R(3, 4)),
    "cumsum_stack_repeat": (lambda x: (torch.stack([x.cumsum(0), x.repeat(1, 1)]) ** 3).sum(), R(3, 4)),
    "inplace_nonleaf": (lambda x: (x.clone().mul_(x).add_(x) ** 2).sum(), R(3, 4)),
    "softmax_dim0_mean": (lambda x: (x.softmax(0) ** 2).mean(), R(3, 4)),
    "unfold_overlapping": (lambda x: (x.unfold(1, 3, 2) ** 3).sum(), R(2, 7)),
    "local_response_norm": (lambda x: (torch.nn.functional.local_response_norm(x, 2, 0.5)
                                       * T(SOFTMAX_W).view(1, 3, 4)).sum(), R(1, 3, 4)),
}


@pytest.mark.parametrize("name", list(SECOND))
def test_second_derivative(name):
    f, *arrays = SECOND[name]
    check_second(f, *arrays)


def test_third_derivative_cube():
    xs = R(5)
    x = T(xs).requires_grad_()
    y = (x ** 3).sum()
    (g1,) = torch.autograd.grad(y, x, create_graph=True)
    (g2,) = torch.autograd.grad(g1.sum(), x, create_graph=True)
    (g3,) = torch.autograd.grad(g2.sum(), x)
    np.testing.assert_allclose(to_np(g1), 3 * xs ** 2, rtol=1e-12)
    np.testing.assert_allclose(to_np(g2), 6 * xs, rtol=1e-12)
    np.testing.assert_allclose(to_np(g3), np.full(5, 6.0), rtol=1e-12)


def test_third_derivative_exp():
    xs = R(4)
    x = T(xs).requires_grad_()
    g = x.exp().sum()
    for _ in range(3):
        (g,) = torch.autograd.grad(g.sum() if g.dim() else g, x, create_graph=True)
    np.testing.assert_allclose(to_np(g), np.exp(xs), rtol=1e-12)


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch warns about a reference cycle here
def test_backward_create_graph_then_double_backward():
    xs = R(3)
    x = T(xs).requires_grad_()
    (x ** 3).sum().backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    (g2,) = torch.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(to_np(g2), 6 * xs, rtol=1e-12)


def test_grad_outputs_and_retain_graph():
    xs = R(3, 2)
    x = T(xs).requires_grad_()
    y = x * x
    v = T(np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]]))
    (g,) = torch.autograd.grad(y, x, grad_outputs=v, retain_graph=True)
    np.testing.assert_allclose(to_np(g), 2 * xs * to_np(v), rtol=1e-12)
    (g,) = torch.autograd.grad(y.sum(), [x])
    np.testing.assert_allclose(to_np(g), 2 * xs, rtol=1e-12)


def test_derivative_formulas_as_pytorch_writes_them():
    # Expected strings from torch 2.13 CPU: the backward formulas are PyTorch's own
    # (div_tensor_other_backward, std/var_backward, prod_backward, norm_backward), so
    # create_graph shows the same grad_fn and the same float32 roundings.
    x = torch.tensor([[1., 2., 7.], [3., 4., 0.5]], requires_grad=True)
    w = torch.tensor([[0.3], [1.7]], requires_grad=True)
    gx, gw = torch.autograd.grad((x / w).sum(), [x, w], create_graph=True)
    assert str(gw) == "tensor([[-111.1111],\n        [  -2.5952]], grad_fn=<SumBackward1>)"
    assert str(torch.autograd.grad((gw * gw).sum(), [x, w])) == (
        "(tensor([[2.4691e+03, 2.4691e+03, 2.4691e+03],\n        [1.7960e+00, 1.7960e+00, 1.7960e+00]]), "
        "tensor([[-1.6461e+05],\n        [-1.5847e+01]]))")
    expected = {
        "std": "tensor([[-0.7071, -0.7071,  0.7071],\n        [ 0.7071,  0.7071, -0.7071]], grad_fn=<MulBackward0>)",
        "var": "tensor([[-2.3333, -1.3333,  3.6667],\n        [ 0.5000,  1.5000, -2.0000]], grad_fn=<MulBackward0>)",
        "prod": "tensor([[14.0000,  7.0000,  2.0000],\n        [ 2.0000,  1.5000, 12.0000]], grad_fn=<MulBackward0>)",
        "norm": "tensor([[0.1361, 0.2722, 0.9526],\n        [0.5970, 0.7960, 0.0995]], grad_fn=<MulBackward0>)",
    }
    fns = {"std": lambda: x.std(0, keepdim=True), "var": lambda: x.var(1), "prod": lambda: x.prod(1),
           "norm": lambda: x.norm(dim=1)}
    for name, f in fns.items():
        g, = torch.autograd.grad(f().sum(), x, create_graph=True)
        assert str(g) == expected[name], name


@pytest.mark.filterwarnings("ignore::UserWarning")  # var(): degrees of freedom is <= 0
def test_var_of_one_element_has_nan_gradient():
    z = torch.ones(1, requires_grad=True)
    z.var().backward()            # tshell divided by zero degrees of freedom in Python
    assert str(z.grad) == "tensor([nan])"
    z = torch.zeros(2, requires_grad=True)
    z.norm().backward()
    assert str(z.grad) == "tensor([0., 0.])"
