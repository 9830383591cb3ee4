"""random against CPython 3.11: the same seed gives the same numbers through every function
and through Random objects; errors as Python's; the sizes tsh refuses (sample, choices,
getrandbits, randbytes) and iterators given as weights or counts."""

import pytest

from standin_compare import cpython, run_tsh, tsh, tsh_error

SEEDED = [
    "random.random(), random.random()",
    "random.uniform(1, 5), random.triangular(0, 10, 3), random.randint(-5, 5)",
    "random.randrange(100), random.randrange(10, 1000, 7), random.randrange(2**80)",
    "random.choice('abcdef'), random.choice([1, 2, 3]), random.choice(range(10**9))",
    "random.sample(range(100), 5), random.sample(['a', 'b', 'c'], 3)",
    "random.sample(['x', 'y'], k=5, counts=[3, 2]), random.sample(range(10**12), 3)",
    "random.choices('abc', k=5), random.choices('abc', [1, 0, 5], k=4), "
    "random.choices(range(3), cum_weights=[1, 2, 10], k=3)",
    "random.gauss(0, 1), random.normalvariate(5, 2), random.lognormvariate(0, 1)",
    "random.expovariate(1.5), random.vonmisesvariate(1, 2), random.gammavariate(2, 3)",
    "random.betavariate(2, 3), random.paretovariate(2), random.weibullvariate(1, 1.5)",
    "random.getrandbits(64), random.getrandbits(0), random.randbytes(5)",
]


@pytest.mark.parametrize("calls", SEEDED)
@pytest.mark.parametrize("seed", ["0", "12345", "'text seed'", "2**100", "3.5", "b'bytes'"])
def test_a_seed_gives_pythons_numbers(calls, seed):
    src = f"import random\nrandom.seed({seed})\nprint({calls})"
    assert tsh(src) == cpython(src)


PROGRAMS = [
    "import random\nrandom.seed(7)\nl = list(range(10))\nrandom.shuffle(l)\nprint(l)",
    "import random\nr = random.Random(42)\n"
    "print(r.random(), r.randint(1, 6), r.sample('abcde', 2))",
    "import random\nr = random.Random()\nr.seed(3)\ns = r.getstate()\na = r.random()\n"
    "r.setstate(s)\nprint(a == r.random(), len(s), s[0])",
    "import random\nrandom.seed(1)\nst = random.getstate()\nx = [random.random() for i in "
    "range(3)]\nrandom.setstate(st)\nprint(x == [random.random() for i in range(3)])",
    "import random\nprint(random.Random, type(random.Random(1)), random.Random(1).VERSION, "
    "random.SystemRandom)",
    "from random import seed, randint, Random\nseed(5)\nprint(randint(1, 100), "
    "Random(5).randint(1, 100))",
    "import random\nr = random.SystemRandom()\nprint(type(r.random()), r.seed(1), "
    "0 <= r.randint(1, 3) <= 3)",
    "import random\nprint(type(random.shuffle), type(random.Random(1).sample))",
    # errors
    "import random\nrandom.choice([])", "import random\nrandom.sample([1, 2], 3)",
    "import random\nrandom.sample({'a': 1}, 1)",
    "import random\nrandom.randint(5, 1)", "import random\nrandom.randrange(0)",
    "import random\nrandom.randrange(1.5)", "import random\nrandom.seed([1])",
    "import random\nrandom.Random([1])", "import random\nrandom.getrandbits(-1)",
    "import random\nrandom.choices('ab', [1], k=2)", "import random\nrandom.uniform(1)",
    "import random\nrandom.sample('abc', -1)", "import random\nrandom.setstate((1, 2))",
    "import random\nrandom.SystemRandom().getstate()", "import random\nrandom.shuffle(5)",
    "import random\nrandom.nosuch",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


def test_every_public_name_of_random_is_there():
    import random
    from tshell.lang.standins import load
    assert set(load("random")._members) == set(random.__all__)


def test_random_objects_expose_their_methods_only():
    assert tsh_error("import random\nrandom.Random(1)._r") == (
        "AttributeError", "'Random' object has no attribute '_r' (names starting with '_' "
        "are not accessible in tsh)")
    assert tsh_error("import random\nrandom.Random(1).gauss_next")[0] == "AttributeError"
    assert run_tsh("import random\nprint(random.Random(1).VERSION)") == "3\n"


@pytest.mark.parametrize("src,kind", [
    ("random.sample(range(10**12), 10**10)", "MemoryError"),
    ("random.choices('ab', k=10**10)", "MemoryError"),
    ("random.getrandbits(10**9)", "MemoryError"),
    ("random.randbytes(10**10)", "MemoryError"),
    ("import itertools\nrandom.choices('ab', itertools.repeat(1))", "MemoryError"),
    ("import itertools\nrandom.sample('ab', 1, counts=itertools.repeat(1))", "MemoryError"),
    ("random.Random(1).sample(range(10**12), 10**10)", "MemoryError"),
])
def test_sizes_above_the_cap_are_refused_before_they_are_made(src, kind, small_cap):
    assert tsh_error("import random\n" + src)[0] == kind
