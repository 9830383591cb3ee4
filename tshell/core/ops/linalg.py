"""Matrix and vector products: mm bmm dot mv outer addmm, matmul's dispatch between them,
kron and cross. (Contractions are in contraction.py, factorisations and solvers in
decomposition.py.)"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .. import limits
from ..autograd import GradMode, derivative, reads_the_other
from ..backend import xp_of
from ..dtypes import TYPEMETA_NAMES
from ..meta import MetaArray, mm_error
from ..registry import export
from ..tensor import Duals, Tensor, record, record_if, wrap
from .common import (broadcast_error, dense, finish_out, half_matmul, same_device, shape_bound,
                     wrap_dim)
from .inplace import apply_inplace
from .pointwise import conj_if_complex
from .shape import _WARNED_ONCE, SqueezeBackward4, UnsafeViewBackward0, _view_of


def _check_same_dtype(a, b, fn):
    ad, bd = a._data, b._data
    if ad.dtype != bd.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{TYPEMETA_NAMES[a.dtype.name]} != {TYPEMETA_NAMES[b.dtype.name]}")
    if type(ad) is not type(bd):   # arrays of one backend live on one device kind
        same_device(a, b)


def _matmul_of(ad, bd):
    """The product array of two operands (bmm, mv: not per-step hot paths)."""
    return xp_of(ad).matmul(ad, bd) if ad.itemsize != 2 else half_matmul(xp_of(ad), ad, bd)


def _product(node_cls, a, b, data):
    r = wrap(data)
    # record_if inlined: `x @ w` (benchmarks/run.py's MLP rows) records through here
    if GradMode.enabled and (a._rg or b._rg):
        record(node_cls, r, (a, b), save=(a, b))
    elif Duals:
        Duals.propagate(node_cls, r, (a, b), None, (a, b), False)
    return r


def _column_major(t):
    """Whether a matrix is stored transposed (`w.t()` of a contiguous w, as nn.Linear's)."""
    d = t._data
    s = d.strides           # PyTorch's test: strides (1, rows) in elements
    return len(s) == 2 and s[0] == d.itemsize and s[1] == d.shape[0] * d.itemsize > s[0]


def mat1_grad(grad, a, b):
    """d(a @ b)/da as PyTorch's mm_mat1_backward: laid out as a, so that a transposed a
    gets its gradient without a copy. (Complex operands: grad @ b.mH, a conjugate
    Wirtinger gradient.)"""
    b = conj_if_complex(b)
    return _grad_product(b, grad.t()).t() if _column_major(a) else _grad_product(grad, b.t())


def mat2_grad(grad, a, b):
    """d(a @ b)/db as PyTorch's mm_mat2_backward (nn.Linear's weight.t() is column-major)."""
    a = conj_if_complex(a)
    return _grad_product(grad.t(), a).t() if _column_major(b) else _grad_product(a.t(), grad)


def _grad_product(a, b):
    """A product of a backward: without create_graph, nothing to record and nothing to check
    (the forward checked the operands, and the gradient has its output's dtype and shape)."""
    if GradMode.enabled:
        return product_2d(a, b)
    ad = a._data
    bd = b._data
    return wrap(xp_of(ad).matmul(ad, bd) if ad.itemsize != 2 else half_matmul(xp_of(ad), ad, bd))


def _scaled(t, factor):
    """t * factor, skipped for 1 as PyTorch's maybe_multiply skips it."""
    return t if factor == 1 else t * factor


@derivative(reads_saved=staticmethod(reads_the_other))
def MmBackward0(node, grad):
    a, b = node.saved
    return (mat1_grad(grad, a, b) if a._rg else None,
            mat2_grad(grad, a, b) if b._rg else None)


@export("torch", "Tensor")
def mm(input, mat2, *, out=None):
    """Matrix product of two 2-D tensors."""
    a, b = _tensors(input, mat2, "mm")
    return finish_out(product_2d(a, b), out, "mm", (a, b))


def product_2d(a, b):
    """mm of two tensors: its checks and the recorded product (`x @ w` comes here directly)."""
    return _product(MmBackward0, a, b, _mm_data(a, b))


def _mm_data(a, b):
    """The array of a @ b for two matrices, after mm's checks (nothing recorded)."""
    ad, bd = a._data, b._data
    if ad.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if bd.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, k), (k2, m) = ad.shape, bd.shape
    if k != k2:
        if ad.__class__ is MetaArray:
            raise mm_error(ad.shape, bd.shape)
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    _check_same_dtype(a, b, "mm")
    limits.check_result_of(ad, (n, m), ad.itemsize)
    _check_copied_operands(ad, bd)
    return xp_of(ad).matmul(ad, bd) if ad.itemsize != 2 else half_matmul(xp_of(ad), ad, bd)


