"""tshell's dtypes and PyTorch's type-promotion rules (not NumPy's)."""
from __future__ import annotations

import abc

import numpy as np

from .registry import export

# Categories order the kinds of numbers for promotion: bool < integer < floating < complex.
BOOL, INTEGRAL, FLOATING, COMPLEX = 0, 1, 2, 3


class TorchClass(type):
    """Makes `type(x)` print as PyTorch's class does (`<class 'torch.dtype'>`)."""

    def __repr__(cls):
        return f"<class 'torch.{cls.__qualname__}'>"


def torch_path(cls) -> str:
    """A class's dotted name as PyTorch's would read (tshell.core.utils.data.dataset.Subset:
    torch.utils.data.dataset.Subset); classes defined elsewhere keep their own."""
    module = cls.__module__
    if module.startswith("tshell.core."):
        module = "torch." + module[len("tshell.core."):]
    return f"{module}.{cls.__qualname__}"


class TorchModuleClass(abc.ABCMeta):
    """type(x) prints PyTorch's module path (`<class 'torch.distributions.normal.Normal'>`).
    An ABCMeta, so that IterableDataset can leave __iter__ abstract as PyTorch's does."""

    def __repr__(cls):
        return f"<class '{torch_path(cls)}'>"


@export("torch")
class dtype(metaclass=TorchClass):
    """A tensor element type; prints as torch does (`torch.float32`)."""

    __slots__ = ("name", "np", "category", "itemsize", "is_signed", "legacy", "short")

    def __init__(self, name, np_dtype, category, legacy, short, is_signed=True, itemsize=None):
        self.name = name
        self.np = np.dtype(np_dtype) if np_dtype is not None else None
        self.category = category
        self.itemsize = self.np.itemsize if self.np is not None else itemsize
        self.is_signed = is_signed
        self.legacy = legacy  # "FloatTensor", used in autograd version-check messages
        self.short = short    # "Float", used in cast error messages

    @property
    def is_floating_point(self):
        return self.category == FLOATING

    @property
    def is_complex(self):
        return self.category == COMPLEX

    def __repr__(self):
        return "torch." + self.name

    __str__ = __repr__

    def __reduce__(self):
        return (_by_name, (self.name,))


def _by_name(name):
    return DTYPES[name]


float32 = dtype("float32", np.float32, FLOATING, "FloatTensor", "Float")
float64 = dtype("float64", np.float64, FLOATING, "DoubleTensor", "Double")
float16 = dtype("float16", np.float16, FLOATING, "HalfTensor", "Half")
# bfloat16's and the float8s' NumPy types come from ml_dtypes (same names), imported on first
# use (it costs start-up time).
bfloat16 = dtype("bfloat16", None, FLOATING, "BFloat16Tensor", "BFloat16", itemsize=2)
complex64 = dtype("complex64", np.complex64, COMPLEX, "ComplexFloatTensor", "ComplexFloat")
complex128 = dtype("complex128", np.complex128, COMPLEX, "ComplexDoubleTensor", "ComplexDouble")
int64 = dtype("int64", np.int64, INTEGRAL, "LongTensor", "Long")
int32 = dtype("int32", np.int32, INTEGRAL, "IntTensor", "Int")
int16 = dtype("int16", np.int16, INTEGRAL, "ShortTensor", "Short")
int8 = dtype("int8", np.int8, INTEGRAL, "CharTensor", "Char")
uint8 = dtype("uint8", np.uint8, INTEGRAL, "ByteTensor", "Byte", is_signed=False)
bool_ = dtype("bool", np.bool_, BOOL, "BoolTensor", "Bool", is_signed=False)
# The "barebones" unsigned types: PyTorch converts, prints and compares them, but promotes them
# only with floating types, and few kernels take them.
uint16 = dtype("uint16", np.uint16, INTEGRAL, "UInt16Tensor", "UInt16", is_signed=False)
uint32 = dtype("uint32", np.uint32, INTEGRAL, "UInt32Tensor", "UInt32", is_signed=False)
uint64 = dtype("uint64", np.uint64, INTEGRAL, "UInt64Tensor", "UInt64", is_signed=False)
BAREBONES_UNSIGNED = frozenset((uint16, uint32, uint64))


