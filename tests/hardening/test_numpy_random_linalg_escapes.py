"""np.random and np.linalg keep the np stand-in's promise (docs/security.md): no NumPy object
(generator, bit generator, state, result tuple, exception class) reaches a program, no
object, string or file goes through them, and every size argument is checked against the
memory cap before NumPy allocates."""

import random

import pytest

from tshell.core import limits
from tshell.lang import TshRuntimeError, TshSyntaxError
from tshell.lang.standins import numpy as np_standin
from tshell.lang.standins.numpy import random as random_standin

from tests.hardening.test_sandbox_breach import run  # the REPL's echo, a cap if given

A = "A = np.array([[2., 1.], [1., 3.]])\n"
G = "g = np.random.default_rng(0)\n"
R = "r = np.random.RandomState(0)\n"

REFUSED = [
    # generators: their NumPy generator, bit generator and state stay inside
    G + "g.bit_generator", G + "g._g", G + "g._bit_generator", G + "g.spawn(2)",
    G + "g.__reduce__()", G + "g.__getstate__()", G + "g.__setstate__(1)",
    G + "g.bytes(4)", G + "type(g)(1)", "np.random.Generator(1)",
    R + "r._g", R + "r.get_state()", R + "r.set_state(('MT19937', [0] * 624, 0))",
    R + "r.__getstate__()", R + "r.tomaxint()",
    "np.random.get_state()", "np.random.set_state(0)", "np.random.bit_generator",
    "np.random.PCG64", "np.random.MT19937", "np.random.SeedSequence", "np.random.BitGenerator",
    "np.random.mtrand", "np.random._generator", "np.random.RandomState.__init__",
    "np.random.default_rng.__wrapped__", "np.random.rand.__closure__",
    "np.random.default_rng(np.random.RandomState(0))",
    "import numpy.random.mtrand", "from numpy.random import get_state",
    # results of random and linalg: arrays of numbers only, no raw memory
    G + "g.random(2).ctypes", G + "g.random(2).__array_interface__", G + "g.random(2).data",
    G + "g.random(2).tofile('x')", G + "g.random(2).base", G + "g.random(2)._a",
    A + "np.linalg.inv(A).ctypes", A + "np.linalg.eig(A)._asdict()",
    A + "np.linalg.eig(A)._fields", A + "type(np.linalg.svd(A))._make([1, 2, 3])",
    A + "np.linalg.qr(A).__dict__", A + "np.linalg.svd(A).U.__array_interface__",
    A + "np.linalg.eig(A).eigenvectors.tofile('x')",
    "np.linalg._umath_linalg", "np.linalg.LinAlgError.__mro__", "np.linalg.lapack_lite",
    "np.linalg.inv.__wrapped__",
    "try:\n    np.linalg.inv(np.zeros((2, 2)))\nexcept np.linalg.LinAlgError as e:\n"
    "    e.__traceback__",
    "np.save", "np.load", "np.fromfile", "np.tofile", "np.random.save", "np.linalg.load",
    # objects and strings through choice / permutation / shuffle
    "np.random.choice([print, 1])", "np.random.choice(['a', 'b'])", G + "g.choice([print])",
    G + "g.choice(['x', 'y'], 3)", G + "g.permutation([print, len])", G + "g.permutation(['x'])",
    "np.random.permutation([b'x', b'y'])", G + "g.choice([[1], [1, 2]])",
    G + "g.choice(3, p=[print, 0.5, 0.5])", G + "g.shuffle((1, 2))", G + "g.shuffle('ab')",
    G + "g.shuffle(torch.ones(3))", "np.random.shuffle({1: 2})",
    G + "g.integers(0, 5, dtype=object)", G + "g.integers(0, 5, dtype='U3')",
    G + "g.random(2, dtype='O')", "np.random.randint(0, 5, dtype=object)",
    G + "g.random(out=print)",
    "np.linalg.inv(np.array([[print]]))", "np.linalg.norm(['a'])", "np.linalg.det([[b'x']])",
]


@pytest.mark.parametrize("src", REFUSED)
def test_no_numpy_object_and_no_object_dtype_gets_through(src):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "ValueError", "ImportError",
                                    "NameError", "SyntaxError", "UFuncTypeError"), \
        info.value.format()


