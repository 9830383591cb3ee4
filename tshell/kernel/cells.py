"""Cells in one persistent tsh session: the REPL's Shell (same compiler, sandbox, magics,
completer and `x?`), with output sent as Jupyter messages through publish(msg_type, content).
"""

from __future__ import annotations

import re
import sys
import time

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from tshell.lang import Interpreter, TshError, TshSyntaxError, format_error, parse
from tshell.ui import builtins
from tshell.ui.completer import TshCompleter
from tshell.ui.console import set_color
from tshell.ui.magics import MagicError
from tshell.ui.shell import Shell, next_indent, wants_more

from . import display

FLUSH_SECONDS = 0.2            # stream output reaches the notebook at least this often
FLUSH_CHARS = 8192
NAME_AT = re.compile(r"[A-Za-z_][\w.]*$")
NAME_FROM = re.compile(r"^\w*")
CELL_NAME = "Cell In[{n}]"     # what errors call a cell: IPython's name, its In [n] number


class OutputStream:
    """A text stream whose writes become `stream` messages (buffered, flushed often)."""

    def __init__(self, name: str, publish):
        self.name, self.publish = name, publish
        self.parts: list = []
        self.size = 0
        self.last = time.monotonic()

    def write(self, text: str) -> int:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= FLUSH_CHARS or time.monotonic() - self.last >= FLUSH_SECONDS:
            self.flush()
        return len(text)

    def flush(self) -> None:
        self.last = time.monotonic()
        if self.parts:
            text, self.parts, self.size = "".join(self.parts), [], 0
            self.publish("stream", {"name": self.name, "text": text})

    def isatty(self) -> bool:
        return False