def _float8(name, is_signed=True):
    short = "Float8_" + name[len("float8_"):]
    return dtype(name, None, FLOATING, short + "Tensor", short, is_signed, itemsize=1)


# Storage formats: PyTorch converts to and from them and prints them, but promotes them with
# nothing and computes with almost nothing (its kernels say "not implemented").
float8_e4m3fn = _float8("float8_e4m3fn")
float8_e4m3fnuz = _float8("float8_e4m3fnuz")
float8_e5m2 = _float8("float8_e5m2")
float8_e5m2fnuz = _float8("float8_e5m2fnuz")
float8_e8m0fnu = _float8("float8_e8m0fnu", is_signed=False)
FLOAT8 = frozenset((float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz,
                    float8_e8m0fnu))

# torch.float32 & co., and the short names torch gives some of them (torch.float, torch.long).
export("torch.float32", "torch.float")(float32)
export("torch.float64", "torch.double")(float64)
export("torch.float16", "torch.half")(float16)
export("torch.bfloat16")(bfloat16)
export("torch.complex64", "torch.cfloat")(complex64)
export("torch.complex128", "torch.cdouble")(complex128)
export("torch.int64", "torch.long")(int64)
export("torch.int32", "torch.int")(int32)
export("torch.int16", "torch.short")(int16)
export("torch.int8")(int8)
export("torch.uint8")(uint8)
export("torch.bool")(bool_)
for _d in (*BAREBONES_UNSIGNED, *FLOAT8):
    export("torch." + _d.name)(_d)

DTYPES = {d.name: d for d in (float32, float64, float16, bfloat16, complex64, complex128,
                              int64, int32, int16, int8, uint8, bool_, uint16, uint32, uint64,
                              *sorted(FLOAT8, key=lambda d: d.name))}

# NumPy dtype -> tshell dtype, for wrapping arrays.
FROM_NUMPY = {d.np: d for d in DTYPES.values() if d.np is not None}


def from_numpy_dtype(np_dtype):
    """The tshell dtype of a NumPy dtype, or TypeError naming it."""
    try:
        return FROM_NUMPY[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).name}. The only "
            "supported types are: float64, float32, float16, complex64, complex128, int64, "
            "int32, int16, int8, uint64, uint32, uint16, uint8, and bool.") from None


def require_available(d):
    """The dtype, ready to make arrays; bfloat16 and the float8s load ml_dtypes (a clear error
    without it)."""
    if d.np is None:
        try:
            import ml_dtypes   # on first use: an optional package, and start-up time
        except ImportError:
            message = f"{d.name} needs the ml_dtypes package: pip install ml_dtypes"
            raise RuntimeError(message) from None
        d.np = np.dtype(getattr(ml_dtypes, d.name))
        FROM_NUMPY[d.np] = d
    return d


def cast_array(xp, array, d, copy=True):
    """array.astype(d) as PyTorch converts: to float8_e4m3fn it saturates (inf and overflow
    give +-448 where ml_dtypes gives nan); float8_e8m0fnu keeps magnitudes, 0 giving its
    smallest power of two."""
    if d is float8_e4m3fn and array.dtype.kind == "f":
        array = xp.clip(array, -448.0, 448.0)
    elif d is float8_e8m0fnu and array.dtype.kind in "fiu":
        magnitude = xp.abs(array.astype(np.float32))
        array = xp.where(magnitude == 0, np.float32(2.0 ** -127), magnitude)
    return array.astype(d.np, copy=copy)


def is_ml_dtype(np_dtype) -> bool:
    """Whether a NumPy dtype is one of ml_dtypes' (bfloat16, float8): Python numbers come from
    them through float32."""
    return np_dtype.kind == "V"


def float_limits(d) -> tuple:
    """(eps, tiny, max) of a floating dtype, as torch.finfo gives them (bfloat16 keeps float32's
    exponent range with 8 bits of precision; NumPy does not know it without ml_dtypes)."""
    if d.name == "bfloat16":
        return 0.0078125, 1.1754943508222875e-38, 3.3895313892515355e+38
    info = np.finfo(d.np)
    return float(info.eps), float(info.tiny), float(info.max)


