"""np.random as tsh programs see it: NumPy's own generators, so a seed gives NumPy's numbers.

- the legacy module functions (`np.random.seed`, `rand`, `randn`, `normal`, `choice`...)
  draw from one RandomState of this module's, as NumPy's draw from its global one;
- `np.random.RandomState(seed)` and `np.random.default_rng(seed)` give stand-ins holding
  NumPy's RandomState / Generator in a private slot, with the sampling methods only: no
  bit generator, state, SeedSequence or spawn reaches a program (the state is raw memory
  a program could set to anything, and a bit generator hands out ctypes and capsules);
- every sampling function declares its result's size (its `size=` argument, else its
  parameters broadcast, times the items one draw gives), checked against the memory cap.
"""

from __future__ import annotations

import copy
import math
import operator

import numpy as np

from ...sandbox import Namespace
from .arrays import (NumpyClass, broadcast_size, checked, dims_count, inward, inward_keywords,
                     measure, ndarray, numpy_errors, outward, require_numeric, shape_of,
                     size_of)


# ---------------------------------------------------------------------- sizes
def _argument(args, kwargs, position: int, name: str, default=None):
    return args[position] if len(args) > position else kwargs.get(name, default)


def _drawn(size_at: int):
    """A distribution whose `size` is argument size_at: the size, else its parameters
    broadcast (normal(loc_array, 1.0))."""
    def rule(args, kwargs):
        size = _argument(args, kwargs, size_at, "size")
        if size is not None:
            return dims_count(size)
        parameters = {k: v for k, v in kwargs.items() if k not in ("dtype", "out")}
        return broadcast_size(args[:size_at], parameters)
    return rule


def _dims(args, kwargs) -> int:
    """rand(d0, d1, ...) and randn(d0, d1, ...)."""
    return dims_count(args)


def _per_draw(size_at: int, vector: str, vector_at: int, batch_at: tuple = ()):
    """multinomial, multivariate_normal, dirichlet: each draw is a vector as long as one of
    the arguments (pvals, mean, alpha); without `size`, as many draws as the arguments at
    batch_at broadcast to (multinomial's n)."""
    def rule(args, kwargs):
        size = _argument(args, kwargs, size_at, "size")
        draws = (dims_count(size) if size is not None else
                 broadcast_size([args[i] for i in batch_at if i < len(args)], {}))
        return max(1, draws) * max(1, size_of(_argument(args, kwargs, vector_at, vector)))
    return rule


def _population(a) -> int:
    """The items choice() picks from: a itself when a number (choice(10) picks from
    range(10))."""
    if shape_of(a):
        return size_of(a)
    try:
        return max(0, operator.index(inward(a)))
    except (TypeError, ValueError, RuntimeError):
        return 0


def _choice(args, kwargs) -> int:
    """Each draw is an item of a (a row or column of a 2-d a: at most its size over its
    shortest dim); without replacement NumPy may also permute the whole population."""
    a = _argument(args, kwargs, 0, "a")
    size = _argument(args, kwargs, 1, "size")
    shape = shape_of(a)
    item = math.prod(shape) // max(1, min(shape)) if len(shape) > 1 else 1
    n = (dims_count(size) if size is not None else 1) * item
    if not _argument(args, kwargs, 2, "replace", True):
        n += _population(a)
    return n


def _generator_choice(args, kwargs) -> int:
    """Generator.choice draws without replacement by Floyd's algorithm (its draws and a hash
    set, under 3 items per draw) when the population is over 10 000 and the draws are few
    (at most population // 50, // 20 with shuffle=False) and p is not given; otherwise it
    shuffles the whole population, as the legacy choice does."""
    a = _argument(args, kwargs, 0, "a")
    size = _argument(args, kwargs, 1, "size")
    replace = _argument(args, kwargs, 2, "replace", True)
    p = _argument(args, kwargs, 3, "p")
    cutoff = 50 if _argument(args, kwargs, 5, "shuffle", True) else 20
    population = _population(a)
    draws = dims_count(size) if size is not None else 1
    if replace or p is not None or len(shape_of(a)) > 1 or population <= 10000 or \
            draws > population // cutoff:
        return _choice(args, kwargs)
    return 3 * draws


def _permutation(args, kwargs) -> int:
    return _population(_argument(args, kwargs, 0, "x"))


# The samplers both kinds of generator have: name -> size rule.
COMMON_SAMPLERS = {
    "normal": _drawn(2), "uniform": _drawn(2), "standard_normal": _drawn(0),
    "exponential": _drawn(1), "standard_exponential": _drawn(0), "poisson": _drawn(1),
    "binomial": _drawn(2), "beta": _drawn(2), "gamma": _drawn(2), "lognormal": _drawn(2),
    "laplace": _drawn(2), "logistic": _drawn(2), "geometric": _drawn(1),
    "chisquare": _drawn(1), "standard_t": _drawn(1), "triangular": _drawn(3),
    "multinomial": _per_draw(2, "pvals", 1, (0,)), "multivariate_normal": _per_draw(2, "mean", 0),
    "dirichlet": _per_draw(1, "alpha", 0), "choice": _choice, "permutation": _permutation,
}
LEGACY_SAMPLERS = {**COMMON_SAMPLERS, "rand": _dims, "randn": _dims, "randint": _drawn(2),
                   "random": _drawn(0), "random_sample": _drawn(0)}
GENERATOR_SAMPLERS = {**COMMON_SAMPLERS, "integers": _drawn(2), "random": _drawn(0),
                      "permuted": _permutation, "choice": _generator_choice}


# ---------------------------------------------------------------------- populations
POPULATION_SAMPLERS = frozenset(("choice", "permutation", "permuted"))


