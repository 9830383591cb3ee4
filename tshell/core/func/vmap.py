"""torch.vmap (torch.func.vmap): a function mapped over a dimension of its inputs.

tshell has no batching rules: the mapped function runs once per sample, on the samples'
views (select along each input's in_dim), and the per-sample results are stacked along
out_dims. Values, shapes and autograd through the result are PyTorch's (the stack and the
select views are differentiable); the loop costs a Python call per sample. randomness=
follows PyTorch: 'error' refuses a draw from the default generator inside the function,
'same' gives every sample the same draws, 'different' draws in sample order (which is the
order of PyTorch's one batched draw).
"""
from __future__ import annotations

import contextlib
import functools

from .. import limits
from .. import random as core_random
from ..autograd_function import VMAP_DEPTH
from ..registry import export
from ..ops.shape import stack
from ..tensor import Tensor
from .pytree import broadcast_prefix, tree_flatten, tree_unflatten

RANDOMNESS = ("error", "different", "same")
RANDOM_IN_ERROR_MODE = (
    "vmap: called random operation while in randomness error mode. Please either use the "
    "'same' or 'different' randomness flags on vmap or perform the randomness operation out "
    "of vmap")


def function_name(func) -> str:
    """How PyTorch's messages name the mapped function."""
    if isinstance(func, functools.partial):
        return f"functools.partial({function_name(func.func)}, ...)"
    return getattr(func, "__name__", repr(func))


def check_randomness(randomness) -> None:
    if randomness not in RANDOMNESS:
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")


@export("torch")
def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """vmap is the vectorizing map; vmap(func) returns a new function that maps func over
    some dimension of the inputs (in_dims) and stacks the results along out_dims."""
    check_randomness(randomness)
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size <= 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got "
                         f"{chunk_size})")

    def vmapped(*args, **kwargs):
        return mapped_call(func, in_dims, out_dims, randomness, args, kwargs)
    vmapped.__name__ = vmapped.__qualname__ = function_name(func)
    vmapped.__doc__ = getattr(func, "__doc__", None)
    return vmapped


def _is_dim(value) -> bool:
    return value is None or isinstance(value, int) and not isinstance(value, bool)


