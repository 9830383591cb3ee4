"""What every interactive front end shares (the REPL, the Jupyter kernel): one interpreter,
the inputs run so far, the dispatch of an input to a magic, NAME? help or code, the rule for
when an input is complete, and the text a value echoes as.
"""

from __future__ import annotations

from tshell.lang import is_incomplete

from . import magics
from .magics import MagicError

MAX_ECHO_CHARS = 20_000       # a value's text beyond this is cut: never flood the output
INDENT = "    "
DEDENT_AFTER = ("return", "pass", "break", "continue", "raise")


def echo_text(value, precision=None) -> str:
    """The text an expression's value shows as: torch's repr, floats to %precision digits,
    cut past MAX_ECHO_CHARS."""
    if precision is not None and type(value) is float:
        text = f"{value:.{precision}f}"
    else:
        text = repr(value)
    if len(text) > MAX_ECHO_CHARS:
        more = len(text) - MAX_ECHO_CHARS
        text = text[:MAX_ECHO_CHARS] + f"\n... ({more:,} more characters)"
    return text


def is_cell_magic(text: str) -> bool:
    return text.lstrip().startswith("%%")


def is_one_line_request(text: str) -> bool:
    """`%magic ARG` and `NAME?` are complete on their line."""
    stripped = text.strip()
    return "\n" not in stripped and not is_cell_magic(stripped) and (
        stripped.startswith("%") or stripped.endswith("?"))


def wants_more(text: str) -> bool:
    """True when Enter at the end of text should open a new line instead of running it:
    the language says the input is incomplete (tshell.lang.is_incomplete, which knows every
    block the grammar has), a block header waits for its body, or a block or a cell magic
    waits for the empty line that ends it."""
    stripped = text.strip()
    if not stripped or is_one_line_request(stripped):
        return False
    lines = text.split("\n")
    if is_cell_magic(stripped):
        return not (len(lines) > 1 and not lines[-1].strip())
    last = next(line for line in reversed(lines) if line.strip())
    if last.split("#")[0].rstrip().endswith(":") or last.lstrip().startswith("@"):
        return True                # a block header (or decorator) always needs its body
    if len(lines) > 1 and not lines[-1].strip():
        # An empty line ends a block, unless a bracket is still open.
        return is_incomplete(text.rstrip() + "\n\n", interactive=True)
    return is_incomplete(text, interactive=True)


def next_indent(line: str) -> str:
    """Indentation for the line after `line`: deeper after ':', shallower after return."""
    indent = line[:len(line) - len(line.lstrip())]
    body = line.split("#")[0].strip() if not line.strip().startswith("#") else ""
    if body.endswith(":"):
        return indent + INDENT
    if body.split(" ")[0] in DEDENT_AFTER:
        return indent[:-len(INDENT)] if indent.endswith(INDENT) else ""
    return indent


class Shell:
    """One interactive session over an Interpreter; out is where magics write (a front end
    may point it elsewhere for each input)."""

    def __init__(self, interp, out):
        self.interp = interp
        self.out = out
        self.inputs: list = []            # every input run, for %history
        self.precision = None             # %precision: digits of echoed floats
        self.next_input = None            # %load: code for the front end's next input

    def echo_text(self, value) -> str:
        return echo_text(value, self.precision)

    def run(self, text: str) -> None:
        """Run one input: a cell magic, a line magic, NAME? / NAME?? or code (echoing its
        expressions' values). Errors propagate: TshError, MagicError, KeyboardInterrupt."""
        stripped = text.strip()
        if not stripped:
            return
        self.inputs.append(text.strip("\n"))
        if is_cell_magic(stripped):
            head, _, body = stripped.partition("\n")
            name, _, arg = head[2:].partition(" ")
            entry = magics.CELL_MAGICS.get(name)
            if entry is None:
                raise MagicError(f"unknown cell magic %%{name} (see %help)")
            entry[0](self, arg, body)
        elif stripped.startswith("%"):
            if "\n" in stripped:
                raise MagicError("a line magic takes one line; use a cell magic (%%) for more")
            name, _, arg = stripped[1:].partition(" ")
            entry = magics.LINE_MAGICS.get(name)
            if entry is None:
                raise MagicError(f"unknown magic %{name} (see %help)")
            entry[0](self, arg)
        elif stripped.endswith("?") and "\n" not in stripped:
            self.out.write(self.inspect(stripped.rstrip("?"), stripped.endswith("??")) + "\n")
        else:
            self.interp.run_source(text + "\n", "<input>", echo=True)

    def inspect(self, expr: str, detail: bool = False) -> str:
        """NAME? (detail: NAME??) text for an expression."""
        from . import inspection
        value = magics.evaluate(self.interp, expr)
        return (inspection.source if detail else inspection.summary)(value, expr.strip())
