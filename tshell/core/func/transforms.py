"""torch.func's autograd transforms: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian
and linearize, on tshell's reverse-mode engine.

Each transform traces the function from fresh inputs: a detached leaf for an input that no
enclosing computation differentiates, a view of it for one that does (so that transforms
nest, and autograd flows through them to the caller's tensors). The gradients are taken with
create_graph=True whenever grad mode is on, and each result is handed back detached unless
its graph reaches a tensor that requires grad outside the transform (PyTorch's "undo
create_differentiable" of a functorch level). Forward mode (jvp, jacfwd, linearize) uses the
double-backward trick of torch.autograd.functional: J v is the gradient of (u^T J) v with
respect to u. Jacobians are torch.autograd.functional.jacobian's, row by row.
"""
from __future__ import annotations

from .. import forward_ad
from ..autograd import grad as autograd_grad
from ..autograd_functional import check_blocks, jacobian
from ..grad_mode import enable_grad, is_grad_enabled
from ..graph import AccumulateGrad
from ..ops.creation import zeros_like
from ..ops.shape import stack
from ..tensor import Tensor
from .pytree import tree_flatten, tree_map, tree_unflatten
from .vmap import check_randomness


# ---- argnums and the differentiable inputs -------------------------------------------------
def _wrap_argnum(argnum, num_args):
    if not isinstance(argnum, int):
        raise RuntimeError(f"argnum must be int, got: {type(argnum)}")
    if 0 <= argnum < num_args:
        return argnum
    if -num_args <= argnum < 0:
        return argnum + num_args
    raise RuntimeError(f"Got argnum={argnum}, but only {num_args} positional inputs")


def _checked_argnums(argnums, num_args):
    """argnums made non-negative, as PyTorch's _slice_argnums checks them."""
    if isinstance(argnums, int) and not isinstance(argnums, bool):
        return _wrap_argnum(argnums, num_args)
    if not isinstance(argnums, tuple):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    argnums = tuple(_wrap_argnum(a, num_args) for a in argnums)
    if not argnums:
        raise RuntimeError("argnums must be non-empty")
    if len(set(argnums)) != len(argnums):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return argnums


def _selected(args, argnums):
    return args[argnums] if isinstance(argnums, int) else tuple(args[i] for i in argnums)


def _replaced(args, argnums, new):
    if isinstance(argnums, int):
        return tuple(new if i == argnums else a for i, a in enumerate(args))
    return tuple(new[argnums.index(i)] if i in argnums else a for i, a in enumerate(args))


class _Level:
    """One transform's trace: its fresh inputs, whether an enclosing computation records
    (then results stay attached where they depend on it) and the helpers that undo it."""

    def __init__(self):
        self.outer = is_grad_enabled()
        self.fresh = []

    def differentiable(self, t):
        if not isinstance(t, Tensor):
            raise ValueError(f"Thing passed to transform API must be Tensor, got {type(t)}")
        fresh = t.view_as(t) if self.outer and t.requires_grad else \
            t.detach().requires_grad_()
        if t._fw is not None and fresh._fw is None:    # (jacfwd(jacrev(f)): forward over
            forward_ad.set_tangent(fresh, t._fw)       # reverse keeps the tangent)
        self.fresh.append(fresh)
        return fresh

    def gradients(self, outputs, inputs, grad_outputs=None, retain_graph=None):
        """d outputs / d inputs, zeros where an input does not reach the outputs."""
        pairs = [(o, g) for o, g in zip(outputs, grad_outputs or (None,) * len(outputs))
                 if o.requires_grad]
        if not pairs:
            return tuple(zeros_like(i) for i in inputs)
        grads = autograd_grad(tuple(o for o, _ in pairs), inputs,
                              tuple(g for _, g in pairs), retain_graph=retain_graph,
                              create_graph=self.outer, allow_unused=True)
        return tuple(zeros_like(i) if g is None else g for g, i in zip(grads, inputs))

    def release(self, tree):
        """tree's tensors detached unless their graph reaches beyond this level."""
        fresh = {id(t) for t in self.fresh}
        return tree_map(lambda v: v if not isinstance(v, Tensor) or not v.requires_grad
                        or _reaches_outside(v, fresh) else _detached(v), tree)


