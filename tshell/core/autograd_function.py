"""torch.autograd.Function: an op whose forward and backward a program writes itself.

`MyFn.apply(*args)` runs `MyFn.forward(ctx, *args)` without recording (or, where the class
defines `setup_context`, PyTorch 2's form: `MyFn.forward(*args)`, then
`MyFn.setup_context(ctx, inputs, output)`), then records one node, `MyFnBackward`, whose
backward calls `MyFn.backward(ctx, *grads)` (PyTorch's torch/autograd/function.py behaviour
and messages).
"""

from __future__ import annotations

import warnings

from .grad_mode import GradMode, no_grad
from .graph import NodeClass, _modified_message, derivative, output_grads
from .ops.creation import zeros_like
from .tensor import Duals, Tensor, record
from . import forward_ad


class FunctionCtx:
    """The `ctx` of forward and backward: saved tensors, which inputs need a gradient, and
    any attribute forward sets for backward (ctx.k = k)."""

    def __init__(self):
        self.needs_input_grad: tuple = ()
        self._to_save: tuple = ()
        self._versions: tuple = ()
        self.materialize_grads = True
        self._non_differentiable: set = set()

    def save_for_backward(self, *tensors):
        """Keep tensors for backward (checked against in-place changes when read)."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError("save_for_backward can only save variables, but argument "
                                f"{tensors.index(t)} is of type {type(t).__name__}")
        self._to_save = tensors
        self._versions = tuple(t._version if t is not None else 0 for t in tensors)

    @property
    def saved_tensors(self) -> tuple:
        for t, version in zip(self._to_save, self._versions):
            if t is not None and t._version != version:
                raise RuntimeError(_modified_message(t, version, t.grad_fn))
        return self._to_save

    def save_for_forward(self, *tensors):
        """Keep tensors for jvp (read there as ctx.saved_tensors)."""
        for t in tensors:
            if not (isinstance(t, Tensor) or t is None):
                raise AssertionError("save_for_forward expects all arguments to be tensors; "
                                     "you should save non-tensors as attributes on ctx.")
        self._to_save_forward = tensors

    def mark_dirty(self, *tensors):
        """Accepted (tshell's in-place ops keep their own version counters)."""

    def mark_non_differentiable(self, *tensors):
        """These outputs get no gradient (they come out not requiring grad)."""
        self._non_differentiable.update(id(t) for t in tensors)

    def set_materialize_grads(self, value: bool):
        """Whether backward receives zeros (True) or None for outputs without a gradient."""
        self.materialize_grads = bool(value)


@derivative(slots=("ctx", "outputs_meta", "n_outputs"), function=None,
            _torch_module="torch.autograd.function.")
def FunctionBackward(node, grad):
    """The node a Function's apply records: its backward is the Function's (`function`, the
    Function subclass, is set per made class)."""
    grads = list(output_grads(node, grad))
    if node.ctx.materialize_grads:
        grads = [g if g is not None else zeros_like(ref) for g, ref in
                 zip(grads, node.outputs_meta)]
    result = node.function.backward(node.ctx, *grads)
    result = result if isinstance(result, tuple) else (result,)
    expected = len(node.next_functions)
    if len(result) > expected and all(r is None for r in result[expected:]):
        result = result[:expected]      # PyTorch drops trailing Nones (defaulted inputs')
    if len(result) != expected:
        raise RuntimeError(f"function {type(node).__name__} returned an incorrect number "
                           f"of gradients (expected {expected}, got {len(result)})")
    _check_gradients(node, result)
    return result


def _check_gradients(node, grads) -> None:
    """PyTorch's checks of what a Function's backward returned (python_function.cpp): a
    gradient for a tensor input is a tensor or None, for any other input None; anything else
    would go on into the engine, which takes tensors only."""
    for i, (g, meta) in enumerate(zip(grads, node._metas)):
        if g is None:
            continue
        if meta is None:
            raise RuntimeError(f"function {type(node).__name__} returned a gradient different "
                               f"than None at position {i + 1}, but the corresponding forward "
                               "input was not a Variable")
        if not isinstance(g, Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(g).__name__})")


