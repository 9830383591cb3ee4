"""NumPy's arrays as tsh programs see them: NumPy computes, behind doors that check what goes
in and out (the `np` namespace itself is this package's __init__; random and linalg apart).

A raw NumPy object in a program's hands reaches Python internals: `np.ndarray(..., dtype="O",
buffer=...)` turns an integer into an object pointer, `np.str_` carries str methods that are
not the sandbox's safe ones, `dtype.type` makes NumPy scalars. So programs never hold one:
- out: arrays of numbers become this module's `ndarray` (the NumPy array in a private slot),
  NumPy scalars Python's own numbers, dtypes this module's `dtype`; anything else NumPy
  returns (object, string or date arrays, NumPy's own objects) is refused (`outward`);
- in: this module's objects are unwrapped, dtypes must be numbers, and the keyword arguments
  that reach raw memory or files (`buffer`, `offset`, `strides`, `like`...) are refused
  (`inward`); functions and methods are an explicit list, each with its size rule;
- size: each function's result is measured against the memory cap before NumPy runs it.
"""

from __future__ import annotations

import math
import operator

import numpy as np

from tshell import core
from tshell.core import limits

from ... import guards

NUMERIC_KINDS = "biufc"
REFUSED_KEYWORDS = frozenset(("buffer", "offset", "strides", "like", "subok", "file", "fname",
                              "mmap_mode", "allow_pickle", "casting_ptr"))
PYTHON_SCALARS = (bool, int, float, complex)


class NumpyClass(type):
    """type(a) prints as NumPy's class: <class 'numpy.ndarray'>, or the class's `_shown`
    module (<class 'numpy.random._generator.Generator'>)."""

    def __repr__(cls):
        return f"<class '{cls.__dict__.get('_shown', 'numpy')}.{cls.__name__}'>"


# ---------------------------------------------------------------------- the doors
def inward(value):
    """A program's value as NumPy takes it: this module's objects unwrapped, containers
    walked; tensors stay (NumPy reads them through Tensor.__array__)."""
    cls = value.__class__
    if cls is ndarray:
        return value._a
    if cls is dtype:
        return value._np
    if cls is ScalarType:
        return value._t
    if cls is list or cls is tuple:
        return cls(inward(v) for v in value)
    return value


def inward_keywords(kwargs: dict) -> dict:
    refused = REFUSED_KEYWORDS.intersection(kwargs)
    if refused:
        raise TypeError(f"the numpy argument '{min(refused)}' is not supported in tsh")
    out = {k: inward(v) for k, v in kwargs.items()}
    if out.get("dtype") is not None:
        out["dtype"] = numeric_dtype(kwargs["dtype"])
    return out


def outward(value):
    """What NumPy returned, as a program may hold it."""
    cls = value.__class__
    if cls is np.ndarray:
        require_numeric(value.dtype)
        return wrap(value)
    if isinstance(value, np.generic):
        require_numeric(value.dtype)
        return value.item()
    if cls in PYTHON_SCALARS or value is None or cls is str:
        return value
    if cls is tuple or cls is list:
        return cls(outward(v) for v in value)
    if isinstance(value, np.dtype):
        require_numeric(value)
        return _dtype(value)
    raise TypeError(f"numpy returned a {cls.__name__}, which tsh does not hand to programs")


def require_numeric(d) -> None:
    if d.kind not in NUMERIC_KINDS:
        raise TypeError(f"numpy arrays of dtype {d} are not supported in tsh (only numbers "
                        "and booleans)")


def numeric_dtype(spec) -> np.dtype:
    """A dtype argument (np.float32, 'float32', float, np.dtype(...)) as a NumPy dtype of
    numbers; TypeError for anything else (objects, strings, records, dates)."""
    raw = inward(spec)
    if not isinstance(raw, (str, np.dtype)) and raw not in PYTHON_SCALARS and \
            not (isinstance(raw, type) and issubclass(raw, np.generic)):
        raise TypeError(f"data type {spec!r} not understood")
    d = np.dtype(raw)
    require_numeric(d)
    return d


def wrap(a: np.ndarray) -> ndarray:
    obj = object.__new__(ndarray)
    obj._a = a
    return obj


# ---------------------------------------------------------------------- errors
_ERROR_TWINS: dict = {}


