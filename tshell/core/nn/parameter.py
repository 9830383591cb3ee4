"""nn.Parameter and nn.Buffer: the tensors a Module registers when they are assigned to it."""
from __future__ import annotations

from ..dtypes import FLOATING, TorchClass
from ..ops.creation import empty
from ..tensor import Tensor

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "is_lazy"]

_new = object.__new__
# object's own __class__ descriptor: it still sets the class of a Parameter, whose
# `__class__` attribute reads as Tensor (see Parameter).
_set_class = object.__dict__["__class__"].__set__


def torch_path(module_name):
    """The torch module a tshell.core module stands for (tshell.core.nn.modules.linear ->
    torch.nn.modules.linear); other names as they are."""
    if module_name.startswith("tshell.core."):
        return "torch." + module_name[len("tshell.core."):]
    return module_name


class TorchPathClass(TorchClass):
    """type(x) prints the class under its path in torch, as PyTorch's nn classes do
    (<class 'torch.nn.modules.linear.Linear'>); a class defined elsewhere keeps its own."""

    def __repr__(cls):
        return f"<class '{torch_path(cls.__module__)}.{cls.__qualname__}'>"


class Parameter(Tensor, metaclass=TorchPathClass):
    """A tensor that a Module takes as its parameter when it is assigned as an attribute.

    It shares memory and version counter with the tensor it is made from, is a leaf, and
    requires grad unless told otherwise. Operations on it give plain tensors.
    """

    # The core's hot paths (binary ops, matmul, autograd's record) recognise a tensor by
    # `x.__class__ is Tensor`; a Parameter answers Tensor there, so it takes them at full
    # speed. type(p) is still Parameter.
    __class__ = property(lambda self: Tensor)

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        if not isinstance(requires_grad, bool):
            raise TypeError("_make_subclass(): argument 'require_grad' (position 3) must be "
                            f"bool, not {type(requires_grad).__name__}")
        if requires_grad and data.dtype.category < FLOATING:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        p = _new(cls)
        p._data = data._data
        p._ver = data._counter()         # as data.detach(): the same memory and versions
        p._rg = requires_grad
        return p

    def __init__(self, data=None, requires_grad=True):
        pass                             # (Tensor.__init__ is torch.Tensor's constructor)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.data.clone(), self.requires_grad)
        return memo[id(self)]


class _Uninitialized:
    """What the lazy modules' placeholders share: no shape until materialize gives them
    memory and turns them into cls_to_become."""

    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None):
        """Give the tensor memory of `shape`; it becomes a cls_to_become."""
        self.data = empty(shape, device=device or self.device, dtype=dtype or self.dtype)
        _set_class(self, self.cls_to_become)

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error "
            "usually happens in `load_state_dict` when trying to load an uninitialized "
            "parameter into an initialized one. Call `forward` to initialize the parameters "
            "before accessing their attributes.")

    def __repr__(self):
        return f"<{type(self).__name__}>"

    __str__ = __repr__


class UninitializedParameter(_Uninitialized, Parameter):
    """The parameter of a lazy module (LazyLinear) before its first call sets its shape."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return super().__new__(cls, empty(0, device=device, dtype=dtype), requires_grad)

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, self.device, self.dtype)
        return memo[id(self)]


class UninitializedBuffer(_Uninitialized, Tensor, metaclass=TorchPathClass):
    """The buffer of a lazy module (LazyBatchNorm1d's running statistics) before its first
    call sets its shape; it then becomes a plain tensor."""

    cls_to_become = Tensor

    def __new__(cls, requires_grad=False, device=None, dtype=None, persistent=True):
        data = empty(0, device=device, dtype=dtype)
        t = _new(cls)
        t._data = data._data
        t._ver = data._counter()
        t._rg = requires_grad
        t.persistent = persistent
        t._is_buffer = True
        return t

    def __init__(self, requires_grad=False, device=None, dtype=None, persistent=True):
        pass

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, self.device, self.dtype,
                                        self.persistent)
        return memo[id(self)]


def is_lazy(param):
    """Whether param is an UninitializedParameter or UninitializedBuffer."""
    return isinstance(param, _Uninitialized)


class _BufferClass(TorchPathClass):
    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(Tensor, metaclass=_BufferClass):
    """A tensor that a Module takes as a buffer when it is assigned as an attribute:
    Buffer(t) is t detached (a plain tensor), marked as a buffer, `persistent` or not."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = empty(0)
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t