_NODE_CLASSES: dict = {}


def _node_class(function: type) -> type:
    cls = _NODE_CLASSES.get(function)
    if cls is None:
        cls = _NODE_CLASSES[function] = NodeClass(
            f"{function.__name__}Backward", (FunctionBackward,),
            {"__slots__": (), "function": function})
    return cls


# How many vmaps are running their function now (func/vmap.py counts them): a Function
# applied inside one must say how it batches, as PyTorch's functorch requires (tshell's vmap
# runs the function per sample, so neither the vmap staticmethod nor a generated rule is
# called: the check keeps a program that PyTorch refuses from running here).
VMAP_DEPTH = [0]
_EXTENDING_FUNC = "https://pytorch.org/docs/main/notes/extending.func.html"


def _check_vmap_support(cls) -> None:
    """PyTorch's errors for a Function applied under vmap without a way to batch it."""
    if cls.setup_context is Function.setup_context:
        raise RuntimeError("In order to use an autograd.Function with functorch transforms "
                           "(vmap, grad, jvp, jacrev, ...), it must override the setup_context "
                           f"staticmethod. For more details, please see {_EXTENDING_FUNC}")
    overridden = cls.vmap is not Function.vmap
    if cls.generate_vmap_rule and overridden:
        raise RuntimeError(f"You tried to vmap over {cls.__name__}, but it has both "
                           "generate_vmap_rule=True and an overridden vmap staticmethod. Please "
                           "set generate_vmap_rule=False or delete the overridden vmap "
                           "staticmethod to avoid ambiguity. For more details, please see "
                           f"{_EXTENDING_FUNC}")
    if not (cls.generate_vmap_rule or overridden):
        raise RuntimeError(f"You tried to vmap over {cls.__name__}, but it does not have vmap "
                           "support. Please override and implement the vmap staticmethod or "
                           f"set generate_vmap_rule=True. For more details, please see "
                           f"{_EXTENDING_FUNC}")


class Function:
    """Base class of custom autograd functions (static forward and backward)."""

    generate_vmap_rule = False

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{type(self)!r} should not be instantiated. Methods on autograd "
                      "functions are all static, so you should invoke them on the class "
                      "itself. Instantiating an autograd function will raise an error in a "
                      "future version of PyTorch.", DeprecationWarning, stacklevel=2)

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def vmap(info, in_dims, *args):
        raise NotImplementedError("To use autograd.Function with vmap, you must either "
                                  "override the vmap staticmethod or set "
                                  "generate_vmap_rule=True.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward "
                                  "mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run forward without recording and record one node for the whole op."""
        if VMAP_DEPTH[0]:
            _check_vmap_support(cls)
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._rg for a in args)
        dual = bool(Duals) and any(getattr(a, "_fw", None) is not None for a in args)
        active = Duals.switch(False)    # forward sees primals only; jvp gives the tangents
        try:
            with no_grad():
                if cls.setup_context is Function.setup_context:
                    out = cls.forward(ctx, *args, **kwargs)
                else:       # forward without ctx; inputs: the arguments in the call's order
                    out = cls.forward(*args, **kwargs)
                    cls.setup_context(ctx, args + tuple(kwargs.values()), out)
            out = cls._recorded(ctx, args, out)
        finally:
            Duals.switch(active)
        if dual:
            _forward_tangents(cls, ctx, args, out)
        return out

    @classmethod
    def _recorded(cls, ctx, args, out):
        """out, with the node whose backward is cls.backward when something needs grad."""
        if not (GradMode.enabled and any(ctx.needs_input_grad)):
            return out
        outputs = out if isinstance(out, tuple) else (out,)
        outputs = tuple(_fresh(o, args) if isinstance(o, Tensor) else o for o in outputs)
        tensors = [o for o in outputs if isinstance(o, Tensor)]
        differentiable = [t for t in tensors if id(t) not in ctx._non_differentiable]
        if not differentiable:
            return out
        record(_node_class(cls), differentiable[0], args)
        node = differentiable[0]._fn
        # non-differentiable outputs stay outputs of the node: backward gets a gradient for
        # each (zeros, or None without materialize_grads), as in PyTorch
        node.ctx, node.outputs_meta = ctx, [t.detach() for t in tensors]
        node.n_outputs = len(tensors)
        for i, t in enumerate(tensors):
            if id(t) not in ctx._non_differentiable:
                t._fn, t._nr, t._rg = node, i, True
        return outputs if isinstance(out, tuple) else outputs[0]