def error_twin(cls: type) -> type:
    """tshell's twin of a NumPy exception class: its name, printed as NumPy's, over Python's
    built-in exception bases, carrying the message only. NumPy's own carry raw objects
    (_UFuncNoLoopError.args[0] is the ufunc np.add itself, _ArrayMemoryError's a dtype)."""
    if not cls.__module__.startswith("numpy"):
        return cls
    twin = _ERROR_TWINS.get(cls)
    if twin is None:
        bases = tuple(dict.fromkeys(error_twin(b) for b in cls.__bases__))
        twin = _ERROR_TWINS[cls] = NumpyClass(cls.__name__, bases, {
            "_shown": cls.__module__, "__doc__": f"{cls.__module__}.{cls.__name__}"})
    return twin


def numpy_errors(fn):
    """fn with NumPy's exceptions raised as their twins (no functools.wraps: its
    __wrapped__ would lead to fn)."""
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if type(e).__module__.startswith("numpy"):
                raise error_twin(type(e))(str(e)) from None
            raise
    call.__name__, call.__qualname__, call.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    return call


# ---------------------------------------------------------------------- sizes
def check_elements(n: int, itemsize: int, what: str) -> None:
    """MemoryError when a result of n items would exceed the memory cap, before NumPy
    allocates it (as the core's limits do for tensors)."""
    nbytes = n * itemsize
    if nbytes > limits.max_bytes():
        raise MemoryError(f"numpy.{what}: a result of {n} elements needs {nbytes} bytes, more "
                          f"than the memory limit of {limits.max_bytes()} bytes (set it with "
                          "--max-memory or TSHELL_MAX_MEMORY)")


def shape_of(value) -> tuple:
    """The shape of an array-like argument, without making an array of it."""
    if value.__class__ is ndarray:
        return value._a.shape
    if isinstance(value, core.Tensor):
        return tuple(value.shape)
    if isinstance(value, (list, tuple)):
        shape, v = [], value
        while isinstance(v, (list, tuple)):
            shape.append(len(v))
            if not v:
                break
            v = v[0]
        return tuple(shape)
    return ()


def size_of(value) -> int:
    return math.prod(shape_of(value))


def array_likes(args) -> list:
    """Array-like arguments, also inside a list of arrays (concatenate([a, b]))."""
    found = []
    for a in args:
        if a.__class__ is ndarray or isinstance(a, core.Tensor):
            found.append(a)
        elif isinstance(a, (list, tuple)) and a and (a[0].__class__ is ndarray
                                                     or isinstance(a[0], core.Tensor)):
            found.extend(a)
        elif isinstance(a, (list, tuple)):
            found.append(a)
    return found


def broadcast_size(args, kwargs) -> int:
    shapes = [shape_of(a) for a in (*args, *kwargs.values())]
    try:
        return math.prod(np.broadcast_shapes(*shapes))
    except ValueError:
        return 0                              # NumPy words the shape error itself


def total_size(args, kwargs) -> int:
    return sum(size_of(a) for a in array_likes((*args, *kwargs.values())))


def dims_count(shape) -> int:
    """The items of a shape argument (5, (2, 3), an array of ints); 0 when it is not one, so
    that NumPy words the error."""
    shape = inward(shape)
    if isinstance(shape, (int, np.integer)):
        return max(0, int(shape))
    try:
        dims = [operator.index(s) for s in shape]
    except TypeError:
        return 0
    return math.prod(dims) if all(d >= 0 for d in dims) else 0


def shape_size(args, kwargs) -> int:
    return dims_count(args[0] if args else kwargs.get("shape", ()))


def like_size(args, kwargs) -> int:
    return size_of(args[0]) if args else size_of(kwargs.get("a"))


def count_rule(position: int, default: int):
    def rule(args, kwargs):
        n = args[position] if len(args) > position else kwargs.get("num", default)
        return n if isinstance(n, int) else 0
    return rule


def arange_size(args, kwargs) -> int:
    numbers = [a for a in args if isinstance(a, (int, float))]
    start, stop, step = ((0, numbers[0], 1) if len(numbers) == 1 else
                         (numbers + [1])[:3] if len(numbers) >= 2 else
                         (kwargs.get("start", 0), kwargs.get("stop", 0), kwargs.get("step", 1)))
    try:
        return max(0, math.ceil((stop - start) / step))
    except (TypeError, ZeroDivisionError, OverflowError, ValueError):
        return 0


