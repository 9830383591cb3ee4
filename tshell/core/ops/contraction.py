"""Contractions: einsum (PyTorch's order of diagonals, permutes and bmm), tensordot, trace."""
from __future__ import annotations

import math

from ..autograd import derivative
from ..backend import xp_of
from ..dtypes import INTEGRAL, int64
from ..registry import export
from ..tensor import Tensor, record_if, wrap
from .common import accumulator, finish_out, same_device, wrap_dim
from .linalg import bmm, product_2d
from .shape import _diagonal_grad


@derivative
def TraceBackward0(node, grad):
    shape = node.params
    return _diagonal_grad(grad.expand(min(shape)), shape, 0, 0, 1)


@export("torch", "Tensor")
def trace(input):
    """Sum of the main diagonal of a matrix (integers summed as int64)."""
    xd = input._data
    if xd.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {xd.ndim}")
    dt = input.dtype
    if dt.name == "bool":
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    out = int64.np if dt.category <= INTEGRAL else dt.np
    r = wrap(xp_of(xd).asarray(xd.diagonal().sum(dtype=accumulator(dt) if dt.category > INTEGRAL
                                                 else out)).astype(out))
    return record_if(TraceBackward0, r, (input,), xd.shape)


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


@export("torch")
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


@export("torch")
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