ON_DEFAULT_CHANGE = []  # caches that depend on the default dtype register here


class _Defaults:
    """The process-wide default float dtype (torch.set_default_dtype)."""
    float_dtype = float32


DEFAULTS = _Defaults()


@export("torch")
def get_default_dtype():
    return DEFAULTS.float_dtype


@export("torch")
def set_default_dtype(d):
    if not isinstance(d, dtype) or d.category != FLOATING or d is bfloat16:
        if isinstance(d, dtype):
            raise TypeError("only floating-point types are supported as the default type")
        raise TypeError(f"set_default_dtype(): argument 'd' must be torch.dtype, "
                        f"not {type(d).__name__}")
    DEFAULTS.float_dtype = d
    _RESULT_CACHE.clear()
    for clear in ON_DEFAULT_CHANGE:
        clear()


def default_complex():
    return complex128 if DEFAULTS.float_dtype is float64 else complex64


# ---- promotion ---------------------------------------------------------------------------

_SIGNED_INTS = {1: int8, 2: int16, 4: int32, 8: int64}


@export("torch")
def promote_types(a, b):
    """torch.promote_types: the smallest dtype both a and b convert to safely."""
    if a is b:
        return a
    for position, value in enumerate((a, b), 1):
        if not isinstance(value, dtype):
            raise TypeError(f"promote_types(): argument 'type{position}' (position {position}) "
                            f"must be torch.dtype, not {type(value).__name__}")
    _check_promotable(a, b)
    if a.category != b.category:
        lo, hi = (a, b) if a.category < b.category else (b, a)
        if hi.category == COMPLEX and lo.category == FLOATING and lo is float64:
            return complex128
        return hi
    if a.category == INTEGRAL:
        if a.is_signed and b.is_signed:
            return a if a.itemsize >= b.itemsize else b
        if not (a.is_signed or b.is_signed):            # two of uint16/32/64
            return a if a.itemsize >= b.itemsize else b
        signed = a if a.is_signed else b  # exactly one is uint8
        return _SIGNED_INTS[max(signed.itemsize, 2)]
    if a.category == FLOATING:
        if a.itemsize == b.itemsize:  # float16 with bfloat16
            return float32
        return a if a.itemsize > b.itemsize else b
    return complex128  # complex64 with complex128


def _check_promotable(a, b):
    """PyTorch promotes a float8 with nothing else, and uint16/32/64 only with real floats."""
    if a in FLOAT8 or b in FLOAT8:
        raise RuntimeError("Promotion for Float8 Types is not supported, attempted to promote "
                           f"{a.short} and {b.short}")
    barebones = a in BAREBONES_UNSIGNED, b in BAREBONES_UNSIGNED
    if any(barebones) and not (all(barebones) or FLOATING in (a.category, b.category)):
        raise RuntimeError("Promotion for uint16, uint32, uint64 types is not supported, "
                           f"attempted to promote {a.short} and {b.short}")


def scalar_dtype(value):
    """The dtype a Python number takes when it meets a tensor (a 'wrapped number')."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return DEFAULTS.float_dtype
    if isinstance(value, complex):
        return default_complex()
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


def _combine(higher, lower):
    """Join the results of two operand classes; the higher-priority class wins its category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.category >= lower.category:
        return higher
    if lower.category == COMPLEX and higher.category == FLOATING:
        return complex128 if higher is float64 else lower
    return lower


def result_type_of(dim_dtypes, zero_dim_dtypes, scalar_dtypes):
    """PyTorch's result type: dimensioned tensors > 0-dim tensors > Python numbers."""
    dim = zero = wrapped = None
    for d in dim_dtypes:
        dim = d if dim is None else promote_types(dim, d)
    for d in zero_dim_dtypes:
        zero = d if zero is None else promote_types(zero, d)
    for d in scalar_dtypes:
        wrapped = d if wrapped is None else promote_types(wrapped, d)
    return _combine(dim, _combine(zero, wrapped))


