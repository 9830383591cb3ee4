"""Sandbox audit (docs/security.md): walk every value a tsh program can obtain and
check that none of its allowed attributes hands out something with further reach.

The walk starts from the names a program starts with (built-ins, torch, np and their
namespaces) plus values made by a program that touches every kind of value (tensors, Size,
dtype, device, grad_fn nodes, return_types, the generator of manual_seed, NumPy arrays and
dtypes, Python containers and scalars, tsh functions, no_grad, range/enumerate/zip...). From
each value it follows what tsh code can follow: the attributes the sandbox allows, the items
of containers, and type(). Every value reached is then checked against what an escape needs.
"""

import builtins
import collections
import io
import tempfile
import types
from pathlib import Path

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError, sandbox
from tshell.lang.runtime import tsh_type

PROGRAM = """
x = torch.ones(2, 3, requires_grad=True)
y = (x * 2).sum()
y.backward()
values = {
    'tensor': x, 'leaf_grad': x.grad, 'size': x.shape, 'dtype': x.dtype, 'device': x.device,
    'grad_fn': y.grad_fn, 'next': y.grad_fn.next_functions, 'pair': x.max(dim=1),
    'sorted': x.sort(dim=1), 'gen': torch.manual_seed(0), 'array': x.detach().numpy(),
    'np_dtype': x.detach().numpy().dtype, 'np_scalar': x.detach().numpy().sum(),
    'no_grad': torch.no_grad(), 'enable_grad': torch.enable_grad(),
    'range': range(3), 'enumerate': enumerate([1]), 'zip': zip([1], [2]),
    'reversed': reversed([1, 2]), 'list': [1], 'tuple': (1,), 'dict': {'a': 1}, 'str': 's',
    'int': 1, 'float': 1.5, 'bool': True, 'none': None, 'complex': (-1) ** 0.5,
    'cuda': torch.cuda, 'functional': torch.nn.functional, 'autograd': torch.autograd,
    'int_tensor': torch.arange(3), 'bool_tensor': torch.ones(2) > 0,
    'np_array': np.array([[1, 2], [3, 4]]), 'np_type': np.float32, 'np_dtype2': np.dtype('int8'),
    'np_type_of': type(np.zeros(2)), 'node_type': type(y.grad_fn), 'none_type': type(None),
    'map': map(abs, [1]), 'filter': filter(None, [1]), 'method_type': type(x.view),
}
def f(a, b=1):
    return a + b
values['function'] = f
import safetensors
from safetensors.torch import save_file, safe_open
torch.save({'w': x.detach()}, argv[0] + '/m.pt')
save_file({'w': torch.ones(2)}, argv[0] + '/m.safetensors')
stored = []
def keep(storage, location):
    stored.append(storage)
    return storage
values['loaded'] = torch.load(argv[0] + '/m.pt', map_location=keep)
values['storage'] = stored[0]
values['state_dict'] = torch.load(argv[1])
values['handle'] = safe_open(argv[0] + '/m.safetensors', 'pt')
values['slice'] = values['handle'].get_slice('w')
values['safetensors'] = safetensors
values['np_loaded'] = safetensors.numpy.load_file(argv[0] + '/m.safetensors')
values['np_handle'] = safetensors.safe_open(argv[0] + '/m.safetensors', 'numpy')
import math, cmath, random, itertools, functools, operator, collections, time, typing
import dataclasses, copy, string, statistics, json
P = collections.namedtuple('P', 'x y')
D = dataclasses.make_dataclass('D', ['a', ('b', int, dataclasses.field(default=0))])
values.update({
    'math': math, 'sqrt': math.sqrt, 'factorial': math.factorial, 'cmath': cmath,
    'random': random, 'rng': random.Random(1), 'sysrng': random.SystemRandom(),
    'count': itertools.count(), 'chain': itertools.chain([1]), 'chain_class': itertools.chain,
    'from_iterable': itertools.chain.from_iterable([[1]]), 'tee': itertools.tee([1])[0],
    'groupby': itertools.groupby('aa'), 'group': next(itertools.groupby('aa'))[1],
    'product': itertools.product('ab'), 'batched': itertools.batched('ab', 1),
    'islice': itertools.islice(itertools.count(), 10**6, None),
    'dropwhile': itertools.dropwhile(abs, [1]), 'accumulate': itertools.accumulate([1]),
    'partial': functools.partial(abs, 1), 'lru': functools.lru_cache(abs),
    'cache_info': functools.lru_cache(abs).cache_info(),
    'key': functools.cmp_to_key(f)(1), 'dispatch': functools.singledispatch(abs),
    'cached_property': functools.cached_property(abs),
    'partialmethod': functools.partialmethod(abs), 'wraps': functools.wraps(abs),
    'attrgetter': operator.attrgetter('real'), 'itemgetter': operator.itemgetter(0),
    'methodcaller': operator.methodcaller('upper'), 'op_add': operator.add, 'op_sub': operator.sub,
    'od': collections.OrderedDict(a=1), 'dd': collections.defaultdict(list),
    'counter': collections.Counter('ab'), 'elements': collections.Counter('ab').elements(),
    'deque': collections.deque([1]), 'P': P, 'p': P(1, 2),
    'time': time, 'typing': typing, 'list_of_int': typing.List[int],
    'type_var': typing.TypeVar('T'), 'optional': typing.Optional[int],
    'callable_alias': typing.Callable[[int], str], 'new_type': typing.NewType('N', int),
    'dataclasses': dataclasses, 'D': D, 'd': D(1), 'field': dataclasses.field(),
    'fields': dataclasses.fields(D), 'init_var': dataclasses.InitVar[int],
    'copy': copy, 'string': string, 'template': string.Template('$a'),
    'statistics': statistics, 'normal': statistics.NormalDist(),
    'regression': statistics.linear_regression([1, 2], [1, 2]), 'json': json,
})
w = torch.ones(2, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.1, amsgrad=True)
(w * w).sum().backward()
opt.step()
values['optimizer'] = opt
values['lambda_lr'] = torch.optim.lr_scheduler.LambdaLR(opt, f)
values['cyclic_lr'] = torch.optim.lr_scheduler.CyclicLR(torch.optim.SGD([w], momentum=0.9),
                                                         0.01, 0.1)
values['plateau'] = torch.optim.lr_scheduler.ReduceLROnPlateau(opt)
values['multistep'] = torch.optim.lr_scheduler.MultiStepLR(opt, [1, 2])
values['sequential'] = torch.optim.lr_scheduler.SequentialLR(opt, [
    values['multistep'], torch.optim.lr_scheduler.OneCycleLR(opt, 0.1, total_steps=5)], [1])
values['lbfgs'] = torch.optim.LBFGS([w])
values['adafactor'] = torch.optim.Adafactor([w])
m2 = torch.ones(2, 2, requires_grad=True)
(m2 * m2).sum().backward()
values['muon'] = torch.optim.Muon([m2])
values['muon'].step()
values['vmapped'] = torch.vmap(f)
values['grad_of'] = torch.func.grad(lambda t: (t * t).sum())
values['vjp'] = torch.func.vjp(torch.sin, torch.ones(2))
values['linearized'] = torch.func.linearize(torch.sin, torch.ones(2))
values['jvp'] = torch.func.jvp(torch.sin, (torch.ones(2),), (torch.ones(2),))
values['stacked'] = torch.func.stack_module_state([torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)])
values['swap_in'] = torch.optim.swap_in_optimizer_params_and_state(opt, {'w': w},
                                                                     opt.state_dict())
values['sobol'] = torch.quasirandom.SobolEngine(3, scramble=True, seed=2)
values['sobol'].draw(3)
values['in_vmap_generator'] = torch.vmap(lambda t: torch.manual_seed(0), out_dims=None)(
    torch.ones(2))
values.update({'np_rng': np.random.default_rng(0), 'np_legacy': np.random.RandomState(0),
               'np_eig': np.linalg.eig(np.eye(2)), 'np_svd': np.linalg.svd(np.eye(2)),
               'np_qr': np.linalg.qr(np.eye(2)), 'np_draws': np.random.default_rng(0).random(2)})
import matplotlib
import matplotlib.pyplot as plt
fig, axes = plt.subplots(1, 2)
values.update({'matplotlib': matplotlib, 'plt': plt, 'fig': fig, 'axes': axes,
               'ax': axes[0], 'line': axes[0].plot([1, 2])[0]})
try:
    np.linalg.inv(np.zeros((2, 2)))
except np.linalg.LinAlgError as e:
    values['np_linalg_error'] = e
import re, unicodedata
pattern = re.compile('(?P<a>x)(y)?', re.I | re.M)
values.update({'re': re, 'pattern': pattern, 'match': pattern.match('x'),
               're_groupindex': pattern.groupindex, 'finditer': re.finditer('x', 'xx'),
               're_flag': re.I | re.S, 'unicodedata': unicodedata})
try:
    re.compile('(')
except re.error as e:
    values['re_error'] = e
"""
# A state_dict PyTorch wrote (an OrderedDict with _metadata).
MODULE_FILE = str(Path(__file__).resolve().parents[1] / "fixtures" / "checkpoints" /
                  "module.pt")

