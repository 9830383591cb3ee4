"""Sandbox (docs/security.md): escapes fail with a clean tsh error, never a Python object."""

import contextlib
import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError
from tshell.lang import sandbox

ESCAPES = [
    "print.__self__",
    "type(1).mro",
    "type(1).mro()",
    "x = [1]\nx.__class__.__init__",
    "().__class__.__bases__[0].__subclasses__()",
    "''.__class__.__mro__",
    "__import__('os')",
    "__builtins__",
    "open('/etc/passwd')",
    "eval('1')",
    "exec('x = 1')",
    "getattr(getattr(1, '__class__'), '__init__')",
    "globals()",
    "vars()",
    "compile('1', 'f', 'eval')",
    "import subprocess",
    "import io",
    "from os import system",
    "import numpy.random.bit_generator",
    "import torch.backend",
    "'{0.__class__}'.format(1)",
    "'{0[0]}'.format([1])",
    "'{x.__class__}'.format(x=1)",
    "def f():\n    pass\nf.__globals__",
    "def f():\n    pass\nf.__code__",
    "def f():\n    pass\nf.name",
    "len.__self__",
    "print.__call__",
    "sorted.__doc__",
    "torch.__dict__",
    "np.__loader__",
    "np.random.bit_generator",
    "np.random.default_rng(0).bit_generator",
    "np.ctypeslib",
    "type(type(1))('X', (), {})",
    "int.from_bytes",
    "range(3).__iter__",
    "help.__globals__",
    "[].append.__self__",
    "x = 1\nx.__class__ = list",
    "x = [1]\nx.foo = 1",
    "torch.zeros = 1",
    "(1).real.__class__.__subclasses__()",
    "d = {}\nd.__setitem__('a', 1)",
    "argv.__class__.__dict__",
    "np.ones(2).ctypes",
    "np.ones(2).tofile('x')",
    "np.ones(2).dump('x')",
    "np.ones(2).base",
    "np.add.reduce",
    "torch.Tensor.add(1, 2)",           # a method read from the class takes tensors only
    "torch.Tensor.add.__wrapped__",
    "torch.nn.Module.mro",
    "torch.nn.Linear.__subclasses__()",
    "ValueError.with_traceback",
    "torch.nn.Module.forward(1)",
    "torch.nn.Linear.dump_patches",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_fail_cleanly(src):
    interp = Interpreter(stdout=io.StringIO())
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        interp.run_source(src + "\n", "t.tsh")
    e = info.value
    if isinstance(e, TshRuntimeError):
        assert e.type_name in ("AttributeError", "NameError", "ImportError", "ValueError",
                               "TypeError")
    assert "Traceback" not in e.format()


def test_dunder_names_cannot_be_bound():
    with pytest.raises(TshSyntaxError):
        Interpreter().run_source("__x__ = 1\n", "t.tsh")


def test_private_attribute_message_is_clear():
    interp = Interpreter(stdout=io.StringIO())
    with pytest.raises(TshRuntimeError) as info:
        interp.run_source("x = [1]\nx.__dict__\n", "t.tsh")
    assert info.value.message == ("'list' object has no attribute '__dict__' "
                                  "(names starting with '_' are not accessible in tsh)")


def test_type_of_a_class_cannot_build_classes():
    out = io.StringIO()
    Interpreter(stdout=out).run_source("print(type(int))\n", "t.tsh")
    assert out.getvalue() == "<class 'type'>\n"


def test_allowed_attributes_work():
    out = io.StringIO()
    Interpreter(stdout=out).run_source(
        "xs = [3, 1]\nxs.sort()\nd = {'a': 1}\nprint(xs, d.get('a'), (2.5).is_integer(), "
        "'Ab'.lower(), range(5).stop)\n", "t.tsh")
    assert out.getvalue() == "[1, 3] 1 False ab 5\n"


def test_module_names_read_as_pytorchs():
    # d2l's train() tells torch.optim.lr_scheduler's schedulers from its own classes by
    # `scheduler.__module__ == lr_scheduler.__name__`; an instance's is its class's
    src = ('from torch.optim import lr_scheduler\nclass S:\n    """An S."""\n'
           "opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)\n"
           "m = lr_scheduler.MultiStepLR(opt, [1])\n"
           "print(m.__module__ == lr_scheduler.__name__, S().__module__, S().__doc__)\n"
           "print(nn.Linear.__module__, nn.Linear(1, 1).__module__, torch.ones(1).__module__, "
           "torch.optim.SGD.__module__)\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    assert out.getvalue() == ("True __main__ An S.\n"
                              "torch.nn.modules.linear torch.nn.modules.linear torch "
                              "torch.optim.sgd\n")
    for src in ("class S:\n    pass\nS().__name__\n",   # an instance has no __name__,
                "[].__module__\n"):                     # a built-in type's no __module__
        with pytest.raises(TshRuntimeError) as e:
            Interpreter(stdout=out).run_source(src, "t.tsh")
        assert e.value.type_name == "AttributeError"


def test_library_base_classes_give_what_a_subclass_of_them_would():
    # the Transformer tutorial calls nn.Transformer.generate_square_subsequent_mask(n)
    src = ("import torch.nn as nn\nclass T(nn.Transformer):\n    pass\n"
           "print(nn.Transformer.generate_square_subsequent_mask(2))\n"
           "print(T.generate_square_subsequent_mask(2))\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    mask = "tensor([[0., -inf],\n        [0., 0.]])\n"
    assert out.getvalue() == mask * 2
    with pytest.raises(TshRuntimeError) as e:
        Interpreter(stdout=out).run_source("torch.nn.Linear.missing\n", "t.tsh")
    assert e.value.type_name == "AttributeError"


def test_library_methods_through_the_class_run_on_its_instances():
    # older code calls the parent's method through its class: nn.Linear.forward(self, x)
    src = ("import torch.nn as nn\nclass L(nn.Linear):\n    def forward(self, x):\n"
           "        return nn.Linear.forward(self, x) * 2\n"
           "m = L(2, 1)\nwith torch.no_grad():\n    m.weight.fill_(1.)\n    m.bias.zero_()\n"
           "print(m(torch.ones(1, 2)), L.extra_repr(m))\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    assert out.getvalue() == ("tensor([[4.]], grad_fn=<MulBackward0>) "
                              "in_features=2, out_features=1, bias=True\n")
    with pytest.raises(TshRuntimeError) as e:
        Interpreter(stdout=out).run_source("class A:\n    pass\nA.foo\n", "t.tsh")
    assert "type object 'A' has no attribute 'foo'" in e.value.format()


def test_string_searching_and_testing_methods_work_as_in_python():
    src = ("s = 'a-b-c'\nprint(s.index('b'), s.rfind('-'), s.rindex('-'), s.partition('-'), "
           "s.rpartition('-'))\nprint('Ab'.swapcase(), 'ß'.casefold(), 'xab'.removeprefix('x'), "
           "'abx'.removesuffix('x'))\nprint('a1'.isalnum(), '12'.isdecimal(), '½'.isnumeric(), "
           "'ab'.islower(), 'AB'.isupper(), 'Ab Cd'.istitle())\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        exec(src, {})                      # the same program, as CPython runs it
    assert out.getvalue() == expected.getvalue()
    with pytest.raises(TshRuntimeError) as e:
        Interpreter(stdout=out).run_source("'abc'.index('z')\n", "t.tsh")
    assert (e.value.type_name, e.value.message) == ("ValueError", "substring not found")


def test_policy_is_data_per_type():
    assert "append" in sandbox.GET_RULES[list]
    assert sandbox.allowed_attributes([]) == sorted(sandbox.GET_RULES[list])
    assert sandbox.allowed_attributes(print) == []
    ns = sandbox.Namespace("demo", {"a": 1})
    assert sandbox.get_attribute(ns, "a") == 1
    with pytest.raises(AttributeError):
        sandbox.get_attribute(ns, "_members")


def test_type_of_a_tsh_function_cannot_build_functions():
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source("def f():\n    pass\nprint(type(f))\n", "t.tsh")
    assert out.getvalue() == "<class 'function'>\n"
    with pytest.raises(TshRuntimeError):
        interp.run_source("type(f)('g', (), (), print, None, None)\n", "t.tsh")


def test_a_module_subclass_calls_its_own_underscore_methods():
    # the Bi-LSTM CRF tutorial's BiLSTM_CRF calls self._forward_alg, self._viterbi_decode...
    src = ("import torch.nn as nn\nclass M(nn.Module):\n    scale = 2\n"
           "    def _double(self, x):\n        return x * self.scale\n"
           "    def forward(self, x):\n        return self._double(x)\n"
           "print(M()(torch.ones(2)), M()._double(3))\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    assert out.getvalue() == "tensor([2., 2.]) 6\n"


@pytest.mark.parametrize("src", [
    # a library class defines the name: the program's override stays unreachable
    "class M(nn.Module):\n    def _apply(self, fn):\n        return self\nM()._apply",
    # the instance holds the library's value of that name
    "class M(nn.Module):\n    def _parameters(self):\n        return 1\nM()._parameters()",
    "class M(nn.Module):\n    pass\nM()._version",
    # instance attributes under a name the library uses stay refused on a library subclass
    "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
    "        self._buffers = 1\nM()",
])
def test_library_private_names_stay_refused_on_module_subclasses(src):
    interp = Interpreter(stdout=io.StringIO())
    with pytest.raises(TshRuntimeError) as info:
        interp.run_source("import torch.nn as nn\n" + src + "\n", "t.tsh")
    assert info.value.type_name in ("AttributeError", "TypeError")


def test_a_parametrized_program_module_keeps_its_underscore_methods():
    # parametrize swaps the class for the library's ParametrizedM, a subclass of the program's
    src = ("import torch.nn as nn\nimport torch.nn.utils.parametrize as P\n"
           "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
           "        self.w = nn.Parameter(torch.ones(2))\n"
           "    def _total(self):\n        return self.w.sum()\n"
           "class Twice(nn.Module):\n    def forward(self, x):\n        return 2 * x\n"
           "m = P.register_parametrization(M(), 'w', Twice())\n"
           "print(type(m).__name__, m.w, m._total())\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    assert out.getvalue() == ("ParametrizedM tensor([2., 2.], grad_fn=<MulBackward0>) "
                              "tensor(4., grad_fn=<SumBackward0>)\n")


def test_a_graph_node_gives_what_it_saved_and_nothing_else():
    # the saved-tensors-hooks tutorial prints y.grad_fn._saved_self and checks `is a`
    src = ("a = torch.ones(2, requires_grad=True)\nb = torch.full((2,), 2.)\ny = a * b\n"
           "p = a.pow(3)\nprint(y.grad_fn._saved_other, y.grad_fn._saved_self, "
           "p.grad_fn._saved_self is a, p.grad_fn._saved_exponent)\n")
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    assert out.getvalue() == "tensor([2., 2.]) None True 3\n"
    for tail in ("_saved", "_raw_saved_self", "_saved_self.__dict__", "_saved_self._data",
                 "_saved_weight", "_versions"):
        with pytest.raises(TshRuntimeError) as info:
            Interpreter(stdout=out).run_source(
                "a = torch.ones(2, requires_grad=True)\n(a * a).grad_fn." + tail + "\n", "t.tsh")
        assert info.value.type_name == "AttributeError"
