"""The LALR loop over the table Lark computed from grammar/tshell.lark (see tables.py).

Lark's own loop looks reduce callbacks up by Rule objects (Python-level __hash__/__eq__ on
every reduction) and builds a tree that a Transformer then walks again. Here the table is
plain data, and the AST builder's methods are the reduce callbacks, so a 10 000-line script
parses in well under a second and start-up does not import Lark at all.

A Driver is shared by every parse (it holds the decoded table only); the builder is the
parse's own, passed to each reduce callback as its first argument.
"""

from __future__ import annotations

from .lexer import make_token

UNIT = -1         # the size of a reduction that hands its only child up unchanged


class ParseError(Exception):
    """A token the grammar does not allow here (like Lark's UnexpectedToken)."""

    def __init__(self, token, expected: set):
        super().__init__(f"unexpected {token.type}")
        self.token, self.expected = token, expected


def make_callback(spec: tuple, builder_class):
    """The reduce function `(builder, children) -> value` for one rule (see tables.rule_spec
    for the spec's fields); it calls the builder_class method the rule names."""
    _, _, method_name, expand1, include, append_none, filtered = spec
    # Rules without a builder method are `_rules` / EBNF helpers: their children are
    # spliced into the parent, so they simply hand up the list.
    method = getattr(builder_class, method_name, None) or _as_list
    if expand1:
        method = _single_or(method)
    if not filtered:
        return method
    if append_none == 0 and not any(splice or nones for _, splice, nones in include):
        return _picker(method, tuple(i for i, _, _ in include))

    # A list rule (`stmt*`, `(op expr)*`) reduces once per item with the list so far as its
    # first child: extending that list in place (only the value stack held it) keeps a long
    # script linear; a fresh copy each time was quadratic.
    grow = bool(include) and include[0] == (0, True, 0)
    rest = include[1:] if grow else include

    def reduce(builder, children):
        kept = children[0] if grow else []
        if kept.__class__ is not list:
            kept = list(kept)
        for i, splice, nones in rest:
            if nones:
                kept += [None] * nones
            if splice:
                kept += children[i]
            else:
                kept.append(children[i])
        if append_none:
            kept += [None] * append_none
        return method(builder, kept)
    return reduce


def _picker(method, keep):
    """method applied to the children at the indices `keep` (tokens the AST drops, like
    punctuation, are left out). The common short cases are written out: a comprehension
    costs a function call of its own on every reduction."""
    if len(keep) == 1:
        i, = keep
        return lambda b, children: method(b, [children[i]])
    if len(keep) == 2:
        i, j = keep
        return lambda b, children: method(b, [children[i], children[j]])
    if len(keep) == 3:
        i, j, k = keep
        return lambda b, children: method(b, [children[i], children[j], children[k]])
    return lambda b, children: method(b, [children[i] for i in keep])


def _as_list(builder, children):
    return children


def _single_or(method):
    def expand(builder, children):
        return children[0] if len(children) == 1 else method(builder, children)
    return expand


def _passes_through(spec: tuple, callback) -> bool:
    """True for `?rule: x` reductions whose callback returns the child itself."""
    if not (spec[3] and spec[1] == 1):
        return False
    probe = object()
    try:
        return callback(None, [probe]) is probe
    except Exception:
        return False


class _Rows(dict):
    """state -> {symbol: (is_shift, target)}, each row decoded and converted on first use.

    A row arrives as `decode`'s input, which makes it {symbol: n}: shift to state n if
    n >= 0, else reduce by rule ~n; a parse touches few of the ~600 rows, so start-up converts
    only those.
    """

    def __init__(self, table_states, decode, rules, builder_class):
        super().__init__()
        self.table_states, self.decode, self.rules, self.builder_class = \
            table_states, decode, rules, builder_class
        self.callbacks: dict = {}   # rule index -> reduce function, made on first use

    def __missing__(self, state):
        row = {}
        for symbol, action in self.decode(self.table_states[state]).items():
            if action >= 0:
                row[symbol] = (True, action)
                continue
            spec = self.rules[~action]
            callback = self.callbacks.get(~action)
            if callback is None:
                callback = self.callbacks[~action] = make_callback(spec, self.builder_class)
            if _passes_through(spec, callback):
                row[symbol] = (False, (UNIT, None, spec[0]))
            else:
                row[symbol] = (False, (spec[1], callback, spec[0]))
        self[state] = row
        return row


class Driver:
    """Shift/reduce with precomputed (size, callback, goto-symbol) reduce actions."""

    def __init__(self, tables: dict, builder_class, decode):
        """tables: tables.build's ("states": rows by state, "start"/"end": states by start
        rule, "rules"); decode(row) -> {symbol: action}; builder_class: the class whose
        methods the rules name (builder.ToAst)."""
        self.start_states, self.end_states = tables["start"], tables["end"]
        self.states = _Rows(tables["states"], decode, tables["rules"], builder_class)
        self.units: dict = {}   # (state below, top state, token kind) -> top after unit steps

    def _unit_chain(self, below, top, kind):
        """Follow `?rule: child` reductions (which keep the stack depth) from top."""
        states = self.states
        while True:
            action = states[top].get(kind)
            if action is None or action[0] or action[1][0] is not UNIT:
                return top
            top = states[below][action[1][2]][1]

    def parse(self, tokens, start: str, builder):
        """Parse an iterable of tokens from the `start` rule with this parse's builder (an
        instance of builder_class); returns the start rule's value."""
        states, end_state, units = self.states, self.end_states[start], self.units
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
                    raise ParseError(token, expected) from None
                if shift:
                    push_state(arg)
                    push_value(token)
                    break
                size, callback, origin = arg
                if size is UNIT:              # `?rule: child`: same value, new state
                    # A chain of them depends only on (state below, top, token): memoised.
                    key = (state_stack[-2], state_stack[-1], kind)
                    top = units.get(key)
                    if top is None:
                        top = units[key] = self._unit_chain(key[0], key[1], kind)
                    state_stack[-1] = top
                    continue
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                push_value(callback(builder, children))
                push_state(states[state_stack[-1]][origin][1])
        if token is None:
            end = make_token("$END", "", 0, 1, 1, 1, 1, 0)
        else:
            end = make_token("$END", "", token.end_pos, token.end_line, token.end_column,
                             token.end_line, token.end_column, token.end_pos)
        return self._feed(end, builder, states, state_stack, value_stack, end_state)

    @staticmethod
    def _feed(token, builder, states, state_stack, value_stack, end_state=None):
        """Feed the end-of-input token: reduce until the start rule is complete."""
        kind = token.type
        while True:
            try:
                shift, arg = states[state_stack[-1]][kind]
            except KeyError:
                expected = {s for s in states[state_stack[-1]] if s.isupper()}
                raise ParseError(token, expected) from None
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
            value = callback(builder, children)
            state_stack.append(states[state_stack[-1]][origin][1])
            value_stack.append(value)
            if end_state is not None and state_stack[-1] == end_state:
                return value
