"""torch.func.functional_call and stack_module_state: a module called with other tensors in
place of its parameters and buffers, and the stacked state of an ensemble for vmap.

functional_call puts the given tensors into the module's parameter and buffer tables for
the call and puts the originals back afterwards, also when the call raises (PyTorch's
_reparametrize_module); what the module assigns to those names during the call goes back to
the caller's dict, as in PyTorch.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..ops.shape import stack
from ..tensor import Tensor

_MISSING = object()


def _merged(parameter_and_buffer_dicts):
    if isinstance(parameter_and_buffer_dicts, dict):
        return parameter_and_buffer_dicts
    if not isinstance(parameter_and_buffer_dicts, Sequence) or \
            isinstance(parameter_and_buffer_dicts, str):
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                         f"dicts, but got {type(parameter_and_buffer_dicts)}")
    if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
        raise ValueError("Expected all elements of parameter_and_buffer_dicts to be "
                         "dictionaries")
    counts = {}
    for d in parameter_and_buffer_dicts:
        for k in d:
            counts[k] = counts.get(k, 0) + 1
    repeated = [k for k, n in counts.items() if n > 1]
    if repeated:
        raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional "
                         "call is ambiguous")
    return {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}


def _named_tensors(module):
    named = dict(module.named_parameters(remove_duplicate=False))
    named.update(module.named_buffers(remove_duplicate=False))
    return named


def _untied(module, values):
    """values with every name tied to a given one (the same tensor in the module) added."""
    names_of = {}
    for name, tensor in _named_tensors(module).items():
        names_of.setdefault(id(tensor), set()).add(name)
    tied = {name: names for names in names_of.values() if len(names) > 1 for name in names}
    given = [name for name in values if name in tied]
    for name in given:
        names = tied[name]
        if len(names.intersection(given)) > 1 and \
                len({id(values[n]) for n in names if n in values}) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(names)}, "
                             "which are tied. Consider using tie_weights=False")
    out = dict(values)
    for name in given:
        out.update({tied_name: values[name] for tied_name in tied[name]})
    return out


def _check_keys(module, values):
    expected = set(_named_tensors(module))
    missing = sorted(expected - set(values))
    unexpected = sorted(set(values) - expected)
    errors = []
    if unexpected:
        errors.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
    if missing:
        errors.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
    if errors:
        raise RuntimeError(f"Error(s) in reparametrizing for {module._get_name()}:\n\t"
                           + "\n\t".join(errors))


def _swap(module, name, tensor):
    """Put tensor at module's dotted name; return what was there (_MISSING: nothing)."""
    *path, leaf = name.split(".")
    module = module.get_submodule(".".join(path))     # through submodules only
    for table in (module._parameters, module._buffers):
        if leaf in table:
            old, table[leaf] = table[leaf], tensor
            return old
    old = module.__dict__.get(leaf, _MISSING)
    if old is _MISSING and hasattr(module, leaf) or old is not _MISSING and \
            old is not None and not isinstance(old, Tensor):
        # a method, the module's machinery (_parameters, forward, training): not a tensor's place
        raise TypeError(f"attribute `{leaf}`: {getattr(module, leaf)} is not an instance of "
                        "torch.Tensor")
    if tensor is _MISSING:
        module.__dict__.pop(leaf, None)
    else:
        module.__dict__[leaf] = tensor
    return old


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """Performs a functional call on the module by replacing the module parameters and
    buffers with the provided ones."""
    given = _merged(parameter_and_buffer_dicts)
    values = _untied(module, given) if tie_weights else given
    if strict:
        _check_keys(module, values)
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    for value in values.values():
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(f"{value} is not an instance of torch.Tensor")
    originals = {}
    try:
        for name, tensor in values.items():
            originals[name] = _swap(module, name, tensor)
        return module(*args, **(kwargs or {}))
    finally:
        final = {name: _swap(module, name, old) for name, old in originals.items()}
        given.update({k: final[k] for k in given if final.get(k, _MISSING) is not _MISSING})


def _stacked_leaf(tensors, name):
    """The models' tensors stacked; a new leaf where they require grad."""
    requires = [t.requires_grad for t in tensors]
    if any(requires) and not all(requires):
        raise RuntimeError(f"Expected {name} from each model to have the same .requires_grad")
    result = stack(tensors)
    return result.detach().requires_grad_() if all(requires) else result


def stack_module_state(models):
    """stack_module_state(models) -> params, buffers: prepares a list of torch.nn.Modules
    for ensembling with vmap."""
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same "
                           "training/eval mode.")
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")
    all_params = [dict(m.named_parameters()) for m in models]
    all_buffers = [dict(m.named_buffers()) for m in models]
    params = {k: _stacked_leaf(tuple(p[k] for p in all_params), k) for k in all_params[0]}
    buffers = {k: _stacked_leaf(tuple(b[k] for b in all_buffers), k) for k in all_buffers[0]}
    return params, buffers
