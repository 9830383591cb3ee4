"""Analyse grammar/tshell.lark with Lark into plain data: lexer spec, rules, LALR table.

This runs only when the on-disk cache is missing or stale. Everything it returns is made of
str/int/bool/tuple/list/dict, so loading the cache imports nothing of Lark (whose import alone
took about 50 ms of start-up).
"""

from __future__ import annotations

import re

from .lexer import CHAR


def analyse(grammar: str) -> dict:
    """{"lexer": ..., "rules": [...], "table": {...}} for the grammar text."""
    from lark import Lark
    from lark.parsers.lalr_analysis import Shift
    built = Lark(grammar, parser="lalr", lexer="basic", start=["file_input", "eval_input"],
                 maybe_placeholders=True)
    rules = list(built.rules)
    index = {id(rule): i for i, rule in enumerate(rules)}
    table = built.parser.parser._parse_table
    # str(): Lark's names are often its Token class (a str subclass); the cache must hold
    # only built-in types so that loading it does not import Lark. An action is one int:
    # shift to state n is n, reduce by rule i is ~i (negative).
    states = {state: {str(symbol): arg if action is Shift else ~index[id(arg)]
                      for symbol, (action, arg) in row.items()}
              for state, row in table.states.items()}
    return {"lexer": lexer_spec(built.lexer_conf.terminals, built.lexer_conf.ignore),
            "rules": [rule_spec(rule) for rule in rules],
            "table": {"states": states,
                      "start": {str(k): v for k, v in table.start_states.items()},
                      "end": {str(k): v for k, v in table.end_states.items()}}}


def lexer_spec(terminals, ignore) -> dict:
    """One master regex in Lark's order of precedence, plus the keyword table."""
    from lark.lexer import PatternStr
    terminals = sorted(terminals, key=lambda t: (
        -t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    name_re = next(re.compile(t.pattern.to_regexp()) for t in terminals if t.name == "NAME")
    keywords = {str(t.pattern.value): str(t.name) for t in terminals
                if isinstance(t.pattern, PatternStr) and name_re.fullmatch(t.pattern.value)}
    # Blanks between tokens are matched as a prefix of the next token, not as tokens of
    # their own: one regex match per token instead of up to two.
    blanks = {t.name for t in terminals
              if t.name in ignore and re.fullmatch(t.pattern.to_regexp(), " \t")}
    scanned = [t for t in terminals if t.name not in blanks and (
        t.pattern.value not in keywords or not isinstance(t.pattern, PatternStr))]
    # Regex alternation takes the first alternative that matches, so the order is Lark's,
    # except that STRING and NAME go first: they are the most common tokens and no other
    # terminal can match where they do (STRING stays ahead of NAME for f"..", r"..").
    scanned.sort(key=lambda t: {"STRING": 0, "NAME": 1}.get(t.name, 2))
    # The one-character operators come last (the longest terminals go first) and match
    # distinct characters, so one character class can stand for all of them: the regex then
    # tries one alternative for `(`, `,`, `]` instead of up to two dozen.
    chars = {}
    while scanned and isinstance(scanned[-1].pattern, PatternStr) \
            and len(scanned[-1].pattern.value) == 1:
        t = scanned.pop()
        chars[str(t.pattern.value)] = str(t.name)
    groups = [f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in scanned]
    if chars:
        groups.append(f"(?P<{CHAR}>[{''.join(re.escape(c) for c in sorted(chars))}])")
    pattern = "[ \t\f]*(?:" + "|".join(groups) + ")"
    multiline = [t.name for t in scanned
                 if "\n" in t.pattern.to_regexp() or "\\n" in t.pattern.to_regexp()
                 or "\\s" in t.pattern.to_regexp()]
    return {"pattern": str(pattern), "keywords": keywords, "ignore": sorted(map(str, ignore)),
            "multiline": [str(n) for n in multiline], "chars": chars,
            "names": [str(t.name) for t in scanned] + sorted(chars.values())}


def rule_spec(rule) -> tuple:
    """What a reduction by this rule does, as Lark's tree builder would do it.

    (origin, size, method, expand1, include, append_none, filtered):
    - method: the builder method (alias or rule name) that receives the children;
    - include: [(index, splice, nones_before)] for the children that are kept (anonymous
      tokens are dropped; children of `_rules` are spliced in; `[x]` placeholders add None);
    - expand1: a `?rule` with one kept child hands that child up unchanged.
    """
    options = rule.options
    expansion = rule.expansion
    empty = options.empty_indices
    if empty:
        runs = "".join(str(int(b)) for b in empty).split("0")
        nones = [len(ones) for ones in runs]
    else:
        nones = [0] * (len(expansion) + 1)
    include, pending = [], 0
    for i, sym in enumerate(expansion):
        pending += nones[i]
        if options.keep_all_tokens or not (sym.is_term and sym.filter_out):
            splice = not sym.is_term and sym.name.startswith("_")
            include.append((i, splice, pending))
            pending = 0
    append_none = pending + nones[len(expansion)]
    filtered = bool(empty) or len(include) < len(expansion) or any(s for _, s, _ in include)
    method = rule.alias or options.template_source or rule.origin.name
    return (str(rule.origin.name), len(expansion), str(method),
            bool(options.expand1 and not rule.alias), include, append_none, filtered)
