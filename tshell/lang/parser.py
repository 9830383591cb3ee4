"""Parse tsh source into the AST.

Pipeline: FastLexer (the grammar's terminals) -> Indenter (Python's layout rules, refusals of
what tsh leaves out) -> Driver (LALR over the table Lark builds from grammar/tshell.lark, with
the AST builder as reduce callbacks). Lark analyses the grammar once (tables.py); the result is
plain data kept (marshal) under $XDG_CACHE_HOME/tshell (or ~/.cache/tshell), so a warm start
does not import Lark. Where no cache can be written it is rebuilt (about a third of a second).
"""

from __future__ import annotations

import gc
import marshal
import os
import sys
import _thread
import zlib


from . import ast as A
from .builder import ToAst
from .errors import TshSyntaxError
from .driver import Driver, ParseError
from .lexer import FastLexer, LexError, Tok, make_token
from .lexhelp import explain_unexpected, lookalike_hint

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # .../tshell
GRAMMAR_CANDIDATES = (
    os.path.join(_PACKAGE, "grammar", "tshell.lark"),                   # installed wheel
    os.path.join(os.path.dirname(_PACKAGE), "grammar", "tshell.lark"),  # source checkout
)

# Keywords of Python that tsh leaves out (SPEC §1.1): they lex as NAME and are refused here.
UNSUPPORTED = {
    "class": "'class' is not supported in tsh",
    "lambda": "'lambda' is not supported in tsh; use def",
    "try": "'try' is not supported in tsh",
    "except": "'except' is not supported in tsh",
    "finally": "'finally' is not supported in tsh",
    "raise": "'raise' is not supported in tsh",
    "global": "'global' is not supported in tsh",
    "nonlocal": "'nonlocal' is not supported in tsh",
    "yield": "'yield' is not supported in tsh",
    "async": "'async' is not supported in tsh",
    "await": "'await' is not supported in tsh",
}
OPEN_BRACKETS = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
CLOSE_BRACKETS = {v: k for k, v in OPEN_BRACKETS.items()}
BLOCK_KEYWORDS = frozenset({"IF", "ELIF", "ELSE", "FOR", "WHILE", "DEF", "WITH"})
CHECKED = BLOCK_KEYWORDS | {"AT"} | set(OPEN_BRACKETS) | set(CLOSE_BRACKETS)
MAX_NESTING = 200           # Python's own limit on nested brackets
TAB = 8


