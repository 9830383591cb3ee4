"""Python 3.12's "Did you mean" for NameError and AttributeError, over the names tsh code sees.

CPython computes its suggestion when it prints the traceback (traceback.py,
_compute_suggestion_error); tsh does it when it formats the error, with the same distance,
costs and limits, so `prnt(x)` suggests 'print' and `x.vew(2)` 'view' in every front end.
The raise sites record what to search: a NameError its `name` and `_tsh_scopes` (the frame,
the globals and the built-ins it was looked up in), an AttributeError its `name` and `obj`.
"""

from __future__ import annotations

import sys

MAX_CANDIDATES = 750        # CPython's limits: past them no suggestion is computed
MAX_STRING = 40
MOVE_COST = 2
CASE_COST = 1


def did_you_mean(exc: BaseException) -> str:
    """". Did you mean: 'NAME'?" for exc, or '' when there is nothing close."""
    wrong = getattr(exc, "name", None)
    if not isinstance(wrong, str):
        return ""
    candidates = _candidates(exc)
    if candidates is None:
        return ""
    limit = MAX_CANDIDATES
    if isinstance(exc, NameError) and not isinstance(exc, AttributeError):
        # the program's scopes, within CPython's limit (its guard against a program's own
        # huge namespaces), then the built-ins: tshell's fixed set, torch's bare names
        # included (over a thousand, which CPython's limit would silence altogether)
        program, builtins = candidates
        if len(program) > MAX_CANDIDATES:
            return ""
        candidates, limit = program + builtins, len(program) + len(builtins)
    best = closest(wrong, candidates, limit)
    return f". Did you mean: '{best}'?" if best is not None else ""


def _candidates(exc):
    if isinstance(exc, AttributeError):
        obj = getattr(exc, "obj", _MISSING)
        if obj is _MISSING:
            return None
        from .sandbox import allowed_attributes   # sandbox imports errors, which imports us
        return allowed_attributes(obj)
    scopes = getattr(exc, "_tsh_scopes", None)
    if isinstance(exc, NameError) and scopes:
        *program, builtins = scopes
        return _names(*program), _names(builtins)
    return None


def _names(*scopes):
    return [name for scope in scopes for name in scope if isinstance(name, str)
            and not name.startswith(("\0", "__"))]


_MISSING = object()


def closest(wrong: str, candidates, max_candidates=MAX_CANDIDATES) -> str | None:
    """The candidate CPython 3.12 would suggest for the unknown name `wrong`, or None."""
    candidates = list(candidates)
    if len(candidates) > max_candidates or len(wrong) > MAX_STRING:
        return None
    best_distance, suggestion = len(wrong), None
    for name in candidates:
        if name == wrong:
            continue
        # no more than a third of the characters involved may need changing
        limit = min((len(name) + len(wrong) + 3) * MOVE_COST // 6, best_distance - 1)
        distance = levenshtein(wrong, name, limit)
        if distance > limit:
            continue
        if suggestion is None or distance < best_distance:
            suggestion, best_distance = name, distance
    return suggestion


def _substitution_cost(a: str, b: str) -> int:
    if a == b:
        return 0
    return CASE_COST if a.lower() == b.lower() else MOVE_COST


def levenshtein(a: str, b: str, max_cost: int) -> int:
    """CPython's edit distance (a case change costs half a substitution); anything past
    max_cost is reported as max_cost + 1."""
    if a == b:
        return 0
    pre = 0
    while pre < len(a) and pre < len(b) and a[pre] == b[pre]:
        pre += 1
    a, b = a[pre:], b[pre:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return MOVE_COST * (len(a) + len(b))
    if len(a) > MAX_STRING or len(b) > MAX_STRING:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    if (len(b) - len(a)) * MOVE_COST > max_cost:
        return max_cost + 1
    row = list(range(MOVE_COST, MOVE_COST * (len(a) + 1), MOVE_COST))
    result = 0
    for b_index, b_char in enumerate(b):
        distance = result = b_index * MOVE_COST
        minimum = sys.maxsize
        for index, a_char in enumerate(a):
            substitute = distance + _substitution_cost(b_char, a_char)
            distance = row[index]
            result = min(min(result, distance) + MOVE_COST, substitute)
            row[index] = result
            minimum = min(minimum, result)
        if minimum > max_cost:
            return max_cost + 1
    return result
