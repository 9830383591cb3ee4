"""The sandbox audit (tests/hardening/test_sandbox_audit.py) over what the library names
added with the library census give a program: the parametrizations and the hook-based
weight and spectral norms (the _Orthogonal / _WeightNorm / _SpectralNorm modules,
orthogonal's map, an Enum member, the hook objects), optim.swa_utils (AveragedModel, SWALR,
the averaging closures), nn.utils.fusion's fused modules, torch.utils.hooks; plus escapes
a program must be refused, and the out-of-scope names' message."""
import io

import pytest

from tests.hardening import test_sandbox_audit as audit
from tshell.lang import Interpreter, TshError

PROGRAM = """
from torch import nn
PZ = nn.utils.parametrizations
orth = PZ.orthogonal(nn.Linear(3, 3))
wn = PZ.weight_norm(nn.Linear(3, 2))
sn = PZ.spectral_norm(nn.Linear(3, 2))
hook_wn = nn.utils.weight_norm(nn.Linear(3, 2))
hook_sn = nn.utils.spectral_norm(nn.Linear(3, 2))
hook_sn(torch.ones(1, 3))
SU = torch.optim.swa_utils
opt = torch.optim.SGD(orth.parameters(), lr=0.1)
swa, swalr = SU.AveragedModel(orth), SU.SWALR(opt, swa_lr=0.05)
swa.update_parameters(orth)
bn = nn.BatchNorm1d(3).eval()
values = {
    'swa': swa, 'swalr': swalr, 'swa_state': swalr.state_dict(),
    'avg_fns': [SU.get_ema_avg_fn(), SU.get_swa_avg_fn(), SU.get_ema_multi_avg_fn(),
                SU.get_swa_multi_avg_fn(), SU.update_bn],
    'fused': nn.utils.fuse_linear_bn_eval(nn.Linear(3, 3).eval(), bn),
    'fusion': nn.utils.fusion, 'hooks': torch.utils.hooks,
    'marked': torch.utils.hooks.unserializable_hook(print),
    'orth': orth, 'orth_p': orth.parametrizations.weight[0],
    'map': orth.parametrizations.weight[0].orthogonal_map, 'wn': wn,
    'wn_p': wn.parametrizations.weight[0], 'sn': sn, 'sn_p': sn.parametrizations.weight[0],
    'hook_wn': hook_wn, 'hook_sn': hook_sn, 'sd': hook_sn.state_dict(),
    'fns': [PZ.orthogonal, PZ.weight_norm, PZ.spectral_norm, nn.utils.weight_norm,
            nn.utils.remove_weight_norm, nn.utils.spectral_norm,
            nn.utils.remove_spectral_norm],
    'namespace': PZ, 'pre_hooks': [hook_wn._forward_pre_hooks, hook_sn._forward_pre_hooks],
    'orth_map_class': type(orth.parametrizations.weight[0].orthogonal_map),
}
"""


def _walk():
    import collections
    from tshell.lang import sandbox
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(PROGRAM, "<parametrizations audit>")
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
        queue.extend((p, child, depth + 1) for p, child in audit.children(path, value))
    return seen


@pytest.fixture(scope="module")
def reached():
    return _walk()


def test_the_walk_reaches_the_new_types(reached):
    kinds = {type(v).__name__ for _, v in reached.values()}
    for expected in ("_Orthogonal", "_WeightNorm", "_SpectralNorm", "_OrthMaps", "WeightNorm",
                     "SpectralNorm", "AveragedModel", "SWALR",
                     "ParametrizedLinear", "ParametrizationList", "Linear"):
        assert expected in kinds, expected


@pytest.mark.parametrize("check", [
    audit.test_no_module_frame_code_or_file_is_reachable,
    audit.test_no_dangerous_builtin_is_reachable,
    audit.test_no_function_of_a_system_module_is_reachable,
    audit.test_no_host_object_is_reachable, audit.test_classes_expose_nothing,
    audit.test_no_allowed_attribute_is_private, audit.test_functions_and_methods_expose_nothing,
], ids=lambda f: f.__name__[5:])
def test_audit_rule(reached, check):
    check(reached)


@pytest.mark.parametrize("expression", [
    "PZ.spectral_norm(nn.Linear(2, 2)).parametrizations.weight[0]._u",
    "type(PZ.orthogonal(nn.Linear(2, 2)).parametrizations.weight[0].orthogonal_map)"
    ".__members__",
    "list(nn.utils.weight_norm(nn.Linear(2, 2))._forward_pre_hooks.values())[0]"
    ".compute_weight.__func__",
    "list(nn.utils.weight_norm(nn.Linear(2, 2))._forward_pre_hooks.values())[0].__dict__",
    "list(nn.utils.spectral_norm(nn.Linear(2, 2))._state_dict_hooks.values())[0].fn"
    ".__call__.__globals__",
    "PZ.orthogonal.__globals__",
    "type(PZ.orthogonal(nn.Linear(2, 2)).parametrizations.weight[0]).__mro__",
    "PZ.weight_norm.__code__",
    "torch.optim.swa_utils.get_ema_avg_fn(0.5).__closure__",
    "torch.optim.swa_utils.AveragedModel(nn.Linear(1, 1)).avg_fn.__globals__",
    "torch.optim.swa_utils.SWALR(torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1), "
    "0.05).anneal_func.__func__",
    "torch.utils.hooks._UNSERIALIZABLE",
    "torch.utils.hooks.warn_if_has_hooks.__globals__",
])
def test_escapes_are_refused(expression):
    interp = Interpreter(stdout=io.StringIO())
    with pytest.raises(TshError):
        interp.run_source("from torch import nn\nPZ = nn.utils.parametrizations\n"
                          f"x = {expression}\n", "<escape>")


def test_out_of_scope_library_names_say_why():
    interp = Interpreter(stdout=io.StringIO())
    with pytest.raises(TshError) as e:
        interp.run_source("torch.nn.attention.list_flash_attention_impls()\n", "<oos>")
    assert "torch.nn.attention.list_flash_attention_impls is not supported in tshell " \
        "(attention kernel implementations)" in str(e.value)
