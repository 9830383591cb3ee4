"""Tensor text exactly as PyTorch 2.13 prints it (``str(tensor)``), computed with numpy only.

The rules follow PyTorch's ``torch/_tensor_str.py``
A.1-A.5. Values may live on a device (CuPy): we only slice them and hand the slices to
``to_host``, so a summarized tensor copies just its edge items to the host.

Values are read in blocks of at most BLOCK elements (a huge or expanded tensor is never
copied whole), and the text's length is checked against the memory cap before it is built.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import limits
from .registry import export

BLOCK = 1 << 16     # values formatted at a time
# Memory per character of text while it is built: its lines (each a str object with its
# overhead) and the joined text exist at once (measured: 3 to 3.6 bytes per character).
TEXT_BYTES_PER_CHAR = 4


class PrintOptions:
    """The live print options, same fields and defaults as torch's PRINT_OPTS.

    A plain class: the dataclasses module costs ~2.5 ms of start-up.
    """

    __slots__ = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

    def __init__(self):
        self.precision, self.threshold, self.edgeitems, self.linewidth = 4, 1000, 3, 80
        self.sci_mode = None

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


OPTIONS = PrintOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


@export("torch")
def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None) -> None:
    """Set print options with torch's semantics (profile first, then explicit values)."""
    if profile in _PROFILES:  # torch silently ignores unknown profile names
        for name, value in _PROFILES[profile].items():
            setattr(OPTIONS, name, value)
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            setattr(OPTIONS, name, value)
    OPTIONS.sci_mode = sci_mode  # torch always assigns it, so omitting it resets to auto


@export("torch")
def get_printoptions() -> dict:
    """Return the current options as a dict usable as set_printoptions(**kwargs)."""
    return OPTIONS.as_dict()


def size_repr(shape) -> str:
    """Repr of torch.Size, e.g. ``torch.Size([5, 3])``."""
    return "torch.Size([" + ", ".join(str(int(n)) for n in shape) + "])"


def return_types_repr(name: str, fields: list[tuple[str, str]]) -> str:
    """Repr of a torch.return_types structseq: one ``field=repr`` per line."""
    body = ",\n".join(f"{key}={text}" for key, text in fields)
    return f"torch.return_types.{name}(\n{body})"


# ----------------------------------------------------------------------------- formatters

class _Formatter:
    """Fixed-width element formatter chosen from the values that will be shown.

    blocks() gives the values as host arrays, a block at a time (called once per pass).
    """

    def __init__(self, blocks: Callable, floating: bool):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        self.precision = OPTIONS.precision
        if not floating:
            # ints and bools: the widest str() decides
            self.width = max([1] + [len(str(v)) for b in blocks() for v in b.tolist()])
            return
        big, small, kept, shown = 0.0, math.inf, 0, []
        for b in blocks():
            b = _finite_nonzero(b)
            if b.size:
                a = np.abs(b)
                big, small = max(big, float(a.max())), min(small, float(a.min()))
                self.int_mode = self.int_mode and bool(np.all(b == np.ceil(b)))
            kept += b.size
            if kept <= BLOCK:                  # kept for the width while they are few
                shown.append(b)
        if small == math.inf:
            return  # torch returns early: width 1, int_mode, never sci (even if forced)
        if OPTIONS.sci_mode is None:
            self.sci_mode = big / small > 1000.0 or big > 1.0e8 or small < 1.0e-4
        else:
            self.sci_mode = bool(OPTIONS.sci_mode)
        # width counts only the finite non-zero values (hence the zeros(30) quirk)
        extra = 1 if self.int_mode and not self.sci_mode else 0  # room for the "."
        if kept > BLOCK:                       # many: read them again rather than keep them
            shown = (_finite_nonzero(b) for b in blocks())
        self.width = max(len(self._text(v)) for b in shown for v in b.tolist()) + extra

    def _text(self, value: float) -> str:
        """Unpadded text of one value (without the int-mode dot)."""
        if self.sci_mode:
            return f"{value:.{self.precision}e}"
        if self.int_mode:
            return f"{value:.0f}"
        return f"{value:.{self.precision}f}"

    def format(self, value) -> str:
        """Text of one value, left-padded to the common width."""
        if not self.floating:
            text = str(value)
        else:
            text = self._text(value)
            if self.int_mode and not self.sci_mode and math.isfinite(value):
                text += "."  # marks an integral float; nan/inf get no dot
        return text.rjust(self.width)


