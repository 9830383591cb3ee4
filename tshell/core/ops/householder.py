"""Householder reflectors (LAPACK's compact QR): geqrf, householder_product (orgqr) and
ormqr. householder_product is a product of reflectors I - tau v v^H, written with tensor
ops; its node's backward differentiates that product again (under enable_grad), so the
gradient is the product's own and a double backward records."""
from __future__ import annotations

from ..autograd import GradMode, derivative, enable_grad, grad as gradient_of, no_grad
from ..backend import xp_of
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, finish_out
from .creation import eye
from .decomposition import beside, finish_outs, float_matrix, record_outputs
from .return_types import named_result
from .shape import cat

geqrf_result = named_result("geqrf", "a", "tau")


@derivative(n_outputs=2, jvp="geqrf")      # PyTorch gives geqrf no forward formula
def GeqrfBackward0(node, grads):
    raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


@export("torch", "Tensor")
def geqrf(input, *, out=None):
    """LAPACK's geqrf: R on and above the diagonal, the Householder vectors below it, and
    their scales tau."""
    float_matrix(input, "geqrf")
    ad = dense(input)
    h, tau = xp_of(ad).linalg.qr(ad, mode="raw")
    a = wrap(beside(h.swapaxes(-1, -2).astype(ad.dtype, copy=True), input))
    tau = wrap(beside(tau.astype(ad.dtype), input))
    return finish_outs(geqrf_result(*record_outputs(GeqrfBackward0, (a, tau), (input,))), out,
                       "geqrf", (input,))


def _reflectors_product(A, tau):
    """Q = H_1 ... H_k, H_i = I - tau_i v_i v_i^H, v_i = (0, .., 1, A[i+1:, i]); its first
    n columns."""
    m, n = A.shape[-2:]
    Q = eye(m, dtype=A.dtype, device=A.device).expand(*A.shape[:-2], m, m)
    lower = A.tril(-1) + eye(m, n, dtype=A.dtype, device=A.device)
    for i in range(tau.shape[-1]):
        v = lower[..., :, i:i + 1]
        Q = Q - (Q @ v) @ (v.mH * tau[..., i:i + 1, None])
    return Q[..., :, :n]


def _check_householder(A, tau, fn):
    if A.ndim < 2:
        raise RuntimeError(f"torch.{fn}: input must have at least 2 dimensions.")
    m, n = A.shape[-2:]
    if m < n:
        raise RuntimeError(f"torch.{fn}: input.shape[-2] must be greater than or equal to "
                           "input.shape[-1]")
    if tau.shape[-1] > n:
        raise RuntimeError(f"torch.{fn}: input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")
    if A.dtype is not tau.dtype:
        raise RuntimeError(f"torch.{fn}: tau dtype {tau.dtype.short} does not match input "
                           f"dtype {A.dtype.short}")


@derivative
def LinalgHouseholderProductBackward0(node, grad):
    A, tau = node.saved
    with enable_grad():
        a, t = A.detach().requires_grad_(), tau.detach().requires_grad_()
        Q = _reflectors_product(a, t)
    return gradient_of(Q, (a, t), grad, create_graph=GradMode.enabled)


@export("linalg", "torch.orgqr", "Tensor.orgqr")
def householder_product(A, tau, *, out=None):
    """The first n columns of the product of the Householder reflectors that geqrf stores."""
    _check_householder(A, tau, "linalg.householder_product")
    with no_grad():
        data = _reflectors_product(A.detach(), tau.detach())._data
    r = record_if(LinalgHouseholderProductBackward0, wrap(data), (A, tau), save=(A, tau))
    return finish_out(r, out, "linalg_householder_product", (A, tau))


@export("torch", "Tensor")
def ormqr(input, input2, input3, left=True, transpose=False, *, out=None):
    """op(Q) @ input3 (input3 @ op(Q) when left=False) for Q the full product of geqrf's
    reflectors (input, input2); op is the transpose when asked."""
    m = input.shape[-2]
    full = input if input.shape[-1] == m else _pad_columns(input, m)
    Q = householder_product(full, input2)
    Q = Q.mH if transpose else Q        # (conjugate-transposed, complex)
    return finish_out(Q @ input3 if left else input3 @ Q, out, "ormqr", (input, input2, input3))


def _pad_columns(A, m):
    """A's reflectors in an m x m matrix (the columns past A's are unused by tau)."""
    return cat([A, A.new_zeros(*A.shape[:-1], m - A.shape[-1])], -1)
