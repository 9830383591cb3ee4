"""Attention: scaled_dot_product_attention and multi_head_attention_forward, as PyTorch's
CPU runs them (one fused op where PyTorch uses its flash kernel, else its composite)."""
from __future__ import annotations

import math
import warnings

import numpy as np

from ..autograd import derivative, no_grad
from ..backend import xp_of
from ..dtypes import FLOATING, bool_
from ..registry import export
from ..tensor import record_if, wrap
from .activation import softmax
from .common import half_as_float, without_derivative
from .creation import ones, zeros, zeros_like
from .dropout import dropout
from .linalg import bmm, matmul
from .linear import linear
from .padding import pad
from .pointwise import where
from .shape import cat


# ---- scaled_dot_product_attention ------------------------------------------------------------

def _scale(query, scale):
    return 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale


def _bool_to_additive(mask, dtype):
    """A bool mask (True: attend) as the additive float mask: 0 or -inf."""
    return where(mask.logical_not(), float("-inf"), zeros((), dtype=dtype, device=mask.device))


def _safe_softmax(scores):
    """softmax along the last dim; a row masked out entirely gives zeros, not NaN."""
    dead = (scores == float("-inf")).all(-1, keepdim=True)
    return where(dead, 0.0, softmax(scores, -1))


def _grouped(t, heads):
    """k or v repeated along the head dim to `heads` heads (grouped-query attention)."""
    n = t.shape[-3]
    return t if n == heads else t.repeat_interleave(heads // n, -3)


@derivative
def ScaledDotProductFlashAttentionForCpuBackward0(node, grad):
    """PyTorch's flash kernel has no second derivative: the gradients, computed in tensor
    ops, are recorded (under create_graph) as outputs of its NotImplemented node."""
    q, k, v = node.saved
    scale, mask = node.params
    with no_grad():
        grads = _attention_grads(grad, q, k, v, scale, mask)
    return tuple(None if g is None else without_derivative(
        g, (grad, q, k, v), "_scaled_dot_product_flash_attention_for_cpu_backward")
        for g in grads)


def _attention_grads(grad, q, k, v, scale, mask):
    """The gradients of softmax(q k^T * scale + mask) v with respect to q, k and v."""
    heads = q.shape[-3]
    ke, ve = _grouped(k, heads), _grouped(v, heads)
    scores = matmul(q, ke.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores + mask
    a = _safe_softmax(scores)
    da = matmul(grad, ve.transpose(-2, -1))
    ds = a * (da - (da * a).sum(-1, keepdim=True))
    return (matmul(ds, ke) * scale if q._rg else None,
            _ungrouped(matmul(ds.transpose(-2, -1), q) * scale, k) if k._rg else None,
            _ungrouped(matmul(a.transpose(-2, -1), grad), v) if v._rg else None)


def _ungrouped(g, t):
    """The gradient of a grouped k or v: summed over the heads that shared it."""
    n, heads = t.shape[-3], g.shape[-3]
    if n == heads:
        return g
    return g.unflatten(-3, (n, heads // n)).sum(-3)


def _flash(query, key, value, mask, scale):
    """softmax(q k^T * scale + mask) v in one op (PyTorch's CPU flash kernel). In half
    precision the kernel sums the exponentials in float but multiplies them, rounded to the
    input's dtype, with v (its gemm takes the input's dtype), and divides by the sum last."""
    half = query._data.dtype
    qd, kd, vd = (half_as_float(t._data) for t in (query, key, value))
    xp = xp_of(qd)
    heads = qd.shape[-3]
    rep = heads // kd.shape[-3]
    if rep > 1:
        kd, vd = xp.repeat(kd, rep, axis=-3), xp.repeat(vd, rep, axis=-3)
    scores = xp.matmul(qd, xp.swapaxes(kd, -1, -2)) * qd.dtype.type(scale)
    if mask is not None:
        scores = scores + half_as_float(mask._data)
    top = scores.max(axis=-1, keepdims=True)
    dead = top == -np.inf
    e = xp.exp(scores - xp.where(dead, 0, top))
    total = xp.where(dead, 1, e.sum(axis=-1, keepdims=True))
    if half != qd.dtype:
        out = xp.matmul(e.astype(half).astype(qd.dtype), vd) / total
    else:
        out = xp.matmul(e / total, vd)
    out = xp.where(dead, 0, out).astype(half, copy=False)
    r = wrap(_laid_out_like(out, query._data))
    return record_if(ScaledDotProductFlashAttentionForCpuBackward0, r, (query, key, value),
                     (scale, mask), save=(query, key, value))


def _laid_out_like(out, q):
    """out (B, H, L, E) in the memory order of q's first three dims, as the flash kernel
    allocates its output: outermost the dim of largest stride (a query viewed from a
    (B, L, H * E) projection gives an output whose transpose(1, 2) is contiguous)."""
    if q.strides[-1] != q.itemsize:
        return out                          # the kernel makes such a query contiguous first
    order = sorted(range(3), key=lambda d: -q.strides[d])
    if order == [0, 1, 2]:
        return out
    xp = xp_of(out)
    dense = xp.ascontiguousarray(xp.transpose(out, order + [3]))
    return xp.transpose(dense, [order.index(d) for d in range(3)] + [3])


# The kernels scaled_dot_product_attention may use (torch.nn.attention.sdpa_kernel): the CPU
# has MATH and FLASH_ATTENTION
ENABLED_KERNELS = {"MATH", "FLASH_ATTENTION", "EFFICIENT_ATTENTION", "CUDNN_ATTENTION",
                   "OVERRIDEABLE"}


def _uses_flash(query, key, value, mask, dropout_p, enable_gqa):
    """Whether PyTorch's CPU dispatch picks its flash kernel for these arguments (refusing
    them, when sdpa_kernel left it no other kernel)."""
    flash, math_ok = "FLASH_ATTENTION" in ENABLED_KERNELS, "MATH" in ENABLED_KERNELS
    if not (flash or math_ok):
        raise RuntimeError("No viable backend for scaled_dot_product_attention was found. This "
                           "is likely due to turning off both the math kernel and the fused "
                           "kernels.")
    usable = flash and _flash_applies(query, key, value, mask, dropout_p, enable_gqa)
    if not (usable or math_ok):
        warnings.warn("Flash attention kernel not used because:", stacklevel=4)
        raise RuntimeError("No available kernel.  Aborting execution.")
    return usable


def _flash_applies(query, key, value, mask, dropout_p, enable_gqa):
    if dropout_p > 0 or query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        return False
    e = query.shape[-1]
    if key.shape[-1] != e or value.shape[-1] != e:
        return False
    if mask is not None and mask._rg:
        return False
    if query.shape[0] != key.shape[0] or key.shape[:2] != value.shape[:2]:
        return False
    heads, kv_heads = query.shape[1], key.shape[1]
    return heads == kv_heads or enable_gqa and heads % kv_heads == 0


@export("F")
def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(q k^T * scale + mask) v over (..., L, E) queries and (..., S, E) keys; a bool
    mask marks the keys to attend to; is_causal masks the future; dropout_p drops weights."""
    if query.dtype is not key.dtype or query.dtype is not value.dtype:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {query.dtype.short.lower()} key.dtype: "
                           f"{key.dtype.short.lower()} and value.dtype: "
                           f"{value.dtype.short.lower()} instead.")
    if query.dtype.category < FLOATING:
        raise RuntimeError(f"\"scaled_dot_product_attention\" not implemented for "
                           f"'{query.dtype.short}'")
    mask = attn_mask
    if mask is not None and mask.dtype is bool_:
        mask = _bool_to_additive(mask, query.dtype)
    causal = None
    if is_causal:
        causal = _bool_to_additive(ones(query.shape[-2], key.shape[-2], dtype=bool_,
                                        device=query.device).tril(), query.dtype)
    s = _scale(query, scale)
    if _uses_flash(query, key, value, attn_mask, dropout_p, enable_gqa):
        # the flash kernel takes a mask and is_causal together
        return _flash(query, key, value, causal if mask is None else
                      mask if causal is None else mask + causal, s)
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    mask = causal if mask is None else mask
    reduced = query.dtype if query.dtype.itemsize == 2 else None
    if reduced is not None:     # PyTorch's CPU math kernel computes half precision in float
        query, key, value = query.float(), key.float(), value.float()
        mask = None if mask is None else mask.float()
    factor = math.sqrt(abs(s))
    q = query * (-factor if s < 0 else factor)
    if enable_gqa:
        key, value = _grouped(key, query.shape[-3]), _grouped(value, query.shape[-3])
    attn = matmul(q, key.transpose(-2, -1) * factor)
    if mask is not None:
        attn = attn + mask
    attn = _safe_softmax(attn)
    if dropout_p > 0.0:
        attn = dropout(attn, dropout_p, True)
    out = matmul(attn, value)
    return out if reduced is None else out.to(reduced)


# ---- multi_head_attention_forward ------------------------------------------------------------

def canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """A bool or float mask as a float additive one (-inf where a bool mask is True)."""
    if mask is None:
        return None
    floating = mask.dtype.category == FLOATING
    if mask.dtype is not bool_ and not floating:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype is not other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use "
                      "same type for both instead.", stacklevel=3)
    if not floating:
        mask = zeros_like(mask, dtype=target_type).masked_fill_(mask, float("-inf"))
    return mask


def none_or_dtype(input):
    return None if input is None else input.dtype


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Whether the inputs are batched (3-D query), with PyTorch's checks of their dims."""
    if query.ndim == 3:
        if key.ndim != 3 or value.ndim != 3:
            raise AssertionError("For batched (3-D) `query`, expected `key` and `value` to be "
                                 f"3-D but found {key.ndim}-D and {value.ndim}-D tensors "
                                 "respectively")
        if key_padding_mask is not None and key_padding_mask.ndim != 2:
            raise AssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be "
                                 f"`None` or 2-D but found {key_padding_mask.ndim}-D tensor "
                                 "instead")
        if attn_mask is not None and attn_mask.ndim not in (2, 3):
            raise AssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`, "
                                 f"2-D or 3-D but found {attn_mask.ndim}-D tensor instead")
        return True
    if query.ndim == 2:
        if key.ndim != 2 or value.ndim != 2:
            raise AssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be "
                                 f"2-D but found {key.ndim}-D and {value.ndim}-D tensors "
                                 "respectively")
        if key_padding_mask is not None and key_padding_mask.ndim != 1:
            raise AssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to "
                                 f"be `None` or 1-D but found {key_padding_mask.ndim}-D tensor "
                                 "instead")
        if attn_mask is not None:
            if attn_mask.ndim not in (2, 3):
                raise AssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be "
                                     f"`None`, 2-D or 3-D but found {attn_mask.ndim}-D tensor "
                                     "instead")
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.ndim == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                     f"{attn_mask.shape}")
        return False
    raise AssertionError("query should be unbatched 2D or batched 3D tensor but received "
                         f"{query.ndim}-D query tensor")


def _in_projection_packed(q, k, v, w, b=None):
    """q, k, v through the three blocks of one packed (3E, E) projection."""
    e = q.shape[-1]
    if k is v:
        if q is k:
            proj = linear(q, w, b).unflatten(-1, (3, e)).unsqueeze(0).transpose(0, -2) \
                .squeeze(-2).contiguous()
            return proj[0], proj[1], proj[2]
        w_q, w_kv = w.split([e, e * 2])
        b_q, b_kv = (None, None) if b is None else b.split([e, e * 2])
        kv = linear(k, w_kv, b_kv).unflatten(-1, (2, e)).unsqueeze(0).transpose(0, -2) \
            .squeeze(-2).contiguous()
        return linear(q, w_q, b_q), kv[0], kv[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    """q, k, v through separate projections (kdim / vdim other than embed_dim)."""
    eq, ek, ev = q.shape[-1], k.shape[-1], v.shape[-1]
    for w, shape, name in ((w_q, (eq, eq), "query"), (w_k, (eq, ek), "key"),
                           (w_v, (eq, ev), "value")):
        if tuple(w.shape) != shape:
            raise AssertionError(f"expecting {name} weights shape of {shape}, but got "
                                 f"{w.shape}")
    for b, name in ((b_q, "query"), (b_k, "key"), (b_v, "value")):
        if b is not None and tuple(b.shape) != (eq,):
            raise AssertionError(f"expecting {name} bias shape of {(eq,)}, but got {b.shape}")
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _check_attn_mask(attn_mask, tgt_len, src_len, bsz, num_heads):
    if attn_mask.ndim == 2:
        if tuple(attn_mask.shape) != (tgt_len, src_len):
            raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should "
                               f"be {(tgt_len, src_len)}.")
        return attn_mask.unsqueeze(0)
    if attn_mask.ndim == 3:
        expected = (bsz * num_heads, tgt_len, src_len)
        if tuple(attn_mask.shape) != expected:
            raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should "
                               f"be {expected}.")
        return attn_mask
    raise RuntimeError(f"attn_mask's dimension {attn_mask.ndim} is not supported")


def _pad_last(t):
    return None if t is None else pad(t, (0, 1))


@export("F")
def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Multi-head attention of (L, N, E) queries on (S, N, E) keys and values (or unbatched
    (L, E)): (output, attention weights averaged over heads, or None)."""
    batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask",
                                      none_or_dtype(attn_mask), "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None
    else:
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                   check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match "
                                 f"value's {value.shape[:2]}")
        b_q, b_k, b_v = (None,) * 3 if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight,
                                 v_proj_weight, b_q, b_k, b_v)
    else:
        if key.shape != value.shape:
            raise AssertionError(f"key shape {key.shape} does not match value shape "
                                 f"{value.shape}")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    if attn_mask is not None:
        attn_mask = _check_attn_mask(attn_mask, tgt_len, src_len, bsz, num_heads)
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)
    elif bias_k is not None or bias_v is not None:
        raise AssertionError("bias_k is set but bias_v is None" if bias_k is not None
                             else "bias_v is set but bias_k is None")
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, bsz, num_heads, head_dim, "static_k")
    v = _heads(v, static_v, bsz, num_heads, head_dim, "static_v")
    if add_zero_attn:
        shape = (bsz * num_heads, 1, head_dim)
        k = cat([k, zeros(shape, dtype=k.dtype, device=k.device)], 1)
        v = cat([v, zeros(shape, dtype=v.dtype, device=v.device)], 1)
        attn_mask, key_padding_mask = _pad_last(attn_mask), _pad_last(key_padding_mask)
    src_len = k.shape[1]
    if key_padding_mask is not None:
        for dim, size in enumerate((bsz, src_len)):
            if key_padding_mask.shape[dim] != size:
                raise AssertionError(f"Expected key_padded_mask.shape[{dim}] to be {size}, but "
                                     f"got {key_padding_mask.shape[dim]}")
        key_padding_mask = key_padding_mask.view(bsz, 1, 1, src_len) \
            .expand(-1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len)
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0
    if need_weights:
        return _weighted_attention(q, k, v, attn_mask, dropout_p, out_proj_weight,
                                   out_proj_bias, (tgt_len, bsz, embed_dim, num_heads, src_len),
                                   average_attn_weights, batched, is_causal)
    if attn_mask is not None:
        attn_mask = attn_mask.unsqueeze(0) if attn_mask.shape[0] == 1 and attn_mask.ndim == 3 \
            else attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.shape[1])
    return (out if batched else out.squeeze(1)), None


def _heads(t, static, bsz, num_heads, head_dim, name):
    """k or v as (bsz * heads, S, head_dim), or the static one given (checked)."""
    if static is None:
        return t.view(t.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    if static.shape[0] != bsz * num_heads:
        raise AssertionError(f"expecting {name}.size(0) of {bsz * num_heads}, but got "
                             f"{static.shape[0]}")
    if static.shape[2] != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got "
                             f"{static.shape[2]}")
    return static


def _weighted_attention(q, k, v, attn_mask, dropout_p, out_proj_weight, out_proj_bias, dims,
                        average, batched, is_causal):
    """The need_weights path: the attention weights are computed explicitly."""
    tgt_len, bsz, embed_dim, num_heads, src_len = dims
    if is_causal and attn_mask is None:
        raise AssertionError("FIXME: is_causal not implemented for need_weights")
    q_scaled = q * math.sqrt(1.0 / float(q.shape[2]))
    weights = bmm(q_scaled, k.transpose(-2, -1))
    if attn_mask is not None:
        weights = weights + attn_mask             # PyTorch's baddbmm(attn_mask, q, k^T)
    weights = softmax(weights, -1)
    if dropout_p > 0.0:
        weights = dropout(weights, p=dropout_p)
    out = bmm(weights, v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.shape[1])
    weights = weights.view(bsz, num_heads, tgt_len, src_len)
    if average:
        weights = weights.mean(dim=1)
    if not batched:
        return out.squeeze(1), weights.squeeze(0)
    return out, weights
