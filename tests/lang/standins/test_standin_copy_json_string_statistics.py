"""copy, json, string and statistics against CPython 3.11 (tensors against PyTorch 2.13's
recorded behaviour), and what tsh refuses: copying what is not a program's value, output and
input sizes above the memory cap, nesting above 1000, endless data."""

import pytest

from standin_compare import cpython, run_tsh, tsh, tsh_error

PROGRAMS = [
    # copy
    "import copy\nl = [[1, 2], {'a': (3, [4])}, 'x', 5.5, None]\nc = copy.copy(l)\n"
    "d = copy.deepcopy(l)\nprint(c == l, c is l, c[0] is l[0], d == l, d[0] is l[0], "
    "d[1]['a'] is l[1]['a'], d[1]['a'][0] is l[1]['a'][0])",
    "import copy\nl = [1]\nl.append(l)\nd = copy.deepcopy(l)\nprint(d, d[1] is d, d is l)",
    "import copy\na = [1]\nt = (a, a)\nd = copy.deepcopy(t)\nprint(d, d[0] is d[1], "
    "copy.deepcopy((1, 'x')) is not None, copy.copy((1, [2])))",
    "import copy\nfrom collections import OrderedDict, defaultdict, Counter, deque, namedtuple\n"
    "P = namedtuple('P', 'x y')\nvals = [OrderedDict(a=[1]), defaultdict(list, b=[2]), "
    "Counter('aab'), deque([[3]], maxlen=4), P([1], 2)]\nfor v in vals:\n"
    "    c, d = copy.copy(v), copy.deepcopy(v)\n    print(type(c) is type(v), c == v, d == v, "
    "type(d) is type(v), c is v)",
    "import copy, random\nr = random.Random(5)\nr2 = copy.copy(r)\nr3 = copy.deepcopy(r)\n"
    "print(r.random() == r2.random() == r3.random(), type(r2))",
    "import copy\nprint(copy.copy(len), copy.deepcopy(range(3)), copy.copy(3.5), "
    "copy.deepcopy('s'), copy.copy(None), copy.deepcopy(b'x'))",
    "import copy\nmemo = {}\nl = [1]\nprint(copy.deepcopy([l, l], memo), len(memo) > 0)",
    "import copy\nimport math\ncopy.deepcopy(math)", "import copy\ncopy.copy(copy)",
    # json
    "import json\nprint(json.dumps({'a': [1, 2.5, None, True, False, 'x\\u00e9\\n']}), "
    "json.dumps([1, [2, {}]], indent=2), json.dumps({'b': 1, 'a': 2}, sort_keys=True), "
    "json.dumps('é', ensure_ascii=False), json.dumps((1, 2)), json.dumps([1, 2], "
    "separators=(',', ':')))",
    "import json\nprint(json.dumps({1: 'a', 2.5: 'b', True: 'c', None: 'd'}), json.dumps("
    "float('inf')), json.dumps({'a': [1]}, indent='--'), json.dumps([], indent=0))",
    "import json\nprint(json.loads('{\"a\": [1, 2.5, null, true], \"b\": \"\\\\u00e9\"}'), "
    "json.loads('3'), json.loads(b'[1]'), json.loads('\"x\"'), json.loads('[1.5e3, -0]'))",
    "import json\ndef hook(d):\n    return sorted(d.items())\ndef num(s):\n    return 'n' + s\n"
    "print(json.loads('{\"b\": 1, \"a\": {\"c\": 2}}', object_hook=hook), "
    "json.loads('[1, 2.5]', parse_int=num, parse_float=num), "
    "json.loads('{\"a\": 1}', object_pairs_hook=list), json.loads('NaN', parse_constant=num))",
    "import json\ndef default(o):\n    return ['tensor', o.tolist()]\n"
    "print(json.dumps({'a': [1]}, default=default) if True else 0)",
    "import json\njson.loads('[1,')", "import json\njson.loads('')",
    "import json\ntry:\n    json.loads('[1,\\n')\nexcept json.JSONDecodeError as e:\n"
    "    print(e.msg, e.pos, e.lineno, e.colno, e.doc, e.args)",
    "import json\njson.loads('{\"a\" 1}')", "import json\njson.loads(5)",
    "import json\njson.loads('[1]', nosuch=1)", "import json\njson.dumps(print)",
    "import json\njson.dumps({(1, 2): 3})", "import json\njson.dumps(float('nan'), "
    "allow_nan=False)", "import json\nl = []\nl.append(l)\njson.dumps(l)",
    "import json\njson.dumps({'a': 1, 1: 2}, sort_keys=True)", "import json\njson.dumps(10**5000)",
    # string
    "import string\nprint(string.ascii_letters, string.ascii_lowercase, string.ascii_uppercase, "
    "string.digits, string.hexdigits, string.octdigits, repr(string.punctuation), "
    "repr(string.whitespace), repr(string.printable))",
    "import string\nprint(string.capwords('hello   wORLD  again'), string.capwords('a-b-c', '-'), "
    "string.capwords(''))",
    "from string import Template\nt = Template('$who likes ${what}, $$5')\nprint(t.substitute("
    "who='tim', what='kung pao'), t.substitute({'who': 1, 'what': [2]}), t.safe_substitute("
    "who='x'), t.template, t.get_identifiers(), t.is_valid(), Template('$').is_valid())",
    "from string import Template\nprint(Template('$a').substitute({'a': 1}, a=2), "
    "Template('$a $b').safe_substitute({'a': 1}))",
    "from string import Template\nTemplate('$a').substitute()",
    "from string import Template\nTemplate('$').substitute()",
    "from string import Template\nTemplate('x ${a').substitute(a=1)",
    "import string\nstring.capwords(5)",
    # statistics
    "import statistics as st\nprint(st.mean([1, 2, 3, 4]), st.mean([1.5, 2.5]), st.fmean([1, 2]), "
    "st.fmean([1, 2], weights=[3, 1]), st.geometric_mean([1, 4]), st.harmonic_mean([1, 4]), "
    "st.median([3, 1, 2]), st.median([1, 2, 3, 4]), st.median_low([1, 2, 3, 4]), "
    "st.median_high([1, 2, 3, 4]), st.median_grouped([1, 2, 2, 3]))",
    "import statistics as st\nprint(st.mode([1, 1, 2]), st.mode('aab'), st.multimode('aabbc'), "
    "st.pstdev([1, 2, 3, 4]), st.pvariance([1, 2, 3, 4]), st.stdev([1, 2, 3, 4]), "
    "st.variance([1, 2, 3, 4], 2.5), st.quantiles(range(1, 11)), st.quantiles([1, 2, 3], n=2, "
    "method='inclusive'))",
    "import statistics as st\nprint(st.covariance([1, 2, 3], [1, 2, 4]), st.correlation([1, 2, 3], "
    "[1, 2, 4]), st.linear_regression([1, 2, 3], [2, 4, 7]), st.linear_regression([1, 2], [2, 4], "
    "proportional=True).slope, st.mean(iter([1, 2])), st.median(map(abs, [-3, 1])))",
    "import statistics as st\nn = st.NormalDist(10, 2)\nprint(n, n.mean, n.stdev, n.variance, "
    "n.median, n.mode, n.pdf(10), n.cdf(12), n.inv_cdf(0.5), n.zscore(14), n.quantiles(), "
    "n.overlap(st.NormalDist(11, 2)), n + 1, n * 2, 3 - n, n + st.NormalDist(0, 1), -n, "
    "n == st.NormalDist(10, 2), len(n.samples(3, seed=1)), st.NormalDist)",
    "import statistics as st\nst.mean([])", "import statistics as st\nst.stdev([1])",
    "import statistics as st\nst.mode([])", "import statistics as st\nst.NormalDist(0, -1)",
    "import statistics as st\nst.quantiles([1], n=0)", "import statistics as st\nst.mean(['a'])",
    "import statistics as st\nst.NormalDist().inv_cdf(2)", "import statistics as st\n"
    "st.correlation([1, 1], [1, 2])", "import statistics as st\nst.geometric_mean([-1])",
]


