"""The REPL loop and its exception policy: nothing a user types ends the session but Ctrl-D."""

from __future__ import annotations

import sys

from .console import is_terminal
from .session import make_session

BANNER = "tshell {version} — PyTorch-style tensors. %help for help, Ctrl-D to exit."
MAX_ECHO_CHARS = 20_000       # a value's text beyond this is cut: never flood the terminal
EXIT_WORDS = {"exit", "quit", "exit()", "quit()"}


class Echo:
    """Writes the value of an expression statement: torch's text, coloured on a terminal."""

    def __init__(self, stream, color: bool):
        self.stream = stream
        self.color = color and is_terminal(stream)
        self.console = None

    def __call__(self, value) -> None:
        text = repr(value)
        if len(text) > MAX_ECHO_CHARS:
            more = len(text) - MAX_ECHO_CHARS
            text = text[:MAX_ECHO_CHARS] + f"\n... ({more:,} more characters)"
        if not self.color:
            self.stream.write(text + "\n")
            return
        if self.console is None:           # rich is imported on the first coloured echo
            from .console import make_console
            self.console = make_console(self.stream, color=True)
        from .highlight import highlighted
        self.console.print(highlighted(text), soft_wrap=True)


class Repl:
    """One interactive session over an Interpreter."""

    def __init__(self, interp, color=True, debug=False, input=None, output=None,
                 stdout=None, stderr=None, history=None):
        self.interp, self.debug = interp, debug
        self.out = stdout or interp.stdout or sys.stdout
        self.err = stderr or sys.stderr
        self.color = color
        interp.echo_callback = Echo(self.out, color)
        self.session = make_session(interp, color, input=input, output=output, history=history,
                                    warn=self._error)

    # ------------------------------------------------------------------ loop
    def loop(self) -> int:
        """Read, run, repeat; returns the exit status (0 after Ctrl-D)."""
        while True:
            try:
                text = self.session.prompt()
            except KeyboardInterrupt:
                continue                   # Ctrl-C cancels the line being typed
            except EOFError:
                return 0
            if text.strip() in EXIT_WORDS and text.strip() not in self.interp.namespace:
                return 0
            self.execute(text)

    def execute(self, text: str) -> None:
        """Run one input; every failure is reported and the session goes on."""
        from tshell.lang import TshError, format_error
        from .magics import MagicError
        try:
            self._dispatch(text)
        except KeyboardInterrupt:
            self._error("KeyboardInterrupt")
        except TshError as e:
            self._error(e.format(debug=self.debug))
        except MagicError as e:
            self._error(f"error: {e}")
        except Exception as e:  # noqa: BLE001 - a tshell bug is reported, never fatal here
            self._error(format_error(e, text, "<input>", debug=self.debug))
        finally:
            self.out.flush()

    def _dispatch(self, text: str) -> None:
        stripped = text.strip()
        if not stripped:
            return
        if stripped.startswith("%"):
            self.magic(stripped[1:])
        elif stripped.endswith("?") and "\n" not in stripped:
            self.help(stripped.rstrip("?"))
        else:
            self.interp.run_source(text + "\n", "<input>", echo=True)

    def _error(self, message: str) -> None:
        self.out.flush()
        if self.color and is_terminal(self.err):
            head, _, rest = message.partition("\n")
            message = f"\x1b[1;31m{head}\x1b[0m" + ("\n" + rest if rest else "")
        self.err.write(message.rstrip("\n") + "\n")
        self.err.flush()

    # ------------------------------------------------------------------ magics
    def magic(self, line: str) -> None:
        from . import magics
        name, _, arg = line.partition(" ")
        if name == "who":
            names = [r[0] for r in magics.whos_rows(self.interp.user_names())]
            self.out.write(("  ".join(names) if names else "no variables") + "\n")
        elif name == "whos":
            self.whos()
        elif name == "timeit":
            magics.timeit(self.interp, arg, self.out)
        elif name == "time":
            magics.time_once(self.interp, arg, self.out)
        elif name == "graph":
            from .graph import graph
            graph(magics.evaluate(self.interp, arg), names=self.interp.namespace,
                  stream=self.out)
        elif name == "load":
            magics.load(self.interp, arg)
        elif name == "reset":
            magics.reset(self.interp)
        elif name == "help":
            self.out.write(magics.HELP + "\n")
        else:
            raise magics.MagicError(f"unknown magic %{name} (see %help)")

    def whos(self) -> None:
        from rich.table import Table
        from . import magics
        from .console import make_console
        rows = magics.whos_rows(self.interp.user_names())
        if not rows:
            self.out.write("no variables\n")
            return
        table = Table(*magics.WHOS_HEADER, box=None, header_style="bold", pad_edge=False)
        for row in rows:
            table.add_row(*row)
        make_console(self.out, color=self.color and is_terminal(self.out)).print(table)

    def help(self, expr: str) -> None:
        from tshell.lang.runtime import describe
        from .magics import evaluate
        self.out.write(describe(evaluate(self.interp, expr)) + "\n")


def run_repl(interp, color: bool = True, debug: bool = False, input=None, output=None,
             stdout=None, stderr=None, history=None, banner: bool = True) -> int:
    """Run the interactive REPL on interp; returns the exit status."""
    from .builtins import install
    from .console import set_color
    set_color(color)                       # --no-color / NO_COLOR reach every renderer
    if "show" not in interp.builtins:
        install(interp)
    repl = Repl(interp, color, debug, input, output, stdout, stderr, history)
    if banner:
        from tshell import __version__
        repl.out.write(BANNER.format(version=__version__) + "\n")
        repl.out.flush()
    return repl.loop()
