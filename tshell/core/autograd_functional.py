"""torch.autograd.functional: vjp, jvp, jacobian, hessian, vhp and hvp of a Python function,
built on the engine's grad (reverse mode; jvp and hvp by the double-backward trick, as
PyTorch computes them). Results keep the tuple-ness of the inputs and outputs, are detached
unless create_graph=True, and hold zeros where an output does not depend on an input (an
error instead under strict=True); messages are PyTorch's.

vectorize=True (PyTorch's vmap over the basis vectors) gives the same Jacobian as the loop;
strategy="forward-mode" builds it column by column from Jacobian-vector products (jvp's
double-backward trick), with PyTorch's restrictions (vectorize=True only, neither strict nor
create_graph).
"""
from __future__ import annotations

from . import limits
from .autograd import enable_grad, grad, is_grad_enabled, set_grad_enabled
from .ops.creation import zeros_like
from .ops.shape import stack
from .tensor import Tensor

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


def _as_tuple(value, arg_name, fn_name):
    """(whether value was a tuple, value as a tuple of tensors)."""
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, v in enumerate(values):
        if not isinstance(v, Tensor):
            where = f"the value at index {i}" if is_tuple else f"the given {arg_name}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                            f"tuple of Tensors but {where} has type {type(v)}.")
    return is_tuple, values


def _fresh(tensors, create_graph, need_graph):
    """Inputs the function is traced from: views that keep the caller's graph when
    create_graph is set, detached leaves otherwise."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad
                 else t.detach().requires_grad_(need_graph) for t in tensors)


def _finish(tensors, create_graph):
    """Results (nested tuples of tensors) detached unless create_graph."""
    if tensors and isinstance(tensors[0], Tensor):
        return tensors if create_graph else tuple(t.detach() for t in tensors)
    return tuple(_finish(t, create_graph) for t in tensors)


def _unpack(result, is_tuple):
    return result if is_tuple else result[0]


def _unpack_nested(result, outputs_tuple, inputs_tuple):
    if not inputs_tuple:
        result = tuple(row[0] for row in result)
    return result if outputs_tuple else result[0]


def _check_v(v, other, other_is_tuple):
    if len(v) != len(other):
        if other_is_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but "
                               f"got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, other)):
        if a.size() != b.size():
            prefix = f"Entry {i} in " if other_is_tuple else ""
            raise RuntimeError(f"{prefix}v has invalid size: should be {b.size()} but got "
                               f"{a.size()}.")


def _vector(v, against, against_tuple, create_graph, fn, none_message):
    if v is None:
        if len(against) != 1 or against[0].numel() != 1:
            raise RuntimeError(none_message)
        return None
    _, v = _as_tuple(v, "v", fn)
    v = _fresh(v, create_graph, False)
    _check_v(v, against, against_tuple)
    return v


_NONE_FOR_INPUT = ("The vector v can only be None if the input to the user-provided function "
                   "is a single Tensor with a single element.")

_STRICT_NO_GRAD = {
    "outputs": "Output {i} of the user-provided function does not require gradients. The "
               "outputs must be computed in a differentiable manner from the input when "
               "running in strict mode.",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of "
                   "the user-provided function. This is not allowed in strict mode.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided "
                "function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).",
    "hessian": "The hessian of the user-provided function with respect to input {i} is "
               "independent of the input. This is not allowed in strict mode. You should "
               "ensure that your function is thrice differentiable and that the hessian "
               "depends on the inputs.",
}


def _check_requires_grad(tensors, kind, strict):
    if not strict:
        return
    for i, t in enumerate(tensors):
        if t is None:
            raise RuntimeError(f"The output of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode.")
        if not t.requires_grad:
            raise RuntimeError(_STRICT_NO_GRAD[kind].format(i=i))


def _grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """grad over the outputs that require grad (None for every input when none does)."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return grad(tuple(o for o, _ in pairs), inputs, tuple(g for _, g in pairs),
                retain_graph=retain_graph, create_graph=create_graph, allow_unused=True)


_INDEPENDENT = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
            "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward "
                         "mode AD.",
}


