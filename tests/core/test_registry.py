"""The op registry (tshell/core/registry.py): every name the core offered when the registry
came (tests/core/data/exposure.txt) is still reachable, and each is reachable because an
export declaration next to its definition says so."""
from __future__ import annotations

import collections
import types

import pytest

from tests.core.exposure import recorded, reachable
from tshell.core import registry

ROWS = recorded()
BY_MODULE = collections.defaultdict(list)
for _place, _name, _module in ROWS:
    BY_MODULE[_module].append((_place, _name))



def test_no_name_is_lost():
    now = reachable()
    lost = [f"{place}.{name}" for place, name, _ in ROWS if (place, name) not in now]
    assert not lost, f"{len(lost)} names are no longer reachable: {lost[:40]}"


def _declared(place, name, value):
    """Whether (place, name) comes from a declaration: the object itself, or the in-place
    twin the registry makes from a Tensor_/torch_ declaration."""
    table = registry.exports(place)
    if name in table:
        held = table[name]
        if isinstance(held, property) and isinstance(value, property):
            return held.fget is value.fget
        return held is value
    if name.endswith("_") and place in ("Tensor", "torch"):
        return name[:-1] in registry.exports(place + "_")
    return False


@pytest.mark.parametrize("module", sorted(BY_MODULE))
def test_names_are_declared(module):
    now = reachable()
    missing = [f"{place}.{name}" for place, name in BY_MODULE[module]
               if not _declared(place, name, now.get((place, name)))]
    assert not missing, f"not declared with export(...): {missing}"


def test_declarations_name_known_places_once():
    for place in registry.PLACES:
        registry.exports(place)          # raises on a name declared twice
    assert all(isinstance(name, str) and name for _, name, _ in registry.declared())


def test_export_refuses_unknown_places():
    with pytest.raises(ValueError, match="unknown place"):
        registry.export("torch.nn.NAME")
    with pytest.raises(ValueError, match="own name"):
        registry.export("Tensor_.other")


def test_registry_module_imports_nothing_of_tshell():
    assert not [n for n, v in vars(registry).items()
                if isinstance(v, types.ModuleType) and v.__name__.startswith("tshell")]


def test_numpy_keyword_names_are_one_wrapper_per_op_and_place():
    import tshell.core as torch
    from tshell.core.ops import reduction, shape
    assert torch.sum.__wrapped__ is reduction.sum
    assert torch.Tensor.sum.__wrapped__ is reduction.sum
    # (sum is on CUDA autocast's list: the autocast check wraps the renaming wrapper)
    assert registry.bound("torch", "sum", reduction.sum, False) is torch.sum
    assert registry.bound("Tensor", "sum", reduction.sum, False) is torch.Tensor.sum
    x = torch.arange(6.).view(2, 3)
    assert torch.equal(torch.sum(x, axis=1, keepdims=True), x.sum(1, keepdim=True))
    assert torch.equal(x.sum(axis=1, keepdims=True), x.sum(1, keepdim=True))
    assert torch.equal(torch.t(x=x), x.t())
    # a method's input is its tensor: methods without dim/keepdim (the core's own x.t(),
    # x.view(...) of every training step) are the ops themselves
    assert torch.Tensor.t is shape.t and torch.t.__wrapped__ is shape.t
    # ops PyTorch writes in Python, and those without an aliased parameter, stay unwrapped
    assert not hasattr(torch.split, "__wrapped__") and not hasattr(torch.manual_seed,
                                                                   "__wrapped__")
