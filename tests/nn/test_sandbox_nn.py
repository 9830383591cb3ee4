"""The sandbox audit (tests/hardening/test_sandbox_audit.py) over the values torch.nn gives a
program: modules of every kind, parameters, state dicts, the generators of parameters() & co.,
hook handles, load_state_dict's result. From each, everything tsh code can follow (allowed
attributes, items, type()) is checked against the audit's rules."""
import collections
import io

import pytest

from tests.hardening import test_sandbox_audit as audit
from tshell.lang import Interpreter, sandbox
from tshell.lang.runtime import tsh_type

PROGRAM = """
from torch import nn
import torch.nn.functional as F
lin = nn.Linear(2, 3)
seq = nn.Sequential(lin, nn.ReLU(), nn.Dropout(0.1))
lstm = nn.LSTM(2, 3)
x = torch.ones(4, 2, requires_grad=True)
seq(x).sum().backward()
values = {
    'linear': lin, 'seq': seq, 'lstm': lstm, 'gru_cell': nn.GRUCell(2, 2),
    'mha': nn.MultiheadAttention(4, 2), 'encoder': nn.TransformerEncoderLayer(4, 2, 8),
    'moduledict': nn.ModuleDict({'a': nn.Tanh()}), 'modulelist': nn.ModuleList([nn.GELU()]),
    'paramlist': nn.ParameterList([torch.ones(1)]),
    'paramdict': nn.ParameterDict({'w': torch.ones(1)}),
    'bn': nn.BatchNorm1d(2), 'emb': nn.Embedding(3, 2), 'conv': nn.Conv2d(1, 1, 2),
    'lazy': nn.LazyLinear(2), 'loss': nn.CrossEntropyLoss(weight=torch.ones(2)),
    'param': lin.weight, 'grad': lin.weight.grad, 'buffer': nn.Buffer(torch.ones(1)),
    'state_dict': seq.state_dict(), 'keys': lin.load_state_dict(lin.state_dict()),
    'params_gen': lin.parameters(), 'named_gen': seq.named_modules(),
    'handle': lin.register_forward_hook(print), 'out': lstm(torch.ones(3, 1, 2)),
    'sdpa': F.scaled_dot_product_attention, 'init': nn.init, 'utils': nn.utils,
    'clip': nn.utils.clip_grad_norm_(seq.parameters(), 1.0),
}
"""


@pytest.fixture(scope="module")
def everything():
    """{id: (path, value)} reachable from the nn values of PROGRAM."""
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(PROGRAM, "<nn audit>")
    seen, per_type = {}, collections.Counter()
    queue = collections.deque((name, value, 0)
                              for name, value in interp.namespace["values"].items())
    while queue:
        path, value, depth = queue.popleft()
        if id(value) in seen:
            continue
        seen[id(value)] = (path, value)
        kind = type(value)
        if depth >= audit.MAX_DEPTH or per_type[kind] >= audit.PER_TYPE and kind not in (
                sandbox.Namespace, dict, list, tuple, collections.OrderedDict):
            continue
        per_type[kind] += 1
        children = list(audit.children(path, value))
        if isinstance(value, collections.OrderedDict):
            children += [(f"{path}[{k!r}]", v) for k, v in list(value.items())[:50]]
        queue.extend((p, child, depth + 1) for p, child in children)
    return seen


def test_the_walk_reaches_nn_values(everything):
    kinds = {type(v).__name__ for _, v in everything.values()}
    for expected in ("Linear", "Sequential", "LSTM", "MultiheadAttention", "Parameter",
                     "OrderedDict", "generator", "_IncompatibleKeys", "RemovableHandle",
                     "NonDynamicallyQuantizableLinear", "UninitializedParameter", "Tensor"):
        assert expected in kinds, expected
    assert len(everything) > 300


@pytest.mark.parametrize("check", [
    audit.test_no_module_frame_code_or_file_is_reachable,
    audit.test_no_dangerous_builtin_is_reachable,
    audit.test_no_function_of_a_system_module_is_reachable,
    audit.test_no_host_object_is_reachable, audit.test_classes_expose_nothing,
    audit.test_no_allowed_attribute_is_private, audit.test_functions_and_methods_expose_nothing,
], ids=lambda f: f.__name__[5:])
def test_audit_rule(everything, check):
    check(everything)


def test_the_generators_expose_nothing(everything):
    gens = [v for _, v in everything.values() if type(v).__name__ == "generator"]
    assert gens
    for g in gens:
        assert sandbox.allowed_attributes(g) == []
        assert repr(tsh_type(g)) == "<class 'generator'>"
        for name in ("gi_frame", "gi_code", "send", "throw", "close"):
            with pytest.raises(AttributeError):
                sandbox.get_attribute(g, name)
