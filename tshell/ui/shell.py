"""What every interactive front end shares (the REPL, the Jupyter kernel): one interpreter,
the inputs run so far, the dispatch of an input to a magic, NAME? help or code, the rule for
when an input is complete, and the text a value echoes as.
"""

from __future__ import annotations

import re

from . import magics
from .magics import MagicError

MAX_ECHO_CHARS = 20_000       # a value's text beyond this is cut: never flood the output
INDENT = "    "
DEDENT_AFTER = ("return", "pass", "break", "continue", "raise")
INPUT_NAME = "<input-{n}>"    # the REPL's name for its Nth input in errors (Python 3.13's
                              # <python-input-N>, numbered as %history numbers them)


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
    from tshell.lang import is_incomplete   # the language loads after the first prompt
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


HELP_LINE = re.compile(r"[A-Za-z_][\w.]*\?\??")


def split_input(text: str) -> list:
    """(kind, first line number, text) for each part of an input: 'magic' for a `%name`
    line, 'help' for a `NAME?` line (both at the start of a line), 'code' for the lines
    between them."""
    parts, code, code_start = [], [], 1
    for number, line in enumerate(text.split("\n"), 1):
        kind = ("magic" if line.startswith("%") else
                "help" if HELP_LINE.fullmatch(line.rstrip()) else None)
        if kind is None:
            if not code:
                code_start = number
            code.append(line)
            continue
        if any(c.strip() for c in code):
            parts.append(("code", code_start, "\n".join(code)))
        code = []
        parts.append((kind, number, line))
    if any(c.strip() for c in code):
        parts.append(("code", code_start, "\n".join(code)))
    return parts


# A last statement of these kinds echoes nothing (a def's body does not run).
QUIET_LAST = ("FunctionDef", "ClassDef")


def echo_start(source: str, filename: str = "<input>", expression_only: bool = False) -> int:
    """Where the part of source whose expressions echo starts: its last top-level statement,
    as Python 3.13's REPL and IPython echo; 0 (all of it, as Python's classic REPL) when
    that statement does not start its line (`a = 1; a`); len(source) when nothing echoes:
    a def or class last, or, with expression_only (a notebook's rule), a last statement
    that is not an expression or does not start its line. Raises the TshSyntaxError."""
    if not expression_only and "\n" not in source.strip("\n"):
        return 0                           # one line typed: no need to parse it twice
    from tshell.lang import parse          # the language loads after the first prompt
    body = parse(source + "\n", filename).body
    if not body or type(body[-1]).__name__ in QUIET_LAST:
        return len(source)
    last = body[-1]
    if expression_only and (type(last).__name__ != "ExprStmt" or not starts_its_line(body)):
        return len(source)
    if not starts_its_line(body):
        return 0
    lines = source.split("\n")
    first = header_line(lines, last.span.line)
    return sum(len(text) + 1 for text in lines[:first - 1])


CLAUSE_WORDS = ("else", "elif", "except", "finally")


def header_line(lines: list, line: int) -> int:
    """The first line of the top-level statement that has a line at `line` (1-based): a
    span can point into the statement (a try's at its except clause), so go up over its
    clauses and bodies to the unindented line that opens it."""
    while line > 1:
        text = lines[line - 1]
        words = text.split(":")[0].split()
        opens = text.strip() and not text[0].isspace() and not text.startswith("#")
        if opens and (words[0] if words else "") not in CLAUSE_WORDS:
            break
        line -= 1
    return line


def starts_its_line(body) -> bool:
    """Whether the last statement of body starts its line (not after `a = 1;`). A span
    starts where its first name is (`(w * 2).sum()` at `w`, a `for` at its target), so
    the statement before is asked where it ends instead."""
    return len(body) == 1 or body[-2].span.end_line < body[-1].span.line


class Shell:
    """One interactive session over an Interpreter; out is where magics write (a front end
    may point it elsewhere for each input)."""

    def __init__(self, interp, out):
        self.interp = interp
        self.out = out
        self.inputs: dict = {}            # number -> every input run, for %history
        self.precision = None             # %precision: digits of echoed floats
        self.next_input = None            # %load: code for the front end's next input
        self.filename = INPUT_NAME.format(n=0)   # what errors call the input running now

    def echo_text(self, value) -> str:
        return echo_text(value, self.precision)

    def run(self, text: str, filename: str | None = None, number: int | None = None,
            store: bool = True) -> None:
        """Run one input: a cell magic (%%name on its first line), or lines of code with
        `%magic` and `NAME?` lines among them, each run in turn. Code echoes the values of
        its last statement's expressions, as Python 3.13's REPL and IPython do (only an
        expression statement's with echo_last_only, as a notebook shows them). The input
        is number `number` of %history (the next one by default; store=False: not kept);
        errors name it `filename`, by default `<input-N>`, N that number.
        Errors propagate: TshError, MagicError, KeyboardInterrupt."""
        stripped = text.strip()
        if not stripped:
            return
        if number is None:
            number = max(self.inputs, default=0) + 1
        if store:
            self.inputs[number] = text.strip("\n")
        self.filename = filename or INPUT_NAME.format(n=number)
        if is_cell_magic(stripped):
            head, _, body = stripped.partition("\n")
            name, _, arg = head[2:].partition(" ")
            entry = magics.CELL_MAGICS.get(name)
            if entry is None:
                raise MagicError(f"unknown cell magic %%{name} (see %help)")
            entry[0](self, arg, body)
            return
        parts = split_input(text)
        for number, (kind, first_line, chunk) in enumerate(parts, 1):
            if kind == "magic":
                name, _, arg = chunk.strip()[1:].partition(" ")
                entry = magics.LINE_MAGICS.get(name)
                if entry is None:
                    raise MagicError(f"unknown magic %{name} (see %help)")
                entry[0](self, arg)
            elif kind == "help":
                line = chunk.strip()
                self.out.write(self.inspect(line.rstrip("?"), line.endswith("??")) + "\n")
            else:     # only the input's last part echoes, as its last statement does
                self.run_code("\n" * (first_line - 1) + chunk, echo=number == len(parts))

    echo_last_only = False

    def run_code(self, source: str, echo: bool = True) -> None:
        """Run tsh code, echoing its last statement's values if echo; its line numbers are
        the input's (source starts with blank lines when it is a later part of it)."""
        from tshell.lang import TshSyntaxError
        interp, name = self.interp, self.filename
        start = echo_start(source, name, self.echo_last_only) if echo else len(source)
        head = source[:start]
        tail = "\n" * head.count("\n") + source[start:]     # keeps its line numbers
        try:
            code = interp.compile(head + "\n", name, echo=False) if head.strip() else None
            last = interp.compile(tail + "\n", name, echo=True) if tail.strip() else None
        except TshSyntaxError:          # cut at the wrong line: run it whole
            code = interp.compile(source + "\n", name, echo=not self.echo_last_only)
            last = None
        for part in (code, last):
            if part is not None:
                interp.run_compiled(part)

    def inspect(self, expr: str, detail: bool = False) -> str:
        """NAME? (detail: NAME??) text for an expression."""
        from . import inspection
        value = magics.evaluate(self.interp, expr)
        return (inspection.source if detail else inspection.summary)(value, expr.strip())
