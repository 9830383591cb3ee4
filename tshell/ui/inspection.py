"""What `x?` and `x??` show (the REPL, and the kernel's inspect_request), and the one way the
front ends write a shape: `(3,)`, `(2, 3)`, `()` - a Python tuple, as %whos, x?, show() and
graph() all print it.
"""

from __future__ import annotations

PREVIEW_LINES = 6            # lines of a value's text that x? shows before '...'
LABEL_WIDTH = 15


def shape_text(shape) -> str:
    """A shape as a tuple: (3,), (2, 3), ()."""
    dims = [str(int(n)) for n in shape]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def memory_text(nbytes: int) -> str:
    """Bytes as people read them: 48 bytes, 3.8 KiB, 12.0 MiB."""
    if nbytes < 1024:
        return f"{nbytes} bytes"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        nbytes /= 1024
        if nbytes < 1024 or unit == "TiB":
            return f"{nbytes:.1f} {unit}"
    return f"{nbytes} bytes"


def preview(text: str, lines: int = PREVIEW_LINES) -> str:
    """The first lines of a value's text, cut with '...' (never the whole of a big tensor)."""
    rows = text.split("\n")
    return "\n".join(rows[:lines] + (["..."] if len(rows) > lines else []))


def _fields(rows) -> str:
    out = []
    for label, value in rows:
        first, *rest = str(value).split("\n")
        out.append(f"{label + ':':<{LABEL_WIDTH}} {first}")
        out += [" " * (LABEL_WIDTH + 1) + line for line in rest]
    return "\n".join(out)


def is_tensor(value) -> bool:
    return type(value).__name__ == "Tensor" and hasattr(value, "grad_fn")


def tensor_rows(x) -> list:
    grad_fn = x.grad_fn
    return [("Type", "Tensor"), ("Shape", shape_text(x.shape)), ("Dtype", str(x.dtype)),
            ("Device", str(x.device)), ("requires_grad", str(x.requires_grad)),
            ("grad_fn", f"<{grad_fn.name()}>" if grad_fn is not None else "None"),
            ("Memory", memory_text(x.numel() * x.element_size())),
            ("Value", preview(repr(x)))]


def is_function_like(value) -> bool:
    """A function, method, class or module of names: what help() describes by signature.
    A callable instance (an nn.Module, a loss) is a value: its type and text are shown."""
    import inspect
    kind = type(value).__name__
    return (inspect.isroutine(value) or isinstance(value, type) or kind == "Namespace"
            or "function" in kind or "method" in kind)


def is_module(value) -> bool:
    from tshell.core.nn.modules.module import Module
    return isinstance(value, Module)


def class_rows(cls) -> list:
    """A class defined in tsh: how it is called, its bases and the methods it defines."""
    own = vars(cls)
    init, _ = tsh_function(own.get("__init__"))
    call = signature_text(init, bound=True).partition("(")[2] if init is not None else ")"
    methods = sorted(n for n, v in own.items()
                     if type(v).__name__ == "TshFunction" and not n.startswith("__"))
    rows = [("Signature", f"{cls.__name__}({call}"), ("Type", "class"),
            ("Bases", ", ".join(b.__name__ for b in cls.__bases__))]
    if methods:
        rows.append(("Methods", ", ".join(methods)))
    return rows


def summary(value, name: str) -> str:
    """What NAME? shows: type and metadata, a preview of the value, the signature and doc."""
    from tshell.lang.runtime import describe    # the language's help text for callables
    kind = type(value).__name__
    if is_tensor(value):
        return _fields(tensor_rows(value))
    function, bound = tsh_function(value)
    if function is not None:
        return _fields(function_rows(function, bound))
    if isinstance(value, type) and value.__module__ == "__main__":
        return _fields(class_rows(value))
    if is_function_like(value):
        return describe(value)
    rows = [("Type", kind)]
    if is_module(value):
        count = sum(p.numel() for p in value.parameters())
        rows.append(("Parameters", f"{count:,}"))
    if hasattr(value, "__len__"):
        try:
            rows.append(("Length", str(len(value))))
        except TypeError:
            pass
    rows.append(("Value", preview(repr(value))))
    return _fields(rows)


def tsh_function(value) -> tuple:
    """(the function defined in tsh that value is, or whose bound method it is, or None;
    whether it is bound)."""
    import types
    if type(value).__name__ == "TshFunction":
        return value, False
    if isinstance(value, types.MethodType) and type(value.__func__).__name__ == "TshFunction":
        return value.__func__, True
    return None, False


def signature_text(function, bound: bool) -> str:
    """name(a, b=3, *args, key=None, **kw) of a function defined in tsh (a bound method
    without its self), as inspect.signature writes a Python function's."""
    from tshell.lang.functions import MISSING
    extra = function.extra
    params = [name if default is MISSING else f"{name}={default!r}"
              for name, default in zip(function.names, function.defaults)]
    if extra is not None:
        if extra.posonly:
            params.insert(extra.posonly, "/")
        if extra.vararg is not None or extra.kwonly:
            params.append(f"*{extra.vararg or ''}")
        params += [f"{name}={extra.kwdefaults[name]!r}" if name in extra.kwdefaults else name
                   for name in extra.kwonly]
        if extra.kwarg is not None:
            params.append(f"**{extra.kwarg}")
    return f"{function.name}({', '.join(params[1 if bound else 0:])})"


def function_rows(function, bound: bool) -> list:
    import inspect
    rows = [("Signature", signature_text(function, bound)),
            ("Type", "method" if bound else "function")]
    if function.doc:
        rows.append(("Docstring", inspect.cleandoc(function.doc)))
    if function.where is not None:
        unit, span = function.where
        rows.append(("Defined in", f"{unit.filename}:{span.line}"))
    return rows


def source(value, name: str) -> str:
    """What NAME?? shows: the source of a function defined in tsh, else NAME?'s summary."""
    function, _ = tsh_function(value)
    where = function.where if function is not None else None
    if where is None:
        return summary(value, name) + ("\n(source is shown for functions defined in tsh)"
                                       if callable(value) else "")
    unit, span = where
    return f"# {unit.filename}:{span.line}\n" + "\n".join(block_at(unit.lines, span.line))


def block_at(lines: list, line: int) -> list:
    """The lines of the block whose header is at `line` (1-based): the header and every
    following line indented deeper than it (blank lines inside included)."""
    header = lines[line - 1]
    depth = len(header) - len(header.lstrip())
    out = [header]
    for text in lines[line:]:
        if text.strip() and len(text) - len(text.lstrip()) <= depth:
            break
        out.append(text)
    while out and not out[-1].strip():
        out.pop()
    return out
