"""The Tensor: an array from a backend plus autograd state.

Only state and the Python protocol live here; the operations are declared in ops/ and bound
as methods by methods.py, so every op is written once and reachable as `torch.f(x)` and
`x.f()` alike.
"""
from __future__ import annotations

import warnings
from weakref import ref as _weakref

import numpy as np

from . import graph, printing
from .backend import BY_ARRAY_TYPE, backend_of
from .dtypes import FLOATING, FROM_NUMPY, DEFAULTS, INTEGRAL, TYPEMETA_NAMES, TorchClass
from .grad_mode import INFERENCE, INFERENCE_REQUIRES_GRAD, INFERENCE_VERSION, GradMode, \
    INFERENCE_MODE
from .meta import MetaArray
from .graph import SEQUENCE, edge_of
from .registry import export

_new = object.__new__


@export("torch")
class Size(tuple, metaclass=TorchClass):
    """torch.Size: a tuple of ints that prints as `torch.Size([5, 3])`."""

    __slots__ = ()

    def __repr__(self):
        return printing.size_repr(self)

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))


# Tensor._bits: PyTorch's lazy conjugate and negative bits (ops/complex_numbers.py).
CONJ_BIT, NEG_BIT = 1, 2


@export("torch")
class Tensor(metaclass=TorchClass):
    """A multi-dimensional array with PyTorch's semantics."""

    # Defaults as class attributes: creating a tensor sets only what differs (speed).
    _rg = False            # requires_grad
    _fn = None             # grad_fn (a Node) for non-leaves
    _grad = None
    _ver = None            # version counter [n], shared by all views of one storage
    _base = None           # the tensor this one is a view of
    _accumulator = None    # weak reference to a leaf's AccumulateGrad node, made on first use
    _retains = False
    _nograd_view = False   # a view of a tensor requiring grad, made in no_grad mode
    _nr = 0                # which output of its grad_fn this tensor is (split pieces)
    _grad_dtype = ...      # x.grad_dtype set: None (any) or a dtype; ... while unset
    _leaf_watch = None     # a leaf's register_hook hooks (graph.Watch)
    _post_accumulate_hooks = None    # register_post_accumulate_grad_hook's
    _storage = None        # the flat storage array a tensor from torch.load views
    _fw = None             # forward AD's tangent at the open dual level (forward_ad.py)
    _bits = 0              # PyTorch's conjugate / negative bits (complex_numbers.py), kept by views
    __array_priority__ = 1000  # numpy defers `ndarray + tensor` to Tensor.__radd__

    def __init__(self, *args, **kwargs):
        from .ops.creation import legacy_constructor   # a cycle: ops.creation makes Tensors
        t = legacy_constructor(*args, **kwargs)
        self._data = t._data

    # ---- state ------------------------------------------------------------------------
    @property
    def dtype(self):
        return FROM_NUMPY[self._data.dtype]

    @property
    def device(self):
        return backend_of(self._data).device_of(self._data)

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def shape(self):
        return Size(self._data.shape)

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def data(self):
        # Same memory, but (unlike detach()) a version counter of its own: changes made
        # through .data are invisible to autograd, as in PyTorch.
        return wrap(self._data)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got "
                            f"{type(value).__name__}")
        if self._rg and FROM_NUMPY[value._data.dtype].category < FLOATING:
            raise RuntimeError("data set to a tensor that requires gradients must be floating "
                               "point or complex dtype")
        self._data = value._data

    @property
    def grad_fn(self):
        return self._fn

    @property
    def is_leaf(self):
        return self._fn is None

    @property
    def requires_grad(self):
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value):
        # PyTorch's THPVariable_set_requires_grad: its own texts, unlike requires_grad_()'s
        if value.__class__ is not bool:
            raise RuntimeError("requires_grad must be a bool")
        if self._fn is not None:
            from .ops.inplace import NONLEAF_FLAG_ERROR   # a cycle: ops.inplace uses Tensor
            raise RuntimeError(NONLEAF_FLAG_ERROR if not value else
                               "you can only change requires_grad flags of leaf variables.")
        if value and FROM_NUMPY[self._data.dtype].category < FLOATING:
            raise RuntimeError("only Tensors of floating point and complex dtype can require "
                               "gradients")
        if value and self._ver is INFERENCE and not INFERENCE_MODE:
            raise RuntimeError(INFERENCE_REQUIRES_GRAD)
        self._rg = value

    @property
    def grad(self):
        if self._fn is not None and not self._retains and self._grad is None:
            _warn_non_leaf_grad()     # PyTorch warns only while .grad is undefined
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad "
                                f"of type {type(value).__name__}")
            wanted = self.grad_dtype           # (tensor_info.py's property)
            if wanted is not None and value.dtype is not wanted:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{TYPEMETA_NAMES[value.dtype.name]}' to a tensor with grad_dtype "
                    f"'{wanted.short}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can "
                    "set the tensor's grad_dtype attribute with a specific dtype, or None to "
                    "allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a "
                    "tensor and its gradient may break downstream systems that assume they "
                    "match.")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a "
                    f"tensor of size '{list(self.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size")
        self._grad = value

    @property
    def _version(self):
        if self._ver is INFERENCE:
            raise RuntimeError(INFERENCE_VERSION)
        return 0 if self._ver is None else self._ver[0]

    def _counter(self):
        """The version counter shared by this storage's views (made on first need)."""
        if self._ver is None:
            self._ver = [0]
        return self._ver

    def _bump(self):
        counter = self._counter()
        if counter is INFERENCE:
            counter.written()
        else:
            counter[0] += 1

    @property
    def output_nr(self):
        return self._nr

    # ---- hooks --------------------------------------------------------------------------
    def register_hook(self, hook):
        """hook(grad) runs when this tensor's gradient is computed; a tensor it returns
        replaces the gradient. Returns a handle whose remove() unregisters it."""
        return graph.register_hook(self, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """hook(tensor) runs on a leaf after backward has accumulated into its .grad."""
        return graph.register_post_accumulate_grad_hook(self, hook)

    # ---- Python protocol ----------------------------------------------------------------
    def __repr__(self):
        return tensor_repr(self)

    __str__ = __repr__

    def __format__(self, spec):
        # PyTorch: a 0-d tensor formats as its number (f"{loss}" gives 0.25), any other
        # tensor as its repr, and only without a format spec.
        if self._data.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        if self._rg and GradMode.enabled:
            return iter(self.unbind(0))        # PyTorch's: rows with grad_fn=<UnbindBackward0>
        return _Rows(self)

    def __reversed__(self):
        # PyTorch's: reversed(t) is t.flip(0) (d2l's bidirectional RNN walks reversed(inputs));
        # a 0-d tensor is itself
        return self if self._data.ndim == 0 else self.flip(0)

    def __bool__(self):
        n = self._data.size
        if n != 1:
            raise RuntimeError(f"Boolean value of Tensor with "
                               f"{'no values' if n == 0 else 'more than one value'} is ambiguous")
        return bool(self._data.reshape(()))

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __index__(self):
        if self.dtype.category > INTEGRAL or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._scalar())

    def __complex__(self):
        return complex(self._scalar())

    def __hash__(self):
        return id(self)

    def __array__(self, dtype=None, copy=None):
        if self._data.__class__ is MetaArray:
            raise TypeError("can't convert meta device type tensor to numpy. Use Tensor.cpu() "
                            "to copy the tensor to host memory first.")
        if self._rg and GradMode.enabled:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        a = backend_of(self._data).to_host(self._data)
        return a if dtype is None else a.astype(dtype)

    def __reduce__(self):
        raise TypeError("tshell tensors are not picklable; use save()")

    def __deepcopy__(self, memo):
        """copy.deepcopy (of a module's buffers, say): a leaf's copy, with its grad copied."""
        if self._fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment.  If you were attempting to deepcopy a "
                "module, this may be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001")
        if id(self) not in memo:
            new = wrap(self._data.copy())
            new._rg = self._rg
            if self._grad is not None:
                new._grad = self._grad.__deepcopy__(memo)
            memo[id(self)] = new
        return memo[id(self)]