def _flat_in_dims(func, in_dims, args):
    """One in_dim per leaf of args, checked as PyTorch checks them."""
    name = function_name(func)
    if not isinstance(in_dims, (int, tuple)) or isinstance(in_dims, bool):
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` "
                         "to be int or a (potentially nested) tuple matching the structure of "
                         f"inputs, got: {type(in_dims)}.")
    if not args:
        raise ValueError(f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add "
                         "inputs, or you are trying to vmap over a function with no inputs. "
                         "The latter is unsupported.")
    leaves, spec = tree_flatten(args)
    dims = broadcast_prefix(in_dims if isinstance(in_dims, tuple) else in_dims, spec,
                            lambda v: not isinstance(v, (tuple, list, dict)))
    if dims is None:
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not "
                         "compatible with the structure of `inputs`. in_dims has structure "
                         f"{tree_flatten(in_dims)[1]} but inputs has structure {spec}.")
    for dim, leaf in zip(dims, leaves):
        if not _is_dim(dim):
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got "
                             f"in_dim={dim} for an input but in_dim must be either an integer "
                             "dimension or None.")
        if dim is not None and not isinstance(leaf, Tensor):
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got "
                             f"in_dim={dim} for an input but the input is of type "
                             f"{type(leaf)}. We cannot vmap over non-Tensor arguments, please "
                             "use None as the respective in_dim")
        if dim is not None and not -leaf.dim() <= dim < leaf.dim():
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got "
                             f"in_dim={dim} for some input, but that input is a Tensor of "
                             f"dimensionality {leaf.dim()} so expected in_dim to satisfy "
                             f"-{leaf.dim()} <= in_dim < {leaf.dim()}.")
    return leaves, spec, dims


def _batch_size(leaves, dims) -> int:
    sizes = [leaf.size(dim) for leaf, dim in zip(leaves, dims) if dim is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(size != sizes[0] for size in sizes):
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                         f"dimension, got sizes {sizes} for the mapped dimension")
    return sizes[0]


class _DrawRefused(core_random.Generator):
    """The default generator's class while a function runs under vmap(randomness='error'):
    the same object and state, but a draw raises PyTorch's error."""

    @property
    def rng(self):
        raise RuntimeError(RANDOM_IN_ERROR_MODE)


_DrawRefused.__name__ = _DrawRefused.__qualname__ = "Generator"


@contextlib.contextmanager
def _randomness(randomness):
    """The default generator as randomness= wants it for the samples: yields the function
    to call before each sample ('same' rewinds the generator to where the first began)."""
    generator = core_random.default_generator
    if randomness == "same":
        start = generator.get_state()

        def before_sample():
            generator.set_state(start)
        yield before_sample
        return
    if randomness == "different":
        yield lambda: None
        return
    saved = generator.__class__
    generator.__class__ = _DrawRefused
    try:
        yield lambda: None
    finally:
        generator.__class__ = saved


def _sample(leaves, dims, i):
    """The i-th sample of the mapped inputs; with no samples, zeros of a sample's shape
    (the function still runs once, for the shapes of its outputs)."""
    return [leaf if dim is None else leaf.select(dim, i) if leaf.size(dim)
            else leaf.new_zeros(leaf.shape[:dim % leaf.dim()] + leaf.shape[dim % leaf.dim() + 1:])
            for leaf, dim in zip(leaves, dims)]


def _run_samples(func, args_spec, leaves, dims, size, randomness, kwargs):
    """func's output for each sample. The outputs are all kept until they are stacked, so
    their bytes so far, and each sample's views and results, are held to the memory cap as
    the loop goes (the first sample's outputs times the batch size: at once)."""
    limits.check_count(size, "vmap")
    outputs = []
    held = 0
    VMAP_DEPTH[0] += 1
    try:
        with _randomness(randomness) as before_sample:
            for i in range(max(size, 1)):
                before_sample()
                sample = _sample(leaves, dims, i)
                outputs.append(func(*tree_unflatten(sample, args_spec), **kwargs))
                held += _check_outputs(outputs[-1], size if i == 0 else 1, held, i + 1)
    finally:
        VMAP_DEPTH[0] -= 1
    return outputs


def _check_outputs(output, times, held, count):
    """The bytes of the count-th sample's tensor outputs, refused by the cap when `times` of
    them, added to the `held` bytes of the samples before, would exceed it."""
    nbytes = 0
    for leaf in tree_flatten(output)[0]:
        if isinstance(leaf, Tensor):
            limits.check_result((times,) + tuple(leaf.shape), leaf.element_size())
            nbytes += leaf.numel() * leaf.element_size()
            limits.check_bytes(held + nbytes, (count,) + tuple(leaf.shape))
    return nbytes


def _flat_out_dims(func, out_dims, output_spec):
    name = function_name(func)
    if not (_is_dim(out_dims) or isinstance(out_dims, (tuple, list))):
        raise ValueError(f"vmap({name}, ..., out_dims={out_dims}): `out_dims` must be an int, "
                         "None or a python collection of ints representing where in the "
                         "outputs the vmapped dimension should appear.")
    dims = broadcast_prefix(out_dims, output_spec,
                            lambda v: not isinstance(v, (tuple, list, dict)))
    if dims is None:
        raise ValueError(f"vmap({name}, ..., out_dims={out_dims})(<inputs>): out_dims is not "
                         "compatible with the structure of `outputs`. out_dims has structure "
                         f"{tree_flatten(out_dims)[1]} but outputs has structure "
                         f"{output_spec}.")
    for dim in dims:
        if not _is_dim(dim):
            raise ValueError(f"vmap({name}, ..., out_dims={out_dims}): `out_dims` must be an "
                             "int, None or a python collection of ints representing where in "
                             "the outputs the vmapped dimension should appear.")
    return dims


def _unmapped(func, samples):
    """An output with out_dim None: the same in every sample. PyTorch refuses one that
    depends on the mapped inputs; without batching, tshell knows it by the samples' values
    (an output that depends on them but comes out equal in every sample passes)."""
    first = samples[0]
    same = all(s is first for s in samples) or all(
        isinstance(s, Tensor) and isinstance(first, Tensor) and s.shape == first.shape
        and s.dtype is first.dtype and bool((s == first).all()) for s in samples)
    if not same and any(isinstance(s, Tensor) for s in samples):
        name = function_name(func)
        raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor when "
                         "out_dim is None")
    return first


def _stacked(func, samples, dim):
    """The per-sample values of one output, stacked along dim (None: not mapped)."""
    if dim is None:
        return _unmapped(func, samples)
    for value in samples:
        if not isinstance(value, Tensor):
            name = function_name(func)
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                             f"{type(value)}. Did you mean to set out_dims= to None for "
                             "output?")
    return stack(samples, dim)


def mapped_call(func, in_dims, out_dims, randomness, args, kwargs):
    """func mapped over args: its outputs, each stacked along its out_dim."""
    leaves, args_spec, dims = _flat_in_dims(func, in_dims, args)
    size = _batch_size(leaves, dims)
    outputs = _run_samples(func, args_spec, leaves, dims, size, randomness, kwargs)
    per_sample = [tree_flatten(out) for out in outputs]
    output_spec = per_sample[0][1]
    flat_dims = _flat_out_dims(func, out_dims, output_spec)
    columns = list(zip(*(leaves for leaves, _ in per_sample)))
    stacked = [_stacked(func, list(column), dim) for column, dim in zip(columns, flat_dims)]
    if size == 0:           # the one run was on stand-in zeros: keep none of its values
        stacked = [out if dim is None else out.narrow(dim, 0, 0)
                   for out, dim in zip(stacked, flat_dims)]
    return tree_unflatten(stacked, output_spec)
