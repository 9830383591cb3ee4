"""Key bindings: Enter runs complete input or continues the block, Tab indents, paste runs."""

from __future__ import annotations

import textwrap

from prompt_toolkit.filters import has_selection
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.key_binding.bindings.completion import generate_completions
from prompt_toolkit.keys import Keys

from tshell.lang import is_incomplete

INDENT = "    "
DEDENT_AFTER = ("return", "pass", "break", "continue")


def wants_more(text: str) -> bool:
    """True when Enter at the end of text should open a new line instead of running it."""
    stripped = text.strip()
    if not stripped:
        return False
    if "\n" not in stripped and (stripped.startswith("%") or stripped.endswith("?")):
        return False                                  # magics and NAME? are one line
    lines = text.split("\n")
    last = next(line for line in reversed(lines) if line.strip()).split("#")[0].rstrip()
    if last.endswith(":"):
        return True                # a block header always needs its body (nested ones too)
    if len(lines) > 1 and not lines[-1].strip():
        # An empty line ends a block, unless a bracket is still open.
        return is_incomplete(text.rstrip() + "\n\n", interactive=True)
    return is_incomplete(text, interactive=True)


def next_indent(line: str) -> str:
    """Indentation for the line after `line`: deeper after ':', shallower after return."""
    indent = line[:len(line) - len(line.lstrip())]
    body = line.strip()
    if body.endswith(":") and not body.startswith("#"):
        return indent + INDENT
    if body.split(" ")[0] in DEDENT_AFTER:
        return indent[:-len(INDENT)] if indent.endswith(INDENT) else ""
    return indent


def submit_text(text: str) -> str:
    """What actually runs: trailing blank lines removed."""
    return text.rstrip()


def load_repl_bindings() -> KeyBindings:
    """The REPL's own bindings, layered over prompt_toolkit's emacs defaults."""
    kb = KeyBindings()

    @kb.add("enter", filter=~has_selection)
    def _enter(event):
        buf = event.current_buffer
        state = buf.complete_state
        if state is not None:
            if state.current_completion is not None:
                buf.apply_completion(state.current_completion)
                return
            buf.cancel_completion()
        doc = buf.document
        if not doc.is_cursor_at_the_end and doc.text_after_cursor.strip():
            buf.insert_text("\n" + next_indent(doc.current_line_before_cursor))
            return
        if wants_more(buf.text):
            buf.insert_text("\n" + next_indent(doc.current_line_before_cursor))
            return
        buf.text = submit_text(buf.text)
        buf.validate_and_handle()

    @kb.add("tab", filter=~has_selection)
    def _tab(event):
        buf = event.current_buffer
        before = buf.document.current_line_before_cursor
        if not before.strip():
            buf.insert_text(INDENT)                   # Tab at the start of a line indents
        else:
            generate_completions(event)               # common prefix first, then the menu

    @kb.add(Keys.BracketedPaste)
    def _paste(event):
        data = event.data.replace("\r\n", "\n").replace("\r", "\n")
        buf = event.current_buffer
        if buf.text.strip() or "\n" not in data.strip("\n"):
            buf.insert_text(data.strip("\n") if not buf.text.strip() else data)
            return
        code = textwrap.dedent(data).strip("\n")
        buf.text = code
        buf.cursor_position = len(code)
        if not is_incomplete(code + "\n\n", interactive=True):
            buf.text = submit_text(code)
            buf.validate_and_handle()                 # a pasted complete block runs as pasted

    return kb
