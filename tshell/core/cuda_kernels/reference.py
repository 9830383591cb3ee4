"""The reference executor: a Plan run with NumPy, node by node, as the eager ops run it.

It is the fused kernels' specification on any machine: the tests check it against the
eager ops on random expressions (bitwise), and the stand-in device's launcher (launch.py)
runs the compiler's fused path through it, so that everything but the CUDA source itself is
tested without a GPU. Each node gets its operands in its compute dtype and rounds its result
to its own dtype, exactly what codegen.py's kernels do.
"""
from __future__ import annotations

import numpy as np

from ..dtypes import INTEGRAL
from ..ops.elementwise import wrap_int
from ..ops.pointwise import exp_kernel, log_kernel, sigmoid_kernel, tanh_kernel


def _relu(a):
    return np.maximum(a, 0).astype(a.dtype, copy=False)


NUMPY_OPS = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
    "maximum": np.maximum, "minimum": np.minimum,
    "gt": np.greater, "lt": np.less, "ge": np.greater_equal, "le": np.less_equal,
    "eq": np.equal, "ne": np.not_equal,
    "neg": np.negative, "abs": np.abs, "relu": _relu,
    "exp": lambda a: exp_kernel(np, a), "log": lambda a: log_kernel(np, a), "sqrt": np.sqrt,
    "tanh": lambda a: tanh_kernel(np, a),
    "sigmoid": lambda a: sigmoid_kernel(np, a),
    "where": np.where,
}


def scalar_value(value, dtype):
    """A Python number as its consuming node takes it: integers wrap into the dtype's range
    (as elementwise.wrap_int does for the eager ops), floats round to it."""
    if dtype.category == INTEGRAL and isinstance(value, int) and not isinstance(value, bool):
        value = wrap_int(value, dtype.np)
    return dtype.np.type(value)


def run_plan(plan, tensors, scalars):
    """The plan's result (a NumPy array) for its tensor inputs' arrays and Python numbers,
    both in the plan's leaf order."""
    values = {"t": [np.asarray(t) for t in tensors],
              "s": [scalar_value(v, d) for v, d in zip(scalars, plan.scalar_dtypes)],
              "n": []}
    for node in plan.nodes:
        if node.op == "where":
            c, a, b = (values[k][i] for k, i in node.args)
            r = np.where(c, _as(a, node.compute), _as(b, node.compute))
        else:
            args = [_as(values[k][i], node.compute) for k, i in node.args]
            r = args[0] ** node.exponent if node.op == "pow" else NUMPY_OPS[node.op](*args)
        values["n"].append(np.asarray(r).astype(node.result.np, copy=False))
    return values["n"][-1]


def _as(value, dtype):
    return value.astype(dtype.np, copy=False) if value.dtype != dtype.np else value
