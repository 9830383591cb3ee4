"""re and unicodedata against CPython 3.11: the same output and the same errors (class and
message), by tsh programs and by the stand-in's functions on generated patterns and strings;
sub, split and findall both as Python's own functions and as the stand-in's measured loops
(what runs when a result could pass the memory cap)."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from standin_compare import cpython, tsh
from tshell.lang.standins import load

PROGRAMS = [
    # the tutorials' preprocessing
    "import re\ns = 'Hello, World! How are you?'.lower().strip()\n"
    "s = re.sub(r'([.!?])', r' \\1', s)\ns = re.sub(r'[^a-zA-Z!?]+', r' ', s)\nprint(s.strip())",
    "import re\nprint(re.split(r'\\W+', 'Words, words, words.'), re.split(r'(\\W+)', 'a, b.'),"
    " re.split(r'\\W+', 'a, b, c', 1), re.split('x*', 'axbc'), re.split(r'(a)|b', 'xaybz'),"
    " re.split('[a-f]+', '0a3B9', flags=re.IGNORECASE), re.split('x', ''), re.split('', 'ab'))",
    "import re\nprint(re.findall(r'\\bf[a-z]*', 'which foot or hand fell fastest'), "
    "re.findall(r'(\\w+)=(\\d+)', 'set width=20 and height=10'), re.findall('(a)|b', 'ab'), "
    "re.findall('x*', 'axbx'), re.findall('x*?', 'x'), re.findall(r'\\d', 'a1b22', ))",
    "import re\nprint(re.sub('x*', '-', 'abxd'), re.sub(r'def\\s+([a-zA-Z_]\\w*)\\s*\\(\\s*\\):',"
    " r'static PyObject*\\npy_\\1(void)\\n{', 'def myfunc():'), re.subn('a', 'b', 'aaa', 2), "
    "re.sub('a', 'b', 'aaa', count=-1), re.sub('(?P<x>a)', r'\\g<x>\\g<0>\\g<1>', 'ba'), "
    "re.sub('a', r'\\n\\t\\\\', 'a'), re.sub(b'a', b'\\\\0', b'xa'), "
    "re.sub('(a)|b', r'[\\1]', 'ab'))",
    "import re\ndef dashrepl(m):\n    return ' ' if m.group(0) == '-' else '-'\n"
    "print(re.sub('-{1,2}', dashrepl, 'pro----gram-files'), re.sub(r'\\w+', lambda m: "
    "m[0].upper(), 'ab cd', 1), re.sub('a', lambda m: None, 'bab'), re.subn('a', "
    "lambda m: str(m.start()), 'aXa'))",
    # Pattern and Match objects
    "import re\np = re.compile(r'(?P<first>\\w+) (?P<last>\\w+)', re.I | re.M)\n"
    "print(p, p.pattern, p.flags, p.groups, p.groupindex, repr(p.groupindex), "
    "type(p.groupindex), type(p), p == re.compile("
    "r'(?P<first>\\w+) (?P<last>\\w+)', re.I | re.M), hash(p) == hash(re.compile(p.pattern, "
    "p.flags)), re.compile(p) is p)\nm = p.match('Isaac Newton, physicist')\n"
    "print(m, m.group(0), m.group(1), m.group('last', 1), m[1], m['first'], m.groups(), "
    "m.groupdict(), m.start(), m.end(2), m.span('last'), m.lastindex, m.lastgroup, m.re is p, "
    "m.string, m.pos, m.endpos, bool(m), type(m), m.expand(r'\\2, \\g<first>'))",
    "import re\nm = re.match(r'(\\d+)\\.?(\\d+)?', '24')\nprint(m.groups(), m.groups('0'), "
    "m.span(2), m.start(2), m.groupdict(), m.lastindex, re.match('((a)b)', 'ab').lastindex, "
    "re.match('(?P<x>a)(?P<y>b)?', 'a').lastgroup, re.match('a', 'a').lastindex)",
    "import re\np = re.compile('o')\nprint(p.search('dog', 1), p.match('dog', 1), "
    "p.search('dog', 2), p.fullmatch('o', 0), p.fullmatch('dog', 1, 2), p.search('dog', -5, "
    "100).endpos, p.findall('ooxo', 1, 3), [m.span() for m in p.finditer('oxo', 1)], "
    "p.split('xoyoz', maxsplit=1), p.sub('0', 'oo', count=1), p.subn('0', 'oo'))",
    "import re\nprint(re.match('a' * 60, 'a' * 60), re.search('é+', 'café'), "
    "re.match(b'ab', b'abc'), re.match('', ''), re.fullmatch(r'\\d+', '123'), "
    "re.fullmatch(r'\\d+', '123a'), re.search('^b', 'a\\nb', re.M), re.match('.', '\\n', "
    "re.S), re.match('(?x) a b # comment', 'ab'), re.match(r'\\w', 'é', re.A), "
    "re.match(r'\\w', 'é', re.U))",
    "import re\nit = re.finditer(r'\\d+', 'a12b345')\nprint(type(it).__name__, next(it), "
    "[m.group() for m in it], list(re.finditer('', 'ab')))",
    "import re\nm = re.search('(a)', 'xa')\nimport copy\nprint(copy.copy(m) is m, "
    "copy.deepcopy(re.compile('a')) is re.compile('a'))",
    # flags
    "import re\nprint(re.I, re.IGNORECASE, re.I | re.M, re.A | re.I, re.X | re.S | re.U, "
    "repr(re.L), re.NOFLAG, re.I | 1024, re.I & re.M, re.I ^ re.I, re.I | 0, re.I + 1, "
    "int(re.M), re.I == 2, f'{re.M}', f'{re.M:d}', str(re.S), type(re.I), re.RegexFlag(8))",
    "import re\nprint(re.escape('a.b*c'), re.escape(b'x+'), re.escape('http://x.org/~a'), "
    "re.purge())",
    # errors, as Python words them
    "import re\nre.compile('(')", "import re\nre.compile('a)')", "import re\nre.compile('[a')",
    "import re\nre.compile('*a')", "import re\nre.compile('a{2,1}')",
    "import re\nre.compile('(?P<1>a)')", "import re\nre.compile('(?P<a>x)(?P<a>y)')",
    "import re\nre.compile('ab\\n(?<=a+)')", "import re\nre.compile(r'\\k')",
    "import re\nre.compile(5)", "import re\nre.compile(re.compile('a'), re.I)",
    "import re\nre.compile('a', 'x')", "import re\nre.sub('a', r'\\2', 'a')",
    "import re\nre.sub('(?P<x>a)', r'\\g<y>', 'a')", "import re\nre.sub('a', r'\\q', 'a')",
    "import re\nre.sub('a', r'\\g<1', 'a')", "import re\nre.sub('a', 5, 'a')",
    "import re\nre.sub('a', lambda m: 1, 'a')", "import re\nre.sub('a', lambda m: 1, 'bab')",
    "import re\nre.sub(b'a', lambda m: 'x', b'a')",
    "import re\nre.match('a', 5)", "import re\nre.match('a', b'a')",
    "import re\nre.match(b'a', 'a')", "import re\nre.findall('a', None)",
    "import re\nre.compile('a').search('a', 'x')", "import re\nre.split('a', 'a', 'x')",
    "import re\nm = re.match('(a)', 'a')\nm.group(2)", "import re\nm = re.match('(a)', 'a')\n"
    "m.group('x')", "import re\nm = re.match('(a)', 'a')\nm.start(-1)",
    "import re\nm = re.match('(a)', 'a')\nm[1.5]", "import re\nm = re.match('(a)', 'a')\n"
    "m.expand(r'\\3')", "import re\nre.Pattern('a')", "import re\nre.Match()",
    "import re\ntry:\n    re.compile('x(?P<n>')\nexcept re.error as e:\n"
    "    print(e.msg, e.pos, e.pattern, e.lineno, e.colno, e.args, type(e), repr(e))",
    "import re\ntry:\n    re.compile('a\\nb\\n(')\nexcept re.error as e:\n"
    "    print(e, e.lineno, e.colno)\ntry:\n    raise re.error('mine')\nexcept Exception as e:\n"
    "    print(type(e).__name__, e, e.pos)",
    # unicodedata, as the name-classification tutorial uses it
    "import unicodedata, string\nletters = string.ascii_letters + \" .,;'\"\n"
    "def unicode_to_ascii(s):\n    return ''.join(c for c in unicodedata.normalize('NFD', s)"
    " if unicodedata.category(c) != 'Mn' and c in letters)\nprint(unicode_to_ascii('Ślusàrski'))",
    "import unicodedata as u\nprint(u.normalize('NFC', 'e\\u0301'), len(u.normalize('NFKD', "
    "'\\ufdfa')), u.is_normalized('NFD', 'é'), u.name('é'), u.name('\\x00', 'none'), "
    "u.lookup('SNOWMAN'), u.decimal('٣'), u.digit('²'), u.numeric('⅓'), u.bidirectional('a'), "
    "u.combining('\\u0301'), u.east_asian_width('中'), u.mirrored('('), u.decomposition('é'), "
    "u.category('A'), u.unidata_version, u.normalize, u.category)",
    "import unicodedata\nunicodedata.name('ab')",
    "import unicodedata\nunicodedata.lookup('NO SUCH')",
    "import unicodedata\nunicodedata.normalize('NFX', 'a')",
    "import unicodedata\nunicodedata.decimal('a')",
    "import unicodedata\nunicodedata.normalize(1, 'a')",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


@pytest.fixture
def measured(monkeypatch):
    """sub, split and findall run the stand-in's measured loops."""
    monkeypatch.setattr(load("re")._members["Pattern"], "_fits", lambda *args: False)


