"""IPython-style magics, shared by the REPL and the Jupyter kernel (tshell.ui.shell runs them).

Line magics `%name ARG` and cell magics `%%name ARG` + the lines below; each one writes to
shell.out. `%help` lists them from the same table that runs them.
"""

from __future__ import annotations

import math
import os
import time


class MagicError(Exception):
    """A misused magic (bad argument, missing file): reported in one line."""


LINE_MAGICS: dict = {}          # name -> (function(shell, arg), usage, what it does)
CELL_MAGICS: dict = {}          # name -> (function(shell, arg, body), usage, what it does)


def line_magic(name: str, usage: str, what: str):
    def register(fn):
        LINE_MAGICS[name] = (fn, usage, what)
        return fn
    return register


def cell_magic(name: str, usage: str, what: str):
    def register(fn):
        CELL_MAGICS[name] = (fn, usage, what)
        return fn
    return register


def help_text() -> str:
    rows = [(usage, what) for _, usage, what in LINE_MAGICS.values()]
    rows += [(usage, what) for _, usage, what in CELL_MAGICS.values()]
    rows += [("NAME?  NAME??", "summary of a value (shape, dtype, ...); ?? the source of a "
                               "tsh function"),
             ("help(NAME)", "signature and doc of a built-in; help() lists them")]
    width = max(len(usage) for usage, _ in rows) + 2
    lines = ["tshell — type tsh (PyTorch-style) code; Enter runs a complete input."]
    lines += [f"  {usage:<{width}}{what}" for usage, what in rows]
    lines += ["  show(x) graph(t) plot(y) hist(t) progress(it) gradcheck(f, inputs)",
              "  _ is the last value; Tab completes; Ctrl-R searches history; Ctrl-C cancels;"
              " Ctrl-D exits"]
    return "\n".join(lines)


# ---------------------------------------------------------------------- variables
WHOS_HEADER = ("name", "type", "shape", "dtype", "device", "requires_grad", "bytes")


def whos_rows(names: dict) -> list:
    """(name, type, shape, dtype, device, requires_grad, bytes) per variable, metadata only."""
    from .inspection import is_tensor, shape_text
    rows = []
    for name in sorted(names):
        if name.startswith(("_", "\0")):
            continue
        v = names[name]
        kind = type(v).__name__
        if is_tensor(v):
            nbytes = v.numel() * v.element_size()
            rows.append((name, "Tensor", shape_text(v.shape), str(v.dtype), str(v.device),
                         str(v.requires_grad), str(nbytes)))
        elif kind == "ndarray":
            rows.append((name, "ndarray", shape_text(v.shape), str(v.dtype), "cpu", "",
                         str(v.nbytes)))
        elif isinstance(v, dict) and _state_dict().has_tensors(v):
            shape, dtype, device, nbytes = _state_dict().whos_cells(v)
            rows.append((name, kind, shape, dtype, device, "", nbytes))
        else:
            kind = "function" if kind == "TshFunction" else kind
            rows.append((name, kind, "", "", "", "", ""))
    return rows


def _state_dict():
    # ui/state_dict.py imports the file formats: loaded only once a dict needs a summary
    from . import state_dict
    return state_dict


@line_magic("who", "%who", "names of your variables")
def who(shell, arg):
    names = [r[0] for r in whos_rows(shell.interp.user_names())]
    shell.out.write(("  ".join(names) if names else "no variables") + "\n")


@line_magic("whos", "%whos", "table: type, shape, dtype, device, requires_grad, bytes")
def whos(shell, arg):
    rows = whos_rows(shell.interp.user_names())
    if not rows:
        shell.out.write("no variables\n")
        return
    table = [WHOS_HEADER] + rows
    widths = [max(len(row[i]) for row in table) for i in range(len(WHOS_HEADER))]
    for row in table:
        shell.out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                        + "\n")


@line_magic("reset", "%reset", "delete all your variables")
def reset(shell, arg):
    for name in list(shell.interp.user_names()):
        del shell.interp.namespace[name]


# ---------------------------------------------------------------------- timing
def auto_loops(run, budget=0.2) -> tuple:
    """IPython's rule: grow the loop count by 10x until one batch takes >= budget/10."""
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            run()
        took = time.perf_counter() - start
        if took >= budget / 10 or loops >= 10 ** 6:
            return loops, took
        loops *= 10


def fmt_time(seconds: float) -> str:
    """IPython's unit choice: s, ms, µs, ns with 3 significant digits."""
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds} s"


