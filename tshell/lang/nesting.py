"""How deeply tsh code may nest: one rule, applied by the parser, so that --check (which only
parses) and running agree on what is too deep, with the same error.

The parser, the compiler and the closures the compiler makes recurse over the syntax tree, a
few Python frames per level. A tree at most MAX_DEPTH nodes deep (a path from the module
down: statements, expressions, their parts) is accepted, and parsing and compiling run with
room for it (deep_recursion); a deeper one is a SyntaxError, whichever construct nests.
Brackets have Python's own, lower limit (layout.py, "too many nested parentheses").
"""

from __future__ import annotations

import sys

from .ast import Node
from .errors import TshSyntaxError

MAX_DEPTH = 1000            # syntax tree nodes on the longest path from the module down
FRAMES_PER_LEVEL = 5        # the most Python frames a level takes to parse or compile
RECURSION_LIMIT = MAX_DEPTH * FRAMES_PER_LEVEL + 2000   # + the caller's frames
# Node levels a program has beyond its blocks and the characters of one logical line (the
# module, a statement, and a margin): see depth_bound.
OUTER_LEVELS = 4


def too_deep() -> TshSyntaxError:
    return TshSyntaxError("expression too deeply nested", 1, 1)


def check(module: Node, layout) -> None:
    """Raise too_deep() if the module's tree is more than MAX_DEPTH nodes deep."""
    if depth_bound(layout) > MAX_DEPTH and depth(module, MAX_DEPTH) > MAX_DEPTH:
        raise too_deep()


def depth_bound(layout) -> int:
    """At least the depth of the tree parsed from the Layout's text, known without walking
    it: the usual program is not walked at all.

    Every expression level takes at least one character of its logical line (an operator,
    a bracket, a dot, a keyword), and every statement level an indented block, an `elif`
    (an If in its predecessor's orelse) or a `try` (its handlers are a level of their own).
    So a tree is at most as deep as its longest logical line is long, plus its deepest
    block, plus its `elif`s and `try`s, plus the module and a statement.
    (tests/lang/test_nesting.py checks the bound against the real depth.)
    """
    return layout.longest_line + layout.deepest_block + layout.elifs + OUTER_LEVELS


def depth(root: Node, limit: int = sys.maxsize) -> int:
    """The number of nodes on the longest path down from root (no recursion: the tree may be
    deeper than Python's stack). Stops counting once past limit."""
    deepest, stack = 0, [(root, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, level = pop()
        if level > deepest:
            deepest = level
            if deepest > limit:
                break
        for field in node:
            if field.__class__ is tuple:              # a tuple of nodes (or of strings)
                for child in field:
                    if isinstance(child, Node):
                        push((child, level + 1))
            elif isinstance(field, Node):
                push((field, level + 1))
    return deepest


class deep_recursion:
    """Python's recursion limit raised to RECURSION_LIMIT (if lower) for the duration."""

    def __enter__(self):
        self.old = sys.getrecursionlimit()
        if self.old < RECURSION_LIMIT:
            sys.setrecursionlimit(RECURSION_LIMIT)
        return self

    def __exit__(self, *exc):
        sys.setrecursionlimit(self.old)
        return False