# Python objects that would give a program reach beyond its own values. (object, property,
# staticmethod and classmethod are handed out as they are: classes expose no attribute, the
# three descriptors wrap the program's own functions; getattr, setattr, delattr, vars, super
# and type are tshell's own versions, through the sandbox.)
DANGEROUS_BUILTINS = {getattr(builtins, n) for n in (
    "eval exec open compile getattr setattr delattr __import__ globals locals vars "
    "breakpoint input memoryview type super help exit quit").split() if hasattr(builtins, n)}
DANGEROUS_MODULES = ("os", "sys", "subprocess", "io", "importlib", "pickle", "shutil",
                     "ctypes", "socket", "pathlib", "inspect", "gc", "marshal", "code",
                     "runpy", "tempfile", "signal", "threading")
FORBIDDEN_TYPES = (types.ModuleType, types.FrameType, types.CodeType, types.TracebackType,
                   types.CellType, io.IOBase, types.GeneratorType, types.MappingProxyType)
PER_TYPE = 3        # instances of one type explored (tensors made by attributes are alike)
MAX_DEPTH = 5


def reachable():
    """{id: (path, value)} of every value reachable from a program's names."""
    interp = Interpreter(stdout=io.StringIO())
    from tshell.ui.builtins import install
    install(interp, color=False)
    with tempfile.TemporaryDirectory() as folder:    # the files the program saves
        interp.namespace["argv"] = [folder, MODULE_FILE]
        interp.run_source(PROGRAM, "<audit>")
    roots = dict(interp.builtins)
    roots.update(interp.namespace["values"])
    roots["f"] = interp.namespace["f"]
    seen, per_type = {}, collections.Counter()
    queue = collections.deque((name, value, 0) for name, value in roots.items())
    while queue:
        path, value, depth = queue.popleft()
        if id(value) in seen:
            continue
        seen[id(value)] = (path, value)
        kind = type(value)
        if depth >= MAX_DEPTH or (per_type[kind] >= PER_TYPE and kind not in (
                sandbox.Namespace, dict, list, tuple)):
            continue
        per_type[kind] += 1
        for child_path, child in children(path, value):
            queue.append((child_path, child, depth + 1))
    return seen


