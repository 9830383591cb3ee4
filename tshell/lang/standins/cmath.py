"""cmath as tsh programs see it: Python's own functions (pure, on complex numbers: none can run
long or grow) and constants."""

from __future__ import annotations

import cmath

from ..sandbox import Namespace

FUNCTIONS = ("acos acosh asin asinh atan atanh cos cosh exp isclose isfinite isinf isnan log "
             "log10 phase polar rect sin sinh sqrt tan tanh").split()
CONSTANTS = ("e", "pi", "tau", "inf", "infj", "nan", "nanj")
HOST_CALLABLES = tuple(getattr(cmath, name) for name in FUNCTIONS)


def namespace() -> Namespace:
    return Namespace("cmath", {name: getattr(cmath, name) for name in (*FUNCTIONS, *CONSTANTS)})
