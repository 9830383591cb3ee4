"""The backward engine (torch.autograd.backward, torch.autograd.grad): runs the graph of
graph.py from the outputs to the leaves.

The op modules import the graph's and grad mode's names from here too (GradMode, Node,
derivative, no_grad...), as they always have.
"""
from __future__ import annotations

import heapq
import operator
import sys
import warnings

from .backend import is_writeable, xp_of
from .dtypes import FROM_NUMPY
from .grad_mode import GradMode
from .graph import AccumulateGrad, edge_of
from .switches import AnomalyMode, check_nan_gradients
from .tensor import Tensor, wrap

# Where the op modules import them from (`from ..autograd import GradMode, Node`): grad mode's
# and the graph's names, one import site for the ops.
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad
from .grad_mode import set_grad_enabled
from .graph import FREED_MESSAGE, Node, NodeClass, RemovableHandle, SEQUENCE  # noqa: F401
from .graph import _modified_message, derivative, op_name, reads_the_other  # noqa: F401
from .graph import output_grads  # noqa: F401
from .graph import register_hook, register_post_accumulate_grad_hook, watch_of  # noqa: F401

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled"]


# ---- the engine ----------------------------------------------------------------------------

def run_backward(roots, grads, retain_graph, create_graph, capture=None):
    """Propagate `grads` from `roots` (tensors) through the graph.

    Without `capture`, gradients reaching leaves accumulate into `.grad`. With `capture`
    (a dict node -> None), gradients arriving at those nodes are returned instead.
    """
    pending = {}
    ready = []  # a heap of (-creation number, node): the newest node runs first
    for t, g in zip(roots, grads):
        node, nr = edge_of(t)
        if g is not None and g._data.dtype is not t._data.dtype:
            g = g.to(t.dtype)        # the engine casts a root's gradient to its dtype
        if node is None:
            raise RuntimeError("element 0 of tensors does not require grad and does not have "
                               "a grad_fn")
        if node not in pending:
            heapq.heappush(ready, (-node._seq, node))
        _add_pending(pending, node, nr, g)

    live = None if capture is None else _live_nodes([n for _, n in ready], capture)
    prev_mode = GradMode.enabled
    GradMode.enabled = create_graph
    CAPTURING.append(capture is not None)
    try:
        _drain(ready, pending, retain_graph, create_graph, capture, live)
    finally:
        CAPTURING.pop()
        GradMode.enabled = prev_mode


def _live_nodes(roots, capture):
    """The nodes autograd.grad (or backward(inputs=...)) visits, as PyTorch's exec_info: those
    on a path to a captured node, each mapped to whether it runs its backward (whether one of
    its inputs is on such a path). Other nodes neither run nor call their hooks."""
    order, seen = list(roots), set(roots)
    for node in order:                      # every node reachable from the roots
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                order.append(child)
    order.sort(key=_SEQ)                    # a node's inputs were made before it
    reaches, live = set(), {}
    for node in order:
        runs = False
        for child, _ in node.next_functions:
            if child in reaches:
                runs = True
                break
        if runs or node in capture:
            reaches.add(node)
            live[node] = runs
    return live


_SEQ = operator.attrgetter("_seq")


# Per running backward, innermost last: whether it captures gradients (autograd.grad,
# backward(inputs=...)), where a reentrant checkpoint cannot run (is_checkpoint_valid)
CAPTURING: list = []


def is_checkpoint_valid():
    """torch.autograd._is_checkpoint_valid: False inside a backward that captures."""
    return not (CAPTURING and CAPTURING[-1])