def eye_size(args, kwargs) -> int:
    n = args[0] if args else kwargs.get("N", 0)
    m = args[1] if len(args) > 1 and args[1] is not None else kwargs.get("M") or n
    return n * m if isinstance(n, int) and isinstance(m, int) else 0


def outer_size(args, kwargs) -> int:
    return size_of(args[0]) * size_of(args[1]) if len(args) >= 2 else 0


def product_size(args, kwargs) -> int:
    """dot/matmul/inner: the batch and outer dims of both operands (an upper bound)."""
    if len(args) < 2:
        return 0
    a, b = shape_of(args[0]), shape_of(args[1])
    return math.prod(a[:-1] or (1,)) * math.prod(b[:-2] + b[-1:] if len(b) > 1 else (1,))


def repeat_size(args, kwargs) -> int:
    if len(args) < 2:
        return 0
    times = args[1]
    most = max(inward(times)) if isinstance(times, (list, tuple)) and times else times
    return size_of(args[0]) * (most if isinstance(most, int) else 1)


def tile_size(args, kwargs) -> int:
    if len(args) < 2:
        return 0
    reps = args[1] if isinstance(args[1], (list, tuple)) else (args[1],)
    return size_of(args[0]) * math.prod(r for r in reps if isinstance(r, int))


def diag_size(args, kwargs) -> int:
    shape = shape_of(args[0]) if args else ()
    return shape[0] ** 2 if len(shape) == 1 else math.prod(shape)


def meshgrid_size(args, kwargs) -> int:
    return math.prod(size_of(a) for a in args) * len(args)


def no_size(args, kwargs) -> int:
    return 0


def itemsize_of(args, kwargs) -> int:
    d = kwargs.get("dtype")
    if d is not None:
        return numeric_dtype(d).itemsize
    sizes = [a._a.dtype.itemsize for a in array_likes(args) if a.__class__ is ndarray]
    return max(sizes, default=8)


def measure(rule, args, kwargs, what: str) -> None:
    """MemoryError when the result rule gives for these arguments would pass the cap."""
    n = rule(args, kwargs)
    if n:
        check_elements(n, itemsize_of(args, kwargs), what)


def checked(fn, name: str, rule, convert=outward):
    """fn(*args, **kwargs) through the doors, its result measured by rule first; the result
    goes out through convert (`outward`, or a door of its own that ends with `outward`)."""
    def call(*args, **kwargs):
        measure(rule, args, kwargs, name)
        try:
            result = fn(*inward(args), **inward_keywords(kwargs))
        except AttributeError as e:     # an object loop's x.hypot(y): a wrong argument
            raise TypeError(str(e)) from None
        return convert(result)
    call.__name__ = call.__qualname__ = name.rpartition(".")[2]
    call.__doc__ = (getattr(fn, "__doc__", None) or "").strip().split("\n")[0]
    return numpy_errors(call)


# ---------------------------------------------------------------------- dtypes
class dtype(metaclass=NumpyClass):
    """numpy.dtype of numbers: np.dtype('float32'), a.dtype."""

    __slots__ = ("_np",)

    @numpy_errors
    def __new__(cls, spec):
        return _dtype(numeric_dtype(spec))

    name = property(lambda self: self._np.name)
    itemsize = property(lambda self: self._np.itemsize)
    kind = property(lambda self: self._np.kind)
    char = property(lambda self: self._np.char)
    type = property(lambda self: SCALAR_TYPES[self._np.type.__name__])

    def __repr__(self):
        return repr(self._np)

    def __str__(self):
        return str(self._np)

    def __eq__(self, other):
        try:
            return self._np == numeric_dtype(other)
        except TypeError:
            return False

    def __hash__(self):
        return hash(self._np)


def _dtype(d: np.dtype) -> dtype:
    """The one stand-in of d (a.dtype is a.dtype, as in NumPy)."""
    obj = _DTYPES.get(d)
    if obj is None:
        obj = _DTYPES[d] = object.__new__(dtype)
        obj._np = d
    return obj


