"""The findings of the adversarial audit of the sandbox (docs/security.md), each a regression
test: forged objects through NumPy, format strings through str subclasses, address leaks
that an API could turn back into objects, constructible graph nodes, C recursion on deep
values, and the np stand-in's doors under random hostile calls."""

import io
import random
import subprocess
import sys

import numpy as np
import pytest

from tshell.core import limits
from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError, sandbox
from tshell.lang.standins import numpy as np_standin

# The published exploit: forge a list whose item is a function's builtins dict, take eval.
FORGED_OBJECT = """
def f():
    pass
addr = hash(list)
a = np.ndarray((1,), dtype="O", buffer=np.array([addr], dtype=np.int64))
b = a[0]
"""

CODE_EXECUTION = [
    FORGED_OBJECT,
    "np.ndarray((1,), 'O', np.array([1], dtype=np.int64))",
    "np.ndarray((1,), buffer=np.zeros(8, dtype=np.uint8))",
    "np.ndarray((1,), offset=8)",
    "np.ndarray((2,), strides=(0,))",
    "type(torch.ones(2).numpy())((1,), dtype=object)",
    "np.frombuffer(np.zeros(8), dtype=np.int64)",
    "np.array([print])",
    "np.array([1], dtype=object)",
    "np.array([1], 'O')",
    "np.ones(1, dtype='O')",
    "np.ones(1, 'O')",
    "np.zeros(2).astype(object)",
    "np.zeros(2).astype('O')",
    "np.array([np.zeros(2), np.zeros(3)])",
    "np.array(['{0.__globals__}'])",
    "np.array([b'x'])",
    "np.array(['2020-01-01'], dtype='datetime64[D]')",
    "np.zeros(1, dtype=[('a', 'f4')])",
    "np.asarray([1], like=np.zeros(1))",
    "np.ctypes", "np.lib", "np.load", "np.save", "np.fromfile", "np.memmap",
    "np.core", "np.random.bit_generator", "np.str_", "np.object_", "np.vectorize",
    "np.frompyfunc", "np.array.__wrapped__", "np.ndarray.__new__",
    "np.zeros(2).ctypes", "np.zeros(2).data", "np.zeros(2).base", "np.zeros(2).tofile",
    "np.zeros(2).dumps", "np.zeros(2).view", "np.zeros(2).flags", "np.zeros(2)._a",
    "np.zeros(2).__array_interface__", "np.zeros(2).__array__()", "np.float32._t",
    "np.dtype('f4')._np", "np.dtype('f4').type._t", "np.dtype('O')", "np.dtype(object)",
    "torch.float32.np", "torch.manual_seed(0).rng", "torch.ones(2).numpy()._a",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.saved",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.params",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.backward(torch.ones(1))",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.input_shapes",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.next_functions[0][0].saved",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn.next_functions[0][0].params",
    "x = torch.ones(1, requires_grad=True)\ntype((x * 2).grad_fn)()",
    "x = torch.ones(1, requires_grad=True)\ntype((x * 2).grad_fn)(1, 2)",
    "x = torch.ones(1, requires_grad=True)\ntype((x * 2).grad_fn.next_functions[0][0])(x)",
    "type(None)()",
    "type(torch.ones(2).view)(print, 1)",
    "type(iter([]))()",
]


def run(src, cap=None):
    """Run src as the REPL or `tshell -c` does (expression statements echo)."""
    interp = Interpreter(stdout=io.StringIO())
    old = limits.CAP.bytes
    if cap:
        limits.set_max_memory(cap)
    try:
        interp.run_source(src, "<breach>", echo=True)
    finally:
        limits.CAP.bytes = old
    return interp


@pytest.mark.parametrize("src", CODE_EXECUTION)
def test_no_way_to_forge_objects_or_reach_numpy(src):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "ValueError", "ImportError",
                                    "NameError"), info.value.format()


def test_the_format_string_leak_is_closed():
    """np.str_ (a str subclass with str's own format) never reaches a program, and a str
    subclass gets no str methods from the sandbox at all (rules are per exact type)."""
    with pytest.raises(TshRuntimeError):
        run("def f():\n    pass\n"
            "np.array(['{0.__globals__[sys].modules[os].environ[X]}'])[0].format(f)")

    class Sub(str):
        pass
    with pytest.raises(AttributeError):
        sandbox.get_attribute(Sub("{0.__class__}"), "format")
    with pytest.raises(AttributeError):
        sandbox.get_attribute(np.str_("{0.__class__}"), "format")
    assert sandbox.get_attribute(True, "bit_length")() == 1      # bool has its own rule
    assert sandbox.get_attribute("a{}", "format")(1) == "a1"


