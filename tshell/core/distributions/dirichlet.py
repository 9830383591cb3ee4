"""The Dirichlet distribution over the probability simplex."""
from __future__ import annotations

from ..autograd import GradMode, Node
from ..ops.embedding import one_hot
from ..ops.pointwise import digamma, lgamma, xlogy
from ..random import _dirichlet_grad, _sample_dirichlet
from ..tensor import Size, record, saved_output
from . import constraints
from .exp_family import ExponentialFamily

__all__ = ["Dirichlet"]


class _DirichletBackward(Node):
    """The reparameterised gradient of Dirichlet samples (PyTorch's autograd.Function
    _Dirichlet): each coordinate's d x / d alpha, projected back onto the simplex."""

    __slots__ = ()

    def backward(self, grad):
        concentration, = self.saved
        x = saved_output(self)
        total = concentration.sum(-1, True).expand_as(concentration)
        g = _dirichlet_grad(x, concentration, total)
        return g * (grad - (x * grad).sum(-1, True))

    def __repr__(self):
        return f"<torch.autograd.function._DirichletBackward object at {id(self):#x}>"


def _rsample_dirichlet(concentration):
    x = _sample_dirichlet(concentration.detach())
    if GradMode.enabled and concentration._rg:
        record(_DirichletBackward, x, (concentration,), save=(concentration,), save_out=True)
    return x


class Dirichlet(ExponentialFamily):
    """Dirichlet(concentration): points of the simplex along the last dim."""

    support = constraints.simplex
    has_rsample = True

    @property
    def arg_constraints(self):
        return {"concentration": constraints.independent(constraints.positive, 1)}

    def __init__(self, concentration, validate_args=None):
        if concentration.dim() < 1:
            raise ValueError("`concentration` parameter must be at least one-dimensional.")
        self.concentration = concentration
        batch_shape, event_shape = concentration.shape[:-1], concentration.shape[-1:]
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Dirichlet, _instance)
        batch_shape = Size(batch_shape)
        new.concentration = self.concentration.expand(batch_shape + self.event_shape)
        super(Dirichlet, new).__init__(batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def rsample(self, sample_shape=()):
        shape = self._extended_shape(sample_shape)
        return _rsample_dirichlet(self.concentration.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return (xlogy(self.concentration - 1.0, value).sum(-1)
                + lgamma(self.concentration.sum(-1)) - lgamma(self.concentration).sum(-1))

    @property
    def mean(self):
        return self.concentration / self.concentration.sum(-1, True)

    @property
    def mode(self):
        concentrationm1 = (self.concentration - 1).clamp(min=0.0)
        mode = concentrationm1 / concentrationm1.sum(-1, True)
        mask = (self.concentration < 1).all(dim=-1)
        mode[mask] = one_hot(mode[mask].argmax(dim=-1), concentrationm1.shape[-1]).to(
            mode.dtype)
        return mode

    @property
    def variance(self):
        con0 = self.concentration.sum(-1, True)
        return (self.concentration * (con0 - self.concentration)
                / (con0.pow(2) * (con0 + 1)))

    def entropy(self):
        k = self.concentration.size(-1)
        a0 = self.concentration.sum(-1)
        return (lgamma(self.concentration).sum(-1) - lgamma(a0) - (k - a0) * digamma(a0)
                - ((self.concentration - 1.0) * digamma(self.concentration)).sum(-1))

    @property
    def _natural_params(self):
        return (self.concentration,)

    def _log_normalizer(self, x):
        return x.lgamma().sum(-1) - lgamma(x.sum(-1))
