"""Matrix products: mm bmm dot mv outer and matmul's dispatch between them."""
from __future__ import annotations

import math

import numpy as np

from .. import limits
from ..autograd import GradMode, Node, reads_the_other
from ..backend import backend_of, xp_of
from ..dtypes import FLOATING, INTEGRAL, TYPEMETA_NAMES, int64
from ..tensor import Tensor, record, saved_output, wrap
from .common import dense, finish_out, same_device, shape_bound
from .return_types import return_types


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
    return finish_out(product_2d(a, b), out, "mm", (a, b))


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
    _check_copied_operands(ad, bd)
    return _product(MmBackward0, a, b, xp_of(ad).matmul(ad, bd))


def _check_copied_operands(*arrays):
    """NumPy (2.5 on) copies a matmul operand whose strides BLAS cannot take: one expanded
    (a stride of 0) past the memory cap is refused before that copy, as other ops are."""
    for array in arrays:
        if 0 in array.strides:
            limits.check_dense(array)


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
    _check_copied_operands(a._data, b._data)
    r = _product(BmmBackward0, a, b, xp_of(a._data).matmul(a._data, b._data))
    return finish_out(r, out, "bmm", (a, b))


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
    r = _product(DotBackward0, a, b, xp_of(a._data).dot(dense(a), dense(b)))  # both copied
    return finish_out(r, out, "dot", (a, b))


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
    _check_copied_operands(a._data, b._data)
    r = _product(MvBackward0, a, b, xp_of(a._data).matmul(a._data, b._data))
    return finish_out(r, out, "mv", (a, b))


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
    return finish_out(r, out, "matmul", (a, b))


def _squeeze4(t):
    from .shape import SqueezeBackward4, _view_of
    src = t
    return _view_of(src, src._data.reshape(src._data.shape[1:]), SqueezeBackward4,
                    src._data.shape)


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
    return unsafe_view(r3, batch + ((n,) if a._data.ndim > 1 else ())
                       + ((m,) if b._data.ndim > 1 else ()))


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


def unsafe_view(t, shape):
    """t's data reshaped as a new tensor recorded as UnsafeViewBackward0 (PyTorch's
    _unsafe_view: the result of an op that already copied, reshaped without being a view)."""
    from .shape import UnsafeViewBackward0
    r = wrap(t._data.reshape(shape))
    if t._rg and GradMode.enabled:
        record(UnsafeViewBackward0, r, (t,), t._data.shape)
    return r


# ---- trace, einsum, tensordot, kron, cross -------------------------------------------------

class TraceBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        from .shape import _diagonal_grad
        shape = self.params
        return _diagonal_grad(grad.expand(min(shape)), shape, 0, 0, 1)


def trace(input):
    """Sum of the main diagonal of a matrix (integers summed as int64)."""
    xd = input._data
    if xd.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {xd.ndim}")
    dt = input.dtype
    if dt.name == "bool":
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    from .common import accumulator
    out = int64.np if dt.category <= INTEGRAL else dt.np
    r = wrap(xp_of(xd).asarray(xd.diagonal().sum(dtype=accumulator(dt) if dt.category > INTEGRAL
                                                 else out)).astype(out))
    if GradMode.enabled and input._rg:
        record(TraceBackward0, r, (input,), xd.shape)
    return r


def _einsum_labels(equation, operands):
    """Parse equation as PyTorch does: per-operand label lists (-1: ellipsis) and the output's
    (None when implicit)."""
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    ops, cur, seen_ell, i = [[]], 0, False, 0
    while i < len(lhs):
        c = lhs[i]
        if c == " ":
            pass
        elif c == ".":
            if seen_ell:
                raise RuntimeError(f"einsum(): found '.' for operand {cur} for which an "
                                   "ellipsis was already found")
            if not lhs.startswith("...", i):
                raise RuntimeError(f"einsum(): found '.' for operand {cur} that is not part of "
                                   "any ellipsis")
            ops[cur].append(-1)
            seen_ell, i = True, i + 2
        elif c == ",":
            cur += 1
            if cur >= len(operands):
                raise RuntimeError("einsum(): fewer operands were provided than specified in "
                                   "the equation")
            ops.append([])
            seen_ell = False
        elif c.isascii() and c.isalpha():
            ops[cur].append(c)
        else:
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation "
                               "string, subscripts must be in [a-zA-Z]")
        i += 1
    if cur != len(operands) - 1:
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    return ops, (None if arrow < 0 else equation[arrow + 2:]), len(lhs)


