"""The elementwise plan: an expression tree typed by the core's own promotion.

An expression comes from the compiler as a tree of tuples: ("leaf", i) is the program's
i-th operand value (a tensor or a Python number), ("pow", child, exponent) raises to a
constant number, and (op, child, ...) applies one of OPS. `make_plan` types it for the
operands' dtypes exactly as the eager ops would, one op at a time (PyTorch's promotion with
dimensioned tensors over 0-dim tensors over Python numbers, through dtypes.result_type_of and
elementwise's rules), and returns a Plan or None when the eager ops must run instead (a
combination they refuse with an error, or one this module does not fuse).

Every node rounds to its own dtype, so a fused expression gives the eager expression's
values: the same intermediate dtypes, roundings and integer wrap-around.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..dtypes import (INTEGRAL, bool_, float16, bfloat16, float32, float64, int8, int16, int32,
                      int64, uint8, result_type_of, scalar_dtype)
from ..ops.elementwise import FLOAT, SAME, TO_BOOL, _compute_dtype

# The dtypes fused kernels take (complex numbers stay with the eager ops).
FUSED_DTYPES = (bool_, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64)


@dataclass(frozen=True)
class OpSpec:
    """One elementwise op: how many operands, the core's dtype rule, and whether it takes
    bool operands."""
    arity: int
    rule: str
    takes_bool: bool = True        # False: PyTorch raises for a bool operand (sub, neg...)


OPS = {
    "add": OpSpec(2, SAME), "sub": OpSpec(2, SAME, takes_bool=False),
    "mul": OpSpec(2, SAME), "div": OpSpec(2, FLOAT),
    "maximum": OpSpec(2, SAME), "minimum": OpSpec(2, SAME),
    "gt": OpSpec(2, TO_BOOL), "lt": OpSpec(2, TO_BOOL), "ge": OpSpec(2, TO_BOOL),
    "le": OpSpec(2, TO_BOOL), "eq": OpSpec(2, TO_BOOL), "ne": OpSpec(2, TO_BOOL),
    "neg": OpSpec(1, SAME, takes_bool=False), "abs": OpSpec(1, SAME, takes_bool=False),
    "relu": OpSpec(1, SAME, takes_bool=False),
    "exp": OpSpec(1, FLOAT), "log": OpSpec(1, FLOAT), "sqrt": OpSpec(1, FLOAT),
    "tanh": OpSpec(1, FLOAT), "sigmoid": OpSpec(1, FLOAT),
    "pow": OpSpec(1, SAME, takes_bool=False),         # exponent: a constant (Node.exponent)
    "where": OpSpec(3, SAME),
}
# Ops whose operands must all be tensors (torch.maximum(x, 2) is PyTorch's TypeError).
TENSORS_ONLY = ("maximum", "minimum")
# Integer exponents a fused integer pow takes (others: the eager op's checks and kernel).
INT_EXPONENTS = (1, 2, 3)


@dataclass(frozen=True)
class Node:
    """One op of a plan: its arguments ("t", k) tensor input k, ("s", k) Python number k,
    ("n", j) an earlier node; the dtype it computes in and the dtype it rounds to."""
    op: str
    args: tuple
    compute: object            # tshell dtype
    result: object
    exponent: object = None    # pow's constant


@dataclass(frozen=True, eq=False)      # hashed by identity: a launch's cache key, cheaply
class Plan:
    """A typed expression: its tensor inputs (leaf indices, in kernel argument order, and
    their dtypes) and Python numbers (leaf indices, and the dtype each is passed as), and its
    nodes (the last is the result)."""
    tensor_leaves: tuple
    tensor_dtypes: tuple
    scalar_leaves: tuple
    scalar_dtypes: tuple
    nodes: tuple
    result: object             # the last node's dtype
    result_has_dims: bool


class _Typed:
    """A value while planning: dtype, its class for promotion ('dim', 'zero', 'scalar'),
    and how a node refers to it."""
    __slots__ = ("dtype", "kind", "ref")

    def __init__(self, dtype, kind, ref):
        self.dtype, self.kind, self.ref = dtype, kind, ref


class NotFusable(Exception):
    """The eager ops must run this expression (they give the error, if any)."""


def make_plan(tree, leaf_kinds):
    """The Plan of `tree` for operands of leaf_kinds: per leaf, (dtype, has_dims) for a
    tensor or the Python number's class; None when the eager ops must run it."""
    builder = _Builder(leaf_kinds)
    try:
        top = builder.visit(tree)
    except NotFusable:
        return None
    if top.ref[0] != "n":              # a bare operand: nothing to compute
        return None
    return Plan(tuple(builder.tensor_leaves), tuple(builder.tensor_dtypes),
                tuple(builder.scalar_leaves),
                tuple(builder.scalar_dtypes), tuple(builder.nodes), top.dtype,
                top.kind == "dim")