def test_addresses_lead_nowhere():
    """Addresses still show where Python or PyTorch shows them, but no function takes one."""
    interp = run("x = torch.ones(2, requires_grad=True)\np = x.data_ptr()\nh = hash(list)\n"
                 "r = repr((x * 2).grad_fn)\ni = id(x) if False else 0\n")
    assert isinstance(interp.namespace["p"], int)
    for src in ("np.ndarray((1,), buffer=p)", "np.frombuffer(p)", "torch.from_numpy(p)",
                "np.array(p).view('O')", "np.array([p]).astype('O')"):
        with pytest.raises(TshRuntimeError):
            interp.run_source(src, "<t>")


def test_numpy_values_come_out_as_python_numbers_and_stand_ins():
    interp = run("a = np.array([[1.5, 2.0], [3.0, 4.0]], dtype=np.float32)\n"
                 "s = a.sum()\ni = np.arange(3)[1]\nb = np.zeros(2, dtype=bool)[0]\n"
                 "d = a.dtype\nt = torch.tensor(a)\nn = torch.ones(2).numpy()\n"
                 "items = [v for v in a[0]]\nk = np.float32(0.5)\nm = a.max(axis=0)\n")
    ns = interp.namespace
    assert type(ns["s"]) is float and ns["s"] == 10.5
    assert type(ns["i"]) is int and type(ns["b"]) is bool and type(ns["k"]) is float
    assert type(ns["d"]) is np_standin.dtype and str(ns["d"]) == "float32"
    assert type(ns["n"]) is np_standin.ndarray and type(ns["m"]) is np_standin.ndarray
    assert all(type(v) is float for v in ns["items"])
    assert repr(ns["a"]) == "array([[1.5, 2. ],\n       [3. , 4. ]], dtype=float32)"
    assert repr(ns["t"]) == "tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])"


def test_numpy_and_tensors_interoperate_as_in_pytorch():
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source("a = np.ones(2)\nt = torch.ones(2)\nprint(t + a)\nprint(a + t)\n"
                      "print(torch.from_numpy(a).dtype)\nx = torch.arange(3.)\nv = x.numpy()\n"
                      "v[0] = 7\nprint(x)\nprint(type(v), isinstance(v, np.ndarray))\n"
                      "print(np.float32 == np.dtype('float32'), a.dtype == np.float64)\n",
                      "<t>")
    assert out.getvalue() == (
        "tensor([2., 2.], dtype=torch.float64)\ntensor([2., 2.], dtype=torch.float64)\n"
        "torch.float64\ntensor([7., 1., 2.])\n<class 'numpy.ndarray'> True\nTrue True\n")


def test_graph_nodes_show_pytorch_surface_only():
    interp = run("x = torch.ones(1, requires_grad=True)\ny = x * 2\nn = y.grad_fn\n"
                 "c = type(n)\na = n.next_functions[0][0]\n")
    ns = interp.namespace
    assert repr(ns["c"]) == "<class 'MulBackward0'>"
    assert sandbox.allowed_attributes(ns["n"]) == ["metadata", "name", "next_functions"]
    assert "variable" in sandbox.allowed_attributes(ns["a"])


# ---------------------------------------------------------------------- crashes
DEEP = [
    "v = ()\nfor i in range(200000):\n    v = (v,)\nhash(v)",
    "v = ()\nfor i in range(200000):\n    v = (v,)\n{v: 1}",
    "v = ()\nfor i in range(200000):\n    v = (v,)\nd = {}\nd[v] = 1",
    "v = ()\nfor i in range(200000):\n    v = (v,)\nv in {1: 2}",
    "v = ()\nfor i in range(200000):\n    v = (v,)\n{}.get(v)",
    "v = ()\nfor i in range(200000):\n    v = (v,)\ndict([(v, 1)])",
    "v = ()\nfor i in range(200000):\n    v = (v,)\n{}.fromkeys([v])",
    "v = ()\nfor i in range(200000):\n    for t in zip([v]):\n        v = t\nhash(v)",
    "m = iter([1])\nfor i in range(200000):\n    m = map(abs, m)\nlist(m)",
    "m = iter([1])\nfor i in range(200000):\n    m = filter(None, m)\nlist(m)",
    "m = iter([1])\nfor i in range(200000):\n    m = zip(m)\nlist(m)",
    "m = iter([1])\nfor i in range(200000):\n    m = enumerate(m)\nlist(m)",
    "m = iter([1])\nfor i in range(200000):\n    m = map(abs, iter(m))\nnext(m)",
]