def _drain(ready, pending, retain_graph, create_graph, capture, live):
    """Run nodes newest-first until no gradient is waiting (the engine's hot loop)."""
    heappop, heappush = heapq.heappop, heapq.heappush
    waiting = pending.get
    while ready:
        node = heappop(ready)[1]
        grad = pending.pop(node)
        if capture is not None or node._watch is not None:
            grad = _observe(node, grad, create_graph, capture, live)
            if grad is _SKIP:
                continue
        if node.__class__ is AccumulateGrad:     # (with capture, a sink was skipped above)
            if node.variable._grad_dtype is not ...:
                grad = _in_grad_dtype(node.variable, grad)    # (_observe cast it already)
            box, grad = [grad], None          # the engine's only reference (see _unshared)
            _accumulate(node.variable, box, create_graph)
            if node.variable._post_accumulate_hooks:
                run_post_accumulate_hooks(node.variable)
            continue
        in_grads = node.backward(grad)
        if in_grads.__class__ is not tuple:
            in_grads = (in_grads,)
        if AnomalyMode.enabled and AnomalyMode.check_nan:
            check_nan_gradients(node, in_grads)
        for (child, nr), g, meta in zip(node.next_functions, in_grads, node._metas):
            if g is None or child is None:
                continue
            gd = g._data
            if gd.shape != meta[0] or gd.dtype is not meta[1]:
                g = _fit(g, meta, node)
            if child.n_outputs == 1:
                old = waiting(child)
                if old is None:
                    heappush(ready, (-child._seq, child))
                    pending[child] = g
                else:
                    pending[child] = old + g
            else:
                if child not in pending:
                    heappush(ready, (-child._seq, child))
                _add_pending(pending, child, nr, g)
        grad = in_grads = g = gd = None  # drop our references: a leaf may then take the buffer
        if not retain_graph and (node._saved or node._out_meta is not None):
            node._saved = None
            node._freed = True


_SKIP = object()


def _in_grad_dtype(leaf, grad):
    """A leaf's incoming gradient in the dtype `leaf.grad_dtype = ...` asked for (None: any
    dtype; unset: the leaf's own, which the engine already gives)."""
    wanted = leaf._grad_dtype
    return grad if wanted is None or grad.dtype is wanted else grad.to(wanted)


def _observe(node, grad, create_graph, capture, live):
    """What _drain does beyond running a node: its tensors' hooks, retain_grad, and for
    autograd.grad the capture of gradients; _SKIP when the node must not run (autograd.grad
    runs only nodes on a path to an input, and no sink)."""
    if capture is not None and node not in live:
        return _SKIP
    if node.__class__ is AccumulateGrad and node.variable._grad_dtype is not ...:
        grad = _in_grad_dtype(node.variable, grad)     # before the leaf's hooks see it
    watch = node._watch
    if watch is not None:
        if watch.hooks:
            grad = _run_tensor_hooks(node, watch.hooks, grad)
        if watch.retained:
            _store_retained(node, watch.retained, grad, create_graph)
    if capture is not None:
        if node in capture:
            capture[node] = grad if capture[node] is None else capture[node] + grad
        if not live[node]:
            return _SKIP
    return grad



def _hook_name(hook):
    name = getattr(hook, "__name__", None)
    return name if isinstance(name, str) else "<unknown>"


def _type_string(t):
    return f"torch.{'cuda.' if t.is_cuda else ''}{t.dtype.legacy}"


def call_hooks(hooks, value):
    """Call each hook on value in registration order; a result other than None replaces
    value for the hooks after it. PyTorch's checks and messages (python_hook.cpp)."""
    for hook in tuple(hooks.values()):          # a hook may remove itself
        result = hook(value)
        if result is None or result is value:
            continue
        if not isinstance(result, Tensor):
            raise TypeError(f"expected Variable, but hook returned "
                            f"'{type(result).__name__}'")
        if value is None:
            raise RuntimeError("can't replace a None gradient with a non-None value")
        if result._data.dtype != value._data.dtype or result.is_cuda != value.is_cuda:
            raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the type of value (was "
                               f"{_type_string(value)} got {_type_string(result)})")
        if result._data.shape != value._data.shape:
            raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")
        value = result
    return value


def _run_tensor_hooks(node, hooks_by_output, grad):
    """The gradient of node's outputs after the hooks registered on them."""
    if node.n_outputs == 1:
        hooks = hooks_by_output.get(0)
        return call_hooks(hooks, grad) if hooks else grad
    grad = list(grad)
    for nr, hooks in hooks_by_output.items():     # outputs in the order of their first hook
        if hooks:
            grad[nr] = call_hooks(hooks, grad[nr])
    return grad