def _label_key(c):
    return (c.islower(), c)           # PyTorch orders A-Z before a-z


def einsum(equation, *operands):
    """Einstein summation, computed as PyTorch does (diagonals, permutes, bmm), so results and
    grad_fns match: einsum('ij,jk->ik', a, b), einsum('ii', a), einsum('...ij->...ji', a)."""
    equation, operands = _einsum_inputs(equation, operands)
    op_labels, rhs, lhs_len = _einsum_labels(equation, operands)
    count, ell_dims = _einsum_counts(op_labels, operands)
    perm_of, out_dims, nperm, ell_index = _einsum_dims(rhs, count, ell_dims, lhs_len)
    ops, dim_counts = _einsum_align(op_labels, operands, perm_of, nperm, ell_index, ell_dims)
    r = _einsum_contract(ops, out_dims, nperm, dim_counts)
    if nperm > out_dims:
        if len(operands) > 1:
            return r.view(r._data.shape[:out_dims])
        return r.sum(list(range(out_dims, nperm)))
    return r


def _einsum_inputs(equation, operands):
    """(equation string, tuple of tensors) from any of einsum's call forms, checked."""
    if not isinstance(equation, str):
        equation, operands = _sublist_equation(equation, operands)
    elif len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    for t in operands:
        if not isinstance(t, Tensor):
            raise TypeError(f"einsum(): argument 'operands' must be tuple of Tensors, not "
                            f"{type(t).__name__}")
    same_device(*operands)
    return equation, operands


def _einsum_counts(op_labels, operands):
    """How many operands each label appears in, and how many dims the ellipsis covers."""
    count, ell_dims = {}, 0
    for i, (labels, t) in enumerate(zip(op_labels, operands)):
        nd, n = t._data.ndim, sum(1 for c in labels if c != -1)
        has_ell = -1 in labels
        for c in labels:
            if c != -1:
                count[c] = count.get(c, 0) + 1
        if has_ell:
            ell_dims = max(ell_dims, nd - n)
        if (n > nd) if has_ell else (n != nd):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) "
                + ("is more than" if has_ell else "does not match") + f" the number of "
                f"dimensions ({nd}) for operand {i}" + ("" if has_ell else " and no ellipsis "
                                                         "was given"))
    return count, ell_dims


def _einsum_dims(rhs, count, ell_dims, lhs_len):
    """Each label's position among the output dims then the contracted ones: (perm_of,
    number of output dims, number of all dims, where the ellipsis dims start)."""
    perm_of, nperm, ell_index, ell_out = {}, 0, 0, False
    if rhs is None:             # implicit output: the ellipsis, then labels seen once, sorted
        nperm, ell_out = ell_dims, True
        for c in sorted(count, key=_label_key):
            if count[c] == 1:
                perm_of[c] = nperm
                nperm += 1
    else:
        i = 0
        while i < len(rhs):
            c = rhs[i]
            if c == ".":
                if ell_out:
                    raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) "
                                       "was already found")
                if not rhs.startswith("...", i):
                    raise RuntimeError("einsum(): found '.' for output that is not part of any "
                                       "ellipsis (...)")
                ell_index, nperm, ell_out, i = nperm, nperm + ell_dims, True, i + 2
            elif c != " ":
                if not (c.isascii() and c.isalpha()):
                    raise RuntimeError(f"einsum(): invalid subscript given at index "
                                       f"{lhs_len + 2 + i} in the equation string, subscripts "
                                       "must be in [a-zA-Z]")
                if c not in count or c in perm_of:
                    raise RuntimeError(f"einsum(): output subscript {c}" + (
                        " appears more than once in the output" if c in perm_of else
                        " does not appear in the equation for any input operand"))
                perm_of[c] = nperm
                nperm += 1
            i += 1
    out_dims = nperm
    if not ell_out:
        ell_index, nperm = nperm, nperm + ell_dims
    for c in sorted(count, key=_label_key):
        if c not in perm_of:
            perm_of[c] = nperm
            nperm += 1
    return perm_of, out_dims, nperm, ell_index


