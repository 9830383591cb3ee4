"""The LALR loop, run over the parse table Lark computed from grammar/tshell.lark.

Lark's own loop looks reduce callbacks up by Rule objects (Python-level __hash__/__eq__ on
every reduction) and builds a tree that a Transformer then walks again. Here the table is
flattened once into plain tuples, and the AST builder runs as the reduce callbacks, so a
10 000-line script parses in well under a second.
"""

from __future__ import annotations

from lark.exceptions import UnexpectedToken
from lark.parsers.lalr_analysis import Shift

from .lexer import make_token


UNIT = -1         # the size of a reduction that hands its only child up unchanged


def _passes_through(rule, callback) -> bool:
    """True for `?rule: x` reductions whose callback returns the child itself."""
    if not (rule.options.expand1 and len(rule.expansion) == 1 and not rule.alias):
        return False
    probe = object()
    try:
        return callback([probe]) is probe
    except Exception:
        return False


class _Rows(dict):
    """state -> {terminal or rule name: (is_shift, target)}, each row converted on first use.

    Converting all ~600 rows up front cost tens of milliseconds of start-up.
    """

    def __init__(self, lark_states, callbacks):
        super().__init__()
        self.lark_states, self.callbacks = lark_states, callbacks

    def __missing__(self, state):
        row = {}
        for term, (action, arg) in self.lark_states[state].items():
            if action is Shift:
                row[term] = (True, arg)
            elif _passes_through(arg, self.callbacks[arg]):
                row[term] = (False, (UNIT, None, arg.origin.name))
            else:
                row[term] = (False, (len(arg.expansion), self.callbacks[arg], arg.origin.name))
        self[state] = row
        return row


class Driver:
    """Shift/reduce over Lark's table with precomputed (size, callback, goto-symbol) reduces."""

    def __init__(self, parse_table, callbacks: dict):
        self.start_states = parse_table.start_states
        self.end_states = parse_table.end_states
        self.states = _Rows(parse_table.states, callbacks)

    def parse(self, tokens, start: str):
        """Parse an iterable of tokens from the `start` rule; returns the start rule's value."""
        states, end_state = self.states, self.end_states[start]
        state_stack, value_stack = [self.start_states[start]], []
        token = None
        push_state, push_value = state_stack.append, value_stack.append
        for token in tokens:                  # _feed inlined: this loop is the hot path
            kind = token.type
            while True:
                try:
                    shift, arg = states[state_stack[-1]][kind]
                except KeyError:
                    expected = {s for s in states[state_stack[-1]] if s.isupper()}
                    raise UnexpectedToken(token, expected) from None
                if shift:
                    push_state(arg)
                    push_value(token)
                    break
                size, callback, origin = arg
                if size is UNIT:              # `?rule: child`: same value, new state
                    state_stack[-1] = states[state_stack[-2]][origin][1]
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                push_value(callback(children))
                push_state(states[state_stack[-1]][origin][1])
        if token is None:
            end = make_token("$END", "", 0, 1, 1, 1, 1, 0)
        else:
            end = make_token("$END", "", token.end_pos, token.end_line, token.end_column,
                             token.end_line, token.end_column, token.end_pos)
        return self._feed(end, states, state_stack, value_stack, end_state)

    @staticmethod
    def _feed(token, states, state_stack, value_stack, end_state=None):
        kind = token.type
        while True:
            try:
                shift, arg = states[state_stack[-1]][kind]
            except KeyError:
                expected = {s for s in states[state_stack[-1]] if s.isupper()}
                raise UnexpectedToken(token, expected) from None
            if shift:
                state_stack.append(arg)
                value_stack.append(token)
                return None
            size, callback, origin = arg
            if size is UNIT:
                state_stack[-1] = states[state_stack[-2]][origin][1]
                if end_state is not None and state_stack[-1] == end_state:
                    return value_stack[-1]
                continue
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = callback(children)
            state_stack.append(states[state_stack[-1]][origin][1])
            value_stack.append(value)
            if end_state is not None and state_stack[-1] == end_state:
                return value
