"""functorch's module API before torch.func (torch/_functorch/make_functional.py), which
tutorials and blog posts still use: make_functional(model) -> (func, params),
make_functional_with_buffers(model) -> (func, params, buffers), and
combine_state_for_ensemble(models) -> (func, params, buffers) stacked for vmap.

func is a FunctionalModule around a deep copy of the model whose parameters (and buffers)
were taken out, as PyTorch's (meta tensors stand in their places); calling it runs the copy
with the given tensors in those places (functional_call). functorch.py wraps these behind
PyTorch's deprecation warning.
"""
from __future__ import annotations

import copy

from ..nn.modules.module import Module
from ..nn.parameter import Parameter
from ..ops.creation import empty_like
from ..ops.shape import stack
from .stateless import functional_call

__all__ = ["FunctionalModule", "FunctionalModuleWithBuffers", "make_functional",
           "make_functional_with_buffers", "combine_state_for_ensemble"]


def _extract(model, named_members, as_parameter):
    """(tensors, names, names map) of the model's members (parameters or buffers), each
    replaced in the model by a meta tensor of its size; the map gives each unique name the
    names tied to it (weight sharing), which keep sharing one stand-in."""
    unique = tuple(named_members(remove_duplicate=True))
    first_name = {id(t): name for name, t in unique}
    names_map = {name: [] for name, _ in unique}
    stand_ins = {}
    for name, t in tuple(named_members(remove_duplicate=False)):
        names_map[first_name[id(t)]].append(name)
        if id(t) not in stand_ins:
            meta = empty_like(t, device="meta")
            stand_ins[id(t)] = Parameter(meta, t.requires_grad) if as_parameter else meta
        *path, leaf = name.split(".")
        owner = model.get_submodule(".".join(path))
        (owner._parameters if as_parameter else owner._buffers)[leaf] = stand_ins[id(t)]
    return tuple(t for _, t in unique), tuple(name for name, _ in unique), names_map


def _without_tracking(params):
    return tuple(p.requires_grad_(False) for p in params)


class FunctionalModule(Module):
    """This is the callable object returned by :func:`make_functional`."""

    def __init__(self, stateless_model, param_names, names_map):
        super().__init__()
        self.stateless_model = stateless_model
        self.param_names = param_names
        self.names_map = names_map

    def forward(self, params, *args, **kwargs):
        return functional_call(self.stateless_model, dict(zip(self.param_names, params)),
                               args, kwargs)


class FunctionalModuleWithBuffers(Module):
    """This is the callable object returned by :func:`make_functional_with_buffers`."""

    def __init__(self, stateless_model, param_names, buffer_names, param_names_map,
                 buffer_names_map):
        super().__init__()
        self.stateless_model = stateless_model
        self.param_names = param_names
        self.buffer_names = buffer_names
        self.all_names_map = {**param_names_map, **buffer_names_map}

    def forward(self, params, buffers, *args, **kwargs):
        names = self.param_names + self.buffer_names
        return functional_call(self.stateless_model,
                               dict(zip(names, tuple(params) + tuple(buffers))), args, kwargs)


def make_functional(model, disable_autograd_tracking=False):
    """make_functional(model, disable_autograd_tracking=False) -> func, params: a functional
    version of model (func(params, *args)) and its parameters (a copy's)."""
    if any(True for _ in model.buffers()):
        raise RuntimeError("make_functional(model): `model` has buffers. Please use "
                           "make_functional_with_buffers(model) instead.")
    model_copy = copy.deepcopy(model)
    params, names, names_map = _extract(model_copy, model_copy.named_parameters, True)
    if disable_autograd_tracking:
        params = _without_tracking(params)
    return FunctionalModule(model_copy, names, names_map), params


def make_functional_with_buffers(model, disable_autograd_tracking=False):
    """make_functional_with_buffers(model, disable_autograd_tracking=False) -> func, params,
    buffers: a functional version of model (func(params, buffers, *args)) and its state."""
    model_copy = copy.deepcopy(model)
    params, param_names, param_map = _extract(model_copy, model_copy.named_parameters, True)
    buffers, buffer_names, buffer_map = _extract(model_copy, model_copy.named_buffers, False)
    if disable_autograd_tracking:
        params = _without_tracking(params)
    return (FunctionalModuleWithBuffers(model_copy, param_names, buffer_names, param_map,
                                        buffer_map), params, buffers)


def combine_state_for_ensemble(models):
    """combine_state_for_ensemble(models) -> func, params, buffers: the models' parameters
    and buffers stacked (detached) along a new first dim, for vmap(func, ...)."""
    if len(models) == 0:
        raise RuntimeError("combine_state_for_ensemble: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError("combine_state_for_ensemble: Expected all models to have the same "
                           "training/eval mode.")
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("combine_state_for_ensemble: Expected all models to be of the same "
                           "class.")
    funcs, params, buffers = zip(*[make_functional_with_buffers(m) for m in models])
    return funcs[0], _stacked(params), _stacked(buffers)


def _stacked(per_model):
    """One detached stack per position of the models' tuples of tensors."""
    return tuple(stack(shards).detach() for shards in zip(*per_model))