_DTYPES: dict = {}


class ScalarType:
    """np.float32 & co.: a dtype argument, and a function making a (Python) number."""

    __slots__ = ("_t",)

    def __init__(self, t):
        self._t = t

    @numpy_errors
    def __call__(self, value=0, /):
        return outward(self._t(inward(value)))

    def __repr__(self):
        return f"<class 'numpy.{self._t.__name__}'>"

    def __eq__(self, other):
        if other.__class__ is ScalarType:
            return self._t is other._t
        if other.__class__ is dtype:
            return np.dtype(self._t) == other._np
        return NotImplemented

    def __hash__(self):
        return hash(self._t)

    def __instancecheck__(self, obj):      # tsh holds Python numbers, never NumPy scalars
        return False


SCALAR_TYPES = {n: ScalarType(getattr(np, n)) for n in (
    "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128")}
SCALAR_TYPES["bool"] = SCALAR_TYPES["bool_"]


# ---------------------------------------------------------------------- ndarray
class ndarray(metaclass=NumpyClass):
    """numpy.ndarray of numbers: NumPy's array behind tsh's doors."""

    __slots__ = ("_a",)
    __hash__ = None

    @numpy_errors
    def __new__(cls, shape, dtype=float, order="C"):
        n = shape_size((shape,), {})
        d = numeric_dtype(dtype)
        check_elements(n, d.itemsize, "ndarray")
        return wrap(np.empty(inward(shape), d, order))

    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: _dtype(self._a.dtype))
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    T = property(lambda self: wrap(self._a.T))
    real = property(lambda self: wrap(np.asarray(self._a.real)))
    imag = property(lambda self: wrap(np.asarray(self._a.imag)))

    def __array__(self, dtype=None, copy=None):   # for NumPy and tshell.core, not programs
        return self._a if dtype is None else self._a.astype(dtype)

    def __repr__(self):
        return repr(self._a)

    def __str__(self):
        return str(self._a)

    @numpy_errors
    def __format__(self, spec):
        guards.check_widths(spec)
        return format(self._a, spec)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        for item in self._a:
            yield outward(item)

    @numpy_errors
    def __bool__(self):
        return bool(self._a)

    @numpy_errors
    def __float__(self):
        return float(self._a)

    @numpy_errors
    def __int__(self):
        return int(self._a)

    @numpy_errors
    def __index__(self):
        return operator.index(self._a)

    @numpy_errors
    def __complex__(self):
        return complex(self._a)

    @numpy_errors
    def __contains__(self, value):
        if isinstance(value, core.Tensor):    # NumPy's == gives way to the tensor's, as in torch
            return bool((value == core.from_numpy(self._a)).any())
        return bool((self._a == inward(value)).any())

    @numpy_errors
    def __getitem__(self, index):
        index = inward(index)
        n = _index_size(self._a, index)
        if n:
            check_elements(n, self._a.itemsize, "ndarray.__getitem__")
        return outward(self._a[index])

    @numpy_errors
    def __setitem__(self, index, value):
        self._a[inward(index)] = inward(value)

    def __copy__(self):                           # copy.copy / deepcopy: NumPy's copy
        check_elements(self._a.size, self._a.itemsize, "ndarray.__copy__")
        return wrap(self._a.copy())

    def __deepcopy__(self, memo):
        return self.__copy__()

    def tolist(self):
        """The items as (nested) Python lists of Python numbers."""
        if self._a.size * guards.OBJECT > guards.cap():
            raise guards.too_big(f"a list of {self._a.size} numbers",
                                 self._a.size * guards.OBJECT)
        return self._a.tolist()

    @numpy_errors
    def item(self, *args):
        return outward(self._a.item(*inward(args)))