def timeit_options(arg: str) -> tuple:
    """IPython's %timeit options before the statement: -n LOOPS, -r RUNS, -q (quiet); returns
    (loops or None, runs, quiet, statement)."""
    import getopt
    import shlex
    words = arg.strip().split(" ")
    try:
        opts, _ = getopt.getopt(shlex.split(arg) if arg.lstrip().startswith("-") else [],
                                "n:r:q")
    except (getopt.GetoptError, ValueError) as e:
        raise MagicError(f"%timeit: {e} (options: -n LOOPS -r RUNS -q)") from None
    taken = sum(1 + (name != "-q") for name, _ in opts)
    try:
        values = {name: int(value) for name, value in opts if name != "-q"}
    except ValueError:
        raise MagicError("%timeit: -n and -r take a whole number") from None
    if any(v < 1 for v in values.values()):
        raise MagicError("%timeit: -n and -r must be at least 1")
    rest = [w for w in words if w]
    statement = " ".join(rest[_words_of(rest, taken):])
    return values.get("-n"), values.get("-r", 7), ("-q", "") in opts, statement


def _words_of(words: list, options: int) -> int:
    """How many space-separated words the first `options` option words span ('-n10' is
    one word, '-n 10' two)."""
    count = i = 0
    while count < options and i < len(words):
        word = words[i]
        glued = len(word) > 2 and word[1] in "nr"
        count += 2 if glued else 1
        i += 1
    return i


def time_runs(interp, code, out, loops=None, repeat=7, quiet=False) -> None:
    """mean ± std of `repeat` runs of `loops` loops (chosen for you if None) of code."""
    run = lambda: interp.run_compiled(code)        # noqa: E731 - tiny adapter
    if loops is None:
        loops, _ = auto_loops(run)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(loops):
            run()
        runs.append((time.perf_counter() - start) / loops)
    if quiet:
        return
    mean = sum(runs) / len(runs)
    std = math.sqrt(sum((r - mean) ** 2 for r in runs) / len(runs))
    out.write(f"{fmt_time(mean)} ± {fmt_time(std)} per loop (mean ± std. dev. of {repeat} "
              f"run{'s' if repeat != 1 else ''}, {loops:,} loop{'s' if loops != 1 else ''} "
              "each)\n")


def time_once(interp, source: str, out, filename: str) -> None:
    """Run once (echoing values) and print the wall time, also when it fails."""
    code = interp.compile(source + "\n", filename, echo=True)
    start = time.perf_counter()
    try:
        interp.run_compiled(code)
    finally:
        out.write(f"Wall time: {fmt_time(time.perf_counter() - start)}\n")


@line_magic("timeit", "%timeit [-n N -r R -q] STMT",
            "mean ± std of 7 runs (-r), loop count chosen for you (-n)")
def timeit(shell, arg):
    loops, repeat, quiet, statement = timeit_options(arg)
    if not statement.strip():
        raise MagicError("usage: %timeit [-n LOOPS] [-r RUNS] [-q] STATEMENT")
    time_runs(shell.interp, shell.interp.compile(statement + "\n", "<timeit>"), shell.out,
              loops, repeat, quiet)


@line_magic("time", "%time STMT", "run once and print the wall time")
def time_line(shell, arg):
    if not arg.strip():
        raise MagicError("usage: %time STATEMENT")
    time_once(shell.interp, arg, shell.out, "<time>")


@cell_magic("timeit", "%%timeit [-n N -r R -q] [SETUP]",
            "time the cell's lines (SETUP runs once first)")
def timeit_cell(shell, arg, body):
    if not body.strip():
        raise MagicError("usage: %%timeit [SETUP], then the statements to time below it")
    loops, repeat, quiet, setup = timeit_options(arg)
    if setup.strip():
        shell.interp.run_source(setup + "\n", "<timeit>")
    time_runs(shell.interp, shell.interp.compile(body + "\n", "<timeit>"), shell.out,
              loops, repeat, quiet)


@cell_magic("time", "%%time", "run the cell once and print the wall time")
def time_cell(shell, arg, body):
    time_once(shell.interp, body, shell.out, "<time>")