def _detached(t):
    """t cut from this level's graph, keeping its tangent (an enclosing forward-mode
    transform's: jacfwd(jacrev(f)))."""
    detached = t.detach()
    if t._fw is not None:
        forward_ad.set_tangent(detached, t._fw)
    return detached


def _reaches_outside(t, fresh_ids) -> bool:
    """Whether t's graph ends at a leaf that requires grad other than the fresh inputs."""
    if t.grad_fn is None:
        return id(t) not in fresh_ids
    seen, todo = set(), [t.grad_fn]
    while todo:
        node = todo.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, AccumulateGrad):
            if id(node.variable) not in fresh_ids:
                return True
            continue
        todo.extend(fn for fn, _ in node.next_functions)
    return False


def _split_aux(output, has_aux, api):
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{api}: output of function f should be a tuple: (output, aux) if "
                           "has_aux is True")
    return output


def _tensor_outputs(output, api):
    """The flat tensors of f's output, checked as PyTorch checks them."""
    flat, spec = tree_flatten(output)
    if not flat:
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output "
                           f"(got output = {flat})")
    for value in flat:
        if not isinstance(value, Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got "
                               f"unsupported type {type(value)}")
    return flat, spec


def _named(transform, func):
    """The function a transform returns, named after func (PyTorch wraps it)."""
    transform.__name__ = transform.__qualname__ = getattr(func, "__name__", "wrapper")
    transform.__doc__ = getattr(func, "__doc__", None)
    return transform


# ---- grad and vjp -----------------------------------------------------------------------
def grad_and_value(func, argnums=0, has_aux=False):
    """Returns a function to compute a tuple of the gradient and primal, or forward,
    computation."""
    api = "grad_and_value(f)(*args)"

    def wrapper(*args, **kwargs):
        level = _Level()
        with enable_grad():
            argnums_ = _checked_argnums(argnums, len(args))
            diff_args = tree_map(level.differentiable, _selected(args, argnums_))
            output, aux = _split_aux(func(*_replaced(args, argnums_, diff_args), **kwargs),
                                     has_aux, api)
            if not isinstance(output, Tensor):
                raise RuntimeError(f"{api}: Expected f(*args) to return a Tensor, got "
                                   f"{type(output)}")
            if output.dim() != 0:
                raise RuntimeError(f"{api}: Expected f(*args) to return a scalar Tensor, got "
                                   f"tensor with {output.dim()} dims. Maybe you wanted to use "
                                   "the vjp or jacrev APIs instead?")
            flat_args, spec = tree_flatten(diff_args)
            grads = tree_unflatten(level.gradients((output,), flat_args), spec)
        grads, output = level.release(grads), level.release(output)
        if has_aux:
            return grads, (output, level.release(aux))
        return grads, output
    return _named(wrapper, func)


def grad(func, argnums=0, has_aux=False):
    """grad operator helps computing gradients of func with respect to the input(s)
    specified by argnums."""
    with_value = grad_and_value(func, argnums, has_aux)

    def wrapper(*args, **kwargs):
        grads, value = with_value(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads
    return _named(wrapper, func)


def vjp(func, *primals, has_aux=False):
    """Standing for the vector-Jacobian product, returns a tuple containing the results of
    func applied to primals and a function that, when given cotangents, computes the reverse
    mode Jacobian of func with respect to primals times cotangents."""
    level = _Level()
    with enable_grad():
        diff_primals = tree_map(level.differentiable, primals)
        output, aux = _split_aux(func(*diff_primals), has_aux, "vjp(f, *primals)")
        flat_out, out_spec = _tensor_outputs(output, "vjp(f, *primals)")
        for out in flat_out:
            if not (out.is_floating_point() or out.is_complex()):
                raise RuntimeError("vjp(f, ...): All outputs of f must be floating-point or "
                                   f"complex Tensors, got Tensor with dtype {out.dtype}")
    flat_primals, primals_spec = tree_flatten(diff_primals)

    def vjp_fn(cotangents, *, retain_graph=True, create_graph=None):
        flat_ct, ct_spec = tree_flatten(cotangents)
        if ct_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as "
                               "pytree structure of outputs to the function. cotangents: "
                               f"{ct_spec.pretty()}, primal output: {out_spec.pretty()}")
        with enable_grad():
            grads = level.gradients(flat_out, flat_primals, flat_ct, retain_graph=True)
        return level.release(tree_unflatten(grads, primals_spec))
    results = (level.release(output), vjp_fn)
    return results + (level.release(aux),) if has_aux else results


