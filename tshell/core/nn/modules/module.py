"""nn.Module: parameters, buffers and submodules registered by attribute assignment, calls
through hooks to forward, state_dict, and moving or casting every tensor of a model.

The semantics, messages and printed forms are PyTorch 2.13's (torch/nn/modules/module.py).
"""
from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

from ... import limits
from ...grad_mode import is_grad_enabled, no_grad
from ...graph import RemovableHandle
from ...ops.conversion import parse_to
from ...ops.creation import empty_like
from ...ops.module_hooks import backward_hook_identity
from ...tensor import Tensor
from ..parameter import Buffer, Parameter, TorchPathClass, is_lazy, torch_path
from . import global_hooks
from .global_hooks import (register_module_backward_hook, register_module_forward_hook,
                           register_module_forward_pre_hook, register_module_full_backward_hook,
                           register_module_full_backward_pre_hook)

# torch.nn.modules.module's names for tsh code: Module and the global hooks
__all__ = ["Module", "register_module_forward_pre_hook", "register_module_forward_hook",
           "register_module_full_backward_pre_hook", "register_module_full_backward_hook",
           "register_module_backward_hook"]
_GLOBAL_HOOKS = global_hooks.ALL


class _Generator:
    """What parameters(), modules() & co. return: PyTorch's generator, held where a tsh
    program cannot reach it (a generator's public gi_frame leads to Python's frames)."""

    __slots__ = ("_gen", "_name")

    def __init__(self, gen, name):
        self._gen, self._name = gen, name

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._gen)

    def __repr__(self):
        return f"<generator object {self._name} at {id(self):#x}>"


_Generator.__name__ = _Generator.__qualname__ = "generator"
_Generator.__module__ = "builtins"           # type() of it prints <class 'generator'>


def generator_method(fn):
    """A method written as a Python generator, returning a _Generator."""
    name = fn.__qualname__

    @functools.wraps(fn)
    def method(*args, **kwargs):
        return _Generator(fn(*args, **kwargs), name)
    return method


def typename(obj):
    """torch.typename: 'torch.FloatTensor' for a tensor, else the class's dotted name."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    module = torch_path(getattr(cls, "__module__", "") or "")
    return cls.__qualname__ if module in ("", "builtins") else f"{module}.{cls.__qualname__}"


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What load_state_dict returns."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


# What one line of a module's repr costs while the text is built: its string, its list slot
# and the copies the indentation makes at each level above it (a generous average).
_REPR_LINE_BYTES = 512
_repr_depth = [0]


def checked_repr(build):
    """A module's __repr__ with the memory cap for its whole text checked at the outermost
    call, before any of it is built (print of a Sequential of 10**6 modules)."""
    @functools.wraps(build)
    def __repr__(self):
        if not _repr_depth[0]:
            limits.check_text_bytes(_repr_lines(self, {}) * _REPR_LINE_BYTES,
                                    f"repr() of {self._get_name()}")
        _repr_depth[0] += 1
        try:
            return build(self)
        finally:
            _repr_depth[0] -= 1
    return __repr__


def _repr_lines(module, counted) -> int:
    """How many lines module's repr has, at most: one per parameter and one per child
    entry, a child shown as often as it is registered (memo: id -> count)."""
    n = counted.get(id(module))
    if n is None:
        n = counted[id(module)] = 1 + len(module._parameters) + sum(
            _repr_lines(child, counted) for child in module._modules.values()
            if child is not None)
    return n


def _addindent(text, spaces):
    """Indent every line of text but the first (blank lines stay empty)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    pad = " " * spaces
    return "\n".join([lines[0]] + [pad + line if line.strip() else "" for line in lines[1:]])


def _forward_unimplemented(self, *input):
    raise NotImplementedError(
        f'Module [{type(self).__name__}] is missing the required "forward" function')


