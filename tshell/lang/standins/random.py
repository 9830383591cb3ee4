"""random as tsh programs see it: CPython's own generator (the Mersenne Twister of a private
random.Random, so `random.seed(0); random.random()` gives Python's value) behind a class of
tshell's, whose methods check the sizes they would make first: `sample` and `choices` lists,
`getrandbits` integers (guards.MAX_INT_BITS, as `**`), `randbytes` bytes; and read weights and
counts given as iterators within the memory cap. The module's functions are the methods of one
such instance, as Python's are.
"""

from __future__ import annotations

import random

from .. import guards, sandbox
from ..sandbox import Namespace
from ._classes import ShownClass

HOST_CALLABLES = ()

PLAIN_METHODS = ("seed getstate setstate random uniform triangular randint choice randrange "
                 "shuffle normalvariate lognormvariate expovariate vonmisesvariate "
                 "gammavariate gauss betavariate paretovariate weibullvariate").split()
CHECKED_METHODS = ("sample", "choices", "getrandbits", "randbytes")


def _delegate(generator: type, name: str):
    """A method calling the private generator's own (its messages for bad arguments)."""
    original = getattr(generator, name)

    def method(self, *args, **kwargs):
        return original(self._r, *args, **kwargs)
    method.__name__, method.__qualname__ = name, f"Random.{name}"
    method.__doc__, method.__wrapped__ = original.__doc__, original    # help()'s signature
    return method


def _check_list(k, what: str) -> None:
    if isinstance(k, int) and k * guards.OBJECT > guards.cap():
        raise guards.too_big(f"{what} of {k} items", k * guards.OBJECT)


class Random(metaclass=ShownClass):
    """Random number generator (Python's Mersenne Twister): Random(seed=None)."""

    __slots__ = ("_r",)
    VERSION = random.Random.VERSION
    _generator = random.Random

    def __init__(self, x=None):
        self._r = self._generator(x)

    def sample(self, population, k, *, counts=None):
        _check_list(k, "sample()")
        if counts is not None:
            counts = guards.materialize(counts)
        return self._r.sample(population, k, counts=counts)

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        _check_list(k, "choices()")
        if weights is not None:
            weights = guards.materialize(weights)
        return self._r.choices(population, weights, cum_weights=cum_weights, k=k)

    def getrandbits(self, *args, **kwargs):
        if len(args) == 1 and isinstance(args[0], int):
            guards.check_int_result(f"getrandbits({guards.short_int(args[0])})", args[0])
        return self._r.getrandbits(*args, **kwargs)

    def __copy__(self):
        twin = object.__new__(type(self))
        twin._r = self._generator()
        if type(self) is Random:
            twin._r.setstate(self._r.getstate())
        return twin

    def __deepcopy__(self, memo):
        return self.__copy__()

    def randbytes(self, *args, **kwargs):
        if len(args) == 1 and isinstance(args[0], int) and args[0] > guards.cap():
            raise guards.too_big(f"randbytes({args[0]})", args[0])
        return self._r.randbytes(*args, **kwargs)


class SystemRandom(Random):
    """Random numbers from the operating system's source (os.urandom): no seed, no state."""

    __slots__ = ()
    _generator = random.SystemRandom


for _class in (Random, SystemRandom):
    for _name in PLAIN_METHODS:
        setattr(_class, _name, _delegate(_class._generator, _name))
for _name in CHECKED_METHODS:
    getattr(Random, _name).__wrapped__ = getattr(random.Random, _name)


ATTRIBUTES = (*PLAIN_METHODS, *CHECKED_METHODS, "VERSION")
sandbox.register(Random, ATTRIBUTES)
sandbox.register(SystemRandom, ATTRIBUTES)


def namespace() -> Namespace:
    default = Random()                        # seeded from the system, as Python's
    members = {name: getattr(default, name) for name in (*PLAIN_METHODS, *CHECKED_METHODS)}
    members.update(Random=Random, SystemRandom=SystemRandom)
    return Namespace("random", members)