class _ComplexFormatter:
    """Separate formatters for the real and imaginary parts, as torch does."""

    def __init__(self, blocks: Callable):
        self.real = _Formatter(lambda: (b.real for b in blocks()), True)
        self.imag = _Formatter(lambda: (b.imag for b in blocks()), True)
        self.width = self.real.width + self.imag.width + 1  # the trailing "j"

    def format(self, value: complex) -> str:
        """Text like ``1.+2.j``; the imaginary part's padding is stripped."""
        re_text = self.real.format(value.real)
        im_text = (self.imag.format(value.imag) + "j").lstrip()
        if im_text[0] in "+-":
            return re_text + im_text
        return re_text + "+" + im_text


def _finite_nonzero(values: np.ndarray) -> np.ndarray:
    """The values that decide a float format, in double precision (as torch measures)."""
    flat = values.astype(np.float64).reshape(-1)
    return flat[np.isfinite(flat) & (flat != 0)]


def _make_formatter(values, read: Callable):
    """Pick the element formatter for the (summarized) values, read block by block."""
    small = (read(values).reshape(-1),) if values.size <= BLOCK else None

    def blocks():
        return small or (read(b).reshape(-1) for b in _blocks(values))
    kind = _host_dtype(values.dtype).kind
    if kind == "c":
        return _ComplexFormatter(lambda: (b.astype(np.complex128) for b in blocks()))
    return _Formatter(blocks, kind == "f")


# ----------------------------------------------------------------------------- host data

def _summarized_host(values, to_host: Callable, edgeitems: int) -> np.ndarray:
    """Copy to host only the first/last ``edgeitems`` of every long dim (torch's summary).

    Every dim longer than 2*edgeitems is cut into two slices; each block of the cartesian
    product is one plain slice of the device array, copied on its own and reassembled.
    """
    cuts = []
    for n in values.shape:
        if n > 2 * edgeitems:
            cuts.append([slice(0, edgeitems), slice(n - edgeitems, n)])
        else:
            cuts.append([slice(None)])

    def gather(dim: int, index: tuple) -> np.ndarray:
        """Host copy of ``values[index + ...]`` with dims from ``dim`` on still to cut."""
        if dim == len(cuts):
            return np.asarray(to_host(values[index]))
        parts = [gather(dim + 1, index + (cut,)) for cut in cuts[dim]]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=dim)

    return gather(0, ())


def _host_dtype(dtype) -> np.dtype:
    """The dtype values are formatted in: half/bfloat16 widened to float32, as torch upcasts."""
    # bfloat16 (ml_dtypes) has numpy kind "V", so it is caught by the kind test
    if dtype.kind not in "biufc" or dtype == np.float16:
        return np.dtype(np.float32)
    return dtype


def _reader(to_host: Callable) -> Callable:
    """A function giving a (small) block of values as a host array in its format dtype."""
    def read(block):
        host = np.asarray(to_host(block))
        return host.astype(_host_dtype(host.dtype), copy=False)
    return read


def _as_is(block):
    return block


def _blocks(values):
    """The values in order as arrays of at most BLOCK elements, without copying them whole
    (a row longer than BLOCK comes in pieces)."""
    if values.ndim == 0 or values.size <= BLOCK:
        yield values
    elif values.ndim == 1:
        for i in range(0, values.shape[0], BLOCK):
            yield values[i:i + BLOCK]
    else:
        for sub in values:
            yield from _blocks(sub)


# ----------------------------------------------------------------------------- layout

def _vector_str(row, indent: int, cut: bool, fmt, read: Callable) -> str:
    """One 1-D row, wrapped at the line width by torch's element count rule."""
    per_line = max(1, math.floor((OPTIONS.linewidth - indent) / (fmt.width + 2)))
    gap = OPTIONS.edgeitems if cut else None
    if row.shape[0] <= BLOCK:
        items = [fmt.format(v) for v in read(row).tolist()]
        if gap is not None:
            items.insert(gap, " ...")
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    else:
        lines = _long_row_lines(row, gap, per_line, fmt, read)
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _long_row_lines(row, gap, per_line: int, fmt, read: Callable) -> list[str]:
    """The lines of a row longer than BLOCK, its values read and formatted a block at a
    time (only one line's texts exist at once)."""
    texts = (fmt.format(v) for block in _blocks(row) for v in read(block).tolist())
    if gap is not None:
        texts = itertools.chain(itertools.islice(texts, gap), [" ..."], texts)
    lines = []
    while line := list(itertools.islice(texts, per_line)):
        lines.append(", ".join(line))
    return lines