class _Builder:
    def __init__(self, leaf_kinds):
        self.leaf_kinds = leaf_kinds
        self.tensor_leaves, self.tensor_dtypes = [], []
        self.scalar_leaves, self.scalar_dtypes = [], []
        self.nodes = []

    def visit(self, tree):
        if tree[0] == "leaf":
            return self._leaf(tree[1])
        spec = OPS[tree[0]]
        if tree[0] == "pow":
            return self._pow(self.visit(tree[1]), tree[2])
        args = [self.visit(t) for t in tree[1:1 + spec.arity]]
        if tree[0] == "where":
            return self._where(*args)
        return self._node(tree[0], spec, args)

    def _leaf(self, i):
        kind = self.leaf_kinds[i]
        if isinstance(kind, tuple):
            dtype, has_dims = kind
            if dtype not in FUSED_DTYPES:
                raise NotFusable
            self.tensor_leaves.append(i)
            self.tensor_dtypes.append(dtype)
            return _Typed(dtype, "dim" if has_dims else "zero", ("t", len(self.tensor_leaves) - 1))
        if kind not in (bool, int, float):
            raise NotFusable
        self.scalar_leaves.append(i)
        self.scalar_dtypes.append(None)        # set by the consuming node (its compute dtype)
        return _Typed(scalar_dtype(kind()), "scalar", ("s", len(self.scalar_leaves) - 1))

    def _result_type(self, args):
        groups = {"dim": [], "zero": [], "scalar": []}
        for a in args:
            groups[a.kind].append(a.dtype)
        if not groups["dim"] and not groups["zero"]:
            raise NotFusable               # Python numbers only: Python's own arithmetic
        kind = "dim" if groups["dim"] else "zero"
        return result_type_of(groups["dim"], groups["zero"], groups["scalar"]), kind

    def _emit(self, op, args, compute, result, kind, exponent=None):
        for a in args:
            if a.ref[0] == "s":
                self.scalar_dtypes[a.ref[1]] = compute
        self.nodes.append(Node(op, tuple(a.ref for a in args), compute, result, exponent))
        return _Typed(result, kind, ("n", len(self.nodes) - 1))

    def _node(self, op, spec, args):
        if op in TENSORS_ONLY and any(a.kind == "scalar" for a in args):
            raise NotFusable           # torch.maximum(x, 2): PyTorch's TypeError
        rt, kind = self._result_type(args)
        if not spec.takes_bool and any(a.dtype is bool_ for a in args):
            raise NotFusable           # PyTorch's error for `-` with a bool operand
        compute = _compute_dtype(rt, spec.rule)
        if compute not in FUSED_DTYPES:
            raise NotFusable
        result = bool_ if spec.rule == TO_BOOL else compute
        return self._emit(op, args, compute, result, kind)

    def _pow(self, base, exponent):
        if base.kind == "scalar" or isinstance(exponent, complex):
            raise NotFusable
        dims, zeros = ([base.dtype], []) if base.kind == "dim" else ([], [base.dtype])
        rt = result_type_of(dims, zeros, [scalar_dtype(exponent)])
        if rt is bool_ or rt.category == INTEGRAL and exponent not in INT_EXPONENTS:
            raise NotFusable           # negative or large integer powers: the eager checks
        return self._emit("pow", [base], rt, rt, base.kind, exponent)

    def _where(self, cond, a, b):
        if cond.kind == "scalar" or cond.dtype is not bool_:
            raise NotFusable           # where's own error for a non-bool condition
        rt, _ = self._result_type([a, b]) if a.kind != "scalar" or b.kind != "scalar" else \
            (result_type_of([], [], [a.dtype, b.dtype]), None)
        kind = "dim" if "dim" in (cond.kind, a.kind, b.kind) else "zero"
        for v in (a, b):
            if v.ref[0] == "s":
                self.scalar_dtypes[v.ref[1]] = rt
        self.nodes.append(Node("where", (cond.ref, a.ref, b.ref), rt, rt))
        return _Typed(rt, kind, ("n", len(self.nodes) - 1))

