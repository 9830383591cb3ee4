"""Norms, similarities and distances of vectors: normalize, cosine_similarity, cdist,
pairwise_distance, pdist, renorm, norm_except_dim."""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import derivative, no_grad
from ..backend import xp_of
from ..dtypes import FLOATING, result_type_of
from ..registry import export
from ..tensor import record_if, saved_output, wrap
from .common import broadcast_error
from .index_sets import triu_indices
from .common import wrap_dim
from .pointwise import where
from .reduction import LinalgVectorNormBackward0, norm, norm_backward
from .shape import broadcast_tensors, cat


@export("F")
def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p along dim, eps)."""
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    r = input / denom
    if out is not None:
        out.copy_(r)
        return out
    return r


def _float_pair(x1, x2, fn):
    dt = result_type_of([x1.dtype, x2.dtype], [], [])
    if dt.category < FLOATING:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{dt.short}")
    x1 = x1 if x1.dtype.category >= FLOATING else x1.to(dt)
    x2 = x2 if x2.dtype.category >= FLOATING else x2.to(dt)
    return broadcast_tensors(x1, x2)


@export("torch", "F")
def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """<x1, x2> / (max(||x1||, eps) * max(||x2||, eps)) along dim (as PyTorch computes it:
    each input divided by its clamped norm first)."""
    x1, x2 = _float_pair(x1, x2, "cosine_similarity")
    n1 = x1.norm(2, dim, keepdim=True).clone()
    n2 = x2.norm(2, dim, keepdim=True).clone()
    with no_grad():
        n1.clamp_min_(eps)
        n2.clamp_min_(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


@derivative(jvp="_cdist_forward")       # PyTorch gives cdist no forward formula
def CdistBackward0(node, grad):
    x1, x2 = node.saved
    p, = node.params
    dist = saved_output(node).unsqueeze(-1)
    g = grad.unsqueeze(-1)
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 0:
        G = diff * 0
    elif p == 1:
        G = g * diff.sign()
    elif p == 2:
        G = (g * diff / dist).masked_fill(dist == 0, 0)
    elif p == math.inf:
        G = g * diff.sign() * (diff.abs() == dist)
    else:
        G = g * diff.sign() * diff.abs().pow(p - 1) / dist.pow(p - 1)
        zero = dist == 0
        if p < 1:
            zero = zero | (diff == 0)
        G = G.masked_fill(zero, 0)
    return (G.sum(-2) if x1._rg else None), (-G.sum(-3) if x2._rg else None)


@export("torch")
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """p-norm distances between the rows of x1 (*, P, M) and x2 (*, R, M): shape (*, P, R)."""
    for i, t in enumerate((x1, x2)):
        if t.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, X{i + 1} got: "
                               f"{t.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    for i, t in enumerate((x1, x2)):
        if t.dtype.category != FLOATING:
            raise RuntimeError(f"cdist only supports floating-point dtypes, X{i + 1} got: "
                               f"{t.dtype.short}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    try:
        batch = tuple(np.broadcast_shapes(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])))
    except ValueError:
        raise broadcast_error(tuple(x1.shape[:-2]), tuple(x2.shape[:-2])) from None
    r1, r2, m = x1.shape[-2], x2.shape[-2], x1.shape[-1]
    out_shape = batch + (r1, r2)
    limits.check_result(out_shape, x1._data.itemsize)
    mm = p == 2 and (compute_mode == "use_mm_for_euclid_dist" or (
        compute_mode == "use_mm_for_euclid_dist_if_necessary" and (r1 > 25 or r2 > 25)))
    if mm:
        return _euclidean_dist(x1.expand(batch + (r1, m)).reshape(-1, r1, m),
                               x2.expand(batch + (r2, m)).reshape(-1, r2, m)).view(out_shape)
    limits.check_result(batch + (r1, r2, m), x1._data.itemsize)
    a, b = x1._data, x2._data
    xp = xp_of(a)
    diff = xp.abs(a[..., :, None, :] - b[..., None, :, :])
    if p == 0:
        d = (diff != 0).sum(-1).astype(a.dtype)
    elif p == 1:
        d = diff.sum(-1)
    elif p == 2:
        d = xp.sqrt((diff * diff).sum(-1))
    elif p == math.inf:
        d = diff.max(-1) if m else xp.zeros(out_shape, a.dtype)
    else:
        d = (diff ** p).sum(-1) ** (1.0 / p)
    r = wrap(xp.ascontiguousarray(xp.broadcast_to(d, out_shape)).astype(a.dtype, copy=False))
    return record_if(CdistBackward0, r, (x1, x2), (p,), save=(x1, x2), save_out=True)


def _euclidean_dist(x1, x2):
    """PyTorch's _euclidean_dist: one matmul of [-2 x1, |x1|², 1] and [x2, 1, |x2|²]."""
    n1 = x1.pow(2).sum(-1, keepdim=True)
    n2 = x2.pow(2).sum(-1, keepdim=True)
    a = cat([x1.mul(-2), n1, n1.new_ones(n1.shape)], -1)
    b = cat([x2, n2.new_ones(n2.shape), n2], -1)
    r = a.matmul(b.mT)
    return r.clamp_min_(0).sqrt_()


