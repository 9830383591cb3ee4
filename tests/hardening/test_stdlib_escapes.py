"""The warnings, contextlib, enum, abc, sys, argparse, heapq, bisect, os and pathlib
stand-ins (docs/security.md, "Module stand-ins"): escapes through their objects, the
program's callbacks they run (a context manager's generator, an enum's methods, argparse's
type= functions, warnings' file objects) and format strings are refused; nothing they hand
out has reach (the audit's walk, from values of each kind); they read no host file and no
host environment variable."""

import io
import os

import pytest

from tshell.lang import Interpreter, sandbox

from .escapes import refused
from .test_sandbox_audit import FORBIDDEN_TYPES, children

SETUP = """import warnings, contextlib, enum, abc, sys, argparse, heapq, bisect, os, pathlib
from contextlib import contextmanager
from enum import Enum, IntEnum, auto
from abc import ABC, abstractmethod
@contextmanager
def managed(x):
    try:
        yield x
    except ValueError as e:
        caught.append(e)
caught = []
cm = managed(1)
class Color(Enum):
    RED = 1
    GREEN = auto()
    def describe(self):
        return self.name
class Base(ABC):
    @abstractmethod
    def f(self):
        pass
parser = argparse.ArgumentParser(prog='p')
action = parser.add_argument('--x', type=int, default=1)
args = parser.parse_args([])
path = pathlib.Path('a') / 'b.pt'
with warnings.catch_warnings(record=True) as recorded:
    warnings.simplefilter('always')
    warnings.warn('w')
"""

