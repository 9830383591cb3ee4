"""Key bindings: Enter runs a complete input wherever the cursor is (IPython's rule) and
accepts a Ctrl-R search, clause keywords dedent as typed, Backspace removes one indentation
unit, Tab indents, a pasted block runs as pasted.
"""

from __future__ import annotations

import re
import textwrap

from prompt_toolkit import search
from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition, has_selection, is_searching
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.key_binding.bindings.completion import generate_completions
from prompt_toolkit.keys import Keys

from .shell import INDENT, next_indent, wants_more

# A clause keyword, and the block headers it can continue (Python's compound statements).
CLAUSES = {"else": ("if", "elif", "for", "while", "try", "except"),
           "elif": ("if", "elif"),
           "except": ("try", "except"),
           "finally": ("try", "except", "else")}
FIRST_WORD = re.compile(r"\s*([A-Za-z_]\w*)")


def _first_word(line: str) -> str:
    m = FIRST_WORD.match(line)
    return m.group(1) if m else ""


def _width(line: str) -> int:
    return len(line) - len(line.lstrip())


def clause_indent(above: list, line: str) -> str | None:
    """The indentation an `else/elif/except/finally` line belongs at - that of the nearest
    header above it that the clause can continue - or None when it is already there (or
    there is no such header). It only ever dedents."""
    openers = CLAUSES.get(_first_word(line))
    if openers is None:
        return None
    width = limit = _width(line)
    for prev in reversed(above):
        if not prev.strip() or prev.lstrip().startswith("#"):
            continue
        w = _width(prev)
        if w > limit:
            continue                      # inside a deeper body
        if _first_word(prev) in openers:
            return prev[:w] if w < width else None
        limit = w - 1                     # a statement at this level closes it for clauses
    return None


def dedent_clause(buf) -> None:
    """Move the cursor line's clause keyword to its header's indentation, keeping the cursor
    on the same character."""
    doc = buf.document
    lines = doc.lines
    row = doc.cursor_position_row
    target = clause_indent(lines[:row], lines[row])
    if target is None:
        return
    line = lines[row]
    cut = _width(line) - len(target)
    start = doc.translate_row_col_to_index(row, 0)
    col = doc.cursor_position_col
    buf.text = doc.text[:start] + target + line.lstrip() + doc.text[start + len(line):]
    buf.cursor_position = start + max(col - cut, len(target))


def _on_last_line(doc) -> bool:
    """The cursor is on the last line that has text (or below it)."""
    lines = doc.lines
    last = max((i for i, line in enumerate(lines) if line.strip()), default=0)
    return doc.cursor_position_row >= last


def submit_text(text: str) -> str:
    """What actually runs: trailing blank lines removed."""
    return text.rstrip()


def enter(buf) -> None:
    """Run the input if it is complete, wherever the cursor is; otherwise continue it on a
    new line (at the cursor while editing an earlier line of a block, at the end if not)."""
    dedent_clause(buf)
    doc = buf.document
    if not _on_last_line(doc):
        buf.insert_text("\n" + next_indent(doc.current_line_before_cursor))
        return
    if not wants_more(buf.text):
        buf.text = submit_text(buf.text)
        buf.validate_and_handle()
        return
    if doc.text_after_cursor.strip():
        buf.cursor_position = len(buf.text.rstrip())   # continue after the last character
        doc = buf.document
    buf.insert_text("\n" + next_indent(doc.current_line_before_cursor))


def load_repl_bindings() -> KeyBindings:
    """The REPL's own bindings, layered over prompt_toolkit's emacs defaults."""
    kb = KeyBindings()

    @kb.add("enter", filter=is_searching)
    def _accept_search(event):
        # readline and IPython: Enter takes the line found and runs it
        search.accept_search()
        enter(event.app.current_buffer)

    # Enter typed ahead while code runs reaches the prompt as Ctrl-J: the terminal, out of
    # raw mode meanwhile, turned its CR into LF (ICRNL)
    @kb.add("enter", filter=~has_selection & ~is_searching)
    @kb.add("c-j", filter=~has_selection & ~is_searching)
    def _enter(event):
        buf = event.current_buffer
        state = buf.complete_state
        if state is not None:
            if state.current_completion is not None:
                buf.apply_completion(state.current_completion)
                return
            buf.cancel_completion()
        enter(buf)

    @kb.add("escape", "enter", filter=~is_searching)
    def _newline(event):
        """Alt-Enter: a new line at the cursor, whatever the input."""
        buf = event.current_buffer
        buf.insert_text("\n" + next_indent(buf.document.current_line_before_cursor))

    @kb.add(":", filter=~is_searching)
    @kb.add(" ", filter=~is_searching)
    def _clause(event):
        buf = event.current_buffer
        buf.insert_text(event.data)
        if buf.document.current_line_after_cursor.strip() == "":
            dedent_clause(buf)           # `else:`, `elif `, `except `, `finally:` as typed

    @Condition
    def in_leading_whitespace():
        before = get_app().current_buffer.document.current_line_before_cursor
        return bool(before) and not before.strip(" ")

    @kb.add("backspace", filter=~has_selection & ~is_searching & in_leading_whitespace)
    def _unindent(event):
        buf = event.current_buffer
        width = len(buf.document.current_line_before_cursor)
        buf.delete_before_cursor(width % len(INDENT) or len(INDENT))

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
        if not wants_more(code + "\n"):            # complete, and its blocks ended
            buf.text = submit_text(code)
            buf.validate_and_handle()                 # a pasted complete block runs as pasted

    return kb