def _einsum_align(op_labels, operands, perm_of, nperm, ell_index, ell_dims):
    """Every operand permuted to all nperm dims (repeated labels taken as diagonals, missing
    ones as size-1 dims), and per dim how many operands have it larger than 1."""
    size_of, ell_sizes, dim_counts, ops = {}, [1] * ell_dims, [0] * nperm, []
    for i, (labels, t) in enumerate(zip(op_labels, operands)):
        perm, dim, op = [-1] * nperm, 0, t
        for c in labels:
            if c == -1:
                covered = t._data.ndim - (len(labels) - 1)
                for j in range(ell_dims - covered, ell_dims):
                    s = op._data.shape[dim]
                    if s != 1:
                        if ell_sizes[j] not in (1, s):
                            raise RuntimeError(
                                f"einsum(): dimension {dim} covered by ellipsis in operand {i}"
                                f"has size {s} which does not broadcast with previously seen "
                                f"ellipsis with size {ell_sizes[j]} for the respective "
                                "dimension")
                        ell_sizes[j] = s
                        dim_counts[ell_index + j] += 1
                    perm[ell_index + j] = dim
                    dim += 1
            elif perm[perm_of[c]] == -1:
                s = op._data.shape[dim]
                if s != 1:
                    if size_of.get(c, 1) not in (1, s):
                        raise RuntimeError(f"einsum(): subscript {c} has size {s} for operand "
                                           f"{i} which does not broadcast with previously seen "
                                           f"size {size_of[c]}")
                    size_of[c] = s
                    dim_counts[perm_of[c]] += 1
                perm[perm_of[c]] = dim
                dim += 1
            else:
                prev = perm[perm_of[c]]
                s, ps = op._data.shape[dim], op._data.shape[prev]
                if s != ps:
                    raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {i} "
                                       f"but the sizes don't match, {s} != {ps}")
                op = op.diagonal(0, prev, dim).movedim(-1, prev)
        for k in range(nperm):
            if perm[k] == -1:
                op = op.unsqueeze(dim)
                perm[k] = dim
                dim += 1
        ops.append(op.permute(perm))
    return ops, dim_counts


def _einsum_contract(ops, out_dims, nperm, dim_counts):
    """Multiply the aligned operands left to right, summing each contracted dim as soon as
    no later operand has it (PyTorch's order, so the grad_fns are PyTorch's)."""
    while len(ops) > 1:
        a, b = ops.pop(0), ops.pop(0)
        sum_dims, a_sum, b_sum = [], [], []
        for dim in range(out_dims, nperm):
            sa, sb = a._data.shape[dim], b._data.shape[dim]
            if sa != 1 and sb != 1:
                dim_counts[dim] -= 1
                if dim_counts[dim] == 1:
                    sum_dims.append(dim)
                    dim_counts[dim] = 0
            elif dim_counts[dim] == 1:
                if sa != 1:
                    a_sum.append(dim)
                    dim_counts[dim] = 0
                elif sb != 1:
                    b_sum.append(dim)
                    dim_counts[dim] = 0
        if a_sum:
            a = a.sum(a_sum, True)
        if b_sum:
            b = b.sum(b_sum, True)
        ops.insert(0, _sumproduct_pair(a, b, sum_dims))
    return ops[0]


