"""Scaled sums with products, as BLAS writes them: addmv, addr, addbmm, baddbmm
(beta * input + alpha * product), and vdot, chain_matmul and dist."""
from __future__ import annotations


from ..autograd import derivative, no_grad
from ..registry import export
from ..tensor import record_if, saved_output
from .linalg import bmm, mv, outer
from .pointwise import conj_if_complex
from .reduction import norm, norm_backward
from .scatter import _needs


def _scaled_sum(input, product, beta, alpha):
    """beta * input + alpha * product in product's dtype; input is ignored when beta is 0
    (its NaNs too), as BLAS does."""
    with no_grad():
        scaled = product if alpha == 1 else product * alpha
        if beta == 0:
            return scaled.clone() if scaled is product else scaled
        return (scaled + (input if beta == 1 else input * beta)).to(product.dtype)


def _input_grad(node, grad):
    input_shape, beta, _ = node.params
    return (grad * conj_if_complex(beta)).sum_to_size(input_shape)


def _alpha(node):
    """alpha as the gradients scale by it: conjugated (the conjugate Wirtinger convention of
    PyTorch's complex gradients; the products below use the conjugate transposes)."""
    return conj_if_complex(node.params[2])


@derivative
def AddmvBackward0(node, grad):
    _, mat, vec = node.saved
    alpha = _alpha(node)
    return (_input_grad(node, grad) if _needs(node, 0) else None,
            outer(grad, conj_if_complex(vec)) * alpha if _needs(node, 1) else None,
            mv(mat.mH, grad) * alpha if _needs(node, 2) else None)


@derivative
def AddrBackward0(node, grad):
    _, vec1, vec2 = node.saved
    alpha = _alpha(node)
    return (_input_grad(node, grad) if _needs(node, 0) else None,
            mv(grad, conj_if_complex(vec2)) * alpha if _needs(node, 1) else None,
            mv(grad.t(), conj_if_complex(vec1)) * alpha if _needs(node, 2) else None)


@derivative
def BaddbmmBackward0(node, grad):
    _, b1, b2 = node.saved
    alpha = _alpha(node)
    return (_input_grad(node, grad) if _needs(node, 0) else None,
            bmm(grad, b2.mH) * alpha if _needs(node, 1) else None,
            bmm(b1.mH, grad) * alpha if _needs(node, 2) else None)


@derivative
def AddbmmBackward0(node, grad):
    _, b1, b2 = node.saved
    alpha = _alpha(node)
    batched = grad.unsqueeze(0).expand(b1.shape[0], *grad.shape)
    return (_input_grad(node, grad) if _needs(node, 0) else None,
            bmm(batched, b2.mH) * alpha if _needs(node, 1) else None,
            bmm(b1.mH, batched) * alpha if _needs(node, 2) else None)


def _same_dtype(fn, *tensors):
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        names = ", ".join(t.dtype.short for t in tensors[:-1])
        raise RuntimeError(f"{fn} input tensors must have the same dtype, but got {names}, "
                           f"and {tensors[-1].dtype.short}")


def _record(node_cls, input, a, b, product, beta, alpha):
    out = _scaled_sum(input.expand(product.shape) if beta else input, product, beta, alpha)
    return record_if(node_cls, out, (input, a, b), (input.shape, beta, alpha),
                     save=(input, a, b))


@export("torch", "Tensor", "Tensor_", "torch_")
def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (mat @ vec)."""
    if mat.dim() != 2 or vec.dim() != 1 or mat.shape[1] != vec.shape[0] \
            or input.dim() > 1 or input.numel() not in (1, mat.shape[0]):
        raise RuntimeError(f"size mismatch, got input ({'x'.join(map(str, input.shape))}), "
                           f"mat ({'x'.join(map(str, mat.shape))}), "
                           f"vec ({'x'.join(map(str, vec.shape))})")
    _same_dtype("addmv", input, mat, vec)
    with no_grad():
        product = mv(mat, vec)
    return _record(AddmvBackward0, input, mat, vec, product, beta, alpha)


@export("torch", "Tensor", "Tensor_")
def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * outer(vec1, vec2)."""
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.dim() != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.dim()}-D")
    with no_grad():
        product = outer(vec1, vec2)
    return _record(AddrBackward0, input, vec1, vec2, product, beta, alpha)


def _check_batches(batch1, batch2):
    for name, b in (("batch1", batch1), ("batch2", batch2)):
        if b.dim() != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError("batch1 and batch2 must have same number of batches, got "
                           f"{batch1.shape[0]} and {batch2.shape[0]}")


@export("torch", "Tensor", "Tensor_")
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (batch1 @ batch2), matrix by matrix."""
    _check_batches(batch1, batch2)
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{batch1.shape[0]}, {batch1.shape[2]}] but got: "
                           f"[{batch2.shape[0]}, {batch2.shape[1]}].")
    if input.dtype is not batch1.dtype or batch1.dtype is not batch2.dtype:
        other = batch1.dtype if input.dtype is not batch1.dtype else batch2.dtype
        raise RuntimeError(f"expected scalar type {input.dtype.short} but found "
                           f"{other.short}")
    with no_grad():
        product = bmm(batch1, batch2)
    return _record(BaddbmmBackward0, input, batch1, batch2, product, beta, alpha)


@export("torch", "Tensor", "Tensor_")
def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * the sum of the matrix products batch1[i] @ batch2[i]."""
    _check_batches(batch1, batch2)
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x"
                           f"{batch1.shape[2]} and {batch2.shape[1]}x{batch2.shape[2]})")
    with no_grad():
        product = bmm(batch1, batch2).sum(0)
    return _record(AddbmmBackward0, input, batch1, batch2, product, beta, alpha)


@derivative
def DistBackward0(node, grad):
    a, b = node.saved
    p = node.params
    diff = a - b
    g = norm_backward(grad, diff, saved_output(node), p)
    return (g.sum_to_size(a.shape) if _needs(node, 0) else None,
            (-g).sum_to_size(b.shape) if _needs(node, 1) else None)


@export("torch", "Tensor")
def dist(input, other, p=2):
    """The p-norm of input - other (broadcast)."""
    with no_grad():
        r = norm(input - other, p)
    return record_if(DistBackward0, r, (input, other), p, save=(input, other), save_out=True)