def _check_copied_operands(*arrays):
    """NumPy (2.5 on) copies a matmul operand whose strides BLAS cannot take: one expanded
    (a stride of 0) past the memory cap is refused before that copy, as other ops are."""
    for array in arrays:
        if 0 in array.strides:
            limits.check_dense(array)


@derivative(reads_saved=staticmethod(reads_the_other))
def BmmBackward0(node, grad):
    a, b = node.saved
    return (grad.bmm(conj_if_complex(b).transpose(1, 2)) if a._rg else None,
            conj_if_complex(a).transpose(1, 2).bmm(grad) if b._rg else None)


@export("torch", "Tensor")
def bmm(input, mat2, *, out=None):
    """Batched matrix product of two 3-D tensors."""
    a, b = _tensors(input, mat2, "bmm")
    if a._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    (bs, n, k), (bs2, k2, m) = a._data.shape, b._data.shape
    if bs != bs2 or k != k2:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{bs}, {k}] but got: [{bs2}, {k2}].")
    _check_same_dtype(a, b, "bmm")
    limits.check_result_of(a._data, (bs, n, m), a._data.itemsize)
    _check_copied_operands(a._data, b._data)
    r = _product(BmmBackward0, a, b,
                 _matmul_of(a._data, b._data))
    return finish_out(r, out, "bmm", (a, b))


@derivative(reads_saved=staticmethod(reads_the_other))
def DotBackward0(node, grad):
    a, b = node.saved
    return (grad * conj_if_complex(b) if a._rg else None,
            grad * conj_if_complex(a) if b._rg else None)


@export("torch", "Tensor", "torch.inner", "Tensor.inner")
def dot(input, other, *, out=None):
    """Inner product of two 1-D tensors."""
    a, b = _tensors(input, other, "dot")
    if a._data.ndim != 1 or b._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a._data.ndim}D and "
                           f"{b._data.ndim}D tensors")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{a.dtype.short} and {b.dtype.short}")
    if a.dtype.name == "bool":
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")
    if a._data.shape != b._data.shape:
        n, m = a._data.shape[0], b._data.shape[0]
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to "
                           f"have the same number of elements, but got {n} and {m} elements "
                           "respectively")
    r = _product(DotBackward0, a, b, xp_of(a._data).dot(dense(a), dense(b)))  # both copied
    return finish_out(r, out, "dot", (a, b))


@derivative(reads_saved=staticmethod(reads_the_other))
def MvBackward0(node, grad):
    a, b = node.saved
    return (grad.unsqueeze(1) * conj_if_complex(b) if a._rg else None,
            conj_if_complex(a).t().mv(grad) if b._rg else None)


@export("torch", "Tensor")
def mv(input, vec, *, out=None):
    """Matrix-vector product."""
    a, b = _tensors(input, vec, "mv")
    if a._data.ndim != 2 or b._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a._data.ndim}, "
                           f"{b._data.ndim}")
    if a._data.shape[1] != b._data.shape[0]:
        n, k = a._data.shape
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{k}), vec "
                           f"({b._data.shape[0]})")
    _check_same_dtype(a, b, "mv")
    _check_copied_operands(a._data, b._data)
    limits.check_result(a._data.shape[:1], a._data.itemsize)     # (n, 0) @ (0,): n zeros
    r = _product(MvBackward0, a, b,
                 _matmul_of(a._data, b._data))
    return finish_out(r, out, "mv", (a, b))


@export("torch", "Tensor", "torch.ger", "Tensor.ger")
def outer(input, vec2):
    """Outer product of two vectors."""
    return input.unsqueeze(1) * vec2


@export("torch", "Tensor", "linalg")
def matmul(input, other, *, out=None):
    """Matrix product with NumPy/PyTorch's rules for 1-D and batched operands."""
    a, b = _tensors(input, other, "matmul")
    da, db = a._data.ndim, b._data.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    if da == 1 and db == 1:
        r = dot(a, b)
    elif da == 2 and db == 1:
        r = mv(a, b)
    elif da == 1 and db == 2:
        r = _squeeze4(mm(a.unsqueeze(0), b))
    elif da == 2 and db == 2:
        r = product_2d(a, b)
    elif da >= 3 and db <= 2:
        r = _fold_left(a, b)
    else:
        r = _batched(a, b)
    return finish_out(r, out, "matmul", (a, b))


