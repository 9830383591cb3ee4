"""warnings as tsh programs see it: warn, the filters, catch_warnings.

Python's filters decide (a program's `filterwarnings("ignore")` silences the library's
warnings too, as in PyTorch); each run of a program starts with the filters it found and
leaves them so (Interpreter.run_compiled's catch_warnings). What differs from Python's:
- a warning is placed at the tsh statement that warned (its `stacklevel`-th caller among tsh
  functions), registered per source for the `default` action's once-per-line rule, and shown
  by tshell (`FILE:LINE: Category: text` and the line);
- `showwarning` and `formatwarning` are tshell's: they never read a file (Python's reads the
  named file's line through linecache); a program cannot replace them (the namespace is
  read-only), and `filters`, `onceregistry` and `_showwarnmsg` are not provided;
- `catch_warnings(record=True)` records tshell's `WarningMessage`s.
"""

from __future__ import annotations

import functools
import sys
import warnings as py_warnings

from .. import frame_location, guards, sandbox, show_warning
from ..functions import TshFunction
from ..sandbox import Namespace
from ._classes import ShownClass

HOST_CALLABLES = ()

_CALL = TshFunction.invoke.__code__        # the Python frame of each tsh function call
_registries: dict = {}                     # SourceUnit -> its warning registry


def _as_program_error(e: BaseException) -> BaseException:
    """What Python's warnings code raises on the program's account (an `error` filter, a
    bad argument) is the program's error."""
    e.__dict__["_tsh_raised"] = True
    return e


def _program_location(stacklevel: int):
    """The (unit, span) of the `stacklevel`-th tsh call site from warn's (1: warn's own)."""
    frame, level = sys._getframe(2), 1
    while frame is not None:
        if frame.f_code is _CALL:
            level += 1
        elif level >= stacklevel:
            loc = frame_location(frame)
            if loc is not None:
                return loc
        frame = frame.f_back
    return None


def warn(message, category=None, stacklevel=1, source=None):
    """Issue a warning, or maybe ignore it or raise an exception."""
    if isinstance(message, Warning):
        category = message.__class__
    if category is None:
        category = UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError(f"category must be a Warning subclass, not "
                        f"'{sandbox.type_name(category)}'")
    if not isinstance(stacklevel, int):
        raise TypeError(f"'{sandbox.type_name(stacklevel)}' object cannot be interpreted as "
                        "an integer")
    loc = _program_location(stacklevel)
    if loc is None:                        # past the program's outermost call, as Python
        filename, lineno, module, registry = "sys", 1, "sys", _registries.setdefault(None, {})
    else:
        unit, span = loc
        filename, lineno, module = unit.filename, span.line, "__main__"
        registry = _registries.setdefault(unit, {})
    shown = py_warnings.showwarning
    if shown is show_warning and loc is not None:
        py_warnings.showwarning = functools.partial(show_warning, loc=loc)
    try:
        py_warnings.warn_explicit(message, category, filename, lineno, module, registry)
    except Warning as e:                   # an `error` filter
        raise _as_program_error(e) from None
    finally:
        py_warnings.showwarning = shown


def _filter_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (AssertionError, TypeError, ValueError) as e:   # Python's checks of the arguments
        raise _as_program_error(e) from None


def filterwarnings(action, message="", category=Warning, module="", lineno=0, append=False):
    """Insert an entry into the list of warnings filters (at the front)."""
    guards.check_pattern(message, "a warnings filter's message pattern")   # re.compile'd
    guards.check_pattern(module, "a warnings filter's module pattern")
    _filter_call(py_warnings.filterwarnings, action, message, category, module, lineno,
                 append)


def simplefilter(action, category=Warning, lineno=0, append=False):
    """Insert a simple entry into the list of warnings filters (at the front)."""
    _filter_call(py_warnings.simplefilter, action, category, lineno, append)


def resetwarnings():
    """Clear the list of warning filters, so that no filters are active."""
    py_warnings.resetwarnings()


def formatwarning(message, category, filename, lineno, line=None):
    """Function to format a warning the standard way (the line only when given: tshell
    reads no file)."""
    text = f"{filename}:{lineno}: {category.__name__}: {message}\n"
    if line:
        text += f"  {str(line).strip()}\n"
    return text


def showwarning(message, category, filename, lineno, file=None, line=None):
    """Hook to write a warning to a file (standard error when file is None)."""
    text = formatwarning(message, category, filename, lineno, line)
    if file is None:
        sys.stderr.write(text)
    else:
        sandbox.get_attribute(file, "write")(text)


class WarningMessage(metaclass=ShownClass):
    """One warning that catch_warnings(record=True) recorded."""

    __slots__ = ("message", "category", "filename", "lineno", "file", "line", "source")

    def __init__(self, message, category, filename, lineno, file=None, line=None,
                 source=None):
        self.message, self.category, self.filename = message, category, filename
        self.lineno, self.file, self.line, self.source = lineno, file, line, source

    def __str__(self):
        return (f"{{message : {self.message!r}, category : "
                f"{self.category.__name__ if self.category else None!r}, filename : "
                f"{self.filename!r}, lineno : {self.lineno}, line : {self.line!r}}}")


class catch_warnings(metaclass=ShownClass):
    """A context manager that copies and, upon exit, restores the warnings filter and the
    showwarning() function; with record=True, `as` gives the list of warnings shown."""

    __slots__ = ("_record", "_filter", "_host", "_entered")

    def __init__(self, *, record=False, action=None, category=Warning, lineno=0,
                 append=False):
        self._record = record
        self._filter = None if action is None else (action, category, lineno, append)
        self._host = py_warnings.catch_warnings()
        self._entered = False

    def __repr__(self):
        return f"catch_warnings({'record=True' if self._record else ''})"

    def __enter__(self):
        if self._entered:
            raise RuntimeError(f"Cannot enter {self!r} twice")
        self._entered = True
        self._host.__enter__()
        if self._filter is not None:
            simplefilter(*self._filter)
        if not self._record:
            return None
        log: list = []

        def record(message, category, filename, lineno, file=None, line=None, loc=None):
            log.append(WarningMessage(message, category, filename, lineno, file, line))
        py_warnings.showwarning = record
        return log

    def __exit__(self, *exc_info):
        if not self._entered:
            raise RuntimeError(f"Cannot exit {self!r} without entering first")
        self._host.__exit__(*exc_info)


sandbox.register(WarningMessage, WarningMessage.__slots__)


def namespace() -> Namespace:
    return Namespace("warnings", {
        "warn": warn, "filterwarnings": filterwarnings, "simplefilter": simplefilter,
        "resetwarnings": resetwarnings, "formatwarning": formatwarning,
        "showwarning": showwarning, "catch_warnings": catch_warnings,
        "WarningMessage": WarningMessage})