def children(path, value):
    """What tsh code can get from value: allowed attributes, items, type()."""
    import warnings
    for name in sandbox.allowed_attributes(value):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield f"{path}.{name}", sandbox.get_attribute(value, name)
        except Exception:              # e.g. .grad of a non-leaf: an error, not a value
            continue
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value[:20]):
            yield f"{path}[{i}]", item
    if isinstance(value, dict):
        for key, item in list(value.items())[:50]:
            yield f"{path}[{key!r}]", item
    yield f"type({path})", tsh_type(value)


@pytest.fixture(scope="module")
def everything():
    return reachable()


def test_the_walk_covers_every_kind_of_value(everything):
    kinds = {type(v).__name__ for _, v in everything.values()}
    for expected in ("Tensor", "Size", "dtype", "device", "Generator", "ndarray", "Namespace",
                     "no_grad", "range", "enumerate", "zip", "TshFunction", "max", "sort",
                     "AccumulateGrad", "str", "dict", "list", "tuple", "float", "int",
                     "NoneType", "bool", "complex", "builtin_function_or_method",
                     "function", "OrderedDict", "UntypedStorage", "safe_open", "SafeSlice",
                     "Random", "chain", "deque", "Counter", "partial", "_lru_cache_wrapper",
                     "Alias", "Template", "NormalDist", "Field", "D", "P", "CacheInfo", "_tee",
                     "attrgetter", "ChainClass", "Adam", "LambdaLR", "CyclicLR",
                     "SequentialLR", "defaultdict", "RandomState", "EigResult", "SVDResult",
                     "QRResult", "LinAlgError", "Adafactor", "Muon", "SobolEngine",
                     "Figure", "Axes", "AxesArray", "Line2D", "Pattern", "Match",
                     "mappingproxy", "callable_iterator", "RegexFlag", "error"):
        assert expected in kinds, f"the audit never reached a {expected}"
    assert len(everything) > 500