def _zeros_for_none(grads, refs, strict, create_graph, stage):
    out = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_INDEPENDENT[stage].format(i=i))
            g = zeros_like(refs[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode when "
                               "create_graph=True.")
        out.append(g)
    return tuple(out)


def _call(func, inputs, fn, strict):
    is_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", fn)
    _check_requires_grad(outputs, "outputs", strict)
    return is_tuple, outputs


def _single_output(outputs_tuple, outputs, fn):
    if outputs_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn} should contain "
                           "a single element")


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(*inputs), v^T J): the vector-Jacobian product at inputs."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _fresh(inputs, create_graph, True)
        outputs_tuple, outputs = _call(func, inputs, "vjp", strict)
        v = _vector(v, outputs, outputs_tuple, create_graph, "vjp",
                    "The vector v can only be None if the user-provided function returns a "
                    "single Tensor with a single element.")
    with set_grad_enabled(create_graph or is_grad_enabled()):
        result = _zeros_for_none(_grad(outputs, inputs, v, create_graph), inputs, strict,
                                 create_graph, "back")
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(*inputs), J v): the Jacobian-vector product, by differentiating the
    vector-Jacobian product with respect to its vector (the double-backward trick)."""
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _fresh(inputs, create_graph, True)
        v = _vector(v, inputs, inputs_tuple, create_graph, "jvp", _NONE_FOR_INPUT)
        outputs_tuple, outputs = _call(func, inputs, "jvp", strict)
        dummies = tuple(zeros_like(o, requires_grad=True) for o in outputs)
        grad_inputs = _grad(outputs, inputs, dummies, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with set_grad_enabled(create_graph or is_grad_enabled()):
        result = _zeros_for_none(_grad(grad_inputs, dummies, v, create_graph), outputs,
                                 strict, create_graph, "back_trick")
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(result, create_graph), outputs_tuple))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of func at inputs, row by row in reverse mode: for output i and input j,
    a tensor of shape output_i.shape + input_j.shape (tuples of them as func and inputs
    are tuples)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or '
                             '"reverse-mode". Hint: If your function has more outputs than '
                             'inputs, "forward-mode" tends to be more performant. Otherwise, '
                             'prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either '
                'set `create_graph=False` or `strategy="reverse-mode"`.')
        return _jacobian_forward(func, inputs, strict, vectorize)
    if strict and vectorize:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                           "`vectorized=True` are not supported together. Please either set "
                           "`strict=False` or `vectorize=False`.")
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _fresh(inputs, create_graph, True)
        outputs_tuple, outputs = _call(func, inputs, "jacobian", strict)
        rows = tuple(_jacobian_rows(i, out, inputs, create_graph, strict)
                     for i, out in enumerate(outputs))
    return _unpack_nested(_finish(rows, create_graph), outputs_tuple, inputs_tuple)


def _jacobian_forward(func, inputs, strict, vectorize):
    """The Jacobian column by column: J e_k for each basis vector e_k of the inputs."""
    if strict:
        raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and "
                           '`strategy="forward-mode"` are not supported together (yet). Please '
                           'either set `strict=False` or `strategy="reverse-mode"`.')
    if not vectorize:
        raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse "
                                  "Hessian isonly implemented for `vectorize=True`.")
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
    with enable_grad():
        outputs_tuple, outputs = _call(func, _fresh(inputs, False, False), "jacobian", False)
    blocks = tuple([] for _ in outputs)
    for j, inp in enumerate(inputs):
        check_blocks(outputs, inp)
        columns = tuple([] for _ in outputs)
        for k in range(inp.numel()):
            tangents = [zeros_like(t) for t in inputs]
            tangents[j].view(-1)[k] = 1
            _, jv = jvp(func, inputs, tuple(tangents))
            for column, value in zip(columns, jv if outputs_tuple else (jv,)):
                column.append(value)
        for block, out, column in zip(blocks, outputs, columns):
            block.append(stack(column, -1).reshape(out.shape + inp.shape) if column
                         else out.new_zeros(out.shape + inp.shape))
    # lists, not tuples: PyTorch's forward-mode jacobian returns its nesting as lists
    return _unpack_nested([list(b) for b in blocks], outputs_tuple, inputs_tuple)


def check_blocks(outputs, inp):
    """The cap on the Jacobian blocks (output.shape + inp.shape) of one input, before the
    loop that builds them row by row or column by column, holding every row until the end."""
    for out in outputs:
        limits.check_result(tuple(out.shape) + tuple(inp.shape), out.element_size())


def _jacobian_rows(i, out, inputs, create_graph, strict):
    """The Jacobian of output i with respect to each input."""
    per_input = tuple([] for _ in inputs)
    for inp in inputs:
        check_blocks((out,), inp)
    flat = out.reshape(-1)
    for k in range(out.numel()):
        grads = _grad((flat[k],), inputs, retain_graph=True, create_graph=create_graph)
        for j, (g, inp) in enumerate(zip(grads, inputs)):
            if g is None:
                if strict:
                    raise RuntimeError(f"Output {i} of the user-provided function is "
                                       f"independent of input {j}. This is not allowed in "
                                       "strict mode.")
                g = zeros_like(inp)
            elif strict and create_graph and not g.requires_grad:
                raise RuntimeError("The jacobian of the user-provided function is independent "
                                   f"of input {i}. This is not allowed in strict mode when "
                                   "create_graph=True.")
            per_input[j].append(g)
    return tuple(stack(rows, 0).view(out.shape + inp.shape)
                 for rows, inp in zip(per_input, inputs))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a function returning one single-element tensor: the Jacobian of its
    gradient, a tensor of shape input_i.shape + input_j.shape for each pair of inputs."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or '
                             '"reverse-mode".')

    def scalar_func(*inp):
        out = func(*inp)
        outputs_tuple, outputs = _as_tuple(out, "outputs of the user-provided function",
                                           "hessian")
        _check_requires_grad(outputs, "outputs", strict)
        _single_output(outputs_tuple, outputs, "hessian")
        return out.squeeze()

    def gradient_func(*inp):
        jac = jacobian(scalar_func, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    result = jacobian(gradient_func, inputs, create_graph=create_graph, strict=strict,
                      vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _unpack_nested(result, inputs_tuple, inputs_tuple)


def _gradient_of_scalar(func, inputs, v, create_graph, strict, fn):
    """The traced pieces of vhp and hvp: (inputs, v, outputs, the gradient of the output)."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn)
    inputs = _fresh(inputs, create_graph, True)
    v = _vector(v, inputs, inputs_tuple, create_graph, fn, _NONE_FOR_INPUT)
    outputs_tuple, outputs = _call(func, inputs, fn, strict)
    _single_output(outputs_tuple, outputs, fn)
    jac = _grad(outputs, inputs, create_graph=True)
    _check_requires_grad(jac, "jacobian", strict)
    return inputs_tuple, inputs, v, outputs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(*inputs), v^T H): the vector-Hessian product of a scalar function."""
    with enable_grad():
        inputs_tuple, inputs, v, outputs, jac = _gradient_of_scalar(
            func, inputs, v, create_graph, strict, "vhp")
    with set_grad_enabled(create_graph or is_grad_enabled()):
        result = _zeros_for_none(_grad(jac, inputs, v, create_graph), inputs, strict,
                                 create_graph, "double_back")
    return (_finish(outputs, create_graph)[0],
            _unpack(_finish(result, create_graph), inputs_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(*inputs), H v): the Hessian-vector product of a scalar function, by the
    double-backward trick."""
    with enable_grad():
        inputs_tuple, inputs, v, outputs, jac = _gradient_of_scalar(
            func, inputs, v, create_graph, strict, "hvp")
        dummies = tuple(zeros_like(t, requires_grad=True) for t in inputs)
        double_back = _grad(jac, inputs, dummies, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    with set_grad_enabled(create_graph or is_grad_enabled()):
        result = _zeros_for_none(_grad(double_back, dummies, v, create_graph), inputs, strict,
                                 create_graph, "double_back_trick")
    return (_finish(outputs, create_graph)[0],
            _unpack(_finish(result, create_graph), inputs_tuple))
