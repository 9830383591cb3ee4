"""The re and unicodedata stand-ins (docs/security.md, "Module stand-ins"): escapes through
Pattern, Match and their errors are refused; replacement functions are the program's code,
their errors and results reported and measured as the program's; catastrophic backtracking
stops at Ctrl-C; results built from huge inputs are refused past the memory cap."""

import io
import signal
import subprocess
import sys
import time

import pytest

from tshell.lang import Interpreter, TshRuntimeError

from .escapes import refused
from .test_interrupts import LATENCY, interrupt_after_start

SETUP = ("import re, unicodedata\np = re.compile(r'(?P<w>\\w+)-(\\d)?')\n"
         "m = p.search('ab-1 cd-')\nit = re.finditer('a', 'aa')\n")

ESCAPES = [
    # dunders and private slots of Pattern and Match
    "p._compiled", "p.__class__.__mro__", "p.__reduce__()", "p.__reduce_ex__(2)",
    "m._pattern", "m._regs", "m.__class__.__init__", "m.__dict__", "m.re._compiled.match",
    "m.re.__class__.__subclasses__()", "type(m).made(p, 's', ((0, 1),))", "re.Pattern.made",
    "re.Match.made", "type(p).__new__", "re.Pattern('a')", "re.Match()", "p.scanner('a')",
    "p.groupindex._names", "p.groupindex.__class__.__init__", "it._scan", "it.__next__.__self__",
    "m.string.__class__.__base__", "m.regs.__class__.__bases__", "re.compile.__globals__",
    "re.sub.__code__", "re.escape.__wrapped__", "re.purge.__closure__",
    # the error class and the flags
    "re.error.__init__.__globals__", "re.error('x').__traceback__", "re.I.__class__.__mro__",
    "re.RegexFlag.NAMES", "re.I._combined", "type(re.I).__subclasses__()",
    "try:\n    re.compile('(')\nexcept re.error as e:\n    e.__traceback__.tb_frame",
    "try:\n    re.compile('(')\nexcept re.error as e:\n    e._tsh_raised",
    # getattr, vars and format strings: the same door
    "getattr(m, '_pattern')", "getattr(p, '__class__').__init__", "vars(p)", "vars(m)",
    "'{0._compiled}'.format(p)", "'{0.re._compiled}'.format(m)", "'{0.__class__.__mro__}'.format(m)",
    "'{m.re.__init__.__globals__}'.format(m=m)", "f'{m.re._compiled}'",
    "'%(a)s' % {'a': m.re._compiled}",
    # what the modules do not hand out
    "re.DEBUG", "re.compile('a', 128)", "re.template", "re.Scanner", "re.sre_compile",
    "re._compile", "re.functools", "re.enum", "from re import _parser",
    "unicodedata.ucd_3_2_0", "unicodedata.UCD", "unicodedata.normalize.__wrapped__",
    "unicodedata.category.__self__", "unicodedata.normalize.__call__.__globals__",
    # replacement functions meet only tshell's Match
    "def f(m):\n    return m._regs\nre.sub('a', f, 'a')",
    "def f(m):\n    return m.re.__class__.__mro__\nre.sub('a', f, 'a')",
    "re.sub('a', getattr, 'a')", "re.sub('a', vars, 'a')", "re.sub('a', type, 'a')",
]


def _refused(src: str):
    return refused(SETUP + src)


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_are_refused_and_print_nothing(src):
    error, printed = _refused(src)
    assert error.type_name in ("AttributeError", "TypeError", "ImportError", "ValueError",
                               "SyntaxError"), error.format()
    assert printed == ""


def _run(src: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src + "\n", "<t>")
    return out.getvalue()


def test_what_a_program_may_read_gives_only_plain_values():
    assert _run(SETUP + "print(m.re is p, m.string, m.regs, m.groupdict(), p.groupindex['w'], "
                "sorted(p.groupindex.items()), p.groupindex.copy(), f'{m.re!r}', type(it))") == (
        "True ab-1 cd- ((0, 4), (0, 2), (3, 4)) {'w': 'ab'} 1 [('w', 1)] {'w': 1} "
        "re.compile('(?P<w>\\\\w+)-(\\\\d)?') <class 'callable_iterator'>\n")


def test_a_replacement_function_fails_in_tshells_format():
    src = "import re\ndef shout(m):\n    return m.group(0).upper() + missing\n" \
          "re.sub('a', shout, 'xa')"
    with pytest.raises(TshRuntimeError) as info:
        _run(src)
    text = info.value.format()
    assert "NameError: name 'missing' is not defined" in text
    assert "<t>:3:" in text and "in shout() called from <t>:4:1" in text, text