_RESULT_CACHE: dict = {}


def binary_result_type(a_dtype, a_has_dims, b_dtype, b_kind):
    """Result dtype of tensor a with b, where b_kind is 'dim', 'zero' or 'scalar'; cached."""
    key = (a_dtype, a_has_dims, b_dtype, b_kind)
    r = _RESULT_CACHE.get(key)
    if r is None:
        groups = {"dim": [], "zero": [], "scalar": []}
        groups["dim" if a_has_dims else "zero"].append(a_dtype)
        groups[b_kind].append(b_dtype)
        r = _RESULT_CACHE[key] = result_type_of(groups["dim"], groups["zero"], groups["scalar"])
    return r


def can_cast(src, dst):
    """torch.can_cast: no casting to a lower category (float -> int, int -> bool)."""
    return src.category <= dst.category


def to_dtype(value, argname="dtype", fn="tensor"):
    """Accept a tshell dtype (or a NumPy dtype / None); anything else is a TypeError."""
    if value is None or isinstance(value, dtype):
        return value
    if isinstance(value, type) and issubclass(value, (bool, int, float)):
        return {bool: bool_, int: int64, float: float64}[value]
    if isinstance(value, str):
        raise TypeError(f"{fn}(): argument '{argname}' must be torch.dtype, not str")
    try:
        return FROM_NUMPY[np.dtype(value)]
    except (TypeError, KeyError):
        pass
    if getattr(value, "__name__", "") == "bfloat16":
        return bfloat16
    raise TypeError(f"{fn}(): argument '{argname}' must be torch.dtype, not "
                    f"{type(value).__name__}")


# The C++ type names PyTorch's messages use for a dtype (caffe2::TypeMeta), by dtype name:
# "expected m1 and m2 to have the same dtype, but got: float != double".
TYPEMETA_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
                  "bfloat16": "c10::BFloat16", "complex64": "c10::complex<float>",
                  "complex128": "c10::complex<double>", "int64": "long int", "int32": "int",
                  "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
                  "bool": "bool", "uint16": "short unsigned int", "uint32": "unsigned int",
                  "uint64": "long unsigned int",
                  **{d.name: "c10::" + d.short for d in FLOAT8}}

# C++ names of the integer types, as PyTorch's fill/full overflow errors spell them.
CPP_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
             "int64": "int64_t", "uint16": "uint16_t", "uint32": "uint32_t",
             "uint64": "uint64_t"}


def check_fits(value, d, name=None):
    """PyTorch's checked conversion of a Python number into an integer dtype.

    Like c10::overflows: a float must lie within the type's range (nan never does); an int
    must too, except that uint8 also takes -255..-1 (they wrap). Raises PyTorch's
    RuntimeError naming the type as `name` (default: its C++ name, as fill/full spell it,
    else the dtype's name); otherwise returns
    the value to store (negative ints wrapped for uint8, 2.0**63 as int64's minimum, as the
    C++ conversion gives).
    """
    if d.category != INTEGRAL or isinstance(value, (bool, np.bool_)):
        return value
    info = np.iinfo(d.np)
    if isinstance(value, (int, np.integer)):
        v = int(value)
        bad = v > info.max or v < (-info.max if info.min == 0 else info.min)
        if not bad and v < info.min:
            value = v % (info.max + 1)
    elif isinstance(value, (float, np.floating)):
        v = float(value)
        bad = not float(info.min) <= v <= float(info.max)      # also true for nan
        if not bad and v > info.max:                            # int64: 2.0**63
            value = info.min
    else:
        return value
    if bad:
        name = name or CPP_NAMES.get(d.name, d.name)
        raise RuntimeError(f"value cannot be converted to type {name} without "
                           "overflow")
    return value


def check_array_fits(arr, d):
    """check_fits for every number of an array made from Python data (torch.tensor)."""
    if d.category != INTEGRAL or not arr.size or arr.dtype.kind not in "iuf":
        return
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        check_fits(float("nan"), d, d.name)
    check_fits(arr.min().item(), d, d.name)      # torch.tensor's message names the dtype
    check_fits(arr.max().item(), d, d.name)
