"""collections against CPython 3.11: OrderedDict, defaultdict, Counter, deque and namedtuple
(values, printing, errors); what their objects expose; their iterables read within the
memory cap; tuple keys checked before hashing; namedtuple's hostile names refused."""

import pytest

from standin_compare import cpython, run_tsh, tsh, tsh_error

IMPORT = "from collections import OrderedDict, defaultdict, Counter, deque, namedtuple\n"

PROGRAMS = [
    # OrderedDict
    "from collections import OrderedDict\nod = OrderedDict([('a', 1), ('b', 2)])\nod['c'] = 3\n"
    "od.move_to_end('a')\nprint(od, list(od), od.popitem(), od.popitem(last=False), od)",
    "from collections import OrderedDict\nod = OrderedDict(x=1)\nod.update([('y', 2)], z=3)\n"
    "od |= {'w': 4}\nprint(od, od | {'v': 5}, od == OrderedDict(x=1, y=2, z=3, w=4), "
    "od == {'w': 4, 'x': 1, 'y': 2, 'z': 3}, od.get('x'), od.setdefault('q', 0), "
    "od.pop('q'), list(reversed(od)), od.copy(), OrderedDict())",
    "from collections import OrderedDict\nod = OrderedDict()\nprint(od.fromkeys('abc', 0), "
    "type(od.fromkeys('a')), type(od), "
    "isinstance(od, dict), isinstance(od, OrderedDict), OrderedDict)",
    "from collections import OrderedDict\nod = OrderedDict(a=1)\nod.move_to_end('a', last=False)\n"
    "print(od.keys(), od.values(), od.items(), len(od), 'a' in od, dict(od))",
    # defaultdict
    "from collections import defaultdict\nd = defaultdict(list)\nd['a'].append(1)\n"
    "d['b'].extend([2, 3])\nprint(d, d['c'], dict(d), d.default_factory, len(d))",
    "from collections import defaultdict\nd = defaultdict(int, [('x', 5)], y=1)\nd['z'] += 2\n"
    "print(d, d.get('nope'), 'nope' in d, d.copy(), type(d.copy()), d | {'w': 0})",
    "from collections import defaultdict\nd = defaultdict()\nd.default_factory = list\n"
    "d[1].append(0)\nprint(d, defaultdict(None, {'a': 1}), defaultdict)",
    "from collections import defaultdict\ndef zero():\n    return 0\nd = defaultdict(zero)\n"
    "print(d['x'], d)",
    # Counter
    "from collections import Counter\nc = Counter('abracadabra')\nprint(c, c.most_common(2), "
    "c['a'], c['z'], sorted(c.elements()), c.total(), list(c), len(c))",
    "from collections import Counter\na = Counter(a=3, b=1)\nb = Counter(a=1, b=2)\n"
    "print(a + b, a - b, a | b, a & b, +Counter(a=-1, b=2), -Counter(a=-1), type(a + b))",
    "from collections import Counter\nc = Counter(['x', 'y', 'x'])\nc.update(['x', 'z'])\n"
    "c.update({'y': 5})\nc.subtract('x')\nc.subtract({'z': 3})\nprint(c, c.most_common())",
    "from collections import Counter\nc = Counter(a=2)\nc += Counter(a=1, b=-1)\nc -= Counter()\n"
    "c |= Counter(q=9)\nc &= Counter(a=1, q=2)\nprint(c, Counter(), Counter() == Counter(a=0), "
    "Counter(a=1) <= Counter(a=2), c.copy(), Counter({'k': 1}))",
    "from collections import Counter\nprint(Counter([(1, 2), (1, 2), (3,)]), "
    "Counter('aab').items(), "
    "dict(Counter('ab')), Counter)",
    # deque
    "from collections import deque\nd = deque([1, 2, 3])\nd.append(4)\nd.appendleft(0)\n"
    "d.extend([5, 6])\nd.extendleft([-1, -2])\nd.rotate(2)\nprint(d, d.pop(), d.popleft(), "
    "d[0], d[-1], len(d), 3 in d, d.count(3), d.index(3), d)",
    "from collections import deque\nd = deque(range(5), maxlen=3)\nd.append(9)\n"
    "print(d, d.maxlen, deque('ab') * 2, 2 * deque('ab'), deque('ab') + deque('c'), "
    "list(reversed(d)), d.copy(), deque(), deque(maxlen=0))",
    "from collections import deque\nd = deque([3, 1, 2])\nd.reverse()\nd.remove(1)\n"
    "d.insert(1, 7)\nd += [8]\nd *= 2\nprint(d, d == deque([2, 7, 3, 8] * 2), d < deque([9]), "
    "deque)",
    "from collections import deque\nd = deque()\nd.append(d)\nprint(d)\nd.clear()\n"
    "d.extend(d)\nprint(d)",
    # namedtuple
    "from collections import namedtuple\nP = namedtuple('P', 'x y')\np = P(1, y=2)\n"
    "print(p, p.x, p.y, p[0], p == (1, 2), P, type(p) is P, p.count(1), p.index(2), len(p))",
    "from collections import namedtuple\nP = namedtuple('Point', ['x', 'y', 'z'], "
    "defaults=[0, 9])\nprint(P(1), P(1, 2), P(x=5, z=1), hash(P(1)) == hash((1, 0, 9)), "
    "sorted([P(2), P(1)]), P)",
    "from collections import namedtuple\nP = namedtuple('P', 'x, y', rename=True)\n"
    "Q = namedtuple('Q', 'a def b', rename=True)\nprint(P(1, 2), Q(1, 2, 3), "
    "namedtuple('R', ['count', 'index'])(1, 2))",
    "from collections import namedtuple\nP = namedtuple('P', 'x y')\nx, y = P(3, 4)\n"
    "print(x + y, list(P(5, 6)), dict(zip('ab', P(1, 2))), P(1, 2) + (3,))",
    "import collections\nprint(collections.namedtuple('T', '')(), "
    "collections.namedtuple('U', 'a', module='mymod'))",
    # errors
    "from collections import OrderedDict\nOrderedDict(5)", "from collections import OrderedDict\n"
    "OrderedDict().popitem()", "from collections import OrderedDict\nOrderedDict().move_to_end(1)",
    "from collections import OrderedDict\nOrderedDict([1, 2])",
    "from collections import defaultdict\ndefaultdict(5)", "from collections import defaultdict\n"
    "defaultdict(list, 5)", "from collections import defaultdict\ndefaultdict(None)['x']",
    "from collections import Counter\nCounter(5)", "from collections import Counter\n"
    "Counter('a', 'b')", "from collections import Counter\nCounter().fromkeys('a')",
    "from collections import Counter\nCounter([[1]])",
    "from collections import deque\ndeque(5)", "from collections import deque\n"
    "deque([], -1)", "from collections import deque\ndeque().pop()",
    "from collections import deque\ndeque([1]).remove(2)", "from collections import deque\n"
    "deque([1], 1).insert(0, 5)", "from collections import deque\ndeque('a') + [1]",
    "from collections import deque\ndeque([1], maxlen='a')", "from collections import deque\n"
    "deque([1])[5]",
    "from collections import namedtuple\nnamedtuple('P', 'x x')",
    "from collections import namedtuple\nnamedtuple('P', '_x')",
    "from collections import namedtuple\nnamedtuple('P', 'class')",
    "from collections import namedtuple\nnamedtuple('1P', 'x')",
    "from collections import namedtuple\nnamedtuple('P', 'x y')(1)",
    "from collections import namedtuple\nnamedtuple('P', 'x')(1, 2)",
    "from collections import namedtuple\nnamedtuple('P', 'x', defaults=[1, 2])",
    "from collections import namedtuple\nnamedtuple('P', ['a b'])",
    "from collections import namedtuple\nnamedtuple('P', [1])",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


@pytest.mark.parametrize("name,attributes", [
    ("OrderedDict()", "move_to_end popitem keys values items get pop setdefault update copy "
                      "clear fromkeys"),
    ("defaultdict(list)", "default_factory keys get update"),
    ("Counter()", "most_common elements subtract total update keys"),
    ("deque()", "append appendleft clear copy count extend extendleft index insert pop "
                "popleft remove reverse rotate maxlen"),
])
def test_their_objects_expose_the_public_methods(name, attributes):
    for attribute in attributes.split():
        run_tsh(f"{IMPORT}x = {name}.{attribute}")
    for attribute in ("__class__.__mro__", "__init__", "__dict__", "_keep_positive",
                      "__reduce__", "_mine", "_check_length", "__missing__"):
        assert tsh_error(f"from collections import OrderedDict, defaultdict, Counter, deque\n"
                         f"{name}.{attribute}")[0] == "AttributeError"


def test_default_factory_can_be_set_and_nothing_else():
    assert run_tsh("from collections import defaultdict\nd = defaultdict()\n"
                   "d.default_factory = int\nprint(d['a'], d)") == \
        "0 defaultdict(<class 'int'>, {'a': 0})\n"
    assert tsh_error("from collections import defaultdict\nd = defaultdict()\nd.keys = 1")[0] == \
        "AttributeError"


# ---------------------------------------------------------------------- guards
@pytest.mark.parametrize("src", [
    "deque(itertools.count())", "Counter(itertools.count())",
    "Counter().update(map(str, itertools.count()))",
    "OrderedDict(zip(itertools.count(), itertools.count()))",
    "defaultdict(list, zip(itertools.count(), itertools.count()))",
    "OrderedDict().update(zip(itertools.count(), itertools.count()))",
    "OrderedDict().fromkeys(itertools.count())",
    "deque([0] * 10**6) * 10", "d = deque([0] * 10**6)\nd *= 10",
    "deque().extendleft(itertools.count())",
    "d = deque([0] * 10**6)\nd + d + d + d", "namedtuple('P', 'x', defaults=itertools.repeat(1))",
    "namedtuple('P', map(str, itertools.count()))", "Counter().subtract(itertools.count())",
])
def test_endless_or_huge_inputs_stop_at_the_memory_cap(src, small_cap):
    kind, message = tsh_error("import itertools\n" + IMPORT + src)
    assert kind == "MemoryError", message


@pytest.mark.parametrize("use", [
    "Counter([t])", "Counter().update([t])", "Counter().subtract([t])", "OrderedDict([(t, 1)])",
    "OrderedDict().get(t)", "OrderedDict().setdefault(t)", "OrderedDict().pop(t, 1)",
    "OrderedDict().fromkeys([t])", "defaultdict(int).get(t)", "OrderedDict(a=1).move_to_end(t)",
    "defaultdict(int)[t]", "Counter()[t]", "d = {}\nd |= [(t, 1)]",
    "od = OrderedDict()\nod |= [(t, 1)]",
])
def test_deep_tuple_keys_are_refused_before_hashing(use):
    src = IMPORT + "t = ()\nfor i in range(200000):\n    t = (t,)\n" + use
    kind, message = tsh_error(src)
    assert kind == "RecursionError" and "hashing a tuple" in message, message


def test_a_deque_with_maxlen_reads_an_endless_iterator_interruptibly():
    # bounded memory, so no cap stops it: it must be the chunked loop (Ctrl-C is tested
    # in test_standin_interrupts.py); here: a long finite one gives Python's result
    assert run_tsh("from collections import deque\nd = deque(range(10**6), maxlen=2)\n"
                   "print(d)") == "deque([999998, 999999], maxlen=2)\n"


def test_namedtuple_field_count_is_limited():
    kind, message = tsh_error("from collections import namedtuple\n"
                              "namedtuple('P', ['f' + str(i) for i in range(70000)])")
    assert kind == "ValueError" and "more than 65536 fields" in message
