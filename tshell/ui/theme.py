"""Colour themes: `dark` (light text for a dark background), `light`, and `none`.

Chosen in this order: NO_COLOR (always none), --theme, the config file's `theme =` line,
the COLORFGBG variable that many terminals set, the terminal's answer to the OSC 11
background-colour query, else dark. The config file is $TSHELL_CONFIG, else
$XDG_CONFIG_HOME/tshell/config (~/.config/tshell/config):

    [repl]
    theme = light        # dark | light | none | auto
"""

from __future__ import annotations

import configparser
import os
import re
import select
import time

THEMES = ("dark", "light", "none")
OSC11_TIMEOUT = 0.15          # seconds to wait for a terminal that may not answer

# Echoed values (rich styles, see highlight.py): each theme keeps every token readable.
ECHO_STYLES = {
    "dark": {"fn": "bold cyan", "key": "magenta", "node": "green", "str": "yellow",
             "const": "italic bright_blue", "num": "bright_white", "dtype": "cyan"},
    "light": {"fn": "bold blue", "key": "magenta", "node": "dark_green", "str": "dark_orange3",
              "const": "italic blue", "num": "black", "dtype": "dark_cyan"},
}
# Typed input: a Pygments style per theme.
INPUT_STYLES = {"dark": "monokai", "light": "default"}


def config_path(env=os.environ) -> str:
    if env.get("TSHELL_CONFIG"):
        return env["TSHELL_CONFIG"]
    base = env.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "tshell", "config")


def configured_theme(env=os.environ) -> str | None:
    """The config file's theme (None when unset, 'auto', or the file is missing)."""
    parser = configparser.ConfigParser(inline_comment_prefixes=("#", ";"))
    try:
        parser.read(config_path(env), encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return None
    value = parser.get("repl", "theme", fallback="").strip().lower()
    return value if value in THEMES else None


def from_colorfgbg(value: str | None) -> str | None:
    """'15;0' (light text on black) -> dark; '0;15' -> light. The last field is the
    background's colour number: 0-6 and 8 are dark, the others light (as Vim reads it)."""
    if not value:
        return None
    last = value.split(";")[-1]
    if not last.isdigit():
        return None
    return "dark" if int(last) in (0, 1, 2, 3, 4, 5, 6, 8) else "light"


OSC11_ANSWER = re.compile(rb"\x1b\]11;rgb:([0-9a-fA-F]+)/([0-9a-fA-F]+)/([0-9a-fA-F]+)")


def from_osc11(answer: bytes) -> str | None:
    """dark or light from a terminal's `ESC ] 11 ; rgb:RRRR/GGGG/BBBB` answer."""
    m = OSC11_ANSWER.search(answer)
    if m is None:
        return None
    r, g, b = (int(part, 16) / (16 ** len(part) - 1) for part in m.groups())
    return "light" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "dark"


def query_background(fd: int, timeout: float = OSC11_TIMEOUT) -> str | None:
    """Ask the terminal on fd for its background colour (OSC 11). A Device Attributes query
    goes right after it: every terminal answers that one, so a terminal that ignores OSC 11
    costs no wait, and one that answers neither costs at most `timeout`."""
    try:
        import termios          # POSIX only, and only when asking: not on the start-up path
        import tty
        old = termios.tcgetattr(fd)
    except (ImportError, OSError, ValueError):
        return None
    answer = b""
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        os.write(fd, b"\x1b]11;?\x1b\\\x1b[c")
        deadline = time.monotonic() + timeout
        while not re.search(rb"\x1b\[\?[\d;]*c", answer):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            answer += os.read(fd, 1024)
    except OSError:
        return None
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, old)
    return from_osc11(answer)


def choose_theme(option: str | None = None, env=os.environ, terminal_fd: int | None = None):
    """The theme to use (see the module's docstring for the order)."""
    if env.get("NO_COLOR"):
        return "none"
    if option in THEMES:
        return option
    chosen = configured_theme(env) or from_colorfgbg(env.get("COLORFGBG"))
    if chosen is None and terminal_fd is not None:
        chosen = query_background(terminal_fd)
    return chosen or "dark"