@pytest.mark.parametrize("returned, message", [
    ("1", "sequence item 0: expected str instance, int found"),
    ("torch.ones(1)", "sequence item 1: expected str instance, Tensor found"),
    ("[m]", "sequence item 0: expected str instance, list found"),
    ("b'x'", "sequence item 0: expected str instance, bytes found"),
])
def test_a_replacement_function_returning_a_non_string_is_pythons_type_error(returned,
                                                                             message):
    prefix = "b" if "ones" in returned else ""
    src = f"import re, torch\ndef f(m):\n    return {returned}\nre.sub('a', f, '{prefix}a')"
    with pytest.raises(TshRuntimeError) as info:
        _run(src)
    assert (info.value.type_name, info.value.message) == ("TypeError", message)


def test_a_replacement_function_that_raises_is_caught_as_its_own_error():
    assert _run("import re\ndef f(m):\n    raise KeyError(m.group())\ntry:\n"
                "    re.sub('a', f, 'a')\nexcept KeyError as e:\n    print('caught', e)") == \
        "caught 'a'\n"


# ---------------------------------------------------------------------- backtracking
def test_cpythons_engine_stops_at_ctrl_c():
    """What the stand-in relies on (re.py): _sre checks for signals as it backtracks, so a
    catastrophic match ends with KeyboardInterrupt (3.10 to 3.13; a Python whose engine no
    longer did would fail here)."""
    code = ("import re, sys\nprint('start', flush=True)\n"
            "re.match(r'(a+)+$', 'a' * 40 + 'b')\nprint('finished')")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline() == "start\n"
        time.sleep(0.3)
        t0 = time.monotonic()
        p.send_signal(signal.SIGINT)
        p.wait(timeout=10)
        waited = time.monotonic() - t0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert "KeyboardInterrupt" in p.stderr.read() and waited < LATENCY


@pytest.mark.parametrize("code", [
    "re.match(r'(a+)+$', 'a' * 40 + 'b')",
    "re.sub(r'(x+x+)+y', '', 'x' * 40)",
    "re.findall(r'(\\w+\\s?)*$', 'an adversarial input ' * 3 + '!')",
    "p = re.compile(r'(a|aa)+$')\nfor i in range(3):\n    p.fullmatch('a' * 60 + 'b')",
])
def test_ctrl_c_stops_catastrophic_backtracking(tmp_path, code):
    returncode, err, waited = interrupt_after_start(tmp_path, "import re\n" + code)
    assert returncode == 130, err
    assert err.strip().endswith("KeyboardInterrupt") and "Traceback" not in err, err
    assert waited < LATENCY, f"took {waited:.3f} s to stop after SIGINT"


# ---------------------------------------------------------------------- memory
@pytest.mark.parametrize("src", [
    "re.sub('a', 'b' * 10**6, 'a' * 1000)",
    "re.sub('', 'x' * 10**5, 'a' * 1000)",
    "re.sub('(a)', r'\\1' * 10**4, 'a' * 10**4)",
    "re.sub('(?=(.*))', r'\\1', 'a' * 10**4)",
    "re.subn('a', lambda m: 'x' * 10**6, 'a' * 100)",
    "re.split('(?=(.*))', 'a' * 10**4)",
    "re.findall('(?=(.*))', 'a' * 10**4)",
    "re.findall('', 'a' * 10**6)",
    "re.findall('(a)(b)?', 'a' * 10**6)",
    "re.split('', 'a' * 10**6)",
    "re.escape('.' * 10**7)",
    "unicodedata.normalize('NFKD', '\\ufdfa' * 10**6)",
    "unicodedata.is_normalized('NFKC', '\\ufdfa' * 10**6)",
    # one match's template text: each reference copies its group (9.5 GiB before the check)
    "re.search('(x+)', 'x' * 10**6).expand(r'\\1' * 10**4)",
    "re.sub('(x+)', r'\\1' * 10**4, 'x' * 10**6)",
    "re.compile('(x+)').subn(r'\\g<1>' * 10**3, 'x' * 10**6)",
    # Python's parser and compiler: ~150 bytes of objects per character (1.5 GiB, 66 s)
    "re.compile('x' * 10**6)",
    "re.match('(x)' * 10**5, 'x')",
])
def test_results_past_the_cap_are_refused(src, small_cap):
    with pytest.raises(TshRuntimeError) as info:
        _run("import re, unicodedata\n" + src)
    assert info.value.type_name == "MemoryError", info.value.format()
    assert "bytes one value may take" in info.value.message


def test_results_within_the_cap_are_built(small_cap):
    assert _run("import re, unicodedata\ns = 'a b, c ' * 10**5\n"
                "print(len(re.sub(r'\\s+', ' ', s)), len(re.findall(r'\\w', s)), "
                "len(re.split(r',\\s*', s)), len(re.sub('(?=(b))', r'<\\1>', s)), "
                "len(unicodedata.normalize('NFD', 'é' * 10**5)))") == \
        "700000 300000 100001 1000000 200000\n"