ESCAPES = [
    # warnings
    "warnings.showwarning = print", "warnings.formatwarning = print", "warnings.filters",
    "warnings.onceregistry", "warnings._showwarnmsg", "warnings.linecache", "warnings.sys",
    "warnings.warn.__globals__", "warnings.catch_warnings()._host",
    "warnings.catch_warnings().__class__.__mro__", "recorded[0].__class__.__init__.__globals__",
    "recorded[0].message.__traceback__", "recorded[0]._category",
    "warnings.showwarning('m', UserWarning, 'f', 1, file=5)",
    "warnings.warn('x', type(print))", "warnings.filterwarnings('error', category=print)",
    # contextlib: the generator, its frame, the traceback of what the body raised
    "cm._gen", "cm.gen", "cm.func", "cm.args", "cm.__exit__.__globals__", "cm._gen.gi_frame",
    "contextmanager.__closure__", "managed.__wrapped__", "managed.__closure__",
    "with managed(1):\n    raise ValueError('v')\ncaught[0].__traceback__.tb_frame",
    "with managed(1):\n    raise ValueError('v')\ncaught[0].__context__",
    "@contextmanager\ndef frames():\n    try:\n        yield\n    except Exception as e:\n"
    "        e.__traceback__\nwith frames():\n    1 / 0",
    "contextlib.ExitStack()._exits", "contextlib.ExitStack().callback(1).__self__",
    "with contextlib.closing(torch.ones(1)):\n    pass",
    "contextlib.suppress(KeyError)._exceptions", "contextlib.nullcontext().__enter__.__func__",
    "contextlib.redirect_stdout", "contextlib._GeneratorContextManager",
    "contextlib.AbstractContextManager",
    # enum: internals of classes and members, through methods, getattr and format strings
    "Color._member_map_", "Color._value2member_map_", "Color._new_member_", "Color.__members__",
    "Color.RED._value_", "Color.RED._name_", "Color.RED.__reduce_ex__(2)", "Color.mro()",
    "Color._create_", "Color._missing_(1)", "Color.RED.__class__.__mro__", "type(Color).__call__",
    "Enum.__subclasses__()", "Color.__class__.__prepare__", "auto()._value",
    "auto().__class__.__init__", "enum.EnumType", "enum.EnumMeta", "enum._EnumDict",
    "enum.property", "getattr(Color, '_member_map_')", "getattr(Color.RED, '__reduce__')",
    "'{0._value_}'.format(Color.RED)", "'{0.__class__.__mro__}'.format(Color.RED)",
    "f'{Color.RED._name_}'", "'%(a)s' % {'a': Color._member_map_}",
    "Color.RED.describe.__func__.__globals__", "Color.__tsh_class_mark__",
    "class Bad(Enum):\n    A = 1\n    def leak(self):\n        return self.__dict__\nBad.A.leak()",
    "class Bad(Enum):\n    A = 1\n    def __init__(self, v):\n        self._value_.__class__\n",
    "Color.RED = 5", "del Color.RED",
    # abc
    "Base.register(list)", "Base.__abstractmethods__", "Base._abc_impl", "abc.ABCMeta",
    "abc.get_cache_token", "abc._abc_init", "abstractmethod.__wrapped__",
    "type(Base).__new__", "Base.__class__.__instancecheck__",
    # sys
    "sys.modules", "sys.path", "sys._getframe", "sys.settrace", "sys.setprofile",
    "sys.setrecursionlimit", "sys.executable", "sys.stdin", "sys.__stdout__",
    "sys.stdout._interp", "sys.stdout._target()", "sys.stdout.buffer", "sys.stdout.fileno",
    "sys.stdout.__class__.__init__", "sys.exit.__self__", "sys.version_info.__class__.__mro__",
    "sys.getsizeof", "sys.intern", "sys.exc_info", "sys.excepthook", "sys.displayhook",
    "sys.addaudithook", "sys.orig_argv", "sys.flags", "sys.implementation",
    "'{0._interp}'.format(sys.stdout)", "getattr(sys.stdout, '_interp')",
    # argparse: the host parser, actions, and callables the parser would run
    "parser._host", "parser._parser", "parser._interp", "parser._argv", "action._action",
    "action.__class__.__init__", "action.dest = '__class__'", "args.__class__.__mro__",
    "args.__dict__", "parser.add_argument('--y', action=argparse._StoreAction)",
    "parser.add_argument('--y', action=type(action))", "parser.add_argument('--y', action=print)",
    "parser.add_argument('--__y')", "parser.add_argument('--y', dest='__dict__')",
    "parser.set_defaults(__class__=int)", "argparse.Namespace(__class__=int)",
    "setattr(args, '__class__', int)", "parser.parse_args([], namespace=sys.stdout)",
    "argparse.ArgumentParser(fromfile_prefix_chars='@')",
    "argparse.ArgumentParser(formatter_class=type('F', (), {}))",
    "argparse.ArgumentParser(parents=[5])", "parser.register", "parser._registries",
    "parser._actions", "parser.add_subparsers", "argparse._sys", "argparse._os",
    "argparse.FileType", "argparse.ArgumentParser._HostParser",
    "parser.add_argument('--z', help='%(default)100000000000s')",
    "parser.add_argument('--z', version='%(prog)*d')",
    "parser.add_argument('w', nargs=10**12)", "parser.add_argument('--c', choices=range(10**14))",
    # heapq and bisect
    "heapq.merge([1])._merged", "heapq.merge([1])._merged.gi_frame", "heapq.heappush.__self__",
    "heapq._heapify_max", "heapq.nlargest.__globals__", "bisect.insort.__wrapped__",
    "bisect.insort(torch.ones(2), 1)",
    # os and pathlib: no host file content, no folder listing, no host facts
    "os.system", "os.popen", "os.listdir", "os.getcwd", "os.remove", "os.environ._data",
    "os.environ.__class__.__init__", "os.path.abspath", "os.path.expanduser", "os.path.realpath",
    "os.path.join.__globals__", "os.path.exists.__wrapped__", "os.fspath", "os.stat",
    "os.getenv.__closure__", "path._pure", "path._pure.__class__", "path.read_text()",
    "path.write_text('x')", "path.open()", "path.iterdir()", "path.glob('*')", "path.resolve()",
    "pathlib.Path.home()", "pathlib.Path.cwd()", "pathlib.PurePosixPath", "path.__fspath__",
    "pathlib.Path(type(print))",
]


def _refused(src: str):
    return refused(SETUP + src)


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_are_refused_and_print_nothing(src):
    error, printed = _refused(src)
    assert error.type_name in ("AttributeError", "TypeError", "ImportError", "ValueError",
                               "SyntaxError", "MemoryError", "AssertionError"), error.format()
    assert printed == ""


