"""tsh errors and their one format (docs/language.md): location, source line, caret, call chain."""

from __future__ import annotations

import os
import types

from .ast import Span
from .suggestions import did_you_mean

# Exception classes a user program can cause (OSError: load("missing.npy")); anything else
# reaching the top is a tshell bug.
# AttributeError is absent on purpose: the sandbox raises TshAttributeError for user mistakes,
# so a bare AttributeError means tshell's own code broke.
USER_ERRORS = (RuntimeError, TypeError, ValueError, LookupError, ArithmeticError,
               NameError, AssertionError, ImportError, MemoryError, OSError, EOFError)


class SourceUnit:
    """One piece of source (a file, a -c string or one REPL input) that spans point into."""

    __slots__ = ("filename", "lines")

    def __init__(self, filename: str, source: str):
        self.filename = filename
        self.lines = source.splitlines()

    def line(self, n: int) -> str:
        """Source line n (1-based), or '' when out of range."""
        return self.lines[n - 1] if 0 < n <= len(self.lines) else ""


# ------------------------------------------------------------------ language-raised errors
class TshNameError(NameError):
    """A name that is not defined (or a forbidden `__dunder__` name)."""


class TshAttributeError(AttributeError):
    """An attribute the sandbox does not allow, or that the value does not have."""


class TshImportError(ImportError):
    """`import` of a module other than torch, numpy and __future__."""


class TshRecursionError(RecursionError):
    """Too many nested calls of tsh functions."""


class TshMemoryLimitError(MemoryError):
    """The memory limit's stop: tshell's process grew past the cap while a program ran
    (guards.check_growth). No `except` clause takes it (compile_try)."""


