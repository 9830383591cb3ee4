"""typing and dataclasses.

typing: the names tsh programs import print, subscript and fail as typing's do (compared with
CPython 3.11). dataclasses: tsh classes are real Python classes whose `__annotations__` map
field names to the annotation's source text; CPython's dataclasses accepts such classes too,
so each case makes the same class twice, decorates one with CPython's dataclass and one with
the stand-in's, and compares what the program sees (reprs, comparisons, errors, asdict...)."""

import dataclasses as real_dataclasses
import io
import sys
import types
import typing

import pytest

from tshell.lang import Interpreter, TshRuntimeError
from standin_compare import cpython, run_tsh, tsh, tsh_error

TYPING = [
    "List", "List[int]", "Dict[str, List[int]]", "Optional[int]", "Union[int, str, None]",
    "Optional[Union[int, str]]", "Callable[[int, str], float]", "Callable[..., int]",
    "Tuple[int, ...]", "Tuple[()]", "Any", "TypeVar('T')", "Generic[TypeVar('T')]",
    "Literal['a', 1]", "Annotated[int, 'x']", "List['Foo']", "Iterable[int]", "Type[int]",
    "ClassVar[int]", "Final[int]", "Union[int]", "Union[int, str] == Union[str, int]",
    "Union[int, Union[str, float]]", "Optional[None]", "Set[int]", "FrozenSet[int]",
    "Deque[int]", "DefaultDict[str, int]", "Counter[str]", "Sequence", "Hashable", "NoReturn",
    "Never", "Self", "Tuple", "Callable", "Type", "TypeVar('T', int, str)",
    "TypeVar('T', covariant=True)", "Iterator[Tuple[int, str]]", "List[int] == List[int]",
    "Optional[int] | str", "int | List[int]", "Mapping[str, Any]", "AnyStr",
    "isinstance([], List)", "isinstance({}, Mapping)", "isinstance(1, Iterable)",
    "get_args(Dict[str, int])", "get_args(Callable[[int], str])", "get_args(int)",
    "get_origin(int)", "cast(int, 'a')", "NewType('UserId', int)(5)", "NewType('UserId', int)",
    "TypedDict('TD', {'x': int})", "TypedDict('TD', {'x': int})(x=1)", "TYPE_CHECKING",
    "Text", "final(len)", "NamedTuple('P', [('x', int)])(x=1)",
    "NamedTuple('P', [('x', int), ('y', str)])", "assert_type(5, int)",
    # errors
    "List[int, str]", "List()", "Any()", "isinstance([], List[int])", "Union[()]",
    "Optional[int, str]", "Dict[int]", "isinstance(1, Any)", "Generic[int]",
    "ClassVar[int, str]", "List[int][str]", "Any[int]", "Tuple[int][str]", "Literal",
    "assert_never(1)", "TypeVar('T', int)",
    "TypeVar('T', covariant=True, contravariant=True)",
]


@pytest.mark.parametrize("expr", TYPING)
def test_typing_as_cpython(expr):
    src = f"from typing import *\nimport typing\nprint(repr({expr}))"
    names = ", ".join(n for n in __import__("typing").__all__)
    src = src.replace("from typing import *", f"from typing import {names}")
    assert tsh(src) == cpython(src)


def test_typing_objects_expose_nothing():
    for expr in ("List.__origin__", "List[int].__args__", "TypeVar('T').__name__", "Any.mro",
                 "Optional[int]._args", "List[int].copy_with"):
        assert tsh_error(f"from typing import List, Any, TypeVar, Optional\n{expr}")[0] == \
            "AttributeError", expr


def test_get_origin_names_tshs_classes():
    assert run_tsh("from typing import List, Dict, Iterable, get_origin\n"
                   "print(get_origin(List[int]) is list, get_origin(Dict[str, int]) is dict, "
                   "get_origin(Iterable[int]))") == "True True typing.Iterable\n"


def test_deep_tuples_in_typing_objects_are_refused_before_hashing():
    kind, message = tsh_error("from typing import List\nt = ()\n"
                              "for i in range(200000):\n    t = (t,)\nhash(List[t])")
    assert kind == "RecursionError" and "hashing a tuple" in message
    for union in ("Union[t, int] == Union[int, t]", "Union[Literal[t], int]"):
        assert tsh_error("from typing import Union, Literal\nt = ()\n"
                         "for i in range(200000):\n    t = (t,)\n" + union)[0] == \
            "RecursionError"


def test_deeply_nested_typing_objects_are_refused():
    kind, message = tsh_error("from typing import List\nT = int\nfor i in range(200000):\n"
                              "    T = List[T]\n")
    assert kind == "RecursionError" and "nesting typing objects" in message


# ---------------------------------------------------------------------- dataclasses
@pytest.fixture(scope="module")
def standin():
    Interpreter(stdout=io.StringIO())                # the runtime's tables
    from tshell.lang.standins import dataclasses as mine
    return mine


