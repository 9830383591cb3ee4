"""The REPL loop and its exception policy: nothing a user types ends the session but Ctrl-D."""

from __future__ import annotations

import sys
import threading

from tshell.cli import system_exit_status

from .console import is_terminal
from .session import make_session
from .shell import Shell

BANNER = "tshell {version} — PyTorch-style tensors. %help for help, Ctrl-D to exit."
EXIT_WORDS = {"exit", "quit", "exit()", "quit()"}


class Echo:
    """Writes the value of an expression statement: the shell's echo text, coloured in the
    theme's colours on a terminal."""

    def __init__(self, shell, stream, theme: str):
        self.shell, self.stream = shell, stream
        self.theme = theme if is_terminal(stream) else "none"
        self.console = None

    def __call__(self, value) -> None:
        text = self.shell.echo_text(value)
        if self.theme == "none":
            self.stream.write(text + "\n")
            return
        if self.console is None:           # rich is imported on the first coloured echo
            from .console import make_console
            self.console = make_console(self.stream, color=True)
        from .highlight import highlighted
        self.console.print(highlighted(text, self.theme), soft_wrap=True)


class BackgroundInterpreter:
    """Stands for the interpreter while a thread builds it: the first prompt does not wait
    for tshell.core (NumPy and the op tables, most of the start-up time); the first input
    that needs the interpreter does, if it comes that soon."""

    def __init__(self, make):
        state = {"make": make, "done": threading.Event(), "value": None, "error": None}
        object.__setattr__(self, "_state", state)

    def start(self) -> None:
        threading.Thread(target=self._build, daemon=True, name="interpreter").start()

    def _build(self) -> None:
        state = self._state
        try:
            state["value"] = state["make"]()
        except BaseException as e:  # raised again where it is first used
            state["error"] = e
        finally:
            state["done"].set()

    def resolve(self):
        state = self._state
        state["done"].wait()
        if state["error"] is not None:
            raise state["error"]
        return state["value"]

    def __getattr__(self, name):
        return getattr(self.resolve(), name)

    def __setattr__(self, name, value):
        setattr(self.resolve(), name, value)


class Repl:
    """One interactive session over an Interpreter (or a BackgroundInterpreter, started
    once the first prompt is on the screen)."""

    def __init__(self, interp, theme="dark", debug=False, input=None, output=None,
                 stdout=None, stderr=None, history=None):
        self.interp, self.debug, self.theme = interp, debug, theme
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self.shell = Shell(interp, self.out)
        self.session = make_session(interp, theme, input=input, output=output,
                                    history=history, warn=self._error)
        if isinstance(interp, BackgroundInterpreter):
            self.session.app.after_render += self._start_loading

    def attach(self, interp) -> None:
        """Make interp this REPL's: its echo, and the built-ins that say what they did."""
        from .builtins import install
        install(interp, interactive=True)
        interp.echo_callback = Echo(self.shell, self.out, self.theme)

    def _start_loading(self, app) -> None:
        app.after_render -= self._start_loading
        self.interp.start()

    # ------------------------------------------------------------------ loop
    def loop(self) -> int:
        """Read, run, repeat; returns the exit status (0 after Ctrl-D)."""
        while True:
            default, self.shell.next_input = self.shell.next_input or "", None
            try:
                text = self.session.prompt(default=default)
            except KeyboardInterrupt:
                continue                   # Ctrl-C cancels the line being typed
            except EOFError:
                return 0
            if text.strip() in EXIT_WORDS and text.strip() not in self.interp.namespace:
                return 0
            status = self.execute(text)
            if status is not None:
                return status

    def execute(self, text: str) -> int | None:
        """Run one input; every failure is reported and the session goes on, except an
        uncaught SystemExit (`raise SystemExit(3)`, `exit(3)`): as in Python's REPL, the
        session ends with its status (returned)."""
        from tshell.lang import TshError, format_error
        from .magics import MagicError
        try:
            self.shell.run(text)
        except KeyboardInterrupt:
            self._error("KeyboardInterrupt")
        except TshError as e:
            if isinstance(getattr(e, "original", None), SystemExit):
                self.out.flush()
                return system_exit_status(e.original, self.err)
            self._error(e.format(debug=self.debug))
        except MagicError as e:
            self._error(f"error: {e}")
        except Exception as e:  # a tshell bug is reported, never fatal here
            self._error(format_error(e, text, self.shell.filename, debug=self.debug))
        finally:
            self.out.flush()

    def _error(self, message: str) -> None:
        self.out.flush()
        if self.theme != "none" and is_terminal(self.err):
            head, _, rest = message.partition("\n")
            message = f"\x1b[1;31m{head}\x1b[0m" + ("\n" + rest if rest else "")
        self.err.write(message.rstrip("\n") + "\n")
        self.err.flush()


def terminal_theme(option=None) -> str:
    """The theme for a REPL on this process's terminal (theme.choose_theme; the terminal
    is asked for its background only when nothing else decided)."""
    from .theme import choose_theme
    fd = sys.stdin.fileno() if sys.stdin.isatty() and sys.stdout.isatty() else None
    return choose_theme(option, terminal_fd=fd)


def run_repl(interp, color: bool = True, debug: bool = False, input=None, output=None,
             stdout=None, stderr=None, history=None, banner: bool = True,
             theme: str | None = None) -> int:
    """Run the interactive REPL on interp, an Interpreter or a function that makes one
    (called in the background once the first prompt shows); returns the exit status.
    theme: dark, light or none (None: from NO_COLOR, the config file and the terminal)."""
    from .console import set_color
    if not color:
        theme = "none"
    elif theme is None:
        theme = terminal_theme()
    set_color(theme != "none")             # --no-color / NO_COLOR reach every renderer
    if callable(interp):
        make = interp

        def build():
            made = make()
            repl.attach(made)
            return made
        interp = BackgroundInterpreter(build)
    else:
        stdout = stdout or interp.stdout
    repl = Repl(interp, theme, debug, input, output, stdout, stderr, history)
    if not isinstance(interp, BackgroundInterpreter):
        repl.attach(interp)
    if banner:
        from tshell import __version__
        repl.out.write(BANNER.format(version=__version__) + "\n")
        repl.out.flush()
    return repl.loop()
