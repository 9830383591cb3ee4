"""tsh, the language layer: parse, compile and run tsh programs.

It imports tshell.core and numpy; Lark only where grammar/tshell.lark was edited and the
parser's tables not regenerated yet (python -m tshell.lang.tables; see tables.py).
Front ends use:
    interp = Interpreter(argv=[...], stdout=stream, echo=callback)
    interp.run_source(source, filename, echo=True)   # raises TshError subclasses
    code = interp.compile(source, filename, echo)    # or compile once, then
    interp.run_compiled(code)                        #   run (%timeit)
    check_source(source, filename)                   # parse only (--check)
    is_incomplete(source, interactive=True)          # should the REPL read another line?
    format_error(exc, source, filename)              # the error format's text for any exception
    e.format(debug), e.exit_code                     # on every TshError
KeyboardInterrupt and BrokenPipeError pass through run_source untouched.
"""

from __future__ import annotations

import gc
import sys
import warnings

from . import guards
from .errors import (InternalError, SourceUnit, TshError, TshRuntimeError, TshSyntaxError,
                     format_error, wrap)
from . import nesting
from .parser import check_source, is_incomplete, parse

# Python frames one tsh call level may use (call -> invoke -> block -> stmt -> expr...).
FRAMES_PER_CALL = 12


class Interpreter:
    """A persistent tsh session: one namespace that successive sources run in."""

    def __init__(self, argv=(), stdout=None, echo=None):
        from . import runtime
        from .compiler import CallState
        self.stdout = stdout                 # None: sys.stdout at the time of printing
        self.echo_callback = echo            # None: write repr(value) to stdout
        self.namespace: dict = {}
        self.argv0 = ""                      # sys.argv[0]: the script as the command names it
        self.warning_filters = None          # the warnings filters the program's runs left
        self.builtins, self.modules = runtime.make_runtime(self, argv)
        self.state = CallState()
        from tshell.core import limits      # make_runtime has loaded the core
        limits.start_measuring_growth(guards.check_growth)   # the program's growth from here

    def echo(self, value) -> None:
        """Show the value of a top-level expression statement and remember it as `_`."""
        self.namespace["_"] = value
        guards.check_text(value)             # [[0] * 1000] * 10**5 would echo 300 MB
        if self.echo_callback is not None:
            self.echo_callback(value)
        else:
            out = self.stdout if self.stdout is not None else sys.stdout
            out.write(repr(value) + "\n")

    def compile(self, source: str, filename: str = "<input>", echo: bool = False):
        """Parse and compile source into a runner; raises TshSyntaxError."""
        from .compiler import Compiler
        if source.startswith("\ufeff"):
            source = source[1:]                # a UTF-8 byte order mark is not code
        gc_was_on = gc.isenabled()
        gc.disable()        # parsing and compiling make many small acyclic objects
        try:
            # parse() refuses a tree deeper than nesting.MAX_DEPTH (as --check does); the
            # compiler's recursion over what it accepts fits in deep_recursion's room.
            with nesting.deep_recursion():
                module = parse(source, filename)
                unit = SourceUnit(filename, source)
                compiler = Compiler(unit, self.namespace, self.builtins, self.modules,
                                    self.echo if echo else None, self.state)
                return compiler.module(module)
        except TshSyntaxError as e:
            raise e.attach(filename, source) from None
        finally:
            if gc_was_on:
                gc.enable()

    def run_source(self, source: str, filename: str = "<input>", echo: bool = False) -> None:
        """Run a program in this interpreter's namespace; errors come out as TshError."""
        code = self.compile(source, filename, echo)
        self.run_compiled(code)

    def run_compiled(self, code) -> None:
        """Run what compile() returned; errors come out as TshError.

        KeyboardInterrupt and BrokenPipeError (the reader of stdout went away) pass through
        untouched: they are not errors of the program, and the front end decides.
        """
        from .functions import MAX_DEPTH
        self.state.depth = 0
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, MAX_DEPTH * FRAMES_PER_CALL + 2000))
        try:
            with warnings.catch_warnings():
                warnings.showwarning = show_warning
                self._program_warning_filters()
                try:
                    code(self.namespace)
                finally:
                    self.warning_filters = list(warnings.filters)
        except (TshError, BrokenPipeError, KeyboardInterrupt):
            raise
        except BaseException as e:      # GeneratorExit, BaseException: a program can raise them
            raise wrap(e) from e
        finally:
            sys.setrecursionlimit(old_limit)

    def _program_warning_filters(self) -> None:
        """The filters the program's earlier runs left (warnings.filterwarnings in one REPL
        input holds for the next, as in Python), inside this run's catch_warnings."""
        if self.warning_filters is not None:
            warnings.filters[:] = self.warning_filters
            warnings._filters_mutated()     # as catch_warnings does: Python's cache of them

    def user_names(self) -> dict:
        """The variables the program defined (for %who / %whos)."""
        return {k: v for k, v in self.namespace.items() if not k.startswith("\0")}


def show_warning(message, category, filename, lineno, file=None, line=None, loc=None):
    """Write a warning as Python does for a script (`FILE:LINE: UserWarning: text` and the
    source line), but at the tsh statement that caused it (or at loc, the (unit, span) the
    warnings stand-in found for its stacklevel), not inside tshell."""
    loc = loc or _tsh_location(sys._getframe(1))
    text = f"{category.__name__}: {message}\n"
    if loc is not None:
        unit, span = loc
        source = unit.line(span.line).strip()
        text = f"{unit.filename}:{span.line}: {text}" + (f"  {source}\n" if source else "")
    try:
        (file if file is not None else sys.stderr).write(text)
    except OSError:
        pass


def _tsh_location(frame):
    """The (unit, span) of the innermost compiled tsh construct on the stack, if any: the
    closures the compiler makes keep theirs in a free variable named `loc`."""
    while frame is not None:
        loc = frame_location(frame)
        if loc is not None:
            return loc
        frame = frame.f_back
    return None


def frame_location(frame):
    """The (unit, span) of the compiled tsh construct that frame runs, or None."""
    if "loc" in frame.f_code.co_freevars:
        loc = frame.f_locals.get("loc")
        if isinstance(loc, tuple) and len(loc) == 2 and isinstance(loc[0], SourceUnit):
            return loc
    return None


__all__ = ["Interpreter", "TshError", "TshSyntaxError", "TshRuntimeError", "InternalError",
           "check_source", "is_incomplete", "format_error", "parse"]
