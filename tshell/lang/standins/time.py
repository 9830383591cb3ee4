"""time as tsh programs see it: the clocks and sleep, Python's own functions (sleep is
interrupted by Ctrl-C). Not the calendar functions (localtime, strftime, ...), which read the
time zone files."""

from __future__ import annotations

import time

from ..sandbox import Namespace

FUNCTIONS = ("time time_ns perf_counter perf_counter_ns monotonic monotonic_ns process_time "
             "process_time_ns sleep").split()
HOST_CALLABLES = tuple(getattr(time, name) for name in FUNCTIONS)


def namespace() -> Namespace:
    return Namespace("time", {name: getattr(time, name) for name in FUNCTIONS})