# Each size argument of np.random and np.linalg, past a 64 MB cap.
TOO_BIG = [
    "np.random.rand(10**5, 10**5)", "np.random.randn(10**10)", "np.random.random(10**10)",
    "np.random.random_sample((10**5, 10**5))", "np.random.normal(0, 1, 10**10)",
    "np.random.normal(size=(10**5, 10**5))", "np.random.uniform(0, 1, (10**5, 10**5))",
    "np.random.randint(0, 2, 10**10)", "np.random.randint(5, size=[10**5, 10**5])",
    "np.random.choice(5, 10**10)", "np.random.choice(10**10, 3, replace=False)",
    "np.random.permutation(10**10)", "np.random.standard_normal(10**10)",
    "np.random.exponential(1, 10**10)", "np.random.poisson(1, 10**10)",
    "np.random.binomial(3, 0.5, 10**10)", "np.random.beta(1, 1, 10**10)",
    "np.random.gamma(1, 1, 10**10)", "np.random.multinomial(3, [0.5, 0.5], 10**10)",
    "np.random.multivariate_normal([0, 0], np.eye(2), 10**10)",
    "np.random.dirichlet([1, 1], 10**10)", "np.random.permutation(np.array(10**10))",
    "np.random.choice(np.array(10**10), 2, replace=False)",
    "np.random.multinomial(np.ones(10**4, dtype=int), np.ones(10**4) / 10**4)",
    "np.random.normal(np.zeros((10**4, 1)), np.ones(10**4))",
    "np.random.RandomState(0).rand(10**5, 10**5)", "np.random.RandomState(0).randn(10**10)",
    G + "g.random(10**10)", G + "g.random((10**5, 10**5))", G + "g.integers(0, 9, 10**10)",
    G + "g.integers(5, size=(10**5, 10**5))", G + "g.normal(size=10**10)",
    G + "g.standard_normal(10**10)", G + "g.uniform(size=10**10)",
    G + "g.choice(3, size=(10**5, 10**5))", G + "g.choice(np.ones((4, 10**4)), 10**5)",
    G + "g.permutation(10**10)", G + "g.permuted(np.ones(10**4).reshape(100, 100).repeat(10**4, "
        "0))",
    G + "g.multinomial(5, [0.2] * 5, 10**10)", G + "g.dirichlet([1, 1, 1], (10**5, 10**5))",
    G + "g.multivariate_normal([0, 0], np.eye(2), 10**10)", G + "g.poisson(np.ones(10**4), "
        "(10**4, 10**4))",
    "np.linalg.svd(np.ones((10**6, 2)))", "np.linalg.qr(np.ones((10**6, 2)), mode='complete')",
    "np.linalg.eig(np.ones((2500, 2500)))",
    "np.array_split(np.zeros(0), 10**9)", "np.split(np.zeros(0), 10**9)",
]


@pytest.mark.parametrize("src", TOO_BIG)
def test_every_size_argument_is_checked_against_the_cap(src):
    with pytest.raises(TshRuntimeError) as info:
        run(src, cap="64MB")
    assert info.value.type_name == "MemoryError", info.value.format()


def test_the_reduced_factorizations_of_a_tall_matrix_fit():
    """What the full svd of a 10**6 x 2 matrix is refused for, the reduced one is not."""
    interp = run("U, S, Vh = np.linalg.svd(np.ones((10**6, 2)), full_matrices=False)\n"
                 "Q, R = np.linalg.qr(np.ones((10**6, 2)))\n", cap="128MB")
    assert interp.namespace["U"].shape == (10**6, 2)
    assert interp.namespace["R"].shape == (2, 2)


def test_a_few_draws_from_a_huge_population_fit_where_numpy_allocates_little():
    """Generator.choice without replacement of 3 out of 10**12 uses Floyd's algorithm (no
    permutation of the population): allowed; the legacy choice permutes it: refused."""
    interp = run(G + "v = g.choice(10**12, 3, replace=False)\n", cap="64MB")
    assert interp.namespace["v"].shape == (3,)
    with pytest.raises(TshRuntimeError, match="MemoryError|memory limit"):
        run(G + "g.choice(10**9, 10**8, replace=False)", cap="64MB")


def test_a_boolean_mask_is_measured_by_its_true_items():
    """x[x > 0] of a large x is at most x's size: not refused as x.size ** 2 items."""
    interp = run("x = np.ones((2000, 2000))\ny = x[x > 0]\nz = x[x[:, 0] > 0]\n", cap="128MB")
    assert interp.namespace["y"].shape == (4 * 10**6,)
    assert interp.namespace["z"].shape == (2000, 2000)


NUMPY_FAILURES = [
    "np.add(np.ones(2), 'a')", "np.ones(2) + 'a'", "np.ones(2).sum(axis=3)",
    "np.linalg.inv(np.zeros((2, 2)))", "np.random.default_rng(0).integers(5, 1)",
    "np.zeros((2, 2))[np.ones(2) > 0, 5]", "np.linalg.det([[b'x']])",
    "np.ones(3).reshape(2, 2)", "np.random.choice(3, 5, replace=False)",
]