# The module of the tsh-like classes: it binds the names a tsh program imports to write its
# annotations, which is how CPython's dataclass recognises 'ClassVar[int]' in source text.
PROGRAM = types.ModuleType("tsh_program")
PROGRAM.__dict__.update(typing=typing, ClassVar=typing.ClassVar, dataclasses=real_dataclasses,
                        InitVar=real_dataclasses.InitVar, KW_ONLY=real_dataclasses.KW_ONLY)
sys.modules["tsh_program"] = PROGRAM


def tsh_like_class(name, annotations, attrs=(), bases=()):
    """A class as tsh makes one: annotations are source text."""
    namespace = {"__annotations__": dict(annotations), "__module__": "tsh_program",
                 "__qualname__": name}
    namespace.update(attrs)
    return type(name, tuple(bases) or (object,), namespace)


def outcome(fn):
    try:
        return repr(fn())
    except TshRuntimeError as e:
        return f"{e.type_name}: {e.message}"
    except Exception as e:     # compared
        name = type(e).__name__.removeprefix("Tsh")      # TshAttributeError: AttributeError
        return f"{name}: {e}"


# (annotations, attributes made with module dc, decorator options, what to evaluate with C, dc)
CASES = [
    ({"x": "int", "y": "str"}, lambda dc: {"y": "a"}, {},
     ["C(1)", "C(1, 'b')", "C(y='q', x=2)", "C(1) == C(1)", "C(1) == C(2)", "C(1) != C(1, 'z')",
      "C()", "C(1, 2, 3)", "C(1, z=2)", "C(1, x=1)", "C.__doc__", "dc.fields(C)[0].name",
      "[f.name for f in dc.fields(C(1))]", "dc.asdict(C(1))", "dc.astuple(C(1))",
      "dc.replace(C(1), y='n')", "dc.replace(C(1), z=0)", "dc.is_dataclass(C)",
      "dc.is_dataclass(C(1))", "dc.is_dataclass(1)", "C.__hash__", "C.__match_args__"]),
    ({"a": "int", "b": "list"}, lambda dc: {"b": dc.field(default_factory=list)}, {},
     ["C(1)", "C(1).b is C(1).b", "C(1, [2])", "dc.fields(C)[1].default_factory is list"]),
    ({"a": "int", "b": "int"}, lambda dc: {}, {"order": True},
     ["C(1, 2) < C(1, 3)", "C(2, 0) >= C(1, 9)", "sorted([C(3, 1), C(1, 2)])", "C(1, 2) < 5"]),
    ({"a": "int"}, lambda dc: {}, {"frozen": True},
     ["C(1)", "hash(C(1)) == hash((1,))", "setattr(C(1), 'a', 2)", "delattr(C(1), 'a')",
      "setattr(C(1), 'other', 2)"]),
    ({"a": "int"}, lambda dc: {}, {"unsafe_hash": True}, ["hash(C(4)) == hash((4,))"]),
    ({"a": "int"}, lambda dc: {}, {"eq": False}, ["C(1) == C(1)", "C.__hash__ is object.__hash__"]),
    ({"a": "int", "b": "int"}, lambda dc: {"a": 1}, {}, []),                 # default order
    ({"a": "list"}, lambda dc: {"a": []}, {}, []),                           # mutable default
    ({"a": "int"}, lambda dc: {}, {"order": True, "eq": False}, []),
    ({"a": "int", "b": "ClassVar[int]", "c": "typing.ClassVar[str]"},
     lambda dc: {"b": 5, "c": "x"}, {}, ["C(1)", "len(dc.fields(C))", "C.b"]),
    ({"a": "int", "_": "KW_ONLY", "b": "int"}, lambda dc: {"b": 2}, {},
     ["C(1)", "C(1, b=3)", "C(1, 3)", "C(b=1)"]),
    ({"a": "int", "b": "int"}, lambda dc: {"b": dc.field(default=0, kw_only=True)}, {},
     ["C(1, b=2)", "C(1, 2)"]),
    ({"a": "int", "b": "int"}, lambda dc: {}, {"kw_only": True}, ["C(a=1, b=2)", "C(1, 2)"]),
    ({"a": "int", "b": "int"},
     lambda dc: {"b": dc.field(default=2, repr=False, compare=False, init=False)}, {},
     ["C(1)", "C(1) == C(1)", "C(1, 2)", "dc.replace(C(1), b=3)", "dc.fields(C)[1].init"]),
    ({"a": "int", "b": "InitVar[int]"},
     lambda dc: {"__post_init__": lambda self, b: setattr(self, "c", self.a + b)}, {},
     ["C(1, 2).c", "C(1, 2)", "len(dc.fields(C))", "C(1)"]),
    ({"a": "int"}, lambda dc: {"__post_init__": lambda self: setattr(self, "a", self.a * 10)},
     {}, ["C(2)"]),
    ({"x": "int"}, lambda dc: {"y": dc.field(default=1)}, {}, []),          # field, no type
    ({"x": "int"}, lambda dc: {"x": dc.field(default=1, default_factory=int)}, {}, []),
    ({"x": "int"}, lambda dc: {"x": dc.field(init=False)}, {},
     ["C()", "C() == C()", "dc.asdict(C())", "dc.replace(C())", "C(1)"]),
    ({"x": "int", "y": "dict"}, lambda dc: {"y": dc.field(default_factory=dict)}, {},
     ["dc.asdict(C(1, {'k': [1, (2, 3)]}))", "dc.astuple(C(1, {'k': [1]}))"]),
]