@pytest.mark.parametrize("src", PROGRAMS)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


def test_every_public_name_is_there():
    import statistics
    import string
    from tshell.lang.standins import load
    assert set(load("statistics")._members) == set(statistics.__all__)
    assert set(load("string")._members) == {n for n in dir(string) if n[0] != "_"} - {
        "Formatter"}
    assert set(load("json")._members) == {"loads", "dumps", "JSONDecodeError"}
    assert set(load("copy")._members) == {"copy", "deepcopy", "Error", "error"}


def test_statistics_errors_are_statistics_errors():
    assert tsh_error("import statistics\nstatistics.mean([])") == (
        "StatisticsError", "mean requires at least one data point")
    assert run_tsh("import statistics\nprint(statistics.StatisticsError)") == \
        "<class 'statistics.StatisticsError'>\n"


# ---------------------------------------------------------------------- tensors (PyTorch)
def test_deepcopy_of_tensors_as_pytorch():
    out = run_tsh("import copy\nx = torch.ones(2, requires_grad=True)\nx.grad = torch.ones(2)\n"
                  "y = copy.deepcopy(x)\nprint(y.requires_grad, y.is_leaf, y.grad, y is x)\n"
                  "y.data[0] = 5\nprint(x)\nt = torch.arange(3)\nc = copy.copy(t)\nc[0] = 9\n"
                  "print(t, copy.deepcopy(torch.float32) is torch.float32, "
                  "copy.deepcopy(torch.Size([2])), copy.copy(x).requires_grad)")
    assert out == ("True True tensor([1., 1.]) False\n"
                   "tensor([1., 1.], requires_grad=True)\n"
                   "tensor([9, 1, 2]) True torch.Size([2]) True\n")
    kind, message = tsh_error("import copy\nx = torch.ones(2, requires_grad=True)\n"
                              "copy.deepcopy(x * 2)")
    assert kind == "RuntimeError" and message.startswith(
        "Only Tensors created explicitly by the user (graph leaves) support the deepcopy")


