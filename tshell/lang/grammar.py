"""The tsh grammar at run time: its lexer and LALR driver, loaded once and shared by every parse.

Lark analyses grammar/tshell.lark once (tables.py); the result is plain data kept (marshal)
under $XDG_CACHE_HOME/tshell (or ~/.cache/tshell), so a warm start does not import Lark.
Where no cache can be written it is rebuilt (about a third of a second).
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from .builder import ToAst
from .driver import Driver
from .lexer import FastLexer

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # .../tshell
GRAMMAR_CANDIDATES = (
    os.path.join(_PACKAGE, "grammar", "tshell.lark"),                   # installed wheel
    os.path.join(os.path.dirname(_PACKAGE), "grammar", "tshell.lark"),  # source checkout
)
CACHE_FORMAT = 4            # bump when the layout of tables.analyse's result changes


class Grammar:
    """The loaded grammar: the lexer and the LALR driver (immutable once made; the driver's
    lazily decoded rows are the same whichever parse decodes them)."""

    def __init__(self, tables: dict):
        self.lexer = FastLexer(tables["lexer"])
        self.driver = Driver(tables["table"], tables["rules"], ToAst, marshal.loads)


_shared = None


def shared() -> Grammar:
    """The process-wide grammar, from the disk cache when possible. (Two threads that ask at
    once may each load it; one of the equal results is kept.)"""
    global _shared
    if _shared is None:
        _shared = Grammar(_load_tables())
    return _shared


def grammar_path() -> str:
    """The grammar file: inside the installed package first, then the source checkout."""
    for path in GRAMMAR_CANDIDATES:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("tshell grammar not found; looked in "
                            + ", ".join(str(p) for p in GRAMMAR_CANDIDATES))


def _load_tables() -> dict:
    with open(grammar_path(), encoding="utf-8") as f:
        grammar = f.read()
    cache = _cache_file(grammar)
    tables = _load_cached(cache)
    if tables is None:
        from .tables import analyse      # imports Lark: only on a cache miss
        tables = _packed(analyse(grammar))
        _save_cached(tables, cache)
    return tables


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