@pytest.mark.parametrize("src", [s for s in PROGRAMS if "import re" in s])
def test_the_same_by_the_measured_loops(src, measured):
    assert tsh(src) == cpython(src)


def test_every_public_name_is_there():
    names = set(load("re")._members)
    assert names == {"compile", "match", "fullmatch", "search", "sub", "subn", "split",
                     "findall", "finditer", "escape", "purge", "error", "Pattern", "Match",
                     "RegexFlag", "A", "ASCII", "I", "IGNORECASE", "L", "LOCALE", "M",
                     "MULTILINE", "S", "DOTALL", "X", "VERBOSE", "U", "UNICODE", "NOFLAG"}
    assert set(load("unicodedata")._members) == {
        n for n in dir(unicodedata) if n[0] != "_"} - {"ucd_3_2_0", "UCD"}


# ---------------------------------------------------------------------- generated cases
PIECES = ["a", "b", "ab", ".", "[ab]", "[^a]", r"\w", r"\s", "x?", "a*", "b+", "a*?", "(a)",
          "(b|a)", "(?:ab)*", "(a)?", "(?P<n>b)", "(a|)", "^", "$", r"\b", "(?=a)", "(?!b)",
          "a{1,2}", r"(a)\1", "(?<=a)"]
patterns = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
texts = st.text(alphabet="abx \n", max_size=12)