def test_deepcopy_of_modules_as_python():
    # "best_model = copy.deepcopy(model)" (PyTorch's tutorials): new parameters with the same
    # values, submodules, buffers and training flags; copy.copy shares the submodules
    out = run_tsh("import copy\nimport torch.nn as nn\n"
                  "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                  "        self.body = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))\n"
                  "        self.tag = 'net'\n"
                  "net = Net().eval()\nbest = copy.deepcopy(net)\nsd, sd2 = net.state_dict(), "
                  "best.state_dict()\nprint(type(best).__name__, best.tag, best.training, "
                  "list(sd2) == list(sd), all(torch.equal(sd[k], sd2[k]) for k in sd))\n"
                  "print(best.body[0].weight is net.body[0].weight, "
                  "type(best.body[0].weight).__name__)\n"
                  "with torch.no_grad():\n    best.body[0].bias.fill_(3.)\n"
                  "print(net.body[0].bias.eq(3.).any().item(), copy.copy(net.body)[0] is "
                  "net.body[0], copy.deepcopy(net.body[1]))")
    assert out == ("Net net False True True\nFalse Parameter\n"
                   "False True BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, "
                   "track_running_stats=True)\n")


# ---------------------------------------------------------------------- refusals
@pytest.mark.parametrize("value", [
    "torch", "math", "torch.no_grad()", "iter([1])",
    "map(abs, [1])", "itertools.count()", "torch.manual_seed(0)", "np.random",
    "functools.lru_cache(abs)", "operator.attrgetter('x')",
])
def test_values_that_are_not_a_programs_cannot_be_copied(value):
    for fn in ("copy", "deepcopy"):
        kind, message = tsh_error(f"import copy, math, itertools, functools, operator\n"
                                  f"copy.{fn}({value})")
        assert kind == "TypeError" and message.startswith("cannot pickle"), (fn, message)


def test_deep_values_are_refused_by_deepcopy():
    kind, message = tsh_error("import copy\nv = []\nfor i in range(5000):\n    v = [v]\n"
                              "copy.deepcopy(v)")
    assert kind == "RecursionError" and "copying a value" in message
    assert run_tsh("import copy\nv = []\nfor i in range(500):\n    v = [v]\n"
                   "print(copy.deepcopy(v) == v)") == "True\n"


@pytest.mark.parametrize("src", [
    "json.dumps([[0] * 1000] * 10**5)", "json.dumps([1, 2], indent=10**9)",
    "json.dumps(['x' * 10**7] * 2)", "json.dumps({'a': [1] * 1000}, indent=' ' * 10**6)",
    "json.loads('[' + '0,' * 10**7 + '0]')", "string.Template('$a' * 1000).substitute(a='x' * "
    "10**5)", "string.capwords('a ' * 5 * 10**6)",
    "statistics.mean(itertools.count())", "statistics.quantiles([1, 2], n=10**9)",
    "statistics.NormalDist().samples(10**9)", "statistics.fmean([1], itertools.repeat(1))",
])
def test_sizes_above_the_cap_are_refused(src, small_cap):
    kind, message = tsh_error("import json, string, statistics, itertools\n" + src)
    assert kind == "MemoryError", message


def test_json_nesting_deeper_than_1000_is_refused_by_dumps():
    kind, message = tsh_error("import json\nv = []\nfor i in range(5000):\n    v = [v]\n"
                              "json.dumps(v)")
    assert kind == "RecursionError" and "encoding JSON" in message


def test_default_is_called_once_per_object():
    assert run_tsh("import json\ncalls = []\nclass_less = [torch.ones(1)]\n"
                   "def default(o):\n    calls.append(1)\n    return 'T'\n"
                   "print(json.dumps(class_less * 3, default=default), len(calls))") == \
        '["T", "T", "T"] 1\n'


def test_json_loads_keeps_hooks_to_plain_values():
    # a hook gets dicts, lists, strings: the program's own values, nothing with reach
    assert run_tsh("import json\nseen = []\ndef hook(d):\n    seen.append(type(d))\n"
                   "    return d\njson.loads('[{\"a\": {}}]', object_hook=hook)\n"
                   "print(seen)") == "[<class 'dict'>, <class 'dict'>]\n"
