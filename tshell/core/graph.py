"""The autograd graph (torch.autograd.graph): nodes, the edges between them, and the hooks
that watch them.

A node is the `grad_fn` of the tensor an op produced: a Node subclass named as PyTorch names it
(`MulBackward0`), declared with `derivative` from its backward (on tensors, so that
create_graph=True records the backward itself). tensor.record links a node into the graph;
the engine (autograd.py) runs it. This module imports nothing of tshell: tensors are read
through their attributes.
"""
from __future__ import annotations

import itertools
import weakref

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")


class NodeClass(type):
    """type(y.grad_fn) prints as PyTorch's node classes do: <class 'MulBackward0'>, and
    <class 'torch.autograd.function.CubeBackward'> for a custom Function's."""

    def __repr__(cls):
        return f"<class '{cls._torch_module}{cls.__name__}'>"


class Node(metaclass=NodeClass):
    """A grad_fn. Subclasses define backward(grad) -> one gradient (or None) per input.

    `next_functions` holds, per input, (the node that produced it or its AccumulateGrad, 0),
    or (None, 0) for inputs that need no gradient. `saved` holds the tensors backward uses,
    with their version numbers, so that an in-place change is detected. `_watch` is None or
    the Watch of its outputs (their hooks and retain_grad).
    """

    __slots__ = ("next_functions", "_saved", "_versions", "_freed", "params", "_metas",
                 "_watch", "_out_meta", "_seq", "__weakref__")

    def name(self):
        return self.qualified_name or type(self).__name__

    qualified_name = None  # nodes written in C++ in PyTorch report a namespaced name
    _torch_module = ""     # where PyTorch's class lives, in its repr (custom Functions')

    def __repr__(self):
        return f"<{self._torch_module}{type(self).__name__} object at {id(self):#x}>"

    # Saved tensors (set by tensor.record) ----------------------------------------------
    @property
    def saved(self):
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        saved = self._saved
        if saved.__class__ is PackedSaves:
            return saved.values()
        for t, v in zip(saved, self._versions):
            now = getattr(t, "_ver", None)
            if (now[0] if now else 0) != v and self._reads(t):
                raise RuntimeError(_modified_message(t, v, self))
        return saved

    def _reads(self, t):
        """Whether backward reads saved tensor t (asked only when t changed in place)."""
        if self.reads_saved is None:
            return True
        i = next(i for i, s in enumerate(self._saved) if s is t)
        return self.reads_saved(self)[i]

    def _saved_named(self, name):
        """grad_fn._saved_self, _saved_other, _saved_result, _saved_exponent: what the node
        saved, under PyTorch's names (SAVED_NAMES), unpacked by saved_tensors_hooks'
        unpack_hook. (Properties, not a __getattr__: that would turn off CPython's
        specialised attribute reads on every node the engine walks.)"""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        value = self._saved_value(name)
        if value is _UNNAMED:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute "
                                 f"'_saved_{name}'")
        return value

    _saved_self = property(lambda self: self._saved_named("self"))
    _saved_other = property(lambda self: self._saved_named("other"))
    _saved_result = property(lambda self: self._saved_named("result"))
    _saved_exponent = property(lambda self: self._saved_named("exponent"))

    def _saved_value(self, name):
        if name == "result":
            return _UNNAMED if self._out_meta is None else rebuild_output(self)
        names = SAVED_NAMES.get(type(self).__name__) or (
            ("self",) if len(self.next_functions) == 1 else ())
        saved = self._saved or ()
        if name not in names or names.index(name) >= len(saved):
            return _UNNAMED
        i = names.index(name)
        if self.reads_saved is not None and not self.reads_saved(self)[i]:
            return None                     # PyTorch saves only what backward reads
        return saved.value(i) if saved.__class__ is PackedSaves else saved[i]

    # Optional: node -> one bool per saved tensor, whether backward reads it. PyTorch saves
    # `self` of x * y only when y needs a gradient, so changing x in place is then no error.
    reads_saved = None

    def backward(self, grad):  # pragma: no cover - every op overrides it
        raise NotImplementedError

    # Nodes with several outputs (split) receive a list with one gradient (or None) each.
    n_outputs = 1

    # Forward AD (forward_ad.py): the op's forward formula, (inputs, tangents, out, params)
    # -> the output's tangent (tangents: None for inputs without one), or None to use the
    # transposed backward; a string names the ATen op PyTorch gives no forward formula.
    jvp = None

    @property
    def metadata(self):
        return {}

    # For viewers of the graph (tshell's graph()): facts, not the tensors themselves.
    @property
    def saved_count(self):
        """How many tensors this node keeps for backward, or 'freed' after a backward."""
        if self._freed:
            return "freed"
        n = sum(1 for t in (self._saved or ()) if hasattr(t, "_data"))
        return n + (self._out_meta is not None)

    @property
    def input_shapes(self):
        """The shape of each input (None for inputs that were Python numbers)."""
        return [m[0] if m else None for m in (self._metas or ())]