def _squeeze4(t):
    return _view_of(t, t._data.reshape(t._data.shape[1:]), SqueezeBackward4, t._data.shape)


def _fold_left(a, b):
    """(..., n, k) @ (k, m): fold the batch into rows, one mm, then unfold."""
    lead = a._data.shape[:-1]
    if b._data.ndim == 1 and b._data.shape[0] != a._data.shape[-1]:
        n = math.prod(lead)
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{a._data.shape[-1]}), "
                           f"vec ({b._data.shape[0]})")
    bb = b if b._data.ndim == 2 else b.unsqueeze(1)
    r2 = mm(a.reshape(-1, a._data.shape[-1]), bb)
    return unsafe_view(r2, lead + ((bb._data.shape[1],) if b._data.ndim == 2 else ()))


def _batched(a, b):
    """Broadcast the batch dims, then bmm."""
    a2 = a.unsqueeze(0) if a._data.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b._data.ndim == 1 else b
    n, k = a2._data.shape[-2:]
    k2, m = b2._data.shape[-2:]
    try:
        batch = np.broadcast_shapes(a2._data.shape[:-2], b2._data.shape[:-2])
    except ValueError:
        raise broadcast_error(a2._data.shape[:-2], b2._data.shape[:-2]) from None
    nb = math.prod(batch)
    if k != k2:     # as bmm of the operands expanded to the common batch reports it
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{nb}, {k}] but got: [{nb}, {k2}].")
    # the expanded operands are copied by reshape: check them and the result first
    for rows, cols, item in ((n, k, a._data.itemsize), (k, m, b._data.itemsize),
                             (n, m, a._data.itemsize)):
        limits.check_result((nb, rows, cols), item)
    a3 = a2.expand(*batch, n, k).reshape(nb, n, k)
    b3 = b2.expand(*batch, k, m).reshape(nb, k, m)
    r3 = bmm(a3, b3)
    return unsafe_view(r3, batch + ((n,) if a._data.ndim > 1 else ())
                       + ((m,) if b._data.ndim > 1 else ()))


def _addmm_reads(node):
    """addmm reads mat1 for mat2's gradient, mat2 for mat1's, and never the bias."""
    _, (f1, _), (f2, _) = node.next_functions
    return False, f2 is not None, f1 is not None


@derivative(reads_saved=staticmethod(_addmm_reads))
def AddmmBackward0(node, grad):
    bias, a, b = node.saved
    beta, alpha = node.params
    return (_scaled(grad, beta) if bias._rg else None,
            _scaled(mat1_grad(grad, a, b), alpha) if a._rg else None,
            _scaled(mat2_grad(grad, a, b), alpha) if b._rg else None)


