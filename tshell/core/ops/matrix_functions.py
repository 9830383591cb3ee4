"""Functions of square matrices and matrix builders (torch.linalg): matrix_power,
matrix_exp, vander, diagonal."""
from __future__ import annotations

from .. import limits, meta
from ..autograd import derivative
from ..backend import xp_of
from ..meta import has_values
from ..registry import export
from ..tensor import record_if, wrap
from .common import dense, finish_out
from .creation import eye, ones_like
from .decomposition import _square_float, inv, square_matrix
from .linalg import matmul
from .shape import cat
from .shape import diagonal as _diagonal


@export("linalg", "torch", "Tensor")
def matrix_power(A, n, *, out=None):
    """A multiplied by itself n times (by repeated squaring, as PyTorch orders the products);
    A^-n is inv(A)^n."""
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 "
                           "dimensions.")
    square_matrix(A, "matrix_power")
    _input = A
    if n == 0:
        r = A.clone().copy_(eye(A.shape[-1], dtype=A.dtype, device=A.device).expand_as(A))
    else:
        if n < 0:
            A, n = inv(A), -n
        r = A if n == 1 and A is not _input else _power(A, n)
    return finish_out(r, out, "linalg_matrix_power", (A,))


def _power(a, n):
    if n == 1:
        return a.clone()
    if n == 2:
        return matmul(a, a)
    if n == 3:
        return matmul(matmul(a, a), a)
    z = result = None
    while n > 0:
        bit, n = n % 2, n // 2
        z = a if z is None else matmul(z, z)
        if bit:
            result = z if result is None else matmul(result, z)
    return result


# Padé approximant of degree 13 with scaling and squaring (Higham 2005, as SciPy's expm).
_PADE13 = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
           129060195264000., 10559470521600., 670442572800., 33522128640., 1323241920.,
           40840800., 960960., 16380., 182., 1.)
_THETA13 = 5.371920351148152


def _expm(a):
    """exp of a batch of square matrices (arrays), computed in double precision."""
    xp = xp_of(a)
    wide = a.astype(xp.complex128 if a.dtype.kind == "c" else xp.float64)
    n = a.shape[-1]
    norm1 = xp.abs(wide).sum(axis=-2).max(axis=-1) if n else xp.zeros(a.shape[:-2])
    s = xp.maximum(0, xp.ceil(xp.log2(xp.maximum(norm1, 1e-300) / _THETA13))).astype(int)
    wide = wide / (2.0 ** s)[..., None, None]
    b = _PADE13
    ident = xp.broadcast_to(xp.eye(n, dtype=wide.dtype), wide.shape)
    a2 = wide @ wide
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = wide @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4
                + b[3] * a2 + b[1] * ident)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 \
        + b[0] * ident
    r = xp.linalg.solve(v - u, v + u) if n else wide
    for k in range(int(s.max()) if s.size else 0):     # square back, each matrix its own times
        r = xp.where((s > k)[..., None, None], r @ r, r)
    return r.astype(a.dtype, copy=False)


@derivative
def LinalgMatrixExpBackward0(node, grad):
    """PyTorch's differential of exp at A^H in the direction grad: the top-right block of
    exp([[A^H, G], [0, A^H]])."""
    A, = node.saved
    n = A.shape[-1]
    Ah = A.mT
    top = cat([Ah, grad], -1)
    bottom = cat([grad.new_zeros(grad.shape), Ah], -1)
    return matrix_exp(cat([top, bottom], -2))[..., :n, n:]


@export("linalg", "torch", "Tensor")
def matrix_exp(A):
    """The matrix exponential of a square A (or of each in a batch)."""
    _square_float(A, "matrix_exp")
    ad = dense(A)
    # meta: the shape alone (the squarings' count would read the norms)
    data = _expm(ad) if has_values(ad) else meta.empty(ad.shape, ad.dtype)
    return record_if(LinalgMatrixExpBackward0, wrap(data), (A,), save=(A,))


@export("linalg")
def vander(x, *, N=None):
    """The Vandermonde matrix of x's last dim: columns x^0, x^1, ..., x^(N-1)."""
    n = x.shape[-1] if x.ndim else 1
    N = n if N is None else N
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")
    if x.ndim == 0:
        raise RuntimeError("x must have at least one dimension.")
    limits.check_result(tuple(x.shape) + (N,), x._data.itemsize)
    powers = x.unsqueeze(-1).expand(*x.shape, N - 1).cumprod(-1)
    return cat([ones_like(x).unsqueeze(-1), powers], -1)


@export("linalg.diagonal")
def linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """torch.diagonal with linalg's defaults: the diagonal of each matrix of a batch."""
    return _diagonal(A, offset, dim1, dim2)