def _index_size(a: np.ndarray, index) -> int:
    """An upper bound of the items a[index] has, when index holds arrays (fancy indexing
    can make a result far bigger than a: a[idx] with a large idx); 0 for basic indexing.
    A boolean mask gives its True items and covers the dims it spans; another array covers
    one dim (the smallest, for a bound)."""
    parts = index if isinstance(index, tuple) else (index,)
    shapes, covered = [], 1
    for part in parts:
        if isinstance(part, np.ndarray) and part.dtype == np.bool_:
            shapes.append((int(np.count_nonzero(part)),))
            covered *= max(1, part.size)
        elif isinstance(part, (np.ndarray, list, core.Tensor)):
            shapes.append(np.shape(part))
            covered *= min(a.shape, default=1) or 1
    if not shapes:
        return 0
    try:
        n = math.prod(np.broadcast_shapes(*shapes))
    except ValueError:
        return 0
    return n * max(1, a.size // covered)


def _method(name: str, rule):
    def method(self, *args, **kwargs):
        n = rule((self, *args), kwargs)
        if n:
            size = numeric_dtype(kwargs.get("dtype") or (args[0] if name == "astype" and args
                                                         else self._a.dtype)).itemsize
            check_elements(n, size, f"ndarray.{name}")
        return outward(getattr(self._a, name)(*inward(args), **inward_keywords(kwargs)))
    method.__name__ = method.__qualname__ = name
    method.__doc__ = (getattr(np.ndarray, name).__doc__ or "").strip().split("\n")[0]
    return method


def _operator(name: str, python_op, reflected: bool = False):
    """a OP b on arrays; with a tensor, the tensor op (PyTorch's result: a tensor)."""
    def op(self, other):
        if isinstance(other, core.Tensor):
            mine = core.from_numpy(self._a)
            return python_op(other, mine) if reflected else python_op(mine, other)
        if other.__class__ is not ndarray and not isinstance(other, (*PYTHON_SCALARS, list,
                                                                     tuple, str)):
            return NotImplemented
        n = broadcast_size((self, other), {})
        if n > self._a.size:
            check_elements(n, self._a.itemsize, name)
        b = inward(other)
        return outward(python_op(b, self._a) if reflected else python_op(self._a, b))
    op.__name__ = name
    return op


def _inplace(name: str, python_op):
    def op(self, other):
        if isinstance(other, core.Tensor):
            other = np.asarray(other)
        python_op(self._a, inward(other))
        return self
    op.__name__ = name
    return op


def _unary(name: str, python_op):
    def op(self):
        return outward(python_op(self._a))
    op.__name__ = name
    return op


_OPERATORS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul,
              "truediv": operator.truediv, "floordiv": operator.floordiv, "mod": operator.mod,
              "pow": operator.pow, "matmul": operator.matmul, "and": operator.and_,
              "or": operator.or_, "xor": operator.xor, "lshift": operator.lshift,
              "rshift": operator.rshift}
for _name, _op in _OPERATORS.items():
    setattr(ndarray, f"__{_name}__", numpy_errors(_operator(f"__{_name}__", _op)))
    setattr(ndarray, f"__r{_name}__",
            numpy_errors(_operator(f"__r{_name}__", _op, reflected=True)))
    setattr(ndarray, f"__i{_name}__",
            numpy_errors(_inplace(f"__i{_name}__", getattr(operator, f"i{_name}"))))
for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    setattr(ndarray, f"__{_name}__",
            numpy_errors(_operator(f"__{_name}__", getattr(operator, _name))))
for _name, _op in (("neg", operator.neg), ("pos", operator.pos), ("invert", operator.invert),
                   ("abs", operator.abs)):
    setattr(ndarray, f"__{_name}__", numpy_errors(_unary(f"__{_name}__", _op)))

_METHOD_RULES = {
    **dict.fromkeys("sum mean std var min max prod argmax argmin any all trace fill sort "
                    "partition nonzero".split(), no_size),
    **dict.fromkeys("cumsum cumprod reshape transpose squeeze flatten ravel copy astype clip "
                    "round conj conjugate swapaxes diagonal argsort searchsorted".split(),
                    total_size),
    "dot": product_size, "repeat": repeat_size,
}
for _name, _rule in _METHOD_RULES.items():
    setattr(ndarray, _name, numpy_errors(_method(_name, _rule)))

# What the sandbox lets programs read on these objects (runtime registers them).
NDARRAY_ATTRIBUTES = frozenset(("shape", "dtype", "ndim", "size", "itemsize", "nbytes", "T",
                                "real", "imag", "tolist", "item", *_METHOD_RULES))
DTYPE_ATTRIBUTES = frozenset(("name", "itemsize", "kind", "char", "type"))