def test_no_module_frame_code_or_file_is_reachable(everything):
    for path, value in everything.values():
        assert not isinstance(value, FORBIDDEN_TYPES), f"{path} is a {type(value)}"


def test_no_dangerous_builtin_is_reachable(everything):
    dangerous = {id(b) for b in DANGEROUS_BUILTINS}
    for path, value in everything.values():
        assert id(value) not in dangerous, f"{path} is the Python built-in {value!r}"


def test_no_function_of_a_system_module_is_reachable(everything):
    for path, value in everything.values():
        if callable(value) and not isinstance(value, type):
            module = getattr(value, "__module__", None) or ""
            owner = getattr(value, "__self__", None)
            if isinstance(owner, types.ModuleType):
                module = owner.__name__
            assert module.split(".")[0] not in DANGEROUS_MODULES, \
                f"{path} is {value!r} from {module}"


HOST_PACKAGES = ("numpy", "cupy", "cupyx", "ml_dtypes")
# The Python built-ins a program may hold (runtime.PYTHON_BUILTINS, as the originals).
ALLOWED_BUILTIN_CALLABLES = {getattr(builtins, n) for n in (
    "len range int float bool str abs min max sum round list tuple enumerate zip sorted "
    "isinstance dict reversed any all repr divmod chr ord hex bin oct pow map filter hash iter "
    "next callable complex slice set frozenset object property staticmethod classmethod "
    "issubclass id ascii").split()}


def _vetted_host_callables() -> set:
    from tshell.lang import standins
    return standins.host_callables()


def _defined_in_tshell(value) -> bool:
    fn = getattr(value, "__func__", value)          # a bound method: its function
    return (getattr(fn, "__module__", None) or "").startswith("tshell")


def test_no_host_object_is_reachable(everything):
    """Nothing a program can reach is a NumPy/CuPy object, class or function, and every
    function or class it can reach is tshell's own, or one of the chosen Python built-ins,
    or a method of a plain Python value (docs/security.md: no host object reaches a
    program)."""
    for path, value in everything.values():
        cls = type(value)
        assert not cls.__module__.startswith(HOST_PACKAGES), f"{path} is a {cls}"
        if isinstance(value, type):
            assert value.__module__ == "builtins" or _defined_in_tshell(value), \
                f"{path} is the class {value!r} from {value.__module__}"
            continue
        if not callable(value) or cls.__module__.startswith("tshell"):
            continue                       # a value of tshell's own type (stand-ins, tensors)
        owner = getattr(value, "__self__", None)
        plain_value = not isinstance(owner, type) and (
            type(owner) in sandbox.GET_RULES or _defined_in_tshell(type(owner)))
        vetted = value in ALLOWED_BUILTIN_CALLABLES or value in _vetted_host_callables()
        assert _defined_in_tshell(value) or vetted or plain_value, \
            f"{path} is {value!r}, a callable from outside tshell"