# PyTorch's at::norm node: linalg.vector_norm's derivative under another name
NormBackward1 = type("NormBackward1", (LinalgVectorNormBackward0,), {"__slots__": ()})


@export("torch", "F")
def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """The p-norm of x1 - x2 + eps along the last dim."""
    r = norm(x1 - x2 + eps, p, max(x1.ndim, x2.ndim) - 1, keepdim)
    if r._fn is not None:
        r._fn.__class__ = NormBackward1
    return r


@derivative
def PdistBackward0(node, grad):
    x, = node.saved
    p, rows, cols = node.params
    diff = x[rows] - x[cols]
    if p == 0:
        g = diff * 0
    else:
        g = norm_backward(grad.unsqueeze(1), diff, saved_output(node).unsqueeze(1), p, (1,))
    return x.new_zeros(x.shape).index_add(0, rows, g).index_add(0, cols, -g)


@export("torch", "F")
def pdist(input, p=2):
    """The p-norm distance between every pair of rows i < j of an N x M input, in row-major
    order of the pairs: N * (N - 1) / 2 values."""
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if input.dtype.category != FLOATING:
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    rows, cols = triu_indices(input.shape[0], input.shape[0], 1, device=input.device)
    with no_grad():
        r = norm(input[rows] - input[cols], p, 1) if rows.numel() else \
            input.new_zeros(0)
    return record_if(PdistBackward0, r, (input,), (p, rows, cols), save=(input,),
                     save_out=True)


_RENORM_NODES: dict = {}


def _as_renorm_node(node):
    """renorm is input * (a per-slice scale with its own graph): the product's node, under
    PyTorch's name for renorm's."""
    cls = type(node)
    if cls not in _RENORM_NODES:
        _RENORM_NODES[cls] = type("RenormBackward0", (cls,), {"__slots__": ()})
    node.__class__ = _RENORM_NODES[cls]


@export("torch", "Tensor", "Tensor_")
def renorm(input, p, dim, maxnorm):
    """input with each slice along dim whose p-norm exceeds maxnorm scaled down to it."""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    d = wrap_dim(dim, input.dim())
    if input.dim() < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.dim()} "
                           "dimensions")
    norms = norm(input, p, [k for k in range(input.dim()) if k != d], True)
    r = input * where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    if r._fn is not None:
        _as_renorm_node(r._fn)
    return r


@export("torch")
def norm_except_dim(v, pow=2, dim=0):
    """The pow-norm of v over every dim but dim (over all, dim = -1), kept as size-1 dims
    (weight_norm's g)."""
    if dim == -1:
        return v.norm(pow)
    if dim == 0:
        return v.contiguous().view(v.shape[0], -1).norm(pow, 1).view(
            (-1,) + (1,) * (v.dim() - 1))
    if dim == v.dim() - 1:
        return v.contiguous().view(-1, v.shape[-1]).norm(pow, 0).view(
            (1,) * (v.dim() - 1) + (-1,))
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


@export("torch")
def native_norm(input, p=2, dim=None, keepdim=False, dtype=None):
    """PyTorch has native_norm for sparse tensors only; tshell's tensors are dense, so it
    fails as PyTorch's does on a dense CPU tensor (torch.norm is the dense form)."""
    raise NotImplementedError(
        "Could not run 'aten::native_norm' with arguments from the 'CPU' backend. This could "
        "be because the operator doesn't exist for this backend, or was omitted during the "
        "selective/custom build process (if using custom build). If you are a Facebook "
        "employee using PyTorch on mobile, please visit https://fburl.com/ptmfixes for "
        "possible resolutions. 'aten::native_norm' is only available for these backends: "
        "[Meta, SparseCPU, BackendSelect, Python, ...].")
