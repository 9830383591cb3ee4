"""What the matplotlib.pyplot stand-in (pyplot.py) reads from a program: its data as NumPy
values, texts and options, read without running any of the program's code (a __float__,
__iter__, __eq__ or __repr__ of a program's object would run inside the drawing), and the
names its classes print as."""

from __future__ import annotations

import numpy as np

from tshell.core import limits
from tshell.core.tensor import Tensor
from tshell.lang import runtime, sandbox
from tshell.lang.standins.numpy import arrays as np_arrays

from .plot import VALUE_BYTES

NUMBERS = (int, float, bool)
TEXTS = (str, int, float, bool)
MAX_DATA_DEPTH = 3            # an image's rows, columns and channels
MARKERS = set(".,ov^<>1234sp*hH+xXDd|_P8")
LINE_STYLES = ("--", "-.", "-", ":")
COLORS = set("bgrcmykw")


class ShownClass(type):
    """type(fig) prints as matplotlib's class (its `_shown` path)."""

    def __repr__(cls):
        return f"<class '{cls.__dict__['_shown']}'>"


# ---------------------------------------------------------------------- data
def data(value) -> np.ndarray:
    """A program's data as float64 values: tensors (through numpy(), which refuses one that
    requires grad as matplotlib's np.asarray does), np arrays, numbers, and lists or tuples
    of these; anything else is refused without calling it (its __float__ or __iter__ would
    run the program's code inside the drawing)."""
    values = array_of(value)
    limits.check_dense(values, VALUE_BYTES)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"can't plot values of type {values.dtype}")
    return values.astype(np.float64)


def array_of(value, depth: int = 0) -> np.ndarray:
    """value's NumPy array as given (any dtype), nested lists checked for depth and size."""
    cls = type(value)
    if isinstance(value, Tensor):
        return Tensor.numpy(value)          # Tensor's own: a subclass's override never runs
    if cls is np_arrays.ndarray:
        return value._a
    if cls in NUMBERS:
        return np.asarray(float(value))
    if cls is list or cls is tuple:
        if depth >= MAX_DATA_DEPTH:
            raise ValueError("can't plot data nested more than 3 lists deep")
        if all(type(v) in NUMBERS for v in value):
            return np.array(value, dtype=np.float64)
        parts = [array_of(v, depth + 1) for v in value]
        # a list of expanded tensors (views of a few bytes) would stack into far more
        limits.check_result((sum(p.size for p in parts),), 8)
        return np.array(parts)
    raise TypeError(f"float() argument must be a string or a real number, not "
                    f"'{sandbox.type_name(value)}'")


def np_array(values: np.ndarray):
    """values as the program's np arrays are (the np stand-in, loaded at its first use)."""
    runtime.numpy_standin()
    return np_arrays.wrap(values)


def text_of(value, what: str) -> str:
    """A title or label: text, a number, or a 0-d tensor's value."""
    if type(value) in TEXTS:
        return str(value)
    if isinstance(value, Tensor) and Tensor.dim(value) == 0:
        return str(Tensor.item(value))
    raise TypeError(f"{what} must be a str, not '{sandbox.type_name(value)}'")


def flag(value, what: str) -> bool:
    """A True/False option (a number too), read without calling a program's __bool__."""
    if type(value) in NUMBERS:
        return bool(value)
    raise TypeError(f"{what} must be a bool, not '{sandbox.type_name(value)}'")


def is_word(value, *words) -> bool:
    """value is one of these strings (compared only when it is a str: `in` on a program's
    object would call its __eq__)."""
    return type(value) is str and value in words


def shown(value) -> str:
    """A value as a message shows it: repr() of a str or number, a program's object by its
    type (repr() would call its __repr__)."""
    return repr(value) if type(value) in TEXTS else f"<{sandbox.type_name(value)} object>"


def parse_format(fmt: str) -> bool:
    """Whether a format string ('r-', 'o', 'g--', 'x:') draws lines: markers alone do not."""
    rest, style, marker = fmt, None, None
    for line in LINE_STYLES:
        if line in rest:
            style, rest = line, rest.replace(line, "", 1)
            break
    for c in rest:
        if c in MARKERS and marker is None:
            marker = c
        elif c not in COLORS:
            raise ValueError(f"'{fmt}' is not a valid format string (unrecognized character "
                             f"'{c}')")
    return style is not None or marker is None
