"""np.linalg as tsh programs see it: NumPy's LAPACK routines behind the doors of `arrays`.

NumPy returns some results as named tuples of its own (EigResult, SVDResult...); programs
get this module's twins of them, which print as NumPy's, so that no NumPy class reaches a
program (its LinAlgError, like every NumPy exception, is raised as tshell's twin: see
`arrays.error_twin`).
"""

from __future__ import annotations

import collections
import copy
import math

import numpy as np

from ...sandbox import Namespace
from .arrays import NumpyClass, checked, error_twin, no_size, outward, shape_of, total_size


def _result_type(name: str, fields: str) -> type:
    """The twin of NumPy's named tuple `name` (its repr: EigResult(eigenvalues=array(...)...));
    copy.copy gives the same arrays, deepcopy copies of them, as for NumPy's."""
    base = collections.namedtuple(name, fields)
    return NumpyClass(name, (base,), {
        "__slots__": (), "_shown": "numpy.linalg._linalg",
        "__doc__": f"numpy.linalg's {name}: ({fields}).",
        "__copy__": lambda self: type(self)(*self),
        "__deepcopy__": lambda self, memo: type(self)(*copy.deepcopy(tuple(self), memo))})


RESULT_TYPES = {name: _result_type(name, fields) for name, fields in (
    ("EigResult", "eigenvalues eigenvectors"), ("EighResult", "eigenvalues eigenvectors"),
    ("SVDResult", "U S Vh"), ("QRResult", "Q R"), ("SlogdetResult", "sign logabsdet"))}


def _outward(result):
    """`outward`, with NumPy's named tuples as their twins."""
    twin = RESULT_TYPES.get(type(result).__name__)
    if twin is not None and isinstance(result, tuple):
        return twin(*(outward(item) for item in result))
    return outward(result)


# ---------------------------------------------------------------------- sizes
def _matrices(args, kwargs) -> tuple:
    """(batch, m, n) of the first argument, a stack of m x n matrices."""
    shape = shape_of(args[0] if args else kwargs.get("a"))
    if len(shape) < 2:
        return 1, 0, 0
    return math.prod(shape[:-2]), shape[-2], shape[-1]


def _factors(full_keyword: str, full_default):
    """svd / qr: the full factorization has an m x m and an n x n factor (a tall 10**6 x 2
    matrix's U is 10**12 items), the reduced one m x k and k x n, k = min(m, n)."""
    def rule(args, kwargs):
        batch, m, n = _matrices(args, kwargs)
        full = (args[1] if len(args) > 1 else kwargs.get(full_keyword, full_default))
        k = min(m, n)
        return batch * ((m * m + n * n + k) if full in (True, "complete") else
                        (m * k + k * n + k))
    return rule


def _complex_total(args, kwargs) -> int:
    """eig: complex results, twice the items of a real one."""
    return 2 * total_size(args, kwargs)


_FUNCTION_RULES = {
    **dict.fromkeys("norm det slogdet matrix_rank cond".split(), no_size),
    **dict.fromkeys("inv pinv solve lstsq cholesky eigh eigvalsh matrix_power".split(),
                    total_size),
    **dict.fromkeys("eig eigvals".split(), _complex_total),
    "svd": _factors("full_matrices", True), "qr": _factors("mode", "reduced"),
}

# What the sandbox lets programs read on these objects (runtime registers them).
CLASS_ATTRIBUTES = {cls: frozenset((*cls._fields, "count", "index"))
                    for cls in RESULT_TYPES.values()}


def namespace() -> Namespace:
    """The `np.linalg` namespace."""
    members = {name: checked(getattr(np.linalg, name), f"linalg.{name}", rule,
                             convert=_outward)
               for name, rule in _FUNCTION_RULES.items()}
    members["LinAlgError"] = error_twin(np.linalg.LinAlgError)
    return Namespace("numpy.linalg", members)
