"""Loading the parser's tables: the shipped ones without Lark; for an edited grammar, ones built
at run time and cached (read-only and corrupt caches included)."""

import os
import subprocess
import sys

import pytest

from tshell.lang import grammar, tables

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_grammar_is_looked_up_in_the_package_then_the_checkout():
    package_copy, checkout = grammar.GRAMMAR_CANDIDATES
    assert package_copy.endswith(os.path.join("tshell", "grammar", "tshell.lark"))
    assert checkout == os.path.join(ROOT, "grammar", "tshell.lark")
    assert grammar.grammar_path() in grammar.GRAMMAR_CANDIDATES


def test_parsing_uses_the_shipped_tables_without_importing_lark(tmp_path):
    code = ("import sys; from tshell.lang.parser import parse; "
            "print(len(parse('x = 1; y = 2').body), 'lark' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=ROOT, XDG_CACHE_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert (done.stdout, done.stderr) == ("2 False\n", "")
    assert not (tmp_path / "tshell").exists()          # nothing to cache


@pytest.fixture
def edited_grammar(tmp_path, monkeypatch):
    """The grammar with a new comment (the shipped tables no longer match it), and an empty
    cache directory."""
    with open(grammar.grammar_path(), encoding="utf-8") as f:
        text = f.read() + "// an edit\n"
    path = tmp_path / "tshell.lark"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(grammar, "GRAMMAR_CANDIDATES", (str(path),))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return text


def _cache_files(tmp_path):
    return list((tmp_path / "cache" / "tshell").glob("parser-*.marshal"))


def _no_building(monkeypatch):
    def refuse(text):
        raise AssertionError("tables built again")
    monkeypatch.setattr(tables, "build", refuse)


def test_an_edited_grammar_is_built_at_run_time_then_cached(edited_grammar, tmp_path,
                                                            monkeypatch):
    built = grammar.load_tables()
    assert built["grammar_crc32"] == grammar.grammar_crc32(edited_grammar)
    assert tables.same_tables(dict(built, grammar_crc32=0),
                              dict(tables.shipped(), grammar_crc32=0))   # a comment only
    assert len(_cache_files(tmp_path)) == 1
    _no_building(monkeypatch)
    assert grammar.load_tables() == built


def test_a_corrupt_cache_is_rebuilt(edited_grammar, tmp_path):
    grammar.load_tables()
    cache, = _cache_files(tmp_path)
    cache.write_bytes(b"garbage")
    assert grammar.load_tables()["grammar_crc32"] == grammar.grammar_crc32(edited_grammar)


def test_a_read_only_cache_directory_is_no_error(edited_grammar, tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.setenv("XDG_CACHE_HOME", str(locked / "cache"))
    try:
        assert grammar.load_tables()["grammar_crc32"] == grammar.grammar_crc32(edited_grammar)
    finally:
        locked.chmod(0o755)


def test_the_cache_key_holds_the_grammar_and_larks_version():
    text = "start: NAME\n"
    assert grammar.cache_file(text, "1.3.1") != grammar.cache_file(text, "1.3.2")
    assert grammar.cache_file(text, "1.3.1") != grammar.cache_file(text + " ", "1.3.1")