def test_numpy_errors_reach_programs_as_twins_holding_their_message_only():
    """NumPy's exceptions hold raw objects (_UFuncNoLoopError.args[0] is the ufunc np.add,
    callable on anything): a program catches tshell's twin, of the same name and message,
    whose only argument is the message."""
    src = "caught = []\n" + "".join(
        f"try:\n    {call}\nexcept Exception as e:\n    caught.append(e)\n"
        for call in NUMPY_FAILURES)
    caught = run(src).namespace["caught"]
    assert len(caught) == len(NUMPY_FAILURES)
    for e in caught:
        assert type(e).__module__.startswith(("tshell.", "builtins")), type(e)
        assert all(type(a) is str for a in e.args), e.args
    assert {type(e).__name__ for e in caught} >= {"UFuncTypeError", "AxisError", "LinAlgError"}


def test_values_from_random_and_linalg_are_stand_ins():
    interp = run(G + A + "a = g.random(2)\nb = np.random.rand(2)\ne = np.linalg.eig(A)\n"
                 "c = g.choice(5)\nd = np.linalg.det(A)\nu = np.random.default_rng\n"
                 "s = np.linalg.svd(A)\nk = np.random.randint(0, 5)\n")
    ns = interp.namespace
    assert type(ns["a"]) is np_standin.ndarray and type(ns["b"]) is np_standin.ndarray
    assert type(ns["c"]) is int and type(ns["d"]) is float and type(ns["k"]) is int
    assert type(ns["e"]).__module__.startswith("tshell.")
    assert all(type(v) is np_standin.ndarray for v in (*ns["e"], *ns["s"]))
    assert type(ns["g"]).__module__.startswith("tshell.")


# ---------------------------------------------------------------------- random hostile calls
HOSTILE = ["0", "-1", "10**12", "2**63", "1.5", "float('nan')", "'O'", "'U10'", "None", "()",
           "(10**6, 10**6)", "[1, 'a']", "[[1], [1, 2]]", "[print]", "print", "b'x'",
           "np.zeros(3)", "np.float32", "np.dtype('int8')", "torch.ones(2)", "[0.5, 0.5]",
           "np.arange(4).reshape(2, 2)", "np.eye(2)", "[np.zeros(2), np.ones(2)]", "g", "r",
           "np.array(10**10)", "True", "False", "2", "3", "(2, 2)", "1.0", "[1., 2., 3.]",
           "0.3"]
KEYWORDS = ["size", "dtype", "out", "axis", "replace", "p", "shuffle", "endpoint", "a", "x",
            "full_matrices", "mode", "ord", "keepdims", "buffer", "seed", "state", "method"]


def _hostile_calls(seed, count):
    rng = random.Random(seed)
    ns = np_standin.namespace()._members
    targets = ([f"np.random.{n}" for n, v in ns["random"]._members.items() if callable(v)]
               + [f"np.linalg.{n}" for n, v in ns["linalg"]._members.items() if callable(v)]
               + [f"g.{n}" for n in sorted(random_standin.CLASS_ATTRIBUTES[
                   random_standin.Generator])]
               + [f"r.{n}" for n in sorted(random_standin.CLASS_ATTRIBUTES[
                   random_standin.RandomState])])

    def arguments():
        pos = [rng.choice(HOSTILE) for _ in range(rng.randint(0, 3))]
        kws = [f"{rng.choice(KEYWORDS)}={rng.choice(HOSTILE)}" for _ in range(rng.randint(0, 2))]
        return ", ".join(pos + kws)

    for _ in range(count):
        yield f"v = {rng.choice(targets)}({arguments()})"


def _no_numpy_inside(value, depth=0):
    if type(value).__module__.startswith(("numpy", "cupy")):
        return False
    if isinstance(value, (list, tuple)) and depth < 3:
        return all(_no_numpy_inside(v, depth + 1) for v in value[:20])
    return True


def test_random_hostile_calls_into_np_random_and_linalg_are_refused_or_safe():
    """1 500 random calls of np.random's and np.linalg's functions and the generators'
    methods with hostile arguments: a tsh error or a value with no NumPy object in it."""
    from tshell.lang import InternalError
    outcomes = {"value": 0, "error": 0}
    interp = run(G + R, cap="256MB")
    old = limits.CAP.bytes
    limits.set_max_memory("256MB")
    try:
        for src in _hostile_calls(20261207, 1500):
            interp.namespace.pop("v", None)
            try:
                interp.run_source(src, "<np-fuzz>")
            except InternalError as e:
                pytest.fail(f"{src}\n{e.format(debug=True)}")
            except (TshRuntimeError, TshSyntaxError):
                outcomes["error"] += 1
                continue
            value = interp.namespace.get("v")
            assert _no_numpy_inside(value), f"{src} gave {type(value)}"
            outcomes["value"] += 1
    finally:
        limits.CAP.bytes = old
    assert outcomes["value"] > 50 and outcomes["error"] > 500, outcomes