@export("torch", "Tensor")
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2)."""
    if beta.__class__ is alpha.__class__ is int and beta == alpha == 1 and \
            isinstance(input, Tensor) and isinstance(mat1, Tensor) and isinstance(mat2, Tensor):
        r = _linear_map(input, mat1, mat2)      # nn.Linear's every call
        if r is not None:
            return r
    for name, t in (("self", input), ("mat1", mat1)):
        if t.dtype is not mat2.dtype:
            raise RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                               f"{t.dtype.short} and {mat2.dtype.short}")
    prod = _mm_data(*_tensors(mat1, mat2, "mm"))
    bias = input._data
    if not _expands_to(bias.shape, prod.shape):
        input.detach().expand(*prod.shape)      # PyTorch's error for a bad bias shape
    if (alpha, beta) == (1, 1) and bias.dtype == prod.dtype and type(bias) is type(prod):
        prod += bias        # nn.Linear's every step: the fresh product takes the bias
        data = prod
    else:
        data = xp_of(prod).asarray(prod * alpha + bias * beta).astype(prod.dtype, copy=False)
    r = wrap(data)
    return record_if(AddmmBackward0, r, (input, mat1, mat2), (beta, alpha),
                     save=(input, mat1, mat2))


def _linear_map(bias, mat1, mat2):
    """bias + mat1 @ mat2 for two matrices and a bias of the product's shape or of its rows,
    all of one dtype on one device, recorded as addmm records it; None for anything else
    (addmm's general path checks it and words the errors)."""
    bd, ad, md = bias._data, mat1._data, mat2._data
    if not (ad.ndim == md.ndim == 2 and ad.shape[1] == md.shape[0]
            and ad.dtype == md.dtype == bd.dtype and type(ad) is type(md) is type(bd)):
        return None
    shape = (ad.shape[0], md.shape[1])
    if (bd.shape != shape[1:] and bd.shape != shape) or 0 in ad.strides or 0 in md.strides:
        return None
    limits.check_result(shape, ad.itemsize)
    if ad.itemsize != 2:
        prod = xp_of(ad).matmul(ad, md)
        prod += bd      # the fresh product takes the bias
    else:
        prod = half_matmul(xp_of(ad), ad, md, bd)
    r = wrap(prod)
    if GradMode.enabled and (bias._rg or mat1._rg or mat2._rg):
        record(AddmmBackward0, r, (bias, mat1, mat2), (1, 1), save=(bias, mat1, mat2))
    elif Duals:
        Duals.propagate(AddmmBackward0, r, (bias, mat1, mat2), (1, 1), (bias, mat1, mat2),
                        False)
    return r


@export("Tensor")
def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
    """self = beta * self + alpha * (mat1 @ mat2), in place: the product must be self's size,
    the bias is not broadcast."""
    if mat1.dim() == 2 and mat2.dim() == 2 and mat1.shape[1] == mat2.shape[0] and \
            tuple(self.shape) != (mat1.shape[0], mat2.shape[1]):
        raise RuntimeError(f"Bad in-place call: input tensor size {list(self.shape)} and output "
                           f"tensor size {[mat1.shape[0], mat2.shape[1]]} should match")
    return apply_inplace(self, addmm, mat1, mat2, beta=beta, alpha=alpha)


def _expands_to(shape, target):
    """Whether expand(shape -> target) succeeds (nn.Linear's bias, every step: no view made)."""
    return len(shape) <= len(target) and all(
        s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


def _tensors(a, b, fn):
    if not isinstance(a, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(a).__name__}")
    if not isinstance(b, Tensor):
        raise TypeError(f"{fn}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(b).__name__}")
    return a, b


def unsafe_view(t, shape):
    """t's data reshaped as a new tensor recorded as UnsafeViewBackward0 (PyTorch's
    _unsafe_view: the result of an op that already copied, reshaped without being a view)."""
    return record_if(UnsafeViewBackward0, wrap(t._data.reshape(shape)), (t,), t._data.shape)


@export("torch", "Tensor")
def kron(input, other):
    """Kronecker product: blocks input[i] * other, for tensors of any number of dims."""
    nd = max(input._data.ndim, other._data.ndim)
    sa = (1,) * (nd - input._data.ndim) + input._data.shape
    sb = (1,) * (nd - other._data.ndim) + other._data.shape
    ra, rb = [], []
    for x, y in zip(sa, sb):
        ra += [x, 1]
        rb += [1, y]
    prod = input.reshape(ra) * other.reshape(rb)
    return unsafe_view(prod, tuple(x * y for x, y in zip(sa, sb)))


@derivative(reads_saved=staticmethod(reads_the_other))
def LinalgCrossBackward0(node, grad):
    a, b = node.saved
    d = node.params
    return (linalg_cross(b, grad, dim=d) if a._rg else None,
            linalg_cross(grad, a, dim=d) if b._rg else None)


@export("linalg.cross")
def linalg_cross(input, other, *, dim=-1, out=None):
    """Cross product of 3-vectors along dim (other dims broadcast)."""
    a, b = _tensors(input, other, "linalg_cross")
    ad, bd = a._data, b._data
    if ad.ndim != bd.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = wrap_dim(dim, ad.ndim)
    if ad.shape[d] != 3 or bd.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{ad.shape[d]} and {bd.shape[d]}")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected scalar type {a.dtype.short} but found {b.dtype.short}")
    same_device(a, b)
    limits.check_result(shape_bound(ad.shape, bd.shape), ad.itemsize)   # copied, broadcast
    r = record_if(LinalgCrossBackward0, wrap(xp_of(ad).cross(ad, bd, axis=d)), (a, b), d,
                  save=(a, b))
    return finish_out(r, out, "cross", (a, b))


@export("torch", "Tensor")
def cross(input, other, dim=None, *, out=None):
    """torch.cross: linalg.cross, with dim defaulting to the first dim of size 3 (warned)."""
    if dim is None:
        if not _WARNED_ONCE.get("cross"):
            _WARNED_ONCE["cross"] = True
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\n"
                          "Please either pass the dim explicitly or simply use torch.linalg."
                          "cross.\nThe "
                          "default value of dim will change to agree with that of linalg.cross "
                          "in a future release.", UserWarning, stacklevel=2)
        shape = input._data.shape
        dim = next((i for i, s in enumerate(shape) if s == 3), -1)
    return linalg_cross(input, other, dim=dim, out=out)