def _sumproduct_pair(left, right, sum_dims):
    """left * right summed over sum_dims (kept as size 1), through one bmm."""
    if not sum_dims:
        return left * right
    nd = left._data.ndim
    lro, lo, ro = [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(nd):
        sl, sr = left._data.shape[i], right._data.shape[i]
        if i in sum_dims:
            if sl != 1 and sr != 1:
                sum_size *= sl
            elif sl != 1:
                left = left.sum(i, True)
            elif sr != 1:
                right = right.sum(i, True)
        elif sl != 1 and sr != 1:
            lro.append(i)
            lro_size *= sl
        elif sl != 1:
            lo.append(i)
            lo_size *= sl
        else:
            ro.append(i)
            ro_size *= sr
    out_size = ([left._data.shape[d] for d in lro] + [left._data.shape[d] for d in lo]
                + [1] * len(sum_dims) + [right._data.shape[d] for d in ro])
    lperm = lro + lo + sum_dims + ro
    rperm = lro + sum_dims + ro + lo
    operm = [0] * len(lperm)
    for i, d in enumerate(lperm):
        operm[d] = i
    a = left.permute(lperm).reshape(lro_size, lo_size, sum_size)
    b = right.permute(rperm).reshape(lro_size, sum_size, ro_size)
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected scalar type {a.dtype.short} but found {b.dtype.short}")
    if a.dtype.name == "bool":
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
    return bmm(a, b).view(out_size).permute(operm)


def _sublist_equation(first, rest):
    """einsum(op1, sublist1, op2, sublist2, ..., [sublist_out]) as an equation string."""
    args, out = (first,) + tuple(rest), None
    if len(args) % 2:
        args, out = args[:-1], args[-1]
    ops, subs = args[0::2], args[1::2]

    def letters(sub):
        return "".join("..." if s is Ellipsis else
                       chr(ord("A") + s) if s < 26 else chr(ord("a") + s - 26) for s in sub)
    eq = ",".join(letters(s) for s in subs)
    if out is not None:
        eq += "->" + letters(out)
    return eq, tuple(ops)


def tensordot(a, b, dims=2, out=None):
    """Sum of products over dims of a and b: the last `dims` of a with the first of b, or the
    listed pairs ([dims of a], [dims of b])."""
    if isinstance(dims, Tensor):
        dims = int(dims) if dims._data.ndim == 0 else dims.tolist()
    if isinstance(dims, (int,)) and not isinstance(dims, bool):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a._data.ndim, b._data.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got "
                               f"dims={dims}")
        da, db = list(range(-dims, 0)), list(range(dims))
    elif isinstance(dims, (list, tuple)) and len(dims) == 2:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    else:
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    from .common import wrap_dim
    na, nb = a._data.ndim, b._data.ndim
    da = [wrap_dim(d, na) for d in da]
    db = [wrap_dim(d, nb) for d in db]
    csize = 1
    for x, y in zip(da, db):
        sx, sy = a._data.shape[x], b._data.shape[y]
        if sx != sy:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {sx} "
                               f"in dim {x} and second has size {sy} in dim {y}")
        csize *= sx
    keep_a = [d for d in range(na) if d not in da]
    keep_b = [d for d in range(nb) if d not in db]
    sa = [a._data.shape[d] for d in keep_a]
    sb = [b._data.shape[d] for d in keep_b]
    t1 = a.permute(keep_a + da).reshape(math.prod(sa), csize)
    t2 = b.permute(db + keep_b).reshape(csize, math.prod(sb))
    r = product_2d(t1, t2).reshape(sa + sb)
    return finish_out(r, out, "tensordot", (a, b))


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


class LinalgCrossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        d = self.params
        return (linalg_cross(b, grad, dim=d) if a._rg else None,
                linalg_cross(grad, a, dim=d) if b._rg else None)

    reads_saved = staticmethod(reads_the_other)


def linalg_cross(input, other, *, dim=-1, out=None):
    """Cross product of 3-vectors along dim (other dims broadcast)."""
    a, b = _tensors(input, other, "linalg_cross")
    ad, bd = a._data, b._data
    if ad.ndim != bd.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    from .common import wrap_dim
    d = wrap_dim(dim, ad.ndim)
    if ad.shape[d] != 3 or bd.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{ad.shape[d]} and {bd.shape[d]}")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected scalar type {a.dtype.short} but found {b.dtype.short}")
    same_device(a, b)
    limits.check_result(shape_bound(ad.shape, bd.shape), ad.itemsize)   # copied, broadcast
    r = wrap(xp_of(ad).cross(ad, bd, axis=d))
    if GradMode.enabled and (a._rg or b._rg):
        record(LinalgCrossBackward0, r, (a, b), d, save=(a, b))
    return finish_out(r, out, "cross", (a, b))


def cross(input, other, dim=None, *, out=None):
    """torch.cross: linalg.cross, with dim defaulting to the first dim of size 3 (warned)."""
    if dim is None:
        import warnings
        from .shape import _WARNED_ONCE
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


# ---- inverse and determinant ---------------------------------------------------------------

class _LinAlgError(RuntimeError):
    """torch._C._LinAlgError: raised for singular matrices."""


