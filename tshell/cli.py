"""The `tshell` command: scripts, -c, stdin/pipes, --check, and the REPL (docs/language.md).

Only the standard library is imported before the mode is known: start-up time is part of the
product (`tshell -c` must answer faster than `python -c "import torch"`).
"""
from __future__ import annotations

import gc
import os
import sys

USAGE = """\
usage: tshell [options] [FILE.tsh [ARGS...] | -c CODE | -]

Run tsh (PyTorch-style tensor code) from a file, a string or stdin; with no
argument on a terminal, start the interactive REPL.

  FILE.tsh [ARGS...]   run a script; `argv` holds ARGS
  -c CODE              run CODE, echoing the value of each expression statement
  -                    read the program from stdin (also when stdin is a pipe)
  -i FILE.tsh          run the script, then open the REPL with its variables
  --check FILE.tsh     parse only: report syntax errors (exit 0 or 2)
  --inspect FILE       print the tensors of a checkpoint as a table (key, shape, dtype,
                       elements, bytes, totals) without running a program: PyTorch files
                       (.pt, .pth, .bin...), .safetensors, .npz, .npy, .csv, .txt
  --seed N             seed the random generator (manual_seed(N))
  --device cpu|cuda    default device for new tensors
  --max-memory SIZE    largest tensor allowed, e.g. 512MB or 2GB (default: free RAM;
                       also TSHELL_MAX_MEMORY)
  --no-color           never write colour escape codes (also NO_COLOR=1)
  --theme dark|light|none
                       the REPL's colours (default: the config file's, else the
                       terminal's background; see docs/repl.md)
  --debug              show Python tracebacks of internal errors
  --version            print the version and exit
  -h, --help           print this help and exit

exit status: 0 success, 1 runtime error, 2 syntax or usage error, 130 interrupted
"""

EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_INTERRUPT = 0, 1, 2, 130
THEMES = ("dark", "light", "none")      # tshell.ui.theme's, without importing the UI


class UsageError(Exception):
    """A bad command line: reported with a hint and exit status 2."""


class Options:
    """The parsed command line."""

    def __init__(self):
        self.mode = None          # "script", "command", "stdin", "check", "repl"
        self.target = None        # file name or code
        self.args = []
        self.interactive = False  # -i
        self.seed = None
        self.device = None
        self.max_memory = None
        self.color = True
        self.theme = None         # None: the config file's, else detected
        self.debug = False


def _value(argv, i, flag):
    if i + 1 >= len(argv):
        raise UsageError(f"option {flag} needs a value")
    return argv[i + 1]


def parse_args(argv):
    """Options from argv; everything after the script name belongs to the script."""
    o = Options()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            o.mode = "help"
            return o
        if a == "--version":
            o.mode = "version"
            return o
        if a == "-c":
            o.mode, o.target = "command", _value(argv, i, a)
            o.args = argv[i + 2:]
            return o
        if a == "--check":
            o.mode, o.target = "check", _value(argv, i, a)
            return o
        if a == "--inspect":
            o.mode, o.target = "inspect", _value(argv, i, a)
            return o
        if a == "-i":
            o.interactive = True
        elif a == "--seed":
            try:
                o.seed = int(_value(argv, i, a))
            except ValueError:
                raise UsageError(f"--seed expects an integer, got {argv[i + 1]!r}") from None
            i += 1
        elif a == "--device":
            o.device = _value(argv, i, a)
            if o.device.split(":")[0] not in ("cpu", "cuda"):
                raise UsageError(f"--device expects cpu or cuda, got {o.device!r}")
            i += 1
        elif a == "--max-memory":
            o.max_memory = _value(argv, i, a)
            i += 1
        elif a == "--no-color":
            o.color = False
        elif a == "--theme":
            o.theme = _value(argv, i, a)
            if o.theme not in THEMES:
                raise UsageError(f"--theme expects dark, light or none, got {o.theme!r}")
            i += 1
        elif a == "--debug":
            o.debug = True
        elif a == "-":
            o.mode = "stdin"
            o.args = argv[i + 1:]
            return o
        elif a.startswith("-") and len(a) > 1:
            raise UsageError(f"unknown option {a!r}")
        else:
            o.mode, o.target, o.args = "script", a, argv[i + 1:]
            return o
        i += 1
    if o.interactive:
        raise UsageError("-i needs a script: tshell -i FILE.tsh")
    o.mode = "repl" if sys.stdin.isatty() else "stdin"
    return o