def _numbers_only(raw_sampler):
    """choice / permutation of a list: NumPy makes an array of it, and would hand out the
    items of an object or string array as they are; the array must hold numbers."""
    def sample(*args, **kwargs):
        if args and isinstance(args[0], (list, tuple)):
            args = (_numeric_array(args[0]), *args[1:])
        for name in ("a", "x"):
            if isinstance(kwargs.get(name), (list, tuple)):
                kwargs[name] = _numeric_array(kwargs[name])
        return raw_sampler(*args, **kwargs)
    sample.__doc__ = raw_sampler.__doc__
    return sample


def _numeric_array(items) -> np.ndarray:
    a = np.asarray(items)
    require_numeric(a.dtype)
    return a


def _raw_sampler(generator, name: str):
    sampler = getattr(generator, name)
    return _numbers_only(sampler) if name in POPULATION_SAMPLERS else sampler


# ---------------------------------------------------------------------- in-place shuffles
def _shuffled(raw_shuffle):
    """shuffle(x) in place: x is an array of the stand-in's or a plain list (NumPy swaps
    its items, whatever they are, without looking into them)."""
    def shuffle(x, *args, **kwargs):
        if x.__class__ is not ndarray and x.__class__ is not list:
            raise TypeError("shuffle() takes a numpy array or a list in tsh")
        raw_shuffle(inward(x) if x.__class__ is ndarray else x,
                    *(operator.index(a) for a in args), **kwargs)
    shuffle.__name__ = shuffle.__qualname__ = "shuffle"
    shuffle.__doc__ = "Shuffle x in place (along its first axis)."
    return numpy_errors(shuffle)


# ---------------------------------------------------------------------- generators
def _sampling_method(owner: str, name: str, rule):
    def method(self, *args, **kwargs):
        measure(rule, args, kwargs, f"random.{owner}.{name}")
        return outward(_raw_sampler(self._g, name)(*inward(args), **inward_keywords(kwargs)))
    method.__name__ = method.__qualname__ = name
    method.__doc__ = (getattr(np.random.Generator if owner == "Generator" else
                              np.random.RandomState, name).__doc__ or "").strip().split("\n")[0]
    return numpy_errors(method)


class Generator(metaclass=NumpyClass):
    """numpy.random.Generator (PCG64), made by np.random.default_rng(seed)."""

    _shown = "numpy.random._generator"
    __slots__ = ("_g",)

    def __new__(cls, *args, **kwargs):
        raise TypeError("Generator() takes a bit generator, which tsh does not hand to "
                        "programs: use np.random.default_rng(seed)")

    def __repr__(self):
        return f"Generator(PCG64) at 0x{id(self):X}"

    def __copy__(self):     # as NumPy's: copy shares the bit generator, deepcopy copies it
        return _holding(Generator, copy.copy(self._g))

    def __deepcopy__(self, memo):
        return _holding(Generator, copy.deepcopy(self._g))

    def shuffle(self, x, axis=0):
        _shuffled(self._g.shuffle)(x, axis)


class RandomState(metaclass=NumpyClass):
    """numpy.random.RandomState (MT19937): the legacy generator the module functions use."""

    _shown = "numpy.random.mtrand"
    __slots__ = ("_g",)

    @numpy_errors
    def __new__(cls, seed=None):
        return _holding(cls, np.random.RandomState(inward(seed)))

    def __repr__(self):
        return f"RandomState(MT19937) at 0x{id(self):X}"

    def __copy__(self):
        return _holding(RandomState, copy.copy(self._g))

    def __deepcopy__(self, memo):
        return _holding(RandomState, copy.deepcopy(self._g))

    @numpy_errors
    def seed(self, seed=None):
        self._g.seed(inward(seed))

    def shuffle(self, x):
        _shuffled(self._g.shuffle)(x)


def _holding(cls, raw):
    """A stand-in of cls with NumPy's generator raw in its private slot."""
    obj = object.__new__(cls)
    obj._g = raw
    return obj


for _name, _rule in GENERATOR_SAMPLERS.items():
    setattr(Generator, _name, _sampling_method("Generator", _name, _rule))
for _name, _rule in LEGACY_SAMPLERS.items():
    setattr(RandomState, _name, _sampling_method("RandomState", _name, _rule))


@numpy_errors
def default_rng(seed=None):
    """A Generator (PCG64) seeded as NumPy seeds it: default_rng(42) draws NumPy's numbers.
    A Generator given as the seed is returned as it is, as NumPy does."""
    if seed.__class__ is Generator:
        return seed
    return _holding(Generator, np.random.default_rng(inward(seed)))


# What the sandbox lets programs read on these objects (runtime registers them).
CLASS_ATTRIBUTES = {
    Generator: frozenset(("shuffle", *GENERATOR_SAMPLERS)),
    RandomState: frozenset(("seed", "shuffle", *LEGACY_SAMPLERS)),
}

# The legacy module functions' generator, apart from NumPy's global one (which tshell's
# own code would share).
_LEGACY = np.random.RandomState()


@numpy_errors
def seed(seed=None):
    """Seed the generator of the module functions (np.random.rand, normal, choice...)."""
    _LEGACY.seed(inward(seed))


def namespace() -> Namespace:
    """The `np.random` namespace."""
    members = {name: checked(_raw_sampler(_LEGACY, name), f"random.{name}", rule)
               for name, rule in LEGACY_SAMPLERS.items()}
    members.update(seed=seed, shuffle=_shuffled(_LEGACY.shuffle), default_rng=default_rng,
                   Generator=Generator, RandomState=RandomState)
    return Namespace("numpy.random", members)

