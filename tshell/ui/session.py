"""Assemble the PromptSession: lexer, completer, history, key bindings, bracket matching."""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer
from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor
from prompt_toolkit.lexers import Lexer
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.styles import DynamicStyle

from .history import make_history
from .keybindings import load_repl_bindings
from .theme import INPUT_STYLES

PROMPT, CONTINUATION = ">>> ", "... "


def continuation(width, line_number, is_soft_wrap):
    return CONTINUATION.rjust(width)


class LazyTshLexer(Lexer):
    """tshell's Pygments lexer (tshell.pygments_lexer) and the theme's Pygments style,
    imported when the first character is typed: Pygments is not on the path to the first
    prompt."""

    def __init__(self, theme: str):
        self.theme = theme
        self.lexer = None
        self.style = None

    def lex_document(self, document):
        if self.lexer is None:
            if not document.text:
                return lambda lineno: []
            self._load()
        return self.lexer.lex_document(document)

    def _load(self):
        # Pygments costs tens of milliseconds to import: not before the first prompt
        from prompt_toolkit.lexers import PygmentsLexer
        from prompt_toolkit.styles.pygments import style_from_pygments_cls
        from pygments.styles import get_style_by_name
        from tshell.pygments_lexer import TshLexer
        self.style = style_from_pygments_cls(get_style_by_name(INPUT_STYLES[self.theme]))
        self.lexer = PygmentsLexer(TshLexer)

    def invalidation_hash(self):
        return self.lexer is not None


class LazyCompleter(Completer):
    """tshell's completer (completer.TshCompleter), made on the first Tab: it needs the
    language layer, which is not on the path to the first prompt."""

    def __init__(self, interp):
        self.interp = interp
        self.completer = None

    def get_completions(self, document, complete_event):
        if self.completer is None:
            from .completer import TshCompleter    # the language: after the first prompt
            self.completer = TshCompleter(self.interp)
        return self.completer.get_completions(document, complete_event)


def make_session(interp, theme: str = "dark", input=None, output=None, history=None,
                 warn=None):
    """A PromptSession wired for tsh; warn(message) reports an unusable history file."""
    lexer = LazyTshLexer(theme) if theme != "none" else None
    return PromptSession(
        message=PROMPT,
        prompt_continuation=continuation,
        multiline=True,
        lexer=lexer,
        style=DynamicStyle(lambda: lexer.style) if lexer else None,
        include_default_pygments_style=False,
        completer=LazyCompleter(interp),
        complete_while_typing=False,
        history=history if history is not None else make_history(warn=warn),
        enable_history_search=True,
        search_ignore_case=True,
        key_bindings=load_repl_bindings(),
        input_processors=[HighlightMatchingBracketProcessor()],
        color_depth=None if theme != "none" else ColorDepth.MONOCHROME,
        enable_open_in_editor=False,
        tempfile_suffix=".tsh",
        input=input,
        output=output,
    )