class Indenter:
    """Python's layout rules: INDENT/DEDENT from leading whitespace, no newlines in brackets.

    State lives on the instance for the parse in progress (parsing holds a lock), so the error
    reporter can see the open brackets and the last tokens.
    """

    def __init__(self):
        self.reset()

    def reset(self):
        self.brackets: list = []          # open bracket tokens, innermost last
        self.prev = self.last = None      # the two most recent tokens seen
        self.block_kw = None              # the last block keyword at a line start

    def save(self) -> tuple:
        return (self.brackets, self.prev, self.last, self.block_kw)

    def restore(self, saved: tuple) -> None:
        self.brackets, self.prev, self.last, self.block_kw = saved

    def process(self, stream, joined: bool = False):
        """joined: the text is one logical line, as if in brackets (an f-string field)."""
        self.reset()
        return self._process(_one_line(stream), False) if joined else self._process(stream)

    def _process(self, stream, first: bool = True):
        indents = [0]
        line_start = True
        for tok in stream:
            if tok.type == "_NEWLINE":
                if self.brackets:
                    continue                          # implicit line joining
                yield tok
                yield from self._layout(tok, indents)
                line_start = True
                continue
            if first and tok.column > 1:
                raise TshSyntaxError("unexpected indent", tok.line, tok.column)
            first = False
            kind = tok.type
            if kind == "NAME":              # the most common token: check it inline
                if tok.value in UNSUPPORTED:
                    raise TshSyntaxError(UNSUPPORTED[tok.value], tok.line, tok.column,
                                         tok.end_column)
            elif kind in CHECKED:
                self._check(tok, line_start)
            line_start = False
            self.prev, self.last = self.last, tok
            yield tok
        while len(indents) > 1:
            indents.pop()
            yield make_token("_DEDENT", "", 0, 0, 0, 0, 0, 0)

    def _layout(self, nl: Tok, indents: list):
        """Indent/dedent tokens for the line after newline token nl."""
        tail = nl.value.rsplit("\n", 1)[-1]
        if "#" in tail:
            return                       # a comment at the very end of the input
        width = 0
        for ch in tail:
            width = (width // TAB + 1) * TAB if ch == "\t" else 0 if ch == "\f" else width + 1
        pos = (nl.end_pos, nl.end_line, nl.end_column, nl.end_line, nl.end_column, nl.end_pos)
        if width > indents[-1]:
            indents.append(width)
            yield make_token("_INDENT", tail, *pos)
            return
        while width < indents[-1]:
            indents.pop()
            yield make_token("_DEDENT", tail, *pos)
        if width != indents[-1]:
            raise TshSyntaxError("unindent does not match any outer indentation level",
                                 nl.end_line, 1, nl.end_column)

    def _check(self, tok: Tok, line_start: bool):
        """Refuse decorators, note block keywords and keep the bracket stack."""
        kind = tok.type
        if kind == "AT" and line_start:
            raise TshSyntaxError("decorators ('@') are not supported in tsh",
                                 tok.line, tok.column, tok.end_column)
        if line_start and kind in BLOCK_KEYWORDS:
            self.block_kw = tok
        if kind in OPEN_BRACKETS:
            self.brackets.append(tok)
            if len(self.brackets) > MAX_NESTING:
                raise TshSyntaxError("too many nested parentheses", tok.line, tok.column)
        elif kind in CLOSE_BRACKETS:
            if not self.brackets:
                raise TshSyntaxError(f"unmatched '{tok.value}'", tok.line, tok.column)
            opener = self.brackets.pop()
            if OPEN_BRACKETS[opener.type] != kind:
                raise TshSyntaxError(
                    f"closing parenthesis '{tok.value}' does not match opening "
                    f"parenthesis '{opener.value}'" + _on_line(opener, tok),
                    tok.line, tok.column)


def _one_line(stream):
    """The tokens without line breaks, except the last one (which ends the input)."""
    held = None
    for tok in stream:
        if tok.type == "_NEWLINE":
            held = tok
        else:
            held = None
            yield tok
    if held is not None:
        yield held


def _on_line(opener: Tok, tok: Tok) -> str:
    return f" on line {opener.line}" if opener.line != tok.line else ""


# ------------------------------------------------------------------ building the parser
_lock = _thread.RLock()   # _thread: the threading module costs start-up time
_indenter = Indenter()


def grammar_path() -> str:
    """The grammar file: inside the installed package first, then the source checkout."""
    for path in GRAMMAR_CANDIDATES:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("tshell grammar not found; looked in "
                            + ", ".join(str(p) for p in GRAMMAR_CANDIDATES))


CACHE_FORMAT = 4            # bump when the layout of tables.analyse's result changes


def _cache_file(grammar: str) -> str:
    """Where to keep the analysed grammar, keyed by the grammar text and Python's version.

    The cached tables are plain data (no Lark objects), so Lark's version does not matter;
    marshal's format is Python's own, hence the version in the key.
    """
    key = zlib.crc32(f"{CACHE_FORMAT}\0{grammar}\0{sys.version}".encode())
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tshell", f"parser-{key:08x}.marshal")


def _packed(tables: dict) -> dict:
    """tables with each LALR row marshalled on its own: loading then decodes only the outer
    dict (~0.2 ms instead of ~5 ms for all ~600 rows), and the driver decodes a row when a
    parse first reaches its state."""
    table = tables["table"]
    rows = {state: marshal.dumps(row) for state, row in table["states"].items()}
    return dict(tables, table=dict(table, states=rows), format=CACHE_FORMAT)


def _load_cached(path: str) -> dict | None:
    try:
        with open(path, "rb") as f:
            tables = marshal.loads(f.read())   # load(f) would read object by object
        return tables if isinstance(tables, dict) and tables.get("format") == CACHE_FORMAT \
            else None
    except Exception:          # missing, stale or corrupt: rebuild
        return None


def _save_cached(tables: dict, path: str) -> None:
    """Write atomically (temp file + rename) so concurrent runs never read half a file."""
    import tempfile            # only on a cache miss: it costs start-up time
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".parser-")
        with os.fdopen(fd, "wb") as f:
            marshal.dump(tables, f)
        os.replace(tmp, path)
    except Exception:          # read-only home, full disk...: run without a cache
        pass


class _Engine:
    """The loaded grammar: the lexer and the LALR driver whose reduce callbacks build the AST."""

    def __init__(self, tables: dict):
        self.lexer = FastLexer(tables["lexer"])
        self.builder = ToAst(parse_expression)
        self.driver = Driver(tables["table"], tables["rules"], self.builder, marshal.loads)


_engine = None