class CellRunner:
    """Runs cells and answers the kernel's questions about code (complete, inspect...)."""

    def __init__(self, publish, read_line=None):
        """read_line(prompt): a line the notebook's user types (the stdin channel)."""
        self.publish = publish
        self.stdout = OutputStream("stdout", publish)
        self.stderr = OutputStream("stderr", publish)
        self.interp = Interpreter(stdout=self.stdout)
        set_color(False)                       # text/plain parts carry no escape codes
        builtins.install(self.interp, interactive=True)
        display.install(self.interp, self.display)
        if read_line is not None:
            self.interp.builtins["input"] = builtins.make_input(
                self.interp, lambda prompt, out: self._read(read_line, prompt))
        self.shell = Shell(self.interp, self.stdout)
        self.shell.echo_last_only = True       # a notebook shows the last expression's value
        self.interp.echo_callback = self._result
        self.completer = TshCompleter(self.interp)
        self.execution_count = 0
        self.results: list = []

    # ------------------------------------------------------------------ output
    def display(self, data: dict, display_id=None, update=False) -> None:
        self.stdout.flush()
        content = {"data": data, "metadata": {},
                   "transient": {"display_id": display_id} if display_id else {}}
        self.publish("update_display_data" if update else "display_data", content)

    def _read(self, read_line, prompt: str) -> str:
        self.stdout.flush()                    # what the cell printed comes before the box
        self.stderr.flush()
        return read_line(prompt)

    def _result(self, value) -> None:
        self.results.append(value)

    # ------------------------------------------------------------------ execute
    def execute(self, code: str, silent: bool = False, store: bool = True) -> dict:
        if store and not silent:
            self.execution_count += 1
        count = self.execution_count
        if not silent:
            self.publish("execute_input", {"code": code, "execution_count": count})
        self.results = []
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.stdout, self.stderr   # warnings, stray prints
        try:
            self.shell.run(code, CELL_NAME.format(n=count), count, store and not silent)
        except (TshError, MagicError, KeyboardInterrupt) as e:
            if isinstance(getattr(e, "original", None), SystemExit):
                return self._exit(e.original, count)
            return self._error(e, count)
        except Exception as e:  # a tshell bug is reported, the kernel lives on
            return self._error(e, count, format_error(e, code, CELL_NAME.format(n=count)))
        finally:
            sys.stdout, sys.stderr = saved
            self.stdout.flush()
            self.stderr.flush()
        reply = {"status": "ok", "execution_count": count, "payload": [],
                 "user_expressions": {}}
        if self.results and not silent:
            text = self.shell.echo_text(self.results[-1])
            self.publish("execute_result", {"execution_count": count, "metadata": {},
                                            "data": {"text/plain": text}})
        if self.shell.next_input is not None:
            reply["payload"].append({"source": "set_next_input", "replace": True,
                                     "text": self.shell.next_input})
            self.shell.next_input = None
        return reply

    def _exit(self, e: SystemExit, count: int) -> dict:
        """exit(), quit(), `raise SystemExit`: as in IPython, the front end is asked to end
        the session (an ask_exit payload; the kernel goes on until it is shut down); a
        status other than 0 is also an error, SystemExit: CODE."""
        if e.code in (None, 0):
            return {"status": "ok", "execution_count": count, "user_expressions": {},
                    "payload": [{"source": "ask_exit", "keepkernel": False}]}
        content = {"ename": "SystemExit", "evalue": str(e.code),
                   "traceback": [f"error: SystemExit: {e.code}"]}
        self.publish("error", content)
        return {"status": "error", "execution_count": count, **content}

    def _error(self, e: BaseException, count: int, text: str | None = None) -> dict:
        if isinstance(e, KeyboardInterrupt):
            ename, evalue, text = "KeyboardInterrupt", "", "KeyboardInterrupt"
        elif isinstance(e, MagicError):
            ename, evalue, text = "UsageError", str(e), f"error: {e}"
        elif isinstance(e, TshError):
            ename, evalue, text = e.type_name, e.message, e.format()
        else:
            ename, evalue = type(e).__name__, str(e)
        content = {"ename": ename, "evalue": evalue, "traceback": text.split("\n")}
        self.publish("error", content)
        return {"status": "error", "execution_count": count, **content}

    # ------------------------------------------------------------------ questions
    def complete(self, code: str, cursor: int) -> dict:
        found = list(self.completer.get_completions(
            Document(code, cursor), CompleteEvent(completion_requested=True)))
        start = cursor + min((c.start_position for c in found), default=0)
        matches = [code[start:cursor + c.start_position] + c.text for c in found]
        return {"status": "ok", "matches": matches, "cursor_start": start,
                "cursor_end": cursor, "metadata": {"_jupyter_types_experimental": [
                    {"start": start, "end": cursor, "text": m, "type": c.display_meta_text}
                    for m, c in zip(matches, found)]}}

    def inspect(self, code: str, cursor: int, detail: int = 0) -> dict:
        name = name_at(code, cursor)
        try:
            text = self.shell.inspect(name, detail > 0) if name else None
        except Exception:   # not a value: nothing to show
            text = None
        return {"status": "ok", "found": text is not None, "metadata": {},
                "data": {"text/plain": text} if text is not None else {}}

    def history_reply(self, request: dict) -> dict:
        """This session's cells for a history_request: the last n ('tail'), those from
        start to stop ('range') or those matching a glob pattern ('search'); entries are
        (session, execution count, code), session 1 being this kernel's."""
        import fnmatch
        kind, cells = request.get("hist_access_type", "tail"), list(self.shell.inputs.items())
        if kind == "range":
            start, stop = request.get("start") or 1, request.get("stop")
            cells = [c for c in cells if c[0] >= start and (stop is None or c[0] < stop)]
        elif kind == "search":
            pattern = request.get("pattern") or "*"
            cells = [c for c in cells if fnmatch.fnmatchcase(c[1], pattern)]
            if request.get("unique"):
                seen: dict = {}
                for number, code in cells:
                    seen.pop(code, None)
                    seen[code] = number
                cells = [(number, code) for code, number in seen.items()]
        if kind in ("tail", "search") and request.get("n") is not None:
            cells = cells[-request["n"]:] if request["n"] > 0 else []
        if request.get("output"):
            return {"status": "ok", "history": [(1, n, (code, None)) for n, code in cells]}
        return {"status": "ok", "history": [(1, n, code) for n, code in cells]}

    def is_complete(self, code: str) -> dict:
        if wants_more(code):
            last = code.rstrip("\n").split("\n")[-1]
            return {"status": "incomplete", "indent": next_indent(last)}
        if code.lstrip().startswith("%") or code.rstrip().endswith("?"):
            return {"status": "complete"}
        try:
            parse(code + "\n")
        except TshSyntaxError:
            return {"status": "invalid"}
        return {"status": "complete"}


def name_at(code: str, cursor: int) -> str:
    """The dotted name the cursor is in or just after (`x.vi|ew` -> 'x.view')."""
    before = NAME_AT.search(code[:cursor])
    after = NAME_FROM.match(code[cursor:])
    return ((before.group(0) if before else "") + after.group(0)).strip(".")