def run_post_accumulate_hooks(t):
    if call_hooks(t._post_accumulate_hooks, t) is not t:
        raise RuntimeError("Tensor post accumulate grad hooks should return None.")



def _add_pending(pending, node, nr, g):
    """Sum g into the gradient waiting for output nr of node."""
    if node.n_outputs == 1:
        old = pending.get(node)
        pending[node] = g if old is None else old + g
        return
    slots = pending.get(node)
    if slots is None:
        slots = pending[node] = [None] * node.n_outputs
    slots[nr] = g if slots[nr] is None else slots[nr] + g


def _fit(g, meta, node):
    """Reduce a broadcast gradient to its input's shape and cast it to the input's dtype
    (a complex gradient of a real input to its real part); a gradient the input's shape
    does not broadcast to is node's error (a custom Function's backward), as in PyTorch."""
    shape, np_dtype = meta
    if g._data.shape != shape:
        if not _expandable(shape, g._data.shape):
            index = next(i for i, m in enumerate(node._metas) if m is meta)
            raise RuntimeError(f"Function {node.name()} returned an invalid gradient at "
                               f"index {index} - got {list(g._data.shape)} but expected "
                               f"shape compatible with {list(shape)}")
        if GradMode.enabled:                    # create_graph: the reduction is recorded
            g = g.sum_to_size(shape)
        else:
            g = wrap(sum_to_shape(g._data, shape))
    if g._data.dtype is not np_dtype:
        if g._data.dtype.kind == "c" and np_dtype.kind != "c":
            g = g.real          # PyTorch's engine: a real input takes the real part
        g = g.to(FROM_NUMPY[np_dtype])
    return g


def _expandable(shape, target) -> bool:
    """Whether `shape` broadcasts to `target` (PyTorch's is_expandable_to)."""
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


def broadcast_axes(full, shape):
    """The axes along which `shape` was broadcast to `full` (leading ones first)."""
    lead = len(full) - len(shape)
    return tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and full[i + lead] != 1)


def sum_to_shape(array, shape):
    """Sum an array broadcast from `shape` back down to it (the inverse of broadcasting)."""
    lead = array.ndim - len(shape)
    if lead == 1 and array.shape[1:] == shape:   # one prepended axis (`x + bias`)
        return array.sum(0) if array.itemsize != 2 else _half_sum(array, 0, False)
    axes = broadcast_axes(array.shape, shape)
    if not axes:
        return array
    if array.itemsize == 2:
        r = _half_sum(array, axes, len(axes) != lead)
    elif len(axes) == lead:      # only prepended axes: the sum has the shape
        return array.sum(axis=axes)
    else:
        r = array.sum(axis=axes, keepdims=True)
    return r.reshape(shape) if lead else r


def _half_sum(array, axes, keepdims):
    """A float16 or bfloat16 array's sum, accumulated in float32 and rounded once, as
    PyTorch's reductions are (a bias's gradient under autocast)."""
    return array.astype("float32").sum(axis=axes, keepdims=keepdims).astype(array.dtype)