def _lu_diagonal(ad):
    """LU with partial pivoting (as LAPACK's getrf), vectorised over the batch: U's diagonal
    and the permutation's sign. Determinants are their product, as PyTorch computes them."""
    xp = xp_of(ad)
    wide = xp.complex128 if ad.dtype.kind == "c" else xp.float64
    m = ad.astype(wide)            # float32 too: its results then round once, as LAPACK's do
    m = m.reshape((-1,) + ad.shape[-2:])
    n = ad.shape[-1]
    rows = xp.arange(m.shape[0])
    sign = xp.ones(m.shape[0], dtype=m.dtype)
    for k in range(n):
        p = k + xp.argmax(xp.abs(m[:, k:, k]), axis=1)
        swap = p != k
        sign = xp.where(swap, -sign, sign)
        top, piv = m[rows, k].copy(), m[rows, p].copy()
        m[rows, k], m[rows, p] = piv, top
        pivot = m[:, k, k]
        safe = xp.where(pivot == 0, 1, pivot)
        factor = xp.where((pivot == 0)[:, None], 0, m[:, k + 1:, k] / safe[:, None])
        m[:, k + 1:, :] -= factor[:, :, None] * m[:, k:k + 1, :]
    return xp.diagonal(m, axis1=1, axis2=2), sign


def _singular_error(ad):
    """PyTorch's (getrf's) words for a singular matrix: its first zero pivot."""
    diag, _ = _lu_diagonal(ad)
    size = np.abs(np.asarray(backend_of(ad).to_host(diag)))
    # the first exactly zero pivot; else (LAPACK rounded differently) the smallest one
    b, k = ([int(i[0]) for i in np.nonzero(size == 0)] if (size == 0).any() else
            divmod(int(np.argmin(size)), size.shape[-1]))
    where = f"(Batch element {b}): " if ad.ndim > 2 else ""
    return _LinAlgError(f"linalg.inv: {where}The diagonal element {k + 1} is zero, the inversion "
                        "could not be completed because the input matrix is singular.")


def _square_float(A, fn):
    ad = A._data
    if ad.ndim < 2:
        raise RuntimeError(f"linalg.{fn}: The input tensor A must have at least 2 dimensions.")
    if A.dtype.category < FLOATING:
        raise RuntimeError(f"linalg.{fn}: Expected a floating point or complex tensor as input. "
                           f"Got {A.dtype.short}")
    if ad.shape[-1] != ad.shape[-2]:
        raise RuntimeError(f"linalg.{fn}: A must be batches of square matrices, but they are "
                           f"{ad.shape[-2]} by {ad.shape[-1]} matrices")
    dense(A, 16 if ad.dtype.kind == "c" else 8)      # factorised in double precision


class LinalgInvExBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        inv = saved_output(self).mT
        return -(inv @ grad @ inv)


def inv(A, *, out=None):
    """Inverse of a square matrix (or of each in a batch)."""
    _square_float(A, "inv")
    ad = A._data
    xp = xp_of(ad)
    try:
        data = xp.linalg.inv(ad)
    except Exception:           # NumPy's LinAlgError for a singular matrix
        raise _singular_error(ad) from None
    if xp is not np and not bool(xp.isfinite(data).all()) and \
            not bool((_lu_diagonal(ad)[0] != 0).all()):
        raise _singular_error(ad)       # CuPy does not check: its result is inf or nan
    r = wrap(data.astype(ad.dtype, copy=False))
    if GradMode.enabled and A._rg:
        record(LinalgInvExBackward0, r, (A,), save_out=True)
    return finish_out(r, out, "inverse", (A,))


inverse = inv


class LinalgDetBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        A, = self.saved
        det_ = saved_output(self)
        return (grad * det_).unsqueeze(-1).unsqueeze(-1) * inv(A).mT


def det(A, *, out=None):
    """Determinant of a square matrix (or of each in a batch)."""
    _square_float(A, "det")
    ad = A._data
    diag, sign = _lu_diagonal(ad)
    data = (diag.prod(axis=-1) * sign).reshape(ad.shape[:-2])
    r = wrap(xp_of(ad).asarray(data).astype(ad.dtype, copy=False))
    if GradMode.enabled and A._rg:
        record(LinalgDetBackward0, r, (A,), save=(A,), save_out=True)
    return finish_out(r, out, "det", (A,))


# ---- Cholesky factorisation and triangular solves ------------------------------------------

