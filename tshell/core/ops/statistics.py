"""Statistics of samples: quantile and nanquantile, cov and corrcoef. Composites of
differentiable ops written as ATen writes them, so gradients and grad_fn names are PyTorch's."""
from __future__ import annotations

import warnings

from ..dtypes import FLOATING, INTEGRAL, float32, float64, int64
from ..registry import export
from ..tensor import Tensor
from .common import finish_out, wrap_dim
from .creation import full_like, scalar_tensor, tensor
from .pointwise import sqrt

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile_checks(input, q, fn):
    if input._data.size == 0:
        raise RuntimeError(f"{fn}() input tensor must be non-empty")
    if q.dim() > 1:
        raise RuntimeError(f"{fn}() q must be a scalar or 1D tensor")
    if input.dtype not in (float32, float64):
        raise RuntimeError(f"{fn}() input tensor must be either float or double dtype")
    if q.dtype != input.dtype:
        raise RuntimeError(f"{fn}() q tensor must be same dtype as the input tensor")


def _quantile_shape(input, q, dim, keepdim):
    """The result's shape: the quantiles first (q a vector), then the reduced input's."""
    if dim is None:
        shape = [1] * input.dim() if keepdim else []
    else:
        shape = list(input.shape)
        if keepdim:
            shape[dim] = 1
        else:
            del shape[dim]
    return ([q.numel()] if q.dim() else []) + shape


def _quantile(input, q, dim, keepdim, interpolation, ignore_nan, out, fn):
    if not isinstance(q, Tensor):
        if not 0 <= q <= 1:
            raise RuntimeError(f"{fn}() q must be in the range [0, 1] but got {q}")
        q = tensor(q, dtype=input.dtype, device=input.device)
    _quantile_checks(input, q, fn)
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{fn}() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    if dim is not None:
        dim = wrap_dim(dim, max(input.dim(), 1))
    if not bool(((q >= 0) & (q <= 1)).all()):
        raise RuntimeError(f"{fn}() q values must be in the range [0, 1]")
    out_shape = _quantile_shape(input, q, dim, keepdim)
    if dim is None:
        ordered = input.flatten().sort().values
    elif dim == input.dim() - 1 or input.dim() == 0:
        ordered = input.sort().values
    else:
        ordered = input.unsqueeze(-1).transpose(dim, -1).sort().values
    ordered = ordered.view(out_shape[q.dim():] + [ordered.shape[-1]])
    ranks = _ranks(ordered, q.reshape(-1), ignore_nan)
    if interpolation == "lower":
        ranks = ranks.floor()
    elif interpolation == "higher":
        ranks = ranks.ceil()
    elif interpolation == "nearest":
        ranks = ranks.round()
    below = ranks.long()
    result = ordered.gather(-1, below)
    if interpolation in ("linear", "midpoint"):
        weights = full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        result = result.lerp(ordered.gather(-1, ranks.ceil().long()), weights)
    if q.dim() == 0:
        result = result.squeeze_(-1)
    else:
        result = result.unsqueeze_(0).transpose_(0, -1).squeeze_(-1)
    return finish_out(result, out, fn, (input, q))


def _ranks(ordered, q, ignore_nan):
    """Where each quantile falls among the sorted values; a row holding a NaN picks its last
    value (a NaN) for quantile, and the NaNs (sorted last) are left out for nanquantile."""
    nan = ordered.isnan()
    if ignore_nan:
        ranks = q * (nan.logical_not().sum(-1, keepdim=True) - 1)
        return ranks.masked_fill(ranks < 0, 0)
    last = ordered.shape[-1] - 1
    return (q * last).expand(nan.shape[:-1] + (q.numel(),)).masked_fill(
        nan.any(-1, keepdim=True), last)


@export("torch", "Tensor")
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The q-th quantiles of the values (all, or along dim), interpolated between the two
    nearest samples; NaN where a reduced row holds a NaN."""
    return _quantile(input, q, dim, keepdim, interpolation, False, out, "quantile")


@export("torch", "Tensor")
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """quantile ignoring NaNs; NaN only where a reduced row holds nothing else."""
    return _quantile(input, q, dim, keepdim, interpolation, True, out, "nanquantile")


def _check_weights(w, name, n, integral):
    if w.dim() > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {w.dim()} dimensions")
    if w.dtype.category != (INTEGRAL if integral else FLOATING):
        kind = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {name} to have {kind} dtype but got {name} with "
                           f"{w.dtype.short} dtype")
    if w.numel() != n:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w.numel()} != {n}")
    if n and not bool(w.min() >= 0):
        raise RuntimeError(f"cov(): {name} cannot be negative")


@export("torch", "Tensor")
def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the variables in the rows of input (observations in its
    columns), weighted by the frequency and observation weights."""
    if input.dim() > 2:
        raise RuntimeError("cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.dim()} dimensions")
    if input.dtype.name == "bool":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    x = input.view(1, -1) if input.dim() < 2 else input
    n = x.shape[1]
    w = None
    if fweights is not None:
        _check_weights(fweights, "fweights", n, True)
        w = fweights
    if aweights is not None:
        _check_weights(aweights, "aweights", n, False)
        w = aweights if w is None else w * aweights
    w_sum = scalar_tensor(n, dtype=int64, device=x.device) if w is None else w.sum()
    if w is not None and not bool(w_sum != 0):
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = (x if w is None else x * w).sum(1) / w_sum
    if w is not None and aweights is not None and correction != 0:
        norm_factor = w_sum - correction * (w * aweights).sum() / w_sum
    else:
        norm_factor = w_sum - correction
    if bool(norm_factor <= 0):
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm_factor = norm_factor * 0
    x = x - avg.unsqueeze(1)
    c = x.mm((x if w is None else x * w).t())
    return (c / norm_factor).squeeze()


@export("torch", "Tensor")
def corrcoef(input):
    """The Pearson correlation coefficients of the variables in input's rows, in [-1, 1]."""
    if input.dim() > 2:
        raise RuntimeError("corrcoef(): expected input to have two or fewer dimensions but "
                           f"got an input with {input.dim()} dimensions")
    c = cov(input)
    if c.dim() == 0:
        return c / c             # NaN for a zero, infinite or NaN variance, else 1
    stddev = sqrt(c.diagonal())
    c = c / stddev.view(-1, 1)
    c = c / stddev.view(1, -1)
    return c.clip(-1, 1)
