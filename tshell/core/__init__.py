"""tshell's tensor + autograd core: a torch-shaped library over NumPy (and CuPy).

`import tshell.core as torch` gives the torch surface of docs/language.md. Nothing here
imports lark, rich or prompt_toolkit.
"""
from __future__ import annotations

import builtins as _builtins
import importlib as _importlib
from types import SimpleNamespace as _NS

from . import accelerator, cuda, methods as _methods, random as _random  # noqa: F401 (methods binds Tensor's methods)
from . import autograd_public as autograd   # torch.autograd: the engine's public surface
from . import registry as _registry, save_load as _save_load  # noqa: F401 (declares save, load)
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .device import device, get_default_device, set_default_device
from .dtypes import (bfloat16, bool_ as bool, complex64, complex128, dtype, float16, float32,
                     float64, get_default_dtype, int8, int16, int32, int64, promote_types,
                     set_default_dtype, uint8)
from .limits import set_max_memory
from .ops.pointwise import (abs, acos, add, asin, atan, atan2, bitwise_and, bitwise_not,
                            bitwise_or, bitwise_xor, ceil, clamp, clamp_max, clamp_min, clip, cos,
                            cosh, div, divide, eq, exp, expm1, floor, floor_divide, fmod, ge,
                            greater, greater_equal, gt, isfinite, isinf, isnan, le, less,
                            less_equal, log, log1p, log2, log10, logical_and, logical_not,
                            logical_or, logical_xor, lt, maximum, minimum, mul, multiply, ne, neg,
                            negative,
                            not_equal, pow, reciprocal, relu, remainder, round, rsqrt, rsub,
                            sigmoid, sign, sin, sinh, sqrt, square, sub, subtract, tan, tanh,
                            true_divide, trunc, where)
from .printing import get_printoptions, set_printoptions
from .tensor import Size, Tensor
from . import distributions, utils  # noqa: F401 (torch.distributions, torch.utils.data)
from .ops.pointwise import (absolute, acosh, addcdiv, addcmul, arccos, arccosh, arcsin, arcsinh,
                            arctan, arctan2, arctanh, asinh, atanh, copysign, deg2rad, erf, erfc,
                            erfinv, exp2, fix, float_power, fmax, fmin, frac, gcd, heaviside,
                            hypot, lcm, lerp, logaddexp, logaddexp2, logit, nan_to_num, rad2deg,
                            sgn, signbit, sinc, xlogy)
from .ops.pointwise import digamma, igamma, igammac, lgamma, polygamma

# torch.exp_(x) & co.: the in-place methods, as torch offers them at the top level.
globals().update({_n + "_": getattr(Tensor, _n + "_") for _n in (
    "abs acos acosh arccos arccosh arcsin arcsinh arctan arctanh asin asinh atan atanh ceil "
    "clamp clamp_max clamp_min clip cos cosh deg2rad erf erfc exp2 exp expm1 fix floor frac gcd "
    "lcm log10 log1p log2 log logit nan_to_num neg negative rad2deg reciprocal relu round rsqrt "
    "sigmoid sin sinc sinh sqrt square tan tanh trunc xlogy zero fill detach").split()})

# Short dtype aliases, as torch has them.
float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = complex64
cdouble = complex128

__version__ = "2.13.0+tshell"




def __getattr__(name):
    """torch.nn, imported on first use: its forty modules would add a tenth to the start-up
    of every program (tshell.lang builds its torch.nn namespace lazily too)."""
    if name == "nn":      # (the import binds tshell.core.nn: later lookups do not come here)
        return _importlib.import_module(".nn", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

linalg = _NS()
# torch.special: the special functions under their SciPy-style names.
special = _NS(gammaln=lgamma, digamma=digamma, psi=digamma, polygamma=polygamma,
              gammainc=igamma, gammaincc=igammac, erf=erf, erfc=erfc, erfinv=erfinv,
              expit=sigmoid, logit=logit, xlogy=xlogy, expm1=expm1, exp2=exp2, log1p=log1p)

# The names the op modules declare (registry.export), over the lists above.
globals().update(_registry.exports("torch"))
globals().update({_n + "_": getattr(Tensor, _n + "_") for _n in _registry.exports("torch_")})
for _place in ("linalg", "special"):
    vars(globals()[_place]).update(_registry.exports(_place))
if _registry.exports("fft"):
    fft = _NS(**_registry.exports("fft"))

from . import optim  # noqa: E402 (its optimizers are written with the ops bound above)

# The public names: everything but the implementation's modules (autograd, cuda, utils,
# distributions, accelerator, optim and nn are namespaces of torch too).
__all__ = [n for n, v in list(globals().items())
           if not n.startswith("_") and n != "annotations"
           and (not isinstance(v, type(_builtins))
                or n in ("autograd", "cuda", "utils", "distributions", "accelerator",
                         "optim"))] + ["nn"]


def _tidy_names():
    """Functions made by factories report their own name in Python's argument errors."""
    for obj in list(globals().values()) + list(vars(Tensor).values()):
        if callable(obj) and "<locals>" in getattr(obj, "__qualname__", ""):
            try:
                obj.__qualname__ = obj.__name__
            except (AttributeError, TypeError):
                pass


_tidy_names()