# ---- forward mode: the double-backward trick -----------------------------------------------
def _linearized(level, func, primals, has_aux, api):
    """(outputs, their spec, aux, tangent map): f traced at primals, and the function that
    takes flat tangents to the flat J v."""
    with enable_grad():
        flat_primals, primals_spec = tree_flatten(primals)
        fresh = [level.differentiable(p) for p in flat_primals]
        output, aux = _split_aux(func(*tree_unflatten(fresh, primals_spec)), has_aux, api)
        flat_out, out_spec = _tensor_outputs(output, api)
        dummies = [zeros_like(o, requires_grad=True) for o in flat_out]
        outer, level.outer = level.outer, True        # the vjp must be differentiable in u
        vjps = level.gradients(flat_out, fresh, dummies)
        level.outer = outer

    def tangent_map(flat_tangents):
        with enable_grad():
            return level.gradients(vjps, dummies, flat_tangents, retain_graph=True)
    return flat_out, out_spec, aux, tangent_map


def _check_tuple_of_tensors(elts, api, argname):
    if not isinstance(elts, tuple):
        raise RuntimeError(f"{api}: Expected {argname} to be a tuple of Tensors, got "
                           f"{type(elts)}")


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """Standing for the Jacobian-vector product, returns a tuple containing the output of
    func(*primals) and the "Jacobian of func evaluated at primals" times tangents."""
    api = "jvp(f, primals, tangents)"
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{api}: Expected primals to be a tuple. E.g. it should be valid "
                           "to call f(*primals).")
    flat_primals, primals_spec = tree_flatten(primals)
    flat_tangents, tangents_spec = tree_flatten(tangents)
    if primals_spec != tangents_spec:
        raise RuntimeError(f"{api}: Expected primals and tangents to have the same python "
                           "structure. For example, if primals is a tuple of 3 tensors, "
                           "tangents also must be. Got primals with structure "
                           f"{primals_spec} and tangents with structure {tangents_spec}")
    for argname, flat in (("primals", flat_primals), ("tangents", flat_tangents)):
        if not flat:
            raise RuntimeError(f"{api}: Expected {argname} to contain at least one Tensor.")
        for value in flat:
            if not isinstance(value, Tensor):
                raise RuntimeError(f"{api}: Expected {argname} to only contain Tensors, got "
                                   f"{type(value)}")
    if forward_ad._Level.current < 0:
        flat_out, out_spec, aux, flat_jvp = _forward_mode(func, flat_primals, primals_spec,
                                                          flat_tangents, has_aux, api)
        return (tree_unflatten(flat_out, out_spec), tree_unflatten(flat_jvp, out_spec)) + (
            (aux,) if has_aux else ())
    # inside a program's own dual level (PyTorch's functorch levels nest; tshell's one dual
    # level does not): the double-backward trick
    level = _Level()
    flat_out, out_spec, aux, tangent_map = _linearized(level, func, primals, has_aux, api)
    outputs = level.release(tree_unflatten(flat_out, out_spec))
    tangents_out = level.release(tree_unflatten(tangent_map(flat_tangents), out_spec))
    return (outputs, tangents_out) + ((level.release(aux),) if has_aux else ())


def _forward_mode(func, flat_primals, primals_spec, flat_tangents, has_aux, api):
    """(flat outputs, their spec, aux, flat J t): func run once on dual tensors."""
    with forward_ad.dual_level():
        duals = [forward_ad.make_dual(p, t) for p, t in zip(flat_primals, flat_tangents)]
        output, aux = _split_aux(func(*tree_unflatten(duals, primals_spec)), has_aux, api)
        flat_out, out_spec = _tensor_outputs(output, api)
        unpacked = [forward_ad.unpack_dual(o) for o in flat_out]
        flat_jvp = [zeros_like(o) if t is None else t for o, (_, t) in zip(flat_out, unpacked)]
        flat_out = [p for p, _ in unpacked]
    if not (is_grad_enabled() and any(p.requires_grad for p in flat_primals)):
        # what the function's own graph (a jacrev inside) recorded stays inside the transform
        flat_out, flat_jvp = [o.detach() for o in flat_out], [t.detach() for t in flat_jvp]
    return flat_out, out_spec, aux, flat_jvp