def _configure(o):
    """Apply the options that set process-wide state (seed, device, memory cap)."""
    core = _without_gc_passes(_core)
    if o.max_memory is not None:
        try:
            core.set_max_memory(o.max_memory)
        except ValueError as e:
            raise UsageError(str(e)) from None
    if o.seed is not None:
        core.manual_seed(o.seed)
    if o.device is not None:
        try:
            core.set_default_device(o.device)
            core.empty(0)       # a missing CUDA: said now, not at the program's first tensor
        except RuntimeError as e:
            raise UsageError(str(e)) from None


def _sets_process_state(o):
    """Options whose mistakes must be reported before anything runs (--seed...)."""
    return o.seed is not None or o.device is not None or o.max_memory is not None


def _report(exc, debug):
    """Write an error in tshell's one error format to stderr, after flushing what was printed."""
    from tshell.lang import TshError, format_error
    sys.stdout.flush()
    text = exc.format(debug=debug) if isinstance(exc, TshError) else format_error(exc)
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()


def _exit_code(exc):
    from tshell.lang import TshSyntaxError
    return EXIT_USAGE if isinstance(exc, TshSyntaxError) else EXIT_RUNTIME


def system_exit_status(e, stderr=None):
    """The exit status of an uncaught `raise SystemExit(code)`, as Python's: 0 for None, the
    number, else 1 after writing the code to stderr (a script's, and the REPL's)."""
    code = e.code
    if code is None or isinstance(code, int):
        return code or EXIT_OK
    sys.stdout.flush()
    (stderr or sys.stderr).write(f"{code}\n")
    return EXIT_RUNTIME


