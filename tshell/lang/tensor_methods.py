"""torch.Tensor.NAME read from the class: the method as an unbound function, as PyTorch gives
it (`torch.Tensor.view(x, 2, 3)`, `map(torch.Tensor.float, xs)`).

What a program gets is a built-in of tshell's (runtime.as_builtin), printed as PyTorch's
method descriptor (`<method 'view' of 'torch._C.TensorBase' objects>`), that calls the
method on its first argument, which must be a tensor (PyTorch's errors otherwise). The
class's own function never reaches the program; properties (`Tensor.shape`), private and
dunder names stay refused as before.
"""

from __future__ import annotations

import types

from . import sandbox

METHOD_DESCRIPTOR = type(str.join)     # type(torch.Tensor.add) is method_descriptor
_made: dict = {}                       # name -> the built-in, one per name per process


def _unbound(tensor_cls: type, name: str):
    """The built-in standing for tensor_cls.name unbound."""
    from .runtime import as_builtin

    def method(*args, **kwargs):
        if not args:
            raise TypeError(f"unbound method TensorBase.{name}() needs an argument")
        if not isinstance(args[0], tensor_cls):
            raise TypeError(f"descriptor '{name}' for 'torch._C.TensorBase' objects doesn't "
                            f"apply to a '{sandbox.type_name(args[0])}' object")
        # read as x.NAME is read: the sandbox's rewrites apply (x.numpy's array goes out
        # through the NumPy stand-in)
        return sandbox.get_attribute(args[0], name)(*args[1:], **kwargs)
    function = getattr(tensor_cls, name)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = function.__doc__
    method.__wrapped__ = function          # help() shows the method's signature
    return as_builtin(method, f"<method '{name}' of 'torch._C.TensorBase' objects>",
                      METHOD_DESCRIPTOR)


def reader(tensor_cls: type):
    """The sandbox's reader of tensor_cls's public methods (sandbox.CLASS_METHODS)."""
    def read(cls, name: str):
        if name[:1] == "_":
            return None
        found = _made.get(name)
        if found is None:
            try:
                getattr(tensor_cls, name)       # binds a lazily declared op (Tensor.cumsum)
            except AttributeError:
                return None
            defined = next((k.__dict__[name] for k in tensor_cls.__mro__ if name in k.__dict__),
                           None)
            if not isinstance(defined, types.FunctionType):
                return None                     # a property or a plain value
            found = _made[name] = _unbound(tensor_cls, name)
        return found
    return read
