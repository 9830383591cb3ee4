"""Grammar loading and the parser cache: wheel path first, read-only cache directories."""

import os
import subprocess
import sys

from tshell.lang import grammar

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_grammar_is_looked_up_in_the_package_then_the_checkout():
    package_copy, checkout = grammar.GRAMMAR_CANDIDATES
    assert package_copy.endswith(os.path.join("tshell", "grammar", "tshell.lark"))
    assert checkout == os.path.join(ROOT, "grammar", "tshell.lark")
    assert grammar.grammar_path() in grammar.GRAMMAR_CANDIDATES


def _parse_in_subprocess(env_updates):
    env = dict(os.environ, PYTHONPATH=ROOT, **env_updates)
    code = "from tshell.lang.parser import parse; print(len(parse('x = 1; y = 2').body))"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)


def test_parser_works_and_stays_quiet_when_the_cache_is_read_only(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        done = _parse_in_subprocess({"XDG_CACHE_HOME": str(locked / "cache"),
                                     "HOME": str(locked)})
    finally:
        locked.chmod(0o755)
    assert done.returncode == 0 and done.stdout == "2\n" and done.stderr == ""


def test_cache_is_written_and_reused(tmp_path):
    first = _parse_in_subprocess({"XDG_CACHE_HOME": str(tmp_path)})
    files = list((tmp_path / "tshell").glob("parser-*.marshal"))
    second = _parse_in_subprocess({"XDG_CACHE_HOME": str(tmp_path)})
    assert first.stdout == second.stdout == "2\n" and len(files) == 1


def test_corrupt_cache_is_rebuilt(tmp_path):
    _parse_in_subprocess({"XDG_CACHE_HOME": str(tmp_path)})
    cache, = (tmp_path / "tshell").glob("parser-*.marshal")
    cache.write_bytes(b"garbage")
    done = _parse_in_subprocess({"XDG_CACHE_HOME": str(tmp_path)})
    assert done.stdout == "2\n" and done.stderr == ""