def _decorate(module, annotations, attrs, options):
    cls = tsh_like_class("C", annotations, attrs(module))
    return module.dataclass(**options)(cls)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_dataclass_as_cpython(case, standin):
    annotations, attrs, options, checks = CASES[case]
    made = {}
    for key, module in (("cpython", real_dataclasses), ("tsh", standin)):
        made[key] = outcome(lambda: _decorate(module, annotations, attrs, options))  # noqa: B023
        if made[key].startswith("<class"):
            cls = _decorate(module, annotations, attrs, options)
            made[key] = [outcome(lambda: eval(check, {"C": cls, "dc": module}))  # noqa: B023
                         for check in checks]
    assert made["tsh"] == made["cpython"]


def test_nested_dataclasses_in_asdict(standin):
    for module in (real_dataclasses, standin):
        inner = module.dataclass(tsh_like_class("Inner", {"v": "int"}))
        outer = module.dataclass(tsh_like_class("Outer", {"i": "Inner", "l": "list"}))
        value = outer(inner(1), [inner(2)])
        assert module.asdict(value) == {"i": {"v": 1}, "l": [{"v": 2}]}
        assert module.astuple(value) == ((1,), [(2,)])
        assert repr(value) == "Outer(i=Inner(v=1), l=[Inner(v=2)])"


def test_inherited_dataclass_fields(standin):
    results = []
    for module in (real_dataclasses, standin):
        base = module.dataclass(tsh_like_class("Base", {"a": "int"}, {"a": 0}))
        child = module.dataclass(tsh_like_class("Child", {"b": "int"}, {"b": 1}, [base]))
        results.append((repr(child()), repr(child(5, 6)),
                        [f.name for f in module.fields(child)],
                        outcome(lambda: module.dataclass(frozen=True)(  # noqa: B023
                            tsh_like_class("F", {}, (), [base])))))  # noqa: B023
    assert results[0] == results[1]


def test_a_recursive_dataclass_repr(standin):
    for module in (real_dataclasses, standin):
        cls = module.dataclass(tsh_like_class("Node", {"next": "Node"}))
        node = cls(None)
        node.next = node
        assert repr(node) == "Node(next=...)"


def test_dataclass_refuses_tshells_and_pythons_classes():
    for target in ("torch.Tensor", "int", "list", "dict", "collections.OrderedDict",
                   "np.ndarray", "type(torch.ones(1))", "dataclasses.Field",
                   "random.Random", "torch.float32", "print", "len"):
        kind, message = tsh_error(f"import dataclasses, collections, random\n"
                                  f"dataclasses.dataclass({target})")
        assert kind == "TypeError", (target, kind, message)
    from tshell import core
    assert "__dataclass_fields__" not in vars(core.Tensor)
    assert tsh_error("import functools\nfunctools.total_ordering(torch.Tensor)")[0] == \
        "TypeError"


MADE = [
    "import dataclasses as dc\nP = dc.make_dataclass('P', ['x', ('y', int), ('z', int, "
    "dc.field(default=5))])\np = P(1, 2)\nprint(p, p.x, p.z, p == P(1, 2), "
    "[f.name for f in dc.fields(P)], dc.asdict(p), dc.astuple(p), dc.replace(p, x=9), P)",
    "import dataclasses as dc\nP = dc.make_dataclass('P', [('x', int)], frozen=True, "
    "order=True)\nprint(P(1) < P(2), hash(P(1)) == hash((1,)), P(3))",
    "import dataclasses as dc\nP = dc.make_dataclass('P', [('x', int)])\np = P(1)\n"
    "p.x = 5\nprint(p, dc.is_dataclass(p), dc.is_dataclass(P), dc.is_dataclass(5))",
    "import dataclasses as dc\nprint(dc.field(default=1).default, dc.MISSING is dc.MISSING, "
    "dc.field().init, dc.InitVar[int], dc.KW_ONLY is dc.KW_ONLY)",
    "import dataclasses as dc\ndc.make_dataclass('P', ['x', 'x'])",
    "import dataclasses as dc\ndc.field(default=1, default_factory=list)",
    "import dataclasses as dc\ndc.fields(5)", "import dataclasses as dc\ndc.asdict(5)",
    "import dataclasses as dc\ndc.replace(5)",
]


@pytest.mark.parametrize("src", MADE)
def test_make_dataclass_and_helpers_as_cpython(src):
    assert tsh(src) == cpython(src)


def test_a_frozen_made_dataclass_refuses_assignment():
    kind, message = tsh_error("import dataclasses as dc\nP = dc.make_dataclass('P', "
                              "[('x', int)], frozen=True)\np = P(1)\np.x = 2")
    assert kind == "AttributeError"