# The containers of Module.__init__, made per instance (the hook tables are ordered: a hook
# registered with prepend=True moves to the front).
_STATE = (("_parameters", dict), ("_buffers", dict), ("_non_persistent_buffers_set", set),
          ("_backward_pre_hooks", OrderedDict), ("_backward_hooks", OrderedDict),
          ("_forward_hooks", OrderedDict), ("_forward_hooks_with_kwargs", OrderedDict),
          ("_forward_hooks_always_called", OrderedDict), ("_forward_pre_hooks", OrderedDict),
          ("_forward_pre_hooks_with_kwargs", OrderedDict), ("_state_dict_hooks", OrderedDict),
          ("_state_dict_pre_hooks", OrderedDict), ("_load_state_dict_pre_hooks", OrderedDict),
          ("_load_state_dict_post_hooks", OrderedDict), ("_modules", dict))


class Module(metaclass=TorchPathClass):
    """Base class of every layer and model: assign Parameters, buffers and Modules as
    attributes in __init__ (after super().__init__()) and write forward(); calling the
    module runs its hooks around forward."""

    dump_patches = False
    _version = 1
    call_super_init = False
    forward = _forward_unimplemented

    def __init__(self, *args, **kwargs):
        if not self.call_super_init and kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword "
                            f"argument '{next(iter(kwargs))}'")
        if not self.call_super_init and args:
            raise TypeError(f"{type(self).__name__}.__init__() takes 1 positional argument "
                            f"but {len(args) + 1} were given")
        d = self.__dict__
        d["training"] = True
        for name, make in _STATE:
            d[name] = make()
        d["_is_full_backward_hook"] = None

    # ---- registration ---------------------------------------------------------------
    def _check_name(self, kind, name, table):
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {typename(name)}")
        if "." in name:
            raise KeyError(f"{kind} name can't contain \".\"")
        if name == "":
            raise KeyError(f"{kind} name can't be empty string \"\"")
        if hasattr(self, name) and name not in table:
            raise KeyError(f"attribute '{name}' already exists")

    def register_buffer(self, name, tensor, persistent=True):
        """Add a buffer (state that is not a parameter, e.g. BatchNorm's running_mean);
        persistent=False keeps it out of state_dict."""
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name("buffer", name, self._buffers)
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name, param):
        """Add a parameter, reachable as an attribute of that name."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name("parameter", name, self._parameters)
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{typename(param)}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must "
                f"be created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method.")
        self._parameters[name] = param

    def add_module(self, name, module):
        """Add a child module, reachable as an attribute of that name."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f"module name can't contain \".\", got: {name}")
        if name == "":
            raise KeyError("module name can't be empty string \"\"")
        self._modules[name] = module

    def register_module(self, name, module):
        """Alias for add_module."""
        self.add_module(name, module)

    def get_submodule(self, target):
        """The submodule at a dotted path ('net_b.linear')."""
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise AttributeError(mod._get_name() + " has no attribute `" + item + "`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return mod

    def set_submodule(self, target, module, strict=False):
        """Replace (or add, unless strict) the submodule at a dotted path."""
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        parent_path, _, name = target.rpartition(".")
        parent = self.get_submodule(parent_path)
        if strict and not hasattr(parent, name):
            raise AttributeError(parent._get_name() + " has no attribute `" + name + "`")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), Module):
            raise AttributeError("`" + name + "` is not an nn.Module")
        setattr(parent, name, module)

    def get_parameter(self, target):
        """The parameter at a dotted path ('net_b.linear.weight')."""
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError("`" + name + "` is not an nn.Parameter")
        return param

    def get_buffer(self, target):
        """The buffer at a dotted path ('bn.running_mean')."""
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(mod._get_name() + " has no attribute `" + name + "`")
        if name not in mod._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return getattr(mod, name)

    # ---- attributes -------------------------------------------------------------------
    def __getattr__(self, name):
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            members = d.get(table)
            if members is not None and name in members:
                return members[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, d, self._buffers, self._modules)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{typename(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            modules = d.get("_modules")
            if modules is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, d, params, self._buffers)
            modules[name] = value
        elif name in d.get("_modules", ()):
            if value is not None:
                raise TypeError(f"cannot assign '{typename(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            d["_modules"][name] = value
        elif isinstance(value, Buffer) or name in d.get("_buffers", ()):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{typename(value)}' as buffer '{name}' "
                                "(torch.nn.Buffer, torch.Tensor or None expected)")
            persistent = (value.persistent if isinstance(value, Buffer)
                          else name not in self._non_persistent_buffers_set)
            self.register_buffer(name, value, persistent)
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name, *tables):
        """Take name out of the other kinds of member before it becomes one kind."""
        for table in tables:
            if name in table:
                del table[name]
        self._non_persistent_buffers_set.discard(name)

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        keys = (dir(type(self)) + list(self.__dict__) + list(self._parameters)
                + list(self._modules) + list(self._buffers))
        return sorted(k for k in keys if not k[0].isdigit())

    # ---- calling --------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if (self._forward_pre_hooks or self._forward_hooks or self._backward_hooks
                or self._backward_pre_hooks or _GLOBAL_HOOKS):
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    def _call_with_hooks(self, args, kwargs):
        called = set()
        result = None
        try:
            for hook_id, hook in (*global_hooks.hooks_of(global_hooks.FORWARD_PRE),
                                  *self._forward_pre_hooks.items()):
                if hook_id in self._forward_pre_hooks_with_kwargs:
                    new = hook(self, args, kwargs)
                    if new is not None:
                        if not (isinstance(new, tuple) and len(new) == 2):
                            raise RuntimeError("forward pre-hook must return None or a tuple "
                                               f"of (new_args, new_kwargs), but got {new}.")
                        args, kwargs = new
                else:
                    new = hook(self, args)
                    if new is not None:
                        args = new if isinstance(new, tuple) else (new,)
            backward = None
            if (self._backward_hooks or self._backward_pre_hooks or global_hooks.BACKWARD
                    or global_hooks.BACKWARD_PRE):
                backward = _BackwardHooks(self)
                args = backward.wrap_inputs(args)
            result = self.forward(*args, **kwargs)
            for hook_id, hook in self._all_forward_hooks():
                if (hook_id in self._forward_hooks_always_called
                        or hook_id in global_hooks.FORWARD_ALWAYS_CALLED):
                    called.add(hook_id)
                if (hook_id in self._forward_hooks_with_kwargs
                        or hook_id in global_hooks.FORWARD_WITH_KWARGS):
                    new = hook(self, args, kwargs, result)
                else:
                    new = hook(self, args, result)
                if new is not None:
                    result = new
            if backward is not None:
                if not isinstance(result, (Tensor, tuple)):
                    warnings.warn("For backward hooks to be called, module output should be a "
                                  "Tensor or a tuple of Tensors but received "
                                  f"{type(result)}", stacklevel=3)
                result = backward.wrap_outputs(result)
            return result
        except Exception:
            self._run_always_called_hooks(args, kwargs, result, called)
            raise

    def _all_forward_hooks(self):
        """The global forward hooks, then the module's own."""
        return (*global_hooks.hooks_of(global_hooks.FORWARD), *self._forward_hooks.items())

    def _run_always_called_hooks(self, args, kwargs, result, called):
        for hook_id, hook in self._all_forward_hooks():
            if hook_id in called or not (hook_id in self._forward_hooks_always_called
                                         or hook_id in global_hooks.FORWARD_ALWAYS_CALLED):
                continue
            try:
                if (hook_id in self._forward_hooks_with_kwargs
                        or hook_id in global_hooks.FORWARD_WITH_KWARGS):
                    new = hook(self, args, kwargs, result)
                else:
                    new = hook(self, args, result)
                if new is not None:
                    result = new
            except Exception as e:
                warnings.warn("module forward hook with ``always_call=True`` raised an "
                              "exception that was silenced as another error was raised in "
                              f"forward: {e}", stacklevel=4)

    # ---- hooks ----------------------------------------------------------------------
    @staticmethod
    def _handle(table, hook, prepend, extra=()):
        handle = RemovableHandle(table, hook, extra)
        if prepend:
            table.move_to_end(handle._id, last=False)
        return handle

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """hook(module, args) -> None or new args, before every forward; with_kwargs:
        hook(module, args, kwargs) -> None or (new args, new kwargs)."""
        handle = self._handle(self._forward_pre_hooks, hook, prepend,
                              (self._forward_pre_hooks_with_kwargs,))
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle._id] = True
        return handle

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """hook(module, args, output) -> None or a new output, after every forward;
        with_kwargs: hook(module, args, kwargs, output); always_call: also when forward
        raised."""
        handle = self._handle(self._forward_hooks, hook, prepend,
                              (self._forward_hooks_with_kwargs,
                               self._forward_hooks_always_called))
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle._id] = True
        if always_call:
            self._forward_hooks_always_called[handle._id] = True
        return handle

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """hook(module, grad_output) -> None or new grad_output, when the gradients with
        respect to the module's outputs are computed."""
        return self._handle(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """hook(module, grad_input, grad_output) -> None or new grad_input, when the
        gradients with respect to the module's inputs are computed."""
        if self._is_full_backward_hook is False:
            raise RuntimeError("Cannot use both regular backward hooks and full backward "
                               "hooks on a single Module. Please use only one of them.")
        self._is_full_backward_hook = True
        return self._handle(self._backward_hooks, hook, prepend)

    def register_backward_hook(self, hook):
        raise NotImplementedError("register_backward_hook (the deprecated non-full backward "
                                  "hook) is not provided in tshell; use "
                                  "register_full_backward_hook")

    def register_state_dict_pre_hook(self, hook):
        """hook(module, prefix, keep_vars) before state_dict() collects this module."""
        return RemovableHandle(self._state_dict_pre_hooks, hook)

    def register_state_dict_post_hook(self, hook):
        """hook(module, state_dict, prefix, local_metadata) after state_dict() collected
        this module; it may change state_dict in place."""
        return RemovableHandle(self._state_dict_hooks, hook)

    def register_load_state_dict_pre_hook(self, hook):
        """hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs) before load_state_dict() loads this module."""
        return RemovableHandle(self._load_state_dict_pre_hooks,
                               functools.partial(hook, self))

    def register_load_state_dict_post_hook(self, hook):
        """hook(module, incompatible_keys) after load_state_dict() loaded this module."""
        return RemovableHandle(self._load_state_dict_post_hooks, hook)

    # ---- traversal ------------------------------------------------------------------
    def _named_members(self, get_members, prefix="", recurse=True, remove_duplicate=True):
        memo = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                   if recurse else [(prefix, self)])
        for module_prefix, module in modules:
            for k, v in get_members(module):
                if v is None or v in memo:
                    continue
                if remove_duplicate:
                    memo.add(v)
                yield module_prefix + ("." if module_prefix else "") + k, v

    @generator_method
    def parameters(self, recurse=True):
        """The parameters of this module (and of its submodules when recurse)."""
        for _, param in self._named_members(lambda m: m._parameters.items(), recurse=recurse):
            yield param

    @generator_method
    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(name, parameter) pairs; names are dotted paths ('0.weight')."""
        yield from self._named_members(lambda m: m._parameters.items(), prefix, recurse,
                                       remove_duplicate)

    @generator_method
    def buffers(self, recurse=True):
        """The buffers of this module (and of its submodules when recurse)."""
        for _, buf in self._named_members(lambda m: m._buffers.items(), recurse=recurse):
            yield buf

    @generator_method
    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """(name, buffer) pairs; names are dotted paths ('bn.running_mean')."""
        yield from self._named_members(lambda m: m._buffers.items(), prefix, recurse,
                                       remove_duplicate)

    @generator_method
    def children(self):
        """The immediate submodules."""
        for _, module in self._named_children():
            yield module

    @generator_method
    def named_children(self):
        """(name, submodule) pairs of the immediate submodules."""
        yield from self._named_children()

    def _named_children(self):
        memo = set()
        for name, module in self._modules.items():
            if module is not None and module not in memo:
                memo.add(module)
                yield name, module

    @generator_method
    def modules(self, remove_duplicate=True):
        """This module and every submodule, depth first."""
        for _, module in self._named_modules(None, "", remove_duplicate):
            yield module

    @generator_method
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(dotted name, module) for this module ('') and every submodule, depth first."""
        yield from self._named_modules(memo, prefix, remove_duplicate)

    def _named_modules(self, memo, prefix, remove_duplicate):
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                yield from module._named_modules(memo, prefix + ("." if prefix else "") + name,
                                                 remove_duplicate)

    # ---- modes and gradients ----------------------------------------------------------
    def compile(self, *args, **kwargs):
        """Compile this module in place (torch.compile's arguments, checked as it checks
        them); tshell runs it eagerly, so the module stays as it is."""
        from ...torch_compile import compile as torch_compile  # torch_compile loads nn late
        torch_compile(self.__call__, *args, **kwargs)

    def train(self, mode=True):
        """Set training mode (Dropout and BatchNorm behave differently); returns self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for module in self._modules.values():
            if module is not None:
                module.train(mode)
        return self

    def eval(self):
        """train(False)."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set requires_grad on every parameter; returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Reset the gradients of every parameter: to None, or to zeros."""
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                if p.grad.grad_fn is not None:
                    p.grad.detach_()
                else:
                    p.grad.requires_grad_(False)
                p.grad.zero_()

    def apply(self, fn):
        """fn(module) for every submodule (children first), then for self; returns self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ---- moving and casting -----------------------------------------------------------
    def _apply(self, fn, recurse=True):
        """fn on every parameter (in place: the Parameter objects stay the same), its
        gradient, and every buffer."""
        if recurse:
            for module in self.children():
                module._apply(fn)
        for param in self._parameters.values():
            if param is None:
                continue
            with no_grad():
                param.data = fn(param)
                grad = param._grad
                if grad is not None:
                    grad.data = fn(grad)
        for key, buf in self._buffers.items():
            if buf is not None and is_lazy(buf):    # a lazy module's placeholder stays one
                with no_grad():
                    buf.data = fn(buf)
            elif buf is not None:
                self._buffers[key] = fn(buf)
        return self

    def to(self, *args, **kwargs):
        """to(device), to(dtype), to(device, dtype), to(tensor): move every parameter and
        buffer, casting the floating point ones; returns self."""
        dtype, device, _ = parse_to(args, dict(kwargs))
        memory_format = kwargs.get("memory_format")
        if dtype is not None:
            if not (dtype.is_floating_point or dtype.is_complex):
                raise TypeError("nn.Module.to only accepts floating point or complex dtypes, "
                                f"but got desired dtype={dtype}")

        def convert(t):
            floating = t.is_floating_point() or t.is_complex()
            if memory_format is not None and t.dim() in (4, 5):   # conv weights (PyTorch's)
                return t.to(device=device, dtype=dtype if floating else None,
                            memory_format=memory_format)
            return t.to(device=device, dtype=dtype if floating else None)
        return self._apply(convert)

    def to_empty(self, *, device, recurse=True):
        """Every parameter and buffer replaced by an uninitialized one of its shape on
        device: how a module built on the meta device gets memory; returns self."""
        return self._apply(lambda t: empty_like(t, device=device), recurse=recurse)

    def cuda(self, device=None):
        """Move every parameter and buffer to the GPU; returns self."""
        return self._apply(lambda t: t.cuda(device))

    def cpu(self):
        """Move every parameter and buffer to the CPU; returns self."""
        return self._apply(lambda t: t.cpu())

    def type(self, dst_type):
        """Cast every parameter and buffer to dst_type; returns self."""
        return self._apply(lambda t: t.type(dst_type))

    def _cast_floating(self, cast):
        return self._apply(lambda t: cast(t) if t.is_floating_point() else t)

    def float(self):
        """Cast the floating point parameters and buffers to float32; returns self."""
        return self._cast_floating(Tensor.float)

    def double(self):
        """Cast the floating point parameters and buffers to float64; returns self."""
        return self._cast_floating(Tensor.double)

    def half(self):
        """Cast the floating point parameters and buffers to float16; returns self."""
        return self._cast_floating(Tensor.half)

    def bfloat16(self):
        """Cast the floating point parameters and buffers to bfloat16; returns self."""
        return self._cast_floating(Tensor.bfloat16)

    # ---- state_dict -------------------------------------------------------------------
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """An OrderedDict of every parameter and persistent buffer (detached unless
        keep_vars), keyed by dotted name, in registration order, submodules after."""
        if args:
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html"
                "#torch.nn.Module.state_dict for details.", FutureWarning, stacklevel=2)
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        local_metadata = dict(version=self._version)
        if hasattr(destination, "_metadata"):
            destination._metadata[prefix[:-1]] = local_metadata
        for hook in tuple(self._state_dict_pre_hooks.values()):
            hook(self, prefix, keep_vars)
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination=destination, prefix=prefix + name + ".",
                                  keep_vars=keep_vars)
        for hook in tuple(self._state_dict_hooks.values()):
            if hook(self, destination, prefix, local_metadata) is not None:
                raise RuntimeError("state_dict post-hook must return None")
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        """Copy this module's own parameters and persistent buffers from state_dict."""
        for hook in tuple(self._load_state_dict_pre_hooks.values()):
            hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                 error_msgs)
        local_state = {k: v for k, v in self._parameters.items() if v is not None}
        local_state.update((k, v) for k, v in self._buffers.items()
                           if v is not None and k not in self._non_persistent_buffers_set)
        assign = local_metadata.get("assign_to_params_buffers", False)
        for name, param in local_state.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                error_msgs.append(f'While copying the parameter named "{key}", expected '
                                  "torch.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(value)}")
                continue
            lazy = is_lazy(param)
            if not lazy and param.ndim == 0 and tuple(value.shape) == (1,):
                value = value[0]
            if not lazy and value.shape != param.shape:
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from "
                    f"checkpoint, the shape in current model is {param.shape}.")
                continue
            try:
                with no_grad():
                    if assign:
                        if isinstance(param, Parameter):
                            value = (value.requires_grad_(param.requires_grad)
                                     if isinstance(value, Parameter)
                                     else Parameter(value, param.requires_grad))
                        setattr(self, name, value)
                    elif lazy:
                        param.materialize(value.shape)
                        param.copy_(value)
                    else:
                        param.copy_(value)
            except Exception as ex:
                error_msgs.append(
                    f'While copying the parameter named "{key}", whose dimensions in the model '
                    f"are {param.size()} and whose dimensions in the checkpoint are "
                    f"{value.size()}, an exception occurred : {ex.args}.")
        if strict:
            for key in state_dict:
                if key.startswith(prefix):
                    first, *rest = key[len(prefix):].split(".", 1)
                    if (first not in self._modules) if rest else (first not in local_state):
                        unexpected_keys.append(key)

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy parameters and buffers from state_dict (keys as state_dict() makes them);
        strict: every key must match. Returns (missing_keys, unexpected_keys)."""
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing_keys, unexpected_keys, error_msgs = [], [], []
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = OrderedDict(state_dict)

        def load(module, local_state_dict, prefix=""):
            local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
            if assign:
                local_metadata["assign_to_params_buffers"] = assign
            module._load_from_state_dict(local_state_dict, prefix, local_metadata, True,
                                         missing_keys, unexpected_keys, error_msgs)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    load(child, {k: v for k, v in local_state_dict.items()
                                 if k.startswith(child_prefix)}, child_prefix)
            incompatible = _IncompatibleKeys(missing_keys, unexpected_keys)
            for hook in tuple(module._load_state_dict_post_hooks.values()):
                if hook(module, incompatible) is not None:
                    raise AssertionError(
                        "Hooks registered with ``register_load_state_dict_post_hook`` are not "
                        "expected to return new values, if incompatible_keys need to be "
                        "modified, it should be done inplace.")

        load(self, state_dict)
        if strict:
            if unexpected_keys:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected_keys)))
            if missing_keys:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing_keys)))
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                type(self).__name__, "\n\t".join(error_msgs)))
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    # ---- printing ---------------------------------------------------------------------
    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        """The module's own settings, shown inside its repr's parentheses."""
        return ""

    @checked_repr
    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({key}): " + _addindent(repr(module), 2)
                       for key, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"


class _BackwardHooks:
    """A module's full backward hooks for one call (PyTorch's BackwardHook): identity nodes
    around the call catch the gradients of its outputs, then those of its inputs, and the
    user's hooks see (and may replace) both."""

    def __init__(self, module):
        self.module = module
        self.grad_outputs = None
        self.n_inputs = self.n_outputs = -1
        self.input_index = self.output_index = None

    @staticmethod
    def _hooks(global_kind, own):
        """The global hooks of a kind, then the module's own."""
        return [h for _, h in global_hooks.hooks_of(global_kind)] + list(own.values())

    @staticmethod
    def _pack(indices, values, size):
        packed = [None] * size
        for i, v in zip(indices, values):
            packed[i] = v
        return tuple(packed)

    def _wrap(self, values, on_grads):
        index = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
        tensors = [values[i] for i in index]
        if not (any(t.requires_grad for t in tensors) and is_grad_enabled()):
            return values, None
        wrapped = backward_hook_identity(tensors, on_grads)
        values = list(values)
        for i, t in zip(index, wrapped):
            values[i] = t
        return tuple(values), index

    def wrap_inputs(self, args):
        def on_input_grads(grads):
            if self.grad_outputs is None:      # reached without passing the outputs
                return grads
            res = self._pack(self.input_index, grads, self.n_inputs)
            for hook in self._hooks(global_hooks.BACKWARD, self.module._backward_hooks):
                out = hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError("Backward hook returned an invalid number of "
                                       f"grad_input, got {len(out)}, but expected {len(res)}")
                res = out
            self.grad_outputs = None
            return tuple(res[i] for i in self.input_index)

        self.n_inputs = len(args)
        args, self.input_index = self._wrap(args, on_input_grads)
        return args

    def wrap_outputs(self, result):
        def on_output_grads(grads):
            self.grad_outputs = self._pack(self.output_index, grads, self.n_outputs)
            for hook in self._hooks(global_hooks.BACKWARD_PRE, self.module._backward_pre_hooks):
                new = hook(self.module, self.grad_outputs)
                if new is None:
                    continue
                if len(new) != len(self.grad_outputs):
                    raise RuntimeError("Backward pre hook returned an invalid number of "
                                       f"grad_output, got {len(new)}, but expected "
                                       f"{len(self.grad_outputs)}")
                self.grad_outputs = new
            passed = self.grad_outputs
            if self.input_index is None:         # no input requires grad: call them now
                warnings.warn(
                    "Full backward hook is firing when gradients are computed with respect to "
                    "module outputs since no inputs require gradients. See "
                    "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                    "#torch.nn.Module.register_full_backward_hook for more details.",
                    stacklevel=2)
                none = (None,) * self.n_inputs
                for hook in self._hooks(global_hooks.BACKWARD, self.module._backward_hooks):
                    res = hook(self.module, none, self.grad_outputs)
                    if res is not None and not (isinstance(res, tuple)
                                                and all(r is None for r in res)):
                        raise RuntimeError("Backward hook for Modules where no input requires "
                                           "gradient should always return None or None for "
                                           "all gradients.")
                self.grad_outputs = None
            return tuple(passed[i] for i in self.output_index)

        single = not isinstance(result, tuple)
        values = (result,) if single else result
        self.n_outputs = len(values)
        values, self.output_index = self._wrap(values, on_output_grads)
        return values[0] if single else values