def _cholesky_partial(ad):
    """LAPACK's potrf by columns, vectorised over the batch: the lower factor and, per
    matrix, 0 or the order of the first leading minor that is not positive-definite (where
    potrf stops: that pivot stays in the diagonal, the columns after it as they were)."""
    xp = xp_of(ad)
    batch = ad.reshape((-1,) + ad.shape[-2:])
    L = xp.tril(batch).copy()
    n = ad.shape[-1]
    info = xp.zeros(batch.shape[0], dtype=np.int32)
    for j in range(n):
        live = info == 0
        pivot = batch[:, j, j] - (L[:, j, :j] * L[:, j, :j]).sum(-1)
        failed = live & ~(pivot > 0)
        info = xp.where(failed, j + 1, info)
        root = xp.sqrt(xp.where(pivot > 0, pivot, 1))
        L[:, j, j] = xp.where(live, xp.where(failed, pivot, root), L[:, j, j])
        ok = live & ~failed
        below = (batch[:, j + 1:, j] - xp.matmul(L[:, j + 1:, :j], L[:, j, :j, None])[..., 0]) \
            / root[:, None]
        L[:, j + 1:, j] = xp.where(ok[:, None], below, L[:, j + 1:, j])
    return L.reshape(ad.shape).astype(ad.dtype, copy=False), info.reshape(ad.shape[:-2])


def _cholesky_factor(A, fn):
    """(L, info) of a batch of matrices, NumPy's factor where every one is positive-definite."""
    _square_float(A, fn)
    ad = A._data
    xp = xp_of(ad)
    try:
        L = xp.linalg.cholesky(ad)
        if xp is np or bool(xp.isfinite(L).all()):     # CuPy gives nan instead of an error
            return L, xp.zeros(ad.shape[:-2], dtype=np.int32)
    except np.linalg.LinAlgError:
        pass
    return _cholesky_partial(ad)


class LinalgCholeskyExBackward0(Node):
    """PyTorch's cholesky_backward: L^-H Phi(L^H gL) L^-1, Phi = tril with halved diagonal,
    symmetrised."""

    __slots__ = ()

    def backward(self, grad):
        upper = self.params
        L = saved_output(self)
        if upper:
            L, grad = L.mT, grad.mT
        gA = (L.mT @ grad).tril()
        gA = 0.5 * (gA + gA.tril(-1).mT)
        gA = solve_triangular(L.mT, gA, upper=True, left=True)
        return solve_triangular(L, gA, upper=False, left=False)


def _cholesky_result(A, L, upper):
    r = wrap(L.swapaxes(-1, -2).copy() if upper else L)
    if GradMode.enabled and A._rg:
        record(LinalgCholeskyExBackward0, r, (A,), upper, save_out=True)
    return r


def cholesky(A, *, upper=False, out=None):
    """The lower (or upper) triangular factor L of A = L L^H, A positive-definite."""
    L, info = _cholesky_factor(A, "cholesky")
    bad = np.asarray(backend_of(info).to_host(info)).reshape(-1)
    if bad.any():
        b = int(np.nonzero(bad)[0][0])
        where = f"(Batch element {b}): " if A._data.ndim > 2 else ""
        raise _LinAlgError(f"linalg.cholesky: {where}The factorization could not be completed "
                           "because the input is not positive-definite (the leading minor of "
                           f"order {int(bad[b])} is not positive-definite).")
    return finish_out(_cholesky_result(A, L, upper), out, "linalg_cholesky", (A,))


class linalg_cholesky_ex(return_types._Pair):
    """torch.return_types.linalg_cholesky_ex: (L, info)."""

    __slots__ = ()
    kind = "linalg_cholesky_ex"
    fields = ("L", "info")
    L = property(lambda self: self[0])
    info = property(lambda self: self[1])


return_types.linalg_cholesky_ex = linalg_cholesky_ex


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """cholesky without raising: (L, info), info 0 where A is positive-definite, else the
    order of its first leading minor that is not."""
    if check_errors:
        return linalg_cholesky_ex(cholesky(A, upper=upper), wrap(xp_of(A._data).zeros(
            A._data.shape[:-2], dtype=np.int32)))
    L, info = _cholesky_factor(A, "cholesky_ex")
    return linalg_cholesky_ex(_cholesky_result(A, L, upper), wrap(info))