def test_classes_expose_nothing(everything):
    """A class reached through type() has no attribute but its name and docstring: no mro,
    no __subclasses__, no __dict__, no __init__.__globals__; the real `type` is never handed
    out. (The program's own classes and the library classes it may subclass also give
    their protocol methods: tests/lang/test_classes.py.)"""
    for path, value in everything.values():
        if isinstance(value, type):
            assert value is not type, path
            assert sandbox.allowed_attributes(value) == [], path
            for name in ("mro", "__subclasses__", "__dict__", "__globals__", "__bases__",
                         "register", "__base__", "__mro__", "__getattribute__"):
                with pytest.raises(AttributeError):
                    sandbox.get_attribute(value, name)
            for name in ("__name__", "__qualname__", "__module__", "__doc__"):
                assert isinstance(sandbox.get_attribute(value, name), (str, type(None)))


def test_no_allowed_attribute_is_private(everything):
    for path, value in everything.values():
        names = sandbox.allowed_attributes(value)
        assert not [n for n in names if n.startswith("_")], path


def test_functions_and_methods_expose_nothing(everything):
    for path, value in everything.values():
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
            assert sandbox.allowed_attributes(value) == [], path
            for name in ("__globals__", "__code__", "__self__", "__closure__", "func_globals",
                         "gi_frame", "f_back"):
                with pytest.raises(AttributeError):
                    sandbox.get_attribute(value, name)


def test_a_program_can_lower_the_memory_cap_but_not_raise_it():
    from tshell.core import limits
    interp = Interpreter(stdout=io.StringIO())
    old = limits.CAP.bytes
    limits.set_max_memory("64MB")
    try:
        for src in ("torch.set_max_memory(10**15)", "set_max_memory('1TB')",
                    "set_max_memory(None)", "set_max_memory('lots')"):
            with pytest.raises(TshRuntimeError):
                interp.run_source(src, "<t>")
        assert limits.max_bytes() == 64 << 20
        interp.run_source("set_max_memory('1MB')", "<t>")
        assert limits.max_bytes() == 1 << 20
        with pytest.raises(TshRuntimeError):
            interp.run_source("torch.set_max_memory('2MB')", "<t>")
    finally:
        limits.CAP.bytes = old


