"""warnings and contextlib against CPython 3.11 (values, printing, errors): warnings caught
and recorded, filters, a warning's place at its stacklevel; a @contextmanager generator
seeing the `with` body's exception as Python throws it, and the other context managers."""

import io
import warnings

import pytest

from standin_compare import cpython, run_tsh, tsh

from tshell.lang import Interpreter

OLD = ("import warnings\ndef old(x):\n    warnings.warn('old is deprecated', DeprecationWarning,"
       " stacklevel=2)\n    return x\n")
RECORD = "with warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n"
WARNINGS = [
    "import warnings\n" + RECORD + "    warnings.warn('first')\n    warnings.warn('second', "
    "RuntimeWarning)\n    warnings.warn(UserWarning('instance'))\n"
    "print(len(w), [str(m.message) for m in w], [m.category for m in w], w[0].lineno)",
    OLD + RECORD + "    old(1)\n    old(2)\nprint(len(w), w[0].category.__name__, w[1].lineno)",
    "import warnings\n" + RECORD + "    warnings.filterwarnings('ignore', message='skip')\n"
    "    warnings.warn('skip this')\n    warnings.warn('keep this')\n"
    "    warnings.filterwarnings('ignore', category=RuntimeWarning)\n"
    "    warnings.warn('gone', RuntimeWarning)\nprint([str(m.message) for m in w])",
    "import warnings\nwith warnings.catch_warnings():\n    warnings.simplefilter('error')\n"
    "    try:\n        warnings.warn('now an error')\n    except UserWarning as e:\n"
    "        print('caught', repr(e), type(e))",
    "import warnings\nclass MyWarning(UserWarning):\n    pass\n" + RECORD +
    "    warnings.warn('mine', MyWarning)\nprint(w[0].category is MyWarning, "
    "isinstance(w[0].message, MyWarning), issubclass(w[0].category, UserWarning))",
    "import warnings\n" + RECORD + "    warnings.simplefilter('default')\n"
    "    for i in range(3):\n        warnings.warn('in a loop')\nprint(len(w))",
    "import warnings\nprint(warnings.formatwarning('m', UserWarning, 'f.py', 3, '  x = 1  '), "
    "warnings.catch_warnings(), warnings.catch_warnings(record=True))",
    "import warnings\nwith warnings.catch_warnings(action='ignore'):\n    warnings.warn('x')\n"
    "print('quiet')",
    # errors
    "import warnings\nwarnings.warn('x', 'notaclass')", "import warnings\nwarnings.warn('x', int)",
    "import warnings\nwarnings.filterwarnings('bogus')",
    "import warnings\nwarnings.simplefilter('ignore', category=5)",
    "import warnings\nc = warnings.catch_warnings()\nwith c:\n    with c:\n        pass",
]

TIMER = ("from contextlib import contextmanager\n@contextmanager\ndef timer(name):\n"
         "    print('start', name)\n    try:\n        yield name.upper()\n    finally:\n"
         "        print('stop', name)\n")
