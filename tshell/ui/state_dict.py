"""Looking inside checkpoints: show(state_dict), %whos's one line for it, tshell --inspect.

A dict of tensors (nested dicts flattened to dotted keys, as a module's state_dict names its
parameters) becomes a table of key, shape, dtype, number of elements and bytes, with the
total parameter count and size.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from tshell.core import safetensors, serialization

from .console import make_console

MAX_ROWS = 500          # rows shown; the totals count every tensor
MAX_VALUE = 16          # characters of a non-tensor value's repr in the shape column


@dataclass
class Row:
    """One line of the table: a tensor's metadata, or a non-tensor value's repr."""
    key: str
    shape: str
    dtype: str
    numel: int | None = None
    nbytes: int | None = None
    identity: int | None = None       # the tensor object (a tensor under two keys counts once)


def is_tensor(value) -> bool:
    return hasattr(value, "grad_fn") and hasattr(value, "element_size")


def flatten(value, prefix=""):
    """[(dotted key, leaf)] of nested dicts, and of lists/tuples that hold dicts or tensors
    (their items keyed by index); other values are leaves."""
    out, stack = [], [(prefix, value)]
    while stack:
        key, v = stack.pop()
        if isinstance(v, dict):
            children = [(str(k), item) for k, item in v.items()]
        elif isinstance(v, (list, tuple)) and not _is_size(v) and any(
                isinstance(item, (dict, list, tuple)) or is_tensor(item) for item in v):
            children = [(str(i), item) for i, item in enumerate(v)]
        else:
            out.append((key, v))
            continue
        stack.extend((f"{key}.{k}" if key else k, item) for k, item in reversed(children))
    return out


def _is_size(v) -> bool:
    return type(v).__name__ == "Size"


def rows_of(value) -> list:
    """The table's rows for a loaded value (a tensor alone is one row)."""
    if is_tensor(value):
        return [tensor_row("", value)]
    return [tensor_row(k, v) if is_tensor(v) else _value_row(k, v) for k, v in flatten(value)]


def tensor_row(key, t) -> Row:
    numel = t.numel()
    return Row(key, "(" + ", ".join(str(n) for n in t.shape) + ")", str(t.dtype).split(".")[-1],
               numel, numel * t.element_size(), id(t))


def _value_row(key, v) -> Row:
    text = repr(v)
    if len(text) > MAX_VALUE:
        text = text[:MAX_VALUE - 1] + "…"
    return Row(key, text, type(v).__name__)


def totals(rows) -> tuple:
    """(tensors, elements, bytes), each tensor counted once however many keys name it."""
    seen, count, numel, nbytes = set(), 0, 0, 0
    for r in rows:
        if r.numel is None or r.identity in seen:
            continue
        seen.add(r.identity)
        count, numel, nbytes = count + 1, numel + r.numel, nbytes + r.nbytes
    return count, numel, nbytes


def has_tensors(value) -> bool:
    """Whether value is a dict with a tensor somewhere inside (a state_dict, a checkpoint)."""
    return isinstance(value, dict) and any(is_tensor(v) for _, v in flatten(value))


def human_bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} B" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def whos_cells(value) -> tuple:
    """(shape, dtype, device, bytes) cells of %whos for a dict of tensors: its totals."""
    rows = rows_of(value)
    tensors = [v for _, v in flatten(value) if is_tensor(v)]
    dtypes = {str(t.dtype) for t in tensors}
    devices = {str(t.device) for t in tensors}
    count, numel, nbytes = totals(rows)
    return (f"{count} tensors, {numel:,} params", dtypes.pop() if len(dtypes) == 1 else "mixed",
            devices.pop() if len(devices) == 1 else "mixed", str(nbytes))


def summary(rows) -> str:
    """'12 tensors, 1,234,567 parameters, 4.7 MiB'."""
    count, numel, nbytes = totals(rows)
    return (f"{count} tensor{'s' if count != 1 else ''}, {numel:,} parameter"
            f"{'s' if numel != 1 else ''}, {human_bytes(nbytes)}")


def table(rows, title=None, note=None):
    """The rich Table of rows, with the totals as its caption."""
    from rich.table import Table
    t = Table(title=title, caption=summary(rows) + (f"; {note}" if note else ""),
              header_style="bold", title_justify="left", caption_justify="left")
    t.add_column("key", overflow="fold")
    t.add_column("shape", overflow="ellipsis", max_width=MAX_VALUE)
    t.add_column("dtype", no_wrap=True)
    t.add_column("numel", justify="right", no_wrap=True)
    t.add_column("bytes", justify="right", no_wrap=True)
    for r in rows[:MAX_ROWS]:
        t.add_row(r.key, r.shape, r.dtype, "" if r.numel is None else f"{r.numel:,}",
                  "" if r.nbytes is None else f"{r.nbytes:,}")
    if len(rows) > MAX_ROWS:
        t.add_row(f"… {len(rows) - MAX_ROWS} more", "", "", "", "")
    return t


def show(value, stream=None, title=None) -> None:
    """show(d) for a dict of tensors: the table and its totals."""
    make_console(stream).print(table(rows_of(value), title))


def inspect_file(path, stream=None) -> None:
    """tshell --inspect FILE: the table of any file load() reads, without reading tensor
    data where the format allows (safetensors' header; PyTorch's zip format mapped)."""
    kind = serialization.suffix(path)
    note = None
    if kind == serialization.SAFETENSORS:
        rows, metadata = _safetensors_rows(path)
        note = f"metadata {metadata}" if metadata else None
    else:
        value = serialization.load(path, mmap=True) if not kind and _is_zip(path) else \
            serialization.load(path)
        rows = rows_of(value)
    make_console(stream).print(table(rows, title=os.path.basename(path), note=note))


def _safetensors_rows(path):
    with safetensors.safe_open(path, "pt") as f:
        rows = []
        for name in f.offset_keys():
            part = f.get_slice(name)
            shape = part.get_shape()
            dtype = safetensors.CODES[part.get_dtype()]
            numel = 1
            for n in shape:
                numel *= n
            rows.append(Row(name, "(" + ", ".join(map(str, shape)) + ")", dtype.name, numel,
                            numel * dtype.itemsize, len(rows)))
        return rows, f.metadata()


def _is_zip(path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"