def _fresh(t: Tensor, inputs) -> Tensor:
    """An output that is one of the inputs comes back as a new tensor on its memory (the
    input keeps its own history, as in PyTorch)."""
    if any(t is a for a in inputs) or t._fn is not None or t._rg:
        return t.detach().view_as(t) if t._data.ndim else t.detach()
    return t


_TWICE = ("trying to differentiate twice a function that was marked with "
          "@once_differentiable")


def _forward_tangents(cls, ctx, args, out):
    """The outputs' tangents from cls.jvp(ctx, *input tangents): zeros for a tensor input
    without one, None for other inputs; ctx.saved_tensors reads save_for_forward's."""
    tangents = [None if not isinstance(a, Tensor) else
                a._fw if a._fw is not None else zeros_like(a) for a in args]
    saved = getattr(ctx, "_to_save_forward", None)
    if saved is not None:
        ctx._to_save, ctx._versions = saved, tuple(
            t._version if t is not None else 0 for t in saved)
    Duals.switch(False)
    try:
        result = cls.jvp(ctx, *tangents)
    finally:
        Duals.switch(True)
    outputs = out if isinstance(out, tuple) else (out,)
    results = result if isinstance(result, tuple) else (result,)
    _check_tangents(outputs, results)
    for o, tangent in zip(outputs, results):
        if isinstance(o, Tensor) and tangent is not None:
            forward_ad.set_tangent(o, tangent)


def _check_tangents(outputs: tuple, tangents: tuple) -> None:
    """PyTorch's checks of what a Function's jvp returned (python_function.cpp): one tangent
    per output, each a tensor of its output's size or None. Anything else would become a
    tangent that the next op's formula computes with (a program's object, its __mul__ run
    inside the core)."""
    if len(tangents) != len(outputs):
        raise RuntimeError("Function's jvp returned an invalid number of forward gradients "
                           f"(expected {len(outputs)} but got {len(tangents)})")
    for i, (o, t) in enumerate(zip(outputs, tangents)):
        if t is None:
            continue
        if not isinstance(t, Tensor):
            raise RuntimeError(f"expected Variable or None (got {type(t).__name__}) for grad "
                               f"output {i}.")
        if isinstance(o, Tensor):
            forward_ad.check_tangent_size(o, t)


class DelayedError(Function):
    """The node once_differentiable puts on a backward's outputs: differentiating through it
    raises (PyTorch's torch._C._functions.DelayedError)."""

    @staticmethod
    def forward(ctx, *outputs):
        return outputs

    @staticmethod
    def backward(ctx, *grads):
        raise RuntimeError(_TWICE)


def once_differentiable(fn):
    """Decorates a Function's backward: it runs without recording, and a double backward
    through its results is PyTorch's error rather than a silent zero."""
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not GradMode.enabled or not any(isinstance(a, Tensor) and a.requires_grad
                                           for a in args):
            return outputs
        single = not isinstance(outputs, tuple)
        outputs = (outputs,) if single else outputs
        marked = DelayedError.apply(*[None if v is None else v.detach().requires_grad_()
                                      for v in outputs])
        return marked[0] if single else marked
    wrapper.__name__ = getattr(fn, "__name__", "backward")
    wrapper.__doc__ = fn.__doc__
    return wrapper


__all__ = ["Function", "FunctionCtx", "once_differentiable"]