@pytest.mark.parametrize("src", DEEP)
def test_deep_values_are_a_recursion_error_not_a_crash(src):
    """In a subprocess: the failure being fixed is a segfault of the whole process."""
    p = subprocess.run([sys.executable, "-m", "tshell", "-c", src], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 1, p.stderr
    assert "RecursionError" in p.stderr and "Traceback" not in p.stderr, p.stderr


def test_moderately_nested_values_still_work():
    interp = run("v = ()\nfor i in range(900):\n    v = (v,)\nh = hash(v)\nd = {v: 1}\n"
                 "m = iter([-1])\nfor i in range(900):\n    m = map(abs, m)\nl = list(m)\n")
    assert interp.namespace["l"] == [1]
    assert isinstance(interp.namespace["h"], int)


# ---------------------------------------------------------------------- Python values
PYTHON_VALUE_BOMBS = [
    "s = 'ab'\nfor i in range(40):\n    s = s + s",
    "s = 'ab'\nfor i in range(40):\n    s += s",
    "l = [1]\nfor i in range(40):\n    l.extend(l)",
    "l = [1]\nfor i in range(40):\n    l += l",
    "l = []\nl += range(10**12)",
    "l = []\nl.extend(range(10**12))",
    "''.join(['x' * 10**6] * 100)",
    "'-'.join(str(i) for i in range(10**9))",
    "dict(zip(range(10**7), range(10**7)))",
    "{}.update(zip(range(10**7), range(10**7)))",
    "{}.fromkeys(range(10**8))",
    "x = [[0] * 1000] * 100000\nprint(x)",
    "x = [[0] * 1000] * 100000\nrepr(x)",
    "x = [[0] * 1000] * 100000\nstr(x)",
    "x = [[0] * 1000] * 100000\nf'{x}'",
    "x = [[0] * 1000] * 100000\n'{}'.format(x)",
    "x = [[0] * 1000] * 100000\n'%s' % (x,)",
    "x = [[0] * 1000] * 100000\nx",
    "x = ['y' * 10**6] * 100\nprint(x)",
    "('a ' * 8000000).split()",
    "('a,' * 8000000).split(',')",
    "('a\\n' * 8000000).splitlines()",
    "'{:{}}'.format('a', 10**9)",
    "'%*d' % (10**9, 1)",
    "'%.*f' % (10**9, 1.0)",
    "np.ones((50000, 50000))",
    "np.zeros(10**9)",
    "np.arange(10**10)",
    "np.linspace(0, 1, 10**10)",
    "np.eye(10**5)",
    "np.ones(10**5).reshape(-1, 1) + np.ones(10**5)",
    "np.outer(np.ones(10**5), np.ones(10**5))",
    "np.ones(10**4).repeat(10**6)",
    "np.tile(np.ones(10), (10**5, 10**4))",
    "torch.ones(1).expand(10**10).numpy().copy()",
    "torch.ones(1).expand(10**10).numpy().tolist()",
]


@pytest.mark.parametrize("src", PYTHON_VALUE_BOMBS)
def test_values_past_the_memory_cap_are_refused(src):
    with pytest.raises(TshRuntimeError) as info:
        run(src, cap="64MB")
    assert info.value.type_name in ("MemoryError", "RuntimeError"), info.value.format()


def test_the_cap_is_kept_by_the_process():
    """The whole program under --max-memory 64MB: refused, and far from a gigabyte."""
    src = ";".join(["x = [[0] * 1000] * 100000", "s = 'ab'", "n = 0"]) + \
        "\nfor i in range(40):\n    s = s + s\n"
    code = ("import resource, subprocess, sys\n"
            f"p = subprocess.run([sys.executable, '-m', 'tshell', '--max-memory', '64MB', "
            f"'-c', {src!r}], capture_output=True, text=True)\n"
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    rc, peak_kib = map(int, p.stdout.split())
    assert rc == 1 and peak_kib < 400 * 1024, p.stdout


# ---------------------------------------------------------------------- interruptible
ENDLESS = [
    "sum([[0] * 1000] * 3000, [])",
    "sum(range(10**12))",
    "max(range(10**12))",
    "min(x for x in range(10**12))",
    "any(x < 0 for x in range(10**12))",
    "all(map(abs, range(1, 10**12)))",
    "0.5 in range(10**12)",
    "-1 in map(abs, range(10**12))",
    "dict(zip(range(10**12), range(10**12)))",
    "sorted(iter(int, 1))",
]


@pytest.mark.parametrize("src", ENDLESS)
def test_long_builtin_loops_stop_on_ctrl_c(src, tmp_path):
    import signal
    import time
    p = subprocess.Popen([sys.executable, "-m", "tshell", "-c", src], cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    try:
        p.communicate(timeout=10)
    finally:
        p.kill()
    assert p.returncode == 130 and time.monotonic() - sent < 5


def test_chunked_builtins_agree_with_python():
    interp = run("r = [sum(range(100000)), sum(x / 3 for x in range(70000)), "
                 "max(iter([3, 1, 3])), min((x % 7 for x in range(100000)), default=9), "
                 "max([], default=4), any(x > 99998 for x in range(100000)), "
                 "all(x < 5 for x in iter(range(100000))), 99999 in iter(range(100000)), "
                 "2.0 in range(3), 7.5 in range(10), sum([[1], [2, 3]], []), "
                 "sum([(1,), (2,)], ()), max(['b', 'a'], key=len), "
                 "min(iter(['bb', 'a', 'c']), key=len)]\n"
                 "it = iter([0, 5, 6, 7])\nfound = any(it)\nrest = list(it)\n")
    assert interp.namespace["r"] == [
        sum(range(100000)), sum(x / 3 for x in range(70000)), 3, 0, 4, True, False, True,
        True, False, [1, 2, 3], (1, 2), "b", "a"]
    assert interp.namespace["rest"] == [6, 7]          # any() reads no further than Python's
    for src, message in (("sum([1], [])", 'can only concatenate list (not "int") to list'),
                         ("sum(['a'], '')", "sum() can't sum strings"),
                         ("max(iter([]))", _python_message("max(iter([]))")),
                         ("any()", "any() takes exactly one argument (0 given)")):
        with pytest.raises(TshRuntimeError) as info:
            run(src)
        assert message in info.value.message


def _python_message(src):
    try:
        eval(src)
    except Exception as e:
        return str(e)


# ---------------------------------------------------------------------- the np doors
HOSTILE = [0, -1, 10**12, 2**63, -2**63, 1.5, float("nan"), "O", "object", "U10", "f4",
           "datetime64", "<i8", None, (), (10**6, 10**6), [1, "a"], [[1], [1, 2]],
           [print], "buffer", b"x"]


def _hostile_programs(seed, count):
    rng = random.Random(seed)
    functions = sorted(name for name, v in np_standin.namespace()._members.items()
                       if callable(v))
    methods = sorted(n for n in np_standin.NDARRAY_ATTRIBUTES)
    keywords = ["dtype", "buffer", "offset", "strides", "like", "order", "axis", "out",
                "shape", "num", "copy", "casting", "subok", "where"]
    pool = [repr(v) for v in HOSTILE if not callable(v)] + [
        "print", "np.zeros(3)", "np.float32", "np.dtype('int8')", "torch.ones(2)",
        "torch.ones(2).numpy()", "[np.zeros(2), np.ones(2)]", "np.arange(4).reshape(2, 2)"]

    def args():
        pos = ", ".join(rng.choice(pool) for _ in range(rng.randint(0, 3)))
        kws = ", ".join(f"{rng.choice(keywords)}={rng.choice(pool)}"
                        for _ in range(rng.randint(0, 2)))
        return ", ".join(p for p in (pos, kws) if p)

    for _ in range(count):
        if rng.random() < 0.6:
            yield f"r = np.{rng.choice(functions)}({args()})"
        else:
            yield f"r = np.arange(6.).reshape(2, 3).{rng.choice(methods)}"  \
                  + (f"({args()})" if rng.random() < 0.8 else "")


def _holds_only_safe_values(value, depth=0):
    if depth > 3:
        return True
    cls = type(value)
    if cls.__module__.startswith(("numpy", "cupy")):
        return False
    if isinstance(value, (list, tuple)):
        return all(_holds_only_safe_values(v, depth + 1) for v in value[:20])
    return True


def test_random_hostile_calls_into_np_are_refused_or_safe():
    """3 000 random calls of np's functions and array methods with hostile arguments (object
    and string dtypes, raw-memory keywords, huge sizes, ragged and object lists): each gives
    a tsh error or a value with no NumPy object in it; never an internal error."""
    from tshell.lang import InternalError
    old = limits.CAP.bytes
    limits.set_max_memory("256MB")
    outcomes = {"value": 0, "error": 0}
    try:
        for src in _hostile_programs(20261207, 3000):
            interp = Interpreter(stdout=io.StringIO())
            try:
                interp.run_source(src, "<np-fuzz>")
            except InternalError as e:
                pytest.fail(f"{src}\n{e.format(debug=True)}")
            except (TshRuntimeError, TshSyntaxError):
                outcomes["error"] += 1
                continue
            value = interp.namespace.get("r")
            assert _holds_only_safe_values(value), f"{src} gave {type(value)}"
            outcomes["value"] += 1
    finally:
        limits.CAP.bytes = old
    assert outcomes["value"] > 100 and outcomes["error"] > 100, outcomes