# PyTorch's names of what a node of two inputs saved, in tshell's order of node.saved (a node
# of one input names it `self`; a saved output is `result`)
SAVED_NAMES = {"MulBackward0": ("self", "other"), "DivBackward0": ("self", "other"),
               "PowBackward0": ("self", "exponent")}
_UNNAMED = object()
rebuild_output = None   # tensor.saved_output (this module imports nothing of tshell)

# torch.autograd.graph.saved_tensors_hooks: the (pack_hook, unpack_hook) pairs in force,
# innermost last, and disable_saved_tensors_hooks' messages
SAVED_TENSORS_HOOKS: list = []
HOOKS_DISABLED: list = []


class PackedSaves(tuple):
    """A node's saved values recorded under saved_tensors_hooks: each tensor backward reads
    holds what pack_hook made of it, and every read unpacks it again, as in PyTorch."""

    def values(self):
        """Every saved value, the packed ones unpacked in the order they were packed."""
        items = list(self)
        for i in self.packed:
            items[i] = _unpacked(self.unpack, *items[i])
        return tuple(items)

    def value(self, i):
        item = tuple.__getitem__(self, i)
        return _unpacked(self.unpack, *item) if i in self.packed else item

    def output(self, node):
        return _unpacked(self.unpack, self.packed_out, (True, node, 0))


def pack_saves(node, save, out):
    """node's saves (and its output `out`, if saved) through the innermost pack_hook, in
    PyTorch's order: the inputs last to first (x * y packs y, then x), then the output."""
    pack, unpack = SAVED_TENSORS_HOOKS[-1]
    reads = node.reads_saved(node) if node.reads_saved is not None else (True,) * len(save)
    items, packed = list(save), []
    for i in reversed(range(len(save))):
        t = save[i]
        if reads[i] and hasattr(t, "_data"):
            items[i] = (pack(t), (t._rg, t._fn, t._nr))
            packed.append(i)
    saves = PackedSaves(items)
    saves.unpack, saves.packed = unpack, packed
    saves.packed_out = None if out is None else pack(out)
    node._saved = saves


def _unpacked(unpack, packed, autograd_meta):
    t = unpack(packed)
    if not hasattr(t, "_data"):
        raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got "
                        f"result of type {type(t).__name__}")
    return restore_saved(t, *autograd_meta)


restore_saved = None    # tensor.restore_saved (this module imports nothing of tshell)


def derivative(backward=None, *, name=None, base=Node, slots=(), **attributes):
    """Declare a grad_fn from its backward: the decorated function `(node, grad) -> one
    gradient (or None) per input` becomes the node class named as the function
    (`MulBackward0`), or `name` where one backward serves several nodes. node.params and
    node.saved hold what the op's forward recorded (record_if's params, save and save_out).
    attributes: reads_saved, n_outputs, ...

        @derivative
        def TBackward0(node, grad):
            return grad.t()
    """
    def declare(fn):
        cls = name or fn.__name__
        namespace = {"__slots__": tuple(slots), "backward": fn, "__doc__": fn.__doc__,
                     "__module__": fn.__module__, "__qualname__": cls, **attributes}
        return NodeClass(cls, (base,), namespace)
    return declare(backward) if backward is not None else declare


def output_grads(node, grads) -> tuple:
    """The per-output gradients a node with a number of outputs set per call receives (a
    Function's, split's, a backward hook's): the engine hands a node of one output its
    gradient alone."""
    return grads if node.n_outputs > 1 else (grads,)


def reads_the_other(node):
    """reads_saved of a product (x * y, x @ y, dot, mv...): backward reads each factor only
    for the other's gradient, as PyTorch saves them."""
    (fa, _), (fb, _) = node.next_functions
    return fb is not None, fa is not None


def op_name(node):
    """How PyTorch's messages name a node: ExpBackward0 -> Exp, PowBackward1 -> Pow1, and
    nodes written in C++ by their qualified name (torch::autograd::CopySlices)."""
    if node.qualified_name:
        return node.qualified_name
    name = type(node).__name__
    if name.endswith("Backward0"):
        return name[:-len("Backward0")]
    return name.replace("Backward", "", 1)


