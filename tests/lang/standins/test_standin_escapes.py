"""Escape attempts through the module stand-ins (docs/security.md, "Module stand-ins"): each
must be refused with a tsh error, print nothing, and leave tshell's and Python's classes as
they were."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError, typeview
from tshell.lang.standins import STANDINS, load

SETUP = ("import math, cmath, random, itertools, functools, operator, collections, time, "
         "typing, dataclasses, copy, string, statistics, json\n")

ESCAPES = [
    # operator: the getters go through the sandbox
    "operator.attrgetter('__class__.__mro__')(1)",
    "operator.attrgetter('real.__class__.__base__')(1)",
    "operator.attrgetter('_members')(operator)",
    "operator.methodcaller('__reduce_ex__', 2)([])",
    "operator.methodcaller('mro')(int)",
    "operator.methodcaller('__subclasses__')(type(1))",
    "operator.itemgetter('_members')(operator)",
    # functools
    "functools.partial(getattr, 1, '__dict__')()",
    "functools.partial(print).__setstate__",
    "functools.partial(abs).__reduce__()",
    "functools.lru_cache(abs)._cached",
    "functools.lru_cache(abs).cache_info().__class__.__bases__",
    "def f(x):\n    return x\nfunctools.wraps(len)(f).__wrapped__",
    "functools.total_ordering(torch.Tensor)",
    "functools.total_ordering(list)",
    "functools.singledispatch(abs).registry[object].__self__",
    "functools.cmp_to_key(abs)._cmp",
    # copy: the pickle protocol is never run
    "copy.deepcopy(torch)",
    "copy.copy(torch.manual_seed(0))",
    "copy.deepcopy(np.random)",
    "copy.deepcopy(iter([1]))",
    "copy.copy(torch.no_grad())",
    "copy.deepcopy(itertools.count())",
    # collections
    "collections.namedtuple('P', ['__class__'])",
    "collections.namedtuple('P', ['_fields'])",
    "collections.namedtuple('P) ; import os; (', 'x')",
    "collections.namedtuple('P', 'x')(1)._asdict()",
    "collections.namedtuple('P', 'x')._make([1])",
    "collections.OrderedDict().__class__.__dict__",
    "collections.deque().__reduce__()",
    "collections.defaultdict(list).default_factory.__globals__",
    "collections.Counter()._keep_positive()",
    # json
    "json.loads('{}', cls=dict)",
    "json.dumps(1, cls=dict)",
    "json.loads('{}', object_hook=type).__init__",
    "json.load",
    "from json import load",
    "json.JSONDecodeError.__init__.__globals__",
    # string
    "from string import Formatter",
    "string.Formatter().format('{0.__class__}', 1)",
    "string.Template('$a').pattern",
    "string.Template('${a.__class__}').substitute(a=1)",
    "string.Template('$a')._python",
    # random
    "random.Random().__class__.__subclasses__()",
    "random.Random()._r",
    "random.Random()._generator",
    "random.seed.__self__",
    # typing
    "typing.cast(int, print).__self__",
    "typing.List.__origin__",
    "typing.get_origin(typing.Iterable[int]).register",
    "typing.Generic.__mro_entries__",
    # dataclasses
    "dataclasses.make_dataclass('P', [('x', int, dataclasses.field(default_factory=type))])()",
    "dataclasses.dataclass(torch.Tensor)",
    "dataclasses.make_dataclass('P', ['x'], namespace={'__getattr__': print})",
    "dataclasses.make_dataclass('P', ['x'], bases=(torch.Tensor,))",
    "dataclasses.fields(dataclasses.make_dataclass('P', ['x']))[0]._field_type",
    "dataclasses.make_dataclass('P', ['_secret'])",
    # itertools
    "itertools.chain.__dict__",
    "itertools.chain.from_iterable.__self__",
    "itertools.tee([1])[0]._source",
    "type(itertools.chain)('x', (), {})",
    "itertools.count().__reduce__()",
    # math, time, statistics
    "math.factorial.__wrapped__",
    "math.sqrt.__self__",
    "time.sleep.__self__",
    "statistics.NormalDist()._nd",
    "statistics.StatisticsError.__subclasses__()",
    "statistics.mean.__wrapped__",
    # modules that stay refused
    "import subprocess", "import copyreg", "import pickle", "import io", "from os import system",
    "from functools import _lru_cache_wrapper",
]

# Classes whose attributes an escape might try to change (dataclass, total_ordering...).
WATCHED = ("tshell.core:Tensor", "tshell.core:Size", "builtins:list", "builtins:int",
           "collections:OrderedDict", "tshell.lang.standins.collections:OrderedDict",
           "tshell.lang.standins.random:Random", "dataclasses:Field")


def _snapshot() -> dict:
    import importlib
    out = {}
    for spec in WATCHED:
        module, name = spec.split(":")
        cls = getattr(importlib.import_module(module), name)
        out[spec] = {k: id(v) for k, v in vars(cls).items()}
    return out


def test_there_are_many_escape_attempts():
    assert len(ESCAPES) >= 40


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_are_refused_without_a_side_effect(src):
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    before = _snapshot()
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        interp.run_source(SETUP + src + "\n", "<escape>")
    assert info.value.type_name in ("AttributeError", "TypeError", "ImportError", "NameError",
                                    "ValueError", "SyntaxError"), info.value.format()
    assert out.getvalue() == ""
    assert _snapshot() == before


def test_no_stand_in_hands_out_a_host_module_or_private_name():
    import types
    Interpreter(stdout=io.StringIO())
    for name in STANDINS:
        members = load(name)._members
        for member, value in members.items():
            assert not member.startswith("_"), (name, member)
            assert not isinstance(value, types.ModuleType), (name, member)


def test_program_classes_are_told_from_tshells():
    from tshell.lang.standins._classes import is_program_class
    Interpreter(stdout=io.StringIO())
    from tshell import core
    import collections
    made = type("C", (), {"__module__": "__main__"})
    assert is_program_class(made)
    for cls in (core.Tensor, int, list, collections.OrderedDict, typeview.ClassName,
                load("collections")._members["deque"], load("functools")._members["partial"]):
        assert not is_program_class(cls), cls