def _spans(matches):
    return [(m.regs, m.lastindex, m.lastgroup, m.pos, m.endpos) for m in matches]


def _compare(pattern, text, pos, repl):
    standin = load("re")._members
    try:
        python = re.compile(pattern)
    except re.error as e:
        with pytest.raises(standin["error"], match=re.escape(str(e))):
            standin["compile"](pattern)
        return
    mine = standin["compile"](pattern)
    assert _spans(mine.finditer(text, pos)) == _spans(python.finditer(text, pos))
    assert mine.findall(text, pos) == python.findall(text, pos)
    assert mine.split(text) == python.split(text)
    assert mine.split(text, 2) == python.split(text, 2)
    try:
        want = python.subn(repl, text), python.sub(repl, text, 1)
    except re.error as e:
        with pytest.raises(standin["error"], match=re.escape(str(e))):
            mine.subn(repl, text)
    else:
        assert (mine.subn(repl, text), mine.sub(repl, text, 1)) == want
    for mode in ("match", "search", "fullmatch"):
        got, want = getattr(mine, mode)(text, pos), getattr(python, mode)(text, pos)
        assert _spans([got] if got else []) == _spans([want] if want else [])
    for m, n in zip(mine.finditer(text), python.finditer(text)):
        assert (m.groups(), m.groupdict(""), repr(m)) == (n.groups(), n.groupdict(""), repr(n))
        assert m.expand(r"<\g<0>>") == n.expand(r"<\g<0>>")


@given(patterns, texts, st.integers(-1, 13), st.sampled_from(["-", r"[\g<0>]", ""]))
@settings(max_examples=300, deadline=None)
def test_generated_patterns_as_python(pattern, text, pos, repl):
    _compare(pattern, text, pos, repl)


@given(patterns, texts, st.integers(-1, 13), st.sampled_from([r"\g<0>!", r"\1", "+"]))
@settings(max_examples=300, deadline=None)
def test_generated_patterns_by_the_measured_loops_as_python(pattern, text, pos, repl):
    pattern_class = load("re")._members["Pattern"]
    fits = pattern_class._fits
    pattern_class._fits = lambda *args: False
    try:
        _compare(pattern, text, pos, repl)
    finally:
        pattern_class._fits = fits