def _substitute(a, b, upper, unitriangular):
    """X with a X = b for triangular a, by substitution row by row (as LAPACK's trtrs)."""
    xp = xp_of(a)
    n = a.shape[-1]
    x = xp.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:],
                 dtype=b.dtype)
    rows = range(n - 1, -1, -1) if upper else range(n)
    with np.errstate(all="ignore"):
        for i in rows:
            done = slice(i + 1, n) if upper else slice(0, i)
            acc = b[..., i, :] - xp.matmul(a[..., i:i + 1, done], x[..., done, :])[..., 0, :]
            x[..., i, :] = acc if unitriangular else acc / a[..., i, i, None]
    return x


class LinalgSolveTriangularBackward0(Node):
    """gB = A^-H gX; gA = -gB X^H (X^H gB when right), on A's triangle."""

    __slots__ = ()

    def backward(self, grad):
        A, = self.saved
        upper, left, unitriangular = self.params
        X = saved_output(self)
        gB = solve_triangular(A.mT, grad, upper=not upper, left=left,
                              unitriangular=unitriangular)
        (fa, _), (fb, _) = self.next_functions
        gA = None
        if fa is not None:
            gA = -(gB @ X.mT) if left else -(X.mT @ gB)
            gA = gA.triu(int(unitriangular)) if upper else gA.tril(-int(unitriangular))
        return gA, gB if fb is not None else None


_REQUIRED = object()


def solve_triangular(A, B, *, upper=_REQUIRED, left=True, unitriangular=False, out=None):
    """X with A X = B (X A = B when left=False), A upper or lower triangular; X has A's
    dtype."""
    if upper is _REQUIRED:
        raise TypeError('linalg_solve_triangular() missing 1 required positional arguments: '
                        '"upper"')
    for t, name in ((A, "A"), (B, "B")):
        if t._data.ndim < 2:
            raise RuntimeError(f"linalg.solve_triangular: The input tensor {name} must have at "
                               "least 2 dimensions.")
    if A.dtype.category < 2:
        raise NotImplementedError(f'"triangular_solve_cpu" not implemented for '
                                  f"'{A.dtype.short}'")
    _square_float(A, "solve_triangular")
    ad, bd = A._data, B._data
    if (ad.shape[-1] != bd.shape[-2]) if left else (ad.shape[-1] != bd.shape[-1]):
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"linalg.solve_triangular: Incompatible shapes of A and B for the "
                           f"equation {eq} ({ad.shape[-2]}x{ad.shape[-1]} and "
                           f"{bd.shape[-2]}x{bd.shape[-1]})")
    a, b = ad, bd.astype(ad.dtype, copy=False)
    if left:
        x = _substitute(a, b, upper, unitriangular)
    else:                                      # X A = B  <=>  A^T X^T = B^T
        x = _substitute(a.swapaxes(-1, -2), b.swapaxes(-1, -2), not upper,
                        unitriangular).swapaxes(-1, -2).copy()
    r = wrap(x)
    if GradMode.enabled and (A._rg or B._rg):
        record(LinalgSolveTriangularBackward0, r, (A, B), (upper, left, unitriangular),
               save=(A,), save_out=True)
    return finish_out(r, out, "linalg_solve_triangular", (A, B))


class CholeskyInverseBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        L, = self.saved
        inverse = saved_output(self)
        common = inverse @ ((grad + grad.mT) @ inverse)
        return -(L @ common) if self.params else -(common @ L)


def cholesky_inverse(L, upper=False, *, out=None):
    """The inverse of A = L L^H (U^H U when upper) from its Cholesky factor."""
    _square_float(L, "cholesky_inverse")
    ld = L._data
    xp = xp_of(ld)
    eye = xp.broadcast_to(xp.eye(ld.shape[-1], dtype=ld.dtype), ld.shape)
    factor = ld.swapaxes(-1, -2) if upper else ld        # the lower factor
    inv_factor = _substitute(factor, eye, False, False)
    r = wrap(xp.matmul(inv_factor.swapaxes(-1, -2).conj(), inv_factor))
    if GradMode.enabled and L._rg:
        record(CholeskyInverseBackward0, r, (L,), upper, save=(L,), save_out=True)
    return finish_out(r, out, "cholesky_inverse", (L,))

def qr_values(A):
    """(Q, R) of the reduced QR decomposition of a 2-D float tensor, without autograd: the
    values nn.init.orthogonal_ needs (torch.linalg.qr itself is not provided)."""
    xp = xp_of(A._data)
    q, r = xp.linalg.qr(A._data)
    return wrap(q), wrap(r)
