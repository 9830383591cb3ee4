"""torch.nn.functional.grouped_mm: the grouped matrix product of Mixture-of-Experts layers,
one product per group of rows (or of the contraction), the groups' ends given by offs.

PyTorch computes it in one kernel with one grad_fn (GroupedMmBackward0); tshell writes it as
products of slices (composite_node.one_node), so its gradient is the composite's own."""
from __future__ import annotations

from ..dtypes import TYPEMETA_NAMES, bfloat16, float16, float32, int32
from ..registry import export
from .composite_node import one_node
from .creation import zeros
from .shape import cat, stack

_DTYPES = (float32, bfloat16, float16)


@export("F")
def grouped_mm(mat_a, mat_b, *, offs=None, bias=None, out_dtype=None):
    """Per-group products: a 2-D mat_a (rows sliced by offs) with a 3-D mat_b (one matrix
    per group); two 3-D operands (a batched product); two 2-D operands (the contraction
    sliced by offs: one (M, N) product per group); a 3-D mat_a with a 2-D mat_b (its columns
    sliced by offs). Rows or columns past offs[-1] are left zero (PyTorch leaves them
    unwritten)."""
    _check(mat_a, mat_b, offs, bias, out_dtype)
    bounds = None if offs is None else _bounds(offs)
    return one_node("GroupedMmBackward0", _grouped, (mat_a, mat_b), bounds)


def _check(a, b, offs, bias, out_dtype):
    for name, t in (("mat_a", a), ("mat_b", b)):
        if t.dtype not in _DTYPES:
            raise RuntimeError(f"Expected {name} to be Float32, BFloat16 or Float16 matrix, "
                               f"got {t.dtype.short}")
        if t.ndim not in (2, 3):
            raise RuntimeError(f"{name} has to be 2 or 3d")
    for t in (a, b):
        _check_strides(t)
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{TYPEMETA_NAMES[a.dtype.name]} != {TYPEMETA_NAMES[b.dtype.name]}")
    if (offs is None) != (a.ndim == 3 and b.ndim == 3):
        raise RuntimeError("Have to provide offsets if there is a 2d matrix, or no offset if "
                           "both matrices are 3d")
    if offs is not None:
        if offs.ndim != 1:
            raise RuntimeError("offs has to be 1D")
        if offs.dtype is not int32:
            raise RuntimeError("Offsets have to be int32")
    if a.ndim == 3 and b.ndim == 3 and a.shape[0] != b.shape[0]:
        raise RuntimeError("batched dimension has to match")
    if a.ndim == 3 or b.ndim == 3:
        if a.shape[-1] != b.shape[-2]:
            raise RuntimeError("contraction dimension of mat_a and mat_b must match")
        groups = a.shape[0] if a.ndim == 3 else b.shape[0]
        if offs is not None and offs.shape[0] != groups:
            raise RuntimeError("matrix batch sizes have to match")
    if bias is not None:
        raise RuntimeError("Bias not supported yet")
    if out_dtype is not None and out_dtype is not a.dtype:
        raise RuntimeError("Grouped gemm output dtype must match `mat_a` dtype")


def _check_strides(t):
    """The grouped kernels read each matrix row- or column-major, its other stride a
    multiple of 16 bytes."""
    (rows, cols), (s_rows, s_cols) = t.shape[-2:], t.stride()[-2:]
    alignment = 16 // t.dtype.itemsize
    if s_cols == 1 and s_rows >= max(1, cols):
        lead = s_rows
    elif s_rows == 1 and s_cols >= max(1, rows):
        lead = s_cols
    else:
        raise RuntimeError(f"Invalid strides/sizes, got {list(t.stride())} for strides and "
                           f"{list(t.shape)} for sizes")
    if lead % alignment:
        raise RuntimeError("strides should be multiple of 16 bytes")


def _bounds(offs):
    ends = [int(e) for e in offs.tolist()]
    return tuple(zip([0] + ends[:-1], ends))


def _grouped(a, b, bounds):
    if bounds is None:                                      # 3-D @ 3-D
        return a.bmm(b)
    if a.ndim == 2 and b.ndim == 3:                         # rows of a by group
        parts = [a[s:e].mm(b[i]) for i, (s, e) in enumerate(bounds)]
        return _with_rest(parts, a.shape[0] - bounds[-1][1], b.shape[2], a, 0)
    if a.ndim == 2:                                         # the contraction by group
        return stack([a[:, s:e].mm(b[s:e]) for s, e in bounds])
    parts = [a[i].mm(b[:, s:e]) for i, (s, e) in enumerate(bounds)]   # columns of b
    return _with_rest(parts, b.shape[1] - bounds[-1][1], a.shape[1], a, 1)


def _with_rest(parts, missing, width, like, dim):
    """The groups' results side by side, then zeros for what lies past offs[-1]."""
    if missing > 0:
        shape = (missing, width) if dim == 0 else (width, missing)
        parts.append(zeros(shape, dtype=like.dtype, device=like.device))
    return cat(parts, dim) if parts else zeros((0, width) if dim == 0 else (width, 0),
                                               dtype=like.dtype, device=like.device)