def _warn_non_leaf_grad():
    warnings.warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
        ".grad attribute won't be populated during autograd.backward(). If you indeed want "
        "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
        "non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
        "the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more "
        "information.", UserWarning, stacklevel=3)


class _Rows:
    """iter(x) where no graph records the rows: x[0], x[1]... made one at a time (PyTorch
    iterates over x.unbind(0), a tuple: the same views, made all at once)."""

    __slots__ = ("_t", "_i")

    def __init__(self, t):
        self._t, self._i = t, 0

    def __iter__(self):
        return self

    def __next__(self):
        t, i = self._t, self._i
        if t is None or i >= t._data.shape[0]:
            self._t = None
            raise StopIteration
        self._i = i + 1
        return t[i]

    def __length_hint__(self):
        return 0 if self._t is None else self._t._data.shape[0] - self._i

    def __repr__(self):
        return f"<tuple_iterator object at {id(self):#x}>"


_Rows.__name__ = _Rows.__qualname__ = "tuple_iterator"
_Rows.__module__ = "builtins"           # type(iter(x)) prints <class 'tuple_iterator'>


def wrap(array):
    """A new tensor over `array` (no grad); NumPy scalars become 0-d arrays."""
    if type(array) not in BY_ARRAY_TYPE:
        array = np.asarray(array)
    t = _new(Tensor)
    t._data = array
    if INFERENCE_MODE:           # made in inference_mode: an inference tensor
        t._ver = INFERENCE
    return t


def make_view(base, array):
    """A tensor over `array`, a view of base's storage: they share the version counter."""
    t = _new(Tensor)
    t._data = array
    t._ver = base._counter()
    t._base = base._base if base._base is not None else base
    if base._bits:
        t._bits = base._bits
    return t