def _unshared(box):
    """Whether the gradient tensor in `box` (a one-element list holding the engine's only
    reference to it) may become a leaf's .grad as it is: nothing else refers to the tensor
    nor to its array, and the array is no view of one that something else holds. So no
    user's tensor (a `gradient=` argument, a tensor a hook or a Function's backward returned
    or kept) and no other gradient on its way through the graph can alias the leaf's .grad.

    Each count is taken on a value that a subscript or an attribute load puts on the stack:
    those are strong references on every CPython, while the load of a local variable may push
    a borrowed one that sys.getrefcount does not count (3.14's LOAD_FAST_BORROW; arguments
    passed on). So an unshared value counts 2 on every version: its one holder and the stack.
    Callers must keep no local variable bound to the gradient or to its array.
    """
    if sys.getrefcount(box[0]) > 2 or sys.getrefcount(box[0]._data) > 2:
        return False
    if box[0]._data.base is None:
        return True
    if box[0]._base is None:
        return sys.getrefcount(box[0]._data.base) <= 2
    # A view made in the backward pass (TBackward0's grad.t() of nn.Linear's weight): its
    # base tensor holds the array's owner too, which is no other holder if nothing but this
    # view refers to that tensor and the tensor's array is the owner or a view only it holds.
    if sys.getrefcount(box[0]._base) > 2:
        return False
    if box[0]._base._data is not box[0]._data.base and (
            box[0]._base._data.base is not box[0]._data.base
            or sys.getrefcount(box[0]._base._data) > 2):
        return False
    return sys.getrefcount(box[0]._data.base) <= 3


def _accumulate(t, box, create_graph):
    """Add the gradient in `box` (see _unshared) into a leaf's .grad: a fresh copy first
    unless the buffer is unshared (grads may alias user tensors)."""
    if create_graph:
        grad = box[0]
        # A copy made with copy_ keeps the graph (PyTorch shows grad_fn=<CopyBackwards>).
        t._grad = grad.new_empty(grad.shape).copy_(grad) if t._grad is None else t._grad + grad
    elif t._grad is None:
        # Take the incoming buffer when nothing else can see it (PyTorch steals it too);
        # otherwise copy: the same gradient may be on its way to another leaf, or be a
        # tensor the user passed to backward().
        unshared = _unshared(box)
        d = box[0]._data
        # PyTorch's layout contract: a stolen gradient keeps the leaf's strides (a copy is
        # C-contiguous, which a C-contiguous leaf's own strides are)
        if unshared and is_writeable(d) and 0 not in d.strides and (
                d.strides == t._data.strides or d.flags.c_contiguous):
            t._grad = wrap(d)
        else:
            t._grad = wrap(d.copy())
    else:
        t._grad.add_(box[0].detach())


def _store_retained(node, retained, grad, create_graph):
    """.grad of the node's outputs that retain_grad() was called on ({number: weak ref})."""
    if node.n_outputs == 1:
        _store_one(retained[0](), grad, create_graph)
        return
    for nr, ref in retained.items():
        if grad[nr] is not None:
            _store_one(ref(), grad[nr], create_graph)


def _store_one(t, grad, create_graph):
    if t is None:
        return
    g = grad if create_graph else grad.detach()
    t._grad = g.clone() if t._grad is None else t._grad + g



# ---- public API: torch.autograd.backward / torch.autograd.grad ---------------------------

def _tensors_tuple(x):
    """PyTorch's normalisation of `tensors`/`inputs`: a tensor alone, or any iterable."""
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _initial_grads(outputs, grad_outputs):
    """The seed gradients, checked as torch.autograd._make_grads and the engine check them.

    A Tensor gradient stands alone; any other non-None value is iterated (so `backward(2.0)`
    fails as `'float' object is not iterable`). Outputs and gradients are paired with zip
    (as PyTorch does) and only then is their count compared.
    """
    if grad_outputs is None:
        grads = (None,) * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        grads = (grad_outputs,)
    else:
        grads = tuple(grad_outputs)
    seeds = []
    for out, g in zip(outputs, grads):
        if not isinstance(out, Tensor):
            raise AssertionError("Expected output to be a torch.Tensor")
        if isinstance(g, Tensor):
            if g.shape != out.shape:
                # grads.index / outputs.index compare tensors with ==, as PyTorch's do
                raise RuntimeError(f"Mismatch in shape: grad_output[{grads.index(g)}] has a "
                                   f"shape of {g.shape} and output[{outputs.index(out)}] has a "
                                   f"shape of {out.shape}.")
            if out.dtype.is_complex != g.dtype.is_complex:
                raise RuntimeError("For complex Tensors, both grad_output and output are "
                                   "required to have the same dtype. Mismatch in dtype: "
                                   f"grad_output[{grads.index(g)}] has a dtype of {g.dtype} and "
                                   f"output[{outputs.index(out)}] has a dtype of {out.dtype}.")
        elif g is None:
            if out._rg:
                if out._data.size != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if out.dtype.is_complex:
                    raise RuntimeError("grad can be implicitly created only for real scalar "
                                       f"outputs but got {out.dtype}")
                d = out._data
                g = xp_of(d).array(1, dtype=d.dtype)
                g = wrap(g.reshape(d.shape) if d.ndim else g)
        else:
            raise TypeError("gradients can be either Tensors or None, but got "
                            f"{type(g).__name__}")
        seeds.append(g)
    if len(outputs) != len(grads):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    for i, out in enumerate(outputs):
        if not out._rg:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
    return seeds


