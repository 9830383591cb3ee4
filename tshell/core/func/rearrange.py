"""torch.func.rearrange: einops' rearrange (transpose, reshape, squeeze, unsqueeze, stack,
concatenate by a pattern such as "b (h w) c -> b c h w").

The pattern is parsed as einops' parser does (PyTorch's functorch/einops/_parsing.py, with its
messages); PyTorch then evaluates it with first-class dimensions, tshell with one reshape to
the elementary axes, a permute and a reshape to the result's groups (the same values).
"""
from __future__ import annotations

import keyword
import warnings

from ..ops.shape import stack
from ..tensor import Tensor

_ELLIPSIS = "\u2026"        # one symbol, as einops writes "..." internally


class AnonymousAxis:
    """A numeric axis in a pattern ("1" groups are dropped; others are refused later)."""

    def __init__(self, value):
        self.value = int(value)
        if self.value < 1:
            raise ValueError(f"Anonymous axis should have positive length, not {self.value}")

    def __repr__(self):
        return f"{self.value}-axis"


def _axis_name_problem(name):
    """Why name cannot be an axis ("" when it can), with einops' warnings."""
    if not name.isidentifier():
        return "not a valid python identifier"
    if name[0] == "_" or name[-1] == "_":
        return "axis name should should not start or end with underscore"
    if keyword.iskeyword(name):
        warnings.warn(f"It is discouraged to use axes names that are keywords: {name}",
                      RuntimeWarning, stacklevel=5)
    if name == "axis":
        warnings.warn("It is discouraged to use 'axis' as an axis name and will raise an error "
                      "in future", FutureWarning, stacklevel=5)
    return ""


class ParsedExpression:
    """One side of a pattern: its composition (a list per tensor dimension of the axis
    names it holds, or the ellipsis) and its identifiers."""

    def __init__(self, expression):
        self.has_ellipsis = False
        self.has_ellipsis_parenthesized = None
        self.identifiers = set()
        self.has_non_unitary_anonymous_axes = False
        self.composition = []
        if "." in expression:
            if "..." not in expression:
                raise ValueError("Expression may contain dots only inside ellipsis (...)")
            if expression.count("...") != 1 or expression.count(".") != 3:
                raise ValueError("Expression may contain dots only inside ellipsis (...); only "
                                 "one ellipsis for tensor ")
            expression = expression.replace("...", _ELLIPSIS)
            self.has_ellipsis = True
        self._group = None
        name = None
        for char in expression:
            if char in "() ":
                if name is not None:
                    self._add(name)
                name = None
                if char == "(":
                    if self._group is not None:
                        raise ValueError("Axis composition is one-level (brackets inside "
                                         "brackets not allowed)")
                    self._group = []
                elif char == ")":
                    if self._group is None:
                        raise ValueError("Brackets are not balanced")
                    self.composition.append(self._group)
                    self._group = None
            elif char.isalnum() or char in ("_", _ELLIPSIS):
                name = char if name is None else name + char
            else:
                raise ValueError(f"Unknown character '{char}'")
        if self._group is not None:
            raise ValueError(f"Imbalanced parentheses in expression: '{expression}'")
        if name is not None:
            self._add(name)

    def _add(self, x):
        if x in self.identifiers:
            raise ValueError(f"Indexing expression contains duplicate dimension '{x}'")
        if x == _ELLIPSIS:
            self.identifiers.add(_ELLIPSIS)
            (self.composition if self._group is None else self._group).append(_ELLIPSIS)
            self.has_ellipsis_parenthesized = self._group is not None
            return
        is_number = x.isdecimal()
        if is_number and int(x) == 1:
            if self._group is None:
                self.composition.append([])
            return
        reason = "" if is_number else _axis_name_problem(x)
        if reason:
            raise ValueError(f"Invalid axis identifier: {x}\n{reason}")
        axis = AnonymousAxis(x) if is_number else x
        self.identifiers.add(axis)
        self.has_non_unitary_anonymous_axes |= is_number
        if self._group is None:
            self.composition.append([axis])
        else:
            self._group.append(axis)


