"""biject_to and transform_to: from a constraint to a transform whose codomain it is (for
optimising a constrained parameter in unconstrained space)."""
from __future__ import annotations

from ..dtypes import TorchModuleClass
from . import constraints, transforms
from .utils import NUMBER

__all__ = ["ConstraintRegistry", "biject_to", "transform_to"]


class ConstraintRegistry(metaclass=TorchModuleClass):
    """Constraint classes -> factories making a transform for a constraint of that class."""

    def __init__(self):
        self._registry = {}

    def register(self, constraint, factory=None):
        """Register factory for a Constraint subclass (or a constraint's class); without a
        factory, a decorator."""
        if factory is None:
            return lambda factory: self.register(constraint, factory)
        if isinstance(constraint, constraints.Constraint):
            constraint = type(constraint)
        if not isinstance(constraint, type) or not issubclass(constraint,
                                                              constraints.Constraint):
            raise TypeError("Expected constraint to be either a Constraint subclass or "
                            f"instance, but got {constraint}")
        self._registry[constraint] = factory
        return factory

    def __call__(self, constraint):
        try:
            factory = self._registry[type(constraint)]
        except KeyError:
            raise NotImplementedError(
                f"Cannot transform {type(constraint).__name__} constraints") from None
        return factory(constraint)


biject_to = ConstraintRegistry()
transform_to = ConstraintRegistry()
BOTH = (biject_to, transform_to)


def _register(registries, constraint_kinds, factory):
    for registry in registries:
        for kind in constraint_kinds:
            registry.register(kind, factory)


def _to_interval(c):
    if (isinstance(c.lower_bound, NUMBER) and c.lower_bound == 0
            and isinstance(c.upper_bound, NUMBER) and c.upper_bound == 1):
        return transforms.SigmoidTransform()
    return transforms.ComposeTransform([
        transforms.SigmoidTransform(),
        transforms.AffineTransform(c.lower_bound, c.upper_bound - c.lower_bound)])


# In PyTorch's order: a later registration for the same class wins (positive, a
# greater_than, ends with greater_than's factory).
_register(BOTH, [constraints.real], lambda c: transforms.identity_transform)
_register([biject_to], [constraints.independent], lambda c: transforms.IndependentTransform(
    biject_to(c.base_constraint), c.reinterpreted_batch_ndims))
_register([transform_to], [constraints.independent],
          lambda c: transforms.IndependentTransform(transform_to(c.base_constraint),
                                                    c.reinterpreted_batch_ndims))
_register(BOTH, [constraints.nonnegative, constraints.positive],
          lambda c: transforms.ExpTransform())
_register(BOTH, [constraints.greater_than_eq, constraints.greater_than],
          lambda c: transforms.ComposeTransform([
              transforms.ExpTransform(), transforms.AffineTransform(c.lower_bound, 1)]))
_register(BOTH, [constraints.less_than], lambda c: transforms.ComposeTransform([
    transforms.ExpTransform(), transforms.AffineTransform(c.upper_bound, -1)]))
_register(BOTH, [constraints.half_open_interval, constraints.interval], _to_interval)
_register([biject_to], [constraints.simplex], lambda c: transforms.StickBreakingTransform())
_register([transform_to], [constraints.simplex], lambda c: transforms.SoftmaxTransform())
_register([transform_to], [constraints.lower_cholesky],
          lambda c: transforms.LowerCholeskyTransform())
_register([transform_to], [constraints.positive_semidefinite, constraints.positive_definite],
          lambda c: transforms.PositiveDefiniteTransform())
_register(BOTH, [constraints.corr_cholesky], lambda c: transforms.CorrCholeskyTransform())
for _registry in BOTH:
    _registry.register(constraints.cat, lambda c, r=_registry: transforms.CatTransform(
        [r(part) for part in c.cseq], c.dim, c.lengths))
    _registry.register(constraints.stack, lambda c, r=_registry: transforms.StackTransform(
        [r(part) for part in c.cseq], c.dim))