# ---------------------------------------------------------------------- files and folders
def read_source(path: str) -> tuple:
    """(path, text) of a tsh file named by a magic's argument."""
    path = os.path.expanduser(path.strip().strip("'\""))
    if not path:
        raise MagicError("a file name is needed")
    try:
        with open(path, encoding="utf-8") as f:
            return path, f.read()
    except OSError as e:
        raise MagicError(f"can't open file {path!r}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise MagicError(f"can't read file {path!r}: it is not UTF-8 text") from None


@line_magic("run", "%run FILE.tsh", "run a script in this session (its variables stay)")
def run(shell, arg):
    if not arg.strip():
        raise MagicError("usage: %run FILE.tsh")
    path, source = read_source(arg)
    shell.interp.run_source(source, path, echo=False)


@line_magic("load", "%load FILE.tsh", "put a file's code in the input, to edit and run")
def load(shell, arg):
    if not arg.strip():
        raise MagicError("usage: %load FILE.tsh")
    shell.next_input = read_source(arg)[1].rstrip("\n")


@line_magic("pwd", "%pwd", "the current folder")
def pwd(shell, arg):
    shell.out.write(os.getcwd() + "\n")


@line_magic("cd", "%cd [DIR]", "change the current folder (home without DIR)")
def cd(shell, arg):
    target = os.path.expanduser(arg.strip().strip("'\"") or "~")
    try:
        os.chdir(target)
    except OSError as e:
        raise MagicError(f"%cd: {e.strerror}: {target!r}") from None
    shell.out.write(os.getcwd() + "\n")


@line_magic("env", "%env [NAME]", "environment variables (read-only)")
def env(shell, arg):
    name = arg.strip()
    if "=" in name or " " in name:
        raise MagicError("%env is read-only in tshell: set variables before starting it")
    if name:
        if name not in os.environ:
            raise MagicError(f"%env: no environment variable {name!r}")
        shell.out.write(os.environ[name] + "\n")
        return
    for key in sorted(os.environ):
        shell.out.write(f"{key}={os.environ[key]}\n")


# ---------------------------------------------------------------------- display
DEFAULT_PRECISION = 4            # torch's own


@line_magic("precision", "%precision [N]", "digits of floats and tensors shown (reset "
                                            "without N)")
def precision(shell, arg):
    from tshell.core import set_printoptions
    text = arg.strip()
    if not text:
        shell.precision = None
        set_printoptions(precision=DEFAULT_PRECISION)
        shell.out.write(f"precision reset: tensors {DEFAULT_PRECISION} digits, floats as "
                        "Python prints them\n")
        return
    try:
        digits = int(text)
    except ValueError:
        raise MagicError(f"%precision expects a number of digits, got {text!r}") from None
    if not 0 <= digits <= 16:
        raise MagicError("%precision: digits must be between 0 and 16")
    shell.precision = digits
    set_printoptions(precision=digits)
    shell.out.write(f"precision: {digits} digits\n")


@line_magic("graph", "%graph EXPR", "draw the autograd graph behind EXPR")
def graph(shell, arg):
    shell.interp.builtins["graph"](evaluate(shell.interp, arg))


# ---------------------------------------------------------------------- history and help
def history_selection(numbers, args: list) -> list:
    """The input numbers that %history's ranges name ('4', '2-5'; inclusive, as
    IPython's), of those run (numbers)."""
    if not args:
        return list(numbers)
    chosen = []
    for arg in args:
        first, _, last = arg.partition("-")
        try:
            lo = int(first)
            hi = int(last) if last else lo
        except ValueError:
            raise MagicError(f"%history: not a line number or range: {arg!r}") from None
        chosen += [n for n in numbers if lo <= n <= hi]
    return chosen


@line_magic("history", "%history [-n] [RANGE...]", "inputs of this session; -n numbers them, "
                                                    "RANGE like 4 or 2-5")
def history(shell, arg):
    words = arg.split()
    numbered = "-n" in words
    entries = shell.inputs
    for n in history_selection(entries, [w for w in words if w != "-n"]):
        text = entries[n]
        if numbered:     # IPython's layout: a multi-line input starts below its number
            text = f"{n:>4}:" + ("\n" if "\n" in text else " ") + text
        shell.out.write(text + "\n")


@line_magic("help", "%help", "this list")
def magic_help(shell, arg):
    shell.out.write(help_text() + "\n")


def evaluate(interp, expr: str):
    """The value of one expression, without touching `_` or echoing it."""
    captured = []
    saved_cb, had, old = interp.echo_callback, "_" in interp.namespace, interp.namespace.get("_")
    interp.echo_callback = captured.append
    try:
        interp.run_source(expr.strip() + "\n", "<input>", echo=True)
    finally:
        interp.echo_callback = saved_cb
        if had:
            interp.namespace["_"] = old
        else:
            interp.namespace.pop("_", None)
    if len(captured) != 1:
        raise MagicError(f"expected one expression, got {expr.strip()!r}")
    return captured[0]
