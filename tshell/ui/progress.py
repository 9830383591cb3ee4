"""progress(iterable): a tqdm-style line - percentage, bar, n/N, elapsed<remaining, rate.

    working:  40%|████      | 4/10 [00:01<00:02,  3.20it/s]

The line is text (progress_line), so every front end draws it its own way: a terminal
rewrites it in place with a carriage return, the Jupyter kernel updates one display.
"""

from __future__ import annotations

import time

from .console import is_terminal

BAR_WIDTH = 20
PARTIAL = " ▏▎▍▌▋▊▉"       # eighths of a block, as tqdm draws them
REFRESH_SECONDS = 0.1        # redraw at most this often: drawing must not slow the loop


def clock_text(seconds: float) -> str:
    """mm:ss, or h:mm:ss past an hour (tqdm's format_interval)."""
    minutes, s = divmod(int(seconds), 60)
    hours, m = divmod(minutes, 60)
    return f"{hours}:{m:02d}:{s:02d}" if hours else f"{m:02d}:{s:02d}"


def rate_text(rate: float | None) -> str:
    """'3.20it/s', or 's/it' below one item a second; '?it/s' before the first item."""
    if not rate:
        return "?it/s"
    return f"{rate:5.2f}it/s" if rate >= 1 else f"{1 / rate:5.2f}s/it"


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    cells = max(0.0, min(fraction, 1.0)) * width
    full = int(cells)
    if full >= width:
        return "█" * width
    return ("█" * full + PARTIAL[int((cells - full) * 8)]).ljust(width)


def progress_line(n: int, total: int | None, elapsed: float, description: str = "") -> str:
    """The line after n of total items in elapsed seconds."""
    rate = n / elapsed if n and elapsed > 0 else None
    head = f"{description}: " if description else ""
    if not total:
        return f"{head}{n}it [{clock_text(elapsed)}, {rate_text(rate)}]"
    remaining = clock_text((total - n) / rate) if rate else "?"
    return (f"{head}{100 * n / total:3.0f}%|{bar(n / total)}| {n}/{total} "
            f"[{clock_text(elapsed)}<{remaining}, {rate_text(rate)}]")


def length_of(iterable) -> int | None:
    try:
        return len(iterable)
    except TypeError:
        return None


def tracked(iterable, total, description, draw, done, clock=time.monotonic):
    """Yield iterable's items, calling draw(line) at most every REFRESH_SECONDS and
    done(line) once at the end (also when the loop stops early or fails)."""
    total = length_of(iterable) if total is None else total
    start = last = clock()
    n = 0
    draw(progress_line(0, total, 0.0, description))
    try:
        for item in iterable:
            yield item
            n += 1
            now = clock()
            if now - last >= REFRESH_SECONDS:
                last = now
                draw(progress_line(n, total, now - start, description))
    finally:
        done(progress_line(n, total, clock() - start, description))


def terminal_progress(iterable, total, description, stream):
    """The line rewritten in place on a terminal (carriage return + erase to the end)."""
    def draw(line):
        stream.write("\r" + line + "\x1b[K")
        stream.flush()

    def done(line):
        draw(line)
        stream.write("\n")
        stream.flush()
    return tracked(iterable, total, description, draw, done)


def progress(iterable, total=None, description="working", stream=None):
    """The line on a terminal; a silent pass-through when output is piped or a file."""
    if not is_terminal(stream):
        return iter(iterable)
    return terminal_progress(iterable, total, description, stream)