def _capture(ins, outs, seeds, retain, create_graph):
    """Run the graph from outs and return the gradient arriving at each input (or None)."""
    for t in ins:
        if not t._rg:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    capture = {}
    for t in ins:
        node, _ = edge_of(t)
        capture[node] = None
    run_backward(outs, seeds, retain, create_graph, capture)
    result = []
    for t in ins:
        node, nr = edge_of(t)
        g = capture[node]
        if isinstance(g, list):
            g = g[nr]
        result.append(g)
    return result


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate gradients of `tensors` into the .grad of the leaves they depend on.

    With `inputs`, only those tensors (leaves or not) get their .grad accumulated.
    """
    ins = None
    if inputs is not None:
        ins = tuple(inputs.values()) if type(inputs) is dict else _tensors_tuple(inputs)
        if not ins:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    outs = _tensors_tuple(tensors)
    seeds = _initial_grads(outs, grad_tensors)
    retain = create_graph if retain_graph is None else retain_graph
    if create_graph:
        _warn_create_graph_cycle()
    if ins is None:
        run_backward(outs, seeds, retain, create_graph)
        return
    for t in ins:
        if t._fn is not None:
            t.retain_grad()        # as PyTorch: the engine's retain_grad stores its gradient
    for t, g in zip(ins, _capture(ins, outs, seeds, retain, create_graph)):
        if g is not None and t._fn is None:
            _accumulate(t, [g if create_graph else g.detach()], create_graph)
            if t._post_accumulate_hooks:
                run_post_accumulate_hooks(t)


_CYCLE_WARNED = []


def _warn_create_graph_cycle():
    """PyTorch warns once per process (TORCH_WARN_ONCE) about backward(create_graph=True)."""
    if _CYCLE_WARNED:
        return
    _CYCLE_WARNED.append(True)
    warnings.warn(
        "Using backward() with create_graph=True will create a reference cycle between the "
        "parameter and its gradient which can cause a memory leak. We recommend using "
        "autograd.grad when creating the graph to avoid this. If you have to use this "
        "function, make sure to reset the .grad fields of your parameters to None after use "
        "to break the cycle and avoid the leak.", UserWarning, stacklevel=3)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Gradients of outputs with respect to inputs, returned (not accumulated)."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    if allow_unused is None:
        allow_unused = materialize_grads
    outs = _tensors_tuple(outputs)
    ins = tuple(inputs.values()) if type(inputs) is dict else _tensors_tuple(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to "
                      "True). To accumulate gradient for other parts of the graph, please use "
                      "torch.autograd.backward.", FutureWarning, stacklevel=2)
    seeds = _initial_grads(outs, grad_outputs)
    retain = create_graph if retain_graph is None else retain_graph
    result = []
    for i, (t, g) in enumerate(zip(ins, _capture(ins, outs, seeds, retain, create_graph))):
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not "
                                   "have been used in the graph. Set allow_unused=True if this "
                                   "is the desired behavior.")
            if materialize_grads:
                g = t.new_zeros(t.shape).requires_grad_(create_graph)
        elif not create_graph:
            g = g.detach()
        result.append(g)
    if type(inputs) is dict:
        return dict(zip(inputs.keys(), result))
    return tuple(result)