def _parsed(pattern, axes_lengths):
    try:
        left_str, right_str = pattern.split("->")
    except ValueError:
        raise ValueError("Pattern must contain a single '->' separator") from None
    if _ELLIPSIS in axes_lengths:
        raise ValueError(f"'{_ELLIPSIS}' is not an allowed axis identifier")
    left, right = ParsedExpression(left_str), ParsedExpression(right_str)
    if not left.has_ellipsis and right.has_ellipsis:
        raise ValueError(f"Ellipsis found in right side, but not left side of a pattern "
                         f"{pattern}")
    if left.has_ellipsis and left.has_ellipsis_parenthesized:
        raise ValueError(f"Ellipsis is parenthesis in the left side is not allowed: {pattern}")
    for length in axes_lengths.values():
        if type(length) is not int:
            raise TypeError(f"rearrange axis lengths must be integers, got: {type(length)}")
    if left.has_non_unitary_anonymous_axes or right.has_non_unitary_anonymous_axes:
        raise ValueError("rearrange only supports unnamed axes of size 1")
    difference = left.identifiers ^ right.identifiers
    if difference:
        raise ValueError("Identifiers only on one side of rearrange expression (should be on "
                         f"both): {difference}")
    unmatched = axes_lengths.keys() - left.identifiers
    if unmatched:
        raise ValueError(f"Identifiers not found in rearrange expression: {unmatched}")
    return left, right


def _groups(parsed, ellipsis_names):
    """The composition with the ellipsis expanded into one group per dimension it covers."""
    out = []
    for dimension in parsed.composition:
        if dimension == _ELLIPSIS:
            out += [[name] for name in ellipsis_names]
        else:
            out.append([a for d in dimension for a in (ellipsis_names if d == _ELLIPSIS
                                                       else [d])])
    return out


def _axis_sizes(groups, shape, axes_lengths):
    """The size of every elementary axis of the left side."""
    sizes = dict(axes_lengths)
    for group, size in zip(groups, shape):
        unknown = [a for a in group if a not in sizes]
        known = 1
        for a in group:
            known *= sizes.get(a, 1)
        if len(unknown) > 1:
            raise ValueError(f"Could not infer the sizes of {unknown} from dimension size "
                             f"{size}")
        if unknown:
            if known == 0 or size % known:
                raise ValueError(f"Dimension of size {size} is not divisible by {known}")
            sizes[unknown[0]] = size // known
        elif known != size:
            raise ValueError(f"Dimension of size {size} does not match the lengths of its axes "
                             f"{group} (their product is {known})")
    return sizes


def rearrange(tensor, pattern, **axes_lengths):
    """A native implementation of einops.rearrange, a reader-friendly smart element
    reordering for multidimensional tensors."""
    if not isinstance(tensor, Tensor):
        tensor = stack(tensor)
    left, right = _parsed(pattern, axes_lengths)
    ndim = tensor.dim()
    n_anon = sum(not d for d in left.composition)
    if left.has_ellipsis:
        n_ellipsis = ndim - (len(left.composition) - 1)
        pattern_ndim = n_anon + len(left.identifiers) - 1
        if pattern_ndim > ndim:
            raise ValueError(f"Number of dimensions in pattern ({pattern_ndim}) must be less "
                             "than or equal to the number of dimensions in the tensor "
                             f"({ndim})")
    else:
        n_ellipsis = 0
        if len(left.composition) != ndim:
            raise ValueError(f"Number of dimensions in pattern ({len(left.composition)}) must "
                             f"be equal to the number of dimensions in the tensor ({ndim})")
    ellipsis_names = [f"{_ELLIPSIS}{i}" for i in range(n_ellipsis)]
    left_groups, right_groups = (_groups(p, ellipsis_names) for p in (left, right))
    sizes = _axis_sizes(left_groups, tensor.shape, axes_lengths)
    axes = [a for group in left_groups for a in group]
    order = [axes.index(a) for group in right_groups for a in group]
    elementary = tensor.reshape([sizes[a] for a in axes]).permute(order)
    shape = []
    for group in right_groups:
        size = 1
        for a in group:
            size *= sizes[a]
        shape.append(size)
    return elementary.reshape(shape)
