"""Where the re stand-in runs a match: here, or in a worker process Ctrl-C can stop.

CPython's engine backtracks without checking signals (tested on 3.10 to 3.13:
tests/hardening/test_re_escapes.py), so a pattern like `(a+)+$` on 40 characters would hold
tshell for hours, deaf to Ctrl-C. Each operation (one match, or a whole scan: findall,
finditer, sub, split) first bounds the work the engine can do (`work_bound`): the paths a
backtracking matcher can take through the pattern, times the steps of one path, times the
start positions. Below IN_PROCESS_WORK it runs here (the short strings of tutorials: a
fraction of a millisecond); above, in `_re_worker.py`, a separate Python that is killed when
the wait is interrupted and started again at the next call.

The bound is over the pattern as Python parses it (re._parser, sre_parse on 3.10): a
repeat of a body with b paths, repeated up to k times, has at most 1 + b + ... + b**k paths,
so `[^a-z]+` over n characters has n + 1 and `(a+)+` exponentially many; alternatives add.
"""

from __future__ import annotations

import atexit
import marshal
import os
import subprocess
import sys
from pathlib import Path

try:
    from re import _parser as sre_parse          # CPython 3.11 and later
except ImportError:                               # pragma: no cover - 3.10
    import sre_parse

from .. import guards

IN_PROCESS_WORK = 10 ** 7       # engine steps: well under 0.1 s
MANY = 10 ** 40                 # past any budget: the bound stops growing here
REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
MATCH_ENTRY = 120              # bytes of a match the worker sends: its tuples, ints
SPAN = 120                     # and of each group's span
WORKER = Path(__file__).with_name("_re_worker.py")


# ---------------------------------------------------------------------- the bound
def shape(pattern, flags: int):
    """The parsed pattern (what work_bound walks)."""
    return sre_parse.parse(pattern, flags)


def _repeat_paths(body_paths: int, low: int, high: int) -> int:
    if body_paths == 1:
        return max(1, high - min(low, high) + 1)
    if (high + 1) * body_paths.bit_length() > MANY.bit_length():
        return MANY
    return (body_paths ** (high + 1) - 1) // (body_paths - 1)


def _walk(items, n: int) -> tuple:
    """(paths, steps of one path beyond the characters it consumes) of a parsed sequence."""
    paths, steps = 1, 0
    for op, av in items:
        name = str(op)
        if name in REPEATS:
            low, high, body = av
            high = min(high, n + 1)         # an iteration that matches nothing ends a repeat
            body_paths, body_steps = _walk(body, n)
            item = _repeat_paths(body_paths, low, high), 1 + high * (body_steps + 1)
        elif name == "SUBPATTERN":
            body_paths, body_steps = _walk(av[-1], n)
            item = body_paths, body_steps + 2
        elif name == "BRANCH":
            walked = [_walk(alternative, n) for alternative in av[1]]
            item = sum(p for p, _ in walked), 1 + max(s for _, s in walked)
        elif name in ("ASSERT", "ASSERT_NOT"):
            body_paths, body_steps = _walk(av[1], n)
            item = body_paths, body_steps + n + 1       # a lookbehind re-reads text
        elif name == "ATOMIC_GROUP":
            item = _walk(av, n)
        elif name == "GROUPREF_EXISTS":
            yes, no = _walk(av[1], n), _walk(av[2] or (), n)
            item = yes[0] + no[0], 1 + max(yes[1], no[1])
        elif name == "GROUPREF":
            item = 1, n + 1                 # compares up to n characters
        else:
            item = 1, 1
        paths, steps = min(paths * item[0], MANY), steps + item[1]
    return paths, steps


def work_bound(parsed, n: int, scan: bool) -> int:
    """An upper bound of the engine's steps for one match (scan=False) or a whole scan of n
    characters (findall, sub...: a search from every position, twice after empty matches)."""
    paths, steps = _walk(parsed, n)
    starts = 2 * (n + 2) if scan else 1
    return starts * paths * (n + steps + 1)


# ---------------------------------------------------------------------- the worker
class Worker:
    """The worker process, started at first need, killed when a wait for it is
    interrupted (or fails), and at exit."""

    process: subprocess.Popen | None = None

    @classmethod
    def ask(cls, request: tuple):
        if cls.process is None or cls.process.poll() is not None:
            cls.process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(WORKER), str(os.getpid())], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            marshal.dump(request, cls.process.stdin)
            cls.process.stdin.flush()
            return marshal.load(cls.process.stdout)
        except BaseException:                 # Ctrl-C above all: the match may run for hours
            cls.stop()
            raise

    @classmethod
    def stop(cls) -> None:
        if cls.process is not None:
            cls.process.kill()
            cls.process.wait()
            cls.process = None


atexit.register(Worker.stop)


def in_worker(compiled, string, pos: int, endpos: int, mode: str, match_bytes: int,
              raise_error):
    """(regs, lastindex, pos, endpos) of the match (mode "match", "search", "fullmatch") or
    the list of every match (mode "all", each of match_bytes, refused past the memory cap),
    computed by the worker; its errors through raise_error(class name, message)."""
    limit = guards.cap() // match_bytes
    reply = Worker.ask((compiled.pattern, compiled.flags, string, pos, endpos, mode, limit))
    if reply[0] == "ok":
        return reply[1]
    if reply[0] == "limit":
        raise guards.too_big(f"a scan of more than {limit} matches", reply[1] * match_bytes)
    raise_error(reply[1], reply[2])
