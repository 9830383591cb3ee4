"""Python's operator precedence, applied to the flat operand/operator runs of the grammar."""

from __future__ import annotations

from . import ast as A
from .errors import TshSyntaxError

# Binding powers from Python's precedence table, loosest first.
BINARY = {"or": 1, "and": 2, "in": 4, "not in": 4, "is": 4, "is not": 4, "<": 4, ">": 4,
          "==": 4, "!=": 4, "<=": 4, ">=": 4, "|": 5, "^": 6, "&": 7, "<<": 8, ">>": 8,
          "+": 9, "-": 9, "*": 10, "/": 10, "//": 10, "%": 10, "@": 10, "**": 12}
PREFIX = {"not": 3, "-": 11, "+": 11, "~": 11}
NOT_LEVEL = 3
COMPARISON = 4
UNARY_LEVEL = 11


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
            if min_bp > NOT_LEVEL and item.value == "not":
                # `not` binds looser than comparisons: `a == not b`, `-not a` are not Python
                s = self.tspan(item)
                raise TshSyntaxError("invalid syntax", s.line, s.col, s.end_col)
            operand = self.expr(PREFIX[item.value])
            left = _unary(self.tspan(item).to(operand.span), item.value, operand)
        while self.i < len(self.items):
            op, width = self._op()
            bp = BINARY[op]
            if bp <= min_bp:
                break
            self.i += width
            if bp == COMPARISON:
                left = self._compare(left, op)
            elif op in ("and", "or"):
                right = self.expr(bp)
                values = left.values if isinstance(left, A.BoolOp) and left.op == op else (left,)
                left = A.BoolOp(left.span.to(right.span), op, values + (right,))
            else:
                right = self.expr(UNARY_LEVEL if op == "**" else bp)   # ** is right-assoc
                left = A.BinOp(left.span.to(right.span), left, op, right)
        return left

    def _compare(self, left, op):
        ops, comparators = [op], [self.expr(COMPARISON)]
        while self.i < len(self.items):
            op, width = self._op()
            if BINARY[op] != COMPARISON:
                break
            self.i += width
            ops.append(op)
            comparators.append(self.expr(COMPARISON))
        return A.Compare(left.span.to(comparators[-1].span), left, tuple(ops),
                         tuple(comparators))


def _unary(span, op, operand):
    if op == "-" and isinstance(operand, A.Const) and type(operand.value) in (int, float):
        return A.Const(span, -operand.value)      # so x.view(-1, 8) indexes are constants
    return A.UnaryOp(span, op, operand)