# ------------------------------------------------------------------ reported errors
class TshError(Exception):
    """Base of every error tshell reports; `format()` gives its text in that format."""

    type_name = "Error"
    exit_code = 1

    def __init__(self, message: str, unit: SourceUnit | None = None,
                 span: Span | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.unit = unit
        self.span = span
        self.hint = hint
        self.chain: list = []        # [(function name, SourceUnit, call Span)], innermost first

    @property
    def suggestion(self) -> str:
        """What the headline adds after the message (CPython 3.12's "Did you mean")."""
        return ""

    @property
    def filename(self) -> str | None:
        return self.unit.filename if self.unit else None

    @property
    def line(self) -> int | None:
        return self.span.line if self.span else None

    @property
    def col(self) -> int | None:
        return self.span.col if self.span else None

    @property
    def end_col(self) -> int | None:
        return self.span.end_col if self.span else None

    def format(self, debug: bool = False) -> str:
        """The error as the user sees it (no trailing newline)."""
        where = _where(self.unit, self.span)
        # an empty message shows as in Python's traceback: `AssertionError`, not `AssertionError: `
        message = f": {self.message}{self.suggestion}" if self.message else ""
        out = [f"error: {where}{self.type_name}{message}"]
        if self.unit and self.span and self.span.line:
            out += _excerpt(self.unit, self.span)
        out += _chain_lines(self.chain)
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.message


class TshSyntaxError(TshError):
    """The source does not parse; `incomplete` is True when more input could complete it."""

    type_name = "SyntaxError"
    exit_code = 2

    def __init__(self, message, line=0, col=0, end_col=None, hint=None, incomplete=False,
                 end_line=None):
        end_col = end_col if end_col is not None else col + 1
        super().__init__(message, None, Span(line, col, end_line or line, end_col), hint)
        self.incomplete = incomplete

    def attach(self, filename: str, source: str) -> TshSyntaxError:
        """Record which source the error is in (the parser knows it, the lexer does not)."""
        if self.unit is None:
            self.unit = SourceUnit(filename, source)
        return self


class TshRuntimeError(TshError):
    """A user-level error raised while running: wraps the original exception."""

    def __init__(self, original: BaseException, unit=None, span=None, chain=()):
        super().__init__(_message_of(original), unit, span)
        self.original = original
        self.type_name = _display_name(type(original))
        self.chain = list(chain)

    @property
    def suggestion(self) -> str:
        # computed when shown, as CPython does: an error a program catches costs nothing
        return did_you_mean(self.original)


class InternalError(TshError):
    """A bug in tshell itself; the traceback is shown only with --debug."""

    type_name = "InternalError"

    def __init__(self, original: BaseException, unit=None, span=None):
        summary = f"{type(original).__name__}: {_message_of(original)}"
        super().__init__(summary, unit, span,
                         "this is a bug in tshell; rerun with --debug for the traceback")
        self.original = original
        import traceback       # only when tshell has a bug: keep start-up light
        self.traceback = "".join(traceback.format_exception(original))

    def format(self, debug: bool = False) -> str:
        text = super().format()
        return text + "\n" + self.traceback.rstrip() if debug else text


def is_user_error(exc: BaseException) -> bool:
    """True when exc is something a tsh program can legitimately cause."""
    return isinstance(exc, USER_ERRORS) or isinstance(exc, TshAttributeError) or \
        _program_attribute_error(exc) or "_tsh_raised" in exc.__dict__ or _program_class(exc)


def _program_class(exc: BaseException) -> bool:
    """An exception of the program's own class, wherever it was raised."""
    from .typeview import TSH_CLASSES       # typeview imports this module
    return type(exc) in TSH_CLASSES


_CORE = os.sep + os.path.join("tshell", "core") + os.sep


def _program_attribute_error(exc: BaseException) -> bool:
    """An AttributeError a library function raised because of what the program gave it, as
    PyTorch raises it: one tshell.core raises with PyTorch's message (`m.get_submodule('x')`:
    no attribute name), a lookup on an instance of the program's own class (a Transform
    subclass without `domain`), or on a value of another library's the program passed
    (`TransformedDistribution(print, [])`)."""
    if type(exc) is not AttributeError:
        return False
    if exc.name is None:
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        return tb is not None and _CORE in tb.tb_frame.f_code.co_filename
    from .typeview import TSH_CLASSES       # typeview imports this module
    obj = exc.obj
    return type(obj) in TSH_CLASSES or not type(obj).__module__.startswith("tshell.core") and \
        _passed(obj, exc) is obj


def wrap(exc: BaseException) -> TshError:
    """Turn an exception that escaped a tsh program into the TshError to report."""
    if isinstance(exc, TshError):
        return exc
    exc = as_argument_error(exc)
    loc = getattr(exc, "_tsh_loc", None) or (None, None)
    if is_user_error(exc):
        chain = [(name, site[0], site[1]) for name, site in getattr(exc, "_tsh_chain", ())
                 if site is not None]
        return TshRuntimeError(exc, loc[0], loc[1], chain)
    return InternalError(exc, loc[0], loc[1])


def as_argument_error(exc: BaseException) -> BaseException:
    """A core function given a non-tensor where it needs a tensor (torch.numel(3),
    x.mm(np.ones(2)), y.data = -3) fails inside with "'int' object has no attribute '_data'".
    That is the program's mistake, not tshell's: PyTorch says TypeError, and so does tsh.
    The same holds for a core dtype or device expected and something else given."""
    if type(exc) is not AttributeError or exc.name is None:
        return exc
    try:
        from tshell.core import Tensor, device, dtype
    except ImportError:
        return exc
    obj, name = exc.obj, exc.name
    expected = next(((cls, label) for cls, label in ((Tensor, "Tensor"), (dtype, "torch.dtype"),
                                                     (device, "torch.device"))
                     if hasattr(cls, name) or (cls is Tensor and name == "_data")), None)
    culprit = _passed(obj, exc) if expected is not None else _NOT_PASSED
    if culprit is _NOT_PASSED and expected is not None and _program_made(obj):
        culprit = obj
    if culprit is _NOT_PASSED or isinstance(obj, expected[0]):
        return exc                        # not a value the program passed: tshell's bug
    if culprit is not obj:
        obj, expected = culprit, (Tensor, "Tensor")
    expected = expected[1]
    from .sandbox import type_name
    fn = exc.__dict__.get("_tsh_fn")
    where = f"{fn}(): argument" if fn else "argument"
    new = TypeError(f"{where} must be {expected}, not {type_name(obj)}")
    new.__dict__.update((k, v) for k, v in exc.__dict__.items() if k.startswith("_tsh"))
    return new


_NOT_PASSED = object()


def _program_made(obj) -> bool:
    """Whether obj is a value tshell.core never makes: text, an instance of the program's
    own class, a function or built-in it holds. Where the core wanted a tensor, such a value
    came from the program along a way _passed does not see: a callback's result (a forward
    pre-hook's becomes forward's input)."""
    from .typeview import TSH_CLASSES       # typeview imports this module
    cls = type(obj)
    return cls is str or cls in TSH_CLASSES or cls.__module__.startswith("tshell.lang") or \
        cls is types.BuiltinFunctionType


def _passed(obj, exc):
    """The argument of the program's innermost call that obj is, or holds, or is a part of
    (np.arange(4).dtype: a NumPy array given for a tensor); _NOT_PASSED when there is none."""
    for arg in exc.__dict__.get("_tsh_args", ()):
        if arg is obj or (type(arg) in (list, tuple) and any(item is obj for item in arg)):
            return obj
        if obj is not None and any(getattr(arg, name, None) is obj
                                   for name in ("dtype", "device", "shape")):
            return arg
    return _NOT_PASSED


def format_error(exc: BaseException, source: str | None = None,
                 filename: str | None = None, debug: bool = False) -> str:
    """Format any exception in tsh's error format; source/filename fill in a missing unit."""
    err = wrap(exc)
    if err.unit is None and source is not None:
        err.unit = SourceUnit(filename or "<input>", source)
    return err.format(debug)


# ------------------------------------------------------------------ helpers
INTERNAL_CLASS_NAMES = {"TshFunction": "function", "_GuardedType": "type",
                        "ClassName": "type"}     # typeview.ClassName: what type() gives


def _message_of(exc: BaseException) -> str:
    """The one-line message Python would print after the class name."""
    try:
        if isinstance(exc, KeyError) and len(exc.args) == 1:
            return repr(exc.args[0])
        text = str(exc)
    except KeyboardInterrupt:
        raise
    except BaseException:       # a program's __str__ or __repr__ failed: CPython's words
        return "<exception str() failed>"
    if any(name in text for name in INTERNAL_CLASS_NAMES):
        # Python's own messages name a value's class: a def is a 'function' in CPython's
        # ("'function' object is not iterable") and list a 'type', whatever classes tsh
        # implements them with
        import re           # only for error messages: not on the start-up path
        text = re.sub(r"\b(" + "|".join(INTERNAL_CLASS_NAMES) + r")\b",
                      lambda m: INTERNAL_CLASS_NAMES[m.group(1)], text)
    if not text and isinstance(exc, MemoryError):
        # Python's own MemoryError has no message ([0] * 10**12)
        return "out of memory (the result is larger than the memory available)"
    return text


def _display_name(cls: type) -> str:
    """tshell's own subclasses show as the Python class they refine (TshNameError -> NameError)."""
    if cls.__module__ == __name__:
        for base in cls.__mro__[1:]:
            if base.__module__ == "builtins":
                return base.__name__
    return cls.__name__


def _where(unit, span) -> str:
    if unit is None:
        return ""
    if span is None or not span.line:
        return f"{unit.filename}: "
    return f"{unit.filename}:{span.line}:{span.col}: "


def _width(text: str) -> int:
    """Terminal columns text takes (wide CJK characters take two)."""
    if text.isascii():
        return len(text)
    import unicodedata      # only for error messages: not on the start-up path
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _excerpt(unit: SourceUnit, span: Span) -> list:
    """The source line with a caret line under the span (first line of the span only)."""
    text = unit.line(span.line).replace("\t", " ").rstrip("\r\n")
    start = max(span.col - 1, 0)
    end = span.end_col - 1 if span.end_line == span.line else len(text.rstrip())
    end = max(end, start + 1)
    pad = _width(text[:start])
    marks = max(_width(text[start:end]), 1)
    number = f"{span.line:>5}"
    return [f"{number} | {text}", f"{' ' * len(number)} | {' ' * pad}{'^' * marks}"]


MAX_CHAIN_LINES = 20      # an error message stays readable however deep the recursion was


def _chain_lines(chain) -> list:
    """'in f() called from file:line:col' lines, repeated entries folded like Python does."""
    out, previous, repeats = [], None, 0
    for name, unit, span in chain:
        line = f"  in {name}() called from {_where(unit, span).rstrip(': ')}"
        if line == previous:
            repeats += 1
            continue
        if repeats:
            out.append(f"  [previous line repeated {repeats} more times]")
        out.append(line)
        previous, repeats = line, 0
    if repeats:
        out.append(f"  [previous line repeated {repeats} more times]")
    if len(out) > MAX_CHAIN_LINES:
        # mutual recursion (a -> b -> a ...) does not fold line by line: keep both ends
        head, tail = out[:MAX_CHAIN_LINES - 6], out[-5:]
        out = head + [f"  [... {len(out) - len(head) - len(tail)} more calls ...]"] + tail
    return out
