"""tsh's operators, written once: Python's precedence and associativity, and what each computes.

The parser's precedence climbing (precedence.py) reads the binding powers and kinds, the
compiler reads the functions. The grammar only names the operator tokens (its terminals);
tests/lang/test_operators.py checks that it offers exactly the operators of this table.
"""

from __future__ import annotations

import operator

from . import guards
from .safe_builtins import contains

# How an operator combines its operands, which decides the AST node the parser makes.
BOOLEAN = "boolean"          # short-circuit `and`/`or`: one BoolOp for a run of the same one
COMPARISON = "comparison"    # chains: `a < b <= c` is one Compare
LEFT = "left"                # left-associative binary operator: BinOp
RIGHT = "right"              # right-associative binary operator (`**`): BinOp
PREFIX = "prefix"            # unary operator: UnaryOp


def _in(a, b):
    return contains(b, a)          # iterators are searched a chunk at a time (Ctrl-C)


def _not_in(a, b):
    return not contains(b, a)


# Python's precedence table, loosest first: a level's binding power is its position (from 1).
# Each operator: (text, function, in-place function for augmented assignment). `and`/`or`
# have no function (the compiler short-circuits), nor do comparisons and prefixes in-place
# ones. '+', '*', '**', '<<', '%' and '|=' go through guards: 'a' * 10**10 or 10**10**10
# must be a clean MemoryError, not minutes of C time followed by the OOM killer; a dict's
# `|=` reads any iterable of pairs in C. x @= y rebinds x (as in Python), so '@=' is
# guards.imatmul; the others update in place when they can.
LEVELS = (
    (BOOLEAN, (("or", None, None),)),
    (BOOLEAN, (("and", None, None),)),
    (PREFIX, (("not", operator.not_, None),)),
    (COMPARISON, (("in", _in, None), ("not in", _not_in, None), ("is", operator.is_, None),
                  ("is not", operator.is_not, None), ("<", operator.lt, None),
                  (">", operator.gt, None), ("==", operator.eq, None),
                  ("!=", operator.ne, None), ("<=", operator.le, None),
                  (">=", operator.ge, None))),
    (LEFT, (("|", operator.or_, guards.ior),)),
    (LEFT, (("^", operator.xor, operator.ixor),)),
    (LEFT, (("&", operator.and_, operator.iand),)),
    (LEFT, (("<<", guards.lshift, guards.ilshift), (">>", operator.rshift, operator.irshift))),
    (LEFT, (("+", guards.add, guards.iadd), ("-", operator.sub, operator.isub))),
    (LEFT, (("*", guards.mul, guards.imul), ("/", operator.truediv, operator.itruediv),
            ("//", operator.floordiv, operator.ifloordiv), ("%", guards.mod, guards.imod),
            ("@", operator.matmul, guards.imatmul))),
    (PREFIX, (("-", operator.neg, None), ("+", operator.pos, None),
              ("~", operator.invert, None))),
    (RIGHT, (("**", guards.pow, guards.ipow),)),
)


def _powers(kinds) -> dict:
    """{operator text: binding power} for the operators of the given kinds."""
    return {text: power for power, (kind, entries) in enumerate(LEVELS, 1) if kind in kinds
            for text, _, _ in entries}


def _functions(kinds, inplace: bool = False) -> dict:
    """{operator text: function (or in-place function)} for the operators of these kinds."""
    return {text: inplace_fn if inplace else fn for kind, entries in LEVELS if kind in kinds
            for text, fn, inplace_fn in entries}


_BINARY_KINDS = (BOOLEAN, COMPARISON, LEFT, RIGHT)

# For the parser: binding powers and kinds ('-' and '+' are both binary and prefix).
BINARY_POWERS = _powers(_BINARY_KINDS)
BINARY_KINDS = {text: kind for kind, entries in LEVELS if kind in _BINARY_KINDS
                for text, _, _ in entries}
PREFIX_POWERS = _powers((PREFIX,))

# For the compiler: what each operator computes.
BINARY_FUNCTIONS = _functions((LEFT, RIGHT))
INPLACE_FUNCTIONS = _functions((LEFT, RIGHT), inplace=True)
COMPARISON_FUNCTIONS = _functions((COMPARISON,))
PREFIX_FUNCTIONS = _functions((PREFIX,))