def _values() -> dict:
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source(SETUP + "values = dict(warnings=warnings, contextlib=contextlib, "
                      "enum=enum, abc=abc, sys=sys, argparse=argparse, heapq=heapq, "
                      "bisect=bisect, os=os, pathlib=pathlib, cm=cm, Color=Color, "
                      "red=Color.RED, Base=Base, parser=parser, action=action, args=args, "
                      "path=path, recorded=recorded, record=recorded[0], "
                      "stack=contextlib.ExitStack(), merge=heapq.merge([1]), "
                      "environ=os.environ, group=parser.add_argument_group('g'), "
                      "stdout=sys.stdout, catch=warnings.catch_warnings(), auto=auto(), "
                      "suppress=contextlib.suppress(), null=contextlib.nullcontext(1))\n",
                      "<audit>")
    return interp.namespace["values"]


def test_nothing_they_hand_out_has_reach():
    """The audit's walk (tests/hardening/test_sandbox_audit.py) from a value of each kind."""
    import collections
    seen, queue = {}, collections.deque((name, value, 0) for name, value in _values().items())
    while queue:
        path, value, depth = queue.popleft()
        if id(value) in seen or depth > 4:
            continue
        seen[id(value)] = value
        assert not isinstance(value, FORBIDDEN_TYPES), f"{path} is a {type(value)}"
        if callable(value) and not isinstance(value, type):
            module = getattr(getattr(value, "__func__", value), "__module__", None) or ""
            assert module.split(".")[0] not in ("os", "sys", "posixpath", "argparse",
                                                "warnings", "contextlib", "enum", "abc",
                                                "pathlib", "subprocess") or \
                value in _vetted(), f"{path} is {value!r} from {module}"
        names = sandbox.allowed_attributes(value)
        assert not [n for n in names if n.startswith("_")], path
        for child in children(path, value):
            queue.append((*child, depth + 1))
    assert len(seen) > 150


def _vetted() -> set:
    from tshell.lang import standins
    return standins.host_callables()


def test_warnings_never_read_the_file_they_name(tmp_path):
    secret = tmp_path / "secret.py"
    secret.write_text("TOKEN = 'hunter2'\n")
    out = io.StringIO()
    import contextlib
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        Interpreter(stdout=out).run_source(
            f"import warnings\nprint(warnings.formatwarning('m', UserWarning, {str(secret)!r}, 1))"
            f"\nwarnings.showwarning('m', UserWarning, {str(secret)!r}, 1)", "<t>")
    assert "hunter2" not in out.getvalue() + err.getvalue()


def test_no_host_environment_variable_is_readable(monkeypatch):
    monkeypatch.setenv("TSHELL_TEST_SECRET", "hunter2")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(
        "import os\nprint(os.environ, os.getenv('TSHELL_TEST_SECRET'), "
        "os.environ.get('PATH'), os.environ.get('HOME'))", "<t>")
    assert out.getvalue() == "environ({}) None None None\n"
    Interpreter(stdout=io.StringIO()).run_source(
        "import os\nos.environ['TSHELL_TEST_SECRET'] = 'changed'", "<t>")
    assert os.environ["TSHELL_TEST_SECRET"] == "hunter2"


def test_callbacks_run_as_the_programs_code():
    """type= functions, enum methods, a context manager's generator and a warning's file
    are the program's code: their errors are the program's, reported as such."""
    for src, kind in [
            ("def t(s):\n    return s._x\np = argparse.ArgumentParser()\n"
             "p.add_argument('--a', type=t)\np.parse_args(['--a', '1'])", "AttributeError"),
            ("class E(Enum):\n    A = 1\n    def __init__(self, v):\n        v.__class__.__mro__\n",
             "AttributeError"),
            ("@contextmanager\ndef g():\n    yield\n    [].__class__.__subclasses__()\n"
             "with g():\n    pass", "AttributeError"),
            ("class F:\n    def write(self, s):\n        s.__class__.__mro__\n"
             "warnings.showwarning('m', UserWarning, 'f', 1, F())", "AttributeError")]:
        error, printed = _refused(src)
        assert error.type_name == kind, error.format()
        assert "InternalError" not in error.format()
