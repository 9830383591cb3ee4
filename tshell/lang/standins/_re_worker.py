"""The process where the re stand-in runs a match that could take long (_re_runner.py).

CPython's regular expression engine checks no signal while it backtracks: Ctrl-C does not
stop `re.match(r'(a+)+$', 'a' * 40 + 'b')` (3.10 to 3.13). Run here, such a match is
stopped by killing this process. It is started as a script of the standard library only
(`python -I -S`), ignores Ctrl-C (its parent kills it instead), dies with its parent (on
Linux; elsewhere when its parent exits normally, or ends, at the end of a match) and reads
requests until its standard input closes.

A request (marshal): (pattern, flags, string, pos, endpos, mode, limit); mode is "match",
"search", "fullmatch" or "all" (every match, as finditer: at most `limit` of them). A
match is sent as (regs, lastindex, pos, endpos). A reply: ("ok", the match or None, or the list of
matches), ("limit", count) or ("error", class name, message).
"""

import ctypes
import marshal
import os
import re
import signal
import sys

PR_SET_PDEATHSIG = 1


def _answer(request):
    pattern, flags, string, pos, endpos, mode, limit = request
    compiled = re.compile(pattern, flags)
    if mode != "all":
        m = getattr(compiled, mode)(string, pos, endpos)
        return ("ok", None if m is None else (m.regs, m.lastindex, m.pos, m.endpos))
    found = []
    for m in compiled.finditer(string, pos, endpos):
        if len(found) == limit:
            return ("limit", limit + 1)
        found.append((m.regs, m.lastindex, m.pos, m.endpos))
    return ("ok", found)


def _die_with_parent() -> None:
    """A parent killed while this process matches (for hours) must not leave it running."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):      # not Linux: the parent's atexit, or end of input
        pass


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if os.getppid() != int(sys.argv[1]):   # the parent died before prctl
        return
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            request = marshal.load(requests)
        except EOFError:
            return
        try:
            reply = _answer(request)
        except MemoryError:
            reply = ("error", "MemoryError", "")
        except Exception as e:           # sent to the parent, which raises it
            reply = ("error", type(e).__name__, str(e))
        marshal.dump(reply, replies)
        replies.flush()


if __name__ == "__main__":
    main()
