"""numpy as tsh programs see it: the `np` namespace, an explicit list of NumPy's functions,
each behind the doors of `arrays` (what goes in, what comes out, how big the result may be);
`np.random` and `np.linalg` are the modules `random` and `linalg` of this package. `random`
(and with it NumPy's own random module, ~12 ms) loads when a program first reads a name of
`np.random`; it registers its classes with the sandbox then."""

from __future__ import annotations

import math

import numpy as np

from ...namespace import LazyMembers
from ... import sandbox
from ...sandbox import Namespace
from ...typeview import NAMEABLE, classes_in
from . import linalg
from .arrays import (DTYPE_ATTRIBUTES, NDARRAY_ATTRIBUTES, SCALAR_TYPES, arange_size,
                     broadcast_size, checked, count_rule, diag_size, dtype, eye_size, inward,
                     like_size, meshgrid_size, ndarray, no_size, outer_size, outward,
                     product_size, repeat_size, shape_of, shape_size, size_of, tile_size,
                     total_size)

__all__ = ["namespace", "inward", "outward", "ndarray", "dtype", "NDARRAY_ATTRIBUTES",
           "DTYPE_ATTRIBUTES", "CLASS_ATTRIBUTES"]


def _quantile_size(args, kwargs) -> int:
    """percentile/quantile: one result per q, each at most the size of a."""
    a = args[0] if args else kwargs.get("a")
    q = args[1] if len(args) > 1 else kwargs.get("q")
    return max(1, size_of(q)) * size_of(a)


def _sections_size(args, kwargs) -> int:
    """split & co.: the array, plus one array object per section (split(np.zeros(0), 10**9)
    makes 10**9 empty arrays), counted as 16 items each (their headers' bytes)."""
    sections = args[1] if len(args) > 1 else kwargs.get("indices_or_sections", 1)
    count = sections if isinstance(sections, int) else size_of(sections) + 1
    return total_size(args[:1], {}) + 16 * max(0, count)


def _along_axis_size(args, kwargs) -> int:
    """take_along_axis(arr, indices, axis): the indices' shape broadcast with arr's other
    axes (0 where the shapes do not fit: NumPy words that error)."""
    names = ("arr", "indices", "axis")
    arr, indices, axis = (args[i] if len(args) > i else kwargs.get(n)
                          for i, n in enumerate(names))
    a, i = shape_of(arr), shape_of(indices)
    if axis is None:
        return math.prod(i)
    if len(a) != len(i) or not isinstance(axis, int) or not -len(a) <= axis < len(a):
        return 0
    axis %= len(a)
    return math.prod(i[d] if d == axis else max(a[d], i[d]) for d in range(len(a)))


_FUNCTION_RULES = {
    **dict.fromkeys(
        "add subtract multiply divide true_divide floor_divide power float_power mod fmod "
        "remainder maximum minimum fmax fmin exp exp2 expm1 log log2 log10 log1p logaddexp "
        "logaddexp2 sqrt cbrt square abs absolute fabs sign signbit copysign heaviside sin "
        "cos tan arcsin arccos arctan arctan2 sinh cosh tanh arcsinh arccosh arctanh "
        "deg2rad rad2deg degrees radians sinc floor ceil trunc rint round around clip where "
        "isnan isinf isfinite nan_to_num negative positive reciprocal equal not_equal less "
        "less_equal greater greater_equal logical_and logical_or logical_not logical_xor "
        "bitwise_and bitwise_or bitwise_xor invert hypot isclose".split(), broadcast_size),
    **dict.fromkeys(
        "sum mean std var min max amin amax prod argmax argmin median nansum nanmean nanmax "
        "nanmin nanstd nanvar nanprod nanargmax nanargmin ptp any all count_nonzero trace "
        "allclose array_equal array_equiv average shape size ndim vdot trapezoid isscalar "
        "result_type promote_types can_cast".split(), no_size),
    **dict.fromkeys(
        "array asarray copy cumsum cumprod nancumsum sort argsort flip fliplr flipud rot90 "
        "roll transpose moveaxis reshape ravel squeeze expand_dims atleast_1d atleast_2d "
        "atleast_3d concatenate stack vstack hstack dstack column_stack unique diff nonzero "
        "flatnonzero argwhere swapaxes triu tril searchsorted digitize interp "
        "cross".split(), total_size),
    **dict.fromkeys("zeros ones empty full".split(), shape_size),
    **dict.fromkeys("zeros_like ones_like empty_like full_like".split(), like_size),
    **dict.fromkeys("split array_split hsplit vsplit".split(), _sections_size),
    **dict.fromkeys("percentile quantile nanpercentile nanquantile".split(), _quantile_size),
    "arange": arange_size, "linspace": count_rule(2, 50), "logspace": count_rule(2, 50),
    "eye": eye_size, "identity": eye_size, "outer": outer_size, "kron": outer_size,
    "dot": product_size, "matmul": product_size, "inner": product_size,
    "repeat": repeat_size, "tile": tile_size, "diag": diag_size, "meshgrid": meshgrid_size,
    "take_along_axis": _along_axis_size,
}

# The classes of the stand-in with the attribute names programs may read (runtime
# registers them with the sandbox; np.random's are registered when it loads).
CLASS_ATTRIBUTES = {ndarray: NDARRAY_ATTRIBUTES, dtype: DTYPE_ATTRIBUTES,
                    **linalg.CLASS_ATTRIBUTES}


def _random_members() -> dict:
    """np.random's members, at a program's first use of it."""
    from . import random
    for cls, names in random.CLASS_ATTRIBUTES.items():
        sandbox.register(cls, names)
    members = random.namespace()._members
    NAMEABLE.update(classes_in(members))
    return members


def namespace() -> Namespace:
    """The `np` (and `numpy`) namespace of a tsh program."""
    members = {name: checked(getattr(np, name), name, rule)
               for name, rule in _FUNCTION_RULES.items()}
    members.update(SCALAR_TYPES)
    members.update(ndarray=ndarray, dtype=dtype, pi=math.pi, e=math.e, inf=math.inf,
                   nan=math.nan, newaxis=None,
                   random=Namespace("numpy.random", LazyMembers(_random_members)),
                   linalg=linalg.namespace())
    return Namespace("numpy", members)
