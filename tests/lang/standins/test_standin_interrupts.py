"""Ctrl-C stops the stand-ins' loops that could otherwise run in C without end: each
program below never finishes, and is interrupted 0.3 s after it starts; it must stop within
half a second more. All run in one subprocess (a C loop that ignored the interrupt would hang
it: the subprocess's timeout then fails every test here)."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
LATENCY = 0.5

PROGRAMS = {
    "dropwhile": "next(it.dropwhile(bool, it.repeat(1)))",
    "filterfalse": "next(it.filterfalse(None, it.repeat(1)))",
    "compress": "next(it.compress(it.count(), it.repeat(0)))",
    "islice start": "next(it.islice(it.count(), 10**18, None))",
    "islice step": "x = it.islice(it.count(), 0, None, 10**18)\nnext(x)\nnext(x)",
    "groupby": "g = it.groupby(it.repeat(1))\nnext(g)\nnext(g)",
    "chain.from_iterable": "next(it.chain.from_iterable(it.repeat([])))",
    "tee of a skipping iterator": "next(it.tee(it.dropwhile(bool, it.repeat(1)))[0])",
    "deque with maxlen": "collections.deque(it.count(), maxlen=1)",
    "deque.extend": "collections.deque(maxlen=2).extend(it.repeat(1))",
    "Counter": "collections.Counter(it.repeat(1))",
    "Counter.subtract": "collections.Counter().subtract(it.repeat(1))",
    "reduce": "functools.reduce(max, it.count())",
    "countOf": "operator.countOf(it.repeat(0), 1)",
    "indexOf": "operator.indexOf(it.repeat(0), 1)",
    "contains": "operator.contains(it.repeat(0), 1)",
    "math.prod": "math.prod(it.repeat(1))",
    "math.prod of floats": "math.prod(it.repeat(1.0))",
    "time.sleep": "time.sleep(100)",
}

HARNESS = """
import io, json, signal, sys, threading, time
from tshell.lang import Interpreter
main = threading.main_thread().ident
results = {}
for name, src in json.loads(sys.argv[1]).items():
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source("import itertools as it, collections, functools, operator, math, time",
                      "<setup>")
    timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))   # Ctrl-C
    timer.start()
    start = time.monotonic()
    try:
        interp.run_source(src, "<t>")
        results[name] = "finished"
    except KeyboardInterrupt:
        results[name] = time.monotonic() - start - 0.3
    except Exception as e:
        results[name] = repr(e)
    timer.cancel()
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def stopped_after():
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("TSHELL_MAX_MEMORY", None)
    done = subprocess.run([sys.executable, "-c", HARNESS, json.dumps(PROGRAMS)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_ctrl_c_stops_it_within_half_a_second(stopped_after, name):
    waited = stopped_after[name]
    assert isinstance(waited, float), waited
    assert waited < LATENCY, f"{name}: took {waited:.3f} s to stop after the interrupt"
