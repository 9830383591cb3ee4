"""tqdm as tsh programs see it: `tqdm(iterable)`, `trange(n)`, a bar updated by hand
(`with tqdm(total=N) as bar: bar.update(k)`), its description and postfix, `tqdm.write`;
`tqdm.auto` is the same module (tutorials import either).

The bar is drawn on standard error as tqdm draws it (`desc: 40%|████      | 2/5 [00:01<00:01,
 2.00it/s, loss=0.5]`, redrawn after `\\r`, at most every `mininterval` seconds, and left
on its line at the end unless `leave=False`), so a program's standard output is what it is
under PyTorch + tqdm: only `tqdm.write` prints there. A program reaches tshell's objects
only: the bar, its iterator (a class of its own, not a generator with a frame), and
built-ins for the class's `write`; `file=` takes sys.stdout or sys.stderr of the sys stand-in
and nothing else (a program's object would be called from tshell's code).
What differs from tqdm: the bar is as wide as `ncols` (10 characters of bar when it is not
given, as tqdm's when the width is unknown) and never follows the terminal's width;
`position`, `dynamic_ncols`, `smoothing`, `miniters`, `bar_format`, `colour`, `unit_scale`
and `lock_args` are accepted and have no effect; the rate is the mean since the start.
"""

from __future__ import annotations

import sys
import time
import weakref
from numbers import Number

from .. import guards, sandbox
from ..sandbox import Namespace
from ._classes import ShownClass, builtin
from .sys import TextStream

HOST_CALLABLES = ()
UNICODE_BARS = " " + "".join(chr(0x258F - i) for i in range(7)) + "\u2588"   # " ▏▎▍▌▋▊▉█"
ASCII_BARS = " 123456789#"
IGNORED = ("position", "dynamic_ncols", "smoothing", "miniters", "bar_format", "colour",
           "unit_scale", "unit_divisor", "lock_args", "nrows", "maxinterval", "write_bytes",
           "delay", "gui")


class TqdmKeyError(KeyError, metaclass=ShownClass):
    """An argument tqdm does not know."""


def format_interval(seconds) -> str:
    """[H:]MM:SS, as tqdm shows elapsed and remaining time."""
    minutes, s = divmod(int(seconds), 60)
    h, m = divmod(minutes, 60)
    return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def format_num(n) -> str:
    """A postfix number: 3 significant digits where that is shorter."""
    short = f"{n:.3g}".replace("e+0", "e+").replace("e-0", "e-")
    n = str(n)
    return short if len(short) < len(n) else n


def _bar(frac: float, width: int, charset: str) -> str:
    frac = min(max(frac, 0.0), 1.0)      # n below 0 (update(-k)) draws an empty bar
    steps = len(charset) - 1
    full, part = divmod(int(frac * width * steps), steps)
    bar = charset[-1] * full
    if full < width:
        bar += charset[part] + charset[0] * (width - full - 1)
    return bar


def format_meter(n, total, elapsed, ncols=None, prefix="", ascii=False, unit="it",
                 postfix="", initial=0) -> str:
    """The bar's line, laid out as tqdm's format_meter lays it out."""
    if total is not None and n > total:
        total = None
    rate = (n - initial) / elapsed if elapsed else None
    inv_rate = 1 / rate if rate else None
    if inv_rate is not None and inv_rate > 1:
        rate_fmt = f"{inv_rate:5.2f}s/{unit}"
    else:
        rate_fmt = (f"{rate:5.2f}" if rate else "?") + f"{unit}/s"
    postfix = ", " + postfix if postfix else ""
    if prefix:
        prefix = prefix if prefix[-2:] == ": " else prefix + ": "
    elapsed_str = format_interval(elapsed)
    if not total:
        return f"{prefix}{n}{unit} [{elapsed_str}, {rate_fmt}{postfix}]"
    remaining = format_interval((total - n) / rate) if rate else "?"
    frac = n / total
    l_bar = f"{prefix}{frac * 100:3.0f}%|"
    r_bar = f"| {n}/{total} [{elapsed_str}<{remaining}, {rate_fmt}{postfix}]"
    width = max(1, ncols - len(l_bar) - len(r_bar)) if ncols else 10
    return l_bar + _bar(frac, width, ASCII_BARS if ascii is True else
                        ascii if isinstance(ascii, str) else UNICODE_BARS) + r_bar


