"""The tsh grammar at run time: its lexer and LALR driver, loaded once and shared by parses.

The tables come from tshell/lang/_tables.py, built from grammar/tshell.lark by tables.py and
shipped in the package, so start-up does not import Lark. If the grammar no longer matches
them (edited in a checkout, `python -m tshell.lang.tables` not run yet), they are built with
Lark at run time and kept (marshal) under $XDG_CACHE_HOME/tshell (or ~/.cache/tshell), keyed
by the grammar, the tables' format, Lark's version and Python's (marshal's format is
Python's own); where no cache can be written they are built on each start (about a second).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from .builder import ToAst
from .driver import Driver
from .lexer import FastLexer

FORMAT = 5                  # the tables' layout (tables.build): bump when it changes
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # .../tshell
GRAMMAR_CANDIDATES = (
    os.path.join(_PACKAGE, "grammar", "tshell.lark"),                   # installed wheel
    os.path.join(os.path.dirname(_PACKAGE), "grammar", "tshell.lark"),  # source checkout
)


class Grammar:
    """The loaded grammar: the lexer and the LALR driver (immutable once made; the driver's
    lazily decoded rows are the same whichever parse decodes them)."""

    def __init__(self, tables: dict):
        self.lexer = FastLexer(tables["lexer"])
        self.driver = Driver(tables, ToAst, decode_row)


_shared = None


def shared() -> Grammar:
    """The process-wide grammar. (Two threads that ask at once may each load it; one of the
    equal results is kept.)"""
    global _shared
    if _shared is None:
        _shared = Grammar(load_tables())
    return _shared


def decode_row(row: str) -> dict:
    """{symbol: action} from a state's row, "SYMBOL ACTION SYMBOL ACTION ..." (tables.build)."""
    words = iter(row.split())
    return {symbol: int(action) for symbol, action in zip(words, words)}


def grammar_crc32(grammar: str) -> int:
    return zlib.crc32(grammar.encode())


def grammar_path() -> str:
    """The grammar file: inside the installed package first, then the source checkout."""
    for path in GRAMMAR_CANDIDATES:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("tshell grammar not found; looked in "
                            + ", ".join(str(p) for p in GRAMMAR_CANDIDATES))


def load_tables() -> dict:
    """The shipped tables if they were built from the grammar file, else tables built from
    it (cached)."""
    try:
        from ._tables import TABLES
    except ImportError:
        TABLES = None
    grammar = _read_grammar()
    if TABLES is not None and _made_from(TABLES, grammar):
        return TABLES
    if grammar is None:
        raise FileNotFoundError("tshell's parser tables and grammar are both missing")
    return _built(grammar)


def _read_grammar() -> str | None:
    try:
        with open(grammar_path(), encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _made_from(tables: dict, grammar: str | None) -> bool:
    """Whether tables are current for the grammar text (None: no grammar file to compare)."""
    return tables.get("format") == FORMAT and (
        grammar is None or tables.get("grammar_crc32") == grammar_crc32(grammar))


def _built(grammar: str) -> dict:
    """Tables built from the grammar text with Lark, from the disk cache when possible."""
    from .tables import build, lark_version   # Lark: only for an edited grammar
    path = cache_file(grammar, lark_version())
    tables = _load_cached(path)
    if tables is None or not _made_from(tables, grammar):
        tables = build(grammar)
        _save_cached(tables, path)
    return tables


def cache_file(grammar: str, lark_version: str) -> str:
    """Where to keep tables built at run time: keyed by everything they depend on."""
    key = zlib.crc32(f"{FORMAT}\0{grammar}\0{lark_version}\0{sys.version}".encode())
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tshell", f"parser-{key:08x}.marshal")


def _load_cached(path: str) -> dict | None:
    try:
        with open(path, "rb") as f:
            tables = marshal.loads(f.read())   # load(f) would read object by object
        return tables if isinstance(tables, dict) else None
    except Exception:          # missing or corrupt: rebuild
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


def keywords() -> frozenset:
    """The words tsh reserves (for completion and highlighting): the grammar's keywords, less
    any the layout still refuses, so both follow the grammar as it grows."""
    from .layout import UNSUPPORTED     # layout imports the lexer, as this module does
    return frozenset(shared().lexer.keywords) - frozenset(UNSUPPORTED)
