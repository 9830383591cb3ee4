"""Friendly syntax-error messages: what was found, what was expected, look-alike hints.

They read the parse's Layout (layout.py): its open brackets, last tokens and block keyword.
"""

from __future__ import annotations


from .errors import TshSyntaxError

# Characters that look like ASCII punctuation but are not (common with CJK input methods).
LOOKALIKES = {
    "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "【": "[", "】": "]", "「": "[",
    "」": "]", "。": ".", "、": ",", "《": "<", "》": ">", "—": "-", "–": "-", "−": "-",
    "×": "*", "÷": "/", "·": ".", "…": "...", "\u00a0": " ", "\u3000": " ",
}

NUMBERS = {"DEC_NUMBER", "HEX_NUMBER", "OCT_NUMBER", "BIN_NUMBER", "FLOAT_NUMBER"}
EXPRESSION_START = {"NAME", "DEC_NUMBER", "STRING", "LPAR", "LSQB"}
CLOSERS = {"RPAR", "RSQB", "RBRACE"}
# Tokens worth naming in "expected ..." (operators are left out: almost anything may follow).
STRUCTURAL = ["COLON", "RPAR", "RSQB", "RBRACE", "IN", "ELSE", "IMPORT", "EQUAL", "LPAR",
              "COMMA"]
DISPLAY = {"COLON": "':'", "RPAR": "')'", "RSQB": "']'", "RBRACE": "'}'", "COMMA": "','",
           "IN": "'in'", "ELSE": "'else'", "IMPORT": "'import'", "EQUAL": "'='", "LPAR": "'('",
           "NAME": "a name", "_NEWLINE": "a new line", "_INDENT": "an indented block"}
BLOCK_NAMES = {"IF": "'if' statement", "ELIF": "'elif' statement", "ELSE": "'else'",
               "FOR": "'for' statement", "WHILE": "'while' statement",
               "DEF": "function definition", "WITH": "'with' statement",
               "CLASS": "class definition", "TRY": "'try' statement",
               "EXCEPT": "'except' statement", "FINALLY": "'finally' statement"}


def lookalike_hint(ch: str):
    """'did you mean ...?' for a non-ASCII character that stands in for ASCII punctuation."""
    import unicodedata      # only for error messages: not on the start-up path
    plain = LOOKALIKES.get(ch) or unicodedata.normalize("NFKC", ch)
    if plain != ch and plain.isascii() and plain.strip():
        return f"did you mean '{plain}'?"
    if plain == " " or (plain.isspace() and plain != ch):
        return "this is a non-ASCII space; use an ordinary space"
    return None


def describe_token(tok) -> str:
    """How a token is named in a message: "name 'x'", "')'", "end of line"..."""
    kind, value = tok.type, str(tok.value)
    if kind == "NAME":
        return f"name '{value}'"
    if kind in NUMBERS:
        return f"number {value}"
    if kind == "STRING":
        return "string " + (value if len(value) <= 20 else value[:17] + "...")
    special = {"_NEWLINE": "end of line", "_INDENT": "indent", "_DEDENT": "dedent",
               "$END": "end of input"}
    if kind in special:
        return special[kind]
    if value.isalpha():
        return f"keyword '{value}'"
    return f"'{value}'"


def _expected_phrase(expected) -> str:
    """'expected ':'' / 'expected an expression' / '' when too many things could follow."""
    if EXPRESSION_START <= set(expected):
        return "expected an expression"
    names = [DISPLAY[t] for t in STRUCTURAL if t in expected][:2]
    if not names and expected == {"NAME"}:
        names = ["a name"]
    return "expected " + " or ".join(names) if names else ""


def _end_position(text: str):
    lines = text.rstrip("\n").split("\n")
    return len(lines), len(lines[-1]) + 1


def _block_message(layout) -> str:
    kw = layout.block_kw
    if kw is None:
        return "expected an indented block"
    return f"expected an indented block after {BLOCK_NAMES[kw.type]} on line {kw.line}"


def bad_character(e, text: str, layout) -> TshSyntaxError:
    """A TshSyntaxError for the lexer's LexError e (no token starts at e.pos_in_stream)."""
    pos = e.pos_in_stream
    ch = text[pos]
    line, col = e.line, e.column
    if ch in "\"'":
        # '"""abc' lexes as an empty string '""' then a lone '"': point at the opening quotes
        triple = text.startswith(ch * 3, pos) or text[max(pos - 2, 0):pos] == ch * 2
        if triple and not text.startswith(ch * 3, pos):
            col -= 2
        kind = "triple-quoted string literal" if triple else "string literal"
        detected = text.count("\n", 0, len(text.rstrip("\n"))) + 1 if triple else line
        return TshSyntaxError(f"unterminated {kind} (detected at line {detected})", line, col,
                              incomplete=triple)
    if ch.isdigit() and ch.isascii():
        return TshSyntaxError("leading zeros in decimal integer literals are not permitted; "
                              "use an 0o prefix for octal integers", line, col)
    if ch == "\\":
        return TshSyntaxError("unexpected character after line continuation character",
                              line, col)
    if layout.brackets and e.line > layout.brackets[-1].line:
        opener = layout.brackets[-1]
        return TshSyntaxError(f"'{opener.value}' was never closed", opener.line, opener.column,
                              incomplete=False)
    name = f"'{ch}' (U+{ord(ch):04X})" if ord(ch) > 127 or not ch.isprintable() else f"'{ch}'"
    return TshSyntaxError(f"invalid character {name}", line, col, col + 1,
                          hint=lookalike_hint(ch))


def explain_unexpected(e, text: str, layout) -> TshSyntaxError:
    """A TshSyntaxError for the parser's ParseError e, using the layout's state."""
    tok, expected = e.token, set(e.expected)
    if tok.type == "$END":
        return _at_end(expected, text, layout)
    line, col = tok.line, tok.column
    end = getattr(tok, "end_column", None) or col + 1
    brackets = layout.brackets
    if brackets and tok.line > brackets[-1].line and tok.type not in CLOSERS:
        opener = brackets[-1]
        return TshSyntaxError(f"'{opener.value}' was never closed", opener.line, opener.column)
    if tok.type == "_INDENT":
        return TshSyntaxError("unexpected indent", line, col)
    if "_INDENT" in expected:
        # A nested block header on the last line: only layout tokens follow, so more lines
        # would complete it (the REPL asks for them).
        at_end = not text[tok.start_pos:].strip()
        return TshSyntaxError(_block_message(layout), line, col, end, incomplete=at_end)
    if {"EXCEPT", "FINALLY"} <= expected:
        return TshSyntaxError("expected 'except' or 'finally' block", line, col, end)
    if tok.type == "_NEWLINE":
        phrase = _expected_phrase(expected) or "unexpected end of line"
        return TshSyntaxError(phrase, line, col)
    if tok.type == "EQUAL":
        return TshSyntaxError("unexpected '='", line, col, end, hint="did you mean '=='?")
    if "_NEWLINE" in expected and tok.type not in CLOSERS:
        return _run_on(tok, layout)
    message = f"unexpected {describe_token(tok)}"
    phrase = _expected_phrase(expected)
    return TshSyntaxError(f"{message}; {phrase}" if phrase else message, line, col, end)


def _at_end(expected, text, layout) -> TshSyntaxError:
    """The input stopped early: the REPL asks for another line."""
    if layout.brackets:
        opener = layout.brackets[-1]
        return TshSyntaxError(f"'{opener.value}' was never closed", opener.line, opener.column,
                              incomplete=True)
    line, col = _end_position(text)
    if "_INDENT" in expected:
        return TshSyntaxError(_block_message(layout), line, col, incomplete=True)
    return TshSyntaxError("unexpected end of input", line, col, incomplete=True)


def _run_on(tok, layout) -> TshSyntaxError:
    """Two statements on one line: `a = f(x) b = 2`."""
    prev = layout.prev
    hint = "put a line break or ';' between two statements"
    if prev is not None and prev.type == "NAME" and prev.value == "print" \
            and prev.line == tok.line:
        hint = "print is a function in tsh: print(...)"
    return TshSyntaxError(f"unexpected {describe_token(tok)} after a complete statement",
                          tok.line, tok.column, tok.end_column, hint=hint)