def _stream(file):
    """The host stream behind file= (None: standard error)."""
    if file is None:
        return sys.stderr
    if isinstance(file, TextStream):
        return file._target()
    raise TypeError(f"tqdm: file= takes sys.stdout or sys.stderr in tsh, not "
                    f"'{sandbox.type_name(file)}'")


class _BarClass(ShownClass):
    """tqdm's class prints as tqdm's own: <class 'tqdm.std.tqdm'>."""

    def __repr__(cls):
        return "<class 'tqdm.std.tqdm'>"


class tqdm(metaclass=_BarClass):
    """Decorate an iterable object, returning an iterator which acts exactly like the
    original iterable, but prints a dynamically updating progressbar every time a value is
    requested."""

    _interp = staticmethod(lambda: None)  # the interpreter, weakly: each has its subclass

    def __init__(self, iterable=None, desc=None, total=None, leave=True, file=None,
                 ncols=None, mininterval=0.1, ascii=None, disable=False, unit="it",
                 initial=0, postfix=None, **kwargs):
        unknown = {k: v for k, v in kwargs.items() if k not in IGNORED}
        if unknown:
            raise TqdmKeyError("Unknown argument(s): " + str(unknown))
        if total is None and iterable is not None:
            try:
                total = len(iterable)
            except (TypeError, AttributeError):
                total = None
        if total == float("inf"):
            total = None
        guards.check_width(ncols, "ncols")       # the line is ncols wide
        self._fp = _stream(file)
        self.iterable, self.total, self.desc = iterable, total, desc or ""
        self.leave, self.ncols, self.mininterval = leave, ncols, mininterval
        self.ascii, self.disable, self.unit = ascii, disable, unit
        self.n = self._last_print_n = self._initial = initial
        self._start = self._last_print_t = time.time()
        self._last_len = 0
        self.postfix = None
        if postfix is not None:
            self.set_postfix(refresh=False, **postfix) if isinstance(postfix, dict) \
                else self.set_postfix_str(str(postfix), refresh=False)
        self._closed = disable
        if not disable:
            self.refresh()

    # ---- drawing --------------------------------------------------------------------------
    def __str__(self):
        return format_meter(self.n, self.total, time.time() - self._start, self.ncols,
                            self.desc, self.ascii, self.unit, self.postfix or "",
                            self._initial)

    def __repr__(self):
        return f"<tqdm.std.tqdm object at {id(self):#x}>"

    def _print(self, line: str):
        fp = self._fp
        fp.write("\r" + line + " " * max(self._last_len - len(line), 0))
        fp.flush()
        self._last_len = len(line)

    def refresh(self):
        """Force refresh the display of this bar."""
        if not self.disable:
            self._print(str(self))
            self._last_print_n, self._last_print_t = self.n, time.time()

    def clear(self):
        """Clear current bar display."""
        if not self.disable:
            self._print("")

    def _maybe_refresh(self):
        if self.n - self._last_print_n >= 1 and \
                time.time() - self._last_print_t >= self.mininterval:
            self.refresh()

    # ---- progress -------------------------------------------------------------------------
    def update(self, n=1):
        """Manually update the progress bar, useful for streams such as reading files."""
        if self.disable:
            return None
        if n < 0:
            self._last_print_n += n             # as tqdm: a step back is redrawn next time
        self.n += n
        self._maybe_refresh()
        return None

    def __iter__(self):
        if self.iterable is None:
            raise TypeError("'NoneType' object is not iterable")
        return _Progress(self, iter(self.iterable))

    def __len__(self):
        if self.iterable is None:
            return self.total
        return len(self.iterable)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        """Cleanup and (if leave=False) close the progressbar."""
        if self._closed:
            return
        self._closed = True
        if self.leave:
            self.refresh()
            self._fp.write("\n")
        else:
            self.clear()
            self._fp.write("\r")
        self._fp.flush()

    def __del__(self):                   # as tqdm: a bar dropped unclosed is closed
        try:
            self.close()
        except (AttributeError, ValueError, OSError):
            pass                         # made half-way (bad arguments), or at exit

    def reset(self, total=None):
        """Resets to 0 iterations for repeated use."""
        self.n = self._last_print_n = 0
        if total is not None:
            self.total = total
        self._start = self._last_print_t = time.time()
        self._closed = self.disable
        if not self.disable:
            self.refresh()

    # ---- what the bar says ----------------------------------------------------------------
    def set_description(self, desc=None, refresh=True):
        """Set/modify description of the progress bar."""
        self.desc = desc + ": " if desc else ""
        if refresh:
            self.refresh()

    def set_description_str(self, desc=None, refresh=True):
        """Set/modify description without ': ' appended."""
        self.desc = desc or ""
        if refresh:
            self.refresh()

    def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):
        """Set/modify postfix (additional stats) with automatic formatting based on
        datatype."""
        postfix = dict(ordered_dict or {})
        for key in sorted(kwargs):
            postfix[key] = kwargs[key]
        shown = []
        for key, value in postfix.items():
            if isinstance(value, Number) and not isinstance(value, bool):
                value = format_num(value)
            elif not isinstance(value, str):
                value = str(value)
            shown.append(f"{key}={value.strip()}")
        self.postfix = ", ".join(shown)
        if refresh:
            self.refresh()

    def set_postfix_str(self, s="", refresh=True):
        """Postfix without dictionary expansion, similar to prefix handling."""
        self.postfix = str(s)
        if refresh:
            self.refresh()

    @classmethod
    def write(cls, s, file=None, end="\n", nolock=False):
        """Print a message via tqdm (without overlap with bars)."""
        if file is None:
            stdout = getattr(cls._interp(), "stdout", None)
            fp = stdout if stdout is not None else sys.stdout
        else:
            fp = _stream(file)
        fp.write(str(s))
        fp.write(end)


