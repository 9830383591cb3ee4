"""torch.optim.swap_in_optimizer_params_and_state: an optimizer run, for a `with` block, on
other parameter tensors and another state_dict-shaped state (PyTorch's _stateless.py).

Inside the block every optimizer API sees the swapped-in parameters, hyperparameters and
state; on exit the live groups and state are put back. In-place changes to the swapped-in
state's tensors reach the caller's dict; new entries do not.
"""
from __future__ import annotations

from collections import defaultdict

from ..tensor import Tensor

_PREFIX = "swap_in_optimizer_params_and_state requires"


def _validated_state(state):
    if not isinstance(state, dict):
        raise RuntimeError(f"{_PREFIX} swapin_optim_state['state'] to be a dict mapping packed "
                           "parameter ids to per-param state dicts, got "
                           f"{type(state).__name__}.")
    if any(isinstance(k, Tensor) for k in state):
        raise RuntimeError(f"{_PREFIX} optimizer.state_dict()-style state keyed by packed "
                           "parameter ids.")
    if any(isinstance(k, int) and not isinstance(v, dict) for k, v in state.items()):
        raise RuntimeError(f"{_PREFIX} per-parameter optimizer state entries to be "
                           "dictionaries.")
    return state


def _validated_groups(optimizer, groups):
    if not isinstance(groups, list):
        raise RuntimeError(f"{_PREFIX} swapin_optim_state['param_groups'] to be a list of "
                           f"param-group dicts, got {type(groups).__name__}.")
    if len(optimizer.param_groups) != len(groups):
        raise RuntimeError("swapin_optim_state has a different number of parameter groups "
                           "than the live optimizer.")
    return groups


def _group_ids(idx, group, swapin_group):
    """The packed parameter ids of a swap-in group, checked against the live group."""
    if not isinstance(swapin_group, dict):
        raise RuntimeError(f"{_PREFIX} each optimizer param group to be a dictionary.")
    ids = swapin_group.get("params")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise RuntimeError(f"{_PREFIX} optimizer.state_dict()-style param_groups[*]['params'] "
                           "entries keyed by packed parameter ids.")
    if len(group["params"]) != len(ids):
        raise RuntimeError(f"swapin_optim_state param group {idx} has a different number of "
                           "params than the live optimizer param group.")
    swapin_only = [k for k in swapin_group if k not in group]
    live_only = [k for k in group if k not in swapin_group]
    if swapin_only or live_only:
        raise RuntimeError(f"{_PREFIX} optimizer.state_dict()-style param group keys to "
                           f"exactly match the live optimizer group keys for group {idx}. Keys "
                           f"only in swap-in: {swapin_only}. Keys only in live: {live_only}.")
    return ids


def _prepared(optimizer, swapin_parameters, swapin_optim_state):
    """(the swap-in state by packed id, [(live group, swap-in group, its parameters)])."""
    if not optimizer.state:
        raise RuntimeError(f"{_PREFIX} initialized optimizer state.")
    if not isinstance(swapin_optim_state, dict):
        raise RuntimeError(f"{_PREFIX} a DCP-style optimizer state_dict.")
    state = _validated_state(swapin_optim_state.get("state"))
    groups = _validated_groups(optimizer, swapin_optim_state.get("param_groups"))
    flat = list(swapin_parameters.values())
    offset, seen, plan = 0, set(), []
    for idx, (group, swapin_group) in enumerate(zip(optimizer.param_groups, groups)):
        ids = _group_ids(idx, group, swapin_group)
        seen.update(ids)
        if offset + len(ids) > len(flat):
            raise RuntimeError(f"{_PREFIX} the explicit parameter state to match "
                               "optimizer.param_groups ordering.")
        plan.append((group, swapin_group, flat[offset:offset + len(ids)]))
        offset += len(ids)
    extra = [k for k in state if k not in seen]
    if extra:
        raise RuntimeError(f"{_PREFIX} swapin_optim_state['state'] to be keyed only by packed "
                           f"parameter ids from param_groups[*]['params']; got extra keys "
                           f"{extra!r}.")
    return state, plan


class _SwappedIn:
    """The context manager swap_in_optimizer_params_and_state returns."""

    def __init__(self, optimizer, swapin_parameters, swapin_optim_state):
        self._args = (optimizer, swapin_parameters, swapin_optim_state)

    def __enter__(self):
        optimizer = self._args[0]
        state, plan = _prepared(*self._args)
        self._original_state = optimizer.state
        # shallow copies: the params list itself comes back, as PyTorch keeps its identity
        self._snapshots = [dict(g) for g in optimizer.param_groups]
        swapped = defaultdict(dict)
        for live, swapin_group, params in plan:
            live["params"] = params
            live.update({k: v for k, v in swapin_group.items() if k != "params"})
            for param, pid in zip(params, swapin_group["params"]):
                swapped[param] = dict(state.get(pid, {}))
        optimizer.state = swapped

    def __exit__(self, *exc):
        optimizer = self._args[0]
        for group, snapshot in zip(optimizer.param_groups, self._snapshots):
            group.clear()
            group.update(snapshot)
        optimizer.state = self._original_state
        return False


def swap_in_optimizer_params_and_state(optimizer, swapin_parameters, swapin_optim_state):
    """Temporarily replace an optimizer's parameters and state with the supplied params and
    optim states, then restore them on exit."""
    return _SwappedIn(optimizer, swapin_parameters, swapin_optim_state)
