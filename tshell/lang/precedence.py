"""Python's operator precedence, applied to the flat operand/operator runs of the grammar.

The binding powers and associativity come from operators.LEVELS.
"""

from __future__ import annotations

from . import ast as A
from .errors import TshSyntaxError
from .operators import (BINARY_KINDS, BINARY_POWERS, BOOLEAN, COMPARISON, PREFIX_POWERS,
                        RIGHT)


class Pratt:
    """Precedence climbing over [operand, op, operand, ...] with prefix operators."""

    def __init__(self, items: list, tspan):
        self.items, self.i, self.tspan = items, 0, tspan

    def parse(self):
        return self.expr(0)

    def _op(self):
        """The operator text at the cursor (two-word ones joined) and its token count."""
        tok = self.items[self.i]
        if tok.value in ("not", "is") and self.i + 1 < len(self.items):
            nxt = self.items[self.i + 1]
            if not isinstance(nxt, A.Node) and nxt.value in ("in", "not"):
                return f"{tok.value} {nxt.value}", 2
        return tok.value, 1

    def expr(self, min_bp: int):
        item = self.items[self.i]
        self.i += 1
        if isinstance(item, A.Node):
            left = item
        else:
            power = PREFIX_POWERS[item.value]
            if power < min_bp:
                # a prefix looser than its context: `a == not b`, `-not a` are not Python
                s = self.tspan(item)
                raise TshSyntaxError("invalid syntax", s.line, s.col, s.end_col)
            first = self.items[self.i]
            operand = self.expr(power)
            left = _unary(self.tspan(item).to(operand.span), item.value, operand,
                          operand is first)
        while self.i < len(self.items):
            op, width = self._op()
            bp = BINARY_POWERS[op]
            if bp <= min_bp:
                break
            self.i += width
            kind = BINARY_KINDS[op]
            if kind is COMPARISON:
                left = self._compare(left, op)
            elif kind is BOOLEAN:
                left = self._boolean(left, op, bp)
            else:
                # a right-associative operator continues its own level on the right
                right = self.expr(bp - 1 if kind is RIGHT else bp)
                left = A.BinOp(left.span.to(right.span), left, op, right)
        return left

    def _boolean(self, left, op, power):
        """`a and b and c` as one BoolOp, its operands gathered in a list: a new tuple per
        operand made a long chain quadratic. A left operand that is itself a BoolOp of the
        same operator, `(a and b) and c`, is merged in."""
        values = list(left.values) if isinstance(left, A.BoolOp) and left.op == op else [left]
        values.append(self.expr(power))
        items = self.items
        while self.i < len(items) and items[self.i].value == op:   # (an operator token)
            self.i += 1
            values.append(self.expr(power))
        return A.BoolOp(left.span.to(values[-1].span), op, tuple(values))

    def _compare(self, left, op):
        power = BINARY_POWERS[op]
        ops, comparators = [op], [self.expr(power)]
        while self.i < len(self.items):
            op, width = self._op()
            if BINARY_KINDS[op] is not COMPARISON:
                break
            self.i += width
            ops.append(op)
            comparators.append(self.expr(power))
        return A.Compare(left.span.to(comparators[-1].span), left, tuple(ops),
                         tuple(comparators))


def _unary(span, op, operand, operand_is_an_item: bool):
    """`-` on a number is folded, so x.view(-1, 8) indexes are constants; only on a number
    of the run (a literal, or a parenthesised expression): `--1` stays an operation, so every
    prefix operator is a level of the tree, as nesting.py counts them."""
    if op == "-" and operand_is_an_item and isinstance(operand, A.Const) \
            and type(operand.value) in (int, float):
        return A.Const(span, -operand.value)
    return A.UnaryOp(span, op, operand)
