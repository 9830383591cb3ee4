"""itertools against CPython 3.11 (and batched against 3.12's documented behaviour): values,
laziness, how iterators print, errors; then tsh's limits: nesting deeper than 1000 is a
RecursionError when the iterator is made (not a crash when it is consumed), and the
combinatoric iterators read their input within the memory cap."""

import pytest

from standin_compare import cpython, run_tsh, tsh, tsh_error

PROGRAMS = [
    "import itertools as it\nprint(list(it.islice(it.count(), 5)), list(it.islice(it.count(2.5, "
    "0.5), 3)), it.count(3), it.count(1, 2), next(it.count(10, -1)))",
    "import itertools as it\nprint(list(it.islice(it.cycle('ab'), 5)), list(it.repeat(7, 3)), "
    "it.repeat('x'), it.repeat(1, 2), list(it.repeat(0, -1)))",
    "import itertools as it\nprint(list(it.accumulate([1, 2, 3, 4])), list(it.accumulate("
    "[1, 2, 3], initial=10)), list(it.accumulate([[1], [2]])), list(it.accumulate('abc')))",
    "import itertools as it\nimport operator\nprint(list(it.accumulate([3, 1, 4], max)), "
    "list(it.accumulate([1, 2, 3], operator.mul)), list(it.accumulate([])), "
    "list(it.accumulate(iterable=[1, 2])))",
    "import itertools as it\nprint(list(it.chain('ab', [1], (2,))), list(it.chain()), "
    "list(it.chain.from_iterable(['ab', [1, 2], ()])), it.chain, type(it.chain([])))",
    "import itertools as it\nc = it.chain([1])\nprint(isinstance(c, it.chain), "
    "type(c) is it.chain, "
    "type(it.chain.from_iterable([])) is it.chain, isinstance([], it.chain))",
    "import itertools as it\nprint(list(it.compress('abcdef', [1, 0, 1, 0, 1, 1])), "
    "list(it.compress(data='ab', selectors=[0, 1])), list(it.compress(it.count(), [1, 0, 1])))",
    "import itertools as it\ndef small(v):\n    return v < 3\nprint(list(it.dropwhile(small, "
    "[1, 2, 5, 1])), list(it.takewhile(small, [1, 2, 5, 1])), list(it.filterfalse(small, "
    "range(6))), list(it.filterfalse(None, [0, 1, '', 'a'])))",
    "import itertools as it\nprint([(k, list(g)) for k, g in it.groupby('aaabbcaa')], "
    "[k for k, g in it.groupby([1, 1, 2])], list(it.groupby([])))",
    "import itertools as it\ndef parity(v):\n    return v % 2\nprint([(k, list(g)) for k, g in "
    "it.groupby([1, 3, 2, 4, 5], key=parity)], [(k, list(g)) for k, g in "
    "it.groupby(iterable=[1, 1], key=None)])",
    "import itertools as it\ng = it.groupby('aabb')\nk1, g1 = next(g)\nk2, g2 = next(g)\n"
    "print(k1, list(g1), k2, list(g2), type(g1))",
    "import itertools as it\nprint(list(it.islice('abcdefg', 2)), list(it.islice('abcdefg', 2, "
    "4)), list(it.islice('abcdefg', 2, None)), list(it.islice('abcdefg', 0, None, 2)), "
    "list(it.islice(it.count(), 10**6, 10**6 + 2)), list(it.islice(it.count(), 0, 3, 10**6)))",
    "import itertools as it\nprint(list(it.pairwise('abcd')), list(it.pairwise([1])), "
    "list(it.starmap(pow, [(2, 5), (3, 2)])), list(it.zip_longest('abc', [1], fillvalue='-')), "
    "list(it.zip_longest()))",
    "import itertools as it\na, b = it.tee([1, 2, 3])\nprint(next(a), list(b), list(a), "
    "len(it.tee('ab', 3)), it.tee([1], 0))",
    "import itertools as it\na, b = it.tee(iter([1, 2, 3]))\nc, d = it.tee(a)\nprint(next(a), "
    "list(c), list(d), list(b))",
    "import itertools as it\nprint(list(it.product('ab', range(2))), list(it.product([1, 2], "
    "repeat=2)), list(it.product()), list(it.product('ab', [])))",
    "import itertools as it\nprint(list(it.permutations('abc', 2)), "
    "list(it.permutations(range(3))),"
    " list(it.permutations([1], 5)), len(list(it.permutations(range(5)))))",
    "import itertools as it\nprint(list(it.combinations('abcd', 2)), list(it.combinations(range(3),"
    " r=3)), list(it.combinations([], 0)), list(it.combinations_with_replacement('ab', 3)))",
    "import itertools as it\nprint(it.count, it.product, it.tee, it.islice, type(it.cycle('a')), "
    "type(it.repeat(1)), type(it.product('a')))",
    "import itertools as it\nfor k, g in it.groupby(sorted('hello')):\n    print(k, len(list(g)))",
    "import itertools as it\nprint(sum(it.islice(it.count(1), 100)), max(it.repeat(3, 4)), "
    "sorted(it.chain([3], [1, 2])), dict(it.zip_longest('ab', [1])))",
    "import itertools as it\nprint(list(it.islice(it.accumulate(it.repeat(1)), 3)), "
    "list(map(len, it.islice(it.accumulate(it.repeat('x')), 3))))",
    # errors
    "import itertools as it\nit.count('a')", "import itertools as it\nit.repeat()",
    "import itertools as it\nit.cycle(5)", "import itertools as it\nit.chain(1, 2)",
    "import itertools as it\nlist(it.chain(1, 2))", "import itertools as it\nit.islice([1], -1)",
    "import itertools as it\nit.islice([1], 'a')",
    "import itertools as it\nit.islice([1], 1, 2, 0)",
    "import itertools as it\nit.islice(5, 1)", "import itertools as it\nit.accumulate(5)",
    "import itertools as it\nit.compress('a')", "import itertools as it\nit.dropwhile(abs)",
    "import itertools as it\nit.dropwhile(abs, [1], 2)", "import itertools as it\nit.groupby(5)",
    "import itertools as it\nit.pairwise(5)", "import itertools as it\nlist(it.starmap(abs, [1]))",
    "import itertools as it\nit.tee([1], -1)", "import itertools as it\nit.tee(5)",
    "import itertools as it\nit.product(5)", "import itertools as it\nit.product([1], repeat=-1)",
    "import itertools as it\nit.product([1], times=2)",
    "import itertools as it\nit.permutations(5)",
    "import itertools as it\nit.permutations([1], -1)",
    "import itertools as it\nit.combinations([1])",
    "import itertools as it\nit.combinations([1], -1)", "import itertools as it\nit.zip_longest(5)",
    "import itertools as it\nit.combinations_with_replacement([1], r=-1)",
    "import itertools as it\nnext(it.chain())", "import itertools as it\nit.chain.from_iterable(5)",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


def test_every_public_name_of_itertools_is_there():
    import itertools
    from tshell.lang.standins import load
    names = set(load("itertools")._members)
    assert names == {n for n in dir(itertools) if not n.startswith("_")} | {"batched"}


def test_batched_as_in_python_3_12():
    assert run_tsh("import itertools as it\nprint(list(it.batched('abcdefg', 3)), "
                   "list(it.batched([], 2)), list(it.islice(it.batched(it.count(), 2), 2)), "
                   "it.batched)") == (
        "[('a', 'b', 'c'), ('d', 'e', 'f'), ('g',)] [] [(0, 1), (2, 3)] "
        "<class 'itertools.batched'>\n")
    assert tsh_error("import itertools as it\nit.batched('a', 0)") == (
        "ValueError", "n must be at least one")
    assert tsh_error("import itertools as it\nit.batched('a', 'b')")[0] == "TypeError"


def test_iterators_expose_no_attribute():
    for src in ("it.count().__reduce__", "it.chain([]).from_iterable", "it.tee([1])[0]._link",
                "it.chain.from_iterable([])._source", "it.groupby('a').tgtkey",
                "it.product('a').__setstate__"):
        assert tsh_error("import itertools as it\n" + src)[0] == "AttributeError", src


# ---------------------------------------------------------------------- nesting
NESTING = {
    "chain": "it.chain(x)", "chain.from_iterable source": "it.chain.from_iterable(x)",
    "islice": "it.islice(x, None)", "cycle": "it.cycle(x)", "accumulate": "it.accumulate(x)",
    "compress": "it.compress(x, it.repeat(1))", "dropwhile": "it.dropwhile(bool, x)",
    "takewhile": "it.takewhile(bool, x)", "filterfalse": "it.filterfalse(None, x)",
    "groupby": "it.groupby(x)", "group": "next(it.groupby(x))[1]",
    "pairwise": "it.pairwise(x)", "starmap": "it.starmap(abs, x)",
    "zip_longest": "it.zip_longest(x)", "tee": "it.tee(it.chain(x))[1]",
    "batched": "it.batched(x, 1)",
    "mixed with map": "map(abs, it.chain(x))",
}


@pytest.mark.parametrize("name", sorted(NESTING))
def test_nesting_deeper_than_1000_is_refused_when_made(name):
    src = (f"import itertools as it\nx = iter([1])\nfor i in range(200000):\n"
           f"    x = {NESTING[name]}\n")
    kind, message = tsh_error(src)
    assert kind == "RecursionError" and "nested more than 1000 deep" in message, message


def test_nesting_up_to_the_limit_works():
    assert run_tsh("import itertools as it\nx = iter([5])\nfor i in range(495):\n"
                   "    x = it.chain(it.islice(x, None))\nprint(list(x))") == "[5]\n"


def test_chain_from_iterable_of_chains_nested_as_it_runs_is_refused():
    src = ("import itertools as it\nx = iter([1])\nfor i in range(20000):\n"
           "    x = it.chain.from_iterable([x])\nprint(list(x))")
    kind, message = tsh_error(src)
    assert kind == "RecursionError" and "chain.from_iterable" in message


def test_chain_from_iterable_of_chains_a_few_deep_works():
    assert run_tsh("import itertools as it\nx = [[1, 2], [3]]\nfor i in range(5):\n"
                   "    x = [it.chain.from_iterable(x)]\nprint(list(x[0]))") == "[1, 2, 3]\n"


# ---------------------------------------------------------------------- sizes
@pytest.mark.parametrize("src", [
    "it.product(it.count())", "it.product('ab', it.repeat(1))", "it.permutations(it.count())",
    "it.combinations(it.count(), 2)", "it.combinations_with_replacement(it.count(), 2)",
    "it.product('ab', repeat=10**12)", "it.permutations('ab', 10**12)",
    "it.combinations_with_replacement('ab', 10**12)", "it.tee([1], 10**12)",
    "next(it.batched(it.count(), 10**12))", "list(it.repeat(0, 10**12))",
    "list(it.islice(it.accumulate(it.repeat([0] * 10**6)), 100))",
])
def test_sizes_above_the_cap_are_memory_errors(src, small_cap):
    kind, message = tsh_error("import itertools as it\n" + src)
    assert kind == "MemoryError", message