# Escape attempts through the values above (tests/lang/test_sandbox.py has the basic ones).
ESCAPES = [
    "torch.manual_seed(0).rng.bit_generator",
    "torch.manual_seed(0).rng.__class__",
    "type(torch.manual_seed(0).rng).__init__",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.next_functions[0][0].variable.__class__.__mro__",
    "torch.float32.np.type",
    "torch.float32.np.__class__",
    "torch.ones(2).numpy().ctypes",
    "torch.ones(2).numpy().__array_interface__",
    "torch.ones(2).numpy().data",
    "torch.ones(2).numpy().flags",
    "torch.ones(2).numpy().dtype.type._t",
    "np.float32.__call__",
    "torch.ones(2).shape.__class__.__base__",
    "torch.ones(2).device.__class__.__init__",
    "type(torch.ones(2)).__mro__",
    "type(torch.ones(2)).__subclasses__()",
    "type(type(torch.ones(2)))('X', (), {})",
    "type(print).__call__",
    "type(len)(1)",
    "torch.no_grad().__enter__",
    "torch.autograd.__dict__",
    "torch.nn.functional.__loader__",
    "np.ndarray.__subclasses__",
    "np.add.__class__.__call__",
    "np.linspace.__wrapped__",
    "range(3).__reduce__()",
    "enumerate([1]).__reduce__()",
    "zip([1], [2]).__class__.__new__",
    "'{0.real.__class__}'.format(1)",
    "'{!r:{0.__class__}}'.format(1)",
    "f'{print.__self__}'",
    "x = torch.ones(1)\nx.__dict__",
    "x = torch.ones(1)\nx._data",
    "x = torch.ones(1)\nx._data = 1",
    "x = torch.ones(1)\nx.shape = (2,)",
    "x = torch.ones(1)\nx.sum = 1",
    "help.__closure__",
    "list.__init__",
    "list.base",
    "tuple.base",
    "type([]).append",
    "type(list)('x', (), {})",
    "sorted.__wrapped__",
    "import torch.core",
    "import numpy.lib",
    "from numpy import load",
    "from numpy import fromfile",
    "from torch import limits",
    "from torch import backend",
    # torch.func: its transforms hand back plain functions, which expose nothing
    "torch.vmap(abs).__wrapped__",
    "torch.func.grad(abs).__closure__",
    "torch.func.vjp(torch.sin, torch.ones(1))[1].__globals__",
    "torch.func.linearize(torch.sin, torch.ones(1))[1].__code__",
    "torch.func.functional_call.__globals__",
    "torch.vmap(abs).__self__",
    "getattr(torch.vmap(abs), '__dict__')",
    # the default generator under vmap(randomness='error') is the same object
    "torch.vmap(lambda t: torch.manual_seed(0).rng, out_dims=None)(torch.ones(2))",
    "torch.vmap(lambda t: type(torch.manual_seed(0)).__mro__, out_dims=None)(torch.ones(2))",
    "torch.vmap(lambda t: torch.manual_seed(0)._rng, out_dims=None)(torch.ones(2))",
    "torch.optim.swap_in_optimizer_params_and_state(torch.optim.SGD([torch.ones(1)]), {}, "
    "{})._args",
    # SobolEngine: PyTorch's public attributes only (its state tensors, not its helpers)
    "torch.quasirandom.SobolEngine(2)._first_point",
    "torch.quasirandom.SobolEngine(2)._scramble",
    "torch.quasirandom.SobolEngine(2).__dict__",
    "torch.quasirandom.SobolEngine(2).draw.__func__",
    "torch.quasirandom.SobolEngine(2).draw.__globals__",
    "type(torch.quasirandom.SobolEngine(2)).__init__",
    "torch.quasirandom.SobolEngine.__init__.__globals__",
    "torch.quasirandom.initial_state",
    "torch.quasirandom.np",
    "e = torch.quasirandom.SobolEngine(2)\ne.draw = print",
    "e = torch.quasirandom.SobolEngine(2)\ne.sobolstate = torch.ones(2, 30)",
    # functional_call swaps the module's tables in and out: they stay private (but for the
    # read-only copies of test_library_private.py)
    "m = torch.nn.Linear(1, 1)\ntorch.func.functional_call(m, {'weight': torch.ones(1, 1)}, "
    "torch.ones(1)).grad_fn.__class__.__init__",
    "m = torch.nn.Linear(1, 1)\ntorch.func.functional_call(m, {}, torch.ones(1))\n"
    "m._parameters = {}",
    "m = torch.nn.Linear(1, 1)\ntorch.func.functional_call(m, {}, torch.ones(1))\n"
    "m._non_persistent_buffers_set",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_fail_cleanly(src):
    interp = Interpreter(stdout=io.StringIO())
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        interp.run_source(src, "<escape>")
    assert info.value.type_name in ("AttributeError", "NameError", "ImportError", "TypeError",
                                    "SyntaxError", "ValueError"), info.value.format()


@pytest.mark.parametrize("src", ["type(type(torch.ones(2)))", "type(list)",
                                 "type(type(print))"])
def test_type_of_a_class_is_a_harmless_stand_in(src):
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(f"t = {src}", "<t>")
    t = interp.namespace["t"]
    assert t is not type and not isinstance(t, type)
    assert repr(t) == "<class 'type'>"
    with pytest.raises(TshRuntimeError, match="cannot create 'type' instances"):
        interp.run_source("t('X', (), {})", "<t>")
