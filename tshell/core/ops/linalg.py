"""Matrix products: mm bmm dot mv outer and matmul's dispatch between them."""
from __future__ import annotations

import math

from .. import limits
from ..autograd import GradMode, Node, reads_the_other
from ..backend import xp_of
from ..dtypes import TYPEMETA_NAMES
from ..tensor import Tensor, record, wrap
from .common import same_device


def _check_same_dtype(a, b, fn):
    ad, bd = a._data, b._data
    if ad.dtype != bd.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{TYPEMETA_NAMES[a.dtype.name]} != {TYPEMETA_NAMES[b.dtype.name]}")
    if type(ad) is not type(bd):   # arrays of one backend live on one device kind
        same_device(a, b)


def _product(node_cls, a, b, data):
    r = wrap(data)
    if GradMode.enabled and (a._rg or b._rg):
        record(node_cls, r, (a, b), save=(a, b))
    return r


class MmBackward0(Node):
    __slots__ = ()
    reads_saved = staticmethod(reads_the_other)

    def backward(self, grad):
        a, b = self.saved
        return (product_2d(grad, b.t()) if a._rg else None,
                product_2d(a.t(), grad) if b._rg else None)


def mm(input, mat2, *, out=None):
    """Matrix product of two 2-D tensors."""
    a, b = _tensors(input, mat2, "mm")
    return _out(product_2d(a, b), out, "mm", a, b)


def product_2d(a, b):
    """mm of two tensors: its checks and the recorded product (`x @ w` comes here directly)."""
    ad, bd = a._data, b._data
    if ad.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if bd.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, k), (k2, m) = ad.shape, bd.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    _check_same_dtype(a, b, "mm")
    limits.check_result((n, m), ad.itemsize)
    return _product(MmBackward0, a, b, xp_of(ad).matmul(ad, bd))


class BmmBackward0(Node):
    __slots__ = ()
    reads_saved = staticmethod(reads_the_other)

    def backward(self, grad):
        a, b = self.saved
        return (grad.bmm(b.transpose(1, 2)) if a._rg else None,
                a.transpose(1, 2).bmm(grad) if b._rg else None)


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
    limits.check_result((bs, n, m), a._data.itemsize)
    r = _product(BmmBackward0, a, b, xp_of(a._data).matmul(a._data, b._data))
    return _out(r, out, "bmm", a, b)


class DotBackward0(Node):
    __slots__ = ()
    reads_saved = staticmethod(reads_the_other)

    def backward(self, grad):
        a, b = self.saved
        return grad * b if a._rg else None, grad * a if b._rg else None


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
    r = _product(DotBackward0, a, b, xp_of(a._data).dot(a._data, b._data))
    return _out(r, out, "dot", a, b)


inner = dot


class MvBackward0(Node):
    __slots__ = ()
    reads_saved = staticmethod(reads_the_other)

    def backward(self, grad):
        a, b = self.saved
        return (grad.unsqueeze(1) * b if a._rg else None,
                a.t().mv(grad) if b._rg else None)


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
    r = _product(MvBackward0, a, b, xp_of(a._data).matmul(a._data, b._data))
    return _out(r, out, "mv", a, b)


def outer(input, vec2):
    """Outer product of two vectors."""
    return input.unsqueeze(1) * vec2


ger = outer


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
    return _out(r, out, "matmul", a, b)


def _squeeze4(t):
    from .shape import SqueezeBackward4, _view_of
    src = t
    return _view_of(src, src._data.reshape(src._data.shape[1:]), SqueezeBackward4,
                    src._data.shape)


def _fold_left(a, b):
    """(..., n, k) @ (k, m): fold the batch into rows, one mm, then unfold."""
    from .shape import UnsafeViewBackward0
    lead = a._data.shape[:-1]
    if b._data.ndim == 1 and b._data.shape[0] != a._data.shape[-1]:
        n = math.prod(lead)
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{a._data.shape[-1]}), "
                           f"vec ({b._data.shape[0]})")
    bb = b if b._data.ndim == 2 else b.unsqueeze(1)
    r2 = mm(a.reshape(-1, a._data.shape[-1]), bb)
    shape = lead + ((bb._data.shape[1],) if b._data.ndim == 2 else ())
    r = wrap(r2._data.reshape(shape))
    if r2._rg and GradMode.enabled:
        record(UnsafeViewBackward0, r, (r2,), r2._data.shape)
    return r


def _batched(a, b):
    """Broadcast the batch dims, then bmm."""
    import numpy as np
    from .shape import UnsafeViewBackward0
    a2 = a.unsqueeze(0) if a._data.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b._data.ndim == 1 else b
    n, k = a2._data.shape[-2:]
    k2, m = b2._data.shape[-2:]
    try:
        batch = np.broadcast_shapes(a2._data.shape[:-2], b2._data.shape[:-2])
    except ValueError:
        from .common import broadcast_error
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
    shape = batch + ((n,) if a._data.ndim > 1 else ()) + ((m,) if b._data.ndim > 1 else ())
    r = wrap(r3._data.reshape(shape))
    if r3._rg and GradMode.enabled:
        record(UnsafeViewBackward0, r, (r3,), r3._data.shape)
    return r


def _addmm_reads(node):
    """addmm reads mat1 for mat2's gradient, mat2 for mat1's, and never the bias."""
    _, (f1, _), (f2, _) = node.next_functions
    return False, f2 is not None, f1 is not None


class AddmmBackward0(Node):
    __slots__ = ()
    reads_saved = staticmethod(_addmm_reads)

    def backward(self, grad):
        bias, a, b = self.saved
        beta, alpha = self.params
        return (grad * beta if bias._rg else None,
                grad.mm(b.t()) * alpha if a._rg else None,
                a.t().mm(grad) * alpha if b._rg else None)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2)."""
    for name, t in (("self", input), ("mat1", mat1)):
        if t.dtype is not mat2.dtype:
            raise RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                               f"{t.dtype.short} and {mat2.dtype.short}")
    prod = mm(mat1.detach(), mat2.detach())
    if input._data.shape != prod._data.shape:
        input.detach().expand(*prod._data.shape)   # PyTorch's error for a bad bias shape
    xp = xp_of(prod._data)
    data = prod._data * alpha + input._data * beta if (alpha, beta) != (1, 1) else \
        prod._data + input._data
    r = wrap(xp.asarray(data).astype(prod._data.dtype, copy=False))
    if GradMode.enabled and (input._rg or mat1._rg or mat2._rg):
        record(AddmmBackward0, r, (input, mat1, mat2), (beta, alpha),
               save=(input, mat1, mat2))
    return r


def _tensors(a, b, fn):
    if not isinstance(a, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(a).__name__}")
    if not isinstance(b, Tensor):
        raise TypeError(f"{fn}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(b).__name__}")
    return a, b


def _out(r, out, fn, a, b):
    if out is None:
        return r
    from .pointwise import _finish_out
    return _finish_out(r, out, fn, (a, b))
