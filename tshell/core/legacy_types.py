"""PyTorch's legacy tensor API: the typed tensor classes (torch.FloatTensor...), x.type(),
x.new(), torch.set_default_tensor_type, torch.autograd.Variable and the attributes PyTorch
keeps only to say they are gone (volatile, reinforce)."""
from __future__ import annotations

import warnings

from .device import CPU, set_default_device
from .dtypes import DTYPES, TYPEMETA_NAMES, TorchClass, dtype as DType, set_default_dtype, to_dtype
from .backend import cuda_backend
from .ops.conversion import _convert
from .ops.creation import legacy_new
from .registry import export
from .tensor import Tensor


class tensortype(type, metaclass=TorchClass):
    """The class of torch.FloatTensor & co.: they are not Tensor's subclasses, but
    isinstance(x, torch.FloatTensor) asks x's dtype (and that it is on the CPU)."""

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype and obj.device == CPU

    def __call__(cls, *args, device=None, **kwargs):
        if kwargs:
            raise TypeError(_NEW_MISMATCH.format(_argument_types(args, kwargs)))
        if len(args) == 1 and isinstance(args[0], Tensor) and args[0].dtype is not cls.dtype:
            raise TypeError(f"expected {_options(cls.dtype)} (got "
                            f"{_options(args[0].dtype)})")
        return legacy_new(cls.dtype, args, device)


_NEW_MISMATCH = """new() received an invalid combination of arguments - got ({}), but expected \
one of:
 * (*, torch.device device = None)
      didn't match because some of the keywords were incorrect: dtype
 * (torch.Storage storage)
 * (Tensor other)
 * (tuple of ints size, *, torch.device device = None)
 * (object data, *, torch.device device = None)
"""


def _argument_types(args, kwargs):
    """The arguments' types as PyTorch's argument errors list them (int, dtype=torch.dtype)."""
    def name(value):
        return "torch.dtype" if isinstance(value, DType) else type(value).__name__
    return ", ".join([name(a) for a in args] + [f"{k}={name(v)}" for k, v in kwargs.items()])


def _options(d):
    """PyTorch's TensorOptions text, as its legacy constructors' type errors print it."""
    return (f"TensorOptions(dtype={TYPEMETA_NAMES[d.name]}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


def _legacy_class(name, d):
    cls = tensortype(name, (), {"dtype": d, "is_cuda": False, "is_sparse": False,
                                "__doc__": f"A CPU tensor of {d}."})
    return export("torch." + name)(cls)


# The CPU legacy classes PyTorch has a name for.
LEGACY_CLASSES = {d.legacy: _legacy_class(d.legacy, d) for d in DTYPES.values()
                  if d.name in ("float32", "float64", "float16", "bfloat16", "int64", "int32",
                                "int16", "int8", "uint8", "bool")}


def _named_type(name):
    """The dtype of a legacy type name ('torch.IntTensor'); a CUDA name also says whether it
    is on CUDA."""
    short = name[len("torch."):] if name.startswith("torch.") else None
    on_cuda = short is not None and short.startswith("cuda.")
    if on_cuda:
        short = short[len("cuda."):]
    for d in DTYPES.values():
        if short == d.legacy:
            return d, on_cuda
    raise ValueError(f"invalid type: '{name}'")


@export("Tensor.type")
def type_(self, dtype=None, non_blocking=False, **kwargs):
    """Without arguments, the legacy type name ('torch.FloatTensor'); with a dtype, a
    legacy class or a type name, a cast (and a move, for a torch.cuda name)."""
    if dtype is None:
        return f"torch.{'cuda.' if self.is_cuda else ''}{self.dtype.legacy}"
    device = None
    if isinstance(dtype, str):
        dtype, on_cuda = _named_type(dtype)
        device = _cuda_device(dtype) if on_cuda else CPU
    elif isinstance(dtype, tensortype):
        dtype, device = dtype.dtype, CPU
    return _convert(self, to_dtype(dtype, fn="type"), device, False)


def _cuda_device(d):
    if cuda_backend() is None:
        raise RuntimeError(f"type torch.cuda.{d.legacy} not available. Torch not compiled "
                           "with CUDA enabled.")
    return "cuda"


@export("Tensor")
def new(self, *args, device=None, **kwargs):
    """x.new(sizes) or x.new(data): the legacy constructor of x's dtype, on x's device."""
    if kwargs:
        raise TypeError(_NEW_MISMATCH.format(_argument_types(args, kwargs)))
    return legacy_new(self.dtype, args, device if device is not None else self.device)


class _Warned:
    default_tensor_type = False


@export("torch")
def set_default_tensor_type(t):
    """Deprecated: the default dtype (and device, for a torch.cuda type) from a legacy type."""
    if not _Warned.default_tensor_type:        # PyTorch warns once a process
        _Warned.default_tensor_type = True
        warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please "
                      "use torch.set_default_dtype() and torch.set_default_device() as "
                      "alternatives.", UserWarning, stacklevel=2)
    if isinstance(t, str):
        d, on_cuda = _named_type(t)
        if on_cuda and cuda_backend() is None:
            raise TypeError(f"type {t} not available. Torch not compiled with CUDA enabled.")
    elif isinstance(t, tensortype):
        d, on_cuda = t.dtype, False
    else:
        raise TypeError("invalid type object: only floating-point types are supported as "
                        "the default type")
    set_default_dtype(d)
    set_default_device("cuda" if on_cuda else None)


# ---- torch.autograd.Variable ------------------------------------------------------------------

class VariableMeta(type):
    """isinstance(x, Variable) holds for every tensor, as in PyTorch."""

    def __repr__(cls):
        return f"<class 'torch.autograd.variable.{cls.__name__}'>"

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor)

    def __call__(cls, data=None, requires_grad=False, volatile=False):
        if volatile:
            warnings.warn(VOLATILE_REMOVED, UserWarning, stacklevel=2)
        if data is None:
            return legacy_new(DTYPES["float32"], (), None)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got "
                            f"{type(data).__name__}")
        t = data.detach()          # a new tensor over the same memory, as PyTorch's
        t.requires_grad = requires_grad
        return t


VOLATILE_REMOVED = ("volatile was removed and now has no effect. Use `with torch.no_grad():` "
                    "instead.")


class Variable(metaclass=VariableMeta):
    """torch.autograd.Variable(tensor, requires_grad=False): since PyTorch 0.4 a tensor."""


def variable(*args, **kwargs):
    """torch.autograd.variable: torch.tensor's old name, now an error."""
    raise RuntimeError("torch.autograd.variable(...) is deprecated, use torch.tensor(...) "
                       "instead")


def _get_volatile(self):
    warnings.warn("volatile was removed (Variable.volatile is always False)", UserWarning,
                  stacklevel=2)
    return False


def _set_volatile(self, value):
    warnings.warn(VOLATILE_REMOVED, UserWarning, stacklevel=2)


export("Tensor.volatile")(property(_get_volatile, _set_volatile))


_REINFORCE_REMOVED = """reinforce() was removed.
Use torch.distributions instead.
See https://pytorch.org/docs/main/distributions.html

Instead of:

probs = policy_network(state)
action = probs.multinomial()
next_state, reward = env.step(action)
action.reinforce(reward)
action.backward()

Use:

probs = policy_network(state)
# NOTE: categorical is equivalent to what used to be called multinomial
m = torch.distributions.Categorical(probs)
action = m.sample()
next_state, reward = env.step(action)
loss = -m.log_prob(action) * reward
loss.backward()
"""


@export("Tensor")
def reinforce(self, reward):
    raise RuntimeError(_REINFORCE_REMOVED)