def _modified_message(t, version, node):
    shape = ", ".join(str(s) for s in t.shape)
    producer = t.grad_fn
    where = f", which is output 0 of {op_name(producer)}," if producer is not None else ""
    return ("one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [torch.{t.dtype.legacy} [{shape}]]{where} is at version "
            f"{t._version}; expected version {version} instead. Hint: enable anomaly detection "
            "to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds the incoming gradient into `.grad`."""

    __slots__ = ("variable",)
    qualified_name = "torch::autograd::AccumulateGrad"

    def __init__(self, variable):
        self._seq = next(SEQUENCE)
        self.variable = variable
        self.next_functions = ()
        self._saved = None
        self._freed = False
        self._metas = ()
        self._out_meta = None
        self._watch = variable._leaf_watch    # a leaf's hooks run here, before accumulating


# Creation order of nodes. A node's inputs are always made before it, so running nodes from
# the newest to the oldest visits each one after every node that feeds it (as PyTorch does).
SEQUENCE = itertools.count()


def edge_of(t):
    """The (node, 0) edge along which gradient flows into tensor t, or (None, 0)."""
    fn = t._fn
    if fn is not None:
        return (fn, t._nr)
    if t._rg:
        # The leaf holds its AccumulateGrad weakly (the graph holds it strongly), so leaf and
        # node form no reference cycle, as in PyTorch.
        ref = t._accumulator
        acc = ref() if ref is not None else None
        if acc is None:
            if t._nograd_view:
                # A view made in no_grad mode requires grad through its base, but PyTorch
                # gives it no grad accumulator: its gradient goes nowhere.
                return (None, 0)
            acc = AccumulateGrad(t)
            t._accumulator = weakref.ref(acc)
        return (acc, 0)
    return (None, 0)


# ---- hooks (Tensor.register_hook, register_post_accumulate_grad_hook) ---------------------

class Watch:
    """What watches a node's outputs: tensor hooks ({output number: {id: hook}}) and
    retain_grad ({output number: weak reference to the tensor}). Most nodes have none, so
    the engine tests one slot (`_watch is None`) per node."""

    __slots__ = ("hooks", "retained")

    def __init__(self):
        self.hooks, self.retained = {}, {}


def watch_of(node):
    """node's Watch, made on first use."""
    if node._watch is None:
        node._watch = Watch()
    return node._watch


class RemovableHandle:
    """What register_hook returns; remove() takes the hook out (again: nothing happens)."""

    __slots__ = ("_hooks", "_id", "_extra")
    __module__ = "torch.utils.hooks"      # type(h) prints <class 'torch.utils.hooks.Remov...'>
    _ids = itertools.count()

    def __init__(self, hooks, hook, extra=()):
        """hooks[id] = hook; `extra`: tables that may hold flags under the same id (a
        module's with_kwargs hooks), cleared with it."""
        self._hooks, self._id, self._extra = hooks, next(self._ids), extra
        hooks[self._id] = hook

    def remove(self):
        self._hooks.pop(self._id, None)
        for table in self._extra:
            table.pop(self._id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __repr__(self):
        return f"<torch.utils.hooks.RemovableHandle object at {id(self):#x}>"



def register_hook(t, hook):
    """Tensor.register_hook: hook(grad) sees the gradient of t as it is computed and may
    return a replacement. A leaf keeps its hooks; a non-leaf's belong to its grad_fn (so an
    in-place change of t later does not move them: they see the gradient of the old value)."""
    if not t._rg:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    node = t._fn
    if node is None:
        if t._leaf_watch is None:          # a leaf's hooks: output 0 of its AccumulateGrad
            t._leaf_watch = Watch()
            ref = t._accumulator
            acc = ref() if ref is not None else None
            if acc is not None:
                acc._watch = t._leaf_watch
        watch, nr = t._leaf_watch, 0
    else:
        watch, nr = watch_of(node), t._nr
    return RemovableHandle(watch.hooks.setdefault(nr, {}), hook)


def register_post_accumulate_grad_hook(t, hook):
    """hook(t) runs after a backward has accumulated into the leaf t's .grad."""
    if t._fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                           "tensors")
    if not t._rg:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if t._post_accumulate_hooks is None:
        t._post_accumulate_hooks = {}
    return RemovableHandle(t._post_accumulate_hooks, hook)