@export("linalg")
def vecdot(x, y, *, dim=-1, out=None):
    """The dot product of x and y along dim (x conjugated), the other dims broadcast."""
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x "
                           f"of type {x.dtype.short} and y of type {y.dtype.short} instead")
    return finish_out((x * y).sum(dim), out, "linalg_vecdot", (x, y))


@derivative(reads_saved=staticmethod(reads_the_other))
def VdotBackward0(node, grad):
    a, b = node.saved
    # conj(a) . b: antiholomorphic in a, so a's gradient is grad's conjugate times b
    return grad.conj() * b if a._rg else None, grad * a if b._rg else None


@export("torch", "Tensor")
def vdot(input, other, *, out=None):
    """The dot product of two 1-D tensors, the first conjugated."""
    a, b = _tensors(input, other, "vdot")
    if a._data.ndim != 1 or b._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a._data.ndim}D and "
                           f"{b._data.ndim}D tensors")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"vdot : expected both vectors to have same dtype, but found "
                           f"{a.dtype.short} and {b.dtype.short}")
    if a._data.shape != b._data.shape:
        n, m = a._data.shape[0], b._data.shape[0]
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to "
                           f"have the same number of elements, but got {n} and {m} elements "
                           "respectively")
    r = _product(VdotBackward0, a, b, xp_of(a._data).vdot(dense(a), dense(b)))
    return finish_out(r, out, "vdot", (a, b))


@export("linalg")
def multi_dot(tensors, *, out=None):
    """The product of a chain of matrices (the first may be a row vector, the last a column
    vector), multiplied in the order of fewest operations."""
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    first, last = tensors[0].ndim, tensors[-1].ndim
    for i, t in enumerate(tensors):
        want = (1, 2) if i in (0, n - 1) else (2,)
        if t.ndim not in want:
            what = "first" if i == 0 else "last" if i == n - 1 else None
            raise RuntimeError(f"multi_dot(): the {what} tensor must be 1D or 2D but got "
                               f"{t.ndim}D" if what else
                               f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    mats = list(tensors)
    if first == 1:
        mats[0] = mats[0].unsqueeze(0)
    if last == 1:
        mats[-1] = mats[-1].unsqueeze(-1)
    for i in range(n - 1):
        if mats[i].shape[-1] != mats[i + 1].shape[0]:
            a, b = mats[i].shape, mats[i + 1].shape
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {a[0]}x{a[1]}"
                               f" and {b[0]}x{b[1]} cannot be multiplied")
    r = _chain(mats)
    shape = [s for s, keep in ((r.shape[0], first == 2), (r.shape[1], last == 2)) if keep]
    return finish_out(r.view(tuple(shape)), out, "linalg_multi_dot", tuple(tensors))


def _chain(mats):
    """mm of the chain in PyTorch's order: the cheaper of the two for three matrices, else
    the dynamic programme of the matrix-chain problem (first best split kept)."""
    if len(mats) == 2:
        return mm(mats[0], mats[1])
    if len(mats) == 3:
        a, b = mats[0].shape
        c, d = mats[2].shape
        if (a * c) * (b + d) > (b * d) * (a + c):
            return mm(mats[0], mm(mats[1], mats[2]))
        return mm(mm(mats[0], mats[1]), mats[2])
    dims = [m.shape[0] for m in mats] + [mats[-1].shape[1]]
    n = len(mats)
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    def product(i, j):
        if i == j:
            return mats[i]
        k = split[i][j]
        return mm(product(i, k), product(k + 1, j))
    return product(0, n - 1)


@export("torch")
def chain_matmul(*matrices, out=None):
    """torch.chain_matmul (deprecated): multi_dot of its arguments."""
    if not _WARNED_ONCE.get("chain_matmul"):
        _WARNED_ONCE["chain_matmul"] = True
        warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch "
                      "release. Use torch.linalg.multi_dot instead, which accepts a list of two "
                      "or more tensors rather than multiple parameters.", UserWarning,
                      stacklevel=2)
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m.dim() != 2:
            raise RuntimeError(f"Tensor dimension is {m.dim()}, expected 2 instead.")
    if len(matrices) == 1:
        return matrices[0].clone()
    return multi_dot(matrices, out=out)