CONTEXTLIB = [
    TIMER + "with timer('a') as t:\n    print('inside', t)\nprint(timer('z') is not None)",
    TIMER + "try:\n    with timer('b'):\n        raise ValueError('boom')\n"
    "except ValueError as e:\n    print('caught', e)",
    "from contextlib import contextmanager\n@contextmanager\ndef catching():\n    try:\n"
    "        yield\n    except KeyError as e:\n        print('generator caught', repr(e))\n"
    "with catching():\n    raise KeyError('k')\nprint('after')",
    "from contextlib import contextmanager\n@contextmanager\ndef converting():\n    try:\n"
    "        yield 1\n    except ZeroDivisionError:\n        raise RuntimeError('converted')\n"
    "try:\n    with converting():\n        1 / 0\nexcept RuntimeError as e:\n"
    "    print(e)",
    "from contextlib import contextmanager\n@contextmanager\ndef reraising():\n    try:\n"
    "        yield\n    except ValueError:\n        print('seen')\n        raise\n"
    "try:\n    with reraising():\n        raise ValueError('v')\nexcept ValueError as e:\n"
    "    print('outside', e)",
    "from contextlib import contextmanager\n@contextmanager\ndef stopping():\n    yield\n"
    "try:\n    with stopping():\n        raise StopIteration('s')\nexcept StopIteration as e:\n"
    "    print('stop', e)",
    TIMER + "@timer('deco')\ndef f(y):\n    print('f', y)\n    return y * 2\nprint(f(3), f(4))",
    "from contextlib import nullcontext, suppress\nwith nullcontext(5) as v:\n    print(v)\n"
    "with nullcontext():\n    print('nothing')\nwith suppress(KeyError, IndexError):\n    [][1]\n"
    "print('suppressed')\ntry:\n    with suppress(KeyError):\n        1 / 0\n"
    "except ZeroDivisionError:\n    print('not suppressed')",
    TIMER + "from contextlib import ExitStack\nwith ExitStack() as stack:\n"
    "    stack.callback(print, 'callback 1')\n    x = stack.enter_context(timer('c'))\n"
    "    stack.callback(print, 'callback 2', end='!\\n')\n    print('body', x)",
    "from contextlib import ExitStack, suppress\nwith ExitStack() as stack:\n"
    "    stack.enter_context(suppress(ValueError))\n    raise ValueError('hidden')\nprint('ok')",
    "from contextlib import ExitStack\nstack = ExitStack()\nstack.callback(print, 'later')\n"
    "moved = stack.pop_all()\nstack.close()\nprint('moved')\nmoved.close()",
    "from contextlib import closing\nclass Res:\n    def close(self):\n        print('closed')\n"
    "with closing(Res()) as r:\n    print(type(r).__name__)",
    # errors
    "from contextlib import contextmanager\n@contextmanager\ndef none():\n    if False:\n"
    "        yield\nwith none():\n    pass",
    "from contextlib import contextmanager\n@contextmanager\ndef twice():\n    yield\n"
    "    yield\nwith twice():\n    pass",
    "from contextlib import contextmanager\n@contextmanager\ndef twice():\n    try:\n"
    "        yield\n    except ValueError:\n        yield\nwith twice():\n    raise ValueError()",
    "from contextlib import ExitStack\nwith ExitStack() as s:\n    s.enter_context(5)",
    "from contextlib import closing\nwith closing(5):\n    pass",
]


@pytest.mark.parametrize("src", WARNINGS + CONTEXTLIB)
def test_same_output_and_errors_as_cpython(src):
    with warnings.catch_warnings():          # CPython's run must not change the tests' filters
        expected = cpython(src)
    assert tsh(src) == expected


def _stderr_of(src: str, filename: str = "t.tsh") -> str:
    import contextlib
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        Interpreter(stdout=io.StringIO()).run_source(src, filename)
    return err.getvalue()


def test_a_warning_is_shown_at_its_stacklevel_once_per_line():
    src = OLD + "old(1)\nfor i in range(3):\n    warnings.warn('in a loop')\n"
    assert _stderr_of(src) == ("t.tsh:5: DeprecationWarning: old is deprecated\n  old(1)\n"
                               "t.tsh:7: UserWarning: in a loop\n"
                               "  warnings.warn('in a loop')\n")


def test_filters_silence_the_library_too():
    interp = Interpreter(stdout=io.StringIO())
    import contextlib
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        interp.run_source("import warnings\nwarnings.filterwarnings('ignore')\n"
                          "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n"
                          "y.grad\nwarnings.warn('quiet')", "t.tsh")
        assert err.getvalue() == ""
        interp.run_source("y.grad\nwarnings.simplefilter('default')\nwarnings.warn('heard')",
                          "u.tsh")
    assert "u.tsh:3: UserWarning: heard" in err.getvalue()


def test_the_program_cannot_replace_showwarning():
    out, error = tsh("import warnings\nwarnings.showwarning = print")
    assert error is not None and error.startswith("AttributeError")


def test_showwarning_writes_to_the_programs_file():
    out = run_tsh("import warnings\nclass F:\n    def write(self, s):\n        print(repr(s))\n"
                  "warnings.showwarning('m', UserWarning, 'x.py', 2, F())")
    assert out == "'x.py:2: UserWarning: m\\n'\n"


def test_filters_hold_from_one_input_to_the_next_as_in_pythons_repl():
    import contextlib
    before = list(warnings.filters)
    interp = Interpreter(stdout=io.StringIO())
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        interp.run_source("import warnings\nwarnings.filterwarnings('ignore')", "a")
        interp.run_source("warnings.warn('hidden')", "b")
        interp.run_source("warnings.resetwarnings()\nwarnings.warn('shown')", "c")
        Interpreter(stdout=io.StringIO()).run_source("import warnings\nwarnings.warn('new')",
                                                     "d")
    assert err.getvalue() == ("c:2: UserWarning: shown\n  warnings.warn('shown')\n"
                              "d:2: UserWarning: new\n  warnings.warn('new')\n")
    assert warnings.filters == before                  # the host's are as they were