def register_view(view):
    """Remember a view recorded by autograd whose base is not a leaf.

    PyTorch regenerates a view's grad_fn (as AsStridedBackward0 of its base) once its base,
    or another view of the base, is written in place; inplace.commit_history does that for
    the views listed here (weakly, after the version number in the shared counter).
    """
    base = view._base
    if base is not None and base._fn is not None:
        counter = view._ver
        counter.append(_weakref(view))
        if not len(counter) & 31:     # now and then, forget views that are gone
            counter[1:] = [r for r in counter[1:] if r() is not None]


class DualsSwitch(list):
    """Forward AD's hook into recording (forward_ad.py, which stands above the engine, sets
    `propagate`): while a dual level is open and ops propagate, the list holds one element,
    and each recorded op hands its inputs and output to `propagate`, which gives the output
    its tangent. A list so that the test every op makes, `if Duals:`, is a length check
    (cheaper than reading a class attribute); closed, it is the one cost of forward AD."""

    __slots__ = ("propagate",)

    def switch(self, on) -> bool:
        """Propagation on or off; returns whether it was on."""
        was = bool(self)
        if on and not was:
            self.append(True)
        elif was and not on:
            self.clear()
        return was


Duals = DualsSwitch()
Duals.propagate = None


_NO_EDGE = (None, 0)


def record(node_cls, out, inputs, params=None, save=(), save_out=False):
    """Make `out` the result of node_cls applied to inputs (tensors or Python numbers)."""
    node = _new(node_cls)
    edges, metas = [], []
    for t in inputs:
        if t.__class__ is Tensor:
            fn = t._fn   # edge_of, inlined: this runs for every input of every recorded op
            edges.append((fn, t._nr) if fn is not None else edge_of(t) if t._rg else _NO_EDGE)
            d = t._data
            metas.append((d.shape, d.dtype))
        else:
            edges.append(_NO_EDGE)
            metas.append(None)
    node.next_functions = tuple(edges)
    node._metas = metas
    node.params = params
    node._seq = next(SEQUENCE)
    node._freed = False
    node._watch = None
    if save_out:
        counter = out._counter()
        node._out_meta = (out._data, counter, counter[0])
    else:
        node._out_meta = None
    if save:
        node._saved = save
        # Versions at save time (Python numbers, and tensors never changed in place: 0).
        node._versions = [t._ver[0] if t.__class__ is Tensor and t._ver else 0
                          for t in save]
    else:
        node._saved = node._versions = ()
    if graph.SAVED_TENSORS_HOOKS and (save or save_out):
        graph.pack_saves(node, save, saved_output(node) if save_out else None)
    out._fn = node
    out._rg = True
    if Duals:
        Duals.propagate(node_cls, out, inputs, params, save, save_out)
    return out


def record_if(node_cls, out, inputs, params=None, save=(), save_out=False):
    """record(...) when grad mode is on and an input tensor requires grad; returns out.
    The one place an op asks whether to record: `return record_if(SumBackward0, r, (x,))`."""
    if GradMode.enabled:
        for t in inputs:
            if getattr(t, "_rg", False):
                return record(node_cls, out, inputs, params, save, save_out)
    if Duals:
        Duals.propagate(node_cls, out, inputs, params, save, save_out)
    return out


def saved_output(node):
    """The output a node saved, rebuilt lazily so node and tensor form no reference cycle."""
    if node._freed:
        raise RuntimeError(graph.FREED_MESSAGE)
    saves = node._saved
    if saves.__class__ is graph.PackedSaves and saves.packed_out is not None:
        return saves.output(node)
    data, counter, version = node._out_meta
    t = _new(Tensor)
    t._data = data
    t._ver = counter
    t._fn = node
    t._rg = True
    if counter[0] != version:
        raise RuntimeError(graph._modified_message(t, version, node))
    return t


def restore_saved(t, requires_grad, fn, nr):
    """What a saved_tensors_hooks unpack_hook returned, as backward reads it: its data with
    the saved tensor's requires_grad and grad_fn, as PyTorch's SavedVariable::unpack gives
    (an unpack_hook that computes, under backward's no_grad, returns a tensor without)."""
    if t._rg is requires_grad and t._fn is fn:
        return t
    r = _new(Tensor)
    r._data = t._data
    r._ver = t._counter()
    r._rg, r._fn, r._nr = requires_grad, fn, nr
    return r


graph.rebuild_output = saved_output
graph.restore_saved = restore_saved


def tensor_repr(t):
    """str(t) exactly as PyTorch prints it."""
    d = t.dtype
    dev = t.device
    return printing.tensor_repr(
        t._data, dtype_name=repr(d), default_dtype_name=repr(DEFAULTS.float_dtype),
        device=None if dev.type == "cpu" else str(dev),
        grad_fn=type(t._fn).__name__ if t._fn is not None else None,
        requires_grad=t._rg, to_host=backend_of(t._data).to_host,
        tangent=None if t._fw is None else tangent_repr(t._fw))


def tangent_repr(tangent):
    """How PyTorch prints a dual tensor's tangent: in full, or a 0-d one as its number."""
    return tensor_repr(tangent) if tangent._data.ndim else str(tangent._data.item())