def _nested_str(data, cuts: list[bool], indent: int, fmt, read: Callable) -> str:
    """Recursive body text: rows for 1-D, blocks separated by blank lines above that."""
    if data.ndim == 0:
        return fmt.format(read(data).item())
    if data.ndim == 1:
        return _vector_str(data, indent, cuts[0], fmt, read)
    parts = [_nested_str(sub, cuts[1:], indent + 1, fmt, read) for sub in data]
    if cuts[0]:
        half = OPTIONS.edgeitems
        parts = parts[:half] + ["..."] + parts[half:]
    return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _body_str(values, indent: int, to_host: Callable) -> str:
    """The bracketed contents, summarized when numel exceeds the threshold."""
    shape = tuple(values.shape)
    summarize = int(values.size) > OPTIONS.threshold
    if summarize and not OPTIONS.edgeitems and len(shape) > 0:
        return "[...]"  # torch keeps nothing but the ellipsis
    cuts, shown = _cuts(shape, summarize)
    _check_text(shown, 1, shape)           # before a value is read: at least "0, " each
    values, read = _readable(values, to_host, summarize)
    fmt = _make_formatter(values, read)
    _check_text(shown, fmt.width, shape)
    return _nested_str(values, cuts, indent, fmt, read)


def _cuts(shape, summarize: bool):
    """Which dims a summary cuts, and how many elements the text shows."""
    if not summarize:
        return [False] * len(shape), math.prod(shape)
    cuts = [n > 2 * OPTIONS.edgeitems for n in shape]
    return cuts, math.prod(2 * OPTIONS.edgeitems if cut else n for n, cut in zip(shape, cuts))


def _readable(values, to_host: Callable, summarize: bool):
    """The values to format and the function that reads a block of them onto the host:
    a summary or a small tensor comes to the host at once, a large one block by block."""
    if not summarize and values.size > BLOCK:
        return values, _reader(to_host)
    host = (_summarized_host(values, to_host, OPTIONS.edgeitems) if summarize
            else np.asarray(to_host(values)))
    return host.astype(_host_dtype(host.dtype), copy=False), _as_is


def _check_text(count: int, width: int, shape) -> None:
    """The memory cap for the text of `count` elements `width` characters wide (and their
    separators), before it is built."""
    limits.check_bytes(count * (width + 2) * TEXT_BYTES_PER_CHAR, shape)


# ----------------------------------------------------------------------------- suffixes

def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` or wrap it onto a new line, with torch's off-by-two count."""
    out = [text]
    last_len = len(text) - text.rfind("\n") + 1  # torch's quirk: 2 more than the real length
    for suffix in suffixes:
        if last_len + len(suffix) + 2 > OPTIONS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last_len = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last_len += len(suffix) + 2
    out.append(")")
    return "".join(out)


def _shows_dtype(dtype_name: str, default_dtype_name: str) -> bool:
    """Non-empty tensors hide the default float/complex dtype, int64 and bool."""
    default_complex = ("torch.complex128" if default_dtype_name == "torch.float64"
                       else "torch.complex64")
    return dtype_name not in (default_dtype_name, default_complex, "torch.int64", "torch.bool")


def tensor_repr(values: Any, *, dtype_name: str, default_dtype_name: str = "torch.float32",
                device: str | None = None, grad_fn: str | None = None,
                requires_grad: bool = False, prefix: str = "tensor(",
                to_host: Callable = np.asarray, tangent: str | None = None) -> str:
    """Full ``str(tensor)`` text: prefix, body and suffixes in torch's order (a dual
    tensor's tangent last)."""
    indent = len(prefix)
    shape = tuple(int(n) for n in values.shape)
    suffixes = []
    if device is not None:
        suffixes.append(f"device='{device}'")
    if device == "meta":                # no values: PyTorch prints the size in their place
        body = "..."
        suffixes.append(f"size={shape}")
        if dtype_name != default_dtype_name:
            suffixes.append(f"dtype={dtype_name}")
    elif int(values.size) == 0:
        body = "[]"
        if len(shape) != 1:
            suffixes.append(f"size={shape}")
        if dtype_name != default_dtype_name:  # nothing to infer the dtype from
            suffixes.append(f"dtype={dtype_name}")
    else:
        if not OPTIONS.edgeitems:
            suffixes.append(f"size={shape}")
        if _shows_dtype(dtype_name, default_dtype_name):
            suffixes.append(f"dtype={dtype_name}")
        body = _body_str(values, indent, to_host)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    if tangent is not None:
        suffixes.append(f"tangent={tangent}")
    return _add_suffixes(prefix + body, suffixes, indent)