def _read_file(name):
    try:
        with open(name, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        raise UsageError(f"can't open file {name!r}: No such file or directory") from None
    except IsADirectoryError:
        raise UsageError(f"can't open file {name!r}: it is a directory") from None
    except UnicodeDecodeError:
        raise UsageError(f"can't read file {name!r}: it is not UTF-8 text") from None
    except OSError as e:
        raise UsageError(f"can't open file {name!r}: {e.strerror}") from None


def run(o):
    """Run the parsed command line; returns the exit status."""
    if o.mode == "help":
        sys.stdout.write(USAGE)
        return EXIT_OK
    if o.mode == "version":
        from tshell import __version__
        sys.stdout.write(f"tshell {__version__}\n")
        return EXIT_OK
    if o.mode == "check":
        from tshell.lang import check_source
        source = _read_file(o.target)
        try:
            check_source(source, o.target)
        except Exception as e:  # every failure is reported, none escapes
            _report(e, o.debug)
            return EXIT_USAGE
        return EXIT_OK

    if o.mode == "repl" and not _sets_process_state(o):
        # the first prompt comes before tshell.core is loaded: the REPL builds the
        # interpreter in the background (start-up time, issue 19)
        return _repl(lambda: _on_own_stack_chunk(_interpreter, o), o)
    _configure(o)
    if o.mode == "inspect":
        return _inspect(o)
    if o.mode == "repl":
        return _repl(_interpreter(o), o)
    if o.mode == "script":
        source, filename, echo = _read_file(o.target), o.target, False
    elif o.mode == "command":
        source, filename, echo = o.target, "<string>", True
    else:
        source, filename, echo = _read_stdin(), "<stdin>", True
    interp = _interpreter(o)
    try:
        interp.run_source(source, filename, echo=echo)
    except KeyboardInterrupt:
        sys.stdout.flush()
        sys.stderr.write("KeyboardInterrupt\n")
        return EXIT_INTERRUPT
    except Exception as e:  # the language layer wraps, this reports
        if isinstance(getattr(e, "original", e), BrokenPipeError):
            _silence_stdout()  # the reader went away (`| head`): not the program's fault
            return EXIT_OK
        if isinstance(getattr(e, "original", None), SystemExit):
            return system_exit_status(e.original)
        _report(e, o.debug)
        return _exit_code(e)
    if o.interactive:
        return _repl(interp, o)
    return EXIT_OK


def _inspect(o):
    """--inspect FILE: the table of a checkpoint's tensors (exit 1 if it cannot be read)."""
    from tshell.ui.console import set_color
    from tshell.ui.state_dict import inspect_file
    set_color(_color(o))
    if not os.path.isfile(o.target):
        why = "it is a directory" if os.path.isdir(o.target) else "No such file or directory"
        raise UsageError(f"can't open file {o.target!r}: {why}")
    try:
        inspect_file(o.target, sys.stdout)
    except Exception as e:  # a damaged or refused file is reported, not raised
        _report(e, o.debug)
        return EXIT_RUNTIME
    return EXIT_OK


def _color(o):
    """Colour only on a terminal, and never with --no-color or NO_COLOR."""
    return o.color and not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _interpreter(o):
    """An interpreter with tshell's own built-ins (show, graph, plot...) installed lazily."""
    return _without_gc_passes(_new_interpreter, o)


def _new_interpreter(o):
    from tshell.lang import Interpreter
    from tshell.ui.builtins import install
    interp = Interpreter(argv=o.args)
    interp.argv0 = {"script": o.target, "command": "-c"}.get(o.mode, "")
    install(interp, color=_color(o))
    return interp


def _core():
    from tshell import core
    return core


def _without_gc_passes(load, *args):
    """load(*args) with Python's cyclic GC paused, then what exists moved out of its
    generations (gc.freeze). Loading NumPy, tshell.core and the language makes ~10^5
    long-lived objects: each automatic pass would walk all of them again, and so would the
    pass at exit (start-up 666 M -> 591 M instructions). Those objects live until exit;
    what a program makes later is collected as usual."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        return load(*args)
    finally:
        gc.freeze()
        if was_on:
            gc.enable()


def _on_own_stack_chunk(fn, *args):
    """fn(*args), its calls on a fresh chunk of the interpreter's frame stack with ~120 KiB
    of room. CPython 3.11-3.13 keep frames in 16 KiB chunks and unmap a chunk as soon as
    the frame at its start returns (gh-142183): the imports of start-up went back and
    forth across one boundary ~1 400 times, each crossing an mmap, an munmap and a page
    fault (`tshell -c "print(ones(2,2).sum())"`: 7 310 -> 5 900 minor faults). This frame
    is larger than a chunk, so it starts one of 256 KiB whose free part, untouched until
    used, holds every call below it; 3.10's heap-allocated frames never touch it either."""
    return fn(*args)


# A value stack of 16 384 slots (128 KiB): what makes the frame larger than a chunk.
_on_own_stack_chunk.__code__ = _on_own_stack_chunk.__code__.replace(co_stacksize=1 << 14)


def _read_stdin():
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("can't read the program from stdin: it is not UTF-8 text") from None


def _repl(interp, o):
    from tshell.ui.repl import run_repl
    return run_repl(interp, color=_color(o), debug=o.debug, theme=o.theme)


def main(argv=None):
    """Entry point of the `tshell` console script and of `python -m tshell`."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        o = parse_args(argv)
        code = _on_own_stack_chunk(run, o)
    except UsageError as e:
        sys.stderr.write(f"tshell: error: {e}\n(see tshell --help)\n")
        code = EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("KeyboardInterrupt\n")
        code = EXIT_INTERRUPT
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    return code


def _silence_stdout():
    """After the reader of stdout went away, send what is left to /dev/null quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