class _Progress(metaclass=ShownClass):
    """The iterator of a bar. As tqdm's, a value is counted when the next one is asked for
    (the body that used it has run); the end closes the bar, and so does dropping the
    iterator after a `break` (tqdm closes it when it is collected)."""

    __slots__ = ("_bar", "_it", "_started")

    def __init__(self, bar, it):
        self._bar, self._it, self._started = bar, it, False

    def __iter__(self):
        return self

    def __next__(self):
        bar = self._bar
        if self._started:
            bar.update(1)
        self._started = True
        try:
            return next(self._it)
        except StopIteration:
            bar.close()
            raise

    def __del__(self):
        try:
            self._bar.close()
        except (AttributeError, ValueError, OSError):
            pass


PUBLIC = ("iterable", "total", "desc", "leave", "ncols", "mininterval", "ascii", "disable",
          "unit", "n", "postfix", "update", "refresh", "clear", "close", "reset",
          "set_description", "set_description_str", "set_postfix", "set_postfix_str", "write")
CLASS_NAMES = ("write",)


def _class_reader(cls, name: str):
    """tqdm.write read from the class (sandbox.CLASS_METHODS): a built-in, not the method."""
    if name not in CLASS_NAMES:
        return None
    made = _made_for.setdefault(cls, {})
    if name not in made:
        method = getattr(cls, name)

        def write(s, file=None, end="\n", nolock=False):
            return method(s, file, end, nolock)
        write.__doc__ = method.__doc__
        made[name] = builtin(write, "write")
    return made[name]


_made_for: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
sandbox.register(_Progress, ())


def namespace_for(interp) -> Namespace:
    # the class outlives the interpreter (the sandbox's rules hold it): it holds it weakly
    interp_ref = weakref.ref(interp) if interp is not None else (lambda: None)
    bar_class = _BarClass("tqdm", (tqdm,), {"_interp": staticmethod(interp_ref),
                                            "__module__": __name__, "__doc__": tqdm.__doc__})
    sandbox.register(bar_class, PUBLIC, settable=("desc", "total", "n", "postfix",
                                                  "disable", "unit"))
    sandbox.CLASS_METHODS[bar_class] = _class_reader

    def trange(*args, **kwargs):
        """Shortcut for tqdm(range(*args), **kwargs)."""
        return bar_class(range(*args), **kwargs)
    members = {"tqdm": bar_class, "trange": builtin(trange), "TqdmKeyError": TqdmKeyError,
               "format_interval": builtin(format_interval)}
    auto = Namespace("tqdm.auto", dict(members))
    return Namespace("tqdm", {**members, "auto": auto, "std": Namespace("tqdm.std",
                                                                         dict(members))})