def linearize(func, *primals):
    """Returns the value of func at primals and linear approximation at primals: a function
    that maps tangents to the Jacobian-vector product."""
    level = _Level()
    flat_out, out_spec, _, tangent_map = _linearized(level, func, primals, False,
                                                     "linearize")
    primals_spec = tree_flatten(primals)[1]

    def jvp_fn(*tangents):
        flat_tangents, spec = tree_flatten(tangents)
        if spec != primals_spec:
            raise RuntimeError("Expected the tangents to have the same structure as the "
                               f"primals. primals: {primals_spec}, tangents: {spec}")
        return level.release(tree_unflatten(tangent_map(flat_tangents), out_spec))
    return level.release(tree_unflatten(flat_out, out_spec)), jvp_fn


# ---- Jacobians and the Hessian --------------------------------------------------------------
def _jacobian_by_columns(level, flat_func, flat_args, api):
    """The Jacobian of flat_func column by column, one Jacobian-vector product per input
    element: forward-mode AD (func run on dual tensors once per column), or inside a
    program's own dual level the double-backward trick."""
    if forward_ad._Level.current < 0:
        flat_out = flat_func(*flat_args)

        def tangent_map(tangents):
            spec = tree_flatten(tuple(flat_args))[1]
            return _forward_mode(flat_func, flat_args, spec, tangents, False, api)[3]
    else:
        flat_out, _, _, tangent_map = _linearized(level, flat_func, tuple(flat_args), False,
                                                  api)
    blocks = [[] for _ in flat_out]
    for j, arg in enumerate(flat_args):
        check_blocks(flat_out, arg)
        columns = [[] for _ in flat_out]
        for k in range(arg.numel()):
            tangents = [zeros_like(a) for a in flat_args]
            tangents[j].view(-1)[k] = 1
            for column, value in zip(columns, tangent_map(tangents)):
                column.append(value)
        for i, (out, column) in enumerate(zip(flat_out, columns)):
            block = stack(column, -1) if column else out.new_zeros(out.shape + (0,))
            blocks[i].append(block.reshape(out.shape + arg.shape))
    return blocks


def _jacobian_transform(func, argnums, has_aux, api, forward=False):
    def wrapper(*args):
        level = _Level()
        argnums_ = _checked_argnums(argnums, len(args))
        diff_args = _selected(args, argnums_)
        flat_args, args_spec = tree_flatten(diff_args)
        captured = {}

        def flat_func(*flat):
            output = func(*_replaced(args, argnums_, tree_unflatten(list(flat), args_spec)))
            output, captured["aux"] = _split_aux(output, has_aux, api)
            flat_out, captured["spec"] = _tensor_outputs(output, api)
            return tuple(flat_out)
        if forward:
            rows = _jacobian_by_columns(level, flat_func, flat_args, api)
        else:
            fresh = tuple(level.differentiable(value) for value in flat_args)
            with enable_grad():
                rows = jacobian(flat_func, fresh, create_graph=level.outer)
        out_spec = captured["spec"]
        per_output = [tree_unflatten(list(row), args_spec) for row in rows]
        result = level.release(tree_unflatten(per_output, out_spec))
        return (result, level.release(captured["aux"])) if has_aux else result
    return wrapper


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """Computes the Jacobian of func with respect to the arg(s) at index argnum using reverse
    mode autodiff."""
    if chunk_size is not None and chunk_size <= 0:
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")
    return _named(_jacobian_transform(func, argnums, has_aux, "vjp(f, *primals)"), func)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """Computes the Jacobian of func with respect to the arg(s) at index argnum using forward
    mode autodiff (in tshell: the same Jacobian, by rows)."""
    check_randomness(randomness)
    return _named(_jacobian_transform(func, argnums, has_aux, "jvp(f, primals, tangents)",
                                      forward=True), func)


def hessian(func, argnums=0):
    """Computes the Hessian of func with respect to the arg(s) at index argnum via a
    forward-over-reverse strategy."""
    return _named(jacfwd(jacrev(func, argnums), argnums), func)