def _get_engine() -> _Engine:
    """The process-wide parser, from the disk cache when possible."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                with open(grammar_path(), encoding="utf-8") as f:
                    grammar = f.read()
                cache = _cache_file(grammar)
                tables = _load_cached(cache)
                if tables is None:
                    from .tables import analyse      # imports Lark: only on a cache miss
                    tables = _packed(analyse(grammar))
                    _save_cached(tables, cache)
                _engine = _Engine(tables)
    return _engine


# ------------------------------------------------------------------ parsing
def parse(source: str, filename: str = "<input>") -> A.Module:
    """Parse a whole program into a Module; raises TshSyntaxError."""
    return _run(source, filename, "file_input")


def parse_expression(text: str, line_offset: int = 0, col_offset: int = 0) -> A.Node:
    """Parse one expression (an f-string field); spans are shifted by the offsets.

    It runs inside the reduction of the enclosing string, so the postlexer's state and the
    builder's offsets are saved and restored around it.
    """
    builder = _get_engine().builder
    saved = (builder._dl, builder._dc), _indenter.save()
    builder._dl, builder._dc = line_offset, col_offset
    try:
        return _run(text, "<f-string>", "eval_input", joined=True)
    except TshSyntaxError as e:
        raise _shifted(e, line_offset, col_offset) from None
    finally:
        (builder._dl, builder._dc), state = saved
        _indenter.restore(state)


def _shifted(e: TshSyntaxError, dl: int, dc: int) -> TshSyntaxError:
    """The error of an f-string field, moved to where the field is in the file."""
    s = e.span
    col = s.col + dc if s.line == 1 else s.col
    end = s.end_col + dc if s.end_line == 1 else s.end_col
    return TshSyntaxError(e.message, s.line + dl, col, end, e.hint, e.incomplete, s.end_line + dl)


def _too_deep(filename, source):
    return TshSyntaxError("expression too deeply nested", 1, 1).attach(filename, source)


def _run(source: str, filename: str, start: str, joined: bool = False):
    """Lex + postlex + LALR-parse source from rule `start` into AST nodes."""
    if source.startswith("\ufeff"):
        source = source[1:]                    # a UTF-8 byte order mark is not code
    text = source if source.endswith("\n") else source + "\n"
    engine = _get_engine()
    with _lock:
        gc_was_on = gc.isenabled()
        gc.disable()            # millions of small objects, none cyclic: GC passes only cost
        try:
            return engine.driver.parse(_indenter.process(engine.lexer.tokens(text), joined),
                                       start)
        except TshSyntaxError as e:
            raise e.attach(filename, source) from None
        except (LexError, ParseError) as e:
            raise _syntax_error(e, text).attach(filename, source) from None
        except RecursionError:
            raise _too_deep(filename, source) from None
        finally:
            if gc_was_on:
                gc.enable()


def _syntax_error(e, text: str) -> TshSyntaxError:
    """Turn a lexer or parser error into a friendly TshSyntaxError."""
    if isinstance(e, LexError):
        return _bad_character(e, text)
    return explain_unexpected(e, text, _indenter)


def _bad_character(e: LexError, text: str) -> TshSyntaxError:
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
    if _indenter.brackets and e.line > _indenter.brackets[-1].line:
        return _never_closed(_indenter.brackets[-1])
    name = f"'{ch}' (U+{ord(ch):04X})" if ord(ch) > 127 or not ch.isprintable() else f"'{ch}'"
    return TshSyntaxError(f"invalid character {name}", line, col, col + 1,
                          hint=lookalike_hint(ch))


def _never_closed(opener: Tok) -> TshSyntaxError:
    return TshSyntaxError(f"'{opener.value}' was never closed", opener.line, opener.column,
                          incomplete=False)


def is_incomplete(source: str, interactive: bool = False) -> bool:
    """True when source only lacks more lines (open bracket, block header without a body...).

    With interactive=True a compound statement also waits for a blank line, the way the
    Python REPL does, so a block can grow line by line.
    """
    try:
        parse(source)
    except TshSyntaxError as e:
        return e.incomplete
    if interactive and not source.endswith("\n\n"):
        lines = [line for line in source.split("\n") if line.strip()]
        return bool(lines) and lines[-1][:1] in (" ", "\t")
    return False


def check_source(source: str, filename: str = "<input>") -> A.Module:
    """Parse only (for --check); returns the Module or raises TshSyntaxError."""
    return parse(source, filename)


__all__ = ["parse", "parse_expression", "is_incomplete", "check_source", "grammar_path"]
